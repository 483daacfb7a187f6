import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import {
  AsNumber, BgpConfiguration, BgpPeer, RouteReflectorPool, CalicoApi, CalicoApiMode, CalicoApiVersion, CalicoBackend, CalicoCluster, CalicoClusterProps, CalicoErrors, CalicoStage, CalicoVersion, CrdSource,
  Encapsulation,
} from '../../src';
import { CalicoValidationError } from '../../src/core/errors';
import { expectK8sSchemaValid, k8sSchemaErrors } from '../support/k8s-schema';
import { crdSchemaErrors, errorOf, expectCrdSchemaValid, findAll, findObject, newChart, REFERENCE_DATA, synth } from '../support/util';

/** Upstream's CRDs of the default release, v3.32.1 (what a cluster includes with CrdSource.fromFile). */
const CRDS_FILE = path.join(REFERENCE_DATA, 'v3.32.1', 'crds.yaml');

const ONE_SUBNET = ['10.0.0.0/24'];
const THREE_SUBNETS = ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'];
/** Facts that leave nothing to advise about (so tests of one advisory see only that one). */
const QUIET: CalicoClusterProps = { network: { nodeSubnets: ONE_SUBNET }, expectedNodes: 30 };
const TLS = { serverSecretName: 'typha-server-tls', clientSecretName: 'felix-typha-tls', caBundleConfigMapName: 'typha-ca' };

// Advisories are printed at synthesis: capture them (and keep the test output quiet). Some
// describe blocks synthesize while jest collects the tests, so the spy is set up at load time.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
beforeEach(() => stderr.mockClear());
afterAll(() => stderr.mockRestore());

function isCalico(o: any): boolean {
  return /(^|\.)projectcalico\.org\//.test(o.apiVersion);
}

interface Built {
  readonly chart: Chart;
  readonly cluster: CalicoCluster;
  readonly manifests: any[];
}

function build(props: CalicoClusterProps = {}): Built {
  const chart = newChart();
  const cluster = new CalicoCluster(chart, 'calico', props);
  return { chart, cluster, manifests: synth(chart) };
}

function daemonSet(m: any[]): any {
  return findObject(m, 'DaemonSet', 'calico-node');
}

function nodeContainer(m: any[]): any {
  return daemonSet(m).spec.template.spec.containers[0];
}

