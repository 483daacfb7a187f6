import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  CalicoApi, CalicoApiVersion, CalicoErrors, CalicoVersion, GlobalNetworkPolicy, GlobalNetworkSet, NetworkPolicy, PolicyType, Port, Protocol, RuleAction,
  Selector,
} from '../../src';
import { DecisionBasis, Flow, FlowEnd, PolicyKind, PolicyModel } from '../../src/analysis/policy-model';
import { errorOf } from '../support/util';

// ---------------------------------------------------------------------------------------------
// Manifest builders
// ---------------------------------------------------------------------------------------------

const V3 = 'projectcalico.org/v3';

function gnp(name: string, spec: any, apiVersion = V3): any {
  return { apiVersion, kind: 'GlobalNetworkPolicy', metadata: { name }, spec };
}

function cnp(namespace: string, name: string, spec: any): any {
  return { apiVersion: V3, kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function namespace(name: string, labels: { [k: string]: string } = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function serviceAccount(ns: string, name: string, labels: { [k: string]: string }): any {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels } };
}

function globalSet(name: string, labels: { [k: string]: string }, nets: string[]): any {
  return { apiVersion: V3, kind: 'GlobalNetworkSet', metadata: { name, labels }, spec: { nets } };
}

function networkSet(ns: string, name: string, labels: { [k: string]: string }, nets: string[]): any {
  return { apiVersion: V3, kind: 'NetworkSet', metadata: { name, namespace: ns, labels }, spec: { nets } };
}

function deployment(ns: string, name: string, labels: { [k: string]: string }, podSpec: any = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...podSpec } } },
  };
}

const allow = (extra: any = {}): any => ({ action: 'Allow', ...extra });
const deny = (extra: any = {}): any => ({ action: 'Deny', ...extra });

/** A workload end. */
function pod(ns: string, labels: { [k: string]: string } = {}, extra: Partial<FlowEnd> = {}): FlowEnd {
  return { namespaceName: ns, labels, ...extra };
}

function tcp(source: FlowEnd, destination: FlowEnd, port = 80): Flow {
  return { source, destination, protocol: 'TCP', port };
}

const WEB = pod('org-1', { app: 'web' });
const API = pod('org-1', { app: 'api' });
const OTHER_NS_WEB = pod('org-2', { app: 'web' });

// ---------------------------------------------------------------------------------------------
// Defaults: profiles, address ends, default deny
// ---------------------------------------------------------------------------------------------

describe('endpoints no policy selects', () => {
  test('allow both directions through the namespace profile', () => {
    const verdict = PolicyModel.fromManifests([]).evaluate(tcp(WEB, API));
    expect(verdict.allowed).toBe(true);
    expect(verdict.egress.decidedBy).toBe(DecisionBasis.NO_POLICY);
    expect(verdict.ingress.decidedBy).toBe(DecisionBasis.NO_POLICY);
    expect(verdict.ingress.reason).toContain('namespace profile allows');
    expect(verdict.ingress.policyName).toBeUndefined();
  });

  test('a policy for the other direction does not isolate an endpoint', () => {
    const model = PolicyModel.fromManifests([gnp('egress-only', { selector: "app == 'api'", types: ['Egress'] })]);
    const verdict = model.evaluate(tcp(WEB, API));
    expect(verdict.ingress.decidedBy).toBe(DecisionBasis.NO_POLICY);
    expect(verdict.allowed).toBe(true);
  });
});

