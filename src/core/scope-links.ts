// Where a scope setting (CalicoApi.use, CalicoVersion.use) is looked up after a construct's own
// scopes: a chart the library creates beside a user's chart (a stage of a cluster's output) reads
// the settings of that chart, as if it were nested in it.

const LINKS = new WeakMap<object, { readonly node: { readonly scope?: unknown } }>();

/** The scope after `c` when looking up settings: its link, else its parent. */
export function nextScope<T extends { readonly node: { readonly scope?: unknown } }>(c: T): T | undefined {
  return (LINKS.get(c) as T | undefined) ?? (c.node.scope as T | undefined);
}

/** Makes settings lookups from `from` continue at `to` (instead of `from`'s parent). */
export function linkScope(from: object, to: { readonly node: { readonly scope?: unknown } }): void {
  LINKS.set(from, to);
}