/** Env of a container as name -> value (or the valueFrom object). */
function envOf(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

function nodeEnv(m: any[]): Record<string, any> {
  return envOf(nodeContainer(m));
}

function config(m: any[]): Record<string, string> {
  return findObject(m, 'ConfigMap', 'calico-config').data;
}

function felix(m: any[]): any {
  return findObject(m, 'FelixConfiguration', 'default').spec;
}

function pool(m: any[], name = 'default-ipv4-ippool'): any {
  return findObject(m, 'IPPool', name).spec;
}

function typhaDeployment(m: any[]): any {
  return findObject(m, 'Deployment', 'calico-typha');
}

/** Every pod spec of the install (calico-node, calico-typha, calico-kube-controllers). */
function podSpecs(m: any[]): any[] {
  return [...findAll(m, 'DaemonSet'), ...findAll(m, 'Deployment')].map(w => w.spec.template.spec);
}

function allContainers(m: any[]): any[] {
  return podSpecs(m).flatMap(s => [...(s.initContainers ?? []), ...s.containers]);
}

const fromVethMtu = { configMapKeyRef: { name: 'calico-config', key: 'veth_mtu' } };

/** Checks both schemas; every test that synthesizes a new configuration calls it. */
function expectSchemasValid(m: any[]): void {
  expectCrdSchemaValid(m);
  expectK8sSchemaValid(m);
}

describe('defaults (one test per default)', () => {
  const { cluster, manifests } = build();

  test('every object passes the Calico CRD schemas and the Kubernetes 1.28 schema', () => {
    expectSchemasValid(manifests);
  });

  test('renders upstream\'s install objects plus the BGPConfiguration and FelixConfiguration default and the default IPv4 pool', () => {
    expect(manifests.filter(o => o.kind !== 'CustomResourceDefinition').map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'BGPConfiguration/default',
      'ClusterRole/calico-cni-plugin', 'ClusterRole/calico-kube-controllers', 'ClusterRole/calico-node', 'ClusterRole/calico-tier-getter',
      'ClusterRoleBinding/calico-cni-plugin', 'ClusterRoleBinding/calico-kube-controllers', 'ClusterRoleBinding/calico-node',
      'ClusterRoleBinding/calico-tier-getter',
      'ConfigMap/calico-config', 'DaemonSet/calico-node',
      'Deployment/calico-kube-controllers', 'Deployment/calico-typha',
      'FelixConfiguration/default', 'IPPool/default-ipv4-ippool',
      'PodDisruptionBudget/calico-kube-controllers', 'PodDisruptionBudget/calico-typha',
      'Service/calico-typha',
      'ServiceAccount/calico-cni-plugin', 'ServiceAccount/calico-kube-controllers', 'ServiceAccount/calico-node',
      // The Calico API server (upstream's apiserver.yaml) and its cert-manager certificate.
      'APIService/v3.projectcalico.org', 'Certificate/calico-apiserver', 'Certificate/calico-ca',
      'ClusterRole/calico-crds', 'ClusterRole/calico-extension-apiserver-auth-access', 'ClusterRole/calico-webhook-reader',
      'ClusterRoleBinding/calico-apiserver-access-crds', 'ClusterRoleBinding/calico-apiserver-delegate-auth',
      'ClusterRoleBinding/calico-apiserver-webhook-reader', 'ClusterRoleBinding/calico-extension-apiserver-auth-access',
      'Deployment/calico-apiserver', 'Issuer/calico-ca', 'Issuer/calico-selfsigned', 'Namespace/calico-apiserver',
      'NetworkPolicy/allow-apiserver', 'PodDisruptionBudget/calico-apiserver', 'Service/calico-api', 'ServiceAccount/calico-apiserver',
    ].sort());
  });

  test('namespaceName: kube-system for every namespaced object and every ServiceAccount a binding names', () => {
    expect(cluster.namespaceName).toBe('kube-system');
    // The API server keeps upstream's namespace of its own (its APIService names its Service there).
    const namespaced = manifests.filter(o => !isCalico(o) && !['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'Namespace'].includes(o.kind)
      && o.metadata.namespace !== 'calico-apiserver');
    expect(namespaced.length).toBe(10);
    for (const o of namespaced) expect(`${o.kind}/${o.metadata.name}: ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name}: kube-system`);
    const accounts = findAll(manifests, 'ClusterRoleBinding').flatMap(b => b.subjects).filter(x => x.kind === 'ServiceAccount');
    expect(accounts.map(a => `${a.name}: ${a.namespace}`)).toEqual([
      ...['calico-kube-controllers', 'calico-node', 'calico-cni-plugin'].map(n => `${n}: kube-system`),
      ...['calico-apiserver', 'calico-apiserver', 'calico-apiserver', 'calico-apiserver'].map(n => `${n}: calico-apiserver`),
    ]);
  });

  test('Calico resources are cluster-scoped (no namespace)', () => {
    const calico = manifests.filter(isCalico);
    expect(calico.length).toBeGreaterThanOrEqual(2);
    for (const o of calico) expect(o.metadata.namespace).toBeUndefined();
  });

  test('calicoVersion and registry: v3.32.1, every image quay.io/calico/<component>:v3.32.1', () => {
    expect(cluster.calicoVersion).toBe(CalicoVersion.V3_32_1);
    expect(CalicoVersion.of(cluster)).toBe(CalicoVersion.V3_32_1);
    const images = allContainers(manifests).map(c => c.image);
    expect(images.length).toBe(7);
    expect([...new Set(images)].sort()).toEqual([
      'quay.io/calico/apiserver:v3.32.1', 'quay.io/calico/cni:v3.32.1', 'quay.io/calico/kube-controllers:v3.32.1', 'quay.io/calico/node:v3.32.1', 'quay.io/calico/typha:v3.32.1',
    ]);
  });

  test('imagePullSecrets: none on any pod', () => {
    for (const spec of podSpecs(manifests)) expect(spec.imagePullSecrets).toBeUndefined();
  });

  test('podCidr: 192.168.0.0/16 in the pool and in CALICO_IPV4POOL_CIDR', () => {
    expect(pool(manifests).cidr).toBe('192.168.0.0/16');
    expect(nodeEnv(manifests).CALICO_IPV4POOL_CIDR).toBe('192.168.0.0/16');
  });

  test('blockSize: 26', () => {
    expect(pool(manifests).blockSize).toBe(26);
  });

  test('natOutgoing: true', () => {
    expect(pool(manifests).natOutgoing).toBe(true);
  });

  test('the default pool serves every node', () => {
    expect(pool(manifests).nodeSelector).toBe('all()');
  });

  test('ipv6PodCidr: IPv4 only (no IPv6 pool, IPv6 support off, no IP6 autodetection)', () => {
    expect(cluster.defaultIpv6Pool).toBeUndefined();
    expect(findAll(manifests, 'IPPool').map(p => p.metadata.name)).toEqual(['default-ipv4-ippool']);
    const env = nodeEnv(manifests);
    expect(env.FELIX_IPV6SUPPORT).toBe('false');
    expect(env.IP6).toBeUndefined();
    expect(env.CALICO_IPV6POOL_CIDR).toBeUndefined();
  });

  test('production: true -> Typha runs 3 replicas when the node count is unknown', () => {
    expect(cluster.typha!.replicas).toBe(3);
    expect(typhaDeployment(manifests).spec.replicas).toBe(3);
    expect(cluster.expectedNodes).toBeUndefined();
  });

  test('typha: no TLS and no resources', () => {
    const typha = typhaDeployment(manifests).spec.template.spec;
    expect(typha.containers[0].resources).toBeUndefined();
    expect(typha.volumes).toBeUndefined();
    expect(Object.keys(envOf(typha.containers[0])).filter(n => /CAFILE|CERTFILE|KEYFILE|CLIENTCN/.test(n))).toEqual([]);
    expect(Object.keys(nodeEnv(manifests)).filter(n => /^FELIX_TYPHA(CN|CAFILE|CERTFILE|KEYFILE)$/.test(n))).toEqual([]);
  });

  test('calicoNode.resources: upstream\'s requests cpu 250m', () => {
    expect(nodeContainer(manifests).resources).toEqual({ requests: { cpu: '250m' } });
  });

  test('network: MTU 1500, BGP and IP-in-IP allowed, no checks, no subnets stated -> IP-in-IP Always, veth 1480', () => {
    expect(cluster.networkMtu).toBe(1500);
    expect(cluster.nodeSubnets).toEqual([]);
    expect(cluster.encapsulation).toBe(Encapsulation.IPIP);
    expect(cluster.backend).toBe(CalicoBackend.BIRD);
    expect(cluster.vethMtu).toBe(1480);
  });

  test('encapsulation: chosen from the facts (recorded as such, not as explicit)', () => {
    expect(cluster.decisions[0]).toMatchObject({ topic: 'routing', choice: 'IPIP' });
    expect(cluster.decisions[0].reason).not.toMatch(/explicitly/);
  });

  test('autoDetectMtu: false -> veth_mtu is the computed value, never the auto-detect "0"', () => {
    expect(config(manifests).veth_mtu).toBe('1480');
    expect(felix(manifests).ipipMTU).toBe(1480);
  });

  test('wireguard: false -> WireGuard disabled in FelixConfiguration, no WireGuard MTU', () => {
    expect(felix(manifests).wireguardEnabled).toBe(false);
    expect(felix(manifests).wireguardMTU).toBeUndefined();
  });

  test('strict: false -> advisories do not stop synthesis', () => {
    expect(cluster.strict).toBe(false);
    expect(cluster.advisories.length).toBeGreaterThan(0);
    expect(manifests.length).toBeGreaterThan(0);
  });

  test('crds: bundled -> the release\'s CRDs come first, in the CRDs stage, and no manual step fetches them', () => {
    const crds = findAll(manifests, 'CustomResourceDefinition');
    const reference = YAML.parseAllDocuments(fs.readFileSync(CRDS_FILE, 'utf8')).map(d => d.toJS()).filter(o => o);
    expect(crds.map(c => c.metadata.name)).toEqual(reference.map(c => c.metadata.name));
    expect(crds.map(c => c.spec)).toEqual(reference.map(c => c.spec));
    expect(manifests.slice(0, crds.length)).toEqual(crds);
    expect(cluster.stageCharts[0]).toEqual({ stage: 'crds', chartId: 'test-crds' });
    expect(cluster.manualSteps.map(s => s.command)).not.toContainEqual(expect.stringMatching(/crds\.yaml/));
    expect(cluster.decisions.find(d => d.topic === 'crds')).toMatchObject({ choice: 'bundled (Calico v3.32.1)' });
  });

  test('argoCdSyncWaves: false, so no object carries Argo CD annotations', () => {
    const argo = manifests.filter(m => Object.keys(m.metadata?.annotations ?? {}).some(k => k.startsWith('argocd.argoproj.io/')));
    expect(argo).toEqual([]);
  });

  test('apiMode: the Calico API server serves projectcalico.org/v3, so every stage is applied with kubectl and no step needs calicoctl', () => {
    expect(cluster.apiMode).toBe(CalicoApiMode.API_SERVER);
    expect(cluster.decisions.find(d => d.topic === 'api')).toMatchObject({ choice: 'APIServer' });
    // The one step outside the output: cert-manager, which issues the API server's certificate.
    expect(cluster.manualSteps.map(s => s.command)).toEqual([
      'kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/v1.21.1/cert-manager.yaml '
        + '&& kubectl -n cert-manager rollout status deployment/cert-manager-webhook --timeout=10m',
    ]);
    const commands = cluster.applySteps.map(s => s.command);
    expect(commands).toEqual([
      'kubectl apply --server-side --field-manager=cdk8s-calico -f 0000-test-crds.k8s.yaml',
      'kubectl apply -f 0001-test-install.k8s.yaml',
      'kubectl apply -f 0002-test.k8s.yaml',
      'kubectl apply -f 0003-test-bgp.k8s.yaml',
    ]);
    expect(cluster.applySteps[1].waitCommand).toBe('kubectl -n kube-system rollout status daemonset/calico-node --timeout=10m '
      + '&& kubectl wait --for=condition=Available --timeout=10m apiservice/v3.projectcalico.org');
  });

  test('apiCertificates: cert-manager issues the API server\'s certificate from a private CA and injects the CA into the APIService', () => {
    expect(cluster.decisions.find(d => d.topic === 'api-certificates')).toMatchObject({ choice: 'cert-manager, a private CA (Issuer calico-ca)' });
    expect(findObject(manifests, 'APIService', 'v3.projectcalico.org').metadata.annotations)
      .toEqual({ 'cert-manager.io/inject-ca-from': 'calico-apiserver/calico-apiserver' });
    expect(findObject(manifests, 'Certificate', 'calico-apiserver').spec).toMatchObject({
      secretName: 'calico-apiserver-certs', issuerRef: { name: 'calico-ca', kind: 'Issuer' },
      dnsNames: ['calico-api', 'calico-api.calico-apiserver', 'calico-api.calico-apiserver.svc'],
    });
    expect(JSON.stringify(manifests)).not.toMatch(/PRIVATE KEY|tls\.key"\s*:/);
  });

  test('expectedNodes: unknown -> no full-mesh advisory', () => {
    expect(cluster.advisories.map(a => a.code)).not.toContain('bgp-mesh');
  });
});

describe('overrides (one test per prop)', () => {
  test('network.nodeSubnets: one subnet -> no encapsulation', () => {
    const { cluster, manifests } = build({ network: { nodeSubnets: ONE_SUBNET } });
    expect(cluster.nodeSubnets).toEqual(ONE_SUBNET);
    expect(pool(manifests)).toMatchObject({ ipipMode: 'Never', vxlanMode: 'Never' });
    expect(config(manifests).veth_mtu).toBe('1500');
    expectSchemasValid(manifests);
  });

  test('network.mtu: 9001 -> veth 8981 with IP-in-IP', () => {
    const { cluster, manifests } = build({ network: { mtu: 9001 } });
    expect(cluster.networkMtu).toBe(9001);
    expect(config(manifests).veth_mtu).toBe('8981');
  });

  test('network.bgpAllowed: false -> VXLAN with the vxlan backend', () => {
    const { manifests } = build({ network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false } });
    expect(config(manifests).calico_backend).toBe('vxlan');
    expect(pool(manifests)).toMatchObject({ ipipMode: 'Never', vxlanMode: 'Always' });
    expectSchemasValid(manifests);
  });

  test('network.ipipAllowed: false -> VXLAN', () => {
    const { cluster } = build({ network: { nodeSubnets: THREE_SUBNETS, ipipAllowed: false } });
    expect(cluster.encapsulation).toBe(Encapsulation.VXLAN_CROSS_SUBNET);
  });

  test('network.sourceDestinationCheck: true -> IP-in-IP Always', () => {
    const { manifests } = build({ network: { nodeSubnets: ONE_SUBNET, sourceDestinationCheck: true } });
    expect(pool(manifests).ipipMode).toBe('Always');
  });

  test('expectedNodes: 1000 -> 7 Typha replicas and a full-mesh advisory', () => {
    const { cluster, manifests } = build({ network: { nodeSubnets: ONE_SUBNET }, expectedNodes: 1000 });
    expect(cluster.expectedNodes).toBe(1000);
    expect(typhaDeployment(manifests).spec.replicas).toBe(7);
    expect(cluster.advisories.map(a => a.code)).toEqual(['bgp-mesh']);
  });

  test('encapsulation: VXLAN on a network that allows everything', () => {
    const { cluster, manifests } = build({ ...QUIET, encapsulation: Encapsulation.VXLAN });
    expect(cluster.encapsulation).toBe(Encapsulation.VXLAN);
    expect(config(manifests).calico_backend).toBe('vxlan');
    expect(pool(manifests).vxlanMode).toBe('Always');
    expect(config(manifests).veth_mtu).toBe('1450');
  });

  test('autoDetectMtu: true -> veth_mtu "0" and no MTU in FelixConfiguration', () => {
    const { cluster, manifests } = build({ ...QUIET, network: { nodeSubnets: THREE_SUBNETS }, autoDetectMtu: true });
    expect(cluster.vethMtu).toBe(0);
    expect(config(manifests).veth_mtu).toBe('0');
    const f = felix(manifests);
    expect([f.ipipMTU, f.vxlanMTU, f.wireguardMTU]).toEqual([undefined, undefined, undefined]);
    expect(f.ipipEnabled).toBe(true);
    expect(cluster.decisions.find(d => d.topic === 'mtu')).toMatchObject({ choice: 'auto-detect', reason: expect.stringMatching(/^autoDetectMtu: true/) });
    expectSchemasValid(manifests);
  });

  test('wireguard: true -> WireGuard enabled with the MTU its overhead leaves', () => {
    const { manifests } = build({ ...QUIET, wireguard: true });
    expect(felix(manifests)).toMatchObject({ wireguardEnabled: true, wireguardMTU: 1440 });
    expect(felix(manifests).wireguardEnabledV6).toBeUndefined();
    expect(config(manifests).veth_mtu).toBe('1440');
    expectSchemasValid(manifests);
  });

  test('podCidr: used by the pool and CALICO_IPV4POOL_CIDR', () => {
    const { manifests } = build({ ...QUIET, podCidr: '10.244.0.0/16' });
    expect(pool(manifests).cidr).toBe('10.244.0.0/16');
    expect(nodeEnv(manifests).CALICO_IPV4POOL_CIDR).toBe('10.244.0.0/16');
  });

  test('ipv6PodCidr: dual stack (see the dual-stack tests)', () => {
    const { cluster } = build({ ...QUIET, ipv6PodCidr: 'fd00:10:244::/56' });
    expect(cluster.defaultIpv6Pool?.name).toBe('default-ipv6-ippool');
  });

  test('blockSize: 24 in the pool and CALICO_IPV4POOL_BLOCK_SIZE', () => {
    const { manifests } = build({ ...QUIET, blockSize: 24 });
    expect(pool(manifests).blockSize).toBe(24);
    expect(nodeEnv(manifests).CALICO_IPV4POOL_BLOCK_SIZE).toBe('24');
  });

  test('natOutgoing: false', () => {
    const { manifests } = build({ ...QUIET, natOutgoing: false });
    expect(pool(manifests).natOutgoing).toBe(false);
  });

  test('namespaceName: every namespaced object, every binding subject and the exposed namespace follow it', () => {
    const { cluster, manifests } = build({ ...QUIET, namespaceName: 'calico-system' });
    expect(cluster.namespaceName).toBe('calico-system');
    expect(cluster.typha!.namespaceName).toBe('calico-system');
    const namespaces = new Set(manifests.filter(o => o.metadata.namespace !== undefined).map(o => o.metadata.namespace));
    expect([...namespaces]).toEqual(['calico-system', 'calico-apiserver']);
    for (const b of findAll(manifests, 'ClusterRoleBinding').filter(x => x.subjects[0].kind === 'ServiceAccount' && !x.metadata.name.includes('apiserver'))) {
      expect(b.subjects[0].namespace).toBe('calico-system');
    }
    expectSchemasValid(manifests);
  });

  test('calicoVersion: V3_31_7 renders the v3.31.7 install, its images and CRDs, and sets the chart\'s version', () => {
    const { chart, cluster, manifests } = build({ ...QUIET, calicoVersion: CalicoVersion.V3_31_7 });
    expect(cluster.calicoVersion).toBe(CalicoVersion.V3_31_7);
    expect(CalicoVersion.of(chart)).toBe(CalicoVersion.V3_31_7);
    for (const c of allContainers(manifests)) expect(c.image).toMatch(/^quay\.io\/calico\/[a-z-]+:v3\.31\.7$/);
    // v3.31's calico-node still mounts /sys/kernel/security; v3.32's does not.
    expect(daemonSet(manifests).spec.template.spec.volumes.map((v: any) => v.name)).toContain('sys-kernel-security');
    expect(daemonSet(build(QUIET).manifests).spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('sys-kernel-security');
    expect(cluster.decisions.find(d => d.topic === 'crds')).toMatchObject({ choice: 'bundled (Calico v3.31.7)' });
    const reference = YAML.parseAllDocuments(fs.readFileSync(path.join(REFERENCE_DATA, 'v3.31.7', 'crds.yaml'), 'utf8')).map(d => d.toJS()).filter(o => o);
    expect(findAll(manifests, 'CustomResourceDefinition').map(c => c.metadata.name)).toEqual(reference.map(c => c.metadata.name));
    expectSchemasValid(manifests);
  });

  test('calicoVersion: a later patch changes the image tags only; the bundled CRDs stay the line\'s reference release\'s, and the decision says so', () => {
    const { cluster, manifests } = build({ ...QUIET, calicoVersion: CalicoVersion.patch('v3.32.3') });
    for (const c of allContainers(manifests)) expect(c.image).toMatch(/^quay\.io\/calico\/[a-z-]+:v3\.32\.3$/);
    expect(cluster.decisions.find(d => d.topic === 'crds')).toEqual({
      topic: 'crds', choice: 'bundled (Calico v3.32.1)',
      reason: 'the CRDs of the line\'s reference release v3.32.1, shipped with the library, are the first stage of the output (no network at synth); CrdSource.upstreamRelease() fetches v3.32.3\'s own',
    });
    const reference = build(QUIET).manifests;
    const changed = (m: any[]) => JSON.stringify(m).replace(/:v3\.32\.[0-9]+"/g, ':TAG"');
    expect(changed(manifests)).toBe(changed(reference));
  });

  test('registry: every image comes from it, at the release\'s tag', () => {
    const { manifests } = build({ ...QUIET, registry: 'registry.example.com:5000/mirror' });
    for (const c of allContainers(manifests)) expect(c.image).toMatch(/^registry\.example\.com:5000\/mirror\/calico\/[a-z-]+:v3\.32\.1$/);
  });

  test('imagePullSecrets: on every Calico pod', () => {
    const { manifests } = build({ ...QUIET, imagePullSecrets: ['regcred', 'mirror-cred'] });
    const specs = podSpecs(manifests);
    expect(specs.length).toBe(4); // calico-node, kube-controllers, Typha, the API server
    for (const spec of specs) expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'mirror-cred' }]);
    expectSchemasValid(manifests);
  });

  test('typha.replicas: wins over the rule', () => {
    const { cluster, manifests } = build({ ...QUIET, typha: { replicas: 5 } });
    expect(typhaDeployment(manifests).spec.replicas).toBe(5);
    expect(cluster.decisions.find(d => d.topic === 'typha-replicas')).toEqual({ topic: 'typha-replicas', choice: '5', reason: 'set explicitly (typha.replicas)' });
  });

  test('typha.tls: Typha requires the client CN and Felix the server CN, from the named Secrets', () => {
    const { manifests } = build({ ...QUIET, typha: { tls: TLS } });
    const typha = typhaDeployment(manifests).spec.template.spec;
    expect(envOf(typha.containers[0]).TYPHA_CLIENTCN).toBe('typha-client');
    expect(typha.volumes.map((v: any) => v.secret?.secretName ?? v.configMap?.name)).toEqual(expect.arrayContaining(['typha-server-tls', 'typha-ca']));
    const env = nodeEnv(manifests);
    expect(env.FELIX_TYPHACN).toBe('typha-server');
    expect(env.FELIX_TYPHACAFILE).toBeDefined();
    const nodeVolumes = daemonSet(manifests).spec.template.spec.volumes.map((v: any) => v.secret?.secretName ?? v.configMap?.name);
    expect(nodeVolumes).toEqual(expect.arrayContaining(['felix-typha-tls', 'typha-ca']));
    expect(JSON.stringify(manifests)).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY)/);
    expectSchemasValid(manifests);
  });

  test('typha.resources: on the calico-typha container', () => {
    const resources = { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') } };
    const { manifests } = build({ ...QUIET, typha: { resources } });
    expect(typhaDeployment(manifests).spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
    expectSchemasValid(manifests);
  });

  test('calicoNode.resources: replace upstream\'s', () => {
    const resources = { limits: { memory: k8s.Quantity.fromString('1Gi') }, requests: { cpu: k8s.Quantity.fromString('500m') } };
    const { manifests } = build({ ...QUIET, calicoNode: { resources } });
    expect(nodeContainer(manifests).resources).toEqual({ limits: { memory: '1Gi' }, requests: { cpu: '500m' } });
  });

  test('production: false -> Typha follows the operator rule alone (1 replica for an unknown size), no replica advisory', () => {
    const { cluster, manifests } = build({ network: { nodeSubnets: ONE_SUBNET }, production: false });
    expect(typhaDeployment(manifests).spec.replicas).toBe(1);
    expect(cluster.advisories).toEqual([]);
  });

  test('strict: true -> advisories fail synthesis', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { strict: true });
    expect(cluster.strict).toBe(true);
    expect(() => synth(chart)).toThrow(/CalicoCluster advisory \[node-subnets\]/);
  });

  test('crds: fromFile includes the file\'s objects and drops the manual CRD step', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-crds-'));
    const file = path.join(dir, 'crds.yaml');
    fs.copyFileSync(CRDS_FILE, file);
    const { cluster, manifests } = build({ ...QUIET, crds: CrdSource.fromFile(file) });
    const crds = findAll(manifests, 'CustomResourceDefinition');
    // CALICO_CRDS_FILE is the default line's file (v3.32.1: 22 crd.projectcalico.org CRDs and ClusterNetworkPolicy; v3.28.5 had 18).
    expect(crds.length).toBe(23);
    expect(crds.map(c => c.metadata.name)).toContain('ippools.crd.projectcalico.org');
    expect(cluster.manualSteps.map(s => s.command)).not.toContainEqual(expect.stringMatching(/crds\.yaml/));
    expect(cluster.decisions.find(d => d.topic === 'crds')).toEqual({ topic: 'crds', choice: `file ${file}`, reason: 'the Calico CRDs are part of the output' });
    expectK8sSchemaValid(crds);
  });
});

