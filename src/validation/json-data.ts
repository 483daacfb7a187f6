// The first pass of validateManifest: one iterative walk that accepts only JSON data, which is
// all a manifest can be once Kubernetes has read it, and copies it for the kind validators.
//
// JSON data is null, a boolean, a finite number, a string, an array without holes, or a plain
// object (prototype Object.prototype or null) of own enumerable data properties. Everything else is
// reported with its path and left out of the copy: NaN and Infinity, BigInt, functions, symbols,
// getters (never called), class instances (Date, Map, ...), cycles, nesting deeper than
// MAX_DEPTH, keys longer than MAX_KEY_LENGTH, and a manifest larger than MAX_MANIFEST_BYTES.
// `undefined` counts as absent, as JSON.stringify leaves it out; symbol-keyed and non-enumerable
// properties are not data and are not read. A key '__proto__' is copied as an own property.
import { MAX_REQUEST_BYTES } from '../core/limits';
import { lastSegment } from './common';
import { at, IssueCollector, q } from './issues';

/** Deepest nesting read; a Calico manifest nests about ten levels. */
export const MAX_DEPTH = 100;
/**
 * Longest key read: 317 characters, the longest label or annotation key Kubernetes accepts (a
 * 253-character DNS prefix, '/' and a 63-character name), and far longer than any field name.
 */
export const MAX_KEY_LENGTH = 317;
/** Largest manifest read, measured as the length of its JSON text. */
export const MAX_MANIFEST_BYTES = MAX_REQUEST_BYTES;

/** A container being copied: the next of its keys to read, and where its copy goes. */
interface Frame {
  readonly source: object;
  readonly copy: Record<string, unknown> | unknown[];
  readonly path: string;
  readonly depth: number;
  /** The keys of an object, or undefined for an array. */
  readonly keys?: readonly string[];
  /** The number of entries to read. */
  readonly length: number;
  next: number;
}

/**
 * Copies `value` as JSON data, reporting into `c` what is not. Returns the copy, or `undefined`
 * with one issue when the manifest is larger than MAX_MANIFEST_BYTES (nothing else is then read).
 * Never throws and never calls user code other than a Proxy's traps, whose errors it reports.
 */
export function readJsonData(value: unknown, c: IssueCollector): { readonly data: unknown } | undefined {
  const reader = new Reader(c);
  const data = reader.read(value);
  return reader.tooLarge ? undefined : { data };
}

/** Where a value sits: in a container at a key or index, or at the root. */
type Place = { readonly frame?: Frame; readonly key: string | number };

class Reader {
  public tooLarge = false;
  /** The JSON length counted so far. */
  private size = 0;
  private readonly stack: Frame[] = [];
  /** The containers on the current path, to tell a cycle from a shared value. */
  private readonly open = new Set<object>();

  constructor(private readonly c: IssueCollector) {}

  public read(root: unknown): unknown {
    const rootCopy = this.value(root, { key: '' });
    while (this.stack.length > 0 && !this.tooLarge) {
      const frame = this.stack[this.stack.length - 1];
      if (frame.next >= frame.length) {
        this.stack.pop();
        this.open.delete(frame.source);
        continue;
      }
      const index = frame.next++;
      if (frame.keys === undefined) {
        (frame.copy as unknown[]).push(this.element(frame, index));
      } else {
        this.property(frame, frame.keys[index]);
      }
    }
    return rootCopy;
  }

  private element(frame: Frame, index: number): unknown {
    const descriptor = Object.getOwnPropertyDescriptor(frame.source, index);
    if (descriptor === undefined) {
      this.c.add(at(frame.path, index), `${name(frame.path)} has no entry ${index} (a hole in the list); JSON lists have a value at every `
        + 'position, so fill it or remove it');
      return null;
    }
    const copy = 'value' in descriptor ? this.value(descriptor.value, { frame, key: index }) : this.getter({ frame, key: index });
    return copy === undefined ? null : copy;
  }

  private property(frame: Frame, key: string): void {
    this.count(key.length + 4);
    if (key.length > MAX_KEY_LENGTH) {
      this.c.add(frame.path, `${name(frame.path)} has a key of ${key.length} characters, ${q(key)}; no field, label or annotation key of a `
        + `Kubernetes object is longer than ${MAX_KEY_LENGTH}, so it is not read: shorten or remove it`);
      return;
    }
    const descriptor = Object.getOwnPropertyDescriptor(frame.source, key);
    if (descriptor === undefined || !descriptor.enumerable) return; // gone, or not data: JSON.stringify skips it too
    const copy = 'value' in descriptor ? this.value(descriptor.value, { frame, key }) : this.getter({ frame, key });
    if (copy === undefined) return;
    if (key === '__proto__') {
      Object.defineProperty(frame.copy, key, { value: copy, enumerable: true, writable: true, configurable: true });
    } else {
      (frame.copy as Record<string, unknown>)[key] = copy;
    }
  }

