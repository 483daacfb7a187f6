import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { AsNumber, CalicoCluster, CalicoClusterProps, CalicoErrors, IpPool, Selector } from '../../src';
import { RoutablePodPool, RoutablePodPoolProps } from '../../src/topology/routable-pod-pool';
import { errorOf, expectCrdSchemaValid, findAll, findObject, newChart, synth } from '../support/util';

function clusterIn(chart: Chart, props: CalicoClusterProps = {}): CalicoCluster {
  return new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: ['192.168.1.0/24'] },
    asNumber: AsNumber.of(63400),
    podCidr: '100.64.0.0/16',
    expectedNodes: 40,
    ...props,
  });
}

const ROUTER = { ip: '192.168.1.1', asNumber: AsNumber.of(64400) };

function routable(props: Partial<RoutablePodPoolProps> = {}, clusterProps: CalicoClusterProps = {}) {
  const chart = newChart();
  const cluster = clusterIn(chart, clusterProps);
  const pool = new RoutablePodPool(chart, 'routable', { cluster, cidr: '10.70.0.0/20', router: ROUTER, maxRoutableNodes: 20, ...props });
  return { chart, cluster, pool };
}

describe('RoutablePodPool rendering', () => {
  test('adds an unencapsulated pool for the nodes labelled network-type=routable', () => {
    const spec = findObject(synth(routable().chart), 'IPPool', 'routable').spec;
    expect(spec).toEqual({
      cidr: '10.70.0.0/20', ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false, nodeSelector: 'network-type == "routable"',
    });
  });

  test('restricts the default pool to the nodes labelled network-type=non-routable', () => {
    const { chart, cluster } = routable();
    expect(findObject(synth(chart), 'IPPool', 'default-ipv4-ippool').spec.nodeSelector).toBe('network-type == "non-routable"');
    expect(cluster.defaultPoolNodeSelector(4).toString()).toBe('network-type == "non-routable"');
  });

  test('the default pool\'s nodeSelector reports the restriction, and the routable pool its own', () => {
    const { cluster, pool } = routable();
    expect(cluster.defaultIpv4Pool.nodeSelector.toString()).toBe('network-type == "non-routable"');
    expect(pool.pool.nodeSelector.toString()).toBe('network-type == "routable"');
  });

  test('peers the routable nodes with the router and keeps the default pool\'s routes from it', () => {
    const m = synth(routable().chart);
    expect(findObject(m, 'BGPPeer', 'routable-router').spec).toEqual({
      nodeSelector: 'network-type == "routable"', peerIP: '192.168.1.1', asNumber: 64400, filters: ['routable-export'],
    });
    expect(findObject(m, 'BGPFilter', 'routable-export').spec).toEqual({
      exportV4: [{ action: 'Reject', cidr: '100.64.0.0/16', matchOperator: 'In' }],
    });
  });

  test('the pool name defaults to the construct id and can be set', () => {
    const { chart } = routable({ name: 'dc-routable' });
    const m = synth(chart);
    // The routable pool comes first: it serves the routable nodes before the default pool stops doing so.
    expect(findAll(m, 'IPPool').map(p => p.metadata.name)).toEqual(['dc-routable', 'default-ipv4-ippool']);
    expect(findObject(m, 'BGPPeer', 'dc-routable-router').spec.filters).toEqual(['dc-routable-export']);
  });

  test('natOutgoing defaults to false and can be set', () => {
    expect(routable().pool.pool.natOutgoing).toBe(false);
    expect(findObject(synth(routable({ natOutgoing: true }).chart), 'IPPool', 'routable').spec.natOutgoing).toBe(true);
  });

  test('blockSize defaults to Calico\'s 26 and can be set', () => {
    expect(routable().pool.pool.blockSize).toBe(26);
    expect(findObject(synth(routable({ blockSize: 27 }).chart), 'IPPool', 'routable').spec.blockSize).toBe(27);
  });

  test('maxPodsPerNode defaults to the kubelet\'s 110', () => {
    expect(routable().pool.maxPodsPerNode).toBe(110);
  });

  test('does not change the node-to-node mesh', () => {
    const { chart } = routable();
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(true);
  });

  test('records the label commands every node needs', () => {
    expect(routable().cluster.manualSteps.map(s => s.command)).toEqual(expect.arrayContaining([
      'kubectl label node <node-name> network-type=routable',
      'kubectl label node <node-name> network-type=non-routable',
    ]));
  });

  test('an IPv6 routable pool restricts the IPv6 default pool and needs an IPv6 router', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { ipv6PodCidr: 'fd00:10:244::/56' });
    new RoutablePodPool(chart, 'routable6', {
      cluster, cidr: 'fd00:70::/112', router: { ip: 'fd00:1::1', asNumber: AsNumber.of(64400) }, maxRoutableNodes: 20, maxNonRoutableNodes: 40,
    });
    const m = synth(chart);
    expect(findObject(m, 'IPPool', 'default-ipv6-ippool').spec.nodeSelector).toBe('network-type == "non-routable"');
    expect(findObject(m, 'IPPool', 'default-ipv4-ippool').spec.nodeSelector).toBe('all()');
    expect(findObject(m, 'BGPFilter', 'routable6-export').spec).toEqual({
      exportV6: [{ action: 'Reject', cidr: 'fd00:10:244::/56', matchOperator: 'In' }],
    });
  });

  test('every synthesized Calico object passes the CRD schemas', () => {
    expectCrdSchemaValid(synth(routable().chart));
  });
});

