// Validation of the Calico policy kinds: GlobalNetworkPolicy, NetworkPolicy and their staged
// forms (StagedGlobalNetworkPolicy, StagedNetworkPolicy): names per line (with the v3.31 rule that
// a policy of a tier other than default is named '<tier>.<name>'), the tier, the spec fields, and
// every rule with its entity rules, ports, protocols, ICMP, HTTP, service and service-account
// matches (libcalico-go's validateRule, validateEntityRule, validate(Global)NetworkPolicySpec and
// their staged forms). Importing this module registers the four kinds.
import { PolicyType } from '../language/rule';
import { parseCidr } from '../net/address';
import {
  checkAction, checkAnnotations, checkNameFormat, checkPort,
  checkProtocol, checkSelectorField, DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN, GLOBAL_SELECTOR, isDnsLabel,
  isProtocolName, isResourceName, MAX_NAME_LENGTH, POLICY_TYPES, Protocol, protocolSupportsPorts,
  readArray, readBoolean, readInteger, readNumber, readObject, readString, readStringList, typeIssue,
} from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { since } from './private/rule-changes';
import { registerKind } from './registry';

/** The performance hints Calico knows. */
export const PERFORMANCE_HINTS: readonly string[] = ['AssumeNeededOnEveryNode'];

/** What a staged policy does when it is enforced. */
export const STAGED_ACTIONS: readonly string[] = ['Set', 'Delete', 'Learn', 'Ignore'];

/** The tier of a policy that names none. */
export const DEFAULT_TIER = 'default';

// Policy names: a GlobalNetworkPolicy name is a DNS label, optionally after one '<label>.' (its
// tier); a NetworkPolicy name is the same, or a subdomain after 'knp.default.' or 'ossg.default.'
// (the names Calico gives to converted Kubernetes policies and OpenStack security groups).
const GLOBAL_POLICY_NAME_RE = new RegExp(`^(${DNS_LABEL_PATTERN}\\.)?${DNS_LABEL_PATTERN}$`);
const POLICY_NAME_RE = new RegExp(`^(${DNS_LABEL_PATTERN}(\\.${DNS_LABEL_PATTERN})?|(knp|ossg)\\.default\\.${DNS_SUBDOMAIN_PATTERN})$`);
/** Names Calico gives policies it converts, which the v3.31 tier-prefix rule leaves alone. */
const CONVERTED_POLICY_PREFIXES: readonly string[] = ['knp.default.', 'kanp.adminnetworkpolicy.', 'kbanp.baselineadminnetworkpolicy.', 'ossg.'];
// global() alone, with the selector tokenizer's whitespace (space and tab) around it: the only
// namespaceSelector holding "global(" that Calico v3.31 and v3.32 accept (validateEntityRule
// tokenizes it and wants exactly one global() token).
const LONE_GLOBAL_RE = /^[ \t]*global\([ \t]*\)[ \t]*$/;

/** Where a rule sits: which kind of policy, and which rule list. */
export interface PolicyContext {
  /** GlobalNetworkPolicy (true) or NetworkPolicy (false). */
  readonly global: boolean;
  /** The rule list the rule is in. */
  readonly direction: 'ingress' | 'egress';
}

/** A policy kind: cluster-wide or namespaced, enforced or staged. */
interface PolicyKind {
  readonly kind: string;
  readonly global: boolean;
  readonly staged: boolean;
}

for (const kind of [
  { kind: 'GlobalNetworkPolicy', global: true, staged: false },
  { kind: 'NetworkPolicy', global: false, staged: false },
  { kind: 'StagedGlobalNetworkPolicy', global: true, staged: true },
  { kind: 'StagedNetworkPolicy', global: false, staged: true },
]) {
  registerKind(kind.kind, (m, c) => validatePolicy(m, c, kind));
}

function validatePolicy(m: Record<string, any>, c: IssueCollector, k: PolicyKind): void {
  const spec = isObject(m.spec) ? m.spec : undefined;
  const tier = spec ? checkTier(spec, c) : DEFAULT_TIER;
  checkPolicyName(storedPolicyName(m, tier), k, tier, c);

  if (m.spec === undefined || m.spec === null) return;
  if (!spec) {
    typeIssue(c, 'spec', 'an object', m.spec);
    return;
  }
  if (k.staged && checkStagedAction(spec, c) === 'Delete') {
    checkStagedDelete(spec, ['tier', 'stagedAction', 'types'], c);
    return;
  }
  checkPolicySpec(spec, k.global, c);
}

