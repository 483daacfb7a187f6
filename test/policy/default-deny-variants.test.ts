// DefaultDenyPolicy's staged form (the same rules as a StagedGlobalNetworkPolicy) and
// BaselineDefaultDeny (the portable Kubernetes form: a Baseline ClusterNetworkPolicy on v3.32, the
// BaselineAdminNetworkPolicy on v3.31), each checked offline against the line's CRDs.
import { CalicoVersion } from '../../src/core/calico-version';
import { Port } from '../../src/language/port';
import { Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { AdminPolicyAction, AdminPolicyPeer } from '../../src/resources/admin-policy-base';
import { BaselineDefaultDeny } from '../../src/policy/baseline-default-deny';
import { DefaultDenyPolicy } from '../../src/policy/default-deny-policy';
import { chartFor } from '../support/api-groups';
import { readCrds } from '../support/crd-schema';
import { checkOffline } from '../support/offline-check';
import { calicoCrdsFile, errorOf, expectCrdSchemaValid, findAll, findObject, newChart, synth } from '../support/util';

describe('DefaultDenyPolicy staged', () => {
  test('defaults to an enforced GlobalNetworkPolicy', () => {
    const chart = newChart();
    const policy = new DefaultDenyPolicy(chart, 'deny');
    expect(policy.staged).toBe(false);
    expect(findAll(synth(chart), 'StagedGlobalNetworkPolicy')).toEqual([]);
  });

  test('renders the same spec as a StagedGlobalNetworkPolicy, stagedAction left to Calico (Set)', () => {
    const props = {
      systemNamespaces: ['kube-system', 'monitoring'],
      egressAllowances: [Rule.allow({ destination: { nets: ['10.0.0.0/8'], ports: [Port.tcp(443)] } })],
    };
    const enforcedChart = newChart();
    const stagedChart = newChart();
    new DefaultDenyPolicy(enforcedChart, 'deny', props);
    const staged = new DefaultDenyPolicy(stagedChart, 'deny', { ...props, staged: true });
    staged.addIngressRule(Rule.allow({ source: { selector: Selector.has('scraper') } }));
    const enforced = findObject(synth(enforcedChart), 'GlobalNetworkPolicy', 'deny');
    const manifests = synth(stagedChart);
    const rendered = findObject(manifests, 'StagedGlobalNetworkPolicy', 'deny');
    expect(findAll(manifests, 'GlobalNetworkPolicy')).toEqual([]);
    expect(rendered.spec).toEqual({ ...enforced.spec, ingress: [...enforced.spec.ingress, { action: 'Allow', source: { selector: 'has(scraper)' } }] });
    expect(staged.staged).toBe(true);
    expect(staged.systemNamespaces).toEqual(['kube-system', 'monitoring']);
    expectCrdSchemaValid(manifests);
  });

  test('keeps its checks when staged', () => {
    expect(() => new DefaultDenyPolicy(newChart(), 'deny', { staged: true, order: 1000 })).toThrow(/ties with the Kubernetes NetworkPolicies/);
  });
});

describe('BaselineDefaultDeny', () => {
  test('renders a Baseline ClusterNetworkPolicy on v3.32 that the CRD accepts', () => {
    const chart = chartFor(CalicoVersion.V3_32_1);
    const deny = new BaselineDefaultDeny(chart, 'default-deny', { systemNamespaces: ['kube-system', 'calico-system'] });
    const manifests = synth(chart);
    const cnp = findObject(manifests, 'ClusterNetworkPolicy', 'default-deny');
    expect(cnp.spec.tier).toBe('Baseline');
    expect(cnp.spec.priority).toBe(1000);
    expect(cnp.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'calico-system'] }] } });
    expect(cnp.spec.egress.map((r: any) => [r.name, r.action])).toEqual([['dns', 'Accept'], ['to-system-namespaces', 'Accept'], ['default-deny', 'Deny']]);
    expect(cnp.spec.egress[2].to).toEqual([{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }]);
    expect(deny.systemNamespaces).toEqual(['kube-system', 'calico-system']);
    expect(checkOffline(manifests, { crds: readCrds(calicoCrdsFile(CalicoVersion.V3_32_1)) }).errors).toEqual([]);
  });

  test('renders the BaselineAdminNetworkPolicy on v3.31 that the CRD accepts', () => {
    const chart = chartFor(CalicoVersion.V3_31_7);
    new BaselineDefaultDeny(chart, 'default-deny', {
      ingressAllowances: [{ action: AdminPolicyAction.ACCEPT, peers: [AdminPolicyPeer.namespaces({ matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } })] }],
    });
    const manifests = synth(chart);
    const banp = findObject(manifests, 'BaselineAdminNetworkPolicy', 'default');
    expect(banp.spec.ingress.map((r: any) => r.action)).toEqual(['Allow', 'Allow', 'Deny']);
    expect(checkOffline(manifests, { crds: readCrds(calicoCrdsFile(CalicoVersion.V3_31_7)) }).errors).toEqual([]);
  });

  test('allows no DNS with an empty dnsPeers', () => {
    const chart = chartFor(CalicoVersion.V3_32_1);
    new BaselineDefaultDeny(chart, 'd', { dnsPeers: [] });
    expect(findObject(synth(chart), 'ClusterNetworkPolicy', 'd').spec.egress.map((r: any) => r.name)).toEqual(['to-system-namespaces', 'default-deny']);
  });

  test('fails when systemNamespaces leaves out kube-system', () => {
    expect(errorOf(() => new BaselineDefaultDeny(newChart(), 'd', { systemNamespaces: ['calico-system'] })).message).toContain("leaves out 'kube-system'");
  });

  test('fails for a priority on v3.31, whose baseline has none', () => {
    expect(errorOf(() => new BaselineDefaultDeny(chartFor(CalicoVersion.V3_31_7), 'd', { priority: 5 })).message).toContain('has no priority');
  });
});
