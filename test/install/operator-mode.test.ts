// The operator install mode (issue 16): the same network facts rendered as a Tigera operator
// install. The Installation carries the decisions; what the operator owns is never also an object
// of the output; the operator's own objects are upstream's of the line; every operator resource
// passes the operator CRD schemas of the line.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AsNumber, CalicoApiMode, CalicoCluster, CalicoClusterProps, CalicoStage, CalicoVersion, CrdSource, Encapsulation, InstallMode,
  RoutablePodPool, ServingCertificates,
} from '../../src';
import { checkOffline } from '../support/offline-check';
import { readCrds } from '../support/crd-schema';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { expectCrdSchemaValid, findAll, findObject, newChart, REFERENCE_DATA, synth } from '../support/util';
import { differencesFrom, REFERENCE_VERSIONS } from './install-util';

// Advisories are printed at synthesis; keep the output quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

/** A cluster of `props` in operator mode, its manifests. */
function operatorCluster(props: CalicoClusterProps = {}): { cluster: CalicoCluster; manifests: any[] } {
  const chart = newChart();
  const cluster = new CalicoCluster(chart, 'calico', { installMode: InstallMode.OPERATOR, ...props });
  return { cluster, manifests: synth(chart) };
}

/** The objects of a vendored file of a line (no CRDs). */
function vendored(version: CalicoVersion, file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(REFERENCE_DATA, version.tag, file), 'utf8'), { version: '1.1' })
    .map(d => d.toJS()).filter(d => d && d.kind && d.kind !== 'CustomResourceDefinition');
}

/** The operator.tigera.io CRDs of a line, as vendored. */
function operatorCrds(version: CalicoVersion): any[] {
  return readCrds(path.join(REFERENCE_DATA, version.tag, 'operator-crds.yaml'));
}

const OPERATOR_KINDS = new Set(['Installation', 'APIServer', 'Goldmane', 'Whisker']);
const operatorResources = (manifests: any[]) => manifests.filter(m => OPERATOR_KINDS.has(m.kind));

