// The benchmark scenarios: the reference example and the `large` cluster at any scale.
// They use the compiled library (`cdk8s-calico` resolves to lib/ through the package's own
// `exports`, as in the examples), never the TypeScript sources.
import { App, Chart } from 'cdk8s';
import {
  AsNumber, CalicoCluster, CalicoNamespaceOverride, DefaultDenyPolicy, GlobalNetworkPolicy, GlobalNetworkSet,
  HostEndpoint, IpipMode, IpPool, KubernetesNamespaceOverride, NetworkPolicy, NetworkSet, OverridePeer,
  PolicyType, Port, Protocol, RouteReflectorPool, Rule, Selector, TopOfRackPeering,
} from 'cdk8s-calico';
import { ReferenceChart } from '../examples/reference/chart';

/** The shape of `large` at scale 1; every count below scales linearly with the scale. */
export const LARGE = {
  nodes: 5000,
  racks: 100,
  routeReflectors: 4,
  ipPools: 10,
  networkSets: 200,
  policies: 2000,
  namespaces: 500,
  /**
   * HostEndpoints per node: 2 (data uplink eth0 and management eth1) or 1 (eth0 only). Two bring
   * `large` to about 10,000 objects (12,336); see bench/README.md.
   */
  hostEndpointsPerNode: 2 as number,
};

/** Builds the reference example into `app` (the chart users copy from examples/reference). */
export function buildReference(app: App): void {
  new ReferenceChart(app, 'reference');
}

/** The four node subnets, 10.0.0.0/18 .. 10.0.192.0/18: room for 64 racks of /24 each. */
const SUBNETS = [0, 1, 2, 3].map(s => `10.0.${64 * s}.0/18`);

/** Third octet of rack `r`'s /24: rack r sits in subnet r % 4, as its (r / 4)-th /24. */
function rackOctet(r: number): number {
  return 64 * (r % 4) + Math.floor(r / 4);
}

/**
 * Builds the `large` cluster at `scale` (1 = 5,000 nodes in 100 racks, 2,000 policies) into `app`.
 *
 * Nodes are not objects: they are described (`expectedNodes`, one rack label value per rack, one
 * /24 per rack) and appear as their HostEndpoints, two per node. Everything else scales with the
 * nodes: racks (one top-of-rack BGPPeer each), IP pools, network sets, namespaces and policies.
 * Four route reflectors, one per node subnet, at every scale.
 */
