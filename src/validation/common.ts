// Shared primitives for the resource validators: type-safe field readers, Kubernetes name and
// label rules as Calico applies them, ports, protocols, ICMP fields and rule actions.
//
// Every reader reports a type issue (never throws) when a value has the wrong JSON type, and
// treats `null` like an absent field: the Kubernetes API server prunes nulls from non-nullable
// CRD fields and Go's JSON decoder leaves the field at its zero value.
import { selectorError } from '../language/selector-parser';
import { at, IssueCollector, isObject, q } from './issues';

// ---------------------------------------------------------------------------------------------
// Typed readers
// ---------------------------------------------------------------------------------------------

/** The JSON type name of a value, for messages ('null', 'array', 'object', 'string', ...). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Reports `path` as having the wrong type. */
export function typeIssue(c: IssueCollector, path: string, expected: string, value: unknown): void {
  c.add(path, `${lastSegment(path)} must be ${expected}, got ${jsonType(value)} ${q(value)}; write it as ${expected}`);
}

/** The field name at the end of a path: 'spec.ingress[0].action' -> 'action', 'spec.nets[2]' -> 'nets[2]'. */
export function lastSegment(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

/** Reads an optional string field; reports a type issue and returns undefined for other types. */
export function readString(obj: Record<string, any>, key: string, path: string, c: IssueCollector): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    typeIssue(c, at(path, key), 'a string', v);
    return undefined;
  }
  return v;
}

/** Reads an optional boolean field. */
export function readBoolean(obj: Record<string, any>, key: string, path: string, c: IssueCollector): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    typeIssue(c, at(path, key), 'a boolean (true or false)', v);
    return undefined;
  }
  return v;
}

/** Reads an optional finite number field. */
export function readNumber(obj: Record<string, any>, key: string, path: string, c: IssueCollector): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    typeIssue(c, at(path, key), 'a number', v);
    return undefined;
  }
  return v;
}

/** Reads an optional integer field. */
export function readInteger(obj: Record<string, any>, key: string, path: string, c: IssueCollector): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    typeIssue(c, at(path, key), 'an integer', v);
    return undefined;
  }
  return v;
}

/** Reads an optional object field. */
export function readObject(obj: Record<string, any>, key: string, path: string, c: IssueCollector): Record<string, any> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    typeIssue(c, at(path, key), 'an object', v);
    return undefined;
  }
  return v;
}

/** Reads an optional array field (elements unchecked). */
export function readArray(obj: Record<string, any>, key: string, path: string, c: IssueCollector): unknown[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    typeIssue(c, at(path, key), 'a list', v);
    return undefined;
  }
  return v;
}

/**
 * Reads an optional list of strings. Returns the entries that are strings together with their
 * index; non-string entries are reported.
 */
export function readStringList(obj: Record<string, any>, key: string, path: string, c: IssueCollector):
Array<{ value: string; path: string }> | undefined {
  const list = readArray(obj, key, path, c);
  if (!list) return undefined;
  const out: Array<{ value: string; path: string }> = [];
  list.forEach((v, i) => {
    const p = at(at(path, key), i);
    if (typeof v !== 'string') {
      typeIssue(c, p, 'a string', v);
    } else {
      out.push({ value: v, path: p });
    }
  });
  return out;
}

/**
 * Reports every field of `obj` that is not in `known`: the API server would drop it silently
 * (or reject it under strict field validation), so it almost always is a typo. The message
 * suggests and lists the fields in `listed` (by default `known`).
 */
export function checkKnownFields(obj: Record<string, any>, known: readonly string[], path: string, c: IssueCollector, what: string,
  listed: readonly string[] = known): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    if (c.full) {
      c.omit(); // thousands of unknown fields: count them without looking for the closest known one
      continue;
    }
    c.add(at(path, key), unknownFieldMessage(what, key, listed));
  }
}

/** Most known fields a message lists; an object with more (FelixConfiguration) is not listed. */
const MAX_LISTED_FIELDS = 20;

