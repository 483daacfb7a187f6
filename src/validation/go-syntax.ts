// Go syntax Calico's validators and stores use: durations (`time.ParseDuration` and
// `time.Duration.String()`) and RE2 regular expressions, checked and written in TypeScript.
import { quote } from '../core/quote';

export const NS_PER: Readonly<Record<string, bigint>> = {
  'ns': 1n,
  'us': 1_000n,
  '\u00b5s': 1_000n, // µs (micro sign)
  '\u03bcs': 1_000n, // μs (Greek mu)
  'ms': 1_000_000n,
  's': 1_000_000_000n,
  'm': 60_000_000_000n,
  'h': 3_600_000_000_000n,
};
const MAX_DURATION_NS = (1n << 63n) - 1n;
/** The units by name; a Map, so that a unit a user writes ('constructor') finds only a unit. */
const UNITS = new Map(Object.entries(NS_PER));

/**
 * Parses a duration the way Go's `time.ParseDuration` does (what Calico's `metav1.Duration`
 * fields accept): an optional sign, then one or more decimal numbers, each with an optional
 * fraction and a unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`); `0` alone is allowed.
 * @returns the duration in nanoseconds, or undefined when Go would reject the text
 */
export function parseGoDuration(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const num = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const whole = num[1];
    const fraction = num[3] ?? '';
    if (whole === '' && fraction === '') return undefined; // no digits, e.g. '.s' or 'ms'
    s = s.slice(num[0].length);
    const unitText = /^[^0-9.]*/.exec(s)![0];
    const unit = UNITS.get(unitText);
    if (unitText === '' || unit === undefined) return undefined;
    s = s.slice(unitText.length);
    let ns = BigInt(whole || '0') * unit;
    if (fraction !== '') ns += (BigInt(fraction) * unit) / (10n ** BigInt(fraction.length));
    total += ns;
    if (total > MAX_DURATION_NS + (negative ? 1n : 0n)) return undefined;
  }
  return negative ? -total : total;
}

/** Formats nanoseconds the way Go's `time.Duration.String()` does (how Calico stores durations). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  let u = ns < 0n ? -ns : ns;
  const fixed = (value: bigint, scale: bigint, unit: string): string => {
    const whole = value / scale;
    let frac = (value % scale).toString().padStart(scale.toString().length - 1, '0').replace(/(?<!0)0+$/, '');
    return `${whole}${frac ? '.' + frac : ''}${unit}`;
  };
  if (u < 1_000_000_000n) {
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return sign + fixed(u, 1_000n, '\u00b5s');
    return sign + fixed(u, 1_000_000n, 'ms');
  }
  const hours = u / NS_PER.h;
  u %= NS_PER.h;
  const minutes = u / NS_PER.m;
  u %= NS_PER.m;
  let out = sign;
  if (hours > 0n) out += `${hours}h`;
  if (hours > 0n || minutes > 0n) out += `${minutes}m`;
  return out + fixed(u, NS_PER.s, 's');
}

const GO_ESCAPE_LETTERS = new Set('aftnrvdDsSwWbBAzxpPQEC'.split(''));

/**
 * Whether `pattern` compiles as a Go (RE2) regular expression, as Calico's `regexp` validator
 * requires. Returns the reason it does not, or undefined when it does. RE2 syntax JavaScript lacks
 * (inline flags, \A, \z, \Q..\E, \p classes, POSIX classes) is accepted; constructs RE2 refuses
 * but JavaScript allows (look-arounds, back-references, unknown letter escapes, repeat counts over
 * 1000) are refused.
 */
export function goRegexpError(pattern: string): string | undefined {
  let js = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'it ends with a lone backslash';
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        js += literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if (/[1-9]/.test(next)) {
        // Go reads \1..\7 followed by octal digits as an octal code; anything else is a back-reference.
        const octal = /^[0-7]{1,3}/.exec(pattern.slice(i + 1));
        if (next > '7' || !octal || octal[0].length < 2) return `back-references such as '\\${next}' are not supported by Go regular expressions`;
        js += '\\x' + parseInt(octal[0], 8).toString(16).padStart(2, '0').slice(-2);
        i += octal[0].length;
        continue;
      }
      if (/[a-zA-Z]/.test(next) && !GO_ESCAPE_LETTERS.has(next)) return `'\\${next}' is not an escape Go regular expressions know`;
      if (next === 'A') { js += '^'; i++; continue; }
      if (next === 'z') { js += '$'; i++; continue; }
      if (next === 'C') { js += '.'; i++; continue; }
      if (next === 'p' || next === 'P') {
        if (pattern[i + 2] === '{') {
          const close = pattern.indexOf('}', i + 3);
          if (close < 0) return 'a \\p{...} class is not closed';
          i = close;
        } else {
          i += 2;
        }
        js += 'x';
        continue;
      }
      js += ch + next;
      i++;
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return 'look-ahead and look-behind groups are not supported by Go regular expressions';
      const flags = /^([imsU]*(-[imsU]*)?)([):])/.exec(rest);
      if (flags && ((flags[1] === '' && flags[3] === ')') || flags[1].endsWith('-'))) return `the flag group '(?${flags[0]}' sets no flags`;
      if (flags) {
        js += flags[3] === ')' ? '' : '(?:';
        i += 2 + flags[0].length - 1;
        continue;
      }
      if (rest.startsWith('P<')) {
        js += '(?<';
        i += 3;
        continue;
      }
    }
    if (ch === '[' && pattern[i + 1] === ':') {
      const posix = /^\[:\^?[a-z]+:\]/.exec(pattern.slice(i));
      if (posix) {
        js += 'a';
        i += posix[0].length - 1;
        continue;
      }
    }
    js += ch;
  }
  for (const m of pattern.matchAll(/\{([0-9]+)(,([0-9]*))?\}/g)) {
    if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000)) return `the repeat count in ${quote(m[0])} is over 1000, Go's limit`;
  }
  try {
    new RegExp(js);
    return undefined;
  } catch (e) {
    // V8 writes 'Invalid regular expression: /<the whole pattern>/: <reason>'; keep the reason.
    const message = e instanceof Error ? e.message : String(e);
    const prefix = `Invalid regular expression: /${js}/: `;
    return message.startsWith(prefix) ? message.slice(prefix.length) : quote(message);
  }
}
