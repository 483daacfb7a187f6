import { KindValidator } from './issues';
import { CRD_LINES } from './private/crd-fields';

/**
 * Kind name (as in `kind:`) -> validator. Filled by the per-kind modules in this folder. A Map,
 * so that a kind a user writes ('constructor', 'toString') finds only a registered validator.
 */
export const KIND_VALIDATORS = new Map<string, KindValidator>();

/** The namespaced kinds (NetworkPolicy, NetworkSet, their staged forms): every other kind is cluster-scoped. */
export const NAMESPACED_KINDS: ReadonlySet<string> = new Set(Object.values(CRD_LINES)
  .flatMap(line => Object.entries(line.kinds).filter(([, k]) => k.namespaced).map(([kind]) => kind)));

/** Registers the validator of a kind. */
export function registerKind(kind: string, validator: KindValidator): void {
  KIND_VALIDATORS.set(kind, validator);
}
