/**
 * Calico's selector language: tokenizer and parser.
 *
 * Accepts exactly what Calico v3.28's parser accepts (libcalico-go/lib/selector/tokenizer and
 * parser) and builds the same tree, so the printed form matches Calico's canonical text:
 *
 * - whitespace is only space and tab (a newline is an error);
 * - values are quoted with `"` or `'` and have no escapes;
 * - label keys are 1-512 characters of `[a-zA-Z0-9_./-]`;
 * - after a label comes an operator: `==`, `!=`, `in`, `not in` (or `notin`), `contains`,
 *   `starts with` (or `startswith`), `ends with` (or `endswith`);
 * - `!` binds tightest, then `&&`, then `||`; runs of `!` collapse (`!!x` is `x`);
 * - a set may be empty or end with a comma (`a in {}`, `a in {"x",}`);
 * - empty (or blank) text is `all()`;
 * - text holding an unpaired UTF-16 surrogate is rejected: it has no UTF-8 form, so Calico (whose
 *   strings are UTF-8) can never receive it as written (see `unpairedSurrogateAt`).
 *
 * The whole text is tokenized before parsing, as Calico does, so a bad character anywhere is
 * reported before a grammar problem earlier in the text. Positions count UTF-16 characters
 * from 0. Parsing is iterative, so nesting depth is unlimited (as with Calico's Go parser).
 */
import {
  ALL_NODE, GLOBAL_NODE, MAX_LABEL_KEY_LENGTH, SelectorNode, ValueOperator, codeUnitEscape, isLabelKeyChar,
  toValueSet, unpairedSurrogateAt,
} from './selector-ast';

export type { SelectorNode } from './selector-ast';
export {
  printSelector, evaluateSelector, isValidLabelKey, isQuotableValue, toValueSet, unpairedSurrogateAt, codeUnitEscape,
  MAX_LABEL_KEY_LENGTH, ALL_NODE, GLOBAL_NODE,
} from './selector-ast';

enum Tok {
  Label, Str, LBrace, RBrace, Comma, Eq, Ne, In, Not, NotIn, Contains, StartsWith, EndsWith,
  All, Has, LParen, RParen, And, Or, Global, EOF,
}

interface Token {
  readonly kind: Tok;
  /** Index of the token's first character. */
  readonly pos: number;
  /** Index just past the token's last character. */
  readonly end: number;
  /** Label key (Label, Has) or unquoted value (Str). */
  readonly value: string;
}

/** A syntax problem at a position; internal, always caught and turned into a message. */
class SyntaxProblem {
  constructor(public readonly detail: string) {}
}

const SPACE = 32;
const TAB = 9;

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function labelKeyEnd(text: string, i: number): number {
  while (i < text.length && isLabelKeyChar(text.charCodeAt(i))) i++;
  return i;
}

/** The text at `i` for a message: a run of label characters, one character, or the end. */
function describeAt(text: string, i: number): string {
  if (i >= text.length) return 'the end of the selector';
  const end = labelKeyEnd(text, i);
  if (end > i) return JSON.stringify(text.slice(i, Math.min(end, i + 40)) + (end > i + 40 ? '...' : ''));
  const cp = text.codePointAt(i)!;
  return JSON.stringify(String.fromCodePoint(cp));
}

function describeToken(text: string, t: Token): string {
  if (t.kind === Tok.EOF) return 'the end of the selector';
  const raw = text.slice(t.pos, t.end);
  return JSON.stringify(raw.length > 60 ? raw.slice(0, 60) + '...' : raw);
}

function abbreviate(key: string): string {
  return key.length > 40 ? key.slice(0, 40) + '...' : key;
}

const OPERATORS_HINT = 'use ==, !=, in, not in, contains, starts with or ends with';

/** Whether an operator word ends at `i` (end of text or a character that cannot continue a label). */
function isWordBoundary(text: string, i: number): boolean {
  return i >= text.length || !isLabelKeyChar(text.charCodeAt(i));
}

/** Matches the single operator word `word` at `i`, directly followed by a word boundary; returns its end or -1. */
function matchWord(text: string, i: number, word: string): number {
  const end = i + word.length;
  return text.startsWith(word, i) && isWordBoundary(text, end) ? end : -1;
}

/**
 * Matches the operator `words` at `i`, each followed by optional spaces/tabs, and then a word boundary (as
 * Calico checks it: after the trailing whitespace); returns where the match ends or -1.
 */
