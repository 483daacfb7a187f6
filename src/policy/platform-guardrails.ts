import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterDns, NamespaceLabel } from './default-deny-policy';
import { registeredClusters } from '../core/cluster-registry';
import { checkSystemNamespaces, dnsRules, workloadNamespaces } from './private/workload-scope';
import { checkArguments } from '../core/argument-check';
import { calicoVersionOf } from '../core/calico-version';
import { CalicoValidationError, childPath, ValidationIssue, withConstructPath } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { PolicyRule, PolicyType, Rule } from '../language/rule';
import { parseCidrOrIp } from '../net/address';
import { GlobalNetworkPolicy, GlobalNetworkPolicyProps, GlobalPolicyBase } from '../resources/global-network-policy';
import { StagedGlobalNetworkPolicy } from '../resources/staged-global-network-policy';
import { Tier, TierDefaultAction } from '../resources/tier';
import { DEFAULT_TIER_ORDER } from '../validation/tier';

/** The tier of the guardrails unless another is named. */
const DEFAULT_GUARDRAIL_TIER = 'platform';
/** The order of the guardrails' tier unless another is given: after the admin tier (1000), well before default. */
const DEFAULT_GUARDRAIL_ORDER = 10_000;
/** The name of the guardrail policy inside its tier. */
const POLICY_NAME = 'guardrails';
/** The order of the guardrail policy among the policies of its tier. */
const POLICY_ORDER = 100;

/**
 * Properties of `PlatformGuardrails`.
 */
export interface PlatformGuardrailsProps {
  /**
   * The name of the tier the guardrails live in (a DNS label); the policy is named
   * `<tierName>.guardrails`.
   * @default 'platform'
   */
  readonly tierName?: string;
  /**
   * The order of the tier: below 1,000,000 (the `default` tier, where namespace policies live),
   * and not 1,000 (Calico's admin tier, which would then be ordered against it by name).
   * @default 10000 - after the admin tier (1,000), so Kubernetes AdminNetworkPolicies still come
   * first, and before every policy of the default tier
   */
  readonly order?: number;
  /**
   * Addresses or CIDRs no selected pod may send to, whatever a namespace's policies allow, such
   * as the cloud metadata service (`PlatformGuardrails.cloudMetadataNets()`).
   * @default - none
   */
  readonly denyEgressTo?: string[];
  /**
   * Addresses or CIDRs no selected pod may receive traffic from, whatever a namespace's
   * policies allow.
   * @default - none
   */
  readonly denyIngressFrom?: string[];
  /**
   * The cluster DNS every selected pod may always query on UDP and TCP port 53, whatever a
   * namespace's policies say (it is allowed before the denies).
   * @default ClusterDns.kubeDns()
   */
  readonly dns?: ClusterDns;
  /**
   * Namespaces the guardrails leave alone (their pods are not selected). Must include
   * `kube-system`: cloud agents there often need the metadata service.
   * @default - `kube-system` and the `systemNamespaces` of the CalicoClusters in the chart
   */
  readonly systemNamespaces?: string[];
  /**
   * The namespace label the guardrails select namespaces by.
   * @default NamespaceLabel.CALICO_NAME
   */
  readonly namespaceLabel?: NamespaceLabel;
  /**
   * Render the guardrail policy as a `StagedGlobalNetworkPolicy`: Calico reports what it would
   * do without enforcing it. The tier is rendered either way.
   * @default false
   */
  readonly staged?: boolean;
}

/**
 * Guardrails of the platform team: a `Tier` evaluated before the `default` tier (where namespace
 * policies and `DefaultDenyPolicy` live), holding one policy that selects every pod outside the
 * system namespaces and
 *
 * 1. allows DNS to the cluster DNS (so no namespace policy can cut it off),
 * 2. denies egress to `denyEgressTo` and ingress from `denyIngressFrom`,
 * 3. passes everything else on to the next tier with an explicit Pass rule (and the tier's
 *    default action is Pass too), so namespace policies decide the rest.
 *
 * A Deny in a namespace policy after an Allow that matches the same traffic never sees it; a
 * guardrail in this tier holds whatever the namespace policies allow.
 *
 * The policy is named `<tierName>.guardrails`: the name Calico v3.31 requires for a policy of a
 * tier, which v3.32 accepts too, so the object keeps its name across an upgrade.
 *
 * @example
 * new PlatformGuardrails(chart, 'guardrails', {
 *   denyEgressTo: PlatformGuardrails.cloudMetadataNets(),
 * });
 */