describe('address ends', () => {
  const model = PolicyModel.fromManifests([gnp('deny-web', { selector: "app == 'web'", types: ['Ingress', 'Egress'] })]);

  test('have no policy of their own: traffic from outside is only checked on ingress', () => {
    const verdict = model.evaluate(tcp({ ip: '203.0.113.7' }, WEB));
    expect(verdict.egress.decidedBy).toBe(DecisionBasis.NOT_AN_ENDPOINT);
    expect(verdict.egress.allowed).toBe(true);
    expect(verdict.ingress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
    expect(verdict.allowed).toBe(false);
  });

  test('traffic to outside is only checked on egress', () => {
    const verdict = model.evaluate(tcp(WEB, { ip: '203.0.113.7' }, 443));
    expect(verdict.ingress.decidedBy).toBe(DecisionBasis.NOT_AN_ENDPOINT);
    expect(verdict.egress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
  });

  test('an end with only ip is an address, one with a namespace and ip is a workload', () => {
    const workload = model.evaluate(tcp({ namespaceName: 'org-1', labels: { app: 'web' }, ip: '10.0.0.5' }, { ip: '203.0.113.7' }, 443));
    expect(workload.egress.endpoint).toBe('org-1 {app=web} (10.0.0.5)');
    expect(workload.egress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
  });
});

describe('default deny at the end of the tier', () => {
  test('denies what no rule allowed once a policy selects the endpoint for the direction', () => {
    const model = PolicyModel.fromManifests([
      gnp('api-ingress', { selector: "app == 'api'", types: ['Ingress'], ingress: [allow({ protocol: 'TCP', destination: { ports: [443] } })] }),
    ]);
    expect(model.evaluate(tcp(WEB, API, 443)).allowed).toBe(true);
    const denied = model.evaluate(tcp(WEB, API, 80));
    expect(denied.allowed).toBe(false);
    expect(denied.ingress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
    expect(denied.ingress.policyName).toBe('api-ingress');
    expect(denied.ingress.ruleIndex).toBeUndefined();
    expect(denied.ingress.reason).toContain('end of the tier drops it');
    expect(denied.ingress.trace[0]).toContain('port 80 is not in [443]');
  });

  test('a policy with types but no rules denies the whole direction', () => {
    const model = PolicyModel.fromManifests([gnp('isolate', { selector: "app == 'api'", types: ['Ingress'] })]);
    expect(model.evaluate(tcp(WEB, API)).ingress.trace).toEqual(['GlobalNetworkPolicy isolate (order unset): no ingress rules']);
    expect(model.allows(tcp(WEB, API))).toBe(false);
    expect(model.allows(tcp(API, WEB))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Policy types, ordering and actions
// ---------------------------------------------------------------------------------------------

describe('policy types', () => {
  test('v3 policies without types govern Ingress only, unless they have only egress rules', () => {
    const ingressDefault = PolicyModel.fromManifests([gnp('p', { selector: "app == 'web'" })]);
    expect(ingressDefault.policies[0].policyTypes).toEqual([PolicyType.INGRESS]);
    const egressOnly = PolicyModel.fromManifests([gnp('p', { selector: "app == 'web'", egress: [allow()] })]);
    expect(egressOnly.policies[0].policyTypes).toEqual([PolicyType.EGRESS]);
    const both = PolicyModel.fromManifests([gnp('p', { selector: "app == 'web'", ingress: [allow()], egress: [allow()] })]);
    expect(both.policies[0].policyTypes).toEqual([PolicyType.INGRESS, PolicyType.EGRESS]);
  });

  test('a CRD object without types governs both directions, as Felix reads it', () => {
    const model = PolicyModel.fromManifests([gnp('default.p', { selector: "app == 'web'" }, 'crd.projectcalico.org/v1')]);
    expect(model.policies[0].policyTypes).toEqual([PolicyType.INGRESS, PolicyType.EGRESS]);
    expect(model.policies[0].calicoName).toBe('default.p');
    expect(model.allows(tcp(WEB, API))).toBe(false);
  });

  test('explicit types ignore the rules of an ungoverned direction', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'web'", types: ['Ingress'], egress: [deny()] })]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
  });
});

describe('ordering', () => {
  const rules = (action: string) => ({ types: ['Ingress'], selector: "app == 'api'", ingress: [{ action }] });

  test('a lower order is evaluated first', () => {
    const model = PolicyModel.fromManifests([gnp('b-allow', { ...rules('Allow'), order: 20 }), gnp('a-deny', { ...rules('Deny'), order: 10 })]);
    const verdict = model.evaluate(tcp(WEB, API));
    expect(verdict.ingress.policyName).toBe('a-deny');
    expect(verdict.ingress.action).toBe(RuleAction.DENY);
    expect(model.policies.map(p => p.name)).toEqual(['a-deny', 'b-allow']);
  });

  test('a policy without order is evaluated after every policy with one', () => {
    const model = PolicyModel.fromManifests([gnp('a-unset', rules('Allow')), gnp('z-late', { ...rules('Deny'), order: 1e9 })]);
    expect(model.evaluate(tcp(WEB, API)).ingress.policyName).toBe('z-late');
    expect(model.policies.map(p => p.order)).toEqual([1e9, undefined]);
  });

  test('ties are broken by name', () => {
    const model = PolicyModel.fromManifests([gnp('b', { ...rules('Allow'), order: 5 }), gnp('a', { ...rules('Deny'), order: 5 })]);
    expect(model.evaluate(tcp(WEB, API)).ingress.policyName).toBe('a');
  });

  const tied = [cnp('org-1', 'aa', { ...rules('Allow'), order: 5 }), gnp('zz', { ...rules('Deny'), order: 5 })];

  test('on v3.31, ties compare the one name Felix keys a policy by: namespace/default.<name> for namespaced ones', () => {
    // "default.zz" < "org-1/default.aa": the global policy goes first although its name sorts last.
    const model = PolicyModel.fromManifests(tied, { calicoVersion: CalicoVersion.V3_31_7 });
    expect(model.evaluate(tcp(WEB, API)).ingress.policyName).toBe('zz');
    expect(model.policies.map(p => p.calicoName)).toEqual(['default.zz', 'default.aa']);
  });

  test('on v3.32 (the default), ties compare name/namespace/kind, with the name as written', () => {
    // "aa/org-1/NetworkPolicy" < "zz//GlobalNetworkPolicy".
    for (const model of [PolicyModel.fromManifests(tied), PolicyModel.fromManifests(tied, { calicoVersion: CalicoVersion.V3_32_1 })]) {
      expect(model.evaluate(tcp(WEB, API)).ingress.policyName).toBe('aa');
      expect(model.policies.map(p => p.calicoName)).toEqual(['aa', 'zz']);
    }
  });

  test('on v3.32, a policy keeps a dotted name as written; on v3.31, only a name without a dot gains default.', () => {
    const dotted = [gnp('default.b', { ...rules('Allow'), order: 5 }), gnp('c', { ...rules('Deny'), order: 5 })];
    const v31 = PolicyModel.fromManifests(dotted, { calicoVersion: CalicoVersion.V3_31_7 });
    expect(v31.policies.map(p => p.calicoName)).toEqual(['default.b', 'default.c']);
    const v32 = PolicyModel.fromManifests(dotted);
    expect(v32.policies.map(p => p.calicoName)).toEqual(['c', 'default.b']);
    expect(v32.evaluate(tcp(WEB, API)).ingress.action).toBe(RuleAction.DENY);
  });

  test('fromChart follows the chart\'s Calico version, unless the options name one', () => {
    const chart = new Chart(Testing.app(), 'v31');
    CalicoVersion.use(chart, CalicoVersion.V3_31_7);
    new GlobalNetworkPolicy(chart, 'p', { selector: Selector.has('app'), order: 5, ingress: [{ action: RuleAction.DENY }] });
    expect(PolicyModel.fromChart(chart).policies[0].calicoName).toMatch(/^default\./);
    expect(PolicyModel.fromChart(chart, { calicoVersion: CalicoVersion.V3_32_1 }).policies[0].calicoName).not.toMatch(/^default\./);
  });

  test('the verdict does not depend on the order of the manifests', () => {
    const manifests = [
      gnp('deny-80', { selector: "app == 'api'", order: 100, ingress: [deny({ protocol: 'TCP', destination: { ports: [80] } })] }),
      cnp('org-1', 'allow-web', { selector: "app == 'api'", order: 100, ingress: [allow({ source: { selector: "app == 'web'" } })] }),
      gnp('log-all', { selector: 'all()', order: 1, ingress: [{ action: 'Log' }] }),
      gnp('pass-8080', { selector: 'all()', order: 50, ingress: [{ action: 'Pass', protocol: 'TCP', destination: { ports: [8080] } }] }),
    ];
    const flows = [80, 443, 8080].map(port => tcp(WEB, API, port));
    const expected = flows.map(f => PolicyModel.fromManifests(manifests).evaluate(f).ingress.reason);
    fc.assert(fc.property(fc.shuffledSubarray(manifests, { minLength: manifests.length }), shuffled => {
      const model = PolicyModel.fromManifests(shuffled);
      expect(flows.map(f => model.evaluate(f).ingress.reason)).toEqual(expected);
    }), { numRuns: 30 });
  });
});

describe('properties', () => {
  const labelSets = fc.record({ app: fc.constantFrom('a', 'b', 'c'), tier: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }) })
    .map(l => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as { [k: string]: string });

  test('a deny-all Kubernetes NetworkPolicy isolates exactly the pods its matchLabels select', () => {
    fc.assert(fc.property(labelSets, labelSets, fc.constantFrom('org-1', 'org-2'), (selected, target, targetNs) => {
      const model = PolicyModel.fromManifests([{
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'org-1' },
        spec: { podSelector: { matchLabels: selected }, policyTypes: ['Ingress'] },
      }]);
      const isolated = targetNs === 'org-1' && Object.entries(selected).every(([k, v]) => target[k] === v);
      const verdict = model.evaluate(tcp(WEB, pod(targetNs, target)));
      expect(verdict.allowed).toBe(!isolated);
      expect(verdict.ingress.decidedBy).toBe(isolated ? DecisionBasis.END_OF_TIER : DecisionBasis.NO_POLICY);
    }), { numRuns: 200 });
  });

  test('a flow is allowed exactly when both directions allow it', () => {
    const model = PolicyModel.fromManifests([
      gnp('egress', { selector: "tier == 'x'", types: ['Egress'], egress: [allow({ destination: { selector: "app == 'a'" } })] }),
      gnp('ingress', { selector: "app == 'b'", types: ['Ingress'], ingress: [allow({ source: { selector: 'has(tier)' } })] }),
    ]);
    fc.assert(fc.property(labelSets, labelSets, fc.integer({ min: 1, max: 65535 }), (from, to, port) => {
      const verdict = model.evaluate(tcp(pod('org-1', from), pod('org-2', to), port));
      expect(verdict.allowed).toBe(verdict.egress.allowed && verdict.ingress.allowed);
      expect(verdict.egress.allowed).toBe(from.tier !== 'x' || to.app === 'a');
      expect(verdict.ingress.allowed).toBe(to.app !== 'b' || from.tier !== undefined);
    }), { numRuns: 200 });
  });
});

describe('actions', () => {
  test('Log records the rule and goes on to the next rule', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [{ action: 'Log' }, deny()] })]);
    const verdict = model.evaluate(tcp(WEB, API));
    expect(verdict.ingress.logged).toEqual(['GlobalNetworkPolicy p (order unset) ingress rule 0 (spec.ingress[0], Log)']);
    expect(verdict.ingress.ruleIndex).toBe(1);
    expect(verdict.ingress.action).toBe(RuleAction.DENY);
  });

  test('Pass skips the remaining policies and the namespace profile allows', () => {
    const model = PolicyModel.fromManifests([
      gnp('pass', { selector: "app == 'api'", order: 1, ingress: [{ action: 'Pass' }] }),
      gnp('deny', { selector: "app == 'api'", order: 2, ingress: [deny()] }),
    ]);
    const verdict = model.evaluate(tcp(WEB, API));
    expect(verdict.allowed).toBe(true);
    expect(verdict.ingress.decidedBy).toBe(DecisionBasis.PASS);
    expect(verdict.ingress.action).toBe(RuleAction.PASS);
    expect(verdict.ingress.policyName).toBe('pass');
  });

  test('Deny stops evaluation even when a later policy allows', () => {
    const model = PolicyModel.fromManifests([
      gnp('deny', { selector: "app == 'api'", order: 1, ingress: [deny()] }),
      gnp('allow', { selector: "app == 'api'", order: 2, ingress: [allow()] }),
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.reason).toBe('denied by GlobalNetworkPolicy deny (order 1) ingress rule 0 (spec.ingress[0], Deny)');
  });

  test('Allow in an earlier policy wins over a later Deny', () => {
    const model = PolicyModel.fromManifests([
      gnp('allow', { selector: "app == 'api'", order: 1, ingress: [allow()] }),
      gnp('deny', { selector: "app == 'api'", order: 2, ingress: [deny()] }),
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.policyName).toBe('allow');
  });
});

// ---------------------------------------------------------------------------------------------
// Namespaces
// ---------------------------------------------------------------------------------------------

describe('namespaced Calico NetworkPolicy', () => {
  const isolate = cnp('org-1', 'isolate', { selector: 'all()', types: ['Ingress'] });

  test('applies only to endpoints in its namespace', () => {
    const model = PolicyModel.fromManifests([isolate]);
    expect(model.allows(tcp(WEB, API))).toBe(false);
    expect(model.allows(tcp(WEB, pod('org-2', { app: 'api' })))).toBe(true);
  });

  test('an empty selector selects every endpoint of its namespace', () => {
    const model = PolicyModel.fromManifests([cnp('org-1', 'isolate', { types: ['Ingress'] })]);
    expect(model.allows(tcp(WEB, API))).toBe(false);
    expect(model.allows(tcp(WEB, pod('org-2')))).toBe(true);
  });

  test('rule selectors match only its own namespace unless a namespaceSelector is given', () => {
    const sameNs = PolicyModel.fromManifests([cnp('org-1', 'p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "app == 'web'" } })] })]);
    expect(sameNs.allows(tcp(WEB, API))).toBe(true);
    expect(sameNs.allows(tcp(OTHER_NS_WEB, API))).toBe(false);

    const anyNs = PolicyModel.fromManifests([cnp('org-1', 'p', {
      selector: "app == 'api'", ingress: [allow({ source: { selector: "app == 'web'", namespaceSelector: 'all()' } })],
    })]);
    expect(anyNs.allows(tcp(OTHER_NS_WEB, API))).toBe(true);
  });

  test('a notSelector alone still limits the rule to its own namespace', () => {
    const model = PolicyModel.fromManifests([cnp('org-1', 'p', { selector: "app == 'api'", ingress: [allow({ source: { notSelector: "app == 'bad'" } })] })]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
    expect(model.allows(tcp(pod('org-1', { app: 'bad' }), API))).toBe(false);
    expect(model.allows(tcp(OTHER_NS_WEB, API))).toBe(false);
  });

  test('a rule with only nets matches those addresses in every namespace', () => {
    const model = PolicyModel.fromManifests([cnp('org-1', 'p', { selector: "app == 'api'", ingress: [allow({ source: { nets: ['10.2.0.0/16'] } })] })]);
    expect(model.allows(tcp({ ...OTHER_NS_WEB, ip: '10.2.0.9' }, API))).toBe(true);
    expect(model.allows(tcp({ ip: '10.2.0.9' }, API))).toBe(true);
    expect(model.allows(tcp({ ip: '10.3.0.9' }, API))).toBe(false);
  });
});

describe('GlobalNetworkPolicy', () => {
  test('rule selectors match endpoints in any namespace', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "app == 'web'" } })] })]);
    expect(model.allows(tcp(OTHER_NS_WEB, API))).toBe(true);
    expect(model.allows(tcp(pod('org-2', { app: 'db' }), API))).toBe(false);
  });

  test('a policy namespaceSelector picks endpoints by their namespace labels', () => {
    // The shape of Calico's recommended default deny.
    const model = PolicyModel.fromManifests([gnp('default-deny', {
      order: 2000,
      namespaceSelector: 'has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "calico-system"}',
      types: ['Ingress', 'Egress'],
      egress: [allow({ protocol: 'UDP', destination: { selector: "k8s-app == 'kube-dns'", ports: [53] } })],
    })]);
    const dns = pod('kube-system', { 'k8s-app': 'kube-dns' });
    expect(model.allows({ source: WEB, destination: dns, protocol: 'UDP', port: 53 })).toBe(true);
    expect(model.allows(tcp(WEB, dns, 53))).toBe(false);
    expect(model.allows(tcp(WEB, OTHER_NS_WEB))).toBe(false);
    expect(model.allows(tcp(pod('kube-system', { app: 'x' }), pod('kube-system', { app: 'y' })))).toBe(true);
  });

  test('a policy namespaceSelector of all() selects workloads in every namespace', () => {
    const model = PolicyModel.fromManifests([gnp('p', { namespaceSelector: 'all()', types: ['Ingress'] })]);
    expect(model.allows(tcp(WEB, OTHER_NS_WEB))).toBe(false);
  });
});

