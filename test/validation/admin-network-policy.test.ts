// validateManifest on the Kubernetes admin policy kinds: each rule of the CRDs Calico bundles
// (schema and x-kubernetes-validations) is mirrored, and every verdict here agrees with the offline
// check of the same object against the vendored CRD (the API server's view).
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { readCrds } from '../support/crd-schema';
import { checkOffline } from '../support/offline-check';
import { calicoCrdsFile } from '../support/util';

const CRDS: Record<string, any[]> = {
  'v3.32': readCrds(calicoCrdsFile(CalicoVersion.V3_32_1)),
  'v3.31': readCrds(calicoCrdsFile(CalicoVersion.V3_31_7)),
};

function cnp(spec: any, name = 'p'): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec };
}
function anp(spec: any, kind = 'AdminNetworkPolicy', name = 'p'): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind, metadata: { name }, spec };
}
const base2 = { tier: 'Admin', priority: 1, subject: { namespaces: {} } };
const base1 = { priority: 1, subject: { namespaces: {} } };
const deny2 = (extra: any) => ({ ...base2, egress: [{ action: 'Deny', to: [{ namespaces: {} }], ...extra }] });
const deny1 = (extra: any) => ({ ...base1, egress: [{ action: 'Deny', to: [{ namespaces: {} }], ...extra }] });

