// Issue 14, "One apply, no hand edits": for each way the cluster serves the projectcalico.org/v3
// API (and each serving certificate), a realistic cluster's staged output applies stage by stage
// with one command each, holds no private key, passes the offline schema and CEL checks, and the
// report lists the commands; the combinations that cannot work are refused with one clear error.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  CalicoApi, CalicoApiMode, CalicoApiVersion, CalicoCluster, CalicoClusterProps, CalicoErrors, CalicoVersion, CertManagerIssuerKind,
  DefaultDenyPolicy, GlobalNetworkPolicy, GlobalNetworkSet, IpipMode, IpPool, KubernetesNamespaceOverride, NetworkPolicy, Port,
  RouteReflectorPool, Rule, Selector, ServingCertificates,
} from '../../src';
import { CalicoReport } from '../../src/analysis/report';
import { STAGE_ORDER } from '../../src/install/stages';
import { run } from '../support/cli';
import { readCrds } from '../support/crd-schema';
import { checkOffline, crdRuleCounts, OfflineReport } from '../support/offline-check';
import { calicoCrdsFile, errorOf, findAll, findObject, newChart, REFERENCE_DATA, synth } from '../support/util';
import { CERT_MANAGER_CRDS_FILE } from '../support/cert-manager-schema';

// Advisories are printed at synthesis: keep the test output quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const STORAGE_CRDS = readCrds(calicoCrdsFile(CalicoVersion.V3_32_1));
const NATIVE_CRDS = readCrds(path.join(REFERENCE_DATA, 'v3.32.1', 'v3-crds.yaml'));
const CERT_MANAGER_CRDS = readCrds(CERT_MANAGER_CRDS_FILE);

/** A CA certificate (PEM, no key): what `fromSecret` is given. */
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FsaWNvIHRlc3QgQ0E=\n-----END CERTIFICATE-----\n';
const CA_BASE64 = Buffer.from(CA_PEM, 'utf8').toString('base64');
const ETCD = { endpoints: ['https://10.0.0.5:2379'], tlsSecretName: 'calico-etcd-certs' };
const INJECT_CA = 'cert-manager.io/inject-ca-from';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** One variation of the acceptance: a mode, its certificate, its datastore. */
interface ModeCase {
  readonly name: string;
  readonly mode: CalicoApiMode;
  readonly props: CalicoClusterProps;
  /** How the serving certificate is made: the library's private CA, the user's issuer, the user's Secret; none for modes that serve no API. */
  readonly certificate?: 'private-ca' | 'issuer' | 'secret';
  readonly etcd?: boolean;
}

const CASES: readonly ModeCase[] = [
  { name: 'API server, cert-manager with a private CA (the default)', mode: CalicoApiMode.API_SERVER, props: {}, certificate: 'private-ca' },
  {
    name: 'API server, cert-manager with the ClusterIssuer corp-ca', mode: CalicoApiMode.API_SERVER, certificate: 'issuer',
    props: { apiCertificates: ServingCertificates.certManager({ issuerName: 'corp-ca', issuerKind: CertManagerIssuerKind.CLUSTER_ISSUER }) },
  },
  {
    name: 'API server, the user\'s Secret', mode: CalicoApiMode.API_SERVER, certificate: 'secret',
    props: { apiMode: CalicoApiMode.API_SERVER, apiCertificates: ServingCertificates.fromSecret({ secretName: 'calico-api-tls', caBundle: CA_PEM }) },
  },
  {
    name: 'native v3 CRDs, cert-manager', mode: CalicoApiMode.NATIVE_V3_CRDS, certificate: 'private-ca',
    props: { apiMode: CalicoApiMode.NATIVE_V3_CRDS, kubernetesVersion: '1.34' },
  },
  {
    name: 'native v3 CRDs, the user\'s Secret', mode: CalicoApiMode.NATIVE_V3_CRDS, certificate: 'secret',
    props: { apiMode: CalicoApiMode.NATIVE_V3_CRDS, kubernetesVersion: 'v1.35.1', apiCertificates: ServingCertificates.fromSecret({ secretName: 'calico-webhooks-tls', caBundle: CA_PEM }) },
  },
  { name: 'storage CRDs', mode: CalicoApiMode.STORAGE_CRDS, props: { apiMode: CalicoApiMode.STORAGE_CRDS } },
  { name: 'calicoctl on the Kubernetes datastore', mode: CalicoApiMode.CALICOCTL, props: { apiMode: CalicoApiMode.CALICOCTL } },
  { name: 'calicoctl on etcd', mode: CalicoApiMode.CALICOCTL, props: { etcd: ETCD }, etcd: true },
];

