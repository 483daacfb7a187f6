import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CalicoApiVersion } from '../../src/core/api-group';
import { CalicoErrors } from '../../src/core/errors';
import { PolicyType } from '../../src/language/rule';
import { StagedAction } from '../../src/resources/policy-base';
import { StagedKubernetesNetworkPolicy } from '../../src/resources/staged-kubernetes-network-policy';
import { synthInBothGroups } from '../support/api-groups';
import { EACH_LINE } from '../support/versions';
import { errorOf, findObject, newChart, synth } from '../support/util';

// Synthesis prints the warnings some of these policies draw (shadowed rules, empty tiers); keep the log quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const WEB_HTTP: k8s.NetworkPolicyIngressRule = {
  from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
  ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(80) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(8000), endPort: 8080 }],
};

describe('StagedKubernetesNetworkPolicy', () => {
  test('renders the Kubernetes NetworkPolicy spec with the staged action', () => {
    const chart = newChart();
    new StagedKubernetesNetworkPolicy(chart, 'web', {
      namespaceName: 'shop',
      stagedAction: StagedAction.SET,
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      ingress: [WEB_HTTP],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: k8s.IntOrString.fromString('postgres') }] }],
      policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS],
    });
    const p = findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'web', 'shop');
    expect(p.apiVersion).toBe('projectcalico.org/v3');
    expect(p.spec).toEqual({
      stagedAction: 'Set',
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
        ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 8000, endPort: 8080 }],
      }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'postgres' }] }],
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  describe('defaults', () => {
    test('selects every pod of the namespace, writing the empty selector Kubernetes requires', () => {
      const chart = newChart();
      new StagedKubernetesNetworkPolicy(chart, 'p');
      expect(findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'p', 'default').spec).toEqual({ podSelector: {} });
    });

    test('the namespace is the chart\'s when it has one', () => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'team-a' });
      expect(new StagedKubernetesNetworkPolicy(chart, 'p').namespaceName).toBe('team-a');
    });

    test('the staged action is Set', () => {
      expect(new StagedKubernetesNetworkPolicy(newChart(), 'p').stagedAction).toBe(StagedAction.SET);
    });

    test('policy types are derived as Kubernetes does, and written only when given', () => {
      const chart = newChart();
      const ingressOnly = new StagedKubernetesNetworkPolicy(chart, 'i', { ingress: [WEB_HTTP] });
      const withEgress = new StagedKubernetesNetworkPolicy(chart, 'e', { egress: [{}] });
      const given = new StagedKubernetesNetworkPolicy(chart, 'g', { policyTypes: [PolicyType.EGRESS] });
      expect([ingressOnly.policyTypes, withEgress.policyTypes, given.policyTypes]).toEqual([['Ingress'], ['Ingress', 'Egress'], ['Egress']]);
      const manifests = synth(chart);
      expect(findObject(manifests, 'StagedKubernetesNetworkPolicy', 'i').spec.policyTypes).toBeUndefined();
      expect(findObject(manifests, 'StagedKubernetesNetworkPolicy', 'g').spec.policyTypes).toEqual(['Egress']);
    });
  });

  test('an empty policyTypes list is left out, as Kubernetes leaves it out', () => {
    const chart = newChart();
    const p = new StagedKubernetesNetworkPolicy(chart, 'p', { policyTypes: [] });
    expect(p.policyTypes).toEqual([PolicyType.INGRESS]);
    expect(findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'p').spec.policyTypes).toBeUndefined();
  });

  describe('adding rules', () => {
    test('addIngressRule and addEgressRule append in order', () => {
      const chart = newChart();
      const p = new StagedKubernetesNetworkPolicy(chart, 'p', { ingress: [WEB_HTTP] });
      p.addIngressRule({ from: [{ podSelector: {} }] });
      p.addEgressRule({ ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }] });
      const spec = findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'p').spec;
      expect(spec.ingress).toHaveLength(2);
      expect(spec.ingress[1]).toEqual({ from: [{ podSelector: {} }] });
      expect(spec.egress).toEqual([{ ports: [{ protocol: 'UDP', port: 53 }] }]);
    });

    test('a bad rule is refused where it is added and not kept', () => {
      const chart = newChart();
      const p = new StagedKubernetesNetworkPolicy(chart, 'p');
      const e = errorOf(() => p.addIngressRule({ from: [{ ipBlock: { cidr: '10.0.0.0' } }] }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: ipBlock\.cidr '10\.0\.0\.0' is not a CIDR/);
      expect(findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'p').spec.ingress).toBeUndefined();
    });

    test('later changes to the given objects do not leak in', () => {
      const chart = newChart();
      const selector: k8s.LabelSelector = { matchLabels: { app: 'web' } };
      new StagedKubernetesNetworkPolicy(chart, 'p', { podSelector: selector });
      (selector.matchLabels as any).app = 'changed';
      expect(findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'p').spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
    });
  });

  describe('validation', () => {
    test('fails when a staged Delete carries rules', () => {
      expect(() => new StagedKubernetesNetworkPolicy(newChart(), 'p', { stagedAction: StagedAction.DELETE, ingress: [WEB_HTTP] }))
        .toThrow(/spec\.ingress: ingress cannot be set when stagedAction is Delete/);
    });

    test('a staged Delete with nothing else is fine', () => {
      const chart = newChart();
      new StagedKubernetesNetworkPolicy(chart, 'p', { stagedAction: StagedAction.DELETE });
      expect(findObject(synth(chart), 'StagedKubernetesNetworkPolicy', 'p').spec).toEqual({ stagedAction: 'Delete', podSelector: {} });
    });

    test('fails when a port range ends before it starts', () => {
      expect(() => new StagedKubernetesNetworkPolicy(newChart(), 'p', { ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(90), endPort: 80 }] }] }))
        .toThrow(/spec\.ingress\[0\]\.ports\[0\]\.endPort: endPort 80 must be from port 90/);
    });

    test('fails when a selector operator is not a Kubernetes one', () => {
      expect(() => new StagedKubernetesNetworkPolicy(newChart(), 'p', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] } }))
        .toThrow(/spec\.podSelector\.matchExpressions\[0\]\.operator/);
    });
  });

  test.each(EACH_LINE)('passes the CRD schema of Calico %s in both API groups, stored under its own name as given', (_line, version) => {
    const out = synthInBothGroups(version, chart => new StagedKubernetesNetworkPolicy(chart, 'web', { podSelector: {}, ingress: [WEB_HTTP] }));
    // Calico stores the kind under its own name on both lines and applies no defaults to it.
    const [v3, crd] = [out.get(CalicoApiVersion.PROJECTCALICO_V3)![0], out.get(CalicoApiVersion.CRD_V1)![0]];
    expect(crd.metadata).toEqual(v3.metadata);
    expect(crd.spec).toEqual(v3.spec);
  });
});
