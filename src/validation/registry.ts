import { KindValidator } from './issues';

/** Kind name (as in `kind:`) -> validator. Filled by the per-kind modules in this folder. */
export const KIND_VALIDATORS: Record<string, KindValidator> = {};

/** Whether a kind is namespaced (NetworkPolicy, NetworkSet) or cluster-scoped. */
export const NAMESPACED_KINDS = new Set<string>(['NetworkPolicy', 'NetworkSet']);

/** Registers the validator of a kind. */
export function registerKind(kind: string, validator: KindValidator): void {
  KIND_VALIDATORS[kind] = validator;
}
