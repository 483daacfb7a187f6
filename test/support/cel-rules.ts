// The CEL rules of a CRD (x-kubernetes-validations), compiled and evaluated the way the API server
// does on create, with @marcbachmann/cel-js.
//
// Each schema node becomes a CEL type, as in the API server: an object with properties is a
// message type of those fields (so a rule naming a field the schema lacks fails to compile), an
// object with additionalProperties a map<string, T>, an array a list<T>, integer int, number
// double, int-or-string and free-form objects dyn. At the root, `metadata` offers `name` and
// `generateName` only. A rule is checked to be a bool expression of `self`, the node it sits on;
// its messageExpression a string expression.
//
// Not covered: transition rules (those naming oldSelf) only run on update and are counted, not
// compiled; the API server's cost budget has no counterpart in cel-js, which bounds expressions
// by structure at parse time (CEL_LIMITS) and runs rules over our own small objects; of the
// Kubernetes CEL libraries only isCIDR is provided, the one function the Calico CRDs call (a rule
// calling another fails to compile, which names the function to add here).

import { isIP } from 'net';
import { Environment } from '@marcbachmann/cel-js';

/** Parse-time bounds of every expression (cel-js has no run-time cost limit). */
export const CEL_LIMITS = { maxAstNodes: 2000, maxDepth: 50, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 };

/** A compiled rule of one schema node. */
interface CompiledRule {
  readonly rule: string;
  readonly message?: string;
  readonly fieldPath?: string;
  readonly evaluate: (context: Record<string, unknown>) => unknown;
  readonly messageOf?: (context: Record<string, unknown>) => unknown;
}

/** One schema node with what the checks need of it. */
interface Node {
  /** 'object' (a message type), 'map', 'list' or a CEL scalar type name ('int', 'string', 'dyn', ...). */
  readonly shape: string;
  /** The CEL type name of the node. */
  readonly celType: string;
  /** The message type's class, for shape 'object'. */
  readonly ctor?: new (fields: Record<string, unknown>) => object;
  readonly properties?: Map<string, Node>;
  /** Element (list) or value (map) node. */
  readonly element?: Node;
  readonly listType?: string;
  readonly listMapKeys?: string[];
  readonly rules: CompiledRule[];
  readonly schema: any;
}

/** The CEL rules of one version of one CRD, compiled. */
export interface CompiledCrdRules {
  readonly kind: string;
  readonly version: string;
  /** Rules compiled for create (those without oldSelf). */
  readonly compiled: number;
  /** Transition rules (naming oldSelf), which only run on update. */
  readonly transition: number;
  /** `path: rule: error` for each rule that does not compile. */
  readonly compileErrors: string[];
  readonly root: unknown;
}

/** Kubernetes' isCIDR(string): an IPv4 or IPv6 address, '/', a prefix length in range (host bits may be set). */
export function isCidr(text: string): boolean {
  const parts = text.split('/');
  if (parts.length !== 2 || !/^(0|[1-9][0-9]{0,2})$/.test(parts[1])) return false;
  const family = isIP(parts[0]);
  if (family === 0 || parts[0].includes('%')) return false;
  return Number(parts[1]) <= (family === 4 ? 32 : 128);
}

function newEnvironment(): Environment {
  return new Environment({ limits: CEL_LIMITS })
    .registerFunction('isCIDR(string): bool', (text: string) => isCidr(text));
}

function typeName(parts: string[]): string {
  return parts.map(p => p.replace(/[^A-Za-z0-9_]/g, '_')).join('.');
}

const META_FIELDS = { name: 'string', generateName: 'string' };

