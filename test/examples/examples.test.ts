import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { CalicoApiMode, CalicoBackend, CalicoCluster, CalicoVersion, Encapsulation, InstallMode } from '../../src';
import { FullIpipChart } from '../../examples/full-ipip/chart';
import { MultiSubnetChart } from '../../examples/multi-subnet/chart';
import { ReferenceChart } from '../../examples/reference/chart';
import { SingleSubnetChart } from '../../examples/single-subnet/chart';
import { VxlanChart } from '../../examples/vxlan/chart';
import { manifestDiff } from '../support/manifest-diff';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { calicoCrdsFile, expectCrdSchemaValid, findAll, findObject, REFERENCE_DATA, synth, upstreamTyphaFile } from '../support/util';
import { checkOffline } from '../support/offline-check';
import { readCrds } from '../support/crd-schema';
import { CERT_MANAGER_CRDS_FILE } from '../support/cert-manager-schema';
import { runExampleMain } from '../support/examples';

// The reference example is advised about its full mesh at synthesis; keep the test output quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

type ExampleChart = Chart & { readonly calico: CalicoCluster };

/** What each example must show, from its README line in issue 3. */
interface Topology {
  readonly chart: new (scope: any, id: string) => ExampleChart;
  readonly encapsulation: Encapsulation;
  readonly ipipMode: string;
  readonly vxlanMode: string;
  readonly backend: CalicoBackend;
  readonly vethMtu: number;
  readonly typhaReplicas: number;
  readonly advisories: string[];
  /** Where the install differs from upstream's calico-typha.yaml: every one a decision of the library. */
  readonly fromUpstream: string[];
}

/** The release every example installs: the library's default. */
const VERSION = CalicoVersion.DEFAULT;

const UPSTREAM: any[] = YAML.parseAllDocuments(fs.readFileSync(upstreamTyphaFile(VERSION.tag), 'utf8'))
  .map(d => d.toJS()).filter(d => d && d.kind);

const NODE_ENV = 'DaemonSet/calico-node: spec.template.spec.containers[calico-node].env';
/** Differences every example shares: the pool CIDR stated, Typha sized for production. */
const COMMON = [
  `${NODE_ENV}[CALICO_IPV4POOL_CIDR] = {"name":"CALICO_IPV4POOL_CIDR","value":"192.168.0.0/16"}`,
  'Deployment/calico-typha: spec.replicas = 3',
];

/** Every difference of the rendered upstream objects from upstream, as `Kind/name: path = actual`. */
function differencesFromUpstream(manifests: any[]): string[] {
  const out: string[] = [];
  for (const u of UPSTREAM) {
    const rendered = findObject(manifests, u.kind, u.metadata.name);
    for (const d of manifestDiff(u, rendered)) {
      // The Typha anti-affinity is TyphaDeployment's documented addition (tested in typha-deployment.test.ts).
      if (d.path === 'spec.template.spec.affinity') continue;
      out.push(`${u.kind}/${u.metadata.name}: ${d.path} = ${d.actual === undefined ? '(missing)' : JSON.stringify(d.actual)}`);
    }
  }
  return out.sort();
}

