import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quoteJson } from '../core/quote';
import {
  ALL_NODE, GLOBAL_NODE, MAX_LABEL_KEY_LENGTH, SelectorNode, codeUnitEscape, evaluateSelector, isQuotableValue,
  isValidLabelKey, parseSelector, printSelector, toValueSet, unpairedSurrogateAt,
} from './selector-parser';

/**
 * A Calico label selector: which endpoints, nodes, peers or namespaces a resource applies to.
 *
 * Build one from parts, or parse Calico's own text; either way `toString()` renders exactly the
 * canonical text Calico prints for it (`calicoctl get -o yaml` shows the same string), and
 * `matches()` evaluates it with Calico's semantics.
 *
 * ```ts
 * Selector.has('route-reflector').negated();                       // !has(route-reflector)
 * Selector.eq('rack', 'a').andAlso(Selector.has('edge'));          // (rack == "a" && has(edge))
 * Selector.notIn('projectcalico.org/name', ['kube-system']);       // projectcalico.org/name not in {"kube-system"}
 * Selector.parse("app == 'web' || app == 'api'").toString();       // (app == "web" || app == "api")
 * ```
 *
 * | Calico syntax          | Builder                                         |
 * |------------------------|-------------------------------------------------|
 * | `all()`                | `Selector.all()`                                |
 * | `global()`             | `Selector.globalResources()`                    |
 * | `has(k)`               | `Selector.has(k)`                               |
 * | `!has(k)`              | `Selector.has(k).negated()`                     |
 * | `k == "v"`             | `Selector.eq(k, v)`                             |
 * | `k != "v"`             | `Selector.notEq(k, v)`                          |
 * | `k in {"a", "b"}`      | `Selector.isIn(k, [a, b])`                      |
 * | `k not in {"a", "b"}`  | `Selector.notIn(k, [a, b])`                     |
 * | `k contains "v"`       | `Selector.contains(k, v)`                       |
 * | `k starts with "v"`    | `Selector.startsWith(k, v)`                     |
 * | `k ends with "v"`      | `Selector.endsWith(k, v)`                       |
 * | `a && b`               | `Selector.allOf(a, b)` or `a.andAlso(b)`        |
 * | `a \|\| b`             | `Selector.anyOf(a, b)` or `a.orElse(b)`         |
 * | `!a`                   | `Selector.negate(a)` or `a.negated()`           |
 *
 * The builders are not named `in`, `and`, `or`, `not` or `global` because those are reserved
 * words in Python (and `in` in C#), which jsii cannot bind.
 *
 * Label keys are 1 to 512 characters of letters, digits, `_`, `.`, `/` and `-`. Calico's
 * selector syntax has no escapes, so a value may contain `"` or `'` but not both. Any Unicode
 * text is allowed in values, but not half of a UTF-16 surrogate pair (a string cut in the
 * middle of an emoji, say), which no manifest can carry.
 */
export class Selector {
  /**
   * Matches everything: `all()`. Calico also reads an empty selector as `all()`.
   */
  public static all(): Selector {
    return new Selector(ALL_NODE);
  }

  /**
   * Calico's `global()`: in a rule's `namespaceSelector`, matches resources that have no
   * namespace (host endpoints, global network sets) instead of namespaced ones.
   *
   * Evaluated against a plain label set (`matches()`), it matches every label set, as
   * Calico's own evaluator does; the namespaced/global distinction is made by Calico's policy
   * engine, not by the selector.
   */
  public static globalResources(): Selector {
    return new Selector(GLOBAL_NODE);
  }

  /**
   * Matches when label `key` is present, whatever its value: `has(key)`.
   * @param key label key, e.g. `route-reflector`
   */
  public static has(key: string): Selector {
    checkArguments('Selector.has', [key]);
    return new Selector({ kind: 'has', key: checkKey('has', key) });
  }

  /**
   * Matches when label `key` is present and equals `value`: `key == "value"`.
   * @param key label key
   * @param value the value the label must have
   */
  public static eq(key: string, value: string): Selector {
    checkArguments('Selector.eq', [key, value]);
    return new Selector({ kind: 'eq', key: checkKey('eq', key), value: checkValue('eq', value) });
  }

