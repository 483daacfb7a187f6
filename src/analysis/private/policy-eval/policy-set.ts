// The policies of a model in Felix's order: tiers, the policies of each tier, and the staged
// policies with what enforcing them would change. Checked against Calico v3.31.7 and v3.32.1:
//
// Tiers (felix/calc/policy_sorter.go TierLess; libcalico-go updateprocessors/tierprocessor.go)
// - the line's built-in tiers (core/private/calico-lines.ts) and the Tier manifests, by order
//   (an unset order is last), ties by name;
// - a Tier's defaultAction is Deny unless it is Pass ("Any value except Pass is interpreted as
//   Deny"); the built-in admin and baseline tiers are Pass;
// - a Tier manifest may restate a built-in tier (e.g. `default` with defaultAction Pass) but not
//   move it: Calico's validator requires the built-in order (validator.go validateTier);
// - a policy names its tier in spec.tier (default `default`); the tier must exist (the API server
//   refuses a policy in a tier that does not).
//
// Within a tier policies run by order (unset last), ties by Felix's key (felix.ts).
//
// Staged policies (updateprocessors/staged*processor.go; felix/rules/endpoints.go)
// - Felix never enforces a staged policy: it renders no verdict for it (staged policies "do not
//   set the accept/pass mark bits"), and a tier whose selecting policies are all staged passes
//   (no end-of-tier drop). So the enforced verdict ignores them.
// - Previewed as enforced (apiv3.ConvertStaged*ToEnforced): a staged policy with stagedAction Set
//   (the default) becomes the policy it stages, same name, namespace and tier: it replaces the
//   enforced policy of that kind, name, namespace and tier, or is added when there is none; Delete
//   (whose spec holds only the tier) removes that policy; Learn and Ignore are sent to Felix like
//   Set (only Delete is filtered out), so they preview as Set.
import { CalicoVersion } from '../../../core/calico-version';
import { CalicoValidationError } from '../../../core/errors';
import { quote, quoteJson } from '../../../core/quote';
import { isCalicoGroup, isObject, readCalicoPolicy, Where } from './calico';
import { clusterKindOf, readClusterPolicy } from './cluster';
import { sortPolicies } from './evaluate';
import { toFelix } from './felix';
import { readKubernetesPolicy } from './kubernetes';
import { FelixPolicy, StagedActionValue, TierPolicies, TierRecord, V3Policy } from './types';

const STAGED_ACTIONS: readonly StagedActionValue[] = ['Set', 'Delete', 'Learn', 'Ignore'];

/** A staged policy: what enforcing it does. */
interface StagedEntry {
  readonly action: StagedActionValue;
  readonly key: string;
  readonly policy: FelixPolicy;
}

/** The policies and tiers of a set of manifests. */
export class PolicySet {
  private readonly tierRecords = new Map<string, TierRecord>();
  private readonly enforced: FelixPolicy[] = [];
  private readonly staged: StagedEntry[] = [];
  private layouts: { enforced?: TierPolicies[]; staged?: TierPolicies[] } = {};

  constructor(private readonly version: CalicoVersion) {
    for (const t of version._builtinTiers) {
      this.tierRecords.set(t.name, { name: t.name, order: t.order, defaultAction: t.defaultAction, declaredBy: 'builtin' });
    }
  }

  /** Takes a policy or Tier manifest; returns whether it was one. */
  public add(m: any): boolean {
    const calico = isCalicoGroup(m.apiVersion);
    const version = this.version;
    if (calico && m.kind === 'Tier') {
      this.addTier(m);
    } else if (calico && (m.kind === 'GlobalNetworkPolicy' || m.kind === 'NetworkPolicy')) {
      this.enforced.push(toFelix(readCalicoPolicy(m, m.kind, version), version));
    } else if (m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1') {
      this.enforced.push(toFelix(readKubernetesPolicy(m, version), version));
    } else if (calico && (m.kind === 'StagedGlobalNetworkPolicy' || m.kind === 'StagedNetworkPolicy')) {
      const origin = m.kind === 'StagedGlobalNetworkPolicy' ? 'GlobalNetworkPolicy' : 'NetworkPolicy';
      this.addStaged(m, readCalicoPolicy(m, origin, version, m.kind));
    } else if (calico && m.kind === 'StagedKubernetesNetworkPolicy') {
      this.addStaged(m, readKubernetesPolicy(m, version, 'StagedKubernetesNetworkPolicy'));
    } else if (typeof m.apiVersion === 'string' && m.apiVersion.startsWith('policy.networking.k8s.io/')
      && ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'].includes(m.kind)) {
      const data = clusterKindOf(m, version);
      if (!data) {
        const runs = version._data.clusterPolicyKinds.map(k => `${k.kind} (${k.apiVersion})`).join(', ');
        throw new CalicoValidationError(`${m.kind} ${quote(String(m.metadata?.name ?? ''))}: Calico ${version.line} does not run `
          + `${m.kind} (${m.apiVersion}); it runs ${runs}. Write the policy for that line, or model the line that runs it (calicoVersion)`);
      }
      this.enforced.push(toFelix(readClusterPolicy(m, data), version));
    } else {
      return false;
    }
    this.layouts = {};
    return true;
  }

