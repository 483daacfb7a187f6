// Random props for the BGP topology constructs, from their generated descriptions: each either
// synthesizes (with its cluster) manifests that pass the Calico CRD schemas, or is refused with
// our error. Never a crash.
import * as fc from 'fast-check';
import { AsNumber, CalicoCluster, CalicoClusterProps, Encapsulation, RoutablePodPool, RoutableServices, RouteReflectorPool, TopOfRackPeering } from '../../src';
import { absentOr, arbitraryOf, expectSynthesisOrOurError } from '../support/fuzz';
import { crdSchemaErrors } from '../support/util';

const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

/** Stands for the chart's cluster, which exists only once the chart does. */
const CLUSTER = Symbol('the cluster');

const BASE_FIELDS = {
  strings: ['rr-1', 'rr-2', 'node-1', 'a', 'b', 'rack', 'tor-a', '244.0.0.1', '10.0.0.10', '10.0.1.10', '10.0.0.0/24', 'Bad_Name', ''],
  fields: {
    cluster: fc.oneof({ weight: 20, arbitrary: fc.constant(CLUSTER) }, fc.constantFrom(undefined, 'calico', {})),
    cidr: fc.constantFrom('10.64.0.0/16', '10.64.0.0/24', '10.0.0.0/16', 'fd00:10:64::/56', 'nope'),
    ip: fc.constantFrom('10.0.0.1', '10.0.1.1', 'fd00::1', '300.0.0.1'),
    ipv4Address: fc.constantFrom('10.0.0.10', '10.0.1.10', '10.0.2.10', 'fd00::10'),
    clusterId: absentOr('244.0.0.1', '10.0.0.1', 'not-an-ip'),
    clusterIps: absentOr(['10.96.0.0/12'], ['10.96.0.0/16'], ['10.96.0.1/12'], []),
    externalIps: absentOr(['203.0.113.0/24'], ['lb']),
    loadBalancerIps: absentOr(['198.51.100.0/24']),
    blockSize: absentOr(26, 28, 33),
    numAllowedLocalAsNumbers: absentOr(1, 0, 11, -1),
    maxRoutableNodes: absentOr(10, 100, 0), maxNonRoutableNodes: absentOr(10, 100), maxPodsPerNode: absentOr(110, 0, 250),
  },
};

/** Now a list that fits the clusters below, now a random one. */
const fitting = (phrase: string, ...lists: unknown[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...lists) }, arbitraryOf(phrase, BASE_FIELDS));

const TOPOLOGY_FIELDS = {
  ...BASE_FIELDS,
  fields: {
    ...BASE_FIELDS.fields,
    reflectors: fitting('optional array of struct RouteReflectorNode',
      [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10' }, { nodeName: 'rr-2', ipv4Address: '10.0.0.11' }],
      [{ nodeName: 'rr-1', ipv4Address: '10.0.0.10' }, { nodeName: 'rr-2', ipv4Address: '10.0.1.10' }, { nodeName: 'rr-3', ipv4Address: '10.0.2.10' }]),
    racks: fitting('optional array of struct TopOfRackRouter',
      [{ rack: 'a', ip: '10.0.0.1', asNumber: AsNumber.of(65001) }],
      [{ rack: 'a', ip: '10.0.0.1', asNumber: AsNumber.of(65001) }, { rack: 'b', ip: '10.0.1.1', asNumber: AsNumber.parse('1.10') }]),
  },
};

const clusterProps = fc.constantFrom<CalicoClusterProps>(
  { network: { nodeSubnets: ['10.0.0.0/24'] } },
  { network: { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'] }, expectedNodes: 200 },
  { encapsulation: Encapsulation.VXLAN },
  {},
);

/** The props with the chart's cluster where they stand for it (read without running a getter or a trap). */
function withCluster(props: any, cluster: CalicoCluster): any {
  const given = props && typeof props === 'object' ? Object.getOwnPropertyDescriptor(props, 'cluster')?.value : undefined;
  return given === CLUSTER ? { ...props, cluster } : props;
}

const CONSTRUCTS: Array<[string, new (scope: any, id: string, props: any) => unknown]> = [
  ['RouteReflectorPool', RouteReflectorPool],
  ['TopOfRackPeering', TopOfRackPeering],
  ['RoutablePodPool', RoutablePodPool],
  ['RoutableServices', RoutableServices],
];

test.each(CONSTRUCTS)('random %s props either synthesize schema-valid manifests or fail with our error', (name, construct) => {
  expectSynthesisOrOurError(fc.tuple(clusterProps, arbitraryOf(`struct ${name}Props`, TOPOLOGY_FIELDS)), (chart, [cp, props]) => {
    new construct(chart, 'topology', withCluster(props, new CalicoCluster(chart, 'calico', cp)));
  }, manifests => expect(crdSchemaErrors(manifests)).toEqual([]));
}, 120_000);
