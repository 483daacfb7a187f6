/**
 * Calico's selector language: tokenizer and parser.
 *
 * Accepts exactly what the selector parser of both supported lines accepts, Calico v3.31 and
 * v3.32 (libcalico-go/lib/selector/tokenizer and parser; the two lines' tokenizer and parser are
 * the same code), and builds the same tree, so the printed form matches Calico's canonical text:
 *
 * - whitespace is only space and tab (a newline is an error, also inside `has( )`, `all( )`,
 *   `global( )` and between the words of `not in`, `starts with`, `ends with`);
 * - values are quoted with `"` or `'` and have no escapes;
 * - label keys are 1-512 characters of `[a-zA-Z0-9_./-]`, and a longer run of those characters is
 *   an error (it is never split into a key and an operator);
 * - after a label comes an operator: `==`, `!=`, `in`, `not in` (or `notin`), `contains`,
 *   `starts with` (or `startswith`), `ends with` (or `endswith`); an operator word must end where
 *   a label key could not go on (`a containsx "b"` and `a in-x {}` are errors);
 * - `!` binds tightest, then `&&`, then `||`; runs of `!` collapse (`!!x` is `x`);
 * - a set may be empty or end with a comma (`a in {}`, `a in {"x",}`);
 * - empty (or blank) text is `all()`;
 * - text holding an unpaired UTF-16 surrogate is rejected: it has no UTF-8 form, so Calico (whose
 *   strings are UTF-8) can never receive it as written (see `unpairedSurrogateAt`).
 *
 * Calico v3.28, no longer supported, matched with regular expressions and accepted a little more:
 * any of `[\t\n\f\r ]` inside `has( )`, `all( )`, `global( )` and between operator words, and a
 * label run past 512 characters read as its first 512 characters followed by an operator word
 * (`<512 characters>in {"x"}`). The v3.31 rewrite rejects both; so does this parser.
 *
 * The whole text is tokenized before parsing, as Calico does, so a bad character anywhere is
 * reported before a grammar problem earlier in the text. Positions count UTF-16 characters
 * from 0. Parsing is iterative and linear in the length of the text, so nesting depth is unlimited
 * (as with Calico's Go parser).
 *
 * Length: Calico v3.31 and v3.32 limit only label keys (512 characters, the tokenizer's
 * MaxLabelLength); neither their parser nor their validator (libcalico-go/lib/validator/v3,
 * `selector` tag) caps a selector, and their CRDs give selector fields no maxLength. (Calico's
 * development line adds a 1,024-character maxLength to the selector fields of its v3 API types,
 * first tagged in v3.34.0-0.dev; the supported lines accept longer selectors.) So the cap here is
 * what Kubernetes accepts at all, MAX_SELECTOR_LENGTH: longer text is refused before it is read.
 */
import { isShortened, quoteJson } from '../core/quote';
import { MAX_REQUEST_BYTES } from '../core/limits';
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

/**
 * The tokens of a text, one column per field (kind, where it starts and ends, where its value
 * starts and ends), so that a text of millions of tokens costs a few typed arrays rather than
 * millions of objects. The value of a Label or Has token is its label key, of a Str token the text
 * between its quotes.
 */
class Tokens {
  public count = 0;
  /** How many `(` tokens there are. */
  public openings = 0;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private valueStarts: Int32Array;
  private valueEnds: Int32Array;

  constructor(private readonly text: string) {
    // A text has at most one token per character, and the end.
    const capacity = Math.min(text.length + 1, 64);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.valueStarts = new Int32Array(capacity);
    this.valueEnds = new Int32Array(capacity);
  }

  public push(kind: Tok, pos: number, end: number, valueStart = pos, valueEnd = pos): void {
    if (this.count === this.kinds.length) this.grow();
    if (kind === Tok.LParen) this.openings++;
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = pos;
    this.ends[i] = end;
    this.valueStarts[i] = valueStart;
    this.valueEnds[i] = valueEnd;
  }

  /** The kind of token `i`. */
  public kind(i: number): Tok {
    return this.kinds[i];
  }

  /** Index of the first character of token `i`. */
  public pos(i: number): number {
    return this.starts[i];
  }

  /** Index just past the last character of token `i`. */
  public end(i: number): number {
    return this.ends[i];
  }

  /** The label key (Label, Has) or unquoted value (Str) of token `i`. */
  public value(i: number): string {
    return this.text.slice(this.valueStarts[i], this.valueEnds[i]);
  }

