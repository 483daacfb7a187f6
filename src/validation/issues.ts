import { ValidationIssue } from '../core/errors';

/**
 * Collects validation issues while walking a manifest. Paths are built with `at()` so every
 * message names the exact field (`spec.ingress[0].destination.ports[1]`).
 */
export class IssueCollector {
  public readonly issues: ValidationIssue[] = [];

  /** Records one issue at `path`. */
  public add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
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

/** Quotes a value for a message: strings in single quotes, everything else as JSON. */
export function q(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}

/**
 * Validates the `spec` (and kind-specific `metadata` rules) of one kind. `m` is the whole
 * manifest, already known to be an object with an object `metadata`; `spec` may be anything.
 */
export type KindValidator = (m: Record<string, any>, c: IssueCollector) => void;