export function buildLarge(app: App, scale: number): void {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  const racks = n(LARGE.racks);
  const nodesPerRack = LARGE.nodes / LARGE.racks;
  const namespaces = n(LARGE.namespaces);
  const chart = new Chart(app, 'large');

  const cluster = new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: SUBNETS, mtu: 9000 },
    expectedNodes: racks * nodesPerRack,
    asNumber: AsNumber.of(63400),
    podCidr: '100.64.0.0/12',
  });
  new RouteReflectorPool(chart, 'route-reflectors', {
    cluster,
    dedicated: true,
    reflectors: SUBNETS.slice(0, LARGE.routeReflectors).map((_, s) => ({ nodeName: `rr-${s + 1}`, ipv4Address: `10.0.${64 * s + 63}.10` })),
  });
  const tor = new TopOfRackPeering(chart, 'tor', { cluster, numAllowedLocalAsNumbers: 1 });
  for (let r = 0; r < racks; r++) {
    // Every fourth rack's AS is written dotted, to exercise both forms.
    const asNumber = r % 4 === 3 ? AsNumber.parse(`1.${r}`) : AsNumber.of(64512 + r);
    tor.addRack({ rack: `r${r}`, ip: `10.0.${rackOctet(r)}.1`, asNumber });
  }

  // IP pools: each serves a group of racks, 10.64.0.0/16 upwards (below the service range 10.96.0.0/12).
  const pools = n(LARGE.ipPools);
  for (let p = 0; p < pools; p++) {
    const members: string[] = [];
    for (let r = p; r < racks; r += pools) members.push(`r${r}`);
    new IpPool(chart, `pool-${p}`, {
      cidr: `10.${64 + p}.0.0/16`,
      blockSize: 26,
      ipipMode: IpipMode.CROSS_SUBNET,
      natOutgoing: true,
      nodeSelector: Selector.isIn('rack', members),
      labels: { tier: p % 2 ? 'batch' : 'web' },
    });
  }

  // Two HostEndpoints per node: the data uplink (in the rack's /24) and the management NIC.
  for (let r = 0; r < racks; r++) {
    for (let i = 0; i < nodesPerRack; i++) {
      const node = `node-r${r}-${i}`;
      const id = r * nodesPerRack + i;
      new HostEndpoint(chart, `${node}-eth0`, {
        node,
        interfaceName: 'eth0',
        expectedIps: [`10.0.${rackOctet(r)}.${10 + i}`],
        labels: { 'rack': `r${r}`, 'host-endpoint': 'data' },
      });
      if (LARGE.hostEndpointsPerNode < 2) continue;
      new HostEndpoint(chart, `${node}-eth1`, {
        node,
        interfaceName: 'eth1',
        expectedIps: [`172.16.${Math.floor(id / 250)}.${(id % 250) + 1}`],
        labels: { 'rack': `r${r}`, 'host-endpoint': 'mgmt' },
        ports: [{ name: 'ssh', protocol: Protocol.TCP, port: 22 }],
      });
    }
  }

  // Network sets: half global (partners, by label), half in a namespace; four nets each.
  const sets = n(LARGE.networkSets);
  const setNets = (k: number) => [0, 1, 2, 3].map(j => `198.${18 + (k >> 8)}.${k & 255}.${64 * j}/26`);
  for (let k = 0; k < sets; k++) {
    if (k % 2 === 0) {
      new GlobalNetworkSet(chart, `partner-${k}`, { labels: { partner: `p${k}` }, nets: setNets(k) });
    } else {
      new NetworkSet(chart, `egress-${k}`, { namespaceName: `ns-${k % namespaces}`, labels: { egress: `e${k}` }, nets: setNets(k) });
    }
  }

  new DefaultDenyPolicy(chart, 'default-deny');

  // Policies: 40% Calico NetworkPolicy, 15% GlobalNetworkPolicy, 10% CalicoNamespaceOverride,
  // 35% KubernetesNamespaceOverride (a networking.k8s.io/v1 NetworkPolicy through cdk8s-plus-28).
  const policies = n(LARGE.policies);
  for (let i = 0; i < policies; i++) {
    const ns = `ns-${i % namespaces}`;
    const app = `svc-${i}`;
    const kind = i % 20;
    if (kind < 8) {
      new NetworkPolicy(chart, `np-${i}`, {
        namespaceName: ns,
        order: 100 + (i % 50),
        selector: Selector.eq('app', app),
        ingress: [
          Rule.allow({ protocol: Protocol.TCP, source: { selector: Selector.eq('app', `svc-${(i + 1) % policies}`) }, destination: { ports: [Port.number(8080), Port.named('metrics')] } }),
          Rule.allow({ protocol: Protocol.TCP, source: { nets: [`10.${64 + (i % pools)}.0.0/16`] }, destination: { ports: [Port.between(9000, 9100)] } }),
        ],
        egress: [
          Rule.allow({ protocol: Protocol.TCP, destination: { selector: Selector.eq('partner', `p${(2 * i) % sets}`), ports: [Port.number(443)] } }),
          Rule.allow({ protocol: Protocol.UDP, destination: { selector: Selector.eq('k8s-app', 'kube-dns'), namespaceSelector: Selector.eq('projectcalico.org/name', 'kube-system'), ports: [Port.number(53)] } }),
        ],
      });
    } else if (kind < 11) {
      new GlobalNetworkPolicy(chart, `gnp-${i}`, {
        order: 200 + (i % 50),
        selector: Selector.has('host-endpoint').andAlso(Selector.eq('rack', `r${i % racks}`)),
        policyTypes: [PolicyType.INGRESS],
        applyOnForward: i % 2 === 0,
        ingress: [
          Rule.allow({ protocol: Protocol.TCP, source: { nets: ['10.0.0.0/16'] }, destination: { ports: [Port.number(179)] } }),
          Rule.allow({ protocol: Protocol.TCP, source: { nets: [`172.16.${i % 40}.0/24`], notNets: [`172.16.${i % 40}.128/25`] }, destination: { ports: [Port.number(22)] } }),
          Rule.allow({ protocol: Protocol.ICMP, icmp: { icmpType: 8 } }),
          Rule.deny({ protocol: Protocol.TCP, source: { selector: Selector.isIn('partner', [`p${i % sets}`, `p${(i + 2) % sets}`]) } }),
        ],
      });
    } else if (kind < 13) {
      new CalicoNamespaceOverride(chart, `cno-${i}`, {
        namespaceName: ns,
        podLabels: { app },
        ingress: [{ ports: [Port.tcp(8443)], peers: [OverridePeer.namespaces(['ingress-nginx']), OverridePeer.cidr('203.0.113.0/24')] }],
        egress: [{ ports: [Port.tcp(5432)], peers: [OverridePeer.cidr(`10.${64 + (i % pools)}.0.0/16`)] }],
      });
    } else {
      new KubernetesNamespaceOverride(chart, `kno-${i}`, {
        namespaceName: ns,
        podLabels: { app },
        ingress: [{ ports: [Port.tcp(80), Port.tcp(443)], peers: [OverridePeer.namespaces(['ingress-nginx'], { 'app.kubernetes.io/name': 'ingress-nginx' })] }],
        egress: [{ ports: [Port.udp(53), Port.tcp(53)], peers: [OverridePeer.namespaces(['kube-system'], { 'k8s-app': 'kube-dns' })] },
          { ports: [Port.tcp(443)], peers: [OverridePeer.cidr('203.0.113.0/24', ['203.0.113.128/25'])] }],
      });
    }
  }
}