describe('namespace labels', () => {
  test('namespaceSelector matches the labels of a Namespace manifest', () => {
    const model = PolicyModel.fromManifests([
      namespace('prod', { purpose: 'production' }),
      namespace('dev', { purpose: 'testing' }),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { namespaceSelector: "purpose == 'production'" } })] }),
    ]);
    expect(model.allows(tcp(pod('prod'), API))).toBe(true);
    expect(model.allows(tcp(pod('dev'), API))).toBe(false);
    expect(model.allows(tcp(pod('undeclared'), API))).toBe(false);
  });

  test('every namespace carries projectcalico.org/name and kubernetes.io/metadata.name, declared or not', () => {
    for (const key of ['projectcalico.org/name', 'kubernetes.io/metadata.name']) {
      const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { namespaceSelector: `${key} == 'org-2'` } })] })]);
      expect(model.allows(tcp(OTHER_NS_WEB, API))).toBe(true);
      expect(model.allows(tcp(WEB, API))).toBe(false);
    }
  });

  test('kubernetes.io/metadata.name always holds the name, whatever the manifest says', () => {
    const model = PolicyModel.fromManifests([
      namespace('org-2', { 'kubernetes.io/metadata.name': 'spoofed' }),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { namespaceSelector: "kubernetes.io/metadata.name == 'spoofed'" } })] }),
    ]);
    expect(model.allows(tcp(OTHER_NS_WEB, API))).toBe(false);
  });

  test('a rule namespaceSelector of global() matches global network sets, not workloads', () => {
    const model = PolicyModel.fromManifests([
      globalSet('corp', { zone: 'corp' }, ['192.0.2.0/24']),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { namespaceSelector: 'global()' } })] }),
    ]);
    expect(model.allows(tcp({ ip: '192.0.2.10' }, API))).toBe(true);
    expect(model.allows(tcp(WEB, API))).toBe(false);
  });

  test('a rule namespaceSelector of all() matches workloads in every namespace, not global network sets', () => {
    const model = PolicyModel.fromManifests([
      globalSet('corp', { zone: 'corp' }, ['192.0.2.0/24']),
      cnp('org-1', 'p', { selector: "app == 'api'", ingress: [allow({ source: { namespaceSelector: 'all()' } })] }),
    ]);
    expect(model.allows(tcp(OTHER_NS_WEB, API))).toBe(true);
    expect(model.allows(tcp({ ip: '192.0.2.10' }, API))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Service accounts
// ---------------------------------------------------------------------------------------------

describe('service accounts', () => {
  const saRule = (serviceAccounts: any) => gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { serviceAccounts } })] });

  test('rules match service accounts by name', () => {
    const model = PolicyModel.fromManifests([saRule({ names: ['web', 'admin'] })]);
    expect(model.allows(tcp({ ...WEB, serviceAccount: 'web' }, API))).toBe(true);
    expect(model.allows(tcp({ ...WEB, serviceAccount: 'other' }, API))).toBe(false);
  });

  test('a pod without serviceAccount runs as the default service account', () => {
    const model = PolicyModel.fromManifests([saRule({ names: ['default'] })]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
  });

  test('rules match service accounts by the labels of their ServiceAccount manifest', () => {
    const model = PolicyModel.fromManifests([serviceAccount('org-1', 'web', { team: 'blue' }), saRule({ selector: "team == 'blue'" })]);
    expect(model.allows(tcp({ ...WEB, serviceAccount: 'web' }, API))).toBe(true);
    expect(model.allows(tcp({ ...OTHER_NS_WEB, serviceAccount: 'web' }, API))).toBe(false);
  });

  test('names and selector must both match', () => {
    const model = PolicyModel.fromManifests([
      serviceAccount('org-1', 'web', { team: 'blue' }),
      serviceAccount('org-1', 'api', { team: 'blue' }),
      saRule({ names: ['web'], selector: "team == 'blue'" }),
    ]);
    expect(model.allows(tcp({ ...WEB, serviceAccount: 'web' }, API))).toBe(true);
    expect(model.allows(tcp({ ...WEB, serviceAccount: 'api' }, API))).toBe(false);
  });

  test('a policy serviceAccountSelector selects endpoints by their service account labels', () => {
    const model = PolicyModel.fromManifests([
      serviceAccount('org-1', 'locked', { locked: 'true' }),
      gnp('p', { serviceAccountSelector: "locked == 'true'", types: ['Ingress'] }),
    ]);
    expect(model.allows(tcp(WEB, { ...API, serviceAccount: 'locked' }))).toBe(false);
    expect(model.allows(tcp(WEB, API))).toBe(true);
  });

  test('the projectcalico.org/name of a service account is its name', () => {
    const model = PolicyModel.fromManifests([cnp('org-1', 'p', { serviceAccountSelector: "projectcalico.org/name == 'api'", types: ['Ingress'] })]);
    expect(model.allows(tcp(WEB, { ...API, serviceAccount: 'api' }))).toBe(false);
    expect(model.allows(tcp(WEB, API))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Network sets, nets and addresses
// ---------------------------------------------------------------------------------------------

describe('network sets', () => {
  test('a selector matches addresses in the nets of a GlobalNetworkSet with matching labels', () => {
    const model = PolicyModel.fromManifests([
      globalSet('partners', { role: 'partner' }, ['198.51.100.0/24', '2001:db8::/32']),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "role == 'partner'" } })] }),
    ]);
    expect(model.allows(tcp({ ip: '198.51.100.20' }, API))).toBe(true);
    expect(model.allows(tcp({ ip: '2001:db8::7' }, API))).toBe(true);
    expect(model.allows(tcp({ ip: '203.0.113.1' }, API))).toBe(false);
  });

  test('a workload whose address lies in a selected network set matches too', () => {
    const model = PolicyModel.fromManifests([
      globalSet('pods', { role: 'trusted' }, ['10.10.0.0/16']),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "role == 'trusted'" } })] }),
    ]);
    expect(model.allows(tcp({ ...WEB, ip: '10.10.3.4' }, API))).toBe(true);
    expect(model.allows(tcp(WEB, API))).toBe(false);
  });

  test('a namespaced NetworkSet is matched by rules of its namespace, not by those of another', () => {
    const set = networkSet('org-1', 'office', { site: 'office' }, ['192.0.2.0/24']);
    const same = PolicyModel.fromManifests([set, cnp('org-1', 'p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "site == 'office'" } })] })]);
    expect(same.allows(tcp({ ip: '192.0.2.8' }, API))).toBe(true);
    const other = PolicyModel.fromManifests([set, cnp('org-2', 'p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "site == 'office'" } })] })]);
    expect(other.allows(tcp({ ip: '192.0.2.8' }, pod('org-2', { app: 'api' })))).toBe(false);
  });

  test('a namespaced NetworkSet inherits its namespace labels', () => {
    const model = PolicyModel.fromManifests([
      namespace('org-1', { tenant: 'one' }),
      networkSet('org-1', 'office', { site: 'office' }, ['192.0.2.0/24']),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "site == 'office'", namespaceSelector: "tenant == 'one'" } })] }),
    ]);
    expect(model.allows(tcp({ ip: '192.0.2.8' }, API))).toBe(true);
  });

  test('an address is matched as the model workload that has it', () => {
    const podManifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'org-1', labels: { app: 'web' } }, spec: {}, status: { podIP: '10.4.0.7' } };
    const model = PolicyModel.fromManifests([podManifest, gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { selector: "app == 'web'" } })] })]);
    expect(model.allows(tcp({ ip: '10.4.0.7' }, API))).toBe(true);
    expect(model.allows(tcp({ ip: '10.4.0.8' }, API))).toBe(false);
  });
});

