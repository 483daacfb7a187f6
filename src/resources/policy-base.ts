import { Construct } from 'constructs';
import { GlobalNetworkPolicySpec } from '../../imports/crd.projectcalico.org';
import { PolicyRuleList } from './private/policy-render';
import { policyStorageIssues } from './private/policy-storage';
import { unknownTierIssues } from './private/tier-check';
import { CalicoResource, CalicoResourceProps } from './resource';
import { ITier } from './tier';
import { PerformanceHint, PolicyRule, PolicyType } from '../language/rule';
import { Selector } from '../language/selector';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';
import { ValidationIssue } from '../core/errors';
import { DEFAULT_TIER } from '../validation/policy';
import { asGenerated } from './private/resource-util';
import { shadowedRuleWarnings, warnAtSynthesis } from './private/policy-warnings';
import { noteTierUse } from './private/tier-usage';

/**
 * What a staged policy does once it is enforced: Calico records what it would change (flow logs,
 * the policy board) without applying it.
 */
export enum StagedAction {
  /** Create the policy, or replace the enforced policy of the same name and tier. */
  SET = 'Set',
  /** Delete the enforced policy of the same name and tier (the staged policy then carries only its tier). */
  DELETE = 'Delete',
  /** Learn: Calico records the action; its dataplane evaluates the staged policy as for Set. */
  LEARN = 'Learn',
  /** Ignore: Calico records the action; its dataplane evaluates the staged policy as for Set. */
  IGNORE = 'Ignore',
}

/**
 * Properties every Calico policy kind shares (`GlobalNetworkPolicy`, `NetworkPolicy` and their
 * staged forms).
 */
export interface PolicyBaseProps extends CalicoResourceProps {
  /**
   * The tier the policy belongs to: a `Tier` of this app, a built-in tier of the line
   * (`Tier.kubernetesAdmin(chart)`, `Tier.kubernetesBaseline(chart)`), `Tier.fromTierName('...')`,
   * or `Tier.fromExternalTierName('...')` for one applied outside the app. Synthesis fails when the
   * tier is none of these. On Calico v3.31 a policy of a tier other than `default` must be named
   * `<tier>.<name>`; from v3.32 any name will do.
   * @default - the `default` tier (`spec.tier` is left out)
   */
  readonly tier?: ITier;
  /**
   * Where the policy sits among all policies: lower orders are applied first; policies of equal
   * order in name order. Calico renders Kubernetes NetworkPolicies at order 1000.
   * @default - applied after every policy that has an order
   */
  readonly order?: number;
  /**
   * The endpoints the policy applies to: pods and host endpoints for a `GlobalNetworkPolicy`,
   * pods of its namespace for a `NetworkPolicy`.
   * @default - every endpoint the policy can apply to: Calico reads an omitted selector as `all()`
   */
  readonly selector?: Selector;
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
   * Hints to Calico's policy engine; they never change what the policy enforces.
   * @default - none
   */
  readonly performanceHints?: PerformanceHint[];
}

/**
 * Base class of the Calico policy constructs (`GlobalNetworkPolicy`, `NetworkPolicy` and their
 * staged forms): the tier, the order, the selectors, the policy types, the performance hints and
 * the ordered ingress and egress rules that every kind shares. Rules are checked when they arrive,
 * with the same verdicts as calicoctl; ports given with a protocol (`Port.tcp(443)`) set the rule's
 * protocol.
 *
 * A subclass sets its own fields after calling the base constructor, then calls `validateNow()`.
 */
export abstract class PolicyBase extends CalicoResource {
  /** The order given, or `undefined` (applied last). */
  public readonly order?: number;
  /** The selector given, or `undefined` (every endpoint the policy can apply to). */
  public readonly selector?: Selector;
  /** The service account selector given, or `undefined`. */
  public readonly serviceAccountSelector?: Selector;
  /** The name of the tier the policy belongs to: the one given, or `default`. */
  public readonly tier: string;
  private readonly tierGiven?: string;
  private readonly tierReference?: ITier;
  private readonly explicitTypes?: PolicyType[];
  private readonly hints?: PerformanceHint[];
  private readonly rules: PolicyRuleList;

