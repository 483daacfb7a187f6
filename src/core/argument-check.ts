// Runtime checks at the public boundary, for callers without TypeScript (plain JavaScript, and
// jsii languages whose runtime does not check every field): a wrongly typed argument or prop gets
// a CalicoValidationError naming the call, the field path, the type expected and the value, never
// a TypeError deep inside the library and never a silent drop.
//
// The type descriptions are generated from the public API (./private/api-shapes.ts, written by
// test/support/generate-api-shapes.ts) and compiled here, once per type, into closures; a check
// that passes builds no path or message (those are made only for the mismatch reported).
import { IConstruct } from 'constructs';
import { CalicoValidationError } from './errors';
import { CALLABLES, CLASSES, ENUMS, INTERFACES, STRUCTS } from './private/api-shapes';

/**
 * Types the policy constructs check themselves inside policy rules: a value that is not a `Port`,
 * `Protocol`, `Selector` or `OverridePeer` there, or a rule that is not an object, is reported by
 * the policy's own rule check, with the manifest path (`spec.ingress[0].destination.ports[0]`)
 * and a fix that fits the place (`Port.tcp(80)` in an override, `Port.number(80)` in a Calico
 * rule). Pass it as `leave` where rules arrive.
 */
export const POLICY_RULE_TYPES: readonly string[] = ['Port', 'Protocol', 'Selector', 'OverridePeer', 'PolicyRule', 'OverrideRule'];

/** Where the arguments come from, and what the caller checks itself. */
export interface ArgumentCheckOptions {
  /**
   * For a method of a construct: the construct, for the path in the error. (A constructor's path
   * comes from its `scope` and `id` arguments.)
   */
  readonly scope?: IConstruct;
  /**
   * Type names (classes, structs or enums) whose mismatches the caller reports itself, with a
   * message of its own; the walk still checks what is inside a struct it leaves.
   */
  readonly leave?: readonly string[];
}

/**
 * Checks the arguments of a public constructor or method against its generated description and
 * throws a CalicoValidationError at the first mismatch.
 *
 * @param callable the class name for a constructor (`CalicoCluster`), `Class.method` for a method
 *        (`AsNumber.of`, `CalicoCluster.disableNodeToNodeMesh`)
 * @param args the arguments as received, in order
 */
export function checkArguments(callable: string, args: ArrayLike<unknown>, options?: ArgumentCheckOptions): void {
  const params = compiledCallable(callable);
  const leave = options?.leave;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    let mismatch: Mismatch | undefined;
    try {
      mismatch = p.rest ? checkRest(p, args, i, leave) : checkField(p, args[i], 0, leave);
    } catch (e) {
      mismatch = { path: '', value: undefined, expected: p.type.one, problem: 'threw', error: e };
    }
    if (mismatch) {
      const path = p.rest ? mismatch.path : `${p.name}${mismatch.path}`;
      throw new CalicoValidationError(`${whereOf(callable)}: ${describeMismatch(path, mismatch)}`, constructPathOf(callable, args, options?.scope));
    }
  }
}

/**
 * A copy of plain data given to the library (manifests, a flow): objects and arrays copied, other
 * values kept, each field read exactly once, here. Nothing the caller passed then runs again inside
 * the library: a read that throws (a getter, a proxy) or nesting past 64 levels (a cycle) is our
 * error, naming the call and the path.
 *
 * @param value the data as given
 * @param where the call, e.g. `PolicyModel.evaluate()`
 * @param path the parameter, e.g. `flow`
 */
