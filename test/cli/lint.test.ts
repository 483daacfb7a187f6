import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { BaselineDefaultDeny, CalicoCluster, CalicoVersion } from '../../src';
import { run, Run } from '../support/cli';
import * as validate from '../../src/validation/validate';
import { AUDIT_RULES } from '../../src/analysis/lint-rules';
import { upstreamTyphaFile } from '../support/util';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');
const CLEAN = path.join(FIXTURES, 'clean');
const fixture = (name: string) => path.join(FIXTURES, name);

/** The finding lines of a run, with the fixture directory shortened to `<fixtures>`. */
function lines(r: Run): string[] {
  return r.out.split('\n').filter(l => l !== '').map(l => l.split(FIXTURES).join('<fixtures>').split(tmp).join('<tmp>'));
}

/** Rules of the findings of a run. */
function rules(r: Run): string[] {
  return [...r.out.matchAll(/ \[([a-z-]+)\] /g)].map(m => m[1]);
}

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-lint-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of a clean fixture file with its documents changed, written to the temp dir. */
function changed(file: string, change: (docs: any[]) => void): string {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(CLEAN, file), 'utf8')).map(d => d.toJS());
  change(docs);
  const target = fs.mkdtempSync(path.join(tmp, 'case-'));
  fs.writeFileSync(path.join(target, file), docs.map(d => YAML.stringify(d)).join('---\n'));
  return path.join(target, file);
}

const byKind = (docs: any[], kind: string) => docs.find(d => d.kind === kind);
const nodeEnv = (docs: any[]) => byKind(docs, 'DaemonSet').spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
const setEnv = (docs: any[], name: string, value: string | undefined) => {
  const env = nodeEnv(docs);
  const i = env.findIndex(e => e.name === name);
  if (value === undefined) env.splice(i, 1);
  else if (i >= 0) env[i] = { name, value };
  else env.push({ name, value });
};

describe('cdk8s-calico lint on upstream manifests', () => {
  const upstream = upstreamTyphaFile('v3.32.1');

  test('finds Typha\'s single replica and the missing default deny in calico-typha.yaml', () => {
    const r = run('lint', upstream);
    expect(r.code).toBe(1);
    expect(lines(r).map(l => l.replace(upstream, 'calico-typha.yaml'))).toEqual([
      expect.stringMatching(/^calico-typha\.yaml:947: Deployment\/kube-system\/calico-typha \[typha-replicas\] Typha runs 1 replica\(s\); production clusters run at least 3 .*set spec.replicas to 3$/),
      expect.stringMatching(/^\(input\): \[no-default-deny\] no GlobalNetworkPolicy denies traffic by default/),
    ]);
    expect(r.err).toBe('cdk8s-calico lint: 2 findings (18 objects in 1 file, checked for Calico v3.32.1)\n');
  });

  test('applies the operator\'s rule and the mesh limit for the node count given', () => {
    const r = run('lint', upstream, '--nodes', '600', '--network-mtu', '9001');
    expect(rules(r)).toEqual(['bgp-mesh-size', 'typha-replicas', 'no-default-deny']);
    expect(r.out).toContain('Typha runs 1 replica(s), fewer than the 5 the Tigera operator runs for 600 nodes');
    expect(r.out).toContain('the node-to-node mesh is on for 600 nodes: 179700 BGP sessions, 599 on every node');
  });
});

