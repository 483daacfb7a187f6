// examples/tiers: a platform guardrail tier, the default deny staged, one namespace opened. The
// evaluator proves what the guardrail holds whatever a namespace allows, and what the staged
// default deny would change once enforced (issue 15's acceptance).
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { TiersChart } from '../../examples/tiers/chart';
import { DecisionBasis, Flow, FlowEnd, PolicyModel } from '../../src';
import { calicoMatchers } from '../../src/analysis/matchers';
import { run } from '../support/cli';
import { synth } from '../support/util';
import { runExampleMain } from '../support/examples';

expect.extend(calicoMatchers);
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toAllow(flow: Flow, options?: { enforceStaged?: boolean }): R;
      toDeny(flow: Flow, options?: { enforceStaged?: boolean }): R;
    }
  }
}

const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const chart = new TiersChart(Testing.app(), 'tiers');
const manifests = synth(chart);
const model = PolicyModel.fromChart(chart);

const web: FlowEnd = { namespaceName: 'org-1', labels: { app: 'web' } };
const api: FlowEnd = { namespaceName: 'org-2', labels: { app: 'api' } };
const metadata: FlowEnd = { ip: '169.254.169.254' };
const internet: FlowEnd = { ip: '203.0.113.10' };
const dns: FlowEnd = { namespaceName: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const flow = (source: FlowEnd, destination: FlowEnd, port: number, protocol = 'TCP'): Flow => ({ source, destination, port, protocol });

test('renders the platform tier before default, its guardrail policy, the staged default deny and org-1\'s two policies', () => {
  // The install stage's allow-apiserver is upstream's NetworkPolicy of the Calico API server.
  const policies = manifests.filter(m => /Tier|NetworkPolicy/.test(m.kind)).map(m => `${m.apiVersion} ${m.kind}/${m.metadata.name}`);
  expect(policies).toEqual([
    'networking.k8s.io/v1 NetworkPolicy/allow-apiserver',
    'projectcalico.org/v3 Tier/platform',
    'projectcalico.org/v3 GlobalNetworkPolicy/platform.guardrails',
    'projectcalico.org/v3 StagedGlobalNetworkPolicy/default-deny',
    'projectcalico.org/v3 NetworkPolicy/org-1-https',
    'networking.k8s.io/v1 NetworkPolicy/allow-http',
  ]);
  const tier = manifests.find(m => m.kind === 'Tier');
  expect(tier.spec).toEqual({ order: 10000, defaultAction: 'Pass' });
  expect(model.policies.map(p => `${p.tier}/${p.name}${p.staged ? ' (staged)' : ''}`)).toEqual([
    'platform/platform.guardrails', 'default/allow-http', 'default/org-1-https', 'default/default-deny (staged)',
  ]);
});

test('metadata egress is denied by the guardrail even though org-1 allows 0.0.0.0/0 on TCP 443', () => {
  const verdict = model.evaluate(flow(web, metadata, 443));
  expect(verdict.allowed).toBe(false);
  expect(verdict.egress).toMatchObject({ tier: 'platform', policyName: 'platform.guardrails', decidedBy: DecisionBasis.RULE, action: 'Deny' });
  // Any port, and from a namespace with no policy of its own, staged deny enforced or not.
  for (const port of [80, 443, 8080]) {
    for (const source of [web, api]) {
      expect(model).toDeny(flow(source, metadata, port));
      expect(model).toDeny(flow(source, metadata, port), { enforceStaged: true });
    }
  }
});

test('the guardrail passes everything else on: org-1\'s own policy allows HTTPS anywhere and ends its egress there', () => {
  const https = model.evaluate(flow(web, internet, 443));
  expect(https.allowed).toBe(true);
  expect(https.egress).toMatchObject({ tier: 'default', policyName: 'org-1-https', decidedBy: DecisionBasis.RULE, action: 'Allow' });
  // org-1 selected in default for egress: HTTP out falls off the end of the tier.
  expect(model.evaluate(flow(web, internet, 80)).egress).toMatchObject({ tier: 'default', decidedBy: DecisionBasis.END_OF_TIER, allowed: false });
});

test('DNS is always allowed by the guardrail, before any namespace policy can cut it off', () => {
  for (const protocol of ['UDP', 'TCP']) {
    const v = model.evaluate(flow(web, dns, 53, protocol), { enforceStaged: true });
    expect(v.allowed).toBe(true);
    expect(v.egress).toMatchObject({ tier: 'platform', policyName: 'platform.guardrails', action: 'Allow' });
  }
});

test('what the staged default deny would change once enforced: org-2, which has no policy, loses everything; org-1 keeps what it opened', () => {
  // Today (staged: reported, not enforced): nothing selects org-2 in the default tier, so its profile allows.
  expect(model).toAllow(flow(api, internet, 443));
  expect(model).toAllow(flow(internet, api, 8080));
  expect(model).toAllow(flow(api, web, 80));
  // Enforced: the default deny decides org-2's traffic both ways.
  const out = model.evaluate(flow(api, internet, 443), { enforceStaged: true });
  expect(out.allowed).toBe(false);
  expect(out.egress).toMatchObject({ tier: 'default', policyName: 'default-deny', allowed: false });
  const into = model.evaluate(flow(internet, api, 8080), { enforceStaged: true });
  expect(into.ingress).toMatchObject({ tier: 'default', policyName: 'default-deny', allowed: false });
  expect(model).toDeny(flow(api, web, 80), { enforceStaged: true });
  // What org-1 opened stays open: HTTP in, HTTPS out; the rest of org-1's traffic its own policies already end.
  expect(model).toAllow(flow(internet, web, 80), { enforceStaged: true });
  expect(model).toAllow(flow(web, internet, 443), { enforceStaged: true });
  for (const options of [{}, { enforceStaged: true }]) {
    expect(model).toDeny(flow(internet, web, 8080), options);
    expect(model).toDeny(flow(web, internet, 80), options);
  }
});

test('main.ts writes the stages, the report and its reachability heat map; lint says the default deny is staged, nothing else', () => {
  const outdir = runExampleMain('tiers');
  expect(fs.readdirSync(outdir).sort()).toEqual([
    '0000-tiers-crds.k8s.yaml', '0001-tiers-install.k8s.yaml', '0002-tiers.k8s.yaml', '0003-tiers-bgp.k8s.yaml',
    'calico-architecture.md', 'calico-reachability.svg',
  ]);
  const report = fs.readFileSync(path.join(outdir, 'calico-architecture.md'), 'utf8');
  expect(report).toContain('| **3** org-1/web |');
  const lint = run('lint', outdir);
  expect(lint.code).toBe(1);
  expect(lint.out.trim().split('\n')).toEqual([
    expect.stringMatching(/0002-tiers\.k8s\.yaml:\d+: StagedGlobalNetworkPolicy\/default-deny \[no-default-deny\] no GlobalNetworkPolicy denies traffic by default yet: the default deny 'default-deny' is staged/),
  ]);
  fs.rmSync(outdir, { recursive: true, force: true });
});

test('the app keeps its naming across synths (deterministic)', () => {
  const again = synth(new TiersChart(new App(), 'tiers'));
  expect(JSON.stringify(again)).toBe(JSON.stringify(manifests));
});
