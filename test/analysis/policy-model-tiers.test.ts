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

describe('Kubernetes cluster network policies', () => {
  const subjectApi = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } };
  const fromOrg1 = [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'org-1' } } }];

  test('v3.32 ClusterNetworkPolicy: Admin tier by priority, Accept -> Allow, Deny, Pass to the next tier', () => {
    const model = PolicyModel.fromManifests([
      cnp('deny-all', { tier: 'Admin', priority: 20, subject: subjectApi, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      cnp('accept-org-1', { tier: 'Admin', priority: 10, subject: subjectApi, ingress: [{ action: 'Accept', from: fromOrg1, protocols: [{ tcp: { destinationPort: { number: 80 } } }] }] }),
      cnp('pass-443', { tier: 'Admin', priority: 5, subject: subjectApi, ingress: [{ action: 'Pass', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }] }),
    ]);
    const accepted = model.evaluate(tcp(WEB, API)).ingress;
    expect([accepted.allowed, accepted.tier, accepted.policyName, accepted.policyKind, accepted.action])
      .toEqual([true, 'kube-admin', 'accept-org-1', PolicyKind.CLUSTER_NETWORK_POLICY, RuleAction.ALLOW]);
    const denied = model.evaluate(tcp(OTHER, API)).ingress;
    expect([denied.allowed, denied.policyName, denied.rulePath]).toEqual([false, 'deny-all', 'spec.ingress[0].from[0]']);
    const passed = model.evaluate(tcp(OTHER, API, 443)).ingress;
    expect([passed.allowed, passed.decidedBy, passed.tier, passed.policyName]).toEqual([true, DecisionBasis.PASS, 'kube-admin', 'pass-443']);
    expect(model.policies.map(p => [p.name, p.order, p.tier, p.calicoName])).toEqual([
      ['pass-443', 5, 'kube-admin', 'pass-443'], ['accept-org-1', 10, 'kube-admin', 'accept-org-1'], ['deny-all', 20, 'kube-admin', 'deny-all'],
    ]);
  });

  test('v3.32 ClusterNetworkPolicy: the Baseline tier runs after default; a policy without rules passes', () => {
    const baseline = cnp('baseline-deny', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    const alone = PolicyModel.fromManifests([baseline]).evaluate(tcp(WEB, API)).ingress;
    expect([alone.allowed, alone.tier, alone.policyName]).toEqual([false, 'kube-baseline', 'baseline-deny']);
    const withKnp = PolicyModel.fromManifests([baseline, knp('org-2', 'api', { podSelector: {}, ingress: [{}] })]).evaluate(tcp(WEB, API)).ingress;
    expect([withKnp.allowed, withKnp.tier]).toEqual([true, 'default']);
    const empty = PolicyModel.fromManifests([cnp('nothing', { tier: 'Admin', priority: 1, subject: { namespaces: {} } })]).evaluate(tcp(WEB, API));
    expect([empty.ingress.decidedBy, empty.egress.decidedBy, empty.ingress.tier]).toEqual([DecisionBasis.TIER_DEFAULT_ACTION, DecisionBasis.TIER_DEFAULT_ACTION, 'kube-admin']);
  });

  test('v3.32 ClusterNetworkPolicy egress to networks, and a rule Calico cannot convert fails closed', () => {
    const model = PolicyModel.fromManifests([
      cnp('no-metadata', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }] }),
    ]);
    expect(model.evaluate(tcp(WEB, { ip: '169.254.169.254' }, 443)).egress.policyName).toBe('no-metadata');
    expect(model.evaluate(tcp(WEB, { ip: '203.0.113.7' }, 443)).egress.decidedBy).toBe(DecisionBasis.TIER_DEFAULT_ACTION);
    const nodes = (action: string): boolean => PolicyModel.fromManifests([
      cnp('nodes', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action, to: [{ nodes: {} }] }] }),
    ]).allows(tcp(WEB, { ip: '203.0.113.7' }, 443));
    expect(nodes('Pass')).toBe(false);
    expect(nodes('Accept')).toBe(true);
  });

  test('v3.31 AdminNetworkPolicy at its priority and BaselineAdminNetworkPolicy at order 1000, with Allow, Deny and Pass', () => {
    const model = PolicyModel.fromManifests([
      anp('AdminNetworkPolicy', 'allow-org-1', { priority: 10, subject: subjectApi, ingress: [{ action: 'Allow', from: fromOrg1, ports: [{ portNumber: { port: 80 } }] }] }),
      anp('AdminNetworkPolicy', 'pass-443', { priority: 3, subject: subjectApi, ingress: [{ action: 'Pass', from: [{ namespaces: {} }], ports: [{ portRange: { start: 440, end: 450 } }] }] }),
      anp('BaselineAdminNetworkPolicy', 'default', { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
    ], V31);
    expect(model.policies.map(p => [p.kind, p.tier, p.order, p.calicoName])).toEqual([
      [PolicyKind.ADMIN_NETWORK_POLICY, 'adminnetworkpolicy', 3, 'kanp.adminnetworkpolicy.pass-443'],
      [PolicyKind.ADMIN_NETWORK_POLICY, 'adminnetworkpolicy', 10, 'kanp.adminnetworkpolicy.allow-org-1'],
      [PolicyKind.BASELINE_ADMIN_NETWORK_POLICY, 'baselineadminnetworkpolicy', 1000, 'kbanp.baselineadminnetworkpolicy.default'],
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.tier).toBe('adminnetworkpolicy');
    const denied = model.evaluate(tcp(OTHER, API)).ingress;
    expect([denied.allowed, denied.tier, denied.policyKind]).toEqual([false, 'baselineadminnetworkpolicy', PolicyKind.BASELINE_ADMIN_NETWORK_POLICY]);
    // Passed by the admin tier, not decided by default (no policy there), denied by the baseline.
    const passed = model.evaluate(tcp(OTHER, API, 443)).ingress;
    expect([passed.allowed, passed.tier]).toEqual([false, 'baselineadminnetworkpolicy']);
    expect(passed.trace[0]).toContain('AdminNetworkPolicy pass-443 (tier adminnetworkpolicy, order 3) ingress rule 0');
  });

  test('a kind the model\'s line does not run is an error naming the line', () => {
    expect(errorOf(() => PolicyModel.fromManifests([cnp('x', { tier: 'Admin', priority: 1, subject: { namespaces: {} } })], V31)).message)
      .toContain("ClusterNetworkPolicy 'x': Calico v3.31 does not run ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2)");
    expect(errorOf(() => PolicyModel.fromManifests([anp('AdminNetworkPolicy', 'x', { priority: 1, subject: { namespaces: {} } })])).message)
      .toContain("AdminNetworkPolicy 'x': Calico v3.32 does not run AdminNetworkPolicy");
    expect(errorOf(() => PolicyModel.fromManifests([cnp('x', { tier: 'Middle', priority: 1, subject: { namespaces: {} } })])).message)
      .toContain('"Middle" is not a ClusterNetworkPolicy tier; use Admin or Baseline');
    expect(errorOf(() => PolicyModel.fromManifests([cnp('x', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Allow' }] })])).message)
      .toContain('"Allow" is not a ClusterNetworkPolicy action; use Accept, Deny, Pass');
  });
});

describe('matchers', () => {
  test('a failure names a tier other than default, and says when staged policies were enforced', () => {
    const model = PolicyModel.fromManifests([
      SECURITY,
      gnp('guard', { tier: 'security', selector: API_SELECTOR, ingress: [{ action: 'Deny' }] }),
      staged('StagedGlobalNetworkPolicy', 'guard', { tier: 'security', stagedAction: 'Delete' }),
    ]);
    let message = '';
    try {
      expect(model).toAllow(tcp(WEB, API));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('Ingress decided by: GlobalNetworkPolicy guard in tier security, ingress rule 0 (spec.ingress[0]), action Deny');
    expect(model).toAllow(tcp(WEB, API), { enforceStaged: true });
    try {
      expect(model).toDeny(tcp(WEB, API), { enforceStaged: true });
      message = '';
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('expected the flow to be denied with staged policies enforced, but it is allowed');
  });
});
