import * as fc from 'fast-check';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { ClusterDns, DefaultDenyPolicy, DefaultDenyPolicyProps, NamespaceLabel } from '../../src/policy/default-deny-policy';
import { CalicoErrors } from '../../src/core/errors';
import { Port } from '../../src/language/port';
import { Protocol } from '../../src/language/protocol';
import { PolicyType, Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { validateManifest } from '../../src/validation/validate';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

// Synthesis prints the warnings some of these policies draw (shadowed rules, empty tiers); keep the log quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

/** Synthesizes one DefaultDenyPolicy, checks it against the CRD schema and the validator, and returns it. */
function render(props: DefaultDenyPolicyProps = {}, build?: (p: DefaultDenyPolicy) => void): any {
  const chart = newChart();
  const policy = new DefaultDenyPolicy(chart, 'default-deny', props);
  build?.(policy);
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  const gnp = findObject(manifests, 'GlobalNetworkPolicy', 'default-deny');
  expect(validateManifest(gnp)).toEqual([]);
  return gnp;
}

const KUBE_SYSTEM = 'projectcalico.org/name in {"kube-system"}';
const DNS_DESTINATION = { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"' };

/** Every label key a selector text tests (keys are what precede an operator or sit inside has()). */
function labelKeys(selector: string): string[] {
  const keys: string[] = [];
  const re = /has\(([^)]+)\)|([A-Za-z0-9_./-]+)\s*(?:==|!=|not in|in|contains|starts with|ends with)\s/g;
  for (let m = re.exec(selector); m; m = re.exec(selector)) keys.push(m[1] ?? m[2]);
  return keys;
}

/** Every selector-valued string in a rendered spec. */
function selectorsOf(spec: any): string[] {
  const out: string[] = [];
  const walk = (x: any, key?: string) => {
    if (Array.isArray(x)) x.forEach(v => walk(v));
    else if (x && typeof x === 'object') Object.entries(x).forEach(([k, v]) => walk(v, k));
    else if (typeof x === 'string' && key && /selector$/i.test(key)) out.push(x);
  };
  walk(spec);
  return out;
}

describe('DefaultDenyPolicy', () => {
  test('renders the whole default policy: order 2000, both directions, system namespaces and DNS allowed', () => {
    const gnp = render();
    expect(gnp.apiVersion).toBe('projectcalico.org/v3');
    expect(gnp.kind).toBe('GlobalNetworkPolicy');
    expect(gnp.metadata).toEqual({ name: 'default-deny' });
    expect(gnp.spec).toEqual({
      order: 2000,
      namespaceSelector: '(has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system"})',
      types: ['Ingress', 'Egress'],
      ingress: [
        { action: 'Allow', source: { namespaceSelector: KUBE_SYSTEM } },
      ],
      egress: [
        { action: 'Allow', protocol: 'UDP', destination: { ...DNS_DESTINATION, ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { ...DNS_DESTINATION, ports: [53] } },
        { action: 'Allow', destination: { namespaceSelector: KUBE_SYSTEM } },
      ],
    });
  });

  test('exposes the resolved settings', () => {
    const policy = new DefaultDenyPolicy(newChart(), 'default-deny');
    expect(policy.order).toBe(2000);
    expect(policy.systemNamespaces).toEqual(['kube-system']);
    expect(policy.namespaceLabel).toBe(NamespaceLabel.CALICO_NAME);
    expect(policy.includeHostEndpoints).toBe(false);
    expect(policy.dns.selector?.toString()).toBe('k8s-app == "kube-dns"');
    expect(policy.dns.namespaceName).toBe('kube-system');
    expect(policy.policyTypes).toEqual([PolicyType.INGRESS, PolicyType.EGRESS]);
    expect(policy.ingressRules).toHaveLength(1);
    expect(policy.egressRules).toHaveLength(3);
  });

  describe('order', () => {
    test('defaults to 2000, after the Kubernetes NetworkPolicies at 1000', () => {
      expect(render().spec.order).toBe(2000);
    });

    test('can be set above 1000', () => {
      expect(render({ order: 1000.5 }).spec.order).toBe(1000.5);
      expect(render({ order: 5000 }).spec.order).toBe(5000);
    });

    test('fails at 1000, where it would tie with the Kubernetes NetworkPolicies', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'default-deny', { order: 1000 }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toContain("DefaultDenyPolicy 'default-deny': spec.order: order 1000 ties with the Kubernetes NetworkPolicies, which Calico renders at order 1000");
      expect(e.message).toContain('use an order above 1000, such as 2000 (the default)');
    });

    test('fails below 1000 and says why the deny must come after the Kubernetes NetworkPolicies', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'default-deny', { order: 100 }));
      expect(e.message).toContain('order 100 comes before the Kubernetes NetworkPolicies');
      expect(e.message).toContain("each namespace's own policies are consulted first");
    });

    test('fails when the order is not a finite number', () => {
      expect(errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { order: NaN })).message).toContain('is not a number');
      expect(errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { order: Infinity })).message).toContain('is not a number');
    });

    test('the error records the construct path of the policy', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'default-deny', { order: 1 }));
      expect(CalicoErrors.constructPathOf(e)).toBe('test/default-deny');
    });
  });

  describe('system namespaces', () => {
    test('default to kube-system, exempt from the policy and allowed both ways', () => {
      const spec = render().spec;
      expect(spec.namespaceSelector).toContain('not in {"kube-system"}');
      expect(spec.ingress[0]).toEqual({ action: 'Allow', source: { namespaceSelector: KUBE_SYSTEM } });
      expect(spec.egress[2]).toEqual({ action: 'Allow', destination: { namespaceSelector: KUBE_SYSTEM } });
    });

    test('can list the operator namespaces too; the list is written sorted and without duplicates', () => {
      const spec = render({ systemNamespaces: ['tigera-operator', 'kube-system', 'calico-system', 'kube-system'] }).spec;
      const set = '{"calico-system", "kube-system", "tigera-operator"}';
      expect(spec.namespaceSelector).toBe(`(has(projectcalico.org/name) && projectcalico.org/name not in ${set})`);
      expect(spec.ingress[0]).toEqual({ action: 'Allow', source: { namespaceSelector: `projectcalico.org/name in ${set}` } });
      expect(spec.egress[2]).toEqual({ action: 'Allow', destination: { namespaceSelector: `projectcalico.org/name in ${set}` } });
    });

    test('the exposed list is a copy in the order given, without duplicates', () => {
      const policy = new DefaultDenyPolicy(newChart(), 'p', { systemNamespaces: ['kube-system', 'calico-system', 'kube-system'] });
      const list = policy.systemNamespaces;
      list.push('mutated');
      expect(policy.systemNamespaces).toEqual(['kube-system', 'calico-system']);
    });

    test('fails when kube-system is left out, which would cut off DNS and the controllers', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { systemNamespaces: ['calico-system'] }));
      expect(e.message).toContain('leaves out \'kube-system\'');
      expect(e.message).toContain('add \'kube-system\' to the list');
    });

    test('fails on a name that is not a namespace name', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { systemNamespaces: ['kube-system', 'Calico_System'] }));
      expect(e.message).toContain('system namespace "Calico_System" is not a valid namespace name');
    });
  });

  describe('namespace label', () => {
    test('defaults to projectcalico.org/name, which Calico puts on every namespace', () => {
      const spec = render().spec;
      for (const s of selectorsOf(spec).filter(x => x !== DNS_DESTINATION.selector)) expect(s).toContain('projectcalico.org/name');
    });

    test('can be kubernetes.io/metadata.name, used by every namespace selector the policy writes', () => {
      const spec = render({ namespaceLabel: NamespaceLabel.KUBERNETES_NAME }).spec;
      const label = 'kubernetes.io/metadata.name';
      expect(spec.namespaceSelector).toBe(`(has(${label}) && ${label} not in {"kube-system"})`);
      expect(spec.ingress[0].source.namespaceSelector).toBe(`${label} in {"kube-system"}`);
      expect(spec.egress[0].destination.namespaceSelector).toBe(`${label} == "kube-system"`);
      expect(spec.egress[2].destination.namespaceSelector).toBe(`${label} in {"kube-system"}`);
    });

    test('fails on a label that is not one every namespace carries', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { namespaceLabel: 'name' as NamespaceLabel }));
      expect(e.message).toContain('namespaceLabel "name" is not a label every namespace carries');
    });

    test('never selects namespaces by a bare name label, whatever the options', () => {
      // The helper finds keys in every form Calico prints.
      expect(labelKeys('(has(a) && name == "x" && b not in {"y"} && c in {"z"})')).toEqual(['a', 'name', 'b', 'c']);
      fc.assert(fc.property(
        fc.subarray(['calico-system', 'calico-apiserver', 'tigera-operator', 'monitoring']),
        fc.constantFrom(NamespaceLabel.CALICO_NAME, NamespaceLabel.KUBERNETES_NAME),
        fc.constantFrom(ClusterDns.kubeDns(), ClusterDns.none(), ClusterDns.addresses(['169.254.20.10'])),
        fc.boolean(),
        (extra, namespaceLabel, dns, includeHostEndpoints) => {
          const policy = new DefaultDenyPolicy(newChart(), 'p', { systemNamespaces: ['kube-system', ...extra], namespaceLabel, dns, includeHostEndpoints });
          const spec = policy.toManifest().spec;
          const namespaceSelectors = [spec.namespaceSelector, ...selectorsOf([spec.ingress, spec.egress]).filter(s => s.includes(namespaceLabel))];
          for (const s of namespaceSelectors) {
            expect(labelKeys(s).every(k => k === namespaceLabel)).toBe(true);
          }
          // kube-system is never selected.
          expect(Selector.parse(spec.namespaceSelector).matches({ [namespaceLabel]: 'kube-system' })).toBe(false);
        },
      ), { numRuns: 50 });
    });
  });

  describe('workloads and host endpoints', () => {
    test('selects pods of other namespaces but no host endpoint (which has no namespace labels) by default', () => {
      const selector = Selector.parse(render().spec.namespaceSelector);
      expect(selector.matches({ 'projectcalico.org/name': 'org-1' })).toBe(true);
      expect(selector.matches({ 'projectcalico.org/name': 'kube-system' })).toBe(false);
      expect(selector.matches({})).toBe(false);
    });

    test('selects host endpoints as well when asked', () => {
      const spec = render({ includeHostEndpoints: true }).spec;
      expect(spec.namespaceSelector).toBe('projectcalico.org/name not in {"kube-system"}');
      const selector = Selector.parse(spec.namespaceSelector);
      expect(selector.matches({})).toBe(true);
      expect(selector.matches({ 'projectcalico.org/name': 'kube-system' })).toBe(false);
    });

    test('the policy selector is left as all() so every pod of a selected namespace is covered', () => {
      expect(render().spec.selector).toBeUndefined();
    });
  });

  describe('DNS allowance', () => {
    test('defaults to the kube-dns pods in kube-system on UDP 53 and on TCP 53 (large answers fall back to TCP)', () => {
      const egress = render().spec.egress;
      expect(egress[0]).toEqual({
        action: 'Allow', protocol: 'UDP',
        destination: { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"', ports: [53] },
      });
      expect(egress[1]).toEqual({
        action: 'Allow', protocol: 'TCP',
        destination: { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"', ports: [53] },
      });
    });

    test('can target DNS servers by address, such as NodeLocal DNSCache', () => {
      const egress = render({ dns: ClusterDns.addresses(['169.254.20.10', '10.0.0.0/24']) }).spec.egress;
      expect(egress[0]).toEqual({ action: 'Allow', protocol: 'UDP', destination: { nets: ['169.254.20.10/32', '10.0.0.0/24'], ports: [53] } });
      expect(egress[1]).toEqual({ action: 'Allow', protocol: 'TCP', destination: { nets: ['169.254.20.10/32', '10.0.0.0/24'], ports: [53] } });
    });

    test('DNS servers of both IP versions get a UDP and a TCP rule per version (a rule matches one version)', () => {
      const egress = render({ dns: ClusterDns.addresses(['fd00::10', '169.254.20.10']) }).spec.egress;
      expect(egress.slice(0, 4)).toEqual([
        { action: 'Allow', protocol: 'UDP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
        { action: 'Allow', protocol: 'UDP', destination: { nets: ['fd00::10/128'], ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { nets: ['fd00::10/128'], ports: [53] } },
      ]);
    });

    test('can target other DNS pods by selector and namespace', () => {
      const egress = render({ dns: ClusterDns.selectedPods(Selector.eq('app', 'coredns'), 'dns-system') }).spec.egress;
      const destination = { selector: 'app == "coredns"', namespaceSelector: 'projectcalico.org/name == "dns-system"', ports: [53] };
      expect(egress[0]).toEqual({ action: 'Allow', protocol: 'UDP', destination });
      expect(egress[1]).toEqual({ action: 'Allow', protocol: 'TCP', destination });
    });

    test('can be left out', () => {
      const egress = render({ dns: ClusterDns.none() }).spec.egress;
      expect(egress).toEqual([{ action: 'Allow', destination: { namespaceSelector: KUBE_SYSTEM } }]);
    });

    test('ClusterDns describes what it allows', () => {
      expect(ClusterDns.none().allowsDns).toBe(false);
      expect(ClusterDns.kubeDns().allowsDns).toBe(true);
      const byAddress = ClusterDns.addresses(['169.254.20.10']);
      expect([byAddress.allowsDns, byAddress.nets, byAddress.selector]).toEqual([true, ['169.254.20.10/32'], undefined]);
      byAddress.nets!.push('1.1.1.1/32');
      expect(byAddress.nets).toEqual(['169.254.20.10/32']);
      expect(ClusterDns.addresses(['fd00::10', '10.1.0.0/16']).nets).toEqual(['fd00::10/128', '10.1.0.0/16']);
    });

    test('ClusterDns.addresses fails on an empty list and on text that is not an address', () => {
      expect(errorOf(() => ClusterDns.addresses([])).message).toContain('needs at least one address or CIDR');
      expect(errorOf(() => ClusterDns.addresses(['10.0.0.300'])).message).toContain('"10.0.0.300" is not an IP address or CIDR');
    });

    test('ClusterDns.selectedPods fails on a bad namespace name or a selector given as text', () => {
      expect(errorOf(() => ClusterDns.selectedPods(Selector.all(), 'DNS')).message).toContain('namespace "DNS" is not a valid namespace name');
      expect(errorOf(() => ClusterDns.selectedPods('app == "dns"' as unknown as Selector, 'dns')).message).toContain('is not a Selector');
    });

    test('fails when dns is not a ClusterDns', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { dns: '10.96.0.10' as unknown as ClusterDns }));
      expect(e.message).toContain('dns "10.96.0.10" is not a ClusterDns');
    });
  });

  describe('extra allowances', () => {
    const scraping = Rule.allow({
      source: { namespaceSelector: Selector.eq('kubernetes.io/metadata.name', 'monitoring'), selector: Selector.eq('app', 'prometheus') },
      destination: { ports: [Port.named('metrics')] },
      protocol: Protocol.TCP,
    });
    const apiServer = Rule.allow({ destination: { nets: ['10.0.0.10/32'], ports: [Port.tcp(6443)] } });

    test('none by default', () => {
      const spec = render().spec;
      expect([spec.ingress.length, spec.egress.length]).toEqual([1, 3]);
    });

    test('an ingress allowance (monitoring scraping) is written after the built-in rules, exactly as given', () => {
      const ingress = render({ ingressAllowances: [scraping] }).spec.ingress;
      expect(ingress).toHaveLength(2);
      expect(ingress[1]).toEqual({
        action: 'Allow',
        protocol: 'TCP',
        source: { selector: 'app == "prometheus"', namespaceSelector: 'kubernetes.io/metadata.name == "monitoring"' },
        destination: { ports: ['metrics'] },
      });
    });

    test('an egress allowance (the API server) is written after the built-in rules, with the protocol its port carries', () => {
      const egress = render({ egressAllowances: [apiServer] }).spec.egress;
      expect(egress).toHaveLength(4);
      expect(egress[3]).toEqual({ action: 'Allow', protocol: 'TCP', destination: { nets: ['10.0.0.10/32'], ports: [6443] } });
    });

    test('addIngressRule and addEgressRule append allowances', () => {
      const spec = render({}, p => {
        p.addIngressRule(scraping);
        p.addEgressRule(apiServer);
      }).spec;
      expect(spec.ingress[1].source.selector).toBe('app == "prometheus"');
      expect(spec.egress[3].destination.nets).toEqual(['10.0.0.10/32']);
    });

    test('a Log rule is accepted (it logs and goes on)', () => {
      expect(render({ egressAllowances: [Rule.log()] }).spec.egress[3]).toEqual({ action: 'Log' });
    });

    test('fails on a Deny rule, which a default deny does not need', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { egressAllowances: [Rule.deny()] }));
      expect(e.message).toContain("DefaultDenyPolicy 'p': egressAllowances[0].action: action Deny adds nothing to a default deny");
    });

    test('fails on a Pass rule, which would open a hole in the deny', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { ingressAllowances: [Rule.passOn()] }));
      expect(e.message).toContain('ingressAllowances[0].action: action Pass would hand the traffic on to the namespace profiles');
    });

    test('fails on a namespaceSelector over a bare name label, which matches no namespace on a stock cluster', () => {
      const bad = Rule.allow({ source: { namespaceSelector: Selector.eq('name', 'monitoring') } });
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { ingressAllowances: [bad] }));
      expect(e.message).toContain('ingressAllowances[0].source.namespaceSelector: namespaceSelector \'name == "monitoring"\' uses the label \'name\'');
      expect(e.message).toContain("Selector.eq('kubernetes.io/metadata.name', 'monitoring')");
    });

    test('the bare name label is found inside compound selectors too', () => {
      const bad = Rule.allow({ destination: { namespaceSelector: Selector.parse('has(team) && !(name in {"a"})') } });
      expect(errorOf(() => new DefaultDenyPolicy(newChart(), 'p', { egressAllowances: [bad] })).message).toContain('uses the label \'name\'');
    });

    test('a label that merely ends in name is fine', () => {
      const ok = Rule.allow({ source: { namespaceSelector: Selector.eq('app.kubernetes.io/name', 'x') } });
      expect(render({ ingressAllowances: [ok] }).spec.ingress[1].source.namespaceSelector).toBe('app.kubernetes.io/name == "x"');
    });

    test('a bad rule added later throws and is not kept', () => {
      const chart = newChart();
      const policy = new DefaultDenyPolicy(chart, 'p');
      const e = errorOf(() => policy.addEgressRule(Rule.deny()));
      expect(e.message).toContain('spec.egress[3].action: action Deny adds nothing');
      expect(CalicoErrors.constructPathOf(e)).toBe('test/p');
      expect(() => policy.addIngressRule(Rule.allow({ destination: { ports: [Port.udp(53)] }, protocol: Protocol.TCP }))).toThrow(/carries protocol UDP/);
      expect([policy.ingressRules.length, policy.egressRules.length]).toEqual([1, 3]);
    });

    test('the rule model still checks the allowances', () => {
      const e = errorOf(() => new DefaultDenyPolicy(newChart(), 'p', {
        egressAllowances: [Rule.allow({ destination: { ports: [Port.tcp(80), Port.udp(53)] } })],
      }));
      expect(e.message).toContain('a Calico rule matches one protocol');
    });
  });

  describe('metadata and API group', () => {
    test('name, labels and annotations can be set', () => {
      const chart = newChart();
      new DefaultDenyPolicy(chart, 'dd', { name: 'platform-default-deny', labels: { team: 'platform' }, annotations: { owner: 'netsec' } });
      const gnp = findObject(synth(chart), 'GlobalNetworkPolicy', 'platform-default-deny');
      expect(gnp.metadata).toEqual({ name: 'platform-default-deny', labels: { team: 'platform' }, annotations: { owner: 'netsec' } });
    });

    test.each([
      ['v3.31', CalicoVersion.V3_31_7, 'default.default-deny'],
      ['v3.32', CalicoVersion.V3_32_1, 'default-deny'],
    ])('in crd.projectcalico.org/v1 mode on Calico %s it is stored as %s and passes the CRD schema', (_line, version, stored) => {
      const chart = newChart();
      CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
      CalicoVersion.use(chart, version);
      new DefaultDenyPolicy(chart, 'default-deny');
      const manifests = synth(chart);
      expectCrdSchemaValid(manifests, version);
      const gnp = findObject(manifests, 'GlobalNetworkPolicy', stored);
      expect(gnp.apiVersion).toBe('crd.projectcalico.org/v1');
      expect(gnp.spec.types).toEqual(['Ingress', 'Egress']);
      expect(gnp.spec.order).toBe(2000);
    });

    test('random valid options synthesize manifests that pass the CRD schema and the validator', () => {
      fc.assert(fc.property(
        fc.integer({ min: 1001, max: 100000 }),
        fc.subarray(['calico-system', 'calico-apiserver', 'tigera-operator']),
        fc.constantFrom(NamespaceLabel.CALICO_NAME, NamespaceLabel.KUBERNETES_NAME),
        fc.constantFrom(ClusterDns.kubeDns(), ClusterDns.none(), ClusterDns.addresses(['169.254.20.10', 'fd00::10'])),
        fc.boolean(),
        (order, extra, namespaceLabel, dns, includeHostEndpoints) => {
          const gnp = render({ order, systemNamespaces: ['kube-system', ...extra], namespaceLabel, dns, includeHostEndpoints });
          expect(gnp.spec.order).toBe(order);
          expect(gnp.spec.types).toEqual(['Ingress', 'Egress']);
        },
      ), { numRuns: 30 });
    });
  });
});
