// The four BGP topology examples: each synthesizes, passes the Calico CRD schemas, shows exactly
// its topology (field assertions) and orders the replacement peerings before the mesh switch.
// The snapshots hold the topology objects (BGP kinds, Nodes, IP pools) of each example in output
// order; review them like code.
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { RoutablePodsChart } from '../../examples/routable-pods/chart';
import { RoutableServicesChart } from '../../examples/routable-services/chart';
import { RouteReflectorsChart } from '../../examples/route-reflectors/chart';
import { TorPeeringChart } from '../../examples/tor-peering/chart';
import { findCidrOverlaps, parseCidr } from '../../src/net/address';
import { CalicoVersion } from '../../src';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { expectCrdSchemaValid, findAll, findObject, synth } from '../support/util';

type ChartClass = new (scope: App, id: string) => Chart;

function synthExample(cls: ChartClass, id: string): { chart: Chart; manifests: any[]; yaml: string } {
  const app = Testing.app();
  const chart = new cls(app, id);
  const yaml = app.synthYaml();
  return { chart, manifests: synth(chart), yaml };
}

/** The topology objects of a synthesized chart (BGP kinds, Calico and Kubernetes Nodes, IP pools), in output order. */
function topologyObjects(manifests: any[]): any[] {
  const kinds = ['BGPConfiguration', 'BGPPeer', 'BGPFilter', 'Node', 'IPPool'];
  return manifests.filter(m => (String(m.apiVersion).includes('projectcalico.org') && kinds.includes(m.kind))
    || (m.apiVersion === 'v1' && m.kind === 'Node'));
}

/** Position of the first YAML document of this kind and name in the synthesized text. */
function yamlIndex(yaml: string, kind: string, name: string): number {
  const docs = YAML.parseAllDocuments(yaml).map(d => d.toJS());
  return docs.findIndex(d => d?.kind === kind && d?.metadata?.name === name);
}

const EXAMPLES: Array<[string, ChartClass]> = [
  ['route-reflectors', RouteReflectorsChart],
  ['tor-peering', TorPeeringChart],
  ['routable-pods', RoutablePodsChart],
  ['routable-services', RoutableServicesChart],
];

describe.each(EXAMPLES)('example %s', (id, cls) => {
  test('synthesizes; every object passes the Kubernetes schemas and every Calico object the CRD schemas', () => {
    const { manifests } = synthExample(cls, id);
    expect(manifests.length).toBeGreaterThan(10);
    expectK8sSchemaValid(manifests);
    expectCrdSchemaValid(manifests, CalicoVersion.V3_32_1);
  });

  test('records no advisories', () => {
    const chart = new cls(Testing.app(), id) as Chart & { calico: { advisories: unknown[] } };
    expect(chart.calico.advisories).toEqual([]);
  });

  test('matches the reviewed snapshot of its topology objects', () => {
    const { manifests } = synthExample(cls, id);
    expect(topologyObjects(manifests)).toMatchSnapshot();
  });
});

