// Random CalicoCluster props from the generated description of CalicoClusterProps, mostly well
// typed and sometimes of any type: the cluster either synthesizes manifests that pass the Calico
// CRD schemas and the Kubernetes API schema, or is refused with our error. Never a crash.
import * as fc from 'fast-check';
import { CalicoApiMode, CalicoCluster, CalicoClusterProps, CalicoVersion, CertManagerIssuerKind, ServingCertificates } from '../../src';
import { absentOr, arbitraryOf, expectSynthesisOrOurError } from '../support/fuzz';
import { k8sSchemaErrors } from '../support/k8s-schema';
import { crdSchemaErrors } from '../support/util';

// Advisories are printed at synthesis; keep the output quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());


/** A CA certificate as a PEM block (the content is not parsed, only its armour). */
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FsaWNvIHRlc3QgQ0E=\n-----END CERTIFICATE-----\n';

const props = arbitraryOf('struct CalicoClusterProps', {
  strings: ['x', 'calico', 'typha-server', 'felix-client', 'ca.crt', 'LOG_LEVEL', 'info'],
  fields: {
    namespaceName: absentOr('kube-system', 'calico-system', 'Kube_System'),
    calicoVersion: absentOr(CalicoVersion.V3_32_1, CalicoVersion.V3_31_7, CalicoVersion.patch('v3.32.3'), 'v3.32.1'),
    registry: absentOr('docker.io', 'quay.io', 'registry.example.com:5000', 'https://quay.io'),
    imagePullSecrets: absentOr(['pull-secret'], [], ['Bad_Name']),
    enabledControllers: absentOr(['node'], ['node', 'policy', 'loadbalancer'], ['flannelmigration']),
    blockSize: absentOr(26, 24, 28, 33),
    mtu: absentOr(1500, 9000, 1450, 400),
    replicas: absentOr(1, 2, 3, 0),
    expectedNodes: absentOr(1, 3, 50, 200, 0),
    nodeSubnets: fc.constantFrom(undefined, [], ['10.0.0.0/24'], ['10.0.0.0/20', '10.0.16.0/20'], ['10.0.0.0/24', 'not-a-cidr'], '10.0.0.0/24'),
    podCidr: fc.constantFrom(undefined, '10.244.0.0/16', '192.168.0.0/16', '', 'fd00::/48', 5),
    ipv6PodCidr: fc.constantFrom(undefined, 'fd00:10:244::/56', '', '10.0.0.0/16'),
    serviceCidrs: fc.constantFrom(undefined, ['10.96.0.0/12'], ['10.96.0.0/12', 'fd00:10:96::/112'], [], ['10.96.0.1/12']),
    apiMode: absentOr(CalicoApiMode.API_SERVER, CalicoApiMode.NATIVE_V3_CRDS, CalicoApiMode.STORAGE_CRDS, CalicoApiMode.CALICOCTL, 'Kubectl'),
    apiCertificates: absentOr(ServingCertificates.certManager(), ServingCertificates.certManager({ issuerName: 'corp-ca', issuerKind: CertManagerIssuerKind.CLUSTER_ISSUER }),
      ServingCertificates.fromSecret({ secretName: 'calico-api-tls', caBundle: CA_PEM })),
    kubernetesVersion: absentOr('1.34', 'v1.35.1', '1.28', '1.24', 'latest'),
    // Etcd only now and then: it changes the whole install.
    etcd: fc.option(fc.constantFrom({ endpoints: ['http://10.0.0.10:2379'] }, { endpoints: ['https://10.0.0.10:2379'], tlsSecretName: 'calico-etcd' }, {}),
      { nil: undefined, freq: 6 }),
  },
});

/** The release a synthesized install runs: the tag of calico-node's image. */
function releaseOf(manifests: any[]): CalicoVersion {
  const node = manifests.find(m => m.kind === 'DaemonSet' && m.metadata.name === 'calico-node');
  return CalicoVersion.patch(node.spec.template.spec.containers[0].image.split(':').pop());
}

test('random props either synthesize schema-valid manifests or fail with our error, never a crash', () => {
  expectSynthesisOrOurError(props, (chart, p) => new CalicoCluster(chart, 'calico', p as CalicoClusterProps), manifests => {
    expect(crdSchemaErrors(manifests, releaseOf(manifests))).toEqual([]);
    expect(k8sSchemaErrors(manifests)).toEqual([]);
  });
}, 120_000);
