// `cdk8s-calico lint` rules shadowed-rule and empty-tier, on files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { run, Run } from '../support/cli';

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-lint-policy-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes the documents to a fresh file and returns its path. */
function file(docs: any[]): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
  const target = path.join(dir, 'policies.yaml');
  fs.writeFileSync(target, docs.map(d => YAML.stringify(d)).join('---\n'));
  return target;
}

/** The findings of one rule, the file path shortened to `<file>`. */
function findings(r: Run, rule: string, target: string): string[] {
  return r.out.split('\n').filter(l => l.includes(` [${rule}] `)).map(l => l.split(target).join('<file>'));
}

const lint = (target: string, ...more: string[]) => run('lint', target, '--disable', 'no-default-deny', ...more);

const METADATA_OVERRIDE = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'org-1-https', namespace: 'org-1' },
  spec: {
    order: 1500,
    egress: [
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [443] } },
      { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
    ],
  },
};

describe('shadowed-rule', () => {
  test('a Deny of the metadata service after an Allow of TCP 443 everywhere is reported at the Deny, naming both rules', () => {
    const target = file([METADATA_OVERRIDE]);
    const r = lint(target);
    expect(findings(r, 'shadowed-rule', target)).toEqual([
      "<file>:16: NetworkPolicy/org-1/org-1-https [shadowed-rule] NetworkPolicy 'org-1-https': egress rule 1 (Deny to 169.254.169.254/32) does not decide "
        + 'TCP to 169.254.169.254/32 port 443: rule 0 (Allow TCP to 0.0.0.0/0 port 443) allows that traffic first; move rule 1 before rule 0; '
        + 'a deny that must hold whatever a namespace allows belongs in a tier evaluated before the default one (PlatformGuardrails)',
    ]);
    expect(r.code).toBe(1);
  });

  test('the same rules in the other order, deny first, are clean', () => {
    const fixed = { ...METADATA_OVERRIDE, spec: { ...METADATA_OVERRIDE.spec, egress: [...METADATA_OVERRIDE.spec.egress].reverse() } };
    const r = lint(file([fixed]));
    expect(r.code).toBe(0);
  });

  test('a rule an earlier rule covers entirely is reported as never matching, in GlobalNetworkPolicies and staged policies alike', () => {
    const rules = {
      ingress: [
        { action: 'Allow', source: { nets: ['10.0.0.0/8'] } },
        { action: 'Deny', protocol: 'UDP', source: { nets: ['10.1.0.0/16'] }, destination: { ports: ['1000:2000'] } },
      ],
    };
    const target = file([
      { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'gnp' }, spec: rules },
      { apiVersion: 'projectcalico.org/v3', kind: 'StagedGlobalNetworkPolicy', metadata: { name: 'staged' }, spec: rules },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'default.stored' }, spec: rules },
    ]);
    const found = findings(lint(target), 'shadowed-rule', target);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^<file>:\d+: GlobalNetworkPolicy\/gnp \[shadowed-rule\] GlobalNetworkPolicy 'gnp': ingress rule 1 \(Deny UDP from 10\.1\.0\.0\/16 to port 1000:2000\) can never match: rule 0 \(Allow from 10\.0\.0\.0\/8\) already allows all its traffic/);
    expect(found[1]).toContain("StagedGlobalNetworkPolicy 'staged': ingress rule 1");
    expect(found[2]).toContain("GlobalNetworkPolicy 'default.stored': ingress rule 1");
  });

  test('an allow-these-deny-the-rest policy and rules with different selectors are clean', () => {
    const target = file([{
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'org-1' },
      spec: {
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: { selector: 'app == "lb"' }, destination: { ports: [443] } },
          { action: 'Deny', protocol: 'TCP', source: { selector: 'app == "batch"' }, destination: { ports: [443] } },
          { action: 'Log' },
          { action: 'Deny' },
        ],
      },
    }]);
    expect(lint(target).code).toBe(0);
  });

  test('Kubernetes NetworkPolicies are not read (their rules have no order)', () => {
    const target = file([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'k', namespace: 'org-1' },
      spec: { podSelector: {}, ingress: [{}, { ports: [{ port: 80 }] }] },
    }]);
    expect(findings(lint(target), 'shadowed-rule', target)).toEqual([]);
  });

  test('--disable shadowed-rule silences it', () => {
    expect(lint(file([METADATA_OVERRIDE]), '--disable', 'shadowed-rule').code).toBe(0);
  });
});

describe('empty-tier', () => {
  const tier = (name: string) => ({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec: { order: 100 } });
  const policyIn = (name: string, tierName: string, kind = 'GlobalNetworkPolicy') => ({
    apiVersion: 'projectcalico.org/v3', kind, metadata: { name: `${tierName}.${name}` }, spec: { tier: tierName, selector: 'all()' },
  });

  test('a Tier no policy names is reported at its name', () => {
    const target = file([tier('security'), tier('platform'), policyIn('guard', 'platform')]);
    const r = lint(target);
    expect(findings(r, 'empty-tier', target)).toEqual([
      "<file>:4: Tier/security [empty-tier] Tier 'security' holds no policy: no policy of the input names it in spec.tier, so it decides nothing; "
        + "add the policies meant for it (spec.tier: 'security'), or remove the tier (a finding about the whole input; disable it when linting part of a cluster)",
    ]);
    expect(r.code).toBe(1);
  });

  test('a tier holding only a staged policy, or named by the storage label, is not empty', () => {
    const stored = {
      apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy',
      metadata: { name: 'audit.x', labels: { 'projectcalico.org/tier': 'audit' } }, spec: { selector: 'all()', tier: 'audit' },
    };
    const target = file([tier('security'), policyIn('trial', 'security', 'StagedGlobalNetworkPolicy'), tier('audit'), stored]);
    expect(findings(lint(target), 'empty-tier', target)).toEqual([]);
  });

  test('the tiers Calico creates itself are never reported', () => {
    const builtins = [
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'default' }, spec: { order: 1000000 } },
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'kube-admin' }, spec: { order: 1000, defaultAction: 'Pass' } },
    ];
    const target = file(builtins);
    expect(findings(lint(target), 'empty-tier', target)).toEqual([]);
  });
});