describe('CrdSource', () => {
  test('upstreamRelease points at the release file (fetched at synthesis): the given release, else the cluster\'s', () => {
    const url = (tag: string) => `https://raw.githubusercontent.com/projectcalico/calico/${tag}/manifests/crds.yaml`;
    expect(CrdSource.upstreamRelease(CalicoVersion.patch('v3.31.8')).location).toBe(url('v3.31.8'));
    expect(CrdSource.upstreamRelease(CalicoVersion.V3_31_7).locationFor(CalicoVersion.V3_32_1)).toBe(url('v3.31.7'));
    const follows = CrdSource.upstreamRelease();
    expect([follows.mode, follows.location, follows.calicoVersion]).toEqual(['url', undefined, undefined]);
    expect(follows.locationFor(CalicoVersion.V3_31_7)).toBe(url('v3.31.7'));
  });

  test('fails for the CRDs of another release than the cluster\'s', () => {
    expect(() => new CalicoCluster(newChart(), 'calico', { ...QUIET, crds: CrdSource.upstreamRelease(CalicoVersion.V3_31_7) }))
      .toThrow("CalicoCluster: crds fetch the CRDs of Calico v3.31.7, but the cluster installs v3.32.1; use CrdSource.upstreamRelease() without a version to follow the cluster's release");
  });

  test('separate has no location; fromFile keeps the path', () => {
    expect(CrdSource.separate()).toMatchObject({ location: undefined, mode: 'separate' });
    expect(CrdSource.fromFile('crds.yaml')).toMatchObject({ location: 'crds.yaml', mode: 'file' });
  });

  test('included CRDs come before the Calico resources that need them', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new CalicoCluster(chart, 'calico', { ...QUIET, crds: CrdSource.fromFile(CRDS_FILE) });
    const kinds = synth(chart).map(o => o.kind);
    const lastCrd = kinds.lastIndexOf('CustomResourceDefinition');
    expect(lastCrd).toBeGreaterThan(0);
    expect(lastCrd).toBeLessThan(kinds.indexOf('FelixConfiguration'));
    expect(lastCrd).toBeLessThan(kinds.indexOf('IPPool'));
  });
});

