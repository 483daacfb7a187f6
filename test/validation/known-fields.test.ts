// The generated tables must hold exactly the kinds and field trees of each supported line's CRDs
// (read here on their own, not through the generator), so that the field-name pass flags typos
// and fields of another line, and nothing else; the hand-written check tables name only fields
// some line has.
import * as fs from 'fs';
import * as YAML from 'yaml';
import { CALICO_LINES } from '../../src/core/private/calico-lines';
import { crdFieldOf } from '../../src/validation/crd-schema';
import { FELIX_FIELDS } from '../../src/validation/felix-configuration';
import { KUBE_CONTROLLERS_FIELDS } from '../../src/validation/kube-controllers-configuration';
import { CRD_LINES } from '../../src/validation/private/crd-fields';
import type { CrdField } from '../../src/validation/private/crd-types';
import { SUPPORTED_KINDS } from '../../src/validation/validate';
import { calicoCrdsFile } from '../support/util';
import { LINE_VERSIONS } from '../support/versions';

/** Kinds Calico writes for itself, which the tables leave out. */
const INTERNAL_KINDS = ['BlockAffinity', 'ClusterInformation', 'IPAMBlock', 'IPAMHandle'];

function crds(version: typeof LINE_VERSIONS[number]): Map<string, any> {
  const docs = YAML.parseAllDocuments(fs.readFileSync(calicoCrdsFile(version), 'utf8')).map(d => d.toJS())
    .filter(d => d?.kind === 'CustomResourceDefinition' && d.spec.group === 'crd.projectcalico.org');
  return new Map(docs.map(d => [d.spec.names.kind === 'IPAMConfig' ? 'IPAMConfiguration' : d.spec.names.kind,
    d.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema]));
}

/** Every path of a schema's field tree: `spec.exportV4[].cidr`, `spec.labels{}`. */
function schemaPaths(schema: any, path: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  for (const [name, child] of Object.entries<any>(schema.properties ?? {})) {
    out.push(`${path}.${name}`);
    schemaPaths(child, `${path}.${name}`, out);
  }
  if (schema.items) schemaPaths(schema.items, `${path}[]`, out);
  if (typeof schema.additionalProperties === 'object') schemaPaths(schema.additionalProperties, `${path}{}`, out);
  return out;
}

function tablePaths(field: CrdField | undefined, path: string, out: string[]): string[] {
  if (!field) return out;
  for (const [name, child] of Object.entries(field.fields ?? {})) {
    out.push(`${path}.${name}`);
    tablePaths(child, `${path}.${name}`, out);
  }
  tablePaths(field.items, `${path}[]`, out);
  tablePaths(field.values, `${path}{}`, out);
  return out;
}

describe.each(LINE_VERSIONS.map(v => [v.line, v] as const))('the generated tables of %s', (line, version) => {
  const schemas = crds(version);
  const table = CRD_LINES[line];

  test('come from the line\'s reference release', () => {
    expect(table.referenceTag).toBe(CALICO_LINES.find(l => l.line === line)!.referenceTag);
  });

  test('hold every kind users write, and only those', () => {
    const expected = [...schemas.keys()].filter(k => !INTERNAL_KINDS.includes(k)).sort();
    expect(Object.keys(table.kinds).sort()).toEqual(expected);
    for (const kind of expected) expect(SUPPORTED_KINDS).toContain(kind);
  });

  test('hold each kind\'s field tree exactly (names, nesting, lists, maps)', () => {
    for (const [kind, k] of Object.entries(table.kinds)) {
      const schema = schemas.get(kind);
      expect({ kind, paths: [...tablePaths(k.spec, 'spec', []), ...tablePaths(k.status, 'status', [])].sort() })
        .toEqual({ kind, paths: [...schemaPaths(schema.properties.spec, 'spec', []), ...schemaPaths(schema.properties.status, 'status', [])].sort() });
      expect(k.namespaced).toBe(kind === 'NetworkPolicy' || kind === 'NetworkSet' || kind.startsWith('Staged') && kind !== 'StagedGlobalNetworkPolicy');
    }
  });
});

describe('the hand-written check tables', () => {
  test('check only FelixConfiguration fields that some supported line has', () => {
    const stale = Object.keys(FELIX_FIELDS).filter(k => !LINE_VERSIONS.some(v => crdFieldOf('FelixConfiguration', `spec.${k}`, v)));
    expect(stale).toEqual([]);
  });

  test('check only KubeControllersConfiguration fields that some supported line has', () => {
    const stale = Object.keys(KUBE_CONTROLLERS_FIELDS).filter(k => !LINE_VERSIONS.some(v => crdFieldOf('KubeControllersConfiguration', `spec.${k}`, v)));
    expect(stale).toEqual([]);
  });
});
