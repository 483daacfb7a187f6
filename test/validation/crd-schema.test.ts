// The field-name pass and the lookups of the generated tables: which line has which kind and field,
// the messages for a field or kind of another line (their wording is stable: the constructs match
// it), the did-you-mean message for any other unknown field, at every depth.
import { CalicoVersion } from '../../src/core/calico-version';
import { crdFieldOf, crdKindOf, isCrdKind, kindVersionNote, lineChangeNote, v3KindOf } from '../../src/validation/crd-schema';
import { validateManifest } from '../../src/validation/validate';

const V31 = CalicoVersion.V3_31_7;
const V32 = CalicoVersion.V3_32_1;

function messages(kind: string, spec: unknown, version?: CalicoVersion): string[] {
  return validateManifest({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'default' }, spec }, version).map(i => `${i.path}: ${i.message}`);
}

describe('the wording of a line change', () => {
  test('a field or kind a newer line added', () => {
    expect(lineChangeNote('keepaliveTime', ['v3.32'], V31)).toBe('keepaliveTime is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1');
    expect(lineChangeNote('kind StagedNetworkPolicy', ['v3.32'], V31))
      .toBe('kind StagedNetworkPolicy is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1');
  });

  test('a field or kind the newer line removed', () => {
    expect(lineChangeNote('iptablesLockTimeout', ['v3.31'], V32)).toBe('iptablesLockTimeout was removed in Calico v3.32 (v3.31 has it); remove it or use CalicoVersion.V3_31_7');
    expect(lineChangeNote('kind Profile', ['v3.31'], V32)).toBe('kind Profile was removed in Calico v3.32 (v3.31 has it); remove it or use CalicoVersion.V3_31_7');
  });

  test('nothing for what the chosen line has, or no supported line has', () => {
    expect(lineChangeNote('x', [], V32)).toBeUndefined();
    expect(kindVersionNote('Tier', V31)).toBeUndefined();
    expect(kindVersionNote('Profile', V31)).toBeUndefined();
  });

  test('a later patch of a line answers for its line', () => {
    expect(lineChangeNote('keepaliveTime', ['v3.32'], CalicoVersion.patch('v3.31.9'))).toContain('not in Calico v3.31 (added in v3.32)');
  });
});

describe('lookups', () => {
  test('kinds by their v3 and storage names', () => {
    expect(v3KindOf('IPAMConfig')).toBe('IPAMConfiguration');
    expect(crdKindOf('IPAMConfig', V32)).toBe(crdKindOf('IPAMConfiguration', V32));
    expect(isCrdKind('Node')).toBe(false);
    expect(isCrdKind('constructor')).toBe(false);
    expect(crdKindOf('NetworkPolicy', V32)?.namespaced).toBe(true);
  });

  test('fields by schema path, per line', () => {
    expect(crdFieldOf('BGPFilter', 'spec.exportV4[].priority', V32)).toEqual({ type: 'integer', minimum: 1, maximum: 2147483646 });
    expect(crdFieldOf('BGPFilter', 'spec.exportV4[].priority', V31)).toBeUndefined();
    expect(crdFieldOf('IPPool', 'spec.ipip.mode', V31)?.type).toBe('string');
    expect(crdFieldOf('IPPool', 'spec.ipip', V32)).toBeUndefined();
    expect(crdFieldOf('FelixConfiguration', 'spec.constructor', V32)).toBeUndefined();
    expect(crdFieldOf('GlobalNetworkPolicy', 'metadata.name', V32)).toBeUndefined();
  });
});

describe('the field-name pass', () => {
  test('names the line of a field of another line at any depth, once', () => {
    expect(messages('BGPPeer', { peerIP: '10.0.0.1', asNumber: 65001, keepaliveTime: '20s' }, V31)).toEqual([
      'spec.keepaliveTime: keepaliveTime is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
    expect(messages('KubeControllersConfiguration', { controllers: { policyMigration: { enabled: 'Sometimes' } } }, V31)).toEqual([
      'spec.controllers.policyMigration: policyMigration is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });

  test('suggests the field meant, at any depth, on every line', () => {
    for (const version of [V31, V32]) {
      expect(messages('GlobalNetworkPolicy', { ingress: [{ action: 'Allow', source: { selectr: 'all()' } }] }, version)).toEqual([
        "spec.ingress[0].source.selectr: source has no field 'selectr'; did you mean 'selector'?",
      ]);
    }
  });

  test('lists the known fields when none is close (and not for a kind with many)', () => {
    expect(messages('Tier', { priority: 1 })).toEqual(["spec.priority: a Tier spec has no field 'priority'; remove it; known fields are defaultAction, order"]);
    expect(messages('FelixConfiguration', { zzz: 1 })).toEqual(["spec.zzz: a FelixConfiguration spec has no field 'zzz'; remove it"]);
  });

  test('enters only values of the types the schema has (the validator reports the others)', () => {
    expect(messages('BGPFilter', { exportV4: 'Accept' })).toEqual(['spec.exportV4: exportV4 must be a list, got string \'Accept\'; write it as a list']);
  });
});
