import * as fc from 'fast-check';
import { CalicoBackend, CalicoCluster, CalicoClusterProps, CalicoErrors, Encapsulation, MtuOverhead } from '../../src';
import { checkedRouting, chooseRouting, incompatibility, ResolvedFacts, RoutingChoice, vethMtu } from '../../src/install/private/decide';
import { errorOf, newChart } from '../support/util';

// Advisories are printed at synthesis; keep the test output quiet (calico-cluster.test.ts checks the printing).
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const ONE_SUBNET = ['10.0.0.0/24'];
const THREE_SUBNETS = ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'];

/** Resolved facts with the library's defaults (the NetworkFacts @default values), overridden by `f`. */
function facts(f: Partial<ResolvedFacts> = {}): ResolvedFacts {
  return {
    nodeSubnets: [],
    networkMtu: 1500,
    bgpAllowed: true,
    ipipAllowed: true,
    sourceDestinationCheck: false,
    ipv6: false,
    wireguard: false,
    ...f,
  };
}

function cluster(props: CalicoClusterProps): CalicoCluster {
  return new CalicoCluster(newChart(), 'calico', props);
}

const ALL_ENCAPSULATIONS = [
  Encapsulation.NONE, Encapsulation.IPIP_CROSS_SUBNET, Encapsulation.IPIP, Encapsulation.VXLAN_CROSS_SUBNET, Encapsulation.VXLAN,
];