describe('nets and notNets', () => {
  const model = PolicyModel.fromManifests([gnp('p', {
    selector: "app == 'api'",
    ingress: [allow({ source: { nets: ['10.0.0.0/8'], notNets: ['10.9.0.0/16'] } })],
  })]);

  test('match addresses inside nets and not inside notNets', () => {
    expect(model.allows(tcp({ ip: '10.1.2.3' }, API))).toBe(true);
    expect(model.allows(tcp({ ip: '10.9.2.3' }, API))).toBe(false);
    expect(model.allows(tcp({ ip: '11.0.0.1' }, API))).toBe(false);
  });

  test('a workload without an address is only in nets that hold every address', () => {
    expect(model.allows(tcp(WEB, API))).toBe(false);
    const everything = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { nets: ['0.0.0.0/0'] } })] })]);
    expect(everything.allows(tcp(WEB, API))).toBe(true);
    const notEverything = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { notNets: ['10.0.0.0/8'] } })] })]);
    expect(notEverything.allows(tcp(WEB, API))).toBe(true);
  });

  test('a workload without an address is not in a ::/0 net of an IPv4 flow', () => {
    const v6 = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { nets: ['::/0', '10.0.0.0/8'] } })] })]);
    expect(v6.allows(tcp(WEB, API))).toBe(false);
    expect(v6.allows(tcp({ ...WEB, ip: 'fd00::1' }, { ...API, ip: 'fd00::2' }))).toBe(true);
  });

  test('a rule whose nets are all of the other family does not apply', () => {
    const v6only = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [deny({ source: { notNets: ['fd00::/8'] } }), allow()] })]);
    const verdict = v6only.evaluate(tcp({ ip: '10.0.0.1' }, API));
    expect(verdict.ingress.ruleIndex).toBe(1);
    expect(verdict.ingress.trace[0]).toContain('notNets are all IPv6');
  });

  test('mixing address families in one flow is refused', () => {
    const e = errorOf(() => model.evaluate(tcp({ ip: '10.0.0.1' }, { ...API, ip: 'fd00::1' })));
    expect(e.message).toContain('give both ends addresses of one family');
  });
});