describe('consistency between the rendered objects', () => {
  const ENCAPSULATION_CASES: Array<[Encapsulation, CalicoClusterProps]> = [
    [Encapsulation.NONE, { network: { nodeSubnets: ONE_SUBNET } }],
    [Encapsulation.IPIP, { network: { nodeSubnets: ONE_SUBNET, sourceDestinationCheck: true } }],
    [Encapsulation.IPIP_CROSS_SUBNET, { network: { nodeSubnets: THREE_SUBNETS, mtu: 9001 } }],
    [Encapsulation.VXLAN, { network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false } }],
    [Encapsulation.VXLAN_CROSS_SUBNET, { network: { nodeSubnets: THREE_SUBNETS, ipipAllowed: false } }],
  ];

  describe.each(ENCAPSULATION_CASES)('%s', (encapsulation, props) => {
    for (const wireguard of [false, true]) {
      const { cluster, manifests } = build({ ...props, wireguard, expectedNodes: 30 });
      const ipip = encapsulation === Encapsulation.IPIP || encapsulation === Encapsulation.IPIP_CROSS_SUBNET;
      const vxlan = encapsulation === Encapsulation.VXLAN || encapsulation === Encapsulation.VXLAN_CROSS_SUBNET;
      const mode = encapsulation.endsWith('CrossSubnet') ? 'CrossSubnet' : 'Always';
      const label = wireguard ? ' with WireGuard' : '';

      test(`chosen as expected${label}`, () => {
        expect(cluster.encapsulation).toBe(encapsulation);
      });

      test(`passes both schemas${label}`, () => {
        expectSchemasValid(manifests);
      });

      test(`veth_mtu matches every MTU set in FelixConfiguration${label}`, () => {
        const veth = Number(config(manifests).veth_mtu);
        expect(veth).toBe(cluster.vethMtu);
        const f = felix(manifests);
        expect(f.ipipMTU).toBe(ipip ? veth : undefined);
        expect(f.vxlanMTU).toBe(vxlan ? veth : undefined);
        expect(f.wireguardMTU).toBe(wireguard ? veth : undefined);
      });

      test(`unused encapsulations are disabled in FelixConfiguration${label}`, () => {
        expect(felix(manifests)).toMatchObject({ ipipEnabled: ipip, vxlanEnabled: vxlan, wireguardEnabled: wireguard });
      });

      test(`the pool and calico-node's default-pool env agree${label}`, () => {
        const p = pool(manifests);
        expect(p.ipipMode).toBe(ipip ? mode : 'Never');
        expect(p.vxlanMode).toBe(vxlan ? mode : 'Never');
        const env = nodeEnv(manifests);
        expect(env.CALICO_IPV4POOL_IPIP).toBe(p.ipipMode);
        expect(env.CALICO_IPV4POOL_VXLAN).toBe(p.vxlanMode);
      });

      test(`BIRD and its probe flags only with the bird backend${label}`, () => {
        const bird = !vxlan;
        expect(cluster.backend).toBe(bird ? CalicoBackend.BIRD : CalicoBackend.VXLAN);
        expect(config(manifests).calico_backend).toBe(bird ? 'bird' : 'vxlan');
        const c = nodeContainer(manifests);
        expect(c.livenessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-live', ...(bird ? ['-bird-live'] : [])]);
        expect(c.readinessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-ready', ...(bird ? ['-bird-ready'] : [])]);
      });
    }
  });

  const { manifests } = build(QUIET);

  test('calico-node, the CNI installer and Felix\'s tunnel MTUs all read veth_mtu', () => {
    const env = nodeEnv(manifests);
    for (const name of ['FELIX_IPINIPMTU', 'FELIX_VXLANMTU', 'FELIX_WIREGUARDMTU']) expect(env[name]).toEqual(fromVethMtu);
    const installCni = daemonSet(manifests).spec.template.spec.initContainers.find((c: any) => c.name === 'install-cni');
    expect(envOf(installCni).CNI_MTU).toEqual(fromVethMtu);
  });

  test('DATASTORE_TYPE is kubernetes for calico-node, calico-kube-controllers and Typha', () => {
    expect(nodeEnv(manifests).DATASTORE_TYPE).toBe('kubernetes');
    expect(envOf(findObject(manifests, 'Deployment', 'calico-kube-controllers').spec.template.spec.containers[0]).DATASTORE_TYPE).toBe('kubernetes');
    expect(envOf(typhaDeployment(manifests).spec.template.spec.containers[0]).TYPHA_DATASTORETYPE).toBe('kubernetes');
  });

  test('FELIX_TYPHAK8SSERVICENAME comes from the ConfigMap, which names the Typha Service', () => {
    expect(nodeEnv(manifests).FELIX_TYPHAK8SSERVICENAME).toEqual({ configMapKeyRef: { name: 'calico-config', key: 'typha_service_name' } });
    expect(config(manifests).typha_service_name).toBe('calico-typha');
    expect(findObject(manifests, 'Service', 'calico-typha').spec.ports[0].port).toBe(5473);
  });

  test('every ConfigMap reference of every container names a key calico-config has', () => {
    const data = config(manifests);
    const refs = allContainers(manifests).flatMap(c => (c.env ?? []).map((e: any) => e.valueFrom?.configMapKeyRef).filter(Boolean));
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref.name).toBe('calico-config');
      expect(Object.keys(data)).toContain(ref.key);
    }
  });

  test('every pod runs as a ServiceAccount of the install, and every binding grants its ClusterRole to one (or to kube-controller-manager)', () => {
    const accounts = findAll(manifests, 'ServiceAccount').map(a => `${a.metadata.namespace}/${a.metadata.name}`);
    for (const w of [...findAll(manifests, 'DaemonSet'), ...findAll(manifests, 'Deployment')]) {
      expect(accounts).toContain(`${w.metadata.namespace}/${w.spec.template.spec.serviceAccountName}`);
    }
    const roles = [...findAll(manifests, 'ClusterRole').map(r => r.metadata.name), 'system:auth-delegator'];
    for (const b of findAll(manifests, 'ClusterRoleBinding')) {
      expect(roles).toContain(b.roleRef.name);
      for (const s of b.subjects) {
        // calico-tier-getter lets kube-controller-manager read tiers (garbage collection of tiered policies).
        expect(s.kind === 'ServiceAccount' ? accounts : ['system:kube-controller-manager']).toContain(s.kind === 'ServiceAccount' ? `${s.namespace}/${s.name}` : s.name);
      }
    }
  });

  test('the API server is bound to Kubernetes\' built-in role for delegated authentication, every other binding to a role of the install', () => {
    const roles = findAll(manifests, 'ClusterRole').map(r => r.metadata.name);
    for (const b of findAll(manifests, 'ClusterRoleBinding')) {
      if (b.metadata.name === 'calico-apiserver-delegate-auth') expect(b.roleRef.name).toBe('system:auth-delegator');
      else expect(roles).toContain(b.roleRef.name);
    }
  });

  test('the CNI network config is valid JSON for the Kubernetes datastore, Calico IPAM and Kubernetes policy', () => {
    const cni = JSON.parse(config(manifests).cni_network_config.replace('__CNI_MTU__', '1500'));
    const calico = cni.plugins[0];
    expect(calico).toMatchObject({ type: 'calico', datastore_type: 'kubernetes', mtu: 1500, ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' } });
    // The bandwidth plugin left upstream's configuration in v3.30.
    expect(cni.plugins.map((p: any) => p.type)).toEqual(['calico', 'portmap']);
  });
});

describe('Typha replicas', () => {
  // A node count of 0 is refused (a cluster has at least one node); not stating one gets what 0 used to.
  test('an unknown node count -> 3 in production, 1 otherwise', () => {
    const network = { nodeSubnets: ONE_SUBNET };
    expect(build({ network }).cluster.typha!.replicas).toBe(3);
    expect(build({ network, production: false }).cluster.typha!.replicas).toBe(1);
  });

  // FACTS.md: the Tigera operator's rule, raised to 3 in production.
  test.each<[number, number, number]>([
    // expectedNodes, production, not production
    [3, 3, 2],
    [4, 3, 2],
    [5, 3, 3],
    [50, 3, 3],
    [399, 3, 3],
    [400, 4, 4],
    [599, 4, 4],
    [1000, 7, 7],
    [2000, 12, 12],
    [3600, 20, 20],
  ])('%d expected nodes -> %d in production, %d otherwise', (nodes, prod, nonProd) => {
    const network = { nodeSubnets: ONE_SUBNET };
    expect(build({ network, expectedNodes: nodes }).cluster.typha!.replicas).toBe(prod);
    expect(build({ network, expectedNodes: nodes, production: false }).cluster.typha!.replicas).toBe(nonProd);
  });

  test('the decision says when the production minimum raised the count', () => {
    const { cluster } = build({ ...QUIET, expectedNodes: 4 });
    expect(cluster.decisions.find(d => d.topic === 'typha-replicas')).toEqual({
      topic: 'typha-replicas',
      choice: '3',
      reason: 'Tigera operator rule for 4 nodes gives 2; raised to 3, the production minimum',
    });
  });

  test.each([1, 2])('a production cluster of %d nodes runs one replica per node (Typha binds a host port) and is advised', nodes => {
    const { cluster, manifests } = build({ network: { nodeSubnets: ONE_SUBNET }, expectedNodes: nodes });
    expect(typhaDeployment(manifests).spec.replicas).toBe(nodes);
    expect(cluster.advisories).toEqual([{ code: 'typha-replicas', message: expect.stringMatching(new RegExp(`^Typha runs ${nodes} replica\\(s\\), one per expected node \\(it binds host port 5473.*needs at least 3 nodes: plan for 3 nodes, or set production: false$`)) }]);
  });

  test('fails when explicit replicas exceed the expected nodes', () => {
    const err = errorOf(() => build({ network: { nodeSubnets: ONE_SUBNET }, expectedNodes: 3, typha: { replicas: 5 } }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toContain('replicas 5 exceeds expectedNodes 3');
  });
});

describe('advisories', () => {
  test('a fully described small cluster has none', () => {
    expect(build(QUIET).cluster.advisories).toEqual([]);
  });

  test('an app that writes one file (or one per resource) loses the stage order: advised, unless Argo CD waves order it', () => {
    for (const yamlOutputType of [YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_RESOURCE]) {
      const cluster = new CalicoCluster(new Chart(new App({ yamlOutputType }), 'c'), 'calico', QUIET);
      expect(cluster.advisories.map(a => a.code)).toEqual(['output-order']);
      expect(cluster.advisories[0].message).toMatch(/so the stages lose their apply order .* YamlOutputType\.FILE_PER_CHART \(the default\) or FOLDER_PER_CHART_FILE_PER_RESOURCE, or set argoCdSyncWaves$/);
      expect(new CalicoCluster(new Chart(new App({ yamlOutputType }), 'c'), 'calico', { ...QUIET, argoCdSyncWaves: true }).advisories).toEqual([]);
    }
    for (const yamlOutputType of [YamlOutputType.FILE_PER_CHART, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE]) {
      expect(new CalicoCluster(new Chart(new App({ yamlOutputType }), 'c'), 'calico', QUIET).advisories).toEqual([]);
    }
  });

  test('more than 50 nodes on the full mesh is advised, with the session count', () => {
    expect(build({ ...QUIET, expectedNodes: 50 }).cluster.advisories).toEqual([]);
    expect(build({ ...QUIET, expectedNodes: 51 }).cluster.advisories).toEqual([{
      code: 'bgp-mesh',
      message: '51 expected nodes on a full node-to-node mesh means 1275 BGP sessions; above ~50 nodes use route reflectors',
    }]);
  });

  test('the full-mesh advisory needs a mesh: none with VXLAN, which runs no BGP', () => {
    const { cluster } = build({ network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false }, expectedNodes: 100 });
    expect(cluster.backend).toBe(CalicoBackend.VXLAN);
    expect(cluster.advisories).toEqual([]);
  });

  test('fewer than 3 Typha replicas in production is advised', () => {
    const network = { nodeSubnets: ONE_SUBNET };
    const { cluster } = build({ network, typha: { replicas: 2 } });
    expect(cluster.advisories).toEqual([expect.objectContaining({ code: 'typha-replicas', message: expect.stringMatching(/^Typha runs 2 replica\(s\); production clusters should run at least 3/) })]);
    expect(build({ network, typha: { replicas: 2 }, production: false }).cluster.advisories).toEqual([]);
  });

  test('fewer Typha replicas than the operator runs for the node count is advised', () => {
    const { cluster } = build({ network: { nodeSubnets: ONE_SUBNET }, expectedNodes: 1000, typha: { replicas: 3 } });
    expect(cluster.advisories.map(a => a.message)).toContain('Typha runs 3 replica(s), fewer than the 7 the Tigera operator runs for 1000 nodes');
  });

  test('advisories are printed once at synthesis, not at construction', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', {});
    expect(stderr).not.toHaveBeenCalled();
    synth(chart);
    synth(chart);
    const printed = stderr.mock.calls.map(c => String(c[0]));
    expect(printed).toEqual([expect.stringMatching(/^\[test\/calico\] CalicoCluster advisory \[node-subnets\]: network\.nodeSubnets is not stated.*\n$/)]);
  });

  test('advise() records and prints an advisory of a construct that extends the cluster', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', QUIET);
    cluster.advise('route-reflectors', 'only one route reflector; run at least 2');
    expect(cluster.advisories).toEqual([{ code: 'route-reflectors', message: 'only one route reflector; run at least 2' }]);
    synth(chart);
    expect(stderr).toHaveBeenCalledWith('[test/calico] CalicoCluster advisory [route-reflectors]: only one route reflector; run at least 2\n');
  });

  test('strict: synthesis throws the library\'s error naming the cluster and every advisory, and nothing is printed', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', { strict: true, expectedNodes: 100 });
    const err = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(CalicoErrors.constructPathOf(err)).toBe('test/calico');
    expect(err.message.split('\n')).toEqual([
      expect.stringMatching(/^\[test\/calico\] CalicoCluster advisory \[node-subnets\]: /),
      expect.stringMatching(/^CalicoCluster advisory \[bgp-mesh\]: 100 expected nodes/),
    ]);
    expect(stderr).not.toHaveBeenCalled();
  });

  test('strict: App.synth() fails naming the construct and the advisory, and writes no manifest', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'strict');
    new CalicoCluster(chart, 'calico', { strict: true });
    expect(() => app.synth()).toThrow(/\[strict\/calico\] CalicoCluster advisory \[node-subnets\]/);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });

  test('strict with nothing to advise synthesizes', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', { ...QUIET, strict: true });
    expect(synth(chart).length).toBe(build(QUIET).manifests.length);
  });

  test('the getter returns copies', () => {
    const { cluster } = build({});
    (cluster.advisories as any[]).length = 0;
    (cluster.advisories[0] as any).code = 'changed';
    expect(cluster.advisories[0].code).toBe('node-subnets');
  });
});

