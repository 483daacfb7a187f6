// Kubernetes NetworkPolicy (networking.k8s.io/v1) as Calico v3.31 and v3.32 translate and
// enforce it (libcalico-go K8sNetworkPolicyToCalico: the same rules on both lines; v3.32 keeps the
// policy's name and keys it by kind instead of naming it knp.default.<name>).
import * as YAML from 'yaml';
import { CalicoVersion, RuleAction } from '../../src';
import { DecisionBasis, Flow, FlowEnd, PolicyKind, PolicyModel } from '../../src/analysis/policy-model';
import { errorOf } from '../support/util';

function knp(ns: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

function namespace(name: string, labels: { [k: string]: string }): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function pod(ns: string, labels: { [k: string]: string } = {}, extra: Partial<FlowEnd> = {}): FlowEnd {
  return { namespaceName: ns, labels, ...extra };
}

function flow(source: FlowEnd, destination: FlowEnd, port = 80, protocol = 'TCP'): Flow {
  return { source, destination, protocol, port };
}

const DB = pod('shop', { app: 'db' });
const API = pod('shop', { app: 'api' });
const OUTSIDE = { ip: '203.0.113.7' };
const OTHER = pod('other', { app: 'api' });

describe('translation', () => {
  const manifests = [knp('shop', 'db-ingress', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] })];
  const model = PolicyModel.fromManifests(manifests, { calicoVersion: CalicoVersion.V3_31_7 });

  test('runs as Calico NetworkPolicy knp.default.<name> at order 1000 on v3.31', () => {
    expect(model.policies).toEqual([{
      name: 'db-ingress', kind: PolicyKind.KUBERNETES_NETWORK_POLICY, namespaceName: 'shop', calicoName: 'knp.default.db-ingress', order: 1000,
      policyTypes: ['Ingress'], tier: 'default', staged: false,
    }]);
  });

  test('keeps its own name at order 1000 on v3.32 (the default)', () => {
    expect(PolicyModel.fromManifests(manifests).policies).toEqual([{
      name: 'db-ingress', kind: PolicyKind.KUBERNETES_NETWORK_POLICY, namespaceName: 'shop', calicoName: 'db-ingress', order: 1000,
      policyTypes: ['Ingress'], tier: 'default', staged: false,
    }]);
  });

  test('ties with a Calico NetworkPolicy of the same name break the other way on each line', () => {
    // v3.31: "shop/default.db" < "shop/knp.default.db"; v3.32: "db/shop/KubernetesNetworkPolicy" < "db/shop/NetworkPolicy".
    const tie = [
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' },
        spec: { order: 1000, selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Deny' }] } },
      knp('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] }),
    ];
    const v31 = PolicyModel.fromManifests(tie, { calicoVersion: CalicoVersion.V3_31_7 });
    expect(v31.policies.map(p => p.kind)).toEqual([PolicyKind.NETWORK_POLICY, PolicyKind.KUBERNETES_NETWORK_POLICY]);
    expect(v31.allows(flow(API, DB))).toBe(false);
    const v32 = PolicyModel.fromManifests(tie, { calicoVersion: CalicoVersion.V3_32_1 });
    expect(v32.policies.map(p => p.kind)).toEqual([PolicyKind.KUBERNETES_NETWORK_POLICY, PolicyKind.NETWORK_POLICY]);
    expect(v32.allows(flow(API, DB))).toBe(true);
  });

  test('reports the deciding rule with its manifest path', () => {
    const verdict = model.evaluate(flow(API, DB));
    expect(verdict.ingress).toMatchObject({
      policyName: 'db-ingress', policyKind: PolicyKind.KUBERNETES_NETWORK_POLICY, policyNamespace: 'shop', calicoPolicyName: 'knp.default.db-ingress',
      ruleIndex: 0, rulePath: 'spec.ingress[0]', action: RuleAction.ALLOW, decidedBy: DecisionBasis.RULE,
    });
    expect(verdict.ingress.reason).toBe('allowed by Kubernetes NetworkPolicy shop/db-ingress (order 1000) ingress rule 0 (spec.ingress[0], Allow)');
  });

  test('a policy selects only pods of its own namespace', () => {
    const isolate = PolicyModel.fromManifests([knp('shop', 'isolate', { podSelector: {} })]);
    expect(isolate.allows(flow(API, DB))).toBe(false);
    expect(isolate.allows(flow(API, OTHER))).toBe(true);
  });
});

describe('podSelector', () => {
  test('an empty podSelector selects every pod of the namespace', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })]);
    expect(model.allows(flow(API, DB))).toBe(false);
    expect(model.allows(flow(DB, API))).toBe(false);
  });

  test('matchLabels must all match', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'deny', { podSelector: { matchLabels: { app: 'db', env: 'prod' } } })]);
    expect(model.allows(flow(API, DB))).toBe(true);
    expect(model.allows(flow(API, pod('shop', { app: 'db', env: 'prod' })))).toBe(false);
  });

  test('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const selectorOf = (expr: any) => PolicyModel.fromManifests([knp('shop', 'deny', { podSelector: { matchExpressions: [expr] } })]);
    const isolated = (model: PolicyModel, labels: { [k: string]: string }) => !model.allows(flow(API, pod('shop', labels)));
    const within = selectorOf({ key: 'tier', operator: 'In', values: ['a', 'b'] });
    expect([isolated(within, { tier: 'a' }), isolated(within, { tier: 'c' }), isolated(within, {})]).toEqual([true, false, false]);
    const notIn = selectorOf({ key: 'tier', operator: 'NotIn', values: ['a'] });
    expect([isolated(notIn, { tier: 'a' }), isolated(notIn, { tier: 'c' }), isolated(notIn, {})]).toEqual([false, true, true]);
    const exists = selectorOf({ key: 'tier', operator: 'Exists' });
    expect([isolated(exists, { tier: 'a' }), isolated(exists, {})]).toEqual([true, false]);
    const absent = selectorOf({ key: 'tier', operator: 'DoesNotExist' });
    expect([isolated(absent, { tier: 'a' }), isolated(absent, {})]).toEqual([false, true]);
  });

  test('a YAML podSelector with a null matchLabels selects every pod', () => {
    const manifest = YAML.parse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: default-deny-all
  namespace: shop
spec:
  podSelector:
    matchLabels:
`);
    expect(PolicyModel.fromManifests([manifest]).allows(flow(API, DB))).toBe(false);
  });
});

describe('ingress and egress lists', () => {
  test('absent ingress with no policyTypes isolates the pods for ingress (types default to Ingress)', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: { matchLabels: { app: 'db' } } })]);
    expect(model.policies[0].policyTypes).toEqual(['Ingress']);
    expect(model.allows(flow(API, DB))).toBe(false);
    expect(model.allows(flow(DB, API))).toBe(true);
  });

  test('egress rules without policyTypes make the policy govern both directions', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: { matchLabels: { app: 'db' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })]);
    expect(model.policies[0].policyTypes).toEqual(['Ingress', 'Egress']);
    expect(model.allows(flow(DB, API))).toBe(false);
    expect(model.allows({ source: DB, destination: OUTSIDE, protocol: 'UDP', port: 53 })).toBe(true);
  });

  test('ingress: [] denies all ingress; ingress: [{}] allows everything, addresses outside included', () => {
    const denyAll = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [] })]);
    expect(denyAll.allows(flow(API, DB))).toBe(false);
    const allowAll = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{}] })]);
    expect(allowAll.allows(flow(OTHER, DB))).toBe(true);
    expect(allowAll.allows(flow(OUTSIDE, DB, 8443))).toBe(true);
  });

  test('from: [] allows every source, like an absent from', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ from: [], ports: [{ port: 80 }] }] })]);
    expect(model.allows(flow(OUTSIDE, DB))).toBe(true);
    expect(model.allows(flow(OTHER, DB))).toBe(true);
    expect(model.allows(flow(OTHER, DB, 81))).toBe(false);
  });

  test('policyTypes [Egress] leaves ingress open and egress: [] denies all egress', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'], egress: [] })]);
    expect(model.allows(flow(API, DB))).toBe(true);
    const verdict = model.evaluate(flow(DB, API));
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
    expect(verdict.egress.policyName).toBe('p');
  });

  test('policyTypes [Egress] ignores ingress rules', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [], egress: [{}] })]);
    expect(model.allows(flow(API, DB))).toBe(true);
  });
});

describe('peers', () => {
  test('a podSelector peer matches pods of the policy\'s namespace only', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })]);
    expect(model.allows(flow(API, DB))).toBe(true);
    expect(model.allows(flow(OTHER, DB))).toBe(false);
    expect(model.allows(flow(OUTSIDE, DB))).toBe(false);
  });

  test('an empty podSelector peer matches every pod of the namespace, nothing outside it', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]);
    expect(model.allows(flow(API, DB))).toBe(true);
    expect(model.allows(flow(OTHER, DB))).toBe(false);
  });

  test('an empty namespaceSelector peer matches every pod of every namespace, not addresses outside', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })]);
    expect(model.allows(flow(OTHER, DB))).toBe(true);
    expect(model.allows(flow(OUTSIDE, DB))).toBe(false);
  });

  test('podSelector and namespaceSelector in one peer must both match', () => {
    const model = PolicyModel.fromManifests([
      namespace('ops', { team: 'operations' }),
      namespace('dev', { team: 'dev' }),
      knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'operations' } }, podSelector: { matchLabels: { type: 'monitoring' } } }] }] }),
    ]);
    expect(model.allows(flow(pod('ops', { type: 'monitoring' }), DB))).toBe(true);
    expect(model.allows(flow(pod('ops', { type: 'other' }), DB))).toBe(false);
    expect(model.allows(flow(pod('dev', { type: 'monitoring' }), DB))).toBe(false);
    expect(model.allows(flow(pod('shop', { type: 'monitoring' }), DB))).toBe(false);
  });

  test('separate peers are alternatives, each its own Calico rule', () => {
    const model = PolicyModel.fromManifests([
      namespace('ops', { team: 'operations' }),
      knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'operations' } } }, { podSelector: { matchLabels: { type: 'monitoring' } } }] }] }),
    ]);
    const fromOps = model.evaluate(flow(pod('ops', { type: 'other' }), DB));
    expect(fromOps.ingress).toMatchObject({ allowed: true, ruleIndex: 0, rulePath: 'spec.ingress[0].from[0]' });
    const fromMonitoring = model.evaluate(flow(pod('shop', { type: 'monitoring' }), DB));
    expect(fromMonitoring.ingress).toMatchObject({ allowed: true, ruleIndex: 1, rulePath: 'spec.ingress[0].from[1]' });
    expect(model.allows(flow(pod('dev', { type: 'monitoring' }), DB))).toBe(false);
  });

  test('ipBlock matches the CIDR except the exceptions', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', {
      podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }] }],
    })]);
    expect(model.allows(flow({ ip: '172.17.0.5' }, DB))).toBe(true);
    expect(model.allows(flow({ ip: '172.17.1.5' }, DB))).toBe(false);
    expect(model.allows(flow({ ip: '172.18.0.5' }, DB))).toBe(false);
    expect(model.allows(flow({ ...OTHER, ip: '172.17.0.9' }, DB))).toBe(true);
  });

  test('ipBlock 0.0.0.0/0 matches pods of every namespace, with or without an address', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', {
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
    })]);
    expect(model.allows(flow(DB, OUTSIDE))).toBe(true);
    expect(model.allows(flow(DB, OTHER))).toBe(true);
    expect(model.allows(flow(DB, { ...OTHER, ip: '10.1.1.1' }))).toBe(false);
  });

  test('peers Kubernetes rejects are refused with the reason', () => {
    expect(errorOf(() => PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{}] }] })])).message)
      .toContain("Kubernetes NetworkPolicy 'shop/p': spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock");
    expect(errorOf(() => PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] })])).message)
      .toContain('a peer with ipBlock may not also have podSelector or namespaceSelector');
  });
});

describe('ports', () => {
  test('a port without protocol is TCP', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 5432 }] }] })]);
    expect(model.allows(flow(API, DB, 5432))).toBe(true);
    expect(model.allows(flow(API, DB, 5432, 'UDP'))).toBe(false);
    expect(model.allows(flow(API, DB, 5433))).toBe(false);
  });

  test('a port with a protocol and no number allows every port of that protocol', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] })]);
    expect(model.allows(flow(API, DB, 9999, 'UDP'))).toBe(true);
    expect(model.allows(flow(API, DB, 9999))).toBe(false);
  });

  test('no ports allows every protocol', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]);
    expect(model.allows({ source: API, destination: DB, protocol: 'ICMP', icmpType: 8 })).toBe(true);
    expect(model.allows(flow(API, DB, 1, 'SCTP'))).toBe(true);
  });

  test('endPort makes a range', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 32000, endPort: 32768, protocol: 'TCP' }] }] })]);
    expect([31999, 32000, 32500, 32768, 32769].map(p => model.allows(flow(API, DB, p)))).toEqual([false, true, true, true, false]);
  });

  test('ports of several protocols become one rule per protocol, SCTP before TCP before UDP', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', {
      podSelector: {},
      ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }, { port: 9, protocol: 'SCTP' }] }],
    })]);
    const index = (protocol: string, port: number, source: FlowEnd) => model.evaluate(flow(source, DB, port, protocol)).ingress.ruleIndex;
    expect(index('SCTP', 9, API)).toBe(0);
    expect(index('SCTP', 9, OTHER)).toBe(1);
    expect(index('TCP', 53, API)).toBe(2);
    expect(index('TCP', 53, OTHER)).toBe(3);
    expect(index('UDP', 53, API)).toBe(4);
    expect(index('UDP', 53, OTHER)).toBe(5);
    expect(model.allows(flow(API, DB, 9))).toBe(false);
  });

  test('a protocol without a port number allows all its ports even when listed with numbered ports', () => {
    const model = PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }, { protocol: 'TCP' }] }] })]);
    expect(model.allows(flow(API, DB, 8080))).toBe(true);
  });

  test('named ports resolve to the destination pod\'s container ports, ingress and egress', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', ports: [{ name: 'postgres', containerPort: 5432 }] }] } } },
    };
    const ingressModel = PolicyModel.fromManifests([deployment, knp('shop', 'p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 'postgres' }] }] })]);
    expect(ingressModel.allows(flow(API, DB, 5432))).toBe(true);
    expect(ingressModel.allows(flow(API, DB, 5433))).toBe(false);

    const egressModel = PolicyModel.fromManifests([deployment, knp('shop', 'p', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'postgres' }] }] })]);
    expect(egressModel.allows(flow(API, DB, 5432))).toBe(true);
    expect(egressModel.allows(flow(API, OUTSIDE, 5432))).toBe(false);
    expect(egressModel.allows(flow(API, pod('shop', { app: 'cache' }), 5432))).toBe(false);
  });

  test('ports Kubernetes rejects are refused with the reason', () => {
    expect(errorOf(() => PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] })])).message)
      .toContain('spec.ingress[0].ports[0].endPort: endPort needs a numeric port');
    expect(errorOf(() => PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] })])).message)
      .toContain('endPort needs port');
    expect(errorOf(() => PolicyModel.fromManifests([knp('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'ICMPX' }] }] })])).message)
      .toContain("spec.ingress[0].ports[0].protocol: protocol name 'ICMPX'");
  });
});

describe('with Calico policies', () => {
  const defaultDeny = {
    apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'default-deny' },
    spec: { order: 2000, namespaceSelector: "projectcalico.org/name != 'kube-system'", types: ['Ingress', 'Egress'] },
  };

  test('a Kubernetes NetworkPolicy (order 1000) allows before a GlobalNetworkPolicy at order 2000 denies', () => {
    const model = PolicyModel.fromManifests([defaultDeny, knp('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })]);
    const verdict = model.evaluate(flow(API, DB));
    expect(verdict.ingress.policyName).toBe('db');
    expect(verdict.ingress.allowed).toBe(true);
    // The api pod's egress falls to the default deny.
    expect(verdict.egress.decidedBy).toBe(DecisionBasis.END_OF_TIER);
    expect(verdict.egress.policyName).toBe('default-deny');
    expect(verdict.allowed).toBe(false);
  });

  test('a Calico policy with a lower order decides first', () => {
    const early = {
      apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'block', namespace: 'shop' },
      spec: { order: 500, selector: "app == 'db'", ingress: [{ action: 'Deny', source: { selector: "app == 'api'" } }] },
    };
    const model = PolicyModel.fromManifests([early, knp('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] })]);
    expect(model.evaluate(flow(API, DB)).ingress.policyName).toBe('block');
  });
});
