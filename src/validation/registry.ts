import { KindValidator } from './issues';

/**
 * Kind name (as in `kind:`) -> validator. Filled by the per-kind modules in this folder. A Map,
 * so that a kind a user writes ('constructor', 'toString') finds only a registered validator.
 */
export const KIND_VALIDATORS = new Map<string, KindValidator>();

/** Whether a kind is namespaced (NetworkPolicy, NetworkSet) or cluster-scoped. */
export const NAMESPACED_KINDS = new Set<string>(['NetworkPolicy', 'NetworkSet']);

/** Registers the validator of a kind. */
export function registerKind(kind: string, validator: KindValidator): void {
  KIND_VALIDATORS.set(kind, validator);
}
