// The CRDs stage of a cluster: which CRDs the cluster's API mode needs (the crd.projectcalico.org/v1
// storage CRDs, or the native projectcalico.org/v3 ones) and where they come from (bundled with the
// library, a release URL, a local file, or left to the user), with the decision or manual step
// that explains it.

import { ApiObject, Include } from 'cdk8s';
import { Construct } from 'constructs';
import type { CalicoVersion } from '../../core/calico-version';
import { CalicoValidationError } from '../../core/errors';
import { CalicoApiMode } from '../api-mode';
import type { ManualStep } from '../cluster-records';
import { CrdSource } from '../crd-source';
import { upstreamCrds, upstreamInstallOf } from './upstream-install';

/** What the CRDs stage holds, and how the cluster explains it. */
export interface CrdStage {
  /** Whether the output holds the CRDs. */
  readonly included: boolean;
  /** The decision recorded (choice and reason), when the output holds them. */
  readonly decision?: { readonly choice: string; readonly reason: string };
  /** The step that applies them, when the output leaves them out. */
  readonly manualStep?: ManualStep;
}

/**
 * Renders the CRDs of `crds` into `stageScope` (the CRDs stage) for a cluster of `version` in
 * `mode`; `owner` is the cluster, which errors name.
 */
export function renderCrdStage(owner: Construct, stageScope: () => Construct, crds: CrdSource, version: CalicoVersion, mode: CalicoApiMode, etcd: boolean): CrdStage {
  const fail = (message: string) => new CalicoValidationError(`CalicoCluster: ${message}`, owner);
  // The cluster refuses CRDs given with etcd: Calico reads none there.
  if (etcd) return { included: false };
  if (crds.calicoVersion !== undefined && crds.calicoVersion.tag !== version.tag) {
    throw fail(`crds fetch the CRDs of Calico ${crds.calicoVersion.tag}, but the cluster installs `
      + `${version.tag}; use CrdSource.upstreamRelease() without a version to follow the cluster's release`);
  }
  const native = mode === CalicoApiMode.NATIVE_V3_CRDS;
  if (native && crds.mode === 'url') {
    throw fail('CrdSource.upstreamRelease() fetches the crd.projectcalico.org/v1 CRDs (crds.yaml), but apiMode NativeV3CRDs needs the '
      + 'projectcalico.org/v3 CRDs; use CrdSource.bundled() (the default), or CrdSource.fromFile() with a copy of upstream\'s v3 CRDs');
  }
  const location = crds.locationFor(version);
  if (location !== undefined) {
    new Include(stageScope(), 'Crds', { url: location });
    return { included: true, decision: { choice: crds.mode === 'url' ? location : `file ${location}`, reason: 'the Calico CRDs are part of the output' } };
  }
  if (crds.mode === 'bundled') {
    const scope = new Construct(stageScope(), 'Crds');
    for (const crd of upstreamCrds(version, native)) new ApiObject(scope, crd.metadata.name, crd as any);
    const bundledTag = upstreamInstallOf(version).tag;
    const kind = native ? 'native projectcalico.org/v3 CRDs' : 'CRDs';
    return {
      included: true,
      decision: {
        choice: `bundled (Calico ${bundledTag}${native ? ', native projectcalico.org/v3' : ''})`,
        reason: bundledTag === version.tag
          ? `the ${kind} of the release, shipped with the library, are the first stage of the output (no network at synth)`
          : `the ${kind} of the line's reference release ${bundledTag}, shipped with the library, are the first stage of the output (no network at synth)`
            + (native ? '' : `; CrdSource.upstreamRelease() fetches ${version.tag}'s own`),
      },
    };
  }
  if (native) {
    // Upstream publishes the v3 CRDs only inside its whole native install (calico-v3-crds.yaml).
    return {
      included: false,
      manualStep: {
        description: `Calico ${version.tag} native v3 CRDs, the CustomResourceDefinitions of upstream's calico-v3-crds.yaml (not included in this output; apply them before anything else)`,
        command: 'kubectl apply --server-side -f <your copy of the projectcalico.org/v3 CRDs>',
      },
    };
  }
  return {
    included: false,
    manualStep: {
      description: `Calico ${version.tag} CRDs (not included in this output; apply them before anything else)`,
      command: `kubectl apply --server-side -f ${CrdSource.upstreamRelease(version).locationFor(version)}`,
    },
  };
}