  /**
   * Matches when label `key` is absent or has another value: `key != "value"`.
   * @param key label key
   * @param value the value the label must not have
   */
  public static notEq(key: string, value: string): Selector {
    checkArguments('Selector.notEq', [key, value]);
    return new Selector({ kind: 'ne', key: checkKey('notEq', key), value: checkValue('notEq', value) });
  }

  /**
   * Matches when label `key` is present with one of `values`: `key in {"a", "b"}`.
   * Values are sorted and de-duplicated, as Calico prints them; an empty list matches nothing.
   * @param key label key
   * @param values the values the label may have
   */
  public static isIn(key: string, values: string[]): Selector {
    checkArguments('Selector.isIn', [key, values]);
    return new Selector({ kind: 'in', key: checkKey('isIn', key), values: checkValues('isIn', values) });
  }

  /**
   * Matches when label `key` is absent or has none of `values`: `key not in {"a", "b"}`.
   * Values are sorted and de-duplicated, as Calico prints them; an empty list matches everything.
   * @param key label key
   * @param values the values the label may not have
   */
  public static notIn(key: string, values: string[]): Selector {
    checkArguments('Selector.notIn', [key, values]);
    return new Selector({ kind: 'notIn', key: checkKey('notIn', key), values: checkValues('notIn', values) });
  }

  /**
   * Matches when label `key` is present and its value contains `value`: `key contains "value"`.
   * @param key label key
   * @param value the text the label's value must contain
   */
  public static contains(key: string, value: string): Selector {
    checkArguments('Selector.contains', [key, value]);
    return new Selector({ kind: 'contains', key: checkKey('contains', key), value: checkValue('contains', value) });
  }

  /**
   * Matches when label `key` is present and its value starts with `value`: `key starts with "value"`.
   * @param key label key
   * @param value the prefix the label's value must have
   */
  public static startsWith(key: string, value: string): Selector {
    checkArguments('Selector.startsWith', [key, value]);
    return new Selector({ kind: 'startsWith', key: checkKey('startsWith', key), value: checkValue('startsWith', value) });
  }

  /**
   * Matches when label `key` is present and its value ends with `value`: `key ends with "value"`.
   * @param key label key
   * @param value the suffix the label's value must have
   */
  public static endsWith(key: string, value: string): Selector {
    checkArguments('Selector.endsWith', [key, value]);
    return new Selector({ kind: 'endsWith', key: checkKey('endsWith', key), value: checkValue('endsWith', value) });
  }

  /**
   * Matches when every one of `selectors` matches: `(a && b && c)`. One selector is returned
   * as it is; operands that are themselves `&&` groups are merged into one group.
   * @param selectors at least one selector
   */
  public static allOf(...selectors: Selector[]): Selector {
    checkArguments('Selector.allOf', selectors);
    return Selector.combine('and', 'allOf', selectors);
  }

  /**
   * Matches when at least one of `selectors` matches: `(a || b || c)`. One selector is returned
   * as it is; operands that are themselves `||` groups are merged into one group.
   * @param selectors at least one selector
   */
  public static anyOf(...selectors: Selector[]): Selector {
    checkArguments('Selector.anyOf', selectors);
    return Selector.combine('or', 'anyOf', selectors);
  }

  /**
   * Matches exactly when `selector` does not: `!selector`. Negating a negation returns the
   * inner selector.
   * @param selector the selector to negate
   */
  public static negate(selector: Selector): Selector {
    checkArguments('Selector.negate', [selector]);
    const node = Selector.nodeOf('negate', selector, 0);
    return new Selector(node.kind === 'not' ? node.operand : { kind: 'not', operand: node });
  }

  /**
   * Parses Calico selector text, accepting exactly what Calico accepts (empty text is `all()`).
   *
   * @param text selector text, e.g. `has(route-reflector) && rack in {"a", "b"}`
   * @throws CalicoValidationError naming the position and the offending text when Calico
   *         would reject it, e.g. `invalid selector "a == ": expected a value at position 5, ...`
   */
  public static parse(text: string): Selector {
    checkArguments('Selector.parse', [text]);
    const result = parseSelector(text);
    if (result.error !== undefined) throw new CalicoValidationError(result.error);
    return new Selector(result.node);
  }

