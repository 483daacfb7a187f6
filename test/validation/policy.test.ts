// The kind validators register at import time; import validate.ts (and its placeholder kinds)
// first so that the real policy validators are the ones left registered.
import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import '../../src/validation/policy';
import { EACH_LINE } from '../support/versions';

const API = 'projectcalico.org/v3';

function gnp(spec: any, name = 'thing'): any {
  return { apiVersion: API, kind: 'GlobalNetworkPolicy', metadata: { name }, spec };
}

function np(spec: any, name = 'thing'): any {
  return { apiVersion: API, kind: 'NetworkPolicy', metadata: { name, namespace: 'default' }, spec };
}

/** A GlobalNetworkPolicy holding one ingress rule. */
function ingressRule(rule: any): any {
  return gnp({ ingress: [rule] });
}

/** A GlobalNetworkPolicy holding one ingress rule whose source is `entity`. */
function sourceEntity(entity: any): any {
  return ingressRule({ action: 'Allow', source: entity });
}

function paths(manifest: any): string[] {
  return validateManifest(manifest).map(i => i.path);
}

function messages(manifest: any, version?: CalicoVersion): string {
  return validateManifest(manifest, version).map(i => `${i.path}: ${i.message}`).join('\n');
}

const allow = (extra: any = {}) => ({ action: 'Allow', ...extra });
const svc = { name: 'service1', namespace: 'default' };