export class PlatformGuardrails extends Construct {
  /**
   * The cloud metadata service: `169.254.169.254/32` (AWS, GCP, Azure, OpenStack), and with
   * `includeIpv6` also AWS's IPv6 endpoint `fd00:ec2::254/128`.
   * @param includeIpv6 also the IPv6 address
   */
  public static cloudMetadataNets(includeIpv6?: boolean): string[] {
    checkArguments('PlatformGuardrails.cloudMetadataNets', [includeIpv6]);
    return includeIpv6 ? ['169.254.169.254/32', 'fd00:ec2::254/128'] : ['169.254.169.254/32'];
  }

  /** The tier. */
  public readonly tier: Tier;
  /** The guardrail policy: a `GlobalNetworkPolicy`, or a `StagedGlobalNetworkPolicy` when staged. */
  public readonly policy: GlobalPolicyBase;
  /** Whether the policy is staged. */
  public readonly staged: boolean;
  /** The DNS the selected pods may always query. */
  public readonly dns: ClusterDns;
  /** The label namespaces are selected by. */
  public readonly namespaceLabel: NamespaceLabel;
  private readonly systemNamespaceList: string[];
  private readonly egressDenied: string[];
  private readonly ingressDenied: string[];

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the guardrails
   */
  constructor(scope: Construct, id: string, props: PlatformGuardrailsProps = {}) {
    checkArguments('PlatformGuardrails', [scope, id, props]);
    const path = childPath(scope, id);
    const clusters = registeredClusters(Chart.of(scope));
    const plan = withConstructPath(path, () => planGuardrails(props, clusters.flatMap(c => c.systemNamespaces), builtinTiers(scope)));
    if (plan.issues.length) {
      throw new CalicoValidationError(plan.issues.map(i => `PlatformGuardrails: ${i.path}: ${i.message}`).join('\n'), path, plan.issues);
    }
    super(scope, id);
    this.staged = props.staged ?? false;
    this.dns = plan.dns;
    this.namespaceLabel = plan.namespaceLabel;
    this.systemNamespaceList = plan.systemNamespaces;
    this.egressDenied = plan.egressDenied;
    this.ingressDenied = plan.ingressDenied;
    this.tier = new Tier(this, 'Tier', { name: plan.tierName, order: plan.order, defaultAction: TierDefaultAction.PASS });
    const policyProps: GlobalNetworkPolicyProps = { ...plan.policy, tier: this.tier };
    this.policy = this.staged ? new StagedGlobalNetworkPolicy(this, 'Policy', policyProps) : new GlobalNetworkPolicy(this, 'Policy', policyProps);
  }

  /** The system namespaces the guardrails leave alone (a copy). */
  public get systemNamespaces(): string[] {
    return [...this.systemNamespaceList];
  }

  /** The CIDRs no selected pod may send to (a copy). */
  public get denyEgressTo(): string[] {
    return [...this.egressDenied];
  }

  /** The CIDRs no selected pod may receive from (a copy). */
  public get denyIngressFrom(): string[] {
    return [...this.ingressDenied];
  }
}

/** The tiers Calico creates on the line of `scope`, for the order and name checks. */
function builtinTiers(scope: Construct): ReadonlyArray<{ name: string; order: number }> {
  return calicoVersionOf(scope)._builtinTiers;
}

interface GuardrailPlan {
  readonly tierName: string;
  readonly order: number;
  readonly dns: ClusterDns;
  readonly namespaceLabel: NamespaceLabel;
  readonly systemNamespaces: string[];
  readonly egressDenied: string[];
  readonly ingressDenied: string[];
  readonly policy: GlobalNetworkPolicyProps;
  readonly issues: ValidationIssue[];
}

