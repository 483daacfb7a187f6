import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CalicoErrors } from '../../src/core/errors';
import {
  CalicoNamespaceOverride, CalicoNamespaceOverrideProps, KubernetesNamespaceOverride, NamespaceOverrideProps,
  OverridePeer, OverrideRule,
} from '../../src/policy/namespace-override';
import { Port } from '../../src/language/port';
import { Rule } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { validateManifest } from '../../src/validation/validate';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

// Synthesis prints the shadowed-rule warnings some of these policies draw; keep the log quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

function kubernetes(props: NamespaceOverrideProps, build?: (o: KubernetesNamespaceOverride) => void): any {
  const chart = newChart();
  const override = new KubernetesNamespaceOverride(chart, 'override', props);
  build?.(override);
  const manifests = synth(chart);
  expectK8sSchemaValid(manifests);
  const np = findObject(manifests, 'NetworkPolicy', override.name, props.namespaceName);
  expect(np.apiVersion).toBe('networking.k8s.io/v1');
  return np;
}

function calico(props: CalicoNamespaceOverrideProps, build?: (o: CalicoNamespaceOverride) => void): any {
  const chart = newChart();
  const override = new CalicoNamespaceOverride(chart, 'override', props);
  build?.(override);
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  const np = findObject(manifests, 'NetworkPolicy', override.name, props.namespaceName);
  expect(np.apiVersion).toBe('projectcalico.org/v3');
  expect(validateManifest(np)).toEqual([]);
  return np;
}