describe('every rule', () => {
  test('the clean fixture has no findings (exit 0)', () => {
    const r = run('lint', CLEAN);
    expect(r).toEqual({ code: 0, out: '', err: 'cdk8s-calico lint: no findings (7 objects in 2 files, checked for Calico v3.32.1)\n' });
  });

  test('invalid-resource: every Calico object through validateManifest, at the line of the field', () => {
    // The fixture's Tier holds no policy (empty-tier, tested in lint-policy-rules.test.ts).
    const r = run('lint', CLEAN, fixture('invalid-ippool.yaml'), '--disable', 'empty-tier');
    expect(r.code).toBe(1);
    expect(lines(r)).toEqual([
      '<fixtures>/invalid-ippool.yaml:7: IPPool/broken [invalid-resource] spec.blockSize: blockSize 33 is out of range for IPv4 (20-32); use a value from 20 to 32 (default 26)',
      // Tier is a kind validateManifest knows since the v3.31/v3.32 lines (v3.28 had none): its default action is Deny or Pass.
      expect.stringMatching(/^<fixtures>\/invalid-ippool\.yaml:15: Tier\/security \[invalid-resource\] spec\.defaultAction: defaultAction 'Allow' is not one of Deny, Pass/),
    ]);
  });

  test('datastore: calico-node without DATASTORE_TYPE runs on etcd', () => {
    const r = run('lint', changed('install.yaml', docs => setEnv(docs, 'DATASTORE_TYPE', undefined)), path.join(CLEAN, 'calico.yaml'));
    expect(rules(r)).toEqual(['datastore']);
    expect(r.out).toContain("calico-node uses the 'etcdv3' datastore (DATASTORE_TYPE is not set, and calico-node then defaults to etcdv3)");
  });

  test('no-typha: no Typha Deployment, or Felix not pointed at it', () => {
    const noDeployment = run('lint', changed('install.yaml', docs => docs.splice(docs.findIndex(d => d.kind === 'Deployment'), 1)), path.join(CLEAN, 'calico.yaml'));
    expect(rules(noDeployment)).toEqual(['no-typha']);
    expect(noDeployment.out).toContain('calico-node runs without Typha (there is no calico-typha Deployment)');
    const notUsed = run('lint', changed('install.yaml', docs => { byKind(docs, 'ConfigMap').data.typha_service_name = 'none'; }), path.join(CLEAN, 'calico.yaml'));
    expect(rules(notUsed)).toEqual(['no-typha']);
    expect(notUsed.out).toContain('FELIX_TYPHAK8SSERVICENAME does not name the Typha Service');
  });

  test('typha-replicas: below the operator\'s rule for --nodes, and more than the nodes', () => {
    const few = run('lint', CLEAN, '--nodes', '1000');
    expect(lines(few)).toEqual([
      expect.stringMatching(/^<fixtures>\/clean\/calico\.yaml:30: BGPConfiguration\/default \[bgp-mesh-size\]/),
      expect.stringMatching(/^<fixtures>\/clean\/install\.yaml:19: Deployment\/kube-system\/calico-typha \[typha-replicas\] Typha runs 3 replica\(s\), fewer than the 7 .*set spec.replicas to 7$/),
    ]);
    const many = run('lint', CLEAN, '--nodes', '2');
    expect(many.out).toContain('Typha runs 3 replicas on 2 nodes, but it binds host port 5473');
    expect(run('lint', CLEAN, '--nodes', '5').code).toBe(0);
  });

  test('ipip-and-vxlan: in calico-node\'s environment, in FelixConfiguration, and across pools', () => {
    const env = run('lint', changed('install.yaml', docs => setEnv(docs, 'CALICO_IPV4POOL_VXLAN', 'Always')), path.join(CLEAN, 'calico.yaml'));
    expect(rules(env)).toEqual(['ipip-and-vxlan']);
    expect(env.out).toContain("(CALICO_IPV4POOL_IPIP 'CrossSubnet') and VXLAN (CALICO_IPV4POOL_VXLAN 'Always') at once");
    const felix = run('lint', path.join(CLEAN, 'install.yaml'), changed('calico.yaml', docs => { byKind(docs, 'FelixConfiguration').spec.vxlanEnabled = true; }));
    expect(rules(felix)).toEqual(['ipip-and-vxlan']);
    const pools = run('lint', path.join(CLEAN, 'install.yaml'), changed('calico.yaml', docs => {
      docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'vx' }, spec: { cidr: '10.200.0.0/16', vxlanMode: 'Always' } });
    }));
    expect(rules(pools)).toEqual(['ipip-and-vxlan']);
    expect(pools.out).toContain("IPPool 'default-ipv4-ippool' uses IP-in-IP and IPPool 'vx' uses VXLAN");
  });

  test('veth-mtu: checked against the encapsulation and --network-mtu', () => {
    expect(run('lint', CLEAN, '--network-mtu', '1500').code).toBe(0);
    const jumbo = run('lint', CLEAN, '--network-mtu', '9001');
    expect(rules(jumbo)).toEqual(['veth-mtu', 'veth-mtu']);
    expect(jumbo.out).toContain('veth_mtu 1480 does not fit IP-in-IP on a 9001-byte network: every packet wastes 7501 bytes; set veth_mtu to 8981 (9001 - 20)');
    expect(jumbo.out).toContain('FelixConfiguration ipipMTU 1480 differs from the 8981 that a 9001-byte network leaves after IP-in-IP; set it to 8981');
    const tooBig = run('lint', changed('install.yaml', docs => { byKind(docs, 'ConfigMap').data.veth_mtu = '1500'; }), path.join(CLEAN, 'calico.yaml'), '--network-mtu', '1500');
    expect(tooBig.out).toContain('veth_mtu 1500 does not fit IP-in-IP on a 1500-byte network: packets larger than 1480 bytes are fragmented or dropped');
    expect(rules(tooBig)).toEqual(['veth-mtu']);
    const noNetwork = run('lint', changed('install.yaml', docs => { byKind(docs, 'ConfigMap').data.veth_mtu = '9500'; }), path.join(CLEAN, 'calico.yaml'));
    expect(noNetwork.out).toContain('veth_mtu 9500 exceeds the largest network MTU (9216)');
  });

  test('bgp-mesh-size: the mesh with more than 50 nodes and no reflectors', () => {
    expect(run('lint', CLEAN, '--nodes', '50').code).toBe(0);
    const r = run('lint', CLEAN, '--nodes', '51');
    expect(lines(r)).toEqual([expect.stringMatching(/^<fixtures>\/clean\/calico\.yaml:30: BGPConfiguration\/default \[bgp-mesh-size\] the node-to-node mesh is on for 51 nodes: 1275 BGP sessions/)]);
  });

  test('route-reflectors: a single reflector', () => {
    const r = run('lint', path.join(CLEAN, 'install.yaml'), changed('calico.yaml', docs => { docs.splice(docs.findIndex(d => d.kind === 'BGPConfiguration'), 1); }), fixture('one-reflector.yaml'));
    expect(lines(r)).toEqual([expect.stringMatching(/^<fixtures>\/one-reflector\.yaml:11: Node\/rr-1 \[route-reflectors\] 'rr-1' is the only route reflector/)]);
  });

  test('route-reflectors: a node subnet without a reflector is reported only when every reflector\'s address is known', () => {
    const reflector = (name: string, address?: string) => ({
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name, labels: { 'route-reflector': 'true' },
        annotations: { 'projectcalico.org/RouteReflectorClusterID': '244.0.0.1', ...(address ? { 'projectcalico.org/IPv4Address': address } : {}) },
      },
    });
    const withReflectors = (...nodes: any[]) => changed('calico.yaml', docs => { docs.push(...nodes); });
    const subnets = ['--node-subnets', '10.0.0.0/24,10.0.1.0/24'];
    // Both in the first subnet: the second has none.
    const oneSubnet = run('lint', path.join(CLEAN, 'install.yaml'), withReflectors(reflector('rr-1', '10.0.0.10/24'), reflector('rr-2', '10.0.0.11/24')), ...subnets);
    expect(lines(oneSubnet).filter(l => l.includes('[route-reflectors]'))).toEqual([expect.stringMatching(/\[route-reflectors\] node subnet 10\.0\.1\.0\/24 has no route reflector/)]);
    // One per subnet: none.
    const covered = run('lint', path.join(CLEAN, 'install.yaml'), withReflectors(reflector('rr-1', '10.0.0.10/24'), reflector('rr-2', '10.0.1.10/24')), ...subnets);
    expect(rules(covered)).not.toContain('route-reflectors');
    // The Nodes as the library writes them, before calico-node annotated their addresses: nothing is proved.
    const unknown = run('lint', path.join(CLEAN, 'install.yaml'), withReflectors(reflector('rr-1'), reflector('rr-2')), ...subnets);
    expect(rules(unknown)).not.toContain('route-reflectors');
  });

  test('invalid-resource: a Kubernetes ClusterNetworkPolicy its CRD would refuse (priority above 1000)', () => {
    const cnp = (priority: number) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'deny-metadata' },
      spec: { tier: 'Admin', priority, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }] },
    });
    const file = (priority: number) => changed('calico.yaml', docs => { docs.push(cnp(priority)); });
    expect(rules(run('lint', CLEAN, file(10)))).not.toContain('invalid-resource');
    const bad = run('lint', CLEAN, file(5000));
    expect(lines(bad).filter(l => l.includes('[invalid-resource]'))).toEqual([expect.stringMatching(/ClusterNetworkPolicy\/deny-metadata \[invalid-resource\] .*priority/)]);
  });

  test('pool-overlap: pools whose CIDRs overlap', () => {
    const r = run('lint', CLEAN, fixture('pool-overlap.yaml'));
    expect(lines(r)).toEqual(["<fixtures>/pool-overlap.yaml:7: IPPool/extra [pool-overlap] IPPool 'extra' (192.168.128.0/17) overlaps IPPool 'default-ipv4-ippool' (192.168.0.0/16); Calico refuses overlapping pools, so give each pool a disjoint range"]);
  });

  test('duplicate-name: two objects of one kind and name, the second one located and the first named', () => {
    const file = changed('calico.yaml', docs => { docs.push({ ...byKind(docs, 'GlobalNetworkPolicy') }); });
    const r = run('lint', path.join(CLEAN, 'install.yaml'), file);
    expect(rules(r)).toEqual(['duplicate-name']);
    expect(lines(r)[0]).toMatch(/<tmp>\/case-[^/]+\/calico\.yaml:\d+: GlobalNetworkPolicy\/[a-z-.]+ \[duplicate-name\] GlobalNetworkPolicy name '[a-z-.]+' is already used by .*calico\.yaml:\d+; Calico keeps one/);
  });

  test('range-overlap: pools against the node subnets and service ranges given on the command line', () => {
    const clean = run('lint', CLEAN, '--node-subnets', '10.0.0.0/24,10.0.1.0/24', '--service-cidrs', '10.96.0.0/12');
    expect(clean.code).toBe(0);
    const overSubnet = run('lint', CLEAN, '--node-subnets', '192.168.1.0/24');
    expect(lines(overSubnet)).toEqual([expect.stringMatching(/calico\.yaml:\d+: IPPool\/default-ipv4-ippool \[range-overlap\] IPPool 'default-ipv4-ippool' \(192\.168\.0\.0\/16\) overlaps the node subnet 192\.168\.1\.0\/24; pods would get node addresses/)]);
    const overService = run('lint', CLEAN, '--service-cidrs', '192.168.0.0/12');
    expect(overService.code).toBe(2);
    expect(overService.err).toContain("--service-cidrs '192.168.0.0/12' is not a CIDR without host bits");
    expect(rules(run('lint', CLEAN, '--service-cidrs', '192.168.0.0/16'))).toEqual(['range-overlap']);
  });

  test('unresolved-reference: a BGPPeer filter that no BGPFilter in the input defines', () => {
    const file = changed('calico.yaml', docs => {
      docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'tor' }, spec: { peerIP: '10.0.0.1', asNumber: 65001, filters: ['missing'] } });
    });
    const r = run('lint', path.join(CLEAN, 'install.yaml'), file);
    expect(lines(r)).toEqual([expect.stringMatching(/calico\.yaml:\d+: BGPPeer\/tor \[unresolved-reference\] BGPPeer 'tor' applies BGPFilter 'missing', which is not defined/)]);
  });

  test('unresolved-reference: a policy in a tier that no Tier in the input defines (synthesis refuses it too)', () => {
    const file = changed('calico.yaml', docs => {
      docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'security.block' },
        spec: { tier: 'security', order: 10, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] } });
    });
    const r = run('lint', path.join(CLEAN, 'install.yaml'), file);
    expect(lines(r)).toEqual([expect.stringMatching(/calico\.yaml:\d+: GlobalNetworkPolicy\/security\.block \[unresolved-reference\] GlobalNetworkPolicy 'security\.block' is in tier 'security', which is not defined/)]);
    const withTier = changed('calico.yaml', docs => {
      docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } });
      docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'security.block' },
        spec: { tier: 'security', order: 10, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] } });
    });
    expect(rules(run('lint', path.join(CLEAN, 'install.yaml'), withTier))).not.toContain('unresolved-reference');
  });

  test('--disable skips rules by name, and refuses a name that is no rule', () => {
    const partial = fixture('pool-overlap.yaml');
    expect(rules(run('lint', partial))).toEqual(['no-default-deny']);
    expect(run('lint', partial, '--disable', 'no-default-deny')).toEqual({ code: 0, out: '', err: 'cdk8s-calico lint: no findings (1 object in 1 file, checked for Calico v3.32.1)\n' });
    expect(run('lint', CLEAN, fixture('pool-overlap.yaml'), '--disable', 'pool-overlap,typha-replicas', '--disable', 'veth-mtu').code).toBe(0);
    const bad = run('lint', CLEAN, '--disable', 'no-such-rule');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--disable 'no-such-rule' is not a rule; the rules are ");
  });

  test('namespace-label: a bare `name` label in Calico and Kubernetes policies', () => {
    const r = run('lint', CLEAN, fixture('namespace-label.yaml'));
    expect(lines(r)).toEqual([
      expect.stringMatching(/^<fixtures>\/namespace-label\.yaml:8: GlobalNetworkPolicy\/deny-outside-system \[namespace-label\] namespaceSelector 'name not in \{"kube-system"\}' tests the label 'name'.*its != \/ not in matches every namespace, kube-system included/),
      expect.stringMatching(/^<fixtures>\/namespace-label\.yaml:22: NetworkPolicy\/org-1\/from-monitoring \[namespace-label\] namespaceSelector tests the label 'name'/),
    ]);
  });

  test('namespace-label: not reported when every Namespace of the input carries `name`', () => {
    const withNamespaces = changed('calico.yaml', docs => {
      docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'org-1', labels: { name: 'org-1' } } });
    });
    expect(run('lint', path.join(CLEAN, 'install.yaml'), withNamespaces, fixture('namespace-label.yaml')).code).toBe(0);
  });

  test('no-default-deny: no GlobalNetworkPolicy that denies by default', () => {
    const r = run('lint', path.join(CLEAN, 'install.yaml'), changed('calico.yaml', docs => { docs.splice(docs.findIndex(d => d.kind === 'GlobalNetworkPolicy'), 1); }));
    // A finding about the whole input, not about one object (the policy is missing everywhere).
    expect(lines(r)).toEqual([expect.stringMatching(/^\(input\): \[no-default-deny\] no GlobalNetworkPolicy denies traffic by default/)]);
    const json = JSON.parse(run('lint', '--format', 'json', path.join(CLEAN, 'install.yaml')).out);
    expect(json.findings).toEqual([expect.objectContaining({ file: null, line: null, object: null, rule: 'no-default-deny' })]);
    // A policy that allows everything it selects is no default deny.
    const allowAll = run('lint', path.join(CLEAN, 'install.yaml'), changed('calico.yaml', docs => {
      const gnp = byKind(docs, 'GlobalNetworkPolicy');
      gnp.spec.types = ['Ingress'];
      gnp.spec.ingress = [{ action: 'Allow' }];
      delete gnp.spec.egress;
    }));
    expect(rules(allowAll)).toEqual(['no-default-deny']);
  });

  test('no-default-deny: a default deny of another kind counts (a Baseline ClusterNetworkPolicy on v3.32, the BaselineAdminNetworkPolicy on v3.31)', () => {
    for (const version of [CalicoVersion.V3_32_1, CalicoVersion.V3_31_7]) {
      const chart = new Chart(new App(), 'policies');
      CalicoVersion.use(chart, version);
      new BaselineDefaultDeny(chart, 'default-deny');
      const baseline = Testing.synth(chart);
      const file = changed('calico.yaml', docs => { docs.splice(docs.findIndex(d => d.kind === 'GlobalNetworkPolicy'), 1, ...baseline); });
      const r = run('lint', path.join(CLEAN, 'install.yaml'), file, '--calico-version', version.tag);
      expect(rules(r)).not.toContain('no-default-deny');
    }
  });

  test('route-propagation: the mesh off and nothing replacing it', () => {
    const r = run('lint', path.join(CLEAN, 'install.yaml'), changed('calico.yaml', docs => { byKind(docs, 'BGPConfiguration').spec.nodeToNodeMeshEnabled = false; }));
    expect(lines(r)).toEqual([expect.stringMatching(/calico\.yaml:\d+: BGPConfiguration\/default \[route-propagation\] 'nodes' has no BGP session: the node-to-node mesh is off and no BGPPeer selects it, so its pod routes reach no node and it learns none/)]);
  });

  test('calico-version: an image of an unsupported release or of no release, several releases, another line than --calico-version', () => {
    const setImage = (docs: any[], kind: string, image: string) => { byKind(docs, kind).spec.template.spec.containers[0].image = image; };
    const old = run('lint', changed('install.yaml', docs => setImage(docs, 'DaemonSet', 'docker.io/calico/node:v3.28.5')), path.join(CLEAN, 'calico.yaml'));
    expect(lines(old).map(l => l.replace(/^.*install\.yaml/, 'install.yaml'))).toEqual([
      'install.yaml:28: Deployment/kube-system/calico-typha [calico-version] the Calico images run several releases '
        + "('docker.io/calico/node:v3.28.5' and 'quay.io/calico/typha:v3.32.1'); set every Calico image to the same tag",
      "install.yaml:46: DaemonSet/kube-system/calico-node [calico-version] image 'docker.io/calico/node:v3.28.5': Calico v3.28 is not a supported line; "
        + "the library supports v3.32 and v3.31 (upstream supports its two newest minor lines); checked as v3.32.1, the release of 'quay.io/calico/typha:v3.32.1'; "
        + 'run a supported release (or pass --calico-version)',
    ]);
    const latest = run('lint', changed('install.yaml', docs => { setImage(docs, 'DaemonSet', 'quay.io/calico/node:latest'); setImage(docs, 'Deployment', 'quay.io/calico/typha:latest'); }),
      path.join(CLEAN, 'calico.yaml'));
    expect(rules(latest)).toEqual(['calico-version', 'calico-version']);
    expect(latest.out).toContain("image 'quay.io/calico/node:latest': not a Calico release tag; write it as v<major>.<minor>.<patch>, e.g. 'v3.32.3'; checked as v3.32.1, the library's default");
    // Told once, at the first image of the other line.
    const otherLine = run('lint', CLEAN, '--calico-version', 'v3.31.7');
    expect(rules(otherLine)).toEqual(['calico-version']);
    expect(otherLine.out).toContain("image 'quay.io/calico/node:v3.32.1' runs Calico v3.32.1, but the objects are checked for v3.31.7, the release given; "
      + 'give the release the cluster runs (lint --calico-version)');
    // A later patch of the line given is the same line: nothing to report.
    expect(run('lint', CLEAN, '--calico-version', 'v3.32.4').code).toBe(0);
  });

  test('apply-order: the Calico objects before the CRDs that store them (more in lint-apply-order.test.ts)', () => {
    const r = run('lint', path.join(CLEAN, 'calico.yaml'), path.join(CLEAN, 'install.yaml'), changed('install.yaml', docs => {
      docs.splice(0, docs.length, {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'ippools.crd.projectcalico.org' },
        spec: { group: 'crd.projectcalico.org', scope: 'Cluster', names: { kind: 'IPPool', plural: 'ippools' }, versions: [{ name: 'v1', served: true, storage: true }] },
      });
    }));
    expect(rules(r)).toEqual(['apply-order']);
    expect(r.out).toContain("IPPool 'default-ipv4-ippool' is stored by the CustomResourceDefinition 'ippools.crd.projectcalico.org'");
  });

  test('installation-bgp, installation-mtu, installation-cross-subnet: an operator Installation against the architecture (test/analysis/installation-audit.test.ts has each case)', () => {
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'case-')), 'installation.yaml');
    fs.writeFileSync(file, YAML.stringify({
      apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: { name: 'default' },
      spec: { calicoNetwork: { bgp: 'Disabled', mtu: 1500, ipPools: [{ name: 'default-ipv4-ippool', cidr: '10.244.0.0/16', encapsulation: 'IPIPCrossSubnet' }] } },
    }));
    const r = run('lint', file, '--network-mtu', '1500', '--node-subnets', '10.0.0.0/24', '--disable', 'no-default-deny');
    expect(r.code).toBe(1);
    expect(rules(r).sort()).toEqual(['installation-bgp', 'installation-cross-subnet', 'installation-mtu']);
    expect(lines(r).find(l => l.includes('[installation-mtu]'))).toContain('installation.yaml:');
  });

  test('every rule in the help has a test above (shadowed-rule and empty-tier in lint-policy-rules.test.ts)', () => {
    expect(Object.keys(AUDIT_RULES).sort()).toEqual(['apply-order', 'bgp-mesh-size', 'calico-version', 'datastore', 'duplicate-name', 'empty-tier',
      'installation-bgp', 'installation-cross-subnet', 'installation-mtu', 'invalid-resource', 'ipip-and-vxlan', 'namespace-label',
      'no-default-deny', 'no-typha', 'pool-overlap', 'range-overlap', 'route-propagation', 'route-reflectors', 'shadowed-rule', 'typha-replicas',
      'unresolved-reference', 'veth-mtu']);
    const help = run('--help');
    for (const rule of Object.keys(AUDIT_RULES)) expect(help.out).toContain(`  ${rule} `);
  });
});

