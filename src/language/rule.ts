import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';
import { Port } from './port';
import { Protocol } from './protocol';
import { Selector } from './selector';

/**
 * What a policy rule does with the packets it matches.
 */
export enum RuleAction {
  /** Accept the packet; no later rule or policy is consulted. */
  ALLOW = 'Allow',
  /** Drop the packet; no later rule or policy is consulted. */
  DENY = 'Deny',
  /** Log the packet and go on with the next rule. */
  LOG = 'Log',
  /** Skip the rest of this policy and its tier, and go on with the next tier (or the profiles). */
  PASS = 'Pass',
}

/**
 * The IP version a rule is restricted to.
 */
export enum IpVersion {
  /** IPv4 only. */
  IPV4 = 4,
  /** IPv6 only. */
  IPV6 = 6,
}

/**
 * An ICMP type and code to match (`icmp` / `notICMP` of a Calico rule).
 */
export interface IcmpMatch {
  /**
   * The ICMP type, 0 to 254 (8 is echo request, i.e. ping).
   * @default - any type
   */
  readonly icmpType?: number;
  /**
   * The ICMP code, 0 to 255. Calico requires `icmpType` with it.
   * @default - any code
   */
  readonly code?: number;
}

/**
 * Service accounts to match, by name and/or by label selector (both must match when both are set).
 */
export interface ServiceAccountMatch {
  /**
   * Names of the service accounts.
   * @default - any name
   */
  readonly names?: string[];
  /**
   * A selector over the service accounts' labels.
   * @default - any labels
   */
  readonly selector?: Selector;
}

/**
 * A Kubernetes Service to match: its endpoints, and only on their ports.
 */
export interface ServiceMatch {
  /** Name of the Service. */
  readonly name: string;
  /**
   * Namespace of the Service. A GlobalNetworkPolicy must set it.
   * @default - the policy's own namespace (NetworkPolicy only)
   */
  readonly namespaceName?: string;
}

/**
 * The source or destination half of a rule. Every field set must match.
 */
export interface EntityRule {
  /**
   * Endpoints whose labels match this selector.
   * @default - any endpoint
   */
  readonly selector?: Selector;
  /**
   * Excludes endpoints whose labels match this selector (unlike a negated `selector`, it also
   * matches traffic from non-Calico sources).
   * @default - nothing excluded
   */
  readonly notSelector?: Selector;
  /**
   * Endpoints in namespaces whose labels match this selector; `global()` limits the match to
   * non-namespaced resources (GlobalNetworkSets and HostEndpoints).
   * @default - for a NetworkPolicy, the policy's own namespace; for a GlobalNetworkPolicy, every namespace
   */
  readonly namespaceSelector?: Selector;
  /**
   * Addresses in any of these CIDRs (or single IPs).
   * @default - any address
   */
  readonly nets?: string[];
  /**
   * Excludes addresses in any of these CIDRs (or single IPs).
   * @default - nothing excluded
   */
  readonly notNets?: string[];
  /**
   * Ports (at most 50); the rule's protocol must be TCP, UDP or SCTP. `Port.tcp(443)` and the
   * other protocol shorthands set that protocol for you.
   * @default - any port
   */
  readonly ports?: Port[];
  /**
   * Excludes these ports (at most 50); the same protocol rules as `ports` apply.
   * @default - nothing excluded
   */
  readonly notPorts?: Port[];
  /**
   * Pods running as matching service accounts.
   * @default - any service account
   */
  readonly serviceAccounts?: ServiceAccountMatch;
  /**
   * A Kubernetes Service. Cannot be combined with selectors, nets or service accounts, and only
   * in the destination of egress rules or the source of ingress rules.
   * @default - no Service match
   */
  readonly services?: ServiceMatch;
}

/**
 * One HTTP path to match: set exactly one of `exact` or `prefix`.
 */
export interface HttpPath {
  /**
   * The path must equal this (it starts with '/' and has no '?', '#' or space).
   * @default - no exact match
   */
  readonly exact?: string;
  /**
   * The path must start with this (it starts with '/' and has no '?', '#' or space).
   * @default - no prefix match
   */
  readonly prefix?: string;
}

/**
 * HTTP request matching (application layer policy; needs Calico's ALP set up). Only on Allow
 * rules of ingress policy.
 */
