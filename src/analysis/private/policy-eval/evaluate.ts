// Felix's policy evaluation for one direction at one workload endpoint (felix/rules/endpoints.go
// endpointIptablesChain and felix/calc, checked at v3.31.7 and v3.32.1):
// - the tiers run in order (policy-set.ts); a tier is consulted only when one of its policies
//   selects the endpoint and governs the direction (Felix renders a tier only for the endpoint's
//   matching policies, and skips a tier with none for the direction: `len(policyGroups) > 0`);
//   doNotTrack and preDNAT policies only apply to host endpoints;
// - within a tier the policies run in `order` (an unset order counts as infinite, i.e. last), ties
//   by the key Felix gives them (which differs between the lines, see felix.ts);
// - within a policy the rules run in order; the first matching Allow, Deny or Pass decides, a
//   matching Log rule logs and evaluation goes on;
// - Allow accepts (Felix returns at once: later tiers are not consulted); Deny drops; Pass skips the
//   rest of the tier and goes on to the next tier (the pass mark is cleared at each tier's start);
// - when a tier's policies decide nothing, the tier's default action applies: Deny drops ("End of
//   tier ... if no policies passed packet"), Pass goes on to the next tier;
// - after the last tier, the endpoint's profiles run: the Kubernetes namespace profile allows. So
//   traffic that every consulted tier passed on, or that no tier selected, is allowed.
//
// Rule matching follows Felix's rendering: a selector matches an end when the end is a workload
// whose labels it selects or when the end's address lies in a network set it selects; named ports
// match the end's container port of that name (on the rule's protocol, TCP by default); nets of the
// other IP family are ignored, and a rule whose nets (or notNets) are all of the other family
// does not apply at all.
import { isIpInCidr, ParsedCidr } from '../../../net/address';
import { SelectorNode } from '../../../language/selector-parser';
import { policyTitle } from './calico';
import { selectorText, selects } from './selectors';
import {
  Direction, FelixEntity, FelixPolicy, FelixRule, NetworkSetRecord, PortSpec, ResolvedEnd, TierPolicies, TierRecord, WorkloadRecord,
} from './types';

/** A flow with its ends resolved. */
export interface ResolvedFlow {
  readonly source: ResolvedEnd;
  readonly destination: ResolvedEnd;
  readonly protocol: number;
  readonly protocolName: string;
  readonly port?: number;
  readonly sourcePort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly family: 4 | 6;
}

/** How a direction was decided. */
export type Basis = 'Rule' | 'Pass' | 'TierDefaultAction' | 'EndOfTier' | 'NoPolicy' | 'NotAnEndpoint';

/** The outcome for one direction. */
export interface DirectionOutcome {
  readonly allowed: boolean;
  readonly basis: Basis;
  readonly reason: string;
  readonly endpoint: string;
  /** The tier of the deciding policy, of the dropping tier end, or of the last pass. */
  readonly tier?: string;
  readonly policy?: FelixPolicy;
  readonly rule?: FelixRule;
  readonly policies: string[];
  readonly trace: string[];
  readonly logged: string[];
  readonly warnings: string[];
}

/** The data rule matching needs besides the flow. */
export interface MatchContext {
  readonly networkSets: readonly NetworkSetRecord[];
  /** Workloads with a known address: an address end with that address is that workload. */
  readonly addressedWorkloads: ReadonlyArray<{ readonly labels: { readonly [k: string]: string }; readonly record: WorkloadRecord }>;
}

/** Sorts policies as Felix does: by order (unset last), then by key. */
export function sortPolicies(policies: FelixPolicy[]): FelixPolicy[] {
  return [...policies].sort((a, b) => {
    const oa = a.order ?? Infinity;
    const ob = b.order ?? Infinity;
    if (oa !== ob) return oa < ob ? -1 : 1;
    return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
  });
}

