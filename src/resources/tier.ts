import { Construct } from 'constructs';
import { TierSpec, toJson_TierSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { DEFAULT_TIER_ORDER } from '../validation/tier';
import { registerCrdDefaults } from './private/crd-defaults';
import { sortedKeys } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';

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
 * A reference to a tier, by name: a `Tier` construct, or `Tier.fromTierName('...')` for a tier
 * defined elsewhere (another chart, or one Calico creates itself).
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
   * Refers to a tier defined elsewhere: in another chart, already on the cluster, or one of the
   * tiers Calico creates itself (`default`, and the admin and baseline tiers of its line).
   * @param name `metadata.name` of the tier
   */
  public static fromTierName(name: string): ITier {
    checkArguments('Tier.fromTierName', [name]);
    return { name };
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
  }

  protected renderSpec(): any {
    const spec: TierSpec = { order: this.given.order, defaultAction: this.given.defaultAction };
    return toJson_TierSpec(spec);
  }
}

// Calico's defaulting of tiers on create (libcalico-go/lib/resources/tier.go DefaultTierFields,
// the same on v3.31 and v3.32): order 1,000,000 and default action Deny when absent.
registerCrdDefaults('Tier', (manifest: any) => {
  const spec: Record<string, any> = { ...(manifest.spec ?? {}) };
  spec.order ??= DEFAULT_TIER_ORDER;
  spec.defaultAction ??= TierDefaultAction.DENY;
  return { ...manifest, spec: sortedKeys(spec) };
});