/** [description, manifest, the line, a stable part of our message] */
const REFUSED: Array<[string, any, 'v3.32' | 'v3.31', string]> = [
  ['CNP: tier is required', cnp({ priority: 1, subject: { namespaces: {} } }), 'v3.32', 'spec.tier is required'],
  ['CNP: tier is Admin or Baseline', cnp({ ...base2, tier: 'Developer' }), 'v3.32', "tier 'Developer' is not a ClusterNetworkPolicy tier"],
  ['CNP: priority is required', cnp({ tier: 'Admin', subject: { namespaces: {} } }), 'v3.32', 'spec.priority is required'],
  ['CNP: priority at most 1000', cnp({ ...base2, priority: 1001 }), 'v3.32', 'priority 1001 is out of range'],
  ['CNP: priority at least 0', cnp({ ...base2, priority: -1 }), 'v3.32', 'priority -1 is out of range'],
  ['CNP: subject is required', cnp({ tier: 'Admin', priority: 1 }), 'v3.32', 'spec.subject is required'],
  ['CNP: subject sets exactly one', cnp({ ...base2, subject: { namespaces: {}, pods: { podSelector: {} } } }), 'v3.32', 'a subject sets namespaces and pods'],
  ['CNP: subject sets one at least', cnp({ ...base2, subject: {} }), 'v3.32', 'a subject must set one of'],
  ['CNP: pods need a podSelector', cnp({ ...base2, subject: { pods: { namespaceSelector: {} } } }), 'v3.32', 'podSelector is required'],
  ['CNP: at most 25 rules', cnp({ ...base2, ingress: Array.from({ length: 26 }, () => ({ action: 'Deny', from: [{ namespaces: {} }] })) }), 'v3.32', 'more than the 25 its CRD allows'],
  ['CNP: action is required', cnp({ ...base2, ingress: [{ from: [{ namespaces: {} }] }] }), 'v3.32', 'action is required'],
  ['CNP: action Allow is v1alpha1 wording', cnp(deny2({ action: 'Allow' })), 'v3.32', 'ClusterNetworkPolicy calls Allow Accept'],
  ['CNP: rule name at most 100', cnp(deny2({ name: 'x'.repeat(101) })), 'v3.32', 'more than the 100 allowed'],
  ['CNP: to is required', cnp({ ...base2, egress: [{ action: 'Deny' }] }), 'v3.32', 'to is required'],
  ['CNP: peers 1 to 25', cnp(deny2({ to: [] })), 'v3.32', 'to has 0 peers'],
  ['CNP: a peer sets exactly one', cnp(deny2({ to: [{ namespaces: {}, pods: { podSelector: {} } }] })), 'v3.32', 'a peer sets namespaces and pods'],
  ['CNP: ingress has no networks peer', cnp({ ...base2, ingress: [{ action: 'Deny', from: [{ networks: ['10.0.0.0/8'] }] }] }), 'v3.32', "a peer has no field 'networks'"],
  ['CNP: egress has no nodes peer', cnp(deny2({ to: [{ nodes: {} }] })), 'v3.32', "a peer has no field 'nodes'"],
  ['CNP: networks is a CIDR (isCIDR)', cnp(deny2({ to: [{ networks: ['10.0.0.1'] }] })), 'v3.32', 'Invalid CIDR format provided'],
  ['CNP: networks 1 to 25', cnp(deny2({ to: [{ networks: [] }] })), 'v3.32', 'networks has 0 CIDRs'],
  ['CNP: networks is a set', cnp(deny2({ to: [{ networks: ['10.0.0.0/8', '10.0.0.0/8'] }] })), 'v3.32', 'is listed twice'],
  ['CNP: networks entries at most 43 characters', cnp(deny2({ to: [{ networks: [`${'0'.repeat(40)}10.0.0.0/8`] }] })), 'v3.32', 'more than the 43 allowed'],
  ['CNP: protocols 1 to 25', cnp(deny2({ protocols: [] })), 'v3.32', 'protocols has 0 entries'],
  ['CNP: a protocol entry sets exactly one', cnp(deny2({ protocols: [{ tcp: { destinationPort: { number: 1 } }, udp: { destinationPort: { number: 1 } } }] })), 'v3.32', 'a protocols entry sets tcp and udp'],
  ['CNP: tcp needs a destinationPort', cnp(deny2({ protocols: [{ tcp: {} }] })), 'v3.32', 'tcp must set destinationPort'],
  ['CNP: destinationPort sets exactly one', cnp(deny2({ protocols: [{ udp: { destinationPort: { number: 1, range: { start: 1, end: 2 } } } }] })), 'v3.32', 'a destinationPort sets number and range'],
  ['CNP: port at least 1', cnp(deny2({ protocols: [{ tcp: { destinationPort: { number: 0 } } }] })), 'v3.32', 'port 0 is out of range'],
  ['CNP: port at most 65535', cnp(deny2({ protocols: [{ sctp: { destinationPort: { number: 65536 } } }] })), 'v3.32', 'port 65536 is out of range'],
  ['CNP: range start < end (CEL)', cnp(deny2({ protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 80 } } } }] })), 'v3.32', 'Start port must be less than End port'],
  ['CNP: range needs its end', cnp(deny2({ protocols: [{ tcp: { destinationPort: { range: { start: 80 } } } }] })), 'v3.32', 'end is required'],
  ['CNP: an unknown spec field', cnp({ ...base2, policyTypes: ['Ingress'] }), 'v3.32', 'policyTypes'],
  ['CNP: a label selector expression needs an operator', cnp({ ...base2, subject: { namespaces: { matchExpressions: [{ key: 'a' }] } } }), 'v3.32', 'operator is required'],
  ['ANP: priority is required', anp({ subject: { namespaces: {} } }), 'v3.31', 'spec.priority is required'],
  ['ANP: has no tier', anp({ ...base1, tier: 'Admin' }), 'v3.31', 'tier'],
  ['ANP: pods need a namespaceSelector', anp({ ...base1, subject: { pods: { podSelector: {} } } }), 'v3.31', 'namespaceSelector is required'],
  ['ANP: action Accept is v1alpha2 wording', anp(deny1({ action: 'Accept' })), 'v3.31', 'AdminNetworkPolicy calls Accept Allow'],
  ['ANP: at most 100 rules', anp({ ...base1, egress: Array.from({ length: 101 }, () => ({ action: 'Deny', to: [{ namespaces: {} }] })) }), 'v3.31', 'more than the 100 its CRD allows'],
  ['ANP: a ports entry sets exactly one', anp(deny1({ ports: [{ namedPort: 'http', portNumber: { port: 80, protocol: 'TCP' } }] })), 'v3.31', 'a ports entry sets'],
  ['ANP: portNumber needs a port', anp(deny1({ ports: [{ portNumber: { protocol: 'TCP' } }] })), 'v3.31', 'port is required'],
  ['ANP: named ports towards nodes (CEL)', anp(deny1({ to: [{ nodes: {} }], ports: [{ namedPort: 'http' }] })), 'v3.31', 'networks/nodes peer cannot be set with namedPorts'],
  ['ANP: named ports towards networks (CEL)', anp(deny1({ to: [{ networks: ['10.0.0.0/8'] }], ports: [{ namedPort: 'http' }] })), 'v3.31', 'networks/nodes peer cannot be set with namedPorts'],
  ['ANP: networks are IPv4 or IPv6 (CEL)', anp(deny1({ to: [{ networks: ['::ffff:10.0.0.0/104'] }] })), 'v3.31', 'IPv4 address embedded in IPv6'],
  ['BANP: named default (CEL)', anp({ subject: { namespaces: {} } }, 'BaselineAdminNetworkPolicy', 'other'), 'v3.31', "must be named 'default'"],
  ['BANP: no action Pass', anp({ subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] }, 'BaselineAdminNetworkPolicy', 'default'), 'v3.31', 'nothing to pass to'],
  ['BANP: has no priority', anp({ priority: 1, subject: { namespaces: {} } }, 'BaselineAdminNetworkPolicy', 'default'), 'v3.31', 'priority'],
];

