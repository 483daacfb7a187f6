import { Chart } from 'cdk8s';
import { AsNumber, CalicoCluster, CalicoClusterProps, CalicoErrors } from '../../src';
import { RoutableServices, RoutableServicesProps } from '../../src/topology/routable-services';
import { errorOf, expectCrdSchemaValid, findAll, findObject, newChart, synth } from '../support/util';

function clusterIn(chart: Chart, props: CalicoClusterProps = {}): CalicoCluster {
  return new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: ['10.0.0.0/24'] },
    asNumber: AsNumber.of(63400),
    ...props,
  });
}

const ROUTER = { ip: '10.0.0.1', asNumber: AsNumber.of(64400) };
const DUAL: CalicoClusterProps = { ipv6PodCidr: 'fd00:10:244::/56', serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'] };

function services(props: Partial<RoutableServicesProps> = {}, clusterProps: CalicoClusterProps = {}) {
  const chart = newChart();
  const cluster = clusterIn(chart, clusterProps);
  const advertised = new RoutableServices(chart, 'services', { cluster, routers: [ROUTER], ...props });
  return { chart, cluster, advertised };
}

describe('RoutableServices', () => {
  test('advertises every declared service range by default', () => {
    const { chart, advertised } = services();
    expect(advertised.clusterIps).toEqual(['10.96.0.0/12']);
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec.serviceClusterIPs).toEqual([{ cidr: '10.96.0.0/12' }]);
  });

  test('advertises the cluster IP ranges given, inside the declared range', () => {
    const { chart } = services({ clusterIps: ['10.96.0.0/16'] });
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec.serviceClusterIPs).toEqual([{ cidr: '10.96.0.0/16' }]);
  });

  test('advertises external and LoadBalancer ranges', () => {
    const { chart } = services({ externalIps: ['192.0.2.0/24'], loadBalancerIps: ['198.51.100.0/24'] });
    const spec = findObject(synth(chart), 'BGPConfiguration', 'default').spec;
    expect(spec.serviceExternalIPs).toEqual([{ cidr: '192.0.2.0/24' }]);
    expect(spec.serviceLoadBalancerIPs).toEqual([{ cidr: '198.51.100.0/24' }]);
  });

  test('does not write external or LoadBalancer ranges by default', () => {
    const spec = findObject(synth(services().chart), 'BGPConfiguration', 'default').spec;
    expect(spec).not.toHaveProperty('serviceExternalIPs');
    expect(spec).not.toHaveProperty('serviceLoadBalancerIPs');
  });

  test('peers every node with each router', () => {
    const { chart, advertised } = services();
    expect(findObject(synth(chart), 'BGPPeer', 'router-10-0-0-1').spec).toEqual({ nodeSelector: 'all()', peerIP: '10.0.0.1', asNumber: 64400 });
    expect(advertised.routerPeers.map(p => p.name)).toEqual(['router-10-0-0-1']);
  });

  test('adds no peering without routers (the ranges go to the existing peers)', () => {
    const { chart } = services({ routers: undefined });
    expect(findAll(synth(chart), 'BGPPeer')).toEqual([]);
  });

  test('keeps the node-to-node mesh', () => {
    expect(findObject(synth(services().chart), 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(true);
  });

  test('advertises IPv4 and IPv6 ranges together over routers of both families', () => {
    const { chart } = services({ routers: [ROUTER, { ip: 'fd00::1', asNumber: AsNumber.of(64400) }] }, DUAL);
    const m = synth(chart);
    expect(findObject(m, 'BGPConfiguration', 'default').spec.serviceClusterIPs).toEqual([{ cidr: '10.96.0.0/12' }, { cidr: 'fd00:10:96::/112' }]);
    expect(findAll(m, 'BGPPeer').map(p => [p.metadata.name, p.spec.peerIP])).toEqual([
      ['router-10-0-0-1', '10.0.0.1'], ['router-fd00--1', 'fd00::1'],
    ]);
    expectCrdSchemaValid(m);
  });

  test('records the decision', () => {
    expect(services().cluster.decisions.find(d => d.topic === 'service-advertisement')?.reason).toMatch(/to 10\.0\.0\.1/);
  });

  test('every synthesized Calico object passes the CRD schemas', () => {
    expectCrdSchemaValid(synth(services({ externalIps: ['192.0.2.0/24'], loadBalancerIps: ['198.51.100.0/24'] }).chart));
  });
});

describe('RoutableServices rules', () => {
  test('fails when an advertised cluster IP range lies outside the declared service range', () => {
    const chart = newChart();
    const e = errorOf(() => new RoutableServices(chart, 'services', { cluster: clusterIn(chart), clusterIps: ['10.200.0.0/16'] }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(CalicoErrors.constructPathOf(e)).toBe('test/services');
    expect(e.message).toMatch(/clusterIps entry 10\.200\.0\.0\/16 lies outside the declared IPv4 service range 10\.96\.0\.0\/12; advertise a range inside it/);
  });

  test('fails when a range is wider than the declared service range', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutableServices(chart, 'services', { cluster: clusterIn(chart), clusterIps: ['10.96.0.0/11'] })).message)
      .toMatch(/clusterIps entry 10\.96\.0\.0\/11 lies outside the declared IPv4 service range 10\.96\.0\.0\/12/);
  });

  test('fails when an IPv6 range has no declared IPv6 service range', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutableServices(chart, 'services', {
      cluster: clusterIn(chart, { ipv6PodCidr: 'fd00:10:244::/56' }), clusterIps: ['fd00:10:96::/112'],
    })).message).toMatch(/lies outside any declared service range \(none is IPv6\)/);
  });

  test('fails on an IPv6 range in an IPv4-only cluster', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutableServices(chart, 'services', {
      cluster: clusterIn(chart, { serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'] }),
    })).message).toMatch(/clusterIps entry fd00:10:96::\/112 is IPv6, but the cluster is IPv4 only/);
  });

  test('fails when an advertised family has no router of that family', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutableServices(chart, 'services', { cluster: clusterIn(chart, DUAL), routers: [ROUTER] })).message)
      .toMatch(/IPv6 ranges are advertised, but no router is IPv6/);
  });

  test.each<[string, Partial<RoutableServicesProps>, RegExp]>([
    ['a range with host bits', { clusterIps: ['10.96.0.1/12'] }, /clusterIps entry "10\.96\.0\.1\/12" is not a network CIDR; write the network '10\.96\.0\.0\/12'/],
    ['a range listed twice', { externalIps: ['192.0.2.0/24', '192.0.2.0/24'] }, /externalIps lists 192\.0\.2\.0\/24 twice/],
    ['text that is no CIDR', { loadBalancerIps: ['lb'] }, /loadBalancerIps entry "lb" is not a network CIDR/],
    ['nothing to advertise', { clusterIps: [] }, /RoutableServices advertises nothing/],
    ['a router listed twice', { routers: [ROUTER, ROUTER] }, /router 10\.0\.0\.1 is listed twice/],
  ])('fails with %s', (_, props, message) => {
    const chart = newChart();
    expect(errorOf(() => new RoutableServices(chart, 'services', { cluster: clusterIn(chart), ...props })).message).toMatch(message);
  });

  test('fails at synthesis when a LoadBalancer range overlaps the service cluster range', () => {
    const { chart } = services({ loadBalancerIps: ['10.100.0.0/24'] });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/RoutableServices loadBalancerIps range 10\.100\.0\.0\/24 overlaps the service range 10\.96\.0\.0\/12/);
  });

  test('fails at synthesis when an external range overlaps a pod pool', () => {
    const { chart } = services({ externalIps: ['192.168.10.0/24'] });
    expect(errorOf(() => synth(chart)).message)
      .toMatch(/RoutableServices externalIps range 192\.168\.10\.0\/24 overlaps IPPool 'default-ipv4-ippool' \(192\.168\.0\.0\/16\)/);
  });

  test('fails on a second RoutableServices for the same cluster', () => {
    const { chart, cluster } = services();
    expect(errorOf(() => new RoutableServices(chart, 'more', { cluster })).message).toMatch(/already has a RoutableServices/);
  });

  test('fails on a cluster without BGP', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { network: { nodeSubnets: ['10.0.0.0/24'], bgpAllowed: false } });
    expect(errorOf(() => new RoutableServices(chart, 'services', { cluster })).message).toMatch(/RoutableServices needs BGP/);
  });
});
