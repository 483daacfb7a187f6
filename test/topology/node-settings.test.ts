import { Chart, Testing } from 'cdk8s';
import {
  AsNumber, CalicoApi, CalicoApiVersion, CalicoCluster, CalicoClusterProps, CalicoErrors, CalicoStage, NodeSettingsDelivery,
  RoutablePodPool, RouteReflectorPool, TopOfRackPeering,
} from '../../src';
import { errorOf, findAll, findObject, newChart, orderedCharts, synth } from '../support/util';

// Node settings: the labels and annotations the topology constructs need on existing nodes, as
// Kubernetes v1 Node objects in the nodes stage (merged per node), Calico Nodes, or commands.

function clusterIn(chart: Chart, props: CalicoClusterProps = {}): CalicoCluster {
  return new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: ['10.0.0.0/20'] },
    asNumber: AsNumber.of(63400),
    podCidr: '100.64.0.0/16',
    expectedNodes: 40,
    ...props,
  });
}

const TWO = [
  { nodeName: 'rr-1', ipv4Address: '10.0.0.10' },
  { nodeName: 'rr-2', ipv4Address: '10.0.0.11' },
];
const ETCD = { etcd: { endpoints: ['https://10.0.0.5:2379'], tlsSecretName: 'calico-etcd-certs' } };
const ROUTER_A = { ip: '10.0.0.1', asNumber: AsNumber.of(64400) };

/** The manifests of one chart alone (the stage chart's own file). */
function chartOutput(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The v1 Node objects (Kubernetes Nodes, not Calico Nodes) among manifests. */
function kubernetesNodes(manifests: any[]): any[] {
  return findAll(manifests, 'Node').filter(n => n.apiVersion === 'v1');
}

function reflectors(props: object = {}, clusterProps: CalicoClusterProps = {}) {
  const chart = newChart();
  const cluster = clusterIn(chart, clusterProps);
  const rr = new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO, ...props });
  return { chart, cluster, rr };
}

