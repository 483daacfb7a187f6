// The Kubernetes admin policy kinds Calico enforces: ClusterNetworkPolicy (v1alpha2, Calico v3.32),
// AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1, Calico v3.31). Every rendering is
// checked offline against the CRDs the line bundles, with their CEL rules.
import { Chart } from 'cdk8s';
import { CalicoVersion } from '../../src/core/calico-version';
import { Port } from '../../src/language/port';
import { AdminNetworkPolicy, BaselineAdminNetworkPolicy } from '../../src/resources/admin-network-policy';
import { AdminPolicyAction, AdminPolicyPeer, AdminPolicySubject } from '../../src/resources/admin-policy-base';
import { ClusterNetworkPolicy, ClusterNetworkPolicyTier } from '../../src/resources/cluster-network-policy';
import { chartFor } from '../support/api-groups';
import { readCrds } from '../support/crd-schema';
import { checkOffline } from '../support/offline-check';
import { calicoCrdsFile, errorOf, findObject, synth } from '../support/util';

const CRDS_32 = readCrds(calicoCrdsFile(CalicoVersion.V3_32_1));
const CRDS_31 = readCrds(calicoCrdsFile(CalicoVersion.V3_31_7));

function expectAccepted(manifests: any[], crds: any[]): void {
  const report = checkOffline(manifests.filter(m => m.apiVersion.startsWith('policy.networking.k8s.io/')), { crds });
  expect(report.errors).toEqual([]);
  expect(report.crdObjects).toBeGreaterThan(0);
}

const web = { matchLabels: { app: 'web' } };
const prod = { matchLabels: { env: 'prod' } };

function fullRules() {
  return {
    ingress: [
      { name: 'from-prod', action: AdminPolicyAction.ACCEPT, peers: [AdminPolicyPeer.namespaces(prod)], ports: [Port.tcp(443), Port.udpRange(5000, 5010)] },
      { action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.pods(web)] },
    ],
    egress: [
      { action: AdminPolicyAction.PASS, peers: [AdminPolicyPeer.pods(web, prod)], ports: [Port.named('http'), Port.number(8080)] },
      { action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.networks(['10.0.0.0/8', '2001:db8::/32'])], ports: [Port.sctp(9)] },
    ],
  };
}

