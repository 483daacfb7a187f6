import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError, childPath, ValidationIssue, withConstructPath } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { GlobalNetworkPolicyProps, GlobalPolicyBase } from '../resources/global-network-policy';
import { parseSelector, SelectorNode } from '../language/selector-parser';
import { CalicoResourceProps } from '../resources/resource';
import { PolicyRule, PolicyType, Rule, RuleAction } from '../language/rule';
import { Selector } from '../language/selector';
import { isNamespaceName } from '../validation/common';
import { parseCidrOrIp } from '../net/address';
import { registeredClusters } from '../core/cluster-registry';
import { checkSystemNamespaces, dnsRules, workloadNamespaces } from './private/workload-scope';

/** The order Calico gives the policies it converts from Kubernetes NetworkPolicies. */
const KUBERNETES_NETWORK_POLICY_ORDER = 1000;

/** The order of a `DefaultDenyPolicy` unless another is given. */
const DEFAULT_DENY_ORDER = 2000;

/**
 * A namespace label that every namespace really carries, for selecting namespaces by name.
 *
 * There is deliberately no choice for a bare `name` label: Kubernetes never sets one, so a
 * selector on it matches no namespace on a stock cluster.
 */
export enum NamespaceLabel {
  /**
   * `projectcalico.org/name`: Calico adds it to every namespace it sees, on any Kubernetes
   * version. Calico's own default-deny example uses it.
   */
  CALICO_NAME = 'projectcalico.org/name',
  /**
   * `kubernetes.io/metadata.name`: the API server sets it on every namespace (Kubernetes 1.21
   * and later) and nobody can change it. NetworkPolicies of any CNI can use it.
   */
  KUBERNETES_NAME = 'kubernetes.io/metadata.name',
}

/**
 * Where the cluster DNS answers, for the DNS allowance of a `DefaultDenyPolicy`.
 *
 * @example
 * ClusterDns.kubeDns()                                   // CoreDNS / kube-dns pods in kube-system
 * ClusterDns.addresses(['169.254.20.10'])                // NodeLocal DNSCache on its link-local address
 * ClusterDns.selectedPods(Selector.eq('app', 'dns'), 'dns-system')
 */
export class ClusterDns {
  /**
   * The cluster DNS pods of a standard install: `k8s-app == "kube-dns"` (CoreDNS keeps that
   * label) in namespace `kube-system`.
   */
  public static kubeDns(): ClusterDns {
    return new ClusterDns(Selector.eq('k8s-app', 'kube-dns'), 'kube-system', undefined);
  }

  /**
   * DNS pods selected by their labels, in one namespace.
   * @param selector selector over the DNS pods' labels
   * @param namespaceName the namespace the DNS pods run in
   */
  public static selectedPods(selector: Selector, namespaceName: string): ClusterDns {
    checkArguments('ClusterDns.selectedPods', [selector, namespaceName]);
    if (!isNamespaceName(namespaceName)) {
      throw new CalicoValidationError(`ClusterDns.selectedPods(): namespace ${quoteJson(namespaceName)} is not a valid `
        + 'namespace name; use at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit');
    }
    return new ClusterDns(selector, namespaceName, undefined);
  }

  /**
   * DNS servers by address: NodeLocal DNSCache's link-local address (`169.254.20.10`), or
   * resolvers outside the cluster. Not the kube-dns Service IP: Calico evaluates policy after
   * kube-proxy has translated a Service IP to a pod address, so a rule on the Service IP never
   * matches; use `kubeDns()` for the pods behind it.
   * @param nets addresses or CIDRs of the DNS servers (at least one); a single address is
   * written as a /32 (or /128) CIDR, the form Calico rules take
   */
  public static addresses(nets: string[]): ClusterDns {
    checkArguments('ClusterDns.addresses', [nets]);
    if (nets.length === 0) {
      throw new CalicoValidationError('ClusterDns.addresses() needs at least one address or CIDR, such as \'169.254.20.10\'; '
        + 'use ClusterDns.none() to allow no DNS at all');
    }
    const cidrs = nets.map(net => {
      const parsed = parseCidrOrIp(net);
      if (!parsed) {
        throw new CalicoValidationError(`ClusterDns.addresses(): ${quoteJson(net)} is not an IP address or CIDR; `
          + 'write an address such as \'169.254.20.10\' or a CIDR such as \'10.0.0.0/24\'');
      }
      // Calico rules take CIDRs only: a single address becomes a /32 (or /128).
      return net.includes('/') ? net : parsed.text;
    });
    return new ClusterDns(undefined, undefined, cidrs);
  }