describe('KubernetesNamespaceOverride', () => {
  test('opens TCP 80 into every pod of a namespace, from anywhere', () => {
    const np = kubernetes({ namespaceName: 'org-1', name: 'allow-http', ingress: [{ ports: [Port.tcp(80)] }] });
    expect(np).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-http', namespace: 'org-1' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
      },
    });
  });

  test('the name defaults to the construct id', () => {
    expect(kubernetes({ namespaceName: 'org-1', ingress: [{}] }).metadata.name).toBe('override');
  });

  test('labels and annotations are written to the metadata', () => {
    const np = kubernetes({ namespaceName: 'org-1', labels: { team: 'platform' }, annotations: { why: 'web' }, ingress: [{}] });
    expect(np.metadata).toEqual({ name: 'override', namespace: 'org-1', labels: { team: 'platform' }, annotations: { why: 'web' } });
  });

  test('a rule with neither ports nor peers opens everything in that direction', () => {
    expect(kubernetes({ namespaceName: 'org-1', ingress: [{}] }).spec.ingress).toEqual([{}]);
  });

  test('lists only the directions it opens in policyTypes, so an egress opener never isolates ingress', () => {
    const egressOnly = kubernetes({ namespaceName: 'org-1', egress: [{ ports: [Port.tcp(443)] }] }).spec;
    expect(egressOnly.policyTypes).toEqual(['Egress']);
    expect(egressOnly.ingress).toBeUndefined();
    expect(egressOnly.egress).toEqual([{ ports: [{ port: 443, protocol: 'TCP' }] }]);
    const both = kubernetes({ namespaceName: 'org-1', ingress: [{}], egress: [{}] }).spec;
    expect(both.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('selects every pod by default and the labelled pods when podLabels is given', () => {
    expect(kubernetes({ namespaceName: 'org-1', ingress: [{}] }).spec.podSelector).toEqual({});
    const spec = kubernetes({ namespaceName: 'org-1', podLabels: { app: 'web' }, ingress: [{}] }).spec;
    expect(spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
  });

  test('writes ports as Kubernetes does: protocol always, ranges with endPort, named ports as text, plain ports as TCP', () => {
    const spec = kubernetes({
      namespaceName: 'org-1',
      ingress: [{ ports: [Port.udp(53), Port.tcpRange(8080, 8085), Port.named('metrics'), Port.number(9000), Port.between(7000, 7001), Port.sctp(9)] }],
    }).spec;
    expect(spec.ingress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 8080, endPort: 8085, protocol: 'TCP' },
      { port: 'metrics', protocol: 'TCP' },
      { port: 9000, protocol: 'TCP' },
      { port: 7000, endPort: 7001, protocol: 'TCP' },
      { port: 9, protocol: 'SCTP' },
    ]);
  });

  test('writes each kind of peer as a Kubernetes NetworkPolicy peer', () => {
    const spec = kubernetes({
      namespaceName: 'org-1',
      ingress: [{
        peers: [
          OverridePeer.sameNamespace(),
          OverridePeer.sameNamespace({ app: 'web' }),
          OverridePeer.namespaces(['monitoring', 'ingress-nginx']),
          OverridePeer.namespaces(['monitoring'], { app: 'prometheus' }),
          OverridePeer.labelledNamespaces({ team: 'payments' }),
          OverridePeer.labelledNamespaces({ team: 'payments' }, { tier: 'api' }),
          OverridePeer.allNamespaces(),
          OverridePeer.allNamespaces({ role: 'client' }),
          OverridePeer.cidr('10.20.0.0/16', ['10.20.5.0/24']),
          OverridePeer.cidr('fd00::/64'),
        ],
      }],
    }).spec;
    expect(spec.ingress[0].from).toEqual([
      { podSelector: {} },
      { podSelector: { matchLabels: { app: 'web' } } },
      { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring', 'ingress-nginx'] }] } },
      {
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] },
        podSelector: { matchLabels: { app: 'prometheus' } },
      },
      { namespaceSelector: { matchLabels: { team: 'payments' } } },
      { namespaceSelector: { matchLabels: { team: 'payments' } }, podSelector: { matchLabels: { tier: 'api' } } },
      { namespaceSelector: {} },
      { namespaceSelector: {}, podSelector: { matchLabels: { role: 'client' } } },
      { ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] } },
      { ipBlock: { cidr: 'fd00::/64' } },
    ]);
  });

  test('allowIngress and allowEgress add rules after construction', () => {
    const spec = kubernetes({ namespaceName: 'org-1' }, o => {
      o.allowIngress({ ports: [Port.tcp(80)] });
      o.allowEgress({ peers: [OverridePeer.cidr('10.20.0.0/16')], ports: [Port.tcp(5432)] });
    }).spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  test('the rules are exposed as copies', () => {
    const o = new KubernetesNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1', ingress: [{ ports: [Port.tcp(80)] }] });
    o.ingressRules[0].ports!.push(Port.tcp(81));
    expect(o.ingressRules[0].ports).toHaveLength(1);
    expect(o.egressRules).toEqual([]);
  });

  test('later changes to the caller\'s arrays do not leak in', () => {
    const ports = [Port.tcp(80)];
    const chart = newChart();
    new KubernetesNamespaceOverride(chart, 'o', { namespaceName: 'org-1', ingress: [{ ports }] });
    ports.push(Port.tcp(81));
    expect(findObject(synth(chart), 'NetworkPolicy', 'o').spec.ingress[0].ports).toHaveLength(1);
  });

  test('fails at synth when it opens nothing', () => {
    const chart = newChart();
    new KubernetesNamespaceOverride(chart, 'o', { namespaceName: 'org-1' });
    expect(() => Testing.synth(chart)).toThrow(/Kubernetes NetworkPolicy 'o' in namespace 'org-1' opens nothing/);
  });

  test('fails without a namespace, or with one Kubernetes would reject', () => {
    const missing = errorOf(() => new KubernetesNamespaceOverride(newChart(), 'o', {} as NamespaceOverrideProps));
    expect(missing.message).toContain('namespaceName is required');
    const bad = errorOf(() => new KubernetesNamespaceOverride(newChart(), 'o', { namespaceName: 'Org_1', ingress: [{}] }));
    expect(bad.message).toContain("Kubernetes NetworkPolicy 'o': metadata.namespace: namespace 'Org_1' is not a valid namespace name");
    expect(CalicoErrors.constructPathOf(bad)).toBe('test/o');
  });

  test('fails on a bad name, label or pod label', () => {
    expect(errorOf(() => new KubernetesNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1', name: 'Allow HTTP' })).message)
      .toContain("metadata.name: name 'Allow HTTP' is not a valid resource name");
    expect(errorOf(() => new KubernetesNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1', podLabels: { app: 'a b' } })).message)
      .toContain("spec.podSelector.matchLabels.app: label 'app' has invalid value 'a b'");
  });

  test('fails on ports and peers that are not the library\'s types', () => {
    const e = errorOf(() => new KubernetesNamespaceOverride(newChart(), 'o', {
      namespaceName: 'org-1',
      ingress: [{ ports: [80 as unknown as Port], peers: ['10.0.0.0/8' as unknown as OverridePeer] }],
    }));
    expect(e.message).toContain('spec.ingress[0].ports[0]: 80 is not a Port; use Port.tcp(80)');
    expect(e.message).toContain('spec.ingress[0].peers[0]: "10.0.0.0/8" is not an OverridePeer');
    const o = new KubernetesNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1' });
    expect(() => o.allowEgress({ ports: ['http' as unknown as Port] })).toThrow(/spec\.egress\[0\]\.ports\[0\]: "http" is not a Port/);
    expect(o.egressRules).toEqual([]);
  });
});

describe('OverridePeer', () => {
  test('cidr fails on text that is not a CIDR, and on host bits', () => {
    expect(errorOf(() => OverridePeer.cidr('10.20.0.1')).message).toContain('is not a CIDR; write it as address/prefix');
    expect(errorOf(() => OverridePeer.cidr('10.20.0.1/16')).message).toContain("10.20.0.1/16 has host bits set; write the network address: '10.20.0.0/16'");
  });

  test('cidr fails on except entries that are not strictly inside the CIDR', () => {
    expect(errorOf(() => OverridePeer.cidr('10.20.0.0/16', ['10.21.0.0/24'])).message).toContain('except entry 10.21.0.0/24 is not strictly inside 10.20.0.0/16');
    expect(errorOf(() => OverridePeer.cidr('10.20.0.0/16', ['10.20.0.0/16'])).message).toContain('is not strictly inside');
    expect(errorOf(() => OverridePeer.cidr('10.20.0.0/16', ['fd00::/64'])).message).toContain('is not strictly inside');
    expect(errorOf(() => OverridePeer.cidr('10.20.0.0/16', ['10.20.1.1/24'])).message).toContain('is not a CIDR without host bits');
  });

  test('namespaces fails on an empty list or a bad name, and drops duplicates', () => {
    expect(errorOf(() => OverridePeer.namespaces([])).message).toContain('needs at least one namespace name');
    expect(errorOf(() => OverridePeer.namespaces(['Monitoring'])).message).toContain('"Monitoring" is not a valid namespace name');
    expect(OverridePeer.namespaces(['a', 'b', 'a']).toString()).toBe('OverridePeer.namespaces(["a","b"])');
  });

  test('labelledNamespaces refuses the bare name label, which Kubernetes never sets on namespaces', () => {
    const e = errorOf(() => OverridePeer.labelledNamespaces({ name: 'monitoring' }));
    expect(e.message).toContain("the namespace label 'name' is not one Kubernetes sets");
    expect(e.message).toContain("OverridePeer.namespaces(['monitoring'])");
  });

  test('labelledNamespaces needs a label, and label keys and values are checked', () => {
    expect(errorOf(() => OverridePeer.labelledNamespaces({})).message).toContain('needs at least one namespace label');
    expect(errorOf(() => OverridePeer.sameNamespace({ 'bad key!': 'x' })).message).toContain("label key 'bad key!' is invalid");
  });

  test('describes itself as the call that built it', () => {
    expect(OverridePeer.sameNamespace().toString()).toBe('OverridePeer.sameNamespace()');
    expect(OverridePeer.allNamespaces({ a: 'b' }).toString()).toBe('OverridePeer.allNamespaces({"a":"b"})');
    expect(OverridePeer.labelledNamespaces({ team: 'x' }).toString()).toBe('OverridePeer.labelledNamespaces({"team":"x"})');
    expect(OverridePeer.cidr('10.0.0.0/8', ['10.1.0.0/16']).toString()).toBe('OverridePeer.cidr("10.0.0.0/8", ["10.1.0.0/16"])');
  });
});

describe('CalicoNamespaceOverride', () => {
  test('opens TCP 80 into every pod of a namespace with a Calico NetworkPolicy at order 1500', () => {
    const np = calico({ namespaceName: 'org-1', name: 'allow-http', ingress: [{ ports: [Port.tcp(80)] }] });
    expect(np.metadata).toEqual({ name: 'allow-http', namespace: 'org-1' });
    expect(np.spec).toEqual({
      order: 1500,
      ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }],
    });
  });

  test('the order can be chosen', () => {
    expect(calico({ namespaceName: 'org-1', order: 100, ingress: [{}] }).spec.order).toBe(100);
  });

  test('leaves types for Calico to derive: only the directions that have rules', () => {
    const chart = newChart();
    const egressOnly = new CalicoNamespaceOverride(chart, 'e', { namespaceName: 'org-1', egress: [{}] });
    const both = new CalicoNamespaceOverride(chart, 'b', { namespaceName: 'org-1', ingress: [{}], egress: [{}] });
    expect(egressOnly.policyTypes).toEqual(['Egress']);
    expect(both.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(findObject(synth(chart), 'NetworkPolicy', 'e').spec.types).toBeUndefined();
  });

  test('selects every pod by default and the labelled pods when podLabels is given', () => {
    expect(calico({ namespaceName: 'org-1', ingress: [{}] }).spec.selector).toBeUndefined();
    expect(calico({ namespaceName: 'org-1', podLabels: { tier: 'web', app: 'shop' }, ingress: [{}] }).spec.selector)
      .toBe('(app == "shop" && tier == "web")');
  });

  test('writes one Allow rule per peer and protocol, ports without a protocol as TCP', () => {
    const spec = calico({
      namespaceName: 'org-1',
      ingress: [{
        peers: [OverridePeer.namespaces(['monitoring']), OverridePeer.cidr('10.20.0.0/16', ['10.20.5.0/24'])],
        ports: [Port.tcp(80), Port.udp(53), Port.named('metrics')],
      }],
    }).spec;
    const monitoring = { namespaceSelector: 'projectcalico.org/name in {"monitoring"}' };
    const block = { nets: ['10.20.0.0/16'], notNets: ['10.20.5.0/24'] };
    expect(spec.ingress).toEqual([
      { action: 'Allow', protocol: 'TCP', source: monitoring, destination: { ports: [80, 'metrics'] } },
      { action: 'Allow', protocol: 'UDP', source: monitoring, destination: { ports: [53] } },
      { action: 'Allow', protocol: 'TCP', source: block, destination: { ports: [80, 'metrics'] } },
      { action: 'Allow', protocol: 'UDP', source: block, destination: { ports: [53] } },
    ]);
  });

  test('writes each kind of peer as a Calico source or destination', () => {
    const spec = calico({
      namespaceName: 'org-1',
      egress: [{
        peers: [
          OverridePeer.sameNamespace(),
          OverridePeer.sameNamespace({ app: 'db' }),
          OverridePeer.namespaces(['b', 'a'], { app: 'api' }),
          OverridePeer.labelledNamespaces({ team: 'payments' }),
          OverridePeer.allNamespaces(),
        ],
        ports: [Port.tcpRange(5432, 5433)],
      }],
    }).spec;
    expect(spec.egress.map((r: any) => r.destination)).toEqual([
      { selector: 'all()', ports: ['5432:5433'] },
      { selector: 'app == "db"', ports: ['5432:5433'] },
      { selector: 'app == "api"', namespaceSelector: 'projectcalico.org/name in {"a", "b"}', ports: ['5432:5433'] },
      { namespaceSelector: 'team == "payments"', ports: ['5432:5433'] },
      { namespaceSelector: 'all()', ports: ['5432:5433'] },
    ]);
    expect(spec.egress.every((r: any) => r.action === 'Allow' && r.protocol === 'TCP')).toBe(true);
  });

  test('an ingress rule without ports opens every protocol; an egress rule without anything opens everything', () => {
    const spec = calico({ namespaceName: 'org-1', ingress: [{ peers: [OverridePeer.sameNamespace()] }], egress: [{}] }).spec;
    expect(spec.ingress).toEqual([{ action: 'Allow', source: { selector: 'all()' } }]);
    expect(spec.egress).toEqual([{ action: 'Allow' }]);
  });

  test('allowIngress and allowEgress add rules after construction', () => {
    const spec = calico({ namespaceName: 'org-1' }, o => {
      o.allowIngress({ ports: [Port.tcp(443)] });
      o.allowEgress({ peers: [OverridePeer.cidr('10.20.0.0/16')], ports: [Port.tcp(5432)] });
    }).spec;
    expect(spec.ingress).toEqual([{ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } }]);
    expect(spec.egress).toEqual([{ action: 'Allow', protocol: 'TCP', destination: { nets: ['10.20.0.0/16'], ports: [5432] } }]);
  });

  test('takes any Calico rule through addIngressRule and addEgressRule, such as a Deny', () => {
    const spec = calico({ namespaceName: 'org-2', ingress: [{ ports: [Port.tcp(443)] }] }, o => {
      o.addEgressRule(Rule.deny({ destination: { nets: ['169.254.169.254/32'] } }));
      o.addEgressRule(Rule.allow({ destination: { selector: Selector.eq('app', 'db'), ports: [Port.tcp(5432)] } }));
    }).spec;
    expect(spec.egress).toEqual([
      { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
      { action: 'Allow', protocol: 'TCP', destination: { selector: 'app == "db"', ports: [5432] } },
    ]);
  });

  test('fails at synth when it opens nothing', () => {
    const chart = newChart();
    new CalicoNamespaceOverride(chart, 'o', { namespaceName: 'org-1' });
    expect(() => Testing.synth(chart)).toThrow(/NetworkPolicy 'o' in namespace 'org-1' opens nothing/);
  });

  test('fails without a namespace, and on peers that are not OverridePeers', () => {
    expect(errorOf(() => new CalicoNamespaceOverride(newChart(), 'o', {} as CalicoNamespaceOverrideProps)).message).toContain('namespaceName is required');
    const e = errorOf(() => new CalicoNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1', egress: [{ peers: [{} as OverridePeer] }] }));
    expect(e.message).toContain("NetworkPolicy 'o': spec.egress[0].peers[0]: {} is not an OverridePeer");
    expect(CalicoErrors.constructPathOf(e)).toBe('test/o');
    const o = new CalicoNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1' });
    expect(() => o.allowIngress({ ports: [443 as unknown as Port] })).toThrow(/spec\.ingress\[0\]\.ports\[0\]: 443 is not a Port/);
    expect(o.ingressRules).toEqual([]);
  });

  test('fails on a bad pod label', () => {
    expect(errorOf(() => new CalicoNamespaceOverride(newChart(), 'o', { namespaceName: 'org-1', podLabels: { app: 'a b' } })).message)
      .toContain("label 'app' has invalid value 'a b'");
  });
});

describe('both overrides', () => {
  const peer = fc.oneof(
    fc.constant(OverridePeer.sameNamespace()),
    fc.constant(OverridePeer.sameNamespace({ app: 'web' })),
    fc.constant(OverridePeer.namespaces(['monitoring'], { app: 'prometheus' })),
    fc.constant(OverridePeer.labelledNamespaces({ team: 'payments' })),
    fc.constant(OverridePeer.allNamespaces()),
    fc.constant(OverridePeer.cidr('10.20.0.0/16', ['10.20.5.0/24'])),
    fc.constant(OverridePeer.cidr('fd00::/64')),
  );
  const port = fc.oneof(
    fc.integer({ min: 1, max: 65535 }).map(p => Port.tcp(p)),
    fc.integer({ min: 1, max: 65535 }).map(p => Port.udp(p)),
    fc.integer({ min: 1, max: 65535 }).map(p => Port.number(p)),
    fc.constant(Port.named('http')),
    fc.constant(Port.sctpRange(100, 200)),
  );
  const rule: fc.Arbitrary<OverrideRule> = fc.record({
    ports: fc.option(fc.array(port, { maxLength: 4 }), { nil: undefined }),
    peers: fc.option(fc.array(peer, { maxLength: 3 }), { nil: undefined }),
  });

  test('render the same rules as valid manifests: one Calico rule per peer and protocol', () => {
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 3 }), fc.array(rule, { maxLength: 2 }), (ingress, egress) => {
      const k8s = kubernetes({ namespaceName: 'org-1', ingress, egress: egress.length ? egress : undefined }).spec;
      const cal = calico({ namespaceName: 'org-1', ingress, egress: egress.length ? egress : undefined }).spec;
      expect(k8s.ingress).toHaveLength(ingress.length);
      const expected = (rules: OverrideRule[]) => rules.reduce((sum, r) => {
        const protocols = new Set((r.ports ?? []).map(p => (p.protocol ?? { protocolNumber: 6 }).protocolNumber));
        return sum + Math.max(1, r.peers?.length ?? 0) * Math.max(1, protocols.size);
      }, 0);
      expect(cal.ingress).toHaveLength(expected(ingress));
      expect(cal.egress?.length ?? 0).toBe(expected(egress));
      expect(k8s.policyTypes).toEqual(egress.length ? ['Ingress', 'Egress'] : ['Ingress']);
    }), { numRuns: 60 });
  });
});

describe('an empty namespace name', () => {
  test.each([
    ['KubernetesNamespaceOverride', (chart: Chart) => new KubernetesNamespaceOverride(chart, 'o', { namespaceName: '', ingress: [{}] }), "Kubernetes NetworkPolicy 'o'"],
    ['CalicoNamespaceOverride', (chart: Chart) => new CalicoNamespaceOverride(chart, 'o', { namespaceName: '', ingress: [{}] }), "NetworkPolicy 'o'"],
  ])('fails for a %s: it opens one namespace, so it names one', (_kind, build, resource) => {
    const e = errorOf(() => build(newChart()));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toContain(`${resource}: metadata.namespace: namespaceName is empty; name the namespace to open`);
  });
});