describe('route-reflectors example', () => {
  const { manifests, yaml } = synthExample(RouteReflectorsChart, 'route-reflectors');

  test('runs AS 63400 with the node-to-node mesh off', () => {
    expect(findObject(manifests, 'BGPConfiguration', 'default').spec).toEqual({
      asNumber: 63400, logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false,
    });
  });

  test('has two reflectors, labelled and in cluster 244.0.0.1, as Kubernetes Nodes with metadata only', () => {
    const nodes = findAll(manifests, 'Node');
    expect(nodes.map(n => [n.apiVersion, n.metadata.name, n.metadata.labels['route-reflector'],
      n.metadata.annotations['projectcalico.org/RouteReflectorClusterID'], n.spec]))
      .toEqual([['v1', 'rr-1', 'true', '244.0.0.1', undefined], ['v1', 'rr-2', 'true', '244.0.0.1', undefined]]);
  });

  test('has the client and the reflector peerings', () => {
    expect(findObject(manifests, 'BGPPeer', 'rr-clients').spec).toEqual({ nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)' });
    expect(findObject(manifests, 'BGPPeer', 'rr-mesh').spec).toEqual({ nodeSelector: 'has(route-reflector)', peerSelector: 'has(route-reflector)' });
  });

  test('writes peerings, then reflector Nodes, then the BGPConfiguration in the YAML', () => {
    const peer = Math.max(yamlIndex(yaml, 'BGPPeer', 'rr-clients'), yamlIndex(yaml, 'BGPPeer', 'rr-mesh'));
    const node = Math.min(yamlIndex(yaml, 'Node', 'rr-1'), yamlIndex(yaml, 'Node', 'rr-2'));
    const lastNode = Math.max(yamlIndex(yaml, 'Node', 'rr-1'), yamlIndex(yaml, 'Node', 'rr-2'));
    expect(yamlIndex(yaml, 'BGPPeer', 'rr-clients')).toBeGreaterThanOrEqual(0);
    expect(peer).toBeLessThan(node);
    expect(lastNode).toBeLessThan(yamlIndex(yaml, 'BGPConfiguration', 'default'));
  });

  test('records the taint commands of the dedicated reflectors', () => {
    const chart = new RouteReflectorsChart(Testing.app(), 'rr');
    expect(chart.calico.manualSteps.filter(s => s.command.startsWith('kubectl taint')).map(s => s.command)).toEqual([
      'kubectl taint node rr-1 route-reflector=true:NoSchedule',
      'kubectl taint node rr-2 route-reflector=true:NoSchedule',
    ]);
  });
});

describe('tor-peering example', () => {
  const { manifests, yaml } = synthExample(TorPeeringChart, 'tor-peering');

  test('runs AS 63400 with the node-to-node mesh off', () => {
    const spec = findObject(manifests, 'BGPConfiguration', 'default').spec;
    expect([spec.asNumber, spec.nodeToNodeMeshEnabled]).toEqual([63400, false]);
  });

  test('peers rack a with 192.168.1.1 (AS 64400) and rack b with its own router', () => {
    expect(findObject(manifests, 'BGPPeer', 'tor-rack-a').spec).toEqual({ nodeSelector: 'rack == "a"', peerIP: '192.168.1.1', asNumber: 64400 });
    expect(findObject(manifests, 'BGPPeer', 'tor-rack-b').spec).toEqual({ nodeSelector: 'rack == "b"', peerIP: '192.168.2.1', asNumber: 64401 });
  });

  test('labels the listed nodes of each rack with Kubernetes Node objects', () => {
    expect(findAll(manifests, 'Node').map(n => [n.apiVersion, n.metadata.name, n.metadata.labels])).toEqual([
      ['v1', 'node-a1', { rack: 'a' }], ['v1', 'node-a2', { rack: 'a' }], ['v1', 'node-b1', { rack: 'b' }], ['v1', 'node-b2', { rack: 'b' }],
    ]);
    expect(yamlIndex(yaml, 'Node', 'node-b2')).toBeLessThan(yamlIndex(yaml, 'BGPConfiguration', 'default'));
  });

  test('writes the rack peerings before the BGPConfiguration in the YAML', () => {
    const config = yamlIndex(yaml, 'BGPConfiguration', 'default');
    expect(yamlIndex(yaml, 'BGPPeer', 'tor-rack-a')).toBeLessThan(config);
    expect(yamlIndex(yaml, 'BGPPeer', 'tor-rack-b')).toBeLessThan(config);
  });

  test('keeps the pod pool away from the rack subnets', () => {
    expect(findObject(manifests, 'IPPool', 'default-ipv4-ippool').spec.cidr).toBe('10.48.0.0/16');
  });
});

describe('routable-pods example', () => {
  const { manifests, yaml } = synthExample(RoutablePodsChart, 'routable-pods');

  test('has a non-routable default pool and an unencapsulated routable pool that do not overlap', () => {
    const defaultPool = findObject(manifests, 'IPPool', 'default-ipv4-ippool').spec;
    const routable = findObject(manifests, 'IPPool', 'routable').spec;
    expect(defaultPool.nodeSelector).toBe('network-type == "non-routable"');
    expect(routable).toEqual({ cidr: '10.70.0.0/20', ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false, nodeSelector: 'network-type == "routable"' });
    expect(findCidrOverlaps([parseCidr(defaultPool.cidr)!, parseCidr(routable.cidr)!])).toEqual([]);
  });

  test('peers the routable nodes with 192.168.1.1 (AS 64400) without exporting the non-routable pool', () => {
    expect(findObject(manifests, 'BGPPeer', 'routable-router').spec).toEqual({
      nodeSelector: 'network-type == "routable"', peerIP: '192.168.1.1', asNumber: 64400, filters: ['routable-export'],
    });
    expect(findObject(manifests, 'BGPFilter', 'routable-export').spec.exportV4).toEqual([{ action: 'Reject', cidr: '100.64.0.0/16', matchOperator: 'In' }]);
  });

  test('writes the routable pool before the default pool stops serving routable nodes, and the filter before its peering', () => {
    expect(yamlIndex(yaml, 'IPPool', 'routable')).toBeLessThan(yamlIndex(yaml, 'IPPool', 'default-ipv4-ippool'));
    expect(yamlIndex(yaml, 'BGPFilter', 'routable-export')).toBeLessThan(yamlIndex(yaml, 'BGPPeer', 'routable-router'));
  });

  test('puts every label of a node on one Kubernetes Node object', () => {
    expect(findObject(manifests, 'Node', 'rr-1').metadata.labels).toEqual({ 'network-type': 'non-routable', 'route-reflector': 'true' });
    expect(findObject(manifests, 'Node', 'edge-2').metadata.labels).toEqual({ 'network-type': 'routable' });
  });

  test('turns the mesh off after the reflector peerings', () => {
    expect(findObject(manifests, 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(false);
    expect(yamlIndex(yaml, 'BGPPeer', 'rr-clients')).toBeLessThan(yamlIndex(yaml, 'BGPConfiguration', 'default'));
  });
});

describe('routable-services example', () => {
  const { manifests } = synthExample(RoutableServicesChart, 'routable-services');

  test('advertises the service cluster IPs to the upstream router from every node', () => {
    const spec = findObject(manifests, 'BGPConfiguration', 'default').spec;
    expect(spec.serviceClusterIPs).toEqual([{ cidr: '10.96.0.0/12' }]);
    expect(findObject(manifests, 'BGPPeer', 'router-10-0-0-1').spec).toEqual({ nodeSelector: 'all()', peerIP: '10.0.0.1', asNumber: 64400 });
  });

  test('keeps the node-to-node mesh of the small cluster', () => {
    expect(findObject(manifests, 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(true);
  });
});