  /**
   * No DNS allowance: the policy does not open port 53 anywhere (add your own rule, or open DNS
   * per namespace).
   */
  public static none(): ClusterDns {
    return new ClusterDns(undefined, undefined, undefined);
  }

  /** Selector over the DNS pods, or `undefined` when the DNS is given by address or not allowed. */
  public readonly selector?: Selector;
  /** Namespace of the DNS pods, or `undefined` when the DNS is given by address or not allowed. */
  public readonly namespaceName?: string;
  private readonly networks?: string[];

  private constructor(selector: Selector | undefined, namespaceName: string | undefined, nets: string[] | undefined) {
    this.selector = selector;
    this.namespaceName = namespaceName;
    this.networks = nets;
  }

  /** CIDRs of the DNS servers (a copy), or `undefined` when the DNS is given by selector or not allowed. */
  public get nets(): string[] | undefined {
    return this.networks ? [...this.networks] : undefined;
  }

  /** Whether DNS is allowed at all (false for `ClusterDns.none()`). */
  public get allowsDns(): boolean {
    return this.selector !== undefined || this.networks !== undefined;
  }
}

/**
 * Properties of a `DefaultDenyPolicy`.
 */
export interface DefaultDenyPolicyProps extends CalicoResourceProps {
  /**
   * Where the policy sits among all policies. It must be above 1000, the order Calico gives
   * Kubernetes NetworkPolicies, so that every namespace's own policies are consulted before it.
   * @default 2000
   */
  readonly order?: number;
  /**
   * Namespaces the default deny leaves alone: their pods are not selected, and the selected pods
   * may send traffic to them and receive traffic from them. Must include `kube-system`. Add
   * `calico-system`, `calico-apiserver` and `tigera-operator` on operator installs.
   * @default - `kube-system` (where the manifest install runs Calico, CoreDNS and kube-proxy) and the
   * `systemNamespaces` of the CalicoClusters in the policy's chart (the API server's, cert-manager's)
   */
  readonly systemNamespaces?: string[];
  /**
   * The namespace label the policy selects namespaces by.
   * @default NamespaceLabel.CALICO_NAME - the label Calico's own default-deny example uses
   */
  readonly namespaceLabel?: NamespaceLabel;
  /**
   * The cluster DNS the selected pods may query on UDP and TCP port 53.
   * @default ClusterDns.kubeDns()
   */
  readonly dns?: ClusterDns;
  /**
   * Also deny traffic of host endpoints (not only pods). Hosts need far more than pods (the API
   * server, kubelet, BGP, ...), so opt in only together with allowances for them.
   * @default false - a deny on host endpoints can cut nodes off; Calico's docs advise against it
   */
  readonly includeHostEndpoints?: boolean;
  /**
   * Further traffic into every selected pod to allow, e.g. monitoring scraping. Each rule must
   * allow (`Rule.allow(...)`) or log (`Rule.log(...)`).
   * @default - none; add more with `addIngressRule`
   */
  readonly ingressAllowances?: PolicyRule[];
  /**
   * Further traffic out of every selected pod to allow, e.g. the Kubernetes API server. Each
   * rule must allow (`Rule.allow(...)`) or log (`Rule.log(...)`).
   * @default - none; add more with `addEgressRule`
   */
  readonly egressAllowances?: PolicyRule[];
  /**
   * Render the policy as a `StagedGlobalNetworkPolicy` (same name, tier and rules, `stagedAction`
   * left to Calico's default, Set): Calico reports in flow logs what the default deny would drop,
   * without dropping it. Flip it to false and apply again to enforce the policy; then delete the
   * staged object (`kubectl delete stagedglobalnetworkpolicies.projectcalico.org <name>`).
   * @default false
   */
  readonly staged?: boolean;
}