function planGuardrails(props: PlatformGuardrailsProps, clusterNamespaces: readonly string[],
  builtins: ReadonlyArray<{ name: string; order: number }>): GuardrailPlan {
  const issues: ValidationIssue[] = [];
  const tierName = props.tierName ?? DEFAULT_GUARDRAIL_TIER;
  if (builtins.some(t => t.name === tierName)) {
    issues.push({ path: 'tierName', message: `tier ${quote(tierName)} is one Calico creates itself; name a tier of your own, such as '${DEFAULT_GUARDRAIL_TIER}' (the default)` });
  }
  const order = props.order ?? DEFAULT_GUARDRAIL_ORDER;
  const tie = builtins.find(t => t.order === order && t.order < DEFAULT_TIER_ORDER);
  if (!Number.isFinite(order) || order >= DEFAULT_TIER_ORDER) {
    issues.push({
      path: 'order',
      message: `order ${quoteJson(order)} does not come before the default tier (${DEFAULT_TIER_ORDER}), where namespace policies are `
        + `evaluated; guardrails must come first, so use an order below ${DEFAULT_TIER_ORDER}, such as ${DEFAULT_GUARDRAIL_ORDER} (the default)`,
    });
  } else if (tie) {
    issues.push({
      path: 'order',
      message: `order ${order} ties with Calico's tier ${quote(tie.name)}, so the two would be ordered by name; use another order, `
        + `such as ${DEFAULT_GUARDRAIL_ORDER} (the default, after it) or ${tie.order - 1} (before it)`,
    });
  }
  const namespaceLabel = props.namespaceLabel ?? NamespaceLabel.CALICO_NAME;
  if (!Object.values(NamespaceLabel).includes(namespaceLabel)) {
    issues.push({ path: 'namespaceLabel', message: `namespaceLabel ${quoteJson(namespaceLabel)} is not a label every namespace carries; use NamespaceLabel.CALICO_NAME or NamespaceLabel.KUBERNETES_NAME` });
  }
  const systemNamespaces = checkSystemNamespaces(props.systemNamespaces, clusterNamespaces, issues,
    'the guardrails would then apply to CoreDNS, kube-proxy and the cloud agents in kube-system, which often need the metadata service');
  const egressDenied = readNets(props.denyEgressTo, 'denyEgressTo', issues);
  const ingressDenied = readNets(props.denyIngressFrom, 'denyIngressFrom', issues);
  const dns = props.dns ?? ClusterDns.kubeDns();
  const base = { tierName, order, dns, namespaceLabel, systemNamespaces, egressDenied, ingressDenied, issues };
  if (issues.length) return { ...base, policy: {} };

  const { selected } = workloadNamespaces(namespaceLabel, systemNamespaces, false);
  const egress: PolicyRule[] = [
    ...dnsRules(dns, namespaceLabel),
    ...byVersion(egressDenied).map(nets => Rule.deny({ destination: { nets } })),
    Rule.passOn(),
  ];
  const ingress: PolicyRule[] = [
    ...byVersion(ingressDenied).map(nets => Rule.deny({ source: { nets } })),
    Rule.passOn(),
  ];
  const policy: GlobalNetworkPolicyProps = {
    name: `${tierName}.${POLICY_NAME}`,
    order: POLICY_ORDER,
    namespaceSelector: selected,
    policyTypes: [PolicyType.INGRESS, PolicyType.EGRESS],
    ingress,
    egress,
  };
  return { ...base, policy };
}

/** The nets as CIDRs (a single address as /32 or /128), reporting what is not an address. */
function readNets(given: string[] | undefined, field: string, issues: ValidationIssue[]): string[] {
  const out: string[] = [];
  (given ?? []).forEach((net, i) => {
    const parsed = parseCidrOrIp(net);
    if (!parsed) {
      issues.push({ path: `${field}[${i}]`, message: `${quoteJson(net)} is not an IP address or CIDR; write an address such as '169.254.169.254' or a CIDR such as '10.0.0.0/8'` });
    } else {
      out.push(net.includes('/') ? net : parsed.text);
    }
  });
  return out;
}

/** The nets split by IP version (a Calico rule matches one), IPv4 first; empty groups left out. */
function byVersion(nets: string[]): string[][] {
  return [4, 6].map(v => nets.filter(n => parseCidrOrIp(n)?.version === v)).filter(group => group.length > 0);
}
