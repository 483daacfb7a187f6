// Random props for every Calico resource construct, from their generated descriptions: each
// either synthesizes a manifest that passes its Calico CRD schema (in both API groups), or is
// refused with our error. Never a crash.
import * as fc from 'fast-check';
import {
  BgpConfiguration, BgpFilter, BgpPeer, CalicoApi, CalicoApiVersion, CalicoNode, CalicoNodeStatus, CalicoVersion, FelixConfiguration,
  GlobalNetworkSet, HostEndpoint, IpamConfiguration, IpPool, IpReservation, KubeControllersConfiguration, NetworkSet, StagedGlobalNetworkPolicy,
  StagedKubernetesNetworkPolicy, StagedNetworkPolicy, Tier,
} from '../../src';
import { absentOr, arbitraryOf, expectSynthesisOrOurError } from '../support/fuzz';
import { crdSchemaErrors } from '../support/util';
import { LINE_VERSIONS } from '../support/versions';


const RESOURCE_FIELDS = {
  fields: {
    name: absentOr('default', 'node.node-1', 'pool-a', 'Bad_Name'),
    cidr: fc.constantFrom('10.244.0.0/16', 'fd00:10:244::/56', '10.244.0.1/16', 'nope', undefined),
    peerIp: absentOr('10.0.0.1', '10.0.0.1:1790', 'fd00::1', 'nope'),
    node: fc.constantFrom('node-1', 'node-2', 'Node_1', undefined),
    interfaceName: absentOr('eth0', '*', 'bad name'),
    expectedIps: absentOr(['10.0.0.5'], ['nope']),
    nets: absentOr(['10.0.0.0/8'], ['10.0.0.1', 'fd00::/64'], ['nope']),
    reservedCidrs: absentOr(['10.0.0.0/24'], ['nope']),
    namespaceName: absentOr('org-1', 'default'),
    ipv4Address: absentOr('10.0.0.10/24', '10.0.0.10', 'nope'),
  },
};

const RESOURCES: Array<[string, new (scope: any, id: string, props: any) => unknown]> = [
  ['BgpConfiguration', BgpConfiguration],
  ['BgpFilter', BgpFilter],
  ['BgpPeer', BgpPeer],
  ['CalicoNode', CalicoNode],
  ['FelixConfiguration', FelixConfiguration],
  ['GlobalNetworkSet', GlobalNetworkSet],
  ['NetworkSet', NetworkSet],
  ['HostEndpoint', HostEndpoint],
  ['IpPool', IpPool],
  ['IpReservation', IpReservation],
  ['KubeControllersConfiguration', KubeControllersConfiguration],
];

test.each(RESOURCES)('random %s props either synthesize schema-valid manifests or fail with our error', (name, construct) => {
  // FelixConfiguration has ~120 fields: a few at a time, or nearly every props object has a bad one.
  const options = { ...RESOURCE_FIELDS, absent: name === 'FelixConfiguration' ? 40 : 2 };
  expectSynthesisOrOurError(fc.tuple(arbitraryOf(`struct ${name}Props`, options), fc.boolean()), (chart, [props, crd]) => {
    if (crd) CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new construct(chart, 'resource', props);
  }, manifests => expect(crdSchemaErrors(manifests)).toEqual([]));
}, 120_000);

// The kinds new since v3.28, on either supported line: the random props are checked against the
// CRD schema of the line the chart is set to.
const LINE_RESOURCES: Array<[string, new (scope: any, id: string, props: any) => unknown]> = [
  ['Tier', Tier],
  ['CalicoNodeStatus', CalicoNodeStatus],
  ['StagedGlobalNetworkPolicy', StagedGlobalNetworkPolicy],
  ['StagedNetworkPolicy', StagedNetworkPolicy],
  ['StagedKubernetesNetworkPolicy', StagedKubernetesNetworkPolicy],
  ['IpamConfiguration', IpamConfiguration],
];

const LINE_FIELDS = {
  fields: {
    ...RESOURCE_FIELDS.fields,
    name: absentOr('default', 'security', 'security.p', 'Bad_Name'),
    order: absentOr(100, 1000, 1_000_000, -1, 0.5),
    updatePeriodSeconds: absentOr(0, 10, 86_400, 86_401, -1),
    maxBlocksPerHost: absentOr(0, 4, -1),
  },
};

const LINE_CASES = LINE_RESOURCES.flatMap(([name, construct]) => LINE_VERSIONS.map(version => [name, version.line, construct, version] as const));

test.each(LINE_CASES)('random %s props on Calico %s either synthesize schema-valid manifests or fail with our error', (name, _line, construct, version) => {
  expectSynthesisOrOurError(fc.tuple(arbitraryOf(`struct ${name}Props`, LINE_FIELDS), fc.boolean()), (chart, [props, crd]) => {
    CalicoVersion.use(chart, version);
    // The v3 IPAMConfiguration leaves out autoAllocateBlocks, which the IPAMConfig CRD requires and
    // the API server adds (ipam-configuration.test.ts pins that): its schema is checked as stored.
    if (crd || name === 'IpamConfiguration') CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new construct(chart, 'resource', props);
  }, manifests => expect(crdSchemaErrors(manifests, version)).toEqual([]));
}, 120_000);