/** Builds the node tree of a schema, registering a CEL message type per object with properties. */
function buildNode(env: Environment, schema: any, parts: string[], isRoot: boolean, pending: Array<[Node, any]>): Node {
  const s = schema ?? {};
  let node: Node;
  if (s['x-kubernetes-int-or-string']) {
    node = { shape: 'dyn', celType: 'dyn', rules: [], schema: s };
  } else if (s.type === 'array') {
    const element = buildNode(env, s.items, [...parts, 'Item'], false, pending);
    node = {
      shape: 'list', celType: `list<${element.celType}>`, element, rules: [], schema: s,
      listType: s['x-kubernetes-list-type'], listMapKeys: s['x-kubernetes-list-map-keys'],
    };
  } else if (s.type === 'object' && s.properties) {
    const name = typeName(parts);
    const properties = new Map<string, Node>();
    const fields: Record<string, string> = {};
    for (const [key, sub] of Object.entries<any>(s.properties)) {
      if (isRoot && key === 'metadata') {
        const metaName = typeName([...parts, 'metadata']);
        const MetaCtor = messageClass(metaName);
        env.registerType(metaName, { ctor: MetaCtor, fields: META_FIELDS });
        properties.set(key, { shape: 'object', celType: metaName, ctor: MetaCtor, properties: new Map([['name', scalar('string')], ['generateName', scalar('string')]]), rules: [], schema: sub });
        fields[key] = metaName;
        continue;
      }
      const child = buildNode(env, sub, [...parts, key], false, pending);
      properties.set(key, child);
      fields[key] = child.celType;
    }
    const ctor = messageClass(name);
    env.registerType(name, { ctor, fields });
    node = { shape: 'object', celType: name, ctor, properties, rules: [], schema: s };
  } else if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    const element = buildNode(env, s.additionalProperties, [...parts, 'Value'], false, pending);
    node = { shape: 'map', celType: `map<string, ${element.celType}>`, element, rules: [], schema: s };
  } else if (s.type === 'object') {
    node = { shape: 'dyn', celType: 'dyn', rules: [], schema: s };
  } else {
    node = scalar(({ integer: 'int', number: 'double', boolean: 'bool', string: 'string' } as Record<string, string>)[s.type] ?? 'dyn', s);
  }
  if (Array.isArray(s['x-kubernetes-validations'])) pending.push([node, s['x-kubernetes-validations']]);
  return node;
}

function scalar(celType: string, schema: any = {}): Node {
  return { shape: celType, celType, rules: [], schema };
}

function messageClass(name: string): new (fields: Record<string, unknown>) => object {
  const holder = {
    [name]: class {
      constructor(fields: Record<string, unknown>) {
        Object.assign(this, fields);
      }
    },
  };
  return holder[name];
}

/** A JSON value as the CEL value of a node: message instances, Maps, BigInt integers. */
function toCel(value: unknown, node: Node): unknown {
  if (value === null || value === undefined) return value;
  switch (node.shape) {
    case 'object': {
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as object)) {
        const child = node.properties!.get(k);
        if (child && v !== null) fields[k] = toCel(v, child);
      }
      return new node.ctor!(fields);
    }
    case 'map':
      return new Map(Object.entries(value as object).map(([k, v]) => [k, toCel(v, node.element!)]));
    case 'list':
      return (value as unknown[]).map(v => toCel(v, node.element!));
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    case 'dyn':
      return dynToCel(value);
    default:
      return value;
  }
}

function dynToCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(dynToCel);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, dynToCel(v)]));
  }
  return value;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/**
 * Compiles every x-kubernetes-validations rule of one CRD version's openAPIV3Schema, at any depth.
 */
export function compileCrdRules(crd: any, versionName: string): CompiledCrdRules {
  const version = crd.spec.versions.find((v: any) => v.name === versionName);
  const kind: string = crd.spec.names.kind;
  const env = newEnvironment();
  const pending: Array<[Node, any[]]> = [];
  const root = buildNode(env, version.schema.openAPIV3Schema, [kind, versionName], true, pending);
  let compiled = 0;
  let transition = 0;
  const compileErrors: string[] = [];
  const envs = new Map<string, Environment>();
  for (const [node, rules] of pending) {
    let selfEnv = envs.get(node.celType);
    if (!selfEnv) {
      selfEnv = env.clone().registerVariable('self', node.celType);
      envs.set(node.celType, selfEnv);
    }
    for (const r of rules) {
      if (/\boldSelf\b/.test(r.rule) || /\boldSelf\b/.test(r.messageExpression ?? '')) {
        transition++;
        continue;
      }
      const where = `${node.celType}: ${r.rule}`;
      const evaluate = compileExpression(selfEnv, r.rule, 'bool', where, compileErrors);
      const messageOf = r.messageExpression === undefined ? undefined
        : compileExpression(selfEnv, r.messageExpression, 'string', `${node.celType}: ${r.messageExpression}`, compileErrors);
      if (!evaluate) continue;
      compiled++;
      node.rules.push({ rule: r.rule, message: r.message, fieldPath: r.fieldPath, evaluate, messageOf });
    }
  }
  return { kind, version: versionName, compiled, transition, compileErrors, root };
}