  /** The tiers with their policies, in evaluation order; with `enforceStaged`, as if every staged policy were enforced. */
  public layout(enforceStaged: boolean): TierPolicies[] {
    const key = enforceStaged ? 'staged' : 'enforced';
    this.layouts[key] ??= this.buildLayout(enforceStaged ? this.withStaged() : this.enforced);
    return this.layouts[key]!;
  }

  /** Every policy, enforced and staged, with the tier of each, in evaluation order. */
  public all(): FelixPolicy[] {
    return this.buildLayout([...this.enforced, ...this.staged.map(s => s.policy)]).flatMap(t => t.policies);
  }

  /** The staged action of a staged policy of the set. */
  public stagedActionOf(policy: FelixPolicy): StagedActionValue | undefined {
    return this.staged.find(s => s.policy === policy)?.action;
  }

  private addTier(m: any): void {
    const name = String(m.metadata?.name ?? '');
    const where = new Where(`Tier ${quote(name)}`);
    if (!name) where.fail('metadata.name is missing; every tier needs a name');
    const spec = isObject(m.spec) ? m.spec : {};
    const order = spec.order;
    if (order !== undefined && order !== null && (typeof order !== 'number' || !Number.isFinite(order))) {
      where.at('spec').at('order').fail(`${quoteJson(order)} is not a number; use e.g. 100`);
    }
    const action = spec.defaultAction;
    if (action !== undefined && action !== null && action !== 'Deny' && action !== 'Pass') {
      where.at('spec').at('defaultAction').fail(`${quoteJson(action)} is not a tier default action; use Deny or Pass`);
    }
    const known = this.tierRecords.get(name);
    if (known?.declaredBy === 'manifest') where.fail('is declared twice; keep one Tier of each name');
    if (known && order !== known.order) {
      where.at('spec').at('order').fail(`the built-in tier ${quote(name)} must keep order ${known.order} (Calico refuses another), got ${quoteJson(order)}`);
    }
    this.tierRecords.set(name, { name, order: order ?? undefined, defaultAction: action === 'Pass' ? 'Pass' : 'Deny', declaredBy: 'manifest' });
  }

  private addStaged(m: any, policy: V3Policy): void {
    const spec = isObject(m.spec) ? m.spec : {};
    const value = spec.stagedAction ?? 'Set';
    if (!STAGED_ACTIONS.includes(value)) {
      new Where(`${m.kind} ${quote(policy.name)}`, 'spec.stagedAction').fail(`${quoteJson(value)} is not a staged action; use Set, Delete, Learn or Ignore`);
    }
    const staged = toFelix({ ...policy, staged: value }, this.version);
    this.staged.push({ action: value, key: namesakeKey(staged), policy: staged });
  }

  private withStaged(): FelixPolicy[] {
    // Each staged policy replaces (Set, Learn, Ignore) or removes (Delete) its enforced namesake, or
    // is added; looked up by key, so the set is linear in its policies.
    const out: Array<FelixPolicy | undefined> = [...this.enforced];
    const at = new Map<string, number>();
    out.forEach((p, i) => { if (p && !at.has(namesakeKey(p))) at.set(namesakeKey(p), i); });
    for (const s of this.staged) {
      const i = at.get(s.key);
      if (s.action === 'Delete') {
        if (i !== undefined) {
          out[i] = undefined;
          at.delete(s.key);
        }
      } else if (i !== undefined) {
        out[i] = s.policy;
      } else {
        at.set(s.key, out.length);
        out.push(s.policy);
      }
    }
    return out.filter((p): p is FelixPolicy => p !== undefined);
  }

  private buildLayout(policies: readonly FelixPolicy[]): TierPolicies[] {
    const byTier = new Map<string, FelixPolicy[]>();
    for (const p of policies) {
      if (!this.tierRecords.has(p.tier)) {
        throw new CalicoValidationError(`${describeOrigin(p)}: tier ${quote(p.tier)} does not exist; add a Tier named ${quote(p.tier)} `
          + `to the manifests or use one of ${[...this.tierRecords.keys()].map(t => quote(t)).join(', ')}`);
      }
      const list = byTier.get(p.tier);
      if (list) list.push(p);
      else byTier.set(p.tier, [p]);
    }
    return [...this.tierRecords.values()]
      .sort(tierLess)
      .map(tier => ({ tier, policies: sortPolicies(byTier.get(tier.name) ?? []) }));
  }
}

/** Felix's tier order: by order (unset last), then by name. */
function tierLess(a: TierRecord, b: TierRecord): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa < ob ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** What a staged policy and the enforced policy it stages share: kind, namespace, name and tier. */
function namesakeKey(p: FelixPolicy): string {
  return JSON.stringify([p.origin, p.namespace ?? '', p.calicoName, p.tier]);
}

function describeOrigin(p: FelixPolicy): string {
  const kind = p.staged ? `Staged${p.origin}` : p.origin;
  return `${kind} ${quote(`${p.namespace ? `${p.namespace}/` : ''}${p.name}`)}`;
}
