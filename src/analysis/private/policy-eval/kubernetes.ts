// Kubernetes NetworkPolicy (networking.k8s.io/v1) as Calico v3.31 and v3.32 translate it
// (libcalico-go/lib/backend/k8s/conversion, K8sNetworkPolicyToCalico; the rule translation is the
// same code on both lines, and as on v3.28), after the Kubernetes API server's defaulting:
// - the policy becomes a Calico NetworkPolicy in the same namespace and the default tier, order
//   1000: named `knp.default.<name>` on v3.31; on v3.32 it keeps its name and is keyed with the
//   kind `KubernetesNetworkPolicy` (see felix.ts for how that orders ties);
// - policyTypes, when empty, default to Ingress, plus Egress when there are egress rules (API
//   server); Calico then uses them as they are;
// - the pod selector gets `projectcalico.org/orchestrator == 'k8s'` added; an empty namespace
//   selector becomes `all()`, an absent one means the policy's own namespace;
// - each Kubernetes rule becomes one Calico Allow rule per protocol (sorted) and per peer (in
//   order); a port without a protocol is TCP; no ports means any protocol; `port` + `endPort` is a
//   range; a port with a protocol and no number allows every port of that protocol;
// - a peer with podSelector and namespaceSelector matches pods satisfying both; an ipBlock becomes
//   nets (the CIDR) and notNets (the exceptions);
// - absent or empty `from` / `to` matches every source / destination.
import { CalicoVersion } from '../../../core/calico-version';
import { DEFAULT_TIER } from '../../../validation/policy';
import { quote, quoteJson } from '../../../core/quote';
import { SelectorNode, toValueSet } from '../../../language/selector-parser';
import { isObject, namespaceOf, readNets, readPort, readProtocol, Where } from './calico';
import { andNodes, eqNode, hasNode, LABEL_ORCHESTRATOR, notNode } from './selectors';
import { PortSpec, V3Entity, V3Policy, V3Rule } from './types';

/** The order Calico gives every translated Kubernetes NetworkPolicy. */
export const KNP_ORDER = 1000;
/** The name prefix of translated Kubernetes NetworkPolicies on v3.31 (v3.32 keeps the name). */
export const KNP_PREFIX = 'knp.default.';

const TCP = 6;

/** Translates a Kubernetes NetworkPolicy manifest as Calico `version` does. */
export function readKubernetesPolicy(manifest: any, version: CalicoVersion, kind = 'Kubernetes NetworkPolicy'): V3Policy {
  const name = String(manifest?.metadata?.name ?? '');
  const namespace = namespaceOf(manifest, `${kind} '${name}'`);
  const where = new Where(`${kind} ${quote(`${namespace}/${name}`)}`);
  if (!name) where.fail('metadata.name is missing; every policy needs a name');
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const specWhere = where.at('spec');

  const ingressSpec = listOrEmpty(spec.ingress, specWhere.at('ingress'));
  const egressSpec = listOrEmpty(spec.egress, specWhere.at('egress'));
  const ingress = ingressSpec.flatMap((r, i) => translateRule(r, 'from', specWhere.at('ingress').at(i)));
  const egress = egressSpec.flatMap((r, i) => translateRule(r, 'to', specWhere.at('egress').at(i)));

  let types = listOrEmpty(spec.policyTypes, specWhere.at('policyTypes')).map(String);
  if (!types.length) types = egressSpec.length ? ['Ingress', 'Egress'] : ['Ingress'];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') specWhere.at('policyTypes').at(i).fail(`${quoteJson(t)} is not a policy type; use Ingress or Egress`);
  });

  return {
    origin: 'KubernetesNetworkPolicy',
    name,
    namespace,
    calicoName: version._data.policyKeys === 'v1-name' ? KNP_PREFIX + name : name,
    tier: DEFAULT_TIER,
    order: KNP_ORDER,
    selector: podSelector(spec.podSelector ?? {}, specWhere.at('podSelector')),
    ingressType: types.includes('Ingress'),
    egressType: types.includes('Egress'),
    ingress,
    egress,
    hostOnly: false,
  };
}

export function listOrEmpty(value: unknown, where: Where): any[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) where.fail(`must be a list, got ${quoteJson(value)}`);
  return value;
}

/** One Kubernetes rule as Calico's rules: one per protocol (sorted), and per peer (in order). */
function translateRule(rule: any, peersField: 'from' | 'to', where: Where): V3Rule[] {
  if (rule === null || rule === undefined) rule = {};
  if (!isObject(rule)) where.fail(`a rule must be an object, got ${quoteJson(rule)}`);
  const peers = listOrEmpty(rule[peersField], where.at(peersField));
  const ports = listOrEmpty(rule.ports, where.at('ports'));

  // Group the ports by protocol; `undefined` (all ports) wins over a list.
  let byProtocol: Map<number, PortSpec[] | undefined> | undefined = new Map();
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i] ?? {};
    const portWhere = where.at('ports').at(i);
    if (!isObject(p)) portWhere.fail(`a port must be an object such as {port: 80, protocol: TCP}, got ${quoteJson(p)}`);
    const protocol = readProtocol(p.protocol ?? 'TCP', portWhere.at('protocol')) ?? TCP;
    const spec = portSpec(p, portWhere);
    if (spec === undefined) {
      byProtocol.set(protocol, undefined);
    } else if (!byProtocol.has(protocol) || byProtocol.get(protocol) !== undefined) {
      byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), spec]);
    }
  }
  if (!ports.length) byProtocol = undefined;

  const peerEntities: Array<{ entity: V3Entity; path: string }> = peers.length
    ? peers.map((peer, j) => ({ entity: peerEntity(peer, where.at(peersField).at(j)), path: where.at(peersField).at(j).fieldPath }))
    : [{ entity: {}, path: where.fieldPath }];

  // Calico orders the rules by the protocol's text (SCTP, TCP, UDP).
  const protocols: Array<number | undefined> = byProtocol
    ? [...byProtocol.keys()].sort((a, b) => (protocolText(a) < protocolText(b) ? -1 : protocolText(a) > protocolText(b) ? 1 : 0))
    : [undefined];

  const rules: V3Rule[] = [];
  for (const protocol of protocols) {
    const portList = protocol === undefined ? undefined : byProtocol!.get(protocol);
    for (const { entity, path } of peerEntities) {
      const portSide: V3Entity = portList ? { ports: portList } : {};
      rules.push({
        action: 'Allow',
        protocol,
        source: peersField === 'from' ? entity : {},
        destination: peersField === 'from' ? portSide : { ...entity, ...portSide },
        http: false,
        path,
      });
    }
  }
  return rules;
}