describe('errors', () => {
  function expectError(props: CalicoClusterProps, message: string): void {
    const err = errorOf(() => new CalicoCluster(newChart(), 'calico', props));
    expect(err).toBeInstanceOf(CalicoValidationError);
    expect(CalicoErrors.constructPathOf(err)).toBe('test/calico');
    expect(err.message).toContain(message);
  }

  test('a node subnet that is not a CIDR', () => {
    expectError({ network: { nodeSubnets: ['10.0.0.0/33'] } }, "network.nodeSubnets entry '10.0.0.0/33' is not a CIDR; write it as an address and prefix length, e.g. '10.0.1.0/24'");
    expectError({ network: { nodeSubnets: ['10.0.0.0'] } }, "network.nodeSubnets entry '10.0.0.0' is not a CIDR");
  });

  test('node subnets listed twice or nested', () => {
    expectError({ network: { nodeSubnets: ['10.0.0.0/24', '10.0.0.0/24'] } }, "network.nodeSubnets entries '10.0.0.0/24' and '10.0.0.0/24' overlap");
    expectError({ network: { nodeSubnets: ['10.0.0.0/16', '10.0.1.0/24'] } }, "network.nodeSubnets entries '10.0.0.0/16' and '10.0.1.0/24' overlap");
  });

  test('a network MTU outside 576-9216', () => {
    expectError({ network: { mtu: 10000 } }, 'network.mtu 10000 is outside 576-9216; give the MTU of the node network (1500, or 9001 on AWS with jumbo frames)');
  });

  test('an MTU too small after the overhead', () => {
    expectError({ network: { mtu: 580, bgpAllowed: false } }, 'network.mtu 580 leaves a workload MTU of 530 after 50 bytes of overhead, below the IPv4 minimum of 576; raise network.mtu to at least 626');
  });

  test('an explicit encapsulation the facts rule out', () => {
    expectError({ network: { nodeSubnets: THREE_SUBNETS }, encapsulation: Encapsulation.NONE }, 'CalicoCluster: encapsulation None does not fit the network facts: unencapsulated pod traffic cannot cross the routers between the 3 node subnets');
  });

  test.each([-1, 2.5, NaN])('expectedNodes %d', nodes => {
    expectError({ expectedNodes: nodes }, `CalicoCluster: expectedNodes ${nodes} must be a whole number >= 1`);
  });

  test('pool CIDRs and block size', () => {
    expectError({ podCidr: '10.244.0.1/16' }, "ipv4Pool.cidr '10.244.0.1/16' has host bits set; use the network address '10.244.0.0/16'");
    expectError({ podCidr: 'fd00::/48' }, "ipv4Pool.cidr 'fd00::/48' is an IPv6 CIDR");
    expectError({ ipv6PodCidr: '10.0.0.0/16' }, "ipv6Pool.cidr '10.0.0.0/16' is an IPv4 CIDR");
    expectError({ blockSize: 33 }, 'ipv4Pool.blockSize 33 is out of range for IPv4 (20-32); use a whole number from 20 to 32');
    expectError({ podCidr: '10.244.0.0/28' }, "ipv4Pool.cidr '10.244.0.0/28' is smaller than one IPAM block (/26)");
  });

  test('names, registry, version, pull secrets and Typha settings', () => {
    expectError({ namespaceName: 'Kube_System' }, "namespace 'Kube_System' is not a valid namespace name");
    expectError({ registry: 'https://quay.io/' }, "registry 'https://quay.io/' is not an image registry");
    expectError({ calicoVersion: 'v3.32.1 ' as any }, 'props.calicoVersion "v3.32.1 " is not a CalicoVersion');
    expectError({ imagePullSecrets: ['Bad_Name'] }, "imagePullSecrets[0] 'Bad_Name' is not a valid Secret name");
    expectError({ typha: { replicas: 0 } }, 'typha.replicas 0 is not a whole number of at least 1');
  });

  test('Typha TLS with one Secret for both sides', () => {
    const err = errorOf(() => new CalicoCluster(newChart(), 'calico', { typha: { tls: { ...TLS, clientSecretName: TLS.serverSecretName } } }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toMatch(/tls\.serverSecretName and tls\.clientSecretName are both 'typha-server-tls'/);
  });
});

describe('dual stack', () => {
  const props: CalicoClusterProps = { ...QUIET, ipv6PodCidr: 'fd00:10:244::/56' };
  const { cluster, manifests } = build(props);

  test('adds default-ipv6-ippool: /122 blocks, no IP-in-IP, no NAT, every node', () => {
    expect(pool(manifests, 'default-ipv6-ippool')).toEqual({
      cidr: 'fd00:10:244::/56', blockSize: 122, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false, nodeSelector: 'all()',
    });
    expect(cluster.defaultIpv6Pool?.name).toBe('default-ipv6-ippool');
  });

  test('turns on IPv6 in calico-node: IP6 autodetection, IPv6 support, the IPv6 pool CIDR and IPv6 tunnel MTUs', () => {
    const env = nodeEnv(manifests);
    expect(env.IP6).toBe('autodetect');
    expect(env.FELIX_IPV6SUPPORT).toBe('true');
    expect(env.CALICO_IPV6POOL_CIDR).toBe('fd00:10:244::/56');
    expect(env.FELIX_VXLANMTUV6).toEqual(fromVethMtu);
    expect(env.FELIX_WIREGUARDMTUV6).toEqual(fromVethMtu);
  });

  test('the CNI config assigns both families', () => {
    const cni = JSON.parse(config(manifests).cni_network_config.replace('__CNI_MTU__', '1500'));
    expect(cni.plugins[0].ipam).toEqual({ type: 'calico-ipam', assign_ipv4: 'true', assign_ipv6: 'true' });
  });

  test('passes both schemas', () => {
    expectSchemasValid(manifests);
  });

  test('VXLAN encapsulates both pools and sizes both tunnel MTUs for VXLAN over IPv6', () => {
    const vx = build({ ...props, network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false } }).manifests;
    expect(pool(vx, 'default-ipv6-ippool').vxlanMode).toBe('Always');
    expect(felix(vx)).toMatchObject({ vxlanEnabled: true, vxlanMTU: 1430, vxlanMTUV6: 1430 });
    expect(nodeEnv(vx).CALICO_IPV6POOL_VXLAN).toBe('Always');
    expectSchemasValid(vx);
  });

  test('WireGuard covers IPv6 too, with the IPv6 overhead', () => {
    const wg = build({ ...props, wireguard: true }).manifests;
    expect(felix(wg)).toMatchObject({ wireguardEnabled: true, wireguardEnabledV6: true, wireguardMTU: 1420, wireguardMTUV6: 1420 });
    expectSchemasValid(wg);
  });
});

describe('decisions', () => {
  test('routing, backend, MTU, datastore and Typha replicas, in that order, each with its reason', () => {
    const { cluster } = build({ network: { nodeSubnets: THREE_SUBNETS, mtu: 9001 }, expectedNodes: 40 });
    expect(cluster.decisions).toEqual([
      { topic: 'routing', choice: 'IPIPCrossSubnet', reason: 'IP-in-IP CrossSubnet: nodes span 3 subnets; traffic inside a subnet stays native' },
      { topic: 'backend', choice: 'bird', reason: 'BIRD runs BGP to distribute pod routes (native or IP-in-IP)' },
      { topic: 'mtu', choice: '8981', reason: 'veth MTU 8981 = network MTU 9001 - 20 (IPIPCrossSubnet)' },
      { topic: 'datastore', choice: 'kubernetes', reason: 'the Kubernetes API is the datastore, fronted by Typha, as the reference architecture recommends' },
      {
        topic: 'api', choice: 'APIServer', reason: 'the default: the Calico API server serves projectcalico.org/v3 to kubectl and GitOps tools on every supported '
          + 'Kubernetes, with Calico\'s own validation and defaulting; native v3 CRDs are a tech preview that needs Kubernetes 1.34+',
      },
      {
        topic: 'api-certificates', choice: 'cert-manager, a private CA (Issuer calico-ca)', reason: 'the default: cert-manager issues the Calico API server\'s '
          + 'serving certificate and injects its CA, so an apply or a GitOps sync completes with no hand work and no key in the output (cert-manager must be installed first)',
      },
      { topic: 'typha-replicas', choice: '3', reason: 'Tigera operator rule for 40 nodes gives 3' },
      { topic: 'crds', choice: 'bundled (Calico v3.32.1)', reason: 'the CRDs of the release, shipped with the library, are the first stage of the output (no network at synth)' },
      { topic: 'calico-version', choice: 'v3.32.1', reason: 'Calico v3.32, one of the supported lines (v3.32, v3.31)' },
    ]);
  });

  test('the vxlan backend explains why BIRD is left out', () => {
    const { cluster } = build({ ...QUIET, network: { nodeSubnets: ONE_SUBNET, bgpAllowed: false } });
    expect(cluster.decisions.find(d => d.topic === 'backend')).toEqual({
      topic: 'backend', choice: 'vxlan', reason: 'VXLAN needs no BGP: Felix programs the routes, so BIRD and its probes are left out',
    });
  });

  test('decide() appends a decision; the getter returns copies', () => {
    const { cluster } = build(QUIET);
    cluster.decide('route-reflection', '2 reflectors', 'nodes span 3 subnets');
    (cluster.decisions[0] as any).choice = 'changed';
    expect(cluster.decisions.length).toBe(10);
    expect(cluster.decisions[0].choice).toBe('None');
    expect(cluster.decisions[9]).toEqual({ topic: 'route-reflection', choice: '2 reflectors', reason: 'nodes span 3 subnets' });
  });
});

describe('escape hatches', () => {
  test('installObject(kind, name) returns the rendered object; addJsonPatch changes the output', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', QUIET);
    cluster.installObject('DaemonSet', 'calico-node').addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'FELIX_LOGSEVERITYSCREEN', value: 'warning' }),
    );
    cluster.installObject('ConfigMap', 'calico-config').addJsonPatch(JsonPatch.replace('/data/veth_mtu', '1400'));
    const m = synth(chart);
    expect(nodeEnv(m).FELIX_LOGSEVERITYSCREEN).toBe('warning');
    expect(config(m).veth_mtu).toBe('1400');
    expectK8sSchemaValid(m);
  });

  test('installObject names what exists when asked for something else', () => {
    const { cluster } = build(QUIET);
    const err = errorOf(() => cluster.installObject('DaemonSet', 'calico-typha'));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toMatch(/CalicoCluster has no DaemonSet 'calico-typha'; it renders .*ServiceAccount\/calico-node.*DaemonSet\/calico-node/);
  });

  test('the Typha objects, FelixConfiguration and pools are reachable and patchable', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { ...QUIET, ipv6PodCidr: 'fd00:10:244::/56' });
    expect(cluster.installObject('Deployment', 'calico-typha')).toBe(cluster.typha!.deployment);
    cluster.typha!.deployment.addJsonPatch(JsonPatch.replace('/spec/revisionHistoryLimit', 5));
    cluster.felixConfiguration.apiObject.addJsonPatch(JsonPatch.add('/spec/logSeverityScreen', 'Warning'));
    cluster.defaultIpv4Pool.apiObject.addJsonPatch(JsonPatch.add('/spec/disableBGPExport', true));
    const m = synth(chart);
    expect(typhaDeployment(m).spec.revisionHistoryLimit).toBe(5);
    expect(felix(m).logSeverityScreen).toBe('Warning');
    expect(pool(m).disableBGPExport).toBe(true);
    expect(cluster.defaultIpv6Pool?.apiObject).toBeDefined();
    expectSchemasValid(m);
  });
});