describe('selectors and notSelector', () => {
  test('a notSelector with a selector excludes what it selects', () => {
    const model = PolicyModel.fromManifests([gnp('p', {
      selector: "app == 'api'", ingress: [allow({ source: { selector: 'has(app)', notSelector: "app == 'bad'" } })],
    })]);
    expect(model.allows(tcp(WEB, API))).toBe(true);
    expect(model.allows(tcp(pod('org-1', { app: 'bad' }), API))).toBe(false);
  });

  test('a notSelector alone also matches traffic from addresses outside the cluster', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { notSelector: "app == 'bad'" } })] })]);
    expect(model.allows(tcp({ ip: '203.0.113.9' }, API))).toBe(true);
    expect(model.allows(tcp(pod('org-1', { app: 'bad' }), API))).toBe(false);
  });

  test('Calico labels are selectable: namespace, orchestrator, service account', () => {
    const model = PolicyModel.fromManifests([gnp('p', {
      selector: "projectcalico.org/namespace == 'org-1' && projectcalico.org/orchestrator == 'k8s'",
      types: ['Ingress'],
    })]);
    expect(model.allows(tcp(OTHER_NS_WEB, API))).toBe(false);
    expect(model.allows(tcp(WEB, OTHER_NS_WEB))).toBe(true);
  });

  test('a destination selector in an ingress rule tests the endpoint itself', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: 'has(app)', ingress: [allow({ destination: { selector: "tier == 'front'" } })] })]);
    expect(model.allows(tcp(WEB, pod('org-1', { app: 'x', tier: 'front' })))).toBe(true);
    expect(model.allows(tcp(WEB, API))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Protocols, ports, ICMP
// ---------------------------------------------------------------------------------------------

describe('protocols', () => {
  test('protocol and notProtocol', () => {
    const model = PolicyModel.fromManifests([gnp('p', {
      selector: "app == 'api'", ingress: [deny({ notProtocol: 'TCP', protocol: 17 }), allow({ notProtocol: 'SCTP' })],
    })]);
    expect(model.allows({ source: WEB, destination: API, protocol: 'udp', port: 53 })).toBe(false);
    expect(model.allows({ source: WEB, destination: API, protocol: 'SCTP', port: 9 })).toBe(false);
    expect(model.allows(tcp(WEB, API))).toBe(true);
  });

  test('ICMP type and code, and notICMP', () => {
    const model = PolicyModel.fromManifests([gnp('p', {
      selector: "app == 'api'",
      ingress: [
        deny({ protocol: 'ICMP', icmp: { type: 3, code: 4 } }),
        allow({ protocol: 'ICMP', notICMP: { type: 5 } }),
      ],
    })]);
    const ping = { source: WEB, destination: API, protocol: 'ICMP', icmpType: 8 };
    expect(model.allows(ping)).toBe(true);
    expect(model.allows({ ...ping, icmpType: 3, icmpCode: 4 })).toBe(false);
    expect(model.evaluate({ ...ping, icmpType: 3, icmpCode: 1 }).ingress.ruleIndex).toBe(1);
    expect(model.allows({ ...ping, icmpType: 5 })).toBe(false);
  });

  test('a rule with an ICMP type does not match a flow that gives none', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ protocol: 'ICMP', icmp: { type: 8 } })] })]);
    const verdict = model.evaluate({ source: WEB, destination: API, protocol: 'ICMP' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.ingress.trace[0]).toContain('set icmpType');
  });

  test('ipVersion restricts a rule to one family', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ ipVersion: 6 })] })]);
    expect(model.allows(tcp(WEB, API))).toBe(false);
    expect(model.allows(tcp({ ip: 'fd00::1' }, API))).toBe(true);
  });
});

