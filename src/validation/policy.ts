// Validation of GlobalNetworkPolicy and NetworkPolicy (Calico v3.28): policy names, the spec
// fields, and every rule with its entity rules, ports, protocols, ICMP, HTTP, service and
// service-account matches. Importing this module registers both kinds.
import { PolicyType } from '../language/rule';
import { parseCidr } from '../net/address';
import {
  checkAction, checkAnnotations, checkIcmpFields, checkKnownFields, checkNameFormat, checkPort,
  checkProtocol, checkSelectorField, DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN, GLOBAL_SELECTOR,
  isProtocolName, isResourceName, MAX_NAME_LENGTH, POLICY_TYPES, Protocol, protocolSupportsPorts,
  readArray, readBoolean, readInteger, readNumber, readObject, readString, readStringList, typeIssue,
} from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { registerKind } from './registry';

/** Spec fields of a GlobalNetworkPolicy (CRD v3.28.5). */
export const GLOBAL_NETWORK_POLICY_SPEC_FIELDS: readonly string[] = [
  'order', 'ingress', 'egress', 'selector', 'types', 'doNotTrack', 'preDNAT', 'applyOnForward',
  'serviceAccountSelector', 'namespaceSelector', 'performanceHints',
];

/** Spec fields of a NetworkPolicy (CRD v3.28.5). */
export const NETWORK_POLICY_SPEC_FIELDS: readonly string[] = [
  'order', 'ingress', 'egress', 'selector', 'types', 'serviceAccountSelector', 'performanceHints',
];

/** Fields of a rule. */
export const RULE_FIELDS: readonly string[] = [
  'action', 'ipVersion', 'protocol', 'icmp', 'notProtocol', 'notICMP', 'source', 'destination', 'http', 'metadata',
];

/** Fields of an entity rule (a rule's source or destination). */
export const ENTITY_RULE_FIELDS: readonly string[] = [
  'nets', 'selector', 'namespaceSelector', 'services', 'ports', 'notNets', 'notSelector', 'notPorts', 'serviceAccounts',
];

/** Fields of a service match. */
export const SERVICE_MATCH_FIELDS: readonly string[] = ['name', 'namespace'];
/** Fields of a service-account match. */
export const SERVICE_ACCOUNT_MATCH_FIELDS: readonly string[] = ['names', 'selector'];
/** Fields of an HTTP match. */
export const HTTP_MATCH_FIELDS: readonly string[] = ['methods', 'paths'];
/** Fields of an HTTP path match. */
export const HTTP_PATH_FIELDS: readonly string[] = ['exact', 'prefix'];
/** Fields of a rule's metadata. */
export const RULE_METADATA_FIELDS: readonly string[] = ['annotations'];

/** The performance hints Calico knows. */
export const PERFORMANCE_HINTS: readonly string[] = ['AssumeNeededOnEveryNode'];

// Calico v3.28 policy names: a GlobalNetworkPolicy name is a single DNS label (no dots); a
// NetworkPolicy name is a single DNS label, or a subdomain prefixed with 'knp.default.' or
// 'ossg.default.' (the names Calico gives to converted Kubernetes policies).
const GLOBAL_POLICY_NAME_RE = new RegExp(`^${DNS_LABEL_PATTERN}$`);
const POLICY_NAME_RE = new RegExp(`^(${DNS_LABEL_PATTERN}|(knp|ossg)\\.default\\.${DNS_SUBDOMAIN_PATTERN})$`);
const LONE_GLOBAL_RE = /^\s*global\(\s*\)\s*$/;

/** Where a rule sits: which kind of policy, and which rule list. */
export interface PolicyContext {
  /** GlobalNetworkPolicy (true) or NetworkPolicy (false). */
  readonly global: boolean;
  /** The rule list the rule is in. */
  readonly direction: 'ingress' | 'egress';
}

registerKind('GlobalNetworkPolicy', (m, c) => validatePolicy(m, c, true));
registerKind('NetworkPolicy', (m, c) => validatePolicy(m, c, false));