/**
 * A cluster-wide default deny for pods: a `GlobalNetworkPolicy` (or, with `staged`, a
 * `StagedGlobalNetworkPolicy` to watch first what it would deny) with types Ingress and Egress
 * that selects every pod outside the system namespaces and allows only
 *
 * - traffic to and from the system namespaces (default `kube-system`),
 * - DNS to the cluster DNS on UDP and TCP port 53 (DNS falls back to TCP for large answers),
 * - the allowances you add (`ingressAllowances`, `egressAllowances`, `addIngressRule`, ...).
 *
 * Everything else is dropped unless a policy evaluated before it allows it: Kubernetes
 * NetworkPolicies (order 1000) and Calico NetworkPolicies with a lower order. The policy is
 * ordered 2000 by default and refuses orders at or below 1000.
 *
 * Namespaces are matched by a label every namespace carries (`projectcalico.org/name` or
 * `kubernetes.io/metadata.name`) and the selector requires that label, so host endpoints (which
 * have no namespace) are not selected unless `includeHostEndpoints` is set.
 *
 * @example
 * new DefaultDenyPolicy(chart, 'default-deny', {
 *   systemNamespaces: ['kube-system', 'calico-system'],
 *   ingressAllowances: [Rule.allow({
 *     source: { namespaceSelector: Selector.eq('kubernetes.io/metadata.name', 'monitoring') },
 *     destination: { ports: [Port.named('metrics')] },
 *   })],
 * });
 */