/**
 * The message for a field `what` (e.g. 'an IPPool spec') does not have: the known field closest to
 * `key` when there is one, else the known fields (when they are few).
 */
export function unknownFieldMessage(what: string, key: string, known: readonly string[]): string {
  const hint = closest(key, known);
  const list = known.length <= MAX_LISTED_FIELDS ? `; known fields are ${known.join(', ')}` : '';
  return `${what} has no field ${q(key)}; ${hint ? `did you mean '${hint}'?` : `remove it${list}`}`;
}

/** The known name closest to `key` (same letters in another case, a prefix of it, or within edit distance 2), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find(k => k.toLowerCase() === lower);
  if (exact) return exact;
  const prefix = lower.length >= 4 ? known.find(k => k.toLowerCase().startsWith(lower)) : undefined;
  if (prefix) return prefix;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Length of a string in UTF-8 bytes (Go's `len`), which is what Kubernetes limits count. */
export function byteLength(s: string): number {
  let bytes = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** One DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric. */
export const DNS_LABEL_PATTERN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** A DNS-1123 subdomain: labels joined by '.'. */
export const DNS_SUBDOMAIN_PATTERN = `${DNS_LABEL_PATTERN}(\\.${DNS_LABEL_PATTERN})*`;

const DNS_LABEL_RE = new RegExp(`^${DNS_LABEL_PATTERN}$`);
const DNS_SUBDOMAIN_RE = new RegExp(`^${DNS_SUBDOMAIN_PATTERN}$`);

/** Longest resource name Calico and Kubernetes accept (DNS-1123 subdomain). */
export const MAX_NAME_LENGTH = 253;
/** Longest DNS-1123 label (namespace names, label-name parts). */
export const MAX_LABEL_LENGTH = 63;

/**
 * Whether `s` matches Calico's resource-name format (a DNS-1123 subdomain; the length limit is
 * checked separately, as Calico does).
 */
export function isResourceName(s: string): boolean {
  return DNS_SUBDOMAIN_RE.test(s);
}

/** Whether `s` has the DNS-1123 label format (no length limit; Calico checks lengths apart). */
export function isDnsLabel(s: string): boolean {
  return DNS_LABEL_RE.test(s);
}

/** Whether `s` is a valid Kubernetes namespace name (DNS-1123 label, at most 63 characters). */
export function isNamespaceName(s: string): boolean {
  return s.length <= MAX_LABEL_LENGTH && DNS_LABEL_RE.test(s);
}

/**
 * Checks a string that Calico validates with its `name` rule (a resource name: DNS-1123
 * subdomain format). Reports and returns false when it does not match.
 */
export function checkNameFormat(value: string, path: string, c: IssueCollector, field: string): boolean {
  if (isResourceName(value)) return true;
  c.add(path, `${field} ${q(value)} is not a valid name; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (for example 'my-name')`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Label keys and values (Kubernetes IsQualifiedName / IsValidLabelValue)
// ---------------------------------------------------------------------------------------------

const QUALIFIED_NAME_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Problems with a Kubernetes qualified name (a label or annotation key): an optional DNS-1123
 * subdomain prefix and '/', then a name of at most 63 characters made of alphanumerics, '-',
 * '_' and '.', starting and ending alphanumeric. Empty when valid.
 */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  let name: string;
  const problems: string[] = [];
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      problems.push('the prefix before \'/\' must not be empty');
    } else if (byteLength(prefix) > MAX_NAME_LENGTH) {
      problems.push(`the prefix before '/' must be at most ${MAX_NAME_LENGTH} characters`);
    } else if (!DNS_SUBDOMAIN_RE.test(prefix)) {
      problems.push(`the prefix ${q(prefix)} must be a lower-case DNS subdomain such as 'example.com'`);
    }
  } else {
    return ['it may contain at most one \'/\' (an optional DNS-subdomain prefix, then the name)'];
  }
  if (name.length === 0) {
    problems.push('the name part must not be empty');
  } else {
    if (byteLength(name) > MAX_LABEL_LENGTH) problems.push(`the name part must be at most ${MAX_LABEL_LENGTH} characters`);
    if (!QUALIFIED_NAME_PART_RE.test(name)) {
      problems.push('the name part must consist of letters, digits, \'-\', \'_\' or \'.\', and start and end with a letter or digit');
    }
  }
  return problems;
}

