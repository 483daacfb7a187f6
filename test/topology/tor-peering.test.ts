import { Chart } from 'cdk8s';
import { AsNumber, BgpPeer, CalicoCluster, CalicoClusterProps, CalicoErrors, Selector } from '../../src';
import { RouteReflectorPool } from '../../src/topology/route-reflector-pool';
import { TopOfRackPeering, TopOfRackPeeringProps, TopOfRackRouter } from '../../src/topology/tor-peering';
import { errorOf, expectCrdSchemaValid, findAll, findObject, newChart, synth } from '../support/util';

function clusterIn(chart: Chart, props: CalicoClusterProps = {}): CalicoCluster {
  return new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: ['192.168.1.0/24', '192.168.2.0/24'] },
    asNumber: AsNumber.of(63400),
    podCidr: '10.48.0.0/16',
    ...props,
  });
}

const RACK_A: TopOfRackRouter = { rack: 'a', ip: '192.168.1.1', asNumber: AsNumber.of(64400) };
const RACK_B: TopOfRackRouter = { rack: 'b', ip: '192.168.2.1', asNumber: AsNumber.of(64401) };

function tor(props: Partial<TopOfRackPeeringProps> = {}, clusterProps: CalicoClusterProps = {}) {
  const chart = newChart();
  const cluster = clusterIn(chart, clusterProps);
  const peering = new TopOfRackPeering(chart, 'tor', { cluster, racks: [RACK_A, RACK_B], ...props });
  return { chart, cluster, peering };
}

describe('TopOfRackPeering peerings', () => {
  test('peers the nodes of each rack with that rack\'s router and AS', () => {
    const m = synth(tor().chart);
    expect(findObject(m, 'BGPPeer', 'tor-rack-a').spec).toEqual({ nodeSelector: 'rack == "a"', peerIP: '192.168.1.1', asNumber: 64400 });
    expect(findObject(m, 'BGPPeer', 'tor-rack-b').spec).toEqual({ nodeSelector: 'rack == "b"', peerIP: '192.168.2.1', asNumber: 64401 });
  });

  test('writes a dotted AS number as its plain value', () => {
    const { chart } = tor({ racks: [{ rack: 'a', ip: '192.168.1.1', asNumber: AsNumber.parse('1.10') }] });
    expect(findObject(synth(chart), 'BGPPeer', 'tor-rack-a').spec.asNumber).toBe(65546);
  });

  test('the rack label defaults to rack', () => {
    expect(tor().peering.rackLabel).toBe('rack');
  });

  test('the rack label can be set', () => {
    const { chart } = tor({ rackLabel: 'topology.example.com/rack' });
    expect(findObject(synth(chart), 'BGPPeer', 'tor-rack-a').spec.nodeSelector).toBe('topology.example.com/rack == "a"');
  });

  test('peer names default to tor-rack-<rack> in lower case, and can be set', () => {
    const { chart } = tor({ racks: [{ rack: 'Row_1', ip: '192.168.1.1', asNumber: AsNumber.of(64400) }, { ...RACK_B, peerName: 'spine-b' }] });
    const names = findAll(synth(chart), 'BGPPeer').map(p => p.metadata.name);
    expect(names).toEqual(['tor-rack-row-1', 'spine-b']);
  });

  test('addRack adds a rack after construction and returns its peer', () => {
    const { peering } = tor({ racks: [RACK_A] });
    const peer = peering.addRack(RACK_B);
    expect(peer).toBeInstanceOf(BgpPeer);
    expect(peering.racks).toEqual(['a', 'b']);
    expect(peering.peerOf('b')).toBe(peer);
  });

  test('peerOf fails for an unknown rack and lists the known ones', () => {
    expect(errorOf(() => tor().peering.peerOf('z')).message).toMatch(/has no rack 'z'; it has 'a', 'b'/);
  });

  test('numAllowedLocalAsNumbers is not written by default', () => {
    expect(findObject(synth(tor().chart), 'BGPPeer', 'tor-rack-a').spec).not.toHaveProperty('numAllowedLocalASNumbers');
  });

  test('numAllowedLocalAsNumbers is written on every rack peering when set', () => {
    const m = synth(tor({ numAllowedLocalAsNumbers: 1 }).chart);
    expect(findAll(m, 'BGPPeer').map(p => p.spec.numAllowedLocalASNumbers)).toEqual([1, 1]);
  });

  test('every synthesized Calico object passes the CRD schemas', () => {
    expectCrdSchemaValid(synth(tor().chart));
  });
});