function checkPolicySpec(spec: Record<string, any>, global: boolean, c: IssueCollector): void {
  const path = 'spec';
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

/** spec.tier: the name of a tier (a DNS label, as Tier names are); the default tier when absent or empty. */
function checkTier(spec: Record<string, any>, c: IssueCollector): string {
  const tier = readString(spec, 'tier', 'spec', c);
  if (!tier) return DEFAULT_TIER;
  if (!checkNameFormat(tier, 'spec.tier', c, 'tier')) return DEFAULT_TIER;
  if (!isDnsLabel(tier)) {
    c.add('spec.tier', `tier ${q(tier)} cannot name a tier: tier names have no '.' (they start policy names); use the name of an existing Tier`);
    return DEFAULT_TIER;
  }
  return tier;
}

/** spec.stagedAction: Set (the default), Delete, Learn or Ignore. */
function checkStagedAction(spec: Record<string, any>, c: IssueCollector): string {
  const action = readString(spec, 'stagedAction', 'spec', c);
  if (!action) return 'Set';
  if (!STAGED_ACTIONS.includes(action)) {
    const fixed = STAGED_ACTIONS.find(a => a.toLowerCase() === action.toLowerCase());
    c.add('spec.stagedAction', `stagedAction ${q(action)} is not one of ${STAGED_ACTIONS.join(', ')}; ${fixed ? `write '${fixed}' (case-sensitive)` : 'use Set to stage the policy, Delete to stage its removal'}`);
  }
  return action;
}

/**
 * A staged Delete carries only what names the policy to delete: every field but `kept` must be
 * unset (validateStaged(Global|Kubernetes)NetworkPolicy compare the rest with the zero value).
 */
export function checkStagedDelete(spec: Record<string, any>, kept: readonly string[], c: IssueCollector): void {
  for (const key of Object.keys(spec)) {
    const v = spec[key];
    const zero = v === undefined || v === null || v === '' || v === false || (isObject(v) && Object.keys(v).length === 0);
    if (kept.includes(key) || zero) continue;
    c.add(at('spec', key), `${key} cannot be set when stagedAction is Delete: a staged delete carries only ${kept.filter(k => k !== 'types').join(' and ')}; remove ${key}`);
  }
}

/**
 * The v3 name of a policy. In crd.projectcalico.org/v1 (storage) form a policy of the default
 * tier may be stored as 'default.<name>' (v3.31 stores it so; v3.32 reads it back without the
 * prefix), so the prefix is removed before the v3 name rules apply.
 */
function storedPolicyName(m: Record<string, any>, tier: string): unknown {
  const name = m.metadata?.name;
  const prefix = `${DEFAULT_TIER}.`;
  if (m.apiVersion === 'crd.projectcalico.org/v1' && tier === DEFAULT_TIER && typeof name === 'string' && name.startsWith(prefix)) {
    return name.slice(prefix.length);
  }
  return name;
}

function checkPolicyName(name: unknown, k: PolicyKind, tier: string, c: IssueCollector): void {
  // The generic name rules (format, length) are reported by validateMetadata; only add the
  // stricter policy rule for names that pass them, so one mistake gives one issue.
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !isResourceName(name)) return;
  const suggestion = q(name.replace(/\./g, '-'));
  if (k.global && !GLOBAL_POLICY_NAME_RE.test(name)) {
    c.add('metadata.name', `${k.kind} name ${q(name)} has more than one '.'; use a DNS label, optionally after its tier and one '.' (for example ${suggestion})`);
    return;
  }
  if (!k.global && !POLICY_NAME_RE.test(name)) {
    c.add('metadata.name', `${k.kind} name ${q(name)} has more than one '.' (only converted Kubernetes policies named 'knp.default.<name>' may); `
      + `use a DNS label, optionally after its tier and one '.' (for example ${suggestion})`);
    return;
  }
  if (c.version._data.tierPrefixRequired) checkTierPrefix(name, k.kind, tier, c);
}

