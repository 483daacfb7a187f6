import * as fc from 'fast-check';
import { CalicoErrors, Selector } from '../../src';
import { CalicoValidationError } from '../../src/core/errors';
import { MAX_SELECTOR_LENGTH, selectorError } from '../../src/language/selector-parser';

type Labels = { [key: string]: string };

const KEYS = ['a', 'b', 'app', 'k8s-app', 'projectcalico.org/name', 'x_1.y-z/w'];
const VALUES = ['', 'a', 'b', 'web', 'it\'s', 'say "hi"', 'ünï 🎉', 'web-01'];

const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_./-]{1,24}$/) },
);

/** Code points other than the surrogates U+D800-U+DFFF, which are not characters. */
const SURROGATES = 0x800;
/**
 * Any Unicode character, as fast-check's `unit: 'binary'` gives, but cheap to set up: 'binary'
 * indexes all 1.1 million code points (about half a second) for every string arbitrary made with it.
 */
const charArb: fc.Arbitrary<string> = fc.integer({ min: 0, max: 0x10ffff - SURROGATES }).map(
  n => String.fromCodePoint(n < 0xd800 ? n : n + SURROGATES),
  c => {
    const cp = typeof c === 'string' ? c.codePointAt(0) : undefined;
    if (cp === undefined || String.fromCodePoint(cp) !== c || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new Error('not one Unicode character');
    }
    return cp < 0xd800 ? cp : cp - SURROGATES;
  },
);
const anyTextArb = (maxLength: number) => fc.string({ unit: charArb, maxLength });

/** Any value a selector can quote: anything without both kinds of quote. */
const valueArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 1, arbitrary: anyTextArb(12) },
).filter(v => !(v.includes('"') && v.includes('\'')));

const leafArb: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant(Selector.all()),
  fc.constant(Selector.globalResources()),
  keyArb.map(k => Selector.has(k)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.eq(k, v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.notEq(k, v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.contains(k, v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.startsWith(k, v)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => Selector.endsWith(k, v)),
  fc.tuple(keyArb, fc.array(valueArb, { maxLength: 4 })).map(([k, vs]) => Selector.isIn(k, vs)),
  fc.tuple(keyArb, fc.array(valueArb, { maxLength: 4 })).map(([k, vs]) => Selector.notIn(k, vs)),
);

/** Random selector trees built only with the public builders. */
const selectorArb: fc.Arbitrary<Selector> = fc.letrec<{ node: Selector }>(tie => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map(ss => Selector.allOf(...ss)),
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map(ss => Selector.anyOf(...ss)),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => a.andAlso(b)),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => a.orElse(b)),
    tie('node').map(s => s.negated()),
    tie('node').map(s => Selector.negate(s)),
  ),
})).node;

const labelsArb: fc.Arbitrary<Labels> = fc.dictionary(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: keyArb }),
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }),
  { maxKeys: 5 },
);

/** Text made of selector fragments, so random input reaches deep into the grammar. */
const FRAGMENTS = [
  'a', 'b', 'app', '==', '!=', '!', '&&', '||', '(', ')', '{', '}', ',', '"x"', '\'y\'', '""', 'in', 'not in',
  'notin', 'contains', 'starts with', 'startswith', 'ends with', 'has(a)', 'has( b )', 'all()', 'global()',
  'has(', 'all(', ' ', ' ', ' ', '\t', '"', '\'', '=', '&', '|', '%', '\n', 'é',
];
const fragmentTextArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }).map(parts => parts.join(''));