describe('determinism', () => {
  test('synthesizing twice gives the same YAML, and so does building the same props twice', () => {
    const props: CalicoClusterProps = { network: { nodeSubnets: THREE_SUBNETS, mtu: 9001 }, expectedNodes: 400, ipv6PodCidr: 'fd00:10:244::/56', typha: { tls: TLS } };
    const { chart } = build(props);
    const first = Yaml.stringify(...synth(chart));
    const second = Yaml.stringify(...synth(chart));
    expect(second).toBe(first);
    expect(Yaml.stringify(...build(props).manifests)).toBe(first);
    expect(first).toContain('kind: DaemonSet');
  });

  test('App.synth writes, stage by stage in file-name order, the objects synthesis renders', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new CalicoCluster(chart, 'calico', QUIET);
    app.synth();
    const files = fs.readdirSync(app.outdir).sort();
    expect(files).toEqual(['0000-cluster-crds.k8s.yaml', '0001-cluster-install.k8s.yaml', '0002-cluster.k8s.yaml', '0003-cluster-bgp.k8s.yaml']);
    const written = files.flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, f), 'utf8')).map(d => d.toJS()));
    expect(written).toEqual(synth(chart));
  });
});

describe('schema checkers', () => {
  test('the Kubernetes schema check catches unknown fields, missing required fields and wrong types', () => {
    const { manifests } = build(QUIET);
    const broken = JSON.parse(JSON.stringify(manifests));
    const ds = daemonSet(broken);
    ds.spec.template.spec.containers[0].envVars = [];
    delete ds.spec.selector;
    findObject(broken, 'Deployment', 'calico-typha').spec.replicas = '3';
    findObject(broken, 'ClusterRoleBinding', 'calico-node').roleRef.name = 7;
    expect(k8sSchemaErrors(broken)).toEqual([
      'ClusterRoleBinding/calico-node: roleRef.name: expected a string, got a number (7)',
      'Deployment/calico-typha: spec.replicas: expected a number, got a string ("3")',
      expect.stringMatching(/^DaemonSet\/calico-node: spec\.template\.spec\.containers\[0\]\.envVars: unknown field/),
      'DaemonSet/calico-node: spec.selector: required field is missing',
    ]);
  });

  test('the Kubernetes schema check catches API-server rules beyond the schema', () => {
    const { manifests } = build(QUIET);
    const broken = JSON.parse(JSON.stringify(manifests));
    const ds = daemonSet(broken);
    ds.spec.template.metadata.labels = { 'k8s-app': 'other' };
    ds.spec.template.spec.volumes = ds.spec.template.spec.volumes.filter((v: any) => v.name !== 'bpffs');
    expect(k8sSchemaErrors([ds])).toEqual([
      "DaemonSet/calico-node: spec.selector.matchLabels.k8s-app: 'calico-node' does not match the template's labels",
      "DaemonSet/calico-node: containers[calico-node].volumeMounts: 'bpffs' names no volume of the pod",
    ]);
  });

  test('the CRD schema check catches an undeclared Calico field', () => {
    const { manifests } = build(QUIET);
    const broken = JSON.parse(JSON.stringify(manifests));
    findObject(broken, 'IPPool', 'default-ipv4-ippool').spec.ipipMTU = 1480;
    expect(crdSchemaErrors(broken)).toEqual([expect.stringMatching(/^IPPool\/default-ipv4-ippool: spec must NOT have additional properties/)]);
  });
});

