import { Construct } from 'constructs';
import { NetworkPolicySpec, toJson_NetworkPolicySpec } from '../imports/crd.projectcalico.org';
import { registerCrdDefaults } from './private/crd-defaults';
import { defaultPolicyManifest, PolicyRuleList } from './private/policy-render';
import { CalicoResource, CalicoResourceProps } from './resource';
import { PerformanceHint, PolicyRule, PolicyType } from './rule';
import { Selector } from './selector';

registerCrdDefaults('NetworkPolicy', defaultPolicyManifest);

/**
 * Properties of a `NetworkPolicy`.
 */
export interface NetworkPolicyProps extends CalicoResourceProps {
  /**
   * The namespace of the policy; it applies to pods in this namespace only.
   * @default 'default'
   */
  readonly namespaceName?: string;
  /**
   * Where the policy sits among all policies: lower orders are applied first; policies of equal
   * order in name order. Calico renders Kubernetes NetworkPolicies at order 1000.
   * @default - applied after every policy that has an order
   */
  readonly order?: number;
  /**
   * The pods of the namespace the policy applies to.
   * @default - every pod of the namespace: Calico reads an omitted selector as `all()`
   */
  readonly selector?: Selector;
  /**
   * Restricts the policy to pods whose service account labels match.
   * @default - any service account
   */
  readonly serviceAccountSelector?: Selector;
  /**
   * The directions the policy governs. A pod selected for a direction with no matching allow
   * rule has that direction's traffic denied.
   * @default - as Calico derives it: Egress alone when the policy has only egress rules, Ingress
   * and Egress when it has both, otherwise Ingress
   */
  readonly policyTypes?: PolicyType[];
  /**
   * Rules for traffic into the selected pods, in order (at most 1024).
   * @default - none; add more with `addIngressRule`
   */
  readonly ingress?: PolicyRule[];
  /**
   * Rules for traffic out of the selected pods, in order (at most 1024).
   * @default - none; add more with `addEgressRule`
   */
  readonly egress?: PolicyRule[];
  /**
   * Hints to Calico's policy engine; they never change what the policy enforces.
   * @default - none
   */
  readonly performanceHints?: PerformanceHint[];
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
export class NetworkPolicy extends CalicoResource {
  /** The order given, or `undefined` (applied last). */
  public readonly order?: number;
  /** The selector given, or `undefined` (every pod of the namespace). */
  public readonly selector?: Selector;
  /** The service account selector given, or `undefined`. */
  public readonly serviceAccountSelector?: Selector;
  private readonly explicitTypes?: PolicyType[];
  private readonly hints?: PerformanceHint[];
  private readonly rules: PolicyRuleList;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    super(scope, id, 'NetworkPolicy', props, props.namespaceName ?? 'default');
    this.order = props.order;
    this.selector = props.selector;
    this.serviceAccountSelector = props.serviceAccountSelector;
    this.explicitTypes = props.policyTypes?.length ? [...props.policyTypes] : undefined;
    this.hints = props.performanceHints ? [...props.performanceHints] : undefined;
    this.rules = new PolicyRuleList(this, props.ingress ?? [], props.egress ?? [], [
      ['spec.selector', props.selector],
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
   * Appends a rule for traffic into the selected pods. The rule is checked at once; a bad rule
   * throws and is not added.
   * @param rule the rule
   */
  public addIngressRule(rule: PolicyRule): void {
    this.rules.add('ingress', rule, () => this.validateNow());
  }

  /**
   * Appends a rule for traffic out of the selected pods. The rule is checked at once; a bad rule
   * throws and is not added.
   * @param rule the rule
   */
  public addEgressRule(rule: PolicyRule): void {
    this.rules.add('egress', rule, () => this.validateNow());
  }

  protected renderSpec(): any {
    const spec: NetworkPolicySpec = {
      order: this.order,
      selector: this.selector?.toString(),
      serviceAccountSelector: this.serviceAccountSelector?.toString(),
      types: this.explicitTypes ? [...this.explicitTypes] : undefined,
      ingress: this.rules.render('ingress'),
      egress: this.rules.render('egress'),
      performanceHints: this.hints ? [...this.hints] : undefined,
    };
    return toJson_NetworkPolicySpec(spec);
  }
}