/** The reference example's shape: three subnets, 200 nodes, three dedicated route reflectors. */
const REFERENCE: CalicoClusterProps = {
  network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'], mtu: 1500 },
  expectedNodes: 200,
};
const REFLECTORS = [
  { nodeName: 'rr-a', ipv4Address: '10.0.0.10' },
  { nodeName: 'rr-b', ipv4Address: '10.0.4.10' },
  { nodeName: 'rr-c', ipv4Address: '10.0.8.10' },
];

/**
 * A realistic cluster on `chart`: the reference example (route reflectors, default deny) with a
 * second pool, a network set and a few policies. The Kubernetes NetworkPolicy of the reference
 * example is left out where calicoctl applies the resources stage (calicoctl reads only
 * projectcalico.org/v3; see the refusal below).
 */
function realisticCluster(chart: Chart, c: ModeCase, extra: CalicoClusterProps = {}): CalicoCluster {
  const cluster = new CalicoCluster(chart, 'cluster', { ...REFERENCE, ...c.props, ...extra });
  new RouteReflectorPool(chart, 'route-reflectors', { cluster, clusterId: '244.0.0.1', dedicated: true, reflectors: REFLECTORS });
  new DefaultDenyPolicy(chart, 'default-deny');
  new IpPool(chart, 'batch', { name: 'batch', cidr: '10.244.0.0/16', ipipMode: IpipMode.CROSS_SUBNET });
  new GlobalNetworkSet(chart, 'corp', { name: 'corp', labels: { network: 'corp' }, nets: ['10.8.0.0/16'] });
  new GlobalNetworkPolicy(chart, 'allow-dns', {
    name: 'allow-dns', order: 100, selector: Selector.all(),
    egress: [Rule.allow({ destination: { selector: Selector.parse('k8s-app == \'kube-dns\''), ports: [Port.udp(53)] } })],
  });
  new NetworkPolicy(chart, 'shop-web', {
    name: 'web', namespaceName: 'shop', selector: Selector.eq('app', 'web'),
    ingress: [Rule.allow({ source: { selector: Selector.has('network') }, destination: { ports: [Port.tcp(443)] } })],
  });
  if (c.mode !== CalicoApiMode.CALICOCTL) {
    new KubernetesNamespaceOverride(chart, 'org-1-http', { name: 'allow-http', namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
  }
  return cluster;
}

/** One synthesized file: its name, text and documents. */
interface OutputFile {
  readonly name: string;
  readonly text: string;
  readonly objects: any[];
}

/** A synthesized app: the cluster, its files in name order (the apply order), the report. */
interface Output {
  readonly dir: string;
  readonly cluster: CalicoCluster;
  readonly files: OutputFile[];
  /** Every object, with the index of its file (its stage) and its position in the whole output. */
  readonly placed: Array<{ object: any; stage: number; at: number }>;
  readonly report: string;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-api-modes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Synthesizes a realistic cluster of `c` with its report into a fresh folder. */
function synthesize(c: ModeCase, extra: CalicoClusterProps = {}): Output {
  const dir = fs.mkdtempSync(path.join(tmp, 'synth-'));
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'calico');
  const cluster = realisticCluster(chart, c, extra);
  new CalicoReport(chart, 'report');
  app.synth();
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort().map(name => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    return { name, text, objects: YAML.parseAllDocuments(text).map(d => d.toJS()).filter(Boolean) };
  });
  let at = 0;
  const placed = files.flatMap((f, stage) => f.objects.map(object => ({ object, stage, at: at++ })));
  return { dir, cluster, files, placed, report: fs.readFileSync(path.join(dir, 'calico-architecture.md'), 'utf8') };
}

const groupOf = (o: any) => (String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '');
const isV3 = (o: any) => o.apiVersion === 'projectcalico.org/v3';
const isCrd = (o: any) => o.kind === 'CustomResourceDefinition';
/** The apply-order findings of a lint run. */
const applyOrderFindings = (out: string) => out.split('\n').filter(l => l.includes(' [apply-order] '));

/** Every key of a JSON value, at any depth; and every string. */
function walk(value: unknown, visit: (key: string | undefined, v: unknown) => void, key?: string): void {
  visit(key, value);
  if (Array.isArray(value)) value.forEach(v => walk(v, visit));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, visit, k);
}

