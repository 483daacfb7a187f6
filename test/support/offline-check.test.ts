import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { DefaultDenyChart } from '../../examples/default-deny/chart';
import { FullIpipChart } from '../../examples/full-ipip/chart';
import { MultiSubnetChart } from '../../examples/multi-subnet/chart';
import { ReferenceChart } from '../../examples/reference/chart';
import { RoutablePodsChart } from '../../examples/routable-pods/chart';
import { RoutableServicesChart } from '../../examples/routable-services/chart';
import { RouteReflectorsChart } from '../../examples/route-reflectors/chart';
import { SingleSubnetChart } from '../../examples/single-subnet/chart';
import { TorPeeringChart } from '../../examples/tor-peering/chart';
import { VxlanChart } from '../../examples/vxlan/chart';
import { CalicoCluster, CalicoVersion, DefaultDenyPolicy, RouteReflectorPool } from '../../src';
import { isCidr } from './cel-rules';
import { readCrds } from './crd-schema';
import { checkOffline, crdRuleCounts } from './offline-check';
import { calicoCrdsFile, REFERENCE_DATA, synth } from './util';
import { EACH_LINE } from './versions';

// The example charts quietly advise at synthesis (full mesh and the like).
beforeAll(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));

const CRDS_32 = readCrds(calicoCrdsFile(CalicoVersion.V3_32_1));
const V3_CRDS_32 = readCrds(path.join(REFERENCE_DATA, 'v3.32.1', 'v3-crds.yaml'));

const pool = (spec: object) => ({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'p' }, spec });

