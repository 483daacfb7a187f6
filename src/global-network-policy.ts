import { Construct } from 'constructs';
import { GlobalNetworkPolicySpec, toJson_GlobalNetworkPolicySpec } from '../imports/crd.projectcalico.org';
import { registerCrdDefaults } from './private/crd-defaults';
import { defaultPolicyManifest, PolicyRuleList } from './private/policy-render';
import { CalicoResource, CalicoResourceProps } from './resource';
import { PerformanceHint, PolicyRule, PolicyType } from './rule';
import { Selector } from './selector';

registerCrdDefaults('GlobalNetworkPolicy', defaultPolicyManifest);

/**
 * Properties of a `GlobalNetworkPolicy`.
 */
export interface GlobalNetworkPolicyProps extends CalicoResourceProps {
  /**
   * Where the policy sits among all policies: lower orders are applied first; policies of equal
   * order in name order. Calico renders Kubernetes NetworkPolicies at order 1000.
   * @default - applied after every policy that has an order
   */
  readonly order?: number;
  /**
   * The endpoints (pods and host endpoints) the policy applies to.
   * @default - every endpoint: Calico reads an omitted selector as `all()`
   */
  readonly selector?: Selector;
  /**
   * Restricts the policy to pods in namespaces whose labels match.
   * @default - endpoints in any namespace, and host endpoints
   */
  readonly namespaceSelector?: Selector;
  /**
   * Restricts the policy to pods whose service account labels match.
   * @default - any service account
   */
  readonly serviceAccountSelector?: Selector;
  /**
   * The directions the policy governs. An endpoint selected for a direction with no matching
   * allow rule has that direction's traffic denied.
   * @default - as Calico derives it: Egress alone when the policy has only egress rules, Ingress
   * and Egress when it has both, otherwise Ingress
   */
  readonly policyTypes?: PolicyType[];
  /**
   * Rules for traffic into the selected endpoints, in order (at most 1024).
   * @default - none; add more with `addIngressRule`
   */
  readonly ingress?: PolicyRule[];
  /**
   * Rules for traffic out of the selected endpoints, in order (at most 1024).
   * @default - none; add more with `addEgressRule`
   */
  readonly egress?: PolicyRule[];
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
  /**
   * Hints to Calico's policy engine; they never change what the policy enforces.
   * @default - none
   */
  readonly performanceHints?: PerformanceHint[];
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
export class GlobalNetworkPolicy extends CalicoResource {
  /** The order given, or `undefined` (applied last). */
  public readonly order?: number;
  /** The selector given, or `undefined` (every endpoint). */
  public readonly selector?: Selector;
  /** The namespace selector given, or `undefined`. */
  public readonly namespaceSelector?: Selector;
  /** The service account selector given, or `undefined`. */
  public readonly serviceAccountSelector?: Selector;
  /** Whether the rules apply before connection tracking. */
  public readonly doNotTrack: boolean;
  /** Whether the rules apply before DNAT. */
  public readonly preDnat: boolean;
  /** Whether the rules also apply to forwarded traffic. */
  public readonly applyOnForward: boolean;
  private readonly explicitTypes?: PolicyType[];
  private readonly hints?: PerformanceHint[];
  private readonly applyOnForwardGiven?: boolean;
  private readonly doNotTrackGiven?: boolean;
  private readonly preDnatGiven?: boolean;
  private readonly rules: PolicyRuleList;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: GlobalNetworkPolicyProps = {}) {
    super(scope, id, 'GlobalNetworkPolicy', props);
    this.order = props.order;
    this.selector = props.selector;
    this.namespaceSelector = props.namespaceSelector;
    this.serviceAccountSelector = props.serviceAccountSelector;
    this.doNotTrackGiven = props.doNotTrack;
    this.preDnatGiven = props.preDnat;
    this.doNotTrack = props.doNotTrack ?? false;
    this.preDnat = props.preDnat ?? false;
    this.applyOnForwardGiven = props.applyOnForward ?? ((this.preDnat || this.doNotTrack) ? true : undefined);
    this.applyOnForward = this.applyOnForwardGiven ?? false;
    this.explicitTypes = props.policyTypes?.length ? [...props.policyTypes] : undefined;
    this.hints = props.performanceHints ? [...props.performanceHints] : undefined;
    this.rules = new PolicyRuleList(this, props.ingress ?? [], props.egress ?? [], [
      ['spec.selector', props.selector],
      ['spec.namespaceSelector', props.namespaceSelector],
      ['spec.serviceAccountSelector', props.serviceAccountSelector],
    ]);
    this.validateNow();
  }

  /** The ingress rules, in order, as rendered (copies; ports' protocols filled in). */
  public get ingressRules(): PolicyRule[] {
    return this.rules.rules('ingress');
  }

  /** The egress rules, in order, as rendered (copies; ports' protocols filled in). */
  public get egressRules(): PolicyRule[] {
    return this.rules.rules('egress');
  }

  /** The policy types in force: the ones given, or the ones Calico derives from the rules. */
  public get policyTypes(): PolicyType[] {
    return this.rules.policyTypes(this.explicitTypes);
  }

  /** The performance hints given (a copy). */
  public get performanceHints(): PerformanceHint[] {
    return [...(this.hints ?? [])];
  }

  /**
   * Appends a rule for traffic into the selected endpoints. The rule is checked at once; a bad
   * rule throws and is not added.
   * @param rule the rule
   */
  public addIngressRule(rule: PolicyRule): void {
    this.rules.add('ingress', rule, () => this.validateNow());
  }

  /**
   * Appends a rule for traffic out of the selected endpoints. The rule is checked at once; a bad
   * rule throws and is not added.
   * @param rule the rule
   */
  public addEgressRule(rule: PolicyRule): void {
    this.rules.add('egress', rule, () => this.validateNow());
  }

  protected renderSpec(): any {
    const spec: GlobalNetworkPolicySpec = {
      order: this.order,
      selector: this.selector?.toString(),
      namespaceSelector: this.namespaceSelector?.toString(),
      serviceAccountSelector: this.serviceAccountSelector?.toString(),
      types: this.explicitTypes ? [...this.explicitTypes] : undefined,
      ingress: this.rules.render('ingress'),
      egress: this.rules.render('egress'),
      doNotTrack: this.doNotTrackGiven,
      preDnat: this.preDnatGiven,
      applyOnForward: this.applyOnForwardGiven,
      performanceHints: this.hints ? [...this.hints] : undefined,
    };
    return toJson_GlobalNetworkPolicySpec(spec);
  }
}
