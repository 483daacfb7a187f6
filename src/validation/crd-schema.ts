// The kinds and fields of each supported Calico line, as the generated tables hold them
// (private/crd-fields.ts, from each line's crd.projectcalico.org/v1 CRDs), and the field-name pass
// validateManifest runs with them: every field of a spec (and status) must be one the chosen line
// has. A field or kind only another supported line has is named with the line that added or removed
// it; any other unknown field gets the closest known one.
import { CalicoVersion } from '../core/calico-version';
import { lastSegment, unknownFieldMessage } from './common';
import { at, IssueCollector, isObject, ownValue } from './issues';
import { CRD_KIND_NAMES, CRD_LINES } from './private/crd-fields';
import type { CrdField, CrdKind } from './private/crd-types';

export type { CrdField, CrdKind, CrdType } from './private/crd-types';

/** One supported line's tables. */
interface Line {
  readonly name: string;
  readonly minor: number;
  readonly referenceTag: string;
  readonly kinds: ReadonlyMap<string, CrdKind>;
}

/** The supported lines, oldest first. */
const LINES: readonly Line[] = Object.entries(CRD_LINES)
  .map(([name, line]) => ({ name, minor: minorOf(name), referenceTag: line.referenceTag, kinds: new Map(Object.entries(line.kinds)) }))
  .sort((a, b) => a.minor - b.minor);

const LINES_BY_NAME: ReadonlyMap<string, Line> = new Map(LINES.map(l => [l.name, l]));

function minorOf(line: string): number {
  return Number(line.slice(line.lastIndexOf('.') + 1));
}

/** The projectcalico.org/v3 name of a kind (the storage kind IPAMConfig is IPAMConfiguration). */
export function v3KindOf(kind: string): string {
  return ownValue(CRD_KIND_NAMES, kind) ?? kind;
}

/** The CRD of `kind` on the line of `version`, or undefined when the line has none (Node never has one). */
export function crdKindOf(kind: string, version: CalicoVersion): CrdKind | undefined {
  return LINES_BY_NAME.get(version.line)?.kinds.get(v3KindOf(kind));
}

/** Whether any supported line has a CRD for `kind`. */
export function isCrdKind(kind: string): boolean {
  return LINES.some(l => l.kinds.has(v3KindOf(kind)));
}

/**
 * The field at a schema path of a kind on a line: `spec.exportV4[].priority` (`[]` for a list's
 * items, `{}` for a map's values), or undefined when the line has no such field.
 */
export function crdFieldOf(kind: string, schemaPath: string, version: CalicoVersion): CrdField | undefined {
  const line = LINES_BY_NAME.get(version.line);
  return line ? fieldIn(line, kind, schemaPath.split(/\.|(?=\[\])|(?=\{\})/)) : undefined;
}

function fieldIn(line: Line, kind: string, trail: readonly string[]): CrdField | undefined {
  const k = line.kinds.get(v3KindOf(kind));
  let field: CrdField | undefined = trail[0] === 'spec' ? k?.spec : trail[0] === 'status' ? k?.status : undefined;
  for (const step of trail.slice(1)) {
    if (field === undefined) return undefined;
    if (step === '[]') field = field.items;
    else if (step === '{}') field = field.values;
    else field = field.fields ? ownValue(field.fields, step) : undefined;
  }
  return field;
}

/**
 * Why `kind` cannot be used on the line of `version` although another supported line has it
 * (`kind X is not in Calico v3.31 (added in v3.32); ...`), or undefined.
 */
export function kindVersionNote(kind: string, version: CalicoVersion): string | undefined {
  if (crdKindOf(kind, version) !== undefined) return undefined;
  return lineChangeNote(`kind ${kind}`, LINES.filter(l => l.kinds.has(v3KindOf(kind))).map(l => l.name), version);
}

/**
 * The message for something (`name`: a field, `kind X`) the line of `version` lacks but other
 * supported lines (`linesWithIt`, e.g. `['v3.32']`) have: the line that added it (when a newer one
 * has it) or removed it (when only older ones do), with the version to choose instead. Undefined
 * when no supported line has it. The wording is stable: constructs match `not in Calico v3.31 (added in v3.32)`.
 */
export function lineChangeNote(name: string, linesWithIt: readonly string[], version: CalicoVersion): string | undefined {
  return versionNote(name, line => linesWithIt.includes(line.name), version);
}

function versionNote(name: string, has: (line: Line) => boolean, version: CalicoVersion): string | undefined {
  const added = LINES.find(l => l.minor > version.minor && has(l));
  if (added) {
    return `${name} is not in Calico ${version.line} (added in ${added.name}); remove it or use CalicoVersion.${constantOf(added)}`;
  }
  const last = [...LINES].reverse().find(l => l.minor < version.minor && has(l));
  if (!last) return undefined;
  const removedIn = LINES.find(l => l.minor > last.minor && !has(l))!;
  return `${name} was removed in Calico ${removedIn.name} (${last.name} has it); remove it or use CalicoVersion.${constantOf(last)}`;
}