describe('route reflector node settings (Kubernetes datastore default: Kubernetes Nodes)', () => {
  test('defaults to Kubernetes Nodes and renders no Calico Node', () => {
    const { chart, rr } = reflectors();
    expect(rr.nodeSettings).toBe(NodeSettingsDelivery.KUBERNETES_NODES);
    expect(rr.reflectorNodes).toEqual([]);
    expect(findAll(synth(chart), 'Node').filter(n => n.apiVersion !== 'v1')).toEqual([]);
  });

  test('renders a v1 Node per reflector with the label, the cluster ID annotation and nothing else', () => {
    const { chart } = reflectors({ clusterId: '10.255.0.1' });
    const node = findObject(kubernetesNodes(synth(chart)), 'Node', 'rr-1');
    expect(node).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'rr-1',
        labels: { 'route-reflector': 'true' },
        annotations: { 'projectcalico.org/RouteReflectorClusterID': '10.255.0.1' },
      },
    });
  });

  test('the objects land in the nodes stage chart, not in the resources chart', () => {
    const { chart, cluster, rr } = reflectors();
    const nodesChart = cluster.stageChart(CalicoStage.NODES);
    expect(nodesChart).not.toBe(chart);
    synth(chart);
    expect(kubernetesNodes(chartOutput(nodesChart)).map(n => n.metadata.name)).toEqual(['rr-1', 'rr-2']);
    expect(kubernetesNodes(chartOutput(chart))).toEqual([]);
    expect(rr.kubernetesNodes.map(o => Chart.of(o))).toEqual([nodesChart, nodesChart]);
    expect(cluster.stageCharts.map(s => s.stage)).toContain(CalicoStage.NODES);
  });

  test('the nodes stage comes after the peerings and before the BGPConfiguration that turns the mesh off', () => {
    const order = synth(reflectors().chart).map(m => `${m.apiVersion} ${m.kind}/${m.metadata.name}`);
    const at = (id: string) => order.findIndex(o => o.endsWith(id));
    expect(order.indexOf('v1 Node/rr-1')).toBeGreaterThan(at('BGPPeer/rr-mesh'));
    expect(order.indexOf('v1 Node/rr-2')).toBeLessThan(at('BGPConfiguration/default'));
  });

  test('without staged output the objects sit in the cluster\'s chart, still between the peerings and the BGPConfiguration', () => {
    const { chart, cluster } = reflectors({}, { stagedOutput: false });
    expect(cluster.stageChart(CalicoStage.NODES)).toBe(chart);
    const order = chartOutput(chart).map(m => `${m.kind}/${m.metadata.name}`);
    expect(order.indexOf('Node/rr-1')).toBeGreaterThan(order.indexOf('BGPPeer/rr-clients'));
    expect(order.indexOf('Node/rr-1')).toBeGreaterThan(order.indexOf('BGPPeer/rr-mesh'));
    expect(order.indexOf('Node/rr-2')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
  });

  test('keeps the commands in nodeCommands, out of manualSteps', () => {
    const { cluster, rr } = reflectors();
    expect(rr.nodeCommands.map(s => s.command)).toEqual([
      'kubectl label node rr-1 route-reflector=true && kubectl annotate node rr-1 projectcalico.org/RouteReflectorClusterID=244.0.0.1',
      'kubectl label node rr-2 route-reflector=true && kubectl annotate node rr-2 projectcalico.org/RouteReflectorClusterID=244.0.0.1',
    ]);
    expect(cluster.manualSteps.some(s => s.command.includes('kubectl label') || s.command.includes('kubectl annotate'))).toBe(false);
  });

  test('dedicated reflectors keep the taint step: a taint is no label or annotation', () => {
    const { cluster, chart } = reflectors({ dedicated: true });
    expect(cluster.manualSteps.map(s => s.command)).toContain('kubectl taint node rr-1 route-reflector=true:NoSchedule');
    expect(kubernetesNodes(synth(chart)).every(n => n.spec === undefined)).toBe(true);
  });

  test('Argo CD syncs the node objects with server-side apply, never pruning or deleting them', () => {
    const { chart } = reflectors({}, { argoCdSyncWaves: true });
    const node = findObject(kubernetesNodes(synth(chart)), 'Node', 'rr-1');
    expect(node.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Prune=false,Delete=false');
  });

  test('fails where the node name arrives when it is no Kubernetes node name', () => {
    const chart = newChart();
    const e = errorOf(() => new RouteReflectorPool(chart, 'rr', {
      cluster: clusterIn(chart), reflectors: [{ nodeName: 'RR_1', ipv4Address: '10.0.0.10' }],
    }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/reflector 'RR_1': node name "RR_1" is not a Kubernetes node name/);
  });

  test('a crd.projectcalico.org/v1 chart takes the default (it cannot carry Calico Nodes), and Calico Nodes still fail there', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new RouteReflectorPool(chart, 'rr', { cluster: clusterIn(chart), reflectors: TWO });
    expect(kubernetesNodes(synth(chart))).toHaveLength(2);
    const chart2 = newChart();
    CalicoApi.use(chart2, CalicoApiVersion.CRD_V1);
    new RouteReflectorPool(chart2, 'rr', { cluster: clusterIn(chart2), reflectors: TWO, nodeSettings: NodeSettingsDelivery.CALICO_NODES });
    expect(errorOf(() => synth(chart2)).message).toMatch(/Calico Node resource has no CRD/);
  });

  test('a dual-stack cluster needs no IPv6 address for Kubernetes Nodes (nothing rewrites the BGP spec)', () => {
    const { chart } = reflectors({}, { ipv6PodCidr: 'fd00:10:244::/56' });
    expect(kubernetesNodes(synth(chart))).toHaveLength(2);
  });
});

