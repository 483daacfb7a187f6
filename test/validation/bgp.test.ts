import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import '../../src/validation/bgp';
import { EACH_LINE } from '../support/versions';

function manifest(kind: string, spec: unknown, apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind, metadata: { name: 'default' }, spec };
}

function messages(m: any, version?: CalicoVersion): string[] {
  return validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
}

/** Asserts the verdict and shows the messages when it is wrong. */
function expectVerdict(m: any, valid: boolean, version?: CalicoVersion): void {
  const found = messages(m, version);
  expect({ valid: found.length === 0, found }).toEqual({ valid, found: valid ? [] : found });
}

const secret = { secretKeyRef: { name: 'test-secret', key: 'bgp-password' } };

// The service ranges as single addresses: libcalico-go's `net` tag takes them (the upstream cases
// "should accept a valid BGP clusterIPs: 1.2.3.4" etc. check the spec struct alone), but the v3.32
// CRD gives the field the format cidr, which the API server (and calicoctl v3.32, which runs the
// CRD schema on whole objects) enforces; v3.31's CRD has no format.
describe('BGPConfiguration: service addresses without a prefix length, per line', () => {
  test.each<[string, Record<string, unknown>]>([
    ['clusterIPs: 1.2.3.4', { serviceClusterIPs: [{ cidr: '1.2.3.4' }] }],
    ['externalIPs: 8.8.8.8', { serviceExternalIPs: [{ cidr: '8.8.8.8' }] }],
    ['IPv6 clusterIP', { serviceClusterIPs: [{ cidr: 'fdf5:1234::102:304' }] }],
    ['IPv6 externalIP', { serviceExternalIPs: [{ cidr: 'fdf5:1234::808:808' }] }],
  ])('%s: accepted by v3.31, refused by v3.32', (_name, spec) => {
    expectVerdict(manifest('BGPConfiguration', spec), true, CalicoVersion.V3_31_7);
    expect(messages(manifest('BGPConfiguration', spec))).toEqual([expect.stringContaining('is not a CIDR; write it with a prefix length')]);
  });
});

