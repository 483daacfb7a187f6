// Random props for the Kubernetes admin policy constructs, from their generated descriptions: each
// either synthesizes objects that the line's CRDs accept (schema and CEL rules, checked offline),
// or is refused with our error. Never a crash.
import * as fc from 'fast-check';
import { AdminNetworkPolicy, BaselineAdminNetworkPolicy, BaselineDefaultDeny, CalicoVersion, ClusterNetworkPolicy } from '../../src';
import { readCrds } from '../support/crd-schema';
import { absentOr, arbitraryOf, expectSynthesisOrOurError } from '../support/fuzz';
import { checkOffline } from '../support/offline-check';
import { calicoCrdsFile } from '../support/util';

const FIELDS = {
  strings: ['web', 'app', 'http', 'kube-system', 'Bad_Name', ''],
  fields: {
    priority: fc.constantFrom(0, 10, 1000, 1001, -1, 2.5),
    name: absentOr('p', 'x'.repeat(101), 'Bad_Name'),
    systemNamespaces: absentOr(['kube-system'], ['kube-system', 'calico-system'], ['calico-system']),
  },
};

const CASES: Array<[string, CalicoVersion, (scope: any, id: string, props: any) => unknown]> = [
  ['ClusterNetworkPolicy', CalicoVersion.V3_32_1, (s, id, p) => new ClusterNetworkPolicy(s, id, p)],
  ['AdminNetworkPolicy', CalicoVersion.V3_31_7, (s, id, p) => new AdminNetworkPolicy(s, id, p)],
  ['BaselineAdminNetworkPolicy', CalicoVersion.V3_31_7, (s, id, p) => new BaselineAdminNetworkPolicy(s, id, p)],
  ['BaselineDefaultDeny', CalicoVersion.V3_32_1, (s, id, p) => new BaselineDefaultDeny(s, id, p)],
];

test.each(CASES)('random %s props either synthesize objects the CRDs accept or fail with our error', (name, version, make) => {
  const crds = readCrds(calicoCrdsFile(version));
  expectSynthesisOrOurError(arbitraryOf(`struct ${name}Props`, FIELDS), (chart, props) => {
    CalicoVersion.use(chart, version);
    make(chart, 'policy', props);
  }, manifests => {
    expect(checkOffline(manifests.filter(m => String(m.apiVersion).startsWith('policy.networking.k8s.io/')), { crds }).errors).toEqual([]);
  });
}, 120_000);