describe('decision table', () => {
  test.each<[string, Partial<ResolvedFacts>, Encapsulation, CalicoBackend]>([
    ['one subnet -> no encapsulation', { nodeSubnets: ONE_SUBNET }, Encapsulation.NONE, CalicoBackend.BIRD],
    ['source/destination checks -> IP-in-IP Always', { nodeSubnets: ONE_SUBNET, sourceDestinationCheck: true }, Encapsulation.IPIP, CalicoBackend.BIRD],
    ['source/destination checks win over several subnets', { nodeSubnets: THREE_SUBNETS, sourceDestinationCheck: true }, Encapsulation.IPIP, CalicoBackend.BIRD],
    ['several subnets -> IP-in-IP CrossSubnet', { nodeSubnets: THREE_SUBNETS }, Encapsulation.IPIP_CROSS_SUBNET, CalicoBackend.BIRD],
    ['two subnets are already several', { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'] }, Encapsulation.IPIP_CROSS_SUBNET, CalicoBackend.BIRD],
    ['BGP blocked, one subnet -> VXLAN', { nodeSubnets: ONE_SUBNET, bgpAllowed: false }, Encapsulation.VXLAN, CalicoBackend.VXLAN],
    ['IP-in-IP not allowed, one subnet -> VXLAN', { nodeSubnets: ONE_SUBNET, ipipAllowed: false }, Encapsulation.VXLAN, CalicoBackend.VXLAN],
    ['BGP blocked, no subnets stated -> VXLAN', { bgpAllowed: false }, Encapsulation.VXLAN, CalicoBackend.VXLAN],
    ['BGP blocked, several subnets -> VXLAN CrossSubnet', { nodeSubnets: THREE_SUBNETS, bgpAllowed: false }, Encapsulation.VXLAN_CROSS_SUBNET, CalicoBackend.VXLAN],
    ['IP-in-IP not allowed, several subnets -> VXLAN CrossSubnet', { nodeSubnets: THREE_SUBNETS, ipipAllowed: false }, Encapsulation.VXLAN_CROSS_SUBNET, CalicoBackend.VXLAN],
    ['BGP blocked with source/destination checks -> VXLAN Always', { nodeSubnets: THREE_SUBNETS, bgpAllowed: false, sourceDestinationCheck: true }, Encapsulation.VXLAN, CalicoBackend.VXLAN],
    ['no subnets stated -> IP-in-IP Always', {}, Encapsulation.IPIP, CalicoBackend.BIRD],
  ])('%s', (_name, f, encapsulation, backend) => {
    const choice = chooseRouting(facts(f));
    expect(choice.encapsulation).toBe(encapsulation);
    expect(choice.backend).toBe(backend);
  });

  test('each choice gives its reason in words', () => {
    expect(chooseRouting(facts({ nodeSubnets: ONE_SUBNET })).reason).toMatch(/^no encapsulation: all nodes share one subnet \(10\.0\.0\.0\/24\)/);
    expect(chooseRouting(facts({ nodeSubnets: THREE_SUBNETS })).reason).toMatch(/^IP-in-IP CrossSubnet: nodes span 3 subnets/);
    expect(chooseRouting(facts({ sourceDestinationCheck: true })).reason).toMatch(/^IP-in-IP Always: the fabric enforces source\/destination checks/);
    expect(chooseRouting(facts({ bgpAllowed: false })).reason).toMatch(/^VXLAN, for all traffic: BGP may not run on this network/);
    expect(chooseRouting(facts({ ipipAllowed: false })).reason).toMatch(/the network does not allow IP-in-IP/);
    expect(chooseRouting(facts({ nodeSubnets: THREE_SUBNETS, bgpAllowed: false })).reason).toMatch(/^VXLAN, only between the 3 node subnets/);
    expect(chooseRouting(facts()).reason).toMatch(/no node subnets were stated/);
  });

  test('no stated subnets gives IP-in-IP Always with an advisory to state them', () => {
    const c = cluster({});
    expect(c.encapsulation).toBe(Encapsulation.IPIP);
    expect(c.advisories).toEqual([expect.objectContaining({ code: 'node-subnets', message: expect.stringMatching(/network\.nodeSubnets is not stated/) })]);
  });

  test('stated subnets or an explicit encapsulation give no node-subnets advisory', () => {
    expect(cluster({ network: { nodeSubnets: ONE_SUBNET } }).advisories.map(a => a.code)).not.toContain('node-subnets');
    expect(cluster({ encapsulation: Encapsulation.IPIP }).advisories.map(a => a.code)).not.toContain('node-subnets');
  });

  test('the cluster takes the table\'s choice and records it as the routing decision', () => {
    const c = cluster({ network: { nodeSubnets: THREE_SUBNETS } });
    expect(c.encapsulation).toBe(Encapsulation.IPIP_CROSS_SUBNET);
    expect(c.backend).toBe(CalicoBackend.BIRD);
    expect(c.decisions.find(d => d.topic === 'routing')).toEqual({
      topic: 'routing',
      choice: 'IPIPCrossSubnet',
      reason: 'IP-in-IP CrossSubnet: nodes span 3 subnets; traffic inside a subnet stays native',
    });
  });

  const arbitraryFacts = fc.record({
    nodeSubnets: fc.constantFrom<string[]>([], ONE_SUBNET, ['10.0.0.0/24', '10.0.1.0/24'], THREE_SUBNETS),
    networkMtu: fc.integer({ min: 1300, max: 9216 }),
    bgpAllowed: fc.boolean(),
    ipipAllowed: fc.boolean(),
    sourceDestinationCheck: fc.boolean(),
    ipv6: fc.boolean(),
    wireguard: fc.boolean(),
  });

  test('the table never chooses an encapsulation the facts rule out', () => {
    fc.assert(fc.property(arbitraryFacts, f => {
      const choice = chooseRouting(f);
      expect(incompatibility(choice.encapsulation, f)).toBeUndefined();
      const vxlan = choice.encapsulation === Encapsulation.VXLAN || choice.encapsulation === Encapsulation.VXLAN_CROSS_SUBNET;
      expect(choice.backend).toBe(vxlan ? CalicoBackend.VXLAN : CalicoBackend.BIRD);
    }));
  });

  test('VXLAN is chosen exactly when BGP or IP-in-IP is unavailable; native routing only for one subnet without checks', () => {
    fc.assert(fc.property(arbitraryFacts, f => {
      const choice = chooseRouting(f);
      const vxlan = choice.encapsulation === Encapsulation.VXLAN || choice.encapsulation === Encapsulation.VXLAN_CROSS_SUBNET;
      expect(vxlan).toBe(!f.bgpAllowed || !f.ipipAllowed);
      expect(choice.encapsulation === Encapsulation.NONE)
        .toBe(f.bgpAllowed && f.ipipAllowed && !f.sourceDestinationCheck && f.nodeSubnets.length === 1);
    }));
  });
});

describe('explicit encapsulation', () => {
  const accepted: Array<[Encapsulation, Partial<ResolvedFacts>, CalicoBackend]> = [
    [Encapsulation.NONE, { nodeSubnets: ONE_SUBNET }, CalicoBackend.BIRD],
    [Encapsulation.IPIP, { nodeSubnets: ONE_SUBNET }, CalicoBackend.BIRD],
    [Encapsulation.IPIP_CROSS_SUBNET, { nodeSubnets: ONE_SUBNET }, CalicoBackend.BIRD],
    [Encapsulation.IPIP, { nodeSubnets: THREE_SUBNETS, sourceDestinationCheck: true }, CalicoBackend.BIRD],
    [Encapsulation.VXLAN, { nodeSubnets: ONE_SUBNET }, CalicoBackend.VXLAN],
    [Encapsulation.VXLAN_CROSS_SUBNET, { nodeSubnets: THREE_SUBNETS }, CalicoBackend.VXLAN],
    [Encapsulation.VXLAN, { bgpAllowed: false, ipipAllowed: false, sourceDestinationCheck: true }, CalicoBackend.VXLAN],
  ];
  test.each(accepted)('%s is accepted with facts %j', (e, f, backend) => {
    const result = checkedRouting(e, facts(f)) as RoutingChoice;
    expect(typeof result).toBe('object');
    expect(result.encapsulation).toBe(e);
    expect(result.backend).toBe(backend);
    expect(result.reason).toBe(`${e}: chosen explicitly (encapsulation prop) and compatible with the stated network facts`);
  });

  const rejected: Array<[Encapsulation, Partial<ResolvedFacts>, RegExp]> = [
    [Encapsulation.NONE, { nodeSubnets: ONE_SUBNET, bgpAllowed: false }, /^None distributes pod routes with BGP, but the network facts say BGP may not run \(bgpAllowed: false\); use Encapsulation\.VXLAN$/],
    [Encapsulation.IPIP, { bgpAllowed: false }, /^IPIP distributes pod routes with BGP, but .*\(bgpAllowed: false\); use Encapsulation\.VXLAN$/],
    [Encapsulation.IPIP_CROSS_SUBNET, { bgpAllowed: false }, /^IPIPCrossSubnet distributes pod routes with BGP/],
    [Encapsulation.IPIP, { ipipAllowed: false }, /^IPIP needs IP-in-IP \(IP protocol 4\), which the network does not allow \(ipipAllowed: false\); use Encapsulation\.VXLAN$/],
    [Encapsulation.IPIP_CROSS_SUBNET, { ipipAllowed: false }, /^IPIPCrossSubnet needs IP-in-IP/],
    [Encapsulation.NONE, { nodeSubnets: ONE_SUBNET, sourceDestinationCheck: true }, /^unencapsulated pod traffic is dropped by a fabric that enforces source\/destination checks \(sourceDestinationCheck: true\); use Encapsulation\.IPIP or Encapsulation\.VXLAN, or disable the checks$/],
    [Encapsulation.NONE, { nodeSubnets: THREE_SUBNETS }, /^unencapsulated pod traffic cannot cross the routers between the 3 node subnets .*; use Encapsulation\.IPIP_CROSS_SUBNET/],
    [Encapsulation.IPIP_CROSS_SUBNET, { sourceDestinationCheck: true }, /^IPIPCrossSubnet sends same-subnet traffic unencapsulated, which a fabric with source\/destination checks drops; use the Always form/],
    [Encapsulation.VXLAN_CROSS_SUBNET, { sourceDestinationCheck: true }, /^VXLANCrossSubnet sends same-subnet traffic unencapsulated/],
  ];
  test.each(rejected)('%s is rejected with facts %j', (e, f, message) => {
    const result = checkedRouting(e, facts(f));
    expect(typeof result).toBe('string');
    expect(result).toMatch(message);
    expect(incompatibility(e, facts(f))).toBe(result);
  });

  test('VXLAN is compatible with every combination of facts', () => {
    fc.assert(fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 4 }), (bgp, ipip, sdc, n) => {
      const f = facts({ bgpAllowed: bgp, ipipAllowed: ipip, sourceDestinationCheck: sdc, nodeSubnets: THREE_SUBNETS.slice(0, Math.min(n, 3)) });
      expect(incompatibility(Encapsulation.VXLAN, f)).toBeUndefined();
    }));
  });

  test('the cluster rejects an incompatible encapsulation with a CalicoValidationError that says why', () => {
    const chart = newChart();
    const err = errorOf(() => new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false }, encapsulation: Encapsulation.NONE }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(CalicoErrors.constructPathOf(err)).toBe('test/calico');
    expect(err.message).toBe('[test/calico] CalicoCluster: encapsulation None does not fit the network facts: None distributes pod routes with BGP, but the network facts say BGP may not run (bgpAllowed: false); use Encapsulation.VXLAN');
  });

  test('the cluster uses an accepted explicit encapsulation over the table and records that it was explicit', () => {
    const c = cluster({ network: { nodeSubnets: ONE_SUBNET }, encapsulation: Encapsulation.VXLAN });
    expect(c.encapsulation).toBe(Encapsulation.VXLAN);
    expect(c.backend).toBe(CalicoBackend.VXLAN);
    expect(c.decisions.find(d => d.topic === 'routing')?.reason).toMatch(/chosen explicitly/);
  });
});

