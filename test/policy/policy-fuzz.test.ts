// Random props for the policy constructs, from their generated descriptions: each either
// synthesizes manifests that pass the Calico CRD schemas (and, for the Kubernetes override, the
// Kubernetes API schema), or is refused with our error. Never a crash.
import * as fc from 'fast-check';
import { CalicoNamespaceOverride, DefaultDenyPolicy, GlobalNetworkPolicy, KubernetesNamespaceOverride, NetworkPolicy } from '../../src';
import { arbitraryOf, attempt, FUZZ_RUNS } from '../support/fuzz';
import { k8sSchemaErrors } from '../support/k8s-schema';
import { crdSchemaErrors } from '../support/util';

const oneOf = (...values: unknown[]) => fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, fc.constantFrom(...values));

const POLICY_FIELDS = {
  strings: ['org-1', 'kube-system', 'web', 'app', 'http', 'default', 'Bad_Name'],
  fields: {
    namespaceName: fc.constantFrom('org-1', 'default', 'Org_1', ''),
    nets: oneOf(['10.0.0.0/8'], ['10.0.0.0/8', 'fd00::/64'], ['not-a-net'], []),
    notNets: oneOf(['10.1.0.0/16']),
    systemNamespaces: oneOf(['kube-system'], ['kube-system', 'calico-system'], ['calico-system']),
    order: oneOf(100, 1500, 2000, 500.5, -1, NaN),
    names: oneOf(['web'], ['']),
    methods: oneOf(['GET'], ['GET', 'GET'], ['get']),
    exact: oneOf('/health', 'health'),
    prefix: oneOf('/api', ''),
    icmpType: oneOf(8, 0, 255, 300),
    code: oneOf(0, 4, 256),
  },
};

const CONSTRUCTS: Array<[string, new (scope: any, id: string, props: any) => unknown]> = [
  ['GlobalNetworkPolicy', GlobalNetworkPolicy],
  ['NetworkPolicy', NetworkPolicy],
  ['DefaultDenyPolicy', DefaultDenyPolicy],
  ['KubernetesNamespaceOverride', KubernetesNamespaceOverride],
  ['CalicoNamespaceOverride', CalicoNamespaceOverride],
];

const propsOf = (name: string) => (name === 'KubernetesNamespaceOverride' ? 'NamespaceOverrideProps' : `${name}Props`);

test.each(CONSTRUCTS)('random %s props either synthesize schema-valid manifests or fail with our error', (name, construct) => {
  let synthesized = 0;
  fc.assert(fc.property(arbitraryOf(`struct ${propsOf(name)}`, POLICY_FIELDS), props => {
    const outcome = attempt(chart => new construct(chart, 'policy', props));
    if (!outcome.manifests) return;
    synthesized++;
    expect(crdSchemaErrors(outcome.manifests)).toEqual([]);
    expect(k8sSchemaErrors(outcome.manifests.filter(m => m.apiVersion === 'networking.k8s.io/v1'))).toEqual([]);
  }), FUZZ_RUNS);
  expect(synthesized).toBeGreaterThan(5);
}, 120_000);
