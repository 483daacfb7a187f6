// The install a CalicoCluster renders, held against upstream's calico-typha.yaml of each supported
// line (its CRDs, vendored as crds.yaml, and the install), object for object and field for field. Every difference is listed below with its reason;
// anything else fails the test. The single-subnet cluster is the one whose facts leave upstream's
// defaults the least to decide.
import { CalicoCluster, CalicoVersion } from '../../src';
import { differencesFrom, REFERENCE_VERSIONS, upstreamApiServer, upstreamTypha } from './install-util';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { calicoCrdsFile, expectCrdSchemaValid, newChart, synth } from '../support/util';
import * as fs from 'fs';
import * as YAML from 'yaml';

const NODE_ENV = 'DaemonSet/calico-node: spec.template.spec.containers[calico-node].env';

/** A deliberate difference from upstream, and why the library makes it. */
interface Deliberate {
  readonly difference: string;
  readonly reason: string;
}

/** The same for every supported line. */
const DELIBERATE: readonly Deliberate[] = [
  {
    difference: 'ConfigMap/calico-config: data.veth_mtu: expected "0", got "1500"',
    reason: 'the workload MTU is computed from network.mtu (1500, nothing to subtract without encapsulation) so it is visible '
      + 'and reviewable; upstream leaves it to auto-detection',
  },
  {
    difference: `${NODE_ENV}[CALICO_IPV4POOL_IPIP].value: expected "Always", got "Never"`,
    reason: 'all nodes share one subnet, so BGP routes reach every node directly and pods need no encapsulation; upstream '
      + 'defaults to IP-in-IP Always because it knows nothing of the network',
  },
  {
    difference: `${NODE_ENV}[CALICO_IPV4POOL_CIDR]: expected (missing), got {"name":"CALICO_IPV4POOL_CIDR","value":"192.168.0.0/16"}`,
    reason: 'the pool calico-node would create is stated (the same CIDR as the IPPool the cluster writes), not left to '
      + 'detection from kubeadm\'s settings',
  },
  {
    difference: 'Deployment/calico-typha: spec.replicas: expected 1, got 3',
    reason: 'production clusters run at least 3 Typhas so one can fail during an upgrade (the Tigera operator\'s rule, raised '
      + 'to the production minimum); upstream ships 1 for the user to scale',
  },
  {
    difference: 'Deployment/calico-typha: spec.template.spec.affinity: expected (missing), got {"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":'
      + '[{"podAffinityTerm":{"labelSelector":{"matchLabels":{"k8s-app":"calico-typha"}},"topologyKey":"topology.kubernetes.io/zone"},"weight":100},'
      + '{"podAffinityTerm":{"labelSelector":{"matchLabels":{"k8s-app":"calico-typha"}},"topologyKey":"kubernetes.io/hostname"},"weight":50}]}}',
    reason: 'Typha\'s replicas prefer to spread across zones, then hosts, so one zone or node failing takes as few as it can',
  },
  {
    difference: 'FelixConfiguration/default: not in upstream',
    reason: 'the cluster writes Felix\'s settings (encapsulations not in use disabled, tunnel MTUs) instead of leaving Felix\'s defaults',
  },
  {
    difference: 'IPPool/default-ipv4-ippool: not in upstream',
    reason: 'the default pool is written out (CIDR, block size, encapsulation, NAT) instead of being created by calico-node at first start',
  },
  {
    difference: 'BGPConfiguration/default: not in upstream',
    reason: 'the BGP settings (AS number, log severity, node-to-node mesh) are written out so route reflection and peering can change them',
  },
];

/**
 * The aggregated API server (the default apiMode) against upstream's apiserver.yaml: its serving
 * certificate comes from cert-manager instead of a hand-made Secret and a hand-patched caBundle,
 * and it runs as a production workload.
 */
const CERTIFICATE_REASON = 'upstream leaves the serving certificate to openssl and a hand-made Secret; the cluster has cert-manager issue it from a '
  + 'private CA of its own (a self-signed Issuer, a CA Certificate, a CA Issuer, the serving Certificate), so no key is ever in the output';
