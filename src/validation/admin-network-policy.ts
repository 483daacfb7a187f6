// Validation of the Kubernetes network policy kinds Calico enforces (policy.networking.k8s.io, the
// network-policy-api project): ClusterNetworkPolicy (v1alpha2, Calico v3.32) and AdminNetworkPolicy
// and BaselineAdminNetworkPolicy (v1alpha1, Calico v3.31). The API server checks them against the
// CRDs Calico bundles (reference-data/calico/<tag>/crds.yaml); this module mirrors those schemas
// (required fields, enums, ranges, list lengths, one-of peers and ports) and their
// x-kubernetes-validations rules, so a construct fails where the value arrives and lint reports what
// `kubectl apply` would refuse. Which line has which kind is data (calico-lines.ts).
import { CalicoVersion } from '../core/calico-version';
import { parseCidr } from '../net/address';
import { checkKnownFields, jsonType, readArray, typeIssue } from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { validateMetadata } from './metadata';

/** The API group of the Kubernetes network policy kinds. */
export const ADMIN_POLICY_GROUP = 'policy.networking.k8s.io';

/** What differs between the kinds (and their two API versions). */
interface Dialect {
  readonly kind: string;
  readonly apiVersion: string;
  readonly actions: readonly string[];
  /** Most rules per direction, most peers per rule, most ports per rule. */
  readonly maxRules: number;
  readonly maxPeers: number;
  readonly maxPorts: number;
  /** The ports field of a rule: `protocols` (v1alpha2) or `ports` (v1alpha1). */
  readonly portsField: 'protocols' | 'ports';
  readonly egressPeers: readonly string[];
  /** The fields a `pods` peer or subject must have. */
  readonly podsRequired: readonly string[];
  readonly hasPriority: boolean;
  readonly hasTier: boolean;
  /** The only name the kind may have (BaselineAdminNetworkPolicy: `default`). */
  readonly onlyName?: string;
}

const V1ALPHA1 = `${ADMIN_POLICY_GROUP}/v1alpha1`;
const V1ALPHA2 = `${ADMIN_POLICY_GROUP}/v1alpha2`;

const DIALECTS: ReadonlyMap<string, Dialect> = new Map([
  ['ClusterNetworkPolicy', {
    kind: 'ClusterNetworkPolicy', apiVersion: V1ALPHA2, actions: ['Accept', 'Deny', 'Pass'], maxRules: 25, maxPeers: 25, maxPorts: 25,
    portsField: 'protocols', egressPeers: ['namespaces', 'pods', 'networks'], podsRequired: ['podSelector'], hasPriority: true, hasTier: true,
  }],
  ['AdminNetworkPolicy', {
    kind: 'AdminNetworkPolicy', apiVersion: V1ALPHA1, actions: ['Allow', 'Deny', 'Pass'], maxRules: 100, maxPeers: 100, maxPorts: 100,
    portsField: 'ports', egressPeers: ['namespaces', 'pods', 'networks', 'nodes'], podsRequired: ['namespaceSelector', 'podSelector'],
    hasPriority: true, hasTier: false,
  }],
  ['BaselineAdminNetworkPolicy', {
    kind: 'BaselineAdminNetworkPolicy', apiVersion: V1ALPHA1, actions: ['Allow', 'Deny'], maxRules: 100, maxPeers: 100, maxPorts: 100,
    portsField: 'ports', egressPeers: ['namespaces', 'pods', 'networks', 'nodes'], podsRequired: ['namespaceSelector', 'podSelector'],
    hasPriority: false, hasTier: false, onlyName: 'default',
  }],
]);

/** The Kubernetes network policy kinds the library validates, in alphabetical order. */
export const ADMIN_POLICY_KINDS: readonly string[] = [...DIALECTS.keys()].sort();

