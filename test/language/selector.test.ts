import { CalicoErrors, Selector } from '../../src';
import { CalicoValidationError } from '../../src/core/errors';
import { parseSelector, selectorError } from '../../src/language/selector-parser';

type Labels = { [key: string]: string };

/** The message Selector.parse throws for `text` (failing when it does not throw). */
function parseErrorOf(text: string): string {
  try {
    Selector.parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CalicoValidationError);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

// Ported from Calico's libcalico-go/lib/selector/parser/parser_test.go (selectorTests):
// selector, label sets it matches, label sets it does not match.
const MATCH_TABLE: Array<[string, Labels[], Labels[]]> = [
  ['a == "b"', [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { c: 'd' }]],
  ['a == "b" && c == "d"', [{ a: 'b', c: 'd' }], [{}, { a: 'b', c: 'e' }, { a: 'c', c: 'd' }, { c: 'd' }, { a: 'b' }]],
  ['a == "b" || c == "d"', [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }]],
  [`a in {"'", '"', "c"}`, [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
  [`a not in {"'", '"', "c"}`, [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }, { a: "'" }]],
  ["a == 'a'", [{ a: 'a' }], []],
  ['a == "a"', [{ a: 'a' }], []],
  ['a != "b"', [{ a: 'a' }], []],
  ['a != "a"', [{}], []],
  ['a contains "a"', [{ a: 'a' }, { a: 'bab' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { b: 'aaa' }]],
  ['a starts with "a"', [{ a: 'a' }, { a: 'abb' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'baa' }, { b: 'aaa' }]],
  ['a ends with "a"', [{ a: 'a' }, { a: 'bba' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'aab' }, { b: 'aaa' }]],
  ['a in {"a"}', [{ a: 'a' }], []],
  ['!a in {"a"}', [{ a: 'b' }], []],
  ['a in {"a", "b"}', [{ a: 'a' }, { a: 'b' }], []],
  ['a not in {"d", "e"}', [{ a: 'a' }], []],
  ['has(a)', [{ a: 'b' }], []],
  ['!has(a)', [{ b: 'b' }], []],
  ['', [{}, { a: 'b' }], []],
  [' ', [{}], []],
  ['all()', [{}], []],
  [' all()', [{}, { a: 'b' }], []],
  ['global()', [{}], []],
  [' global()', [{}, { a: 'b' }], []],
  ["a == 'a'", [], [{ a: 'b' }, {}]],
  ['a != "a"', [], [{ a: 'a' }]],
  ["a != 'a'", [], [{ a: 'a' }]],
  ['a in {"a"}', [], [{ a: 'b' }]],
  ['a not in {"a"}', [], [{ a: 'a' }]],
  ['a in {"a", "b"}', [], [{ a: 'c' }]],
  ['has(b)', [], [{ a: 'b' }]],
  ['!!has(b)', [], [{ a: 'b' }]],
  ['! has(a)', [], [{ a: 'b' }]],
  ['!has(a)', [], [{ a: 'b' }]],
  ['!!! has(a)', [], [{ a: 'b' }]],
  ['!!!has(a)', [], [{ a: 'b' }]],
  ['!! ! has(a)', [], [{ a: 'b' }]],
  ['! !!has(a)', [], [{ a: 'b' }]],
  ["a == 'a1' && b == 'b1'", [{ a: 'a1', b: 'b1' }], []],
  ["a == 'a1' && b != 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ["a != 'a1' && b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ["a != 'a1' && b != 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ["a != 'a1' && !b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ["!a == 'a1' && b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ['has(a) && !has(b)', [{ a: 'a' }], []],
  ['!has(b) && has(a)', [{ a: 'a' }], []],
  ['!(!has(a) || has(b))', [{ a: 'a' }], []],
  ['!(has(b) || !has(a))', [{ a: 'a' }], []],
  ["a == 'a1' || b == 'b1'", [{ a: 'a1', b: 'b1' }], []],
  ["a == 'a1' || b != 'b1'", [{ a: 'a1', b: 'b1' }], []],
  ["a != 'a1' || b == 'b1'", [{ a: 'a1', b: 'b1' }], []],
  ["a != 'a1' || b != 'b1'", [], [{ a: 'a1', b: 'b1' }]],
  ["! a == 'a1' || ! b == 'b1'", [], [{ a: 'a1', b: 'b1' }]],
];

// Ported from parser_test.go (canonicalisationTests) and the visitor table's unprefixed forms:
// input text -> the text Calico's parsed selector String() returns.
const CANONICAL_TABLE: Array<[string, string]> = [
  ['', 'all()'],
  [' all() ', 'all()'],
  [' (all() )', 'all()'],
  ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
  ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
  [`a == "'"`, `a == "'"`],
  [`a == '"'`, `a == '"'`],
  [`a contains '"'`, `a contains '"'`],
  [`a contains "'"`, `a contains "'"`],
  [`a startswith '"'`, `a starts with '"'`],
  [`a endswith "'"`, `a ends with "'"`],
  [`a!='"'`, `a != '"'`],
  ['a in {"d"}', 'a in {"d"}'],
  ['a in {"a", "b"}', 'a in {"a", "b"}'],
  ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
  ['a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}'],
  ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
  ["k == 'v'", 'k == "v"'],
  ["k != 'v'", 'k != "v"'],
  ["k contains 'v'", 'k contains "v"'],
  ["k starts with 'v'", 'k starts with "v"'],
  ["k ends with 'v'", 'k ends with "v"'],
  ["k == 'v' && x == 'y'", '(k == "v" && x == "y")'],
  ["k == 'v' || has(x)", '(k == "v" || has(x))'],
  ["!(k == 'v')", '!k == "v"'],
  ["k in {'v'}", 'k in {"v"}'],
  ["k not in {'v'}", 'k not in {"v"}'],
  ["!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))", '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})'],
  // Tokenizer table (tokenizer_test.go): operator spellings and label characters.
  ['a=="b"', 'a == "b"'],
  ['label contains"value"', 'label contains "value"'],
  ['contains contains "contains"', 'contains contains "contains"'],
  ["contains contains 'contains'", 'contains contains "contains"'],
  ['label startswith "value"', 'label starts with "value"'],
  ['label endswith "value"', 'label ends with "value"'],
  ['startswith starts with "value"', 'startswith starts with "value"'],
  ['endswith ends with "value"', 'endswith ends with "value"'],
  ['label starts  with "value"', 'label starts with "value"'],
  ['label ends\twith "value"', 'label ends with "value"'],
  ['has(calico/k8s_ns)', 'has(calico/k8s_ns)'],
  ['has(calico/k8s_ns/role)', 'has(calico/k8s_ns/role)'],
  ['has(calico/k8s_NS-.1/role)', 'has(calico/k8s_NS-.1/role)'],
  ['calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"', '(calico/k8s_ns == "kube-system" && k8s-app == "kube-dns")'],
  ['a not in {}', 'a not in {}'],
  ['a not in {"a"}', 'a not in {"a"}'],
  ['a not in {"a","B"}', 'a not in {"B", "a"}'],
  ['a notin {"a"}', 'a not in {"a"}'],
  ['global()', 'global()'],
  ['all()', 'all()'],
  // Further shapes: precedence, grouping kept as Calico's tree has it, negation runs.
  ['a == "1" || b == "2" && c == "3"', '(a == "1" || (b == "2" && c == "3"))'],
  ['(a == "1" || b == "2") && c == "3"', '((a == "1" || b == "2") && c == "3")'],
  ['a == "1" && b == "2" && c == "3"', '(a == "1" && b == "2" && c == "3")'],
  ['(a == "1" && b == "2") && c == "3"', '((a == "1" && b == "2") && c == "3")'],
  ['!!has(a)', 'has(a)'],
  ['!!!has(a)', '!has(a)'],
  ['((((has(a)))))', 'has(a)'],
  ['a in {"x",}', 'a in {"x"}'],
  ['a in {}', 'a in {}'],
  ['a in{"x"}', 'a in {"x"}'],
  ['has( a )', 'has(a)'],
  ['all(\t)', 'all()'],
  ['global( )', 'global()'],
  ['a == ""', 'a == ""'],
  ['in == "x"', 'in == "x"'],
  ['not in {"x"}', 'not in {"x"}'],
  ['has == "x" || all == "y" || global != "z"', '(has == "x" || all == "y" || global != "z")'],
  ['a == "it\'s"', 'a == "it\'s"'],
  ['a == \'say "hi"\'', 'a == \'say "hi"\''],
  ['a in {\'say "hi"\', "it\'s"}', 'a in {"it\'s", \'say "hi"\'}'],
  ['a == "ünïcode 🎉"', 'a == "ünïcode 🎉"'],
  // FACTS.md: Calico's recommended default-deny namespace selector.
  ['has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "calico-system", "calico-apiserver"}',
    '(has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "calico-system", "kube-system"})'],
];

// Ported from parser_test.go (badSelectors), tokenizer_test.go (error cases) and
// validator_test.go (selector entries).
const INVALID: string[] = [
  'b == b',
  'b contains b',
  'b starts with b',
  'b ends with b',
  "'b1' == b",
  'b',
  'a b',
  '!',
  'foo == "bar" &',
  'foo == "bar" |',
  'foo != ||',
  'foo in {"", ||',
  'foo in ""',
  '"FOO',
  `"FOO'`,
  "'FOO",
  '(',
  '(a == "foo"',
  ')',
  '()',
  '%',
  'a == "b" && %',
  'a == "b" || %',
  'a ',
  'has(foo) &&',
  'label starts foo "value"',
  'label ends foo "value"',
  'label squiggles "value"',
  'a not in "bar" && !has(foo) || b in c',
  'a notin"bar"&&!has(foo)||b in"c"',
  'thing=hello &',
  'this is not valid selector syntax',
  // Further rejections that follow from Calico's grammar.
  'a == "b"\n',
  '\na == "b"',
  'a == "b" c == "d"',
  'a = "b"',
  'a == "b" & c == "d"',
  'has(a',
  'has()',
  'has (a)',
  'all(x)',
  'all ()',
  'global(',
  'a in {"a" "b"}',
  'a in {,}',
  'a in {"a",,}',
  'a in {b}',
  'a ins {"a"}',
  'a containsx "b"',
  'a not "b"',
  '!= "b"',
  'a == "b")',
  '((a == "b")',
  'a.b:c == "d"',
  'ä == "b"',
  `${'k'.repeat(513)} == "v"`,
  `has(${'k'.repeat(513)})`,
];

describe('Selector.parse', () => {
  describe.each(MATCH_TABLE)('%j', (text, matching, notMatching) => {
    const selector = Selector.parse(text);
    const reparsed = Selector.parse(selector.toString());

    test('matches the label sets Calico matches, before and after canonicalising', () => {
      for (const labels of matching) {
        expect([labels, selector.matches(labels)]).toEqual([labels, true]);
        expect([labels, reparsed.matches(labels)]).toEqual([labels, true]);
      }
    });

    test('rejects the label sets Calico rejects, before and after canonicalising', () => {
      for (const labels of notMatching) {
        expect([labels, selector.matches(labels)]).toEqual([labels, false]);
        expect([labels, reparsed.matches(labels)]).toEqual([labels, false]);
      }
    });

    test('is valid for selectorError', () => {
      expect(selectorError(text)).toBeUndefined();
    });
  });

  test.each(CANONICAL_TABLE)('prints %j as Calico does: %j', (input, canonical) => {
    expect(Selector.parse(input).toString()).toBe(canonical);
    expect(selectorError(input)).toBeUndefined();
  });

  test.each(CANONICAL_TABLE)('re-parses the canonical text of %j to a stable form', (input) => {
    const once = Selector.parse(input).toString();
    expect(Selector.parse(once).toString()).toBe(once);
  });

  test('prints a negated negation with its parentheses, so that it parses back to itself', () => {
    // Calico prints `!(!has(a))` as `!!has(a)`, which its parser reads as `has(a)`: the same
    // meaning, but another tree and another canonical text.
    for (const [text, printed] of [['!(!has(a))', '!(!has(a))'], ['!(((!has(a))))', '!(!has(a))'], ['!(!(a == "x" && has(b)))', '!(!(a == "x" && has(b)))'],
      ['!(!!(!has(a)))', '!(!has(a))'], ['(!(!has(a))) && has(b)', '(!(!has(a)) && has(b))']]) {
      const selector = Selector.parse(text);
      expect(selector.toString()).toBe(printed);
      expect(Selector.parse(printed).toString()).toBe(printed);
      expect(selector.matches({ a: '' })).toBe(Selector.parse(printed).matches({ a: '' }));
    }
    expect(Selector.parse('!!has(a)').toString()).toBe('has(a)');
  });

  test.each(INVALID.map(s => [s]))('rejects %j with a CalicoValidationError', (text) => {
    expect(() => Selector.parse(text)).toThrow(CalicoValidationError);
    const message = selectorError(text);
    expect(message).toMatch(/^invalid selector ".*": .* at position \d+/s);
    expect(parseErrorOf(text)).toBe(message);
  });

  test('thrown errors are recognised by CalicoErrors from any jsii language', () => {
    let caught: unknown;
    try {
      Selector.parse('a ==');
    } catch (e) {
      caught = e;
    }
    expect(CalicoErrors.isValidationError(caught)).toBe(true);
  });

  test('reads empty and blank text as all()', () => {
    expect(Selector.parse('').isAll()).toBe(true);
    expect(Selector.parse(' \t ').isAll()).toBe(true);
    expect(Selector.parse('').toString()).toBe('all()');
  });

  test('accepts label keys of exactly 512 characters', () => {
    const key = 'k'.repeat(512);
    expect(Selector.parse(`${key} == "v"`).toString()).toBe(`${key} == "v"`);
    expect(Selector.parse(`has(${key})`).toString()).toBe(`has(${key})`);
  });

  test('parses arbitrarily deep nesting without overflowing the stack', () => {
    // Far deeper than a recursive parser survives (~10,000 frames), yet quick on a busy machine.
    const depth = 20_000;
    const text = '!('.repeat(depth) + 'has(a)' + ')'.repeat(depth);
    const selector = Selector.parse(text);
    expect(selector.matches({ a: 'x' })).toBe(true); // an even number of negations
    expect(selector.toString()).toBe('!('.repeat(depth - 1) + '!has(a)' + ')'.repeat(depth - 1));
    const alternating = '(a == "1" || ('.repeat(depth) + 'has(b)' + ' && has(c)))'.repeat(depth);
    const deep = Selector.parse(alternating);
    expect(deep.matches({ b: '', c: '' })).toBe(true);
    expect(deep.matches({ b: '' })).toBe(false);
    expect(deep.toString().length).toBeGreaterThan(alternating.length / 2);
  });

  test('returns equal results for the same text parsed repeatedly (cached)', () => {
    const text = 'rack in {"b", "a"} && !has(edge)';
    const first = parseSelector(text);
    expect(parseSelector(text)).toBe(first);
    expect(Selector.parse(text).sameAs(Selector.parse(text))).toBe(true);
  });

  test('keeps working past the cache size', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `n == "${i}"`);
    expect(texts.map(text => Selector.parse(text).toString())).toEqual(texts);
    expect(selectorError('n == "0"')).toBeUndefined();
    expect(selectorError('n == 0')).toContain('expected a value at position 5');
  });
});

// Calico v3.31 replaced the regular-expression tokenizer of v3.28 with a hand-written scanner
// (libcalico-go/lib/selector/tokenizer/tokenizer.go, the same code in v3.32.1). The inputs below
// are where the two disagree: v3.28.5 accepted each of them, v3.31.7 and v3.32.1 reject it.
const LONG_KEY = 'k'.repeat(512);
const ACCEPTED_ONLY_BY_V3_28: Array<[string, string]> = [
  // v3.28's \s (RE2: [\t\n\f\r ]) inside has( ), all( ), global( ) and between operator words.
  ['a newline between "not" and "in"', 'a not\nin {"x"}'],
  ['a carriage return between "starts" and "with"', 'a starts\rwith "x"'],
  ['a form feed between "ends" and "with"', 'a ends\fwith "x"'],
  ['a newline inside has( )', 'has(\na\n)'],
  ['a carriage return inside all( )', 'all(\r)'],
  ['a newline inside global( )', 'global(\n)'],
  // v3.28 matched a label key with [a-zA-Z0-9_./-]{1,512} and went on with the rest of the run.
  ['a 512-character key run straight into "in"', `${LONG_KEY}in {"x"}`],
  ['a 512-character key run straight into "notin"', `${LONG_KEY}notin {"x"}`],
  ['a 512-character key run straight into "contains"', `${LONG_KEY}contains "x"`],
  ['a 512-character key run straight into "startswith"', `${LONG_KEY}startswith "x"`],
  ['a 512-character key run straight into "endswith"', `${LONG_KEY}endswith "x"`],
];

describe('Selector.parse on the supported lines (v3.31, v3.32)', () => {
  test.each(ACCEPTED_ONLY_BY_V3_28)('rejects %s, which only Calico v3.28 accepted', (_name, text) => {
    expect(selectorError(text)).toMatch(/^invalid selector /);
    expect(() => Selector.parse(text)).toThrow(CalicoValidationError);
  });

  test('names the over-long key rather than reading an operator out of it', () => {
    expect(selectorError(`${LONG_KEY}in {"x"}`)).toContain('is 514 characters long; Calico allows at most 512');
  });

  // Cases of v3.31.7's tokenizer_test.go that v3.28.5's table did not have.
  test.each<[string, string]>([
    ['a!="b"', 'a != "b"'],
    ['a != "b"', 'a != "b"'],
    ['(a=="b")', 'a == "b"'],
    [`${LONG_KEY} == "value"`, `${LONG_KEY} == "value"`],
    ['global( )', 'global()'],
    ['all( )', 'all()'],
  ])('accepts %j as %j', (text, printed) => {
    expect(Selector.parse(text).toString()).toBe(printed);
  });

  test.each([
    `${'a'.repeat(513)} == "value"`, 'label == "value', "label == 'value", 'label = "value"', 'all(', 'global(', 'has()',
    'has(foo', 'has( foo ', 'a == "b" & has(foo)', 'a == "b" | has(foo)', 'label inf "value"', 'label ends withs "value"',
  ])('rejects %j, as v3.31.7 tokenizer_test.go does', text => {
    expect(selectorError(text)).toBeDefined();
  });

  test('still accepts a tab and spaces wherever v3.28 allowed whitespace', () => {
    expect(Selector.parse('a \t not \t in \t {"x"} && has(\t b \t) && all(\t) || c starts \twith "y"').toString())
      .toBe('((a not in {"x"} && has(b) && all()) || c starts with "y")');
  });
});

describe('parse error messages', () => {
  test.each([
    ['a == ', 'invalid selector "a == ": expected a value at position 5'],
    ['b == b', 'expected a value at position 5, found "b"'],
    ['a', 'expected an operator after label "a" at position 1, found the end of the selector'],
    ['a b', 'expected an operator after label "a" at position 2, found "b"'],
    ['a squiggles "v"', 'expected an operator after label "a" at position 2, found "squiggles"'],
    ['%', 'at position 0, found "%"'],
    ['a == "b" && %', 'at position 12, found "%"'],
    ['(a == "foo"', 'expected ")" at position 11 to close the "(" at position 0'],
    ['a == "b")', 'unmatched ")" at position 8'],
    ['a == "b" c == "d"', 'unexpected "c" at position 9 after a complete expression'],
    ['"FOO', 'the value starting with " at position 0 is never closed'],
    ['a == \'b', "the value starting with ' at position 5 is never closed"],
    ['a = "b"', 'single "=" at position 2; use "=="'],
    ['a & b', 'single "&" at position 2; use "&&"'],
    ['a | b', 'single "|" at position 2; use "||"'],
    ['has(', 'expected a label key after "has(" at position 4, found the end of the selector'],
    ['has(a b)', 'expected ")" to close "has(" at position 6, found "b"'],
    ['all(x)', 'expected ")" to close "all(" at position 4, found "x"'],
    ['global(', 'expected ")" to close "global(" at position 7'],
    ['foo in ""', 'expected "{" at position 7 to start the set of values, found "\\"\\""'],
    ['a in {"a" "b"}', 'expected "," or "}" at position 10'],
    ['a in {"a", ||', 'expected a quoted value or "}" at position 11'],
    ['has(foo) &&', 'at position 11, found the end of the selector'],
    ['()', 'at position 1, found ")"'],
    ['a == "b"\n', 'at position 8, found "\\n"'],
    [`${'k'.repeat(600)} == "v"`, 'at position 0 is 600 characters long; Calico allows at most 512'],
  ])('reports the position and the offending text for %j', (text, expected) => {
    expect(parseErrorOf(text)).toContain(expected);
    expect(selectorError(text)).toContain(expected);
  });

  test('quotes the whole selector in the message', () => {
    expect(selectorError('a == "b" &&')).toMatch(/^invalid selector "a == \\"b\\" &&": /);
  });

  test('reports a bad character before an earlier grammar problem, as Calico tokenizes first', () => {
    expect(selectorError('a b %')).toContain('position 2');
    expect(selectorError(') %')).toContain('position 2, found "%"');
  });

  test.each([
    // An astral character cut in half (the low half of U+1F389 left behind), among valid values.
    ['x_1.y-z/w not  in{"ünï \udf89", "𐀀𐀀𐀀𐀀𐀀𐀀", "ünï 🎉"}', 23, '\\udf89'],
    ['a == "\ud83c"', 6, '\\ud83c'],
    ['a == "\ud83c\ud83c\udf89"', 6, '\\ud83c'],
    // Outside a value too, and before any grammar problem: such text cannot reach Calico at all.
    ['( \udf89', 2, '\\udf89'],
  ])('rejects %j, which holds half a surrogate pair and so has no UTF-8 form', (text, position, escaped) => {
    const message = parseErrorOf(text);
    expect(message).toContain(`the character at position ${position} (${escaped}) is half of a UTF-16 surrogate pair`);
    expect(message).toContain('remove it or restore the whole character');
    expect(selectorError(text)).toBe(message);
  });

  test('accepts whole astral characters and U+FFFD, which do have a UTF-8 form', () => {
    expect(selectorError('a in {"\ud83c\udf89", "\ufffd"}')).toBeUndefined();
  });
});

describe('selectorError', () => {
  test('is undefined for valid selectors', () => {
    expect(selectorError('has(route-reflector)')).toBeUndefined();
    expect(selectorError('')).toBeUndefined();
  });

  test('returns a message instead of throwing for non-string input', () => {
    for (const bad of [undefined, null, 42, {}, [], true] as any[]) {
      expect(selectorError(bad)).toMatch(/^invalid selector .*must be a string/);
    }
  });
});

describe('Selector builders', () => {
  test.each([
    [Selector.all(), 'all()'],
    [Selector.globalResources(), 'global()'],
    [Selector.has('route-reflector'), 'has(route-reflector)'],
    [Selector.has('route-reflector').negated(), '!has(route-reflector)'],
    [Selector.eq('rack', 'a'), 'rack == "a"'],
    [Selector.notEq('rack', 'a'), 'rack != "a"'],
    [Selector.isIn('zone', ['b', 'a', 'b']), 'zone in {"a", "b"}'],
    [Selector.notIn('zone', ['b', 'a']), 'zone not in {"a", "b"}'],
    [Selector.isIn('zone', []), 'zone in {}'],
    [Selector.contains('name', 'web'), 'name contains "web"'],
    [Selector.startsWith('name', 'web-'), 'name starts with "web-"'],
    [Selector.endsWith('name', '-db'), 'name ends with "-db"'],
    [Selector.eq('quote', 'say "hi"'), 'quote == \'say "hi"\''],
    [Selector.eq('quote', "it's"), 'quote == "it\'s"'],
    [Selector.eq('empty', ''), 'empty == ""'],
    [Selector.allOf(Selector.has('a'), Selector.has('b')), '(has(a) && has(b))'],
    [Selector.anyOf(Selector.has('a'), Selector.has('b')), '(has(a) || has(b))'],
    [Selector.has('a').andAlso(Selector.has('b')), '(has(a) && has(b))'],
    [Selector.has('a').orElse(Selector.has('b')), '(has(a) || has(b))'],
    [Selector.has('a').andAlso(Selector.has('b')).andAlso(Selector.has('c')), '(has(a) && has(b) && has(c))'],
    [Selector.has('a').orElse(Selector.has('b')).andAlso(Selector.has('c')), '((has(a) || has(b)) && has(c))'],
    [Selector.has('a').andAlso(Selector.has('b')).orElse(Selector.has('c')), '((has(a) && has(b)) || has(c))'],
    [Selector.allOf(Selector.has('a')), 'has(a)'],
    [Selector.negate(Selector.allOf(Selector.has('a'), Selector.eq('b', 'c'))), '!(has(a) && b == "c")'],
    [Selector.has('a').negated().negated(), 'has(a)'],
    [Selector.isIn('a', ['x']).negated(), '!a in {"x"}'],
    [Selector.parse('x == "1" && y == "2"').andAlso(Selector.has('z')), '(x == "1" && y == "2" && has(z))'],
    [Selector.has('projectcalico.org/name').andAlso(
      Selector.notIn('projectcalico.org/name', ['kube-system', 'calico-system', 'calico-apiserver'])),
    '(has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "calico-system", "kube-system"})'],
  ])('renders %s', (selector, text) => {
    expect(selector.toString()).toBe(text);
    expect(Selector.parse(text).toString()).toBe(text);
    expect(Selector.parse(text).sameAs(selector)).toBe(true);
  });

  test('sorts set values in code-point order, as Go sorts strings', () => {
    // UTF-16 order would put U+FF5E before the astral U+1F600; Go's byte order puts it after.
    expect(Selector.isIn('a', ['😀', '～', 'b', 'B']).toString()).toBe('a in {"B", "b", "～", "😀"}');
    expect(Selector.parse('a in {"😀", "～", "b", "B"}').toString()).toBe('a in {"B", "b", "～", "😀"}');
    // U+FFFD (UTF-8 EF BF BD) sorts after U+FF5E and before every astral character (F0 ...).
    expect(Selector.isIn('a', ['ünï 🎉', '𐀀', 'ünï \ufffd', 'ünï ～']).toString())
      .toBe('a in {"ünï ～", "ünï \ufffd", "ünï 🎉", "𐀀"}');
  });

  test.each([
    ['eq', () => Selector.eq('a', 'ünï \udf89'), '\\udf89) at index 4'],
    ['isIn', () => Selector.isIn('a', ['ok', '🎉'.slice(0, 1)]), '\\ud83c) at index 0'],
    ['endsWith', () => Selector.endsWith('a', '\udf89\ud83c'), '\\udf89) at index 0'],
  ])('Selector.%s rejects a value holding half a surrogate pair, which no manifest can carry', (method, build, where) => {
    expect(build).toThrow(CalicoValidationError);
    expect(build).toThrow(`Selector.${method}(): value `);
    expect(build).toThrow(`has half of a UTF-16 surrogate pair (${where} without its other half`);
  });

  test.each([
    ['has', () => Selector.has(''), 'label key "" is empty'],
    ['eq', () => Selector.eq('bad key', 'v'), 'label key "bad key" has a character Calico selectors cannot name'],
    ['isIn', () => Selector.isIn('a:b', []), 'label key "a:b"'],
    ['notEq', () => Selector.notEq('k'.repeat(513), 'v'), 'is 513 characters long (at most 512)'],
    ['contains', () => Selector.contains('a', `both ' and "`), 'contains both \' and "'],
    ['notIn', () => Selector.notIn('a', ['ok', `x'"`]), 'contains both \' and "'],
    ['allOf', () => Selector.allOf(), 'needs at least one selector'],
    ['anyOf', () => Selector.anyOf(), 'needs at least one selector'],
    ['negate', () => Selector.negate('has(a)' as any), 'is not a Selector'],
    ['andAlso', () => Selector.all().andAlso(undefined as any), 'is not a Selector'],
  ])('Selector.%s rejects bad input with a CalicoValidationError', (method, build, message) => {
    expect(build).toThrow(CalicoValidationError);
    expect(build).toThrow(message);
    expect(build).toThrow(`Selector.${method === 'andAlso' ? 'allOf' : method}()`);
  });
});

describe('Selector.matches', () => {
  test('treats != and not in as matching an absent label', () => {
    expect(Selector.notEq('a', 'x').matches({})).toBe(true);
    expect(Selector.notIn('a', ['x']).matches({})).toBe(true);
    expect(Selector.notEq('a', 'x').matches({ a: 'x' })).toBe(false);
  });

  test('requires the label for ==, in, contains, starts with and ends with', () => {
    for (const s of [Selector.eq('a', ''), Selector.isIn('a', ['']), Selector.contains('a', ''),
      Selector.startsWith('a', ''), Selector.endsWith('a', '')]) {
      expect([s.toString(), s.matches({})]).toEqual([s.toString(), false]);
      expect([s.toString(), s.matches({ a: '' })]).toEqual([s.toString(), true]);
    }
  });

  test('has() needs only presence, even with an empty value', () => {
    expect(Selector.has('a').matches({ a: '' })).toBe(true);
    expect(Selector.has('a').matches({ b: 'a' })).toBe(false);
  });

  test('all() and global() match every label set', () => {
    for (const labels of [{}, { a: 'b' }] as Labels[]) {
      expect(Selector.all().matches(labels)).toBe(true);
      expect(Selector.globalResources().matches(labels)).toBe(true);
    }
  });

  test('ignores inherited object properties', () => {
    expect(Selector.has('constructor').matches({})).toBe(false);
    expect(Selector.has('__proto__').matches({})).toBe(false);
    expect(Selector.notEq('toString', 'x').matches({})).toBe(true);
  });

  test('short-circuits && and || the Calico way', () => {
    const s = Selector.parse('(a == "1" || b == "2") && !(c == "3")');
    expect(s.matches({ a: '1' })).toBe(true);
    expect(s.matches({ b: '2', c: '3' })).toBe(false);
    expect(s.matches({ c: '4' })).toBe(false);
  });

  test('rejects a missing label map with a CalicoValidationError', () => {
    expect(() => Selector.all().matches(undefined as any)).toThrow(CalicoValidationError);
  });
});

describe('Selector comparisons', () => {
  test('sameAs compares canonical text', () => {
    expect(Selector.parse("a == 'b'").sameAs(Selector.eq('a', 'b'))).toBe(true);
    expect(Selector.parse('has(a) && has(b)').sameAs(Selector.parse('has(b) && has(a)'))).toBe(false);
    expect(Selector.all().sameAs(Selector.parse(''))).toBe(true);
    expect(Selector.all().sameAs(undefined as any)).toBe(false);
  });

  test('isAll is true only for all()', () => {
    expect(Selector.all().isAll()).toBe(true);
    expect(Selector.globalResources().isAll()).toBe(false);
    expect(Selector.parse('all() && all()').isAll()).toBe(false);
    expect(Selector.has('a').isAll()).toBe(false);
  });
});