  private getter(place: Place): undefined {
    const path = pathOf(place);
    this.c.add(path, `${name(path)} is a getter, which is not data and is not read; set the value itself`);
    return undefined;
  }

  /** The copy of one value, or undefined when it is absent or not data (reported). */
  private value(v: unknown, place: Place): unknown {
    try {
      return this.valueOf(v, place);
    } catch (e) {
      const path = pathOf(place);
      this.c.add(path, `${name(path)} could not be read (${q(e instanceof Error ? e.message : e)}); a manifest must be plain data`);
      return undefined;
    }
  }

  private valueOf(v: unknown, place: Place): unknown {
    switch (typeof v) {
      case 'undefined':
        return undefined;
      case 'boolean':
        this.count(5);
        return v;
      case 'string':
        this.count(v.length + 2);
        return v;
      case 'number':
        if (!Number.isFinite(v)) return this.refuse(place, `is ${v}, which JSON cannot hold; write a finite number`);
        this.count(8);
        return v;
      case 'bigint':
        return this.refuse(place, `is the BigInt ${q(v)}, which JSON cannot hold; write it as a number`);
      case 'symbol':
        return this.refuse(place, `is a symbol (${q(v)}), which JSON cannot hold; write a string`);
      case 'function':
        return this.refuse(place, 'is a function, which JSON cannot hold; write the value it would compute');
      default:
        break;
    }
    if (v === null) {
      this.count(4);
      return null;
    }
    const o = v as object;
    if (this.open.has(o)) {
      return this.refuse(place, 'refers back to an object that contains it (a cycle), which JSON cannot hold; copy the value instead');
    }
    const isArray = Array.isArray(o);
    if (!isArray && !isPlainPrototype(Object.getPrototypeOf(o))) {
      return this.refuse(place, `is ${describeInstance(Object.getPrototypeOf(o))}, not JSON data; write it as a string, number, list or plain object`);
    }
    const depth = place.frame ? place.frame.depth + 1 : 0;
    if (depth >= MAX_DEPTH) {
      return this.refuse(place, `nests deeper than ${MAX_DEPTH} levels, which no Calico manifest needs; it is not read: flatten it`);
    }
    const keys = isArray ? undefined : Object.keys(o);
    const length = isArray ? (o as unknown[]).length : keys!.length;
    this.count(2 + length);
    if (this.tooLarge) return undefined;
    const copy = isArray ? [] : {};
    this.open.add(o);
    this.stack.push({ source: o, copy, path: pathOf(place), depth, keys, length, next: 0 });
    return copy;
  }

  /** Reports the value at `place` ('<field> <problem>') and leaves it out. */
  private refuse(place: Place, problem: string): undefined {
    const path = pathOf(place);
    this.c.add(path, `${name(path)} ${problem}`);
    return undefined;
  }

  /** Counts JSON length; past MAX_MANIFEST_BYTES, reports once and stops the walk. */
  private count(n: number): void {
    this.size += n;
    if (this.size > MAX_MANIFEST_BYTES && !this.tooLarge) {
      this.tooLarge = true;
      this.c.add('', `the manifest is larger than the ${MAX_MANIFEST_BYTES} bytes the Kubernetes API server accepts in one `
        + 'request, so it cannot be applied and is not read further; split it or shorten its values');
    }
  }
}

function pathOf(place: Place): string {
  return place.frame ? at(place.frame.path, place.key) : '';
}

/** The field a path ends in, for a message ('cidr', 'nets[2]'), or 'the manifest'. */
function name(path: string): string {
  return path === '' ? 'the manifest' : lastSegment(path);
}

/** The name of the class whose prototype `proto` is, when it has one ('Date', 'Map'). */
function className(proto: unknown): string | undefined {
  if (proto === null || typeof proto !== 'object') return undefined;
  const constructor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  const n = typeof constructor === 'function' ? Object.getOwnPropertyDescriptor(constructor, 'name')?.value : undefined;
  return typeof n === 'string' && n !== '' ? n : undefined;
}

/** Object.prototype, also another realm's (a vm context's), or no prototype. */
function isPlainPrototype(proto: unknown): boolean {
  return proto === null || proto === Object.prototype
    || (className(proto) === 'Object' && Object.getPrototypeOf(proto) === null);
}

/** 'a Date', 'a Map', 'an instance of a class'. */
function describeInstance(proto: unknown): string {
  const n = className(proto);
  if (n === undefined) return 'an instance of a class';
  const shown = n.length > 40 ? `${n.slice(0, 40)}...` : n;
  return `${/^[AEIOU]/.test(shown) ? 'an' : 'a'} ${shown}`;
}