/** The tiers of a ClusterNetworkPolicy. */
export const CLUSTER_NETWORK_POLICY_TIERS: readonly string[] = ['Admin', 'Baseline'];
/** The priority range of a ClusterNetworkPolicy and an AdminNetworkPolicy. */
export const MIN_ADMIN_PRIORITY = 0;
export const MAX_ADMIN_PRIORITY = 1000;
/** Longest rule name, and longest CIDR text of a `networks` peer. */
const MAX_RULE_NAME = 100;
const MAX_NETWORK_TEXT = 43;
const MAX_NETWORKS = 25;
const MAX_PORT = 65535;

/** Whether a manifest is of the policy.networking.k8s.io group (any kind). */
export function isAdminPolicyManifest(m: unknown): boolean {
  return isObject(m) && typeof m.apiVersion === 'string' && m.apiVersion.startsWith(`${ADMIN_POLICY_GROUP}/`);
}

/**
 * Why `kind` cannot be used on the line of `version` (`kind X is not in Calico v3.31; Calico v3.32
 * has it`), or undefined when the line has it.
 */
export function adminPolicyKindNote(kind: string, version: CalicoVersion): string | undefined {
  if (version._data.kubernetesPolicyKinds[kind] !== undefined) return undefined;
  const lines = CalicoVersion._lineReferences().filter(v => v._data.kubernetesPolicyKinds[kind] !== undefined);
  const others = Object.keys(version._data.kubernetesPolicyKinds);
  const instead = others.length ? `; on ${version.line} use ${others.join(' or ')}` : '';
  const has = lines.length ? `Calico ${lines.map(l => l.line).join(' and ')} has it (CalicoVersion.${lines.map(l => constantOf(l.tag)).join(', CalicoVersion.')})` : 'no supported line has it';
  return `kind ${kind} is not in Calico ${version.line}: ${has}${instead}`;
}

function constantOf(tag: string): string {
  return `V${tag.slice(1).replace(/\./g, '_')}`;
}

/**
 * Validates a policy.networking.k8s.io manifest for the chosen line: the kind exists on the line
 * and in this API version, the metadata, and the spec against the kind's CRD schema and rules.
 */
export function validateAdminPolicy(m: Record<string, any>, c: IssueCollector): void {
  const kind = m.kind;
  const dialect = typeof kind === 'string' ? DIALECTS.get(kind) : undefined;
  if (!dialect) {
    c.add('kind', `kind ${q(kind)} is not a ${ADMIN_POLICY_GROUP} kind this library validates; use one of ${ADMIN_POLICY_KINDS.join(', ')}`);
    return;
  }
  const note = adminPolicyKindNote(dialect.kind, c.version);
  if (note !== undefined) {
    c.add('kind', note);
    return;
  }
  if (m.apiVersion !== dialect.apiVersion) {
    c.add('apiVersion', `apiVersion ${q(m.apiVersion)} is not served for ${dialect.kind} by the CRD Calico ${c.version.line} installs; use '${dialect.apiVersion}'`);
  }
  checkKnownFields(m, ['apiVersion', 'kind', 'metadata', 'spec', 'status'], '', c, 'the manifest');
  if (!isObject(m.metadata)) {
    c.add('metadata', `metadata must be an object with at least a name, got ${q(m.metadata)}`);
  } else {
    validateMetadata(m, c);
    const name = m.metadata.name;
    if (dialect.onlyName !== undefined && typeof name === 'string' && name !== dialect.onlyName) {
      c.add('metadata.name', `${dialect.kind} name ${q(name)}: only one ${dialect.kind} can exist and it must be named '${dialect.onlyName}' (the CRD's rule self.metadata.name == '${dialect.onlyName}'); name it '${dialect.onlyName}'`);
    }
  }
  if (!isObject(m.spec)) {
    if (m.spec === undefined || m.spec === null) c.add('spec', `spec is required: a ${dialect.kind} needs at least a subject`);
    else typeIssue(c, 'spec', 'an object', m.spec);
    return;
  }
  checkSpec(m.spec, dialect, c);
}