function validatePolicy(m: Record<string, any>, c: IssueCollector, global: boolean): void {
  const kind = global ? 'GlobalNetworkPolicy' : 'NetworkPolicy';
  checkPolicyName(storedPolicyName(m), kind, global, c);

  if (m.spec === undefined || m.spec === null) return;
  if (!isObject(m.spec)) {
    typeIssue(c, 'spec', 'an object', m.spec);
    return;
  }
  const spec = m.spec;
  const path = 'spec';
  checkKnownFields(spec, global ? GLOBAL_NETWORK_POLICY_SPEC_FIELDS : NETWORK_POLICY_SPEC_FIELDS, path, c, `a ${kind} spec`);

  readNumber(spec, 'order', path, c);
  for (const key of global ? ['selector', 'serviceAccountSelector', 'namespaceSelector'] : ['selector', 'serviceAccountSelector']) {
    const s = checkSelectorField(spec, key, path, c);
    if (s !== undefined && s.includes(GLOBAL_SELECTOR)) {
      c.add(at(path, key), `${key} ${q(s)} uses global(), which is only allowed in a rule's source or destination namespaceSelector; select endpoints with labels instead`);
    }
  }
  const types = checkTypes(spec, path, c);
  checkPerformanceHints(spec, path, c);

  const ingress = readRules(spec, 'ingress', path, c);
  const egress = readRules(spec, 'egress', path, c);
  for (const r of ingress) checkRule(r.rule, r.path, c, { global, direction: 'ingress' });
  for (const r of egress) checkRule(r.rule, r.path, c, { global, direction: 'egress' });

  if (global) {
    const doNotTrack = readBoolean(spec, 'doNotTrack', path, c) ?? false;
    const preDNAT = readBoolean(spec, 'preDNAT', path, c) ?? false;
    const applyOnForward = readBoolean(spec, 'applyOnForward', path, c) ?? false;
    if (doNotTrack && preDNAT) {
      c.add(at(path, 'preDNAT'), 'preDNAT and doNotTrack cannot both be true; a policy is either untracked or pre-DNAT, so set one of them to false');
    }
    if (preDNAT && egress.length > 0) {
      c.add(at(path, 'egress'), `a preDNAT policy cannot have egress rules (it has ${egress.length}); move them to a separate policy without preDNAT`);
    }
    if (preDNAT && types.includes('Egress')) {
      c.add(at(path, 'types'), 'a preDNAT policy cannot have type \'Egress\'; use types: [Ingress]');
    }
    if (!applyOnForward && (doNotTrack || preDNAT)) {
      const which = doNotTrack ? 'doNotTrack' : 'preDNAT';
      c.add(at(path, 'applyOnForward'), `applyOnForward must be true when ${which} is true; set applyOnForward: true`);
    }
  }
}

/**
 * The v3 name of a policy. In crd.projectcalico.org/v1 (storage) form, Calico v3.28 stores
 * policies of the default tier as 'default.<name>' (Kubernetes-converted 'knp.'/'ossg.' names
 * unchanged), so the prefix is removed before the v3 name rules apply.
 */
function storedPolicyName(m: Record<string, any>): unknown {
  const name = m.metadata?.name;
  if (m.apiVersion === 'crd.projectcalico.org/v1' && typeof name === 'string' && name.startsWith('default.')) {
    return name.slice('default.'.length);
  }
  return name;
}

function checkPolicyName(name: unknown, kind: string, global: boolean, c: IssueCollector): void {
  // The generic name rules (format, length) are reported by validateMetadata; only add the
  // stricter policy rule for names that pass them, so one mistake gives one issue.
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !isResourceName(name)) return;
  if (global) {
    if (!GLOBAL_POLICY_NAME_RE.test(name)) {
      c.add('metadata.name', `${kind} name ${q(name)} must not contain '.'; use lower-case letters, digits and '-' only (for example ${q(name.replace(/\./g, '-'))})`);
    }
  } else if (!POLICY_NAME_RE.test(name)) {
    c.add('metadata.name', `${kind} name ${q(name)} must not contain '.' (only Kubernetes-converted policies named 'knp.default.<name>' may); use lower-case letters, digits and '-' only (for example ${q(name.replace(/\./g, '-'))})`);
  }
}