const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Problems with a Kubernetes label value (empty, or at most 63 characters of [A-Za-z0-9_.-] starting and ending alphanumeric). */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (byteLength(value) > MAX_LABEL_LENGTH) problems.push(`it must be at most ${MAX_LABEL_LENGTH} characters (it has ${byteLength(value)})`);
  if (!LABEL_VALUE_RE.test(value)) {
    problems.push('it must be empty or consist of letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit');
  }
  return problems;
}

/**
 * Checks a label map (`metadata.labels`): an object of string values whose keys are qualified
 * names and whose values are valid label values. Returns the valid string entries.
 */
export function checkLabels(value: unknown, path: string, c: IssueCollector): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  if (!isObject(value)) {
    typeIssue(c, path, 'an object of string keys and values', value);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    const keyProblems = labelTextProblems(VALID_LABEL_KEYS, k, qualifiedNameProblems);
    if (keyProblems.length > 0) {
      c.add(at(path, k), `label key ${q(k)} is invalid: ${keyProblems.join('; ')}`);
    }
    if (typeof v !== 'string') {
      c.add(at(path, k), `label ${q(k)} must have a string value, got ${jsonType(v)} ${q(v)}; write it as a string (in YAML, put the value in quotes)`);
      continue;
    }
    const valueProblems = labelTextProblems(VALID_LABEL_VALUES, v, labelValueProblems);
    if (valueProblems.length > 0) {
      c.add(at(path, k), `label ${q(k)} has invalid value ${q(v)}: ${valueProblems.join('; ')}`);
    }
    if (keyProblems.length === 0) out[k] = v;
  }
  return out;
}

// Label keys and values found valid, remembered (bounded): the same few labels recur on thousands
// of objects. Only valid texts are kept, so a message is always derived afresh.
const VALID_LABEL_KEYS = new Set<string>();
const VALID_LABEL_VALUES = new Set<string>();

function labelTextProblems(valid: Set<string>, text: string, problemsOf: (text: string) => string[]): readonly string[] {
  if (valid.has(text)) return [];
  const problems = problemsOf(text);
  if (problems.length === 0 && text.length <= MAX_NAME_LENGTH) {
    if (valid.size >= 10_000) valid.clear();
    valid.add(text);
  }
  return problems;
}

/** Largest total size of all annotation keys and values on one object (256 KiB). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/**
 * Checks an annotation map: keys are qualified names (compared in lower case, so upper-case
 * prefixes are accepted as Calico does), values are strings, and keys plus values total at most
 * 256 KiB.
 */
export function checkAnnotations(value: unknown, path: string, c: IssueCollector): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    typeIssue(c, path, 'an object of string keys and values', value);
    return;
  }
  let total = 0;
  for (const [k, v] of Object.entries(value)) {
    const p = at(path, k);
    const problems = qualifiedNameProblems(k.toLowerCase());
    if (problems.length > 0) {
      c.add(p, `annotation key ${q(k)} is invalid: ${problems.join('; ')}`);
    }
    if (typeof v !== 'string') {
      c.add(p, `annotation ${q(k)} must have a string value, got ${jsonType(v)} ${q(v)}; quote it in YAML`);
      continue;
    }
    total += byteLength(k) + byteLength(v);
  }
  if (total > MAX_ANNOTATIONS_BYTES) {
    c.add(path, `annotations total ${total} bytes, ${total - MAX_ANNOTATIONS_BYTES} bytes over the ${MAX_ANNOTATIONS_BYTES}-byte limit; shorten or remove some annotations`);
  }
}

// ---------------------------------------------------------------------------------------------
// Selectors
// ---------------------------------------------------------------------------------------------

/** The special namespaceSelector that selects non-namespaced endpoints only. */
export const GLOBAL_SELECTOR = 'global()';

