import * as fc from 'fast-check';
import { CalicoVersion } from '../../src';
import { validateManifest } from '../../src/validation/validate';
import { isMacAddress } from '../../src/validation/node';

function node(spec: unknown, status?: unknown, apiVersion = 'projectcalico.org/v3'): any {
  const m: any = { apiVersion, kind: 'Node', metadata: { name: 'node-1' }, spec };
  if (status !== undefined) m.status = status;
  return m;
}

function messages(m: any, version?: CalicoVersion): string[] {
  return validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
}

function expectVerdict(m: any, valid: boolean): void {
  const found = messages(m);
  expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
}

// Cases ported from libcalico-go/lib/validator/v3/validator_test.go (same inputs, same verdicts).
// v3.31.7 and v3.32.1 run the same Node cases (v3.32 only moved NodeSpec to lib/apis/internalapi).
describe('Node: upstream validator cases', () => {
  test.each<[string, unknown, unknown, boolean]>([
    ['should accept node with IPv4 BGP', { bgp: { ipv4Address: '1.2.3.4/32' } }, undefined, true],
    ['should accept node with IPv6 BGP', { bgp: { ipv6Address: 'aabb:aabb::ffff/128' } }, undefined, true],
    ['should accept node with tunnel IP in BGP', { bgp: { ipv4IPIPTunnelAddr: '10.0.0.1' } }, undefined, true],
    ['should accept node with no BGP', {}, undefined, true],
    ['should reject node with an empty BGP', { bgp: {} }, undefined, false],
    ['should reject node with IPv6 address in IPv4 field', { bgp: { ipv4Address: 'aabb:aabb::ffff/128' } }, undefined, false],
    ['should reject node with IPv4 address in IPv6 field', { bgp: { ipv6Address: '1.2.3.4/32' } }, undefined, false],
    ['should reject node with bad RR cluster ID #1', { bgp: { ipv4Address: '1.2.3.4/32', routeReflectorClusterID: 'abcdef' } }, undefined, false],
    ['should reject node with bad RR cluster ID #2', { bgp: { ipv4Address: '1.2.3.4/32', routeReflectorClusterID: '300.34.3.1' } }, undefined, false],
    ['should accept node with good RR cluster ID', { bgp: { ipv4Address: '1.2.3.4/32', routeReflectorClusterID: '245.0.0.1' } }, undefined, true],
    ['should allow valid Wireguard public-key', undefined, { wireguardPublicKey: 'jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY=' }, true],
    ['should allow valid IP address on Wireguard config', { wireguard: { interfaceIPv4Address: '1.2.3.4' } }, undefined, true],
    ['should reject invalid IP address on Wireguard config', { wireguard: { interfaceIPv4Address: 'foo.bar' } }, undefined, false],
    ['should reject invalid Wireguard public-key', undefined, { wireguardPublicKey: 'foobar' }, false],
  ])('%s', (_name, spec, status, valid) => {
    expectVerdict(node(spec, status), valid);
  });
});