function checkTypes(spec: Record<string, any>, path: string, c: IssueCollector): string[] {
  const types = readStringList(spec, 'types', path, c) ?? [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of types) {
    if (!POLICY_TYPES.includes(t.value)) {
      const fixed = POLICY_TYPES.find(p => p.toLowerCase() === t.value.toLowerCase());
      const fix = fixed ? `write '${fixed}' (types are case-sensitive)` : 'use Ingress or Egress';
      c.add(t.path, `policy type ${q(t.value)} is not valid; ${fix}`);
      continue;
    }
    if (seen.has(t.value)) {
      c.add(t.path, `policy type ${q(t.value)} is listed more than once; list each type once`);
    }
    seen.add(t.value);
    out.push(t.value);
  }
  return out;
}

function checkPerformanceHints(spec: Record<string, any>, path: string, c: IssueCollector): void {
  const hints = readStringList(spec, 'performanceHints', path, c) ?? [];
  const seen = new Set<string>();
  for (const h of hints) {
    if (!PERFORMANCE_HINTS.includes(h.value)) {
      c.add(h.path, `performance hint ${q(h.value)} is not known; the only hint is 'AssumeNeededOnEveryNode'`);
    } else if (seen.has(h.value)) {
      c.add(h.path, `performance hint ${q(h.value)} is listed more than once; list it once`);
    }
    seen.add(h.value);
  }
}

function readRules(spec: Record<string, any>, key: string, path: string, c: IssueCollector): Array<{ rule: Record<string, any>; path: string }> {
  const list = readArray(spec, key, path, c) ?? [];
  const out: Array<{ rule: Record<string, any>; path: string }> = [];
  list.forEach((r, i) => {
    const p = at(at(path, key), i);
    if (!isObject(r)) {
      typeIssue(c, p, 'a rule object with at least an action', r);
      return;
    }
    out.push({ rule: r, path: p });
  });
  return out;
}

/** What the rule checks need to know about one entity rule. */
interface EntityInfo {
  readonly portCount: number;
  readonly notPortCount: number;
  /** The services match, when present. */
  readonly services?: Record<string, any>;
  /** IP versions seen in each nets field, in Calico's scan order. */
  readonly nets: Array<{ path: string; field: string; v4: boolean; v6: boolean }>;
}

const EMPTY_ENTITY: EntityInfo = { portCount: 0, notPortCount: 0, nets: [] };

/**
 * Checks one rule of a GlobalNetworkPolicy or NetworkPolicy: its fields, then the cross-field
 * rules Calico enforces (ports need TCP/UDP/SCTP, ICMP needs an ICMP protocol and a matching
 * ipVersion, one IP version across all nets, HTTP only on Allow ingress rules, services only on
 * one side and without ports).
 */
