import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BgpPeer, CalicoCluster, CalicoClusterProps, CalicoNode, CalicoVersion, DefaultDenyPolicy, KubernetesNamespaceOverride, Port, Rule, Selector,
} from '../../src';
import { CalicoReport, CalicoReportProps } from '../../src/analysis/report';
import { errorOf } from '../support/util';
import { ReferenceChart } from '../../examples/reference/chart';
import { checkXml } from '../support/xml';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'calico-report-'));
}

/** An app with one cluster and a report; returns the report text written at synth. */
function synthReport(clusterProps: CalicoClusterProps, reportProps: CalicoReportProps = {}, extra?: (chart: Chart, cluster: CalicoCluster) => void): string {
  const outdir = tempDir();
  const app = new App({ outdir });
  const chart = new Chart(app, 'calico');
  const cluster = new CalicoCluster(chart, 'cluster', clusterProps);
  extra?.(chart, cluster);
  new CalicoReport(chart, 'report', reportProps);
  app.synth();
  return fs.readFileSync(path.join(outdir, reportProps.fileName ?? 'calico-architecture.md'), 'utf8');
}

const THREE_SUBNETS: CalicoClusterProps = {
  network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'], mtu: 1500 },
  expectedNodes: 200,
};

/** Two reflectors and the peerings that replace the mesh; `reflectorsPeer` adds the reflector-to-reflector peering. */
function reflectors(reflectorsPeer: boolean) {
  return (chart: Chart, cluster: CalicoCluster) => {
    const replacements: Construct[] = [];
    ['rr-1', 'rr-2'].forEach((name, i) => replacements.push(new CalicoNode(chart, name, {
      name,
      labels: { 'route-reflector': 'true' },
      bgp: { ipv4Address: `10.0.${i * 4}.10/22`, routeReflectorClusterId: '244.0.0.1' },
    })));
    replacements.push(new BgpPeer(chart, 'clients', {
      name: 'peer-with-route-reflectors',
      nodeSelector: Selector.negate(Selector.has('route-reflector')),
      peerSelector: Selector.has('route-reflector'),
    }));
    if (reflectorsPeer) {
      replacements.push(new BgpPeer(chart, 'rr-mesh', {
        name: 'rr-mesh',
        nodeSelector: Selector.has('route-reflector'),
        peerSelector: Selector.has('route-reflector'),
      }));
    }
    cluster.disableNodeToNodeMesh('two route reflectors replace the mesh', replacements);
  };
}

describe('CalicoReport writes the file', () => {
  test('writes calico-architecture.md beside the manifests when the app is synthesized', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'calico');
    new CalicoCluster(chart, 'cluster', THREE_SUBNETS);
    const report = new CalicoReport(chart, 'report');
    app.synth();
    expect(report.fileName).toBe('calico-architecture.md');
    expect(fs.readdirSync(outdir).sort()).toEqual(['0000-calico-crds.k8s.yaml', '0001-calico-install.k8s.yaml', '0002-calico.k8s.yaml', '0003-calico-bgp.k8s.yaml', 'calico-architecture.md', 'calico-reachability.svg']);
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8')).toMatch(/^# Calico architecture\n/);
  });

  test('knows the reflectors\' subnets from their RouteReflectorPool (the Kubernetes Nodes it writes carry no address): the reference reports no advisory', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    new ReferenceChart(app, 'reference');
    new CalicoReport(app, 'report');
    app.synth();
    const text = fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8');
    expect(text).not.toContain('has no route reflector');
    expect(text).toContain('- Advisories: **0**');
  });

  test('writes under the fileName given', () => {
    const text = synthReport(THREE_SUBNETS, { fileName: 'network.md' });
    expect(text).toMatch(/^# Calico architecture/);
  });

  test('does not write when only a chart is synthesized (Testing.synth)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'calico');
    new CalicoCluster(chart, 'cluster', THREE_SUBNETS);
    new CalicoReport(chart, 'report');
    Testing.synth(chart);
    expect(fs.existsSync(path.join(app.outdir, 'calico-architecture.md'))).toBe(false);
  });

  test('is deterministic: the same app gives the same bytes, and render() changes nothing', () => {
    const first = synthReport(THREE_SUBNETS, {}, reflectors(true));
    const second = synthReport(THREE_SUBNETS, {}, reflectors(true));
    expect(second).toBe(first);
    const app = new App({ outdir: tempDir() });
    const chart = new Chart(app, 'calico');
    new CalicoCluster(chart, 'cluster', THREE_SUBNETS);
    reflectors(true)(chart, chart.node.findChild('cluster') as CalicoCluster);
    const report = new CalicoReport(chart, 'report');
    expect(report.render()).toBe(report.render());
    expect(report.render()).toBe(first);
  });

  test('works when the report is created before the cluster', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'calico');
    new CalicoReport(chart, 'report');
    new CalicoCluster(chart, 'cluster', THREE_SUBNETS);
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8')).toContain('IPIPCrossSubnet');
  });
});

