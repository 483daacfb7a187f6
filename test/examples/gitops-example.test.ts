// examples/gitops: the reference architecture in native-v3 mode with cert-manager certificates and
// Argo CD sync waves, as `npm run examples` writes it (issue 14's acceptance).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { GitOpsChart } from '../../examples/gitops/chart';
import { CalicoApiMode, CalicoReport, CalicoStage } from '../../src';
import { CERT_MANAGER_CRDS_FILE } from '../support/cert-manager-schema';
import { run } from '../support/cli';
import { readCrds } from '../support/crd-schema';
import { checkOffline } from '../support/offline-check';
import { REFERENCE_DATA } from '../support/util';

const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir });
const chart = new GitOpsChart(app, 'gitops');
new CalicoReport(app, 'report');
app.synth();
const files = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).sort();
/** Each file's objects, in file order. */
const staged = files.map(f => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJS()).filter(o => o));
const objects = staged.flat();

test('five stage files in apply order, and the native v3 mode decided with its reason', () => {
  expect(chart.calico.stageCharts.map(s => s.stage)).toEqual([CalicoStage.CRDS, CalicoStage.INSTALL, CalicoStage.RESOURCES, CalicoStage.NODES, CalicoStage.BGP]);
  expect(files).toEqual(['0000-gitops-crds.k8s.yaml', '0001-gitops-install.k8s.yaml', '0002-gitops.k8s.yaml', '0003-gitops-nodes.k8s.yaml', '0004-gitops-bgp.k8s.yaml']);
  expect(chart.calico.apiMode).toBe(CalicoApiMode.NATIVE_V3_CRDS);
  expect(chart.calico.decisions.find(d => d.topic === 'api')?.reason).toMatch(/^set explicitly \(apiMode\); the Kubernetes API server serves projectcalico\.org\/v3 from native CRDs/);
});

test('the CRDs stage holds the native projectcalico.org/v3 CRDs (and no storage CRDs), before every object of their kinds', () => {
  const crds = staged[0];
  expect(crds.every(o => o.kind === 'CustomResourceDefinition')).toBe(true);
  const native = readCrds(path.join(REFERENCE_DATA, 'v3.32.1', 'v3-crds.yaml'));
  expect(crds.map(c => c.metadata.name)).toEqual(native.map(c => c.metadata.name));
  expect(crds.filter(c => c.spec.group === 'crd.projectcalico.org')).toEqual([]);
  const kinds = new Set(crds.map(c => `${c.spec.group}/${c.spec.names.kind}`));
  expect(staged.slice(1).flat().filter(o => o.kind === 'CustomResourceDefinition')).toEqual([]);
  const v3 = objects.filter(o => o.apiVersion === 'projectcalico.org/v3');
  expect(v3.length).toBeGreaterThan(5);
  for (const o of v3) expect(kinds).toContain(`projectcalico.org/${o.kind}`);
});

test('the webhook, its admission policies and cert-manager\'s objects are in the install stage, before the Calico resources', () => {
  const install = staged[1].map(o => `${o.kind}/${o.metadata.name}`);
  expect(install).toEqual(expect.arrayContaining([
    'Deployment/calico-webhooks', 'Service/calico-webhooks', 'ValidatingWebhookConfiguration/calico-webhooks',
    'MutatingAdmissionPolicy/policytypes.policy.projectcalico.org', 'ValidatingAdmissionPolicy/protect-builtin-tiers.projectcalico.org',
    'Issuer/calico-selfsigned', 'Certificate/calico-ca', 'Issuer/calico-ca', 'Certificate/calico-webhooks', 'Deployment/calico-typha',
  ]));
  // The webhook registration comes after the workload that serves it.
  expect(install.indexOf('ValidatingWebhookConfiguration/calico-webhooks')).toBeGreaterThan(install.indexOf('Deployment/calico-webhooks'));
});

