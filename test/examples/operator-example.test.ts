// examples/operator (issue 16): the reference architecture's facts (three subnets, 200 nodes,
// route reflectors, default deny) installed by the Tigera operator.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { CalicoStage, CalicoVersion, InstallMode } from '../../src';
import { OperatorChart } from '../../examples/operator/chart';
import { ReferenceChart } from '../../examples/reference/chart';
import { lint } from '../../src/cli/lint';
import { differencesFrom } from '../install/install-util';
import { findAll, findObject, REFERENCE_DATA, synth } from '../support/util';
import { runExampleMain } from '../support/examples';

const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const chart = new OperatorChart(Testing.app(), 'operator');
const manifests = synth(chart);
const installation = findObject(manifests, 'Installation', 'default');

test('the Installation encodes IP-in-IP CrossSubnet, MTU 1480 and BGP enabled, with node addresses from the three subnets', () => {
  expect(chart.calico.installMode).toBe(InstallMode.OPERATOR);
  expect(installation.spec.calicoNetwork).toEqual({
    bgp: 'Enabled',
    linuxDataplane: 'Iptables',
    mtu: 1480,
    ipPools: [{ name: 'default-ipv4-ippool', cidr: '192.168.0.0/16', blockSize: 26, encapsulation: 'IPIPCrossSubnet', natOutgoing: 'Enabled', nodeSelector: 'all()' }],
    nodeAddressAutodetectionV4: { cidrs: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'] },
  });
  expect(findObject(manifests, 'APIServer', 'default')).toBeDefined();
});

test('the operator objects equal upstream\'s tigera-operator.yaml of v3.32.1', () => {
  const upstream = YAML.parseAllDocuments(fs.readFileSync(path.join(REFERENCE_DATA, CalicoVersion.V3_32_1.tag, 'operator.yaml'), 'utf8'))
    .map(d => d.toJS()).filter(d => d && d.kind);
  const rendered = manifests.filter(m => upstream.some(u => u.kind === m.kind && u.metadata.name === m.metadata.name));
  expect(rendered.length).toBe(upstream.length);
  expect(differencesFrom(upstream, rendered)).toEqual([]);
});

test('no calico-node, Typha or kube-controllers object is rendered, nor the default IPPool', () => {
  const workloads = manifests.filter(m => ['DaemonSet', 'Deployment', 'Service', 'PodDisruptionBudget', 'ConfigMap'].includes(m.kind));
  expect(workloads.map(m => `${m.kind}/${m.metadata.name}`)).toEqual(['Deployment/tigera-operator']);
  expect(findAll(manifests, 'IPPool')).toEqual([]);
});

test('route reflectors and the BGP configuration are the reference example\'s objects; the default deny leaves the operator\'s namespaces alone', () => {
  const reference = synth(new ReferenceChart(Testing.app(), 'reference'));
  const bgp = (set: any[]) => set.filter(m => ['BGPPeer', 'BGPConfiguration', 'Node'].includes(m.kind) || (m.kind === 'NetworkPolicy' && m.metadata.namespace === 'org-1'));
  expect(bgp(manifests)).toEqual(bgp(reference));
  expect(bgp(manifests).length).toBe(7);
  expect(findObject(manifests, 'BGPConfiguration', 'default').spec.nodeToNodeMeshEnabled).toBe(false);
  expect(findObject(manifests, 'GlobalNetworkPolicy', 'default-deny').spec.namespaceSelector)
    .toBe('(has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "calico-system", "kube-system", "tigera-operator"})');
});

test('the stages: the CRDs, the operator and its resources, the Calico resources, the nodes, the BGP configuration', () => {
  expect(chart.calico.stageCharts.map(s => s.stage)).toEqual([CalicoStage.CRDS, CalicoStage.INSTALL, CalicoStage.RESOURCES, CalicoStage.NODES, CalicoStage.BGP]);
  expect(chart.calico.applySteps[1].waitCommand).toContain('tigerastatus/calico tigerastatus/apiserver');
});

test('lint finds nothing wrong with the example\'s Installation', () => {
  const result = lint({ objects: manifests.map(manifest => ({ manifest })), errors: [], files: [] },
    { nodes: 200, networkMtu: 1500, nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'] });
  expect(result.findings.filter(f => f.rule.startsWith('installation-') || f.rule === 'veth-mtu')).toEqual([]);
});

test('main.ts writes the stages and the architecture report, which says Typha is sized by the operator', () => {
  const outdir = runExampleMain('operator');
  const files = fs.readdirSync(outdir).sort();
  expect(files).toEqual(['0000-operator-crds.k8s.yaml', '0001-operator-install.k8s.yaml', '0002-operator.k8s.yaml',
    '0003-operator-nodes.k8s.yaml', '0004-operator-bgp.k8s.yaml', 'calico-architecture.md', 'calico-reachability.svg']);
  const report = fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8');
  expect(report).toContain('Typha: **sized by the Tigera operator**');
  expect(report).toContain('| default-ipv4-ippool | 192.168.0.0/16 |');
  expect(report).toContain('| typha-replicas | sized by the operator |');
});