// The upstream table (libcalico-go/lib/validator/v3/validator_test.go), restricted to the
// policy kinds and their parts, with the same accept/reject verdicts. Go structs that are
// not whole resources (Rule, EntityRule, ICMPFields, HTTPMatch, Protocol) are placed in a
// minimal GlobalNetworkPolicy.
const upstreamCases: Array<[string, any, boolean]> = [
  // Actions.
  ['should accept allow action', ingressRule({ action: 'Allow' }), true],
  ['should accept deny action', ingressRule({ action: 'Deny' }), true],
  ['should accept log action', ingressRule({ action: 'Log' }), true],
  ['should accept pass action', ingressRule({ action: 'Pass' }), true],
  ['should reject unknown action', ingressRule({ action: 'unknown' }), false],
  ['should reject unknown action allowfoo', ingressRule({ action: 'allowfoo' }), false],
  ['should reject rule with no action', ingressRule({}), false],

  // IP version.
  ['should accept IP version 4', ingressRule(allow({ ipVersion: 4 })), true],
  ['should accept IP version 6', ingressRule(allow({ ipVersion: 6 })), true],
  ['should reject IP version 0', ingressRule(allow({ ipVersion: 0 })), false],

  // Selectors.
  ['should accept valid selector', sourceEntity({ selector: 'foo == "bar"' }), true],
  ["should accept valid selector with 'has' and a '/'", sourceEntity({ selector: 'has(calico/k8s_ns)' }), true],
  ["should accept valid selector with 'has' and two '/'", sourceEntity({ selector: 'has(calico/k8s_ns/role)' }), true],
  ["should accept valid selector with 'has' and two '/' and '-.'", sourceEntity({ selector: 'has(calico/k8s_NS-.1/role)' }), true],
  ['should reject invalid selector', sourceEntity({ selector: 'thing=hello &' }), false],

  // Protocols.
  ['should accept protocol TCP', ingressRule(allow({ protocol: 'TCP' })), true],
  ['should accept protocol UDP', ingressRule(allow({ protocol: 'UDP' })), true],
  ['should accept protocol ICMP', ingressRule(allow({ protocol: 'ICMP' })), true],
  ['should accept protocol ICMPv6', ingressRule(allow({ protocol: 'ICMPv6' })), true],
  ['should accept protocol SCTP', ingressRule(allow({ protocol: 'SCTP' })), true],
  ['should accept protocol UDPLite', ingressRule(allow({ protocol: 'UDPLite' })), true],
  ['should accept protocol 1 as int', ingressRule(allow({ protocol: 1 })), true],
  ['should accept protocol 255 as int', ingressRule(allow({ protocol: 255 })), true],
  ['should accept protocol 255 as string', ingressRule(allow({ protocol: '255' })), true],
  ['should accept protocol 1 as string', ingressRule(allow({ protocol: '1' })), true],
  ['should reject protocol 0 as int', ingressRule(allow({ protocol: 0 })), false],
  ['should reject protocol 256 as string', ingressRule(allow({ protocol: '256' })), false],
  ['should reject protocol 0 as string', ingressRule(allow({ protocol: '0' })), false],
  ['should reject protocol tcpfoo', ingressRule(allow({ protocol: 'tcpfoo' })), false],
  ['should reject protocol footcp', ingressRule(allow({ protocol: 'footcp' })), false],
  ['should reject protocol tcp', ingressRule(allow({ protocol: 'tcp' })), false],

  // ICMP fields (in notICMP, which has no protocol requirement, to test the fields alone).
  ['should accept ICMP with no config', ingressRule(allow({ notICMP: {} })), true],
  ['should accept ICMP with type with min value', ingressRule(allow({ notICMP: { type: 0 } })), true],
  ['should accept ICMP with type with max value', ingressRule(allow({ notICMP: { type: 254 } })), true],
  ['should accept ICMP with type and code with min value', ingressRule(allow({ notICMP: { type: 128, code: 0 } })), true],
  ['should accept ICMP with type and code with max value', ingressRule(allow({ notICMP: { type: 128, code: 255 } })), true],
  ['should reject ICMP with code and no type', ingressRule(allow({ notICMP: { code: 0 } })), false],
  ['should reject ICMP with type too high', ingressRule(allow({ notICMP: { type: 255 } })), false],
  ['should reject ICMP with code too high', ingressRule(allow({ notICMP: { type: 128, code: 256 } })), false],

  // Rules.
  ['should accept Rule with protocol SCTP and no other config', ingressRule(allow({ protocol: 'SCTP' })), true],
  ['should accept Rule with source ports and protocol type 6', ingressRule(allow({ protocol: 6, source: { ports: [1] } })), true],
  ['should accept Rule with source named ports and protocol type 6', ingressRule(allow({ protocol: 6, source: { ports: ['foo'] } })), true],
  ['should accept Rule with source named ports and protocol type tcp', ingressRule(allow({ protocol: 'TCP', source: { ports: ['foo'] } })), true],
  ['should accept Rule with source named ports and protocol type udp', ingressRule(allow({ protocol: 'UDP', source: { ports: ['foo'] } })), true],
  ['should accept Rule with empty source ports and protocol type 7', ingressRule(allow({ protocol: 7, source: { ports: [] } })), true],
  ['should accept Rule with source !ports and protocol type 17', ingressRule(allow({ protocol: 17, source: { notPorts: [1] } })), true],
  ['should accept Rule with empty source !ports and protocol type 100', ingressRule(allow({ protocol: 100, source: { notPorts: [] } })), true],
  ['should accept Rule with dest ports and protocol type tcp', ingressRule(allow({ protocol: 'TCP', destination: { ports: [1] } })), true],
  ['should reject Rule with dest ports and no protocol', ingressRule(allow({ destination: { ports: [1] } })), false],
  ['should reject Rule with invalid port (port 0)', ingressRule(allow({ protocol: 'TCP', destination: { notPorts: [0] } })), false],
  ['should reject Rule with invalid port range starting at 0', ingressRule(allow({ protocol: 'TCP', destination: { notPorts: ['0:456'] } })), false],
  ['should reject named port Rule with invalid protocol', ingressRule(allow({ protocol: 'unknown', destination: { notPorts: ['foo'] } })), false],
  ['should accept Rule with empty dest ports and protocol type SCTP', ingressRule(allow({ protocol: 'SCTP', destination: { ports: [] } })), true],
  ['should accept Rule with empty dest !ports and protocol type ICMPv6', ingressRule(allow({ ipVersion: 6, protocol: 'ICMPv6', destination: { notPorts: [] } })), true],
  ['should reject Rule with icmp fields and no protocol', ingressRule(allow({ ipVersion: 4, icmp: { type: 0 } })), false],
  ['should not reject Rule with icmp fields and no ipversion', ingressRule(allow({ protocol: 'ICMP', icmp: { type: 0 } })), true],
  ['should not reject Rule with icmpv6 fields and no ipversion', ingressRule(allow({ protocol: 'ICMPv6', icmp: { type: 0 } })), true],
  ['should reject Rule with mismatched ipversion for icmp', ingressRule(allow({ protocol: 'ICMP', ipVersion: 6 })), false],
  ['should reject Rule with mismatched ipversion for icmpv6', ingressRule(allow({ protocol: 'ICMPv6', ipVersion: 4 })), false],
  ['should allow Rule with correct ipversion for icmp', ingressRule(allow({ ipVersion: 4, protocol: 'ICMP', icmp: { type: 0 } })), true],
  ['should allow Rule with correct ipversion for icmpv6', ingressRule(allow({ ipVersion: 6, protocol: 'ICMPv6', icmp: { type: 0 } })), true],
  ['should reject Rule with source ports and protocol type 7', ingressRule(allow({ protocol: 7, source: { ports: [1] } })), false],
  ['should reject Rule with source !ports and protocol type 100', ingressRule(allow({ protocol: 100, source: { notPorts: [1] } })), false],
  ['should allow Rule with dest ports and protocol type sctp', ingressRule(allow({ protocol: 'SCTP', destination: { ports: [1] } })), true],
  ['should reject Rule with dest !ports and protocol type icmp', ingressRule(allow({ ipVersion: 4, protocol: 'ICMP', destination: { notPorts: [1] } })), false],
  ['should reject Rule with invalid source ports and protocol type tcp', ingressRule(allow({ protocol: 'TCP', source: { ports: ['200:100'] } })), false],
  ['should reject Rule with invalid source !ports and protocol type tcp', ingressRule(allow({ protocol: 'TCP', source: { notPorts: ['200:100'] } })), false],
  ['should reject Rule with invalid dest ports and protocol type tcp', ingressRule(allow({ protocol: 'TCP', destination: { ports: ['200:100'] } })), false],
  ['should reject Rule with invalid dest !ports and protocol type tcp', ingressRule(allow({ protocol: 'TCP', destination: { notPorts: ['200:100'] } })), false],
  ['should reject Rule with one invalid port in the port range (MinPort 0)', ingressRule(allow({ protocol: 'TCP', destination: { notPorts: ['0:100'] } })), false],
  ['should reject rule mixed IPv4 (src) and IPv6 (dest)', ingressRule(allow({ protocol: 'TCP', source: { nets: ['1.2.3.0/26'] }, destination: { nets: ['aabb:aabb::0000/122'] } })), false],
  ['should reject rule mixed IPv6 (src) and IPv4 (dest)', ingressRule(allow({ protocol: 'TCP', source: { nets: ['aabb:aabb::/128'] }, destination: { nets: ['1.2.0.0/32'] } })), false],
  ['should reject rule mixed IPv6 version and IPv4 Net', ingressRule(allow({ protocol: 'TCP', ipVersion: 6, source: { nets: ['1.0.0.0/10'] }, destination: { nets: ['1.2.0.0/32'] } })), false],
  ['should reject rule mixed IPVersion and Source Net IP version', ingressRule(allow({ protocol: 'TCP', ipVersion: 6, source: { nets: ['1.2.3.4/32'] } })), false],
  ['should reject rule mixed IPVersion and Dest Net IP version', ingressRule(allow({ protocol: 'TCP', ipVersion: 4, destination: { nets: ['aabb:aabb::ffff/128'] } })), false],
  ['net list: should reject rule mixed IPv6 version and IPv4 NotNet', ingressRule(allow({ protocol: 'TCP', ipVersion: 6, source: { nets: ['1.0.0.0/10'] }, destination: { notNets: ['1.2.0.0/32'] } })), false],
  ['should reject rule with an IPv6 protocol and an IPVersion=4', ingressRule(allow({ protocol: 'ICMPv6', ipVersion: 4 })), false],
  ['should reject rule with an IPv4 protocol and an IPVersion=6', ingressRule(allow({ protocol: 'ICMP', ipVersion: 6 })), false],
  ['should accept Allow rule with HTTP clause', ingressRule({ action: 'Allow', http: { methods: ['GET'] } }), true],
  ['should reject Deny rule with HTTP clause', ingressRule({ action: 'Deny', http: { methods: ['GET'] } }), false],
  ['should reject non-TCP protocol with HTTP clause', ingressRule(allow({ protocol: 'UDP', http: { methods: ['GET'] } })), false],
  ['should accept TCP protocol with HTTP clause', ingressRule(allow({ protocol: 'TCP', http: { methods: ['GET'] } })), true],
  ['should accept missing protocol with HTTP clause', ingressRule({ action: 'Allow', http: { methods: ['GET'] } }), true],
  ['should accept Rule with valid annotations', ingressRule(allow({ metadata: { annotations: { foo: 'bar' } } })), true],
  ['should reject Rule with invalid annotations', ingressRule(allow({ metadata: { annotations: { '...': 'bar' } } })), false],

  // GlobalNetworkPolicy.
  ['disallow name with invalid character', gnp({}, 't~!s.h.i.ng'), false],
  ['disallow name with mixed case characters', gnp({}, 'tHiNg'), false],
  ['allow valid name', gnp({}, 'thing'), true],
  ['disallow k8s policy name', gnp({}, 'knp.default.thing'), false],
  ['disallow name with dot', gnp({}, 't.h.i.ng'), false],
  ['should reject GlobalNetworkPolicy with both PreDNAT and DoNotTrack', gnp({ preDNAT: true, doNotTrack: true, applyOnForward: true }), false],
  ['should accept GlobalNetworkPolicy PreDNAT but not DoNotTrack', gnp({ preDNAT: true, applyOnForward: true }), true],
  ['should accept GlobalNetworkPolicy DoNotTrack but not PreDNAT', gnp({ preDNAT: false, doNotTrack: true, applyOnForward: true }), true],
  ['should reject pre-DNAT GlobalNetworkPolicy egress rules', gnp({ preDNAT: true, applyOnForward: true, egress: [{ action: 'Allow' }] }), false],
  ['should accept pre-DNAT GlobalNetworkPolicy ingress rules', gnp({ preDNAT: true, applyOnForward: true, ingress: [{ action: 'Allow' }] }), true],
  ['should accept GlobalNetworkPolicy ApplyOnForward but not PreDNAT', gnp({ preDNAT: false, applyOnForward: true }), true],
  ['should accept GlobalNetworkPolicy ApplyOnForward but not DoNotTrack', gnp({ doNotTrack: false, applyOnForward: true }), true],
  ['should accept GlobalNetworkPolicy ApplyOnForward and PreDNAT', gnp({ preDNAT: true, applyOnForward: true }), true],
  ['should accept GlobalNetworkPolicy ApplyOnForward and DoNotTrack', gnp({ doNotTrack: true, applyOnForward: true }), true],
  ['should accept GlobalNetworkPolicy no ApplyOnForward DoNotTrack PreDNAT', gnp({ preDNAT: false, doNotTrack: false, applyOnForward: false }), true],
  ['should reject GlobalNetworkPolicy PreDNAT but not ApplyOnForward', gnp({ preDNAT: true, applyOnForward: false }), false],
  ['should reject GlobalNetworkPolicy DoNotTrack but not ApplyOnForward', gnp({ doNotTrack: true, applyOnForward: false }), false],
  ['allow missing Types (gnp)', gnp({}), true],
  ['allow empty Types (gnp)', gnp({ types: [] }), true],
  ['allow ingress Types (gnp)', gnp({ types: ['Ingress'] }), true],
  ['allow egress Types (gnp)', gnp({ types: ['Egress'] }), true],
  ['allow ingress+egress Types (gnp)', gnp({ types: ['Ingress', 'Egress'] }), true],
  ['disallow repeated egress Types (gnp)', gnp({ types: ['Egress', 'Egress'] }), false],
  ['disallow unexpected value (gnp)', gnp({ types: ['unexpected'] }), false],
  ['allow Types without ingress when Ingress present (gnp)', gnp({ ingress: [allow()], types: ['Egress'] }), true],
  ['allow Types without egress when Egress present (gnp)', gnp({ egress: [allow()], types: ['Ingress'] }), true],
  ['allow Types with ingress when Ingress present (gnp)', gnp({ ingress: [allow()], types: ['Ingress'] }), true],
  ['allow Types with ingress+egress when Ingress present (gnp)', gnp({ ingress: [allow()], types: ['Ingress', 'Egress'] }), true],
  ['allow Types with egress when Egress present (gnp)', gnp({ egress: [allow()], types: ['Egress'] }), true],
  ['allow Types with ingress+egress when Egress present (gnp)', gnp({ egress: [allow()], types: ['Ingress', 'Egress'] }), true],
  ['allow ingress Types with pre-DNAT (gnp)', gnp({ preDNAT: true, applyOnForward: true, types: ['Ingress'] }), true],
  ['disallow egress Types with pre-DNAT (gnp)', gnp({ preDNAT: true, applyOnForward: true, types: ['Egress'] }), false],
  ['disallow ingress+egress Types with pre-DNAT (gnp)', gnp({ preDNAT: true, applyOnForward: true, types: ['Ingress', 'Egress'] }), false],
  ['disallow HTTP in egress rule (gnp)', gnp({ egress: [allow({ http: { methods: ['GET'] } })], types: ['Ingress', 'Egress'] }), false],
  ['disallow global() in namespaceSelector field (gnp)', gnp({ namespaceSelector: 'global()' }), false],
  ['disallow global() in selector field (gnp)', gnp({ selector: 'global()' }), false],
  ['disallow global() in serviceAccountSelector field (gnp)', gnp({ serviceAccountSelector: 'global()' }), false],
  ['disallow global() in EntityRule selector field (gnp)', gnp({ ingress: [allow({ source: { selector: 'global()' } })] }), false],
  ['allow global() and projectcalico.org/name in EntityRule namespaceSelector field (gnp)',
    gnp({ ingress: [allow({ source: { namespaceSelector: 'global()' }, destination: { namespaceSelector: "projectcalico.org/name == 'test'" } })] }), true],

  // NetworkPolicy.
  ['allow valid name (np)', np({}, 'thing'), true],
  ['disallow name with dot (np)', np({}, 't.h.i.ng'), false],
  ['disallow name with mixed case (np)', np({}, 'tHiNg'), false],
  ['allow valid name of 253 chars (np)', np({}, 'x'.repeat(253)), true],
  ['disallow a name of 254 chars (np)', np({}, 'x'.repeat(254)), false],
  ['allow k8s policy name (np)', np({}, 'knp.default.thing'), true],
  ['allow missing Types (np)', np({}), true],
  ['allow empty Types (np)', np({ types: [] }), true],
  ['allow ingress Types (np)', np({ types: ['Ingress'] }), true],
  ['allow egress Types (np)', np({ types: ['Egress'] }), true],
  ['allow ingress+egress Types (np)', np({ types: ['Ingress', 'Egress'] }), true],
  ['disallow repeated egress Types (np)', np({ types: ['Egress', 'Egress'] }), false],
  ['disallow unexpected value (np)', np({ types: ['unexpected'] }), false],
  ['allow Types without ingress when Ingress present', np({ ingress: [allow()], types: ['Egress'] }), true],
  ['allow Types without egress when Egress present', np({ egress: [allow()], types: ['Ingress'] }), true],
  ['allow Types with ingress when Ingress present', np({ ingress: [allow()], types: ['Ingress'] }), true],
  ['allow Types with ingress+egress when Ingress present', np({ ingress: [allow()], types: ['Ingress', 'Egress'] }), true],
  ['allow Types with egress when Egress present', np({ egress: [allow()], types: ['Egress'] }), true],
  ['allow Types with ingress+egress when Egress present', np({ egress: [allow()], types: ['Ingress', 'Egress'] }), true],
  ['disallow HTTP in egress rule (np)', np({ egress: [allow({ http: { methods: ['GET'] } })], types: ['Ingress', 'Egress'] }), false],
  ['disallow global() in selector field (np)', np({ selector: 'global()' }), false],
  ['disallow global() in serviceAccountSelector field (np)', np({ serviceAccountSelector: 'global()' }), false],
  ['allow global() and projectcalico.org/name in EntityRule namespaceSelector field (np)',
    np({ ingress: [allow({ source: { namespaceSelector: 'global()' }, destination: { namespaceSelector: "projectcalico.org/name == 'test'" } })] }), true],
  ['allow a Service match in an egress rule destination', np({ egress: [allow({ destination: { services: svc } })] }), true],
  ['disallow a Service match in an egress rule source', np({ egress: [allow({ source: { services: svc } })] }), false],
  ['allow a Service match in an ingress rule source', np({ ingress: [allow({ source: { services: svc } })] }), true],
  ['allow a Service match in an egress rule destination (upstream case named "disallow ... ingress rule destination")',
    np({ egress: [allow({ destination: { services: svc } })] }), true],
  ['disallow a Service match in an ingress rule destination', np({ ingress: [allow({ destination: { services: svc } })] }), false],
  ['disallow a Service match AND a ServiceAccount match',
    np({ ingress: [allow({ destination: { serviceAccounts: { names: ['serviceaccount'] }, services: svc } })] }), false],
  ['disallow a Service match AND a Ports match on an egress destination rule',
    np({ egress: [allow({ destination: { ports: [80], services: svc } })] }), false],
  ['disallow a Service match AND a NotPorts match on an egress destination rule',
    np({ egress: [allow({ destination: { notPorts: [80], services: svc } })] }), false],
  ['allow a Service match AND a Ports match specified on the source on an ingress source rule',
    np({ ingress: [allow({ protocol: 'TCP', source: { ports: [80], services: svc } })] }), true],
  ['allow a Service match AND a NotPorts match on an ingress source rule',
    np({ ingress: [allow({ protocol: 'TCP', source: { notPorts: [80], services: svc } })] }), true],
  ['disallow a Service match AND a Nets match', np({ ingress: [allow({ destination: { nets: ['10.0.0.0/8'], services: svc } })] }), false],
  ['disallow a Service match AND a NotNets match', np({ ingress: [allow({ destination: { notNets: ['10.0.0.0/8'], services: svc } })] }), false],
  ['disallow a Service match AND a Selector match', np({ ingress: [allow({ destination: { selector: "x == 'y'", services: svc } })] }), false],
  ['disallow a Service match AND a NotSelector match', np({ ingress: [allow({ destination: { notSelector: "x == 'y'", services: svc } })] }), false],
  ['disallow a Service match AND a NamespaceSelector match', np({ ingress: [allow({ destination: { namespaceSelector: "x == 'y'", services: svc } })] }), false],
  ['disallow a Service match in an ingress destination on a GNP (upstream "allow a Service match on a GNP")',
    gnp({ ingress: [allow({ destination: { services: svc } })] }), false],
  ['disallow a Service match without a namespace on a GNP', gnp({ egress: [allow({ destination: { services: { name: 'service1' } } })] }), false],
  ['disallow a Service match AND a NamespaceSelector match on a GNP',
    gnp({ ingress: [allow({ destination: { namespaceSelector: "x == 'y'", services: svc } })] }), false],

  // EntityRule and global().
  ['disallow global() in EntityRule selector field', sourceEntity({ selector: '  global()  ' }), false],
  ['allow global() in EntityRule namespaceSelector field', sourceEntity({ namespaceSelector: '  global()  ' }), true],
  ["disallow global() in EntityRule namespaceSelector field AND'd with other expressions", sourceEntity({ namespaceSelector: ' global() && all()' }), false],
  ["disallow global() in EntityRule namespaceSelector field OR'd other expressions", sourceEntity({ namespaceSelector: 'global()||all()' }), false],
  ['disallow bad selectors in EntityRule selector field', sourceEntity({ selector: 'global() && bad' }), false],
  // v3.28.5 checked the canonical text for `&& global()` / `global() &&` (and `||`), so it accepted
  // these; from v3.31 Calico tokenizes the text and wants global() as its only token.
  ['disallow a negated global() in EntityRule namespaceSelector (v3.28 allowed it)', sourceEntity({ namespaceSelector: '!global()' }), false],
  ['disallow a parenthesised global() in EntityRule namespaceSelector (v3.28 allowed it)', sourceEntity({ namespaceSelector: '(global())' }), false],
  ["disallow global() OR'd after a negation in EntityRule namespaceSelector (v3.28 allowed it)",
    sourceEntity({ namespaceSelector: 'has(a) || !global()' }), false],
  ['disallow "global(" inside a value of an EntityRule namespaceSelector (v3.28 allowed it)',
    sourceEntity({ namespaceSelector: 'name == "global()"' }), false],
  ['allow global( ) with a tab and spaces in EntityRule namespaceSelector', sourceEntity({ namespaceSelector: '\tglobal( ) ' }), true],

  // HTTP match.
  ['allow HTTP Path with permitted match clauses', ingressRule(allow({ http: { paths: [{ exact: '/foo' }, { prefix: '/bar' }] } })), true],
  ['disallow HTTP Path with both exact and prefix', ingressRule(allow({ http: { paths: [{ exact: '/foo', prefix: '/bar' }, { prefix: '/bar' }] } })), false],
  ['disallow HTTP Path with ?', ingressRule(allow({ http: { paths: [{ exact: '/fo?o' }] } })), false],
  ['disallow HTTP Path with a space', ingressRule(allow({ http: { paths: [{ exact: '/fo o' }] } })), false],
  ['disallow HTTP Path with #', ingressRule(allow({ http: { paths: [{ exact: '/f#oo' }] } })), false],
  ['disallow HTTP Path with #!?', ingressRule(allow({ http: { paths: [{ exact: '/fo#!?o' }] } })), false],
  ['disallow HTTP Path with empty match clauses', ingressRule(allow({ http: { paths: [{}] } })), false],
  ['disallow HTTP Method with duplicate match clause', ingressRule(allow({ http: { methods: ['GET', 'GET', 'Foo'] } })), false],
];