describe('report contents', () => {
  const text = synthReport(THREE_SUBNETS);

  test('names the cluster\'s Calico release first', () => {
    expect(text).toMatch(/## Summary\n\n- Calico: \*\*v3\.32\.1\*\*\n/);
    expect(text).toContain('| calico-version | v3.32.1 |');
    const older = synthReport({ ...THREE_SUBNETS, calicoVersion: CalicoVersion.V3_31_7 });
    expect(older).toMatch(/## Summary\n\n- Calico: \*\*v3\.31\.7\*\*\n/);
    expect(older).toContain('| crds | bundled (Calico v3.31.7) |');
  });

  test('lists every decision with its reason', () => {
    expect(text).toContain('| routing | IPIPCrossSubnet | IP-in-IP CrossSubnet: nodes span 3 subnets; traffic inside a subnet stays native |');
    expect(text).toContain('| mtu | 1480 | veth MTU 1480 = network MTU 1500 - 20 (IPIPCrossSubnet) |');
    expect(text).toMatch(/\| typha-replicas \| 3 \| /);
  });

  test('gives the MTU table for the network MTU and marks the encapsulation in use', () => {
    expect(text).toContain('| IP-in-IP | 20 | 1480 | yes: sets the workload MTU |');
    expect(text).toContain('| VXLAN (IPv4) | 50 | 1450 |  |');
    expect(text).toContain('| WireGuard (IPv6) | 80 | 1420 |  |');
    const jumbo = synthReport({ network: { nodeSubnets: ['10.0.0.0/16'], mtu: 9001 }, encapsulation: undefined });
    expect(jumbo).toContain('| No encapsulation | 0 | 9001 | yes: sets the workload MTU |');
    expect(jumbo).toContain('- Workload MTU: **9001** on a 9001-byte network');
  });

  test('gives the IPAM capacity of each pool', () => {
    expect(text).toContain('| default-ipv4-ippool | 192.168.0.0/16 | /26 | 1,024 | 64 | 200 | 320 | IP-in-IP CrossSubnet | `all()` |');
  });

  test('warns when a pool has fewer blocks than nodes', () => {
    const big = synthReport({ ...THREE_SUBNETS, expectedNodes: 2000 });
    expect(big).toContain('**default-ipv4-ippool** holds 1,024 blocks for 2000 nodes');
  });

  test('compares the configured sessions with a full mesh', () => {
    expect(text).toContain('| Full node-to-node mesh of 200 nodes | 199 | 19,900 |');
    expect(text).toContain('| This configuration | 199 | 19,900 |');
  });

  test('lists advisories once (an audit that repeats a cluster advisory is left out) and the manual steps', () => {
    expect(text).toContain('- **bgp-mesh**: 200 expected nodes on a full node-to-node mesh');
    expect(text).not.toContain('**bgp-mesh-size**');
    expect(text).toContain('- **no-default-deny**: no GlobalNetworkPolicy denies traffic by default');
    expect(text).toContain('## Apply separately');
    expect(text).toContain('1. cert-manager, before the install stage');
    expect(text).not.toContain('calicoctl');
  });

  test('lists one command per stage, in apply order, with what to wait for before the next', () => {
    const section = text.slice(text.indexOf('## Apply, stage by stage'));
    const commands = [...section.matchAll(/^ {3}(kubectl .*)$/gm)].map(m => m[1]);
    expect(commands).toEqual([
      'kubectl apply --server-side --field-manager=cdk8s-calico -f 0000-calico-crds.k8s.yaml',
      'kubectl wait --for=condition=Established --timeout=10m -f 0000-calico-crds.k8s.yaml',
      'kubectl apply -f 0001-calico-install.k8s.yaml',
      'kubectl -n kube-system rollout status daemonset/calico-node --timeout=10m && kubectl wait --for=condition=Available --timeout=10m apiservice/v3.projectcalico.org',
      'kubectl apply -f 0002-calico.k8s.yaml',
      'kubectl apply -f 0003-calico-bgp.k8s.yaml',
    ]);
    expect(section).toContain('1. `0000-calico-crds.k8s.yaml`: the CustomResourceDefinitions');
  });

  test('draws the mesh as a hub in a Mermaid diagram grouped by subnet', () => {
    expect(text).toContain('```mermaid\nflowchart LR\n  subgraph net0["subnet 10.0.0.0/22"]\n    g0["67 nodes"]\n  end');
    expect(text).toContain('  mesh(("node-to-node mesh"))\n  g0 --- mesh\n  g1 --- mesh\n  g2 --- mesh\n```');
  });

  test('says BGP carries no pod routes with VXLAN', () => {
    const vxlan = synthReport({ network: { nodeSubnets: ['10.0.0.0/16'], bgpAllowed: false }, expectedNodes: 10 });
    expect(vxlan).toContain('BGP does not carry pod routes: calico_backend is vxlan');
    expect(vxlan).not.toContain('```mermaid');
  });
});

describe('route reflection in the report', () => {
  test('proves that every node learns every route with peered reflectors', () => {
    const text = synthReport(THREE_SUBNETS, {}, reflectors(true));
    expect(text).toContain('- BGP: 2 route reflectors; route propagation: every node learns every other node\'s pod routes');
    expect(text).toContain('**Every node learns every other node\'s pod routes**.');
    expect(text).toContain('| This configuration | 2–199 | 397 |');
    expect(text).toContain('g0[["rr-1<br/>reflector, cluster 244.0.0.1<br/>10.0.0.10"]]');
    expect(text).toContain('g0 ---|"iBGP"| g1');
  });

  test('names the reflectors that would not learn each other\'s routes', () => {
    const text = synthReport(THREE_SUBNETS, {}, reflectors(false));
    expect(text).toContain('route propagation: **2 problems**');
    expect(text).toContain("- **node 'rr-2'** would not learn the pod routes of **node 'rr-1'**: route reflector node 'rr-1' and node 'rr-2' do not peer with each other");
    expect(text).toContain('- **route-propagation**');
  });

  test('names a reflector that has no session at all', () => {
    const text = synthReport(THREE_SUBNETS, {}, chart => {
      new CalicoNode(chart, 'lonely', { name: 'rr-lonely', bgp: { ipv4Address: '10.0.0.10/22', routeReflectorClusterId: '244.0.0.1' } });
    });
    expect(text).toContain("- node 'rr-lonely' has no BGP session: route reflectors leave the node-to-node mesh, and no BGPPeer selects it, so its pod routes reach no node and it learns none;");
  });

  test('summarizes the diagram by role beyond maxDiagramGroups', () => {
    const text = synthReport(THREE_SUBNETS, { maxDiagramGroups: 2 }, reflectors(true));
    expect(text).toContain('  nodes["198 nodes<br/>in 3 groups"]');
    expect(text).toContain('  reflectors[["2 route reflectors<br/>in 2 groups"]]');
    expect(text).toContain('  nodes ---|"reflector client"| reflectors');
    expect(text).not.toContain('subgraph');
  });

  test('draws every group by default (24 groups)', () => {
    const text = synthReport(THREE_SUBNETS, {}, reflectors(true));
    expect(text).toContain('subgraph net2["subnet 10.0.8.0/22"]');
  });

  test('analyses declared node groups instead of derived ones', () => {
    const text = synthReport(THREE_SUBNETS, {
      nodeGroups: [
        { name: 'rack a', count: 150, labels: { rack: 'a' }, subnet: '10.0.0.0/22' },
        { name: 'rack b', count: 48 },
      ],
    }, reflectors(true));
    expect(text).toContain('| rack a | 150 | 64512 |  | 2 | rr-1, rr-2 |');
    expect(text).toContain('| rack b | 48 | 64512 |  | 2 | rr-1, rr-2 |');
    expect(text).toContain('g2["150 nodes<br/>rack=a"]');
  });
});

describe('CalicoReport errors', () => {
  test('fails synthesis when the app has no CalicoCluster', () => {
    const app = new App({ outdir: tempDir() });
    new CalicoReport(new Chart(app, 'c'), 'report');
    expect(errorOf(() => app.synth()).message).toMatch(/CalicoReport: the app has no CalicoCluster to describe/);
  });

  test('asks which cluster when the app has two', () => {
    const app = new App({ outdir: tempDir() });
    const chart = new Chart(app, 'c');
    new CalicoCluster(chart, 'a');
    new CalicoCluster(new Chart(app, 'd'), 'b', { namespaceName: 'calico-b' });
    new CalicoReport(chart, 'report');
    expect(errorOf(() => app.synth()).message).toMatch(/the app has 2 CalicoClusters \(c\/a, d\/b\); pass the one to describe as `cluster`/);
  });

  test('describes the cluster it is given when there are several', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'c');
    const a = new CalicoCluster(chart, 'a', { network: { nodeSubnets: ['10.0.0.0/24'] } });
    new CalicoReport(chart, 'report', { cluster: a });
    new CalicoReport(chart, 'report-b', { cluster: new CalicoCluster(new Chart(app, 'd'), 'b', { namespaceName: 'calico-b' }), fileName: 'b.md' });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8')).toContain('| routing | None |');
    expect(fs.readFileSync(path.join(outdir, 'b.md'), 'utf8')).toContain('| routing | IPIP |');
  });

  test('refuses a second report with the same file name', () => {
    const chart = new Chart(new App({ outdir: tempDir() }), 'c');
    new CalicoReport(chart, 'one');
    expect(errorOf(() => new CalicoReport(chart, 'two')).message).toMatch(/c\/one already writes 'calico-architecture.md' in this app; give this report another fileName/);
  });

  test('refuses a file name with a path', () => {
    const chart = new Chart(new App({ outdir: tempDir() }), 'c');
    expect(errorOf(() => new CalicoReport(chart, 'r', { fileName: '../x.md' })).message).toMatch(/fileName '..\/x.md' is not a plain file name/);
  });

  test('refuses bad node groups and diagram limits', () => {
    const chart = new Chart(new App({ outdir: tempDir() }), 'c');
    expect(errorOf(() => new CalicoReport(chart, 'a', { nodeGroups: [{ name: 'x', count: -1 }] })).message).toMatch(/node group 'x' count -1 must be a whole number/);
    expect(errorOf(() => new CalicoReport(chart, 'b', { nodeGroups: [{ name: 'x', count: 1 }, { name: 'x', count: 2 }] })).message).toMatch(/node group name 'x' is used twice/);
    expect(errorOf(() => new CalicoReport(chart, 'c', { nodeGroups: [{ name: 'x', count: 1, subnet: '10.0.0.0' }] })).message).toMatch(/subnet '10.0.0.0' is not a CIDR/);
    expect(errorOf(() => new CalicoReport(chart, 'd', { nodeGroups: [{ name: ' ', count: 1 }] })).message).toMatch(/a node group needs a name/);
    expect(errorOf(() => new CalicoReport(chart, 'e', { maxDiagramGroups: 0 })).message).toMatch(/maxDiagramGroups 0 must be a whole number of at least 1/);
  });

  test('must live inside a cdk8s App', () => {
    const root = new Construct(undefined as any, '');
    expect(errorOf(() => new CalicoReport(root, 'r')).message).toMatch(/CalicoReport must be created inside a cdk8s App/);
  });
});