  private grow(): void {
    const widen = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const wider = make(a.length * 2);
      wider.set(a);
      return wider;
    };
    this.kinds = widen(this.kinds, n => new Uint8Array(n));
    this.starts = widen(this.starts, n => new Int32Array(n));
    this.ends = widen(this.ends, n => new Int32Array(n));
    this.valueStarts = widen(this.valueStarts, n => new Int32Array(n));
    this.valueEnds = widen(this.valueEnds, n => new Int32Array(n));
  }
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

function describeToken(text: string, tokens: Tokens, t: number): string {
  if (tokens.kind(t) === Tok.EOF) return 'the end of the selector';
  const raw = text.slice(tokens.pos(t), Math.min(tokens.end(t), tokens.pos(t) + 61));
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

function tokenize(text: string): Tokens {
  const tokens = new Tokens(text);
  let i = 0;
  const push = (kind: Tok, pos: number, end: number, valueStart?: number, valueEnd?: number) => {
    tokens.push(kind, pos, end, valueStart, valueEnd);
    i = end;
  };
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= text.length) {
      tokens.push(Tok.EOF, text.length, text.length);
      return tokens;
    }
    const lastKind = tokens.count > 0 ? tokens.kind(tokens.count - 1) : undefined;
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
        push(Tok.Str, i, close + 1, i + 1, close);
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
        const label = tokens.value(tokens.count - 1);
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
      push(Tok.Has, i, close + 1, keyStart, keyEnd);
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
    push(Tok.Label, i, end, i, end);
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

/**
 * The last operand of a `&&` / `||` run: `node` itself when it is alone, else one node of the
 * operands from `start` on and `node`, which leave the stack.
 */
function closeRun(kind: 'and' | 'or', operands: SelectorNode[], start: number, node: SelectorNode): SelectorNode {
  if (operands.length === start) return node;
  operands.push(node);
  const combined: SelectorNode = { kind, operands: operands.slice(start) };
  operands.length = start;
  return combined;
}

/**
 * Builds the tree of a token list. Iterative: the `&&` and `||` operands being collected live on
 * two stacks, and each open `(` records where its operands start, whether it was negated and where
 * it stands, so nesting costs numbers, not objects.
 */
function parseTokens(text: string, tokens: Tokens): SelectorNode {
  if (tokens.kind(0) === Tok.EOF) return ALL_NODE;
  let i = 0;
  const ands: SelectorNode[] = [];
  const ors: SelectorNode[] = [];
  // One entry per open `(`: where its operands start on each stack, its negation and its position,
  // in typed arrays sized for every `(` of the text.
  const andStarts = new Int32Array(tokens.openings);
  const orStarts = new Int32Array(tokens.openings);
  const negations = new Uint8Array(tokens.openings);
  const opens = new Int32Array(tokens.openings);
  let depth = 0;

  /** Parses one comparison, has(), all() or global() at `i` (the start of an operation). */
  const parseLeaf = (): SelectorNode => {
    const t = i;
    switch (tokens.kind(t)) {
      case Tok.Has:
        i++;
        return { kind: 'has', key: tokens.value(t) };
      case Tok.All:
        i++;
        return ALL_NODE;
      case Tok.Global:
        i++;
        return GLOBAL_NODE;
      case Tok.Label:
        break;
      default:
        throw new SyntaxProblem(`expected a label, has(...), all(), global(), "!" or "(" at position ${tokens.pos(t)}, `
          + `found ${describeToken(text, tokens, t)}`);
    }
    const key = tokens.value(t);
    const op = t + 1;
    const opKind = tokens.kind(op);
    const valueOperator = VALUE_OPERATORS[opKind];
    if (valueOperator !== undefined) {
      const v = t + 2;
      if (tokens.kind(v) !== Tok.Str) {
        throw new SyntaxProblem(`expected a value at position ${tokens.pos(v)}, found ${describeToken(text, tokens, v)}; `
          + `quote the value, e.g. ${abbreviate(key)} ${OPERATOR_WORDS[valueOperator]} "x"`);
      }
      i += 3;
      return { kind: valueOperator, key, value: tokens.value(v) };
    }
    if (opKind === Tok.In || opKind === Tok.NotIn) {
      const brace = t + 2;
      if (tokens.kind(brace) !== Tok.LBrace) {
        throw new SyntaxProblem(`expected "{" at position ${tokens.pos(brace)} to start the set of values, found `
          + `${describeToken(text, tokens, brace)}; write e.g. ${abbreviate(key)} ${opKind === Tok.In ? 'in' : 'not in'} {"x", "y"}`);
      }
      let j = t + 3;
      const values: string[] = [];
      let afterValue = false;
      while (tokens.kind(j) === Tok.Str) {
        values.push(tokens.value(j));
        j++;
        afterValue = true;
        if (tokens.kind(j) !== Tok.Comma) break;
        j++;
        afterValue = false;
      }
      if (tokens.kind(j) !== Tok.RBrace) {
        const wanted = afterValue ? '"," or "}"' : 'a quoted value or "}"';
        throw new SyntaxProblem(`expected ${wanted} at position ${tokens.pos(j)} in the set that starts at position `
          + `${tokens.pos(brace)}, found ${describeToken(text, tokens, j)}`);
      }
      i = j + 1;
      return { kind: opKind === Tok.In ? 'in' : 'notIn', key, values: toValueSet(values) };
    }
    throw new SyntaxProblem(`expected an operator after label "${abbreviate(key)}" at position ${tokens.pos(op)}, `
      + `found ${describeToken(text, tokens, op)}; ${OPERATORS_HINT}`);
  };

  for (;;) {
    // Start of an operation: collapse leading `!`s, then a `(` group or a leaf.
    let negated = false;
    while (tokens.kind(i) === Tok.Not) {
      negated = !negated;
      i++;
    }
    if (tokens.kind(i) === Tok.LParen) {
      andStarts[depth] = ands.length;
      orStarts[depth] = ors.length;
      negations[depth] = negated ? 1 : 0;
      opens[depth] = tokens.pos(i);
      depth++;
      i++;
      continue;
    }
    const leaf = parseLeaf();
    let node: SelectorNode = negated ? { kind: 'not', operand: leaf } : leaf;
    // The operation is complete: close every `&&` / `||` group and `(` it ends. An operand that
    // is alone in its group (the common case, and every level of `((((x))))`) skips the stacks.
    for (;;) {
      if (tokens.kind(i) === Tok.And) {
        ands.push(node);
        break;
      }
      const andStart = depth > 0 ? andStarts[depth - 1] : 0;
      const conjunction = closeRun('and', ands, andStart, node);
      if (tokens.kind(i) === Tok.Or) {
        ors.push(conjunction);
        break;
      }
      const orStart = depth > 0 ? orStarts[depth - 1] : 0;
      const expression = closeRun('or', ors, orStart, conjunction);
      const next = i;
      const nextKind = tokens.kind(next);
      if (depth === 0) {
        if (nextKind === Tok.EOF) return expression;
        if (nextKind === Tok.RParen) {
          throw new SyntaxProblem(`unmatched ")" at position ${tokens.pos(next)}; remove it or add the "(" it closes`);
        }
        throw new SyntaxProblem(`unexpected ${describeToken(text, tokens, next)} at position ${tokens.pos(next)} after a complete `
          + 'expression; join expressions with && or ||');
      }
      if (nextKind !== Tok.RParen) {
        throw new SyntaxProblem(`expected ")" at position ${tokens.pos(next)} to close the "(" at position ${opens[depth - 1]}, `
          + `found ${describeToken(text, tokens, next)}`);
      }
      i++;
      depth--;
      node = negations[depth] ? { kind: 'not', operand: expression } : expression;
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

/**
 * The longest selector text read: the Kubernetes API server's request limit (3 MiB), since no
 * manifest that holds a longer selector can be applied. See the module notes for Calico's limits.
 */
export const MAX_SELECTOR_LENGTH = MAX_REQUEST_BYTES;

function parseUncached(text: string): SelectorParseResult {
  if (text.length > MAX_SELECTOR_LENGTH) {
    return {
      error: `invalid selector ${quoteJson(text)}: it is longer than the ${MAX_SELECTOR_LENGTH} bytes the Kubernetes API server `
        + 'accepts in one request, so no manifest can carry it; select with a shorter expression',
    };
  }
  try {
    checkEncodable(text);
    return { node: parseTokens(text, tokenize(text)) };
  } catch (e) {
    if (e instanceof SyntaxProblem) {
      const length = isShortened(text) ? ` (the selector is ${text.length} characters long)` : '';
      return { error: `invalid selector ${quoteJson(text, { length: false })}: ${e.detail}${length}` };
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
    return { error: `invalid selector ${quoteJson(text)}: a selector must be a string, e.g. "has(app)"` };
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
