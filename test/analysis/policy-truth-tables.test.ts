// Independent checks of the evaluator against published NetworkPolicy truth tables:
//
// 1. The recipes of ahmetb/kubernetes-network-policy-recipes: each recipe's policy (as published)
//    and the connections its "Try it out" section shows to work or to time out.
// 2. The Kubernetes conformance suite for NetworkPolicy (kubernetes/kubernetes,
//    test/e2e/network/netpol/network_policy.go): namespaces x, y, z with pods a, b, c labelled
//    `pod: <name>`, each serving named ports serve-<port>-<protocol>; every case states the full
//    reachability matrix, which is checked pair by pair (loopback excluded, as the suite does).
import * as YAML from 'yaml';
import { Flow, FlowEnd, PolicyModel } from '../../src/analysis/policy-model';

// ---------------------------------------------------------------------------------------------
// 1. ahmetb/kubernetes-network-policy-recipes
// ---------------------------------------------------------------------------------------------

function recipe(yaml: string, ...extra: any[]): PolicyModel {
  const docs = YAML.parseAllDocuments(yaml).map(d => d.toJSON()).filter(d => d);
  return PolicyModel.fromManifests([...docs, ...extra]);
}

function ns(name: string, labels: { [k: string]: string }): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function at(namespaceName: string, labels: { [k: string]: string } = {}): FlowEnd {
  return { namespaceName, labels };
}

function tcp(source: FlowEnd, destination: FlowEnd, port: number): Flow {
  return { source, destination, protocol: 'TCP', port };
}

const EXTERNAL: FlowEnd = { ip: '93.184.216.34' };

type Row = [string, Flow, boolean];

function checkRows(model: PolicyModel, rows: Row[]): void {
  const wrong = rows.filter(([, flow, expected]) => model.allows(flow) !== expected)
    .map(([what, flow, expected]) => `${what}: expected ${expected ? 'allowed' : 'denied'}\n${model.evaluate(flow).summary}`);
  expect(wrong).toEqual([]);
}

