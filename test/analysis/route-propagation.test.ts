import * as fc from 'fast-check';
import { analyze, Analysis } from '../../src/analysis/analyze';
import { title } from '../../src/analysis/private/report/propagation';

// Plain Calico objects, as a chart or a YAML file would hold them.
const v3 = 'projectcalico.org/v3';
const bgpConfiguration = (mesh: boolean, asNumber = 63400) => ({ apiVersion: v3, kind: 'BGPConfiguration', metadata: { name: 'default' }, spec: { nodeToNodeMeshEnabled: mesh, asNumber } });
const peer = (name: string, spec: Record<string, unknown>) => ({ apiVersion: v3, kind: 'BGPPeer', metadata: { name }, spec });
const reflector = (name: string, address: string, clusterId = '244.0.0.1', labels: Record<string, string> = { 'route-reflector': 'true' }) => ({
  apiVersion: v3, kind: 'Node', metadata: { name, labels }, spec: { bgp: { ipv4Address: `${address}/24`, routeReflectorClusterID: clusterId } },
});
const pool = (name: string, cidr: string, spec: Record<string, unknown> = {}) => ({ apiVersion: v3, kind: 'IPPool', metadata: { name }, spec: { cidr, ipipMode: 'Always', ...spec } });
const clientsToReflectors = peer('peer-with-route-reflectors', { nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)' });
const reflectorMesh = peer('rr-mesh', { nodeSelector: 'has(route-reflector)', peerSelector: 'has(route-reflector)' });

function run(manifests: object[], expectedNodes?: number, backend = 'bird'): Analysis {
  return analyze({ objects: manifests.map(manifest => ({ manifest: manifest as Record<string, any> })), expectedNodes, backend });
}

/** Titles of the groups named by every failure, as `origin -> target`. */
function failedPairs(a: Analysis): string[] {
  const groups = a.topology.groups;
  return a.propagation.failures.flatMap(f => f.targets.map(t => `${title(groups[f.origin])} -> ${title(groups[t])}`)).sort();
}

describe('route propagation over the node-to-node mesh', () => {
  test('passes for a full mesh without reflectors', () => {
    const a = run([bgpConfiguration(true), pool('pods', '10.244.0.0/16')], 30);
    expect(a.propagation.applicable).toBe(true);
    expect(a.propagation.failures).toEqual([]);
    expect([...a.propagation.reach.values()].every(row => row.every(r => r === undefined || r === 'learns'))).toBe(true);
  });

  test('names every node group when the mesh is off and nothing replaces it', () => {
    const a = run([bgpConfiguration(false), pool('pods', '10.244.0.0/16')], 10);
    expect(a.propagation.failures).toHaveLength(1);
    expect(a.propagation.failures[0].isolated).toBe(true);
    expect(a.propagation.failures[0].why).toMatch(/has no BGP session: the node-to-node mesh is off and no BGPPeer selects it/);
  });

  test('treats a missing BGPConfiguration as the default mesh', () => {
    const a = run([pool('pods', '10.244.0.0/16')], 5);
    expect(a.model.meshEnabled).toBe(true);
    expect(a.propagation.failures).toEqual([]);
  });
});

describe('route propagation with route reflectors', () => {
  test('passes for two reflectors that peer with each other and with every client', () => {
    const a = run([bgpConfiguration(false), reflector('rr-1', '10.0.0.10'), reflector('rr-2', '10.0.0.11'), clientsToReflectors, reflectorMesh,
      pool('pods', '10.244.0.0/16')], 200);
    expect(a.propagation.failures).toEqual([]);
    // Every pair is learned over BGP (no router involved).
    for (const row of a.propagation.reach.values()) expect(row.filter(r => r !== undefined && r !== 'learns')).toEqual([]);
  });

  test('catches reflectors that do not peer with each other', () => {
    const a = run([bgpConfiguration(false), reflector('rr-1', '10.0.0.10'), reflector('rr-2', '10.0.0.11'), clientsToReflectors,
      pool('pods', '10.244.0.0/16')], 200);
    expect(failedPairs(a)).toEqual(["node 'rr-1' -> node 'rr-2'", "node 'rr-2' -> node 'rr-1'"]);
    expect(a.propagation.failures[0].why).toMatch(/do not peer with each other.*nodeSelector and peerSelector has\(route-reflector\)/);
    expect(a.propagation.failures.map(f => f.isolated)).toEqual([false, false]);
    // The clients still learn both reflectors' routes and each other's.
    const clients = a.topology.groups.find(g => !g.described)!;
    for (const row of a.propagation.reach.values()) expect(row[clients.index]).toBe('learns');
  });

  test('passes when each subnet\'s clients use their own reflector and the reflectors peer (same cluster ID)', () => {
    const a = run([
      bgpConfiguration(false),
      reflector('rr-a', '10.0.0.10', '244.0.0.1', { 'route-reflector': 'true', 'zone': 'a' }),
      reflector('rr-b', '10.0.4.10', '244.0.0.1', { 'route-reflector': 'true', 'zone': 'b' }),
      peer('zone-a', { nodeSelector: 'zone == "a" && !has(route-reflector)', peerSelector: 'has(route-reflector) && zone == "a"' }),
      peer('zone-b', { nodeSelector: 'zone == "b" && !has(route-reflector)', peerSelector: 'has(route-reflector) && zone == "b"' }),
      reflectorMesh,
      pool('pods', '10.244.0.0/16'),
    ], 100);
    expect(a.topology.partitionKeys).toEqual(['zone']);
    expect(failedPairs(a)).toEqual([]);
  });

  // Zone a's clients use rr-a, zone c's clients use rr-c, and the reflectors form a chain rr-a - rr-m - rr-c.
  const chain = (ids: [string, string, string]) => [
    bgpConfiguration(false),
    reflector('rr-a', '10.0.0.10', ids[0]), reflector('rr-m', '10.0.0.11', ids[1]), reflector('rr-c', '10.0.0.12', ids[2]),
    peer('zone-a', { nodeSelector: 'zone == "a"', peerIP: '10.0.0.10', asNumber: 63400 }),
    peer('zone-c', { nodeSelector: 'zone == "c"', peerIP: '10.0.0.12', asNumber: 63400 }),
    peer('a-m', { node: 'rr-a', peerIP: '10.0.0.11', asNumber: 63400 }),
    peer('m-c', { node: 'rr-m', peerIP: '10.0.0.12', asNumber: 63400 }),
    pool('pods', '10.244.0.0/16'),
  ];

  test('catches a chain of reflectors with one cluster ID that is not fully meshed', () => {
    const a = run(chain(['244.0.0.1', '244.0.0.1', '244.0.0.1']), 40);
    expect(a.topology.partitionKeys).toEqual(['zone']);
    const pairs = failedPairs(a);
    // rr-m learns zone a's routes from a non-client (rr-a) and passes them only to clients; rr-c is a non-client.
    expect(pairs).toContain("'other nodes with zone=a' -> 'other nodes with zone=c'");
    expect(pairs).toContain("'other nodes with zone=c' -> 'other nodes with zone=a'");
    expect(pairs).toContain("node 'rr-a' -> node 'rr-c'");
    // rr-m's own routes reach everyone: a reflector passes routes from non-clients to its clients.
    expect(pairs.filter(p => p.startsWith("node 'rr-m'"))).toEqual([]);
  });

  test('passes the same chain when every reflector has its own cluster ID (each is the other\'s client)', () => {
    const a = run(chain(['244.0.0.1', '244.0.0.2', '244.0.0.3']), 40);
    expect(failedPairs(a)).toEqual([]);
  });

  test('catches a reflector left out of the mesh with no BGPPeer', () => {
    const a = run([bgpConfiguration(true), reflector('rr-1', '10.0.0.10'), pool('pods', '10.244.0.0/16')], 20);
    expect(a.propagation.failures).toHaveLength(1);
    expect(a.propagation.failures[0].why).toMatch(/node 'rr-1' has no BGP session: route reflectors leave the node-to-node mesh/);
  });

  test('reads reflectors from Kubernetes Nodes with Calico annotations', () => {
    const k8sNode = (name: string, ip: string) => ({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'route-reflector': 'true' }, annotations: { 'projectcalico.org/RouteReflectorClusterID': '244.0.0.1', 'projectcalico.org/IPv4Address': `${ip}/24` } },
    });
    const a = run([bgpConfiguration(false), k8sNode('rr-1', '10.0.0.10'), k8sNode('rr-2', '10.0.0.11'), clientsToReflectors, reflectorMesh, pool('pods', '10.244.0.0/16')], 10);
    expect(a.model.nodes.map(n => [n.name, n.clusterId, n.address])).toEqual([['rr-1', '244.0.0.1', '10.0.0.10'], ['rr-2', '244.0.0.1', '10.0.0.11']]);
    expect(a.propagation.failures).toEqual([]);
  });
});

