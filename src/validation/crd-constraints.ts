// The CRD-constraints pass of validateManifest, run after the kind's own validator: every value of
// the spec (and status) is checked against what the chosen line's CRD declares for it (JSON type,
// enum, bounds, lengths, list sizes, pattern, the cidr and date-time formats, set lists, and in
// crd.projectcalico.org/v1 form the fields it requires), which the API server enforces on every
// write. Fields where the validator already reported something, at the field or above it, are
// passed over: one mistake, one issue.
//
// The projectcalico.org/v3 form is what calicoctl marshals before the CRD sees it, so there an
// empty string or an empty list counts as absent (Go's `omitempty`), and an AS number may be text
// ('64512', '1.10'; numorstring.ASNumber), which the validators check.
import { parseCidr, parseIp } from '../net/address';
import { lastSegment, typeIssue } from './common';
import { CrdField, crdKindOf, crdPattern } from './crd-schema';
import { oneOf } from './field-checks';
import { at, IssueCollector, isObject, ownValue, parentPath, q } from './issues';

/** The fields whose projectcalico.org/v3 type (numorstring.ASNumber) also takes text. */
const AS_NUMBER_FIELDS = new Set(['asNumber', 'localASNumber', 'asPathPrefix', 'prefix']);
/** Longest pattern a message shows. */
const MAX_SHOWN_PATTERN = 80;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

interface Walk {
  readonly c: IssueCollector;
  readonly kind: string;
  /** crd.projectcalico.org/v1: the values reach the CRD as written. */
  readonly crdMode: boolean;
  /** Paths the validators reported an issue at. */
  readonly reported: ReadonlySet<string>;
  /** The fields that hold such a path (its ancestors): their size was looked at already. */
  readonly holdingReported: ReadonlySet<string>;
}

/** No path reported (the common case: no set to build per manifest). */
const NOTHING_REPORTED: ReadonlySet<string> = new Set();

/** Checks the spec and status of a manifest of `kind` against the chosen line's CRD. */
export function checkCrdConstraints(m: Record<string, any>, kind: string, c: IssueCollector): void {
  const k = crdKindOf(kind, c.version);
  if (!k) return;
  const reported = c.issues.length ? new Set(c.issues.map(i => i.path)) : NOTHING_REPORTED;
  const holdingReported = c.issues.length ? new Set([...reported].flatMap(ancestorsOf)) : NOTHING_REPORTED;
  const w: Walk = { c, kind, crdMode: m.apiVersion === 'crd.projectcalico.org/v1', reported, holdingReported };
  if (w.crdMode && k.specRequired && (m.spec === undefined || m.spec === null) && !reported.has('spec')) {
    c.add('spec', `spec is required by the Calico ${c.version.line} ${kind} CRD; add one (an empty spec takes the defaults)`);
  }
  if (k.spec) check(m.spec, k.spec, 'spec', 'spec', w);
  if (k.status) check(m.status, k.status, 'status', 'status', w);
}

/** The keys of a field that constrain a value beyond its JSON type. */
const CONSTRAINTS: ReadonlyArray<keyof CrdField> = [
  'fields', 'items', 'values', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'minProperties', 'maxProperties', 'pattern', 'format', 'required', 'unique',
];
const TYPE_ONLY = new WeakMap<CrdField, boolean>();

/** Whether a field asks of its value nothing but a JSON type (most fields do: they are checked in line). */
function isTypeOnly(field: CrdField): boolean {
  let typeOnly = TYPE_ONLY.get(field);
  if (typeOnly === undefined) {
    typeOnly = CONSTRAINTS.every(k => field[k] === undefined);
    TYPE_ONLY.set(field, typeOnly);
  }
  return typeOnly;
}