describe('MTU overheads', () => {
  test('the per-encapsulation constants are Calico\'s', () => {
    expect([MtuOverhead.IPIP, MtuOverhead.VXLAN_IPV4, MtuOverhead.VXLAN_IPV6, MtuOverhead.WIREGUARD_IPV4, MtuOverhead.WIREGUARD_IPV6])
      .toEqual([20, 50, 70, 60, 80]);
  });

  test('the limits: IPv4 minimum 576, IPv6 minimum 1280, largest network MTU 9216', () => {
    expect([MtuOverhead.MIN_IPV4_MTU, MtuOverhead.MIN_IPV6_MTU, MtuOverhead.MAX_NETWORK_MTU]).toEqual([576, 1280, 9216]);
  });

  test.each<[Encapsulation, boolean, number]>([
    [Encapsulation.NONE, false, 0],
    [Encapsulation.NONE, true, 0],
    [Encapsulation.IPIP, false, 20],
    [Encapsulation.IPIP_CROSS_SUBNET, false, 20],
    [Encapsulation.VXLAN, false, 50],
    [Encapsulation.VXLAN_CROSS_SUBNET, false, 50],
    [Encapsulation.VXLAN, true, 70],
    [Encapsulation.VXLAN_CROSS_SUBNET, true, 70],
  ])('%s with ipv6=%s costs %d bytes', (e, ipv6, overhead) => {
    expect(MtuOverhead.of(e, ipv6)).toBe(overhead);
  });
});