describe('ClusterNetworkPolicy', () => {
  test('renders policy.networking.k8s.io/v1alpha2 with tier, priority, subject, rules and protocols', () => {
    const chart = chartFor(CalicoVersion.V3_32_1);
    new ClusterNetworkPolicy(chart, 'cnp', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 10, subject: AdminPolicySubject.pods(web), ...fullRules() });
    const manifests = synth(chart);
    const cnp = findObject(manifests, 'ClusterNetworkPolicy', 'cnp');
    expect(cnp.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(cnp.metadata.namespace).toBeUndefined();
    expect(cnp.spec.tier).toBe('Admin');
    expect(cnp.spec.priority).toBe(10);
    expect(cnp.spec.subject).toEqual({ pods: { podSelector: { matchLabels: { app: 'web' } } } });
    expect(cnp.spec.ingress[0]).toEqual({
      name: 'from-prod', action: 'Accept', from: [{ namespaces: { matchLabels: { env: 'prod' } } }],
      protocols: [{ tcp: { destinationPort: { number: 443 } } }, { udp: { destinationPort: { range: { start: 5000, end: 5010 } } } }],
    });
    expect(cnp.spec.egress[0].protocols).toEqual([{ destinationNamedPort: 'http' }, { tcp: { destinationPort: { number: 8080 } } }]);
    expect(cnp.spec.egress[1].to).toEqual([{ networks: ['10.0.0.0/8', '2001:db8::/32'] }]);
    expectAccepted(manifests, CRDS_32);
  });

  test('renders a Baseline policy with rules added later', () => {
    const chart = chartFor(CalicoVersion.V3_32_1);
    const p = new ClusterNetworkPolicy(chart, 'b', { tier: ClusterNetworkPolicyTier.BASELINE, priority: 0, subject: AdminPolicySubject.namespaces({}) });
    p.addIngressRule({ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.namespaces({})] });
    p.addEgressRule({ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.namespaces({})] });
    const manifests = synth(chart);
    expect(findObject(manifests, 'ClusterNetworkPolicy', 'b').spec).toEqual({
      tier: 'Baseline', priority: 0, subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ action: 'Deny', to: [{ namespaces: {} }] }],
    });
    expect(p.ingressRules).toHaveLength(1);
    expectAccepted(manifests, CRDS_32);
  });

  test.each([-1, 1001, 1.5])('fails when priority is %p (the CRD allows 0 to 1000)', priority => {
    const e = errorOf(() => new ClusterNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'p', { tier: ClusterNetworkPolicyTier.ADMIN, priority, subject: AdminPolicySubject.namespaces({}) }));
    expect(e.message).toMatch(/spec\.priority/);
  });

  test('fails when a rule has no peers', () => {
    const e = errorOf(() => new ClusterNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'p', {
      tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}), ingress: [{ action: AdminPolicyAction.DENY, peers: [] }],
    }));
    expect(e.message).toContain('spec.ingress[0].from: from has 0 peers; list 1 to 25');
  });

  test('fails for a nodes peer, which v1alpha2 does not have', () => {
    const e = errorOf(() => new ClusterNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'p', {
      tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}), egress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.nodes({})] }],
    }));
    expect(e.message).toContain('spec.egress[0].to[0]');
  });

  test('fails for a networks entry that is not a CIDR (the CRD rule isCIDR)', () => {
    const e = errorOf(() => new ClusterNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'p', {
      tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}), egress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.networks(['10.0.0.1'])] }],
    }));
    expect(e.message).toContain('Invalid CIDR format provided');
  });

  test('writes a one-port range as a number, which the CRD rule start < end would refuse as a range', () => {
    const chart = chartFor(CalicoVersion.V3_32_1);
    new ClusterNetworkPolicy(chart, 'p', {
      tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}),
      ingress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.namespaces({})], ports: [Port.tcpRange(80, 80)] }],
    });
    const manifests = synth(chart);
    expect(findObject(manifests, 'ClusterNetworkPolicy', 'p').spec.ingress[0].protocols).toEqual([{ tcp: { destinationPort: { number: 80 } } }]);
    expectAccepted(manifests, CRDS_32);
  });

  test('an added rule that fails is not kept', () => {
    const p = new ClusterNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'p', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}) });
    expect(() => p.addIngressRule({ action: AdminPolicyAction.DENY, peers: [] })).toThrow(/from has 0 peers/);
    expect(p.ingressRules).toEqual([]);
  });

  test('fails on Calico v3.31, naming the line that has it', () => {
    const e = errorOf(() => new ClusterNetworkPolicy(chartFor(CalicoVersion.V3_31_7), 'p', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}) }));
    expect(e.message).toContain('kind ClusterNetworkPolicy is not in Calico v3.31: Calico v3.32 has it (CalicoVersion.V3_32_1); on v3.31 use AdminNetworkPolicy or BaselineAdminNetworkPolicy');
  });

  test('fails at synthesis when the chart is set to v3.31 after the policy was made', () => {
    const chart = new Chart(chartFor(CalicoVersion.V3_32_1).node.root as any, 'later');
    new ClusterNetworkPolicy(chart, 'p', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: AdminPolicySubject.namespaces({}) });
    CalicoVersion.use(chart, CalicoVersion.V3_31_7);
    expect(errorOf(() => synth(chart)).message).toContain('kind ClusterNetworkPolicy is not in Calico v3.31');
  });

  test('synthesizes the same output twice', () => {
    const chart = chartFor(CalicoVersion.V3_32_1);
    new ClusterNetworkPolicy(chart, 'cnp', { tier: ClusterNetworkPolicyTier.ADMIN, priority: 10, subject: AdminPolicySubject.pods(web), ...fullRules() });
    expect(synth(chart)).toEqual(synth(chart));
  });
});

