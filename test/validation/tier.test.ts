// Tier: libcalico-go's validateTier and TierSpec tags (validator_test.go "Tier:" cases of v3.31.7 and
// v3.32.1), the built-in tiers of each line (calico-lines.ts), and v3.32's CEL rules on their
// default actions. Calico fills in an absent order (1,000,000) and default action (Deny) first.
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function tier(name: string, spec?: unknown, apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind: 'Tier', metadata: { name }, spec };
}

function messages(m: any, version?: CalicoVersion): string[] {
  return validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
}

describe.each(EACH_LINE)('Tier: upstream validator cases (%s)', (_line, version) => {
  test.each<[string, any, boolean]>([
    ['Tier: valid name', tier('foo', { order: 100 }), true],
    ['Tier: valid name with dash', tier('fo-oo', { order: 100 }), true],
    ['Tier: disallow dot in name', tier('fo.oo', { order: 100 }), false],
    ['Tier: allow valid name of 63 chars', tier('a'.repeat(63), { order: 100 }), true],
    ['Tier: disallow a name of 64 chars', tier('a'.repeat(64), { order: 100 }), false],
    ['Tier: disallow other chars', tier('t~!s.h.i.ng', { order: 100 }), false],
    ['Tier: disallow default tier with an invalid order', tier('default', { order: 10 }), false],
    ['Tier: allow default tier with the predefined order', tier('default', { order: 1_000_000 }), true],
    ['Tier: allow a tier with a valid order', tier('foo', { order: 100 }), true],
    ['should accept an empty Tier spec', tier('valid-tier', {}), true],
    ['a Tier without a spec', tier('valid-tier'), true],
    ['defaultAction Pass', tier('foo', { defaultAction: 'Pass' }), true],
    ['defaultAction Allow is not a tier action', tier('foo', { defaultAction: 'Allow' }), false],
    ['order as text', tier('foo', { order: '100' }), false],
  ])('%s', (_name, m, valid) => {
    const found = messages(m, version);
    expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
  });
});

// The built-in tiers differ per line: v3.32 has kube-admin and kube-baseline (and fixes their
// default actions: the Tier CRD's CEL rules), v3.31 adminnetworkpolicy and baselineadminnetworkpolicy.
describe('Tier: the built-in tiers per line', () => {
  test.each<[string, any, boolean]>([
    ['Tier: allow kube-admin tier with the predefined order and default action', tier('kube-admin', { order: 1000, defaultAction: 'Pass' }), true],
    ['Tier: disallow kube-admin tier with an invalid order', tier('kube-admin', { order: 10, defaultAction: 'Pass' }), false],
    ['Tier: disallow kube-admin tier with an invalid default action', tier('kube-admin', { order: 1000, defaultAction: 'Deny' }), false],
    ['a kube-admin tier without a default action (Deny)', tier('kube-admin', { order: 1000 }), false],
    ['Tier: allow kube-baseline tier with the predefined order and default action', tier('kube-baseline', { order: 10_000_000, defaultAction: 'Pass' }), true],
    ['Tier: disallow kube-baseline tier with an invalid order', tier('kube-baseline', { order: 1000, defaultAction: 'Pass' }), false],
    ['Tier: disallow kube-baseline tier with an invalid default action', tier('kube-baseline', { order: 10_000_000, defaultAction: 'Deny' }), false],
    ['Tier: disallow default tier with an invalid default action', tier('default', { order: 1_000_000, defaultAction: 'Pass' }), false],
    ['Tier: allow default tier with the predefined order and default action', tier('default', { order: 1_000_000, defaultAction: 'Deny' }), true],
    ['the v3.31 tier adminnetworkpolicy is an ordinary name on v3.32', tier('adminnetworkpolicy', { order: 5 }), true],
  ])('v3.32: %s', (_name, m, valid) => {
    const found = messages(m);
    expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
  });

  test.each<[string, any, boolean]>([
    ['Tier: allow adminnetworkpolicy tier with the predefined order', tier('adminnetworkpolicy', { order: 1000 }), true],
    ['Tier: disallow adminnetworkpolicy tier with an invalid order', tier('adminnetworkpolicy', { order: 10 }), false],
    ['Tier: allow baselineadminnetworkpolicy tier with the predefined order', tier('baselineadminnetworkpolicy', { order: 10_000_000 }), true],
    ['Tier: disallow baselineadminnetworkpolicy tier with an invalid order', tier('baselineadminnetworkpolicy', { order: 1000 }), false],
    ['v3.31 does not fix the default actions', tier('default', { order: 1_000_000, defaultAction: 'Pass' }), true],
    ['the v3.32 tier kube-admin is an ordinary name on v3.31', tier('kube-admin', { order: 5 }), true],
  ])('v3.31: %s', (_name, m, valid) => {
    const found = messages(m, CalicoVersion.V3_31_7);
    expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
  });

  test('names the order and the default action a built-in tier must keep', () => {
    expect(messages(tier('kube-admin', {}))).toEqual([
      "spec.order: the tier 'kube-admin' is one Calico v3.32 creates itself, with order 1000, but this one has no order (so 1000000); set spec.order: 1000",
      "spec.defaultAction: the tier 'kube-admin' must have default action 'Pass' in Calico v3.32, but it has no defaultAction (so Deny); set spec.defaultAction: Pass",
    ]);
  });

  test('names the dot and the 63-character limit of tier names', () => {
    expect(messages(tier('fo.oo'))).toEqual([
      "metadata.name: Tier name 'fo.oo' must not contain '.' (policy names are '<tier>.<name>'); use lower-case letters, digits and '-' only (for example 'fo-oo')",
    ]);
    expect(messages(tier('a'.repeat(64)))[0]).toContain('1 over the 63 a tier name may have');
  });
});
