// Validation of StagedKubernetesNetworkPolicy: a Kubernetes NetworkPolicy spec (podSelector,
// policyTypes, ingress from / egress to peers and ports) with a stagedAction. libcalico-go's
// validateStagedKubernetesNetworkPolicy requires a Delete to carry nothing else, and converts any
// other to a Calico policy (K8sNetworkPolicyToCalico): a port it cannot convert fails the policy,
// and an ipBlock whose CIDR does not parse silently becomes a peer that matches everything, so
// both are reported here, with the label selector and policy type rules Kubernetes itself applies
// to a NetworkPolicy. Importing this module registers the kind.
import { checkLabels, portNameProblems, readArray, readObject, readString, readStringList, typeIssue } from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { checkStagedDelete, STAGED_ACTIONS } from './policy';
import { parseCidr } from '../net/address';
import { registerKind } from './registry';

/** The Kubernetes policy types. */
export const KUBERNETES_POLICY_TYPES: readonly string[] = ['Ingress', 'Egress'];
/** The protocols a Kubernetes NetworkPolicy port takes. */
export const KUBERNETES_PORT_PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];
/** The operators of a label selector's matchExpressions. */
export const LABEL_SELECTOR_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Validates a StagedKubernetesNetworkPolicy manifest (spec). */
export function validateStagedKubernetesNetworkPolicy(m: Record<string, any>, c: IssueCollector): void {
  const spec = m.spec;
  if (spec === undefined || spec === null) return;
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return;
  }
  const action = readString(spec, 'stagedAction', 'spec', c) || 'Set';
  if (!STAGED_ACTIONS.includes(action)) {
    c.add('spec.stagedAction', `stagedAction ${q(action)} is not one of ${STAGED_ACTIONS.join(', ')}; use Set to stage the policy, Delete to stage its removal`);
  } else if (action === 'Delete') {
    checkStagedDelete(spec, ['stagedAction'], c);
    return;
  }
  const podSelector = readObject(spec, 'podSelector', 'spec', c);
  if (podSelector) checkLabelSelector(podSelector, 'spec.podSelector', c);
  checkPolicyTypes(spec, c);
  for (const [key, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    readArray(spec, key, 'spec', c)?.forEach((rule, i) => {
      const path = at(at('spec', key), i);
      if (!isObject(rule)) {
        typeIssue(c, path, 'an object with ports and ' + peers, rule);
        return;
      }
      readArray(rule, peers, path, c)?.forEach((peer, j) => checkPeer(peer, at(at(path, peers), j), c));
      readArray(rule, 'ports', path, c)?.forEach((port, j) => checkPort(port, at(at(path, 'ports'), j), c));
    });
  }
}

function checkPolicyTypes(spec: Record<string, any>, c: IssueCollector): void {
  const seen = new Set<string>();
  for (const { value, path } of readStringList(spec, 'policyTypes', 'spec', c) ?? []) {
    if (!KUBERNETES_POLICY_TYPES.includes(value)) {
      const fixed = KUBERNETES_POLICY_TYPES.find(t => t.toLowerCase() === value.toLowerCase());
      c.add(path, `policyTypes entry ${q(value)} is not a policy type, so Calico would ignore it; ${fixed ? `write '${fixed}' (case-sensitive)` : 'use Ingress or Egress'}`);
    } else if (seen.has(value)) {
      c.add(path, `policyTypes lists ${q(value)} more than once; list each type once`);
    }
    seen.add(value);
  }
}

