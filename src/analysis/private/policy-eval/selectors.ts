// Selector trees as Calico's syncer rewrites them before Felix sees them (libcalico-go
// updateprocessors, the same on v3.31 and v3.32): namespace and service-account selectors get their keys prefixed
// (`pcns.`, `pcsa.`), `all()` / `global()` are replaced by label tests, and policy-level and
// rule-level selectors are combined with `&&`. Working on trees rather than text keeps label
// values that hold quotes intact.
import { CalicoValidationError } from '../../../core/errors';
import { evaluateSelector, parseSelector, printSelector, SelectorNode } from '../../../language/selector-parser';

/** Label Calico puts on every namespaced endpoint: its namespace. */
export const LABEL_NAMESPACE = 'projectcalico.org/namespace';
/** Label Calico puts on every Kubernetes workload endpoint: `k8s`. */
export const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';
/** Label Calico puts on a workload endpoint that runs as a service account. */
export const LABEL_SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount';
/** Label every namespace and service account profile carries: the object's name. */
export const LABEL_NAME = 'projectcalico.org/name';
/** Label the Kubernetes API server puts on every namespace: its name. */
export const LABEL_K8S_NAMESPACE_NAME = 'kubernetes.io/metadata.name';
/** Prefix of namespace labels as endpoints inherit them. */
export const NAMESPACE_PREFIX = 'pcns.';
/** Prefix of service account labels as endpoints inherit them. */
export const SERVICE_ACCOUNT_PREFIX = 'pcsa.';

/** A label set. */
export type Labels = { readonly [key: string]: string };

/** Parses selector text, throwing the parser's message prefixed by where the text came from. */
export function parseOrThrow(text: string, where: string): SelectorNode {
  const result = parseSelector(text);
  if (result.error !== undefined) throw new CalicoValidationError(`${where}: ${result.error}`);
  return result.node;
}

/** `key == "value"`. */
export function eqNode(key: string, value: string): SelectorNode {
  return { kind: 'eq', key, value };
}

/** `has(key)`. */
export function hasNode(key: string): SelectorNode {
  return { kind: 'has', key };
}

/** `!node`. */
export function notNode(node: SelectorNode): SelectorNode {
  return { kind: 'not', operand: node };
}

/** `a && b && ...` (one operand is returned as it is). */
export function andNodes(...nodes: SelectorNode[]): SelectorNode {
  return nodes.length === 1 ? nodes[0] : { kind: 'and', operands: nodes };
}

/** The tree with every label key prefixed, as Calico's PrefixVisitor does. */
export function prefixKeys(node: SelectorNode, prefix: string): SelectorNode {
  switch (node.kind) {
    case 'all':
    case 'global':
      return node;
    case 'not':
      return { kind: 'not', operand: prefixKeys(node.operand, prefix) };
    case 'and':
    case 'or':
      return { kind: node.kind, operands: node.operands.map(o => prefixKeys(o, prefix)) };
    default:
      return { ...node, key: prefix + node.key };
  }
}

/**
 * The tree with every `all()` (or `global()`) replaced, as Calico's text replacement of
 * `"all()"` in the printed selector does.
 */
export function replaceLeaf(node: SelectorNode, kind: 'all' | 'global', replacement: SelectorNode): SelectorNode {
  if (node.kind === kind) return replacement;
  if (node.kind === 'not') return { kind: 'not', operand: replaceLeaf(node.operand, kind, replacement) };
  if (node.kind === 'and' || node.kind === 'or') {
    return { kind: node.kind, operands: node.operands.map(o => replaceLeaf(o, kind, replacement)) };
  }
  return node;
}

/** Whether the tree selects a label set. */
export function selects(node: SelectorNode, labels: Labels): boolean {
  return evaluateSelector(node, labels);
}

/** Calico's text for the tree, for messages. */
export function selectorText(node: SelectorNode): string {
  return printSelector(node);
}