export function protocolText(protocol: number): string {
  return protocol === 6 ? 'TCP' : protocol === 17 ? 'UDP' : protocol === 132 ? 'SCTP' : String(protocol);
}

/** The port of a NetworkPolicyPort, or undefined for "every port of the protocol". */
function portSpec(port: any, where: Where): PortSpec | undefined {
  const value = port.port;
  const endPort = port.endPort;
  if (value === undefined || value === null) {
    if (endPort !== undefined && endPort !== null) where.at('endPort').fail('endPort needs port; Kubernetes rejects endPort without a starting port');
    return undefined;
  }
  if (endPort !== undefined && endPort !== null) {
    if (typeof value !== 'number') where.at('endPort').fail(`endPort needs a numeric port, but port is ${quoteJson(value)}; Kubernetes rejects a named port with endPort`);
    if (!Number.isInteger(endPort) || endPort < value) where.at('endPort').fail(`endPort ${quoteJson(endPort)} must be an integer not below port ${value}`);
    return readPort(`${value}:${endPort}`, where.at('port'));
  }
  return readPort(value, where.at('port'));
}

/** A NetworkPolicyPeer as a Calico entity. */
function peerEntity(peer: any, where: Where): V3Entity {
  if (!isObject(peer)) where.fail(`a peer must be an object with podSelector, namespaceSelector or ipBlock, got ${quoteJson(peer)}`);
  const hasPod = isObject(peer.podSelector);
  const hasNamespace = isObject(peer.namespaceSelector);
  if (isObject(peer.ipBlock)) {
    if (hasPod || hasNamespace) where.fail('a peer with ipBlock may not also have podSelector or namespaceSelector (Kubernetes rejects it); use separate peers');
    const block = peer.ipBlock;
    const nets = readNets([block.cidr], where.at('ipBlock').at('cidr'));
    const notNets = readNets(block.except ?? [], where.at('ipBlock').at('except'));
    return { nets, notNets };
  }
  if (!hasPod && !hasNamespace) {
    where.fail('a peer needs podSelector, namespaceSelector or ipBlock (Kubernetes rejects an empty peer); use `podSelector: {}` for every pod of the namespace');
  }
  return {
    selector: podSelector(hasPod ? peer.podSelector : undefined, where.at('podSelector')),
    namespaceSelector: hasNamespace ? namespaceSelector(peer.namespaceSelector, where.at('namespaceSelector')) : undefined,
  };
}

/** A pod selector as Calico writes it: `projectcalico.org/orchestrator == 'k8s'` and the terms. */
export function podSelector(selector: any, where: Where): SelectorNode {
  return andNodes(eqNode(LABEL_ORCHESTRATOR, 'k8s'), ...labelSelectorTerms(selector, where));
}

/** A namespace selector as Calico writes it: `all()` when empty, else the terms. */
export function namespaceSelector(selector: any, where: Where): SelectorNode {
  const terms = labelSelectorTerms(selector, where);
  return terms.length ? andNodes(...terms) : { kind: 'all' };
}

/** The terms of a Kubernetes LabelSelector: matchLabels (sorted by key), then matchExpressions. */
function labelSelectorTerms(selector: any, where: Where): SelectorNode[] {
  if (selector === undefined || selector === null) return [];
  if (!isObject(selector)) where.fail(`must be a label selector object, got ${quoteJson(selector)}`);
  const terms: SelectorNode[] = [];
  const labels = selector.matchLabels ?? {};
  if (!isObject(labels)) where.at('matchLabels').fail(`must be a map of labels, got ${quoteJson(labels)}`);
  for (const key of Object.keys(labels).sort()) terms.push(eqNode(key, String(labels[key])));
  const expressions = listOrEmpty(selector.matchExpressions, where.at('matchExpressions'));
  expressions.forEach((e, i) => {
    const at = where.at('matchExpressions').at(i);
    if (!isObject(e) || typeof e.key !== 'string') at.fail(`must be {key, operator, values}, got ${quoteJson(e)}`);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    switch (e.operator) {
      case 'In':
        terms.push({ kind: 'in', key: e.key, values: toValueSet(values) });
        break;
      case 'NotIn':
        terms.push({ kind: 'notIn', key: e.key, values: toValueSet(values) });
        break;
      case 'Exists':
        terms.push(hasNode(e.key));
        break;
      case 'DoesNotExist':
        terms.push(notNode(hasNode(e.key)));
        break;
      default:
        at.at('operator').fail(`${quoteJson(e.operator)} is not a selector operator; use In, NotIn, Exists or DoesNotExist`);
    }
  });
  return terms;
}