describe('route reflector node settings with the etcd datastore and by commands', () => {
  test('with etcd the default stays Calico Nodes (Calico reads no Kubernetes Node annotations there)', () => {
    const { chart, cluster, rr } = reflectors({}, ETCD);
    expect(rr.nodeSettings).toBe(NodeSettingsDelivery.CALICO_NODES);
    const m = synth(chart);
    expect(kubernetesNodes(m)).toEqual([]);
    expect(findObject(m, 'Node', 'rr-1').spec.bgp.routeReflectorClusterID).toBe('244.0.0.1');
    expect(cluster.stageCharts.map(s => s.stage)).not.toContain(CalicoStage.NODES);
  });

  test('with etcd the commands are calicoctl label and patch', () => {
    const { rr } = reflectors({}, ETCD);
    expect(rr.nodeCommands[0].command).toBe('calicoctl label nodes rr-1 route-reflector=true && '
      + 'calicoctl patch node rr-1 -p \'{"spec":{"bgp":{"routeReflectorClusterID":"244.0.0.1"}}}\'');
  });

  test('with etcd, Kubernetes Nodes are refused', () => {
    const chart = newChart();
    const e = errorOf(() => new RouteReflectorPool(chart, 'rr', {
      cluster: clusterIn(chart, ETCD), reflectors: TWO, nodeSettings: NodeSettingsDelivery.KUBERNETES_NODES,
    }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/Calico reads only in the Kubernetes datastore; with etcd use NodeSettingsDelivery\.CALICO_NODES/);
  });

  test('COMMANDS renders no node object and puts the commands into manualSteps', () => {
    const { chart, cluster, rr } = reflectors({ nodeSettings: NodeSettingsDelivery.COMMANDS });
    expect(findAll(synth(chart), 'Node')).toEqual([]);
    expect(rr.kubernetesNodes).toEqual([]);
    expect(cluster.stageCharts.map(s => s.stage)).not.toContain(CalicoStage.NODES);
    const commands = cluster.manualSteps.map(s => s.command);
    for (const c of rr.nodeCommands) expect(commands).toContain(c.command);
  });

  test('the deprecated calicoNodeResources still chooses Calico Nodes (true) or commands (false)', () => {
    expect(reflectors({ calicoNodeResources: true }).rr.nodeSettings).toBe(NodeSettingsDelivery.CALICO_NODES);
    expect(reflectors({ calicoNodeResources: false }).rr.nodeSettings).toBe(NodeSettingsDelivery.COMMANDS);
  });

  test('fails when calicoNodeResources contradicts nodeSettings', () => {
    expect(errorOf(() => reflectors({ calicoNodeResources: false, nodeSettings: NodeSettingsDelivery.KUBERNETES_NODES })).message)
      .toMatch(/calicoNodeResources false contradicts nodeSettings 'KubernetesNodes'/);
  });
});

describe('top-of-rack rack labels', () => {
  function racks(props: object = {}, clusterProps: CalicoClusterProps = {}) {
    const chart = newChart();
    const cluster = clusterIn(chart, { network: { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'] }, ...clusterProps });
    const tor = new TopOfRackPeering(chart, 'tor', {
      cluster,
      racks: [
        { ...ROUTER_A, rack: 'a', nodeNames: ['node-a2', 'node-a1'] },
        { rack: 'b', ip: '10.0.1.1', asNumber: AsNumber.of(64401), nodeNames: ['node-b1'] },
      ],
      ...props,
    });
    return { chart, cluster, tor };
  }

  test('labels each listed node with its rack, as Kubernetes Nodes by default', () => {
    const { chart, tor } = racks();
    expect(tor.nodeSettings).toBe(NodeSettingsDelivery.KUBERNETES_NODES);
    const nodes = kubernetesNodes(synth(chart));
    expect(nodes.map(n => [n.metadata.name, n.metadata.labels])).toEqual([
      ['node-a1', { rack: 'a' }], ['node-a2', { rack: 'a' }], ['node-b1', { rack: 'b' }],
    ]);
    expect(nodes.every(n => n.metadata.annotations === undefined)).toBe(true);
  });

  test('uses the rack label that is set', () => {
    const { chart } = racks({ rackLabel: 'topology.example.com/rack' });
    expect(findObject(synth(chart), 'Node', 'node-b1').metadata.labels).toEqual({ 'topology.example.com/rack': 'b' });
  });

  test('lists the rack labels as commands too, and in manualSteps only with COMMANDS', () => {
    const { cluster, tor } = racks();
    expect(tor.nodeCommands.map(s => s.command)).toEqual([
      'kubectl label node node-a2 rack=a', 'kubectl label node node-a1 rack=a', 'kubectl label node node-b1 rack=b',
    ]);
    expect(cluster.manualSteps.some(s => s.command.includes('rack='))).toBe(false);
    const commands = racks({ nodeSettings: NodeSettingsDelivery.COMMANDS });
    expect(findAll(synth(commands.chart), 'Node')).toEqual([]);
    expect(commands.cluster.manualSteps.map(s => s.command)).toEqual(expect.arrayContaining(commands.tor.nodeCommands.map(s => s.command)));
  });

  test('a rack without nodeNames gets a manual step to label its nodes', () => {
    const chart = newChart();
    const cluster = clusterIn(chart);
    const tor = new TopOfRackPeering(chart, 'tor', { cluster, racks: [{ ...ROUTER_A, rack: 'a' }] });
    const step = { description: expect.stringMatching(/Label every node of rack 'a'/), command: 'kubectl label node <node-name> rack=a' };
    expect(cluster.manualSteps).toContainEqual(step);
    expect(tor.nodeCommands).toEqual([step]);
    expect(kubernetesNodes(synth(chart))).toEqual([]);
  });

  test('the rack labels come before the BGPConfiguration that turns the mesh off', () => {
    const { chart } = racks({}, { stagedOutput: false });
    const order = chartOutput(chart).map(m => `${m.kind}/${m.metadata.name}`);
    expect(order.indexOf('Node/node-a1')).toBeGreaterThan(order.indexOf('BGPPeer/tor-rack-a'));
    expect(order.indexOf('Node/node-b1')).toBeLessThan(order.indexOf('BGPConfiguration/default'));
  });

  test('fails when a node is listed in two racks', () => {
    const e = errorOf(() => racks({ racks: [
      { ...ROUTER_A, rack: 'a', nodeNames: ['node-1'] },
      { rack: 'b', ip: '10.0.1.1', asNumber: AsNumber.of(64401), nodeNames: ['node-1'] },
    ] }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/rack 'b': node 'node-1' is already in rack 'a'/);
  });

  test('refuses Calico Nodes for rack labels', () => {
    expect(errorOf(() => racks({ nodeSettings: NodeSettingsDelivery.CALICO_NODES })).message)
      .toMatch(/nodeSettings CalicoNodes is for route reflectors/);
  });

  test('with etcd the rack labels are still Kubernetes Node labels (kube-controllers copies them)', () => {
    const { chart, tor } = racks({}, ETCD);
    expect(tor.nodeSettings).toBe(NodeSettingsDelivery.KUBERNETES_NODES);
    expect(kubernetesNodes(synth(chart))).toHaveLength(3);
  });
});

describe('routable pod pool labels', () => {
  function routable(props: object = {}) {
    const chart = newChart();
    const cluster = clusterIn(chart);
    const pool = new RoutablePodPool(chart, 'routable', {
      cluster, cidr: '10.70.0.0/20', router: ROUTER_A, maxRoutableNodes: 20, ...props,
    });
    return { chart, cluster, pool };
  }

  test('labels the listed nodes network-type=routable and non-routable', () => {
    const { chart, cluster, pool } = routable({ routableNodes: ['edge-1'], nonRoutableNodes: ['core-1'] });
    const nodes = kubernetesNodes(synth(chart));
    expect(nodes.map(n => [n.metadata.name, n.metadata.labels])).toEqual([
      ['core-1', { 'network-type': 'non-routable' }], ['edge-1', { 'network-type': 'routable' }],
    ]);
    expect(pool.kubernetesNodes).toHaveLength(2);
    expect(cluster.manualSteps.some(s => s.command.includes('network-type'))).toBe(false);
  });

  test('without node lists keeps the placeholder label steps', () => {
    const { cluster, pool } = routable();
    expect(cluster.manualSteps.map(s => s.command)).toEqual(expect.arrayContaining([
      'kubectl label node <node-name> network-type=routable', 'kubectl label node <node-name> network-type=non-routable',
    ]));
    expect(pool.nodeSettings).toBe(NodeSettingsDelivery.KUBERNETES_NODES);
    expect(pool.kubernetesNodes).toEqual([]);
  });

  test('COMMANDS puts one kubectl label per listed node into manualSteps', () => {
    const { chart, cluster, pool } = routable({ routableNodes: ['edge-1'], nodeSettings: NodeSettingsDelivery.COMMANDS });
    expect(findAll(synth(chart), 'Node')).toEqual([]);
    expect(pool.nodeCommands.map(s => s.command)).toEqual([
      'kubectl label node edge-1 network-type=routable', 'kubectl label node <node-name> network-type=non-routable',
    ]);
    expect(cluster.manualSteps.map(s => s.command)).toContain('kubectl label node edge-1 network-type=routable');
  });

  test('fails when a node is both routable and non-routable', () => {
    expect(errorOf(() => routable({ routableNodes: ['n-1'], nonRoutableNodes: ['n-1'] })).message)
      .toMatch(/node 'n-1' is in both routableNodes and nonRoutableNodes/);
  });

  test('refuses Calico Nodes for the pool labels', () => {
    expect(errorOf(() => routable({ nodeSettings: NodeSettingsDelivery.CALICO_NODES })).message)
      .toMatch(/nodeSettings CalicoNodes is for route reflectors/);
  });
});

describe('node settings merged across constructs', () => {
  function everything() {
    const chart = newChart();
    const cluster = clusterIn(chart);
    const rr = new RouteReflectorPool(chart, 'rr', { cluster, reflectors: TWO });
    const tor = new TopOfRackPeering(chart, 'tor', { cluster, racks: [{ ...ROUTER_A, rack: 'a', nodeNames: ['rr-1', 'node-1'] }] });
    const pool = new RoutablePodPool(chart, 'routable', {
      cluster, cidr: '10.70.0.0/20', router: { ip: '10.0.0.2', asNumber: AsNumber.of(64400) }, maxRoutableNodes: 20,
      routableNodes: ['node-1'], nonRoutableNodes: ['rr-1', 'rr-2'],
    });
    return { chart, cluster, rr, tor, pool };
  }

  test('one object per node carries the keys of every construct that touches it', () => {
    const { chart, rr, tor } = everything();
    const nodes = kubernetesNodes(synth(chart));
    expect(nodes.map(n => n.metadata.name)).toEqual(['node-1', 'rr-1', 'rr-2']);
    expect(findObject(nodes, 'Node', 'rr-1').metadata).toEqual({
      name: 'rr-1',
      labels: { 'network-type': 'non-routable', 'rack': 'a', 'route-reflector': 'true' },
      annotations: { 'projectcalico.org/RouteReflectorClusterID': '244.0.0.1' },
    });
    expect(findObject(nodes, 'Node', 'node-1').metadata.labels).toEqual({ 'network-type': 'routable', 'rack': 'a' });
    expect(rr.kubernetesNodes[0]).toBe(tor.kubernetesNodes[0]);
  });

  test('the output is sorted by node name with sorted keys, whatever the order of the constructs, and the same every time', () => {
    const { chart } = everything();
    const text = JSON.stringify(synth(chart));
    expect(JSON.stringify(synth(chart))).toBe(text);
    expect(JSON.stringify(synth(everything().chart))).toBe(text);
    const nodes = kubernetesNodes(synth(chart));
    // rr-1 and rr-2 were set first, node-1 last.
    expect(nodes.map(n => n.metadata.name)).toEqual(['node-1', 'rr-1', 'rr-2']);
    expect(Object.keys(findObject(nodes, 'Node', 'rr-1').metadata.labels)).toEqual(['network-type', 'rack', 'route-reflector']);
  });

  test('two constructs giving one node different values for a key fail the synthesis, naming the node and the key', () => {
    const chart = newChart();
    const cluster = clusterIn(chart);
    new RoutablePodPool(chart, 'edge', {
      cluster, cidr: '10.70.0.0/20', router: ROUTER_A, maxRoutableNodes: 20, routableNodes: ['node-1'],
    });
    new RoutablePodPool(chart, 'edge2', {
      cluster, cidr: '10.71.0.0/20', router: { ip: '10.0.0.2', asNumber: AsNumber.of(64400) }, maxRoutableNodes: 20, nonRoutableNodes: ['node-1'],
    });
    const e = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/Node 'node-1': label 'network-type' is set to "routable" \(test\/edge\) and "non-routable" \(test\/edge2\)/);
  });

  test('two constructs giving one node the same value agree', () => {
    const chart = newChart();
    const cluster = clusterIn(chart);
    for (const [id, cidr, ip] of [['a', '10.70.0.0/20', '10.0.0.1'], ['b', '10.71.0.0/20', '10.0.0.2']]) {
      new RoutablePodPool(chart, id, { cluster, cidr, router: { ip, asNumber: AsNumber.of(64400) }, maxRoutableNodes: 20, routableNodes: ['node-1'] });
    }
    expect(findObject(kubernetesNodes(synth(chart)), 'Node', 'node-1').metadata.labels).toEqual({ 'network-type': 'routable' });
  });

  test('two clusters in one app keep their node objects apart', () => {
    const app = Testing.app();
    for (const id of ['east', 'west']) {
      const chart = new Chart(app, id);
      new RouteReflectorPool(chart, 'rr', { cluster: clusterIn(chart), reflectors: TWO });
    }
    const all = orderedCharts(app).flatMap(c => Testing.synth(c));
    expect(kubernetesNodes(all).map(n => n.metadata.name)).toEqual(['rr-1', 'rr-2', 'rr-1', 'rr-2']);
  });
});
