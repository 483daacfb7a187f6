// A v3 policy as Felix receives it from Calico's syncer (libcalico-go updateprocessors; the same
// selectors on v3.31 and v3.32):
//
// Policy key (orders policies of equal order)
// - v3.31: one name, `<namespace>/<stored name>` for a namespaced policy, `<stored name>` for a
//   global one; ties sort by it;
// - v3.32: name, namespace and kind (NetworkPolicy, GlobalNetworkPolicy, KubernetesNetworkPolicy,
//   KubernetesClusterNetworkPolicy); ties sort by `<name>/<namespace>/<kind>` (felix/calc/
//   policy_sorter.go PolKVLess). A staged policy previewed as enforced is keyed as the policy it
//   stages (apiv3.ConvertStaged*ToEnforced gives it that kind).
//
// Policy selector
// - NetworkPolicy: `(selector) && projectcalico.org/namespace == '<ns>'`, then
//   `&& <serviceAccountSelector with pcsa. keys>`.
// - GlobalNetworkPolicy: `(selector) && <namespaceSelector with pcns. keys>` with every `all()`
//   read as `has(projectcalico.org/namespace)`; then `&& <serviceAccountSelector with pcsa.
//   keys>` with every `all()` read as `has(projectcalico.org/serviceaccount)`. Empty: `all()`.
//
// Rule selectors (each side)
// - namespaceSelector: pcns. keys, `all()` -> `has(projectcalico.org/namespace)`, `global()` ->
//   `!has(projectcalico.org/namespace)`; without one, a namespaced policy's rule means its own
//   namespace (`projectcalico.org/namespace == '<ns>'`);
// - serviceAccounts: `(pcsa. selector) && projectcalico.org/serviceaccount in {names}`;
// - the namespace part is added only when the side uses a selector, notSelector, service accounts
//   or namespaceSelector: a rule with only nets matches those addresses in any namespace;
// - notSelector is kept as written; when there is a positive selector Felix folds it in
//   (`(positive) && !(notSelector)`), otherwise it excludes what it selects on its own.
import { CalicoVersion } from '../../../core/calico-version';
import { SelectorNode, toValueSet } from '../../../language/selector-parser';
import {
  andNodes, eqNode, hasNode, LABEL_NAMESPACE, LABEL_SERVICE_ACCOUNT, NAMESPACE_PREFIX, notNode, prefixKeys, replaceLeaf,
  SERVICE_ACCOUNT_PREFIX,
} from './selectors';
import { FelixEntity, FelixPolicy, FelixRule, V3Entity, V3Policy, V3Rule } from './types';

const UDP = 17;
const SCTP = 132;
const TCP = 6;

/** Converts a v3 policy to what Felix `version` evaluates. */
export function toFelix(policy: V3Policy, version: CalicoVersion): FelixPolicy {
  const ns = policy.namespace;
  return {
    origin: policy.origin,
    name: policy.name,
    namespace: ns,
    calicoName: policy.calicoName,
    tier: policy.tier,
    staged: policy.staged,
    sortKey: policyKey(policy, version),
    order: policy.order,
    selector: policySelector(policy),
    ingress: policy.ingressType ? policy.ingress.map((r, i) => toFelixRule(r, i, ns)) : undefined,
    egress: policy.egressType ? policy.egress.map((r, i) => toFelixRule(r, i, ns)) : undefined,
    hostOnly: policy.hostOnly,
  };
}

/** The key Felix `version` breaks ties of equal order by. */
function policyKey(policy: V3Policy, version: CalicoVersion): string {
  const ns = policy.namespace;
  if (version._data.policyKeys === 'v1-name') return ns ? `${ns}/${policy.calicoName}` : policy.calicoName;
  return `${policy.calicoName}/${ns ?? ''}/${policy.keyKind ?? policy.origin}`;
}