const EXAMPLES: Record<string, Topology> = {
  'single-subnet': {
    chart: SingleSubnetChart, encapsulation: Encapsulation.NONE, ipipMode: 'Never', vxlanMode: 'Never',
    backend: CalicoBackend.BIRD, vethMtu: 1500, typhaReplicas: 3, advisories: [],
    fromUpstream: [
      'ConfigMap/calico-config: data.veth_mtu = "1500"',
      `${NODE_ENV}[CALICO_IPV4POOL_IPIP].value = "Never"`,
    ],
  },
  'multi-subnet': {
    chart: MultiSubnetChart, encapsulation: Encapsulation.IPIP_CROSS_SUBNET, ipipMode: 'CrossSubnet', vxlanMode: 'Never',
    backend: CalicoBackend.BIRD, vethMtu: 8981, typhaReplicas: 3, advisories: [],
    fromUpstream: [
      'ConfigMap/calico-config: data.veth_mtu = "8981"',
      `${NODE_ENV}[CALICO_IPV4POOL_IPIP].value = "CrossSubnet"`,
    ],
  },
  'full-ipip': {
    chart: FullIpipChart, encapsulation: Encapsulation.IPIP, ipipMode: 'Always', vxlanMode: 'Never',
    backend: CalicoBackend.BIRD, vethMtu: 1480, typhaReplicas: 3, advisories: [],
    fromUpstream: [
      'ConfigMap/calico-config: data.veth_mtu = "1480"',
    ],
  },
  'vxlan': {
    chart: VxlanChart, encapsulation: Encapsulation.VXLAN, ipipMode: 'Never', vxlanMode: 'Always',
    backend: CalicoBackend.VXLAN, vethMtu: 8951, typhaReplicas: 3, advisories: [],
    // FACTS.md: the upstream VXLAN manifest differs from the BGP one in the backend, the pool
    // env and the BIRD probes; the IPv4 pool here is Always (one subnet), not CrossSubnet.
    fromUpstream: [
      'ConfigMap/calico-config: data.calico_backend = "vxlan"',
      'ConfigMap/calico-config: data.veth_mtu = "8951"',
      `${NODE_ENV}[CALICO_IPV4POOL_IPIP].value = "Never"`,
      `${NODE_ENV}[CALICO_IPV4POOL_VXLAN].value = "Always"`,
      `${NODE_ENV}[CALICO_IPV6POOL_VXLAN].value = "CrossSubnet"`,
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].livenessProbe.exec.command[2] = (missing)',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].readinessProbe.exec.command[2] = (missing)',
    ],
  },
  'reference': {
    // 200 nodes: Typha 200/200 + 2 = 3; route reflectors replace the full mesh, so no bgp-mesh advisory.
    chart: ReferenceChart, encapsulation: Encapsulation.IPIP_CROSS_SUBNET, ipipMode: 'CrossSubnet', vxlanMode: 'Never',
    backend: CalicoBackend.BIRD, vethMtu: 1480, typhaReplicas: 3, advisories: [],
    fromUpstream: [
      'ConfigMap/calico-config: data.veth_mtu = "1480"',
      `${NODE_ENV}[CALICO_IPV4POOL_IPIP].value = "CrossSubnet"`,
    ],
  },
};

/** The CustomResourceDefinitions of the release, as vendored. */
const RELEASE_CRDS: any[] = YAML.parseAllDocuments(fs.readFileSync(calicoCrdsFile(VERSION), 'utf8')).map(d => d.toJS())
  .filter(d => d && d.kind === 'CustomResourceDefinition');

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
/** Every example app (a folder with chart.ts), including those of later issues. */
const ALL_EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter(n => fs.existsSync(path.join(EXAMPLES_DIR, n, 'chart.ts'))).sort();

test('every example of issue 3 exists', () => {
  expect(ALL_EXAMPLES).toEqual(expect.arrayContaining(Object.keys(EXAMPLES)));
});

/**
 * The CRDs an example's objects are created against: the native v3 CRDs in that mode, else the
 * storage CRDs; the operator's with the operator; cert-manager's.
 */
function crdsFor(cluster: CalicoCluster | undefined): any[] {
  const native = cluster?.apiMode === CalicoApiMode.NATIVE_V3_CRDS;
  const operator = cluster?.installMode === InstallMode.OPERATOR ? readCrds(path.join(REFERENCE_DATA, VERSION.tag, 'operator-crds.yaml')) : [];
  return [...readCrds(native ? path.join(REFERENCE_DATA, VERSION.tag, 'v3-crds.yaml') : calicoCrdsFile(VERSION)), ...operator, ...CERT_MANAGER_CRDS];
}
const CERT_MANAGER_CRDS = readCrds(CERT_MANAGER_CRDS_FILE);

describe.each(ALL_EXAMPLES)('examples/%s (schemas)', name => {
  test('every object would be accepted on create: the CRD schemas of its API mode with their CEL rules, Kubernetes 1.34\'s schema', () => {
    // The chart class is the module's one export that builds a Chart.
    const module = require(`../../examples/${name}/chart`);
    const charts = Object.values(module).filter((v: any) => typeof v === 'function' && Object.prototype.isPrototypeOf.call(Chart.prototype, v.prototype)) as Array<new (scope: any, id: string) => Chart>;
    expect(charts.length).toBe(1);
    const chart = new charts[0](Testing.app(), name);
    const manifests = synth(chart);
    expect(manifests.length).toBeGreaterThan(0);
    const cluster = chart.node.findAll().find((c): c is CalicoCluster => c instanceof CalicoCluster);
    const report = checkOffline(manifests, { crds: crdsFor(cluster) });
    expect(report.errors).toEqual([]);
    // Every object checked but the Calico Nodes (stored in Kubernetes Nodes: no CRD describes them).
    const calicoNodes = manifests.filter(m => m.kind === 'Node' && m.apiVersion === 'projectcalico.org/v3').length;
    expect(report.crdObjects + report.kubernetesObjects).toBe(manifests.length - calicoNodes);
    expectCrdSchemaValid(manifests, VERSION);
  });
});