/** The title of a policy for messages, with its order. */
export function describePolicy(p: FelixPolicy): string {
  const tier = p.tier === 'default' ? '' : `tier ${p.tier}, `;
  return `${policyTitle(p.origin, p.name, p.namespace, p.staged !== undefined)} (${tier}order ${p.order ?? 'unset'})`;
}

/** Evaluates one direction: egress at the source, ingress at the destination. */
export function evaluateDirection(direction: Direction, flow: ResolvedFlow, tiers: readonly TierPolicies[], ctx: MatchContext): DirectionOutcome {
  const at = direction === 'egress' ? flow.source : flow.destination;
  const base = { endpoint: at.description, policies: [] as string[], trace: [] as string[], logged: [] as string[], warnings: [] as string[] };
  if (!at.workload) {
    return {
      ...base,
      allowed: true,
      basis: 'NotAnEndpoint',
      reason: `${at.description} is an address outside Calico's workloads; it has no ${direction} policy of its own`,
    };
  }
  let lastPass: { tier: TierRecord; policy: FelixPolicy; rule?: FelixRule; ruleName?: string } | undefined;
  for (const { tier, policies } of tiers) {
    const applied = policies.filter(p => !p.hostOnly && p[direction] !== undefined && selects(p.selector, at.labels));
    if (!applied.length) continue;
    base.policies.push(...applied.map(describePolicy));
    const decided = evaluateTier(direction, flow, applied, ctx, base);
    if (decided && decided.rule.action !== 'Pass') {
      const allowed = decided.rule.action === 'Allow';
      return {
        ...base,
        tier: tier.name,
        policy: decided.policy,
        rule: decided.rule,
        allowed,
        basis: 'Rule',
        reason: `${allowed ? 'allowed' : 'denied'} by ${decided.ruleName}`,
      };
    }
    if (decided) {
      base.trace.push(`tier ${tier.name}: ${decided.ruleName} passes the traffic to the next tier`);
      lastPass = { tier, ...decided };
      continue;
    }
    const last = applied[applied.length - 1];
    const selecting = `${applied.length === 1 ? 'the policy' : `the ${applied.length} policies`} selecting ${at.description} for ${direction} `
      + `(${applied.map(describePolicy).join(', ')})`;
    if (tier.defaultAction === 'Deny') {
      return {
        ...base,
        allowed: false,
        basis: 'EndOfTier',
        tier: tier.name,
        policy: last,
        reason: `denied: ${selecting} had no rule that allowed it, so the end of the tier drops it (tier ${tier.name}, default action Deny)`,
      };
    }
    base.trace.push(`tier ${tier.name}: no rule decided; the tier's default action Pass sends the traffic to the next tier`);
    lastPass = { tier, policy: last };
  }
  if (!lastPass) {
    return {
      ...base,
      allowed: true,
      basis: 'NoPolicy',
      reason: `no policy selects ${at.description} for ${direction}, so its namespace profile allows the traffic`,
    };
  }
  const later = 'no later tier selecting it decided, so the namespace profile allows it';
  return {
    ...base,
    allowed: true,
    basis: lastPass.rule ? 'Pass' : 'TierDefaultAction',
    tier: lastPass.tier.name,
    policy: lastPass.policy,
    rule: lastPass.rule,
    reason: lastPass.rule
      ? `${lastPass.ruleName} passes the traffic on past the remaining policies of tier ${lastPass.tier.name}; ${later}`
      : `no rule of the policies selecting ${at.description} for ${direction} in tier ${lastPass.tier.name} decided and the tier's `
        + `default action Pass sends the traffic on; ${later}`,
  };
}

