/**
 * The tree of a Calico selector, how Calico prints it, and how Calico evaluates it.
 *
 * Mirrors libcalico-go/lib/selector/parser/ast.go of Calico v3.31 and v3.32 (which print and
 * evaluate as v3.28 did): the printed form is what Calico's parsed selector `String()` returns,
 * so a selector we render is byte-for-byte the text calicoctl shows back, with one exception (a negated negation, see `printSelector`) that
 * makes printing and parsing round-trip. Nodes are immutable and shared (the parser caches them).
 */

/** Longest label key Calico's tokenizer accepts (its MaxLabelLength). */
export const MAX_LABEL_KEY_LENGTH = 512;

/** One node of a parsed selector. `in` / `notIn` values are sorted and de-duplicated. */
export type SelectorNode =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: ValueOperator; readonly key: string; readonly value: string }
  | { readonly kind: 'in' | 'notIn'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly operand: SelectorNode }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly SelectorNode[] };

/** Operators that compare a label with one value. */
export type ValueOperator = 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith';

/** A node that combines other nodes. */
export type CompoundNode = Extract<SelectorNode, { kind: 'and' | 'or' }>;

export const ALL_NODE: SelectorNode = Object.freeze({ kind: 'all' });
export const GLOBAL_NODE: SelectorNode = Object.freeze({ kind: 'global' });

const OPERATOR_TEXT: Record<ValueOperator, string> = {
  eq: ' == ',
  ne: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
};

/** Whether `c` (a UTF-16 code unit) may appear in a label key: `[a-zA-Z0-9_./-]`. */
export function isLabelKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) // a-z
    || (c >= 65 && c <= 90) // A-Z
    || (c >= 48 && c <= 57) // 0-9
    || c === 95 || c === 46 || c === 47 || c === 45; // _ . / -
}

/** Whether `key` is a label key Calico's selector syntax can name (1-512 of `[a-zA-Z0-9_./-]`). */
export function isValidLabelKey(key: string): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_LABEL_KEY_LENGTH) return false;
  for (let i = 0; i < key.length; i++) {
    if (!isLabelKeyChar(key.charCodeAt(i))) return false;
  }
  return true;
}

/** Whether a selector can quote `value`: Calico has no escapes, so it may not hold both quote kinds. */
export function isQuotableValue(value: string): boolean {
  return typeof value === 'string' && !(value.includes('"') && value.includes("'"));
}

/**
 * Where the first unpaired UTF-16 surrogate (U+D800-U+DFFF without its partner) is in `text`, or -1.
 *
 * Such a string has no UTF-8 form, so it can never reach Calico as written: cdk8s writes it into
 * YAML as a `\uDxxx` escape, which Kubernetes' YAML reader (go-yaml) rejects with "found invalid
 * Unicode character escape code", and a JSON reader would replace it with U+FFFD.
 */
export function unpairedSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a whole pair: one astral character
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** `\uXXXX` for the UTF-16 code unit at `i`, to name a character that cannot be shown. */
export function codeUnitEscape(text: string, i: number): string {
  return '\\u' + text.charCodeAt(i).toString(16).padStart(4, '0');
}

/**
 * Orders strings as Go's `<` does (by UTF-8 bytes, i.e. by code point), which differs from
 * JavaScript's UTF-16 order only between astral characters and U+E000-U+FFFF. Defined for
 * well-formed strings (no unpaired surrogates), which are the only ones a selector can hold.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate && (xSurrogate ? y >= 0xe000 : x >= 0xe000)) {
      return xSurrogate ? 1 : -1;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts and de-duplicates set values the way Calico's StringSet does. */
