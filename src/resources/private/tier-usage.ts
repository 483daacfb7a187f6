// Which tiers the policies of an app name, so that a Tier no policy joins can say so at synthesis
// (the construct-side twin of lint's `empty-tier`). A policy notes its tier when it is made; a
// Tier looks at its app's notes when the app is synthesized, when every policy exists.
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { addCalicoValidation } from '../../core/errors';
import { quote } from '../../core/quote';

/** Tier names the policies of each app name. */
const USED = new WeakMap<object, Set<string>>();
/** The Tiers already warned about (validation may run more than once per synthesis). */
const WARNED = new WeakSet<IConstruct>();

function appOf(scope: IConstruct): object {
  return App.of(scope);
}

/** Records that a policy under `scope` joins tier `name`. */
export function noteTierUse(scope: IConstruct, name: string): void {
  const app = appOf(scope);
  const used = USED.get(app) ?? new Set<string>();
  USED.set(app, used);
  used.add(name);
}

/** Whether a policy of the app of `scope` joins tier `name`. */
export function tierInUse(scope: IConstruct, name: string): boolean {
  return USED.get(appOf(scope))?.has(name) ?? false;
}

/**
 * The warning of a Tier no policy of its app joins, or undefined: its order and default action
 * then decide nothing (Calico consults a tier only for endpoints one of its policies selects).
 */
export function emptyTierWarning(tier: IConstruct & { readonly name: string }): string | undefined {
  if (tierInUse(tier, tier.name)) return undefined;
  return `Tier ${quote(tier.name)}: no policy of this app joins it (tier: ${quote(tier.name)}), so Calico never consults it; `
    + 'add its policies, or remove the tier (policies applied outside the app that join it make this warning moot)';
}

/** Prints the empty-tier warning of `tier` to stderr at synthesis, once, with the construct path. */
export function warnEmptyTierAtSynthesis(tier: IConstruct & { readonly name: string }): void {
  addCalicoValidation(tier, () => {
    const warning = emptyTierWarning(tier);
    if (warning !== undefined && !WARNED.has(tier)) {
      WARNED.add(tier);
      process.stderr.write(`[${tier.node.path}] warning [empty-tier]: ${warning}\n`);
    }
    return [];
  });
}
