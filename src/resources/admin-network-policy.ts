import { Construct } from 'constructs';
import { checkArguments } from '../core/argument-check';
import { AdminPolicyBase, AdminPolicyBaseProps } from './admin-policy-base';

/**
 * Properties of an `AdminNetworkPolicy`.
 */
export interface AdminNetworkPolicyProps extends AdminPolicyBaseProps {
  /**
   * `metadata.name` of the policy.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Order among the AdminNetworkPolicies, 0 to 1000: lower numbers are evaluated first.
   */
  readonly priority: number;
}

/**
 * A Kubernetes `AdminNetworkPolicy` (`policy.networking.k8s.io/v1alpha1`), which Calico v3.31
 * installs and enforces in its `adminnetworkpolicy` tier, before every NetworkPolicy and Calico
 * policy of the `default` tier. Calico v3.32 replaces it with `ClusterNetworkPolicy` (tier Admin);
 * a chart of that line refuses this kind.
 *
 * Actions: Accept (written `Allow`), Deny, Pass (hand the traffic on to the namespaces' policies).
 *
 * @example
 * new AdminNetworkPolicy(chart, 'monitoring', {
 *   priority: 10,
 *   subject: AdminPolicySubject.namespaces({}),
 *   ingress: [{ action: AdminPolicyAction.ACCEPT, peers: [AdminPolicyPeer.namespaces({ matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } })] }],
 * });
 */
export class AdminNetworkPolicy extends AdminPolicyBase {
  /** The priority of the policy. */
  public readonly priority: number;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: AdminNetworkPolicyProps) {
    checkArguments('AdminNetworkPolicy', [scope, id, props]);
    super(scope, id, 'AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1', props.name ?? id, props);
    this.priority = props.priority;
    this._validateNow();
  }

  /** @internal */
  protected _kindFields(): { [key: string]: any } {
    return { priority: this.priority };
  }
}

/**
 * Properties of a `BaselineAdminNetworkPolicy`. It has no name of its own: the cluster has at most
 * one, named `default`.
 */
export interface BaselineAdminNetworkPolicyProps extends AdminPolicyBaseProps {}

/**
 * The Kubernetes `BaselineAdminNetworkPolicy` (`policy.networking.k8s.io/v1alpha1`), which Calico
 * v3.31 enforces in its `baselineadminnetworkpolicy` tier, after every NetworkPolicy: defaults that
 * a namespace's own NetworkPolicy overrides. The cluster has one at most, named `default` (the
 * CRD refuses any other name). Calico v3.32 replaces it with `ClusterNetworkPolicy` (tier
 * Baseline); a chart of that line refuses this kind.
 *
 * Actions: Accept (written `Allow`) and Deny.
 *
 * @example
 * new BaselineAdminNetworkPolicy(chart, 'baseline', {
 *   subject: AdminPolicySubject.namespaces({}),
 *   ingress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.namespaces({})] }],
 * });
 */
export class BaselineAdminNetworkPolicy extends AdminPolicyBase {
  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: BaselineAdminNetworkPolicyProps) {
    checkArguments('BaselineAdminNetworkPolicy', [scope, id, props]);
    super(scope, id, 'BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1', 'default', props);
    this._validateNow();
  }
}