function checkSpec(spec: Record<string, any>, d: Dialect, c: IssueCollector): void {
  const fields = ['subject', 'ingress', 'egress', ...(d.hasPriority ? ['priority'] : []), ...(d.hasTier ? ['tier'] : [])];
  checkKnownFields(spec, fields, 'spec', c, `a ${d.kind} spec`);
  if (d.hasTier) {
    const tier = spec.tier;
    if (tier === undefined || tier === null) c.add('spec.tier', `spec.tier is required: set it to ${CLUSTER_NETWORK_POLICY_TIERS.join(' or ')}`);
    else if (!CLUSTER_NETWORK_POLICY_TIERS.includes(tier)) c.add('spec.tier', `tier ${q(tier)} is not a ClusterNetworkPolicy tier; use ${CLUSTER_NETWORK_POLICY_TIERS.join(' or ')}`);
  }
  if (d.hasPriority) checkPriority(spec.priority, d, c);
  if (spec.subject === undefined || spec.subject === null) c.add('spec.subject', 'spec.subject is required: select namespaces or pods');
  else checkSubject(spec.subject, d, c);
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = readArray(spec, direction, 'spec', c);
    if (!rules) continue;
    const path = `spec.${direction}`;
    if (rules.length > d.maxRules) c.add(path, `${d.kind} has ${rules.length} ${direction} rules, more than the ${d.maxRules} its CRD allows; merge rules or split the policy`);
    rules.forEach((r, i) => checkRule(r, direction, at(path, i), d, c));
  }
}

function checkPriority(priority: unknown, d: Dialect, c: IssueCollector): void {
  const path = 'spec.priority';
  if (priority === undefined || priority === null) {
    c.add(path, `spec.priority is required: a number from ${MIN_ADMIN_PRIORITY} to ${MAX_ADMIN_PRIORITY} (lower numbers are evaluated first)`);
  } else if (typeof priority !== 'number' || !Number.isInteger(priority)) {
    typeIssue(c, path, 'an integer', priority);
  } else if (priority < MIN_ADMIN_PRIORITY || priority > MAX_ADMIN_PRIORITY) {
    c.add(path, `${d.kind} priority ${priority} is out of range; use ${MIN_ADMIN_PRIORITY} to ${MAX_ADMIN_PRIORITY} (lower numbers are evaluated first)`);
  }
}

/** Exactly one of the fields of `obj` is set (the CRD's minProperties 1, maxProperties 1). */
function exactlyOne(obj: Record<string, any>, known: readonly string[], path: string, what: string, c: IssueCollector): string | undefined {
  checkKnownFields(obj, known, path, c, what);
  const set = Object.keys(obj).filter(k => known.includes(k) && obj[k] !== undefined && obj[k] !== null);
  if (set.length === 1) return set[0];
  c.add(path, set.length === 0
    ? `${what} must set one of ${known.join(', ')}`
    : `${what} sets ${set.join(' and ')}; set exactly one of ${known.join(', ')} (write several entries to combine them)`);
  return undefined;
}

function checkSubject(subject: unknown, d: Dialect, c: IssueCollector): void {
  const path = 'spec.subject';
  if (!isObject(subject)) {
    typeIssue(c, path, 'an object', subject);
    return;
  }
  const which = exactlyOne(subject, ['namespaces', 'pods'], path, 'a subject', c);
  if (which === 'namespaces') checkLabelSelector(subject.namespaces, at(path, 'namespaces'), c);
  if (which === 'pods') checkPods(subject.pods, at(path, 'pods'), d, c);
}

function checkPods(pods: unknown, path: string, d: Dialect, c: IssueCollector): void {
  if (!isObject(pods)) {
    typeIssue(c, path, 'an object', pods);
    return;
  }
  checkKnownFields(pods, ['namespaceSelector', 'podSelector'], path, c, 'a pods selector');
  for (const field of ['namespaceSelector', 'podSelector']) {
    if (pods[field] !== undefined && pods[field] !== null) checkLabelSelector(pods[field], at(path, field), c);
    else if (d.podsRequired.includes(field)) c.add(at(path, field), `${field} is required in ${d.kind} (an empty selector {} selects every ${field === 'podSelector' ? 'pod' : 'namespace'})`);
  }
}

