// `cdk8s-calico lint` and the apply-order rule on files: a folder is applied in name order, the
// library's staged output (files or Argo CD waves) applies as written, and the same objects in one
// file or in the wrong order do not.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { ReferenceChart } from '../../examples/reference/chart';
import { CalicoCluster, RouteReflectorPool } from '../../src';
import { run, Run } from '../support/cli';

/** The apply-order findings of a run, with the temp dir shortened to `<tmp>`. */
function applyOrder(r: Run): string[] {
  return r.out.split('\n').filter(l => l.includes(' [apply-order] ')).map(l => l.split(tmp).join('<tmp>'));
}

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-lint-order-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes files (name -> documents) into a fresh folder and returns it. */
function folder(files: Record<string, any[]>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
  for (const [name, docs] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), docs.map(d => YAML.stringify(d)).join('---\n'));
  }
  return dir;
}

/** Synthesizes an app into a fresh folder: its files, in name order (the apply order). */
function synthesize(build: (app: App) => void): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(tmp, 'synth-'));
  const app = new App({ outdir: dir });
  build(app);
  app.synth();
  return { dir, files: fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort() };
}

const documents = (dir: string, files: string[]) => files.flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));

const POOL_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'ippools.crd.projectcalico.org' },
  spec: { group: 'crd.projectcalico.org', scope: 'Cluster', names: { kind: 'IPPool', plural: 'ippools' }, versions: [{ name: 'v1', served: true, storage: true }] },
};
const POOL = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool' }, spec: { cidr: '10.20.0.0/16', ipipMode: 'Always' } };

describe('a folder is applied in name order', () => {
  test('a file named before its CRDs\' file fails; renamed after them it applies', () => {
    const wrong = run('lint', folder({ 'a-pools.yaml': [POOL], 'b-crds.yaml': [POOL_CRD] }), '--disable', 'no-default-deny');
    expect(applyOrder(wrong)).toEqual([
      expect.stringMatching(/^<tmp>\/case-\w+\/a-pools\.yaml:1: IPPool\/pool \[apply-order\] IPPool 'pool' is stored by the CustomResourceDefinition 'ippools\.crd\.projectcalico\.org' \(<tmp>\/case-\w+\/b-crds\.yaml:1\), which is in a later file: .*apply the CRD in a file before this one$/),
    ]);
    expect(wrong.code).toBe(1);
    const right = run('lint', folder({ '0-crds.yaml': [POOL_CRD], '1-pools.yaml': [POOL] }), '--disable', 'no-default-deny');
    expect(right).toMatchObject({ code: 0, out: '' });
  });

  test('subfolders are walked in place, and paths named on the command line keep their order', () => {
    const dir = folder({ 'a/crds.yaml': [POOL_CRD], 'b.yaml': [POOL] });
    expect(applyOrder(run('lint', dir, '--disable', 'no-default-deny'))).toEqual([]);
    const nested = folder({ 'a.yaml': [POOL], 'b/crds.yaml': [POOL_CRD] });
    expect(applyOrder(run('lint', nested, '--disable', 'no-default-deny'))).toHaveLength(1);
    expect(applyOrder(run('lint', path.join(nested, 'b', 'crds.yaml'), path.join(nested, 'a.yaml'), '--disable', 'no-default-deny'))).toEqual([]);
  });

  test('--disable apply-order skips the rule', () => {
    const wrong = folder({ 'a-pools.yaml': [POOL], 'b-crds.yaml': [POOL_CRD] });
    expect(run('lint', wrong, '--disable', 'no-default-deny,apply-order')).toMatchObject({ code: 0, out: '' });
  });
});