describe('veth MTU', () => {
  test.each<[number, Encapsulation, number]>([
    [1500, Encapsulation.NONE, 1500],
    [1500, Encapsulation.IPIP, 1480],
    [1500, Encapsulation.VXLAN, 1450],
    [9001, Encapsulation.NONE, 9001],
    [9001, Encapsulation.IPIP_CROSS_SUBNET, 8981],
    [9001, Encapsulation.VXLAN, 8951],
  ])('FACTS.md: network MTU %d with %s gives %d', (network, e, expected) => {
    expect(vethMtu(facts({ networkMtu: network }), e).mtu).toBe(expected);
  });

  test('VXLAN over IPv6 (dual stack) subtracts 70', () => {
    expect(vethMtu(facts({ ipv6: true }), Encapsulation.VXLAN)).toMatchObject({ mtu: 1430, overhead: 70 });
  });

  test('IP-in-IP costs 20 even in a dual-stack cluster (IPv6 pods are not tunnelled by it)', () => {
    expect(vethMtu(facts({ ipv6: true }), Encapsulation.IPIP)).toMatchObject({ mtu: 1480, overhead: 20 });
  });

  test.each<[Encapsulation, boolean, number, string]>([
    [Encapsulation.NONE, false, 60, 'WireGuard'],
    [Encapsulation.IPIP, false, 60, 'WireGuard'],
    [Encapsulation.VXLAN, false, 60, 'WireGuard'],
    [Encapsulation.NONE, true, 80, 'WireGuard over IPv6'],
    [Encapsulation.VXLAN, true, 80, 'WireGuard over IPv6'],
  ])('WireGuard with %s (ipv6=%s): the largest overhead, %d, wins', (e, ipv6, overhead, label) => {
    const r = vethMtu(facts({ wireguard: true, ipv6 }), e);
    expect(r.overhead).toBe(overhead);
    expect(r.mtu).toBe(1500 - overhead);
    expect(r.reason).toBe(`veth MTU ${1500 - overhead} = network MTU 1500 - ${overhead} (${label})`);
  });

  test('the overhead is never smaller than any single feature in use', () => {
    fc.assert(fc.property(fc.constantFrom(...ALL_ENCAPSULATIONS), fc.boolean(), fc.boolean(), fc.integer({ min: 1300, max: 9216 }),
      (e, ipv6, wireguard, network) => {
        const r = vethMtu(facts({ ipv6, wireguard, networkMtu: network }), e);
        const vxlan = e === Encapsulation.VXLAN || e === Encapsulation.VXLAN_CROSS_SUBNET;
        expect(r.overhead).toBeGreaterThanOrEqual(MtuOverhead.of(e, ipv6 && vxlan));
        if (wireguard) expect(r.overhead).toBeGreaterThanOrEqual(ipv6 ? 80 : 60);
        expect(r.mtu).toBe(network - r.overhead);
      }));
  });

  test('the reason names the arithmetic', () => {
    expect(vethMtu(facts({ networkMtu: 9001 }), Encapsulation.IPIP_CROSS_SUBNET).reason).toBe('veth MTU 8981 = network MTU 9001 - 20 (IPIPCrossSubnet)');
    expect(vethMtu(facts(), Encapsulation.NONE).reason).toBe('veth MTU 1500 = network MTU 1500 - 0 (no encapsulation)');
  });

  test.each<[string, number, CalicoClusterProps]>([
    ['single subnet, 1500', 1500, { network: { nodeSubnets: ONE_SUBNET, mtu: 1500 } }],
    ['several subnets, 9001', 8981, { network: { nodeSubnets: THREE_SUBNETS, mtu: 9001 } }],
    ['source/destination checks, 1500', 1480, { network: { nodeSubnets: ONE_SUBNET, sourceDestinationCheck: true } }],
    ['BGP blocked, 9001', 8951, { network: { nodeSubnets: ONE_SUBNET, mtu: 9001, bgpAllowed: false } }],
    ['BGP blocked, dual stack', 1430, { network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false }, ipv6PodCidr: 'fd00:10:244::/56' }],
    ['WireGuard on IP-in-IP', 1440, { network: { nodeSubnets: THREE_SUBNETS }, wireguard: true }],
    ['WireGuard, dual stack', 1420, { network: { nodeSubnets: ONE_SUBNET }, wireguard: true, ipv6PodCidr: 'fd00:10:244::/56' }],
  ])('the cluster applies it: %s -> %d', (_name, expected, props) => {
    const c = cluster(props);
    expect(c.vethMtu).toBe(expected);
    expect(c.decisions.find(d => d.topic === 'mtu')?.choice).toBe(String(expected));
  });
});

