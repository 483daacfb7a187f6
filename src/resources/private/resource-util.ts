// Private helpers shared by the IPAM and BGP constructs (not exported from the package).
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoValidationError, childPath, throwIssues } from '../../core/errors';
import { quote } from '../../core/quote';
import type { CalicoResource } from '../resource';
import { validateRenderedManifest } from '../../validation/validate';
import { formatGoDuration } from '../../validation/go-syntax';

/**
 * Writes a duration the way Go's `time.Duration.String()` does ("500ms", "1.5s", "2m0s",
 * "1h0m0s"), which is what Calico stores for `metav1.Duration` fields, so a manifest written by
 * the library reads back unchanged.
 */
export function goDuration(duration: Duration, field: string, scope?: Construct): string {
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < 0) {
    throw new CalicoValidationError(`${field} ${duration.toHumanString()} is not a whole number of milliseconds; `
      + 'give it in whole milliseconds or seconds', scope);
  }
  return formatGoDuration(BigInt(ms) * 1_000_000n);
}

/**
 * Checks an element just appended to one of a resource's collections: when the validator reports
 * an issue inside `path` (e.g. `spec.reservedCIDRs[2]`), `undo` removes the element again and a
 * CalicoValidationError is thrown where the bad value arrived. Issues elsewhere in the resource
 * (cross-field rules that may be satisfied by a later `addXxx()` call) are left to synthesis.
 */
export function checkAdded(resource: CalicoResource, path: string, undo: () => void): void {
  resource._markChanged();
  const issues = validateRenderedManifest(resource.toManifest(), resource.calicoVersion)
    .filter(i => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
  if (issues.length) {
    undo();
    throwIssues(resource, `${resource.kind} ${quote(resource.name)}`, issues);
  }
}

/** A boolean prop as Calico's `Enabled`/`Disabled` field value; `undefined` stays unset. */
export function enabledDisabled(flag: boolean | undefined): 'Enabled' | 'Disabled' | undefined {
  return flag === undefined ? undefined : flag ? 'Enabled' : 'Disabled';
}

/** Returns a copy of `obj` with its keys in alphabetical order (how cdk8s writes objects). */
export function sortedKeys(obj: { [key: string]: any }): { [key: string]: any } {
  const out: { [key: string]: any } = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}

/** A Duration in whole milliseconds, or a CalicoValidationError naming the field. */
export function wholeMilliseconds(scope: Construct, where: string, label: string, d: Duration): number {
  try {
    return d.toMilliseconds();
  } catch (e) {
    throw new CalicoValidationError(`${where}: ${label} ${d.toHumanString()} is not a whole number of milliseconds; `
      + 'use a duration in whole milliseconds or coarser units', scope);
  }
}

/** Merges `additionalFields` into the typed spec, refusing keys a typed prop already sets. */
export function mergeAdditionalFields(scope: Construct, where: string, typed: Record<string, any>,
  additional: { [key: string]: any } | undefined): Record<string, any> {
  if (additional === undefined) return typed;
  let copy: Record<string, any>;
  try {
    copy = JSON.parse(JSON.stringify(additional));
  } catch (e) {
    throw new CalicoValidationError(`${where}: additionalFields must hold plain JSON values (${e instanceof Error ? e.message : String(e)})`, scope);
  }
  for (const key of Object.keys(copy)) {
    if (key in typed) {
      throw new CalicoValidationError(`${where}: additionalFields.${key} repeats a field a typed prop already sets; set it once, through the typed prop`, scope);
    }
  }
  return { ...typed, ...copy };
}

/**
 * The namespace of a namespaced Calico resource: the one given, else the chart's, else `default`.
 * An empty name is refused: written out, `namespace: ""` would land in whatever namespace the
 * applying tool's context names.
 */
export function resourceNamespace(scope: Construct, id: string, kind: string, given: string | undefined): string {
  if (given === '') {
    throw new CalicoValidationError(`${kind} '${id}': namespaceName is empty; leave it out for the chart's namespace (else 'default'), or name the namespace`,
      childPath(scope, id));
  }
  return given ?? Chart.of(scope).namespace ?? 'default';
}

/**
 * A value built from the library's own types, as the generated layer's type for the same field.
 * The generated layer declares a TypeScript enum for every schema location that has one (nominal
 * types, so `IpipMode.ALWAYS` is not an `IpPoolSpecIpipMode` to the compiler, nor a
 * GlobalNetworkPolicy egress rule an ingress one), while the values on the wire are the same
 * strings and shapes. `test/resources/generated-layer.test.ts` checks every enum the library passes
 * this way against the generated one, value for value.
 */
export function asGenerated<T>(value: unknown): T {
  return value as T;
}
