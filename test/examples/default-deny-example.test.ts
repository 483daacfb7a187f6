import { Chart, Testing } from 'cdk8s';
import { addDefaultDeny, DefaultDenyChart } from '../../examples/default-deny/chart';
import { validateManifest } from '../../src/validation/validate';
import { CalicoVersion } from '../../src';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { expectCrdSchemaValid, findObject, synth, synthApp } from '../support/util';

function synthExample(): any[] {
  const app = Testing.app();
  new DefaultDenyChart(app, 'default-deny');
  return synthApp(app);
}

describe('examples/default-deny', () => {
  const manifests = synthExample();

  test('has the Calico install, the default deny and the org-1 override', () => {
    expect(manifests.filter(m => m.kind === 'DaemonSet' && m.metadata.name === 'calico-node')).toHaveLength(1);
    const gnp = findObject(manifests, 'GlobalNetworkPolicy', 'default-deny');
    expect(gnp.spec.order).toBe(2000);
    expect(gnp.spec.types).toEqual(['Ingress', 'Egress']);
    // The cluster's API server and cert-manager (which issues its certificate) are left alone with kube-system.
    expect(gnp.spec.namespaceSelector).toBe('(has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "cert-manager", "kube-system"})');
  });

  test('opens TCP 80 into every pod of org-1 with a Kubernetes NetworkPolicy', () => {
    const np = findObject(manifests, 'NetworkPolicy', 'allow-http', 'org-1');
    expect(np.apiVersion).toBe('networking.k8s.io/v1');
    expect(np.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] });
  });

  test('every Kubernetes object passes the Kubernetes 1.28 schema', () => {
    expectK8sSchemaValid(manifests);
  });

  test('every Calico object passes the CRD schemas and the validator', () => {
    expectCrdSchemaValid(manifests, CalicoVersion.V3_32_1);
    const calico = manifests.filter(m => /(^|\.)projectcalico\.org\//.test(m.apiVersion) && m.kind !== 'Node');
    expect(calico.length).toBeGreaterThan(0);
    for (const m of calico) expect([m.kind, m.metadata.name, validateManifest(m)]).toEqual([m.kind, m.metadata.name, []]);
  });

  test('addDefaultDeny adds the same two policies to any chart', () => {
    const chart = new Chart(Testing.app(), 'reference');
    const { defaultDeny, org1Http } = addDefaultDeny(chart);
    expect([defaultDeny.name, org1Http.name, org1Http.namespaceName]).toEqual(['default-deny', 'allow-http', 'org-1']);
    const out = synth(chart);
    expect(out.map(m => `${m.apiVersion}/${m.kind}/${m.metadata.name}`)).toEqual([
      'projectcalico.org/v3/GlobalNetworkPolicy/default-deny',
      'networking.k8s.io/v1/NetworkPolicy/allow-http',
    ]);
  });

  test('matches the reviewed snapshot', () => {
    expect(manifests.filter(m => m.kind !== 'CustomResourceDefinition')).toMatchSnapshot();
  });
});