/**
 * Parses and type-checks one expression; records `where: error` and returns undefined when it
 * does not compile or its type is not `type` (a dyn result passes, as in the API server; an
 * expected type dyn takes any).
 */
export function compileExpression(env: Environment, source: string, type: string, where: string, errors: string[]): ((context: Record<string, unknown>) => unknown) | undefined {
  let program;
  try {
    program = env.parse(source);
  } catch (e) {
    errors.push(`${where}: does not parse: ${firstLine(e)}`);
    return undefined;
  }
  const checked = program.check();
  if (!checked.valid) {
    errors.push(`${where}: does not compile: ${firstLine(checked.error)}`);
    return undefined;
  }
  if (type !== 'dyn' && checked.type !== type && checked.type !== 'dyn') {
    errors.push(`${where}: is of type ${checked.type}, expected ${type}`);
    return undefined;
  }
  return program;
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Evaluates the compiled rules over one object and checks its list types (set lists hold no
 * repeats, map lists no repeated keys). Returns `path: message` strings.
 */
export function celRuleErrors(rules: CompiledCrdRules, object: unknown): string[] {
  const errors: string[] = [];
  walk(object, rules.root as Node, '', errors);
  return errors;
}

function walk(value: unknown, node: Node, path: string, errors: string[]): void {
  if (value === null || value === undefined) return;
  if (node.rules.length > 0) {
    const self = toCel(value, node);
    for (const r of node.rules) {
      const at = r.fieldPath ? joinPath(path, r.fieldPath.replace(/^\./, '')) : path || '<root>';
      let verdict: unknown;
      try {
        verdict = r.evaluate({ self });
      } catch (e) {
        errors.push(`${at}: rule '${r.rule}' failed to evaluate: ${firstLine(e)}`);
        continue;
      }
      if (verdict !== true) errors.push(`${at}: ${messageOf(r, self)} (rule '${r.rule}')`);
    }
  }
  if (node.shape === 'object' && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as object)) {
      const child = node.properties!.get(k);
      if (child) walk(v, child, joinPath(path, k), errors);
    }
  } else if (node.shape === 'map' && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as object)) walk(v, node.element!, joinPath(path, k), errors);
  } else if (node.shape === 'list' && Array.isArray(value)) {
    listTypeErrors(value, node, path, errors);
    value.forEach((v, i) => walk(v, node.element!, `${path}[${i}]`, errors));
  }
}

function messageOf(rule: CompiledRule, self: unknown): string {
  if (rule.messageOf) {
    try {
      const text = rule.messageOf({ self });
      if (typeof text === 'string' && text !== '') return text;
    } catch {
      // The API server falls back to the static message when messageExpression fails.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function listTypeErrors(items: unknown[], node: Node, path: string, errors: string[]): void {
  let keyOf: ((item: any) => string) | undefined;
  if (node.listType === 'set') keyOf = item => JSON.stringify(item);
  if (node.listType === 'map' && node.listMapKeys) keyOf = item => JSON.stringify(node.listMapKeys!.map(k => item?.[k]));
  if (!keyOf) return;
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf!(item);
    if (seen.has(key)) errors.push(`${path}[${i}]: Duplicate value: ${key} (x-kubernetes-list-type ${node.listType})`);
    seen.add(key);
  });
}