function matchOperator(text: string, i: number, ...words: string[]): number {
  let j = i;
  for (const word of words) {
    if (!text.startsWith(word, j)) return -1;
    j = skipWhitespace(text, j + word.length);
  }
  return isWordBoundary(text, j) ? j : -1;
}

/**
 * Reads a label key at `i` and returns its end; throws when the key is too long, or when there
 * is none (with `missing`, which names what was expected).
 */
function readLabelKey(text: string, i: number, missing: string): number {
  const end = labelKeyEnd(text, i);
  if (end === i) {
    throw new SyntaxProblem(`${missing} at position ${i}, found ${describeAt(text, i)}; `
      + 'label keys use letters, digits, "_", ".", "/" and "-", and values must be quoted');
  }
  if (end - i > MAX_LABEL_KEY_LENGTH) {
    throw new SyntaxProblem(`label "${abbreviate(text.slice(i, end))}" at position ${i} is ${end - i} characters long; `
      + `Calico allows at most ${MAX_LABEL_KEY_LENGTH}`);
  }
  return end;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Tok, pos: number, end: number, value = '') => {
    tokens.push({ kind, pos, end, value });
    i = end;
  };
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= text.length) {
      tokens.push({ kind: Tok.EOF, pos: text.length, end: text.length, value: '' });
      return tokens;
    }
    const lastKind = tokens.length > 0 ? tokens[tokens.length - 1].kind : undefined;
    const c = text[i];
    switch (c) {
      case '(': push(Tok.LParen, i, i + 1); continue;
      case ')': push(Tok.RParen, i, i + 1); continue;
      case '{': push(Tok.LBrace, i, i + 1); continue;
      case '}': push(Tok.RBrace, i, i + 1); continue;
      case ',': push(Tok.Comma, i, i + 1); continue;
      case '"':
      case "'": {
        const close = text.indexOf(c, i + 1);
        if (close < 0) {
          throw new SyntaxProblem(`the value starting with ${c} at position ${i} is never closed; add a closing ${c}`);
        }
        push(Tok.Str, i, close + 1, text.slice(i + 1, close));
        continue;
      }
      case '=':
        if (text[i + 1] !== '=') {
          throw new SyntaxProblem(`single "=" at position ${i}; use "==" to compare a label with a value`);
        }
        push(Tok.Eq, i, i + 2);
        continue;
      case '!':
        if (text[i + 1] === '=') push(Tok.Ne, i, i + 2);
        else push(Tok.Not, i, i + 1);
        continue;
      case '&':
        if (text[i + 1] !== '&') throw new SyntaxProblem(`single "&" at position ${i}; use "&&" to require both expressions`);
        push(Tok.And, i, i + 2);
        continue;
      case '|':
        if (text[i + 1] !== '|') throw new SyntaxProblem(`single "|" at position ${i}; use "||" to accept either expression`);
        push(Tok.Or, i, i + 2);
        continue;
      default:
        break;
    }
    if (lastKind === Tok.Label) {
      // After a label only an operator word may follow.
      let end: number;
      if ((end = matchWord(text, i, 'contains')) >= 0) push(Tok.Contains, i, end);
      else if ((end = matchOperator(text, i, 'starts', 'with')) >= 0) push(Tok.StartsWith, i, end);
      else if ((end = matchOperator(text, i, 'ends', 'with')) >= 0) push(Tok.EndsWith, i, end);
      else if ((end = matchOperator(text, i, 'not', 'in')) >= 0) push(Tok.NotIn, i, end);
      else if ((end = matchWord(text, i, 'in')) >= 0) push(Tok.In, i, end);
      else {
        const label = tokens[tokens.length - 1].value;
        throw new SyntaxProblem(`expected an operator after label "${abbreviate(label)}" at position ${i}, `
          + `found ${describeAt(text, i)}; ${OPERATORS_HINT}`);
      }
      continue;
    }
    if (text.startsWith('has(', i)) {
      const keyStart = skipWhitespace(text, i + 4);
      const keyEnd = readLabelKey(text, keyStart, 'expected a label key after "has("');
      const close = skipWhitespace(text, keyEnd);
      if (text[close] !== ')') {
        throw new SyntaxProblem(`expected ")" to close "has(" at position ${close}, found ${describeAt(text, close)}`);
      }
      push(Tok.Has, i, close + 1, text.slice(keyStart, keyEnd));
      continue;
    }
    if (text.startsWith('all(', i) || text.startsWith('global(', i)) {
      const isAll = text[i] === 'a';
      const close = skipWhitespace(text, i + (isAll ? 4 : 7));
      if (text[close] !== ')') {
        const name = isAll ? 'all(' : 'global(';
        throw new SyntaxProblem(`expected ")" to close "${name}" at position ${close}, found ${describeAt(text, close)}; `
          + `write ${name})`);
      }
      push(isAll ? Tok.All : Tok.Global, i, close + 1);
      continue;
    }
    const end = readLabelKey(text, i, 'expected a label, has(...), all(), global(), "!" or "("');
    push(Tok.Label, i, end, text.slice(i, end));
  }
}

