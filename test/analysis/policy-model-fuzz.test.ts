// Random inputs for PolicyModel: manifests with odd namespaces, labels, selectors and rules, and
// flows from the generated description of Flow. The model either answers (a verdict for each
// direction) or refuses with our error. Never a crash.
import * as fc from 'fast-check';
import { CalicoErrors, CalicoVersion, Flow, PolicyModel } from '../../src';
import { ANYTHING, arbitraryOf, FUZZ_RUNS } from '../support/fuzz';

const NAMESPACES = ['default', 'org-1', 'kube-system'];
/** Mostly these values, now and then anything at all. */
const mostly = (values: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ weight: 30, arbitrary: values }, ANYTHING);
/** Mostly good values, now and then a bad one of the right type. */
const pool = (good: unknown[], bad: unknown[]): fc.Arbitrary<unknown> => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...good) }, fc.constantFrom(...bad));

const namespace = mostly(fc.constantFrom(...NAMESPACES, undefined, ''));
const labelValue = mostly(fc.constantFrom('web', 'api', 'db', ''));
const labels = mostly(fc.dictionary(fc.constantFrom('app', 'tier', 'team', 'kubernetes.io/metadata.name'), labelValue, { maxKeys: 3 }));
const selector = mostly(fc.constantFrom('all()', "app == 'web'", 'has(app)', "tier in {'db', 'api'}", '!has(team)', 'global()', '', undefined));
const port = mostly(pool([80, 443, '8080:8090', 'http'], [0, 70000, '90:80']));
const entity = fc.record({
  selector,
  namespaceSelector: selector,
  nets: mostly(pool([undefined, ['10.0.0.0/8'], ['fd00::/64']], [['nope']])),
  ports: mostly(fc.array(port, { maxLength: 2 })),
}, { requiredKeys: [] });
const rule = mostly(fc.record({
  action: mostly(fc.constantFrom('Allow', 'Deny', 'Log', 'Pass')),
  protocol: mostly(fc.constantFrom('TCP', 'UDP', 'ICMP', 6, 'tcp', undefined)),
  source: entity,
  destination: entity,
}, { requiredKeys: ['action'] }));
const rules = mostly(fc.array(rule, { maxLength: 3 }));
const meta = fc.record({ name: mostly(pool(['a', 'b', 'web'], ['', undefined])), namespace, labels }, { requiredKeys: ['name'] });

const calicoPolicy = fc.record({
  apiVersion: fc.constantFrom('projectcalico.org/v3', 'crd.projectcalico.org/v1'),
  kind: fc.constantFrom('GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy'),
  metadata: meta,
  spec: fc.record({
    tier: mostly(fc.constantFrom('default', 'security', 'kube-admin', 'nowhere', undefined)),
    stagedAction: mostly(fc.constantFrom('Set', 'Delete', 'Learn', undefined)),
    order: mostly(fc.constantFrom(100, 1000, undefined)),
    selector,
    types: mostly(fc.constantFrom(['Ingress'], ['Ingress', 'Egress'], undefined)),
    ingress: rules,
    egress: rules,
  }, { requiredKeys: [] }),
});
const tier = fc.record({
  apiVersion: fc.constant('projectcalico.org/v3'),
  kind: fc.constant('Tier'),
  metadata: fc.record({ name: mostly(fc.constantFrom('security', 'default', 'other')) }),
  spec: fc.record({
    order: mostly(fc.constantFrom(100, 1_000_000, undefined)),
    defaultAction: mostly(fc.constantFrom('Deny', 'Pass', undefined)),
  }, { requiredKeys: [] }),
});
const peer = mostly(fc.constantFrom({ namespaces: {} }, { pods: { podSelector: { matchLabels: { app: 'web' } } } }, { networks: ['10.0.0.0/8'] }, { nodes: {} }));
const clusterRule = fc.record({
  action: mostly(fc.constantFrom('Accept', 'Allow', 'Deny', 'Pass')),
  from: mostly(fc.array(peer, { maxLength: 2 })),
  to: mostly(fc.array(peer, { maxLength: 2 })),
  protocols: mostly(fc.constantFrom([{ tcp: { destinationPort: { number: 80 } } }], [{ destinationNamedPort: 'http' }], [{}], undefined)),
  ports: mostly(fc.constantFrom([{ portNumber: { port: 80 } }], [{ portRange: { start: 80, end: 90, protocol: 'UDP' } }], [{ namedPort: 'http' }], undefined)),
}, { requiredKeys: ['action'] });
const clusterPolicy = fc.record({
  apiVersion: fc.constantFrom('policy.networking.k8s.io/v1alpha2', 'policy.networking.k8s.io/v1alpha1'),
  kind: fc.constantFrom('ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'),
  metadata: meta,
  spec: fc.record({
    tier: mostly(fc.constantFrom('Admin', 'Baseline')),
    priority: mostly(fc.constantFrom(0, 10, 1000)),
    subject: mostly(fc.constantFrom({ namespaces: {} }, { pods: { podSelector: { matchLabels: { app: 'api' } } } })),
    ingress: mostly(fc.array(clusterRule, { maxLength: 2 })),
    egress: mostly(fc.array(clusterRule, { maxLength: 2 })),
  }, { requiredKeys: [] }),
});
const kubernetesPolicy = fc.record({
  apiVersion: fc.constantFrom('networking.k8s.io/v1', 'projectcalico.org/v3'),
  kind: fc.constantFrom('NetworkPolicy', 'NetworkPolicy', 'StagedKubernetesNetworkPolicy'),
  metadata: meta,
  spec: fc.record({
    podSelector: mostly(fc.record({ matchLabels: labels }, { requiredKeys: [] })),
    ingress: mostly(fc.array(fc.record({
      from: mostly(fc.constantFrom([{ podSelector: {} }], [{ namespaceSelector: { matchLabels: { team: 'web' } } }], [{ ipBlock: { cidr: '10.0.0.0/8' } }])),
      ports: mostly(fc.constantFrom([{ port: 80 }], [{ port: 'http', protocol: 'TCP' }])),
    }, { requiredKeys: [] }), { maxLength: 2 })),
  }, { requiredKeys: [] }),
});
const workload = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1'),
  kind: fc.constantFrom('Pod', 'Deployment', 'Namespace', 'ServiceAccount'),
  metadata: meta,
  spec: mostly(fc.constantFrom(
    { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    { template: { metadata: { labels: { app: 'web' } }, spec: {} } },
  )),
});
const networkSet = fc.record({
  apiVersion: fc.constant('projectcalico.org/v3'),
  kind: fc.constantFrom('GlobalNetworkSet', 'NetworkSet'),
  metadata: meta,
  spec: fc.record({ nets: mostly(pool([['203.0.113.0/24']], [['bad']])) }, { requiredKeys: [] }),
});
const manifests = fc.array(mostly(fc.oneof(calicoPolicy, kubernetesPolicy, workload, networkSet, tier, clusterPolicy)), { maxLength: 6 });
const version = fc.constantFrom(CalicoVersion.V3_32_1, CalicoVersion.V3_31_7);

