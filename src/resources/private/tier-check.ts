// The tier rule of the policy kinds, run at synthesis: a policy names a tier that exists, a Tier
// construct anywhere in the app or one its Calico line creates itself, unless the reference says the
// tier is applied outside the app (Tier.fromExternalTierName). Calico refuses to create a policy
// whose tier does not exist (the API server looks the tier up first), so the mistake would only
// show at apply time. Internal.
import { IConstruct } from 'constructs';
import { CalicoVersion } from '../../core/calico-version';
import { ValidationIssue } from '../../core/errors';
import { quote } from '../../core/quote';
import { tierExists, knownTiersText } from '../../validation/manifest-set';
import { changeCount } from '../chart-check';
import { isExternalTier, ITier, Tier } from '../tier';


interface AppTiers {
  readonly at: number;
  readonly names: ReadonlySet<string>;
}

/** The tier names of each app (its root construct), as of a change count. */
const CACHE = new WeakMap<IConstruct, AppTiers>();

/** The names of the Tier constructs under the root of `scope`, recomputed only after a change. */
function appTierNames(scope: IConstruct): ReadonlySet<string> {
  const root = scope.node.root;
  const now = changeCount();
  const known = CACHE.get(root);
  if (known && known.at === now) return known.names;
  const names = new Set(root.node.findAll().filter(isTierConstruct).map(t => t.name));
  CACHE.set(root, { at: now, names });
  return names;
}

/**
 * Whether a construct is a Tier. `instanceof` is not enough: cdk8s makes every ApiObject an
 * instance of every ApiObject subclass (its Symbol.hasInstance tests for any ApiObject).
 */
function isTierConstruct(c: IConstruct): c is Tier {
  return Object.prototype.isPrototypeOf.call(Tier.prototype, c) && (c as Tier).kind === 'Tier';
}

/**
 * The issue of a policy whose tier neither the app nor its Calico line defines, or none. A policy
 * that names no tier is in `default`, which every line creates.
 */
export function unknownTierIssues(policy: IConstruct, tier: ITier | undefined, version: CalicoVersion): ValidationIssue[] {
  if (tier === undefined || isExternalTier(tier)) return [];
  const ofApp = appTierNames(policy);
  if (tierExists(tier.name, ofApp, version)) return [];
  return [{
    path: 'spec.tier',
    message: `tier ${quote(tier.name)} is not defined: no Tier of this app has that name and Calico ${version.line} does not create it; `
      + `the known tiers are ${knownTiersText(ofApp, version)}. Define it with new Tier(...), correct the name, or refer to a tier applied outside `
      + 'this app with Tier.fromExternalTierName(...)',
  }];
}