// Cases ported from libcalico-go/lib/validator/v3/validator_test.go (same inputs, same verdicts
// at v3.31.7 and v3.32.1).
describe.each(EACH_LINE)('BGPConfiguration: upstream validator cases (%s)', (_line, version) => {
  const pa = [{ cidr: '192.168.10.0/28', communities: ['100:100'] }];
  test.each<[string, Record<string, unknown>, boolean]>([
    ['should accept a valid BGP logging level: Info', { logSeverityScreen: 'Info' }, true],
    ['should reject an invalid BGP logging level: info', { logSeverityScreen: 'info' }, false],
    ['should reject an invalid BGP logging level: INFO', { logSeverityScreen: 'INFO' }, false],
    ['should reject an invalid BGP logging level: invalidLvl', { logSeverityScreen: 'invalidLvl' }, false],
    ['a valid BGP clusterIPs: 1.2.3.0/24', { serviceClusterIPs: [{ cidr: '1.2.3.0/24' }] }, true],
    ['should reject invalid BGP clusterIPs: x.x.x.x', { serviceClusterIPs: [{ cidr: 'x.x.x.x' }] }, false],
    ['should reject invalid BGP externalIPs: x.x.x.x', { serviceExternalIPs: [{ cidr: 'y.y.y.y' }] }, false],
    ['a valid IPv6 BGP clusterIP range', { serviceClusterIPs: [{ cidr: 'fdf5:1234::/112' }] }, true],
    ['localWorkloadPeeringIPV4 takes an IPv4 address', { localWorkloadPeeringIPV4: '169.254.0.179' }, true],
    ['localWorkloadPeeringIPV4 refuses an IPv6 address', { localWorkloadPeeringIPV4: 'fe80::179' }, false],
    ['localWorkloadPeeringIPV6 takes an IPv6 address', { localWorkloadPeeringIPV6: 'fe80::179' }, true],
    ['localWorkloadPeeringIPV6 refuses a CIDR', { localWorkloadPeeringIPV6: 'fe80::/64' }, false],
    ['serviceLoadBalancerAggregation Disabled', { serviceLoadBalancerAggregation: 'Disabled' }, true],
    ['serviceLoadBalancerAggregation must be Enabled or Disabled', { serviceLoadBalancerAggregation: 'Off' }, false],
    ['should accept a node mesh BGP password if node to node mesh is enabled', { nodeToNodeMeshEnabled: true, nodeMeshPassword: secret }, true],
    ['should reject a node mesh BGP password if node to node mesh is disabled', { nodeToNodeMeshEnabled: false, nodeMeshPassword: secret }, false],
    ['should accept a node mesh max restart time if node to node mesh is enabled', { nodeToNodeMeshEnabled: true, nodeMeshMaxRestartTime: '200s' }, true],
    ['should reject a node mesh max restart time if node to node mesh is disabled', { nodeToNodeMeshEnabled: false, nodeMeshMaxRestartTime: '200s' }, false],
    ['should accept valid interface names', { ignoredInterfaces: ['valid_iface*', 'interface_name'] }, true],
    ['should reject invalid interface name', { ignoredInterfaces: ['*'] }, false],
    ['should not accept community when PrefixAdvertisement is empty', { communities: [{ name: 'community-test', value: '101:5695' }] }, false],
    ['should not accept communities with value and without name', { communities: [{ value: '536:785' }], prefixAdvertisements: pa }, false],
    ['should not accept communities with name and without value', { communities: [{ name: 'community-test' }], prefixAdvertisements: pa }, false],
    ['should accept communities with name and standard BGP community value', { communities: [{ name: 'community-test', value: '100:520' }], prefixAdvertisements: pa }, true],
    ['should accept communities with name and large BGP community value', { communities: [{ name: 'community-test', value: '100:520:56' }], prefixAdvertisements: pa }, true],
    ['should not accept communities with name and invalid community value/format (100)', { communities: [{ name: 'community-test', value: '100' }], prefixAdvertisements: pa }, false],
    ['should not accept communities with name and invalid community value/format (ab-n)', { communities: [{ name: 'community-test', value: 'ab-n' }], prefixAdvertisements: pa }, false],
    ['should not accept communities with name and invalid standard community value(> 16 bit)', { communities: [{ name: 'community-test', value: '65536:999999' }], prefixAdvertisements: pa }, false],
    ['should not accept communities with name and invalid large community value(> 32 bit)', { communities: [{ name: 'community-test', value: '4147483647:999999' }], prefixAdvertisements: pa }, false],
    ['should not accept communities without CIDR in PrefixAdvertisement', { prefixAdvertisements: [{ communities: ['100:5964'] }] }, false],
    ['should not accept CIDR without communities in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '192.168.10.0/28' }] }, false],
    ['should accept IPv4 CIDR in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '192.168.10.0/28', communities: ['100:5964:50'] }] }, true],
    ['should accept IPv6 CIDR in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['100:5964:50'] }] }, true],
    ['should accept standard BGP community value in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['100:5964', '200:594'] }] }, true],
    ['should accept large BGP community value in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['100:5964:1147483647'] }] }, true],
    ['should not accept invalid standard community value(> 16 bit) in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['100:1147483647'] }] }, false],
    ['should not accept invalid large community value(> 32 bit) in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['100:100:5147483647'] }] }, false],
    ['should accept combination of large and standard BGP community value in PrefixAdvertisement', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['100:5964:1147483647', '100:5223'] }] }, true],
    ['should not accept community name that is not defined', { prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['nonexistent-community'] }] }, false],
    ['should accept community name whose values are defined', {
      communities: [{ name: 'community-test', value: '101:5695' }],
      prefixAdvertisements: [{ cidr: '2001:4860::/128', communities: ['community-test', '8988:202'] }],
    }, true],
  ])('%s', (_name, spec, valid) => {
    expectVerdict(manifest('BGPConfiguration', spec), valid, version);
  });
});

// Fields new in v3.32 (bgpconfig.go tags and CRD: programClusterRoutes Enabled/Disabled, the route
// priorities 1-2147483646); v3.31 does not have them.
describe('BGPConfiguration: v3.32 fields', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['programClusterRoutes Enabled', { programClusterRoutes: 'Enabled' }, true],
    ['programClusterRoutes must be Enabled or Disabled', { programClusterRoutes: 'enabled' }, false],
    ['ipv4NormalRoutePriority 1', { ipv4NormalRoutePriority: 1 }, true],
    ['ipv6NormalRoutePriority 2147483646', { ipv6NormalRoutePriority: 2147483646 }, true],
    ['ipv4NormalRoutePriority 0', { ipv4NormalRoutePriority: 0 }, false],
    ['ipv6NormalRoutePriority 2147483647', { ipv6NormalRoutePriority: 2147483647 }, false],
  ])('%s', (_name, spec, valid) => {
    expectVerdict(manifest('BGPConfiguration', spec), valid);
  });

  test('v3.31 names the line that added them', () => {
    expect(messages(manifest('BGPConfiguration', { programClusterRoutes: 'Enabled', ipv4NormalRoutePriority: 10 }), CalicoVersion.V3_31_7)).toEqual([
      'spec.programClusterRoutes: programClusterRoutes is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
      'spec.ipv4NormalRoutePriority: ipv4NormalRoutePriority is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });
});

describe('BGPConfiguration: other rules', () => {
  test('accepts a complete configuration', () => {
    expectVerdict(manifest('BGPConfiguration', {
      logSeverityScreen: 'Warning', nodeToNodeMeshEnabled: false, asNumber: 64512, listenPort: 179, bindMode: 'NodeIP',
      serviceClusterIPs: [{ cidr: '10.96.0.0/12' }], serviceExternalIPs: [{ cidr: '192.0.2.0/24' }],
      serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/24' }], ignoredInterfaces: ['docker*'],
    }), true);
  });

  test('rejects a service CIDR with host bits, naming the network', () => {
    expect(messages(manifest('BGPConfiguration', { serviceClusterIPs: [{ cidr: '10.96.0.1/12' }] }))).toEqual([
      "spec.serviceClusterIPs[0].cidr: serviceClusterIPs cidr '10.96.0.1/12' has host bits set; use the network address '10.96.0.0/12'",
    ]);
  });

  test.each([[0, false], [1, true], [65535, true], [65536, false]])('listenPort %d is valid: %p', (listenPort, valid) => {
    expectVerdict(manifest('BGPConfiguration', { listenPort }), valid);
  });

  test.each([
    [64512, true], ['64512', true], ['1.10', true], [4294967295, true], [4294967296, false], ['65536.1', false], [-1, false], [1.5, false],
  ])('asNumber %p is valid: %p', (asNumber, valid) => {
    expectVerdict(manifest('BGPConfiguration', { asNumber }), valid);
  });

  test('requires an integer AS number in CRD mode', () => {
    expect(messages(manifest('BGPConfiguration', { asNumber: '1.10' }, 'crd.projectcalico.org/v1'))).toEqual([
      "spec.asNumber: asNumber '1.10' must be an integer in crd.projectcalico.org/v1 (the CRD schema has no string form); write 65546",
    ]);
  });

  test('rejects an unknown bindMode and a bad duration', () => {
    expect(messages(manifest('BGPConfiguration', { bindMode: 'nodeip' }))[0]).toContain("write 'NodeIP'");
    expect(messages(manifest('BGPConfiguration', { nodeMeshMaxRestartTime: '120' }))[0]).toContain("is not a duration");
    expect(messages(manifest('BGPConfiguration', { nodeMeshMaxRestartTime: 120 }))[0]).toContain('must be a duration string');
  });

  test('requires the key and name of a mesh password secret', () => {
    expect(messages(manifest('BGPConfiguration', { nodeMeshPassword: { secretKeyRef: { name: 's' } } }))).toEqual([
      'spec.nodeMeshPassword.secretKeyRef.key: secretKeyRef.key is required; set it to the key of the password inside the Secret',
    ]);
    expect(messages(manifest('BGPConfiguration', { nodeMeshPassword: { secretKeyRef: { key: 'k' } } }))[0]).toContain('secretKeyRef.name is required');
  });

  test('reports unknown fields with a suggestion', () => {
    expect(messages(manifest('BGPConfiguration', { nodeToNodeMeshEnable: false }))).toEqual([
      "spec.nodeToNodeMeshEnable: a BGPConfiguration spec has no field 'nodeToNodeMeshEnable'; did you mean 'nodeToNodeMeshEnabled'?",
    ]);
  });
});

describe('BGPPeer: hostile peer addresses', () => {
  test('a 5,000-digit peerIP is reported as not a peer address', () => {
    const issues = validateManifest(manifest('BGPPeer', { peerIP: '1'.repeat(5000) }));
    expect(issues.map(i => i.path)).toEqual(['spec.peerIP']);
    expect(issues[0].message).toContain('is not a valid peer address');
  });
});

describe.each(EACH_LINE)('BGPPeer: upstream validator cases (%s)', (_line, version) => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['should reject BGPPeerSpec with LocalWorkloadSelector and empty ASNumber', { localWorkloadSelector: 'has(labelone)' }, false],
    ['should reject BGPPeerSpec with both LocalWorkloadSelector and PeerSelector', { localWorkloadSelector: 'has(labelone)', peerSelector: 'has(labeltwo)', asNumber: 61234 }, false],
    ['should reject BGPPeerSpec with both LocalWorkloadSelector and PeerIP', { localWorkloadSelector: 'has(labelone)', peerIP: '1.2.3.4', asNumber: 61234 }, false],
    ['a LocalWorkloadSelector with an AS number', { localWorkloadSelector: 'has(labelone)', asNumber: 61234 }, true],
    ['should reject BGPPeerSpec with both positive KeepOriginalNextHop and non-empty NextHopMode', { keepOriginalNextHop: true, nextHopMode: 'Self' }, false],
    ['nextHopMode Keep', { peerIP: '1.2.3.4', nextHopMode: 'Keep' }, true],
    ['nextHopMode in the wrong case', { peerIP: '1.2.3.4', nextHopMode: 'keep' }, false],
    ['reversePeering Manual', { peerSelector: 'has(rr)', reversePeering: 'Manual' }, true],
    ['reversePeering Never', { peerSelector: 'has(rr)', reversePeering: 'Never' }, false],
    ['localASNumber in dotted form', { peerIP: '1.2.3.4', asNumber: 65001, localASNumber: '1.10' }, true],
    ['localASNumber out of range', { peerIP: '1.2.3.4', asNumber: 65001, localASNumber: 4294967296 }, false],
    ['should accept valid BGPPeerSpec', { peerIP: '1.2.3.4' }, true],
    ['should reject invalid BGPPeerSpec (IPv4)', { peerIP: '999.999.999.999' }, false],
    ['should reject invalid BGPPeerSpec (IPv6)', { peerIP: 'xyz:::' }, false],
    ['should reject BGPPeerSpec with both Node and NodeSelector', { node: 'my-node', nodeSelector: 'has(mylabel)' }, false],
    ['should reject BGPPeerSpec with both PeerIP and PeerSelector', { peerIP: '1.2.3.4', peerSelector: 'has(mylabel)' }, false],
    ['should reject BGPPeerSpec with both ASNumber and PeerSelector', { asNumber: 61234, peerSelector: 'has(mylabel)' }, false],
    ['should accept BGPPeerSpec with NodeSelector and PeerSelector', { nodeSelector: 'has(mylabel)', peerSelector: 'has(mylabel)' }, true],
    ['should reject BGPPeer with ReachableBy but without PeerIP', { reachableBy: '100.200.0.0' }, false],
    ['should reject BGPPeer with ReachableBy (IPv6) but without PeerIP', { reachableBy: 'aabb::abcd' }, false],
    ['should accept BGPPeer with ReachableBy and PeerIP', { peerIP: '9.9.9.9:4444', reachableBy: '1.2.3.4' }, true],
    ['should accept BGPPeer with ReachableBy (IPv6) and PeerIP (IPv6)', { peerIP: '[aabb::ffff]:4444', reachableBy: 'aabb:aabb::ffff' }, true],
    ['should reject BGPPeer with invalid ReachableBy', { peerIP: '9.9.9.9:4444', reachableBy: '999.999.999.999' }, false],
    ['should reject BGPPeer with invalid ReachableBy (IPv6)', { peerIP: '[aabb::ffff]:4444', reachableBy: 'xyz:::' }, false],
    ['should reject BGPPeer with mismatched family address of ReachableBy and PeerIP', { peerIP: '1.2.3.4', reachableBy: 'aabb:aabb::ffff' }, false],
    ['should reject BGPPeer with mismatched family address of ReachableBy and PeerIP:Port', { peerIP: '9.9.9.9:4444', reachableBy: 'aabb:aabb::ffff' }, false],
    ['should reject BGPPeer with mismatched family address of ReachableBy and PeerIP (IPv6)', { peerIP: 'aabb:aabb::ffff', reachableBy: '1.2.3.4' }, false],
    ['should reject BGPPeer with mismatched family address of ReachableBy and PeerIP:Port (IPv6)', { peerIP: '[aabb::ffff]:4444', reachableBy: '1.2.3.4' }, false],
    ['should accept BGPPeerSpec with Password', { peerIP: '1.2.3.4', password: { secretKeyRef: { name: 'tigera-bgp-passwords', key: 'my-peering' } } }, true],
    ['should reject invalid BGPPeerSpec (selector)', { nodeSelector: "kubernetes.io/hostname: == 'casey-crc-kadm-node-4'" }, false],
    ['should accept BGPPeerSpec with port in PeerIP (IPv4)', { peerIP: '192.168.1.1:500' }, true],
    ['should accept BGPPeerSpec with port in PeerIP (IPv6)', { peerIP: '[9000::]:500' }, true],
    ['should reject BGPPeerSpec with invalid port in PeerIP (bracketed IPv4)', { peerIP: '[192.168.0.0]:98956' }, false],
    ['should reject BGPPeerSpec with invalid port in PeerIP (IPv4, 65536)', { peerIP: '192.168.0.0:65536' }, false],
    ['should reject BGPPeerSpec with invalid port in PeerIP (IPv4, 0)', { peerIP: '192.168.0.0:0' }, false],
    ['should reject BGPPeerSpec with invalid IP in PeerIP (IPv4)', { peerIP: '192.168.0.330:170' }, false],
    ['should reject BGPPeerSpec with invalid port in PeerIP (IPv6, 98956)', { peerIP: '[9000::]:98956' }, false],
    ['should reject invalid BGPPeerSpec without port set in PeerIP (IPv4)', { peerIP: '192.168.0.0:' }, false],
    ['should reject invalid BGPPeerSpec without port set in PeerIP (IPv6)', { peerIP: '[9000::]:' }, false],
    ['should reject BGPPeerSpec with invalid port in PeerIP (IPv6, 65536)', { peerIP: '[9000::]:65536' }, false],
    ['should reject BGPPeerSpec with invalid port in PeerIP (IPv6, 0)', { peerIP: '[9000::]:0' }, false],
    ['should reject BGPPeerSpec with invalid IP in PeerIP (IPv6)', { peerIP: '[9000::FFFFF]:170' }, false],
    ['should reject invalid BGPPeerSpec when port is set with empty IP in PeerIP (IPv4)', { peerIP: ':8552' }, false],
    ['should reject invalid BGPPeerSpec when port is set with empty IP in PeerIP (IPv6)', { peerIP: '[]:8552' }, false],
    ['BGPPeer with valid SourceAddress UseNodeIP', { sourceAddress: 'UseNodeIP' }, true],
    ['BGPPeer with valid SourceAddress None', { sourceAddress: 'None' }, true],
    ['BGPPeer with invalid SourceAddress', { sourceAddress: 'rubbish' }, false],
    ['BGPPeer with valid MaxRestartTime', { maxRestartTime: '10s' }, true],
  ])('%s', (_name, spec, valid) => {
    expectVerdict(manifest('BGPPeer', spec), valid, version);
  });
});