/**
 * Checks an optional selector field: a string that parses as a Calico selector. Returns the
 * string when it is one (valid or not), undefined when absent or of the wrong type.
 */
export function checkSelectorField(obj: Record<string, any>, key: string, path: string, c: IssueCollector): string | undefined {
  const s = readString(obj, key, path, c);
  if (s !== undefined) checkSelector(s, at(path, key), key, c);
  return s;
}

/** Checks that `s` parses as a Calico selector; `label` names the field in the message. */
export function checkSelector(s: string, path: string, label: string, c: IssueCollector): void {
  const err = safeSelectorError(s);
  if (err !== undefined) {
    c.add(path, `${label} ${q(s)} is not a valid selector: ${err}; write an expression such as "app == 'web' && has(tier)", or all()`);
  }
}

function safeSelectorError(s: string): string | undefined {
  try {
    return selectorError(s);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Rule actions, policy types
// ---------------------------------------------------------------------------------------------

/** The rule actions Calico accepts (case-sensitive). */
export const RULE_ACTIONS: readonly string[] = ['Allow', 'Deny', 'Log', 'Pass'];

/** The policy types Calico accepts (case-sensitive). */
export const POLICY_TYPES: readonly string[] = ['Ingress', 'Egress'];

/** Checks a rule action (required). */
export function checkAction(rule: Record<string, any>, path: string, c: IssueCollector): string | undefined {
  const p = at(path, 'action');
  const v = rule.action;
  if (v === undefined || v === null || v === '') {
    c.add(p, `action is required; set it to one of ${RULE_ACTIONS.join(', ')}`);
    return undefined;
  }
  if (typeof v !== 'string') {
    typeIssue(c, p, 'a string', v);
    return undefined;
  }
  if (!RULE_ACTIONS.includes(v)) {
    const fixed = RULE_ACTIONS.find(a => a.toLowerCase() === v.toLowerCase());
    const fix = fixed ? `write '${fixed}' (actions are case-sensitive)` : `use one of ${RULE_ACTIONS.join(', ')}`;
    c.add(p, `action ${q(v)} is not a rule action; ${fix}`);
    return undefined;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Protocols
// ---------------------------------------------------------------------------------------------

/** Protocol names Calico accepts (case-sensitive); numbers 1-255 are accepted too. */
export const PROTOCOL_NAMES: readonly string[] = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];

/**
 * A protocol as Calico decodes it: a number (from a JSON number or an all-digit string) or a
 * name (any other string, kept as written).
 */
export interface Protocol {
  /** The protocol number, when written as a number or an all-digit string. */
  readonly number?: number;
  /** The protocol name exactly as written, when not a number. */
  readonly name?: string;
}

/**
 * Checks a protocol value (`protocol`, `notProtocol`, a host endpoint port's `protocol`) and
 * returns how Calico reads it, or undefined when it cannot be read at all.
 */
export function checkProtocol(value: unknown, path: string, c: IssueCollector): Protocol | undefined {
  const field = lastSegment(path);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      c.add(path, `${field} ${value} is not a protocol number; use an integer from 1 to 255 or one of ${PROTOCOL_NAMES.join(', ')}`);
      return undefined;
    }
    if (value === 0) {
      c.add(path, `${field} 0 is not a valid protocol number; use an integer from 1 to 255 or one of ${PROTOCOL_NAMES.join(', ')}`);
    }
    return { number: value };
  }
  if (typeof value === 'string') {
    if (/^\d+$/.test(value) && Number(value) <= 255) {
      const n = Number(value);
      if (n === 0) {
        c.add(path, `${field} '0' is not a valid protocol number; use an integer from 1 to 255 or one of ${PROTOCOL_NAMES.join(', ')}`);
      }
      return { number: n };
    }
    if (!PROTOCOL_NAMES.includes(value)) {
      const fixed = PROTOCOL_NAMES.find(n => n.toLowerCase() === value.toLowerCase());
      const fix = fixed ? `write '${fixed}' (protocol names are case-sensitive)` : `use one of ${PROTOCOL_NAMES.join(', ')} or a number from 1 to 255`;
      c.add(path, `${field} ${q(value)} is not a protocol Calico knows; ${fix}`);
    }
    return { name: value };
  }
  typeIssue(c, path, `a protocol name (${PROTOCOL_NAMES.join(', ')}) or a number from 1 to 255`, value);
  return undefined;
}

/** Whether Calico lets rules on this protocol match ports: TCP, UDP, SCTP (6, 17, 132). */
export function protocolSupportsPorts(p: Protocol | undefined): boolean {
  if (!p) return false;
  if (p.number !== undefined) return p.number === 6 || p.number === 17 || p.number === 132;
  return p.name === 'TCP' || p.name === 'UDP' || p.name === 'SCTP';
}

/** Whether `p` is the protocol name `name` (Calico compares the decoded value, so 6 is not 'TCP'). */
export function isProtocolName(p: Protocol | undefined, name: string): boolean {
  return p !== undefined && p.name === name;
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

/** A port as Calico decodes it: a range (a single port has min === max) or a named port. */
export interface Port {
  readonly min: number;
  readonly max: number;
  /** The port name, for named ports (min and max are then 0). */
  readonly name?: string;
}

const PORT_RANGE_RE = /^(\d+):(\d+)$/;
const PORT_STRING_NAME_RE = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * Checks one entry of a rule's `ports`/`notPorts`: a number 1-65535, a string range
 * "min:max", or a named port (an IANA service name such as 'http'). Returns the decoded port,
 * or undefined when it is invalid.
 */
export function checkPort(value: unknown, path: string, c: IssueCollector): Port | undefined {
  const fix = 'use a port number from 1 to 65535, a range such as \'8080:8090\', or a port name such as \'http\'';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      c.add(path, `port ${value} is not a port number; ${fix}`);
      return undefined;
    }
    if (value === 0) {
      c.add(path, `port 0 is not allowed; ${fix}`);
      return undefined;
    }
    return { min: value, max: value };
  }
  if (typeof value !== 'string') {
    typeIssue(c, path, 'a port number or a string (range or port name)', value);
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n > 65535) {
      c.add(path, `port ${q(value)} is larger than 65535; ${fix}`);
      return undefined;
    }
    if (n === 0) {
      c.add(path, `port ${q(value)} is not allowed; ${fix}`);
      return undefined;
    }
    return { min: n, max: n };
  }
  const range = PORT_RANGE_RE.exec(value);
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    if (min > 65535 || max > 65535) {
      c.add(path, `port range ${q(value)} goes beyond 65535; both ends must be from 1 to 65535`);
      return undefined;
    }
    if (min > max) {
      c.add(path, `port range ${q(value)} has its start above its end; write it as '${max}:${min}'`);
      return undefined;
    }
    if (min < 1) {
      c.add(path, `port range ${q(value)} starts at 0; ports start at 1, for example '1:${max}'`);
      return undefined;
    }
    return { min, max };
  }
  if (!PORT_STRING_NAME_RE.test(value)) {
    c.add(path, `port ${q(value)} is neither a number, a range 'min:max' nor a port name; ${fix}`);
    return undefined;
  }
  const problems = portNameProblems(value);
  if (problems.length > 0) {
    c.add(path, `port name ${q(value)} is invalid: ${problems.join('; ')}`);
    return undefined;
  }
  return { min: 0, max: 0, name: value };
}

/**
 * Problems with a Kubernetes port name (IANA service name): at most 15 characters of a-z, 0-9
 * and '-', at least one letter, no '--', not starting or ending with '-'. Empty when valid.
 */
export function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) return ['it must not be empty'];
  if (name.length > 15) problems.push(`it must be at most 15 characters (it has ${name.length})`);
  if (!/^[-a-z0-9]+$/.test(name)) problems.push('it may contain only lower-case letters, digits and \'-\'');
  if (!/[a-z]/.test(name)) problems.push('it must contain at least one letter');
  if (name.includes('--')) problems.push('it must not contain \'--\'');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('it must not start or end with \'-\'');
  return problems;
}
