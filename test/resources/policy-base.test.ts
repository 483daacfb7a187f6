// What every Calico policy kind shares through PolicyBase: the tier, its checks per Calico line,
// and how each line stores the four kinds as crd.projectcalico.org/v1 objects.
import { App, Chart } from 'cdk8s';
import { CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { CalicoCluster } from '../../src/install/calico-cluster';
import { Rule } from '../../src/language/rule';
import { GlobalNetworkPolicy } from '../../src/resources/global-network-policy';
import { NetworkPolicy } from '../../src/resources/network-policy';
import { PolicyBase, PolicyBaseProps, StagedAction } from '../../src/resources/policy-base';
import { StagedGlobalNetworkPolicy } from '../../src/resources/staged-global-network-policy';
import { StagedNetworkPolicy } from '../../src/resources/staged-network-policy';
import { Tier } from '../../src/resources/tier';
import { chartFor } from '../support/api-groups';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth, synthApp } from '../support/util';

type PolicyKind = [string, (chart: Chart, id: string, props: PolicyBaseProps) => PolicyBase];

const KINDS: PolicyKind[] = [
  ['GlobalNetworkPolicy', (chart, id, props) => new GlobalNetworkPolicy(chart, id, props)],
  ['NetworkPolicy', (chart, id, props) => new NetworkPolicy(chart, id, props)],
  ['StagedGlobalNetworkPolicy', (chart, id, props) => new StagedGlobalNetworkPolicy(chart, id, props)],
  ['StagedNetworkPolicy', (chart, id, props) => new StagedNetworkPolicy(chart, id, props)],
];

