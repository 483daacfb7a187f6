import { CalicoErrors } from '../../src/core/errors';
import { Port } from '../../src/language/port';
import { PolicyType, Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { GlobalNetworkPolicy, GlobalNetworkPolicyProps } from '../../src/resources/global-network-policy';
import { StagedAction } from '../../src/resources/policy-base';
import { StagedGlobalNetworkPolicy } from '../../src/resources/staged-global-network-policy';
import { Tier } from '../../src/resources/tier';
import { synthInBothGroups } from '../support/api-groups';
import { EACH_LINE } from '../support/versions';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

const PROPS: GlobalNetworkPolicyProps = {
  order: 300,
  selector: Selector.has('app'),
  namespaceSelector: Selector.eq('team', 'shop'),
  serviceAccountSelector: Selector.has('api'),
  policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS],
  ingress: [Rule.allow({ destination: { ports: [Port.tcp(443)] } })],
  egress: [Rule.deny()],
  preDnat: false,
  doNotTrack: false,
};

describe('StagedGlobalNetworkPolicy', () => {
  test('renders the same spec as a GlobalNetworkPolicy with the same props, plus the staged action', () => {
    const chart = newChart();
    new GlobalNetworkPolicy(chart, 'enforced', PROPS);
    new StagedGlobalNetworkPolicy(chart, 'staged', { ...PROPS, stagedAction: StagedAction.SET });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const enforced = findObject(manifests, 'GlobalNetworkPolicy', 'enforced');
    const staged = findObject(manifests, 'StagedGlobalNetworkPolicy', 'staged');
    expect(staged.apiVersion).toBe('projectcalico.org/v3');
    expect(staged.spec).toEqual({ ...enforced.spec, stagedAction: 'Set' });
  });

  describe('defaults', () => {
    test('the staged action is Set, left for Calico to fill in', () => {
      const chart = newChart();
      const policy = new StagedGlobalNetworkPolicy(chart, 'p');
      expect(policy.stagedAction).toBe(StagedAction.SET);
      expect(findObject(synth(chart), 'StagedGlobalNetworkPolicy', 'p').spec).toEqual({});
    });

    test('a staged Delete carries only its action (and tier)', () => {
      const chart = newChart();
      const policy = new StagedGlobalNetworkPolicy(chart, 'p', { stagedAction: StagedAction.DELETE, tier: Tier.fromExternalTierName('security') });
      expect(policy.stagedAction).toBe(StagedAction.DELETE);
      expect(findObject(synth(chart), 'StagedGlobalNetworkPolicy', 'p').spec).toEqual({ stagedAction: 'Delete', tier: 'security' });
    });

    test('applyOnForward follows preDnat as in a GlobalNetworkPolicy', () => {
      const policy = new StagedGlobalNetworkPolicy(newChart(), 'p', { preDnat: true, ingress: [Rule.deny()], policyTypes: [PolicyType.INGRESS] });
      expect(policy.applyOnForward).toBe(true);
    });
  });

  describe('validation', () => {
    test('fails when a staged Delete carries rules', () => {
      const e = errorOf(() => new StagedGlobalNetworkPolicy(newChart(), 'p', { stagedAction: StagedAction.DELETE, ingress: [Rule.deny()] }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.ingress: ingress cannot be set when stagedAction is Delete/);
    });

    test('a bad rule is refused where it is added, as in a GlobalNetworkPolicy', () => {
      const policy = new StagedGlobalNetworkPolicy(newChart(), 'p');
      expect(() => policy.addEgressRule(Rule.allow({ http: { methods: ['GET'] } }))).toThrow(/spec\.egress\[0\]\.http/);
      expect(policy.egressRules).toEqual([]);
    });
  });

  test.each(EACH_LINE)('passes the CRD schema of Calico %s in both API groups', (_line, version) => {
    synthInBothGroups(version, chart => new StagedGlobalNetworkPolicy(chart, 'p', { ...PROPS, stagedAction: StagedAction.LEARN }));
  });
});