describe.each(Object.entries(EXAMPLES))('examples/%s', (name, t) => {
  const chart = new t.chart(Testing.app(), name);
  const manifests = synth(chart);
  const bird = t.backend === CalicoBackend.BIRD;

  test('matches the reviewed snapshot', () => {
    expect(manifests.filter(m => m.kind !== 'CustomResourceDefinition')).toMatchSnapshot();
  });

  test('differs from upstream\'s v3.32.1 install only where the library decided', () => {
    expect(VERSION.tag).toBe('v3.32.1');
    expect(differencesFromUpstream(manifests)).toEqual([...COMMON, ...t.fromUpstream].sort());
  });

  test('every object passes the Calico CRD schemas of v3.32.1 and the Kubernetes 1.28 schema', () => {
    expectCrdSchemaValid(manifests, VERSION);
    expectK8sSchemaValid(manifests);
  });

  test(`routes with ${t.encapsulation} on the ${t.backend} backend`, () => {
    expect(chart.calico.encapsulation).toBe(t.encapsulation);
    expect(chart.calico.backend).toBe(t.backend);
    expect(findObject(manifests, 'IPPool', 'default-ipv4-ippool').spec).toMatchObject({ ipipMode: t.ipipMode, vxlanMode: t.vxlanMode });
    expect(findObject(manifests, 'ConfigMap', 'calico-config').data.calico_backend).toBe(t.backend);
    const felix = findObject(manifests, 'FelixConfiguration', 'default').spec;
    expect(felix.ipipEnabled).toBe(t.ipipMode !== 'Never');
    expect(felix.vxlanEnabled).toBe(t.vxlanMode !== 'Never');
  });

  test(`workload MTU ${t.vethMtu} in calico-config and in FelixConfiguration`, () => {
    expect(findObject(manifests, 'ConfigMap', 'calico-config').data.veth_mtu).toBe(String(t.vethMtu));
    const felix = findObject(manifests, 'FelixConfiguration', 'default').spec;
    const tunnelMtus = [felix.ipipMTU, felix.vxlanMTU, felix.wireguardMTU].filter(m => m !== undefined);
    expect(tunnelMtus).toEqual(t.encapsulation === Encapsulation.NONE ? [] : [t.vethMtu]);
  });

  test(bird ? 'calico-node checks BIRD in its probes' : 'calico-node runs no BIRD probes', () => {
    const c = findObject(manifests, 'DaemonSet', 'calico-node').spec.template.spec.containers[0];
    const commands = [...c.livenessProbe.exec.command, ...c.readinessProbe.exec.command];
    expect(commands.filter((x: string) => x.startsWith('-bird'))).toEqual(bird ? ['-bird-live', '-bird-ready'] : []);
  });

  test(bird ? 'configures BGP' : 'writes no BGP configuration', () => {
    expect(findAll(manifests, 'BGPConfiguration').length).toBe(bird ? 1 : 0);
  });

  test(`Typha runs ${t.typhaReplicas} replicas`, () => {
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.replicas).toBe(t.typhaReplicas);
    expect(t.typhaReplicas).toBeGreaterThanOrEqual(3);
  });

  test(`advisories: ${t.advisories.join(', ') || 'none'}`, () => {
    expect(chart.calico.advisories.map(a => a.code)).toEqual(t.advisories);
  });

  test('the release\'s CRDs come first, from the library (the example synthesizes offline), with no manual CRD step', () => {
    const crds = manifests.filter(m => m.kind === 'CustomResourceDefinition');
    expect(crds.map(c => c.metadata.name)).toEqual(RELEASE_CRDS.map(c => c.metadata.name));
    expect(manifests.slice(0, crds.length)).toEqual(crds);
    expect(chart.calico.manualSteps.map(m => m.command).filter(c => c.includes('crds.yaml'))).toEqual([]);
  });

  test('main.ts synthesizes the chart\'s stages into numbered files in apply order, with the architecture report beside them', () => {
    const outdir = runExampleMain(name);
    const stageFiles = chart.calico.stageCharts.map((s, i) => `${String(i).padStart(4, '0')}-${s.chartId}.k8s.yaml`);
    expect(fs.readdirSync(outdir).sort()).toEqual(['calico-architecture.md', 'calico-reachability.svg', ...stageFiles].sort());
    expect(stageFiles[0]).toBe(`0000-${name}-crds.k8s.yaml`);
    expect(fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8')).toMatch(/^# Calico architecture\n/);
    const written = stageFiles.flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJS()));
    expect(written).toEqual(manifests);
  });
});
