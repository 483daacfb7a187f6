// Reads the lint inputs: files and directories of multi-document YAML (or JSON), into objects
// that remember their file and line. Anything that is not readable YAML manifests becomes an
// input error naming the file and line; nothing here throws on bad input.
import * as fs from 'fs';
import * as path from 'path';
import type { CST as CstTypes, Document, Node, Parser as ParserType, LineCounter as LineCounterType } from 'yaml';
import { YAML_MODULE } from './yaml-module';
import { MAX_REQUEST_BYTES } from '../core/limits';
import { SourcedObject } from '../analysis/cluster-model';

const { Composer, CST, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser } = YAML_MODULE;

/** Input that cannot be read as Kubernetes manifests. */
export interface InputError {
  readonly file: string;
  /** 1-based line, when the problem has one. */
  readonly line?: number;
  readonly message: string;
}

/** What was read. */
export interface ReadResult {
  readonly objects: SourcedObject[];
  readonly errors: InputError[];
  /** Files read (after expanding directories). */
  readonly files: string[];
}

/** Options of the reader. */
export interface ReadOptions {
  /** Files larger than this many bytes are refused. */
  readonly maxFileBytes: number;
}

/** File names a directory walk picks up. */
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Reads every path (files, or directories walked for *.yaml, *.yml, *.json). */
export function readInputs(paths: readonly string[], options: ReadOptions): ReadResult {
  const result: ReadResult = { objects: [], errors: [], files: [] };
  const seen = new Set<string>();
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      result.errors.push({ file: p, message: `cannot read it (${describe(e)}); check the path` });
      continue;
    }
    if (stat.isDirectory()) {
      const found = walk(p, result.errors, new Set());
      if (found.length === 0) result.errors.push({ file: p, message: 'the directory holds no .yaml, .yml or .json file' });
      for (const f of found) readOne(f, result, options, seen);
    } else {
      readOne(p, result, options, seen);
    }
  }
  return result;
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file or directory';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'it is a directory';
  return err?.message ?? String(e);
}