describe('ahmetb/kubernetes-network-policy-recipes', () => {
  const web = at('default', { app: 'web', env: 'prod' });
  const client = at('default', { run: 'test' });

  test('01 deny all traffic to an application', () => {
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-deny-all
spec:
  podSelector:
    matchLabels:
      app: web
      env: prod
`);
    checkRows(model, [
      ['client pod -> web', tcp(client, web, 80), false],
      ['pod in another namespace -> web', tcp(at('other'), web, 80), false],
      ['outside -> web', tcp(EXTERNAL, web, 80), false],
      ['web -> client pod (egress is not restricted)', tcp(web, client, 80), true],
    ]);
  });

  test('02 limit traffic to an application', () => {
    const api = at('default', { app: 'bookstore', role: 'api' });
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: api-allow
spec:
  podSelector:
    matchLabels:
      app: bookstore
      role: api
  ingress:
  - from:
      - podSelector:
          matchLabels:
            app: bookstore
`);
    checkRows(model, [
      ['pod without app=bookstore -> api', tcp(client, api, 80), false],
      ['app=bookstore,role=frontend -> api', tcp(at('default', { app: 'bookstore', role: 'frontend' }), api, 80), true],
      ['app=bookstore in another namespace -> api', tcp(at('other', { app: 'bookstore' }), api, 80), false],
    ]);
  });

  test('02a allow all traffic to an application, overriding a deny-all', () => {
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-allow-all
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - {}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-deny-all
spec:
  podSelector:
    matchLabels:
      app: web
      env: prod
`);
    checkRows(model, [
      ['client pod -> web', tcp(client, web, 80), true],
      ['other namespace -> web', tcp(at('other'), web, 80), true],
      ['outside -> web', tcp(EXTERNAL, web, 443), true],
    ]);
  });

  test('03 deny all non-whitelisted traffic in the namespace', () => {
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: default-deny-all
  namespace: default
spec:
  podSelector:
    matchLabels:
`);
    checkRows(model, [
      ['client -> web', tcp(client, web, 80), false],
      ['other namespace -> web', tcp(at('other'), web, 80), false],
      ['pods of other namespaces are unaffected', tcp(client, at('other', { app: 'db' }), 5432), true],
    ]);
  });

  test('04 deny traffic from other namespaces', () => {
    const secondaryWeb = at('secondary', { app: 'web' });
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  namespace: secondary
  name: deny-from-other-namespaces
spec:
  podSelector:
    matchLabels:
  ingress:
  - from:
    - podSelector: {}
`);
    checkRows(model, [
      ['default -> web.secondary', tcp(client, secondaryWeb, 80), false],
      ['secondary -> web.secondary', tcp(at('secondary', { run: 'test' }), secondaryWeb, 80), true],
    ]);
  });

  test('05 allow traffic to an application from all namespaces', () => {
    const secondaryWeb = at('secondary', { app: 'web' });
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  namespace: secondary
  name: web-allow-all-namespaces
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - namespaceSelector: {}
`);
    checkRows(model, [
      ['default -> web.secondary', tcp(client, secondaryWeb, 80), true],
      ['secondary -> web.secondary', tcp(at('secondary'), secondaryWeb, 80), true],
      ['outside -> web.secondary (only pods are selected)', tcp(EXTERNAL, secondaryWeb, 80), false],
    ]);
  });

  test('06 allow all traffic from a namespace', () => {
    const defaultWeb = at('default', { app: 'web' });
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-allow-prod
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          purpose: production
`, ns('dev', { purpose: 'testing' }), ns('prod', { purpose: 'production' }));
    checkRows(model, [
      ['dev -> web.default', tcp(at('dev'), defaultWeb, 80), false],
      ['prod -> web.default', tcp(at('prod'), defaultWeb, 80), true],
      ['default -> web.default', tcp(client, defaultWeb, 80), false],
    ]);
  });

  test('07 allow traffic from some pods in another namespace (AND), and the OR variant', () => {
    const defaultWeb = at('default', { app: 'web' });
    const other = ns('other', { team: 'operations' });
    const and = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-allow-all-ns-monitoring
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
      - namespaceSelector:
          matchLabels:
            team: operations
        podSelector:
          matchLabels:
            type: monitoring
`, other);
    const rows = (andExpected: boolean[]): Row[] => [
      ['default, no label -> web', tcp(client, defaultWeb, 80), andExpected[0]],
      ['default, type=monitoring -> web', tcp(at('default', { type: 'monitoring' }), defaultWeb, 80), andExpected[1]],
      ['other, no label -> web', tcp(at('other'), defaultWeb, 80), andExpected[2]],
      ['other, type=monitoring -> web', tcp(at('other', { type: 'monitoring' }), defaultWeb, 80), andExpected[3]],
    ];
    checkRows(and, rows([false, false, false, true]));
    const or = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-allow-all-ns-monitoring
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
      - namespaceSelector:
          matchLabels:
            team: operations
      - podSelector:
          matchLabels:
            type: monitoring
`, other);
    checkRows(or, rows([false, true, true, true]));
  });

  test('08 allow traffic from external clients, and only to port 80', () => {
    const defaultWeb = at('default', { app: 'web' });
    const all = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-allow-external
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - {}
`);
    checkRows(all, [['outside -> web:80', tcp(EXTERNAL, defaultWeb, 80), true], ['outside -> web:8443', tcp(EXTERNAL, defaultWeb, 8443), true]]);
    const port80 = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: web-allow-external
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - ports:
    - port: 80
`);
    checkRows(port80, [
      ['outside -> web:80', tcp(EXTERNAL, defaultWeb, 80), true],
      ['outside -> web:8443', tcp(EXTERNAL, defaultWeb, 8443), false],
      ['pod -> web:80', tcp(client, defaultWeb, 80), true],
    ]);
  });

  test('09 allow traffic only to a port of an application, by number and by name', () => {
    const apiserver = at('default', { app: 'apiserver' });
    const monitoring = at('default', { role: 'monitoring' });
    const numbered = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: api-allow-5000
spec:
  podSelector:
    matchLabels:
      app: apiserver
  ingress:
  - ports:
    - port: 5000
    from:
    - podSelector:
        matchLabels:
          role: monitoring
`);
    const rows: Row[] = [
      ['unlabelled -> apiserver:8000', tcp(client, apiserver, 8000), false],
      ['unlabelled -> apiserver:5000', tcp(client, apiserver, 5000), false],
      ['role=monitoring -> apiserver:8000', tcp(monitoring, apiserver, 8000), false],
      ['role=monitoring -> apiserver:5000', tcp(monitoring, apiserver, 5000), true],
    ];
    checkRows(numbered, rows);
    const named = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: api-allow-5000