describe('RoutablePodPool capacity', () => {
  test('accepts a pool that holds exactly the blocks its nodes need', () => {
    // /21 = 32 blocks of /26; 16 nodes x 2 blocks (110 pods) = 32.
    expect(() => routable({ cidr: '10.70.0.0/21', maxRoutableNodes: 16 })).not.toThrow();
  });

  test('fails when the pool is too small and says how to resize it', () => {
    const chart = newChart();
    const e = errorOf(() => new RoutablePodPool(chart, 'routable', {
      cluster: clusterIn(chart), cidr: '10.70.0.0/24', router: ROUTER, maxRoutableNodes: 20,
    }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(CalicoErrors.constructPathOf(e)).toBe('test/routable');
    expect(e.message).toMatch(/IPPool 'routable' cidr 10\.70\.0\.0\/24 holds 4 block\(s\) of \/26 \(64 addresses each\), but 20 routable node\(s\) with up to 110 pods need 2 block\(s\) each, 40 in all; widen cidr to a \/20 or shorter prefix \(e\.g\. '10\.70\.0\.0\/20'\), or lower maxRoutableNodes/);
  });

  test('counts the tunnel address of an encapsulated default pool', () => {
    // 100.64.0.0/24 holds 4 blocks; 2 nodes x (64 pods + tunnel) need 2 blocks each.
    const chart = newChart();
    const cluster = clusterIn(chart, { podCidr: '100.64.0.0/24', network: { nodeSubnets: ['192.168.1.0/24', '192.168.2.0/24'] } });
    const e = errorOf(() => new RoutablePodPool(chart, 'routable', {
      cluster, cidr: '10.70.0.0/20', router: ROUTER, maxRoutableNodes: 2, maxNonRoutableNodes: 3, maxPodsPerNode: 64,
    }));
    expect(e.message).toMatch(/IPPool 'default-ipv4-ippool'.*3 non-routable node\(s\) with up to 64 pods and a tunnel address need 2 block\(s\) each, 6 in all/);
  });

  test('uses the cluster\'s expectedNodes when the node counts are not given', () => {
    const chart = newChart();
    const e = errorOf(() => new RoutablePodPool(chart, 'routable', {
      cluster: clusterIn(chart, { expectedNodes: 40 }), cidr: '10.70.0.0/22', router: ROUTER,
    }));
    expect(e.message).toMatch(/holds 16 block\(s\).*40 routable node\(s\)/);
  });

  test('advises instead of checking when no node count is known', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { expectedNodes: undefined });
    new RoutablePodPool(chart, 'routable', { cluster, cidr: '10.70.0.0/24', router: ROUTER });
    expect(cluster.advisories.filter(a => a.code === 'pool-capacity')).toHaveLength(2);
  });

  test('capacity property: a pool passes exactly when blocks >= nodes x blocks per node', () => {
    fc.assert(fc.property(fc.integer({ min: 16, max: 26 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 250 }), (prefix, nodes, pods) => {
      const chart = newChart();
      const cluster = clusterIn(chart, { podCidr: '100.64.0.0/10', expectedNodes: undefined });
      const held = 2 ** (26 - prefix);
      const needed = nodes * Math.ceil(pods / 64);
      try {
        new RoutablePodPool(chart, 'routable', {
          cluster, cidr: `10.0.0.0/${prefix}`, router: ROUTER, maxRoutableNodes: nodes, maxNonRoutableNodes: 0, maxPodsPerNode: pods,
        });
        expect(needed).toBeLessThanOrEqual(held);
      } catch (e) {
        expect(CalicoErrors.isValidationError(e)).toBe(true);
        expect(needed).toBeGreaterThan(held);
      }
    }), { numRuns: 80 });
  });
});