/** The four seed topologies of the manifest-mode tests (examples/single-subnet, multi-subnet, full-ipip, vxlan). */
const TOPOLOGIES = [
  { name: 'single subnet', network: { nodeSubnets: ['10.0.0.0/24'], mtu: 1500 }, encapsulation: 'None', mtu: 1500, bgp: 'Enabled' },
  { name: 'multiple subnets', network: { nodeSubnets: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'], mtu: 9001 }, encapsulation: 'IPIPCrossSubnet', mtu: 8981, bgp: 'Enabled' },
  { name: 'full IP-in-IP', network: { nodeSubnets: ['10.0.0.0/24'], mtu: 1500, sourceDestinationCheck: true }, encapsulation: 'IPIP', mtu: 1480, bgp: 'Enabled' },
  { name: 'VXLAN', network: { nodeSubnets: ['10.0.0.0/24'], mtu: 9001, bgpAllowed: false }, encapsulation: 'VXLAN', mtu: 8951, bgp: 'Disabled' },
];

test('operatorOptions default: no Goldmane, no Whisker; the APIServer in the default API mode', () => {
  const { manifests } = operatorCluster({ network: { nodeSubnets: ['10.0.0.0/24'] } });
  expect(operatorResources(manifests).map(r => r.kind)).toEqual(['Installation', 'APIServer']);
});

describe.each(TOPOLOGIES)('$name', t => {
  const { cluster, manifests } = operatorCluster({ network: t.network });
  const installation = findObject(manifests, 'Installation', 'default');

  test(`the Installation's pool encapsulation is ${t.encapsulation}, the same decision as in manifest mode`, () => {
    const manifestMode = new CalicoCluster(newChart(), 'calico', { network: t.network });
    expect(cluster.encapsulation).toBe(manifestMode.encapsulation);
    expect(installation.spec.calicoNetwork.ipPools).toEqual([{
      name: 'default-ipv4-ippool', cidr: '192.168.0.0/16', blockSize: 26, encapsulation: t.encapsulation, natOutgoing: 'Enabled', nodeSelector: 'all()',
    }]);
  });

  test(`the Installation's MTU is ${t.mtu} and BGP is ${t.bgp}`, () => {
    expect(installation.spec.calicoNetwork).toMatchObject({ mtu: t.mtu, bgp: t.bgp, linuxDataplane: 'Iptables' });
    expect(cluster.vethMtu).toBe(t.mtu);
  });

  test('node addresses are autodetected from the declared node subnets', () => {
    expect(installation.spec.calicoNetwork.nodeAddressAutodetectionV4).toEqual({ cidrs: t.network.nodeSubnets });
  });

  test('the FelixConfiguration enables only the encapsulation in use, and leaves the MTUs to the Installation', () => {
    const felix = findObject(manifests, 'FelixConfiguration', 'default').spec;
    expect(felix).toEqual({ ipipEnabled: t.encapsulation.startsWith('IPIP'), vxlanEnabled: t.encapsulation.startsWith('VXLAN'), wireguardEnabled: false });
  });

  test(t.bgp === 'Enabled' ? 'the BGPConfiguration is rendered as in manifest mode' : 'no BGPConfiguration (no BGP)', () => {
    expect(findAll(manifests, 'BGPConfiguration').length).toBe(t.bgp === 'Enabled' ? 1 : 0);
  });
});

describe('what the operator owns is never rendered', () => {
  const { cluster, manifests } = operatorCluster({ network: { nodeSubnets: ['10.0.0.0/24'] }, expectedNodes: 40 });

  test('no calico-node, Typha, kube-controllers, calico-config or default IPPool object', () => {
    const ids = manifests.map(m => `${m.kind}/${m.metadata.name}`);
    for (const owned of ['DaemonSet/calico-node', 'Deployment/calico-typha', 'Service/calico-typha', 'Deployment/calico-kube-controllers',
      'ConfigMap/calico-config', 'IPPool/default-ipv4-ippool']) {
      expect(ids).not.toContain(owned);
    }
    expect(manifests.filter(m => m.kind === 'DaemonSet' || (m.kind === 'Deployment' && m.metadata.name !== 'tigera-operator'))).toEqual([]);
    expect(cluster.typha).toBeUndefined();
  });

  test('the default pool is still the model the cluster exposes', () => {
    expect(cluster.defaultIpv4Pool.cidr).toBe('192.168.0.0/16');
    expect(cluster.defaultIpv4Pool.ipipMode).toBe('Never');
  });

  test('Typha is sized by the operator: the decision says so, no replica count is written', () => {
    expect(cluster.decisions.find(d => d.topic === 'typha-replicas')).toMatchObject({ choice: 'sized by the operator' });
    expect(cluster.decisions.find(d => d.topic === 'typha-replicas')!.reason).toContain('its rule gives 3 for 40 nodes');
    expect(JSON.stringify(findObject(manifests, 'Installation', 'default'))).not.toContain('replicas');
    expect(cluster.advisories.filter(a => a.code === 'typha-replicas')).toEqual([]);
  });

  test('the decisions are manifest mode\'s, with the install mode added', () => {
    const manifestMode = new CalicoCluster(newChart(), 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, expectedNodes: 40 });
    expect(cluster.decisions.map(d => d.topic)).toEqual([...manifestMode.decisions.map(d => d.topic)].flatMap(t => (t === 'datastore' ? [t, 'install-mode'] : [t])));
    expect(cluster.installMode).toBe(InstallMode.OPERATOR);
    expect(cluster.decisions.find(d => d.topic === 'install-mode')!.reason).toContain('v1.42.3');
  });

  test('the install runs in calico-system; the system namespaces include the operator\'s and the API server\'s', () => {
    expect(cluster.namespaceName).toBe('calico-system');
    expect(cluster.systemNamespaces).toEqual(['calico-system', 'tigera-operator', 'calico-apiserver']);
  });

  test('the install stage waits for the operator\'s TigeraStatus of each component, then for the Calico API', () => {
    const install = cluster.applySteps.find(s => s.stage === CalicoStage.INSTALL)!;
    expect(install.waitCommand).toBe('kubectl wait --for=create --timeout=10m tigerastatus/calico tigerastatus/apiserver'
      + ' && kubectl wait --for=condition=Available --timeout=10m tigerastatus/calico tigerastatus/apiserver'
      + ' && kubectl wait --for=condition=Available --timeout=10m apiservice/v3.projectcalico.org');
  });
});

test('manifest mode stays the default: calico-node is rendered, no operator object, no install-mode decision', () => {
  const chart = newChart();
  const cluster = new CalicoCluster(chart, 'calico');
  const manifests = synth(chart);
  expect(cluster.installMode).toBe(InstallMode.MANIFESTS);
  expect(findObject(manifests, 'DaemonSet', 'calico-node')).toBeDefined();
  expect(manifests.filter(m => m.metadata.name === 'tigera-operator' || OPERATOR_KINDS.has(m.kind))).toEqual([]);
  expect(cluster.decisions.map(d => d.topic)).not.toContain('install-mode');
});

describe.each(REFERENCE_VERSIONS)('Calico %s', version => {
  const line = version.line;

  test(`the operator objects equal upstream's tigera-operator.yaml of ${line}`, () => {
    const { manifests } = operatorCluster({ calicoVersion: version });
    const upstream = vendored(version, 'operator.yaml');
    const rendered = manifests.filter(m => upstream.some(u => u.kind === m.kind && u.metadata.name === m.metadata.name));
    expect(differencesFrom(upstream, rendered)).toEqual([]);
    expect(findObject(manifests, 'Deployment', 'tigera-operator').spec.template.spec.containers[0].image)
      .toBe(`quay.io/tigera/operator:${version._data.operatorTag}`);
  });

  test('every operator resource passes the operator CRD schemas of the line (with their CEL rules)', () => {
    const { manifests } = operatorCluster({
      calicoVersion: version, ipv6PodCidr: 'fd00:10:244::/56', network: { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'] }, registry: 'registry.example.com:5000/mirror',
      imagePullSecrets: ['pull-secret'], operatorOptions: { goldmane: true, whisker: true },
      calicoNode: { resources: { requests: { cpu: { value: '500m' } as any } }, nodeSelector: { 'kubernetes.io/os': 'linux' } },
      typha: { tolerations: [{ operator: 'Exists' }] }, kubeControllers: { nodeSelector: { role: 'infra' } },
    });
    const resources = operatorResources(manifests);
    expect(resources.map(r => r.kind)).toEqual(['Installation', 'APIServer', 'Goldmane', 'Whisker']);
    const report = checkOffline(resources, { crds: operatorCrds(version) });
    expect(report.errors).toEqual([]);
    expect(report.crdObjects).toBe(4);
  });

  test('the bundled CRDs are upstream\'s operator-crds.yaml: the operator.tigera.io CRDs, then the Calico CRDs', () => {
    const { cluster, manifests } = operatorCluster({ calicoVersion: version });
    const crds = manifests.filter(m => m.kind === 'CustomResourceDefinition').map(c => c.metadata.name);
    const calico = readCrds(path.join(REFERENCE_DATA, version.tag, 'crds.yaml')).map(c => c.metadata.name);
    expect(crds).toEqual([...operatorCrds(version).map(c => c.metadata.name), ...calico]);
    expect(crds.filter(n => n.endsWith('.operator.tigera.io'))).toEqual(expect.arrayContaining(['installations.operator.tigera.io', 'tigerastatuses.operator.tigera.io']));
    expect(cluster.decisions.find(d => d.topic === 'crds')!.choice).toBe(`bundled (Calico ${version.tag}, with the operator's)`);
  });
});

describe('the user\'s settings reach the Installation', () => {
  const { manifests } = operatorCluster({
    registry: 'registry.example.com:5000/mirror', imagePullSecrets: ['pull-secret'],
    calicoNode: { resources: { limits: { memory: { value: '1Gi' } as any } }, tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] },
    typha: { nodeSelector: { role: 'infra' } },
  });
  const spec = findObject(manifests, 'Installation', 'default').spec;

  test('the registry and pull secrets, for the operator\'s images and its own', () => {
    expect(spec.registry).toBe('registry.example.com:5000/mirror/');
    expect(spec.imagePullSecrets).toEqual([{ name: 'pull-secret' }]);
    const pod = findObject(manifests, 'Deployment', 'tigera-operator').spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.example.com:5000/mirror/tigera/operator:v1.42.3');
    expect(pod.imagePullSecrets).toEqual([{ name: 'pull-secret' }]);
  });

  test('resources, tolerations and node selectors as the components\' overrides', () => {
    expect(spec.calicoNodeDaemonSet).toEqual({ spec: { template: { spec: {
      containers: [{ name: 'calico-node', resources: { limits: { memory: '1Gi' } } }],
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
    } } } });
    expect(spec.typhaDeployment).toEqual({ spec: { template: { spec: { nodeSelector: { role: 'infra' } } } } });
    expect(spec.calicoKubeControllersDeployment).toBeUndefined();
  });

  test('without settings the Installation overrides nothing', () => {
    const plain = findObject(operatorCluster().manifests, 'Installation', 'default').spec;
    expect(Object.keys(plain).sort()).toEqual(['calicoNetwork', 'variant']);
    expect(plain.calicoNetwork.nodeAddressAutodetectionV4).toBeUndefined();
  });
});

describe('API modes', () => {
  test('APIServer default only when the Calico API server serves the v3 API; the operator makes its certificate', () => {
    const { cluster, manifests } = operatorCluster();
    expect(findObject(manifests, 'APIServer', 'default').spec).toEqual({});
    expect(findAll(manifests, 'Certificate')).toEqual([]);
    expect(cluster.manualSteps.filter(s => s.command.includes('cert-manager'))).toEqual([]);
    expect(cluster.decisions.find(d => d.topic === 'api-certificates')).toMatchObject({ choice: 'the operator' });
    for (const apiMode of [CalicoApiMode.STORAGE_CRDS, CalicoApiMode.CALICOCTL]) {
      expect(findAll(operatorCluster({ apiMode }).manifests, 'APIServer')).toEqual([]);
    }
  });

  test('the storage-CRD mode writes the Calico resources as crd.projectcalico.org/v1 beside the operator', () => {
    const { manifests } = operatorCluster({ apiMode: CalicoApiMode.STORAGE_CRDS });
    expect(findObject(manifests, 'FelixConfiguration', 'default').apiVersion).toBe('crd.projectcalico.org/v1');
    expectCrdSchemaValid(manifests);
  });
});

describe('refuses what the operator cannot honour', () => {
  const refusals: Array<[string, CalicoClusterProps, string]> = [
    ['etcd', { etcd: { endpoints: ['http://10.0.0.10:2379'] } }, 'etcd is set, but the Tigera operator runs Calico on the Kubernetes datastore only'],
    ['namespaceName', { namespaceName: 'kube-system' }, 'namespaceName is set, but the Tigera operator runs Calico in calico-system'],
    ['typha.replicas', { typha: { replicas: 5 } }, 'typha.replicas is set, but the Tigera operator sizes Typha'],
    ['typha.tls', { typha: { tls: { caBundleConfigMapName: 'ca', serverSecretName: 'typha', clientSecretName: 'felix' } as any } }, 'typha.tls is set, but the Tigera operator issues'],
    ['calicoNode.env', { calicoNode: { env: { LOG_LEVEL: 'debug' } } }, 'calicoNode.env is set, but the Installation has no environment overrides'],
    ['enabledControllers', { kubeControllers: { enabledControllers: ['node'] } }, 'kubeControllers.enabledControllers is set'],
    ['native v3', { apiMode: CalicoApiMode.NATIVE_V3_CRDS }, 'apiMode NativeV3CRDs is set, but the Tigera operator picks its API group itself'],
    ['apiCertificates', { apiCertificates: ServingCertificates.certManager() }, 'apiCertificates is set, but the Tigera operator issues and rotates'],
    ['whisker alone', { operatorOptions: { whisker: true } }, 'operatorOptions.whisker is set, but Whisker shows the flows Goldmane aggregates'],
  ];
  test.each(refusals)('%s', (_name, props, message) => {
    expect(() => new CalicoCluster(newChart(), 'calico', { installMode: InstallMode.OPERATOR, ...props })).toThrow(message);
  });

  test('operator options without the operator', () => {
    expect(() => new CalicoCluster(newChart(), 'calico', { operatorOptions: { goldmane: true } }))
      .toThrow('operatorOptions are for installMode InstallMode.OPERATOR; set installMode, or drop operatorOptions');
  });
});

describe('the Calico resources the operator does not make are rendered as in manifest mode', () => {
  test('a routable pool narrows the Installation\'s default pool and is an IPPool of its own', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { installMode: InstallMode.OPERATOR, network: { nodeSubnets: ['10.0.0.0/24'] } });
    new RoutablePodPool(chart, 'routable', { cluster, cidr: '10.70.0.0/20', router: { ip: '10.0.0.1', asNumber: AsNumber.of(65001) } });
    const manifests = synth(chart);
    expect(findObject(manifests, 'Installation', 'default').spec.calicoNetwork.ipPools[0].nodeSelector).toBe('network-type == "non-routable"');
    expect(findAll(manifests, 'IPPool').map(p => p.metadata.name)).toEqual(['routable']);
  });

  test('a pool overlapping the Installation\'s default pool is refused', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { installMode: InstallMode.OPERATOR, network: { nodeSubnets: ['10.0.0.0/24'] } });
    new RoutablePodPool(chart, 'routable', { cluster, cidr: '192.168.0.0/20', router: { ip: '10.0.0.1', asNumber: AsNumber.of(65001) } });
    expect(() => Testing.synth(chart)).toThrow(/overlap/);
  });

  test('dual stack: both pools in the Installation, the IPv6 one with VXLAN off (IP-in-IP is IPv4 only)', () => {
    const { manifests } = operatorCluster({ ipv6PodCidr: 'fd00:10:244::/56', encapsulation: Encapsulation.VXLAN });
    const pools = findObject(manifests, 'Installation', 'default').spec.calicoNetwork.ipPools;
    expect(pools.map((p: any) => [p.name, p.encapsulation])).toEqual([['default-ipv4-ippool', 'VXLAN'], ['default-ipv6-ippool', 'VXLAN']]);
    expectK8sSchemaValid(manifests.filter(m => m.apiVersion !== 'operator.tigera.io/v1'));
  });

  test('CrdSource.separate() leaves upstream\'s operator-crds.yaml to a manual step', () => {
    const { cluster, manifests } = operatorCluster({ crds: CrdSource.separate() });
    expect(findAll(manifests, 'CustomResourceDefinition')).toEqual([]);
    expect(cluster.manualSteps.map(s => s.command)).toContain(
      'kubectl apply --server-side -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/operator-crds.yaml');
  });
});