/** One peer: an ipBlock, or pod and namespace selectors (never both kinds). */
function checkPeer(peer: unknown, path: string, c: IssueCollector): void {
  if (!isObject(peer)) {
    typeIssue(c, path, 'an object with ipBlock, podSelector or namespaceSelector', peer);
    return;
  }
  const ipBlock = readObject(peer, 'ipBlock', path, c);
  for (const key of ['podSelector', 'namespaceSelector']) {
    const selector = readObject(peer, key, path, c);
    if (selector) checkLabelSelector(selector, at(path, key), c);
    if (selector && ipBlock) {
      c.add(at(path, key), `${key} cannot be combined with ipBlock in one peer (Calico would use the ipBlock alone); put it in a peer of its own`);
    }
  }
  if (!ipBlock) return;
  const blockPath = at(path, 'ipBlock');
  const cidr = readString(ipBlock, 'cidr', blockPath, c);
  if (!cidr) {
    c.add(at(blockPath, 'cidr'), 'ipBlock.cidr is required; set the range to match, for example \'10.0.0.0/8\'');
  } else if (!parseCidr(cidr)) {
    c.add(at(blockPath, 'cidr'), `ipBlock.cidr ${q(cidr)} is not a CIDR, and Calico would turn this peer into one that matches everything; write it like '10.0.0.0/8'`);
  }
  for (const { value, path: p } of readStringList(ipBlock, 'except', blockPath, c) ?? []) {
    if (!parseCidr(value)) {
      c.add(p, `ipBlock.except entry ${q(value)} is not a CIDR, and Calico would turn this peer into one that matches everything; write it like '10.1.0.0/16'`);
    }
  }
}

/** One port: a protocol (TCP when absent), a port number or name, and an end for a numeric range. */
function checkPort(port: unknown, path: string, c: IssueCollector): void {
  if (!isObject(port)) {
    typeIssue(c, path, 'an object with protocol, port and endPort', port);
    return;
  }
  const protocol = readString(port, 'protocol', path, c);
  if (protocol && !KUBERNETES_PORT_PROTOCOLS.includes(protocol)) {
    c.add(at(path, 'protocol'), `protocol ${q(protocol)} is not one of ${KUBERNETES_PORT_PROTOCOLS.join(', ')}; a Kubernetes policy port is TCP, UDP or SCTP`);
  }
  const value = port.port;
  const endPort = port.endPort;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 65535) c.add(at(path, 'port'), `port ${value} is not a port number; use 1 to 65535`);
  } else if (typeof value === 'string') {
    const problems = portNameProblems(value);
    if (problems.length > 0) c.add(at(path, 'port'), `port ${q(value)} is neither a number nor a valid port name: ${problems.join('; ')}`);
  } else if (value !== undefined && value !== null) {
    typeIssue(c, at(path, 'port'), 'a port number or name', value);
  }
  if (endPort === undefined || endPort === null) return;
  if (typeof endPort !== 'number' || !Number.isInteger(endPort)) {
    typeIssue(c, at(path, 'endPort'), 'an integer', endPort);
  } else if (typeof value !== 'number') {
    c.add(at(path, 'endPort'), `endPort ${endPort} needs a numeric port to start the range; set port to its first port number`);
  } else if (endPort < value || endPort > 65535) {
    c.add(at(path, 'endPort'), `endPort ${endPort} must be from port ${value} to 65535; the range is port to endPort`);
  }
}

/** A Kubernetes label selector: matchLabels and matchExpressions (key, operator, values). */
function checkLabelSelector(selector: Record<string, any>, path: string, c: IssueCollector): void {
  checkLabels(selector.matchLabels, at(path, 'matchLabels'), c);
  readArray(selector, 'matchExpressions', path, c)?.forEach((e, i) => {
    const p = at(at(path, 'matchExpressions'), i);
    if (!isObject(e)) {
      typeIssue(c, p, 'an object with key, operator and values', e);
      return;
    }
    const key = readString(e, 'key', p, c);
    if (!key) c.add(at(p, 'key'), 'key is required; name the label to test');
    else checkLabels({ [key]: '' }, at(p, 'key'), c);
    const operator = readString(e, 'operator', p, c);
    const values = readStringList(e, 'values', p, c) ?? [];
    if (!operator || !LABEL_SELECTOR_OPERATORS.includes(operator)) {
      c.add(at(p, 'operator'), `operator ${q(e.operator)} is not one of ${LABEL_SELECTOR_OPERATORS.join(', ')}; use one of them`);
    } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      c.add(at(p, 'values'), `operator ${operator} needs values; list the label values to compare with`);
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      c.add(at(p, 'values'), `operator ${operator} takes no values; remove values`);
    }
  });
}

registerKind('StagedKubernetesNetworkPolicy', validateStagedKubernetesNetworkPolicy);