/** The report's "Apply, stage by stage" section: each numbered item with its path, description and the lines of its code block. */
function applySection(report: string): Array<{ number: number; path: string; description: string; commands: string[] }> {
  const start = report.indexOf('## Apply, stage by stage');
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = report.slice(start + 3);
  const end = rest.indexOf('\n## ');
  const section = end < 0 ? rest : rest.slice(0, end);
  const items = [...section.matchAll(/^(\d+)\. `([^`]+)`: (.*)\n\n {3}```sh\n((?: {3}.*\n)*?) {3}```$/gm)];
  return items.map(m => ({
    number: Number(m[1]), path: m[2], description: m[3],
    commands: m[4].split('\n').filter(l => l !== '').map(l => l.slice(3)),
  }));
}

/** Numbers for the summary printed at the end: objects and CEL evaluations per case. */
const numbers: string[] = [];
afterAll(() => console.log(`api modes (objects, offline check):\n${numbers.join('\n')}`));

describe.each(CASES.map(c => [c.name, c] as const))('%s', (_name, c) => {
  let out: Output;
  let objects: any[];
  beforeAll(() => {
    out = synthesize(c);
    objects = out.placed.map(p => p.object);
  });
  const stageOf = (o: any) => out.placed.find(p => p.object === o)!.stage;
  const positionOf = (o: any) => out.placed.find(p => p.object === o)!.at;

  describe('stage order', () => {
    test('writes one file per stage, in apply order, and nothing else', () => {
      expect(out.cluster.apiMode).toBe(c.mode);
      const stages = c.etcd ? ['install', 'resources', 'bgp'] : ['crds', 'install', 'resources', 'nodes', 'bgp'];
      expect(out.cluster.applySteps.map(s => s.stage)).toEqual(stages);
      expect(out.files.map(f => f.name)).toEqual(out.cluster.applySteps.map(s => s.path));
      expect(out.files.map(f => f.name)).toEqual(stages.map((s, i) => `000${i}-calico${s === 'resources' ? '' : `-${s}`}.k8s.yaml`));
      expect(out.cluster.stageCharts.map(s => s.stage)).toEqual(stages);
      for (const f of out.files) expect(f.objects.length).toBeGreaterThan(0);
    });

    test('app.synthYaml() writes the objects in the order of the files (nothing read the stages first)', () => {
      const app = new App();
      realisticCluster(new Chart(app, 'calico'), c);
      const docs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(Boolean);
      const id = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      expect(docs.map(id)).toEqual(objects.map(id));
    });

    test('every CustomResourceDefinition is in a stage before the first object of its group and kind', () => {
      const crds = objects.filter(isCrd);
      if (c.etcd) {
        // The etcd datastore reads no CRDs.
        expect(crds).toEqual([]);
        return;
      }
      expect(crds.every(crd => stageOf(crd) === 0)).toBe(true);
      expect(out.files[0].objects.every(isCrd)).toBe(true);
      const crdGroups = new Set(crds.map(crd => crd.spec.group));
      // Calico's own group, and the Kubernetes network policy API group upstream bundles (AdminNetworkPolicy).
      expect([...crdGroups].sort()).toEqual([c.mode === CalicoApiMode.NATIVE_V3_CRDS ? 'projectcalico.org' : 'crd.projectcalico.org', 'policy.networking.k8s.io'].sort());
      const crdByGroupKind = new Map<string, any>(crds.map(crd => [`${crd.spec.group}|${crd.spec.names.kind}`, crd]));
      const custom = objects.filter(o => !isCrd(o) && (crdGroups.has(groupOf(o)) || isV3(o)));
      expect(custom.length).toBeGreaterThanOrEqual(10);
      for (const o of custom) {
        // A v3 object is created against its own CRD (native) or stored in the storage CRD of its kind (API server, calicoctl).
        const storageKind = o.kind === 'IPAMConfiguration' ? 'IPAMConfig' : o.kind;
        const crd = crdByGroupKind.get(`${groupOf(o)}|${o.kind}`) ?? crdByGroupKind.get(`crd.projectcalico.org|${storageKind}`);
        expect({ object: `${o.kind}/${o.metadata.name}`, crd: crd?.metadata.name }).toEqual({ object: `${o.kind}/${o.metadata.name}`, crd: expect.any(String) });
        expect(stageOf(crd)).toBeLessThan(stageOf(o));
      }
      // In storage mode no object is projectcalico.org/v3; in the others every Calico resource is.
      const storageObjects = objects.filter(o => groupOf(o) === 'crd.projectcalico.org');
      if (c.mode === CalicoApiMode.STORAGE_CRDS) {
        expect(objects.filter(isV3)).toEqual([]);
        expect(storageObjects.length).toBeGreaterThanOrEqual(10);
      } else {
        expect(storageObjects).toEqual([]);
      }
    });

    test('the v3 objects come after what serves them', () => {
      const v3 = objects.filter(isV3);
      const firstV3Stage = Math.min(...v3.map(stageOf));
      const apiServices = findAll(objects, 'APIService');
      const webhooks = findAll(objects, 'ValidatingWebhookConfiguration');
      if (c.mode === CalicoApiMode.API_SERVER) {
        const apiService = findObject(objects, 'APIService', 'v3.projectcalico.org');
        expect(apiService.spec.service).toEqual({ name: 'calico-api', namespace: 'calico-apiserver', port: 443 });
        const deployment = findObject(objects, 'Deployment', 'calico-apiserver', 'calico-apiserver');
        expect(stageOf(deployment)).toBe(stageOf(apiService));
        expect(stageOf(apiService)).toBeLessThan(firstV3Stage);
        expect(webhooks).toEqual([]);
        // The stage before the v3 objects waits until the API is served.
        expect(out.cluster.applySteps[firstV3Stage - 1].waitCommand).toMatch(/&& kubectl wait --for=condition=Available --timeout=10m apiservice\/v3\.projectcalico\.org$/);
      } else if (c.mode === CalicoApiMode.NATIVE_V3_CRDS) {
        const deployment = findObject(objects, 'Deployment', 'calico-webhooks', 'kube-system');
        expect(webhooks).toHaveLength(1);
        expect(stageOf(deployment)).toBeLessThan(firstV3Stage);
        expect(stageOf(webhooks[0])).toBeLessThan(firstV3Stage);
        for (const kind of ['ValidatingAdmissionPolicy', 'MutatingAdmissionPolicy']) {
          expect(findAll(objects, kind).length).toBeGreaterThan(0);
          for (const policy of findAll(objects, kind)) expect(stageOf(policy)).toBeLessThan(firstV3Stage);
        }
        expect(apiServices).toEqual([]);
        expect(out.cluster.applySteps[firstV3Stage - 1].waitCommand).toMatch(/&& kubectl -n kube-system rollout status deployment\/calico-webhooks --timeout=10m$/);
      } else {
        // Nothing serves projectcalico.org/v3 in the cluster: kubectl writes storage objects, or calicoctl writes v3 ones.
        expect(apiServices).toEqual([]);
        expect(webhooks).toEqual([]);
        expect(findAll(objects, 'Deployment').map(d => d.metadata.name).sort()).toEqual(c.etcd ? ['calico-kube-controllers'] : ['calico-kube-controllers', 'calico-typha']);
      }
    });

    test('every namespace is created before the objects in it', () => {
      const namespaces = findAll(objects, 'Namespace');
      expect(namespaces.map(n => n.metadata.name)).toEqual(c.mode === CalicoApiMode.API_SERVER ? ['calico-apiserver'] : []);
      for (const ns of namespaces) {
        const inside = objects.filter(o => o.metadata?.namespace === ns.metadata.name);
        expect(inside.length).toBeGreaterThan(3);
        for (const o of inside) expect(positionOf(o)).toBeGreaterThan(positionOf(ns));
      }
    });

    test('the BGPConfiguration turns the mesh off in the last stage, after the peerings and the route reflector nodes', () => {
      const bgp = findObject(objects, 'BGPConfiguration', 'default');
      expect(bgp.spec.nodeToNodeMeshEnabled).toBe(false);
      const last = out.files.length - 1;
      expect(stageOf(bgp)).toBe(last);
      expect(out.files[last].objects).toEqual([bgp]);
      const peers = findAll(objects, 'BGPPeer');
      const reflectorNodes = objects.filter(o => o.kind === 'Node' && REFLECTORS.some(r => r.nodeName === o.metadata.name));
      expect(peers.length).toBeGreaterThanOrEqual(2);
      expect(reflectorNodes).toHaveLength(3);
      // Route reflector clusters live on Kubernetes Nodes (their own stage), or on Calico Nodes with etcd.
      expect(reflectorNodes.every(n => n.apiVersion === (c.etcd ? 'projectcalico.org/v3' : 'v1'))).toBe(true);
      for (const o of [...peers, ...reflectorNodes]) expect(stageOf(o)).toBeLessThan(stageOf(bgp));
    });

    test('the lint CLI finds nothing out of apply order in the written files', () => {
      const r = run('lint', out.dir);
      expect(applyOrderFindings(r.out)).toEqual([]);
      // Nothing else either, but the reference architecture's advice against the etcd datastore.
      const rules = r.out.split('\n').filter(l => l !== '').map(l => /\[([a-z-]+)\]/.exec(l)?.[1]);
      expect(rules).toEqual(c.etcd ? ['datastore'] : []);
      expect(r.err).toMatch(new RegExp(`^cdk8s-calico lint: (no findings|1 finding) \\(${objects.length} objects in ${out.files.length} files, checked for Calico v3\\.32\\.1\\)\n$`));
    });
  });

  describe('no private key', () => {
    test('the output holds no key, no Secret and no key value', () => {
      const text = out.files.map(f => f.text).join('---\n');
      expect(text).not.toContain('PRIVATE KEY');
      expect(findAll(objects, 'Secret')).toEqual([]);
      // No field named like a key file (`tls.key`, `apiserver.key`) holds a value, and no value is PEM: a Secret's
      // item `key: tls.key` names a key, cert-manager's `privateKey` says how to make one in the cluster.
      const keyMaterial: string[] = [];
      walk(objects, (key, v) => {
        if (key !== undefined && /\.key$/i.test(key)) keyMaterial.push(`${key}: ${JSON.stringify(v)}`);
        if (typeof v === 'string' && /PRIVATE KEY|-----BEGIN /.test(v)) keyMaterial.push(`a PEM value: ${v.slice(0, 40)}`);
      });
      expect(keyMaterial).toEqual([]);
      expect(out.report).not.toContain('PRIVATE KEY');
    });

    test('the serving CA is trusted as the certificate choice says', () => {
      const registrations = [...findAll(objects, 'APIService'), ...findAll(objects, 'ValidatingWebhookConfiguration')];
      const caBundles: string[] = [];
      walk(registrations, (key, v) => { if (key === 'caBundle') caBundles.push(v as string); });
      const certificates = findAll(objects, 'Certificate');
      if (c.certificate === undefined) {
        expect(registrations).toEqual([]);
        expect(objects.filter(o => groupOf(o) === 'cert-manager.io')).toEqual([]);
        expect(out.cluster.manualSteps.some(s => s.command.includes('cert-manager'))).toBe(false);
        return;
      }
      expect(registrations).toHaveLength(1);
      const registration = registrations[0];
      const served = c.mode === CalicoApiMode.API_SERVER
        ? { name: 'calico-apiserver', namespace: 'calico-apiserver', secret: 'calico-apiserver-certs' }
        : { name: 'calico-webhooks', namespace: 'kube-system', secret: 'calico-webhooks-tls' };
      const deployment = findObject(objects, 'Deployment', served.name, served.namespace);
      const mounted = deployment.spec.template.spec.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName);
      if (c.certificate === 'secret') {
        // The user's CA, base64-encoded, on every place the Kubernetes API server verifies the component; no cert-manager.
        expect(caBundles.length).toBeGreaterThanOrEqual(1);
        expect(new Set(caBundles)).toEqual(new Set([CA_BASE64]));
        if (registration.kind === 'APIService') expect(registration.spec.caBundle).toBe(CA_BASE64);
        else for (const w of registration.webhooks) expect(w.clientConfig.caBundle).toBe(CA_BASE64);
        expect(registration.metadata.annotations?.[INJECT_CA]).toBeUndefined();
        expect(objects.filter(o => groupOf(o) === 'cert-manager.io')).toEqual([]);
        expect(mounted).toEqual([c.mode === CalicoApiMode.API_SERVER ? 'calico-api-tls' : 'calico-webhooks-tls']);
        expect(out.cluster.manualSteps.some(s => s.command.includes('cert-manager'))).toBe(false);
        return;
      }
      // cert-manager issues the certificate and injects its CA: no caBundle in the output.
      expect(caBundles).toEqual([]);
      expect(registration.metadata.annotations[INJECT_CA]).toBe(`${served.namespace}/${served.name}`);
      const certificate = findObject(objects, 'Certificate', served.name, served.namespace);
      expect(certificate.spec.secretName).toBe(served.secret);
      expect(mounted).toEqual([served.secret]);
      expect(stageOf(certificate)).toBe(stageOf(registration));
      expect(positionOf(certificate)).toBeLessThan(positionOf(deployment));
      if (c.certificate === 'issuer') {
        expect(certificates).toEqual([certificate]);
        expect(certificate.spec.issuerRef).toEqual({ name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
        expect(findAll(objects, 'Issuer')).toEqual([]);
      } else {
        expect(certificates.map(x => x.metadata.name).sort()).toEqual(['calico-ca', served.name].sort());
        expect(findAll(objects, 'Issuer').map(i => i.metadata.name).sort()).toEqual(['calico-ca', 'calico-selfsigned']);
        expect(certificate.spec.issuerRef).toEqual({ name: 'calico-ca', kind: 'Issuer', group: 'cert-manager.io' });
      }
      expect(out.cluster.manualSteps[0].command).toMatch(/^kubectl apply -f https:\/\/github\.com\/cert-manager\/cert-manager\/releases\/download\/v1\.21\.1\/cert-manager\.yaml /);
    });
  });

  test('every object passes the schema and CEL checks of the CRDs it is created against', () => {
    const native = c.mode === CalicoApiMode.NATIVE_V3_CRDS;
    const calicoCrds = native ? NATIVE_CRDS : STORAGE_CRDS;
    // The CRDs of the output are upstream's, of the mode's API group.
    if (!c.etcd) expect(objects.filter(isCrd).map(d => d.metadata.name).sort()).toEqual(calicoCrds.map(d => d.metadata.name).sort());
    const report: OfflineReport = checkOffline(objects, { crds: [...calicoCrds, ...(c.certificate ? CERT_MANAGER_CRDS : [])] });
    expect(report.errors).toEqual([]);
    const calicoObjects = objects.filter(o => /(^|\.)projectcalico\.org\//.test(o.apiVersion) && !(o.kind === 'Node' && isV3(o)));
    const certManagerObjects = objects.filter(o => groupOf(o) === 'cert-manager.io');
    expect(report.crdObjects).toBe(calicoObjects.length + certManagerObjects.length);
    expect(report.kubernetesObjects).toBe(objects.length - report.crdObjects - (c.etcd ? 3 : 0));
    // v3.32's CRDs carry CEL rules (86 in all), run on every object created against them.
    expect(crdRuleCounts(calicoCrds).compiled).toBe(86);
    expect(report.ruleEvaluations).toBeGreaterThan(0);
    if (native) expect(report.admissionExpressions).toBeGreaterThan(0);
    numbers.push(`  ${c.name}: ${objects.length} objects (${out.files.map(f => f.objects.length).join('+')}), `
      + `${report.crdObjects} against CRDs, ${report.kubernetesObjects} against Kubernetes 1.34, ${report.ruleEvaluations} CEL rule evaluations, `
      + `${report.admissionExpressions} admission expressions compiled`);
  });

  describe('the report', () => {
    test('lists one numbered item per stage file, in file order, each with its one apply command', () => {
      const items = applySection(out.report);
      const steps = out.cluster.applySteps;
      expect(items.map(i => i.number)).toEqual(steps.map((_, i) => i + 1));
      expect(items.map(i => i.path)).toEqual(out.files.map(f => f.name));
      items.forEach((item, i) => {
        const step = steps[i];
        expect(item.description).toBe(step.description);
        expect(item.commands).toEqual(step.waitCommand ? [step.command, step.waitCommand] : [step.command]);
        // One apply, of this stage's file only.
        expect(item.commands.filter(cmd => / apply /.test(cmd))).toEqual([step.command]);
        expect(step.command.endsWith(` -f ${item.path}`)).toBe(true);
      });
    });

    test('names calicoctl only where calicoctl applies the v3 stages', () => {
      const steps = out.cluster.applySteps;
      const manual = out.cluster.manualSteps.map(s => `${s.description} ${s.command}`).join('\n');
      if (c.mode !== CalicoApiMode.CALICOCTL) {
        expect(out.report).not.toContain('calicoctl');
        expect(manual).not.toContain('calicoctl');
        expect(steps.every(s => s.command.startsWith('kubectl apply '))).toBe(true);
        return;
      }
      const env = c.etcd
        ? 'DATASTORE_TYPE=etcdv3 ETCD_ENDPOINTS=https://10.0.0.5:2379 ETCD_CA_CERT_FILE=ca.crt ETCD_CERT_FILE=client.crt ETCD_KEY_FILE=client.key'
        : 'DATASTORE_TYPE=kubernetes';
      for (const [i, step] of steps.entries()) {
        const v3 = out.files[i].objects.some(isV3);
        expect(step.command).toEqual(v3 ? `${env} calicoctl apply -f ${step.path}` : expect.stringMatching(/^kubectl apply /));
        // calicoctl reads only projectcalico.org/v3 documents: a stage it applies holds nothing else.
        if (v3) expect(out.files[i].objects.filter(o => !isV3(o))).toEqual([]);
      }
      expect(steps.filter(s => s.command.includes('calicoctl')).map(s => s.stage)).toEqual(['resources', 'bgp']);
    });
  });
});

describe('refusals: one clear error each', () => {
  /** The error of `fn`, checked to be one CalicoValidationError of one line. */
  function refusal(fn: () => unknown): Error {
    const err = errorOf(fn);
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message.split('\n')).toHaveLength(1);
    return err;
  }
  const cluster = (props: CalicoClusterProps) => () => new CalicoCluster(newChart(), 'calico', { ...REFERENCE, ...props });

  test('native v3 CRDs on Calico v3.31 fail: they arrived in v3.32', () => {
    const err = refusal(cluster({ apiMode: CalicoApiMode.NATIVE_V3_CRDS, calicoVersion: CalicoVersion.V3_31_7 }));
    expect(err.message).toMatch(/^\[test\/calico\] CalicoCluster: apiMode NativeV3CRDs needs Calico v3\.32 or later .* the cluster installs v3\.31\.7; use CalicoApiMode\.API_SERVER/);
  });

  test('native v3 CRDs on Kubernetes 1.33 fail: the admission policies need 1.34', () => {
    const err = refusal(cluster({ apiMode: CalicoApiMode.NATIVE_V3_CRDS, kubernetesVersion: '1.33' }));
    expect(err.message).toMatch(/CalicoCluster: apiMode NativeV3CRDs needs Kubernetes 1\.34 or later .*MutatingAdmissionPolicy.*kubernetesVersion is 1\.33/);
    // 1.34 itself is accepted.
    expect(cluster({ apiMode: CalicoApiMode.NATIVE_V3_CRDS, kubernetesVersion: '1.34' })()).toBeInstanceOf(CalicoCluster);
  });

  test('the API server with etcd fails: calicoctl writes to etcd', () => {
    const err = refusal(cluster({ apiMode: CalicoApiMode.API_SERVER, etcd: ETCD }));
    expect(err.message).toMatch(/CalicoCluster: apiMode APIServer serves the Calico resources from the Kubernetes API, but with the etcd datastore .* set it to CalicoApiMode\.CALICOCTL/);
  });

  test('apiCertificates with storage CRDs fail: nothing is served', () => {
    const err = refusal(cluster({ apiMode: CalicoApiMode.STORAGE_CRDS, apiCertificates: ServingCertificates.certManager() }));
    expect(err.message).toMatch(/CalicoCluster: apiCertificates .* but apiMode StorageCRDs runs neither; drop apiCertificates/);
  });

  test('CalicoApi.use(CRD_V1) after a cluster in API server mode fails at synth', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', REFERENCE);
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    const err = refusal(() => synth(chart));
    expect(err.message).toMatch(/^\[test\/calico\] CalicoCluster: the chart writes crd\.projectcalico\.org\/v1 \(CalicoApi\.use after the cluster was created\), but apiMode APIServer applies projectcalico\.org\/v3; set apiMode: CalicoApiMode\.STORAGE_CRDS/);
  });

  test('kubernetesVersion \'latest\' fails: it is no version', () => {
    const err = refusal(cluster({ kubernetesVersion: 'latest' }));
    expect(err.message).toMatch(/CalicoCluster: kubernetesVersion 'latest' is not a Kubernetes version; write it as '1\.34'/);
  });

  test('fromSecret with a private key in its caBundle fails', () => {
    const withKey = `${CA_PEM}-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n`;
    const err = refusal(() => ServingCertificates.fromSecret({ secretName: 'calico-api-tls', caBundle: withKey }));
    expect(err.message).toMatch(/^ServingCertificates\.fromSecret: caBundle holds a private key; give the CA certificate\(s\) only/);
    expect(err.message).not.toContain('MC4CAQAw');
  });

  test('calicoctl mode with a Kubernetes object in a stage calicoctl applies fails at synth; in a chart of its own it applies with kubectl', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', { ...REFERENCE, apiMode: CalicoApiMode.CALICOCTL });
    new KubernetesNamespaceOverride(chart, 'org-1-http', { name: 'allow-http', namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
    const err = refusal(() => synth(chart));
    expect(err.message).toMatch(/^\[test\/calico\] CalicoCluster: calicoctl applies the resources stage \(chart 'test'\), and it reads only projectcalico\.org\/v3 documents, but the stage holds networking\.k8s\.io\/v1 NetworkPolicy 'allow-http' \(test\/org-1-http\/Resource\); move it to a chart of its own, applied with kubectl$/);

    const app = Testing.app();
    const calicoChart = new Chart(app, 'calico');
    new CalicoCluster(calicoChart, 'calico', { ...REFERENCE, apiMode: CalicoApiMode.CALICOCTL });
    const workloads = new Chart(app, 'workloads');
    new KubernetesNamespaceOverride(workloads, 'org-1-http', { name: 'allow-http', namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
    // The whole app synthesizes; the resources stage (the cluster's chart) holds only what calicoctl reads.
    expect(synth(calicoChart).filter(o => o.kind === 'NetworkPolicy' && !isV3(o))).toHaveLength(1);
    expect(Testing.synth(calicoChart).filter(o => !isV3(o))).toEqual([]);
    expect(Testing.synth(workloads).map(o => `${o.apiVersion} ${o.kind}`)).toEqual(['networking.k8s.io/v1 NetworkPolicy']);
  });
});

describe('Argo CD sync waves on native v3 CRDs', () => {
  const c = CASES.find(x => x.mode === CalicoApiMode.NATIVE_V3_CRDS && x.certificate === 'private-ca')!;
  let out: Output;
  beforeAll(() => {
    out = synthesize(c, { argoCdSyncWaves: true });
  });

  test('every object carries the sync wave of its stage', () => {
    expect(out.files.map(f => f.name)).toEqual(out.cluster.applySteps.map(s => s.path));
    for (const p of out.placed) {
      const stage = out.cluster.applySteps[p.stage].stage;
      expect({ object: `${p.object.kind}/${p.object.metadata.name}`, wave: p.object.metadata.annotations?.[SYNC_WAVE] })
        .toEqual({ object: `${p.object.kind}/${p.object.metadata.name}`, wave: String(STAGE_ORDER.indexOf(stage)) });
      expect(STAGE_ORDER.indexOf(stage)).toBe(p.stage);
    }
  });

  test('custom resources and cert-manager objects skip the dry run while their CRDs are missing; nothing else does', () => {
    const objects = out.placed.map(p => p.object);
    const custom = objects.filter(o => isV3(o) || groupOf(o) === 'cert-manager.io');
    expect(custom.filter(o => groupOf(o) === 'cert-manager.io').length).toBeGreaterThanOrEqual(4);
    expect(custom.filter(isV3).length).toBeGreaterThanOrEqual(10);
    for (const o of custom) expect(`${o.kind}/${o.metadata.name}: ${o.metadata.annotations[SYNC_OPTIONS]}`).toBe(`${o.kind}/${o.metadata.name}: SkipDryRunOnMissingResource=true`);
    const others = objects.filter(o => !custom.includes(o) && o.kind !== 'Node');
    expect(others.filter(o => o.metadata.annotations?.[SYNC_OPTIONS] !== undefined)).toEqual([]);
    for (const node of findAll(objects, 'Node')) expect(node.metadata.annotations[SYNC_OPTIONS]).toBe('ServerSideApply=true,Prune=false,Delete=false');
  });

  test('applies wave by wave: the lint CLI finds nothing out of order', () => {
    expect(applyOrderFindings(run('lint', out.dir).out)).toEqual([]);
  });
});