/** Optional whitespace as Calico allows it (spaces and tabs only). */
const wsArb = fc.constantFrom('', '', ' ', ' ', '  ', '\t');
const quotedArb = fc.tuple(valueArb, fc.boolean()).map(([v, single]) => {
  const q = v.includes('"') ? '\'' : v.includes('\'') ? '"' : single ? '\'' : '"';
  return q + v + q;
});
const textLeafArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(wsArb, keyArb, wsArb).map(([a, k, b]) => `has(${a}${k}${b})`),
  fc.tuple(wsArb).map(([a]) => `all(${a})`),
  fc.tuple(wsArb).map(([a]) => `global(${a})`),
  fc.tuple(keyArb, wsArb, fc.constantFrom('==', '!=', 'contains', 'starts with', 'startswith', 'ends  with',
    'endswith', 'ends\twith'), wsArb, quotedArb).map(([k, a, op, b, v]) => {
    // Word operators need a space after the key; symbols may touch it.
    const before = /^[a-z]/.test(op) ? ' ' + a : a;
    return `${k}${before}${op}${b}${v}`;
  }),
  fc.tuple(keyArb, fc.constantFrom('in', 'not in', 'notin', 'not  in'), wsArb,
    fc.array(quotedArb, { maxLength: 4 }), fc.boolean()).map(([k, op, a, vs, trailingComma]) =>
    `${k} ${op}${a}{${vs.join(', ')}${trailingComma && vs.length ? ',' : ''}}`),
);
/** Grammatical selector text with random spacing, negation runs and parentheses. */
const grammarTextArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>(tie => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textLeafArb,
    fc.tuple(fc.constantFrom('', '!', '! ', '!!', '!!!'), textLeafArb).map(([n, l]) => n + l),
    fc.tuple(fc.constantFrom('', '!', '!!'), wsArb, tie('expr'), wsArb).map(([n, a, e, b]) => `${n}(${a}${e}${b})`),
    fc.tuple(tie('expr'), wsArb, fc.constantFrom('&&', '||'), wsArb, tie('expr')).map(([x, a, op, b, y]) => x + a + op + b + y),
  ),
})).expr;
/** Grammatical text, sometimes broken by one edit, so both sides of every rule are exercised. */
const nearSelectorArb: fc.Arbitrary<string> = fc.oneof(
  grammarTextArb,
  fc.tuple(grammarTextArb, fc.nat(), fc.constantFrom(...FRAGMENTS)).map(([t, at, frag]) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + frag + t.slice(i);
  }),
  fc.tuple(grammarTextArb, fc.nat()).map(([t, at]) => {
    const i = at % Math.max(t.length, 1);
    return t.slice(0, i) + t.slice(i + 1);
  }),
);

const RUNS = { numRuns: 400 };