/** A Kubernetes LabelSelector as the CRD describes it: matchLabels, and matchExpressions with key and operator. */
function checkLabelSelector(selector: unknown, path: string, c: IssueCollector): void {
  if (!isObject(selector)) {
    typeIssue(c, path, 'a label selector object', selector);
    return;
  }
  checkKnownFields(selector, ['matchLabels', 'matchExpressions'], path, c, 'a label selector');
  const labels = selector.matchLabels;
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels)) typeIssue(c, at(path, 'matchLabels'), 'a map of strings', labels);
    else for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string') typeIssue(c, at(at(path, 'matchLabels'), k), 'a string', v);
  }
  const expressions = readArray(selector, 'matchExpressions', path, c);
  expressions?.forEach((e, i) => {
    const p = at(at(path, 'matchExpressions'), i);
    if (!isObject(e)) {
      typeIssue(c, p, 'an object', e);
      return;
    }
    checkKnownFields(e, ['key', 'operator', 'values'], p, c, 'a label selector requirement');
    for (const field of ['key', 'operator']) {
      if (typeof e[field] !== 'string') c.add(at(p, field), `${field} is required and must be a string, got ${jsonType(e[field])} ${q(e[field])}`);
    }
    const values = readArray(e, 'values', p, c);
    values?.forEach((v, j) => { if (typeof v !== 'string') typeIssue(c, at(at(p, 'values'), j), 'a string', v); });
  });
}

function checkRule(rule: unknown, direction: 'ingress' | 'egress', path: string, d: Dialect, c: IssueCollector): void {
  if (!isObject(rule)) {
    typeIssue(c, path, 'an object', rule);
    return;
  }
  const peersField = direction === 'ingress' ? 'from' : 'to';
  checkKnownFields(rule, ['name', 'action', peersField, d.portsField], path, c, `a ${d.kind} ${direction} rule`);
  const name = rule.name;
  if (name !== undefined && name !== null) {
    if (typeof name !== 'string') typeIssue(c, at(path, 'name'), 'a string', name);
    else if (name.length > MAX_RULE_NAME) c.add(at(path, 'name'), `rule name ${q(name)} is ${name.length} characters, more than the ${MAX_RULE_NAME} allowed; shorten it`);
  }
  const action = rule.action;
  if (action === undefined || action === null) c.add(at(path, 'action'), `action is required: one of ${d.actions.join(', ')}`);
  else if (!d.actions.includes(action)) c.add(at(path, 'action'), actionMessage(action, d));
  const peerKinds = direction === 'ingress' ? ['namespaces', 'pods'] : d.egressPeers;
  const peers = readArray(rule, peersField, path, c);
  const peersPath = at(path, peersField);
  const set: string[] = [];
  if (!peers) {
    c.add(peersPath, `${peersField} is required: list at least one peer (${peerKinds.join(', ')})`);
  } else if (peers.length === 0 || peers.length > d.maxPeers) {
    c.add(peersPath, `${peersField} has ${peers.length} peers; list 1 to ${d.maxPeers}`);
  }
  peers?.forEach((p, i) => {
    const which = checkPeer(p, peerKinds, at(peersPath, i), d, c);
    if (which) set.push(which);
  });
  const ports = readArray(rule, d.portsField, path, c);
  if (ports) {
    const portsPath = at(path, d.portsField);
    if ((d.portsField === 'protocols' && ports.length === 0) || ports.length > d.maxPorts) {
      c.add(portsPath, `${d.portsField} has ${ports.length} entries; list ${d.portsField === 'protocols' ? 1 : 0} to ${d.maxPorts}, or leave it out to match every port`);
    }
    const named = ports.map((p, i) => (d.portsField === 'protocols' ? checkProtocolPort(p, at(portsPath, i), c) : checkV1alpha1Port(p, at(portsPath, i), c)));
    // AdminNetworkPolicy and BaselineAdminNetworkPolicy egress: the CRD's rule on the rule object.
    if (d.portsField === 'ports' && direction === 'egress' && named.includes(true) && (set.includes('networks') || set.includes('nodes'))) {
      c.add(portsPath, 'networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes; '
        + 'use port numbers, or move the named ports to a rule of namespaces or pods peers');
    }
  }
}