describe.each(KINDS)('%s', (kind, make) => {
  describe('tier', () => {
    test('defaults to the default tier, with spec.tier left out', () => {
      const chart = newChart();
      const policy = make(chart, 'p', {});
      expect(policy.tier).toBe('default');
      expect(findObject(synth(chart), kind, 'p').spec.tier).toBeUndefined();
    });

    test('takes a Tier construct and writes its name', () => {
      const chart = newChart();
      const policy = make(chart, 'p', { tier: new Tier(chart, 'security', { order: 100 }) });
      expect(policy.tier).toBe('security');
      expect(findObject(synth(chart), kind, 'p').spec.tier).toBe('security');
    });

    test('takes a tier by name', () => {
      const chart = newChart();
      make(chart, 'p', { tier: Tier.fromTierName('kube-admin') });
      expect(findObject(synth(chart), kind, 'p').spec.tier).toBe('kube-admin');
    });

    test('fails when the tier name has a dot', () => {
      const e = errorOf(() => make(newChart(), 'p', { tier: Tier.fromTierName('a.b') }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.tier: tier 'a\.b' cannot name a tier/);
    });

    test('on Calico v3.32 a policy of another tier may have any name', () => {
      const chart = chartFor(CalicoVersion.V3_32_1);
      expect(make(chart, 'p', { tier: Tier.fromTierName('security') }).name).toBe('p');
    });

    test('on Calico v3.31 a policy of another tier must be named <tier>.<name>', () => {
      const chart = chartFor(CalicoVersion.V3_31_7);
      const e = errorOf(() => make(chart, 'p', { tier: Tier.fromTierName('security') }));
      expect(e.message).toContain(`${kind} name 'p' must start with its tier in Calico v3.31: name it 'security.p'`);
      expect(make(chartFor(CalicoVersion.V3_31_7), 'q', { name: 'security.q', tier: Tier.fromTierName('security') }).name).toBe('security.q');
    });

    test('fails at synthesis when a v3.31 CalicoCluster arrives after a v3.32-style name', () => {
      const chart = newChart();
      make(chart, 'p', { tier: Tier.fromTierName('security') });
      new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, calicoVersion: CalicoVersion.V3_31_7 });
      expect(() => synth(chart)).toThrow(/must start with its tier in Calico v3\.31/);
    });
  });

  // What each line stores (see src/resources/private/policy-storage.ts for the upstream sources).
  describe('tier existence', () => {
    test('fails at synthesis when the tier is neither a Tier of the app nor built in, listing the known tiers', () => {
      const chart = newChart();
      new Tier(chart, 'security');
      make(chart, 'p', { tier: Tier.fromTierName('securty') });
      const e = errorOf(() => synth(chart));
      expect(e.message).toContain("spec.tier: tier 'securty' is not defined");
      expect(e.message).toContain("the known tiers are 'kube-admin', 'default', 'kube-baseline', 'security'");
      expect(e.message).toContain('Tier.fromExternalTierName');
    });

    test('lists the built-in tiers of the chart\'s line (v3.31)', () => {
      const chart = chartFor(CalicoVersion.V3_31_7);
      make(chart, 'p', { name: 'other.p', tier: Tier.fromTierName('other') });
      expect(errorOf(() => synth(chart)).message)
        .toContain("Calico v3.31 does not create it; the known tiers are 'adminnetworkpolicy', 'default', 'baselineadminnetworkpolicy'");
    });

    test('accepts a tier defined in another chart of the app', () => {
      const app = new App();
      new Tier(new Chart(app, 'tiers'), 'security');
      const chart = new Chart(app, 'policies');
      make(chart, 'p', { tier: Tier.fromTierName('security') });
      expect(findObject(synthApp(app), kind, 'p').spec.tier).toBe('security');
    });

    test('accepts a tier added to the app after the policy', () => {
      const chart = newChart();
      make(chart, 'p', { tier: Tier.fromTierName('security') });
      new Tier(chart, 'security');
      expect(findObject(synth(chart), kind, 'p').spec.tier).toBe('security');
    });

    test('takes a tier applied outside the app on trust', () => {
      const chart = newChart();
      make(chart, 'p', { tier: Tier.fromExternalTierName('platform') });
      expect(findObject(synth(chart), kind, 'p').spec.tier).toBe('platform');
    });

    test.each([
      [CalicoVersion.V3_32_1, 'kube-admin', 'kube-baseline'],
      [CalicoVersion.V3_31_7, 'adminnetworkpolicy', 'baselineadminnetworkpolicy'],
    ])('accepts the built-in tiers of %s', (version, admin, baseline) => {
      const chart = chartFor(version);
      const a = Tier.kubernetesAdmin(chart);
      const b = Tier.kubernetesBaseline(chart);
      expect([a.name, b.name]).toEqual([admin, baseline]);
      make(chart, 'a', { name: version.line === 'v3.31' ? `${admin}.a` : 'a', tier: a });
      make(chart, 'b', { name: version.line === 'v3.31' ? `${baseline}.b` : 'b', tier: b });
      make(chart, 'd', { tier: Tier.defaultTier() });
      const manifests = synth(chart);
      expect(manifests.filter(m => m.kind === kind).map(m => m.spec.tier)).toEqual([admin, baseline, 'default']);
    });

    test('fails when a tier of the other line is named', () => {
      const chart = chartFor(CalicoVersion.V3_31_7);
      make(chart, 'p', { name: 'kube-admin.p', tier: Tier.fromTierName('kube-admin') });
      expect(errorOf(() => synth(chart)).message).toContain("tier 'kube-admin' is not defined");
    });
  });

  describe('crd.projectcalico.org/v1 storage', () => {
    test('v3.31 stores a default-tier policy as default.<name>, without a tier label', () => {
      const chart = chartFor(CalicoVersion.V3_31_7, CalicoApiVersion.CRD_V1);
      make(chart, 'p', { labels: { app: 'x' } });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, CalicoVersion.V3_31_7);
      const policy = findObject(manifests, kind, 'default.p');
      expect(policy.apiVersion).toBe('crd.projectcalico.org/v1');
      expect(policy.metadata.labels).toEqual({ app: 'x' });
    });

    test('v3.31 stores a policy of another tier under its <tier>.<name>, with the tier label', () => {
      const chart = chartFor(CalicoVersion.V3_31_7, CalicoApiVersion.CRD_V1);
      make(chart, 'p', { name: 'security.p', tier: Tier.fromExternalTierName('security') });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, CalicoVersion.V3_31_7);
      expect(findObject(manifests, kind, 'security.p').metadata.labels).toEqual({ 'projectcalico.org/tier': 'security' });
    });

    test('v3.32 stores a default-tier policy under its own name, labelled with the default tier', () => {
      const chart = chartFor(CalicoVersion.V3_32_1, CalicoApiVersion.CRD_V1);
      make(chart, 'p', { labels: { app: 'x' } });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, CalicoVersion.V3_32_1);
      expect(findObject(manifests, kind, 'p').metadata.labels).toEqual({ 'app': 'x', 'projectcalico.org/tier': 'default' });
    });

    test('v3.32 stores a policy of another tier under its own name, with the tier label', () => {
      const chart = chartFor(CalicoVersion.V3_32_1, CalicoApiVersion.CRD_V1);
      make(chart, 'p', { tier: Tier.fromExternalTierName('security') });
      expect(findObject(synth(chart), kind, 'p').metadata.labels).toEqual({ 'projectcalico.org/tier': 'security' });
    });

    test('the tier label replaces one the user set, as Calico does', () => {
      const chart = chartFor(CalicoVersion.V3_32_1, CalicoApiVersion.CRD_V1);
      make(chart, 'p', { labels: { 'projectcalico.org/tier': 'other' } });
      expect(findObject(synth(chart), kind, 'p').metadata.labels).toEqual({ 'projectcalico.org/tier': 'default' });
    });

    test.each([['v3.31', CalicoVersion.V3_31_7], ['v3.32', CalicoVersion.V3_32_1]])(
      'on %s a default-tier name starting with default. fails at synthesis: it would read back without it', (_line, version) => {
        const chart = chartFor(version, CalicoApiVersion.CRD_V1);
        make(chart, 'p', { name: 'default.p' });
        const e = errorOf(() => synth(chart));
        expect(CalicoErrors.isValidationError(e)).toBe(true);
        expect(e.message).toContain(`${kind} name 'default.p' in the default tier reads back from crd.projectcalico.org/v1 as 'p'`);
      });

    test('the same name is fine in projectcalico.org/v3, where Calico keeps the name', () => {
      const chart = newChart();
      make(chart, 'p', { name: 'default.p' });
      expect(findObject(synth(chart), kind, 'default.p')).toBeDefined();
    });
  });
});

