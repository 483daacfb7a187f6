import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { toJson_StagedKubernetesNetworkPolicySpec } from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { PolicyType } from '../language/rule';
import { StagedAction } from './policy-base';
import { asGenerated, checkAdded, resourceNamespace } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';

/**
 * Properties of a `StagedKubernetesNetworkPolicy`: the spec of a Kubernetes NetworkPolicy, in
 * cdk8s-plus-28's typed layer (`k8s.NetworkPolicyIngressRule`, ...), plus what the staged policy
 * does once enforced.
 */
export interface StagedKubernetesNetworkPolicyProps extends CalicoResourceProps {
  /**
   * The namespace of the policy; it selects pods in this namespace only.
   * @default - the chart's namespace when it has one, else 'default'
   */
  readonly namespaceName?: string;
  /**
   * What enforcing the staged policy would do: set (create or replace) the Kubernetes
   * NetworkPolicy of the same name and namespace, or delete it. A staged delete carries nothing else.
   * @default StagedAction.SET
   */
  readonly stagedAction?: StagedAction;
  /**
   * The pods of the namespace the policy applies to.
   * @default - every pod of the namespace (an empty selector, written out: Kubernetes requires it)
   */
  readonly podSelector?: k8s.LabelSelector;
  /**
   * Rules for traffic into the selected pods. Add more with `addIngressRule`.
   * @default - none
   */
  readonly ingress?: k8s.NetworkPolicyIngressRule[];
  /**
   * Rules for traffic out of the selected pods. Add more with `addEgressRule`.
   * @default - none
   */
  readonly egress?: k8s.NetworkPolicyEgressRule[];
  /**
   * The directions the policy governs.
   * @default - as Kubernetes derives them: Ingress, plus Egress when the policy has egress rules
   */
  readonly policyTypes?: PolicyType[];
}

/**
 * A Calico `StagedKubernetesNetworkPolicy`: a Kubernetes NetworkPolicy that Calico evaluates
 * without enforcing it, to see what it would allow and deny before it is applied as a
 * `networking.k8s.io/v1` NetworkPolicy. Its rules are cdk8s-plus-28's Kubernetes types, so the
 * same values can later build a `k8s.KubeNetworkPolicy`.
 *
 * @example
 * new StagedKubernetesNetworkPolicy(chart, 'web', {
 *   namespaceName: 'shop',
 *   podSelector: { matchLabels: { app: 'web' } },
 *   ingress: [{ ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(80) }] }],
 * });
 */
export class StagedKubernetesNetworkPolicy extends CalicoResource {
  /** The staged action in force. */
  public readonly stagedAction: StagedAction;
  private readonly stagedActionGiven?: StagedAction;
  private readonly policyTypesGiven?: PolicyType[];
  private readonly podSelector: Record<string, any>;
  private readonly ingressRules: Array<Record<string, any>>;
  private readonly egressRules: Array<Record<string, any>>;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the staged policy
   */
  constructor(scope: Construct, id: string, props: StagedKubernetesNetworkPolicyProps = {}) {
    checkArguments('StagedKubernetesNetworkPolicy', [scope, id, props]);
    super(scope, id, 'StagedKubernetesNetworkPolicy', props,
      resourceNamespace(scope, id, 'StagedKubernetesNetworkPolicy', props.namespaceName));
    this.stagedActionGiven = props.stagedAction;
    this.stagedAction = props.stagedAction ?? StagedAction.SET;
    // An empty list means the same as none (Kubernetes leaves it out), so it is not written.
    this.policyTypesGiven = props.policyTypes?.length ? [...props.policyTypes] : undefined;
    // Snapshots in JSON form: later changes to the caller's objects do not leak in.
    this.podSelector = k8s.toJson_LabelSelector(props.podSelector) ?? {};
    this.ingressRules = (props.ingress ?? []).map(r => k8s.toJson_NetworkPolicyIngressRule(r)!);
    this.egressRules = (props.egress ?? []).map(r => k8s.toJson_NetworkPolicyEgressRule(r)!);
    this.validateNow();
  }

  /** The policy types in force: the ones given, or the ones Kubernetes derives from the rules. */
  public get policyTypes(): PolicyType[] {
    if (this.policyTypesGiven) return [...this.policyTypesGiven];
    return this.egressRules.length ? [PolicyType.INGRESS, PolicyType.EGRESS] : [PolicyType.INGRESS];
  }

  /**
   * Appends a rule for traffic into the selected pods. A bad rule throws and is not added.
   * @param rule the rule
   */
  public addIngressRule(rule: k8s.NetworkPolicyIngressRule): void {
    checkArguments('StagedKubernetesNetworkPolicy.addIngressRule', [rule], { scope: this });
    this.ingressRules.push(k8s.toJson_NetworkPolicyIngressRule(rule)!);
    checkAdded(this, `spec.ingress[${this.ingressRules.length - 1}]`, () => this.ingressRules.pop());
  }

  /**
   * Appends a rule for traffic out of the selected pods. A bad rule throws and is not added.
   * @param rule the rule
   */
  public addEgressRule(rule: k8s.NetworkPolicyEgressRule): void {
    checkArguments('StagedKubernetesNetworkPolicy.addEgressRule', [rule], { scope: this });
    this.egressRules.push(k8s.toJson_NetworkPolicyEgressRule(rule)!);
    checkAdded(this, `spec.egress[${this.egressRules.length - 1}]`, () => this.egressRules.pop());
  }

  protected renderSpec(): any {
    // The Kubernetes parts are already JSON (cdk8s-plus-28's layer of the Kubernetes types); the
    // Calico fields go through the generated layer of the Calico CRD.
    const calico = toJson_StagedKubernetesNetworkPolicySpec({
      stagedAction: asGenerated(this.stagedActionGiven),
      policyTypes: this.policyTypesGiven ? [...this.policyTypesGiven] : undefined,
    });
    // A deep copy, so that the output never shares the construct's state.
    return JSON.parse(JSON.stringify({
      ...calico,
      podSelector: this.podSelector,
      ingress: this.ingressRules.length ? this.ingressRules : undefined,
      egress: this.egressRules.length ? this.egressRules : undefined,
    }));
  }
}