describe('the library\'s staged output of the reference example', () => {
  let dir = '';
  let files: string[] = [];
  beforeAll(() => {
    ({ dir, files } = synthesize(app => new ReferenceChart(app, 'reference')));
  });

  test('applies file by file in name order: no apply-order finding', () => {
    expect(files).toEqual(['0000-reference-crds.k8s.yaml', '0001-reference-install.k8s.yaml', '0002-reference.k8s.yaml', '0003-reference-nodes.k8s.yaml', '0004-reference-bgp.k8s.yaml']);
    const r = run('lint', dir);
    expect(applyOrder(r)).toEqual([]);
    expect(r).toMatchObject({ code: 0, out: '' });
  });

  test('the same objects in one file fail: the Calico objects are with the APIService that serves them (the default API server mode)', () => {
    const one = folder({ 'all.yaml': documents(dir, files) });
    const found = applyOrder(run('lint', one));
    expect(found.length).toBeGreaterThanOrEqual(6);
    for (const f of found) expect(f).toMatch(/is 'projectcalico\.org\/v3', served by APIService 'v3\.projectcalico\.org' \(.*\), which is earlier in the same file/);
    expect(found.map(f => f.split(' ')[1])).toEqual(expect.arrayContaining(['IPPool/default-ipv4-ippool', 'BGPPeer/rr-mesh', 'BGPConfiguration/default']));
  });

  test('the files in reverse order fail, the mesh turned off before the reflectors and peerings included', () => {
    const reversed = run('lint', ...[...files].reverse().map(f => path.join(dir, f)));
    const found = applyOrder(reversed);
    expect(found).toContainEqual(expect.stringMatching(/0004-reference-bgp\.k8s\.yaml:\d+: BGPConfiguration\/default \[apply-order\] BGPConfiguration 'default' turns the node-to-node mesh off, but .* which replace it, are in a later file/));
    expect(found).toContainEqual(expect.stringMatching(/0002-reference\.k8s\.yaml:\d+: IPPool\/default-ipv4-ippool \[apply-order\] .*which is in a later file/));
  });

  test('the BGPConfiguration moved into the resources\' file, before the peerings, fails', () => {
    const [crds, install, resources, nodes, bgp] = files.map(f => documents(dir, [f]));
    const moved = folder({ '0.yaml': crds, '1.yaml': install, '2.yaml': [...bgp, ...resources], '3.yaml': nodes });
    expect(applyOrder(run('lint', moved))).toEqual([expect.stringMatching(/BGPConfiguration\/default \[apply-order\] .*which replace it, are (later in the same file|in a later file)/)]);
    const after = folder({ '0.yaml': crds, '1.yaml': install, '2.yaml': [...resources, ...nodes, ...bgp] });
    expect(applyOrder(run('lint', after))).toEqual([]);
  });
});

describe('the library\'s staged output with Argo CD sync waves', () => {
  let objects: any[] = [];
  beforeAll(() => {
    const { dir, files } = synthesize(app => {
      const chart = new Chart(app, 'argo');
      const calico = new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/22'], mtu: 1500 }, expectedNodes: 200, argoCdSyncWaves: true });
      new RouteReflectorPool(chart, 'route-reflectors', {
        cluster: calico, clusterId: '244.0.0.1', reflectors: [{ nodeName: 'rr-a', ipv4Address: '10.0.0.10' }, { nodeName: 'rr-b', ipv4Address: '10.0.0.11' }],
      });
    });
    objects = documents(dir, files);
  });

  test('applies wave by wave, whatever the files: no apply-order finding, even in one file', () => {
    expect(objects.every(o => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined)).toBe(true);
    expect(applyOrder(run('lint', folder({ 'all.yaml': [...objects].reverse() })))).toEqual([]);
  });

  test('the same objects all in one wave fail', () => {
    const oneWave = objects.map(o => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-wave': '0' } } }));
    const found = applyOrder(run('lint', folder({ 'all.yaml': oneWave })));
    expect(found).toContainEqual(expect.stringMatching(/BGPConfiguration\/default \[apply-order\] .*in the same sync wave 0: Argo CD applies a wave's objects by kind and name/));
    expect(found).toContainEqual(expect.stringMatching(/IPPool\/default-ipv4-ippool \[apply-order\] .*served by APIService 'v3\.projectcalico\.org' .*which is in the same sync wave 0/));
  });
});