/** Calico v3.31 (names.ValidateTieredPolicyName): a policy of a tier other than default is named '<tier>.<name>'. */
function checkTierPrefix(name: string, kind: string, tier: string, c: IssueCollector): void {
  if (CONVERTED_POLICY_PREFIXES.some(p => name.startsWith(p))) return;
  const dot = name.indexOf('.');
  if (dot < 0 && tier === DEFAULT_TIER) return;
  if (dot >= 0 && name.startsWith(`${tier}.`)) return;
  const line = c.version.line;
  if (dot < 0) {
    c.add('metadata.name', `${kind} name ${q(name)} must start with its tier in Calico ${line}: name it ${q(`${tier}.${name}`)} `
      + '(a policy of a tier other than default is named \'<tier>.<name>\'; Calico v3.32 drops this rule)');
  } else {
    const prefix = name.slice(0, dot);
    c.add('metadata.name', `${kind} name ${q(name)} starts with ${q(prefix)}, but its tier is ${q(tier)}; in Calico ${line} the part before '.' `
      + `is the tier, so name it ${q(`${tier}.${name.slice(dot + 1)}`)} or set spec.tier: ${prefix}`);
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
  /** Entries of ports and of notPorts that are not port names (numbers, ranges, invalid entries). */
  readonly numberedPortCount: number;
  readonly numberedNotPortCount: number;
  /** The services match, when present. */
  readonly services?: Record<string, any>;
  /** IP versions seen in each nets field, in Calico's scan order. */
  readonly nets: Array<{ path: string; field: string; v4: boolean; v6: boolean }>;
}

const EMPTY_ENTITY: EntityInfo = { portCount: 0, notPortCount: 0, numberedPortCount: 0, numberedNotPortCount: 0, nets: [] };

/**
 * Checks one rule of a GlobalNetworkPolicy or NetworkPolicy: its fields, then the cross-field
 * rules Calico enforces (ports need TCP/UDP/SCTP, ICMP needs an ICMP protocol and a matching
 * ipVersion, one IP version across all nets, HTTP only on Allow ingress rules, services only on
 * one side and without ports).
 */
export function checkRule(rule: Record<string, any>, path: string, c: IssueCollector, ctx: PolicyContext): void {
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
    checkAnnotations(metadata.annotations, at(at(path, 'metadata'), 'annotations'), c);
  }

  // Ports only exist for TCP, UDP and SCTP. From v3.32 a rule without a protocol may match named
  // ports (a named port carries its protocol); numbers and ranges still need one.
  if (!protocolSupportsPorts(protocol)) {
    const namedSuffice = !hasProtocol && since(c, 'namedPortsWithoutProtocol');
    const why = !hasProtocol ? 'the rule has no protocol' : `protocol ${q(rule.protocol)} has no ports`;
    const which = namedSuffice ? ' for its port numbers and ranges (only named ports may go without)' : '';
    const sides: Array<[string, EntityInfo]> = [['source', source], ['destination', destination]];
    for (const [side, info] of sides) {
      for (const [key, all, numbered] of [['ports', info.portCount, info.numberedPortCount], ['notPorts', info.notPortCount, info.numberedNotPortCount]] as const) {
        if ((namedSuffice ? numbered : all) === 0) continue;
        c.add(at(at(path, side), key), `${side}.${key} needs protocol TCP, UDP or SCTP${which}, but ${why}; add protocol: TCP (or UDP/SCTP) to the rule`);
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

  const nets: EntityInfo['nets'] = [];
  for (const key of ['nets', 'notNets']) {
    const list = readStringList(er, key, path, c) ?? [];
    let v4 = false;
    let v6 = false;
    for (const entry of list) {
      const version = checkRuleNet(entry.value, entry.path, `${side}.${key}`, c);
      if (version === 4) v4 = true;
      if (version === 6) v6 = true;
      if (key === 'notNets' && isCatchAll(entry.value, version)) {
        c.add(entry.path, `${side}.notNets entry ${q(entry.value)} excludes every address, so the rule matches nothing; remove it (or the rule)`);
      }
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

  const counts = { ports: 0, notPorts: 0 };
  const numbered = { ports: 0, notPorts: 0 };
  for (const key of ['ports', 'notPorts'] as const) {
    const list = readArray(er, key, path, c) ?? [];
    list.forEach((p, i) => {
      if (checkPort(p, at(at(path, key), i), c)?.name === undefined) numbered[key]++;
    });
    counts[key] = list.length;
  }

  const serviceAccounts = readObject(er, 'serviceAccounts', path, c);
  if (serviceAccounts) {
    const saPath = at(path, 'serviceAccounts');
    readStringList(serviceAccounts, 'names', saPath, c);
    checkSelectorField(serviceAccounts, 'selector', saPath, c);
  }

  const services = readObject(er, 'services', path, c);
  if (services) {
    const svcPath = at(path, 'services');
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

  return { portCount: counts.ports, notPortCount: counts.notPorts, numberedPortCount: numbered.ports, numberedNotPortCount: numbered.notPorts, services, nets };
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

/** Whether a net is the whole IPv4 space (written '0.0.0.0/0', as Calico compares it) or the whole IPv6 space. */
function isCatchAll(value: string, version: 4 | 6 | undefined): boolean {
  if (version === 4) return value === '0.0.0.0/0';
  return version === 6 && parseCidr(value)?.prefix === 0;
}

/** Checks an HTTP match: no repeated methods; each path sets exactly one of exact/prefix, starting with '/'. */
function checkHttpMatch(http: Record<string, any>, path: string, c: IssueCollector): void {
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

/**
 * Checks an ICMP match (`icmp` or `notICMP`): type 0-254, code 0-255, and a code only together
 * with a type (a kernel limitation).
 */
function checkIcmpFields(icmp: Record<string, any>, path: string, c: IssueCollector): void {
  const type = readInteger(icmp, 'type', path, c);
  const code = readInteger(icmp, 'code', path, c);
  if (type !== undefined && (type < 0 || type > 254)) {
    c.add(at(path, 'type'), `ICMP type ${type} is out of range; use a value from 0 to 254 (for example 8 for echo request)`);
  }
  if (code !== undefined && (code < 0 || code > 255)) {
    c.add(at(path, 'code'), `ICMP code ${code} is out of range; use a value from 0 to 255`);
  }
  const hasCode = icmp.code !== undefined && icmp.code !== null;
  const hasType = icmp.type !== undefined && icmp.type !== null;
  if (hasCode && !hasType) {
    c.add(at(path, 'code'), `ICMP code ${q(icmp.code)} is set without an ICMP type; set type as well (the kernel matches a code only within a type)`);
  }
}