export class DefaultDenyPolicy extends GlobalPolicyBase {
  /** Whether the policy is rendered as a StagedGlobalNetworkPolicy (reported, not enforced). */
  public readonly staged: boolean;
  /** The label namespaces are selected by. */
  public readonly namespaceLabel: NamespaceLabel;
  /** The cluster DNS the selected pods may query. */
  public readonly dns: ClusterDns;
  /** Whether host endpoints are selected as well as pods. */
  public readonly includeHostEndpoints: boolean;
  private readonly systemNamespaceList: string[];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the policy
   */
  constructor(scope: Construct, id: string, props: DefaultDenyPolicyProps = {}) {
    checkArguments('DefaultDenyPolicy', [scope, id, props], { leave: CHECKED_BY_THE_PLAN });
    const clusters = registeredClusters(Chart.of(scope));
    const plan = withConstructPath(childPath(scope, id), () => planDefaultDeny(props, clusters.flatMap(c => c.systemNamespaces)));
    super(scope, id, props.staged === true ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy', plan.policy);
    this.staged = props.staged === true;
    this.validateNow();
    this.namespaceLabel = plan.namespaceLabel;
    this.dns = plan.dns;
    this.includeHostEndpoints = plan.includeHostEndpoints;
    this.systemNamespaceList = plan.systemNamespaces;
    if (plan.issues.length) this.fail(plan.issues);
    // A cluster added after the policy (or in another chart of the app) is checked at synthesis.
    addCalicoValidation(this, () => this.clusterNamespaceProblems());
  }

  protected renderSpec(): any {
    return this._renderGlobalSpecJson();
  }

  /** The system namespaces the policy leaves alone (a copy). */
  public get systemNamespaces(): string[] {
    return [...this.systemNamespaceList];
  }

  /**
   * Appends an allowance for traffic into every selected pod. It must allow or log; it is
   * checked at once, and a bad rule throws and is not added.
   * @param rule the allowance, e.g. `Rule.allow({ source: { ... } })`
   */
  public addIngressRule(rule: PolicyRule): void {
    checkArguments('DefaultDenyPolicy.addIngressRule', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    const issues = allowanceIssues(rule, `spec.ingress[${this.ingressRules.length}]`);
    if (issues.length) this.fail(issues);
    super.addIngressRule(rule);
  }

  /**
   * Appends an allowance for traffic out of every selected pod. It must allow or log; it is
   * checked at once, and a bad rule throws and is not added.
   * @param rule the allowance, e.g. `Rule.allow({ destination: { ... } })`
   */
  public addEgressRule(rule: PolicyRule): void {
    checkArguments('DefaultDenyPolicy.addEgressRule', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    const issues = allowanceIssues(rule, `spec.egress[${this.egressRules.length}]`);
    if (issues.length) this.fail(issues);
    super.addEgressRule(rule);
  }

  /** The namespaces a CalicoCluster of the app needs that the policy would cut off. */
  private clusterNamespaceProblems(): string[] {
    const out: string[] = [];
    for (const cluster of registeredClusters(App.of(this) as App)) {
      const missing = cluster.systemNamespaces.filter(ns => !this.systemNamespaceList.includes(ns));
      if (missing.length === 0) continue;
      out.push(`DefaultDenyPolicy ${quote(this.name)}: spec.namespaceSelector: the CalicoCluster at ${cluster.node.path} runs pods in `
        + `${missing.map(ns => quote(ns)).join(', ')}, which the default deny would select and cut off (the Calico API and its certificates `
        + `would stop working); add ${missing.length === 1 ? 'it' : 'them'} to systemNamespaces`);
    }
    return out;
  }

  private fail(issues: ValidationIssue[]): never {
    const lines = issues.map(i => `DefaultDenyPolicy ${quote(this.name)}: ${i.path}: ${i.message}`);
    throw new CalicoValidationError(lines.join('\n'), this, issues);
  }
}

// ---------------------------------------------------------------------------------------------
// Planning: from the props to GlobalNetworkPolicy props, without throwing.
// ---------------------------------------------------------------------------------------------

interface DefaultDenyPlan {
  readonly policy: GlobalNetworkPolicyProps;
  readonly namespaceLabel: NamespaceLabel;
  readonly dns: ClusterDns;
  readonly includeHostEndpoints: boolean;
  readonly systemNamespaces: string[];
  readonly issues: ValidationIssue[];
}

const NAMESPACE_LABELS: readonly string[] = Object.values(NamespaceLabel);

/**
 * What the policy reports itself rather than the argument check: the values inside rules (as
 * every policy does, with their manifest path) and the namespace label (with why a bare `name`
 * label is refused). An allowance that is not a rule at all is the argument check's, which names
 * `ingressAllowances[i]` rather than the rule's place in the policy.
 */
const CHECKED_BY_THE_PLAN = [...POLICY_RULE_TYPES.filter(t => t !== 'PolicyRule'), 'NamespaceLabel'];

/**
 * Checks the props and builds the GlobalNetworkPolicy props. When something is wrong, the plan
 * carries the issues and a bare policy (name, labels and annotations only), so the caller can
 * attach the construct and then throw with its path.
 */
function planDefaultDeny(props: DefaultDenyPolicyProps, clusterNamespaces: readonly string[]): DefaultDenyPlan {
  const issues: ValidationIssue[] = [];
  const order = props.order ?? DEFAULT_DENY_ORDER;
  if (!Number.isFinite(order)) {
    issues.push({ path: 'spec.order', message: `order ${quoteJson(order)} is not a number; use a number above ${KUBERNETES_NETWORK_POLICY_ORDER}, such as ${DEFAULT_DENY_ORDER} (the default)` });
  } else if (order <= KUBERNETES_NETWORK_POLICY_ORDER) {
    issues.push({ path: 'spec.order', message: orderMessage(order) });
  }

  const namespaceLabel = props.namespaceLabel ?? NamespaceLabel.CALICO_NAME;
  if (!NAMESPACE_LABELS.includes(namespaceLabel)) {
    issues.push({
      path: 'spec.namespaceSelector',
      message: `namespaceLabel ${quoteJson(namespaceLabel)} is not a label every namespace carries; use `
        + 'NamespaceLabel.CALICO_NAME (projectcalico.org/name) or NamespaceLabel.KUBERNETES_NAME (kubernetes.io/metadata.name)',
    });
  }

  const systemNamespaces = checkSystemNamespaces(props.systemNamespaces, clusterNamespaces, issues,
    'the default deny would then select CoreDNS and the other kube-system pods and cut the cluster\'s DNS and controllers off');

  const dns = props.dns ?? ClusterDns.kubeDns();

  const ingressAllowances = checkAllowanceList(props.ingressAllowances, 'ingressAllowances', issues);
  const egressAllowances = checkAllowanceList(props.egressAllowances, 'egressAllowances', issues);

  const includeHostEndpoints = props.includeHostEndpoints ?? false;
  const base: GlobalNetworkPolicyProps = { name: props.name, labels: props.labels, annotations: props.annotations };
  if (issues.length) {
    return { policy: base, namespaceLabel, dns, includeHostEndpoints, systemNamespaces, issues };
  }

  const { system, selected: namespaceSelector } = workloadNamespaces(namespaceLabel, systemNamespaces, includeHostEndpoints);

  const ingress: PolicyRule[] = [
    Rule.allow({ source: { namespaceSelector: system } }),
    ...ingressAllowances,
  ];
  const egress: PolicyRule[] = [
    ...dnsRules(dns, namespaceLabel),
    Rule.allow({ destination: { namespaceSelector: system } }),
    ...egressAllowances,
  ];
  const policy: GlobalNetworkPolicyProps = {
    ...base,
    order,
    namespaceSelector,
    policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS],
    ingress,
    egress,
  };
  return { policy, namespaceLabel, dns, includeHostEndpoints, systemNamespaces, issues };
}

function orderMessage(order: number): string {
  const relation = order === KUBERNETES_NETWORK_POLICY_ORDER ? 'ties with' : 'comes before';
  return `order ${order} ${relation} the Kubernetes NetworkPolicies, which Calico renders at order `
    + `${KUBERNETES_NETWORK_POLICY_ORDER}; the default deny must be evaluated after them, so that each namespace's own `
    + 'policies are consulted first and the deny\'s allowances never take precedence over their rules; '
    + `use an order above ${KUBERNETES_NETWORK_POLICY_ORDER}, such as ${DEFAULT_DENY_ORDER} (the default)`;
}

function checkAllowanceList(rules: PolicyRule[] | undefined, field: string, issues: ValidationIssue[]): PolicyRule[] {
  if (rules === undefined) return [];
  rules.forEach((rule, i) => issues.push(...allowanceIssues(rule, `${field}[${i}]`)));
  return rules;
}

/** Problems that make a rule unfit as an allowance of the default deny. */
function allowanceIssues(rule: PolicyRule, path: string): ValidationIssue[] {
  if (typeof rule !== 'object' || rule === null) return []; // the rule model reports it
  const issues: ValidationIssue[] = [];
  if (rule.action === RuleAction.DENY) {
    issues.push({
      path: `${path}.action`,
      message: 'action Deny adds nothing to a default deny: traffic no rule allows is dropped anyway; '
        + 'remove the rule, or write it as Rule.allow(...) if you meant to let that traffic through',
    });
  } else if (rule.action === RuleAction.PASS) {
    issues.push({
      path: `${path}.action`,
      message: 'action Pass would hand the traffic on to the namespace profiles, which allow everything, and so open a hole '
        + 'in the default deny; write an allowance for exactly that traffic with Rule.allow(...)',
    });
  }
  for (const side of ['source', 'destination'] as const) {
    const selector: unknown = rule[side]?.namespaceSelector;
    if (selector instanceof Selector && usesLabel(selector, 'name')) {
      issues.push({
        path: `${path}.${side}.namespaceSelector`,
        message: `namespaceSelector ${quote(selector.toString())} uses the label 'name', which Kubernetes does not put on namespaces, so `
          + 'it matches no namespace on a stock cluster; select namespaces by NamespaceLabel.KUBERNETES_NAME '
          + '(kubernetes.io/metadata.name) or NamespaceLabel.CALICO_NAME (projectcalico.org/name), e.g. '
          + 'Selector.eq(\'kubernetes.io/metadata.name\', \'monitoring\')',
      });
    }
  }
  return issues;
}

/** Whether the selector tests label `key` anywhere. */
function usesLabel(selector: Selector, key: string): boolean {
  const parsed = parseSelector(selector.toString());
  return parsed.node !== undefined && nodeUsesLabel(parsed.node, key);
}

function nodeUsesLabel(node: SelectorNode, key: string): boolean {
  switch (node.kind) {
    case 'all':
    case 'global':
      return false;
    case 'not':
      return nodeUsesLabel(node.operand, key);
    case 'and':
    case 'or':
      return node.operands.some(o => nodeUsesLabel(o, key));
    default:
      return node.key === key;
  }
}