  /**
   * Takes a snapshot of the shared props and checks the selectors and rules; a bad one throws.
   *
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param kind Calico kind: `GlobalNetworkPolicy`, `NetworkPolicy` or a staged form of either
   * @param props the shared props, with name, labels and annotations
   * @param namespaceName namespace of a namespaced kind; leave undefined for cluster-scoped kinds
   * @param namespaceSelector the policy-level namespace selector of a kind that has one
   *        (the global kinds), checked together with the other selectors
   */
  protected constructor(scope: Construct, id: string, kind: string, props: PolicyBaseProps,
    namespaceName?: string, namespaceSelector?: Selector) {
    super(scope, id, kind, props, namespaceName);
    this.order = props.order;
    this.selector = props.selector;
    this.serviceAccountSelector = props.serviceAccountSelector;
    this.tierGiven = props.tier?.name;
    this.tierReference = props.tier;
    this.tier = props.tier?.name || DEFAULT_TIER;
    noteTierUse(this, this.tier);
    this.explicitTypes = props.policyTypes?.length ? [...props.policyTypes] : undefined;
    this.hints = props.performanceHints ? [...props.performanceHints] : undefined;
    const selectors: Array<[string, unknown]> = [['spec.selector', props.selector]];
    if (namespaceSelector !== undefined) selectors.push(['spec.namespaceSelector', namespaceSelector]);
    selectors.push(['spec.serviceAccountSelector', props.serviceAccountSelector]);
    this.rules = new PolicyRuleList(this, props.ingress ?? [], props.egress ?? [], selectors);
    warnAtSynthesis(this, () => this.rules.version);
  }

  /**
   * Rules that can never see some or all of their traffic because an earlier rule of the same
   * direction decides it first (an Allow, Deny or Pass that matches it), one warning each, naming
   * both rules and the fix. Synthesis prints them to stderr; `cdk8s-calico lint` reports them as
   * `shadowed-rule`. Only what is proved is reported.
   */
  public get shadowedRuleWarnings(): string[] {
    return shadowedRuleWarnings(this);
  }

  /**
   * How many rules the policy has, both directions (without copying them). For the library's own
   * constructs.
   * @internal
   */
  public get _ruleCount(): number {
    return this.rules.count;
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
    checkArguments('PolicyBase.addIngressRule', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    this.rules.add('ingress', rule, () => this.validateNow());
  }

  /**
   * Appends a rule for traffic out of the selected endpoints. The rule is checked at once; a bad
   * rule throws and is not added.
   * @param rule the rule
   */
  public addEgressRule(rule: PolicyRule): void {
    checkArguments('PolicyBase.addEgressRule', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    this.rules.add('egress', rule, () => this.validateNow());
  }

  /**
   * The full check when the resource changed, and the tier rule: the policy's tier is a Tier of
   * the app or one its Calico line creates (unless referred to with `Tier.fromExternalTierName`).
   * @internal
   */
  public _problemsAtSynth(): ValidationIssue[] {
    return [...super._problemsAtSynth(), ...unknownTierIssues(this, this.tierReference, this.calicoVersion)];
  }

  /**
   * A default-tier name that starts with `default.` does not read back unchanged from the CRD.
   * @internal
   */
  public _storageIssues(): ValidationIssue[] {
    return policyStorageIssues(this.kind, this.name, this.tier);
  }

  /**
   * The spec fields every policy kind shares, in the generated layer's shape (`undefined` where not
   * given); a subclass adds its own fields and converts with its kind's `toJson_` function. Pure.
   * @internal
   */
  protected _renderSharedSpec(): GlobalNetworkPolicySpec {
    return {
      tier: this.tierGiven,
      order: this.order,
      selector: this.selector?.toString(),
      serviceAccountSelector: this.serviceAccountSelector?.toString(),
      types: this.explicitTypes ? asGenerated([...this.explicitTypes]) : undefined,
      ingress: this.rules.render('ingress'),
      egress: asGenerated(this.rules.render('egress')),
      performanceHints: this.hints ? asGenerated([...this.hints]) : undefined,
    };
  }
}
