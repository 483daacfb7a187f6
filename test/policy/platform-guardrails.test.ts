import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoCluster } from '../../src/install/calico-cluster';
import { CalicoErrors } from '../../src/core/errors';
import { ClusterDns, NamespaceLabel } from '../../src/policy/default-deny-policy';
import { OverridePeer, CalicoNamespaceOverride } from '../../src/policy/namespace-override';
import { PlatformGuardrails, PlatformGuardrailsProps } from '../../src/policy/platform-guardrails';
import { Port } from '../../src/language/port';
import { Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { GlobalNetworkPolicy } from '../../src/resources/global-network-policy';
import { StagedGlobalNetworkPolicy } from '../../src/resources/staged-global-network-policy';
import { validateManifest } from '../../src/validation/validate';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
beforeEach(() => stderr.mockClear());
afterAll(() => stderr.mockRestore());

/** Synthesizes one PlatformGuardrails on a line, checks the output against the CRD schema and the validator, and returns it. */
function render(props: PlatformGuardrailsProps = {}, version: CalicoVersion = CalicoVersion.DEFAULT): { tier: any; policy: any; all: any[] } {
  const chart = newChart();
  CalicoVersion.use(chart, version);
  new PlatformGuardrails(chart, 'guardrails', props);
  const all = synth(chart);
  expectCrdSchemaValid(all, version);
  for (const m of all) expect(validateManifest(m, version)).toEqual([]);
  const tierName = props.tierName ?? 'platform';
  const kind = props.staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy';
  return { tier: findObject(all, 'Tier', tierName), policy: findObject(all, kind, `${tierName}.guardrails`), all };
}

const DNS = { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"' };

describe('PlatformGuardrails', () => {
  test('renders a Pass tier at order 10000 and one policy in it: DNS allowed, then the denies, then Pass', () => {
    const { tier, policy, all } = render({ denyEgressTo: PlatformGuardrails.cloudMetadataNets() });
    expect(all).toHaveLength(2);
    expect(tier.spec).toEqual({ order: 10000, defaultAction: 'Pass' });
    expect(policy.spec).toEqual({
      tier: 'platform',
      order: 100,
      namespaceSelector: '(has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system"})',
      types: ['Ingress', 'Egress'],
      egress: [
        { action: 'Allow', protocol: 'UDP', destination: { ...DNS, ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { ...DNS, ports: [53] } },
        { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
        { action: 'Pass' },
      ],
      ingress: [{ action: 'Pass' }],
    });
    expect(stderr).not.toHaveBeenCalled(); // no rule of its own is shadowed
  });

  test('names the policy <tier>.guardrails, valid on v3.31 (where the tier prefix is required) and on v3.32', () => {
    for (const version of [CalicoVersion.V3_31_7, CalicoVersion.V3_32_1]) {
      const { policy } = render({ tierName: 'guard', order: 500 }, version);
      expect(policy.metadata.name).toBe('guard.guardrails');
      expect(policy.spec.tier).toBe('guard');
    }
  });

  test('in crd.projectcalico.org/v1 output on v3.31 the policy keeps its tiered name and carries the tier label', () => {
    const chart = newChart();
    CalicoVersion.use(chart, CalicoVersion.V3_31_7);
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new PlatformGuardrails(chart, 'guardrails');
    const policy = findObject(synth(chart), 'GlobalNetworkPolicy', 'platform.guardrails');
    expect(policy.metadata.labels).toEqual({ 'projectcalico.org/tier': 'platform' });
  });

  test('cloudMetadataNets: the IPv4 address, and with includeIpv6 also AWS\'s IPv6 one, each version in a rule of its own', () => {
    expect(PlatformGuardrails.cloudMetadataNets()).toEqual(['169.254.169.254/32']);
    const { policy } = render({ denyEgressTo: PlatformGuardrails.cloudMetadataNets(true) });
    expect(policy.spec.egress.filter((r: any) => r.action === 'Deny')).toEqual([
      { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
      { action: 'Deny', destination: { nets: ['fd00:ec2::254/128'] } },
    ]);
  });

  test('denyIngressFrom denies the sources before the ingress Pass; single addresses become /32 and /128', () => {
    const { policy } = render({ denyIngressFrom: ['203.0.113.7', '2001:db8::/32', '198.51.100.0/24'] });
    expect(policy.spec.ingress).toEqual([
      { action: 'Deny', source: { nets: ['203.0.113.7/32', '198.51.100.0/24'] } },
      { action: 'Deny', source: { nets: ['2001:db8::/32'] } },
      { action: 'Pass' },
    ]);
  });

  test('by default denies nothing: DNS and the Pass rules only', () => {
    const g = new PlatformGuardrails(newChart(), 'g');
    expect(g.denyEgressTo).toEqual([]);
    expect(g.denyIngressFrom).toEqual([]);
    expect(g.policy.egressRules.map(r => r.action)).toEqual(['Allow', 'Allow', 'Pass']);
  });

  test('dns: by address, or none', () => {
    const byAddress = render({ dns: ClusterDns.addresses(['169.254.20.10']) }).policy;
    expect(byAddress.spec.egress.slice(0, 2)).toEqual([
      { action: 'Allow', protocol: 'UDP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
    ]);
    expect(render({ dns: ClusterDns.none() }).policy.spec.egress).toEqual([{ action: 'Pass' }]);
  });

  test('DNS by a link-local address stays allowed ahead of a deny of the whole link-local range, with no warning', () => {
    const { policy } = render({ dns: ClusterDns.addresses(['169.254.20.10']), denyEgressTo: ['169.254.0.0/16'] });
    expect(policy.spec.egress.map((r: any) => r.action)).toEqual(['Allow', 'Allow', 'Deny', 'Pass']);
    expect(stderr).not.toHaveBeenCalled();
  });

  test('staged: the policy is a StagedGlobalNetworkPolicy in the same tier; the tier stays a Tier', () => {
    const chart = newChart();
    const g = new PlatformGuardrails(chart, 'g', { staged: true, denyEgressTo: ['169.254.169.254'] });
    expect(g.staged).toBe(true);
    expect(g.policy).toBeInstanceOf(StagedGlobalNetworkPolicy);
    const { tier, policy } = render({ staged: true, denyEgressTo: ['169.254.169.254'] });
    expect(tier.kind).toBe('Tier');
    expect(policy.kind).toBe('StagedGlobalNetworkPolicy');
    expect(policy.spec.tier).toBe('platform');
    expect(policy.spec.egress[2]).toEqual({ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } });
  });

  test('not staged by default: a GlobalNetworkPolicy', () => {
    const g = new PlatformGuardrails(newChart(), 'g');
    expect(g.staged).toBe(false);
    expect(g.policy).toBeInstanceOf(GlobalNetworkPolicy);
  });

  test('systemNamespaces default: kube-system and the namespaces of the chart\'s CalicoClusters', () => {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico');
    const g = new PlatformGuardrails(chart, 'g');
    expect(g.systemNamespaces).toEqual([...new Set(['kube-system', ...cluster.systemNamespaces])]);
    expect(g.systemNamespaces.length).toBeGreaterThan(1);
    expect(g.namespaceLabel).toBe(NamespaceLabel.CALICO_NAME);
  });

  test('systemNamespaces and namespaceLabel select namespaces as DefaultDenyPolicy does', () => {
    const { policy } = render({ systemNamespaces: ['kube-system', 'calico-system'], namespaceLabel: NamespaceLabel.KUBERNETES_NAME });
    expect(policy.spec.namespaceSelector)
      .toBe('(has(kubernetes.io/metadata.name) && kubernetes.io/metadata.name not in {"calico-system", "kube-system"})');
    expect(policy.spec.egress[0].destination.namespaceSelector).toBe('kubernetes.io/metadata.name == "kube-system"');
  });

  test('order: any order before the default tier; refused at or after 1,000,000 and on the admin tier\'s 1000', () => {
    expect(render({ order: 1 }).tier.spec.order).toBe(1);
    expect(render({ order: 999_999 }).tier.spec.order).toBe(999_999);
    expect(errorOf(() => new PlatformGuardrails(newChart(), 'g', { order: 1_000_000 })).message)
      .toContain('PlatformGuardrails: order: order 1000000 does not come before the default tier (1000000)');
    expect(errorOf(() => new PlatformGuardrails(newChart(), 'g', { order: Number.NaN })).message).toContain('order NaN does not come before');
    for (const version of [CalicoVersion.V3_31_7, CalicoVersion.V3_32_1]) {
      const chart = newChart();
      CalicoVersion.use(chart, version);
      const e = errorOf(() => new PlatformGuardrails(chart, 'g', { order: 1000 }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(CalicoErrors.constructPathOf(e)).toBe('test/g');
      expect(e.message).toMatch(/order 1000 ties with Calico's tier '(kube-admin|adminnetworkpolicy)', so the two would be ordered by name/);
    }
  });

  test('refuses a built-in tier name, a bad net, and system namespaces without kube-system', () => {
    expect(errorOf(() => new PlatformGuardrails(newChart(), 'g', { tierName: 'default' })).message)
      .toContain("tierName: tier 'default' is one Calico creates itself");
    expect(errorOf(() => new PlatformGuardrails(newChart(), 'g', { denyEgressTo: ['169.254.169.254/33'] })).message)
      .toContain('denyEgressTo[0]: "169.254.169.254/33" is not an IP address or CIDR');
    expect(errorOf(() => new PlatformGuardrails(newChart(), 'g', { systemNamespaces: ['calico-system'] })).message)
      .toContain("leaves out 'kube-system'; the guardrails would then apply to CoreDNS");
  });

  test('a long bad net is quoted by its prefix only', () => {
    const message = errorOf(() => new PlatformGuardrails(newChart(), 'g', { denyEgressTo: ['1'.repeat(10_000)] })).message;
    expect(message.length).toBeLessThan(400);
  });

  test('a rule added after the closing Pass is reported as shadowed at synthesis', () => {
    const chart = newChart();
    const g = new PlatformGuardrails(chart, 'g');
    g.policy.addEgressRule(Rule.deny({ destination: { nets: ['10.0.0.0/8'] } }));
    expect(g.policy.shadowedRuleWarnings).toEqual([
      "GlobalNetworkPolicy 'platform.guardrails': spec.egress[3]: egress rule 3 (Deny to 10.0.0.0/8) can never match: rule 2 (Pass everything) "
        + 'already passes on all its traffic; move rule 3 before rule 2, or remove it; a deny that must hold whatever a namespace allows belongs '
        + 'in a tier evaluated before the default one (PlatformGuardrails)',
    ]);
    synth(chart);
    expect(stderr.mock.calls.map(c => String(c[0]))).toEqual([`[test/g/Policy] warning [shadowed-rule]: ${g.policy.shadowedRuleWarnings[0]}\n`]);
  });
});

describe('the motivating case: a metadata deny after a broad allow in a namespace override', () => {
  function override() {
    const chart = newChart();
    const policy = new CalicoNamespaceOverride(chart, 'org-1-https', {
      namespaceName: 'org-1',
      egress: [{ peers: [OverridePeer.cidr('0.0.0.0/0')], ports: [Port.tcp(443)] }],
    });
    policy.addEgressRule(Rule.deny({ destination: { nets: ['169.254.169.254/32'] } }));
    return { chart, policy };
  }

  test('warns once at synthesis, naming both rules and the fix', () => {
    const { chart, policy } = override();
    const expected = "NetworkPolicy 'org-1-https': spec.egress[1]: egress rule 1 (Deny to 169.254.169.254/32) does not decide TCP to 169.254.169.254/32 port 443: "
      + 'rule 0 (Allow TCP to 0.0.0.0/0 port 443) allows that traffic first; move rule 1 before rule 0; a deny that must hold whatever a namespace '
      + 'allows belongs in a tier evaluated before the default one (PlatformGuardrails)';
    expect(policy.shadowedRuleWarnings).toEqual([expected]);
    synth(chart);
    synth(chart);
    expect(stderr.mock.calls.map(c => String(c[0]))).toEqual([`[test/org-1-https] warning [shadowed-rule]: ${expected}\n`]);
  });

  test('warnings never fail synthesis', () => {
    const { chart } = override();
    expect(() => synth(chart)).not.toThrow();
  });

  test('the fix: the metadata deny as a guardrail, and the override keeps only its allow; nothing is reported', () => {
    const chart = newChart();
    new PlatformGuardrails(chart, 'guardrails', { denyEgressTo: PlatformGuardrails.cloudMetadataNets() });
    const policy = new CalicoNamespaceOverride(chart, 'org-1-https', {
      namespaceName: 'org-1',
      egress: [{ peers: [OverridePeer.cidr('0.0.0.0/0')], ports: [Port.tcp(443)] }],
    });
    expect(policy.shadowedRuleWarnings).toEqual([]);
    synth(chart);
    expect(stderr).not.toHaveBeenCalled();
  });

  test('policies with differing selectors are not reported', () => {
    const chart = newChart();
    const p = new GlobalNetworkPolicy(chart, 'p', {
      ingress: [Rule.allow({ source: { selector: Selector.has('app') } }), Rule.deny({ source: { selector: Selector.eq('app', 'x') } })],
    });
    expect(p.shadowedRuleWarnings).toEqual([]);
  });
});
