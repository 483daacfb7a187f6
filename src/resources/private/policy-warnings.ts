// Warnings a policy construct prints at synthesis: rules that an earlier rule of the same
// direction decides first (validation/shadowed-rules.ts). They are warnings, not errors: the
// policy is what the user wrote and Calico accepts it; `cdk8s-calico lint` reports the same
// findings (rule `shadowed-rule`) for a pipeline that should fail on them.
import { IConstruct } from 'constructs';
import { addCalicoValidation } from '../../core/errors';
import { quote } from '../../core/quote';
import { findShadowedRules } from '../../validation/shadowed-rules';

/** What the warnings need of a policy construct. */
export interface WarningSource extends IConstruct {
  readonly kind: string;
  readonly name: string;
  /** The manifest, reusing the spec already checked while the policy is unchanged. */
  _checkedManifest(): any;
}

/** The warnings already printed, per policy (validation may run more than once per synthesis). */
const PRINTED = new WeakMap<IConstruct, Set<string>>();
/** The rule-list version each policy's warnings were last derived at. */
const DERIVED_AT = new WeakMap<IConstruct, number>();

/** The shadowed-rule warnings of a policy as it stands, one line each. */
export function shadowedRuleWarnings(policy: WarningSource): string[] {
  const title = `${policy.kind} ${quote(policy.name)}`;
  return findShadowedRules(policy._checkedManifest().spec).map(s => `${title}: ${s.path}: ${s.message}`);
}

/**
 * Prints the policy's shadowed-rule warnings to stderr at synthesis, each once, with the construct
 * path. cdk8s validates the whole app once per chart it renders: the warnings are derived again only
 * when the rules changed (`rulesVersion`), since rendering the policy is the costly part.
 */
export function warnAtSynthesis(policy: WarningSource, rulesVersion: () => number): void {
  addCalicoValidation(policy, () => {
    const version = rulesVersion();
    if (DERIVED_AT.get(policy) === version) return [];
    DERIVED_AT.set(policy, version);
    const printed = PRINTED.get(policy) ?? new Set<string>();
    PRINTED.set(policy, printed);
    for (const line of shadowedRuleWarnings(policy)) {
      if (printed.has(line)) continue;
      printed.add(line);
      process.stderr.write(`[${policy.node.path}] warning [shadowed-rule]: ${line}\n`);
    }
    return [];
  });
}
