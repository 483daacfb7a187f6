// Kubernetes cluster network policies (policy.networking.k8s.io) as Calico converts them
// (libcalico-go/lib/backend/k8s/conversion): on v3.32 ClusterNetworkPolicy v1alpha2
// (clusternetworkpolicy.go, K8sClusterNetworkPolicyToCalico); on v3.31 AdminNetworkPolicy and
// BaselineAdminNetworkPolicy v1alpha1 (conversion.go, K8sAdminNetworkPolicyToCalico and
// K8sBaselineAdminNetworkPolicyToCalico). The per-line facts (tiers, name prefixes, orders,
// actions) are data in core/private/calico-lines.ts; the conversion is this file:
// - the policy becomes a GlobalNetworkPolicy in its tier (v3.32: `spec.tier` Admin -> kube-admin,
//   Baseline -> kube-baseline; v3.31: adminnetworkpolicy / baselineadminnetworkpolicy), named
//   `<prefix><name>`, at order `spec.priority` (a BaselineAdminNetworkPolicy: 1000);
// - subject `namespaces`: namespaceSelector from it (empty: `all()`) and the pod selector
//   `projectcalico.org/orchestrator == 'k8s'`; subject `pods`: its namespaceSelector and its
//   podSelector (with the orchestrator term);
// - each rule: the action mapped (Accept -> Allow on v3.32; Allow, Deny, Pass as they are), one
//   Calico rule per protocol (sorted by its text, the empty one first) and per peer (in order);
//   ports of one protocol go together; a protocol without a port means all its ports; a port entry
//   with neither protocol nor port (v1alpha2 `{}`; v1alpha1 `namedPort`, which v3.31 does not
//   convert yet) makes the rule match every protocol and port; v1alpha2 `destinationNamedPort` is
//   a named port without a protocol;
// - peers: `namespaces` -> namespaceSelector; `pods` -> selector and namespaceSelector; egress
//   `networks` -> nets; a rule with a peer of none of these (egress `nodes`) cannot be converted and
//   becomes a Deny-all rule when its action is Deny or Pass, and is dropped when it allows;
// - types: Ingress when it has ingress rules, Egress when it has egress rules; with no rules the
//   types are empty and Felix applies it to both directions (felix/calc/policy_sorter.go: "no Types
//   means Ingress and Egress"), where the tier's default action (Pass) then applies.
import { CalicoVersion } from '../../../core/calico-version';
import { quote, quoteJson } from '../../../core/quote';
import { isObject, readNets, readPort, readProtocol, Where } from './calico';
import { listOrEmpty, namespaceSelector, podSelector } from './kubernetes';
import { PolicyOrigin, PortSpec, V3Entity, V3Policy, V3Rule } from './types';

/** How the line converts a cluster policy kind (core/private/calico-lines.ts, read through CalicoVersion). */
type ClusterPolicyKindData = CalicoVersion['_data']['clusterPolicyKinds'][number];

/** The cluster policy kind of the line that reads this manifest, if any. */
export function clusterKindOf(manifest: any, version: CalicoVersion): ClusterPolicyKindData | undefined {
  return version._data.clusterPolicyKinds.find(k => k.kind === manifest.kind && k.apiVersion === manifest.apiVersion);
}

/** Reads a cluster network policy of the kind `data` describes. */
export function readClusterPolicy(manifest: any, data: ClusterPolicyKindData): V3Policy {
  const name = String(manifest?.metadata?.name ?? '');
  const where = new Where(`${data.kind} ${quote(name)}`);
  if (!name) where.fail('metadata.name is missing; every policy needs a name');
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const specWhere = where.at('spec');
  const tier = tierOf(spec, data, specWhere);
  const order = data.fixedOrder ?? readPriority(spec.priority, specWhere.at('priority'));
  const subject = readSubject(spec.subject, specWhere.at('subject'));
  const ingress = listOrEmpty(spec.ingress, specWhere.at('ingress'))
    .flatMap((r, i) => convertRule(r, 'from', data, specWhere.at('ingress').at(i)));
  const egress = listOrEmpty(spec.egress, specWhere.at('egress'))
    .flatMap((r, i) => convertRule(r, 'to', data, specWhere.at('egress').at(i)));
  const noTypes = !ingress.length && !egress.length;
  return {
    origin: data.kind as PolicyOrigin,
    name,
    calicoName: data.namePrefix + name,
    tier,
    keyKind: data.keyKind,
    order,
    selector: subject.selector,
    namespaceSelector: subject.namespaceSelector,
    ingressType: noTypes || ingress.length > 0,
    egressType: noTypes || egress.length > 0,
    ingress,
    egress,
    hostOnly: false,
  };
}