describe('selector properties', () => {
  test('builder trees print and re-parse to the same canonical text', () => {
    fc.assert(fc.property(selectorArb, s => {
      const text = s.toString();
      const reparsed = Selector.parse(text);
      expect(reparsed.toString()).toBe(text);
      expect(reparsed.sameAs(s)).toBe(true);
      expect(selectorError(text)).toBeUndefined();
    }), RUNS);
  });

  test('parse(print(s)) matches the same label sets as s', () => {
    fc.assert(fc.property(selectorArb, fc.array(labelsArb, { minLength: 1, maxLength: 5 }), (s, labelSets) => {
      const reparsed = Selector.parse(s.toString());
      for (const labels of labelSets) {
        expect(reparsed.matches(labels)).toBe(s.matches(labels));
      }
    }), RUNS);
  });

  test('negation, allOf and anyOf evaluate as not, every and some', () => {
    fc.assert(fc.property(fc.array(selectorArb, { minLength: 1, maxLength: 4 }), labelsArb, (ss, labels) => {
      const results = ss.map(s => s.matches(labels));
      expect(Selector.allOf(...ss).matches(labels)).toBe(results.every(r => r));
      expect(Selector.anyOf(...ss).matches(labels)).toBe(results.some(r => r));
      expect(ss[0].negated().matches(labels)).toBe(!results[0]);
    }), RUNS);
  });

  test('selectorError never throws on arbitrary strings and returns undefined or a message', () => {
    fc.assert(fc.property(fc.oneof(anyTextArb(40), fragmentTextArb, nearSelectorArb), text => {
      const error = selectorError(text);
      if (error !== undefined) {
        expect(error).toMatch(/^invalid selector /);
        expect(error).toMatch(/at position \d+/);
        // Caught by hand: jest's toThrow costs ~0.2 ms a call, too slow for thousands of runs.
        let thrown: unknown;
        try {
          Selector.parse(text);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(CalicoValidationError);
        expect((thrown as Error).message).toBe(error);
      }
    }), { numRuns: 2000 });
  });

  test('every accepted text has canonical text that is accepted and matches the same labels', () => {
    fc.assert(fc.property(fc.oneof(nearSelectorArb, fragmentTextArb), fc.array(labelsArb, { maxLength: 4 }), (text, labelSets) => {
      if (selectorError(text) !== undefined) return;
      const parsed = Selector.parse(text);
      const canonical = parsed.toString();
      expect(selectorError(canonical)).toBeUndefined();
      const reparsed = Selector.parse(canonical);
      expect(reparsed.toString()).toBe(canonical);
      for (const labels of labelSets) expect(reparsed.matches(labels)).toBe(parsed.matches(labels));
    }), { numRuns: 2000 });
  });

  test('text holding half a surrogate pair is rejected at the first such character', () => {
    const halfArb = fc.constantFrom('\ud83c', '\udf89', '\ud800', '\udfff');
    fc.assert(fc.property(grammarTextArb, fc.nat(), halfArb, (t, at, half) => {
      const i = at % (t.length + 1);
      const text = t.slice(0, i) + half + t.slice(i);
      const first = UNPAIRED_SURROGATE.exec(text);
      // Inserting a high half right before a low one (or a low half after a high one) can complete a pair.
      if (first === null) return;
      const error = selectorError(text);
      expect(error).toContain(`the character at position ${first.index} (`);
      expect(error).toContain('surrogate pair');
    }), { numRuns: 500 });
  });

  test('the iterative parser agrees with a direct recursive transcription of Calico\'s parser', () => {
    fc.assert(fc.property(fc.oneof(nearSelectorArb, fragmentTextArb, selectorArb.map(s => s.toString())), text => {
      const expected = referenceCanonical(text);
      const error = selectorError(text);
      if (expected === undefined) {
        expect(error).toBeDefined();
      } else {
        expect(error).toBeUndefined();
        expect(Selector.parse(text).toString()).toBe(expected);
      }
    }), { numRuns: 2000 });
  });
});

/** Selector text whose tree holds negated negations and nested groups, as only the parser builds them. */
const negationTreeArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>(tie => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textLeafArb,
    tie('expr').map(e => `!(!${e})`),
    tie('expr').map(e => `!(!(${e}))`),
    tie('expr').map(e => `!(${e})`),
    tie('expr').map(e => `((${e}))`),
    fc.tuple(tie('expr'), fc.constantFrom(' && ', ' || '), tie('expr')).map(([x, op, y]) => `(${x}${op}${y})`),
    fc.tuple(tie('expr'), tie('expr')).map(([x, y]) => `!(!(${x}) && !(!${y}))`),
  ),
})).expr;

/** Any string: every code unit, halves of surrogate pairs included, and the grammar's fragments. */
const anyStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(n => String.fromCharCode(n)), maxLength: 30 }),
  fragmentTextArb,
  nearSelectorArb,
  fc.tuple(fc.constantFrom('(', '!', '!(', 'a == "', 'has(', 'k'), fc.integer({ min: 1_000, max: 200_000 }))
    .map(([unit, n]) => unit.repeat(n)),
);

describe('selector fuzz (seeded)', () => {
  test('trees with negated negations print and re-parse to the same canonical text and the same matches', () => {
    fc.assert(fc.property(negationTreeArb, fc.array(labelsArb, { minLength: 1, maxLength: 4 }), (text, labelSets) => {
      const parsed = Selector.parse(text);
      const printed = parsed.toString();
      const reparsed = Selector.parse(printed);
      expect(reparsed.toString()).toBe(printed);
      for (const labels of labelSets) expect(reparsed.matches(labels)).toBe(parsed.matches(labels));
    }), { seed: 1126, numRuns: 500 });
  });

  test('any string parses or throws the library\'s error, never another', () => {
    fc.assert(fc.property(anyStringArb, text => {
      let thrown: unknown;
      try {
        const parsed = Selector.parse(text);
        expect(Selector.parse(parsed.toString()).toString()).toBe(parsed.toString());
      } catch (e) {
        thrown = e;
      }
      if (thrown !== undefined) {
        expect(CalicoErrors.isValidationError(thrown)).toBe(true);
        expect((thrown as Error).message.length).toBeLessThan(1_000);
      }
    }), { seed: 99, numRuns: 600 });
  });

  test(`text longer than the Kubernetes request limit is refused at once`, () => {
    const text = '('.repeat(MAX_SELECTOR_LENGTH + 1);
    expect(() => Selector.parse(text)).toThrow(/^invalid selector "\(\(\(.*\.\.\." \(3145729 characters\): it is longer than the 3145728 bytes/);
    expect(Selector.parse(`${' '.repeat(MAX_SELECTOR_LENGTH - 6)}has(a)`).toString()).toBe('has(a)');
  });
});

