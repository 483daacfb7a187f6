// Generates src/validation/private/crd-fields.ts: for each supported Calico line (the entries of
// src/core/private/calico-lines.ts), the kinds users write and the field tree of each, read from
// the line's crd.projectcalico.org/v1 CRDs (reference-data/calico/<referenceTag>/crds.yaml).
// `npm run gen:crd-fields` writes it; test/validation/crd-fields.test.ts fails when the committed
// module differs from what this produces. Adding a Calico line is: vendor its crds.yaml, add its
// entry to calico-lines.ts, run this.
//
// What it keeps of a schema: the JSON type, an object's fields, a list's items, a map's values,
// and the constraints the API server checks on a value (enum, bounds, lengths, sizes, pattern,
// the cidr and date-time formats, required fields, set lists, defaults). Descriptions, CEL rules
// (the validators carry them by hand, with their messages) and integer formats are left out.
// Subtrees that are the same (rules of every policy kind, or a field both lines share) are
// written once and shared.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CALICO_LINES } from '../../src/core/private/calico-lines';

const ROOT = path.resolve(__dirname, '..', '..');
/** Where the generated module is committed. */
export const CRD_FIELDS_FILE = path.join(ROOT, 'src', 'validation', 'private', 'crd-fields.ts');

/** The CRD group whose kinds users write (the storage API of projectcalico.org/v3). */
const CRD_GROUP = 'crd.projectcalico.org';
/** Kinds Calico writes for itself (IPAM bookkeeping, cluster identity): no user writes one. */
const INTERNAL_KINDS = new Set(['BlockAffinity', 'ClusterInformation', 'IPAMBlock', 'IPAMHandle']);
/** Storage kinds whose projectcalico.org/v3 kind has another name. */
const V3_KIND_NAMES: ReadonlyMap<string, string> = new Map([['IPAMConfig', 'IPAMConfiguration']]);
/** Formats the API server checks on a string (integer formats such as int32 it does not). */
const CHECKED_FORMATS = new Set(['cidr', 'date-time']);
/** Longest generated line before a new one starts. */
const LINE_WIDTH = 150;

/** A field as the generated module holds it (keys in the order they are printed). */
interface Field {
  type: string;
  fields?: Record<string, Field>;
  items?: Field;
  values?: Field;
  enum?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  required?: string[];
  unique?: boolean;
  default?: unknown;
}

interface Kind {
  readonly namespaced: boolean;
  readonly specRequired: boolean;
  readonly spec?: Field;
  readonly status?: Field;
}

/** The path of a line's CRD file. */
export function crdFileOf(referenceTag: string): string {
  return path.join(ROOT, 'reference-data', 'calico', referenceTag, 'crds.yaml');
}

