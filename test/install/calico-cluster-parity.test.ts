// The install a CalicoCluster renders, held against upstream's calico-typha.yaml of each supported
// line, object for object and field for field. Every difference is listed below with its reason;
// anything else fails the test. The single-subnet cluster is the one whose facts leave upstream's
// defaults the least to decide.
import { Testing } from 'cdk8s';
import { CalicoCluster, CalicoVersion } from '../../src';
import { differencesFrom, REFERENCE_VERSIONS, upstreamTypha } from './install-util';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { expectCrdSchemaValid, newChart } from '../support/util';

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

describe.each(REFERENCE_VERSIONS.map(v => [v.tag, v]))('a single-subnet CalicoCluster of %s', (_tag, version) => {
  const chart = newChart();
  new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, calicoVersion: version });
  const manifests = Testing.synth(chart);

  test('equals upstream\'s calico-typha.yaml but for the deliberate differences, each with its reason', () => {
    expect(differencesFrom(upstreamTypha(version), manifests).sort()).toEqual(DELIBERATE.map(d => d.difference).sort());
    for (const d of DELIBERATE) expect(d.reason.length).toBeGreaterThan(40);
  });

  test('passes the Kubernetes 1.28 schema and the Calico CRD schemas of its line', () => {
    expectK8sSchemaValid(manifests);
    expectCrdSchemaValid(manifests, version);
  });
});

test('every supported line is held against upstream', () => {
  expect(REFERENCE_VERSIONS.map(v => v.line)).toEqual(CalicoVersion.supportedLines());
});