const API_SERVER: readonly Deliberate[] = [
  ...['Certificate/calico-apiserver', 'Certificate/calico-ca', 'Issuer/calico-ca', 'Issuer/calico-selfsigned']
    .map(o => ({ difference: `${o}: not in upstream`, reason: CERTIFICATE_REASON })),
  {
    difference: 'APIService/v3.projectcalico.org: metadata.annotations: expected (missing), got {"cert-manager.io/inject-ca-from":"calico-apiserver/calico-apiserver"}',
    reason: 'cert-manager\'s CA injector writes the CA bundle the Kubernetes API server verifies the Calico API server with; upstream has the user patch caBundle by hand',
  },
  {
    difference: 'Deployment/calico-apiserver: spec.template.spec.volumes[calico-apiserver-certs].secret.items: expected (missing), got '
      + '[{"key":"tls.crt","path":"apiserver.crt"},{"key":"tls.key","path":"apiserver.key"}]',
    reason: 'cert-manager writes the standard tls.crt/tls.key keys; the API server reads apiserver.crt/apiserver.key, so the volume maps one onto the other',
  },
  {
    difference: 'Deployment/calico-apiserver: spec.replicas: expected 1, got 2',
    reason: 'production: with one replica, every node drain or upgrade makes projectcalico.org/v3 unavailable, which breaks API discovery for every client',
  },
  ...[
    'spec.strategy.rollingUpdate: expected (missing), got {"maxSurge":1,"maxUnavailable":0}',
    'spec.strategy.type: expected "Recreate", got "RollingUpdate"',
  ].map(d => ({
    difference: `Deployment/calico-apiserver: ${d}`,
    reason: 'a rolling update one replica at a time keeps the API served during an upgrade; Recreate takes it down (nothing binds a host port, so two can run)',
  })),
  {
    difference: 'Deployment/calico-apiserver: spec.template.spec.affinity: expected (missing), got {"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":'
      + '[{"podAffinityTerm":{"labelSelector":{"matchLabels":{"apiserver":"true"}},"topologyKey":"kubernetes.io/hostname"},"weight":100}]}}',
    reason: 'the two replicas prefer different nodes, so one node failing leaves the API served',
  },
  {
    difference: 'PodDisruptionBudget/calico-apiserver: not in upstream',
    reason: 'a drain evicts at most one replica at a time, so the API stays served through node maintenance',
  },
  {
    difference: 'Namespace/calico-apiserver: spec: expected null, got (missing)',
    reason: 'upstream writes an empty `spec:` (null), which a server-side apply would claim ownership of; the Namespace needs no spec',
  },
];

/** The CRDs of upstream's calico-typha.yaml of a release (vendored apart, as crds.yaml). */
function upstreamCrds(version: CalicoVersion): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(calicoCrdsFile(version), 'utf8')).map(d => d.toJS()).filter(o => o);
}

/**
 * Per line: upstream's generated Kubernetes policy CRDs (vendored from the network-policy-api
 * project) carry the server-written `status` and `creationTimestamp` as nulls.
 */
const SERVER_FIELDS_REASON = 'fields the API server writes (status, creationTimestamp) are left out of the bundled CRDs; upstream\'s '
  + 'generated files carry them as nulls, which a server-side apply would claim ownership of';
const DELIBERATE_BY_LINE: { readonly [line: string]: readonly Deliberate[] } = {
  'v3.32': ['clusternetworkpolicies'].flatMap(crd => serverFields(crd, false)),
  'v3.31': ['adminnetworkpolicies', 'baselineadminnetworkpolicies'].flatMap(crd => serverFields(crd, true)),
};

function serverFields(crd: string, creationTimestamp: boolean): Deliberate[] {
  const fields = [...(creationTimestamp ? ['metadata.creationTimestamp'] : []), 'status.conditions', 'status.storedVersions'];
  return fields.map(f => ({
    difference: `CustomResourceDefinition/${crd}.policy.networking.k8s.io: ${f}: expected null, got (missing)`,
    reason: SERVER_FIELDS_REASON,
  }));
}

describe.each(REFERENCE_VERSIONS.map(v => [v.tag, v]))('a single-subnet CalicoCluster of %s', (_tag, version) => {
  const chart = newChart();
  new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, calicoVersion: version });
  const manifests = synth(chart);

  test('equals upstream\'s calico-typha.yaml and apiserver.yaml but for the deliberate differences, each with its reason', () => {
    const deliberate = [...DELIBERATE, ...API_SERVER, ...DELIBERATE_BY_LINE[version.line]];
    expect(differencesFrom([...upstreamCrds(version), ...upstreamTypha(version), ...upstreamApiServer(version)], manifests).sort()).toEqual(deliberate.map(d => d.difference).sort());
    for (const d of deliberate) expect(d.reason.length).toBeGreaterThan(40);
  });

  test('passes the Kubernetes 1.28 schema and the Calico CRD schemas of its line', () => {
    expectK8sSchemaValid(manifests);
    expectCrdSchemaValid(manifests, version);
  });
});

test('every supported line is held against upstream', () => {
  expect(REFERENCE_VERSIONS.map(v => v.line)).toEqual(CalicoVersion.supportedLines());
});
