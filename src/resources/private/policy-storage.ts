// How Calico stores the four Calico policy kinds as crd.projectcalico.org/v1 objects, per line,
// applied when the library writes that API group (where no Calico API server or calicoctl does it).
//
// Upstream facts (libcalico-go; the API server and calicoctl run the same client code):
// - v3.31 stores a policy under its backend name, `<tier>.<name>`: `default.` before a name
//   without a dot, and a name that has one as it is (libcalico-go/lib/backend/k8s/resources/
//   resources.go, ConvertCalicoResourceToK8sResource, names.TieredPolicyName). Its clients label a
//   policy of a tier other than default `projectcalico.org/tier: <tier>` (clientv3/
//   globalnetworkpolicy.go Create, addTierLabel, and the same in the other three policy clients).
// - v3.32 stores a policy under its v3 name as given (resources.go no longer renames it) and
//   labels every policy with its tier, `default` included (api/pkg/defaults/networkpolicy.go
//   setTierLabel, called from clientv3 Create). Its kube-controllers migrate default-tier objects
//   stored under another name to the v3 name (kube-controllers/pkg/controllers/networkpolicy/
//   policy_name_migrator.go).
// - Both lines fill in `types` from the rules (defaultPolicyTypesField), except for a staged
//   Delete, whose types they clear; and both read an object without Calico's own metadata
//   annotation back with a `default.` prefix of a default-tier name removed (resources.go
//   determinePolicyName).
import type { CalicoVersion } from '../../core/calico-version';
import { ValidationIssue } from '../../core/errors';
import { quote } from '../../core/quote';
import { DEFAULT_TIER, derivePolicyTypes } from '../../validation/policy';
import { registerCrdDefaults } from './crd-defaults';
import { sortedKeys } from './resource-util';

/** The label Calico puts the tier of a policy in. */
export const TIER_LABEL = 'projectcalico.org/tier';

/** The prefix Calico v3.31 stores default-tier policies under, and every line strips on read. */
const DEFAULT_TIER_PREFIX = `${DEFAULT_TIER}.`;

/**
 * The name of a policy's crd.projectcalico.org/v1 object on the line of `version`: the v3 name on
 * lines that store it as given (v3.32), else its backend name, `default.<name>` for a default-tier
 * name without a dot (v3.31; a policy of another tier is already named `<tier>.<name>` there).
 */
export function storedPolicyName(name: string, version: CalicoVersion): string {
  if (version._data.policyStorageNames === 'as-given') return name;
  // A name with a dot is already `<tier>.<name>`, or one Calico gives a converted policy (`knp.default.<name>`).
  if (name.includes('.')) return name;
  return `${DEFAULT_TIER_PREFIX}${name}`;
}

/**
 * The labels Calico adds to a policy of `tier` on the line of `version`: the tier label on every
 * policy (v3.32), or only on a policy outside the default tier (v3.31). Both lines overwrite a
 * tier label the user set.
 */
function tierLabels(labels: { [key: string]: string } | undefined, tier: string, version: CalicoVersion): { [key: string]: string } | undefined {
  const everyTier = version._data.policyStorageNames === 'as-given';
  if (!everyTier && tier === DEFAULT_TIER) return labels;
  return { ...(labels ?? {}), [TIER_LABEL]: tier };
}

/**
 * The CRD defaulter of the four Calico policy kinds: `types` as Calico fills it in (cleared for a
 * staged Delete), the tier label, and the storage name of the line.
 */
function defaultPolicyManifest(manifest: any, version: CalicoVersion): any {
  const spec: { [key: string]: any } = { ...(manifest.spec ?? {}) };
  if (spec.stagedAction === 'Delete') {
    delete spec.types;
  } else if (!Array.isArray(spec.types) || spec.types.length === 0) {
    const count = (rules: unknown) => (Array.isArray(rules) ? rules.length : 0);
    spec.types = derivePolicyTypes(count(spec.ingress), count(spec.egress));
  }
  const tier = typeof spec.tier === 'string' && spec.tier !== '' ? spec.tier : DEFAULT_TIER;
  const metadata = { ...(manifest.metadata ?? {}) };
  const labels = tierLabels(metadata.labels, tier, version);
  if (labels) metadata.labels = labels;
  if (typeof metadata.name === 'string') metadata.name = storedPolicyName(metadata.name, version);
  return { ...manifest, metadata, spec: sortedKeys(spec) };
}

/**
 * What goes wrong when a policy of this name and tier is written as crd.projectcalico.org/v1: a
 * default-tier name that starts with `default.` reads back without it on every line (and v3.32's
 * kube-controllers would move the object to that shorter name, fighting whatever applied it).
 */
export function policyStorageIssues(kind: string, name: string, tier: string): ValidationIssue[] {
  if (tier !== DEFAULT_TIER || !name.startsWith(DEFAULT_TIER_PREFIX)) return [];
  const bare = name.slice(DEFAULT_TIER_PREFIX.length);
  return [{
    path: 'metadata.name',
    message: `${kind} name ${quote(name)} in the default tier reads back from crd.projectcalico.org/v1 as ${quote(bare)} `
      + `(Calico removes a 'default.' prefix of a default-tier name when it reads the object); name it ${quote(bare)}`,
  }];
}

for (const kind of ['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']) {
  registerCrdDefaults(kind, defaultPolicyManifest);
}