describe('--calico-version', () => {
  const setImages = (docs: any[], tag: string) => {
    for (const d of docs.filter(x => x.spec?.template)) d.spec.template.spec.containers[0].image = d.spec.template.spec.containers[0].image.replace(/:v[0-9.]+$/, `:${tag}`);
  };

  test('by default the release of the images, else the library\'s default', () => {
    expect(run('lint', CLEAN).err).toContain('checked for Calico v3.32.1');
    const v31 = run('lint', changed('install.yaml', docs => setImages(docs, 'v3.31.7')), path.join(CLEAN, 'calico.yaml'));
    expect(v31).toMatchObject({ code: 0, out: '' });
    expect(v31.err).toContain('checked for Calico v3.31.7');
    expect(run('lint', path.join(CLEAN, 'calico.yaml')).err).toContain('checked for Calico v3.32.1');
    expect(JSON.parse(run('lint', '--format', 'json', CLEAN, '--calico-version', 'v3.32.4').out).summary.calicoVersion).toBe('v3.32.4');
  });

  test('every Calico object is validated for the release (validateManifest with its version)', () => {
    const spy = jest.spyOn(validate, 'validateManifest');
    try {
      run('lint', path.join(CLEAN, 'calico.yaml'), '--calico-version', 'v3.31.7');
      expect(spy.mock.calls.length).toBeGreaterThan(0);
      for (const call of spy.mock.calls) expect(call[1]).toBe(CalicoVersion.V3_31_7);
      spy.mockClear();
      run('lint', CLEAN);
      for (const call of spy.mock.calls) expect(call[1]).toBe(CalicoVersion.V3_32_1);
    } finally {
      spy.mockRestore();
    }
  });

  test('refuses a release of no supported line, or no release at all (exit 2)', () => {
    const old = run('lint', CLEAN, '--calico-version', 'v3.28.5');
    expect(old.code).toBe(2);
    expect(old.err).toContain("cdk8s-calico: --calico-version 'v3.28.5': Calico v3.28 is not a supported line; the library supports v3.32 and v3.31");
    expect(run('lint', CLEAN, '--calico-version', 'latest').err).toContain("--calico-version 'latest': not a Calico release tag");
    expect(run('lint', CLEAN, '--calico-version', 'v3.32.0').err).toContain("the library's v3.32 data comes from v3.32.1; use v3.32.1 or a later patch of v3.32");
    expect(run('--help').out).toContain('--calico-version <tag>');
  });

  test('the report names the release and where it comes from', () => {
    expect(run('report', CLEAN).out).toContain('- Calico: **v3.32.1** (read from the images)');
    expect(run('report', CLEAN, '--calico-version', 'v3.32.2').out).toContain('- Calico: **v3.32.2**\n');
    expect(run('report', path.join(CLEAN, 'calico.yaml')).out).toContain("- Calico: **v3.32.1** (the library's default: the input names no Calico release)");
  });
});

