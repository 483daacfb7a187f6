import * as path from 'path';
import { ValidateFunction } from 'ajv';
import { App, Chart, Testing } from 'cdk8s';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoCluster } from '../../src/install/calico-cluster';
import { CALICO_LINES } from '../../src/core/private/calico-lines';
import { closeObjects, newCrdAjv, readCrds } from './crd-schema';

/** The repository's root folder. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The vendored Calico reference data (reference-data/calico/<version>/, see its README). */
export const REFERENCE_DATA = path.join(REPO_ROOT, 'reference-data', 'calico');

/** Upstream's crd.projectcalico.org/v1 CRDs of a supported line (reference-data/calico/<tag>/crds.yaml). */
export function calicoCrdsFile(version: CalicoVersion = CalicoVersion.DEFAULT): string {
  const line = CALICO_LINES.find(l => l.line === version.line);
  if (!line) throw new Error(`no reference data for Calico ${version.line}`);
  return path.join(REFERENCE_DATA, line.referenceTag, 'crds.yaml');
}

/** Upstream's crd.projectcalico.org/v1 CRDs of the default line (CalicoVersion.DEFAULT). */
export const CALICO_CRDS_FILE = calicoCrdsFile();

/** Upstream's manifest install with Typha (calico-typha.yaml, CRDs removed) of a release, e.g. 'v3.32.1': the parity reference. */
export function upstreamTyphaFile(tag: string): string {
  return path.join(REFERENCE_DATA, tag, 'install-typha.yaml');
}

/** A fresh chart in a fresh test app. */
export function newChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

/**
 * The app's charts in synthesis order. A CalicoCluster links its stage charts (the dependencies
 * that order them) when the app is synthesized or its stages are read: read them first.
 */
export function orderedCharts(app: App): Chart[] {
  for (const c of app.node.findAll()) if (c instanceof CalicoCluster) void c.stageCharts;
  return app.charts;
}

/** Synthesizes a chart into plain manifest objects. */
export function synth(chart: Chart): any[] {
  // A CalicoCluster writes its output in stages, charts beside its own: the app's charts, in order.
  const app = App.of(chart) as App;
  const charts = orderedCharts(app);
  if (charts.length === 1) return Testing.synth(chart);
  const out: any[] = [];
  for (const c of charts) out.push(...Testing.synth(c));
  return out;
}

/** The one object of a kind and name, or a failing assertion listing what is there. */
export function findObject(manifests: any[], kind: string, name: string, namespace?: string): any {
  const found = manifests.filter(m => m.kind === kind && m.metadata?.name === name
    && (namespace === undefined || m.metadata?.namespace === namespace));
  if (found.length !== 1) {
    const have = manifests.map(m => `${m.kind}/${m.metadata?.name}`).join(', ');
    throw new Error(`expected exactly one ${kind} '${name}', found ${found.length}; objects: ${have}`);
  }
  return found[0];
}

/** All objects of a kind. */
export function findAll(manifests: any[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}

/** Calls `fn` and returns the error it throws (failing when it does not throw). */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Synthesizes a whole app (running construct validations) and returns its charts' manifests. */
export function synthApp(app: App): any[] {
  const out: any[] = [];
  for (const chart of orderedCharts(app)) out.push(...Testing.synth(chart));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Calico CRD schema check
// ---------------------------------------------------------------------------------------------

/** The compiled CRD schemas of each line, by kind (v3 and storage names). */
const crdValidators = new Map<string, Map<string, ValidateFunction>>();

function loadCrdValidators(version: CalicoVersion): Map<string, ValidateFunction> {
  const loaded = crdValidators.get(version.line);
  if (loaded) return loaded;
  const ajv = newCrdAjv();
  const docs = readCrds(calicoCrdsFile(version)).filter(d => d.spec.group === 'crd.projectcalico.org');
  const validators = new Map<string, ValidateFunction>();
  for (const crd of docs) {
    const version = crd.spec.versions.find((v: any) => v.name === 'v1');
    const specSchema = version.schema.openAPIV3Schema.properties.spec;
    if (!specSchema) continue;
    const validator = ajv.compile(closeObjects(specSchema));
    validators.set(crd.spec.names.kind, validator);
    // The projectcalico.org/v3 name of the storage kind IPAMConfig.
    if (crd.spec.names.kind === 'IPAMConfig') validators.set('IPAMConfiguration', validator);
  }
  crdValidators.set(version.line, validators);
  return validators;
}

/**
 * Checks the spec of every Calico object (either API group) against the crd.projectcalico.org/v1
 * CRD schemas of a supported line (default: CalicoVersion.DEFAULT), treating undeclared fields as
 * errors. Returns a list of `Kind/name: problem` strings.
 */
export function crdSchemaErrors(manifests: any[], version: CalicoVersion = CalicoVersion.DEFAULT): string[] {
  const validators = loadCrdValidators(version);
  const errors: string[] = [];
  for (const m of manifests) {
    if (typeof m.apiVersion !== 'string' || !/(^|\.)projectcalico\.org\//.test(m.apiVersion)) continue;
    const v = validators.get(m.kind);
    const id = `${m.kind}/${m.metadata?.name}`;
    if (!v) {
      if (m.kind !== 'Node') errors.push(`${id}: no CRD schema for kind ${m.kind}`);
      continue;
    }
    if (m.spec === undefined) continue;
    if (!v(m.spec)) {
      for (const e of v.errors ?? []) errors.push(`${id}: spec${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  return errors;
}

/** Jest-friendly: expects every Calico object to pass the CRD schemas of a line (default: CalicoVersion.DEFAULT). */
export function expectCrdSchemaValid(manifests: any[], version: CalicoVersion = CalicoVersion.DEFAULT): void {
  expect(crdSchemaErrors(manifests, version)).toEqual([]);
}