describe('TopOfRackPeering and the node-to-node mesh', () => {
  test('turns the mesh off after the rack peerings', () => {
    const { chart, cluster } = tor();
    const m = synth(chart);
    expect(findObject(m, 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(false);
    const order = m.map(o => `${o.kind}/${o.metadata.name}`);
    expect(order.indexOf('BGPPeer/tor-rack-a')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
    expect(order.indexOf('BGPPeer/tor-rack-b')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
    expect(cluster.decisions.filter(d => d.topic === 'bgp-mesh').map(d => d.choice)).toEqual(['disabled']);
  });

  test('a rack added later also comes before the BGPConfiguration', () => {
    const { chart, peering } = tor({ racks: [RACK_A] });
    peering.addRack(RACK_B);
    const order = synth(chart).map(o => `${o.kind}/${o.metadata.name}`);
    expect(order.indexOf('BGPPeer/tor-rack-b')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
  });

  test('combines with route reflectors: every replacement comes before the one BGPConfiguration', () => {
    const { chart, cluster } = tor();
    new RouteReflectorPool(chart, 'rr', {
      cluster,
      reflectors: [{ nodeName: 'rr-1', ipv4Address: '192.168.1.10' }, { nodeName: 'rr-2', ipv4Address: '192.168.2.10' }],
    });
    const order = synth(chart).map(o => `${o.kind}/${o.metadata.name}`);
    const config = order.indexOf('BGPConfiguration/default');
    for (const id of ['BGPPeer/tor-rack-a', 'BGPPeer/tor-rack-b', 'BGPPeer/rr-clients', 'BGPPeer/rr-mesh', 'Node/rr-1', 'Node/rr-2']) {
      expect(order.indexOf(id)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(id)).toBeLessThan(config);
    }
    expect(order.filter(o => o.startsWith('BGPConfiguration/'))).toHaveLength(1);
  });

  test('keepNodeToNodeMesh keeps the mesh on', () => {
    const { chart } = tor({ keepNodeToNodeMesh: true });
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(true);
  });

  test('records that eBGP routers must rewrite the AS path, once', () => {
    const { cluster } = tor();
    const duties = cluster.decisions.filter(d => d.topic === 'tor-as-path');
    expect(duties).toHaveLength(1);
    expect(duties[0].reason).toMatch(/AS 63400 in their path.*as-override.*numAllowedLocalAsNumbers: 1/);
  });

  test('records no AS-path duty when numAllowedLocalAsNumbers is set', () => {
    expect(tor({ numAllowedLocalAsNumbers: 1 }).cluster.decisions.some(d => d.topic === 'tor-as-path')).toBe(false);
  });

  test('records that iBGP routers must reflect their rack\'s routes', () => {
    const { cluster } = tor({ racks: [{ rack: 'a', ip: '192.168.1.1', asNumber: AsNumber.of(63400) }] });
    expect(cluster.decisions.find(d => d.topic === 'tor-route-reflection')?.reason).toMatch(/route reflector for its rack's nodes/);
  });
});

describe('TopOfRackPeering rules', () => {
  test('fails at synthesis without racks', () => {
    const chart = newChart();
    new TopOfRackPeering(chart, 'tor', { cluster: clusterIn(chart) });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(CalicoErrors.constructPathOf(e)).toBe('test/tor');
    expect(e.message).toMatch(/TopOfRackPeering has no racks/);
  });

  test.each<[string, TopOfRackRouter[], RegExp]>([
    ['a rack listed twice', [RACK_A, { ...RACK_B, rack: 'a' }], /rack 'a' is listed twice/],
    ['a rack that is no label value', [{ ...RACK_A, rack: '-a' }], /rack "-a" is not a label value/],
    ['an empty rack', [{ ...RACK_A, rack: '' }], /rack "" is not a label value/],
    ['a router shared by two racks', [RACK_A, { ...RACK_B, ip: '192.168.1.1' }], /router 192\.168\.1\.1 is already the router of rack 'a'/],
    ['a router address that is no address', [{ ...RACK_A, ip: 'tor-a' }], /router ip "tor-a" is not an IP address/],
    ['a router address with a prefix', [{ ...RACK_A, ip: '192.168.1.1/24' }], /router ip "192\.168\.1\.1\/24" is not an IP address/],
    ['an IPv6 router in an IPv4 cluster', [{ ...RACK_A, ip: 'fd00::1' }], /router fd00::1 is IPv6, but the cluster is IPv4 only/],
    ['two racks with one peer name', [{ ...RACK_A, peerName: 'tor' }, { ...RACK_B, peerName: 'tor' }], /peer name 'tor' is already the name of rack 'a'/],
  ])('fails where the value arrives with %s', (_, racks, message) => {
    const chart = newChart();
    const e = errorOf(() => new TopOfRackPeering(chart, 'tor', { cluster: clusterIn(chart), racks }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(message);
  });

  test('rejects an out-of-range AS number, plain and dotted', () => {
    expect(errorOf(() => AsNumber.of(4294967296)).message).toMatch(/out of range/);
    expect(errorOf(() => AsNumber.parse('65536.1')).message).toMatch(/the high part 65536 is out of range/);
    expect(errorOf(() => AsNumber.parse('64400a')).message).toMatch(/is not a number/);
  });

  test('fails when numAllowedLocalAsNumbers is 0', () => {
    const chart = newChart();
    expect(errorOf(() => new TopOfRackPeering(chart, 'tor', { cluster: clusterIn(chart), numAllowedLocalAsNumbers: 0 })).message)
      .toMatch(/numAllowedLocalAsNumbers 0 is out of range/);
  });

  test('fails when the rack label is no label key', () => {
    const chart = newChart();
    expect(errorOf(() => new TopOfRackPeering(chart, 'tor', { cluster: clusterIn(chart), rackLabel: 'rack label' })).message)
      .toMatch(/rackLabel 'rack label' is not a label key/);
  });

  test('fails at synthesis when a router address lies inside a pod pool', () => {
    const chart = newChart();
    new TopOfRackPeering(chart, 'tor', { cluster: clusterIn(chart), racks: [{ ...RACK_A, ip: '10.48.0.1' }] });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/rack 'a' router address 10\.48\.0\.1 lies inside IPPool 'default-ipv4-ippool' \(10\.48\.0\.0\/16\)/);
  });

  test('fails where the cluster is built when its pod CIDR overlaps a rack subnet', () => {
    const chart = newChart();
    const err = errorOf(() => clusterIn(chart, { podCidr: '192.168.0.0/16' }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message)
      .toMatch(/CalicoCluster: podCidr 192\.168\.0\.0\/16 overlaps the node subnet 192\.168\.1\.0\/24; pods would get node addresses, so set podCidr/);
  });

  test('fails at synthesis when a hand-written peer takes a rack peering\'s name', () => {
    const { chart } = tor();
    new BgpPeer(chart, 'mine', { name: 'tor-rack-a', nodeSelector: Selector.all(), peerIp: '192.168.9.9', asNumber: AsNumber.of(65000) });
    expect(errorOf(() => synth(chart)).message).toMatch(/BGPPeer name 'tor-rack-a' is already used by test\/tor/);
  });

  test('fails on a cluster without BGP', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { network: { nodeSubnets: ['192.168.1.0/24'], bgpAllowed: false } });
    expect(errorOf(() => new TopOfRackPeering(chart, 'tor', { cluster, racks: [RACK_A] })).message)
      .toMatch(/TopOfRackPeering needs BGP/);
  });

  test('fails on a second top-of-rack peering for the same cluster', () => {
    const { chart, cluster } = tor();
    expect(errorOf(() => new TopOfRackPeering(chart, 'tor2', { cluster })).message).toMatch(/already has a top-of-rack peering/);
  });

  test('peers an IPv6 router in a dual-stack cluster', () => {
    const { chart } = tor({ racks: [{ rack: 'a', ip: 'fd00:1::1', asNumber: AsNumber.of(64400) }] }, { ipv6PodCidr: 'fd00:10:244::/56' });
    expect(findObject(synth(chart), 'BGPPeer', 'tor-rack-a').spec.peerIP).toBe('fd00:1::1');
  });
});
