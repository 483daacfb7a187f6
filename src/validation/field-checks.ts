// Field checks the configuration validators (FelixConfiguration, KubeControllersConfiguration)
// build their field tables from: one function a value shape, each reporting into an IssueCollector.
import { formatGoDuration, goRegexpError, NS_PER, parseGoDuration } from './go-syntax';
import { at, IssueCollector, isObject, ownValue, q } from './issues';

/** A check of one field: `label` is the field as users read it (`failsafeInboundHostPorts[0].port`). */
export type FieldCheck = (value: unknown, path: string, label: string, c: IssueCollector) => void;

/** The log levels Calico's v3.28 validator accepts (case-sensitive). */
export const LOG_LEVELS: readonly string[] = ['Debug', 'Info', 'Warning', 'Error', 'Fatal'];
/** Checks a Go duration field (no CRD pattern); negative durations are refused unless allowed. */
export function goDuration(options: { allowNegative?: boolean } = {}): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'string') {
      c.add(path, `${label} must be a duration string such as '30s' or '5m', got ${q(v)}`);
      return;
    }
    const ns = parseGoDuration(v);
    if (ns === undefined) {
      c.add(path, `${label} ${q(v)} is not a duration; write numbers with units, e.g. '90s', '5m' or '1h30m'`);
    } else if (ns < 0n && !options.allowNegative) {
      c.add(path, `${label} ${q(v)} is negative; use a duration of '0s' or more`);
    }
  };
}

/** The duration pattern of the v3.28 Felix CRD, exactly as the CRD writes it (it admits no fraction). */
const CRD_DURATION_PATTERN = /^([0-9]+(\\.[0-9]+)?(ms|s|m|h))*$/;

/**
 * Checks a Felix duration field that carries the CRD pattern. It must parse as a Go duration,
 * match the pattern as written (CRD mode) and still match it in the form Calico stores
 * (`time.Duration.String()`, e.g. '1500ms' is stored as '1.5s', which the pattern rejects).
 */
export const crdDuration: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a duration string such as '30s' or '5m', got ${q(v)}`);
    return;
  }
  const ns = parseGoDuration(v);
  if (ns === undefined) {
    c.add(path, `${label} ${q(v)} is not a duration; write whole numbers with the units h, m, s or ms, e.g. '90s', '5m' or '1h30m'`);
    return;
  }
  if (ns < 0n) {
    c.add(path, `${label} ${q(v)} is negative; use '0s' to disable or a positive duration`);
    return;
  }
  if (!CRD_DURATION_PATTERN.test(v)) {
    c.add(path, `${label} ${q(v)} is not in the form the FelixConfiguration CRD accepts; write whole numbers with the units h, m, s or ms, e.g. '${suggestDuration(ns)}'`);
    return;
  }
  const stored = formatGoDuration(ns);
  if (!CRD_DURATION_PATTERN.test(stored)) {
    c.add(path, `${label} ${q(v)} would be stored by Calico as '${stored}', which the FelixConfiguration CRD rejects (its pattern allows no fractions); `
      + 'use whole seconds for durations of one second or more and whole milliseconds below that, e.g. '
      + `'${suggestDuration(ns)}'`);
  }
};

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

/** Checks an object against a table of fields, reporting fields the table does not list. */
export function checkObject(v: unknown, path: string, label: string, fields: Record<string, FieldCheck>, kind: string, c: IssueCollector,
  laterFields: Record<string, string> = {}): void {
  if (!isObject(v)) {
    c.add(path, `${label || 'spec'} must be an object, got ${q(v)}`);
    return;
  }
  for (const [key, value] of Object.entries(v)) {
    const fieldPath = at(path, key);
    const fieldLabel = label ? `${label}.${key}` : key;
    const check = ownValue(fields, key);
    if (check) {
      if (value !== null && value !== undefined) check(value, fieldPath, fieldLabel, c);
      continue;
    }
    if (c.full) c.omit(); // count it without looking for the closest known field
    else c.add(fieldPath, unknownFieldMessage(key, fieldLabel, Object.keys(fields), kind, ownValue(laterFields, key)));
  }
}

function unknownFieldMessage(key: string, label: string, known: string[], kind: string, addedIn: string | undefined): string {
  if (addedIn) return `${label} is not a ${kind} field in Calico v3.28 (it was added in Calico ${addedIn}); remove it or upgrade Calico`;
  const sameLetters = known.find(k => k.toLowerCase() === key.toLowerCase());
  const near = sameLetters ?? known.find(k => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return `${label} is not a ${kind} field in Calico v3.28; ${near ? `did you mean '${near}'?` : 'remove it'}`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
