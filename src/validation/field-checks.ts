// Field checks the configuration validators (FelixConfiguration, KubeControllersConfiguration)
// build their field tables from: one function a value shape, each reporting into an IssueCollector.
import { crdFieldOf, crdPattern } from './crd-schema';
import { formatGoDuration, goRegexpError, NS_PER, parseGoDuration } from './go-syntax';
import { at, IssueCollector, isObject, ownValue, q } from './issues';

/** A check of one field: `label` is the field as users read it (`failsafeInboundHostPorts[0].port`). */
export type FieldCheck = (value: unknown, path: string, label: string, c: IssueCollector) => void;

/** The log levels Calico's validator accepts (case-sensitive). */
export const LOG_LEVELS: readonly string[] = ['Debug', 'Info', 'Warning', 'Error', 'Fatal'];
/** Checks a Go duration field (no CRD pattern); negative durations are refused unless allowed. */
export function goDuration(options: { allowNegative?: boolean } = {}): FieldCheck {
  return (v, path, label, c) => {
    readDuration(v, path, label, c, { units: 'numbers with units', negative: options.allowNegative ? undefined : 'use a duration of \'0s\' or more' });
  };
}

/**
 * The nanoseconds of a duration value; reports (and returns undefined for) a value that is not a
 * string, not a Go duration (`units` says how to write one) or negative (when `negative`, the fix, is given).
 */
function readDuration(v: unknown, path: string, label: string, c: IssueCollector, how: { units: string; negative?: string }): bigint | undefined {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a duration string such as '30s' or '5m', got ${q(v)}`);
    return undefined;
  }
  const ns = parseGoDuration(v);
  if (ns === undefined) {
    c.add(path, `${label} ${q(v)} is not a duration; write ${how.units}, e.g. '90s', '5m' or '1h30m'`);
    return undefined;
  }
  if (ns < 0n && how.negative !== undefined) {
    c.add(path, `${label} ${q(v)} is negative; ${how.negative}`);
    return undefined;
  }
  return ns;
}

/**
 * Checks a duration field of `kind` whose CRD may carry a pattern (most Felix durations do). It
 * must parse as a Go duration, match the line's pattern as written (CRD mode) and still match it in
 * the form Calico stores (`time.Duration.String()`: '1500ms' is stored as '1.5s', which the
 * pattern of most Felix durations, `^([0-9]+(\\.[0-9]+)?(ms|s|m|h))*$`, rejects: its `\\.` asks
 * for a backslash).
 */
export function crdDurationOf(kind: string): FieldCheck {
  return (v, path, label, c) => {
    const ns = readDuration(v, path, label, c, { units: 'whole numbers with the units h, m, s or ms', negative: 'use \'0s\' to disable or a positive duration' });
    if (typeof v !== 'string' || ns === undefined) return;
    const pattern = crdPatternAt(kind, path, c);
    if (!pattern) return;
    const crd = `the Calico ${c.version.line} ${kind} CRD`;
    if (!pattern.test(v)) {
      c.add(path, `${label} ${q(v)} is not in the form ${crd} accepts; write whole numbers with the units h, m, s or ms, e.g. '${suggestDuration(ns)}'`);
      return;
    }
    const stored = formatGoDuration(ns);
    if (!pattern.test(stored)) {
      c.add(path, `${label} ${q(v)} would be stored by Calico as '${stored}', which ${crd} rejects (its pattern allows no fractions); `
        + 'use whole seconds for durations of one second or more and whole milliseconds below that, e.g. '
        + `'${suggestDuration(ns)}'`);
    }
  };
}

/** The CRD pattern of the field at `path` (list indexes read as any item), compiled, if it has one. */
function crdPatternAt(kind: string, path: string, c: IssueCollector): RegExp | undefined {
  const source = crdFieldOf(kind, schemaPathOf(path), c.version)?.pattern;
  return source === undefined ? undefined : crdPattern(source);
}

/** A duration the CRD pattern accepts in both the written and the stored form, close to `ns`. */
function suggestDuration(ns: bigint): string {
  if (ns >= NS_PER.s) return `${(ns + NS_PER.s / 2n) / NS_PER.s}s`;
  if (ns >= NS_PER.ms) return `${ns / NS_PER.ms}ms`;
  return ns === 0n ? '0s' : '1ms';
}

/** Checks a field that must be a Go regular expression. */
export const regexpField: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a regular expression string, got ${q(v)}`);
    return;
  }
  const reason = goRegexpError(v);
  if (reason !== undefined) c.add(path, `${label} ${q(v)} is not a valid regular expression (${reason}); fix the expression, e.g. '^eth.*'`);
};

