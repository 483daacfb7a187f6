import { Construct } from 'constructs';
import { StagedGlobalNetworkPolicySpec, toJson_StagedGlobalNetworkPolicySpec } from '../../imports/crd.projectcalico.org';
import { GlobalNetworkPolicyProps, GlobalPolicyBase } from './global-network-policy';
import { StagedAction } from './policy-base';
import { asGenerated } from './private/resource-util';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';

/**
 * Properties of a `StagedGlobalNetworkPolicy`: those of a `GlobalNetworkPolicy`, plus what the
 * staged policy does once enforced.
 */
export interface StagedGlobalNetworkPolicyProps extends GlobalNetworkPolicyProps {
  /**
   * What enforcing the staged policy would do: set (create or replace) the GlobalNetworkPolicy of
   * the same name and tier, or delete it. A staged delete carries only its name and tier.
   * @default StagedAction.SET
   */
  readonly stagedAction?: StagedAction;
}

/**
 * A Calico `StagedGlobalNetworkPolicy`: a GlobalNetworkPolicy that Calico evaluates without
 * enforcing it, to see what it would allow and deny before it is applied for real.
 *
 * It takes the same typed rules, selectors and tier as `GlobalNetworkPolicy`, checked the same
 * way when they arrive.
 *
 * @example
 * new StagedGlobalNetworkPolicy(chart, 'deny-legacy', {
 *   selector: Selector.has('legacy'),
 *   ingress: [Rule.deny()],
 * });
 */
export class StagedGlobalNetworkPolicy extends GlobalPolicyBase {
  /** The staged action in force. */
  public readonly stagedAction: StagedAction;
  private readonly stagedActionGiven?: StagedAction;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the staged policy
   */
  constructor(scope: Construct, id: string, props: StagedGlobalNetworkPolicyProps = {}) {
    checkArguments('StagedGlobalNetworkPolicy', [scope, id, props], { leave: POLICY_RULE_TYPES });
    super(scope, id, 'StagedGlobalNetworkPolicy', props);
    this.stagedActionGiven = props.stagedAction;
    this.stagedAction = props.stagedAction ?? StagedAction.SET;
    this.validateNow();
  }

  protected renderSpec(): any {
    const spec: StagedGlobalNetworkPolicySpec = {
      ...asGenerated<StagedGlobalNetworkPolicySpec>(this._renderGlobalSpec()),
      stagedAction: asGenerated(this.stagedActionGiven),
    };
    return toJson_StagedGlobalNetworkPolicySpec(spec);
  }
}
