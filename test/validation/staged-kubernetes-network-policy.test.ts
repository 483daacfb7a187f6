// StagedKubernetesNetworkPolicy: a Kubernetes NetworkPolicy spec with a stagedAction
// (validateStagedKubernetesNetworkPolicy and the converter it runs, K8sNetworkPolicyToCalico), the
// same at v3.31.7 and v3.32.1.
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function sknp(spec: unknown): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata: { name: 'allow-web', namespace: 'shop' }, spec };
}

const WEB = {
  podSelector: { matchLabels: { app: 'web' } },
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['shop'] }] } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
};

describe.each(EACH_LINE)('StagedKubernetesNetworkPolicy (%s)', (_line, version) => {
  const paths = (spec: unknown) => validateManifest(sknp(spec), version).map(i => i.path);

  test.each<[string, unknown, string[]]>([
    ['a staged Kubernetes policy', WEB, []],
    ['stagedAction Set', { ...WEB, stagedAction: 'Set' }, []],
    ['an unknown stagedAction', { ...WEB, stagedAction: 'Apply' }, ['spec.stagedAction']],
    ['a staged delete with nothing else', { stagedAction: 'Delete' }, []],
    ['a staged delete with an empty podSelector', { stagedAction: 'Delete', podSelector: {} }, []],
    ['a staged delete that carries rules', { stagedAction: 'Delete', ingress: WEB.ingress, policyTypes: ['Ingress'] }, ['spec.ingress', 'spec.policyTypes']],
    ['a policy type in the wrong case', { ...WEB, policyTypes: ['ingress'] }, ['spec.policyTypes[0]']],
    ['a policy type twice', { ...WEB, policyTypes: ['Egress', 'Egress'] }, ['spec.policyTypes[1]']],
    ['a port range', { ...WEB, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] }, []],
    ['a range ending below its start', { ...WEB, ingress: [{ ports: [{ port: 8080, endPort: 8000 }] }] }, ['spec.ingress[0].ports[0].endPort']],
    ['a range from a named port', { ...WEB, ingress: [{ ports: [{ port: 'http', endPort: 8000 }] }] }, ['spec.ingress[0].ports[0].endPort']],
    ['a named port', { ...WEB, ingress: [{ ports: [{ port: 'http' }] }] }, []],
    ['a bad port name', { ...WEB, ingress: [{ ports: [{ port: 'HTTP_web' }] }] }, ['spec.ingress[0].ports[0].port']],
    ['port 0', { ...WEB, ingress: [{ ports: [{ port: 0 }] }] }, ['spec.ingress[0].ports[0].port']],
    ['an ICMP port', { ...WEB, egress: [{ ports: [{ protocol: 'ICMP' }] }] }, ['spec.egress[0].ports[0].protocol']],
    ['an ipBlock', { ...WEB, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }, []],
    ['an ipBlock that is no CIDR (Calico would match everything)', { ...WEB, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1' } }] }] }, ['spec.egress[0].to[0].ipBlock.cidr']],
    ['an except that is no CIDR', { ...WEB, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['x'] } }] }] }, ['spec.egress[0].to[0].ipBlock.except[0]']],
    ['an ipBlock with a pod selector', { ...WEB, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, ['spec.egress[0].to[0].podSelector']],
    ['an operator Kubernetes does not have', { ...WEB, podSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] } }, ['spec.podSelector.matchExpressions[0].operator']],
    ['In without values', { ...WEB, podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }, ['spec.podSelector.matchExpressions[0].values']],
    ['Exists with values', { ...WEB, podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } }, ['spec.podSelector.matchExpressions[0].values']],
    ['a label value that is no label value', { ...WEB, podSelector: { matchLabels: { app: 'web app' } } }, ['spec.podSelector.matchLabels.app']],
    ['a field of Calico policies', { ...WEB, tier: 'default' }, ['spec.tier']],
  ])('%s', (_name, spec, expected) => {
    expect(paths(spec)).toEqual(expected);
  });
});