/** Checks a boolean field. */
export const bool: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'boolean') c.add(path, `${label} must be true or false, got ${q(v)}`);
};

/** Checks a free-form string field. */
export const str: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') c.add(path, `${label} must be a string, got ${q(v)}`);
};

/** Checks an integer field of `min` or more; `why` explains the bound in the message. */
export function atLeast(min: number, why = ''): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      c.add(path, `${label} must be a whole number, got ${q(v)}`);
    } else if (v < min) {
      c.add(path, `${label} ${v} is out of range${why ? ` (${why})` : ''}; use ${min} or more`);
    }
  };
}

/** Checks an integer field within [min, max]; `why` explains the range in the message. */
export function int(min: number, max: number, why = ''): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      c.add(path, `${label} must be a whole number, got ${q(v)}`);
    } else if (v < min || v > max) {
      c.add(path, `${label} ${v} is out of range${why ? ` (${why})` : ''}; use a value from ${min} to ${max}`);
    }
  };
}

/**
 * Checks a field that takes one of `values`. Calico's validator tags compare case-sensitively;
 * fields guarded only by a `(?i)` CRD pattern compare case-insensitively. Empty strings count as
 * unset (the Go fields are `omitempty` strings) unless `emptyAllowed` is false: fields typed with
 * a CRD enum are pointers in Go, so an empty string reaches the CRD, whose enum refuses it.
 */
export function oneOf(values: readonly string[], options: { caseInsensitive?: boolean; emptyAllowed?: boolean } = {}): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'string') {
      c.add(path, `${label} must be one of ${values.join(', ')}, got ${q(v)}`);
      return;
    }
    if (v === '' && options.emptyAllowed !== false) return;
    const match = values.find(x => (options.caseInsensitive ? x.toLowerCase() === v.toLowerCase() : x === v));
    if (match !== undefined) return;
    const near = values.find(x => x.toLowerCase() === v.toLowerCase());
    c.add(path, `${label} ${q(v)} is not one of ${values.join(', ')}${options.caseInsensitive ? '' : ' (case-sensitive)'}; `
      + (near ? `write '${near}'` : `use one of ${values.map(x => `'${x}'`).join(', ')}`));
  };
}

/** Checks a string against a regular expression; `what` names the expected form, `example` shows one. */
export function matches(re: RegExp, what: string, example: string): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'string') {
      c.add(path, `${label} must be a string (${what}), got ${q(v)}`);
    } else if (v !== '' && !re.test(v)) {
      c.add(path, `${label} ${q(v)} is not ${what}; use for example '${example}'`);
    }
  };
}

/** Checks a list whose every item passes `item`. */
export function listOf(item: FieldCheck): FieldCheck {
  return (v, path, label, c) => {
    if (!Array.isArray(v)) {
      c.add(path, `${label} must be a list, got ${q(v)}`);
      return;
    }
    v.forEach((x, i) => item(x, at(path, i), `${label}[${i}]`, c));
  };
}

/**
 * Checks an object against a table of field checks. The fields it does not list are left to the
 * field-name pass (a field the line lacks) and the CRD-constraints pass (one without a check here).
 */
export function checkObject(v: unknown, path: string, label: string, fields: Record<string, FieldCheck>, c: IssueCollector): void {
  if (!isObject(v)) {
    c.add(path, `${label || 'spec'} must be an object, got ${q(v)}`);
    return;
  }
  const keys = Object.keys(v);
  // A long object (hostile input: many unknown keys) is looked up through a Map made once per table.
  const table = keys.length > 32 ? fieldTable(fields) : undefined;
  for (const key of keys) {
    const check = table ? table.get(key) : ownValue(fields, key);
    if (check === undefined) continue;
    const value = (v as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) check(value, at(path, key), label ? `${label}.${key}` : key, c);
  }
}

/** Each field table as a Map (own keys only), made once. */
const FIELD_TABLES = new WeakMap<Record<string, FieldCheck>, Map<string, FieldCheck>>();

function fieldTable(fields: Record<string, FieldCheck>): Map<string, FieldCheck> {
  let table = FIELD_TABLES.get(fields);
  if (!table) {
    table = new Map(Object.entries(fields));
    FIELD_TABLES.set(fields, table);
  }
  return table;
}

/** The schema path of a value's path: list indexes read as any item (`spec.a[2].b` -> `spec.a[].b`). */
function schemaPathOf(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}