// keepaliveTime is new in v3.32 (bgppeer.go: a metav1.Duration); v3.31 does not have it.
describe('BGPPeer: keepaliveTime per line', () => {
  test('v3.32 takes a duration and refuses anything else', () => {
    expectVerdict(manifest('BGPPeer', { peerIP: '1.2.3.4', keepaliveTime: '20s' }), true);
    expect(messages(manifest('BGPPeer', { peerIP: '1.2.3.4', keepaliveTime: '20' }))).toEqual([expect.stringMatching(/^spec\.keepaliveTime: keepaliveTime '20' is not a duration/)]);
  });

  test('v3.31 names the line that added it (the wording the constructs match)', () => {
    expect(messages(manifest('BGPPeer', { peerIP: '1.2.3.4', keepaliveTime: '20s' }), CalicoVersion.V3_31_7)).toEqual([
      'spec.keepaliveTime: keepaliveTime is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });
});

describe('BGPPeer: other rules', () => {
  test('accepts a route-reflector client peering', () => {
    expectVerdict(manifest('BGPPeer', {
      nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)', keepOriginalNextHop: false,
      maxRestartTime: '2m30s', numAllowedLocalASNumbers: 1, ttlSecurity: 1, filters: ['export-only'],
    }), true);
  });

  test('rejects peerIP with peerSelector, naming both and the fix', () => {
    expect(messages(manifest('BGPPeer', { peerIP: '10.0.0.1', peerSelector: 'all()' }))).toEqual([
      "spec.peerIP: peerIP '10.0.0.1' and peerSelector are both set; peer either with one address (peerIP and asNumber) or with the Calico nodes that peerSelector selects",
    ]);
  });

  test('accepts asNumber 0 with peerSelector, as Calico treats 0 as unset', () => {
    expectVerdict(manifest('BGPPeer', { asNumber: 0, peerSelector: 'all()' }), true);
  });

  test.each([[-1, false], [0, true], [255, true], [256, false]])('ttlSecurity %d is valid: %p', (ttlSecurity, valid) => {
    expectVerdict(manifest('BGPPeer', { peerIP: '10.0.0.1', ttlSecurity }), valid);
  });

  test('rejects filter names that are not resource names, and a bad node name', () => {
    expect(messages(manifest('BGPPeer', { filters: ['Export_Only'] }))[0]).toMatch(/^spec\.filters\[0\]: .*'Export_Only' is not a valid name/);
    expect(messages(manifest('BGPPeer', { node: 'Node_1' }))[0]).toMatch(/^spec\.node: node 'Node_1' is not a valid name/);
  });

  test('rejects a negative or malformed maxRestartTime', () => {
    expect(messages(manifest('BGPPeer', { maxRestartTime: '-5s' }))[0]).toContain('is negative');
    expect(messages(manifest('BGPPeer', { maxRestartTime: '5 s' }))[0]).toContain('is not a duration');
  });

  test('reports a wrongly cased field with a suggestion', () => {
    expect(messages(manifest('BGPPeer', { peerIp: '10.0.0.1' }))).toEqual([
      "spec.peerIp: a BGPPeer spec has no field 'peerIp'; did you mean 'peerIP'?",
    ]);
  });
});

describe('BGP validators never throw', () => {
  test('on arbitrary specs of each kind', () => {
    fc.assert(fc.property(fc.anything(), fc.constantFrom('BGPConfiguration', 'BGPPeer'), (spec, kind) => {
      const issues = validateManifest(manifest(kind, spec));
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }));
  });

  test('on objects with the right field names and arbitrary values', () => {
    const value = fc.oneof(fc.anything(), fc.constantFrom('10.0.0.1', '[fd00::1]:179', 'all()', 64512, '120s', 'Accept', [{ action: 'Accept' }], { secretKeyRef: null }));
    const keys = fc.constantFrom('peerIP', 'asNumber', 'peerSelector', 'password', 'maxRestartTime', 'reachableBy', 'filters',
      'communities', 'prefixAdvertisements', 'nodeMeshPassword', 'serviceClusterIPs', 'ignoredInterfaces', 'localWorkloadSelector', 'localASNumber');
    fc.assert(fc.property(fc.dictionary(keys, value), fc.constantFrom('BGPConfiguration', 'BGPPeer'), (spec, kind) => {
      const issues = validateManifest(manifest(kind, spec));
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }));
  });
});
