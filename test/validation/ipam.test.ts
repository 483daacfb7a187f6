import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import '../../src/validation/ip-pool';
import '../../src/validation/ip-reservation';
import { parseCidr } from '../../src/net/address';
import { EACH_LINE } from '../support/versions';

function pool(spec: unknown, name = 'pool.name', apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind: 'IPPool', metadata: { name }, spec };
}

function reservation(spec: unknown): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPReservation', metadata: { name: 'ip-reservation.name' }, spec };
}

function messages(m: any, version?: CalicoVersion): string[] {
  return validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
}

// Cases ported from libcalico-go/lib/validator/v3/validator_test.go (same inputs, same verdicts),
// the same in v3.31.7 and v3.32.1; the load-balancer, namespaceSelector and assignmentMode cases
// are new since v3.28.
describe.each(EACH_LINE)('IPPool: upstream validator cases (%s)', (_line, version) => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['should accept IP pool with IPv4 CIDR /26', { cidr: '1.2.3.0/26' }, true],
    ['should accept IP pool with IPv4 CIDR /10', { cidr: '1.0.0.0/10' }, true],
    ['should accept IP pool with IPv6 CIDR /122', { cidr: 'aabb:aabb::0000/122', ipipMode: 'Never', vxlanMode: 'Never' }, true],
    ['should accept IP pool with IPv6 CIDR /10', { cidr: 'aa00:0000::0000/10', ipipMode: 'Never', vxlanMode: 'Never' }, true],
    ['should accept a disabled IP pool with IPv4 CIDR /27', { cidr: '1.2.3.0/27', disabled: true }, true],
    ['should accept a disabled IP pool with IPv6 CIDR /128', { cidr: 'aabb:aabb::ffff/128', ipipMode: 'Never', vxlanMode: 'Never', disabled: true }, true],
    ['should reject IP pool with IPv4 CIDR /27', { cidr: '1.2.3.0/27' }, false],
    ['should reject IP pool with IPv6 CIDR /128', { cidr: 'aabb:aabb::ffff/128' }, false],
    ['should reject IP pool with IPv4 CIDR /33', { cidr: '1.2.3.4/33' }, false],
    ['should reject IP pool with IPv6 CIDR /129', { cidr: 'aa:bb::/129' }, false],
    ["should reject IPIPMode 'Always' for IPv6 pool", { cidr: 'aabb:aabb::ffff/128', ipipMode: 'Always', vxlanMode: 'Never' }, false],
    ["should reject VXLANMode 'Always' for IPv6 pool", { cidr: 'aabb:aabb::ffff/128', vxlanMode: 'Always', ipipMode: 'Never' }, false],
    ['should reject IPv4 pool with a CIDR range overlapping with Link Local range', { cidr: '169.254.5.0/24' }, false],
    ['should reject IPv6 pool with a CIDR range overlapping with Link Local range', { cidr: 'fe80::/120' }, false],
    ['should accept IP pool with valid allowed uses', { cidr: '1.0.0.0/10', allowedUses: ['Workload', 'Tunnel'] }, true],
    ['should reject IP pool with invalid allowed uses', { cidr: '1.0.0.0/10', allowedUses: ['Garbage'] }, false],
    ['should accept IPPool with no IPIP mode specified', { cidr: '1.2.3.0/24' }, true],
    ['should accept IPIP mode Never (api)', { cidr: '1.2.3.0/24', ipipMode: 'Never', vxlanMode: 'Never' }, true],
    ['should accept IPIP mode Never', { cidr: '1.2.3.0/24', ipipMode: 'Never' }, true],
    ['should accept IPIP mode Always', { cidr: '1.2.3.0/24', ipipMode: 'Always' }, true],
    ['should accept IPIP mode CrossSubnet', { cidr: '1.2.3.0/24', ipipMode: 'CrossSubnet' }, true],
    ['should reject IPIP mode badVal', { cidr: '1.2.3.0/24', ipipMode: 'badVal' }, false],
    ['should reject IPIP mode never (lower case)', { cidr: '1.2.3.0/24', ipipMode: 'never' }, false],
    ['should reject IPIP mode and VXLAN mode', { cidr: '1.2.3.0/24', ipipMode: 'Always', vxlanMode: 'Always' }, false],
    ['should accept VXLAN mode Always', { cidr: '1.2.3.0/24', vxlanMode: 'Always' }, true],
    ['should accept VXLAN mode CrossSubnet', { cidr: '1.2.3.0/24', vxlanMode: 'CrossSubnet' }, true],
    ['should accept VXLAN mode Never', { cidr: '1.2.3.0/24', vxlanMode: 'Never' }, true],
    ['should reject VXLAN mode never', { cidr: '1.2.3.0/24', vxlanMode: 'never' }, false],
    ['should reject VXLAN mode badVal', { cidr: '1.2.3.0/24', vxlanMode: 'badVal' }, false],
    ['should allow a valid nodeSelector', { cidr: '1.2.3.0/26', nodeSelector: 'foo == "bar"' }, true],
    ['should disallow a invalid nodeSelector', { cidr: '1.2.3.0/26', nodeSelector: 'this is not valid selector syntax' }, false],
    ['should reject IP pool with invalid allowed uses combination', { cidr: '1.0.0.0/10', allowedUses: ['LoadBalancer', 'Tunnel'] }, false],
    ['should accept IP pool with valid AssignmentMode', { cidr: '1.0.0.0/10', assignmentMode: 'Automatic' }, true],
    ['should reject IP pool with invalid assignment mode', { cidr: '1.0.0.0/10', assignmentMode: 'Manuel' }, false],
    ['should reject IP pool with LoadBlancer and disableBGPExport true', { cidr: '1.0.0.0/10', allowedUses: ['LoadBalancer'], disableBGPExport: true }, false],
    ['should reject IP pool with LoadBlancer and VXLAN mode enabled', { cidr: '1.0.0.0/10', allowedUses: ['LoadBalancer'], vxlanMode: 'Always' }, false],
    ['should reject IP pool with LoadBlancer and IPIP mode enabled', { cidr: '1.0.0.0/10', allowedUses: ['LoadBalancer'], ipipMode: 'Always' }, false],
    ['should reject IP pool with LoadBlancer and nodeSelector other than all()', { cidr: '1.0.0.0/10', allowedUses: ['LoadBalancer'], nodeSelector: '!all()' }, false],
    ['a LoadBalancer pool on its own', { cidr: '1.0.0.0/10', allowedUses: ['LoadBalancer'], nodeSelector: 'all()' }, true],
    ['should reject IP pool with Tunnel allowedUse and namespaceSelector', { cidr: '1.0.0.0/10', allowedUses: ['Tunnel'], namespaceSelector: 'region == "east"' }, false],
    ['should reject IP pool with Tunnel and Workload allowedUses and namespaceSelector',
      { cidr: '1.0.0.0/10', allowedUses: ['Workload', 'Tunnel'], namespaceSelector: 'region == "east"' }, false],
    ['a namespaceSelector without allowedUses (they default to Workload and Tunnel)', { cidr: '1.0.0.0/10', namespaceSelector: 'region == "east"' }, false],
    ['should accept IP pool with Tunnel allowedUse and no namespaceSelector', { cidr: '1.0.0.0/10', allowedUses: ['Tunnel'] }, true],
    ['should reject IP pool with invalid nodeSelector (global)', { cidr: '1.0.0.0/10', nodeSelector: 'global()' }, false],
    ['should accept IP pool with valid nodeSelector', { cidr: '1.0.0.0/10', nodeSelector: 'region == "east"' }, true],
    ['should accept IP pool with set-based nodeSelector', { cidr: '1.0.0.0/10', nodeSelector: 'region in {"east", "west"}' }, true],
    ['should accept IP pool with all() nodeSelector', { cidr: '1.0.0.0/10', nodeSelector: 'all()' }, true],
    ['should reject IP pool with invalid namespaceSelector (global)', { cidr: '1.0.0.0/10', allowedUses: ['Workload'], namespaceSelector: 'global()' }, false],
    ['should accept IP pool with valid namespaceSelector', { cidr: '1.0.0.0/10', allowedUses: ['Workload'], namespaceSelector: 'region == "east"' }, true],
    ['should accept IP pool with complex namespaceSelector',
      { cidr: '1.0.0.0/10', allowedUses: ['Workload'], namespaceSelector: 'team == "backend" || team == "frontend"' }, true],
    ['should accept IP pool with substring namespaceSelector', { cidr: '1.0.0.0/10', allowedUses: ['Workload'], namespaceSelector: 'environment contains "prod"' }, true],
  ])('%s', (_name, spec, valid) => {
    const found = messages(pool(spec), version);
    expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
  });
});