describe('the examples', () => {
  const examples = fs.readdirSync(path.join(__dirname, '..', '..', 'examples'))
    .filter(name => fs.existsSync(path.join(__dirname, '..', '..', 'examples', name, 'chart.ts')));

  test.each(examples)('%s: every node learns every other node\'s pod routes', name => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`../../examples/${name}/chart`);
    const ChartClass = Object.values(mod).find(v => typeof v === 'function') as new (scope: Construct, id: string) => Chart;
    const app = new App({ outdir: tempDir() });
    new ChartClass(app, name);
    const existing = app.node.findAll().find(c => c instanceof CalicoReport) as CalicoReport | undefined;
    const text = (existing ?? new CalicoReport(app, 'report')).render();
    expect(text).not.toContain('would not learn');
    expect(text).not.toContain('**route-propagation**');
  });
});

describe('the reachability section', () => {
  /** An app with a cluster, a default deny whose egress is open, org-1 opened on TCP 80, and a report. */
  function policyApp(reportProps: CalicoReportProps = {}): { outdir: string; report: CalicoReport; app: App } {
    const outdir = tempDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'calico');
    new CalicoCluster(chart, 'cluster', THREE_SUBNETS);
    new DefaultDenyPolicy(chart, 'deny', { egressAllowances: [Rule.allow()] });
    new KubernetesNamespaceOverride(chart, 'http', { name: 'allow-http', namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
    const report = new CalicoReport(chart, 'report', reportProps);
    return { outdir, report, app };
  }
  const WORKLOADS = [{ namespaceName: 'org-2', name: 'api', labels: { app: 'api' } }];

  test('says who may reach whom after BGP and before Advisories, with the heat map written beside the report', () => {
    const { outdir, app } = policyApp({ workloads: WORKLOADS });
    app.synth();
    const text = fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8');
    const section = text.slice(text.indexOf('## Who may reach whom'), text.indexOf('## Advisories'));
    expect(text.indexOf('### Topology')).toBeLessThan(text.indexOf('## Who may reach whom'));
    expect(section).toContain('![Heat map: who may reach whom](calico-reachability.svg)');
    expect(section).toContain('Ports checked: 53, 80, 5443, 53/UDP and other (TCP 65535, a port no policy names).');
    // The install's workloads, org-1 known from its policy (a pod without labels stands for it), org-2/api from `workloads`.
    expect(section).toContain([
      '| **1** calico-apiserver/calico-apiserver | 5443 | all | all | all |',
      '| **2** kube-system/calico-kube-controllers | 5443 | all | all | all |',
      '| **3** org-1/\\* | 5443 | all | 80 | — |',
      '| **4** org-2/api | 5443 | all | 80 | — |',
    ].join('\n'));
    const svg = fs.readFileSync(path.join(outdir, 'calico-reachability.svg'), 'utf8');
    expect(checkXml(svg).problems).toEqual([]);
    expect(svg).toContain('<title>org-2/api to org-1/*: 80 (1 of 5 ports)</title>');
  });

  test('writes the same heat map bytes on every synth, and renderReachabilitySvg gives them', () => {
    const first = policyApp({ workloads: WORKLOADS });
    first.app.synth();
    const second = policyApp({ workloads: WORKLOADS });
    second.app.synth();
    const bytes = fs.readFileSync(path.join(first.outdir, 'calico-reachability.svg'), 'utf8');
    expect(fs.readFileSync(path.join(second.outdir, 'calico-reachability.svg'), 'utf8')).toBe(bytes);
    expect(first.report.renderReachabilitySvg()).toBe(bytes);
    expect(first.report.reachabilityFileName).toBe('calico-reachability.svg');
  });

  test('is left out with reachabilityMatrix false: no section, no file', () => {
    const { outdir, report, app } = policyApp({ reachabilityMatrix: false });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8')).not.toContain('Who may reach whom');
    expect(fs.existsSync(path.join(outdir, 'calico-reachability.svg'))).toBe(false);
    expect(report.reachabilityFileName).toBeUndefined();
    expect(errorOf(() => report.renderReachabilitySvg()).message).toMatch(/reachabilityMatrix is false, so the report has no heat map/);
  });

  test('names the heat map after a report file name given, or as reachabilityFileName says', () => {
    expect(policyApp({ fileName: 'network.md' }).report.reachabilityFileName).toBe('network-reachability.svg');
    const { outdir, report, app } = policyApp({ reachabilityFileName: 'who.svg' });
    app.synth();
    expect(report.reachabilityFileName).toBe('who.svg');
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8')).toContain('](who.svg)');
    expect(fs.existsSync(path.join(outdir, 'who.svg'))).toBe(true);
  });

  test('applies the limits given', () => {
    const { report } = policyApp({ workloads: WORKLOADS, reachabilityLimits: { maxWorkloads: 1 } });
    expect(report.render()).toContain('- Left out by the limits: 3 workloads (kube-system/calico-kube-controllers, org-1/\\*, org-2/api).');
  });

  test('says why there is no matrix when the policy model cannot read a policy, and still writes the report', () => {
    const { outdir, app } = policyApp();
    new ApiObject(app.charts[0], 'bad', { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'bad' }, spec: { selector: '((', types: ['Ingress'] } });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8'))
      .toMatch(/The policy model could not read the manifests, so there is no matrix: GlobalNetworkPolicy 'bad': spec.selector: invalid selector/);
    expect(checkXml(fs.readFileSync(path.join(outdir, 'calico-reachability.svg'), 'utf8')).problems).toEqual([]);
  });

  test('refuses bad inventory, limits and heat map names where they arrive', () => {
    const chart = new Chart(new App({ outdir: tempDir() }), 'c');
    expect(errorOf(() => new CalicoReport(chart, 'a', { workloads: [{ namespaceName: 'Org', name: 'x' }] })).message)
      .toMatch(/\[c\/a\] CalicoReport: workloads\[0\]: namespaceName 'Org' is not a Kubernetes namespace name/);
    expect(errorOf(() => new CalicoReport(chart, 'b', { reachabilityLimits: { maxEvaluations: 0 } })).message)
      .toMatch(/CalicoReport: reachabilityLimits: maxEvaluations 0 must be a whole number from 1 to 1000000/);
    expect(errorOf(() => new CalicoReport(chart, 'c', { reachabilityFileName: '../x.svg' })).message).toMatch(/reachabilityFileName '..\/x.svg' is not a plain file name/);
    expect(errorOf(() => new CalicoReport(chart, 'd', { fileName: 'x.md', reachabilityFileName: 'x.md' })).message).toMatch(/reachabilityFileName 'x.md' is the report's own fileName/);
    new CalicoReport(chart, 'e', { fileName: 'e.md', reachabilityFileName: 'shared.svg' });
    expect(errorOf(() => new CalicoReport(chart, 'f', { fileName: 'f.md', reachabilityFileName: 'shared.svg' })).message)
      .toMatch(/c\/e already writes 'shared.svg' in this app; give this report another reachabilityFileName/);
  });
});