function actionMessage(action: unknown, d: Dialect): string {
  const hint = action === 'Allow' && d.actions.includes('Accept') ? ' (ClusterNetworkPolicy calls Allow Accept)'
    : action === 'Accept' && d.actions.includes('Allow') ? ` (${d.kind} calls Accept Allow)`
      : action === 'Pass' ? ` (${d.kind} is evaluated last, so there is nothing to pass to)` : '';
  return `action ${q(action)} is not a ${d.kind} action${hint}; use one of ${d.actions.join(', ')}`;
}

/** Checks a peer; returns which kind of peer it is, when it is exactly one. */
function checkPeer(peer: unknown, kinds: readonly string[], path: string, d: Dialect, c: IssueCollector): string | undefined {
  if (!isObject(peer)) {
    typeIssue(c, path, 'an object', peer);
    return undefined;
  }
  const which = exactlyOne(peer, kinds, path, 'a peer', c);
  if (which === 'namespaces' || which === 'nodes') checkLabelSelector(peer[which], at(path, which), c);
  if (which === 'pods') checkPods(peer.pods, at(path, 'pods'), d, c);
  if (which === 'networks') checkNetworks(peer.networks, at(path, 'networks'), d, c);
  return which;
}

function checkNetworks(networks: unknown, path: string, d: Dialect, c: IssueCollector): void {
  if (!Array.isArray(networks)) {
    typeIssue(c, path, 'a list of CIDRs', networks);
    return;
  }
  if (networks.length === 0 || networks.length > MAX_NETWORKS) c.add(path, `networks has ${networks.length} CIDRs; list 1 to ${MAX_NETWORKS}`);
  const seen = new Set<string>();
  networks.forEach((n, i) => {
    const p = at(path, i);
    if (typeof n !== 'string') {
      typeIssue(c, p, 'a CIDR string', n);
      return;
    }
    if (seen.has(n)) c.add(p, `CIDR ${q(n)} is listed twice; networks is a set, so list it once`);
    seen.add(n);
    if (n.length > MAX_NETWORK_TEXT) {
      c.add(p, `CIDR ${q(n)} is ${n.length} characters, more than the ${MAX_NETWORK_TEXT} allowed`);
    } else if (d.apiVersion === V1ALPHA2) {
      // The CRD's rule isCIDR(self): an address and a prefix length.
      if (!n.includes('/') || parseCidr(n) === undefined) c.add(p, `${q(n)} is not a CIDR (Invalid CIDR format provided); write an address and a prefix length, such as '10.0.0.0/8'`);
    } else if (n.includes(':') === n.includes('.')) {
      // The CRD's rule self.contains(':') != self.contains('.').
      c.add(p, `${q(n)}: CIDR must be either an IPv4 or IPv6 address. IPv4 address embedded in IPv6 addresses are not supported`);
    }
  });
}

