// Validation of Tier (libcalico-go's validateTier and the Tier field tags; from v3.32 also the Tier
// CRD's CEL rules): a tier's name is a DNS label of at most 63 characters (policy names start with
// it and tier lookups put it in a label), its default action is Deny or Pass, and the tiers Calico
// creates itself keep the order (and, from v3.32, the default action) of the chosen line. Calico
// fills in an absent order (1,000,000) and default action (Deny) before it checks. Importing this
// module registers the kind.
import { isDnsLabel, isResourceName, MAX_LABEL_LENGTH, readNumber, typeIssue } from './common';
import { oneOf } from './field-checks';
import { IssueCollector, isObject, q } from './issues';
import { since } from './private/rule-changes';
import { registerKind } from './registry';

/** What a tier does with traffic its policies select but no rule decides. */
export const TIER_DEFAULT_ACTIONS: readonly string[] = ['Deny', 'Pass'];
/** The order Calico gives a tier that names none. */
export const DEFAULT_TIER_ORDER = 1_000_000;

/** Validates a Tier manifest (its name and spec). */
export function validateTier(m: Record<string, any>, c: IssueCollector): void {
  const name = m.metadata.name;
  if (typeof name === 'string') checkTierName(name, c);
  const spec = m.spec ?? {};
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return;
  }
  const order = readNumber(spec, 'order', 'spec', c);
  const action = spec.defaultAction;
  if (action !== undefined && action !== null) oneOf(TIER_DEFAULT_ACTIONS)(action, 'spec.defaultAction', 'defaultAction', c);
  const builtin = c.version._builtinTiers.find(t => t.name === name);
  if (!builtin) return;
  const line = c.version.line;
  const orderOfWrongType = spec.order !== undefined && spec.order !== null && order === undefined;
  if (!orderOfWrongType && (order ?? DEFAULT_TIER_ORDER) !== builtin.order) {
    const given = order === undefined ? `has no order (so ${DEFAULT_TIER_ORDER})` : `has order ${order}`;
    c.add('spec.order', `the tier ${q(name)} is one Calico ${line} creates itself, with order ${builtin.order}, but this one ${given}; set spec.order: ${builtin.order}`);
  }
  const effectiveAction = typeof action === 'string' && action !== '' ? action : 'Deny';
  if (since(c, 'builtinTierDefaultActions') && effectiveAction !== builtin.defaultAction && TIER_DEFAULT_ACTIONS.includes(effectiveAction)) {
    const given = typeof action === 'string' && action !== '' ? `defaultAction ${q(action)}` : 'no defaultAction (so Deny)';
    c.add('spec.defaultAction', `the tier ${q(name)} must have default action ${q(builtin.defaultAction)} in Calico ${line}, but it has ${given}; set spec.defaultAction: ${builtin.defaultAction}`);
  }
}

/** A tier name: a DNS label (no '.'), at most 63 characters. The generic name rules are checked already. */
function checkTierName(name: string, c: IssueCollector): void {
  if (name.length > MAX_LABEL_LENGTH) {
    c.add('metadata.name', `Tier name ${q(name)} is ${name.length} characters, ${name.length - MAX_LABEL_LENGTH} over the ${MAX_LABEL_LENGTH} a tier name may have; shorten it`);
  } else if (isResourceName(name) && !isDnsLabel(name)) {
    c.add('metadata.name', `Tier name ${q(name)} must not contain '.' (policy names are '<tier>.<name>'); use lower-case letters, digits and '-' only (for example ${q(name.replace(/\./g, '-'))})`);
  }
}

registerKind('Tier', validateTier);
