import { CalicoErrors } from '../../src/core/errors';
import { Port } from '../../src/language/port';
import { PolicyType, Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { NetworkPolicy, NetworkPolicyProps } from '../../src/resources/network-policy';
import { StagedAction } from '../../src/resources/policy-base';
import { StagedNetworkPolicy } from '../../src/resources/staged-network-policy';
import { synthInBothGroups } from '../support/api-groups';
import { EACH_LINE } from '../support/versions';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

const PROPS: NetworkPolicyProps = {
  namespaceName: 'shop',
  order: 100,
  selector: Selector.eq('app', 'api'),
  policyTypes: [PolicyType.INGRESS],
  ingress: [Rule.allow({ source: { selector: Selector.eq('app', 'web') }, destination: { ports: [Port.tcp(8080)] } })],
};

describe('StagedNetworkPolicy', () => {
  test('renders the same spec as a NetworkPolicy with the same props, plus the staged action', () => {
    const chart = newChart();
    new NetworkPolicy(chart, 'enforced', PROPS);
    new StagedNetworkPolicy(chart, 'staged', { ...PROPS, stagedAction: StagedAction.IGNORE });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const enforced = findObject(manifests, 'NetworkPolicy', 'enforced', 'shop');
    const staged = findObject(manifests, 'StagedNetworkPolicy', 'staged', 'shop');
    expect(staged.spec).toEqual({ ...enforced.spec, stagedAction: 'Ignore' });
  });

  describe('defaults', () => {
    test('the namespace is the chart\'s, else default', () => {
      const policy = new StagedNetworkPolicy(newChart(), 'p');
      expect(policy.namespaceName).toBe('default');
    });

    test('the staged action is Set, left for Calico to fill in', () => {
      const chart = newChart();
      const policy = new StagedNetworkPolicy(chart, 'p');
      expect(policy.stagedAction).toBe(StagedAction.SET);
      expect(findObject(synth(chart), 'StagedNetworkPolicy', 'p').spec).toEqual({});
    });

    test('a staged Delete can be given', () => {
      const chart = newChart();
      new StagedNetworkPolicy(chart, 'p', { stagedAction: StagedAction.DELETE });
      expect(findObject(synth(chart), 'StagedNetworkPolicy', 'p').spec).toEqual({ stagedAction: 'Delete' });
    });
  });

  describe('validation', () => {
    test('fails when a staged Delete carries a selector', () => {
      const e = errorOf(() => new StagedNetworkPolicy(newChart(), 'p', { stagedAction: StagedAction.DELETE, selector: Selector.all() }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.selector: selector cannot be set when stagedAction is Delete/);
    });

    test('an empty namespace is refused', () => {
      expect(() => new StagedNetworkPolicy(newChart(), 'p', { namespaceName: '' })).toThrow(/StagedNetworkPolicy 'p': namespaceName is empty/);
    });
  });

  test.each(EACH_LINE)('passes the CRD schema of Calico %s in both API groups', (_line, version) => {
    synthInBothGroups(version, chart => new StagedNetworkPolicy(chart, 'p', PROPS));
  });
});