/** Files under a directory, sorted, skipping hidden entries and following no symlink loop. */
function walk(dir: string, errors: InputError[], visited: Set<string>): string[] {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (e) {
    errors.push({ file: dir, message: `cannot read it (${describe(e)})` });
    return [];
  }
  if (visited.has(real)) return [];
  visited.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({ file: dir, message: `cannot list it (${describe(e)})` });
    return [];
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = fs.statSync(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // a dangling link is not input
      }
    }
    if (isDir) out.push(...walk(full, errors, visited));
    else if (isFile && MANIFEST_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

function readOne(file: string, result: ReadResult, options: ReadOptions, seen: Set<string>): void {
  const key = path.resolve(file);
  if (seen.has(key)) return;
  seen.add(key);
  result.files.push(file);
  const read = readBounded(file, options.maxFileBytes);
  if (typeof read === 'string') {
    result.errors.push({ file, message: read });
    return;
  }
  const text = decode(read);
  if (typeof text !== 'string') {
    result.errors.push({ file, line: text.line, message: text.message });
    return;
  }
  parseManifests(file, text, result);
}

/**
 * The bytes of a regular file of at most `limit` bytes, or why it is not read. The file is opened
 * without blocking (a FIFO would otherwise wait for a writer), its type is checked on the open
 * descriptor, and at most `limit + 1` bytes are read whatever its size claims (/dev/zero and files
 * in /proc say 0, a file may grow while it is read).
 */
function readBounded(file: string, limit: number): Buffer | string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return `cannot read it (${describe(e)})`;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      return `it is ${fileType(stat)}, not a regular file; lint reads manifest files only (save the input to a file first)`;
    }
    if (stat.size > limit) return tooLarge(`the file is ${formatBytes(stat.size)}`, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), limit + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) return tooLarge(`the file holds more than ${formatBytes(limit)}`, limit);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (e) {
    return `cannot read it (${describe(e)})`;
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(what: string, limit: number): string {
  return `${what}, more than the ${formatBytes(limit)} lint reads from one file `
    + '(the Kubernetes API server takes at most 3 MiB per request); split it, or raise the limit with --max-file-size';
}

/** 'a directory', 'a FIFO (named pipe)', ... for a path that is not a regular file. */
function fileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** UTF-8 text without BOM, or why the bytes are not text. */
function decode(bytes: Buffer): string | { line: number; message: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { line: 1, message: 'the file is UTF-16 text; Kubernetes manifests are UTF-8: convert it (e.g. iconv -f UTF-16 -t UTF-8)' };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { line: lineAt(bytes, nul), message: `the file holds binary data (a NUL byte at offset ${nul}), not YAML; lint only manifest files` };
  }
  const bad = isUtf8(bytes) ? -1 : invalidUtf8At(bytes);
  if (bad >= 0) {
    return { line: lineAt(bytes, bad), message: `the file is not UTF-8 text (invalid byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad}); save it as UTF-8` };
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8, or -1. */
function invalidUtf8At(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes after the lead byte, and the smallest code point that needs them.
    const [n, min] = c >= 0xc2 && c <= 0xdf ? [1, 0x80] : c >= 0xe0 && c <= 0xef ? [2, 0x800] : c >= 0xf0 && c <= 0xf4 ? [3, 0x10000] : [0, 0];
    if (n === 0) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Parses a file's documents into objects (expanding `kind: List`). */
export function parseManifests(file: string, text: string, result: ReadResult): void {
  const lineCounter = new LineCounter();
  const lineOfOffset = (offset: number) => lineCounter.linePos(offset).line;
  const readDocument = (doc: Document.Parsed) => readManifestDocument(doc, file, result, lineOfOffset);
  // Documents are composed and read one at a time, so a document's tree is garbage once read
  // unless an object keeps it for locating findings. The yaml package's own duplicate-key check
  // compares each key with every earlier key of its mapping (quadratic: 50,000 keys took 12 s);
  // firstDuplicateKey does it with a Set.
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  let skipping = false;
  try {
    for (const token of parseBounded(text, parser, lineCounter)) {
      if (token.type === 'document') {
        const size = parser.offset - token.offset;
        skipping = size > MAX_REQUEST_BYTES && !isListDocument(token);
        if (skipping) {
          for (const doc of composer.end()) readDocument(doc);
          result.errors.push({ file, line: lineOfOffset(token.offset), message: tooLargeDocument(size) });
          continue;
        }
      } else if (skipping && token.type === 'doc-end') {
        continue; // the end of the document left out
      }
      for (const doc of composer.next(token)) readDocument(doc);
    }
    for (const doc of composer.end()) readDocument(doc);
  } catch (e) {
    if (e instanceof TooDeep) {
      result.errors.push({ file, line: lineOfOffset(e.offset), message: `not valid YAML: ${NESTS_TOO_DEEPLY}` });
    } else {
      result.errors.push({ file, message: `cannot parse it as YAML (${readerProblem(e)})` });
    }
  }
}

/**
 * Deepest nesting of YAML collections read. The yaml package keeps a parser stack entry per open
 * collection and composes recursively: 5,000,000 open '[' took it over a 4 GB heap. No manifest
 * nests anywhere near this deep.
 */
const MAX_YAML_DEPTH = 1000;
const NESTS_TOO_DEEPLY = 'it nests too deeply to read (Kubernetes manifests nest a few dozen levels at most)';

/** Thrown by parseBounded where the nesting passes MAX_YAML_DEPTH. */
class TooDeep {
  constructor(public readonly offset: number) {}
}

/** parser.parse(text), stopping (TooDeep) where collections nest deeper than MAX_YAML_DEPTH. */
function* parseBounded(text: string, parser: ParserType, lineCounter: LineCounterType): Generator<CstTypes.Token> {
  lineCounter.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_YAML_DEPTH) throw new TooDeep(parser.offset);
  }
  yield* parser.end();
}

function tooLargeDocument(size: number): string {
  return `the document is ${formatBytes(size)}, more than the ${formatBytes(MAX_REQUEST_BYTES)} the Kubernetes API server accepts in `
    + 'one request, so it cannot be applied and is not read; split it into several objects (a kind: List may be larger)';
}

/** Whether a document's text says `kind: ...List` at its top level (a client-side list of objects). */
function isListDocument(token: CstTypes.Document): boolean {
  const root = token.value;
  if (root?.type !== 'block-map') return false;
  for (const item of root.items) {
    if (CST.resolveAsScalar(item.key)?.value === 'kind') {
      const kind = CST.resolveAsScalar(item.value)?.value;
      return kind !== undefined && kind.endsWith('List');
    }
  }
  return false;
}

/** Reads one parsed document into objects or an input error. */
function readManifestDocument(doc: Document.Parsed, file: string, result: ReadResult, lineOfOffset: (offset: number) => number): void {
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    result.errors.push({ file, line: lineOfOffset(first.pos[0]), message: `not valid YAML: ${readerProblem(first)}` });
    return;
  }
  const duplicate = firstDuplicateKey(doc.contents as Node | null);
  if (duplicate !== undefined) {
    result.errors.push({ file, line: lineOfOffset(duplicate), message: 'not valid YAML: Map keys must be unique' });
    return;
  }
  const contents = doc.contents as Node | null;
  if (contents === null || contents === undefined || (isScalar(contents) && (contents.value === null || contents.value === ''))) return;
  const line = lineOfOffset(contents.range?.[0] ?? 0);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    result.errors.push({ file, line, message: `cannot read the document (${readerProblem(e)}); expand its YAML aliases` });
    return;
  }
  if (!isObjectRecord(value)) {
    const what = Array.isArray(value) ? 'a list' : `a plain ${typeof value === 'string' ? 'string' : typeof value}`;
    result.errors.push({ file, line, message: `the document is ${what}, not a Kubernetes object (a mapping with apiVersion and kind); is this a manifest file?` });
    return;
  }
  if (typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
    result.errors.push({ file, line, message: 'the document has no apiVersion and kind, so it is not a Kubernetes object; lint only manifest files' });
    return;
  }
  if (/List$/.test(value.kind) && Array.isArray(value.items)) {
    const itemsNode = isMap(contents) ? contents.get('items', true) : undefined;
    value.items.forEach((item: unknown, i: number) => {
      const itemNode = isSeq(itemsNode) ? itemsNode.items[i] as Node | undefined : undefined;
      const itemLine = itemNode?.range ? lineOfOffset(itemNode.range[0]) : line;
      if (!isObjectRecord(item) || typeof item.kind !== 'string') {
        result.errors.push({ file, line: itemLine, message: `item ${i} of the ${value.kind} is not a Kubernetes object (no kind)` });
        return;
      }
      result.objects.push(sourced(item, file, itemLine, itemNode, lineOfOffset));
    });
    return;
  }
  result.objects.push(sourced(value, file, line, contents, lineOfOffset));
}