describe('RoutablePodPool rules', () => {
  test('fails at synthesis when the routable pool overlaps the default pool', () => {
    const { chart } = routable({ cidr: '100.64.16.0/20' });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/IPPool 'routable' \(100\.64\.16\.0\/20\) overlaps IPPool 'default-ipv4-ippool' \(100\.64\.0\.0\/16\); Calico refuses overlapping pools/);
  });

  test('fails at synthesis when two routable pools overlap', () => {
    const { chart, cluster } = routable();
    new RoutablePodPool(chart, 'routable2', { cluster, cidr: '10.70.8.0/21', router: { ...ROUTER, ip: '192.168.1.2' }, maxRoutableNodes: 10 });
    expect(errorOf(() => synth(chart)).message).toMatch(/IPPool 'routable2' \(10\.70\.8\.0\/21\) overlaps IPPool 'routable' \(10\.70\.0\.0\/20\)/);
  });

  test('fails at synthesis when the pool overlaps the service range', () => {
    const { chart } = routable({ cidr: '10.96.0.0/20' });
    expect(errorOf(() => synth(chart)).message)
      .toMatch(/IPPool 'routable' \(10\.96\.0\.0\/20\) overlaps the service range 10\.96\.0\.0\/12; pods would get service addresses/);
  });

  test('fails at synthesis when the pool overlaps a node subnet', () => {
    const { chart } = routable({ cidr: '192.168.0.0/20' });
    expect(errorOf(() => synth(chart)).message)
      .toMatch(/IPPool 'routable' \(192\.168\.0\.0\/20\) overlaps the node subnet 192\.168\.1\.0\/24; pods would get node addresses/);
  });

  test('fails at synthesis when a hand-written pool overlaps the routable pool', () => {
    const { chart } = routable();
    new IpPool(chart, 'extra', { cidr: '10.70.4.0/24' });
    expect(errorOf(() => synth(chart)).message).toMatch(/IPPool 'extra' \(10\.70\.4\.0\/24\) overlaps IPPool 'routable'/);
  });

  test('fails at synthesis on a duplicate pool name', () => {
    const { chart } = routable({ name: 'default-ipv4-ippool', cidr: '10.70.0.0/20' });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/IPPool name 'default-ipv4-ippool' is already used by test\/calico\/DefaultIpv4Pool; Calico keeps one IPPool per name/);
  });

  test('fails at synthesis on two routable pools with one name', () => {
    const { chart, cluster } = routable();
    new RoutablePodPool(chart, 'other', { cluster, name: 'routable', cidr: '10.80.0.0/20', router: { ...ROUTER, ip: '192.168.1.2' }, maxRoutableNodes: 10 });
    expect(errorOf(() => synth(chart)).message).toMatch(/IPPool name 'routable' is already used by test\/routable/);
  });

  test('finds overlaps with a pool in another chart of the app', () => {
    const chart = newChart();
    const cluster = clusterIn(chart);
    const other = new Chart(chart.node.scope as any, 'pools');
    new RoutablePodPool(other, 'routable', { cluster, cidr: '100.64.0.0/20', router: ROUTER, maxRoutableNodes: 20 });
    expect(errorOf(() => synth(chart)).message).toMatch(/IPPool 'routable' \(100\.64\.0\.0\/20\) overlaps IPPool 'default-ipv4-ippool'/);
  });

  test('fails when the router is of another IP family than the pool', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutablePodPool(chart, 'routable', {
      cluster: clusterIn(chart, { ipv6PodCidr: 'fd00:10:244::/56' }), cidr: '10.70.0.0/20', router: { ip: 'fd00:1::1', asNumber: AsNumber.of(64400) },
    })).message).toMatch(/router fd00:1::1 is IPv6 but the routes it must learn are IPv4/);
  });

  test('fails on an IPv6 pool in an IPv4-only cluster', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutablePodPool(chart, 'routable', {
      cluster: clusterIn(chart), cidr: 'fd00:70::/112', router: ROUTER,
    })).message).toMatch(/cidr fd00:70::\/112 is IPv6, but the cluster is IPv4 only/);
  });

  test('fails on a cidr that is no CIDR', () => {
    const chart = newChart();
    expect(errorOf(() => new RoutablePodPool(chart, 'routable', { cluster: clusterIn(chart), cidr: '10.70.0.0', router: ROUTER })).message)
      .toMatch(/cidr "10\.70\.0\.0" is not a CIDR/);
  });

  test('fails when the default pool is restricted to another selector already', () => {
    const { cluster } = routable();
    expect(errorOf(() => cluster.restrictDefaultPool(4, Selector.eq('zone', 'a'), 'test')).message)
      .toMatch(/already restricted to 'network-type == "non-routable"'/);
  });

  test('fails on a cluster without BGP', () => {
    const chart = newChart();
    const cluster = clusterIn(chart, { network: { nodeSubnets: ['192.168.1.0/24'], bgpAllowed: false } });
    expect(errorOf(() => new RoutablePodPool(chart, 'routable', { cluster, cidr: '10.70.0.0/20', router: ROUTER })).message)
      .toMatch(/RoutablePodPool needs BGP/);
  });
});