describe('route propagation with top-of-rack routers', () => {
  const racks = [
    bgpConfiguration(false, 63400),
    peer('rack-a', { nodeSelector: 'rack == "a"', peerIP: '192.168.1.1', asNumber: 64400 }),
    peer('rack-b', { nodeSelector: 'rack == "b"', peerIP: '192.168.2.1', asNumber: 64401 }),
    pool('pods', '10.244.0.0/16', { ipipMode: 'Never' }),
  ];

  test('reaches every rack through the routers (the AS path check keeps routes of the nodes\' own AS out)', () => {
    const a = run(racks, 80);
    expect(a.topology.routers.map(r => `${r.address} AS ${r.asNumber}`)).toEqual(['192.168.1.1 AS 64400', '192.168.2.1 AS 64401']);
    expect(a.propagation.failures).toEqual([]);
    for (const row of a.propagation.reach.values()) expect(row.filter(r => r !== undefined)).toEqual(['router', 'router']);
  });

  test('learns routes directly when the peerings allow the local AS (numAllowedLocalASNumbers)', () => {
    const allowing = racks.map(m => (m.kind === 'BGPPeer' ? { ...m, spec: { ...(m as any).spec, numAllowedLocalASNumbers: 1 } } : m));
    const a = run(allowing, 80);
    for (const row of a.propagation.reach.values()) expect(row.filter(r => r !== undefined)).toEqual(['learns', 'learns']);
  });

  test('names the nodes of a rack that peers with nothing', () => {
    const a = run([...racks, pool('rack-c-pods', '10.245.0.0/16', { ipipMode: 'Never', nodeSelector: 'rack == "c"' })], 90);
    expect(a.propagation.failures.map(f => f.why)).toEqual([expect.stringMatching(/^'nodes with rack=c' has no BGP session: the node-to-node mesh is off/)]);
  });

  test('follows eBGP between nodes of different AS numbers on the mesh', () => {
    const node = (name: string, asNumber: number) => ({ apiVersion: v3, kind: 'Node', metadata: { name }, spec: { bgp: { ipv4Address: '10.0.0.1/24', asNumber } } });
    const a = run([bgpConfiguration(true), node('n1', 65001), node('n2', 65002), pool('pods', '10.244.0.0/16')], 2);
    expect(a.propagation.failures).toEqual([]);
  });
});