describe('ports', () => {
  test('ports, ranges and notPorts', () => {
    const model = PolicyModel.fromManifests([gnp('p', {
      selector: "app == 'api'",
      ingress: [allow({ protocol: 'TCP', destination: { ports: [80, '8000:8100'], notPorts: ['8080'] } })],
    })]);
    expect([80, 81, 8000, 8050, 8080, 8100, 8101].map(port => model.allows(tcp(WEB, API, port))))
      .toEqual([true, false, true, true, false, true, false]);
  });

  test('named ports resolve to the destination workload\'s container port of that name', () => {
    const manifests = [
      deployment('org-1', 'api', { app: 'api' }, { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] }),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ protocol: 'TCP', destination: { ports: ['http'] } }), allow({ protocol: 'UDP', destination: { ports: ['dns'] } })] }),
    ];
    const model = PolicyModel.fromManifests(manifests);
    expect(model.allows(tcp(WEB, API, 8080))).toBe(true);
    expect(model.allows(tcp(WEB, API, 80))).toBe(false);
    expect(model.allows({ source: WEB, destination: API, protocol: 'UDP', port: 53 })).toBe(true);
    expect(model.evaluate(tcp(WEB, API, 53)).ingress.trace[0]).toContain('port 53 is not in [http] (http is TCP 8080 on org-1 {app=api})');
    const portless = pod('org-1', { app: 'api', extra: 'x' });
    expect(model.evaluate(tcp(WEB, portless, 8080)).ingress.trace[0]).toContain('org-1 {app=api,extra=x} declares no port named http');
    // A workload named by workloadName brings its ports too.
    expect(model.allows(tcp(WEB, { namespaceName: 'org-1', workloadName: 'api' }, 8080))).toBe(true);
  });

  test('named ports include the init containers\' ports, after the containers\' (v3.31 and v3.32)', () => {
    const manifests = [
      deployment('org-1', 'api', { app: 'api' }, {
        containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }],
        initContainers: [{ name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }, { name: 'http', containerPort: 9090 }] }],
      }),
      gnp('p', { selector: "app == 'api'", ingress: [allow({ protocol: 'TCP', destination: { ports: ['proxy'] } })] }),
    ];
    for (const calicoVersion of [CalicoVersion.V3_31_7, CalicoVersion.V3_32_1]) {
      const model = PolicyModel.fromManifests(manifests, { calicoVersion });
      expect(model.workload('org-1', 'api').namedPorts).toEqual([
        { name: 'http', port: 8080, protocol: 'TCP' }, { name: 'proxy', port: 15001, protocol: 'TCP' }, { name: 'http', port: 9090, protocol: 'TCP' },
      ]);
      expect(model.allows(tcp(WEB, { namespaceName: 'org-1', workloadName: 'api' }, 15001))).toBe(true);
    }
  });

  test('a named port must have the rule\'s protocol', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ protocol: 'UDP', destination: { ports: ['http'] } })] })]);
    const end = { ...API, namedPorts: [{ name: 'http', port: 8080 }] };
    expect(model.allows({ source: WEB, destination: end, protocol: 'UDP', port: 8080 })).toBe(false);
    expect(model.allows({ source: WEB, destination: { ...end, namedPorts: [{ name: 'http', port: 8080, protocol: 'UDP' }] }, protocol: 'UDP', port: 8080 })).toBe(true);
  });

  test('named notPorts exclude the named port of the destination', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ protocol: 'TCP', destination: { notPorts: ['admin'] } })] })]);
    const end = { ...API, namedPorts: [{ name: 'admin', port: 9000 }] };
    expect(model.allows(tcp(WEB, end, 9000))).toBe(false);
    expect(model.allows(tcp(WEB, end, 9001))).toBe(true);
  });

  test('source ports match only a known source port', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ protocol: 'TCP', source: { ports: [53] } })] })]);
    expect(model.allows({ ...tcp(WEB, API), sourcePort: 53 })).toBe(true);
    expect(model.allows(tcp(WEB, API))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// What the model does not cover, and input errors
// ---------------------------------------------------------------------------------------------

describe('limits', () => {
  test('doNotTrack and preDNAT policies only apply to host endpoints', () => {
    const model = PolicyModel.fromManifests([
      gnp('untracked', { selector: 'all()', doNotTrack: true, applyOnForward: true, ingress: [deny()] }),
      gnp('prednat', { selector: 'all()', preDNAT: true, applyOnForward: true, ingress: [deny()] }),
    ]);
    expect(model.evaluate(tcp(WEB, API)).ingress.decidedBy).toBe(DecisionBasis.NO_POLICY);
  });

  test('rules matching Kubernetes Services are reported and do not match', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'web'", egress: [allow({ destination: { services: { name: 'kubernetes', namespace: 'default' } } })] })]);
    const verdict = model.evaluate(tcp(WEB, API, 443));
    expect(verdict.allowed).toBe(false);
    expect(verdict.warnings[0]).toContain('Kubernetes Service default/kubernetes');
  });

  test('HTTP criteria are reported and not evaluated', () => {
    const model = PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ http: { methods: ['GET'] } })] })]);
    const verdict = model.evaluate(tcp(WEB, API));
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings[0]).toContain('http criteria');
  });
});

