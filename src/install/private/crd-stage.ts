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
import { upstreamCrds, upstreamInstallOf, upstreamOperator } from './upstream-install';

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
export function renderCrdStage(owner: Construct, stageScope: () => Construct, crds: CrdSource, version: CalicoVersion, mode: CalicoApiMode, etcd: boolean, operator = false): CrdStage {
  const fail = (message: string) => new CalicoValidationError(`CalicoCluster: ${message}`, owner);
  // The cluster refuses CRDs given with etcd: Calico reads none there.
  if (etcd) return { included: false };
  if (crds.calicoVersion !== undefined && crds.calicoVersion.tag !== version.tag) {
    throw fail(`crds fetch the CRDs of Calico ${crds.calicoVersion.tag}, but the cluster installs `
      + `${version.tag}; use CrdSource.upstreamRelease() without a version to follow the cluster's release`);
  }
  if (operator) return renderOperatorCrdStage(stageScope, crds, version);
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

/**
 * The CRDs of the operator mode: upstream's operator-crds.yaml, which holds the operator.tigera.io
 * CRDs and the crd.projectcalico.org/v1 CRDs (the same as crds.yaml), from the same source choices
 * as the Calico CRDs. (The operator keeps them up to date itself: upstream's Deployment runs it with
 * `-manage-crds=true`; the output applies them first so that the Installation can be applied.)
 */
function renderOperatorCrdStage(stageScope: () => Construct, crds: CrdSource, version: CalicoVersion): CrdStage {
  const url = `https://raw.githubusercontent.com/projectcalico/calico/${(crds.calicoVersion ?? version).tag}/manifests/operator-crds.yaml`;
  if (crds.mode === 'url' || crds.mode === 'file') {
    const location = crds.mode === 'url' ? url : crds.location!;
    new Include(stageScope(), 'Crds', { url: location });
    return { included: true, decision: { choice: crds.mode === 'url' ? location : `file ${location}`, reason: 'the operator and Calico CRDs (upstream\'s operator-crds.yaml) are part of the output' } };
  }
  if (crds.mode === 'bundled') {
    const scope = new Construct(stageScope(), 'Crds');
    for (const crd of [...upstreamOperator(version).crds, ...upstreamCrds(version)]) new ApiObject(scope, crd.metadata.name, crd as any);
    const bundledTag = upstreamInstallOf(version).tag;
    return {
      included: true,
      decision: {
        choice: `bundled (Calico ${bundledTag}, with the operator's)`,
        reason: `the operator.tigera.io and Calico CRDs of ${bundledTag === version.tag ? 'the release' : `the line's reference release ${bundledTag}`} `
          + '(upstream\'s operator-crds.yaml), shipped with the library, are the first stage of the output (no network at synth); '
          + 'the operator keeps them up to date afterwards (-manage-crds=true)',
      },
    };
  }
  return {
    included: false,
    manualStep: {
      description: `Calico ${version.tag} operator and Calico CRDs, upstream's operator-crds.yaml (not included in this output; apply them before anything else)`,
      command: `kubectl apply --server-side -f ${url}`,
    },
  };
}