describe('inputs', () => {
  test('skips kinds it does not audit, reads Lists, and locates list items', () => {
    const r = run('lint', CLEAN, fixture('mixed.yaml'));
    expect(lines(r)).toEqual([expect.stringMatching(/^<fixtures>\/mixed\.yaml:28: IPPool\/in-a-list \[pool-overlap\]/)]);
    expect(r.err).toContain('(11 objects in 3 files, checked for Calico v3.32.1)');
  });

  test('reads JSON manifests', () => {
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'json-')), 'pool.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', blockSize: 40 } }, null, 2));
    const r = run('lint', file);
    expect(rules(r)).toContain('invalid-resource');
    expect(r.out).toContain('pool.json:9: IPPool/p [invalid-resource] spec.blockSize: blockSize 40 is out of range');
  });

  test('an empty file among manifests is fine; alone it is nothing to lint (exit 2)', () => {
    expect(run('lint', CLEAN, fixture('empty.yaml')).code).toBe(0);
    const alone = run('lint', fixture('empty.yaml'));
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('empty.yaml: error: no Kubernetes objects in the input; nothing to lint');
  });

  test('text that is not YAML: exit 2 with the file and line', () => {
    const r = run('lint', CLEAN, fixture('not-yaml.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not-yaml\.yaml:5: error: not valid YAML: /);
  });

  test('YAML that is no manifest: a plain string, or a mapping without kind', () => {
    const text = run('lint', fixture('plain-text.yaml'));
    expect(text.code).toBe(2);
    expect(text.err).toContain('plain-text.yaml:1: error: the document is a plain string, not a Kubernetes object');
    const values = run('lint', fixture('no-kind.yaml'));
    expect(values.code).toBe(2);
    expect(values.err).toContain('no-kind.yaml:1: error: the document has no apiVersion and kind');
  });

  test('binary data, invalid UTF-8 and UTF-16: exit 2, no crash', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'binary-'));
    fs.writeFileSync(path.join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    fs.writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('kind: x\nname: caf\xe9\n', 'latin1'));
    fs.writeFileSync(path.join(dir, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: x\n', 'utf16le')]));
    const r = run('lint', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('image.yaml:3: error: the file holds binary data (a NUL byte at offset 8), not YAML');
    expect(r.err).toContain('latin1.yaml:2: error: the file is not UTF-8 text (invalid byte 0xe9 at offset 17); save it as UTF-8');
    expect(r.err).toContain('utf16.yaml:1: error: the file is UTF-16 text');
  });

  test('random bytes never crash the linter', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'random-'));
    let seed = 42;
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.alloc(200 + i * 37);
      for (let j = 0; j < bytes.length; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        // Mostly printable YAML-ish characters, so the parser gets past the encoding checks.
        bytes[j] = i % 2 === 0 ? ' :-[]{}\n\tabcdkind"\'#&*!|>'.charCodeAt(seed % 27) : seed % 256;
      }
      fs.writeFileSync(path.join(dir, `r${i}.yaml`), bytes);
    }
    const r = run('lint', dir);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.err).toMatch(/cdk8s-calico lint: /);
  });

  test('YAML alias bombs and duplicate keys are input errors', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'alias-'));
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${new Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    fs.writeFileSync(path.join(dir, 'bomb.yaml'), `apiVersion: v1\nkind: ConfigMap\n${bomb.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'dup.yaml'), 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n');
    const r = run('lint', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bomb\.yaml:1: error: cannot read the document \(.*alias.*\)/i);
    expect(r.err).toMatch(/dup\.yaml:3: error: not valid YAML: Map keys must be unique/);
  });

  test('a 50 MB file is refused quickly with its size; the other inputs are still linted', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'big-'));
    const doc = 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.0.0/16\n---\n';
    fs.writeFileSync(path.join(dir, 'huge.yaml'), doc.repeat(Math.ceil((50 * 1024 * 1024) / doc.length)));
    const started = Date.now();
    const r = run('lint', path.join(dir, 'huge.yaml'), fixture('pool-overlap.yaml'), CLEAN);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/huge\.yaml: error: the file is 50\.0 MiB, more than the 10\.0 MiB lint reads from one file .*raise the limit with --max-file-size/);
    expect(rules(r)).toEqual(['pool-overlap']);
  });

  test('a large file under the limit is read in full', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'large-'));
    const docs: string[] = [];
    for (let i = 0; i < 2000; i++) {
      docs.push(`apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p${i}\nspec:\n  cidr: 10.${Math.floor(i / 256)}.${i % 256}.0/24\n  blockSize: 26\n`);
    }
    fs.writeFileSync(path.join(dir, 'pools.yaml'), docs.join('---\n'));
    const r = run('lint', path.join(dir, 'pools.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('(2000 objects in 1 file, checked for Calico v3.32.1)');
    expect(run('lint', path.join(dir, 'pools.yaml'), '--max-file-size', '0').code).toBe(2);
  });

  test('a FIFO, a character device or a socket is refused without being read (exit 2)', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'special-'));
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = run('lint', fifo);
    expect(r.code).toBe(2);
    expect(r.err).toContain('pipe.yaml: error: it is a FIFO (named pipe), not a regular file; lint reads manifest files only');
    const zero = run('lint', '/dev/zero', fixture('pool-overlap.yaml'), CLEAN);
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('/dev/zero: error: it is a character device, not a regular file');
    expect(rules(zero)).toEqual(['pool-overlap']);
    const link = path.join(dir, 'zero.yaml');
    fs.symlinkSync('/dev/zero', link);
    expect(run('lint', link).err).toContain('zero.yaml: error: it is a character device');
  });

  test('a 50,000-key mapping is read in linear time and its duplicate key is still reported', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'keys-'));
    const head = 'apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n';
    const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: 1\n`).join('');
    fs.writeFileSync(path.join(dir, 'wide.yaml'), head + keys);
    fs.writeFileSync(path.join(dir, 'dup.yaml'), `${head}${keys}  k17: 2\n`);
    const wide = run('lint', path.join(dir, 'wide.yaml'));
    expect(wide.code).toBe(1);
    expect(wide.out.split('\n').filter(l => l !== '')).toHaveLength(102); // 100 issues, their count, no-default-deny
    const dup = run('lint', path.join(dir, 'dup.yaml'));
    expect(dup.code).toBe(2);
    expect(dup.err).toContain('dup.yaml:50006: error: not valid YAML: Map keys must be unique');
    fs.writeFileSync(path.join(dir, 'flow.yaml'), `${head}  x: {a: 1, b: 2, a: 3}\n  y: [{c: 1}, {c: 2}]\n`);
    expect(run('lint', path.join(dir, 'flow.yaml')).err).toContain('flow.yaml:6: error: not valid YAML: Map keys must be unique');
  });

  test('a 9 MB selector gives a short message', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'selector-'));
    const policy = (selector: string) => 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: a\n'
      + `spec:\n  selector: "${selector}"\n`;
    fs.writeFileSync(path.join(dir, 'nine.yaml'), policy(`a == '${'x'.repeat(9_000_000)}' &`));
    fs.writeFileSync(path.join(dir, 'two.yaml'), policy(`a == '${'x'.repeat(2_000_000)}' &`));
    const nine = run('lint', path.join(dir, 'nine.yaml'));
    expect(nine.code).toBe(2);
    expect(nine.out.length + nine.err.length).toBeLessThan(2000);
    expect(nine.err).toContain('nine.yaml:1: error: the document is 8.6 MiB, more than the 3.0 MiB the Kubernetes API server accepts');
    // A client-side List may hold more than one request's worth; its objects are each checked.
    fs.writeFileSync(path.join(dir, 'list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n'
      + `- apiVersion: projectcalico.org/v3\n  kind: GlobalNetworkSet\n  metadata: {name: big}\n  spec: {nets: ["${'x'.repeat(3_200_000)}"]}\n`);
    const list = run('lint', path.join(dir, 'list.yaml'));
    expect(list.err).not.toContain('error:');
    expect(list.out).toContain('GlobalNetworkSet/big [invalid-resource] the manifest is larger than the 3145728 bytes');
    const two = run('lint', path.join(dir, 'two.yaml'));
    expect(two.out.length).toBeLessThan(2000);
    expect(two.out).toContain("spec.selector: selector 'a == 'xxxxx");
    expect(two.out).toContain('(2000009 characters) is not a valid selector');
  });

  test('YAML nested too deeply to read is an input error that says so', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'deep-'));
    fs.writeFileSync(path.join(dir, 'flow.yaml'), `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const block = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('');
    fs.writeFileSync(path.join(dir, 'block.yaml'), `apiVersion: v1\nkind: ConfigMap\ndata:\n${block}`);
    const r = run('lint', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/block\.yaml:\d+: error: not valid YAML: it nests too deeply to read/);
    expect(r.err).toMatch(/flow\.yaml:\d+: error: not valid YAML: it nests too deeply to read/);
  });

  test('a missing path or a directory without manifests: exit 2', () => {
    const missing = run('lint', path.join(tmp, 'nope.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.yaml: error: cannot read it (no such file or directory); check the path');
    const emptyDir = fs.mkdtempSync(path.join(tmp, 'empty-'));
    fs.writeFileSync(path.join(emptyDir, 'README.md'), '# not a manifest');
    expect(run('lint', emptyDir).err).toContain('error: the directory holds no .yaml, .yml or .json file');
  });
});

describe('command line', () => {
  test('--format json gives one document with findings, errors and the exit code', () => {
    const r = run('lint', '--format', 'json', CLEAN, fixture('pool-overlap.yaml'), fixture('not-yaml.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json.summary).toEqual({ files: 4, objects: 8, findings: 1, errors: 1, exitCode: 2, calicoVersion: 'v3.32.1' });
    expect(json.findings[0]).toEqual(expect.objectContaining({ line: 7, object: 'IPPool/extra', rule: 'pool-overlap' }));
    expect(json.errors[0]).toEqual({ file: fixture('not-yaml.yaml'), line: 5, message: expect.stringMatching(/^not valid YAML/) });
  });

  test('usage errors exit 2', () => {
    expect(run().err).toContain('name a command: lint or report');
    expect(run('check', CLEAN).err).toContain("unknown command 'check'; use lint or report");
    expect(run('lint').err).toContain('lint needs at least one file or directory');
    expect(run('lint', CLEAN, '--nodes', 'many').err).toContain("--nodes 'many' is not a whole number from 0 to 1000000");
    expect(run('lint', CLEAN, '--network-mtu', '100').err).toContain("--network-mtu '100' is not a whole number from 576 to 9216");
    expect(run('lint', CLEAN, '--format', 'xml').err).toContain("--format 'xml' is not a format; use text or json");
    expect(run('lint', CLEAN, '--strict').err).toContain('unknown option --strict');
    expect(run('lint', CLEAN, '--nodes').err).toContain('option --nodes needs a value');
    for (const args of [[], ['check', CLEAN], ['lint'], ['lint', CLEAN, '--strict']]) expect(run(...args).code).toBe(2);
  });

  test('--help and --version exit 0', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('cdk8s-calico lint <file or directory>... [options]');
    expect(run('-h').out).toBe(help.out);
    const version = run('--version');
    expect(version).toEqual({ code: 0, out: `${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`, err: '' });
  });

  test('report prints the architecture report of YAML manifests', () => {
    const r = run('report', CLEAN, '--nodes', '20', '--network-mtu', '1500');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Calico architecture\n/);
    expect(r.out).toContain('| default-ipv4-ippool | 192.168.0.0/16 | /26 | 1,024 | 64 | 20 | 3,264 | IP-in-IP CrossSubnet | `all()` |');
    expect(r.out).toContain('**Every node learns every other node\'s pod routes**.');
    expect(run('report', fixture('not-yaml.yaml')).code).toBe(2);
  });

  test('report names the routing mode in CalicoCluster\'s words and sizes the MTU table from veth_mtu when no network MTU is given', () => {
    const r = run('report', CLEAN);
    expect(r.out).toContain('- Routing: **IPIPCrossSubnet** (calico_backend `bird`)');
    expect(r.out).toContain('veth_mtu 1480 with the 20-byte overhead of IP-in-IP implies a 1500-byte network');
    expect(r.out).toContain('| VXLAN (IPv4) | 50 | 1450 |  |');
    const auto = run('report', changed('install.yaml', docs => { byKind(docs, 'ConfigMap').data.veth_mtu = '0'; }), path.join(CLEAN, 'calico.yaml'));
    expect(auto.out).toContain('The network MTU is not stated (and veth_mtu does not fix it)');
    expect(auto.out).toContain('| IP-in-IP | 20 | network MTU - 20 | yes: sets the workload MTU |');
    expect(auto.out).not.toContain('| IP-in-IP | 20 | 1480 |');
  });
});

describe('synthesized output', () => {
  function synthTo(build: (chart: Chart) => void): string {
    const outdir = fs.mkdtempSync(path.join(tmp, 'synth-'));
    const app = new App({ outdir });
    build(new Chart(app, 'calico'));
    app.synth();
    return outdir;
  }

  test('a CalicoCluster\'s output only lacks the default deny', () => {
    const outdir = synthTo(chart => new CalicoCluster(chart, 'cluster', { network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22'] }, expectedNodes: 40 }));
    const r = run('lint', outdir, '--nodes', '40', '--network-mtu', '1500');
    expect(rules(r)).toEqual(['no-default-deny']);
  });

  test('the default-deny example lints clean', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('../../examples/default-deny/chart');
    const ChartClass = Object.values(mod).find(v => typeof v === 'function') as new (scope: Construct, id: string) => Chart;
    const outdir = fs.mkdtempSync(path.join(tmp, 'example-'));
    const app = new App({ outdir });
    new ChartClass(app, 'default-deny');
    app.synth();
    expect(run('lint', outdir)).toEqual(expect.objectContaining({ code: 0, out: '' }));
  });
});