export function checkRule(rule: Record<string, any>, path: string, c: IssueCollector, ctx: PolicyContext): void {
  checkKnownFields(rule, RULE_FIELDS, path, c, 'a rule');
  const action = checkAction(rule, path, c);

  const ipVersion = readInteger(rule, 'ipVersion', path, c);
  const validIpVersion = ipVersion === 4 || ipVersion === 6 ? ipVersion : undefined;
  if (ipVersion !== undefined && validIpVersion === undefined) {
    c.add(at(path, 'ipVersion'), `ipVersion ${ipVersion} is not an IP version; use 4 or 6, or leave it out to match both`);
  }

  const hasProtocol = rule.protocol !== undefined && rule.protocol !== null;
  const protocol = hasProtocol ? checkProtocol(rule.protocol, at(path, 'protocol'), c) : undefined;
  const notProtocol = rule.notProtocol !== undefined && rule.notProtocol !== null
    ? checkProtocol(rule.notProtocol, at(path, 'notProtocol'), c) : undefined;

  const icmp = readObject(rule, 'icmp', path, c);
  if (icmp) checkIcmpFields(icmp, at(path, 'icmp'), c);
  const notIcmp = readObject(rule, 'notICMP', path, c);
  if (notIcmp) checkIcmpFields(notIcmp, at(path, 'notICMP'), c);

  const sourceObj = readObject(rule, 'source', path, c);
  const destinationObj = readObject(rule, 'destination', path, c);
  const source = sourceObj ? checkEntityRule(sourceObj, at(path, 'source'), c) : EMPTY_ENTITY;
  const destination = destinationObj ? checkEntityRule(destinationObj, at(path, 'destination'), c) : EMPTY_ENTITY;

  const http = readObject(rule, 'http', path, c);
  if (http) checkHttpMatch(http, at(path, 'http'), c);

  const metadata = readObject(rule, 'metadata', path, c);
  if (metadata) {
    checkKnownFields(metadata, RULE_METADATA_FIELDS, at(path, 'metadata'), c, 'rule metadata');
    checkAnnotations(metadata.annotations, at(at(path, 'metadata'), 'annotations'), c);
  }

  // Ports only exist for TCP, UDP and SCTP.
  if (!protocolSupportsPorts(protocol)) {
    const why = !hasProtocol
      ? 'the rule has no protocol'
      : `protocol ${q(rule.protocol)} has no ports`;
    const sides: Array<[string, EntityInfo]> = [['source', source], ['destination', destination]];
    for (const [side, info] of sides) {
      if (info.portCount > 0) {
        c.add(at(at(path, side), 'ports'), `${side}.ports needs protocol TCP, UDP or SCTP, but ${why}; add protocol: TCP (or UDP/SCTP) to the rule`);
      }
      if (info.notPortCount > 0) {
        c.add(at(at(path, side), 'notPorts'), `${side}.notPorts needs protocol TCP, UDP or SCTP, but ${why}; add protocol: TCP (or UDP/SCTP) to the rule`);
      }
    }
  }

  // HTTP matches run in the application layer: TCP only, Allow only, ingress only.
  if (http && hasProtocol && !isProtocolName(protocol, 'TCP')) {
    c.add(at(path, 'protocol'), `protocol ${q(rule.protocol)} cannot be combined with an http match; set protocol: TCP or leave protocol out`);
  }
  if (http && action !== undefined && action !== 'Allow') {
    c.add(at(path, 'http'), `an http match is only valid on Allow rules, but the action is ${q(action)}; move the http match to an Allow rule`);
  }
  if (http && ctx.direction === 'egress') {
    c.add(at(path, 'http'), 'an http match is not allowed in egress rules; Calico applies HTTP matches to ingress traffic only, so move it to an ingress rule');
  }

  // ICMP matches need an ICMP protocol, and the ICMP protocol fixes the IP version.
  if (icmp && !isProtocolName(protocol, 'ICMP') && !isProtocolName(protocol, 'ICMPv6')) {
    const have = hasProtocol ? `protocol is ${q(rule.protocol)}` : 'the rule has no protocol';
    c.add(at(path, 'icmp'), `an icmp match needs protocol ICMP or ICMPv6 (written as a name), but ${have}; set protocol: ICMP (or ICMPv6)`);
  }
  checkIcmpIpVersion(protocol, notProtocol, validIpVersion, path, c);

  // One IP version across every nets field, matching ipVersion when set.
  checkNetVersions([...source.nets, ...destination.nets], validIpVersion, c);

  // Service matches: which side may use them, and never with destination ports.
  if (destination.services && destination.portCount > 0) {
    c.add(at(at(path, 'destination'), 'ports'), 'destination.ports cannot be combined with destination.services: the service\'s own ports are used; remove the ports');
  }
  if (destination.services && destination.notPortCount > 0) {
    c.add(at(at(path, 'destination'), 'notPorts'), 'destination.notPorts cannot be combined with destination.services: the service\'s own ports are used; remove the notPorts');
  }
  if (ctx.direction === 'egress' && source.services) {
    c.add(at(at(path, 'source'), 'services'), 'source.services is not allowed in an egress rule; match a service as the destination of an egress rule, or as the source of an ingress rule');
  }
  if (ctx.direction === 'ingress' && destination.services) {
    c.add(at(at(path, 'destination'), 'services'), 'destination.services is not allowed in an ingress rule; match a service as the source of an ingress rule, or as the destination of an egress rule');
  }
  if (ctx.global) {
    const side = ctx.direction === 'egress' ? destination : source;
    const sideName = ctx.direction === 'egress' ? 'destination' : 'source';
    if (side.services && !(typeof side.services.namespace === 'string' && side.services.namespace !== '')) {
      c.add(at(at(at(path, sideName), 'services'), 'namespace'), `${sideName}.services needs a namespace in a GlobalNetworkPolicy, which has no namespace of its own; set namespace to the service's namespace`);
    }
  }
}

