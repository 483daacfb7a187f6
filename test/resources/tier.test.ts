import { App, Chart } from 'cdk8s';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { GlobalNetworkPolicy } from '../../src/resources/global-network-policy';
import { Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { Tier, TierDefaultAction } from '../../src/resources/tier';
import { EACH_LINE } from '../support/versions';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('Tier', () => {
  test('renders its order and default action', () => {
    const chart = newChart();
    new Tier(chart, 'security', { order: 100, defaultAction: TierDefaultAction.PASS, labels: { team: 'netsec' } });
    const tier = findObject(synth(chart), 'Tier', 'security');
    expect(tier.apiVersion).toBe('projectcalico.org/v3');
    expect(tier.metadata).toEqual({ name: 'security', labels: { team: 'netsec' } });
    expect(tier.spec).toEqual({ order: 100, defaultAction: 'Pass' });
  });

  describe('defaults', () => {
    test('the name is the construct id', () => {
      expect(new Tier(newChart(), 'platform').name).toBe('platform');
    });

    test('order is Calico\'s 1,000,000, left for Calico to fill in', () => {
      const chart = newChart();
      const tier = new Tier(chart, 't');
      expect(tier.order).toBe(1_000_000);
      expect(findObject(synth(chart), 'Tier', 't').spec.order).toBeUndefined();
    });

    test('an order can be given', () => {
      expect(new Tier(newChart(), 't', { order: 50 }).order).toBe(50);
    });

    test('the default action is Deny, left for Calico to fill in', () => {
      const chart = newChart();
      const tier = new Tier(chart, 't');
      expect(tier.defaultAction).toBe(TierDefaultAction.DENY);
      expect(findObject(synth(chart), 'Tier', 't').spec).toEqual({});
    });

    test('the default action can be Pass', () => {
      expect(new Tier(newChart(), 't', { defaultAction: TierDefaultAction.PASS }).defaultAction).toBe(TierDefaultAction.PASS);
    });
  });

  describe('validation', () => {
    test('fails when the name has a dot, which would make policy names ambiguous', () => {
      const e = errorOf(() => new Tier(newChart(), 't', { name: 'sec.ops' }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/Tier 'sec\.ops': metadata\.name: Tier name 'sec\.ops' must not contain '\.'/);
    });

    test('fails when a built-in tier of the line gets another order', () => {
      const chart = newChart();
      CalicoVersion.use(chart, CalicoVersion.V3_31_7);
      expect(() => new Tier(chart, 'anp', { name: 'adminnetworkpolicy', order: 5 }))
        .toThrow(/the tier 'adminnetworkpolicy' is one Calico v3\.31 creates itself, with order 1000/);
    });

    test('a built-in tier of one line is an ordinary name on the other', () => {
      const chart = newChart();
      expect(new Tier(chart, 'anp', { name: 'adminnetworkpolicy', order: 5 }).order).toBe(5);
    });

    test('is checked again at synthesis when the chart\'s version is set after it', () => {
      const chart = newChart();
      new Tier(chart, 'anp', { name: 'adminnetworkpolicy', order: 5 });
      CalicoVersion.use(chart, CalicoVersion.V3_31_7);
      expect(() => synth(chart)).toThrow(/creates itself, with order 1000/);
    });
  });

  test('Tier.fromTierName refers to a tier by name', () => {
    expect(Tier.fromTierName('kube-admin').name).toBe('kube-admin');
  });

  describe.each(EACH_LINE)('on Calico %s', (_line, version) => {
    test('passes the CRD schema as projectcalico.org/v3', () => {
      const chart = newChart();
      CalicoVersion.use(chart, version);
      new Tier(chart, 't', { order: 10, defaultAction: TierDefaultAction.PASS });
      expectCrdSchemaValid(synth(chart), version);
    });

    test('is written as crd.projectcalico.org/v1 with Calico\'s defaults filled in', () => {
      const chart = newChart();
      CalicoVersion.use(chart, version);
      CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
      new Tier(chart, 't');
      new Tier(chart, 'given', { order: 10, defaultAction: TierDefaultAction.PASS });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, version);
      const tier = findObject(manifests, 'Tier', 't');
      expect(tier.apiVersion).toBe('crd.projectcalico.org/v1');
      expect(tier.spec).toEqual({ defaultAction: 'Deny', order: 1_000_000 });
      expect(findObject(manifests, 'Tier', 'given').spec).toEqual({ defaultAction: 'Pass', order: 10 });
    });
  });
});

describe('a Tier no policy of the app joins', () => {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  beforeEach(() => stderr.mockClear());
  afterAll(() => stderr.mockRestore());
  const warnings = () => stderr.mock.calls.map(c => String(c[0])).filter(l => l.includes('[empty-tier]'));

  test('is warned about at synthesis, once, with its path; it is not an error', () => {
    const chart = newChart();
    const tier = new Tier(chart, 'security', { order: 100 });
    synth(chart);
    synth(chart);
    expect(warnings()).toEqual([
      "[test/security] warning [empty-tier]: Tier 'security': no policy of this app joins it (tier: 'security'), so Calico never consults it; "
      + 'add its policies, or remove the tier (policies applied outside the app that join it make this warning moot)\n',
    ]);
    expect(tier.emptyTierWarning).toMatch(/^Tier 'security': no policy of this app joins it/);
  });

  test('is not warned about once a policy joins it, in this chart or another chart of the app', () => {
    for (const elsewhere of [false, true]) {
      const chart = newChart();
      const tier = new Tier(chart, 'security', { order: 100 });
      const policyChart = elsewhere ? new Chart(App.of(chart) as App, 'policies') : chart;
      new GlobalNetworkPolicy(policyChart, 'quarantine', { tier, selector: Selector.has('quarantine'), ingress: [Rule.deny()] });
      synth(chart);
      expect(tier.emptyTierWarning).toBeUndefined();
      expect(warnings()).toEqual([]);
    }
  });

  test('a policy joining another tier of the same name in another app does not count', () => {
    const tier = new Tier(newChart(), 'security');
    new GlobalNetworkPolicy(newChart(), 'other', { tier: Tier.fromExternalTierName('security'), ingress: [Rule.deny()] });
    expect(tier.emptyTierWarning).toBeDefined();
  });
});