export function toValueSet(values: readonly string[]): string[] {
  const sorted = [...values].sort(compareCodePoints);
  const out: string[] = [];
  for (const v of sorted) {
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** Quotes a value as Calico prints it: double quotes, or single quotes when it holds a `"`. */
export function quoteValue(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

const printed = new WeakMap<SelectorNode, string>();

/**
 * Calico's canonical text for a selector tree: `a == "b"`, `!has(x)`, `x in {"a", "b"}`,
 * and every `&&` / `||` group in parentheses, `(a == "b" && has(c))`. One difference makes every
 * printed selector parse back to the same tree: a negated negation prints as `!(!x)`, where
 * Calico prints `!!x` (which reads back as `x`).
 *
 * Iterative (a work stack instead of recursion) so arbitrarily deep trees print.
 */
export function printSelector(root: SelectorNode): string {
  const cached = printed.get(root);
  if (cached !== undefined) return cached;
  const parts: string[] = [];
  const work: Array<SelectorNode | string> = [root];
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    switch (item.kind) {
      case 'all':
        parts.push('all()');
        break;
      case 'global':
        parts.push('global()');
        break;
      case 'has':
        parts.push('has(', item.key, ')');
        break;
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        parts.push(item.key, OPERATOR_TEXT[item.kind], quoteValue(item.value));
        break;
      case 'in':
      case 'notIn':
        parts.push(item.key, item.kind === 'in' ? ' in {' : ' not in {', item.values.map(quoteValue).join(', '), '}');
        break;
      case 'not':
        // A negated negation keeps its parentheses, `!(!x)`: Calico prints `!!x`, which its parser
        // (like ours) reads back as `x`, a different tree.
        if (item.operand.kind === 'not') {
          parts.push('!(');
          work.push(')', item.operand);
        } else {
          parts.push('!');
          work.push(item.operand);
        }
        break;
      case 'and':
      case 'or': {
        const separator = item.kind === 'and' ? ' && ' : ' || ';
        parts.push('(');
        work.push(')');
        for (let i = item.operands.length - 1; i >= 0; i--) {
          work.push(item.operands[i]);
          if (i > 0) work.push(separator);
        }
        break;
      }
    }
  }
  const text = parts.join('');
  printed.set(root, text);
  return text;
}

/** The value of label `key`, or undefined when absent (own properties only). */
function labelValue(labels: { readonly [key: string]: string }, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(labels, key)) return undefined;
  const value = labels[key];
  return value === undefined || value === null ? undefined : String(value);
}

function evaluateLeaf(node: SelectorNode, labels: { readonly [key: string]: string }): boolean {
  switch (node.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return labelValue(labels, node.key) !== undefined;
    case 'eq': {
      const v = labelValue(labels, node.key);
      return v !== undefined && v === node.value;
    }
    case 'ne': {
      const v = labelValue(labels, node.key);
      return v === undefined || v !== node.value;
    }
    case 'contains': {
      const v = labelValue(labels, node.key);
      return v !== undefined && v.includes(node.value);
    }
    case 'startsWith': {
      const v = labelValue(labels, node.key);
      return v !== undefined && v.startsWith(node.value);
    }
    case 'endsWith': {
      const v = labelValue(labels, node.key);
      return v !== undefined && v.endsWith(node.value);
    }
    case 'in': {
      const v = labelValue(labels, node.key);
      return v !== undefined && node.values.includes(v);
    }
    case 'notIn': {
      const v = labelValue(labels, node.key);
      return v === undefined || !node.values.includes(v);
    }
    default:
      throw new Error(`not a leaf selector node: ${node.kind}`);
  }
}

/**
 * Evaluates a selector tree against a label set with Calico's semantics: `!=` and `not in`
 * match when the label is absent; `==`, `in`, `contains`, `starts with` and `ends with` need
 * it present; `all()` and `global()` match every label set.
 *
 * Iterative with short-circuiting `&&` / `||`, so arbitrarily deep trees evaluate.
 */
export function evaluateSelector(root: SelectorNode, labels: { readonly [key: string]: string }): boolean {
  const stack: Array<{ readonly node: SelectorNode; next: number }> = [];
  let current: SelectorNode = root;
  for (;;) {
    // Walk down to a leaf, remembering the way back.
    while (current.kind === 'not' || current.kind === 'and' || current.kind === 'or') {
      if (current.kind === 'not') {
        stack.push({ node: current, next: 0 });
        current = current.operand;
      } else {
        stack.push({ node: current, next: 1 });
        current = current.operands[0];
      }
    }
    let result = evaluateLeaf(current, labels);
    // Walk back up until an `&&` / `||` still needs another operand.
    let descended = false;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = top.node;
      if (node.kind === 'not') {
        result = !result;
        stack.pop();
        continue;
      }
      const compound = node as CompoundNode;
      const decided = compound.kind === 'and' ? !result : result;
      if (decided || top.next >= compound.operands.length) {
        stack.pop();
        continue;
      }
      current = compound.operands[top.next++];
      descended = true;
      break;
    }
    if (!descended) return result;
  }
}