describe('MTU limits', () => {
  test('fails when the workload MTU falls below the IPv4 minimum after the overhead', () => {
    const err = errorOf(() => cluster({ network: { mtu: 590 } }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toContain('network.mtu 590 leaves a workload MTU of 570 after 20 bytes of overhead, below the IPv4 minimum of 576; raise network.mtu to at least 596');
  });

  test('accepts the workload MTU at exactly the IPv4 minimum', () => {
    expect(cluster({ network: { mtu: 596 } }).vethMtu).toBe(576);
    expect(cluster({ network: { mtu: 576, nodeSubnets: ONE_SUBNET } }).vethMtu).toBe(576);
  });

  test('fails below the IPv6 minimum in a dual-stack cluster', () => {
    const err = errorOf(() => cluster({ network: { mtu: 1300, bgpAllowed: false }, ipv6PodCidr: 'fd00:10:244::/56' }));
    expect(err.message).toContain('network.mtu 1300 leaves a workload MTU of 1230 after 70 bytes of overhead, below the IPv6 minimum of 1280; raise network.mtu to at least 1350');
    expect(cluster({ network: { mtu: 1350, bgpAllowed: false }, ipv6PodCidr: 'fd00:10:244::/56' }).vethMtu).toBe(1280);
  });

  test('WireGuard\'s overhead counts towards the minimum', () => {
    expect(errorOf(() => cluster({ network: { mtu: 600, nodeSubnets: ONE_SUBNET }, wireguard: true })).message)
      .toContain('after 60 bytes of overhead, below the IPv4 minimum of 576; raise network.mtu to at least 636');
  });

  test.each([575, 9217, 1500.5, 0, -1500])('fails when network.mtu is %d', mtu => {
    const err = errorOf(() => cluster({ network: { mtu } }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toContain(`network.mtu ${mtu} is outside 576-9216; give the MTU of the node network`);
  });

  test('accepts the largest network MTU, 9216', () => {
    expect(cluster({ network: { mtu: 9216, nodeSubnets: ONE_SUBNET } }).vethMtu).toBe(9216);
  });
});