describe('input errors', () => {
  test('a bad selector names the policy and the field', () => {
    const e = errorOf(() => PolicyModel.fromManifests([gnp('p', { selector: "app == 'api'", ingress: [allow({ source: { selector: 'app ==' } })] })]));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toContain("GlobalNetworkPolicy 'p': spec.ingress[0].source.selector: invalid selector");
  });

  test('a bad CIDR, port or action names the field', () => {
    expect(errorOf(() => PolicyModel.fromManifests([gnp('p', { ingress: [allow({ source: { nets: ['10.0.0.0/33'] } })] })])).message)
      .toContain('spec.ingress[0].source.nets[0]: "10.0.0.0/33" is not a CIDR');
    expect(errorOf(() => PolicyModel.fromManifests([gnp('p', { ingress: [allow({ protocol: 'TCP', destination: { ports: [70000] } })] })])).message)
      .toContain('spec.ingress[0].destination.ports[0]: port 70000 is out of range');
    expect(errorOf(() => PolicyModel.fromManifests([gnp('p', { ingress: [{ action: 'allow' }] })])).message)
      .toContain('spec.ingress[0].action: "allow" is not a rule action; use Allow, Deny, Log or Pass');
  });

  test('fromManifests needs a list of objects', () => {
    expect(errorOf(() => PolicyModel.fromManifests({} as any)).message).toContain('needs a list of manifest objects');
    expect(errorOf(() => PolicyModel.fromManifests([42])).message).toContain('manifest 0 is not an object');
  });

  test('flows must be complete and consistent', () => {
    const model = PolicyModel.fromManifests([]);
    expect(errorOf(() => model.evaluate({ source: WEB, destination: API })).message).toContain('flow.port is missing');
    expect(errorOf(() => model.evaluate({ source: WEB, destination: API, protocol: 'ICMP', port: 1 })).message).toContain('ICMP has no ports');
    expect(errorOf(() => model.evaluate(tcp({}, API))).message).toContain('flow.source is empty');
    expect(errorOf(() => model.evaluate(tcp({ ip: 'nope' }, API))).message).toContain('"nope" is not an IP address');
    expect(errorOf(() => model.evaluate(tcp(WEB, API, 0))).message).toContain('flow.port 0 is out of range');
    expect(errorOf(() => model.evaluate({ source: WEB, destination: API, protocol: 'GRE', port: 1 })).message).toContain("protocol name 'GRE'");
    expect(errorOf(() => model.evaluate(tcp({ namespace: 'org-1', labels: {} } as any, API))).message)
      .toContain("flow.source has no field 'namespace'; did you mean namespaceName?");
    expect(errorOf(() => model.evaluate({ ...tcp(WEB, API), dport: 80 } as any)).message).toContain("flow has no field 'dport'; did you mean port?");
    expect(errorOf(() => model.evaluate(tcp({ namespaceName: 'org-1', workloadName: 'nope' }, API))).message)
      .toContain("flow.source.workloadName: the model has no workload 'nope' in namespace 'org-1'");
  });
});

