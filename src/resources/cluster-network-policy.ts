import { Construct } from 'constructs';
import { checkArguments } from '../core/argument-check';
import { AdminPolicyBase, AdminPolicyBaseProps } from './admin-policy-base';

/**
 * Where a ClusterNetworkPolicy sits: before or after the namespaces' own policies.
 */
export enum ClusterNetworkPolicyTier {
  /**
   * Evaluated before every NetworkPolicy and Calico policy of the `default` tier (Calico runs it
   * in its `kube-admin` tier): cluster rules that namespaces cannot override.
   */
  ADMIN = 'Admin',
  /**
   * Evaluated after them (Calico's `kube-baseline` tier): defaults that a namespace's own
   * NetworkPolicy overrides, such as a default deny.
   */
  BASELINE = 'Baseline',
}

/**
 * Properties of a `ClusterNetworkPolicy`.
 */
export interface ClusterNetworkPolicyProps extends AdminPolicyBaseProps {
  /**
   * `metadata.name` of the policy.
   * @default - the construct id
   */
  readonly name?: string;
  /** Whether the policy is evaluated before (Admin) or after (Baseline) the namespaces' policies. */
  readonly tier: ClusterNetworkPolicyTier;
  /**
   * Order among the ClusterNetworkPolicies of the tier, 0 to 1000: lower numbers are evaluated
   * first. Two policies of one tier with the same priority are ambiguous; give each its own.
   */
  readonly priority: number;
}

/**
 * A Kubernetes `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`, the network-policy-api
 * project), which Calico v3.32 installs and enforces in its `kube-admin` (tier Admin) and
 * `kube-baseline` (tier Baseline) tiers. Calico v3.31 has AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy instead; a chart of that line refuses this kind.
 *
 * The policy is checked against the CRD Calico v3.32 bundles, with its rules (a port range's start
 * below its end, `networks` entries that are CIDRs), where it arrives.
 *
 * @example
 * new ClusterNetworkPolicy(chart, 'no-metadata-api', {
 *   tier: ClusterNetworkPolicyTier.ADMIN,
 *   priority: 10,
 *   subject: AdminPolicySubject.namespaces({}),
 *   egress: [{ action: AdminPolicyAction.DENY, peers: [AdminPolicyPeer.networks(['169.254.169.254/32'])] }],
 * });
 */
export class ClusterNetworkPolicy extends AdminPolicyBase {
  /** The tier of the policy. */
  public readonly tier: ClusterNetworkPolicyTier;
  /** The priority of the policy within its tier. */
  public readonly priority: number;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: ClusterNetworkPolicyProps) {
    checkArguments('ClusterNetworkPolicy', [scope, id, props]);
    super(scope, id, 'ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2', props.name ?? id, props);
    this.tier = props.tier;
    this.priority = props.priority;
    this._validateNow();
  }

  /** @internal */
  protected _kindFields(): { [key: string]: any } {
    return { tier: this.tier, priority: this.priority };
  }
}