const VALUE_OPERATORS: Partial<Record<Tok, ValueOperator>> = {
  [Tok.Eq]: 'eq',
  [Tok.Ne]: 'ne',
  [Tok.Contains]: 'contains',
  [Tok.StartsWith]: 'startsWith',
  [Tok.EndsWith]: 'endsWith',
};

const OPERATOR_WORDS: Record<ValueOperator, string> = {
  eq: '==',
  ne: '!=',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
};

/** Operands of the `&&` and `||` groups being built at one parenthesis depth. */
interface Group {
  and: SelectorNode[];
  or: SelectorNode[];
  /** Whether an odd number of `!` preceded the `(` that opened this group. */
  readonly negated: boolean;
  /** Position of the `(` that opened this group; -1 at the top level. */
  readonly open: number;
}

function combine(kind: 'and' | 'or', operands: SelectorNode[]): SelectorNode {
  return operands.length === 1 ? operands[0] : { kind, operands };
}

function parseTokens(text: string, tokens: Token[]): SelectorNode {
  if (tokens[0].kind === Tok.EOF) return ALL_NODE;
  let i = 0;
  const outer: Group[] = [];
  let group: Group = { and: [], or: [], negated: false, open: -1 };

  /** Parses one comparison, has(), all() or global() at `i` (the start of an operation). */
  const parseLeaf = (): SelectorNode => {
    const t = tokens[i];
    switch (t.kind) {
      case Tok.Has:
        i++;
        return { kind: 'has', key: t.value };
      case Tok.All:
        i++;
        return ALL_NODE;
      case Tok.Global:
        i++;
        return GLOBAL_NODE;
      case Tok.Label:
        break;
      default:
        throw new SyntaxProblem(`expected a label, has(...), all(), global(), "!" or "(" at position ${t.pos}, `
          + `found ${describeToken(text, t)}`);
    }
    const op = tokens[i + 1];
    const valueOperator = VALUE_OPERATORS[op.kind];
    if (valueOperator !== undefined) {
      const v = tokens[i + 2];
      if (v.kind !== Tok.Str) {
        throw new SyntaxProblem(`expected a value at position ${v.pos}, found ${describeToken(text, v)}; `
          + `quote the value, e.g. ${abbreviate(t.value)} ${OPERATOR_WORDS[valueOperator]} "x"`);
      }
      i += 3;
      return { kind: valueOperator, key: t.value, value: v.value };
    }
    if (op.kind === Tok.In || op.kind === Tok.NotIn) {
      const brace = tokens[i + 2];
      if (brace.kind !== Tok.LBrace) {
        throw new SyntaxProblem(`expected "{" at position ${brace.pos} to start the set of values, found `
          + `${describeToken(text, brace)}; write e.g. ${abbreviate(t.value)} ${op.kind === Tok.In ? 'in' : 'not in'} {"x", "y"}`);
      }
      let j = i + 3;
      const values: string[] = [];
      let afterValue = false;
      while (tokens[j].kind === Tok.Str) {
        values.push(tokens[j].value);
        j++;
        afterValue = true;
        if (tokens[j].kind !== Tok.Comma) break;
        j++;
        afterValue = false;
      }
      if (tokens[j].kind !== Tok.RBrace) {
        const wanted = afterValue ? '"," or "}"' : 'a quoted value or "}"';
        throw new SyntaxProblem(`expected ${wanted} at position ${tokens[j].pos} in the set that starts at position `
          + `${brace.pos}, found ${describeToken(text, tokens[j])}`);
      }
      i = j + 1;
      return { kind: op.kind === Tok.In ? 'in' : 'notIn', key: t.value, values: toValueSet(values) };
    }
    throw new SyntaxProblem(`expected an operator after label "${abbreviate(t.value)}" at position ${op.pos}, `
      + `found ${describeToken(text, op)}; ${OPERATORS_HINT}`);
  };

  for (;;) {
    // Start of an operation: collapse leading `!`s, then a `(` group or a leaf.
    let negated = false;
    while (tokens[i].kind === Tok.Not) {
      negated = !negated;
      i++;
    }
    if (tokens[i].kind === Tok.LParen) {
      outer.push(group);
      group = { and: [], or: [], negated, open: tokens[i].pos };
      i++;
      continue;
    }
    const leaf = parseLeaf();
    let node: SelectorNode = negated ? { kind: 'not', operand: leaf } : leaf;
    // The operation is complete: close every `&&` / `||` group and `(` it ends.
    for (;;) {
      group.and.push(node);
      if (tokens[i].kind === Tok.And) break;
      group.or.push(combine('and', group.and));
      group.and = [];
      if (tokens[i].kind === Tok.Or) break;
      const expression = combine('or', group.or);
      const next = tokens[i];
      if (outer.length === 0) {
        if (next.kind === Tok.EOF) return expression;
        if (next.kind === Tok.RParen) {
          throw new SyntaxProblem(`unmatched ")" at position ${next.pos}; remove it or add the "(" it closes`);
        }
        throw new SyntaxProblem(`unexpected ${describeToken(text, next)} at position ${next.pos} after a complete `
          + 'expression; join expressions with && or ||');
      }
      if (next.kind !== Tok.RParen) {
        throw new SyntaxProblem(`expected ")" at position ${next.pos} to close the "(" at position ${group.open}, `
          + `found ${describeToken(text, next)}`);
      }
      i++;
      node = group.negated ? { kind: 'not', operand: expression } : expression;
      group = outer.pop()!;
    }
    i++; // past the `&&` or `||`
  }
}

