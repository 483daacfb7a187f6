import { Construct } from 'constructs';
import {
  GlobalNetworkPolicySpec, StagedGlobalNetworkPolicySpec, toJson_GlobalNetworkPolicySpec, toJson_StagedGlobalNetworkPolicySpec,
} from '../../imports/crd.projectcalico.org';
import { asGenerated } from './private/resource-util';
import { PolicyBase, PolicyBaseProps } from './policy-base';
import { Selector } from '../language/selector';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';

/**
 * Properties of a `GlobalNetworkPolicy`: the props every policy shares (`PolicyBaseProps`), plus
 * a namespace selector and the host-protection modes.
 */
export interface GlobalNetworkPolicyProps extends PolicyBaseProps {
  /**
   * Restricts the policy to pods in namespaces whose labels match.
   * @default - endpoints in any namespace, and host endpoints
   */
  readonly namespaceSelector?: Selector;
  /**
   * Apply the rules before connection tracking, and do not track the packets they allow (host
   * endpoints only). Needs `applyOnForward`; may not be combined with `preDnat`.
   * @default false
   */
  readonly doNotTrack?: boolean;
  /**
   * Apply the rules before DNAT, so they see a Service's node port rather than the pod behind
   * it (host endpoints only, ingress only). Needs `applyOnForward`.
   * @default false
   */
  readonly preDnat?: boolean;
  /**
   * Also apply the rules to traffic forwarded through the host (host endpoints).
   * @default - true when `preDnat` or `doNotTrack` is set (Calico requires it then), false otherwise
   */
  readonly applyOnForward?: boolean;
}

/**
 * Base class of the cluster-wide policy constructs (`GlobalNetworkPolicy` and
 * `StagedGlobalNetworkPolicy`): what every policy shares (`PolicyBase`), plus the namespace
 * selector and the host-protection modes.
 */
export abstract class GlobalPolicyBase extends PolicyBase {
  /** The namespace selector given, or `undefined`. */
  public readonly namespaceSelector?: Selector;
  /** Whether the rules apply before connection tracking. */
  public readonly doNotTrack: boolean;
  /** Whether the rules apply before DNAT. */
  public readonly preDnat: boolean;
  /** Whether the rules also apply to forwarded traffic. */
  public readonly applyOnForward: boolean;
  private readonly applyOnForwardGiven?: boolean;
  private readonly doNotTrackGiven?: boolean;
  private readonly preDnatGiven?: boolean;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param kind Calico kind, `GlobalNetworkPolicy` or `StagedGlobalNetworkPolicy`
   * @param props the policy
   */
  protected constructor(scope: Construct, id: string, kind: string, props: GlobalNetworkPolicyProps) {
    super(scope, id, kind, props, undefined, props.namespaceSelector);
    this.namespaceSelector = props.namespaceSelector;
    this.doNotTrackGiven = props.doNotTrack;
    this.preDnatGiven = props.preDnat;
    this.doNotTrack = props.doNotTrack ?? false;
    this.preDnat = props.preDnat ?? false;
    this.applyOnForwardGiven = props.applyOnForward ?? ((this.preDnat || this.doNotTrack) ? true : undefined);
    this.applyOnForward = this.applyOnForwardGiven ?? false;
  }

  /**
   * The spec fields of the cluster-wide kinds, in the generated layer's shape. Pure.
   * @internal
   */
  protected _renderGlobalSpec(): GlobalNetworkPolicySpec {
    return {
      ...this._renderSharedSpec(),
      namespaceSelector: this.namespaceSelector?.toString(),
      doNotTrack: this.doNotTrackGiven,
      preDnat: this.preDnatGiven,
      applyOnForward: this.applyOnForwardGiven,
    };
  }

  /**
   * The spec as the JSON of the kind this policy is (`GlobalNetworkPolicy` or
   * `StagedGlobalNetworkPolicy`, `stagedAction` left out), for subclasses outside this folder. Pure.
   * @internal
   */
  protected _renderGlobalSpecJson(): any {
    const spec = this._renderGlobalSpec();
    return this.kind === 'StagedGlobalNetworkPolicy'
      ? toJson_StagedGlobalNetworkPolicySpec(asGenerated<StagedGlobalNetworkPolicySpec>(spec))
      : toJson_GlobalNetworkPolicySpec(spec);
  }
}

/**
 * A Calico `GlobalNetworkPolicy`: ordered allow/deny rules for endpoints in every namespace and
 * for host endpoints, with the host-protection modes (`preDnat`, `doNotTrack`, `applyOnForward`).
 *
 * Rules are checked when they arrive, with the same verdicts as calicoctl. Ports given with a
 * protocol (`Port.tcp(443)`) set the rule's protocol.
 *
 * @example
 * const policy = new GlobalNetworkPolicy(chart, 'deny-app-egress', {
 *   order: 2000,
 *   selector: Selector.parse("app == 'web'"),
 *   policyTypes: [PolicyType.EGRESS],
 * });
 * policy.addEgressRule({ action: RuleAction.ALLOW, destination: { ports: [Port.udp(53)] } });
 */
export class GlobalNetworkPolicy extends GlobalPolicyBase {
  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: GlobalNetworkPolicyProps = {}) {
    checkArguments('GlobalNetworkPolicy', [scope, id, props], { leave: POLICY_RULE_TYPES });
    super(scope, id, 'GlobalNetworkPolicy', props);
    this.validateNow();
  }

  protected renderSpec(): any {
    return toJson_GlobalNetworkPolicySpec(this._renderGlobalSpec());
  }
}