spec:
  podSelector:
    matchLabels:
      app: apiserver
  ingress:
  - ports:
    - port: api-port
    from:
    - podSelector:
        matchLabels:
          role: monitoring
---
apiVersion: v1
kind: Pod
metadata:
  name: apiserver
  labels:
    app: apiserver
spec:
  containers:
  - name: api
    image: api-image:latest
    ports:
    - name: api-port
      containerPort: 5000
      protocol: TCP
`);
    checkRows(named, rows);
  });

  test('10 allow traffic from apps using multiple selectors', () => {
    const db = at('default', { app: 'bookstore', role: 'db' });
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: redis-allow-services
spec:
  podSelector:
    matchLabels:
      app: bookstore
      role: db
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: bookstore
          role: search
    - podSelector:
        matchLabels:
          app: bookstore
          role: api
    - podSelector:
        matchLabels:
          app: inventory
          role: web
`);
    checkRows(model, [
      ['catalog (app=inventory,role=web) -> db', tcp(at('default', { app: 'inventory', role: 'web' }), db, 6379), true],
      ['search -> db', tcp(at('default', { app: 'bookstore', role: 'search' }), db, 6379), true],
      ['api -> db', tcp(at('default', { app: 'bookstore', role: 'api' }), db, 6379), true],
      ['app=other -> db', tcp(at('default', { app: 'other' }), db, 6379), false],
      ['app=bookstore alone -> db', tcp(at('default', { app: 'bookstore' }), db, 6379), false],
    ]);
  });

  test('11 deny egress traffic from an application, then allow DNS', () => {
    const foo = at('default', { app: 'foo' });
    const webPod = at('default', { app: 'web' });
    const dns = (protocol: string, destination: FlowEnd): Flow => ({ source: foo, destination, protocol, port: 53 });
    const denyAll = recipe(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: foo-deny-egress
spec:
  podSelector:
    matchLabels:
      app: foo
  policyTypes:
  - Egress
  egress: []
`);
    checkRows(denyAll, [
      ['foo -> web', tcp(foo, webPod, 80), false],
      ['foo -> kube-dns', dns('UDP', at('kube-system', { 'k8s-app': 'kube-dns' })), false],
      ['foo -> www.example.com', tcp(foo, EXTERNAL, 80), false],
      ['web -> foo (ingress is not restricted)', tcp(webPod, foo, 80), true],
    ]);
    const allowDns = recipe(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: foo-deny-egress
spec:
  podSelector:
    matchLabels:
      app: foo
  policyTypes:
  - Egress
  egress:
  # allow DNS resolution
  - ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
`);
    checkRows(allowDns, [
      ['foo -> kube-dns UDP 53', dns('UDP', at('kube-system', { 'k8s-app': 'kube-dns' })), true],
      ['foo -> kube-dns TCP 53', dns('TCP', at('kube-system', { 'k8s-app': 'kube-dns' })), true],
      ['foo -> any host on UDP 53 (the recipe warns about it)', dns('UDP', EXTERNAL), true],
      ['foo -> web:80', tcp(foo, webPod, 80), false],
      ['foo -> www.example.com:80', tcp(foo, EXTERNAL, 80), false],
      ['foo pings google.com', { source: foo, destination: EXTERNAL, protocol: 'ICMP', icmpType: 8 }, false],
    ]);
  });

  test('12 deny all non-whitelisted traffic from the namespace', () => {
    const model = recipe(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: default-deny-all-egress
  namespace: default
spec:
  policyTypes:
  - Egress
  podSelector: {}
  egress: []
`);
    checkRows(model, [
      ['default -> kube-dns', { source: client, destination: at('kube-system', { 'k8s-app': 'kube-dns' }), protocol: 'UDP', port: 53 }, false],
      ['default -> default', tcp(client, web, 80), false],
      ['other -> default (ingress is not restricted)', tcp(at('other'), web, 80), true],
      ['other -> outside', tcp(at('other'), EXTERNAL, 443), true],
    ]);
  });

  test('14 deny external egress traffic', () => {
    const foo = at('default', { app: 'foo' });
    const model = recipe(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: foo-deny-external-egress
spec:
  podSelector:
    matchLabels:
      app: foo
  policyTypes:
  - Egress
  egress:
  - ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
  - to:
    - namespaceSelector: {}
`);
    checkRows(model, [
      ['foo -> web (in the cluster)', tcp(foo, at('default', { app: 'web' }), 80), true],
      ['foo -> pod in another namespace', tcp(foo, at('other', { app: 'x' }), 8080), true],
      ['foo -> www.example.com:80', tcp(foo, EXTERNAL, 80), false],
      ['foo -> DNS outside', { source: foo, destination: EXTERNAL, protocol: 'UDP', port: 53 }, true],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Kubernetes NetworkPolicy conformance (e2e netpol) reachability matrices
// ---------------------------------------------------------------------------------------------

/** Addresses of the e2e pods (x/a is 10.1.1.1, y/b is 10.1.2.2, ...). */
function ipOf(podString: string): string {
  const [n, p] = podString.split('/');
  return `10.1.${'xyz'.indexOf(n) + 1}.${'abc'.indexOf(p) + 1}`;
}

const SERVED = [80, 81].flatMap(port => ['TCP', 'UDP', 'SCTP'].map(protocol => ({ port, protocol })));

interface ClusterOptions {
  /** Extra pod labels, by pod string (`x/b`). */
  readonly podLabels?: { [pod: string]: { [k: string]: string } };
  /** Namespace labels. */
  readonly namespaceLabels?: { [ns: string]: { [k: string]: string } };
}

/** The e2e topology: the given pods, and policies as [namespace, policy]. */
function cluster(pods: string[], policies: Array<[string, any]>, options: ClusterOptions = {}): PolicyModel {
  const podManifests = pods.map(p => {
    const [namespace, name] = p.split('/');
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { pod: name, ...(options.podLabels?.[p] ?? {}) } },
      spec: {
        containers: SERVED.map(s => ({
          name: `cont-${s.port}-${s.protocol.toLowerCase()}`,
          ports: [{ name: `serve-${s.port}-${s.protocol.toLowerCase()}`, containerPort: s.port, protocol: s.protocol }],
        })),
      },
      status: { podIP: ipOf(p) },
    };
  });
  const namespaces = Object.entries(options.namespaceLabels ?? {}).map(([n, labels]) => ns(n, labels));
  const netpols = policies.map(([namespace, p]) => ({ ...p, metadata: { ...p.metadata, namespace } }));
  return PolicyModel.fromManifests([...namespaces, ...podManifests, ...netpols]);
}

type Mutator = (spec: any) => void;

/** GenNetworkPolicyWithNameAndPodSelector(name, podSelector, setters...). */
function policy(name: string, podSelector: any, ...setters: Mutator[]): any {
  const spec: any = { podSelector };
  setters.forEach(s => s(spec));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec };
}

/** SetSpecIngressRules(rules...): adds Ingress to policyTypes on first use. */
function ingressRules(...rules: any[]): Mutator {
  return spec => {
    if (!spec.ingress) {
      spec.ingress = [];
      spec.policyTypes = [...(spec.policyTypes ?? []), 'Ingress'];
    }
    spec.ingress.push(...rules);
  };
}

/** SetSpecEgressRules(rules...): adds Egress to policyTypes on first use. */
function egressRules(...rules: any[]): Mutator {
  return spec => {
    if (!spec.egress) {
      spec.egress = [];
      spec.policyTypes = [...(spec.policyTypes ?? []), 'Egress'];
    }
    spec.egress.push(...rules);
  };
}

const podIs = (name: string) => ({ matchLabels: { pod: name } });
const nsIs = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const nsNotIn = (...names: string[]) => ({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: names }] });