export interface HttpMatch {
  /**
   * HTTP methods, any of which may match (`GET`, `PUT`, ...), no duplicates.
   * @default - any method
   */
  readonly methods?: string[];
  /**
   * Paths, any of which may match.
   * @default - any path
   */
  readonly paths?: HttpPath[];
}

/**
 * Extra information kept with a rule.
 */
export interface RuleMetadata {
  /**
   * Annotations of the rule (same key rules as object annotations).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * The match criteria of a policy rule: everything a rule has except its action. Every field
 * set must match for the rule to apply.
 */
export interface RuleOptions {
  /**
   * The IP protocol to match.
   * @default - inferred from the ports when they carry a protocol (`Port.tcp(80)` -> TCP);
   * otherwise any protocol
   */
  readonly protocol?: Protocol;
  /**
   * An IP protocol the packet must not have.
   * @default - no protocol excluded
   */
  readonly notProtocol?: Protocol;
  /**
   * ICMP type and code to match; needs `protocol` ICMP or ICMPv6.
   * @default - any ICMP type and code
   */
  readonly icmp?: IcmpMatch;
  /**
   * ICMP type and code the packet must not have.
   * @default - nothing excluded
   */
  readonly notIcmp?: IcmpMatch;
  /**
   * Restricts the rule to IPv4 or IPv6.
   * @default - both
   */
  readonly ipVersion?: IpVersion;
  /**
   * Criteria on the packet's source.
   * @default - any source
   */
  readonly source?: EntityRule;
  /**
   * Criteria on the packet's destination.
   * @default - any destination
   */
  readonly destination?: EntityRule;
  /**
   * HTTP request criteria (application layer policy).
   * @default - no HTTP criteria
   */
  readonly http?: HttpMatch;
  /**
   * Extra information kept with the rule.
   * @default - none
   */
  readonly metadata?: RuleMetadata;
}

/**
 * One rule of a GlobalNetworkPolicy or NetworkPolicy: an action and the packets it applies to.
 *
 * @example
 * { action: RuleAction.ALLOW, source: { selector: Selector.parse("app == 'web'") }, destination: { ports: [Port.tcp(8080)] } }
 */
export interface PolicyRule extends RuleOptions {
  /** What the rule does with matching packets. */
  readonly action: RuleAction;
}

/**
 * Shorthands that build a `PolicyRule` from an action and its match criteria.
 *
 * @example
 * Rule.allow({ destination: { ports: [Port.tcp(443)] } })
 * Rule.deny()
 */
export class Rule {
  /**
   * A rule that allows matching packets.
   * @param options the match criteria
   */
  public static allow(options: RuleOptions = {}): PolicyRule {
    checkArguments('Rule.allow', [options], { leave: POLICY_RULE_TYPES });
    return { ...options, action: RuleAction.ALLOW };
  }

  /**
   * A rule that denies matching packets.
   * @param options the match criteria
   */
  public static deny(options: RuleOptions = {}): PolicyRule {
    checkArguments('Rule.deny', [options], { leave: POLICY_RULE_TYPES });
    return { ...options, action: RuleAction.DENY };
  }

  /**
   * A rule that logs matching packets and goes on with the next rule.
   * @param options the match criteria
   */
  public static log(options: RuleOptions = {}): PolicyRule {
    checkArguments('Rule.log', [options], { leave: POLICY_RULE_TYPES });
    return { ...options, action: RuleAction.LOG };
  }

  /**
   * A rule with action `Pass`: matching packets skip the rest of the policies of their tier and
   * go on to the next tier, or to the profiles. (Named `passOn` because `pass` is reserved in Python.)
   * @param options the match criteria
   */
  public static passOn(options: RuleOptions = {}): PolicyRule {
    checkArguments('Rule.passOn', [options], { leave: POLICY_RULE_TYPES });
    return { ...options, action: RuleAction.PASS };
  }

  private constructor() {}
}

/**
 * The direction(s) a policy applies to (`spec.types`).
 */
export enum PolicyType {
  /** The policy governs traffic into the selected endpoints. */
  INGRESS = 'Ingress',
  /** The policy governs traffic out of the selected endpoints. */
  EGRESS = 'Egress',
}

/**
 * Hints to Calico's policy engine; they never change what the policy enforces.
 */
export enum PerformanceHint {
  /**
   * Felix programs the policy on every node whether or not a local endpoint matches it, which
   * suits large static policies that are used everywhere anyway.
   */
  ASSUME_NEEDED_ON_EVERY_NODE = 'AssumeNeededOnEveryNode',
}
