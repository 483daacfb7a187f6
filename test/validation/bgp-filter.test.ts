import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function filter(spec: unknown, apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind: 'BGPFilter', metadata: { name: 'default' }, spec };
}

function messages(m: any, version?: CalicoVersion): string[] {
  return validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
}

/** Asserts the verdict and shows the messages when it is wrong. */
function expectVerdict(m: any, valid: boolean, version?: CalicoVersion): void {
  const found = messages(m, version);
  expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
}

// Cases ported from libcalico-go/lib/validator/v3/validator_test.go: the same verdicts at v3.31.7
// and v3.32.1.
describe.each(EACH_LINE)('BGPFilter: upstream validator cases (%s)', (_line, lineVersion) => {
  type Case = [string, 4 | 6, Record<string, unknown>, boolean];
  test.each<Case>([
    ['should reject invalid BGPFilter rule-v4 interface - 1', 4, { interface: 'eth&', action: 'Reject' }, false],
    ['should reject invalid BGPFilter rule-v4 interface - 2', 4, { interface: '%face', action: 'Reject' }, false],
    ['should reject invalid BGPFilter rule-v4 interface - 3', 4, { interface: '"ace', action: 'Reject' }, false],
    ['should reject invalid BGPFilter rule-v6 interface - 1', 6, { interface: '$cali', action: 'Reject' }, false],
    ['should reject invalid BGPFilter rule-v6 interface - 2', 6, { interface: 'eth#', action: 'Reject' }, false],
    ['should reject invalid BGPFilter rule-v6 interface - 3', 6, { interface: '"face', action: 'Reject' }, false],
    ['should accept valid BGPFilter rule-v4 interface - 1', 4, { interface: 'ethx', source: 'RemotePeers', cidr: '192.168.0.0/26', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept valid BGPFilter rule-v4 interface - 2', 4, { interface: '*.calico', cidr: '192.168.0.0/26', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept valid BGPFilter rule-v4 interface - 3', 4, { interface: 'eth*', source: 'RemotePeers', action: 'Accept' }, true],
    ['should accept valid BGPFilter rule-v6 interface - 1', 6, { interface: 'ethx', source: 'RemotePeers', cidr: 'ffee::/64', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept valid BGPFilter rule-v6 interface - 2', 6, { interface: '*.calico', cidr: 'ee2::dddd/128', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept valid BGPFilter rule-v6 interface - 3', 6, { interface: '*.calico', source: 'RemotePeers', action: 'Accept' }, true],
    ['should accept BGPFilter with only rule-v4 interface - 1', 4, { interface: 'ethx', action: 'Accept' }, true],
    ['should accept BGPFilter with only rule-v4 interface - 2', 4, { interface: 'eth*', action: 'Accept' }, true],
    ['should accept BGPFilter with only rule-v6 interface - 1', 6, { interface: 'ethx.', action: 'Accept' }, true],
    ['should accept BGPFilter with only rule-v6 interface - 2', 6, { interface: '*.calico', action: 'Accept' }, true],
    ['should reject invalid BGPFilter rule-v4 source', 4, { source: 'xyz', action: 'Reject' }, false],
    ['should reject invalid BGPFilter rule-v6 source', 6, { source: 'xyz', action: 'Reject' }, false],
    ['should accept valid BGPFilter rule-v4 source', 4, { source: 'RemotePeers', cidr: '192.168.0.0/26', matchOperator: 'In', action: 'Reject' }, true],
    ['should accept valid BGPFilter rule-v6 source', 6, { source: 'RemotePeers', cidr: 'ffee::/64', matchOperator: 'In', action: 'Reject' }, true],
    ['should accept BGPFilter rule with only source set - 1', 4, { source: 'RemotePeers', action: 'Reject' }, true],
    ['should accept BGPFilter rule with only source set - 2', 6, { source: 'RemotePeers', action: 'Reject' }, true],
    ['should accept BGPFilter rule with valid IPv4 CIDR', 4, { cidr: '192.168.0.0/26', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept BGPFilter rule with valid IPv6 CIDR', 6, { cidr: 'ffee::/64', matchOperator: 'In', action: 'Accept' }, true],
    ['should reject BGPFilter rule with invalid IPv4 CIDR - 1', 4, { cidr: 'x.x.x.x/26', matchOperator: 'In', action: 'Accept' }, false],
    ['should reject BGPFilter rule with invalid IPv4 CIDR - 2', 4, { cidr: 'ffee::/64', matchOperator: 'In', action: 'Accept' }, false],
    ['should reject BGPFilter rule with invalid IPv6 CIDR - 1', 6, { cidr: 'xxxx::/64', matchOperator: 'In', action: 'Accept' }, false],
    ['should reject BGPFilter rule with invalid IPv6 CIDR - 2', 6, { cidr: '10.0.10.0/32', matchOperator: 'In', action: 'Accept' }, false],
    ['should reject BGPFilter rule with invalid operator - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'fancyOperator', action: 'Accept' }, false],
    ['should reject BGPFilter rule with invalid operator - 2', 6, { cidr: 'ffff::/128', matchOperator: 'fancyOperator', action: 'Accept' }, false],
    ['should accept BGPFilter rule with In operator - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept BGPFilter rule with In operator - 2', 6, { cidr: 'ffff::/128', matchOperator: 'In', action: 'Accept' }, true],
    ['should accept BGPFilter rule with NotIn operator - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'NotIn', action: 'Accept' }, true],
    ['should accept BGPFilter rule with NotIn operator - 2', 6, { cidr: 'ffff::/128', matchOperator: 'NotIn', action: 'Accept' }, true],
    ['should accept BGPFilter rule with Equal operator - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'Equal', action: 'Accept' }, true],
    ['should accept BGPFilter rule with Equal operator - 2', 6, { cidr: 'ffff::/128', matchOperator: 'Equal', action: 'Accept' }, true],
    ['should accept BGPFilter rule with NotEqual operator - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'NotEqual', action: 'Accept' }, true],
    ['should accept BGPFilter rule with NotEqual operator - 2', 6, { cidr: 'ffff::/128', matchOperator: 'NotEqual', action: 'Accept' }, true],
    ['should reject BGPFilter rule with no CIDR when MatchOperator is set - 1', 4, { matchOperator: 'NotEqual', action: 'Reject' }, false],
    ['should reject BGPFilter rule with no CIDR when MatchOperator is set - 2', 6, { matchOperator: 'NotEqual', action: 'Reject' }, false],
    ['should reject BGPFilter rule with no MatchOperator when CIDR is set - 1', 4, { cidr: '10.0.10.0/32', action: 'Reject' }, false],
    ['should reject BGPFilter rule with no MatchOperator when CIDR is set - 2', 6, { cidr: 'ffff::/128', action: 'Reject' }, false],
    ['should reject BGPFilter rule with invalid Action - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'NotEqual', action: 'ActionX' }, false],
    ['should reject BGPFilter rule with invalid action - 2', 6, { cidr: 'ffff::/128', matchOperator: 'NotEqual', action: 'ActionX' }, false],
    ['should accept BGPFilter rule with Accept action - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'NotEqual', action: 'Accept' }, true],
    ['should accept BGPFilter rule with Accept action - 2', 6, { cidr: 'ffff::/128', matchOperator: 'NotEqual', action: 'Accept' }, true],
    ['should accept BGPFilter rule with Reject action - 1', 4, { cidr: '10.0.10.0/32', matchOperator: 'NotEqual', action: 'Reject' }, true],
    ['should accept BGPFilter rule with Reject action - 2', 6, { cidr: 'ffff::/128', matchOperator: 'NotEqual', action: 'Reject' }, true],
    ['should reject BGPFilter rule with no action - 1', 4, { matchOperator: 'NotEqual', cidr: '10.0.10.0/32' }, false],
    ['should reject BGPFilter rule with no action - 2', 6, { matchOperator: 'NotEqual', cidr: 'ffff::/128' }, false],
    ['should accept BGPFilter rule with just an action - 1', 4, { action: 'Reject' }, true],
    ['should accept BGPFilter rule with just an action - 2', 6, { action: 'Reject' }, true],
    ['should accept BGPFilterV4 rule with PrefixLength Min set', 4, { cidr: '10.0.10.0/24', matchOperator: 'In', action: 'Reject', prefixLength: { min: 25 } }, true],
    ['should accept BGPFilterV4 rule with PrefixLength Max set', 4, { cidr: '10.0.10.0/24', matchOperator: 'In', action: 'Reject', prefixLength: { max: 30 } }, true],
    ['should reject BGPFilterV4 rule with PrefixLength Max is out-of-bounds', 4, { cidr: '10.0.10.0/24', matchOperator: 'In', action: 'Reject', prefixLength: { max: 64 } }, false],
    ['should reject BGPFilterV4 rule with PrefixLength populated and CIDR missing', 4, { interface: 'ethx.', action: 'Reject', prefixLength: { min: 16 } }, false],
    ['should accept BGPFilterV6 rule with PrefixLength Min set', 6, { cidr: 'ffff::/128', matchOperator: 'In', action: 'Reject', prefixLength: { min: 65 } }, true],
    ['should accept BGPFilterV6 rule with PrefixLength Max set', 6, { cidr: 'ffff::/128', matchOperator: 'In', action: 'Reject', prefixLength: { max: 96 } }, true],
    ['should reject BGPFilterV6 rule with PrefixLength Min is negative', 6, { cidr: 'ffff::/128', matchOperator: 'In', action: 'Reject', prefixLength: { min: -16 } }, false],
    ['should reject BGPFilterV6 rule with PrefixLength populated and CIDR missing', 6, { interface: '*.calico', action: 'Reject', prefixLength: { min: 120 } }, false],
  ])('%s', (_name, version, rule, valid) => {
    // Each rule is checked in both the import and the export list of its family.
    expectVerdict(filter({ [`export${version === 4 ? 'V4' : 'V6'}`]: [rule] }), valid, lineVersion);
    expectVerdict(filter({ [`import${version === 4 ? 'V4' : 'V6'}`]: [rule] }), valid, lineVersion);
  });
});

describe('BGPFilter: other rules', () => {
  test('names the rule list and index of a family mismatch', () => {
    expect(messages(filter({ importV6: [{ action: 'Accept' }, { cidr: '10.0.0.0/8', matchOperator: 'In', action: 'Accept' }] }))).toEqual([
      "spec.importV6[1].cidr: cidr '10.0.0.0/8' is IPv4 in an IPv6 rule list; move the rule to the V4 list or use an IPv6 CIDR like 'fd00::/8'",
    ]);
  });

  test('rejects a CIDR with host bits and a min prefix length above max', () => {
    expect(messages(filter({ exportV4: [{ cidr: '10.0.0.1/8', matchOperator: 'In', action: 'Accept' }] }))[0])
      .toContain("use the network address '10.0.0.0/8'");
    expect(messages(filter({ exportV4: [{ cidr: '10.0.0.0/8', matchOperator: 'In', action: 'Accept', prefixLength: { min: 28, max: 24 } }] })))
      .toEqual(['spec.exportV4[0].prefixLength: prefixLength min 28 is above max 24; swap them']);
  });

  test('reports a non-object rule and an unknown rule field', () => {
    expect(messages(filter({ exportV4: ['Accept'] }))[0]).toMatch(/^spec\.exportV4\[0\]: exportV4\[0\] must be an object/);
    expect(messages(filter({ exportV4: [{ action: 'Accept', operator: 'In' }] }))[0]).toContain("has no field 'operator'");
  });
});

// The match fields and operations of v3.32 (bgpfilter.go tags, validateBGPFilterOperation, the
// BGPFilter CRD's CEL rule "operations may only be used with action Accept"); validator_test.go of
// v3.32.1 for the operation cases.
describe('BGPFilter: v3.32 match fields and operations', () => {
  const op = (o: unknown) => filter({ exportV4: [{ action: 'Accept', operations: [o] }] });
  test.each<[string, any, boolean]>([
    ['should accept BGPFilterOperation with AddCommunity set', op({ addCommunity: { value: '65000:100' } }), true],
    ['should accept BGPFilterOperation with PrependASPath set', op({ prependASPath: { prefix: [65000] } }), true],
    ['should accept BGPFilterOperation with SetPriority set', op({ setPriority: { value: 256 } }), true],
    ['should reject BGPFilterOperation with no fields set', op({}), false],
    ['should reject BGPFilterOperation with two fields set', op({ addCommunity: { value: '65000:100' }, setPriority: { value: 256 } }), false],
    ['should reject BGPFilterOperation with all fields set',
      op({ addCommunity: { value: '65000:100' }, prependASPath: { prefix: [65000] }, setPriority: { value: 256 } }), false],
    ['should accept BGPFilterRuleV4 with multiple operations',
      filter({ exportV4: [{ action: 'Accept', operations: [{ addCommunity: { value: '65000:100' } }, { prependASPath: { prefix: [65000] } }] }] }), true],
    ['operations on a Reject rule', filter({ importV6: [{ action: 'Reject', operations: [{ setPriority: { value: 10 } }] }] }), false],
    ['a large community to add', op({ addCommunity: { value: '65000:100:200' } }), true],
    ['a community to add out of range', op({ addCommunity: { value: '65536:1' } }), false],
    ['addCommunity without a value', op({ addCommunity: {} }), false],
    ['prependASPath without a prefix', op({ prependASPath: {} }), false],
    ['prependASPath with eleven AS numbers', op({ prependASPath: { prefix: Array(11).fill(65000) } }), false],
    ['setPriority 0', op({ setPriority: { value: 0 } }), false],
    ['eleven operations', filter({ exportV4: [{ action: 'Accept', operations: Array(11).fill({ setPriority: { value: 5 } }) }] }), false],
    ['peerType eBGP', filter({ exportV4: [{ action: 'Reject', peerType: 'eBGP' }] }), true],
    ['peerType ebgp', filter({ exportV4: [{ action: 'Reject', peerType: 'ebgp' }] }), false],
    ['a community to match', filter({ importV4: [{ action: 'Reject', communities: { values: ['65001:666'] } }] }), true],
    ['two communities to match (the CRD takes one)', filter({ importV4: [{ action: 'Reject', communities: { values: ['65001:666', '65001:667'] } }] }), false],
    ['communities without values', filter({ importV4: [{ action: 'Reject', communities: {} }] }), false],
    ['an AS path prefix', filter({ importV4: [{ action: 'Reject', asPathPrefix: [65001, '1.10'] }] }), true],
    ['an AS path prefix that is no AS number', filter({ importV4: [{ action: 'Reject', asPathPrefix: ['x'] }] }), false],
    ['priority 2147483646', filter({ importV6: [{ action: 'Accept', priority: 2147483646 }] }), true],
    ['priority 0', filter({ importV6: [{ action: 'Accept', priority: 0 }] }), false],
  ])('%s', (_name, m, valid) => {
    expectVerdict(m, valid);
  });

  test('names exactly one operation per entry', () => {
    expect(messages(op({ addCommunity: { value: '65000:100' }, setPriority: { value: 256 } }))).toEqual([
      'spec.exportV4[0].operations[0]: an operation sets addCommunity and setPriority; each entry of operations sets exactly one of '
        + 'addCommunity, prependASPath, setPriority (use one entry per operation)',
    ]);
  });

  test('v3.31 names the line that added each field, once', () => {
    expect(messages(filter({ exportV4: [{ action: 'Accept', peerType: 'iBGP', operations: [{}] }] }), CalicoVersion.V3_31_7)).toEqual([
      'spec.exportV4[0].peerType: peerType is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
      'spec.exportV4[0].operations: operations is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });

  test('requires integer AS numbers in crd.projectcalico.org/v1 form', () => {
    expect(messages(filter({ importV4: [{ action: 'Reject', asPathPrefix: ['65001'] }] }, 'crd.projectcalico.org/v1'))).toEqual([
      "spec.importV4[0].asPathPrefix[0]: asPathPrefix[0] '65001' must be an integer in crd.projectcalico.org/v1 (the CRD schema has no string form); write 65001",
    ]);
  });
});

describe('BGPFilter never throws', () => {
  test('on arbitrary rules of every line', () => {
    const value = fc.oneof(fc.anything(), fc.constantFrom('10.0.0.0/8', 'In', 'Accept', 65001, [{}], { value: '1:1' }, { prefix: [1] }));
    const rule = fc.dictionary(fc.constantFrom('action', 'cidr', 'matchOperator', 'operations', 'communities', 'asPathPrefix', 'prefixLength', 'priority'), value);
    fc.assert(fc.property(fc.array(rule, { maxLength: 3 }), fc.constantFrom(...EACH_LINE.map(([, v]) => v)), (rules, version) => {
      const issues = validateManifest(filter({ exportV4: rules, importV6: rules }), version);
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }), { seed: 32, numRuns: 300 });
  });
});
