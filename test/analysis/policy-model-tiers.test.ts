// PolicyModel across tiers, staged policies and Kubernetes cluster network policies, each case
// worked by hand from Felix's rule rendering (felix/rules/endpoints.go), its policy sorter and
// libcalico-go's conversions at v3.31.7 and v3.32.1.
import { CalicoVersion, PolicyType, RuleAction, StagedAction } from '../../src';
import { calicoMatchers } from '../../src/analysis/matchers';
import { DecisionBasis, Flow, FlowEnd, PolicyKind, PolicyModel } from '../../src/analysis/policy-model';
import { errorOf } from '../support/util';

expect.extend(calicoMatchers);

const V3 = 'projectcalico.org/v3';
const V31 = { calicoVersion: CalicoVersion.V3_31_7 };

const gnp = (name: string, spec: any): any => ({ apiVersion: V3, kind: 'GlobalNetworkPolicy', metadata: { name }, spec });
const np = (ns: string, name: string, spec: any): any => ({ apiVersion: V3, kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const knp = (ns: string, name: string, spec: any): any => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const tier = (name: string, spec: any = {}): any => ({ apiVersion: V3, kind: 'Tier', metadata: { name }, spec });
const staged = (kind: string, name: string, spec: any, ns?: string): any => ({ apiVersion: V3, kind, metadata: { name, namespace: ns }, spec });
const cnp = (name: string, spec: any): any => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
const anp = (kind: string, name: string, spec: any): any => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind, metadata: { name }, spec });

const WEB: FlowEnd = { namespaceName: 'org-1', labels: { app: 'web' } };
const API: FlowEnd = { namespaceName: 'org-2', labels: { app: 'api' } };
const OTHER: FlowEnd = { namespaceName: 'org-3', labels: { app: 'client' } };
const tcp = (source: FlowEnd, destination: FlowEnd, port = 80): Flow => ({ source, destination, protocol: 'TCP', port });

const API_SELECTOR = "app == 'api'";
const SECURITY = tier('security', { order: 100 });