function checkIcmpIpVersion(protocol: Protocol | undefined, notProtocol: Protocol | undefined, ipVersion: number | undefined,
  path: string, c: IssueCollector): void {
  if (ipVersion === undefined) return;
  const uses = (name: string) => isProtocolName(protocol, name) || isProtocolName(notProtocol, name);
  if (uses('ICMP') && ipVersion !== 4) {
    c.add(at(path, 'ipVersion'), `ipVersion ${ipVersion} does not match protocol ICMP, which is IPv4 only; set ipVersion: 4 (or use ICMPv6 for IPv6)`);
  }
  if (uses('ICMPv6') && ipVersion !== 6) {
    c.add(at(path, 'ipVersion'), `ipVersion ${ipVersion} does not match protocol ICMPv6, which is IPv6 only; set ipVersion: 6 (or use ICMP for IPv4)`);
  }
}

function checkNetVersions(fields: EntityInfo['nets'], ipVersion: number | undefined, c: IssueCollector): void {
  let seenV4 = false;
  let seenV6 = false;
  for (const f of fields) {
    if (ipVersion !== undefined && ((f.v4 && ipVersion !== 4) || (f.v6 && ipVersion !== 6))) {
      c.add(f.path, `${f.field} has ${f.v4 ? 'IPv4' : 'IPv6'} CIDRs but the rule's ipVersion is ${ipVersion}; make them agree`);
    }
    if ((f.v4 && f.v6) || (f.v4 && seenV6) || (f.v6 && seenV4)) {
      c.add(f.path, `${f.field} makes the rule mix IPv4 and IPv6 CIDRs; a rule matches one IP version, so split it into an IPv4 rule and an IPv6 rule`);
    }
    seenV4 = seenV4 || f.v4;
    seenV6 = seenV6 || f.v6;
  }
}

/** Checks a rule's source or destination. */
function checkEntityRule(er: Record<string, any>, path: string, c: IssueCollector): EntityInfo {
  const side = path.slice(path.lastIndexOf('.') + 1);
  checkKnownFields(er, ENTITY_RULE_FIELDS, path, c, `a rule ${side}`);

  const nets: EntityInfo['nets'] = [];
  for (const key of ['nets', 'notNets']) {
    const list = readStringList(er, key, path, c) ?? [];
    let v4 = false;
    let v6 = false;
    for (const entry of list) {
      const version = checkRuleNet(entry.value, entry.path, `${side}.${key}`, c);
      if (version === 4) v4 = true;
      if (version === 6) v6 = true;
    }
    nets.push({ path: at(path, key), field: `${side}.${key}`, v4, v6 });
  }

  const selector = checkSelectorField(er, 'selector', path, c);
  const namespaceSelector = checkSelectorField(er, 'namespaceSelector', path, c);
  const notSelector = checkSelectorField(er, 'notSelector', path, c);
  if (selector !== undefined && selector.includes(GLOBAL_SELECTOR)) {
    c.add(at(path, 'selector'), `selector ${q(selector)} uses global(), which is only allowed in namespaceSelector; move it to ${side}.namespaceSelector`);
  }
  if (namespaceSelector !== undefined && namespaceSelector.includes('global(') && !LONE_GLOBAL_RE.test(namespaceSelector)) {
    c.add(at(path, 'namespaceSelector'), `namespaceSelector ${q(namespaceSelector)} combines global() with other expressions; global() must be the whole namespaceSelector (put label conditions in ${side}.selector)`);
  }

  let portCount = 0;
  let notPortCount = 0;
  for (const key of ['ports', 'notPorts']) {
    const list = readArray(er, key, path, c) ?? [];
    list.forEach((p, i) => checkPort(p, at(at(path, key), i), c));
    if (key === 'ports') portCount = list.length;
    else notPortCount = list.length;
  }

  const serviceAccounts = readObject(er, 'serviceAccounts', path, c);
  if (serviceAccounts) {
    const saPath = at(path, 'serviceAccounts');
    checkKnownFields(serviceAccounts, SERVICE_ACCOUNT_MATCH_FIELDS, saPath, c, 'a service-account match');
    readStringList(serviceAccounts, 'names', saPath, c);
    checkSelectorField(serviceAccounts, 'selector', saPath, c);
  }

  const services = readObject(er, 'services', path, c);
  if (services) {
    const svcPath = at(path, 'services');
    checkKnownFields(services, SERVICE_MATCH_FIELDS, svcPath, c, 'a service match');
    const name = readString(services, 'name', svcPath, c);
    if (name === undefined || name === '') {
      c.add(at(svcPath, 'name'), `${side}.services needs the name of a Kubernetes Service; set name (and namespace)`);
    } else {
      checkNameFormat(name, at(svcPath, 'name'), c, 'service name');
    }
    const namespace = readString(services, 'namespace', svcPath, c);
    if (namespace) checkNameFormat(namespace, at(svcPath, 'namespace'), c, 'service namespace');

    const conflicts: string[] = [];
    if (namespaceSelector) conflicts.push('namespaceSelector');
    if (selector) conflicts.push('selector');
    if (notSelector) conflicts.push('notSelector');
    if (serviceAccounts) conflicts.push('serviceAccounts');
    if (Array.isArray(er.nets) && er.nets.length > 0) conflicts.push('nets');
    if (Array.isArray(er.notNets) && er.notNets.length > 0) conflicts.push('notNets');
    for (const f of conflicts) {
      c.add(at(path, f), `${side}.${f} cannot be combined with ${side}.services, which already selects the service's endpoints; remove ${f} or use a separate rule`);
    }
  }

  return { portCount, notPortCount, services, nets };
}

