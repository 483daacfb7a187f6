// Helpers of the install-object tests (Kubernetes and etcd datastores): upstream's manifests, the
// rendered objects, and their differences.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { InstallSettings, renderInstall } from '../../src/install/private/install-objects';
import { formatDifferences, manifestDiff } from '../support/manifest-diff';
import { findObject, newChart, UPSTREAM_TYPHA_FILE, synth } from '../support/util';

/** The objects of a multi-document YAML file (documents without a kind left out). */
export function loadManifests(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS()).filter(d => d && d.kind);
}

/** Upstream's Kubernetes-datastore (Typha) manifest of Calico v3.28.5. */
export const UPSTREAM_TYPHA: any[] = loadManifests(UPSTREAM_TYPHA_FILE);

/** Upstream's etcd-datastore manifest of Calico v3.28.5 (see the fixture's header for its source). */
export const UPSTREAM_ETCD: any[] = loadManifests(path.join(__dirname, '..', 'fixtures', 'calico-etcd-v3.28.5.yaml'));

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
