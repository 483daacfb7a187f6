// Two policy audits of `cdk8s-calico lint` and the report: rules an earlier rule of the same policy
// decides first (`shadowed-rule`, proved by validation/shadowed-rules.ts), and Tiers that no policy
// of the input joins (`empty-tier`). Kubernetes NetworkPolicies have no rule order (their rules
// only allow, and any match allows), so they have no shadowed rules and are not read.
import { CalicoVersion } from '../../core/calico-version';
import { quote } from '../../core/quote';
import { findShadowedRules } from '../../validation/shadowed-rules';
import { isRecord, SourcedObject } from '../cluster-model';

/** Reports one finding on `object`. */
export type AddPolicyFinding = (message: string, object: SourcedObject, path?: string) => void;

/** The Calico kinds whose rules are read in order. */
const ORDERED_POLICY_KINDS: ReadonlySet<string> = new Set(['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']);
/** The label Calico puts the tier of a policy in (the storage objects carry it). */
const TIER_LABEL = 'projectcalico.org/tier';

/** Reports every shadowed rule of the Calico policies among `calicoObjects`. */
export function auditShadowedRules(calicoObjects: readonly SourcedObject[], add: AddPolicyFinding): void {
  for (const o of calicoObjects) {
    if (!ORDERED_POLICY_KINDS.has(o.manifest.kind)) continue;
    const title = `${o.manifest.kind} ${quote(String(o.manifest.metadata?.name ?? ''))}`;
    for (const s of findShadowedRules(o.manifest.spec)) add(`${title}: ${s.message}`, o, s.path);
  }
}

/**
 * Reports every Tier of the input that no policy of the input names (in `spec.tier`, or the
 * storage objects' tier label). The tiers Calico creates itself are left alone.
 */
export function auditEmptyTiers(calicoObjects: readonly SourcedObject[], add: AddPolicyFinding): void {
  const builtin = new Set([CalicoVersion.V3_32_1, CalicoVersion.V3_31_7].flatMap(v => v._builtinTiers.map(t => t.name)));
  const named = new Set<string>();
  for (const o of calicoObjects) {
    if (!ORDERED_POLICY_KINDS.has(o.manifest.kind)) continue;
    const spec = isRecord(o.manifest.spec) ? o.manifest.spec : {};
    if (typeof spec.tier === 'string' && spec.tier !== '') named.add(spec.tier);
    const label = o.manifest.metadata?.labels?.[TIER_LABEL];
    if (typeof label === 'string') named.add(label);
  }
  for (const o of calicoObjects) {
    if (o.manifest.kind !== 'Tier') continue;
    const name = o.manifest.metadata?.name;
    if (typeof name !== 'string' || builtin.has(name) || named.has(name)) continue;
    add(`Tier ${quote(name)} holds no policy: no policy of the input names it in spec.tier, so it decides nothing; `
      + `add the policies meant for it (spec.tier: ${quote(name)}), or remove the tier (a finding about the whole input; disable it when linting part of a cluster)`,
    o, 'metadata.name');
  }
}