  private static combine(kind: 'and' | 'or', method: string, selectors: Selector[]): Selector {
    if (selectors.length === 0) {
      throw new CalicoValidationError(`Selector.${method}() needs at least one selector; `
        + 'pass one or more, or use Selector.all() to match everything');
    }
    const operands: SelectorNode[] = [];
    selectors.forEach((s, index) => {
      const node = Selector.nodeOf(method, s, index);
      if (node.kind === kind) operands.push(...node.operands);
      else operands.push(node);
    });
    return new Selector(operands.length === 1 ? operands[0] : { kind, operands });
  }

  private static nodeOf(method: string, selector: Selector, index: number): SelectorNode {
    if (!(selector instanceof Selector)) {
      throw new CalicoValidationError(`Selector.${method}(): argument ${index + 1} is not a Selector (got ${quoteJson(selector)}); `
        + 'build one with Selector.has(), Selector.eq() or Selector.parse()');
    }
    return selector.node;
  }

  /** The canonical text, once printed. */
  private text?: string;

  private constructor(private readonly node: SelectorNode) {}

  /**
   * This selector and `other`: `(this && other)`. Named `andAlso` because `and` is reserved in Python.
   * @param other the selector that must match as well
   */
  public andAlso(other: Selector): Selector {
    return Selector.allOf(this, other);
  }

  /**
   * This selector or `other`: `(this || other)`. Named `orElse` because `or` is reserved in Python.
   * @param other the selector that may match instead
   */
  public orElse(other: Selector): Selector {
    return Selector.anyOf(this, other);
  }

  /**
   * The negation of this selector: `!this`. Named `negated` because `not` is reserved in Python.
   */
  public negated(): Selector {
    return Selector.negate(this);
  }

  /**
   * Whether a resource with these labels is selected, with Calico's semantics: `!=` and
   * `not in` match when the label is absent, `==`, `in`, `contains`, `starts with` and
   * `ends with` need it present, `has()` only needs it present, and `all()` and `global()`
   * match every label set.
   * @param labels the resource's labels
   */
  public matches(labels: { [key: string]: string }): boolean {
    checkArguments('Selector.matches', [labels]);
    return evaluateSelector(this.node, labels);
  }

  /**
   * Whether `other` has the same canonical text (`a && b` and `b && a` are different selectors).
   * @param other the selector to compare with
   */
  public sameAs(other: Selector): boolean {
    return other instanceof Selector && (other.node === this.node || other.toString() === this.toString());
  }

  /**
   * Whether this selector is exactly `all()` (or empty text), which selects everything.
   */
  public isAll(): boolean {
    return this.node.kind === 'all';
  }

  /**
   * Calico's canonical text for this selector, exactly as Calico prints a parsed selector:
   * values in double quotes (single when the value holds a `"`), every `&&` / `||` group in
   * parentheses, set values sorted.
   */
  public toString(): string {
    // A selector never changes: its text is printed once.
    if (this.text === undefined) this.text = printSelector(this.node);
    return this.text;
  }
}

function checkKey(method: string, key: string): string {
  if (isValidLabelKey(key)) return key;
  const reason = key.length === 0 ? 'is empty'
    : key.length > MAX_LABEL_KEY_LENGTH ? `is ${key.length} characters long (at most ${MAX_LABEL_KEY_LENGTH})`
      : 'has a character Calico selectors cannot name';
  throw new CalicoValidationError(`Selector.${method}(): label key ${quoteJson(key)} ${reason}; `
    + `use 1 to ${MAX_LABEL_KEY_LENGTH} letters, digits, "_", ".", "/" or "-", e.g. "app.kubernetes.io/name"`);
}

function checkValue(method: string, value: string): string {
  if (!isQuotableValue(value)) {
    throw new CalicoValidationError(`Selector.${method}(): value ${quoteJson(value)} contains both ' and "; `
      + 'Calico selectors have no escapes, so a value may contain one kind of quote but not both');
  }
  const at = unpairedSurrogateAt(value);
  if (at >= 0) {
    throw new CalicoValidationError(`Selector.${method}(): value ${quoteJson(value)} has half of a UTF-16 `
      + `surrogate pair (${codeUnitEscape(value, at)}) at index ${at} without its other half, which cannot be written `
      + 'to a manifest Kubernetes accepts; remove it or restore the whole character it was cut from');
  }
  return value;
}

function checkValues(method: string, values: string[]): string[] {
  values.forEach(v => checkValue(method, v));
  return toValueSet(values);
}