describe('when the check applies', () => {
  test('does not apply to the VXLAN backend', () => {
    const a = run([bgpConfiguration(false), pool('pods', '10.244.0.0/16', { ipipMode: 'Never', vxlanMode: 'Always' })], 10, 'vxlan');
    expect(a.propagation.applicable).toBe(false);
    expect(a.propagation.notApplicable).toMatch(/calico_backend is vxlan/);
    expect(a.propagation.failures).toEqual([]);
  });

  test('does not apply when every pool uses VXLAN, even with BIRD running', () => {
    const a = run([bgpConfiguration(false), pool('pods', '10.244.0.0/16', { ipipMode: 'Never', vxlanMode: 'CrossSubnet' })], 10);
    expect(a.propagation.applicable).toBe(false);
    expect(a.propagation.notApplicable).toMatch(/every IP pool uses VXLAN/);
  });

  test('checks only the nodes that may use a BGP-routed pool as origins', () => {
    const a = run([
      bgpConfiguration(false),
      peer('routable', { nodeSelector: 'network-type == "routable"', peerIP: '192.168.1.1', asNumber: 64400 }),
      pool('default', '192.168.0.0/16', { ipipMode: 'Never', vxlanMode: 'Always', nodeSelector: 'network-type == "non-routable"' }),
      pool('routable', '10.10.0.0/16', { ipipMode: 'Never', nodeSelector: 'network-type == "routable"' }),
    ], 20);
    const origins = a.propagation.origins.map(i => a.topology.groups[i].title);
    expect(origins).toEqual(['nodes with network-type=routable']);
    // The non-routable nodes need no BGP for their own pods, but they must reach the routable pods: they have no session.
    expect(a.propagation.failures.map(f => f.why)).toEqual([expect.stringMatching(/^'nodes with network-type=non-routable' has no BGP session/)]);
  });
});

