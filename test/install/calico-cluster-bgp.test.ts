// The BGP section of CalicoCluster (asNumber, bgpLogSeverity, serviceCidrs, the BGPConfiguration
// `default`, the mesh switch) and BgpConfiguration.disableNodeToNodeMesh.
import { Duration } from 'cdk8s';
import {
  AsNumber, BgpConfiguration, BgpLogSeverity, BgpPeer, CalicoCluster, CalicoErrors, Encapsulation, Selector,
} from '../../src';
import { errorOf, expectCrdSchemaValid, findAll, findObject, newChart, synth } from '../support/util';

const SUBNET = { nodeSubnets: ['10.0.0.0/24'] };

function peerIn(chart: any, name = 'to-router'): BgpPeer {
  return new BgpPeer(chart, name, { nodeSelector: Selector.all(), peerIp: '10.0.0.1', asNumber: AsNumber.of(64400) });
}

describe('CalicoCluster BGP configuration', () => {
  test('renders the BGPConfiguration default with AS 64512, Info logging and the mesh on', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { network: SUBNET });
    const m = synth(chart);
    expect(findObject(m, 'BGPConfiguration', 'default').spec).toEqual({ asNumber: 64512, logSeverityScreen: 'Info', nodeToNodeMeshEnabled: true });
    expect(cluster.asNumber.value).toBe(64512);
    expect(cluster.nodeToNodeMeshEnabled).toBe(true);
    expectCrdSchemaValid(m);
  });

  test('writes the AS number given, plain or dotted', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', { network: SUBNET, asNumber: AsNumber.parse('1.10') });
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec.asNumber).toBe(65546);
  });

  test('writes the BGP log severity given', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', { network: SUBNET, bgpLogSeverity: BgpLogSeverity.WARNING });
    expect(findObject(synth(chart), 'BGPConfiguration', 'default').spec.logSeverityScreen).toBe('Warning');
  });

  test('renders no BGPConfiguration when calico-node runs no BGP (VXLAN)', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { network: { ...SUBNET, bgpAllowed: false } });
    expect(findAll(synth(chart), 'BGPConfiguration')).toEqual([]);
    expect(cluster.bgpConfiguration).toBeUndefined();
    expect(cluster.nodeToNodeMeshEnabled).toBe(false);
    expect(errorOf(() => cluster.requireBgp('Route reflection')).message).toMatch(/Route reflection needs BGP, but this cluster uses the 'vxlan' backend/);
  });

  test('renders the BGPConfiguration for IP-in-IP clusters', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', { encapsulation: Encapsulation.IPIP });
    expect(findAll(synth(chart), 'BGPConfiguration')).toHaveLength(1);
  });
});