function policySelector(policy: V3Policy): SelectorNode {
  let selector = policy.selector;
  if (policy.namespace !== undefined) {
    const inNamespace = eqNode(LABEL_NAMESPACE, policy.namespace);
    selector = selector ? andNodes(selector, inNamespace) : inNamespace;
    if (policy.serviceAccountSelector) {
      selector = andNodes(selector, prefixKeys(policy.serviceAccountSelector, SERVICE_ACCOUNT_PREFIX));
    }
    return selector;
  }
  if (policy.namespaceSelector) {
    const prefixed = prefixKeys(policy.namespaceSelector, NAMESPACE_PREFIX);
    selector = selector ? andNodes(selector, prefixed) : prefixed;
    selector = replaceLeaf(selector, 'all', hasNode(LABEL_NAMESPACE));
  }
  if (policy.serviceAccountSelector) {
    const prefixed = prefixKeys(policy.serviceAccountSelector, SERVICE_ACCOUNT_PREFIX);
    selector = selector ? andNodes(selector, prefixed) : prefixed;
    selector = replaceLeaf(selector, 'all', hasNode(LABEL_SERVICE_ACCOUNT));
  }
  return selector ?? { kind: 'all' };
}

function toFelixRule(rule: V3Rule, index: number, ns: string | undefined): FelixRule {
  const protocol = rule.protocol;
  return {
    action: rule.action,
    protocol,
    notProtocol: rule.notProtocol,
    icmp: rule.icmp,
    notIcmp: rule.notIcmp,
    ipVersion: rule.ipVersion,
    source: toFelixEntity(rule.source, ns),
    destination: toFelixEntity(rule.destination, ns),
    namedPortProtocol: protocol === UDP ? UDP : protocol === SCTP ? SCTP : TCP,
    http: rule.http,
    path: rule.path,
    index,
  };
}

function toFelixEntity(entity: V3Entity, ns: string | undefined): FelixEntity {
  let positive = endpointSelector(entity, ns);
  let negative = entity.notSelector;
  if (positive && negative) {
    positive = andNodes(positive, notNode(negative));
    negative = undefined;
  }
  return {
    positive,
    negative,
    nets: entity.nets,
    notNets: entity.notNets,
    ports: entity.ports,
    notPorts: entity.notPorts,
    service: entity.service,
  };
}

/** The one selector for the endpoints a rule side matches (getEndpointSelector). */
function endpointSelector(entity: V3Entity, ns: string | undefined): SelectorNode | undefined {
  let nsSelector: SelectorNode | undefined;
  if (entity.namespaceSelector) {
    nsSelector = prefixKeys(entity.namespaceSelector, NAMESPACE_PREFIX);
    nsSelector = replaceLeaf(nsSelector, 'all', hasNode(LABEL_NAMESPACE));
    nsSelector = replaceLeaf(nsSelector, 'global', notNode(hasNode(LABEL_NAMESPACE)));
  } else if (ns !== undefined) {
    nsSelector = eqNode(LABEL_NAMESPACE, ns);
  }
  const parts: SelectorNode[] = [];
  const sa = serviceAccountSelector(entity);
  if (sa) parts.push(sa);
  if (entity.selector) parts.push(entity.selector);
  let selector = parts.length ? andNodes(...parts) : undefined;
  if (nsSelector && (selector || entity.notSelector || entity.namespaceSelector)) {
    selector = selector ? andNodes(nsSelector, selector) : nsSelector;
  }
  return selector;
}

function serviceAccountSelector(entity: V3Entity): SelectorNode | undefined {
  const bySelector = entity.serviceAccountSelector ? prefixKeys(entity.serviceAccountSelector, SERVICE_ACCOUNT_PREFIX) : undefined;
  if (!entity.serviceAccountNames?.length) return bySelector;
  const byName: SelectorNode = { kind: 'in', key: LABEL_SERVICE_ACCOUNT, values: toValueSet(entity.serviceAccountNames) };
  return bySelector ? andNodes(bySelector, byName) : byName;
}