/** A v1alpha2 protocol entry (tcp/udp/sctp with a destinationPort, or destinationNamedPort). Returns whether it is named. */
function checkProtocolPort(entry: unknown, path: string, c: IssueCollector): boolean {
  if (!isObject(entry)) {
    typeIssue(c, path, 'an object', entry);
    return false;
  }
  const which = exactlyOne(entry, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], path, 'a protocols entry', c);
  if (which === 'destinationNamedPort') {
    if (typeof entry.destinationNamedPort !== 'string') typeIssue(c, at(path, which), 'a string', entry.destinationNamedPort);
    return true;
  }
  if (which === undefined) return false;
  const protocolPath = at(path, which);
  const protocol = entry[which];
  if (!isObject(protocol)) {
    typeIssue(c, protocolPath, 'an object', protocol);
    return false;
  }
  checkKnownFields(protocol, ['destinationPort'], protocolPath, c, `a ${which} entry`);
  if (protocol.destinationPort === undefined || protocol.destinationPort === null) {
    c.add(protocolPath, `${which} must set destinationPort (its number or range); leave the whole protocols list out to match every port`);
    return false;
  }
  const port = protocol.destinationPort;
  const portPath = at(protocolPath, 'destinationPort');
  if (!isObject(port)) {
    typeIssue(c, portPath, 'an object', port);
    return false;
  }
  const kind = exactlyOne(port, ['number', 'range'], portPath, 'a destinationPort', c);
  if (kind === 'number') checkPortNumber(port.number, at(portPath, 'number'), c);
  if (kind === 'range') checkRange(port.range, at(portPath, 'range'), true, c);
  return false;
}

/** A v1alpha1 port entry (portNumber, portRange or namedPort). Returns whether it is named. */
function checkV1alpha1Port(entry: unknown, path: string, c: IssueCollector): boolean {
  if (!isObject(entry)) {
    typeIssue(c, path, 'an object', entry);
    return false;
  }
  const which = exactlyOne(entry, ['portNumber', 'portRange', 'namedPort'], path, 'a ports entry', c);
  if (which === 'namedPort') {
    if (typeof entry.namedPort !== 'string') typeIssue(c, at(path, which), 'a string', entry.namedPort);
    return true;
  }
  if (which === 'portNumber') {
    const p = at(path, which);
    const pn = entry.portNumber;
    if (!isObject(pn)) {
      typeIssue(c, p, 'an object', pn);
      return false;
    }
    checkKnownFields(pn, ['port', 'protocol'], p, c, 'a portNumber');
    if (pn.port === undefined || pn.port === null) c.add(at(p, 'port'), 'port is required');
    else checkPortNumber(pn.port, at(p, 'port'), c);
    checkProtocolName(pn.protocol, at(p, 'protocol'), c);
  }
  if (which === 'portRange') checkRange(entry.portRange, at(path, which), false, c);
  return false;
}

function checkProtocolName(protocol: unknown, path: string, c: IssueCollector): void {
  if (protocol !== undefined && protocol !== null && typeof protocol !== 'string') typeIssue(c, path, 'a string', protocol);
}

function checkPortNumber(port: unknown, path: string, c: IssueCollector): boolean {
  if (typeof port !== 'number' || !Number.isInteger(port)) {
    typeIssue(c, path, 'an integer', port);
    return false;
  }
  if (port < 1 || port > MAX_PORT) {
    c.add(path, `port ${port} is out of range; use 1 to ${MAX_PORT}`);
    return false;
  }
  return true;
}

/** A port range; v1alpha2 adds the CRD's rule self.start < self.end. */
function checkRange(range: unknown, path: string, strict: boolean, c: IssueCollector): void {
  if (!isObject(range)) {
    typeIssue(c, path, 'an object', range);
    return;
  }
  checkKnownFields(range, strict ? ['start', 'end'] : ['start', 'end', 'protocol'], path, c, 'a port range');
  let ok = true;
  for (const field of ['start', 'end']) {
    if (range[field] === undefined || range[field] === null) {
      c.add(at(path, field), `${field} is required`);
      ok = false;
    } else {
      ok = checkPortNumber(range[field], at(path, field), c) && ok;
    }
  }
  if (!strict) checkProtocolName(range.protocol, at(path, 'protocol'), c);
  if (ok && strict && !(range.start < range.end)) {
    c.add(path, `port range ${range.start}-${range.end}: Start port must be less than End port; write a single port as a number`);
  }
}