/**
 * Offset of the first key that repeats an earlier key of its mapping, or undefined. Keys compare
 * as the yaml package compares them (scalars by value, other keys by identity), in linear time,
 * without recursion.
 */
function firstDuplicateKey(root: Node | null): number | undefined {
  let first: number | undefined;
  const work: unknown[] = root ? [root] : [];
  while (work.length > 0) {
    const node = work.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const item of node.items) {
        const key = item.key;
        const value = isScalar(key) ? key.value : key;
        // NaN is no key's duplicate: the yaml package compares with ===.
        if (seen.has(value) && !(typeof value === 'number' && Number.isNaN(value))) {
          const at = (key as Node | null)?.range?.[0];
          if (at !== undefined && (first === undefined || at < first)) first = at;
        }
        seen.add(value);
        work.push(item.key, item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) work.push(item);
    } else if (isPair(node)) {
      work.push(node.key, node.value);
    }
  }
  return first;
}

/** The first line of what the YAML reader reported, in plain words when it ran out of stack. */
function readerProblem(e: unknown): string {
  const message = e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? String((e as Error).message) : String(e);
  if (message.includes('Maximum call stack size exceeded')) return NESTS_TOO_DEEPLY;
  return message.split('\n')[0];
}

function isObjectRecord(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function sourced(manifest: Record<string, any>, file: string, line: number, node: Node | undefined, lineOfOffset: (o: number) => number): SourcedObject {
  return {
    manifest,
    file,
    line,
    lineOf: (fieldPath: string) => {
      const found = node ? locate(node, splitPath(fieldPath)) : undefined;
      return found !== undefined ? lineOfOffset(found) : undefined;
    },
  };
}

/** 'spec.ingress[0].destination' -> ['spec', 'ingress', 0, 'destination']. */
export function splitPath(p: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of p.split('.')) {
    if (part === '') continue;
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1]);
    for (const idx of m[2].match(/\d+/g) ?? []) out.push(Number(idx));
  }
  return out;
}

/**
 * Offset of the deepest node a path reaches (the key of a mapping entry, so the line is the
 * field's own). Keys that contain dots (label keys) are matched by joining path segments.
 */
function locate(node: Node, keys: ReadonlyArray<string | number>): number | undefined {
  let current: unknown = node;
  let offset = node.range?.[0];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k === 'number' && isSeq(current)) {
      const item = current.items[k] as Node | undefined;
      if (!item) break;
      current = item;
      offset = item.range?.[0] ?? offset;
      continue;
    }
    if (!isMap(current)) break;
    const map = current;
    let matched = false;
    // Try the longest dotted key first (label keys such as projectcalico.org/name).
    for (let j = keys.length; j > i && !matched; j--) {
      const candidate = keys.slice(i, j);
      if (candidate.some(c => typeof c === 'number')) continue;
      const name = candidate.join('.');
      const pair = map.items.find(it => isPair(it) && isScalar(it.key) && String(it.key.value) === name);
      if (pair && isPair(pair)) {
        offset = (pair.key as Node).range?.[0] ?? offset;
        current = pair.value;
        i = j - 1;
        matched = true;
      }
    }
    if (!matched) break;
  }
  return offset;
}
