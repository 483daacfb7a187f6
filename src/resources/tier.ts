import { Construct, IConstruct } from 'constructs';
import { TierSpec, toJson_TierSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { CalicoVersion, calicoVersionOf } from '../core/calico-version';
import { DEFAULT_TIER_ORDER } from '../validation/tier';
import { registerCrdDefaults } from './private/crd-defaults';
import { sortedKeys } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';
import { emptyTierWarning, warnEmptyTierAtSynthesis } from './private/tier-usage';

/**
 * What happens to traffic of an endpoint that a tier's policies select but that no rule of the
 * tier allows, denies or passes on.
 */
export enum TierDefaultAction {
  /** Deny it (Calico's default for a tier). */
  DENY = 'Deny',
  /** Pass it on to the next tier. */
  PASS = 'Pass',
}

/**
 * A reference to a tier, by name: a `Tier` construct, a built-in tier of the chart's Calico line
 * (`Tier.kubernetesAdmin(chart)`, `Tier.defaultTier()`, `Tier.kubernetesBaseline(chart)`),
 * `Tier.fromTierName('...')` for a tier defined in another chart of the app, or
 * `Tier.fromExternalTierName('...')` for one applied outside the app.
 */
export interface ITier {
  /** `metadata.name` of the Tier. */
  readonly name: string;
}

/**
 * Properties of a `Tier`.
 */
export interface TierProps extends CalicoResourceProps {
  /**
   * Where the tier sits among all tiers: lower orders are evaluated first. Calico's own tiers sit
   * at 1,000 (Kubernetes admin policies), 1,000,000 (`default`) and 10,000,000 (baseline).
   * @default - 1,000,000, the order Calico gives a tier that names none (the same as `default`;
   * tiers of equal order are evaluated in name order)
   */
  readonly order?: number;
  /**
   * What happens to traffic that the tier's policies select but no rule of the tier decides.
   * @default TierDefaultAction.DENY
   */
  readonly defaultAction?: TierDefaultAction;
}

/**
 * A Calico policy tier (`Tier`): an ordered group of policies. Calico evaluates tiers by order;
 * inside a tier, policies by their own order. A policy joins a tier through its `tier` prop.
 *
 * @example
 * const security = new Tier(chart, 'security', { order: 100 });
 * new GlobalNetworkPolicy(chart, 'quarantine', { tier: security, selector: Selector.has('quarantine') });
 */
export class Tier extends CalicoResource implements ITier {
  /**
   * Refers to a tier by name: a `Tier` of this app (in any chart) or one Calico creates itself on
   * the policy's line. Synthesis fails when a policy names a tier that is neither, listing the
   * tiers it knows; use `fromExternalTierName` for a tier applied outside this app.
   * @param name `metadata.name` of the tier
   */
  public static fromTierName(name: string): ITier {
    checkArguments('Tier.fromTierName', [name]);
    return { name };
  }

  /**
   * Refers to a tier applied outside this app (by another cdk8s app, Helm or kubectl). Synthesis
   * takes its existence on trust; apply the tier before the policies that name it.
   * @param name `metadata.name` of the tier
   */
  public static fromExternalTierName(name: string): ITier {
    checkArguments('Tier.fromExternalTierName', [name]);
    const tier: ITier = { name };
    EXTERNAL_TIERS.add(tier);
    return tier;
  }

  /**
   * The `default` tier: where a policy that names no tier goes (on every Calico line, at order
   * 1,000,000, default action Deny).
   */
  public static defaultTier(): ITier {
    return { name: 'default' };
  }

  /**
   * The tier Calico evaluates before every other one, where it runs the Kubernetes admin policies
   * (order 1,000, default action Pass): `kube-admin` on Calico v3.32, `adminnetworkpolicy` on v3.31.
   * The name is read from the Calico version of `scope` when called (`CalicoVersion.of`), so set
   * the chart's version (or add its CalicoCluster) first.
   * @param scope a construct in the chart the policy goes to
   */
  public static kubernetesAdmin(scope: IConstruct): ITier {
    checkArguments('Tier.kubernetesAdmin', [scope]);
    return { name: builtInTierName(calicoVersionOf(scope), 'admin') };
  }

  /**
   * The tier Calico evaluates after every other one, where it runs the Kubernetes baseline
   * policies (order 10,000,000, default action Pass): `kube-baseline` on Calico v3.32,
   * `baselineadminnetworkpolicy` on v3.31. The name is read from the Calico version of `scope`
   * when called, so set the chart's version (or add its CalicoCluster) first.
   * @param scope a construct in the chart the policy goes to
   */
  public static kubernetesBaseline(scope: IConstruct): ITier {
    checkArguments('Tier.kubernetesBaseline', [scope]);
    return { name: builtInTierName(calicoVersionOf(scope), 'baseline') };
  }

  /**
   * The names of the tiers a Calico version creates itself, lowest order first:
   * `['kube-admin', 'default', 'kube-baseline']` on v3.32,
   * `['adminnetworkpolicy', 'default', 'baselineadminnetworkpolicy']` on v3.31.
   * @param version the Calico version
   */
  public static builtInTierNames(version: CalicoVersion): string[] {
    checkArguments('Tier.builtInTierNames', [version]);
    return version._builtinTiers.map(t => t.name);
  }

  /** The order in force: the one given, or Calico's 1,000,000. */
  public readonly order: number;
  /** The default action in force. */
  public readonly defaultAction: TierDefaultAction;
  private readonly given: TierProps;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the tier
   */
  constructor(scope: Construct, id: string, props: TierProps = {}) {
    checkArguments('Tier', [scope, id, props]);
    super(scope, id, 'Tier', props);
    this.given = { order: props.order, defaultAction: props.defaultAction };
    this.order = props.order ?? DEFAULT_TIER_ORDER;
    this.defaultAction = props.defaultAction ?? TierDefaultAction.DENY;
    this.validateNow();
    warnEmptyTierAtSynthesis(this);
  }

  /**
   * Whether no policy of the app joins this tier: then Calico never consults it. Synthesis prints
   * it as a warning (`cdk8s-calico lint` reports it as `empty-tier`). Read once every policy exists.
   */
  public get emptyTierWarning(): string | undefined {
    return emptyTierWarning(this);
  }

  protected renderSpec(): any {
    const spec: TierSpec = { order: this.given.order, defaultAction: this.given.defaultAction };
    return toJson_TierSpec(spec);
  }
}

/** The references made by `Tier.fromExternalTierName`, which the tier check takes on trust. */
const EXTERNAL_TIERS = new WeakSet<ITier>();

/**
 * Whether a tier reference names a tier applied outside the app (`Tier.fromExternalTierName`).
 * @internal
 */
export function isExternalTier(tier: ITier): boolean {
  return EXTERNAL_TIERS.has(tier);
}

function builtInTierName(version: CalicoVersion, role: 'admin' | 'baseline'): string {
  return version._builtinTiers.find(t => t.role === role)!.name;
}

// Calico's defaulting of tiers on create (libcalico-go/lib/resources/tier.go DefaultTierFields,
// the same on v3.31 and v3.32): order 1,000,000 and default action Deny when absent.
registerCrdDefaults('Tier', (manifest: any) => {
  const spec: Record<string, any> = { ...(manifest.spec ?? {}) };
  spec.order ??= DEFAULT_TIER_ORDER;
  spec.defaultAction ??= TierDefaultAction.DENY;
  return { ...manifest, spec: sortedKeys(spec) };
});
