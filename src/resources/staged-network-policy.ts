import { Construct } from 'constructs';
import { StagedNetworkPolicySpec, toJson_StagedNetworkPolicySpec } from '../../imports/crd.projectcalico.org';
import { NetworkPolicyProps } from './network-policy';
import { PolicyBase, StagedAction } from './policy-base';
import { asGenerated, resourceNamespace } from './private/resource-util';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';

/**
 * Properties of a `StagedNetworkPolicy`: those of a `NetworkPolicy`, plus what the staged policy
 * does once enforced.
 */
export interface StagedNetworkPolicyProps extends NetworkPolicyProps {
  /**
   * What enforcing the staged policy would do: set (create or replace) the NetworkPolicy of the
   * same name, namespace and tier, or delete it. A staged delete carries only its name and tier.
   * @default StagedAction.SET
   */
  readonly stagedAction?: StagedAction;
}

/**
 * A Calico `StagedNetworkPolicy`: a NetworkPolicy that Calico evaluates without enforcing it, to
 * see what it would allow and deny before it is applied for real.
 *
 * It takes the same typed rules, selectors and tier as `NetworkPolicy`, checked the same way
 * when they arrive.
 *
 * @example
 * new StagedNetworkPolicy(chart, 'api', {
 *   namespaceName: 'shop',
 *   selector: Selector.parse("app == 'api'"),
 *   ingress: [Rule.allow({ destination: { ports: [Port.tcp(8080)] } })],
 * });
 */
export class StagedNetworkPolicy extends PolicyBase {
  /** The staged action in force. */
  public readonly stagedAction: StagedAction;
  private readonly stagedActionGiven?: StagedAction;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the staged policy
   */
  constructor(scope: Construct, id: string, props: StagedNetworkPolicyProps = {}) {
    checkArguments('StagedNetworkPolicy', [scope, id, props], { leave: POLICY_RULE_TYPES });
    super(scope, id, 'StagedNetworkPolicy', props, resourceNamespace(scope, id, 'StagedNetworkPolicy', props.namespaceName));
    this.stagedActionGiven = props.stagedAction;
    this.stagedAction = props.stagedAction ?? StagedAction.SET;
    this.validateNow();
  }

  protected renderSpec(): any {
    const spec: StagedNetworkPolicySpec = {
      ...asGenerated<StagedNetworkPolicySpec>(this._renderSharedSpec()),
      stagedAction: asGenerated(this.stagedActionGiven),
    };
    return toJson_StagedNetworkPolicySpec(spec);
  }
}