test('every object carries its stage\'s sync wave; custom resources skip the dry run; Nodes are only patched', () => {
  staged.forEach((docs, i) => {
    for (const o of docs) expect(`${o.kind}/${o.metadata.name}: ${o.metadata.annotations?.[SYNC_WAVE]}`).toBe(`${o.kind}/${o.metadata.name}: ${i}`);
  });
  for (const o of objects.filter(x => ['projectcalico.org/v3', 'cert-manager.io/v1'].includes(x.apiVersion))) {
    expect(o.metadata.annotations[SYNC_OPTIONS]).toBe('SkipDryRunOnMissingResource=true');
  }
  const nodes = staged[3];
  expect(nodes.map(n => `${n.apiVersion} ${n.kind}/${n.metadata.name}`)).toEqual(['v1 Node/rr-a', 'v1 Node/rr-b', 'v1 Node/rr-c']);
  for (const n of nodes) {
    expect(n.metadata.annotations[SYNC_OPTIONS]).toBe('ServerSideApply=true,Prune=false,Delete=false');
    expect(n.metadata.annotations['projectcalico.org/RouteReflectorClusterID']).toBe('244.0.0.1');
    expect(n.spec).toBeUndefined();
  }
  expect(staged[4].map(o => `${o.kind}/${o.metadata.name}: ${o.spec.nodeToNodeMeshEnabled}`)).toEqual(['BGPConfiguration/default: false']);
});

test('no private key in the output; cert-manager injects the CA bundle', () => {
  const text = files.map(f => fs.readFileSync(path.join(outdir, f), 'utf8')).join('\n');
  expect(text).not.toMatch(/PRIVATE KEY|caBundle/);
  expect(objects.filter(o => o.kind === 'Secret')).toEqual([]);
  const webhook = objects.find(o => o.kind === 'ValidatingWebhookConfiguration');
  expect(webhook.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('kube-system/calico-webhooks');
});

test('every object would be accepted on create: native v3 CRD schemas and their CEL rules, Kubernetes 1.34, cert-manager', () => {
  const crds = [...staged[0], ...readCrds(CERT_MANAGER_CRDS_FILE)];
  const report = checkOffline(objects.filter(o => o.kind !== 'CustomResourceDefinition'), { crds });
  expect(report.errors).toEqual([]);
  // Each v3 object against its native CRD, each cert-manager object against cert-manager's.
  expect(report.crdObjects).toBe(objects.filter(o => ['projectcalico.org/v3', 'cert-manager.io/v1'].includes(o.apiVersion)).length);
  expect(report.crdObjects).toBe(10);
  expect(report.ruleEvaluations).toBeGreaterThan(0);
  expect(report.admissionExpressions).toBeGreaterThan(0);
});

test('the report lists one command per stage file, with no calicoctl; the one step outside is cert-manager (and the taints)', () => {
  const report = fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8');
  expect(report).not.toContain('calicoctl');
  const section = report.slice(report.indexOf('## Apply, stage by stage'));
  const items = [...section.matchAll(/^\d+\. `([^`]+)`/gm)].map(m => m[1]);
  expect(items).toEqual(files);
  expect(chart.calico.applySteps.map(s => s.command)).toEqual([
    'kubectl apply --server-side --field-manager=cdk8s-calico -f 0000-gitops-crds.k8s.yaml',
    'kubectl apply -f 0001-gitops-install.k8s.yaml',
    'kubectl apply -f 0002-gitops.k8s.yaml',
    'kubectl apply --server-side --field-manager=cdk8s-calico -f 0003-gitops-nodes.k8s.yaml',
    'kubectl apply -f 0004-gitops-bgp.k8s.yaml',
  ]);
  expect(chart.calico.manualSteps.map(s => s.command.split(' ').slice(0, 3).join(' '))).toEqual([
    'kubectl apply -f', 'kubectl taint node', 'kubectl taint node', 'kubectl taint node',
  ]);
});

test('lint finds nothing, apply order included', () => {
  expect(run('lint', outdir)).toMatchObject({ code: 0, out: '' });
});