describe.each(EACH_LINE)('policy validation matches the upstream verdicts of %s', (_line, version) => {
  test.each(upstreamCases)('%s', (_name, manifest, valid) => {
    const found = messages(manifest, version);
    if (valid) {
      expect(found).toBe('');
    } else {
      expect(found).not.toBe('');
    }
  });
});

// Cases whose verdict differs between the lines: validator_test.go of each tag (the named-port
// cases are new in v3.32.1; the name cases follow names.ValidateTieredPolicyName of v3.31.7, which
// v3.32 dropped, and the v3.29+ name patterns that allow one '.').
const perLineCases: Array<[string, any, { 'v3.32': boolean; 'v3.31': boolean }]> = [
  ['should accept Rule with dest named ports and no protocol', ingressRule(allow({ destination: { ports: ['foo'] } })), { 'v3.32': true, 'v3.31': false }],
  ['should accept Rule with !source named ports and no protocol', ingressRule(allow({ source: { notPorts: ['foo'] } })), { 'v3.32': true, 'v3.31': false }],
  ['a named and a numbered port without protocol', ingressRule(allow({ destination: { ports: ['foo', 80] } })), { 'v3.32': false, 'v3.31': false }],
  ['allow name with single dot - tier (np, default tier)', np({}, 'th.ing'), { 'v3.32': true, 'v3.31': false }],
  ['a policy of tier eng named eng.thing', gnp({ tier: 'eng' }, 'eng.thing'), { 'v3.32': true, 'v3.31': true }],
  ['a policy of tier eng named thing', gnp({ tier: 'eng' }, 'thing'), { 'v3.32': true, 'v3.31': false }],
  ['a policy of tier eng named ops.thing', np({ tier: 'eng' }, 'ops.thing'), { 'v3.32': true, 'v3.31': false }],
  ['a default-tier policy named default.thing', gnp({}, 'default.thing'), { 'v3.32': true, 'v3.31': true }],
  ['a converted policy named knp.default.thing in tier eng', np({ tier: 'eng' }, 'knp.default.thing'), { 'v3.32': true, 'v3.31': true }],
];