// The APIv1 fields ipip and nat-outgoing: v3.31 still has them (unset, or nat-outgoing false, is
// accepted: validator_test.go of v3.31.7); v3.32 removed them from the CRD and the v3 type.
describe('IPPool: the APIv1 compatibility fields per line', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['should accept a nil IPIP field', { cidr: '1.2.3.0/24', ipipMode: 'Never', ipip: null }, true],
    ['should reject a non-nil IPIP field', { cidr: '1.2.3.0/24', ipipMode: 'Never', ipip: { enabled: true, mode: 'always' } }, false],
    ['should accept NATOutgoingV1 field set to false', { 'cidr': '1.2.3.0/24', 'ipipMode': 'Never', 'nat-outgoing': false }, true],
    ['should reject NATOutgoingV1 field set to true', { 'cidr': '1.2.3.0/24', 'ipipMode': 'Never', 'nat-outgoing': true }, false],
  ])('v3.31: %s', (_name, spec, valid) => {
    const found = messages(pool(spec), CalicoVersion.V3_31_7);
    expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
  });

  test('v3.32: ipip and nat-outgoing were removed', () => {
    expect(messages(pool({ 'cidr': '1.2.3.0/24', 'ipip': null, 'nat-outgoing': false }))).toEqual([
      'spec.ipip: ipip was removed in Calico v3.32 (v3.31 has it); remove it or use CalicoVersion.V3_31_7',
      'spec.nat-outgoing: nat-outgoing was removed in Calico v3.32 (v3.31 has it); remove it or use CalicoVersion.V3_31_7',
    ]);
  });
});