/** Checks the value of a field at `parent` + `step` (a field name or a list index); see check. */
function checkAt(value: unknown, field: CrdField, parent: string, step: string | number, key: string, w: Walk): void {
  if (value === undefined || value === null) return;
  // Most fields ask for a JSON type only: checked here, without building the value's path.
  if (isTypeOnly(field) && w.reported.size === 0) {
    const absent = !w.crdMode && (value === '' || isEmptyList(value));
    if (absent || hasType(value, field, key, w)) return;
  }
  check(value, field, at(parent, step), key, w);
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/**
 * Checks one value; `key` is the field's name (a list item's: its list's). A field above `path` with
 * an issue is never entered, so only `path` itself is looked up among the reported ones.
 */
function check(value: unknown, field: CrdField, path: string, key: string, w: Walk): void {
  if (value === undefined || value === null || (w.reported.size > 0 && w.reported.has(path))) return;
  if (!w.crdMode && (value === '' || isEmptyList(value))) return;
  if (!hasType(value, field, key, w)) {
    typeIssue(w.c, path, describeType(field), value);
    return;
  }
  if (field.enum) checkEnum(value, field.enum, path, w);
  if (typeof value === 'number') {
    if (field.minimum !== undefined || field.maximum !== undefined) checkBounds(value, field, path, w);
  } else if (typeof value === 'string') {
    if (field.maxLength !== undefined || field.minLength !== undefined || field.pattern !== undefined || field.format !== undefined) checkText(value, field, path, w);
  } else if (Array.isArray(value)) {
    if (field.maxItems !== undefined || field.minItems !== undefined || field.unique) checkList(value, field, path, w);
    const items = field.items;
    if (items) for (let i = 0; i < value.length; i++) checkAt(value[i], items, path, i, key, w);
  } else if (isObject(value)) {
    checkObject(value, field, path, w);
  }
}

/** The fields above a path: `spec.a[0].b` -> `spec.a[0]`, `spec.a`, `spec`. */
function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let p = parentPath(path); p !== ''; p = parentPath(p)) out.push(p);
  return out;
}

function hasType(value: unknown, field: CrdField, key: string, w: Walk): boolean {
  switch (field.type) {
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value) || (!w.crdMode && typeof value === 'string' && AS_NUMBER_FIELDS.has(key));
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'int-or-string': return Number.isInteger(value) || typeof value === 'string';
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    default: return true;
  }
}

function describeType(field: CrdField): string {
  switch (field.type) {
    case 'string': return 'a string';
    case 'integer': return 'an integer';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean (true or false)';
    case 'int-or-string': return 'an integer or a string';
    case 'array': return 'a list';
    default: return 'an object';
  }
}

function checkEnum(value: unknown, values: ReadonlyArray<string | number>, path: string, w: Walk): void {
  if (values.includes(value as string | number)) return;
  const label = lastSegment(path);
  if (typeof value === 'string') {
    oneOf(values.map(String), { emptyAllowed: false })(value, path, label, w.c);
  } else if (!values.includes(value as number)) {
    w.c.add(path, `${label} ${q(value)} is not one of ${values.join(', ')}; use one of them`);
  }
}