describe('random props', () => {
  const arbitraryProps: fc.Arbitrary<CalicoClusterProps> = fc.record({
    network: fc.record({
      nodeSubnets: fc.constantFrom<string[] | undefined>(undefined, [], ONE_SUBNET, THREE_SUBNETS, ['10.0.0.0/24', 'not-a-cidr']),
      mtu: fc.option(fc.integer({ min: 500, max: 9300 }), { nil: undefined }),
      bgpAllowed: fc.option(fc.boolean(), { nil: undefined }),
      ipipAllowed: fc.option(fc.boolean(), { nil: undefined }),
      sourceDestinationCheck: fc.option(fc.boolean(), { nil: undefined }),
    }, { requiredKeys: [] }),
    expectedNodes: fc.option(fc.integer({ min: -1, max: 5000 }), { nil: undefined }),
    encapsulation: fc.option(fc.constantFrom(Encapsulation.NONE, Encapsulation.IPIP, Encapsulation.IPIP_CROSS_SUBNET, Encapsulation.VXLAN, Encapsulation.VXLAN_CROSS_SUBNET), { nil: undefined }),
    autoDetectMtu: fc.option(fc.boolean(), { nil: undefined }),
    wireguard: fc.option(fc.boolean(), { nil: undefined }),
    ipv6PodCidr: fc.option(fc.constantFrom('fd00:10:244::/56', 'fd00:10:244::/121'), { nil: undefined }),
    blockSize: fc.option(fc.integer({ min: 18, max: 33 }), { nil: undefined }),
    production: fc.option(fc.boolean(), { nil: undefined }),
    typha: fc.option(fc.record({ replicas: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined }),
  }, { requiredKeys: [] });

  test('either synthesize consistent, schema-valid manifests or fail with CalicoValidationError, never a crash', () => {
    fc.assert(fc.property(arbitraryProps, props => {
      let built: Built;
      try {
        built = build(props);
      } catch (e) {
        expect(CalicoErrors.isValidationError(e)).toBe(true);
        return;
      }
      const { cluster, manifests } = built;
      expect(crdSchemaErrors(manifests)).toEqual([]);
      expect(k8sSchemaErrors(manifests)).toEqual([]);
      const veth = Number(config(manifests).veth_mtu);
      const f = felix(manifests);
      for (const mtu of [f.ipipMTU, f.vxlanMTU, f.wireguardMTU, f.vxlanMTUV6, f.wireguardMTUV6]) {
        if (mtu !== undefined) expect(mtu).toBe(veth);
      }
      expect(veth === 0 || veth >= 576).toBe(true);
      expect(!(f.ipipEnabled && f.vxlanEnabled)).toBe(true);
      expect(config(manifests).calico_backend).toBe(cluster.backend);
    }), { numRuns: 60 });
  });
});

describe('dual stack on networks that need encapsulation', () => {
  test('advises VXLAN when IPv6 pod traffic would travel unencapsulated across subnets', () => {
    const { Chart, Testing } = require('cdk8s');
    const { CalicoCluster } = require('../../src');
    const chart = new Chart(Testing.app(), 'dual');
    const cluster = new CalicoCluster(chart, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'] },
      ipv6PodCidr: 'fd00:10::/48',
    });
    expect(cluster.advisories.map((a: any) => a.code)).toContain('ipv6-unencapsulated');
  });
  test('gives no such advisory with VXLAN, which carries IPv6 too', () => {
    const { Chart, Testing } = require('cdk8s');
    const { CalicoCluster } = require('../../src');
    const chart = new Chart(Testing.app(), 'dual');
    const cluster = new CalicoCluster(chart, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'], bgpAllowed: false },
      ipv6PodCidr: 'fd00:10::/48',
    });
    expect(cluster.advisories.map((a: any) => a.code)).not.toContain('ipv6-unencapsulated');
  });
});

describe('workload options', () => {
  test('calicoNode.env adds a variable and replaces one upstream sets', () => {
    const { manifests } = build({ ...QUIET, calicoNode: { env: { FELIX_LOGSEVERITYSCREEN: 'debug', CALICO_DISABLE_FILE_LOGGING: 'false' } } });
    const env = nodeEnv(manifests);
    expect(env.FELIX_LOGSEVERITYSCREEN).toBe('debug');
    expect(env.CALICO_DISABLE_FILE_LOGGING).toBe('false');
  });
  test('calicoNode.nodeSelector and tolerations replace upstream\'s', () => {
    const tolerations = [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }];
    const { manifests } = build({ ...QUIET, calicoNode: { nodeSelector: { pool: 'a' }, tolerations } });
    const spec = daemonSet(manifests).spec.template.spec;
    expect(spec.nodeSelector).toEqual({ pool: 'a' });
    expect(spec.tolerations).toEqual(tolerations);
  });
  test('typha.resources and env reach the Typha container', () => {
    const { manifests } = build({ ...QUIET, typha: { resources: { requests: { cpu: k8s.Quantity.fromString('100m') } }, env: { TYPHA_LOGSEVERITYSCREEN: 'debug' } } });
    const container = findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '100m' } });
    expect(envOf(container).TYPHA_LOGSEVERITYSCREEN).toBe('debug');
  });
  test('kubeControllers.enabledControllers defaults to upstream\'s node and loadbalancer and can be changed', () => {
    const controllersOf = (m: any[]) => envOf(findObject(m, 'Deployment', 'calico-kube-controllers').spec.template.spec.containers[0]).ENABLED_CONTROLLERS;
    expect(controllersOf(build(QUIET).manifests)).toBe('node,loadbalancer');
    expect(controllersOf(build({ ...QUIET, kubeControllers: { enabledControllers: ['node', 'policy'] } }).manifests)).toBe('node,policy');
  });
});