describe.each(EACH_LINE)('policy verdicts that differ per line: %s', (line, version) => {
  test.each(perLineCases)('%s', (_name, manifest, verdicts) => {
    const found = messages(manifest, version);
    expect(found === '').toBe(verdicts[line as 'v3.32' | 'v3.31']);
  });
});

describe('policy names', () => {
  // v3.28 refused any '.' in a GlobalNetworkPolicy name; from v3.29 one '.' (after the tier) is allowed.
  test('reports a GlobalNetworkPolicy name with two dots once, at metadata.name', () => {
    const issues = validateManifest(gnp({}, 'a.b.c'));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('metadata.name');
    expect(issues[0].message).toContain("'a.b.c' has more than one '.'");
    expect(issues[0].message).toContain("'a-b-c'");
  });

  test('v3.31: names the tier a policy of another tier must start with', () => {
    expect(validateManifest(gnp({ tier: 'security' }, 'allow-dns'), CalicoVersion.V3_31_7)).toEqual([{
      path: 'metadata.name',
      message: expect.stringContaining("must start with its tier in Calico v3.31: name it 'security.allow-dns'"),
    }]);
    expect(validateManifest(gnp({ tier: 'security' }, 'allow-dns'))).toEqual([]);
  });

  test('v3.31: a dotted name in the default tier names a tier that is not its own', () => {
    expect(validateManifest(np({}, 'security.allow-dns'), CalicoVersion.V3_31_7)[0].message)
      .toContain("starts with 'security', but its tier is 'default'");
  });

  test('checks the tier field: a tier name has no dots', () => {
    expect(paths(gnp({ tier: 'a.b' }))).toEqual(['spec.tier']);
    expect(paths(gnp({ tier: 'Bad_Tier' }))).toEqual(['spec.tier']);
    expect(paths(gnp({ tier: 'security' }))).toEqual([]);
  });

  test('accepts an ossg.default. NetworkPolicy name, as Calico does for converted policies', () => {
    expect(paths(np({}, 'ossg.default.my.policy'))).toEqual([]);
  });

  test('rejects a knp.default. prefix with an invalid remainder', () => {
    expect(paths(np({}, 'knp.default.'))).toEqual(['metadata.name']);
  });

  test('accepts a 253-character GlobalNetworkPolicy name without dots', () => {
    expect(paths(gnp({}, 'a'.repeat(253)))).toEqual([]);
  });
});