describe('IPPool: create-time checks', () => {
  test('fails when blockSize is 33, naming the IPv4 range', () => {
    expect(messages(pool({ cidr: '10.0.0.0/16', blockSize: 33 }))).toEqual([
      'spec.blockSize: blockSize 33 is out of range for IPv4 (20-32); use a value from 20 to 32 (default 26)',
    ]);
  });

  test.each([[19, false], [20, true], [26, true], [32, true], [-1, false]])('IPv4 blockSize %d with a /20 pool is valid: %p', (blockSize, valid) => {
    expect(validateManifest(pool({ cidr: '10.0.0.0/20', blockSize })).length === 0).toBe(valid);
  });

  test.each([[115, false], [116, true], [128, true], [129, false]])('IPv6 blockSize %d is valid: %p', (blockSize, valid) => {
    expect(validateManifest(pool({ cidr: 'fd00::/64', blockSize })).length === 0).toBe(valid);
  });

  test('defaults blockSize to 26 for IPv4 and 122 for IPv6 when it is 0 or absent', () => {
    expect(messages(pool({ cidr: '10.0.0.0/27', blockSize: 0 }))[0]).toContain('smaller than one allocation block (/26)');
    expect(messages(pool({ cidr: 'fd00::/123' }))[0]).toContain('smaller than one allocation block (/122)');
  });

  test('accepts a pool exactly one block large and rejects a smaller one unless disabled', () => {
    expect(messages(pool({ cidr: '10.0.0.0/24', blockSize: 24 }))).toEqual([]);
    expect(messages(pool({ cidr: '10.0.0.0/25', blockSize: 24 }))[0]).toMatch(/^spec\.cidr: cidr '10\.0\.0\.0\/25' \(\/25\) is smaller than one allocation block \(\/24\)/);
    expect(messages(pool({ cidr: '10.0.0.0/25', blockSize: 24, disabled: true }))).toEqual([]);
  });

  test('fails when the CIDR has host bits set and names the network address', () => {
    expect(messages(pool({ cidr: '10.0.0.5/16' }))).toEqual([
      "spec.cidr: cidr '10.0.0.5/16' has host bits set; use the network address '10.0.0.0/16'",
    ]);
  });

  test('fails on a bare address, as the IPPool client parses a CIDR', () => {
    expect(messages(pool({ cidr: '10.0.0.1' }))[0]).toContain("is not a CIDR (it has no prefix length); write it with a prefix length, for example '10.0.0.1/24'");
  });

  test('fails when cidr is missing or empty', () => {
    expect(messages(pool({}))[0]).toMatch(/^spec\.cidr: cidr is required/);
    expect(messages(pool({ cidr: '' }))[0]).toMatch(/^spec\.cidr: cidr is required/);
    expect(messages(pool(undefined))[0]).toMatch(/^spec: an IPPool needs a spec/);
  });

  test('rejects IP-in-IP on an IPv6 pool and suggests VXLAN', () => {
    expect(messages(pool({ cidr: 'fd00::/64', ipipMode: 'CrossSubnet' }))).toEqual([
      "spec.ipipMode: ipipMode 'CrossSubnet' is not supported on the IPv6 pool 'fd00::/64' (IP-in-IP carries IPv4 only); set ipipMode to 'Never' and use vxlanMode for IPv6 encapsulation",
    ]);
    expect(messages(pool({ cidr: 'fd00::/64', vxlanMode: 'CrossSubnet' }))).toEqual([]);
  });

  test('rejects IP-in-IP together with VXLAN', () => {
    expect(messages(pool({ cidr: '10.0.0.0/16', ipipMode: 'CrossSubnet', vxlanMode: 'Always' }))[0])
      .toContain("ipipMode 'CrossSubnet' and vxlanMode 'Always' are both enabled");
  });

  test('suggests the right case for a mis-cased mode', () => {
    expect(messages(pool({ cidr: '10.0.0.0/16', vxlanMode: 'crosssubnet' }))[0]).toContain("write 'CrossSubnet'");
  });

  test.each(['127.0.0.0/16', '224.0.0.0/24', 'ff02::/64', '0.0.0.0/0', '::/0'])('rejects %s, which overlaps a reserved range', cidr => {
    expect(messages(pool({ cidr })).some(m => m.includes('overlaps the'))).toBe(true);
  });

  // v3.28 had no load-balancer pools; both supported lines have them, with their own rules.
  test('accepts a LoadBalancer pool and names what it cannot combine with', () => {
    expect(messages(pool({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'] }))).toEqual([]);
    expect(messages(pool({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer', 'Workload'], vxlanMode: 'Always', disableBGPExport: true }))).toEqual([
      "spec.allowedUses: allowedUses 'LoadBalancer' cannot be combined with 'Workload': a pool either serves load-balancer addresses or pods and tunnels; use two pools",
      "spec.vxlanMode: vxlanMode 'Always' cannot be enabled on a LoadBalancer pool (service addresses are not encapsulated); set it to 'Never'",
      'spec.disableBGPExport: disableBGPExport cannot be true on a LoadBalancer pool: its addresses reach the network only by BGP; remove it',
    ]);
  });

  test('reports unknown fields with a suggestion', () => {
    expect(messages(pool({ cidr: '10.0.0.0/16', ipipmode: 'Always' }))).toEqual([
      "spec.ipipmode: an IPPool spec has no field 'ipipmode'; did you mean 'ipipMode'?",
    ]);
  });

  // v3.28 had neither field; both supported lines have them.
  test('accepts assignmentMode and namespaceSelector on both lines', () => {
    for (const [, version] of EACH_LINE) {
      expect(messages(pool({ cidr: '10.0.0.0/16', assignmentMode: 'Manual', allowedUses: ['Workload'], namespaceSelector: 'team == "a"' }), version)).toEqual([]);
    }
  });

  test('reports wrong types instead of throwing', () => {
    expect(messages(pool({ cidr: 10 }))[0]).toMatch(/^spec\.cidr: cidr must be a string/);
    expect(messages(pool({ cidr: '10.0.0.0/16', blockSize: '26' }))[0]).toMatch(/^spec\.blockSize: blockSize must be an integer/);
    expect(messages(pool({ cidr: '10.0.0.0/16', natOutgoing: 'yes' }))[0]).toMatch(/^spec\.natOutgoing: natOutgoing must be a boolean/);
    expect(messages(pool({ cidr: '10.0.0.0/16', allowedUses: 'Workload' }))[0]).toMatch(/^spec\.allowedUses: allowedUses must be a list/);
    expect(messages(pool([1, 2]))[0]).toMatch(/^spec: spec must be an object/);
  });

  test('accepts a full, valid pool in either API group', () => {
    const spec = {
      cidr: '10.244.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'CrossSubnet', natOutgoing: true,
      disabled: false, disableBGPExport: false, nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'],
    };
    expect(messages(pool(spec))).toEqual([]);
    expect(messages(pool(spec, 'pool.name', 'crd.projectcalico.org/v1'))).toEqual([]);
  });
});

describe('IPReservation: upstream validator cases', () => {
  test.each<[string, unknown[], boolean]>([
    ['should accept IPReservation with an IP', ['10.0.0.1'], true],
    ['should accept IPReservation with a CIDR', ['10.0.1.0/24'], true],
    ['should accept IPReservation IP and a CIDR', ['10.0.1.0/24', '192.168.0.34'], true],
    ['should reject IPReservation with bad CIDR', ['garbage'], false],
    ['should reject IPReservation with too-long CIDR', ['10.0.1.0/33'], false],
    ['should accept IPReservation with an IPv6', ['10.0.0.1', 'cafe::1', 'cafe:f00d::/96'], true],
  ])('%s', (_name, reservedCIDRs, valid) => {
    expect(validateManifest(reservation({ reservedCIDRs })).length === 0).toBe(valid);
  });

  test('names the bad entry and the fix', () => {
    expect(messages(reservation({ reservedCIDRs: ['10.0.0.1', 'garbage'] }))).toEqual([
      "spec.reservedCIDRs[1]: reservedCIDRs entry 'garbage' is neither a CIDR nor an IP address; write a range such as '10.0.1.0/24' or a single address such as '10.0.0.1'",
    ]);
  });

  test('accepts no spec and reports non-string entries and unknown fields', () => {
    expect(messages(reservation(undefined))).toEqual([]);
    expect(messages(reservation({ reservedCIDRs: [7] }))[0]).toMatch(/^spec\.reservedCIDRs\[0\]: reservedCIDRs\[0\] must be a string/);
    expect(messages(reservation({ reservedCidrs: [] }))[0]).toContain("did you mean 'reservedCIDRs'?");
  });
});

describe('IPAM validators never throw', () => {
  test('on arbitrary specs', () => {
    fc.assert(fc.property(fc.anything(), fc.constantFrom('IPPool', 'IPReservation'), (spec, kind) => {
      const issues = validateManifest({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'x' }, spec });
      expect(Array.isArray(issues)).toBe(true);
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }));
  });

  test('on arbitrary objects with IPPool field names', () => {
    const value = fc.oneof(fc.anything(), fc.constantFrom('10.0.0.0/16', 'fd00::/64', 'Always', 'Never', 26, 122, true));
    const spec = fc.dictionary(fc.constantFrom('cidr', 'blockSize', 'ipipMode', 'vxlanMode', 'disabled', 'allowedUses', 'ipip', 'nat-outgoing', 'nodeSelector'), value);
    fc.assert(fc.property(spec, s => {
      const issues = validateManifest(pool(s));
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }));
  });

  test('and accept every strictly masked 10/8 pool of at least one block', () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 8, max: 26 }))
      .map(([n, p]) => parseCidr(`10.${n >> 16}.${(n >> 8) & 255}.${n & 255}/${p}`)!.text);
    fc.assert(fc.property(arb, cidr => {
      expect(messages(pool({ cidr }))).toEqual([]);
    }));
  });
});