/**
 * CRD patterns the library never runs: each backtracks exponentially on some input (recheck finds
 * an attack string), so the field's validator checks it in linear time instead. Every other
 * pattern of the tables is proven linear by test/regex-safety.test.ts.
 */
export const PATTERNS_NOT_RUN: ReadonlySet<string> = new Set([
  // FelixConfiguration.bpfConntrackTimeouts.*: felix-configuration.ts reads it with conntrackTimeout.
  '^(([0-9]*(\\.[0-9]*)?(ms|s|h|m|us)+)+|Auto)$',
]);

const COMPILED_PATTERNS = new Map<string, RegExp | undefined>();

/**
 * A CRD pattern (a Go regular expression; `(?i)` at its start for any case) as a JavaScript
 * RegExp, or undefined for one the library does not run (PATTERNS_NOT_RUN, or unreadable).
 */
export function crdPattern(pattern: string): RegExp | undefined {
  if (!COMPILED_PATTERNS.has(pattern)) {
    const insensitive = pattern.includes('(?i)');
    const source = pattern.replace('(?i)', '');
    let compiled: RegExp | undefined;
    try {
      compiled = PATTERNS_NOT_RUN.has(pattern) ? undefined : new RegExp(source, insensitive ? 'iu' : 'u');
    } catch {
      compiled = undefined;
    }
    COMPILED_PATTERNS.set(pattern, compiled);
  }
  return COMPILED_PATTERNS.get(pattern);
}

/** The CalicoVersion constant of a line's reference release: v3.32.1 -> V3_32_1. */
function constantOf(line: Line): string {
  return `V${line.referenceTag.slice(1).replace(/\./g, '_')}`;
}

/**
 * Reports every field of the manifest's spec and status that the chosen line's CRD of `kind` does
 * not have, at any depth along the fields it does have. Values of the wrong JSON type are not
 * entered (the kind's validator reports them).
 */
export function checkFieldNames(m: Record<string, any>, kind: string, c: IssueCollector): void {
  const k = crdKindOf(kind, c.version);
  if (!k) return;
  if (k.spec) new NameWalk(kind, 'spec', c).walk(m.spec, k.spec, 'spec');
  if (k.status) new NameWalk(kind, 'status', c).walk(m.status, k.status, 'status');
}

/** Whether a field holds fields of its own (only those are entered: a leaf has no names to check). */
function hasInside(field: CrdField): boolean {
  return field.fields !== undefined || field.items !== undefined || field.values !== undefined;
}

class NameWalk {
  /** The schema path of the object being walked: field names, `[]` for list items, `{}` for map values. */
  private readonly trail: string[];

  constructor(private readonly kind: string, private readonly root: 'spec' | 'status', private readonly c: IssueCollector) {
    this.trail = [root];
  }

  public walk(value: unknown, field: CrdField, path: string): void {
    if (field.fields) {
      if (!isObject(value)) return;
      for (const key of Object.keys(value)) {
        const child = ownValue(field.fields, key);
        if (child === undefined) this.report(key, path, field.fields);
        else if (hasInside(child)) this.enter(key, value[key], child, at(path, key));
      }
    } else if (field.items) {
      if (!Array.isArray(value) || !hasInside(field.items)) return;
      for (let i = 0; i < value.length; i++) this.enter('[]', value[i], field.items, at(path, i));
    } else if (field.values) {
      if (!isObject(value) || !hasInside(field.values)) return;
      for (const key of Object.keys(value)) this.enter('{}', value[key], field.values, at(path, key));
    }
  }

  private enter(step: string, value: unknown, field: CrdField, path: string): void {
    this.trail.push(step);
    this.walk(value, field, path);
    this.trail.pop();
  }

  /** A field the object at `path` does not have on the chosen line: the line that has it, or the field meant. */
  private report(key: string, path: string, known: Readonly<Record<string, CrdField>>): void {
    if (this.c.full) {
      this.c.omit(); // many unknown fields: count them without looking for the closest known one
      return;
    }
    const trail = [...this.trail, key];
    const note = versionNote(key, line => fieldIn(line, this.kind, trail) !== undefined, this.c.version);
    const what = path === this.root ? `${/^[AEIOU]/.test(this.kind) ? 'an' : 'a'} ${this.kind} ${this.root}` : lastSegment(path);
    this.c.add(at(path, key), note ?? unknownFieldMessage(what, key, Object.keys(known)));
    this.c.mute(at(path, key));
  }
}
