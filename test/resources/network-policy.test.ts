import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { NetworkPolicy } from '../../src/resources/network-policy';
import { NetworkSet } from '../../src/resources/network-set';
import { Port } from '../../src/language/port';
import { Protocol } from '../../src/language/protocol';
import { PerformanceHint, PolicyType, Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

function synthOne(build: (chart: ReturnType<typeof newChart>) => void, name = 'p', namespace?: string): any {
  const chart = newChart();
  build(chart);
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  return findObject(manifests, 'NetworkPolicy', name, namespace);
}

describe('NetworkPolicy', () => {
  test('renders a namespaced policy that lets the web tier reach the API', () => {
    const api = Selector.parse("app == 'api'");
    const web = Selector.parse("app == 'web'");
    const np = synthOne(chart => {
      new NetworkPolicy(chart, 'api-ingress', {
        name: 'p',
        namespaceName: 'shop',
        labels: { team: 'shop' },
        order: 100,
        selector: api,
        serviceAccountSelector: Selector.has('api'),
        policyTypes: [PolicyType.INGRESS],
        ingress: [
          Rule.allow({ source: { selector: web }, destination: { ports: [Port.tcp(8080), Port.named('grpc')] } }),
          Rule.deny(),
        ],
        performanceHints: [PerformanceHint.ASSUME_NEEDED_ON_EVERY_NODE],
      });
    }, 'p', 'shop');
    expect(np.apiVersion).toBe('projectcalico.org/v3');
    expect(np.metadata).toEqual({ name: 'p', namespace: 'shop', labels: { team: 'shop' } });
    expect(np.spec).toEqual({
      order: 100,
      selector: api.toString(),
      serviceAccountSelector: 'has(api)',
      types: ['Ingress'],
      ingress: [
        { action: 'Allow', protocol: 'TCP', source: { selector: web.toString() }, destination: { ports: [8080, 'grpc'] } },
        { action: 'Deny' },
      ],
      performanceHints: ['AssumeNeededOnEveryNode'],
    });
  });

  describe('defaults', () => {
    test('the namespace defaults to default and the name to the construct id', () => {
      const np = synthOne(chart => new NetworkPolicy(chart, 'p'));
      expect(np.metadata).toEqual({ name: 'p', namespace: 'default' });
    });

    test('the namespace can be chosen', () => {
      const chart = newChart();
      const policy = new NetworkPolicy(chart, 'p', { namespaceName: 'kube-system' });
      expect(policy.namespaceName).toBe('kube-system');
      expect(findObject(synth(chart), 'NetworkPolicy', 'p', 'kube-system')).toBeDefined();
    });

    test('a policy with nothing set renders an empty spec', () => {
      expect(synthOne(chart => new NetworkPolicy(chart, 'p')).spec).toEqual({});
    });

    test('order, selector and serviceAccountSelector are left out by default', () => {
      const chart = newChart();
      const policy = new NetworkPolicy(chart, 'p');
      expect([policy.order, policy.selector, policy.serviceAccountSelector]).toEqual([undefined, undefined, undefined]);
      const spec = findObject(synth(chart), 'NetworkPolicy', 'p').spec;
      expect([spec.order, spec.selector, spec.serviceAccountSelector]).toEqual([undefined, undefined, undefined]);
    });

    test('policy types are derived as Calico does and written only when given', () => {
      const chart = newChart();
      const derived = new NetworkPolicy(chart, 'derived', { egress: [Rule.allow()] });
      const given = new NetworkPolicy(chart, 'given', { policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS] });
      expect([derived.policyTypes, given.policyTypes]).toEqual([['Egress'], ['Ingress', 'Egress']]);
      const manifests = synth(chart);
      expect(findObject(manifests, 'NetworkPolicy', 'derived').spec.types).toBeUndefined();
      expect(findObject(manifests, 'NetworkPolicy', 'given').spec.types).toEqual(['Ingress', 'Egress']);
    });

    test('performance hints are empty by default', () => {
      expect(new NetworkPolicy(newChart(), 'p').performanceHints).toEqual([]);
    });
  });

  describe('adding rules', () => {
    test('addIngressRule and addEgressRule append in order', () => {
      const chart = newChart();
      const policy = new NetworkPolicy(chart, 'p');
      policy.addEgressRule(Rule.allow({ destination: { ports: [Port.udp(53)] } }));
      policy.addEgressRule(Rule.allow({ protocol: Protocol.TCP, destination: { ports: [Port.number(53)] } }));
      policy.addIngressRule(Rule.passOn());
      const spec = findObject(synth(chart), 'NetworkPolicy', 'p').spec;
      expect(spec.egress.map((r: any) => r.protocol)).toEqual(['UDP', 'TCP']);
      expect(spec.ingress).toEqual([{ action: 'Pass' }]);
    });

    test('a bad rule is rejected where it is added and the policy keeps its earlier rules', () => {
      const chart = newChart();
      const policy = new NetworkPolicy(chart, 'p', { ingress: [Rule.deny()] });
      const e = errorOf(() => policy.addIngressRule(Rule.allow({ protocol: Protocol.UDP, destination: { ports: [Port.tcp(80)] } })));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/NetworkPolicy 'p': spec\.ingress\[1\]\.destination\.ports\[0\]: Port\.tcp\(80\) carries protocol TCP but the rule's protocol is UDP/);
      expect(policy.ingressRules).toEqual([{ action: 'Deny' }]);
    });
  });

  describe('validation', () => {
    // v3.28 refused any '.'; v3.29 and later allow one (after the tier), and refuse a second.
    test('a name with two dots is rejected', () => {
      expect(() => new NetworkPolicy(newChart(), 'p', { name: 'allow.web.v2' })).toThrow(/metadata\.name/);
    });

    test('an HTTP match in an egress rule is rejected', () => {
      expect(() => new NetworkPolicy(newChart(), 'p', { egress: [Rule.allow({ http: { methods: ['GET'] } })] })).toThrow(/spec\.egress\[0\]\.http/);
    });

    test('a service match in an ingress destination is rejected', () => {
      expect(() => new NetworkPolicy(newChart(), 'p', { ingress: [Rule.allow({ destination: { services: { name: 'api' } } })] }))
        .toThrow(/spec\.ingress\[0\]\.destination\.services/);
    });

    test('a service match without a namespace is accepted: it means the policy\'s namespace', () => {
      const np = synthOne(chart => new NetworkPolicy(chart, 'p', { egress: [Rule.allow({ destination: { services: { name: 'api' } } })] }));
      expect(np.spec.egress[0].destination).toEqual({ services: { name: 'api' } });
    });
  });

  describe.each([
    ['v3.31', CalicoVersion.V3_31_7, 'default.'],
    ['v3.32', CalicoVersion.V3_32_1, ''],
  ])('crd.projectcalico.org/v1 output on Calico %s', (_line, version, prefix) => {
    test(`is written as '${prefix}<name>', in its namespace, with derived types`, () => {
      const chart = newChart();
      CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
      CalicoVersion.use(chart, version);
      new NetworkPolicy(chart, 'allow-web', { namespaceName: 'shop', ingress: [Rule.allow()], egress: [Rule.allow()] });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, version);
      const np = findObject(manifests, 'NetworkPolicy', `${prefix}allow-web`, 'shop');
      expect(np.apiVersion).toBe('crd.projectcalico.org/v1');
      expect(np.spec.types).toEqual(['Ingress', 'Egress']);
    });

    test('a policy with no rules defaults to type Ingress', () => {
      const chart = newChart();
      CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
      CalicoVersion.use(chart, version);
      new NetworkPolicy(chart, 'p');
      expect(findObject(synth(chart), 'NetworkPolicy', `${prefix}p`).spec).toEqual({ types: ['Ingress'] });
    });
  });
});

describe('namespace', () => {
  test('an empty namespaceName is refused, for NetworkPolicy and NetworkSet alike (namespace "" would follow the kubectl context)', () => {
    expect(errorOf(() => new NetworkPolicy(newChart(), 'np', { namespaceName: '', selector: Selector.all() })).message)
      .toBe("[test/np] NetworkPolicy 'np': namespaceName is empty; leave it out for the chart's namespace (else 'default'), or name the namespace");
    expect(errorOf(() => new NetworkSet(newChart(), 'ns', { namespaceName: '' })).message).toMatch(/^\[test\/ns\] NetworkSet 'ns': namespaceName is empty/);
  });
});