interface Peer {
  readonly ns?: string;
  readonly pod?: string;
}

/** The e2e Reachability matrix: every pair of pods, expected connected or not. */
class Reachability {
  private readonly expected = new Map<string, boolean>();

  constructor(private readonly pods: string[], connected: boolean) {
    for (const from of pods) for (const to of pods) this.expected.set(`${from}|${to}`, connected);
  }

  public expect(from: string, to: string, connected: boolean): this {
    this.expected.set(`${from}|${to}`, connected);
    return this;
  }

  public expectPeer(from: Peer, to: Peer, connected: boolean): this {
    for (const f of this.pods.filter(p => matchesPeer(p, from))) {
      for (const t of this.pods.filter(p => matchesPeer(p, to))) this.expect(f, t, connected);
    }
    return this;
  }

  public expectAllIngress(to: string, connected: boolean): this {
    for (const f of this.pods) this.expect(f, to, connected);
    return this;
  }

  public expectAllEgress(from: string, connected: boolean): this {
    for (const t of this.pods) this.expect(from, t, connected);
    return this;
  }

  /** The pairs where the model disagrees, loopback excluded, with the model's explanation. */
  public mismatches(model: PolicyModel, port: number, protocol = 'TCP'): string[] {
    const out: string[] = [];
    for (const from of this.pods) {
      for (const to of this.pods) {
        if (from === to) continue;
        const flow: Flow = { source: endOf(model, from), destination: endOf(model, to), protocol, port };
        const verdict = model.evaluate(flow);
        const want = this.expected.get(`${from}|${to}`)!;
        if (verdict.allowed !== want) out.push(`${from} -> ${to} ${protocol}/${port}: expected ${want ? 'allowed' : 'denied'}\n${verdict.summary}`);
      }
    }
    return out;
  }
}