/** The first rule of the tier's selecting policies that decides (Allow, Deny or Pass), or undefined. */
function evaluateTier(direction: Direction, flow: ResolvedFlow, applied: readonly FelixPolicy[], ctx: MatchContext,
  base: { trace: string[]; logged: string[]; warnings: string[] }): { policy: FelixPolicy; rule: FelixRule; ruleName: string } | undefined {
  for (const policy of applied) {
    const rules = policy[direction]!;
    if (!rules.length) base.trace.push(`${describePolicy(policy)}: no ${direction} rules`);
    for (const rule of rules) {
      const miss = ruleMismatch(rule, flow, ctx, base.warnings);
      const ruleName = `${describePolicy(policy)} ${direction} rule ${rule.index} (${rule.path}, ${rule.action})`;
      if (miss !== undefined) {
        base.trace.push(`${ruleName}: no match, ${miss}`);
        continue;
      }
      if (rule.http) {
        base.warnings.push(`${ruleName} has http criteria, which only application layer policy enforces; they were not evaluated`);
      }
      base.trace.push(`${ruleName}: matches`);
      if (rule.action === 'Log') {
        base.logged.push(ruleName);
        continue;
      }
      return { policy, rule, ruleName };
    }
  }
  return undefined;
}

/** Why the rule does not match the flow, or undefined when it matches. */
function ruleMismatch(rule: FelixRule, flow: ResolvedFlow, ctx: MatchContext, warnings: string[]): string | undefined {
  if (rule.ipVersion !== undefined && rule.ipVersion !== flow.family) {
    return `the rule is for IPv${rule.ipVersion} and the flow is IPv${flow.family}`;
  }
  for (const [side, entity] of [['source', rule.source], ['destination', rule.destination]] as const) {
    for (const field of ['nets', 'notNets'] as const) {
      const list = entity[field];
      if (list?.length && !list.some(c => c.version === flow.family)) {
        return `its ${side} ${field} are all IPv${flow.family === 4 ? 6 : 4}, so Felix leaves the rule out of IPv${flow.family} traffic`;
      }
    }
  }
  if (rule.protocol !== undefined && rule.protocol !== flow.protocol) {
    return `protocol ${flow.protocolName} is not the rule's ${protocolName(rule.protocol)}`;
  }
  if (rule.notProtocol !== undefined && rule.notProtocol === flow.protocol) {
    return `protocol ${flow.protocolName} is the rule's notProtocol`;
  }
  if (rule.icmp) {
    if (flow.icmpType === undefined) return 'the rule matches an ICMP type and the flow gives none (set icmpType)';
    if (rule.icmp.type !== undefined && rule.icmp.type !== flow.icmpType) return `ICMP type ${flow.icmpType} is not the rule's ${rule.icmp.type}`;
    if (rule.icmp.code !== undefined && rule.icmp.code !== flow.icmpCode) return `ICMP code ${flow.icmpCode ?? 'unset'} is not the rule's ${rule.icmp.code}`;
  }
  if (rule.notIcmp && flow.icmpType !== undefined && (rule.notIcmp.type === undefined || rule.notIcmp.type === flow.icmpType)
    && (rule.notIcmp.code === undefined || rule.notIcmp.code === flow.icmpCode)) {
    return `ICMP type ${flow.icmpType}${flow.icmpCode !== undefined ? ` code ${flow.icmpCode}` : ''} is excluded by notICMP`;
  }
  const source = entityMismatch('source', rule.source, flow.source, flow.sourcePort, rule, flow, ctx, warnings);
  if (source !== undefined) return source;
  return entityMismatch('destination', rule.destination, flow.destination, flow.port, rule, flow, ctx, warnings);
}