const ACCEPTED: Array<[string, any, 'v3.32' | 'v3.31']> = [
  ['CNP: every field', cnp({
    tier: 'Baseline', priority: 1000, subject: { pods: { namespaceSelector: { matchLabels: { a: 'b' } }, podSelector: { matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] } } },
    ingress: [{ name: 'r', action: 'Pass', from: [{ pods: { podSelector: {} } }], protocols: [{ destinationNamedPort: 'http' }, { tcp: { destinationPort: { range: { start: 1, end: 65535 } } } }] }],
    egress: [{ action: 'Accept', to: [{ networks: ['10.0.0.0/8', '2001:db8::/32'] }], protocols: [{ udp: { destinationPort: { number: 53 } } }] }],
  }), 'v3.32'],
  ['ANP: every field', anp({
    priority: 0, subject: { pods: { namespaceSelector: {}, podSelector: {} } },
    ingress: [{ action: 'Pass', from: [{ namespaces: {} }], ports: [{ namedPort: 'http' }, { portRange: { start: 1, end: 1, protocol: 'UDP' } }] }],
    egress: [{ action: 'Allow', to: [{ nodes: {} }, { networks: ['10.0.0.0/8'] }], ports: [{ portNumber: { port: 443, protocol: 'TCP' } }] }],
  }), 'v3.31'],
  ['BANP: the default one', anp({ subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] }, 'BaselineAdminNetworkPolicy', 'default'), 'v3.31'],
];

const VERSION = { 'v3.32': CalicoVersion.V3_32_1, 'v3.31': CalicoVersion.V3_31_7 };

describe('validateManifest on the Kubernetes admin policy kinds', () => {
  test.each(REFUSED)('refuses %s, as the API server does', (_, manifest, line, message) => {
    const issues = validateManifest(manifest, VERSION[line]);
    expect(issues.map(i => i.message).join('\n')).toContain(message);
    expect(checkOffline([manifest], { crds: CRDS[line] }).errors).not.toEqual([]);
  });

  test.each(ACCEPTED)('accepts %s, as the API server does', (_, manifest, line) => {
    expect(validateManifest(manifest, VERSION[line])).toEqual([]);
    expect(checkOffline([manifest], { crds: CRDS[line] }).errors).toEqual([]);
  });

  test('refuses ClusterNetworkPolicy on v3.31 and AdminNetworkPolicy on v3.32, naming the line that has each', () => {
    expect(validateManifest(cnp(base2), CalicoVersion.V3_31_7)[0].message).toContain('kind ClusterNetworkPolicy is not in Calico v3.31: Calico v3.32 has it');
    expect(validateManifest(anp(base1), CalicoVersion.V3_32_1)[0].message).toContain('kind AdminNetworkPolicy is not in Calico v3.32: Calico v3.31 has it');
  });

  test('refuses an API version the CRD does not serve', () => {
    const m = { ...cnp(base2), apiVersion: 'policy.networking.k8s.io/v1alpha1' };
    expect(validateManifest(m).map(i => i.path)).toContain('apiVersion');
  });

  test('refuses an unknown kind of the group', () => {
    const m = { ...cnp(base2), kind: 'NetworkPolicyThing' };
    expect(validateManifest(m)[0].message).toContain('use one of AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy');
  });
});