describe('the offline checker', () => {
  test('accepts an IPPool that fits its CRD', () => {
    expect(checkOffline([pool({ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Never' })], { crds: CRDS_32 }).errors).toEqual([]);
  });

  test('fails an IPPool with IPIP and VXLAN both on, by the CRD\'s CEL rule', () => {
    const { errors } = checkOffline([pool({ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' })], { crds: CRDS_32 });
    expect(errors).toEqual([expect.stringMatching(/^IPPool\/p: spec: ipipMode and vxlanMode cannot both be enabled \(rule '!has\(self.ipipMode\)/)]);
  });

  test('fails a rule nested in lists: ICMP code without type in a policy rule', () => {
    const gnp = { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' },
      spec: { ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { code: 1 } }] } };
    expect(checkOffline([gnp], { crds: CRDS_32 }).errors.join('\n')).toMatch(/GlobalNetworkPolicy\/g: spec.ingress\[0\].icmp: ICMP code specified without an ICMP type/);
  });

  test('fails a root rule on the name: a FelixConfiguration with a nodeSelector named default', () => {
    const felix = { apiVersion: 'crd.projectcalico.org/v1', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { nodeSelector: 'all()' } };
    expect(checkOffline([felix], { crds: CRDS_32 }).errors.join('\n')).toMatch(/FelixConfiguration\/default: <root>: nodeSelector must not be set on the 'default'/);
  });

  test('fails a rule that reads an unset field, as the API server does (no such key)', () => {
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'kube-admin' }, spec: { order: 1000 } };
    const errors = checkOffline([tier], { crds: V3_CRDS_32 }).errors.join('\n');
    expect(errors).toMatch(/Tier\/kube-admin: <root>: The 'kube-admin' tier must have default action 'Pass'/);
  });

  test('fails a field the strict schema does not declare', () => {
    expect(checkOffline([pool({ cidr: '10.0.0.0/16', blockSzie: 26 })], { crds: CRDS_32 }).errors.join('\n'))
      .toMatch(/IPPool\/p: spec: must NOT have additional properties \{"additionalProperty":"blockSzie"\}/);
  });

  test('fails a repeated item of a set list', () => {
    const gnp = { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec: { types: ['Ingress', 'Ingress'] } };
    expect(checkOffline([gnp], { crds: CRDS_32 }).errors.join('\n')).toMatch(/spec.types\[1\]: Duplicate value/);
  });

  test('fails a Kubernetes object against the 1.34 schema, and a name that is no DNS subdomain', () => {
    const errors = checkOffline([
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x', namespace: 'kube-system' }, spec: { maxUnavailable: 1, selectr: {} } },
      pool({ cidr: '10.0.0.0/16' }),
      { ...pool({ cidr: '10.0.0.0/16' }), metadata: { name: 'Not_DNS' } },
    ], { crds: CRDS_32 }).errors.join('\n');
    expect(errors).toMatch(/PodDisruptionBudget\/x: spec.selectr: unknown field/);
    expect(errors).toMatch(/IPPool\/Not_DNS: metadata.name: "Not_DNS" is not a DNS-1123 subdomain/);
  });

  test('compiles the CEL of admission policies: an undeclared variable or a syntax error fails', () => {
    const vap = (expression: string) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'v' },
      spec: { variables: [{ name: 'tier', expression: 'object.spec.tier' }], validations: [{ expression }] } });
    expect(checkOffline([vap('variables.tier != ""')], { crds: [] }).errors).toEqual([]);
    expect(checkOffline([vap('variables.tiers != ""')], { crds: [] }).errors.join('\n')).toMatch(/ValidatingAdmissionPolicy\/v: spec.validations\[0\].expression: does not compile/);
    expect(checkOffline([vap('object.spec.(')], { crds: [] }).errors.join('\n')).toMatch(/does not parse/);
  });

  test('isCIDR reads as Kubernetes\' does', () => {
    expect(['10.0.0.0/8', '10.1.2.3/8', 'fd00::/64', '0.0.0.0/0'].filter(isCidr)).toHaveLength(4);
    expect(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', 'fd00::/129', 'x/8', '10.0.0.0/8/8'].filter(isCidr)).toEqual([]);
  });
});

/** A CalicoCluster of a Calico release with the reference example's routing and policy. */
class ReferenceOfVersion extends Chart {
  constructor(scope: Construct, id: string, calicoVersion: CalicoVersion) {
    super(scope, id);
    const cluster = new CalicoCluster(this, 'calico', {
      calicoVersion,
      network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'], mtu: 1500 },
      expectedNodes: 200,
    });
    new RouteReflectorPool(this, 'route-reflectors', {
      cluster, clusterId: '244.0.0.1', dedicated: true,
      reflectors: [{ nodeName: 'rr-a', ipv4Address: '10.0.0.10' }, { nodeName: 'rr-b', ipv4Address: '10.0.4.10' }, { nodeName: 'rr-c', ipv4Address: '10.0.8.10' }],
    });
    new DefaultDenyPolicy(this, 'default-deny');
  }
}

describe.each(EACH_LINE)('Calico %s', (line, version) => {
  const manifests = synth(new ReferenceOfVersion(Testing.app(), 'reference', version));
  const bundled = manifests.filter(m => m.kind === 'CustomResourceDefinition');

  test('every CEL rule of the bundled CRDs compiles', () => {
    const counts = crdRuleCounts(bundled);
    console.log(`Calico ${line}: ${bundled.length} bundled CRDs, ${counts.compiled} CEL rules compiled, ${counts.transition} transition rules (update only)`);
    expect(bundled.length).toBeGreaterThan(15);
    expect(counts.compiled).toBe(line === 'v3.32' ? 86 : 5);
  });

  test('the reference cluster passes schema and CEL rules against the storage CRDs', () => {
    const report = checkOffline(manifests, { crds: bundled });
    expect(report.errors).toEqual([]);
    expect(report.crdObjects).toBeGreaterThan(5);
    expect(report.kubernetesObjects).toBeGreaterThan(bundled.length);
  });
});

test('every example passes schema and CEL rules against the bundled storage CRDs', () => {
  const charts = [DefaultDenyChart, FullIpipChart, MultiSubnetChart, ReferenceChart, RoutablePodsChart, RoutableServicesChart,
    RouteReflectorsChart, SingleSubnetChart, TorPeeringChart, VxlanChart];
  let objects = 0;
  let calicoObjects = 0;
  for (const ChartClass of charts) {
    const manifests = synth(new ChartClass(Testing.app(), 'example'));
    const report = checkOffline(manifests, { crds: manifests.filter(m => m.kind === 'CustomResourceDefinition') });
    expect({ chart: ChartClass.name, errors: report.errors }).toEqual({ chart: ChartClass.name, errors: [] });
    objects += manifests.length;
    calicoObjects += report.crdObjects;
  }
  console.log(`examples: ${objects} objects checked, ${calicoObjects} of them Calico objects against the storage CRDs`);
  expect(objects).toBeGreaterThan(100);
  expect(calicoObjects).toBeGreaterThan(30);
});

test('the native v3 CRDs of v3.32.1 compile, and upstream\'s v3 CRD install passes the 1.34 schema with its admission CEL', () => {
  const counts = crdRuleCounts(V3_CRDS_32);
  expect(counts.compiled).toBe(86);
  const install = YAML.parseAllDocuments(fs.readFileSync(path.join(REFERENCE_DATA, 'v3.32.1', 'install-v3-crds.yaml'), 'utf8'))
    .map(d => d.toJS()).filter(Boolean);
  const report = checkOffline([...V3_CRDS_32, ...install], { crds: V3_CRDS_32 });
  expect(report.errors).toEqual([]);
  expect(report.admissionExpressions).toBe(6);
  // The JSONPatch mutations build messages, which cel-js does not read.
  expect(report.notCompiled).toEqual([
    'MutatingAdmissionPolicy/policytypes.policy.projectcalico.org: spec.mutations[0].jsonPatch.expression',
    'MutatingAdmissionPolicy/tierlabel.policy.projectcalico.org: spec.mutations[0].jsonPatch.expression',
    'MutatingAdmissionPolicy/tierlabel.policy.projectcalico.org: spec.mutations[1].jsonPatch.expression',
  ]);
});