describe('staged Delete in crd.projectcalico.org/v1', () => {
  test.each([['v3.31', CalicoVersion.V3_31_7], ['v3.32', CalicoVersion.V3_32_1]])(
    'on %s it gets no derived types (Calico clears them for a staged Delete)', (_line, version) => {
      const chart = chartFor(version, CalicoApiVersion.CRD_V1);
      new StagedGlobalNetworkPolicy(chart, 'g', { stagedAction: StagedAction.DELETE });
      new StagedNetworkPolicy(chart, 'n', { stagedAction: StagedAction.DELETE });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, version);
      const prefix = version.line === 'v3.31' ? 'default.' : '';
      expect(findObject(manifests, 'StagedGlobalNetworkPolicy', `${prefix}g`).spec).toEqual({ stagedAction: 'Delete' });
      expect(findObject(manifests, 'StagedNetworkPolicy', `${prefix}n`).spec).toEqual({ stagedAction: 'Delete' });
    });

  test('a staged Set gets its derived types', () => {
    const chart = chartFor(CalicoVersion.V3_32_1, CalicoApiVersion.CRD_V1);
    new StagedGlobalNetworkPolicy(chart, 'g', { egress: [Rule.deny()] });
    expect(findObject(synth(chart), 'StagedGlobalNetworkPolicy', 'g').spec.types).toEqual(['Egress']);
  });
});