/** Reads the kinds of one line's CRD file, by their projectcalico.org/v3 name, in name order. */
export function readLineKinds(file: string): Map<string, Kind> {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
  const kinds = new Map<string, Kind>();
  for (const crd of docs) {
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.group !== CRD_GROUP) continue;
    const crdKind: string = crd.spec.names.kind;
    if (INTERNAL_KINDS.has(crdKind)) continue;
    const version = crd.spec.versions.find((v: any) => v.name === 'v1');
    const top = version.schema.openAPIV3Schema.properties;
    kinds.set(V3_KIND_NAMES.get(crdKind) ?? crdKind, {
      namespaced: crd.spec.scope === 'Namespaced',
      specRequired: (version.schema.openAPIV3Schema.required ?? []).includes('spec'),
      spec: top.spec ? fieldOf(top.spec) : undefined,
      status: top.status ? fieldOf(top.status) : undefined,
    });
  }
  return new Map([...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One schema as a Field. */
function fieldOf(schema: any): Field {
  const out: Field = { type: typeOf(schema) };
  if (schema.properties) {
    out.fields = {};
    for (const name of Object.keys(schema.properties).sort()) out.fields[name] = fieldOf(schema.properties[name]);
  }
  if (schema.items) out.items = fieldOf(schema.items);
  if (typeof schema.additionalProperties === 'object') out.values = fieldOf(schema.additionalProperties);
  const values = enumOf(schema);
  if (values) out.enum = values;
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const) {
    if (typeof schema[key] === 'number') out[key] = schema[key];
  }
  if (typeof schema.pattern === 'string') out.pattern = schema.pattern;
  if (CHECKED_FORMATS.has(schema.format) && out.type === 'string') out.format = schema.format;
  if (Array.isArray(schema.required) && schema.required.length > 0) out.required = [...schema.required].sort();
  if (schema['x-kubernetes-list-type'] === 'set') out.unique = true;
  if (schema.default !== undefined) out.default = schema.default;
  return out;
}

function typeOf(schema: any): string {
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  if (typeof schema.type === 'string') return schema.type;
  return schema.properties ? 'object' : 'any';
}

/** The values an enum allows; `allOf` of several enums allows the values they share. */
function enumOf(schema: any): Array<string | number> | undefined {
  const lists: Array<Array<string | number>> = [];
  if (Array.isArray(schema.enum)) lists.push(schema.enum);
  for (const part of schema.allOf ?? []) if (Array.isArray(part.enum)) lists.push(part.enum);
  if (lists.length === 0) return undefined;
  return lists.reduce((shared, list) => shared.filter(v => list.includes(v)));
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

const HEADER = `// GENERATED by test/support/generate-crd-fields.ts (\`npm run gen:crd-fields\`) from the
// crd.projectcalico.org/v1 CRDs of each supported Calico line (reference-data/calico/<tag>/crds.yaml).
// Never edit it by hand: test/validation/crd-fields.test.ts fails when it differs from the
// generator's output. src/validation/crd-schema.ts reads it; crd-types.ts describes its shape.
//
// Each kind users write, by its projectcalico.org/v3 name, with the field tree of its spec (and
// status, where the kind has one). Shared subtrees are written once (the constants F0, F1, ...).
import type { CrdField, CrdLine } from './crd-types';

type F = CrdField;
`;

/** The generated module's text. */
export function generateCrdFields(): string {
  const lines = CALICO_LINES.map(l => ({ line: l.line, tag: l.referenceTag, kinds: readLineKinds(crdFileOf(l.referenceTag)) }));
  const printer = new Printer();
  const tables = lines.map(l => ({
    ...l,
    entries: [...l.kinds].map(([kind, k]) => {
      const parts = [`namespaced: ${k.namespaced}`];
      if (k.specRequired) parts.push('specRequired: true');
      if (k.spec) parts.push(`spec: ${printer.name(k.spec)}`);
      if (k.status) parts.push(`status: ${printer.name(k.status)}`);
      return `${kind}: { ${parts.join(', ')} }`;
    }),
  }));
  const out = [HEADER, ...printer.declarations(), ''];
  out.push('/** Each supported line (`v3.32`), newest first: its reference release and each kind it has. */');
  out.push('export const CRD_LINES: { readonly [line: string]: CrdLine } = {');
  for (const t of tables) {
    out.push(`  '${t.line}': {`, `    referenceTag: '${t.tag}',`, '    kinds: {');
    for (const e of t.entries) out.push(`      ${e},`);
    out.push('    },', '  },');
  }
  out.push('};', '', '/** Storage kinds (crd.projectcalico.org/v1) whose projectcalico.org/v3 kind has another name. */');
  out.push(`export const CRD_KIND_NAMES: { readonly [storageKind: string]: string } = { ${[...V3_KIND_NAMES].map(([k, v]) => `${k}: '${v}'`).join(', ')} };`, '');
  return out.join('\n');
}

/** Names each distinct field once, children before parents. */
class Printer {
  private readonly names = new Map<string, string>();
  private readonly texts: string[] = [];

  /** The constant that holds `field` (declared on first use). */
  public name(field: Field): string {
    const text = this.literal(field);
    let name = this.names.get(text);
    if (name === undefined) {
      name = `F${this.names.size}`;
      this.names.set(text, name);
      this.texts.push(`const ${name}: F = ${text};`);
    }
    return name;
  }

  /** The declarations, several to a line where they fit. */
  public declarations(): string[] {
    const out: string[] = [];
    let line = '';
    for (const text of this.texts) {
      if (line !== '' && line.length + 1 + text.length > LINE_WIDTH) {
        out.push(line);
        line = '';
      }
      line = line === '' ? text : `${line} ${text}`;
    }
    if (line !== '') out.push(line);
    return out;
  }

  private literal(field: Field): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(field)) {
      if (key === 'fields') {
        const fields = Object.entries(value as Record<string, Field>).map(([n, f]) => `${propertyKey(n)}: ${this.name(f)}`);
        parts.push(`fields: { ${fields.join(', ')} }`);
      } else if (key === 'items' || key === 'values') {
        parts.push(`${key}: ${this.name(value as Field)}`);
      } else {
        parts.push(`${propertyKey(key)}: ${valueText(value)}`);
      }
    }
    return `{ ${parts.join(', ')} }`;
  }
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quoteText(name);
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return quoteText(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${valueText(v)}`).join(', ')} }`;
  }
  return String(value);
}

function quoteText(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

if (require.main === module) {
  fs.writeFileSync(CRD_FIELDS_FILE, generateCrdFields());
  process.stdout.write(`wrote ${path.relative(ROOT, CRD_FIELDS_FILE)}\n`);
}
