// The checks of a reachability matrix's inputs (limits and inventory), shared by ReachabilityMatrix
// and CalicoReport so that both refuse a bad value where it arrives, with the same words.
import { IConstruct } from 'constructs';
import { CalicoValidationError } from '../../../core/errors';
import { quote } from '../../../core/quote';
import { isNamespaceName, isResourceName, MAX_NAME_LENGTH } from '../../../validation/common';

/** The limits, resolved. */
export interface Limits {
  readonly maxWorkloads: number;
  readonly maxPorts: number;
  readonly maxEvaluations: number;
}

/** Defaults: 30 x 30 workloads x (12 + 1) ports = 11,700 evaluations, under the 20,000 allowed. */
export const DEFAULT_LIMITS: Limits = { maxWorkloads: 30, maxPorts: 12, maxEvaluations: 20_000 };

/** Range of each limit: enough for a large report, small enough that a typo cannot run for hours. */
const RANGES: { readonly [K in keyof Limits]: readonly [number, number] } = {
  maxWorkloads: [1, 1000],
  maxPorts: [1, 200],
  maxEvaluations: [1, 1_000_000],
};


/** An inventory entry, as far as the checks read it. */
export interface InventoryEntry {
  readonly namespaceName: string;
  readonly name: string;
  readonly namespaceLabels?: { readonly [key: string]: string };
}

/** The limits with their defaults; throws when one is out of range. `where` starts messages. */
export function readLimits(options: { readonly maxWorkloads?: number; readonly maxPorts?: number; readonly maxEvaluations?: number },
  where: string, scope?: IConstruct): Limits {
  const out: Limits = {
    maxWorkloads: options.maxWorkloads ?? DEFAULT_LIMITS.maxWorkloads,
    maxPorts: options.maxPorts ?? DEFAULT_LIMITS.maxPorts,
    maxEvaluations: options.maxEvaluations ?? DEFAULT_LIMITS.maxEvaluations,
  };
  for (const key of Object.keys(RANGES) as Array<keyof Limits>) {
    const [min, max] = RANGES[key];
    if (!Number.isInteger(out[key]) || out[key] < min || out[key] > max) {
      throw new CalicoValidationError(`${where}: ${key} ${quote(out[key])} must be a whole number from ${min} to ${max}`, scope);
    }
  }
  return out;
}

/** Throws at the first inventory entry with a bad name, listed twice, or disagreeing on a namespace label. */
export function checkInventory(inventory: readonly InventoryEntry[], where: string, scope?: IConstruct): void {
  const seen = new Set<string>();
  const namespaceLabels = new Map<string, { [key: string]: string }>();
  inventory.forEach((w, i) => {
    const at = `${where}: workloads[${i}]`;
    if (!isNamespaceName(w.namespaceName)) {
      throw new CalicoValidationError(`${at}: namespaceName ${quote(w.namespaceName)} is not a Kubernetes namespace name; `
        + 'use lower-case letters, digits and \'-\' (at most 63), e.g. \'org-1\'', scope);
    }
    if (w.name.length > MAX_NAME_LENGTH || !isResourceName(w.name)) {
      throw new CalicoValidationError(`${at}: name ${quote(w.name)} is not a Kubernetes object name; `
        + 'use lower-case letters, digits, \'-\' and \'.\' (at most 253), e.g. \'web\'', scope);
    }
    const key = `${w.namespaceName}/${w.name}`;
    if (seen.has(key)) throw new CalicoValidationError(`${at}: ${quote(key)} is listed twice; list each workload once`, scope);
    seen.add(key);
    const labels = namespaceLabels.get(w.namespaceName) ?? {};
    for (const [k, v] of Object.entries(w.namespaceLabels ?? {})) {
      if (labels[k] !== undefined && labels[k] !== v) {
        throw new CalicoValidationError(`${at}: namespaceLabels give namespace ${quote(w.namespaceName)} the label ${quote(`${k}=${v}`)}, `
          + `but an earlier entry gives it ${quote(`${k}=${labels[k]}`)}; a namespace has one value per label`, scope);
      }
      labels[k] = v;
    }
    namespaceLabels.set(w.namespaceName, labels);
  });
}
