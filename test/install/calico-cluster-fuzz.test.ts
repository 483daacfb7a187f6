// Random CalicoCluster props from the generated description of CalicoClusterProps, mostly well
// typed and sometimes of any type: the cluster either synthesizes manifests that pass the Calico
// CRD schemas and the Kubernetes API schema, or is refused with our error. Never a crash.
import * as fc from 'fast-check';
import { CalicoApiMode, CalicoCluster, CalicoClusterProps, CalicoVersion, CertManagerIssuerKind, InstallMode, ServingCertificates } from '../../src';
import { absentOr, arbitraryOf, expectSynthesisOrOurError } from '../support/fuzz';
import { k8sSchemaErrors } from '../support/k8s-schema';
import { crdSchemaErrors, REFERENCE_DATA } from '../support/util';
import { checkOffline } from '../support/offline-check';
import { readCrds } from '../support/crd-schema';
import * as path from 'path';

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
    // The operator now and then: it refuses the props it cannot honour, so it would crowd out the rest.
    installMode: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, fc.constant(InstallMode.OPERATOR)),
    operatorOptions: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, fc.constantFrom({ goldmane: true }, { goldmane: true, whisker: true }, { whisker: true })),
    // Etcd only now and then: it changes the whole install.
    etcd: fc.option(fc.constantFrom({ endpoints: ['http://10.0.0.10:2379'] }, { endpoints: ['https://10.0.0.10:2379'], tlsSecretName: 'calico-etcd' }, {}),
      { nil: undefined, freq: 6 }),
  },
});

/** The release a synthesized install runs: the tag of calico-node's image, or the line of the Tigera operator's. */
function releaseOf(manifests: any[]): CalicoVersion {
  const node = manifests.find(m => m.kind === 'DaemonSet' && m.metadata.name === 'calico-node');
  if (node) return CalicoVersion.patch(node.spec.template.spec.containers[0].image.split(':').pop());
  const operator = manifests.find(m => m.kind === 'Deployment' && m.metadata.name === 'tigera-operator');
  const tag = operator.spec.template.spec.containers[0].image.split(':').pop();
  return [CalicoVersion.V3_32_1, CalicoVersion.V3_31_7].find(v => v._data.operatorTag === tag)!;
}

/** The operator.tigera.io CRDs of a release's line, as vendored. */
function operatorCrds(release: CalicoVersion): any[] {
  const tag = release.line === 'v3.31' ? CalicoVersion.V3_31_7.tag : CalicoVersion.V3_32_1.tag;
  return readCrds(path.join(REFERENCE_DATA, tag, 'operator-crds.yaml'));
}

test('random props either synthesize schema-valid manifests or fail with our error, never a crash', () => {
  expectSynthesisOrOurError(props, (chart, p) => new CalicoCluster(chart, 'calico', p as CalicoClusterProps), manifests => {
    const release = releaseOf(manifests);
    expect(crdSchemaErrors(manifests, release)).toEqual([]);
    // The operator's resources: the operator CRDs of the line (with their CEL rules).
    const operator = manifests.filter(m => m.apiVersion === 'operator.tigera.io/v1');
    if (operator.length) expect(checkOffline(operator, { crds: operatorCrds(release) }).errors).toEqual([]);
    expect(k8sSchemaErrors(manifests.filter(m => m.apiVersion !== 'operator.tigera.io/v1'))).toEqual([]);
  });
}, 120_000);