/** The result of parsing selector text: a tree, or a message saying what is wrong and where. */
export type SelectorParseResult =
  | { readonly node: SelectorNode; readonly error?: undefined }
  | { readonly node?: undefined; readonly error: string };

/**
 * Rejects text that cannot reach Calico at all, before Calico's own rules apply: an unpaired
 * surrogate makes the YAML cdk8s writes unreadable to Kubernetes, wherever it is in the text.
 */
function checkEncodable(text: string): void {
  const at = unpairedSurrogateAt(text);
  if (at >= 0) {
    throw new SyntaxProblem(`the character at position ${at} (${codeUnitEscape(text, at)}) is half of a UTF-16 `
      + 'surrogate pair without its other half, which has no UTF-8 form and cannot be written to a manifest '
      + 'Kubernetes accepts; remove it or restore the whole character it was cut from');
  }
}

function parseUncached(text: string): SelectorParseResult {
  try {
    checkEncodable(text);
    return { node: parseTokens(text, tokenize(text)) };
  } catch (e) {
    if (e instanceof SyntaxProblem) {
      return { error: `invalid selector ${JSON.stringify(text)}: ${e.detail}` };
    }
    throw e;
  }
}

/** How many distinct selector texts to remember; beyond it the oldest is forgotten. */
const CACHE_LIMIT = 4096;
/** Longer texts are parsed every time rather than held in memory. */
const CACHE_MAX_TEXT = 8192;
const cache = new Map<string, SelectorParseResult>();

/**
 * Parses selector text with Calico's grammar; never throws for bad text (the result carries
 * the message instead). Results are cached by text (bounded), so the same selector in
 * thousands of resources is parsed once. The returned tree is shared: never mutate it.
 */
export function parseSelector(text: string): SelectorParseResult {
  if (typeof text !== 'string') {
    return { error: `invalid selector ${describeNonString(text)}: a selector must be a string, e.g. "has(app)"` };
  }
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const result = parseUncached(text);
  if (text.length <= CACHE_MAX_TEXT) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(text, result);
  }
  return result;
}

function describeNonString(x: unknown): string {
  try {
    const s = JSON.stringify(x);
    return s === undefined ? String(x) : s;
  } catch {
    return Object.prototype.toString.call(x);
  }
}

/**
 * Why Calico would reject `text` as a selector, or undefined when it is valid. Never throws,
 * whatever it is given. Example: `invalid selector "a == ": expected a value at position 5,
 * found the end of the selector; ...`.
 */
export function selectorError(text: string): string | undefined {
  try {
    return parseSelector(text).error;
  } catch (e) {
    return `invalid selector: ${(e as Error)?.message ?? String(e)}`;
  }
}