describe('AdminNetworkPolicy', () => {
  test('renders policy.networking.k8s.io/v1alpha1 with Allow for Accept, ports, and an explicit every-namespace selector', () => {
    const chart = chartFor(CalicoVersion.V3_31_7);
    new AdminNetworkPolicy(chart, 'anp', { priority: 5, subject: AdminPolicySubject.pods(web), ...fullRules() });
    const manifests = synth(chart);
    const anp = findObject(manifests, 'AdminNetworkPolicy', 'anp');
    expect(anp.apiVersion).toBe('policy.networking.k8s.io/v1alpha1');
    expect(anp.spec.subject).toEqual({ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } });
    expect(anp.spec.ingress[0].action).toBe('Allow');
    expect(anp.spec.ingress[0].ports).toEqual([{ portNumber: { port: 443, protocol: 'TCP' } }, { portRange: { start: 5000, end: 5010, protocol: 'UDP' } }]);
    expect(anp.spec.egress[0].ports).toEqual([{ namedPort: 'http' }, { portNumber: { port: 8080, protocol: 'TCP' } }]);
    expectAccepted(manifests, CRDS_31);
  });

  test('accepts a nodes peer', () => {
    const chart = chartFor(CalicoVersion.V3_31_7);
    new AdminNetworkPolicy(chart, 'anp', { priority: 5, subject: AdminPolicySubject.namespaces({}), egress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.nodes({})], ports: [Port.tcp(10250)] }] });
    expectAccepted(synth(chart), CRDS_31);
  });

  test('fails for a named port towards networks or nodes (the CRD rule on egress rules)', () => {
    const e = errorOf(() => new AdminNetworkPolicy(chartFor(CalicoVersion.V3_31_7), 'anp', {
      priority: 5, subject: AdminPolicySubject.namespaces({}), egress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.nodes({})], ports: [Port.named('http')] }],
    }));
    expect(e.message).toContain('networks/nodes peer cannot be set with namedPorts');
  });

  test('fails for an IPv4 address embedded in IPv6 (the CRD rule on networks)', () => {
    const e = errorOf(() => new AdminNetworkPolicy(chartFor(CalicoVersion.V3_31_7), 'anp', {
      priority: 5, subject: AdminPolicySubject.namespaces({}), egress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.networks(['::ffff:10.0.0.0/104'])] }],
    }));
    expect(e.message).toContain('IPv4 address embedded in IPv6 addresses are not supported');
  });

  test('fails on Calico v3.32, naming the line that has it', () => {
    const e = errorOf(() => new AdminNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'anp', { priority: 5, subject: AdminPolicySubject.namespaces({}) }));
    expect(e.message).toContain('kind AdminNetworkPolicy is not in Calico v3.32: Calico v3.31 has it (CalicoVersion.V3_31_7); on v3.32 use ClusterNetworkPolicy');
  });
});

describe('BaselineAdminNetworkPolicy', () => {
  test('is named default and renders v1alpha1', () => {
    const chart = chartFor(CalicoVersion.V3_31_7);
    new BaselineAdminNetworkPolicy(chart, 'baseline', { subject: AdminPolicySubject.namespaces({}), ingress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.namespaces({})] }] });
    const manifests = synth(chart);
    expect(findObject(manifests, 'BaselineAdminNetworkPolicy', 'default').spec.ingress).toEqual([{ action: 'Deny', from: [{ namespaces: {} }] }]);
    expectAccepted(manifests, CRDS_31);
  });

  test('fails for action Pass, which the baseline does not have', () => {
    const e = errorOf(() => new BaselineAdminNetworkPolicy(chartFor(CalicoVersion.V3_31_7), 'b', {
      subject: AdminPolicySubject.namespaces({}), ingress: [{ action: AdminPolicyAction.PASS, peers: [AdminPolicyPeer.namespaces({})] }],
    }));
    expect(e.message).toContain("action 'Pass' is not a BaselineAdminNetworkPolicy action");
  });

  test('fails on Calico v3.32', () => {
    const e = errorOf(() => new BaselineAdminNetworkPolicy(chartFor(CalicoVersion.V3_32_1), 'b', { subject: AdminPolicySubject.namespaces({}) }));
    expect(e.message).toContain('kind BaselineAdminNetworkPolicy is not in Calico v3.32: Calico v3.31 has it');
  });
});