function matchesPeer(podString: string, peer: Peer): boolean {
  const [n, p] = podString.split('/');
  return (peer.ns === undefined || peer.ns === n) && (peer.pod === undefined || peer.pod === p);
}

function endOf(model: PolicyModel, podString: string): FlowEnd {
  const [n, p] = podString.split('/');
  return model.workload(n, p);
}

function validate(model: PolicyModel, reachability: Reachability, port: number, protocol = 'TCP'): void {
  expect(reachability.mismatches(model, port, protocol)).toEqual([]);
}

describe('Kubernetes NetworkPolicy conformance (e2e netpol) truth tables', () => {
  test('should support a default-deny-ingress policy (TCP, UDP, SCTP)', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    const model = cluster(pods, [['x', policy('deny-ingress', {}, ingressRules())]]);
    const reachability = new Reachability(pods, true).expectPeer({}, { ns: 'x' }, false);
    for (const protocol of ['TCP', 'UDP', 'SCTP']) validate(model, reachability, 80, protocol);
  });

  test('should support a default-deny-all policy', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [['x', policy('deny-all', {}, ingressRules(), egressRules())]]);
    validate(model, new Reachability(pods, true).expectPeer({}, { ns: 'x' }, false).expectPeer({ ns: 'x' }, {}, false), 80);
  });

  test('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const model = cluster(pods, [['x', policy('x-a-allows-x-b', podIs('a'), ingressRules({ from: [{ podSelector: podIs('b') }] }))]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80);
  });

  test('should enforce policy to allow ingress traffic for a target', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [
      ['x', policy('deny-all', {}, ingressRules())],
      ['x', policy('allow-all-to-a', podIs('a'), ingressRules({ from: [{ podSelector: {}, namespaceSelector: {} }] }))],
    ]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', true).expectAllIngress('x/b', false), 80);
  });

  test('should enforce policy to allow ingress traffic from pods in all namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const model = cluster(pods, [['x', policy('allow-from-another-ns', podIs('a'), ingressRules({ from: [{ namespaceSelector: { matchLabels: {} } }] }))]]);
    validate(model, new Reachability(pods, true), 80);
  });

  test('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector (MatchLabels and MatchExpressions)', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const reachability = new Reachability(pods, true).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
    const byLabels = cluster(pods, [['x', policy('allow-client-a-via-ns-selector', podIs('a'), ingressRules({ from: [{ namespaceSelector: nsIs('y') }] }))]]);
    validate(byLabels, reachability, 80);
    const byExpression = cluster(pods, [['x', policy('allow-ns-y-match-selector', podIs('a'), ingressRules({
      from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }] } }],
    }))]]);
    validate(byExpression, reachability, 80);
  });

  test('should enforce policy based on PodSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [['x', policy('x-a-allows-x-b', podIs('a'), ingressRules({
      from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }],
    }))]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80);
  });

  test('should enforce policy based on PodSelector or NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-ns-y-match-selector', podIs('a'), ingressRules({
      from: [{ namespaceSelector: nsNotIn('x') }, { podSelector: podIs('b') }],
    }))]]);
    validate(model, new Reachability(pods, true).expect('x/a', 'x/a', false).expect('x/c', 'x/a', false), 80);
  });

  test('should enforce policy based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'];
    const model = cluster(pods, [['x', policy('allow-ns-y-podselector-and-nsselector', podIs('a'), ingressRules({
      from: [{ namespaceSelector: nsNotIn('x'), podSelector: podIs('b') }],
    }))]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true), 80);
  });

  test('should enforce policy based on Multiple PodSelectors and NamespaceSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'];
    const model = cluster(pods, [['x', policy('allow-ns-y-z-pod-b-c', podIs('a'), ingressRules({
      from: [{ namespaceSelector: nsNotIn('x'), podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }],
    }))]]);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expect('y/a', 'x/a', false), 80);
  });

  test('should enforce policy based on any PodSelectors', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const model = cluster(pods, [['x', policy('allow-ns-x-pod-b-c', podIs('a'), ingressRules({ from: [{ podSelector: podIs('b') }, { podSelector: podIs('c') }] }))]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true), 80);
  });

  test('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector (TCP, UDP, SCTP)', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const model = cluster(pods, [['x', policy('allow-ns-y-pod-a-via-namespace-pod-selector', podIs('a'), ingressRules({
      from: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }],
    }))]]);
    const reachability = new Reachability(pods, true).expectAllIngress('x/a', false).expect('y/a', 'x/a', true);
    for (const protocol of ['TCP', 'UDP', 'SCTP']) validate(model, reachability, 80, protocol);
  });

  test('should enforce policy based on Ports (TCP, UDP, SCTP)', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    for (const protocol of ['TCP', 'UDP', 'SCTP']) {
      const model = cluster(pods, [['x', policy('allow-client-a-via-ns-selector', podIs('a'), ingressRules({
        from: [{ namespaceSelector: nsIs('y') }], ports: [{ port: 81, protocol }],
      }))]]);
      const reachability = new Reachability(pods, true).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
        .expectPeer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
      validate(model, reachability, 81, protocol);
    }
  });

  test('should enforce multiple, stacked policies with overlapping podSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const allow81 = policy('allow-client-a-via-ns-selector', podIs('a'), ingressRules({ from: [{ namespaceSelector: nsIs('y') }], ports: [{ port: 81, protocol: 'TCP' }] }));
    const allow = new Reachability(pods, true).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
      .expectPeer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
    const only81 = cluster(pods, [['x', allow81]]);
    validate(only81, allow, 81);
    validate(only81, new Reachability(pods, true).expectAllIngress('x/a', false), 80);
    const allow80 = policy('allow-client-a-via-ns-selector-80', podIs('a'), ingressRules({ from: [{ namespaceSelector: nsIs('y') }], ports: [{ port: 80, protocol: 'TCP' }] }));
    validate(cluster(pods, [['x', allow81], ['x', allow80]]), allow, 80);
  });

  test('should support allow-all policy', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-all', { matchLabels: {} }, ingressRules({}))]]);
    validate(model, new Reachability(pods, true), 80);
    validate(model, new Reachability(pods, true), 81);
  });

  test('should allow ingress access on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-all', { matchLabels: {} }, ingressRules({ ports: [{ port: 'serve-81-tcp' }] }))]]);
    validate(model, new Reachability(pods, true), 81);
    validate(model, new Reachability(pods, true).expectPeer({}, { ns: 'x' }, false), 80);
  });

  test('should allow ingress access from namespace on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const model = cluster(pods, [['x', policy('allow-client-a-via-ns-selector-80', podIs('a'), ingressRules({
      from: [{ namespaceSelector: nsIs('y') }], ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }],
    }))]]);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false), 80);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false), 81);
  });

  test('should allow egress access on one named port', () => {
    const pods = ['x/a', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-egress', { matchLabels: {} }, egressRules({ ports: [{ port: 'serve-80-tcp' }] }))]]);
    validate(model, new Reachability(pods, true), 80);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'x' }, {}, false), 81);
  });

  test('should enforce updated policy (allow all, then deny all)', () => {
    const pods = ['x/a', 'y/a'];
    const before = cluster(pods, [['x', policy('allow-all-mutate-to-deny-all', { matchLabels: {} }, ingressRules({}))]]);
    validate(before, new Reachability(pods, true), 81);
    const after = cluster(pods, [['x', policy('allow-all-mutate-to-deny-all', { matchLabels: {} }, ingressRules())]]);
    validate(after, new Reachability(pods, true).expectPeer({}, { ns: 'x' }, false), 81);
  });

  test('should allow ingress access from updated namespace', () => {
    const pods = ['x/a', 'y/a'];
    const policies: Array<[string, any]> = [['x', policy('allow-client-a-via-ns-selector', podIs('a'), ingressRules({ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }))]];
    validate(cluster(pods, policies), new Reachability(pods, true).expectAllIngress('x/a', false), 80);
    const labelled = cluster(pods, policies, { namespaceLabels: { y: { ns2: 'updated' } } });
    validate(labelled, new Reachability(pods, true).expectAllIngress('x/a', false).expectPeer({ ns: 'y' }, {}, true), 80);
  });

  test('should allow ingress access from updated pod', () => {
    const pods = ['x/a', 'x/b'];
    const policies: Array<[string, any]> = [['x', policy('allow-client-a-via-pod-selector', podIs('a'), ingressRules({ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }))]];
    validate(cluster(pods, policies), new Reachability(pods, true).expectAllIngress('x/a', false), 80);
    const labelled = cluster(pods, policies, { podLabels: { 'x/b': { pod2: 'updated' } } });
    validate(labelled, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80);
  });

  test('should deny ingress from pods on other namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const model = cluster(pods, [['x', policy('deny-empty-policy', {}, ingressRules({ from: [{ podSelector: { matchLabels: {} } }] }))]]);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'y' }, { ns: 'x' }, false).expectPeer({ ns: 'z' }, { ns: 'x' }, false), 80);
  });

  test('should deny ingress access to updated pod', () => {
    const pods = ['x/a', 'y/a'];
    const policies: Array<[string, any]> = [['x', policy('deny-ingress-via-label-selector', { matchLabels: { target: 'isolated' } }, ingressRules())]];
    validate(cluster(pods, policies), new Reachability(pods, true), 80);
    validate(cluster(pods, policies, { podLabels: { 'x/a': { target: 'isolated' } } }), new Reachability(pods, true).expectAllIngress('x/a', false), 80);
  });

  test('should deny egress from pods based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [['x', policy('deny-egress-pod-a', podIs('a'), egressRules())]]);
    validate(model, new Reachability(pods, true).expectAllEgress('x/a', false), 80);
  });

  test('should deny egress from all pods in a namespace', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const model = cluster(pods, [['x', policy('deny-egress-ns-x', {}, egressRules())]]);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'x' }, {}, false), 80);
  });

  test('should work with Ingress, Egress specified together', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const p = policy('allow-client-a-via-pod-selector', podIs('a'), ingressRules({ from: [{ podSelector: podIs('b') }] }));
    p.spec.egress = [{ ports: [{ port: 80 }] }];
    p.spec.policyTypes = ['Egress', 'Ingress'];
    const model = cluster(pods, [['x', p]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true), 81);
  });

  test('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const fromXa = { from: [{ namespaceSelector: nsIs('x'), podSelector: podIs('a') }] };
    const model = cluster(pods, [
      ['x', policy('allow-to-ns-y-pod-a', podIs('a'), egressRules({ to: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }))],
      ['y', policy('allow-from-xa-on-ya-match-selector', podIs('a'), ingressRules(fromXa))],
      ['y', policy('allow-from-xa-on-yb-match-selector', podIs('b'), ingressRules(fromXa))],
    ]);
    validate(model, new Reachability(pods, true)
      .expectPeer({ ns: 'x', pod: 'a' }, {}, false)
      .expectPeer({}, { ns: 'y', pod: 'a' }, false)
      .expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true)
      .expectPeer({}, { ns: 'y', pod: 'b' }, false), 80);
  });

  test('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const model = cluster(pods, [['x', policy('allow-to-ns-y-pod-a', podIs('a'), egressRules({ to: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }))]]);
    validate(model, new Reachability(pods, true).expectAllEgress('x/a', false).expect('x/a', 'y/a', true), 80);
  });

  test('should enforce ingress policy allowing any port traffic to a server on a specific protocol', () => {
    const pods = ['x/a', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-ingress-by-proto', podIs('a'), ingressRules({ ports: [{ protocol: 'TCP' }] }))]]);
    validate(model, new Reachability(pods, true), 80, 'TCP');
    validate(model, new Reachability(pods, true).expectPeer({}, { ns: 'x', pod: 'a' }, false), 80, 'UDP');
  });

  test('should enforce multiple ingress policies with ingress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = policy('allow-ingress-port-80', { matchLabels: {} }, ingressRules({ ports: [{ port: 80 }] }));
    validate(cluster(pods, [['x', only80]]), new Reachability(pods, true).expectPeer({}, { ns: 'x' }, false), 81);
    validate(cluster(pods, [['x', only80], ['x', policy('allow-ingress', { matchLabels: {} }, ingressRules({}))]]), new Reachability(pods, true), 81);
  });

  test('should enforce multiple egress policies with egress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = policy('allow-egress-port-80', { matchLabels: {} }, egressRules({ ports: [{ port: 80 }] }));
    validate(cluster(pods, [['x', only80]]), new Reachability(pods, true).expectPeer({ ns: 'x' }, {}, false), 81);
    validate(cluster(pods, [['x', only80], ['x', policy('allow-egress', { matchLabels: {} }, egressRules({}))]]), new Reachability(pods, true), 81);
  });

  test('should stop enforcing policies after they are deleted', () => {
    const pods = ['x/a', 'y/a'];
    const model = cluster(pods, [['x', policy('deny-all', {}, ingressRules(), egressRules())]]);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'x' }, {}, false).expectPeer({}, { ns: 'x' }, false), 80);
    validate(cluster(pods, []), new Reachability(pods, true), 80);
  });

  test('should allow egress access to server in CIDR block', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const model = cluster(pods, [['x', policy('allow-client-a-via-cidr-egress-rule', podIs('a'), egressRules({ to: [{ ipBlock: { cidr: `${ipOf('y/b')}/32` } }] }))]]);
    validate(model, new Reachability(pods, true).expectAllEgress('x/a', false).expect('x/a', 'y/b', true), 80);
  });

  test('should enforce except clause while egress access to server in CIDR block', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const model = cluster(pods, [['x', policy('allow-client-a-via-cidr-egress-rule', podIs('a'), egressRules({
      to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${ipOf('x/b')}/32`] } }],
    }))]]);
    validate(model, new Reachability(pods, true).expect('x/a', 'x/b', false), 80);
  });

  test('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const withExcept = policy('allow-client-a-via-cidr-egress-rule', podIs('a'), egressRules({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${ipOf('x/b')}/32`] } }] }));
    validate(cluster(pods, [['x', withExcept]]), new Reachability(pods, true).expect('x/a', 'x/b', false), 80);
    const updated = policy('allow-client-a-via-cidr-egress-rule', podIs('a'), egressRules({ to: [{ ipBlock: { cidr: `${ipOf('x/b')}/32` } }] }));
    validate(cluster(pods, [['x', updated]]), new Reachability(pods, true).expectAllEgress('x/a', false).expect('x/a', 'x/b', true), 80);
  });

  test('should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const allowEgress = policy('allow-egress-for-target', podIs('a'), egressRules({}));
    validate(cluster(pods, [['x', allowEgress]]), new Reachability(pods, true), 80);
    const denyIngress = policy('deny-ingress-via-label-selector', podIs('a'), ingressRules());
    validate(cluster(pods, [['x', allowEgress], ['x', denyIngress]]), new Reachability(pods, true).expectAllIngress('x/a', false), 80);
  });

  test('should not mistakenly treat protocol SCTP as TCP', () => {
    const pods = ['x/a', 'y/a'];
    const model = cluster(pods, [
      ['x', policy('deny-ingress', {}, ingressRules())],
      ['x', policy('allow-only-sctp-ingress-on-port-81', podIs('a'), ingressRules({ ports: [{ port: 81, protocol: 'SCTP' }] }))],
    ]);
    validate(model, new Reachability(pods, true).expectPeer({}, { ns: 'x' }, false), 81);
  });

  test('should properly isolate pods that are selected by a policy allowing SCTP', () => {
    const pods = ['x/a', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-only-sctp-ingress-on-port-80', podIs('a'), ingressRules({ ports: [{ port: 80, protocol: 'SCTP' }] }))]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false), 81);
  });

  test('should not allow access by TCP when a policy specifies only UDP', () => {
    const pods = ['x/a', 'y/a'];
    const model = cluster(pods, [['x', policy('allow-only-udp-ingress-on-port-81', podIs('a'), ingressRules({ ports: [{ port: 81, protocol: 'UDP' }] }))]]);
    validate(model, new Reachability(pods, true).expectAllIngress('x/a', false), 81);
  });

  test('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const model = cluster(pods, [['x', policy('allow-ns-y-match-selector-for-immutable-ns-label', podIs('a'), egressRules({ to: [{ namespaceSelector: nsNotIn('y') }] }))]]);
    validate(model, new Reachability(pods, true).expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false), 80);
  });
});