describe('rule paths and messages', () => {
  test('points at the exact port that is invalid', () => {
    const m = gnp({ ingress: [allow({ protocol: 'TCP', destination: { ports: [80, 70000] } })] });
    const issues = validateManifest(m);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('spec.ingress[0].destination.ports[1]');
    expect(issues[0].message).toMatch(/port 70000 .*1 to 65535/);
  });

  test('names the field and the fix when ports have no protocol (v3.31: any port)', () => {
    const issues = validateManifest(gnp({ egress: [allow({ destination: { ports: [53] } })] }), CalicoVersion.V3_31_7);
    expect(issues).toEqual([{
      path: 'spec.egress[0].destination.ports',
      message: expect.stringMatching(/destination\.ports needs protocol TCP, UDP or SCTP, but the rule has no protocol; add protocol: TCP/),
    }]);
  });

  test('names the field and the fix when port numbers have no protocol (v3.32: named ports need none)', () => {
    const issues = validateManifest(gnp({ egress: [allow({ destination: { ports: ['dns', 53] } })] }));
    expect(issues).toEqual([{
      path: 'spec.egress[0].destination.ports',
      message: expect.stringContaining('destination.ports needs protocol TCP, UDP or SCTP for its port numbers and ranges (only named ports may go without), but the rule has no protocol'),
    }]);
  });

  test('refuses a catch-all notNets, which makes a rule match nothing (both lines)', () => {
    for (const net of ['0.0.0.0/0', '::/0']) {
      expect(paths(ingressRule(allow({ source: { notNets: [net] } })))).toEqual(['spec.ingress[0].source.notNets[0]']);
      expect(paths(ingressRule(allow({ source: { nets: [net] } })))).toEqual([]);
    }
  });

  test('reports ports on a protocol without ports, quoting the protocol', () => {
    const issues = validateManifest(gnp({ ingress: [allow({ protocol: 'UDPLite', source: { ports: [1] } })] }));
    expect(issues.map(i => i.path)).toEqual(['spec.ingress[0].source.ports']);
    expect(issues[0].message).toContain("protocol 'UDPLite' has no ports");
  });

  test('suggests the canonical case for a lower-case protocol', () => {
    const issues = validateManifest(gnp({ ingress: [allow({ protocol: 'tcp' })] }));
    expect(issues).toEqual([{ path: 'spec.ingress[0].protocol', message: expect.stringContaining("write 'TCP'") }]);
  });

  test('suggests the canonical case for a lower-case action', () => {
    const issues = validateManifest(gnp({ ingress: [{ action: 'allow' }] }));
    expect(issues).toEqual([{ path: 'spec.ingress[0].action', message: expect.stringContaining("write 'Allow'") }]);
  });

  test('accepts port ranges and named ports as strings', () => {
    expect(paths(gnp({ ingress: [allow({ protocol: 'TCP', destination: { ports: ['8080:8090', 'http', '443', 22] } })] }))).toEqual([]);
  });

  test.each([
    ['Http', 'upper case'],
    ['my_port', 'underscore'],
    ['a-very-long-port-name', 'more than 15 characters'],
    ['123', 'all digits (a number)'],
    ['a--b', 'double hyphen'],
  ])('rejects the named port %s (%s) unless it is a number', (name, _why) => {
    const issues = paths(gnp({ ingress: [allow({ protocol: 'TCP', destination: { ports: [name] } })] }));
    expect(issues).toEqual(name === '123' ? [] : ['spec.ingress[0].destination.ports[0]']);
  });

  test('rejects a single address in rule nets: Calico needs a prefix length there', () => {
    const issues = validateManifest(gnp({ ingress: [allow({ source: { nets: ['10.0.0.1'] } })] }));
    expect(issues).toEqual([{ path: 'spec.ingress[0].source.nets[0]', message: expect.stringContaining("'10.0.0.1/32'") }]);
  });

  test('rejects rule nets with host bits set and names the network address', () => {
    const issues = validateManifest(gnp({ ingress: [allow({ source: { nets: ['1.2.3.4/24'] } })] }));
    expect(issues).toEqual([{ path: 'spec.ingress[0].source.nets[0]', message: expect.stringContaining("'1.2.3.0/24'") }]);
  });

  test('reports mixed IP versions at the field that introduces the second version', () => {
    const m = gnp({ ingress: [allow({ source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['fd00::/64'] } })] });
    expect(paths(m)).toEqual(['spec.ingress[0].destination.notNets']);
  });

  test('requires a name on a service match', () => {
    expect(paths(np({ egress: [allow({ destination: { services: { namespace: 'default' } } })] })))
      .toEqual(['spec.egress[0].destination.services.name']);
  });

  test('requires the service namespace on an ingress source in a GlobalNetworkPolicy', () => {
    expect(paths(gnp({ ingress: [allow({ source: { services: { name: 'kube-dns' } } })] })))
      .toEqual(['spec.ingress[0].source.services.namespace']);
  });

  test('accepts a service match without a namespace in a NetworkPolicy', () => {
    expect(paths(np({ egress: [allow({ destination: { services: { name: 'kube-dns' } } })] }))).toEqual([]);
  });

  test('rejects an icmp match on a numeric ICMP protocol, as Calico compares names', () => {
    expect(paths(gnp({ ingress: [allow({ protocol: 1, icmp: { type: 8 } })] }))).toEqual(['spec.ingress[0].icmp']);
  });

  test('rejects an http match with numeric protocol 6, as Calico compares names', () => {
    expect(paths(gnp({ ingress: [allow({ protocol: 6, http: { methods: ['GET'] } })] }))).toEqual(['spec.ingress[0].protocol']);
  });

  test('validates service-account selectors', () => {
    expect(paths(gnp({ ingress: [allow({ source: { serviceAccounts: { selector: 'a ==' } } })] })))
      .toEqual(['spec.ingress[0].source.serviceAccounts.selector']);
  });

  test('rejects a policy selector that does not parse', () => {
    const issues = validateManifest(gnp({ selector: 'role = "db"' }));
    expect(issues.map(i => i.path)).toEqual(['spec.selector']);
    expect(issues[0].message).toContain('\'role = "db"\' is not a valid selector');
  });
});