function entityMismatch(side: 'source' | 'destination', entity: FelixEntity, end: ResolvedEnd, port: number | undefined,
  rule: FelixRule, flow: ResolvedFlow, ctx: MatchContext, warnings: string[]): string | undefined {
  if (entity.service !== undefined) {
    warnings.push(`rule ${rule.path} matches the endpoints of Kubernetes Service ${entity.service}, which this model does not track; it was treated as not matching`);
    return `its ${side} is a Kubernetes Service, which this model does not track`;
  }
  if (entity.nets?.length && !inNets(end, entity.nets, flow.family)) {
    return `${side} ${end.description} is not in nets ${cidrList(entity.nets, flow.family)}`;
  }
  if (entity.notNets?.length && inNets(end, entity.notNets, flow.family)) {
    return `${side} ${end.description} is in notNets ${cidrList(entity.notNets, flow.family)}`;
  }
  if (entity.positive && !selectorMatches(entity.positive, end, ctx)) {
    return `${side} ${end.description} is not selected by ${selectorText(entity.positive)}`;
  }
  if (entity.negative && selectorMatches(entity.negative, end, ctx)) {
    return `${side} ${end.description} is selected by notSelector ${selectorText(entity.negative)}`;
  }
  const portName = side === 'source' ? 'source port' : 'port';
  if (entity.ports?.length) {
    if (port === undefined) return `the rule matches ${side} ports and the flow gives no ${portName}`;
    if (!entity.ports.some(p => portMatches(p, port, end, rule, flow))) {
      return `${portName} ${port} is not in ${portList(entity.ports)}${namedNote(entity.ports, end)}`;
    }
  }
  if (entity.notPorts?.length && port !== undefined && entity.notPorts.some(p => portMatches(p, port, end, rule, flow))) {
    return `${portName} ${port} is excluded by notPorts ${portList(entity.notPorts)}`;
  }
  return undefined;
}

/** Whether the end is in the selector's IP set: a selected workload, or an address in a selected set. */
function selectorMatches(selector: SelectorNode, end: ResolvedEnd, ctx: MatchContext): boolean {
  if (end.workload && selects(selector, end.labels)) return true;
  const ip = end.ip;
  if (!ip) return false;
  if (ctx.networkSets.some(s => selects(selector, s.labels) && s.nets.some(c => isIpInCidr(ip, c)))) return true;
  return !end.workload && ctx.addressedWorkloads.some(w => w.record.ip!.version === ip.version
    && w.record.ip!.value === ip.value && selects(selector, w.labels));
}

/**
 * Whether the end's address is in one of the CIDRs of the flow's family. An end without an
 * address is only in a CIDR that holds every address of the family (`0.0.0.0/0`, `::/0`).
 */
function inNets(end: ResolvedEnd, cidrs: ParsedCidr[], family: 4 | 6): boolean {
  const ofFamily = cidrs.filter(c => c.version === family);
  if (!end.ip) return ofFamily.some(c => c.prefix === 0);
  return ofFamily.some(c => isIpInCidr(end.ip!, c));
}

function portMatches(spec: PortSpec, port: number, end: ResolvedEnd, rule: FelixRule, flow: ResolvedFlow): boolean {
  if (spec.name === undefined) return spec.min! <= port && port <= spec.max!;
  return flow.protocol === rule.namedPortProtocol
    && end.ports.some(p => p.name === spec.name && p.protocol === rule.namedPortProtocol && p.port === port);
}

function namedNote(ports: PortSpec[], end: ResolvedEnd): string {
  const named = ports.filter(p => p.name !== undefined);
  if (!named.length) return '';
  const known = end.ports.filter(p => named.some(n => n.name === p.name));
  if (!known.length) return ` (${end.description} declares no port named ${named.map(p => p.name).join(' or ')})`;
  return ` (${known.map(p => `${p.name} is ${protocolName(p.protocol)} ${p.port}`).join(', ')} on ${end.description})`;
}

function portList(ports: PortSpec[]): string {
  return `[${ports.map(p => p.text).join(', ')}]`;
}

function cidrList(cidrs: ParsedCidr[], family: 4 | 6): string {
  return `[${cidrs.filter(c => c.version === family).map(c => c.text).join(', ')}]`;
}

/** Calico's name of a protocol number. */
export function protocolName(protocol: number): string {
  switch (protocol) {
    case 1: return 'ICMP';
    case 6: return 'TCP';
    case 17: return 'UDP';
    case 58: return 'ICMPv6';
    case 132: return 'SCTP';
    case 136: return 'UDPLite';
    default: return String(protocol);
  }
}