describe('scale', () => {
  test('checks 5,000 nodes in 100 racks with 4 reflectors quickly', () => {
    const manifests: object[] = [bgpConfiguration(false)];
    for (let r = 0; r < 4; r++) manifests.push(reflector(`rr-${r}`, `10.0.0.${10 + r}`));
    manifests.push(clientsToReflectors, reflectorMesh, pool('pods', '10.0.0.0/8'));
    for (let rack = 0; rack < 100; rack++) {
      manifests.push(peer(`rack-${rack}`, { nodeSelector: `rack == "r${rack}"`, peerIP: `192.168.${rack}.1`, asNumber: 64400 + rack }));
    }
    const started = Date.now();
    const a = run(manifests, 5000);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(a.topology.groups.filter(g => !g.described)).toHaveLength(100);
    expect(a.topology.totalNodes).toBe(5000);
    expect(a.propagation.truncated).toBe(false);
    expect(a.propagation.failures).toEqual([]);
  });
});

describe('robustness', () => {
  test('never throws on random peerings, and decides every pair', () => {
    const labels = ['a', 'b', 'c'];
    const selector = fc.oneof(fc.constant('all()'), fc.constantFrom(...labels).map(l => `rack == "${l}"`), fc.constant('has(route-reflector)'), fc.constant('!has(route-reflector)'));
    const peerArb = fc.record({
      nodeSelector: selector,
      target: fc.oneof(selector.map(s => ({ peerSelector: s })), fc.integer({ min: 1, max: 3 }).map(i => ({ peerIP: `192.168.${i}.1`, asNumber: 64400 + (i % 2) }))),
    });
    fc.assert(fc.property(
      fc.boolean(),
      fc.integer({ min: 0, max: 3 }),
      fc.array(peerArb, { maxLength: 5 }),
      fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
      (mesh, reflectors, peers, nodes) => {
        const manifests: object[] = [bgpConfiguration(mesh), pool('pods', '10.244.0.0/16')];
        for (let i = 0; i < reflectors; i++) manifests.push(reflector(`rr-${i}`, `10.0.0.${10 + i}`, `244.0.0.${1 + (i % 2)}`, { 'route-reflector': 'true', 'rack': labels[i % 3] }));
        peers.forEach((p, i) => manifests.push(peer(`p${i}`, { nodeSelector: p.nodeSelector, ...p.target })));
        const a = run(manifests, nodes);
        for (const row of a.propagation.reach.values()) {
          row.forEach((r, target) => {
            const reps = a.topology.reps[target].length;
            if (r === undefined) expect(reps === 0 || a.topology.reps[target].length === 1).toBe(true);
            else expect(['learns', 'router', 'none']).toContain(r);
          });
        }
        // A failure is reported exactly when some checked pair is unreachable.
        const unreachable = [...a.propagation.reach.values()].some(row => row.includes('none'));
        expect(a.propagation.failures.length > 0).toBe(unreachable);
      },
    ), { numRuns: 150 });
  });
});