describe('tiers run in order', () => {
  test('a tier of lower order decides before the default tier', () => {
    const model = PolicyModel.fromManifests([
      SECURITY,
      gnp('guard', { tier: 'security', order: 500, selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
      gnp('open', { order: 1, selector: API_SELECTOR, ingress: [{ action: 'Allow' }] }),
    ]);
    const verdict = model.evaluate(tcp(WEB, API)).ingress;
    expect(verdict.allowed).toBe(false);
    expect(verdict.tier).toBe('security');
    expect(verdict.policyName).toBe('guard');
    expect(verdict.reason).toBe('denied by GlobalNetworkPolicy guard (tier security, order 500) ingress rule 0 (spec.ingress[0], Deny)');
    expect(model.policies.map(p => `${p.tier}/${p.name}`)).toEqual(['security/guard', 'default/open']);
  });

  test('a tier ordered after the default tier decides after it', () => {
    const model = PolicyModel.fromManifests([
      tier('security', { order: 2_000_000 }),
      gnp('guard', { tier: 'security', selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
      gnp('open', { order: 1, selector: API_SELECTOR, ingress: [{ action: 'Allow' }] }),
    ]);
    const verdict = model.evaluate(tcp(WEB, API)).ingress;
    expect(verdict.allowed).toBe(true);
    expect(verdict.tier).toBe('default');
  });

  test('tiers of equal order run by name', () => {
    const manifests = (denyTier: string, allowTier: string): any[] => [
      tier(denyTier, { order: 100 }), tier(allowTier, { order: 100 }),
      gnp('deny', { tier: denyTier, selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
      gnp('allow', { tier: allowTier, selector: API_SELECTOR, ingress: [{ action: 'Allow' }] }),
    ];
    expect(PolicyModel.fromManifests(manifests('alpha', 'beta')).allows(tcp(WEB, API))).toBe(false);
    expect(PolicyModel.fromManifests(manifests('beta', 'alpha')).allows(tcp(WEB, API))).toBe(true);
  });

  test('a tier of unset order runs after every tier with one', () => {
    const model = PolicyModel.fromManifests([
      tier('last'), tier('late', { order: 50_000_000 }),
      gnp('deny', { tier: 'last', selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
      gnp('allow', { tier: 'late', selector: API_SELECTOR, ingress: [{ action: 'Allow' }] }),
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.tier).toBe('late');
  });

  test('a tier none of whose policies selects the endpoint is skipped', () => {
    const model = PolicyModel.fromManifests([
      SECURITY,
      gnp('db-only', { tier: 'security', selector: "app == 'db'", ingress: [{ action: 'Deny' }] }),
    ]);
    const verdict = model.evaluate(tcp(WEB, API)).ingress;
    expect(verdict.decidedBy).toBe(DecisionBasis.NO_POLICY);
    expect(verdict.policies).toEqual([]);
  });

  test('a tier is skipped for a direction its selecting policies do not govern', () => {
    const model = PolicyModel.fromManifests([
      SECURITY,
      gnp('egress-only', { tier: 'security', selector: API_SELECTOR, types: ['Egress'], egress: [{ action: 'Allow', protocol: 'UDP' }] }),
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.decidedBy).toBe(DecisionBasis.NO_POLICY);
    const egress = model.evaluate(tcp(API, WEB)).egress;
    expect(egress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
    expect(egress.tier).toBe('security');
  });
});

describe('Pass and tier default actions', () => {
  const pass = gnp('hand-on', { tier: 'security', selector: API_SELECTOR, ingress: [{ action: 'Pass' }] });

  test('a Pass rule goes on to the next tier, whose Deny decides', () => {
    const model = PolicyModel.fromManifests([SECURITY, pass, gnp('deny', { selector: API_SELECTOR, ingress: [{ action: 'Deny' }] })]);
    const verdict = model.evaluate(tcp(WEB, API)).ingress;
    expect(verdict.allowed).toBe(false);
    expect([verdict.tier, verdict.policyName, verdict.decidedBy]).toEqual(['default', 'deny', DecisionBasis.RULE]);
    expect(verdict.trace).toContain('tier security: GlobalNetworkPolicy hand-on (tier security, order unset) ingress rule 0 (spec.ingress[0], Pass) passes the traffic to the next tier');
  });

  test('a Pass rule skips the later policies of its own tier', () => {
    const model = PolicyModel.fromManifests([
      SECURITY, pass,
      gnp('z-deny', { tier: 'security', selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
    ]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
  });

  test('a Pass in the last tier that selects the endpoint ends at the namespace profile, which allows', () => {
    const verdict = PolicyModel.fromManifests([SECURITY, pass]).evaluate(tcp(WEB, API)).ingress;
    expect(verdict.allowed).toBe(true);
    expect(verdict.decidedBy).toBe(DecisionBasis.PASS);
    expect([verdict.tier, verdict.policyName, verdict.action, verdict.ruleIndex]).toEqual(['security', 'hand-on', RuleAction.PASS, 0]);
    expect(verdict.reason).toContain('no later tier selecting it decided, so the namespace profile allows it');
  });

  const only443 = gnp('only-443', { tier: 'security', selector: API_SELECTOR, ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } }] });
  const openDefault = gnp('open', { selector: API_SELECTOR, ingress: [{ action: 'Allow' }] });

  test('a tier without defaultAction drops what its policies do not decide, even when a later tier allows', () => {
    const verdict = PolicyModel.fromManifests([SECURITY, only443, openDefault]).evaluate(tcp(WEB, API)).ingress;
    expect(verdict.allowed).toBe(false);
    expect([verdict.decidedBy, verdict.tier, verdict.policyName]).toEqual([DecisionBasis.END_OF_TIER, 'security', 'only-443']);
    expect(verdict.reason).toContain('so the end of the tier drops it (tier security, default action Deny)');
  });

  test('a tier with defaultAction Pass sends what its policies do not decide to the next tier', () => {
    const passing = tier('security', { order: 100, defaultAction: 'Pass' });
    const decided = PolicyModel.fromManifests([passing, only443, openDefault]).evaluate(tcp(WEB, API)).ingress;
    expect([decided.allowed, decided.tier, decided.policyName]).toEqual([true, 'default', 'open']);
    const toProfile = PolicyModel.fromManifests([passing, only443]).evaluate(tcp(WEB, API)).ingress;
    expect([toProfile.allowed, toProfile.decidedBy, toProfile.tier, toProfile.policyName]).toEqual([true, DecisionBasis.TIER_DEFAULT_ACTION, 'security', 'only-443']);
    expect(toProfile.action).toBeUndefined();
  });

  test('a Tier named default can make the default tier pass', () => {
    const strict = gnp('only-443', { selector: API_SELECTOR, ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } }] });
    expect(PolicyModel.fromManifests([strict]).evaluate(tcp(WEB, API)).ingress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
    const passing = PolicyModel.fromManifests([tier('default', { order: 1_000_000, defaultAction: 'Pass' }), strict]);
    expect(passing.evaluate(tcp(WEB, API)).ingress.decidedBy).toBe(DecisionBasis.TIER_DEFAULT_ACTION);
  });

  test('refuses a built-in tier moved, an unknown default action, a tier declared twice and a policy in a missing tier', () => {
    expect(errorOf(() => PolicyModel.fromManifests([tier('default', { defaultAction: 'Pass' })])).message)
      .toMatch(/Tier 'default': spec.order: the built-in tier 'default' must keep order 1000000/);
    expect(errorOf(() => PolicyModel.fromManifests([tier('security', { defaultAction: 'Allow' })])).message).toContain('is not a tier default action; use Deny or Pass');
    expect(errorOf(() => PolicyModel.fromManifests([SECURITY, SECURITY])).message).toContain("Tier 'security': is declared twice");
    expect(errorOf(() => PolicyModel.fromManifests([gnp('x', { tier: 'nowhere' })])).message)
      .toMatch(/GlobalNetworkPolicy 'x': tier 'nowhere' does not exist; add a Tier named 'nowhere'/);
  });

  test('the built-in admin and baseline tiers of each line are there and pass', () => {
    const names = (version?: CalicoVersion): string[] => PolicyModel.fromManifests([
      ...(version === CalicoVersion.V3_31_7 ? ['adminnetworkpolicy', 'baselineadminnetworkpolicy'] : ['kube-admin', 'kube-baseline'])
        .map(t => gnp(`${t}.p`, { tier: t, selector: API_SELECTOR, ingress: [{ action: 'Allow', protocol: 'UDP' }] })),
    ], { calicoVersion: version }).policies.map(p => p.tier);
    expect(names()).toEqual(['kube-admin', 'kube-baseline']);
    expect(names(CalicoVersion.V3_31_7)).toEqual(['adminnetworkpolicy', 'baselineadminnetworkpolicy']);
    const verdict = PolicyModel.fromManifests([gnp('a', { tier: 'kube-admin', selector: API_SELECTOR, ingress: [{ action: 'Allow', protocol: 'UDP' }] })])
      .evaluate(tcp(WEB, API)).ingress;
    expect([verdict.allowed, verdict.decidedBy, verdict.tier]).toEqual([true, DecisionBasis.TIER_DEFAULT_ACTION, 'kube-admin']);
  });
});

describe('order within a tier', () => {
  test('a lower order runs first, and ties go by the line\'s key', () => {
    const model = PolicyModel.fromManifests([
      SECURITY,
      gnp('late-deny', { tier: 'security', order: 10, selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
      gnp('early-allow', { tier: 'security', order: 5, selector: API_SELECTOR, ingress: [{ action: 'Allow' }] }),
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.policyName).toBe('early-allow');
    // v3.32: "a//GlobalNetworkPolicy" < "b//GlobalNetworkPolicy"; v3.31: "security.a" < "security.b".
    const tie = (a: string, b: string, options = {}): string | undefined => PolicyModel.fromManifests([
      SECURITY,
      gnp(b, { tier: 'security', order: 10, selector: API_SELECTOR, ingress: [{ action: 'Allow' }] }),
      gnp(a, { tier: 'security', order: 10, selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
    ], options).evaluate(tcp(WEB, API)).ingress.policyName;
    expect(tie('a', 'b')).toBe('a');
    expect(tie('security.a', 'security.b', V31)).toBe('security.a');
  });

  test('a Kubernetes NetworkPolicy runs at order 1000 in the default tier: after 999, before 1001', () => {
    const allow80 = knp('org-2', 'api-80', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 80 }] }] });
    const denyAt = (order: number): any => gnp(`deny-${order}`, { order, selector: API_SELECTOR, ingress: [{ action: 'Deny' }] });
    const before = PolicyModel.fromManifests([allow80, denyAt(999)]).evaluate(tcp(WEB, API)).ingress;
    expect([before.allowed, before.policyName, before.tier]).toEqual([false, 'deny-999', 'default']);
    const after = PolicyModel.fromManifests([allow80, denyAt(1001)]).evaluate(tcp(WEB, API)).ingress;
    expect([after.allowed, after.policyKind, after.tier]).toEqual([true, PolicyKind.KUBERNETES_NETWORK_POLICY, 'default']);
  });
});

describe('staged policies', () => {
  const guard = gnp('guard', { selector: API_SELECTOR, ingress: [{ action: 'Deny' }] });

  test('Set replaces the enforced policy of the same name, only with enforceStaged', () => {
    const model = PolicyModel.fromManifests([guard, staged('StagedGlobalNetworkPolicy', 'guard', { selector: API_SELECTOR, ingress: [{ action: 'Allow' }] })]);
    expect(model.allows(tcp(WEB, API))).toBe(false);
    const verdict = model.evaluate(tcp(WEB, API), { enforceStaged: true }).ingress;
    expect([verdict.allowed, verdict.policyKind, verdict.policyName]).toEqual([true, PolicyKind.STAGED_GLOBAL_NETWORK_POLICY, 'guard']);
    expect(verdict.policies).toEqual(['StagedGlobalNetworkPolicy guard (order unset)']);
    expect(model.policies.map(p => [p.kind, p.staged, p.stagedAction])).toEqual([
      [PolicyKind.GLOBAL_NETWORK_POLICY, false, undefined], [PolicyKind.STAGED_GLOBAL_NETWORK_POLICY, true, StagedAction.SET],
    ]);
  });

  test('Delete removes the enforced policy of the same name and tier, and nothing in another tier', () => {
    const remove = staged('StagedGlobalNetworkPolicy', 'guard', { stagedAction: 'Delete' });
    const model = PolicyModel.fromManifests([guard, remove]);
    expect(model.allows(tcp(WEB, API))).toBe(false);
    expect(model.evaluate(tcp(WEB, API), { enforceStaged: true }).ingress.decidedBy).toBe(DecisionBasis.NO_POLICY);
    const elsewhere = PolicyModel.fromManifests([SECURITY, guard, staged('StagedGlobalNetworkPolicy', 'guard', { stagedAction: 'Delete', tier: 'security' })]);
    expect(elsewhere.allows(tcp(WEB, API), { enforceStaged: true })).toBe(false);
  });

  test('a staged policy without an enforced namesake is added', () => {
    const model = PolicyModel.fromManifests([staged('StagedNetworkPolicy', 'lock', { selector: 'all()', ingress: [{ action: 'Deny' }] }, 'org-2')]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
    const verdict = model.evaluate(tcp(WEB, API), { enforceStaged: true }).ingress;
    expect([verdict.allowed, verdict.policyKind, verdict.policyNamespace]).toEqual([false, PolicyKind.STAGED_NETWORK_POLICY, 'org-2']);
  });

  test('a StagedKubernetesNetworkPolicy replaces the Kubernetes NetworkPolicy of its name', () => {
    const model = PolicyModel.fromManifests([
      knp('org-2', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 80 }] }] }),
      staged('StagedKubernetesNetworkPolicy', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 443 }] }] }, 'org-2'),
    ]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
    expect(model.allows(tcp(WEB, API), { enforceStaged: true })).toBe(false);
    expect(model.allows(tcp(WEB, API, 443), { enforceStaged: true })).toBe(true);
    expect(model).toDeny(tcp(WEB, API), { enforceStaged: true });
    expect(model).toAllow(tcp(WEB, API));
  });

  test('refuses an unknown stagedAction', () => {
    expect(errorOf(() => PolicyModel.fromManifests([staged('StagedGlobalNetworkPolicy', 'g', { stagedAction: 'Apply' })])).message)
      .toContain("StagedGlobalNetworkPolicy 'g': spec.stagedAction: \"Apply\" is not a staged action");
  });
});

describe('the motivating case: a guardrail tier before a namespace policy', () => {
  const manifests = (guardName: string): any[] => [
    SECURITY,
    gnp(guardName, {
      tier: 'security', order: 10, selector: 'all()', types: ['Egress'],
      egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }, { action: 'Pass' }],
    }),
    np('org-1', 'https-out', { selector: 'all()', types: ['Egress'], egress: [{ action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [443] } }] }),
  ];
  for (const [line, guardName, options] of [['v3.32', 'guardrail', {}], ['v3.31', 'security.guardrail', V31]] as const) {
    test(`metadata is denied in the guardrail tier and other 443 is allowed in default (${line})`, () => {
      const model = PolicyModel.fromManifests(manifests(guardName), options);
      const metadata = model.evaluate(tcp(WEB, { ip: '169.254.169.254' }, 443)).egress;
      expect([metadata.allowed, metadata.tier, metadata.policyName, metadata.ruleIndex, metadata.rulePath, metadata.action])
        .toEqual([false, 'security', guardName, 0, 'spec.egress[0]', RuleAction.DENY]);
      const out = model.evaluate(tcp(WEB, { ip: '203.0.113.7' }, 443)).egress;
      expect([out.allowed, out.tier, out.policyName, out.policyKind, out.direction]).toEqual([true, 'default', 'https-out', PolicyKind.NETWORK_POLICY, PolicyType.EGRESS]);
      expect(out.trace).toContain(`tier security: GlobalNetworkPolicy ${guardName} (tier security, order 10) egress rule 1 (spec.egress[1], Pass) passes the traffic to the next tier`);
      const http = model.evaluate(tcp(WEB, { ip: '203.0.113.7' }, 80)).egress;
      expect([http.allowed, http.decidedBy, http.tier]).toEqual([false, DecisionBasis.END_OF_TIER, 'default']);
    });
  }
});