function tierOf(spec: any, data: ClusterPolicyKindData, where: Where): string {
  const fixed = data.tiers[''];
  if (fixed !== undefined) return fixed;
  const tier = Object.prototype.hasOwnProperty.call(data.tiers, spec.tier) ? data.tiers[spec.tier] : undefined;
  return tier ?? where.at('tier').fail(`${quoteJson(spec.tier)} is not a ${data.kind} tier; use ${Object.keys(data.tiers).join(' or ')}`);
}

function readPriority(value: unknown, where: Where): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    where.fail(`${quoteJson(value)} is not a priority; use an integer from 0 (first) up, e.g. 10`);
  }
  return value;
}

function readSubject(subject: any, where: Where): { selector: V3Policy['selector']; namespaceSelector: V3Policy['namespaceSelector'] } {
  if (!isObject(subject)) where.fail(`needs namespaces or pods, got ${quoteJson(subject)}`);
  if (isObject(subject.namespaces)) {
    return { selector: podSelector({}, where), namespaceSelector: namespaceSelector(subject.namespaces, where.at('namespaces')) };
  }
  if (isObject(subject.pods)) {
    const pods = subject.pods;
    return {
      selector: podSelector(pods.podSelector ?? {}, where.at('pods').at('podSelector')),
      namespaceSelector: namespaceSelector(pods.namespaceSelector ?? {}, where.at('pods').at('namespaceSelector')),
    };
  }
  return where.fail('needs namespaces or pods (a label selector); e.g. { namespaces: {} } for every namespace');
}

/** One rule of the policy as Calico's rules: one per protocol and per peer. */
function convertRule(rule: any, peersField: 'from' | 'to', data: ClusterPolicyKindData, where: Where): V3Rule[] {
  if (!isObject(rule)) where.fail(`a rule must be an object with an action, got ${quoteJson(rule)}`);
  const action = (Object.prototype.hasOwnProperty.call(data.actions, rule.action) ? data.actions[rule.action] : undefined)
    ?? where.at('action').fail(`${quoteJson(rule.action)} is not a ${data.kind} action; use ${Object.keys(data.actions).join(', ')}`);
  const peers = listOrEmpty(rule[peersField], where.at(peersField)).map((p, j) => peerEntity(p, peersField, where.at(peersField).at(j)));
  if (peers.some(p => p === undefined)) {
    // Calico cannot convert the rule: it fails closed for Deny and Pass, and drops an allow.
    return action === 'Allow' ? [] : [{ action: 'Deny', source: {}, destination: {}, http: false, path: where.fieldPath }];
  }
  const byProtocol = protocolPorts(rule[data.portField], data, where.at(data.portField));
  const rules: V3Rule[] = [];
  for (const protocolText of [...byProtocol.keys()].sort()) {
    const ports = byProtocol.get(protocolText);
    const protocol = protocolText ? readProtocol(protocolText, where) : undefined;
    peers.forEach((peer, j) => {
      const portSide: V3Entity = ports ? { ports } : {};
      rules.push({
        action,
        protocol,
        source: peersField === 'from' ? peer! : {},
        destination: peersField === 'from' ? portSide : { ...peer!, ...portSide },
        http: false,
        path: where.at(peersField).at(j).fieldPath,
      });
    });
  }
  return rules;
}