describe('CalicoCluster serviceCidrs', () => {
  test('defaults to kubeadm\'s 10.96.0.0/12', () => {
    expect(new CalicoCluster(newChart(), 'calico', { network: SUBNET }).serviceCidrs).toEqual(['10.96.0.0/12']);
  });

  test('takes one range per IP family', () => {
    const cluster = new CalicoCluster(newChart(), 'calico', { network: SUBNET, serviceCidrs: ['10.43.0.0/16', 'fd00:43::/112'] });
    expect(cluster.serviceCidrs).toEqual(['10.43.0.0/16', 'fd00:43::/112']);
  });

  test.each([
    [['10.96.0.0'], /serviceCidrs entry '10\.96\.0\.0' is not a CIDR/],
    [['10.96.0.1/12'], /serviceCidrs entry '10\.96\.0\.1\/12' has host bits set; write the network '10\.96\.0\.0\/12'/],
    [['10.96.0.0/12', '10.128.0.0/16'], /two IPv4 ranges \('10\.96\.0\.0\/12' and '10\.128\.0\.0\/16'\)/],
  ])('rejects %j', (serviceCidrs, message) => {
    const e = errorOf(() => new CalicoCluster(newChart(), 'calico', { network: SUBNET, serviceCidrs }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(message);
  });
});

describe('turning the node-to-node mesh off', () => {
  test('cluster.disableNodeToNodeMesh writes false, records why, and orders the replacement first', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { network: SUBNET });
    const peer = peerIn(chart);
    cluster.disableNodeToNodeMesh('every node peers with the router', [peer]);
    const m = synth(chart);
    expect(findObject(m, 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(false);
    const order = m.map(o => `${o.kind}/${o.metadata.name}`);
    expect(order.indexOf('BGPPeer/to-router')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
    expect(cluster.decisions.find(d => d.topic === 'bgp-mesh')).toEqual({ topic: 'bgp-mesh', choice: 'disabled', reason: 'every node peers with the router' });
  });

  test('refuses to turn the mesh off without replacement peerings', () => {
    const cluster = new CalicoCluster(newChart(), 'calico', { network: SUBNET });
    const e = errorOf(() => cluster.disableNodeToNodeMesh('no reason', []));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/needs the peerings that replace the mesh/);
    expect(cluster.nodeToNodeMeshEnabled).toBe(true);
  });

  test('BgpConfiguration.disableNodeToNodeMesh works on a configuration built by hand', () => {
    const chart = newChart();
    const peer = peerIn(chart);
    const bgp = new BgpConfiguration(chart, 'bgp');
    bgp.disableNodeToNodeMesh([peer]);
    expect(bgp.nodeToNodeMeshEnabled).toBe(false);
    const m = synth(chart);
    expect(findObject(m, 'BGPConfiguration', 'default').spec).toEqual({ nodeToNodeMeshEnabled: false });
    expect(m.map(o => o.kind)).toEqual(['BGPPeer', 'BGPConfiguration']);
  });

  test('BgpConfiguration.disableNodeToNodeMesh refuses while a mesh password is set', () => {
    const chart = newChart();
    const bgp = new BgpConfiguration(chart, 'bgp', { nodeMeshPassword: { name: 's', key: 'k' } });
    expect(errorOf(() => bgp.disableNodeToNodeMesh([peerIn(chart)])).message).toMatch(/nodeMeshPassword is set while nodeToNodeMeshEnabled is false/);
    expect(bgp.nodeToNodeMeshEnabled).toBe(true);
  });

  test('BgpConfiguration.disableNodeToNodeMesh refuses while a mesh restart time is set', () => {
    const chart = newChart();
    const bgp = new BgpConfiguration(chart, 'bgp', { nodeMeshMaxRestartTime: Duration.seconds(90) });
    expect(errorOf(() => bgp.disableNodeToNodeMesh([peerIn(chart)])).message).toMatch(/nodeMeshMaxRestartTime is set/);
  });

  test('adding replacements once the mesh is off needs none to be new', () => {
    const chart = newChart();
    const bgp = new BgpConfiguration(chart, 'bgp', { nodeToNodeMeshEnabled: false });
    expect(() => bgp.disableNodeToNodeMesh()).not.toThrow();
    expect(bgp.nodeToNodeMeshEnabled).toBe(false);
  });
});

describe('CalicoCluster default pool restriction and manual steps', () => {
  test('restrictDefaultPool fails without a default pool of that family', () => {
    const cluster = new CalicoCluster(newChart(), 'calico', { network: SUBNET });
    expect(errorOf(() => cluster.restrictDefaultPool(6, Selector.has('x'), 'r')).message).toMatch(/no default IPv6 pool to restrict; set ipv6PodCidr/);
    expect(errorOf(() => cluster.restrictDefaultPool(5, Selector.has('x'), 'r')).message).toMatch(/ipVersion must be 4 or 6/);
  });

  test('restrictDefaultPool writes the selector and records the reason; the same selector twice is fine', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { network: SUBNET });
    cluster.restrictDefaultPool(4, Selector.eq('pool', 'default'), 'only some nodes');
    cluster.restrictDefaultPool(4, Selector.eq('pool', 'default'), 'only some nodes');
    expect(findObject(synth(chart), 'IPPool', 'default-ipv4-ippool').spec.nodeSelector).toBe('pool == "default"');
    expect(cluster.decisions.filter(d => d.topic === 'default-ipv4-pool-nodes')).toHaveLength(1);
    expect(cluster.defaultPoolNodeSelector(6).isAll()).toBe(true);
  });

  test('restrictDefaultPool sees a restriction made on the pool itself', () => {
    const cluster = new CalicoCluster(newChart(), 'calico', { network: SUBNET });
    cluster.defaultIpv4Pool.restrictNodeSelector(Selector.eq('pool', 'default'));
    expect(cluster.defaultPoolNodeSelector(4).toString()).toBe('pool == "default"');
    expect(errorOf(() => cluster.restrictDefaultPool(4, Selector.has('x'), 'r')).message)
      .toMatch(/IPPool 'default-ipv4-ippool' is already restricted to 'pool == "default"'/);
  });

  test('addManualStep lists the step in manualSteps', () => {
    const cluster = new CalicoCluster(newChart(), 'calico', { network: SUBNET });
    cluster.addManualStep({ description: 'taint', command: 'kubectl taint node a x=y:NoSchedule' });
    expect(cluster.manualSteps[cluster.manualSteps.length - 1]).toEqual({ description: 'taint', command: 'kubectl taint node a x=y:NoSchedule' });
  });
});