describe('policy spec fields', () => {
  test('reports an unknown spec field with a suggestion', () => {
    const issues = validateManifest(gnp({ selecter: 'all()' }));
    expect(issues).toEqual([{ path: 'spec.selecter', message: expect.stringContaining("did you mean 'selector'?") }]);
  });

  test('reports GlobalNetworkPolicy-only fields on a NetworkPolicy', () => {
    expect(paths(np({ doNotTrack: true, namespaceSelector: 'all()' }))).toEqual(['spec.doNotTrack', 'spec.namespaceSelector']);
  });

  test('reports unknown fields in rules and entity rules', () => {
    expect(paths(gnp({ ingress: [allow({ destnation: {}, source: { port: [80] } })] })))
      .toEqual(['spec.ingress[0].destnation', 'spec.ingress[0].source.port']);
  });

  test('accepts the AssumeNeededOnEveryNode performance hint once', () => {
    expect(paths(gnp({ performanceHints: ['AssumeNeededOnEveryNode'] }))).toEqual([]);
    expect(paths(gnp({ performanceHints: ['AssumeNeededOnEveryNode', 'AssumeNeededOnEveryNode'] }))).toEqual(['spec.performanceHints[1]']);
    expect(paths(gnp({ performanceHints: ['Fast'] }))).toEqual(['spec.performanceHints[0]']);
  });

  test('accepts any numeric order, including fractions', () => {
    expect(paths(gnp({ order: 100.5 }))).toEqual([]);
    expect(paths(gnp({ order: '100' }))).toEqual(['spec.order']);
  });

  test('reports wrongly typed fields instead of crashing', () => {
    const m = gnp({ ingress: {}, egress: [null, 'Allow'], types: 'Ingress', doNotTrack: 'yes', selector: 7 });
    expect(paths(m)).toEqual(['spec.selector', 'spec.types', 'spec.ingress', 'spec.egress[0]', 'spec.egress[1]', 'spec.doNotTrack']);
  });

  test('accepts a full, realistic default-deny policy', () => {
    const m = gnp({
      order: 2000,
      namespaceSelector: 'has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "calico-system"}',
      types: ['Ingress', 'Egress'],
      egress: [
        { action: 'Allow', protocol: 'UDP', destination: { selector: 'k8s-app == "kube-dns"', ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { selector: 'k8s-app == "kube-dns"', ports: [53] } },
      ],
    }, 'default-deny');
    expect(messages(m)).toBe('');
  });
});

describe('robustness', () => {
  test('never throws and never reports an internal failure for arbitrary specs', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (spec, rule) => {
      for (const m of [gnp(spec), np(spec), gnp({ ingress: [rule], egress: [rule] }), np({ ingress: [{ action: 'Allow', source: rule, destination: rule }] })]) {
        const issues = validateManifest(m);
        expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('never throws for arbitrary JSON-shaped rules', () => {
    const json = fc.jsonValue();
    const ruleArb = fc.record({
      action: fc.oneof(fc.constantFrom('Allow', 'Deny', 'Pass', 'Log'), json),
      protocol: fc.oneof(fc.constantFrom('TCP', 'UDP', 'ICMP', 6, 0, '0'), json),
      icmp: fc.oneof(fc.record({ type: json, code: json }), json),
      source: fc.oneof(fc.record({ ports: fc.array(json), nets: fc.array(json), services: json, selector: json }), json),
      destination: fc.oneof(fc.record({ ports: fc.array(json), notNets: fc.array(json), namespaceSelector: json }), json),
      http: fc.oneof(fc.record({ methods: json, paths: fc.array(json) }), json),
    }, { requiredKeys: [] });
    fc.assert(fc.property(ruleArb, (rule) => {
      const issues = validateManifest(gnp({ ingress: [rule] }));
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }), { numRuns: 500 });
  });
});

describe('policy names in crd.projectcalico.org/v1 (storage) form', () => {
  test('accepts the default. prefix Calico stores default-tier policies under', () => {
    const m = { ...gnp({}, 'default.allow-dns'), apiVersion: 'crd.projectcalico.org/v1' };
    expect(paths(m)).toEqual([]);
  });
  // v3.28 refused 'default.allow-dns' in projectcalico.org/v3 form; v3.29+ accept one '.', and
  // v3.31's tier rule accepts the default tier's own prefix.
  test.each(EACH_LINE)('%s: accepts default.<name> in projectcalico.org/v3 form too', (_line, version) => {
    expect(validateManifest(gnp({}, 'default.allow-dns'), version)).toEqual([]);
  });
});