/** A peer as a Calico entity, or undefined when Calico cannot convert it. */
function peerEntity(peer: any, peersField: 'from' | 'to', where: Where): V3Entity | undefined {
  if (!isObject(peer)) where.fail(`a peer must be an object such as { namespaces: {} }, got ${quoteJson(peer)}`);
  let entity: V3Entity | undefined;
  if (isObject(peer.namespaces)) entity = { namespaceSelector: namespaceSelector(peer.namespaces, where.at('namespaces')) };
  if (isObject(peer.pods)) {
    entity = {
      selector: podSelector(peer.pods.podSelector ?? {}, where.at('pods').at('podSelector')),
      namespaceSelector: namespaceSelector(peer.pods.namespaceSelector ?? {}, where.at('pods').at('namespaceSelector')),
    };
  }
  if (peersField === 'to' && Array.isArray(peer.networks) && peer.networks.length) {
    entity = { ...(entity ?? {}), nets: readNets(peer.networks, where.at('networks')) };
  }
  return entity;
}

/** The ports of a rule by protocol text (`''`: no protocol); `undefined` ports: every port. */
function protocolPorts(value: unknown, data: ClusterPolicyKindData, where: Where): Map<string, PortSpec[] | undefined> {
  const entries = listOrEmpty(value, where);
  let out = new Map<string, PortSpec[] | undefined>();
  for (const [i, entry] of (entries.length ? entries : [{}]).entries()) {
    const at = where.at(i);
    if (!isObject(entry)) at.fail(`must be an object, got ${quoteJson(entry)}`);
    const { protocol, port } = data.portField === 'protocols' ? v1alpha2Port(entry, at) : v1alpha1Port(entry, at);
    if (protocol === undefined && port === undefined) {
      out = new Map([['', undefined]]);
      break;
    }
    const key = protocol ?? '';
    if (port === undefined) out.set(key, undefined);
    else if (!out.has(key) || out.get(key) !== undefined) out.set(key, [...(out.get(key) ?? []), port]);
  }
  return out;
}

interface ProtocolPort {
  readonly protocol?: string;
  readonly port?: PortSpec;
}

/** A v1alpha2 protocol entry: `tcp`/`udp`/`sctp` with an optional destinationPort, or destinationNamedPort. */
function v1alpha2Port(entry: any, where: Where): ProtocolPort {
  for (const [field, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
    if (!isObject(entry[field])) continue;
    const dest = entry[field].destinationPort;
    const at = where.at(field).at('destinationPort');
    if (!isObject(dest)) return { protocol };
    if (dest.number) return { protocol, port: readPort(dest.number, at.at('number')) };
    if (isObject(dest.range)) return { protocol, port: rangePort(dest.range.start, dest.range.end, at.at('range')) };
    return { protocol };
  }
  if (typeof entry.destinationNamedPort === 'string' && entry.destinationNamedPort) {
    return { port: readPort(entry.destinationNamedPort, where.at('destinationNamedPort')) };
  }
  return {};
}

/** A v1alpha1 port entry: portNumber or portRange (protocol TCP by default); namedPort is not converted. */
function v1alpha1Port(entry: any, where: Where): ProtocolPort {
  if (isObject(entry.portNumber)) {
    return { protocol: protocolOf(entry.portNumber.protocol), port: readPort(entry.portNumber.port, where.at('portNumber').at('port')) };
  }
  if (isObject(entry.portRange)) {
    const r = entry.portRange;
    return { protocol: protocolOf(r.protocol), port: rangePort(r.start, r.end, where.at('portRange')) };
  }
  return {};
}

function protocolOf(value: unknown): string {
  return typeof value === 'string' && value ? value.toUpperCase() : 'TCP';
}

function rangePort(start: unknown, end: unknown, where: Where): PortSpec {
  return readPort(`${quotePort(start, where.at('start'))}:${quotePort(end, where.at('end'))}`, where);
}

function quotePort(value: unknown, where: Where): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) where.fail(`${quoteJson(value)} is not a port; use 1 to 65535`);
  return value;
}
