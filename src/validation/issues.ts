import { CalicoVersion } from '../core/calico-version';
import { ValidationIssue } from '../core/errors';
import { quote } from '../core/quote';

/** Most issues one collector keeps; past them, a manifest's issues are counted, not listed. */
export const MAX_ISSUES = 100;

/**
 * Collects validation issues while walking a manifest. Paths are built with `at()` so every
 * message names the exact field (`spec.ingress[0].destination.ports[1]`). It keeps the first
 * MAX_ISSUES issues and counts the rest, so that what it returns stays small whatever the input.
 */
export class IssueCollector {
  public readonly issues: ValidationIssue[] = [];

  /**
   * @param version the Calico release the manifest is checked for: the kinds and fields that
   * exist, and the rules of its line (validators read it here)
   */
  constructor(public readonly version: CalicoVersion = CalicoVersion.DEFAULT) {}

  /** How many issues were found beyond MAX_ISSUES. */
  public omitted = 0;

  /** Fields already reported as a whole (one the chosen line lacks): nothing more is said inside them. */
  private readonly muted = new Set<string>();

  /** Records one issue at `path`, unless it lies in a muted field. */
  public add(path: string, message: string): void {
    if (this.muted.size > 0 && this.isMuted(path)) return;
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message });
    else this.omitted++;
  }

  /**
   * Keeps no further issue at `path` or inside it: the field-name pass mutes a field the chosen line
   * lacks, so that one mistake (using a field of another line) gives one issue, whatever the kind's
   * validator would say about its value.
   */
  public mute(path: string): void {
    this.muted.add(path);
  }

  private isMuted(path: string): boolean {
    for (let p = path; p !== ''; p = parentPath(p)) {
      if (this.muted.has(p)) return true;
    }
    return false;
  }

  /** Whether no further issue is kept: a check may then count one (`omit`) instead of writing its message. */
  public get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  /** Counts an issue that would not be kept, without its message. */
  public omit(): void {
    this.omitted++;
  }

  /** The issues kept, followed by one that counts those left out, if any. */
  public result(): ValidationIssue[] {
    if (this.omitted === 0) return this.issues;
    return [...this.issues, { path: '', message: `${this.omitted} more issue${this.omitted === 1 ? '' : 's'} not listed; fix the ones above and validate again` }];
  }
}

/**
 * The value of `key` in a table of the code's own (a field table, a kind registry), looked up
 * only among the table's own properties: a key that a user wrote, such as 'constructor' or
 * '__proto__', never finds what every object inherits.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** The path of the field that holds a path's field: 'spec.x[2].y' -> 'spec.x[2]' -> 'spec.x' -> 'spec' -> ''. */
export function parentPath(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('.'), path.lastIndexOf('['), 0));
}

/** Joins a parent path and a child key or index: at('spec', 'cidr') -> 'spec.cidr', at('spec.x', 2) -> 'spec.x[2]'. */
export function at(parent: string, child: string | number): string {
  if (typeof child === 'number') return `${parent}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}

/** A plain object (not null, not an array). */
export function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Quotes a user's value for a message: strings in single quotes, everything else as JSON, a long
 * value as a short prefix and its length (`quote` of core/quote).
 */
export const q = quote;

/**
 * Validates the `spec` (and kind-specific `metadata` rules) of one kind. `m` is the whole
 * manifest, already known to be an object with an object `metadata`; `spec` may be anything.
 */
export type KindValidator = (m: Record<string, any>, c: IssueCollector) => void;
