import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { AsNumber, CalicoCluster, CalicoClusterProps, CalicoErrors, Encapsulation, NodeSettingsDelivery } from '../../src';
import { RouteReflectorPool, RouteReflectorPoolProps } from '../../src/topology/route-reflector-pool';
import { errorOf, expectCrdSchemaValid, findAll, findObject, newChart, synth } from '../support/util';

// Synthesis prints the warnings some of these policies draw (shadowed rules, empty tiers); keep the log quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

function clusterIn(chart: Chart, props: CalicoClusterProps = {}): CalicoCluster {
  return new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: ['10.0.0.0/20'] },
    asNumber: AsNumber.of(63400),
    ...props,
  });
}

const TWO = [
  { nodeName: 'rr-1', ipv4Address: '10.0.0.10' },
  { nodeName: 'rr-2', ipv4Address: '10.0.0.11' },
];

function pool(props: Partial<RouteReflectorPoolProps> = {}, clusterProps: CalicoClusterProps = {}) {
  const chart = newChart();
  const cluster = clusterIn(chart, clusterProps);
  const rr = new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO, ...props });
  return { chart, cluster, rr };
}

describe('RouteReflectorPool peerings', () => {
  test('peers every non-reflector with the reflectors (rr-clients)', () => {
    const peer = findObject(synth(pool().chart), 'BGPPeer', 'rr-clients');
    expect(peer.spec).toEqual({ nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)' });
  });

  test('peers the reflectors with each other (rr-mesh)', () => {
    const peer = findObject(synth(pool().chart), 'BGPPeer', 'rr-mesh');
    expect(peer.spec).toEqual({ nodeSelector: 'has(route-reflector)', peerSelector: 'has(route-reflector)' });
  });

  test('exposes both peerings', () => {
    const { rr } = pool();
    expect(rr.clientPeer.name).toBe('rr-clients');
    expect(rr.reflectorPeer.name).toBe('rr-mesh');
  });
});

describe('RouteReflectorPool reflector Calico Nodes (NodeSettingsDelivery.CALICO_NODES)', () => {
  const CALICO = { nodeSettings: NodeSettingsDelivery.CALICO_NODES };

  test('renders a Calico Node per reflector with the string label "true", the cluster ID and the address with its subnet prefix', () => {
    const node = findObject(synth(pool(CALICO).chart), 'Node', 'rr-1');
    expect(node.metadata.labels).toEqual({ 'route-reflector': 'true' });
    expect(node.spec).toEqual({ bgp: { ipv4Address: '10.0.0.10/20', routeReflectorClusterID: '244.0.0.1' } });
  });

  test('writes the IP-in-IP tunnel address when given', () => {
    const { chart } = pool({ ...CALICO, reflectors: [{ ...TWO[0], ipv4IpipTunnelAddr: '192.168.12.1' }, TWO[1]] });
    expect(findObject(synth(chart), 'Node', 'rr-1').spec.bgp.ipv4IPIPTunnelAddr).toBe('192.168.12.1');
  });

  test('accepts an address written with its prefix when the prefix matches the subnet', () => {
    const { chart } = pool({ ...CALICO, reflectors: [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10/20' }, TWO[1]] });
    expect(findObject(synth(chart), 'Node', 'rr-1').spec.bgp.ipv4Address).toBe('10.0.0.10/20');
  });

  test('takes the prefix of the declared subnet that holds the address', () => {
    const { chart } = pool({
      ...CALICO,
      reflectors: [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10' }, { nodeName: 'rr-2', ipv4Address: '10.1.0.10' }],
    }, { network: { nodeSubnets: ['10.0.0.0/20', '10.1.0.0/24'] } });
    const nodes = findAll(synth(chart), 'Node');
    expect(nodes.map(n => n.spec.bgp.ipv4Address)).toEqual(['10.0.0.10/20', '10.1.0.10/24']);
  });

  test('uses the given subnet when the cluster declares none', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { encapsulation: Encapsulation.IPIP });
    new RouteReflectorPool(chart, 'rr', {
      ...CALICO,
      cluster,
      reflectors: TWO.map(r => ({ ...r, subnet: '10.0.0.0/22' })),
    });
    expect(findObject(synth(chart), 'Node', 'rr-2').spec.bgp.ipv4Address).toBe('10.0.0.11/22');
  });

  test('cluster ID defaults to 244.0.0.1', () => {
    expect(pool(CALICO).rr.clusterId).toBe('244.0.0.1');
  });

  test('cluster ID can be set', () => {
    const { chart, rr } = pool({ ...CALICO, clusterId: '10.255.0.1' });
    expect(rr.clusterId).toBe('10.255.0.1');
    expect(findObject(synth(chart), 'Node', 'rr-2').spec.bgp.routeReflectorClusterID).toBe('10.255.0.1');
  });

  test('addReflector adds a reflector after construction', () => {
    const chart = newChart();
    const cluster = clusterIn(chart);
    const rr = new RouteReflectorPool(chart, 'rr', { ...CALICO, cluster, reflectors: [TWO[0]] });
    const node = rr.addReflector(TWO[1]);
    expect(node?.name).toBe('rr-2');
    expect(rr.reflectors.map(r => r.nodeName)).toEqual(['rr-1', 'rr-2']);
    expect(findAll(synth(chart), 'Node').map(n => n.metadata.name)).toEqual(['rr-1', 'rr-2']);
  });

  test('reflectors returns copies', () => {
    const { rr } = pool(CALICO);
    const list = rr.reflectors;
    (list as any).pop();
    expect(rr.reflectors).toHaveLength(2);
  });

  test('every synthesized Calico object passes the CRD schemas', () => {
    expectCrdSchemaValid(synth(pool(CALICO).chart));
  });
});

describe('RouteReflectorPool and the node-to-node mesh', () => {
  test('turns the mesh off in the BGPConfiguration default', () => {
    const { chart, cluster } = pool();
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec).toEqual({
      asNumber: 63400, logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false,
    });
    expect(cluster.nodeToNodeMeshEnabled).toBe(false);
    expect(cluster.decisions.find(d => d.topic === 'bgp-mesh')?.choice).toBe('disabled');
  });

  test('orders the peerings, then the reflector Nodes, then the BGPConfiguration that turns the mesh off', () => {
    const order = synth(pool().chart).map(m => `${m.kind}/${m.metadata.name}`);
    const at = (id: string) => order.indexOf(id);
    expect(at('BGPPeer/rr-clients')).toBeGreaterThanOrEqual(0);
    expect(at('BGPPeer/rr-clients')).toBeLessThan(at('Node/rr-1'));
    expect(at('BGPPeer/rr-mesh')).toBeLessThan(at('Node/rr-1'));
    expect(at('Node/rr-1')).toBeLessThan(at('BGPConfiguration/default'));
    expect(at('Node/rr-2')).toBeLessThan(at('BGPConfiguration/default'));
  });

  test('a reflector added later still comes before the BGPConfiguration', () => {
    const chart = newChart();
    const cluster = clusterIn(chart);
    const rr = new RouteReflectorPool(chart, 'rr', { cluster, reflectors: [TWO[0]] });
    rr.addReflector(TWO[1]);
    const order = synth(chart).map(m => `${m.kind}/${m.metadata.name}`);
    expect(order.indexOf('Node/rr-2')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
  });

  test('keepNodeToNodeMesh keeps the mesh on next to the reflectors, still ordered before the BGPConfiguration', () => {
    const { chart, cluster } = pool({ keepNodeToNodeMesh: true });
    const m = synth(chart);
    expect(findObject(m, 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(true);
    const order = m.map(o => `${o.kind}/${o.metadata.name}`);
    expect(order.indexOf('Node/rr-2')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
    expect(cluster.decisions.find(d => d.topic === 'bgp-mesh')?.choice).toBe('enabled');
  });

  test('drops the full-mesh advisory of a large cluster once reflectors replace the mesh', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { expectedNodes: 200 });
    expect(cluster.advisories.map(a => a.code)).toContain('bgp-mesh');
    new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO });
    expect(cluster.advisories.map(a => a.code)).not.toContain('bgp-mesh');
  });
});

describe('RouteReflectorPool dedicated reflectors and kubectl-only clusters', () => {
  test('records no taint steps by default', () => {
    const { cluster, rr } = pool();
    expect(rr.dedicated).toBe(false);
    expect(cluster.manualSteps.some(s => s.command.includes('taint'))).toBe(false);
  });

  test('dedicated: records the exact kubectl taint command per reflector', () => {
    const { cluster } = pool({ dedicated: true });
    expect(cluster.manualSteps.filter(s => s.command.includes('taint')).map(s => s.command)).toEqual([
      'kubectl taint node rr-1 route-reflector=true:NoSchedule',
      'kubectl taint node rr-2 route-reflector=true:NoSchedule',
    ]);
  });

  test('calicoNodeResources: false renders no Node and records the label and annotate commands', () => {
    const { chart, cluster, rr } = pool({ calicoNodeResources: false });
    expect(findAll(synth(chart), 'Node')).toEqual([]);
    expect(rr.reflectorNodes).toEqual([]);
    expect(cluster.manualSteps.map(s => s.command)).toContain(
      'kubectl label node rr-1 route-reflector=true && kubectl annotate node rr-1 projectcalico.org/RouteReflectorClusterID=244.0.0.1');
  });
});

describe('RouteReflectorPool rules', () => {
  test('fails at synthesis with one reflector', () => {
    const chart = newChart();
    new RouteReflectorPool(chart, 'rr', { cluster: clusterIn(chart), reflectors: [TWO[0]] });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(CalicoErrors.constructPathOf(e)).toBe('test/rr');
    expect(e.message).toMatch(/RouteReflectorPool has 1 reflector; a cluster needs at least 2/);
  });

  test('fails at synthesis with no reflectors', () => {
    const chart = newChart();
    new RouteReflectorPool(chart, 'rr', { cluster: clusterIn(chart) });
    expect(errorOf(() => synth(chart)).message).toMatch(/has 0 reflectors/);
  });

  test('fails when a node subnet of a multi-subnet cluster has no reflector', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { network: { nodeSubnets: ['10.0.0.0/20', '10.0.16.0/20'] } });
    new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/node subnet 10\.0\.16\.0\/20 has no route reflector/);
  });

  test('passes with one reflector in each subnet', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { network: { nodeSubnets: ['10.0.0.0/20', '10.0.16.0/20'] } });
    new RouteReflectorPool(chart, 'rr', {
      cluster,
      reflectors: [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10' }, { nodeName: 'rr-2', ipv4Address: '10.0.16.10' }],
    });
    expect(findAll(synth(chart), 'Node')).toHaveLength(2);
  });

  test.each([
    ['a repeated node name', [TWO[0], { nodeName: 'rr-1', ipv4Address: '10.0.0.12' }], /reflector 'rr-1' is listed twice/],
    ['a repeated address', [TWO[0], { nodeName: 'rr-2', ipv4Address: '10.0.0.10' }], /10\.0\.0\.10 is already the address of reflector 'rr-1'/],
    ['an address outside the node subnets', [{ nodeName: 'rr-1', ipv4Address: '10.9.0.1' }], /10\.9\.0\.1 is outside every node subnet \(10\.0\.0\.0\/20\)/],
    ['an IPv6 address', [{ nodeName: 'rr-1', ipv4Address: 'fd00::1' }], /ipv4Address "fd00::1" is not an IPv4 address/],
    ['text that is no address', [{ nodeName: 'rr-1', ipv4Address: 'rr-1.local' }], /is not an IPv4 address/],
    ['a prefix that differs from the subnet', [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10/24' }], /has prefix \/24 but its subnet 10\.0\.0\.0\/20 is a \/20/],
    ['the network address', [{ nodeName: 'rr-1', ipv4Address: '10.0.0.0' }], /is the network address of 10\.0\.0\.0\/20/],
    ['a subnet that is not declared', [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10', subnet: '10.0.0.0/24' }], /subnet 10\.0\.0\.0\/24 is not one of the cluster's node subnets/],
    ['a tunnel address equal to the BGP address', [{ ...TWO[0], ipv4IpipTunnelAddr: '10.0.0.10' }], /equals the BGP address/],
    ['a tunnel address with a prefix', [{ ...TWO[0], ipv4IpipTunnelAddr: '192.168.0.1/32' }], /ipv4IpipTunnelAddr "192\.168\.0\.1\/32" is not an IPv4 address/],
  ])('fails where the value arrives with %s', (_, reflectors, message) => {
    const chart = newChart();
    const e = errorOf(() => new RouteReflectorPool(chart, 'rr', { cluster: clusterIn(chart), reflectors }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(CalicoErrors.constructPathOf(e)).toBe('test/rr');
    expect(e.message).toMatch(message);
  });

  test('fails when the address lies outside the subnet given for it', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { encapsulation: Encapsulation.IPIP });
    expect(errorOf(() => new RouteReflectorPool(chart, 'rr', {
      cluster, reflectors: [{ nodeName: 'rr-1', ipv4Address: '10.0.1.10', subnet: '10.0.0.0/24' }],
    })).message).toMatch(/10\.0\.1\.10 is outside its subnet 10\.0\.0\.0\/24/);
  });

  test('fails without declared subnets and without a subnet for the reflector', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { encapsulation: Encapsulation.IPIP });
    expect(errorOf(() => new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO })).message)
      .toMatch(/states no node subnets, so the prefix of 10\.0\.0\.10 is unknown; set network\.nodeSubnets/);
  });

  test.each(['244.0.0.1/32', 'fd00::1', 'cluster-a'])('fails when clusterId is %s', clusterId => {
    const chart = newChart();
    expect(errorOf(() => new RouteReflectorPool(chart, 'rr', { cluster: clusterIn(chart), clusterId })).message)
      .toMatch(/must be written as an IPv4 address/);
  });

  test('a dual-stack cluster needs each reflector\'s IPv6 address in a Calico Node, and writes it', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { ipv6PodCidr: 'fd00:10:244::/56' });
    expect(errorOf(() => new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO, nodeSettings: NodeSettingsDelivery.CALICO_NODES })).message)
      .toMatch(/the cluster is dual stack.*give ipv6Address/);
    const chart2 = newChart();
    new RouteReflectorPool(chart2, 'rr', {
      nodeSettings: NodeSettingsDelivery.CALICO_NODES,
      cluster: clusterIn(chart2, { ipv6PodCidr: 'fd00:10:244::/56' }),
      reflectors: TWO.map((r, i) => ({ ...r, ipv6Address: `fd00:10::${10 + i}/64` })),
    });
    expect(findObject(synth(chart2), 'Node', 'rr-1').spec.bgp.ipv6Address).toBe('fd00:10::10/64');
  });

  test('fails on a cluster without BGP (VXLAN)', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/20'], bgpAllowed: false } });
    const e = errorOf(() => new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/RouteReflectorPool needs BGP, but this cluster uses the 'vxlan' backend/);
  });

  test('fails on a second pool for the same cluster', () => {
    const { chart, cluster } = pool();
    expect(errorOf(() => new RouteReflectorPool(chart, 'rr2', { cluster })).message)
      .toMatch(/already has a route reflector pool \(test\/rr\)/);
  });

  test('random reflector addresses either synthesize schema-valid objects or fail with CalicoValidationError', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const address = fc.tuple(fc.constantFrom(10, 172, 192), octet, octet, octet).map(p => p.join('.'));
    fc.assert(fc.property(fc.array(address, { minLength: 0, maxLength: 4 }), fc.constantFrom('10.0.0.0/20', '172.16.0.0/12', '10.0.0.0/8'), (addresses, subnet) => {
      const chart = newChart();
      try {
        const cluster = clusterIn(chart, { network: { nodeSubnets: [subnet] }, podCidr: '100.64.0.0/16' });
        new RouteReflectorPool(chart, 'rr', { cluster, reflectors: addresses.map((a, i) => ({ nodeName: `rr-${i}`, ipv4Address: a })) });
        const manifests = synth(chart);
        expect(findAll(manifests, 'Node')).toHaveLength(addresses.length);
        expectCrdSchemaValid(manifests);
      } catch (e) {
        expect(CalicoErrors.isValidationError(e)).toBe(true);
      }
    }), { numRuns: 60 });
  });
});
