// Helpers of the install-object tests (Kubernetes and etcd datastores): upstream's manifests of
// each supported release, the rendered objects, and their differences.
import * as path from 'path';
import { CalicoVersion } from '../../src/core/calico-version';
import { InstallSettings, renderInstall } from '../../src/install/private/install-objects';
import { loadManifests, upstreamEtcdFile } from '../support/generate-install-data';
import { formatDifferences, manifestDiff } from '../support/manifest-diff';
import { findObject, newChart, synth, upstreamTyphaFile } from '../support/util';

export { loadManifests };

/** The reference release of every supported line, newest first (what the parity tests hold the install against). */
export const REFERENCE_VERSIONS: readonly CalicoVersion[] = [CalicoVersion.V3_32_1, CalicoVersion.V3_31_7];

/** Upstream's Kubernetes-datastore (Typha) manifest of a release. */
export function upstreamTypha(version: CalicoVersion = CalicoVersion.DEFAULT): any[] {
  return loadManifests(upstreamTyphaFile(version.tag));
}

/** Upstream's aggregated API server manifest of a release (apiserver.yaml). */
export function upstreamApiServer(version: CalicoVersion = CalicoVersion.DEFAULT): any[] {
  return loadManifests(path.join(path.dirname(upstreamTyphaFile(version.tag)), 'apiserver.yaml'));
}

/** Upstream's etcd-datastore manifest of a release (see the fixture's header for its source). */
export function upstreamEtcd(version: CalicoVersion = CalicoVersion.DEFAULT): any[] {
  return loadManifests(upstreamEtcdFile(version.tag));
}

/** Upstream's Kubernetes-datastore (Typha) manifest of the default release, v3.32.1. */
export const UPSTREAM_TYPHA: any[] = upstreamTypha();

/** Upstream's etcd-datastore manifest of the default release, v3.32.1. */
export const UPSTREAM_ETCD: any[] = upstreamEtcd();

/** `Kind/name` of an object. */
export function idOf(o: any): string {
  return `${o.kind}/${o.metadata.name}`;
}

/** The install objects for `settings`, rendered into a fresh chart and synthesized. */
export function renderInstallObjects(settings: InstallSettings = {}): any[] {
  const chart = newChart();
  renderInstall(chart, settings);
  return synth(chart);
}

/**
 * Every difference between `upstream`'s objects and the rendered ones, one line each, naming the
 * object and field: objects rendered other than once, field differences, objects upstream lacks.
 */
export function differencesFrom(upstream: any[], rendered: any[]): string[] {
  const lines: string[] = [];
  for (const expected of upstream) {
    const matches = rendered.filter(r => r.kind === expected.kind && r.metadata?.name === expected.metadata.name);
    if (matches.length !== 1) {
      lines.push(`${idOf(expected)}: rendered ${matches.length} times, expected once`);
      continue;
    }
    lines.push(...formatDifferences(`${idOf(expected)}: `, manifestDiff(expected, matches[0])));
  }
  for (const r of rendered) {
    if (!upstream.some(u => u.kind === r.kind && u.metadata.name === r.metadata?.name)) lines.push(`${idOf(r)}: not in upstream`);
  }
  return lines;
}

/** The pod spec of a workload (DaemonSet, Deployment) of a kind and name. */
export function podSpec(manifests: any[], kind: string, name: string): any {
  return findObject(manifests, kind, name).spec.template.spec;
}

/** A container's environment as name -> value (or its `valueFrom`). */
export function envOf(container: any): Record<string, any> {
  return Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}
