import { Construct } from 'constructs';
import { NetworkPolicySpec, toJson_NetworkPolicySpec } from '../../imports/crd.projectcalico.org';
import { PolicyBase, PolicyBaseProps } from './policy-base';
import { asGenerated, resourceNamespace } from './private/resource-util';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';

/**
 * Properties of a `NetworkPolicy`: the props every policy shares (`PolicyBaseProps`), plus the
 * namespace. Its selectors and rules select pods of that namespace.
 */
export interface NetworkPolicyProps extends PolicyBaseProps {
  /**
   * The namespace of the policy; it applies to pods in this namespace only.
   * @default - the chart's namespace when it has one, else 'default' (what calicoctl fills in)
   */
  readonly namespaceName?: string;
}

/**
 * A Calico `NetworkPolicy`: ordered allow/deny rules for the pods of one namespace, with
 * Calico's richer matches (ports by name, nets, service accounts, Services, ICMP, Log and Pass).
 *
 * A rule's selectors match pods of the policy's namespace unless the rule sets a
 * `namespaceSelector`. Rules are checked when they arrive, with the same verdicts as calicoctl.
 *
 * @example
 * const policy = new NetworkPolicy(chart, 'api', {
 *   namespaceName: 'shop',
 *   selector: Selector.parse("app == 'api'"),
 * });
 * policy.addIngressRule({
 *   action: RuleAction.ALLOW,
 *   source: { selector: Selector.parse("app == 'web'") },
 *   destination: { ports: [Port.tcp(8080)] },
 * });
 */
export class NetworkPolicy extends PolicyBase {
  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    checkArguments('NetworkPolicy', [scope, id, props], { leave: POLICY_RULE_TYPES });
    super(scope, id, 'NetworkPolicy', props, resourceNamespace(scope, id, 'NetworkPolicy', props.namespaceName));
    this.validateNow();
  }

  protected renderSpec(): any {
    const spec: NetworkPolicySpec = asGenerated(this._renderSharedSpec());
    return toJson_NetworkPolicySpec(spec);
  }
}