/**
 * Checks one entry of a rule's nets/notNets: a CIDR with a prefix length and no host bits set
 * (Calico rejects a bare address and '10.0.0.1/8' here). Returns its IP version when it parses.
 */
function checkRuleNet(value: string, path: string, field: string, c: IssueCollector): 4 | 6 | undefined {
  const cidr = value.includes('/') ? parseCidr(value) : undefined;
  if (!cidr) {
    const fix = value.includes('/') || value === ''
      ? 'write a CIDR such as \'10.0.0.0/8\' or \'fd00::/64\''
      : `add a prefix length, for example '${value}/${value.includes(':') ? 128 : 32}'`;
    c.add(path, `${field} entry ${q(value)} is not a CIDR; ${fix}`);
    return undefined;
  }
  if (!cidr.strict) {
    c.add(path, `${field} entry ${q(value)} has host bits set; use the network address '${cidr.text}'`);
  }
  // Calico still counts the entry's IP version for the rule's version checks.
  return cidr.version;
}

/** Checks an HTTP match: no repeated methods; each path sets exactly one of exact/prefix, starting with '/'. */
function checkHttpMatch(http: Record<string, any>, path: string, c: IssueCollector): void {
  checkKnownFields(http, HTTP_MATCH_FIELDS, path, c, 'an http match');
  const methods = readStringList(http, 'methods', path, c) ?? [];
  const seen = new Set<string>();
  for (const m of methods) {
    if (seen.has(m.value)) c.add(m.path, `HTTP method ${q(m.value)} is listed more than once; list each method once`);
    seen.add(m.value);
  }
  const paths = readArray(http, 'paths', path, c) ?? [];
  paths.forEach((entry, i) => {
    const p = at(at(path, 'paths'), i);
    if (!isObject(entry)) {
      typeIssue(c, p, 'an object with exact or prefix', entry);
      return;
    }
    checkKnownFields(entry, HTTP_PATH_FIELDS, p, c, 'an HTTP path match');
    const exact = readString(entry, 'exact', p, c) ?? '';
    const prefix = readString(entry, 'prefix', p, c) ?? '';
    if (exact !== '' && prefix !== '') {
      c.add(p, `an HTTP path match sets both exact ${q(exact)} and prefix ${q(prefix)}; set only one of them`);
      return;
    }
    const value = exact || prefix;
    if (value === '') {
      c.add(p, 'an HTTP path match needs exact or prefix; set one of them, for example prefix: /api');
      return;
    }
    const key = exact ? 'exact' : 'prefix';
    if (!value.startsWith('/') || /[? #]/.test(value)) {
      c.add(at(p, key), `HTTP path ${q(value)} is invalid: it must start with '/' and contain no '?', '#' or space; match the path only, for example '/api/v1'`);
    }
  });
}

/**
 * The policy types Calico fills in when `types` is empty: Ingress when there are no egress
 * rules (even with no ingress rules either), Egress when there are only egress rules, both
 * when there are both.
 */
export function derivePolicyTypes(ingressRules: number, egressRules: number): PolicyType[] {
  if (egressRules === 0) return [PolicyType.INGRESS];
  if (ingressRules === 0) return [PolicyType.EGRESS];
  return [PolicyType.INGRESS, PolicyType.EGRESS];
}