function checkBounds(value: number, field: CrdField, path: string, w: Walk): void {
  const { minimum: min, maximum: max } = field;
  if ((min === undefined || value >= min) && (max === undefined || value <= max)) return;
  const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of ${min} or more` : `of ${max} or less`;
  w.c.add(path, `${lastSegment(path)} ${value} is out of range for the Calico ${w.c.version.line} ${w.kind} CRD; use a value ${range}`);
}

function checkText(value: string, field: CrdField, path: string, w: Walk): void {
  // Kubernetes counts characters (code points), never more than UTF-16 units: count them only where it can matter.
  const units = value.length;
  const length = (field.maxLength !== undefined && units > field.maxLength) || field.minLength !== undefined ? [...value].length : units;
  const label = (): string => lastSegment(path);
  if (field.maxLength !== undefined && length > field.maxLength) {
    w.c.add(path, `${label()} is ${length} characters long; the Calico ${w.c.version.line} ${w.kind} CRD allows at most ${field.maxLength}, so shorten it`);
  } else if (field.minLength !== undefined && length < field.minLength) {
    w.c.add(path, `${label()} ${q(value)} is shorter than the ${field.minLength} characters the ${w.kind} CRD requires`);
  }
  if (field.pattern !== undefined && value !== '' && !matchesPattern(field.pattern, value)) {
    const form = field.pattern.length <= MAX_SHOWN_PATTERN ? ` (${field.pattern})` : '';
    w.c.add(path, `${label()} ${q(value)} is not in the form the Calico ${w.c.version.line} ${w.kind} CRD accepts${form}; write it in that form`);
  }
  if (field.format === 'cidr' && value !== '' && parseCidr(value) === undefined) {
    const ip = parseIp(value);
    const fix = ip ? `write it with a prefix length, e.g. '${ip.text}/${ip.version === 4 ? 32 : 128}'` : "write it like '10.0.0.0/16' or 'fd00::/64'";
    w.c.add(path, `${label()} ${q(value)} is not a CIDR; ${fix} (the Calico ${w.c.version.line} ${w.kind} CRD checks the format)`);
  } else if (field.format === 'date-time' && !DATE_TIME.test(value)) {
    w.c.add(path, `${label()} ${q(value)} is not an RFC 3339 time; write it like '2025-01-31T12:00:00Z'`);
  }
}

/** Whether `value` matches a CRD pattern (true for a pattern the library does not run). */
function matchesPattern(pattern: string, value: string): boolean {
  return crdPattern(pattern)?.test(value) ?? true;
}

function checkList(list: readonly unknown[], field: CrdField, path: string, w: Walk): void {
  if (w.holdingReported.has(path)) return; // the validator looked at the entries and found something already
  const label = (): string => lastSegment(path);
  if (field.maxItems !== undefined && list.length > field.maxItems) {
    w.c.add(path, `${label()} has ${list.length} entries; the Calico ${w.c.version.line} ${w.kind} CRD allows at most ${field.maxItems}`);
  } else if (field.minItems !== undefined && list.length < field.minItems) {
    w.c.add(path, `${label()} has ${list.length} entries; the ${w.kind} CRD needs at least ${field.minItems}`);
  }
  if (!field.unique) return;
  // Strings, numbers and booleans stand for themselves (a Set tells '1' from 1); lists and objects by their JSON.
  const seen = new Set<unknown>();
  const seenJson = new Set<string>();
  list.forEach((item, i) => {
    const composite = typeof item === 'object' && item !== null;
    const id = composite ? JSON.stringify(item) : item;
    const repeated = composite ? seenJson.has(id as string) : seen.has(id);
    if (repeated) w.c.add(at(path, i), `${label()} lists ${q(item)} more than once; list each value once`);
    if (composite) seenJson.add(id as string);
    else seen.add(id);
  });
}

function checkObject(value: Record<string, unknown>, field: CrdField, path: string, w: Walk): void {
  const fields = field.fields;
  if (fields) {
    for (const key of Object.keys(value)) {
      const child = ownValue(fields, key);
      if (child) checkAt(value[key], child, path, key, key, w);
    }
  }
  if (field.values) {
    for (const key of Object.keys(value)) checkAt(value[key], field.values, path, key, key, w);
  }
  if (w.crdMode) {
    for (const key of field.required ?? []) {
      const absent = value[key] === undefined || value[key] === null;
      if (absent && (fields === undefined || ownValue(fields, key)?.default === undefined) && !w.reported.has(at(path, key))) {
        w.c.add(at(path, key), `${key} is required by the ${w.kind} CRD (crd.projectcalico.org/v1 has no default for it); set it`);
      }
    }
  }
  const { minProperties: min, maxProperties: max } = field;
  if (min === undefined && max === undefined) return;
  const set = Object.keys(value).filter(k => value[k] !== undefined && value[k] !== null).length;
  if ((min !== undefined && set < min) || (max !== undefined && set > max)) {
    const names = Object.keys(fields ?? {}).join(', ');
    const want = min === 1 && max === 1 ? 'exactly one' : max !== undefined && set > max ? `at most ${max}` : `at least ${min}`;
    w.c.add(path, `${lastSegment(path)} sets ${set} of ${names}; set ${want} of them`);
  }
}