export function copyPlainData(value: unknown, where: string, path: string): unknown {
  try {
    return copyData(value, path, 0);
  } catch (e) {
    if (e instanceof CalicoValidationError) throw e;
    throw new CalicoValidationError(`${where}: reading ${path} threw ${quoteError(e)}; pass plain data`);
  }

  function copyData(data: unknown, at: string, depth: number): unknown {
    if (typeof data !== 'object' || data === null) return data;
    if (depth > MAX_DATA_DEPTH) throw new CalicoValidationError(`${where}: ${at} is nested more than ${MAX_DATA_DEPTH} levels deep (is it circular?)`);
    const array = Array.isArray(data);
    const out: any = array ? [] : {};
    for (const key of Object.keys(data)) {
      const next = array ? `${at}[${key}]` : `${at}${keyPath(key)}`;
      let entry: unknown;
      try {
        entry = (data as Record<string, unknown>)[key];
      } catch (e) {
        throw new CalicoValidationError(`${where}: reading ${next} threw ${quoteError(e)}; pass plain data`);
      }
      // Defined, not assigned: a `__proto__` key of parsed JSON stays a field and never becomes a prototype.
      Object.defineProperty(out, key, { value: copyData(entry, next, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Compiling the descriptions.
// ---------------------------------------------------------------------------------------------

/** What went wrong where, relative to the value a check was given. */
interface Mismatch {
  /** `.field`, `[3]` or '' for the value itself. */
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
  readonly problem: 'type' | 'missing' | 'null' | 'threw' | 'deep';
  readonly error?: unknown;
}

/** A compiled check: undefined when `value` fits, else the first mismatch. */
type Check = (value: unknown, depth: number, leave: readonly string[] | undefined) => Mismatch | undefined;

/** A compiled type: its check and how messages name it. */
interface CompiledType {
  readonly check: Check;
  /** `a string`, `an AsNumber (AsNumber.of(), ...)`. */
  readonly one: string;
  /** `strings`, `AsNumbers (AsNumber.of(), ...)`, for `an array of ...`. */
  readonly many: string;
  /** The class, struct, enum or interface name a caller may `leave`, for named types. */
  readonly named?: string;
}

/** A field of a struct or a parameter of a call. */
interface CompiledSlot {
  readonly name: string;
  readonly optional: boolean;
  readonly rest: boolean;
  readonly type: CompiledType;
}

/** Nesting deeper than this is refused (the descriptions are finite, but a type may name itself). */
const MAX_DEPTH = 32;
/** Plain data (manifests) nested deeper than this is refused: it is circular, or not a manifest. */
const MAX_DATA_DEPTH = 64;
/** How much of a bad value a message quotes. */
const MAX_QUOTE = 60;

const TYPES = new Map<string, CompiledType>();
const CALLS = new Map<string, readonly CompiledSlot[]>();

function compiledCallable(callable: string): readonly CompiledSlot[] {
  let compiled = CALLS.get(callable);
  if (!compiled) {
    const params = CALLABLES[callable];
    if (!params) throw new Error(`checkArguments: '${callable}' is not a public callable of src/index.ts (regenerate with npm run gen:shapes?)`);
    compiled = params.map(([name, phrase]) => slot(name.replace(/^\.\.\./, ''), phrase, name.startsWith('...')));
    CALLS.set(callable, compiled);
  }
  return compiled;
}

function slot(name: string, phrase: string, rest = false): CompiledSlot {
  const optional = phrase.startsWith('optional ');
  return { name, optional, rest, type: compiledType(optional ? phrase.slice('optional '.length) : phrase) };
}

/** Compiles a type phrase of the generated module (its header says what they mean) once. */
function compiledType(phrase: string): CompiledType {
  let compiled = TYPES.get(phrase);
  if (!compiled) {
    compiled = compileType(phrase);
    TYPES.set(phrase, compiled);
  }
  return compiled;
}

function compileType(phrase: string): CompiledType {
  const [word, ...rest] = phrase.split(' ');
  const name = rest.join(' ');
  switch (word) {
    case 'string': return primitive('string', 'a string', 'strings');
    case 'number': return primitive('number', 'a number', 'numbers');
    case 'boolean': return primitive('boolean', 'true or false', 'booleans (true or false)');
    case 'any': return { check: () => undefined, one: 'any value', many: 'values' };
    case 'enum': return enumType(name);
    case 'class': return classType(name);
    case 'struct': return fieldsType(name, STRUCTS[name], `${article(name)} ${name} object`, `${name} objects`);
    case 'interface': return fieldsType(name, INTERFACES[name], `an object implementing ${name}`, `objects implementing ${name}`);
    case 'external': return externalType(name);
    case 'array': return arrayType(compiledType(phrase.slice('array of '.length)));
    case 'map': return mapType(compiledType(phrase.slice('map of '.length)));
    default: throw new Error(`checkArguments: cannot read the type phrase '${phrase}'`);
  }
}

function primitive(typeName: string, one: string, many: string): CompiledType {
  return {
    check: value => (typeof value === typeName ? undefined : { path: '', value, expected: one, problem: 'type' }),
    one,
    many,
  };
}

function enumType(name: string): CompiledType {
  const values = ENUMS[name];
  const listed = orList(values.map(v => (typeof v === 'string' ? `'${v}'` : String(v))));
  const one = `one of ${listed} (${article(name)} ${name})`;
  return {
    check: (value, _depth, leave) => (values.includes(value as string | number) || leave?.includes(name)
      ? undefined : { path: '', value, expected: one, problem: 'type' }),
    one,
    many: `${name} values (${listed})`,
    named: name,
  };
}

/**
 * A class, checked by name along the value's prototype chain rather than with `instanceof`: the
 * classes live in the layers above this one (and some in other packages, such as cdk8s's
 * `Duration`), so this layer cannot import them. An instance from a second copy of the library
 * passes; the constructs that read an instance's private state still use `instanceof` there.
 */
function classType(name: string): CompiledType {
  const makers = CLASSES[name] ? ` (${CLASSES[name]})` : '';
  const one = `${article(name)} ${name}${makers}`;
  // The prototype last found to be a `name`: most calls pass instances of one class.
  let known: unknown;
  return {
    check: (value, _depth, leave) => {
      if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === known) return undefined;
      if (isInstanceOf(value, name)) {
        known = Object.getPrototypeOf(value);
        return undefined;
      }
      return leave?.includes(name) ? undefined : { path: '', value, expected: one, problem: 'type' };
    },
    one,
    many: `${name}s${makers}`,
    named: name,
  };
}

/** Class names along each prototype's chain, computed once per prototype. */
const CHAIN_NAMES = new WeakMap<object, readonly string[]>();

function isInstanceOf(value: unknown, className: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (typeof proto !== 'object' || proto === null) return false;
  let names = CHAIN_NAMES.get(proto);
  if (!names) {
    names = chainNames(proto);
    CHAIN_NAMES.set(proto, names);
  }
  return names.includes(className);
}

function chainNames(proto: object): string[] {
  const names: string[] = [];
  for (let p: object | null = proto, i = 0; p !== null && i < MAX_DEPTH; p = Object.getPrototypeOf(p), i++) {
    const ctor = Object.getOwnPropertyDescriptor(p, 'constructor')?.value;
    const name = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
    if (typeof name === 'string') names.push(name);
  }
  return names;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A struct (its fields), or a behavioural interface (its properties; its methods are the
 * implementation's business). Fields are compiled on first use, so a type may contain itself.
 */
function fieldsType(name: string, table: { readonly [field: string]: string }, one: string, many: string): CompiledType {
  let fields: readonly CompiledSlot[] | undefined;
  const check: Check = (value, depth, leave) => {
    if (!isObject(value)) return leave?.includes(name) ? undefined : { path: '', value, expected: one, problem: 'type' };
    if (depth > MAX_DEPTH) return { path: '', value, expected: one, problem: 'deep' };
    fields ??= Object.entries(table).map(([field, phrase]) => slot(field, phrase));
    for (const f of fields) {
      let fieldValue: unknown;
      try {
        fieldValue = value[f.name];
      } catch (e) {
        return { path: `.${f.name}`, value: undefined, expected: f.type.one, problem: 'threw', error: e };
      }
      const mismatch = checkField(f, fieldValue, depth, leave);
      if (mismatch) return { ...mismatch, path: `.${f.name}${mismatch.path}` };
    }
    return undefined;
  };
  return { check, one, many, named: name };
}

/**
 * A struct of another package (cdk8s-plus's `k8s.Toleration`): an object, whose data is read
 * once here (nested objects and arrays included), so a getter that throws is our error now rather
 * than a crash when the library renders it. Its fields are the other package's to type.
 */
function externalType(name: string): CompiledType {
  const one = `${article(name)} ${name} object`;
  return {
    check: (value, depth, leave) => (isObject(value) ? readData(value, depth) : leave?.includes(name) ? undefined : { path: '', value, expected: one, problem: 'type' }),
    one,
    many: `${name} objects`,
    named: name,
  };
}

/** Reads every field of plain data once; a read that throws, or nesting past MAX_DEPTH, is a mismatch. */
function readData(value: unknown, depth: number): Mismatch | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return { path: '', value, expected: 'data nested less deeply', problem: 'deep' };
  const keys = Object.keys(value);
  for (const key of keys) {
    let entry: unknown;
    try {
      entry = (value as Record<string, unknown>)[key];
    } catch (e) {
      return { path: Array.isArray(value) ? `[${key}]` : keyPath(key), value: undefined, expected: 'plain data', problem: 'threw', error: e };
    }
    const mismatch = readData(entry, depth + 1);
    if (mismatch) return { ...mismatch, path: `${Array.isArray(value) ? `[${key}]` : keyPath(key)}${mismatch.path}` };
  }
  return undefined;
}

function arrayType(element: CompiledType): CompiledType {
  const one = `an array of ${element.many}`;
  return {
    check: (value, depth, leave) => {
      if (!Array.isArray(value)) return { path: '', value, expected: one, problem: 'type' };
      for (let i = 0; i < value.length; i++) {
        const mismatch = element.check(value[i], depth + 1, leave);
        if (mismatch) return { ...mismatch, path: `[${i}]${mismatch.path}` };
      }
      return undefined;
    },
    one,
    many: `arrays of ${element.many}`,
  };
}

function mapType(element: CompiledType): CompiledType {
  const one = `an object whose values are ${element.many}`;
  return {
    check: (value, depth, leave) => {
      if (!isObject(value)) return { path: '', value, expected: one, problem: 'type' };
      for (const key of Object.keys(value)) {
        let entry: unknown;
        try {
          entry = value[key];
        } catch (e) {
          return { path: keyPath(key), value: undefined, expected: element.one, problem: 'threw', error: e };
        }
        const mismatch = element.check(entry, depth + 1, leave);
        if (mismatch) return { ...mismatch, path: `${keyPath(key)}${mismatch.path}` };
      }
      return undefined;
    },
    one,
    many: `objects whose values are ${element.many}`,
  };
}

function checkField(f: CompiledSlot, value: unknown, depth: number, leave: readonly string[] | undefined): Mismatch | undefined {
  if (value !== undefined && value !== null) return f.type.check(value, depth + 1, leave);
  if (f.type.named !== undefined && leave?.includes(f.type.named)) return undefined;
  if (value === undefined) return f.optional ? undefined : { path: '', value, expected: f.type.one, problem: 'missing' };
  return { path: '', value, expected: f.type.one, problem: f.optional ? 'null' : 'type' };
}

/** Checks a rest parameter: every argument from `from` on is one element. */
function checkRest(p: CompiledSlot, args: ArrayLike<unknown>, from: number, leave: readonly string[] | undefined): Mismatch | undefined {
  for (let i = from; i < args.length; i++) {
    const mismatch = p.type.check(args[i], 1, leave);
    if (mismatch) return { ...mismatch, path: `${p.name}[${i - from}]${mismatch.path}` };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Messages.
// ---------------------------------------------------------------------------------------------

/** `CalicoCluster` for a constructor, `AsNumber.of()` for a method. */
function whereOf(callable: string): string {
  return callable.includes('.') ? `${callable}()` : callable;
}

/** The construct path for the error: the method's construct, or `<scope path>/<id>` of a constructor. */
function constructPathOf(callable: string, args: ArrayLike<unknown>, scope: IConstruct | undefined): string | undefined {
  try {
    if (scope) return scope.node.path;
    const params = CALLABLES[callable];
    if (callable.includes('.') || params[0]?.[0] !== 'scope' || params[1]?.[0] !== 'id') return undefined;
    const [parent, id] = [args[0], args[1]];
    if (!isInstanceOf(parent, 'Construct')) return undefined;
    const parentPath = (parent as IConstruct).node.path;
    if (typeof id !== 'string') return parentPath || undefined;
    return parentPath ? `${parentPath}/${id}` : id;
  } catch {
    return undefined;
  }
}

function describeMismatch(path: string, m: Mismatch): string {
  switch (m.problem) {
    case 'missing': return `${path} is required; give ${m.expected}`;
    case 'null': return `${path} null is not ${m.expected}; leave the field out (undefined) for its default`;
    case 'threw': return `reading ${path} threw ${quoteError(m.error)}; pass plain values (${m.expected})`;
    case 'deep': return `${path} is nested more than ${MAX_DEPTH} levels deep`;
    default: return `${path} ${describeValue(m.value)} is not ${m.expected}`;
  }
}

function quoteError(e: unknown): string {
  try {
    return describeValue(e instanceof Error ? e.message : e);
  } catch {
    return 'an error';
  }
}

/**
 * A short, safe rendering of a bad value: strings and numbers as JSON, objects by their own data
 * fields (never calling a getter), class instances by class name, at most ~60 characters.
 */
export function describeValue(value: unknown): string {
  try {
    const text = render(value, 0);
    return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}...` : text;
  } catch {
    return 'a value that cannot be read';
  }
}

function render(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > MAX_QUOTE ? value.slice(0, MAX_QUOTE) : value);
    case 'number':
    case 'boolean':
    case 'undefined': return String(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    case 'function': return 'a function';
    default: break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (depth > 2) return Array.isArray(obj) ? '[...]' : '{...}';
  if (Array.isArray(obj)) {
    const items = Array.from({ length: Math.min(4, obj.length) }, (_, i) => renderField(obj, String(i), depth));
    return `[${items.join(', ')}${obj.length > 4 ? ', ...' : ''}]`;
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== null && proto !== Object.prototype) {
    const className = chainNames(proto)[0];
    if (className && className !== 'Object') return `${article(className)} ${className}`;
  }
  const keys = Object.keys(obj);
  const fields = keys.slice(0, 4).map(k => `${JSON.stringify(k)}: ${renderField(obj, k, depth)}`);
  return `{${fields.join(', ')}${keys.length > 4 ? ', ...' : ''}}`;
}

/** A field's value without calling a getter. */
function renderField(obj: object, key: string, depth: number): string {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (!d) return 'undefined';
  return 'value' in d ? render(d.value, depth + 1) : '(getter)';
}

function keyPath(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function article(word: string): string {
  return /^[AEIOUaeiou]/.test(word) ? 'an' : 'a';
}

function orList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