describe('etcd datastore (explicit opt-in)', () => {
  const ETCD = { endpoints: ['https://10.0.0.5:2379'], tlsSecretName: 'calico-etcd-certs' };
  test('the Kubernetes datastore with Typha is the default, recorded as a decision', () => {
    const { cluster, manifests } = build(QUIET);
    expect(cluster.etcd).toBeUndefined();
    expect(cluster.decisions.find(d => d.topic === 'datastore')?.choice).toBe('kubernetes');
    expect(findAll(manifests, 'Deployment').map(d => d.metadata.name)).toContain('calico-typha');
  });
  test('etcd renders no Typha and records the datastore decision', () => {
    const { cluster, manifests } = build({ ...QUIET, etcd: ETCD });
    expect(cluster.typha).toBeUndefined();
    expect(manifests.filter(m => m.metadata?.name === 'calico-typha')).toEqual([]);
    expect(cluster.decisions.find(d => d.topic === 'datastore')?.choice).toBe('etcd');
    expect(envOf(nodeContainer(manifests)).ETCD_ENDPOINTS).toBeDefined();
  });
  test('refuses Typha options together with etcd', () => {
    expect(() => build({ ...QUIET, etcd: ETCD, typha: { replicas: 3 } })).toThrow(/Typha serves the Kubernetes datastore only/);
  });
  test('refuses included CRDs together with etcd', () => {
    expect(() => build({ ...QUIET, etcd: ETCD, crds: CrdSource.upstreamRelease() })).toThrow(/reads no CRDs/);
  });
  test('lists the TLS Secret as a manual step and applies the Calico stages with calicoctl pointed at etcd; no CRD step', () => {
    const { cluster } = build({ ...QUIET, etcd: ETCD });
    expect(cluster.apiMode).toBe(CalicoApiMode.CALICOCTL);
    const commands = cluster.manualSteps.map(s => s.command);
    expect(commands).toEqual([expect.stringMatching(/^kubectl -n kube-system create secret generic calico-etcd-certs /)]);
    const env = 'DATASTORE_TYPE=etcdv3 ETCD_ENDPOINTS=https://10.0.0.5:2379 ETCD_CA_CERT_FILE=ca.crt ETCD_CERT_FILE=client.crt ETCD_KEY_FILE=client.key';
    expect(cluster.applySteps.map(s => s.command)).toEqual([
      'kubectl apply -f 0000-test-install.k8s.yaml',
      `${env} calicoctl apply -f 0001-test.k8s.yaml`,
      `${env} calicoctl apply -f 0002-test-bgp.k8s.yaml`,
    ]);
    expect([...commands, ...cluster.applySteps.map(s => s.command)].some(c => c.includes('crds.yaml'))).toBe(false);
  });

  test('with stagedOutput: false, calicoctl mode keeps the step that applies the projectcalico.org/v3 documents', () => {
    const { cluster } = build({ ...QUIET, etcd: ETCD, stagedOutput: false });
    expect(cluster.applySteps).toEqual([]);
    expect(cluster.manualSteps.map(s => s.command)[1]).toMatch(/^DATASTORE_TYPE=etcdv3 ETCD_ENDPOINTS=https:\/\/10\.0\.0\.5:2379 .* calicoctl apply -f </);
  });
  test('refuses crd.projectcalico.org/v1 output with etcd at synthesis', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new CalicoCluster(chart, 'calico', { ...QUIET, etcd: ETCD });
    const err = errorOf(() => synth(chart));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toMatch(/^\[test\/calico\] CalicoCluster: the etcd datastore reads no CRDs/);
  });
});

describe('stage chart links', () => {
  // cdk8s turns a dependency between charts into one between every object of each; only the last
  // stage depends on the earlier ones, so no stage is both depended on and dependent.
  test('only the last stage depends on the others, in stage order; stages made later keep the order', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'links-')) });
    const chart = new Chart(app, 'c');
    const cluster = new CalicoCluster(chart, 'calico', { network: { nodeSubnets: THREE_SUBNETS }, expectedNodes: 200 });
    const ids = () => cluster.stageCharts.map(s => s.chartId);
    expect(ids()).toEqual(['c-crds', 'c-install', 'c', 'c-bgp']);
    const chartsOf = (id: string) => app.node.findChild(id) as Chart;
    const deps = (id: string) => chartsOf(id).node.dependencies.filter(d => d instanceof Chart).map(d => d.node.id);
    expect(deps('c-bgp')).toEqual(['c-crds', 'c-install', 'c']);
    for (const id of ['c-crds', 'c-install', 'c']) expect(deps(id)).toEqual([]);
    // A stage made after the links (the nodes stage, by a route reflector pool) comes before the last.
    cluster.stageChart(CalicoStage.NODES);
    expect(deps('c-bgp')).toEqual(['c-crds', 'c-install', 'c', 'c-nodes']);
    expect(app.charts.map(c => c.node.id)).toEqual(['c-crds', 'c-install', 'c', 'c-nodes', 'c-bgp']);
    app.synth();
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['0000-c-crds.k8s.yaml', '0001-c-install.k8s.yaml', '0002-c.k8s.yaml', '0003-c-nodes.k8s.yaml', '0004-c-bgp.k8s.yaml']);
  });

  test('without a BGP stage the resources chart depends on the install only, and the install on the CRDs', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'links-')) });
    const chart = new Chart(app, 'c');
    const cluster = new CalicoCluster(chart, 'calico', { network: { nodeSubnets: THREE_SUBNETS, bgpAllowed: false }, expectedNodes: 20 });
    expect(cluster.stageCharts.map(s => s.chartId)).toEqual(['c-crds', 'c-install', 'c']);
    const deps = (id: string) => (app.node.findChild(id) as Chart).node.dependencies.filter(d => d instanceof Chart).map(d => d.node.id);
    // A chart dependency pairs every object of one chart with every object of the other: the
    // resources (the largest chart) pair with the install's objects only.
    expect([deps('c-crds'), deps('c-install'), deps('c')]).toEqual([[], ['c-crds'], ['c-install']]);
    expect(app.charts.map(c => c.node.id)).toEqual(['c-crds', 'c-install', 'c']);
    const kinds = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS().kind);
    expect(kinds.indexOf('CustomResourceDefinition')).toBe(0);
    expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('DaemonSet'));
    expect(kinds.indexOf('DaemonSet')).toBeLessThan(kinds.indexOf('FelixConfiguration'));
    // A stage made after the links comes last, after every other.
    cluster.stageChart(CalicoStage.NODES);
    expect(deps('c-nodes')).toEqual(['c-crds', 'c-install', 'c']);
    expect(app.charts.map(c => c.node.id)).toEqual(['c-crds', 'c-install', 'c', 'c-nodes']);
    app.synth();
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['0000-c-crds.k8s.yaml', '0001-c-install.k8s.yaml', '0002-c.k8s.yaml', '0003-c-nodes.k8s.yaml']);
  });

  test('a topology construct in another chart comes after the install in app.synthYaml() as in app.synth()', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-'));
    const make = () => {
      const app = new App({ outdir });
      const cluster = new CalicoCluster(new Chart(app, 'home'), 'calico', { network: { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'] }, expectedNodes: 100 });
      new RouteReflectorPool(new Chart(app, 'other'), 'rr', {
        cluster, reflectors: [{ nodeName: 'rr1', ipv4Address: '10.0.0.10' }, { nodeName: 'rr2', ipv4Address: '10.0.1.10' }],
      });
      return app;
    };
    const viaYaml = make();
    const kinds = YAML.parseAllDocuments(viaYaml.synthYaml()).map(d => d.toJS().kind);
    // The peerings' chart after the install (it was first, before the CRDs) and before the BGP stage.
    const order = viaYaml.charts.map(c => c.node.id);
    expect(order).toEqual(['home-crds', 'home-install', 'home', 'other', 'home-nodes', 'home-bgp']);
    expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('BGPPeer'));
    expect(kinds[kinds.length - 1]).toBe('BGPConfiguration');
    make().synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(order.map((id, i) => `000${i}-${id}.k8s.yaml`));
  });

  test('applyAfter: a dependency only where the stages do not already order the two', () => {
    const { chart, cluster } = build({ network: { nodeSubnets: THREE_SUBNETS } });
    const later = new ApiObject(cluster.stageChart(CalicoStage.NODES), 'node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } });
    const earlier = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } });
    const sameChart = new ApiObject(chart, 'cm2', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', namespace: 'default' } });
    cluster.applyAfter(later, earlier);
    cluster.applyAfter(sameChart, earlier);
    expect(later.node.dependencies).toEqual([]);
    expect(sameChart.node.dependencies).toEqual([earlier]);
    // Without stages nothing orders them but the dependency.
    const flat = build({ network: { nodeSubnets: THREE_SUBNETS }, stagedOutput: false });
    const a = new ApiObject(flat.chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } });
    const b = new ApiObject(flat.chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' } });
    flat.cluster.applyAfter(b, a);
    expect(b.node.dependencies).toEqual([a]);
  });

  test('the BGP configuration depends on the peerings that replace the mesh only where no stage orders them', () => {
    const { chart, cluster } = build({ network: { nodeSubnets: THREE_SUBNETS } });
    const bgp = cluster.bgpConfiguration!;
    const peer = new BgpPeer(chart, 'peer', { peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) });
    const nearPeer = new BgpPeer(cluster.stageChart(CalicoStage.BGP), 'near', { peerIp: '10.0.0.2', asNumber: AsNumber.of(64514) });
    bgp.disableNodeToNodeMesh([peer, nearPeer]);
    // The resources stage comes before the BGP stage; a peer in the BGP stage's own chart needs the dependency.
    const paths = (c: { node: { dependencies: Array<{ node: { path: string } }> } }) => c.node.dependencies.map(d => d.node.path);
    expect(paths(bgp)).toContain(nearPeer.node.path);
    expect(paths(bgp)).not.toContain(peer.node.path);
    // Outside a cluster's stages the dependency orders them.
    const plain = newChart();
    const own = new BgpConfiguration(plain, 'bgp', { name: 'default', nodeToNodeMeshEnabled: true });
    const plainPeer = new BgpPeer(plain, 'peer', { peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) });
    own.disableNodeToNodeMesh([plainPeer]);
    expect(paths(own)).toEqual([plainPeer.node.path]);
  });
});
