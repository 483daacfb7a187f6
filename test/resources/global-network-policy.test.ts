import * as fc from 'fast-check';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { GlobalNetworkPolicy } from '../../src/resources/global-network-policy';
import { Port } from '../../src/language/port';
import { Protocol } from '../../src/language/protocol';
import { PerformanceHint, PolicyRule, PolicyType, Rule, RuleAction } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

function synthOne(build: (chart: ReturnType<typeof newChart>) => void, name = 'p'): any {
  const chart = newChart();
  build(chart);
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  return findObject(manifests, 'GlobalNetworkPolicy', name);
}

const SYSTEM_NAMESPACES = Selector.parse('has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "calico-system", "calico-apiserver"}');

describe('GlobalNetworkPolicy', () => {
  test('renders a complete default-deny policy with DNS allowed', () => {
    const gnp = synthOne(chart => {
      new GlobalNetworkPolicy(chart, 'default-deny', {
        name: 'p',
        labels: { team: 'platform' },
        annotations: { note: 'baseline' },
        order: 2000,
        namespaceSelector: SYSTEM_NAMESPACES,
        policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS],
        egress: [
          Rule.allow({ destination: { selector: Selector.parse("k8s-app == 'kube-dns'"), ports: [Port.udp(53)] } }),
          Rule.allow({ destination: { selector: Selector.parse("k8s-app == 'kube-dns'"), ports: [Port.tcp(53)] } }),
        ],
      });
    });
    expect(gnp.apiVersion).toBe('projectcalico.org/v3');
    expect(gnp.metadata).toEqual({ name: 'p', labels: { team: 'platform' }, annotations: { note: 'baseline' } });
    expect(gnp.metadata.namespace).toBeUndefined();
    expect(gnp.spec.order).toBe(2000);
    expect(gnp.spec.namespaceSelector).toBe(SYSTEM_NAMESPACES.toString());
    expect(gnp.spec.types).toEqual(['Ingress', 'Egress']);
    expect(gnp.spec.egress.map((r: any) => [r.action, r.protocol, r.destination.ports])).toEqual([['Allow', 'UDP', [53]], ['Allow', 'TCP', [53]]]);
    expect(gnp.spec.ingress).toBeUndefined();
  });

  describe('defaults', () => {
    test('name defaults to the construct id', () => {
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p')).metadata.name).toBe('p');
    });

    test('a policy with nothing set renders an empty spec', () => {
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p')).spec).toEqual({});
    });

    test('order is left out by default and written when given', () => {
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p')).spec.order).toBeUndefined();
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p', { order: 10.5 })).spec.order).toBe(10.5);
    });

    test('selector is left out by default (Calico reads it as all()) and written when given', () => {
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p')).spec.selector).toBeUndefined();
      const selector = Selector.has('host-endpoint');
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p', { selector })).spec.selector).toBe('has(host-endpoint)');
    });

    test('namespaceSelector and serviceAccountSelector are left out by default and written when given', () => {
      const empty = synthOne(chart => new GlobalNetworkPolicy(chart, 'p')).spec;
      expect([empty.namespaceSelector, empty.serviceAccountSelector]).toEqual([undefined, undefined]);
      const spec = synthOne(chart => new GlobalNetworkPolicy(chart, 'p', {
        namespaceSelector: Selector.has('env'), serviceAccountSelector: Selector.has('role'),
      })).spec;
      expect([spec.namespaceSelector, spec.serviceAccountSelector]).toEqual(['has(env)', 'has(role)']);
    });

    test('policy types are left for Calico to derive, and the derived value is exposed', () => {
      const chart = newChart();
      const none = new GlobalNetworkPolicy(chart, 'none');
      const ingressOnly = new GlobalNetworkPolicy(chart, 'in', { ingress: [Rule.deny()] });
      const egressOnly = new GlobalNetworkPolicy(chart, 'out', { egress: [Rule.deny()] });
      const both = new GlobalNetworkPolicy(chart, 'both', { ingress: [Rule.deny()], egress: [Rule.deny()] });
      expect([none, ingressOnly, egressOnly, both].map(p => p.policyTypes)).toEqual([
        ['Ingress'], ['Ingress'], ['Egress'], ['Ingress', 'Egress'],
      ]);
      expect(synth(chart).map(m => m.spec.types)).toEqual([undefined, undefined, undefined, undefined]);
    });

    test('explicit policy types are written and override the derived ones', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p', { policyTypes: [PolicyType.EGRESS], ingress: [Rule.allow()] });
      expect(policy.policyTypes).toEqual(['Egress']);
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec.types).toEqual(['Egress']);
    });

    test('an empty policyTypes list counts as not given', () => {
      const policy = new GlobalNetworkPolicy(newChart(), 'p', { policyTypes: [], egress: [Rule.deny()] });
      expect(policy.policyTypes).toEqual(['Egress']);
      expect(policy.toManifest().spec.types).toBeUndefined();
    });

    test('doNotTrack, preDnat and applyOnForward are false and left out by default', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p');
      expect([policy.doNotTrack, policy.preDnat, policy.applyOnForward]).toEqual([false, false, false]);
      const spec = findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec;
      expect([spec.doNotTrack, spec.preDNAT, spec.applyOnForward]).toEqual([undefined, undefined, undefined]);
    });

    test('preDnat turns applyOnForward on, as Calico requires', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p', { preDnat: true, ingress: [Rule.deny()] });
      expect(policy.applyOnForward).toBe(true);
      const spec = findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec;
      expect([spec.preDNAT, spec.applyOnForward]).toEqual([true, true]);
    });

    test('doNotTrack turns applyOnForward on, as Calico requires', () => {
      const spec = synthOne(chart => new GlobalNetworkPolicy(chart, 'p', { doNotTrack: true })).spec;
      expect([spec.doNotTrack, spec.applyOnForward]).toEqual([true, true]);
    });

    test('applyOnForward alone is written as given', () => {
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p', { applyOnForward: true })).spec.applyOnForward).toBe(true);
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p', { applyOnForward: false })).spec.applyOnForward).toBe(false);
    });

    test('performance hints are left out by default and written when given', () => {
      expect(synthOne(chart => new GlobalNetworkPolicy(chart, 'p')).spec.performanceHints).toBeUndefined();
      const spec = synthOne(chart => new GlobalNetworkPolicy(chart, 'p', { performanceHints: [PerformanceHint.ASSUME_NEEDED_ON_EVERY_NODE] })).spec;
      expect(spec.performanceHints).toEqual(['AssumeNeededOnEveryNode']);
    });
  });

  describe('adding rules', () => {
    test('addIngressRule and addEgressRule append after the rules given as props', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p', { ingress: [Rule.log()] });
      policy.addIngressRule(Rule.allow({ source: { nets: ['10.0.0.0/8'] } }));
      policy.addEgressRule({ action: RuleAction.DENY });
      const spec = findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec;
      expect(spec.ingress.map((r: any) => r.action)).toEqual(['Log', 'Allow']);
      expect(spec.egress).toEqual([{ action: 'Deny' }]);
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    });

    test('rules added after the first synthesis appear in the next one', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p');
      synth(chart);
      policy.addIngressRule(Rule.deny());
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec.ingress).toEqual([{ action: 'Deny' }]);
    });

    test('a rule with mixed port protocols throws where it is added and is not kept', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p', { ingress: [Rule.deny()] });
      const e = errorOf(() => policy.addIngressRule(Rule.allow({ destination: { ports: [Port.tcp(80), Port.udp(80)] } })));
      expect(e.message).toMatch(/GlobalNetworkPolicy 'p': spec\.ingress\[1\]\.destination\.ports\[1\]: Port\.udp\(80\) carries protocol UDP/);
      expect(CalicoErrors.constructPathOf(e)).toBe(policy.node.path);
      expect(policy.ingressRules).toHaveLength(1);
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec.ingress).toEqual([{ action: 'Deny' }]);
    });

    test('a rule the validator rejects throws where it is added and is not kept', () => {
      const chart = newChart();
      const policy = new GlobalNetworkPolicy(chart, 'p');
      expect(() => policy.addEgressRule(Rule.allow({ destination: { ports: [Port.number(80)] } })))
        .toThrow(/spec\.egress\[0\]\.destination\.ports/);
      expect(policy.egressRules).toEqual([]);
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec.egress).toBeUndefined();
    });

    test('an egress rule on a preDnat policy is rejected', () => {
      const policy = new GlobalNetworkPolicy(newChart(), 'p', { preDnat: true });
      expect(() => policy.addEgressRule(Rule.deny())).toThrow(/spec\.egress/);
      expect(policy.egressRules).toEqual([]);
    });

    test('the rules getter returns copies', () => {
      const policy = new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.deny()] });
      (policy.ingressRules as PolicyRule[]).push(Rule.allow());
      expect(policy.ingressRules).toHaveLength(1);
    });
  });

  describe('validation', () => {
    test('preDnat and doNotTrack together are rejected', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { preDnat: true, doNotTrack: true })).toThrow(/spec\.preDNAT/);
    });

    test('preDnat with applyOnForward explicitly false is rejected', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { preDnat: true, applyOnForward: false })).toThrow(/spec\.applyOnForward/);
    });

    test('preDnat with type Egress is rejected', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { preDnat: true, policyTypes: [PolicyType.EGRESS] })).toThrow(/spec\.types/);
    });

    test('a policy type listed twice is rejected', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { policyTypes: [PolicyType.INGRESS, PolicyType.INGRESS] })).toThrow(/spec\.types/);
    });

    // v3.28 refused any '.'; v3.29 and later allow one (after the tier), and refuse a second.
    test('a name with two dots is rejected', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { name: 'allow.dns.v2' })).toThrow(/metadata\.name.*'allow\.dns\.v2'/);
    });

    test('global() in the policy selector is rejected', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { selector: Selector.globalResources() })).toThrow(/spec\.selector/);
    });

    test('a service match without a namespace is rejected in a global policy', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
        egress: [Rule.allow({ destination: { services: { name: 'kube-dns' } } })],
      })).toThrow(/spec\.egress\[0\]\.destination\.services\.namespace/);
    });

    test('a policy selector given as text is rejected with the call to use', () => {
      expect(() => new GlobalNetworkPolicy(newChart(), 'p', { selector: 'all()' as any }))
        .toThrow(/spec\.selector: "all\(\)" is not a Selector; use Selector\.parse\("all\(\)"\)/);
    });

    test('errors carry the construct path', () => {
      const chart = newChart();
      const e = errorOf(() => new GlobalNetworkPolicy(chart, 'bad', { ingress: [Rule.allow({ destination: { ports: [Port.tcp(1), Port.udp(1)] } })] }));
      expect(CalicoErrors.constructPathOf(e)).toBe('test/bad');
    });
  });

  // The name each line stores a default-tier policy under: v3.31 its backend name, v3.32 the v3 name.
  describe.each([
    ['v3.31', CalicoVersion.V3_31_7, 'default.'],
    ['v3.32', CalicoVersion.V3_32_1, ''],
  ])('crd.projectcalico.org/v1 output on Calico %s', (_line, version, prefix) => {
    function crdChart() {
      const chart = newChart();
      CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
      CalicoVersion.use(chart, version);
      return chart;
    }

    test(`is written as '${prefix}<name>' with the derived types`, () => {
      const chart = crdChart();
      new GlobalNetworkPolicy(chart, 'allow-dns', { egress: [Rule.allow({ destination: { ports: [Port.udp(53)] } })] });
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, version);
      const gnp = findObject(manifests, 'GlobalNetworkPolicy', `${prefix}allow-dns`);
      expect(gnp.apiVersion).toBe('crd.projectcalico.org/v1');
      expect(gnp.spec.types).toEqual(['Egress']);
      expect(gnp.spec.egress).toEqual([{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }]);
    });

    test('a policy without rules defaults to type Ingress', () => {
      const chart = crdChart();
      new GlobalNetworkPolicy(chart, 'p');
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', `${prefix}p`).spec).toEqual({ types: ['Ingress'] });
    });

    test('a policy with rules both ways defaults to both types', () => {
      const chart = crdChart();
      new GlobalNetworkPolicy(chart, 'p', { ingress: [Rule.deny()], egress: [Rule.deny()] });
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', `${prefix}p`).spec.types).toEqual(['Ingress', 'Egress']);
    });

    test('explicit types are kept', () => {
      const chart = crdChart();
      new GlobalNetworkPolicy(chart, 'p', { policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS] });
      expect(findObject(synth(chart), 'GlobalNetworkPolicy', `${prefix}p`).spec.types).toEqual(['Ingress', 'Egress']);
    });

    test('spec keys stay in alphabetical order after defaulting', () => {
      const chart = crdChart();
      new GlobalNetworkPolicy(chart, 'p', { order: 1, selector: Selector.all(), ingress: [Rule.deny()] });
      expect(Object.keys(findObject(synth(chart), 'GlobalNetworkPolicy', `${prefix}p`).spec)).toEqual(['ingress', 'order', 'selector', 'types']);
    });

    test('the v3 manifest keeps the plain name', () => {
      const chart = crdChart();
      const policy = new GlobalNetworkPolicy(chart, 'p');
      expect(policy.toManifest().metadata.name).toBe('p');
      expect(policy.name).toBe('p');
    });
  });

  test('random rules either synthesize schema-valid manifests or fail with the library error', () => {
    const port = fc.oneof(
      fc.integer({ min: 1, max: 65535 }).map(n => Port.number(n)),
      fc.integer({ min: 1, max: 65535 }).map(n => Port.tcp(n)),
      fc.integer({ min: 1, max: 65535 }).map(n => Port.udp(n)),
      fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 })).map(([a, b]) => Port.between(Math.min(a, b), Math.max(a, b))),
      fc.constantFrom('http', 'metrics', 'dns').map(n => Port.named(n)),
    );
    const protocol = fc.option(fc.oneof(
      fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.SCTP, Protocol.UDPLITE),
      fc.integer({ min: 1, max: 255 }).map(n => Protocol.of(n)),
    ), { nil: undefined });
    const rule = fc.record({
      action: fc.constantFrom(RuleAction.ALLOW, RuleAction.DENY, RuleAction.LOG, RuleAction.PASS),
      protocol,
      icmp: fc.option(fc.record({ icmpType: fc.option(fc.integer({ min: 0, max: 254 }), { nil: undefined }), code: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }) }), { nil: undefined }),
      destination: fc.option(fc.record({
        ports: fc.option(fc.array(port, { maxLength: 3 }), { nil: undefined }),
        nets: fc.option(fc.constantFrom('10.0.0.0/8', 'fd00::/8', '192.0.2.1').map(n => [n]), { nil: undefined }),
      }), { nil: undefined }),
    });
    fc.assert(fc.property(fc.array(rule, { maxLength: 3 }), fc.array(rule, { maxLength: 3 }), (ingress, egress) => {
      const chart = newChart();
      try {
        new GlobalNetworkPolicy(chart, 'p', { ingress, egress });
      } catch (e) {
        expect(CalicoErrors.isValidationError(e)).toBe(true);
        return;
      }
      expectCrdSchemaValid(synth(chart));
    }), { numRuns: 200 });
  });
});