describe('Node: other rules', () => {
  test('accepts the BGP address with its subnet (host bits set), as the node writes it', () => {
    expectVerdict(node({ bgp: { ipv4Address: '10.0.0.5/24', ipv6Address: 'fd00::5/64', asNumber: '64512', routeReflectorClusterID: '244.0.0.1' } }), true);
  });

  test('rejects an IPv6 route-reflector cluster ID and says it must be IPv4', () => {
    expect(messages(node({ bgp: { ipv4Address: '10.0.0.5/24', routeReflectorClusterID: 'fd00::1' } }))).toEqual([
      "spec.bgp.routeReflectorClusterID: routeReflectorClusterID 'fd00::1' must be written as an IPv4 address (any 32-bit value, for example '244.0.0.1'); it is an identifier, not a reachable address",
    ]);
  });

  test('says which family field an address belongs in', () => {
    expect(messages(node({ bgp: { ipv4Address: 'fd00::5/64' } }))).toEqual([
      "spec.bgp.ipv4Address: ipv4Address 'fd00::5/64' is an IPv6 address; ipv4Address takes IPv4, for example '10.0.0.5/24' (put IPv6 addresses in ipv6Address)",
    ]);
  });

  test('treats a bgp block with only empty values as empty', () => {
    expect(messages(node({ bgp: { ipv4Address: '' } }))[0]).toMatch(/^spec\.bgp: bgp is empty/);
  });

  test('checks tunnel addresses, MAC addresses and AS numbers', () => {
    expectVerdict(node({ ipv4VXLANTunnelAddr: '10.244.0.1', vxlanTunnelMACAddr: '66:d7:3a:1f:00:01', ipv6VXLANTunnelAddr: 'fd00::1', vxlanTunnelMACAddrV6: '66-d7-3a-1f-00-02' }), true);
    expect(messages(node({ ipv4VXLANTunnelAddr: '10.244.0.1/32' }))[0]).toContain('without a prefix length');
    expect(messages(node({ ipv6VXLANTunnelAddr: '10.244.0.1' }))[0]).toContain('is an IPv4 address; ipv6VXLANTunnelAddr takes IPv6');
    expect(messages(node({ vxlanTunnelMACAddr: '66:d7:3a:1f:00' }))[0]).toContain('is not a MAC address');
    expect(messages(node({ bgp: { ipv4Address: '10.0.0.5/24', asNumber: 'AS64512' } }))[0]).toContain('is not an AS number');
  });

  test('checks addresses, orchRefs and interfaces', () => {
    expectVerdict(node({
      addresses: [{ address: '10.0.0.5', type: 'InternalIP' }, { address: '10.0.0.0/24', type: 'CalicoNodeIP' }],
      orchRefs: [{ nodeName: 'node-1', orchestrator: 'k8s' }],
      interfaces: [{ name: 'eth0', addresses: ['10.0.0.5'] }],
    }), true);
    expect(messages(node({ addresses: [{ address: '10.0.0.5/24' }] }))[0]).toContain('has host bits set');
    expect(messages(node({ addresses: [{ type: 'InternalIP' }] }))[0]).toMatch(/^spec\.addresses\[0\]\.address: address is required/);
    expect(messages(node({ addresses: [{ address: '10.0.0.5', type: 'Internal' }] }))[0]).toContain('address type \'Internal\' is not known');
  });

  test('rejects the CRD API group, which has no Node kind', () => {
    expect(messages(node({}, undefined, 'crd.projectcalico.org/v1'))[0]).toMatch(/^apiVersion: Node has no crd\.projectcalico\.org\/v1 CRD/);
  });

  test('reports unknown fields in spec, bgp and status', () => {
    expect(messages(node({ bgp: { ipv4address: '10.0.0.5/24' } }))).toEqual([
      "spec.bgp.ipv4address: a Node bgp spec has no field 'ipv4address'; did you mean 'ipv4Address'?",
      'spec.bgp: bgp is empty; set at least ipv4Address or ipv6Address (the node\'s BGP address with its subnet, for example \'10.0.0.5/24\'), or remove bgp',
    ]);
    expect(messages(node({}, { podCidrs: [] }))[0]).toContain("did you mean 'podCIDRs'?");
  });
});

describe('isMacAddress', () => {
  test.each([
    ['00:00:5e:00:53:01', true], ['00-00-5E-00-53-01', true], ['0000.5e00.5301', true],
    ['02:00:5e:10:00:00:00:01', true], ['00:00:5e:00:53', false], ['00:00-5e:00:53:01', false],
    ['0000.5e00.53', false], ['gg:00:5e:00:53:01', false], ['', false],
  ])('%p is a MAC address: %p', (text, expected) => {
    expect(isMacAddress(text)).toBe(expected);
  });
});

describe('Node validator never throws', () => {
  test('on arbitrary specs and statuses', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (spec, status) => {
      const issues = validateManifest(node(spec, status));
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }));
  });

  test('on bgp blocks with arbitrary values', () => {
    const value = fc.oneof(fc.anything(), fc.constantFrom('10.0.0.5/24', 'fd00::1', '', 64512, '1.2'));
    const bgp = fc.dictionary(fc.constantFrom('asNumber', 'ipv4Address', 'ipv6Address', 'ipv4IPIPTunnelAddr', 'routeReflectorClusterID'), value);
    fc.assert(fc.property(bgp, b => {
      const issues = validateManifest(node({ bgp: b }));
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }));
  });
});

describe('Node on each supported line', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['interfaces', { interfaces: [{ name: 'eth0', addresses: ['10.0.0.5', 'fd00::5'] }] }, undefined],
    ['an interface name that is not a resource name', { interfaces: [{ name: 'Eth_0' }] }, undefined],
    ['an empty bgp', { bgp: {} }, undefined],
    ['an IPv4-mapped IPv6 tunnel address (IPv4 to Go)', { ipv4VXLANTunnelAddr: '::ffff:10.0.0.1' }, undefined],
    ['an IPv6 WireGuard interface address in the IPv4 field', { wireguard: { interfaceIPv4Address: 'fd00::1' } }, undefined],
    ['a node address with host bits', { addresses: [{ address: '10.0.0.5/24', type: 'InternalIP' }] }, undefined],
  ];
  test.each(cases)('v3.31 and v3.32 give the same verdict on %s', (_name, spec, status) => {
    const v31 = messages(node(spec, status), CalicoVersion.V3_31_7);
    expect(messages(node(spec, status), CalicoVersion.V3_32_1)).toEqual(v31);
  });

  test('both lines accept interfaces (new since v3.28) and check their names', () => {
    for (const version of [CalicoVersion.V3_31_7, CalicoVersion.V3_32_1]) {
      expect(messages(node({ interfaces: [{ name: 'eth0', addresses: ['10.0.0.5'] }] }), version)).toEqual([]);
      expect(messages(node({ interfaces: [{ name: 'Eth_0' }] }), version)).not.toEqual([]);
    }
  });
});