const flow = arbitraryOf('struct Flow', {
  fields: {
    namespaceName: namespace,
    labels,
    ip: pool([undefined, undefined, '10.0.0.5', '203.0.113.7'], ['fd00::5', 'nope']),
    workloadName: pool([undefined], ['web', 'a']),
    namedPorts: pool([undefined, [{ name: 'http', port: 8080 }]], [[{ name: 'http' }], 'http']),
    protocol: pool([undefined, 'TCP', 'udp'], ['ICMP', 'GRE', '6', 'SCTP']),
    port: mostly(pool([80, 443, 8080], [undefined, 0])),
    sourcePort: pool([undefined], [1234, 0]),
    icmpType: pool([undefined], [8, 300]),
    icmpCode: pool([undefined], [0, 3]),
  },
});

/** Calls `f`; our error is an answer too. Anything else thrown fails the property. */
function answer<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!CalicoErrors.isValidationError(e)) throw e;
    return undefined;
  }
}

test('random manifests and flows get a verdict or our error, never a crash', () => {
  let verdicts = 0;
  fc.assert(fc.property(manifests, fc.array(flow, { minLength: 1, maxLength: 3 }), version, fc.boolean(), (docs, flows, calicoVersion, enforceStaged) => {
    const model = answer(() => PolicyModel.fromManifests(docs, { calicoVersion }));
    if (!model) return;
    for (const f of flows) {
      const verdict = answer(() => model.evaluate(f as Flow, { enforceStaged }));
      if (!verdict) continue;
      verdicts++;
      expect(typeof verdict.allowed).toBe('boolean');
      expect(verdict.allowed).toBe(verdict.egress.allowed && verdict.ingress.allowed);
      expect(typeof verdict.summary).toBe('string');
      // Deterministic: the same question, the same answer (from a model read again, too).
      expect(model.evaluate(f as Flow, { enforceStaged })).toEqual(verdict);
      expect(PolicyModel.fromManifests(docs, { calicoVersion }).evaluate(f as Flow, { enforceStaged })).toEqual(verdict);
      // Without staged policies in the input, previewing them changes nothing.
      if (!model.policies.some(p => p.staged)) expect(model.evaluate(f as Flow, { enforceStaged: !enforceStaged })).toEqual(verdict);
    }
    for (const w of model.workloads) expect(answer(() => model.workload(w.namespaceName!, w.workloadName!))).toBeDefined();
  }), { ...FUZZ_RUNS, numRuns: FUZZ_RUNS.numRuns * 4 }); // the model is quick: more runs for the same time
  expect(verdicts).toBeGreaterThan(50);
}, 120_000);
