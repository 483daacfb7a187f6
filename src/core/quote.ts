// How a message quotes a value a user gave: whole when it is short, otherwise its first characters,
// '...' and its length, so that no message grows with its input (a 9 MB selector gives a one-line
// message). Every message of the library that shows a user's value goes through here.

/** Values whose quoted form has at most this many characters are shown whole. */
const WHOLE = 80;
/** How many characters of a longer value are shown. */
const PREFIX = 60;

/**
 * A value as a message quotes it: a string in single quotes (`'10.0.0.0/33'`), anything else as
 * JSON (`{"cidr":1}`); a long one as its first 60 characters, `...` and, for a string, its length:
 * `'aaaa...aaaa...' (9000000 characters)`. Control characters and halves of surrogate pairs are
 * escaped (`\n`, `\ud800`) so that the message stays one printable line. Never throws, never calls
 * a getter, and takes time and memory bounded by the length of what it shows.
 */
export function quote(value: unknown): string {
  return render(value, "'");
}

/** Options of `quote` and `quoteJson`. */
export interface QuoteOptions {
  /** Whether a shortened string is followed by its length, ` (9000000 characters)`. @default true */
  readonly length?: boolean;
}

/**
 * `quote` with strings in JSON's double quotes and escapes (`"a \"b\""`), for messages that
 * quote as JSON.stringify does.
 */
export function quoteJson(value: unknown, options: QuoteOptions = {}): string {
  return render(value, '"', options.length ?? true);
}

/** Whether `quote` shows a value shortened (the message may then say how long it is). */
export function isShortened(value: unknown): boolean {
  return typeof value === 'string' && value.length + 2 > WHOLE;
}

function render(value: unknown, mark: string, length = true): string {
  try {
    if (typeof value === 'string') return quoteString(value, mark, length);
    const out = new Output(WHOLE);
    write(value, out);
    return out.overflowed ? `${cut(out.text, PREFIX)}...` : out.text;
  } catch {
    return 'a value that cannot be shown';
  }
}

function quoteString(text: string, mark: string, length: boolean): string {
  if (!isShortened(text)) return mark + escape(text, mark) + mark;
  return `${mark}${escape(cut(text, PREFIX), mark)}...${mark}${length ? ` (${text.length} characters)` : ''}`;
}

/** The first `n` characters of `text`, one fewer when the n-th is the first half of a pair. */
function cut(text: string, n: number): string {
  if (text.length <= n) return text;
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

const NEEDS_ESCAPE = /[\u0000-\u001f\u007f\u2028\u2029\ud800-\udfff]/;
const ESCAPED = /[\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` escaped for `mark`: JSON's escapes for '"'; for "'" only what would not print as one line. */
function escape(text: string, mark: string): string {
  if (mark === '"') return JSON.stringify(text).slice(1, -1);
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPED, ch => JSON.stringify(ch).slice(1, -1));
}

/** Text with a budget: writes stop counting once it is spent. */
class Output {
  public text = '';
  public overflowed = false;
  constructor(private readonly budget: number) {}

  public put(s: string): boolean {
    if (this.overflowed) return false;
    this.text += s.length > this.budget ? s.slice(0, this.budget + 1) : s;
    if (this.text.length > this.budget) this.overflowed = true;
    return !this.overflowed;
  }
}

/** Writes a non-string value as JSON-like text into `out` until its budget is spent. */
function write(value: unknown, out: Output): void {
  switch (typeof value) {
    case 'string':
      out.put(JSON.stringify(cut(value, WHOLE + 1)));
      return;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      out.put(String(value));
      return;
    case 'symbol':
      out.put(value.toString());
      return;
    case 'function':
      out.put(`[function ${functionName(value)}]`);
      return;
    default:
      break;
  }
  if (value === null) {
    out.put('null');
    return;
  }
  if (Array.isArray(value)) {
    out.put('[');
    for (let i = 0; i < value.length && !out.overflowed; i++) {
      if (i > 0) out.put(',');
      writeProperty(value, String(i), out);
    }
    out.put(']');
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const constructor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    const name = typeof constructor === 'function' ? Object.getOwnPropertyDescriptor(constructor, 'name')?.value : undefined;
    out.put(`[object ${typeof name === 'string' && name !== '' ? cut(name, PREFIX) : 'Object'}]`);
    return;
  }
  out.put('{');
  let first = true;
  for (const key in value as object) {
    if (out.overflowed) break;
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (!first) out.put(',');
    first = false;
    out.put(`${JSON.stringify(cut(key, WHOLE + 1))}:`);
    writeProperty(value as object, key, out);
  }
  out.put('}');
}

/** Writes one property without calling a getter: a hole is null, an accessor '(getter)'. */
function writeProperty(owner: object, key: string, out: Output): void {
  const descriptor = Object.getOwnPropertyDescriptor(owner, key);
  if (descriptor === undefined) out.put('null');
  else if ('value' in descriptor) write(descriptor.value, out);
  else out.put('(getter)');
}

function functionName(f: Function): string {
  const name = Object.getOwnPropertyDescriptor(f, 'name')?.value;
  return typeof name === 'string' && name !== '' ? cut(name, PREFIX) : '(anonymous)';
}
