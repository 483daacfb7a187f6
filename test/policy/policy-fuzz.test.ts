// Random props for the policy constructs, from their generated descriptions: each either
// synthesizes manifests that pass the Calico CRD schemas (and, for the Kubernetes override, the
// Kubernetes API schema), or is refused with our error. Never a crash.
import * as fc from 'fast-check';
import { CalicoNamespaceOverride, DefaultDenyPolicy, GlobalNetworkPolicy, KubernetesNamespaceOverride, NetworkPolicy } from '../../src';
import { absentOr, arbitraryOf, expectSynthesisOrOurError } from '../support/fuzz';
import { k8sSchemaErrors } from '../support/k8s-schema';
import { crdSchemaErrors } from '../support/util';


const POLICY_FIELDS = {
  strings: ['org-1', 'kube-system', 'web', 'app', 'http', 'default', 'Bad_Name'],
  fields: {
    namespaceName: fc.constantFrom('org-1', 'default', 'Org_1', ''),
    nets: absentOr(['10.0.0.0/8'], ['10.0.0.0/8', 'fd00::/64'], ['not-a-net'], []),
    notNets: absentOr(['10.1.0.0/16']),
    systemNamespaces: absentOr(['kube-system'], ['kube-system', 'calico-system'], ['calico-system']),
    order: absentOr(100, 1500, 2000, 500.5, -1, NaN),
    names: absentOr(['web'], ['']),
    methods: absentOr(['GET'], ['GET', 'GET'], ['get']),
    exact: absentOr('/health', 'health'),
    prefix: absentOr('/api', ''),
    icmpType: absentOr(8, 0, 255, 300),
    code: absentOr(0, 4, 256),
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
  expectSynthesisOrOurError(arbitraryOf(`struct ${propsOf(name)}`, POLICY_FIELDS), (chart, props) => new construct(chart, 'policy', props), manifests => {
    expect(crdSchemaErrors(manifests)).toEqual([]);
    expect(k8sSchemaErrors(manifests.filter(m => m.apiVersion === 'networking.k8s.io/v1'))).toEqual([]);
  });
}, 120_000);