// ---------------------------------------------------------------------------------------------
// Workloads of the model
// ---------------------------------------------------------------------------------------------

describe('workloads', () => {
  const manifests = [
    deployment('org-1', 'web', { app: 'web' }, { serviceAccountName: 'web-sa', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] }),
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'org-1' }, spec: { template: { metadata: { labels: { app: 'db' } }, spec: {} } } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { hostNetwork: true } } } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'org-1' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'backup' } }, spec: {} } } } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', labels: { app: 'debug' } }, spec: {}, status: { podIPs: [{ ip: '10.0.0.9' }] } },
  ];
  const model = PolicyModel.fromManifests(manifests);

  test('come from Pods and the pod templates of controllers, host-network pods excluded', () => {
    expect(model.workloads.map(w => `${w.namespaceName}/${w.workloadName}`)).toEqual(['org-1/web', 'org-1/db', 'org-1/backup', 'default/debug']);
  });

  test('carry labels, service account (default: default), named ports and a Pod\'s address', () => {
    expect(model.workload('org-1', 'web')).toEqual({
      workloadName: 'web', namespaceName: 'org-1', labels: { app: 'web' }, serviceAccount: 'web-sa', ip: undefined,
      namedPorts: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
    expect(model.workload('org-1', 'db').serviceAccount).toBe('default');
    expect(model.workload('default', 'debug').ip).toBe('10.0.0.9');
  });

  test('a host-network workload cannot be an end', () => {
    expect(errorOf(() => model.workload('kube-system', 'agent')).message).toContain('uses the host network');
  });

  test('an ad-hoc end with labels borrows the named ports of matching model workloads', () => {
    const withPolicy = PolicyModel.fromManifests([...manifests, gnp('p', { selector: "app == 'web'", ingress: [allow({ protocol: 'TCP', destination: { ports: ['http'] } })] })]);
    expect(withPolicy.allows(tcp(API, WEB, 8080))).toBe(true);
    expect(withPolicy.allows(tcp(API, pod('org-2', { app: 'web' }), 8080))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The library's own constructs
// ---------------------------------------------------------------------------------------------

describe('policies built with the library', () => {
  function chart(api?: CalicoApiVersion): Chart {
    const c = new Chart(Testing.app(), 'test');
    if (api) CalicoApi.use(c, api);
    new GlobalNetworkPolicy(c, 'deny-org-2-egress', {
      order: 100,
      selector: Selector.has('app'),
      namespaceSelector: Selector.eq('projectcalico.org/name', 'org-2'),
      policyTypes: [PolicyType.EGRESS],
      egress: [{ action: RuleAction.ALLOW, protocol: Protocol.UDP, destination: { ports: [Port.udp(53)] } }],
    });
    new NetworkPolicy(c, 'web', {
      namespaceName: 'org-1',
      selector: Selector.eq('app', 'web'),
      ingress: [{ action: RuleAction.ALLOW, source: { selector: Selector.eq('app', 'lb'), namespaceSelector: Selector.all() }, destination: { ports: [Port.tcp(8080)] } }],
    });
    new GlobalNetworkSet(c, 'partners', { labels: { role: 'partner' }, nets: ['198.51.100.0/24'] });
    return c;
  }

  for (const api of [undefined, CalicoApiVersion.CRD_V1]) {
    test(`are read from a chart (${api ?? 'projectcalico.org/v3'})`, () => {
      const model = PolicyModel.fromChart(chart(api));
      expect(model.policies.map(p => [p.kind, p.name.replace(/^default\./, '')])).toEqual([
        [PolicyKind.GLOBAL_NETWORK_POLICY, 'deny-org-2-egress'],
        [PolicyKind.NETWORK_POLICY, 'web'],
      ]);
      expect(model.allows(tcp(pod('org-2', { app: 'lb' }), pod('org-1', { app: 'web' }), 8080))).toBe(false);
      expect(model.allows(tcp(pod('org-3', { app: 'lb' }), pod('org-1', { app: 'web' }), 8080))).toBe(true);
      expect(model.allows(tcp(pod('org-3', { app: 'lb' }), pod('org-1', { app: 'web' }), 80))).toBe(false);
      expect(model.allows({ source: pod('org-2', { app: 'x' }), destination: { ip: '198.51.100.1' }, protocol: 'UDP', port: 53 })).toBe(true);
    });
  }
});
