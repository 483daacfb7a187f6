// StagedGlobalNetworkPolicy and StagedNetworkPolicy: the rules of their enforced kinds, a
// stagedAction (Set, Delete, Learn, Ignore), and a staged Delete that carries only its tier
// (validator_test.go of v3.31.7 and v3.32.1, and the clientv3 that clears types on a Delete).
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function sgnp(spec: unknown, name = 'thing'): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'StagedGlobalNetworkPolicy', metadata: { name }, spec };
}

function snp(spec: unknown, name = 'thing'): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name, namespace: 'shop' }, spec };
}

describe.each(EACH_LINE)('staged Calico policies: upstream validator cases (%s)', (_line, version) => {
  test.each<[string, any, boolean]>([
    ['disallow name with invalid character', sgnp({ stagedAction: 'Set', selector: 'foo == "bar"' }, 't~!s.h.i.ng'), false],
    ['disallow name with mixed case characters', sgnp({ stagedAction: 'Set', selector: 'foo == "bar"' }, 'tHiNg'), false],
    ['allow valid name', sgnp({ stagedAction: 'Set', selector: 'foo == "bar"' }), true],
    ['disallow k8s policy name', sgnp({ stagedAction: 'Set', selector: 'foo == "bar"' }, 'knp.default.thing'), false],
    ['disallow name with dot', sgnp({ stagedAction: 'Set', selector: 'foo == "bar"' }, 't.h.i.ng'), false],
    ["should accept a valid StagedAction value 'Set'", sgnp({ stagedAction: 'Set', selector: 'foo == "bar"' }), true],
    ['should accept an unset StagedAction', sgnp({ selector: 'foo == "bar"' }), true],
    ["should accept a valid StagedAction value 'Delete'", sgnp({ stagedAction: 'Delete', tier: 'eng' }, 'eng.thing'), true],
    ["should reject a valid StagedAction value 'Delete' if any other Spec field is set", sgnp({ stagedAction: 'Delete', selector: 'foo == "bar"' }), false],
    ["should reject a StagedAction value 'Warning'", sgnp({ stagedAction: 'Warning', selector: 'foo == "bar"' }), false],
    ['should accept an empty StagedAction value', sgnp({ stagedAction: '', selector: 'foo == "bar"' }), true],
    ['should accept an empty selector value when StagedAction is Delete', sgnp({ stagedAction: 'Delete' }), true],
    ['a staged Delete whose types Calico clears', sgnp({ stagedAction: 'Delete', types: ['Ingress'] }), true],
    ['stagedAction Learn', sgnp({ stagedAction: 'Learn', selector: 'all()' }), true],
    ['a staged policy keeps the rules of its kind: preDNAT without applyOnForward', sgnp({ preDNAT: true }), false],
    ['allow valid name (snp)', snp({ stagedAction: 'Set', selector: 'foo == "bar"' }), true],
    ['disallow name with dot (snp)', snp({ stagedAction: 'Set' }, 't.h.i.ng'), false],
    ['disallow name with mixed case (snp)', snp({ stagedAction: 'Set' }, 'tHiNg'), false],
    ['allow valid name of 253 chars (snp)', snp({ stagedAction: 'Set' }, 'x'.repeat(253)), true],
    ['disallow a name of 254 chars (snp)', snp({ stagedAction: 'Set' }, 'x'.repeat(254)), false],
    ['allow k8s policy name (snp)', snp({ stagedAction: 'Set' }, 'knp.default.thing'), true],
    ["should reject a valid StagedAction value 'Delete' if any other Spec field is set (snp)", snp({ stagedAction: 'Delete', selector: 'foo == "bar"' }), false],
    ['should accept an empty Selector when StagedAction is Delete (snp)', snp({ stagedAction: 'Delete' }), true],
    ['a staged rule keeps the rules of its kind: HTTP in egress (snp)', snp({ egress: [{ action: 'Allow', http: { methods: ['GET'] } }] }), false],
  ])('%s', (_name, m, valid) => {
    const found = validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
    expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
  });
});

describe('staged Calico policies: messages and per-line names', () => {
  test('a staged Delete names every field it may not carry', () => {
    expect(validateManifest(sgnp({ stagedAction: 'Delete', selector: 'all()', order: 10, doNotTrack: false }))).toEqual([
      { path: 'spec.selector', message: 'selector cannot be set when stagedAction is Delete: a staged delete carries only tier and stagedAction; remove selector' },
      { path: 'spec.order', message: 'order cannot be set when stagedAction is Delete: a staged delete carries only tier and stagedAction; remove order' },
    ]);
  });

  test('v3.31: a staged policy of a tier is named <tier>.<name>, as an enforced one', () => {
    expect(validateManifest(snp({ tier: 'eng', stagedAction: 'Delete' }), CalicoVersion.V3_31_7).map(i => i.path)).toEqual(['metadata.name']);
    expect(validateManifest(snp({ tier: 'eng', stagedAction: 'Delete' }))).toEqual([]);
  });
});