/** An unpaired UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Calico's tokenizer and recursive-descent parser transcribed as literally as possible (one
 * function per Go function), returning the canonical text or undefined when Calico rejects the
 * text. An independent check on the iterative production parser.
 */
function referenceCanonical(input: string): string | undefined {
  // Go strings are UTF-8, and text with an unpaired surrogate has no UTF-8 form: cdk8s writes it
  // as a `\udxxx` YAML escape that Kubernetes' go-yaml reader refuses, so Calico never sees it.
  // (nearSelectorArb makes such text when an edit cuts an astral character in half.)
  if (UNPAIRED_SURROGATE.test(input)) return undefined;
  // With well-formed text, comparing code points is comparing UTF-8 bytes, as Go's `<` does.
  type T = { k: string; v?: string };
  const ident = (c: string | undefined) => c !== undefined && /[a-zA-Z0-9_./-]/.test(c);
  const trim = (s: string) => s.replace(/^[ \t]*/, '');
  const boundary = (s: string) => s === '' || !ident(s[0]);
  const cutIdent = (s: string): [string, string] | undefined => {
    let i = 0;
    while (i < s.length && ident(s[i])) i++;
    if (i === 0 || i > 512) return undefined;
    return [s.slice(0, i), s.slice(i)];
  };
  const multi = (s: string, ...words: string[]): string | undefined => {
    let r = s;
    for (const w of words) {
      if (!r.startsWith(w)) return undefined;
      r = trim(r.slice(w.length));
    }
    // Calico trims after every word, then checks the boundary on what is left.
    return boundary(r) ? r : undefined;
  };
  const tokens: T[] = [];
  let s = input;
  for (;;) {
    s = trim(s);
    if (s === '') {
      tokens.push({ k: 'EOF' });
      break;
    }
    const last = tokens.length ? tokens[tokens.length - 1].k : '';
    const c = s[0];
    if ('(){},'.includes(c)) {
      tokens.push({ k: c });
      s = s.slice(1);
    } else if (c === '"' || c === '\'') {
      const idx = s.indexOf(c, 1);
      if (idx < 0) return undefined;
      tokens.push({ k: 'STR', v: s.slice(1, idx) });
      s = s.slice(idx + 1);
    } else if (c === '=' || c === '&' || c === '|') {
      if (s[1] !== c) return undefined;
      tokens.push({ k: c + c });
      s = s.slice(2);
    } else if (c === '!') {
      if (s[1] === '=') {
        tokens.push({ k: '!=' });
        s = s.slice(2);
      } else {
        tokens.push({ k: '!' });
        s = s.slice(1);
      }
    } else if (last === 'LABEL') {
      let r: string | undefined;
      if (s.startsWith('contains') && boundary(s.slice(8))) {
        tokens.push({ k: 'contains' });
        s = s.slice(8);
      } else if ((r = multi(s, 'starts', 'with')) !== undefined) {
        tokens.push({ k: 'starts with' });
        s = r;
      } else if ((r = multi(s, 'ends', 'with')) !== undefined) {
        tokens.push({ k: 'ends with' });
        s = r;
      } else if ((r = multi(s, 'not', 'in')) !== undefined) {
        tokens.push({ k: 'not in' });
        s = r;
      } else if (s.startsWith('in') && boundary(s.slice(2))) {
        tokens.push({ k: 'in' });
        s = s.slice(2);
      } else {
        return undefined;
      }
    } else if (s.startsWith('has(')) {
      const cut = cutIdent(trim(s.slice(4)));
      if (!cut) return undefined;
      const rest = trim(cut[1]);
      if (!rest.startsWith(')')) return undefined;
      tokens.push({ k: 'HAS', v: cut[0] });
      s = rest.slice(1);
    } else if (s.startsWith('all(') || s.startsWith('global(')) {
      const isAll = s.startsWith('all(');
      const rest = trim(s.slice(isAll ? 4 : 7));
      if (!rest.startsWith(')')) return undefined;
      tokens.push({ k: isAll ? 'ALL' : 'GLOBAL' });
      s = rest.slice(1);
    } else {
      const cut = cutIdent(s);
      if (!cut) return undefined;
      tokens.push({ k: 'LABEL', v: cut[0] });
      s = cut[1];
    }
  }

  class Reject {}
  const q = (v: string) => (v.includes('"') ? `'${v}'` : `"${v}"`);
  const cmp = (a: string, b: string) => {
    const x = Array.from(a).map(ch => ch.codePointAt(0)!);
    const y = Array.from(b).map(ch => ch.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  const ops: { [k: string]: string } = {
    '==': ' == ', '!=': ' != ', 'contains': ' contains ', 'starts with': ' starts with ', 'ends with': ' ends with ',
  };

  // Each returns [printed node, remaining tokens].
  const parseOr = (ts: T[]): [string, T[]] => {
    const parts: string[] = [];
    let [n, rem] = parseAnd(ts);
    parts.push(n);
    while (rem[0].k === '||') {
      [n, rem] = parseAnd(rem.slice(1));
      parts.push(n);
    }
    return [parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`, rem];
  };
  const parseAnd = (ts: T[]): [string, T[]] => {
    const parts: string[] = [];
    let [n, rem] = parseOp(ts);
    parts.push(n);
    while (rem[0].k === '&&') {
      [n, rem] = parseOp(rem.slice(1));
      parts.push(n);
    }
    return [parts.length === 1 ? parts[0] : `(${parts.join(' && ')})`, rem];
  };
  const parseOp = (ts: T[]): [string, T[]] => {
    let negated = false;
    while (ts[0].k === '!') {
      negated = !negated;
      ts = ts.slice(1);
    }
    let n: string;
    let rem: T[];
    const t = ts[0];
    if (t.k === 'HAS') {
      n = `has(${t.v})`;
      rem = ts.slice(1);
    } else if (t.k === 'ALL' || t.k === 'GLOBAL') {
      n = t.k === 'ALL' ? 'all()' : 'global()';
      rem = ts.slice(1);
    } else if (t.k === 'LABEL') {
      if (ts.length < 3) throw new Reject();
      const op = ts[1].k;
      if (ops[op] !== undefined) {
        if (ts[2].k !== 'STR') throw new Reject();
        n = t.v + ops[op] + q(ts[2].v!);
        rem = ts.slice(3);
      } else if (op === 'in' || op === 'not in') {
        if (ts[2].k !== '{') throw new Reject();
        rem = ts.slice(3);
        const values: string[] = [];
        while (rem[0].k === 'STR') {
          values.push(rem[0].v!);
          rem = rem.slice(1);
          if (rem[0].k !== ',') break;
          rem = rem.slice(1);
        }
        if (rem[0].k !== '}') throw new Reject();
        rem = rem.slice(1);
        const set = [...new Set(values)].sort(cmp);
        n = `${t.v} ${op} {${set.map(q).join(', ')}}`;
      } else {
        throw new Reject();
      }
    } else if (t.k === '(') {
      [n, rem] = parseOr(ts.slice(1));
      if (rem[0].k !== ')') throw new Reject();
      rem = rem.slice(1);
    } else {
      throw new Reject();
    }
    // Calico prints `!` and the operand; a negated negation keeps its parentheses here (see printSelector).
    return [negated ? (n.startsWith('!') ? `!(${n})` : `!${n}`) : n, rem];
  };

  if (tokens[0].k === 'EOF') return 'all()';
  try {
    const [n, rem] = parseOr(tokens);
    return rem.length === 1 ? n : undefined;
  } catch (e) {
    if (e instanceof Reject) return undefined;
    throw e;
  }
}
