// Rendering and model checks shared by GlobalNetworkPolicy and NetworkPolicy (not exported from the package).
import {
  GlobalNetworkPolicySpecIngress,
  GlobalNetworkPolicySpecIngressIcmp,
  GlobalNetworkPolicySpecIngressNotProtocol,
  GlobalNetworkPolicySpecIngressProtocol,
  GlobalNetworkPolicySpecIngressSource,
  GlobalNetworkPolicySpecIngressSourcePorts,
} from '../../../imports/crd.projectcalico.org';
import { throwIssues, ValidationIssue } from '../../core/errors';
import { quote, quoteJson } from '../../core/quote';
import { Port } from '../../language/port';
import { Protocol } from '../../language/protocol';
import { EntityRule, IcmpMatch, PolicyRule, PolicyType } from '../../language/rule';
import type { CalicoResource } from '../resource';
import { Selector } from '../../language/selector';
import { derivePolicyTypes } from '../../validation/policy';
import { asGenerated } from './resource-util';

/** What `resolveRule` returns: the rule as the policy keeps it, and any model problems found. */
export interface ResolvedRule {
  /** A deep copy of the rule, with the protocol its ports imply filled in. */
  readonly rule: PolicyRule;
  /** Problems in the rule's use of the typed model; empty when the rule can be rendered. */
  readonly issues: ValidationIssue[];
}

const ENTITY_SIDES: Array<'source' | 'destination'> = ['source', 'destination'];
const PORT_FIELDS: Array<'ports' | 'notPorts'> = ['ports', 'notPorts'];
const SELECTOR_FIELDS: Array<'selector' | 'notSelector' | 'namespaceSelector'> = ['selector', 'notSelector', 'namespaceSelector'];

/**
 * Takes a snapshot of a rule as it arrives (later changes to the caller's arrays do not leak
 * in), checks the parts Calico's own validator cannot see (the protocol a `Port.tcp()` carries,
 * values that are not the library's types), and fills in the protocol the ports imply.
 *
 * @param rule the rule as given
 * @param path where the rule will sit in the manifest, e.g. `spec.ingress[2]`
 */
export function resolveRule(rule: PolicyRule, path: string): ResolvedRule {
  const issues: ValidationIssue[] = [];
  if (typeof rule !== 'object' || rule === null) {
    issues.push({ path, message: `a rule must be an object with an action, got ${quoteJson(rule)}; use Rule.allow(), Rule.deny() or { action: RuleAction.ALLOW, ... }` });
    return { rule, issues };
  }
  const copy = copyRule(rule);
  checkTypes(copy, path, issues);
  if (issues.length) return { rule: copy, issues };
  const protocol = impliedProtocol(copy, path, issues);
  return { rule: protocol ? { ...copy, protocol } : copy, issues };
}

/** The protocol the rule ends up with, reporting ports whose protocols disagree. */
function impliedProtocol(rule: PolicyRule, path: string, issues: ValidationIssue[]): Protocol | undefined {
  const carried: Array<{ port: Port; protocol: Protocol; path: string }> = [];
  for (const side of ENTITY_SIDES) {
    for (const field of PORT_FIELDS) {
      (rule[side]?.[field] ?? []).forEach((port, i) => {
        if (port instanceof Port && port.protocol) carried.push({ port, protocol: port.protocol, path: `${path}.${side}.${field}[${i}]` });
      });
    }
  }
  if (!carried.length) return rule.protocol;
  if (rule.protocol) {
    for (const c of carried) {
      if (!c.protocol.sameProtocolAs(rule.protocol)) {
        const fix = rule.protocol.supportsPorts
          ? `drop the rule's protocol so the port's applies, or write the port as ${describePort(c.port, false)}`
          : `protocol ${rule.protocol} has no ports, so remove the ports or the rule's protocol`;
        issues.push({
          path: c.path,
          message: `${describePort(c.port)} carries protocol ${c.protocol} but the rule's protocol is ${rule.protocol}; ${fix}`,
        });
      }
    }
    return rule.protocol;
  }
  const first = carried[0];
  for (const c of carried.slice(1)) {
    if (!c.protocol.sameProtocolAs(first.protocol)) {
      issues.push({
        path: c.path,
        message: `${describePort(c.port)} carries protocol ${c.protocol} but ${first.path.slice(path.length + 1)} `
          + `(${describePort(first.port)}) carries ${first.protocol}; a Calico rule matches one protocol, `
          + 'so write one rule per protocol',
      });
    }
  }
  return first.protocol;
}

/** Reports values that are not the library's types (plain strings or numbers from untyped callers). */
function checkTypes(rule: PolicyRule, path: string, issues: ValidationIssue[]): void {
  for (const field of ['protocol', 'notProtocol'] as const) {
    const value: unknown = rule[field];
    if (value !== undefined && !(value instanceof Protocol)) {
      issues.push({
        path: `${path}.${field}`,
        message: `${field} ${quoteJson(value)} is not a Protocol; use Protocol.TCP, Protocol.named(...) or Protocol.of(number)`,
      });
    }
  }
  for (const side of ENTITY_SIDES) {
    const entity = rule[side];
    if (!entity) continue;
    for (const field of PORT_FIELDS) {
      (entity[field] ?? []).forEach((port: unknown, i) => {
        if (!(port instanceof Port)) {
          const example = typeof port === 'number' ? `Port.number(${port}) or Port.tcp(${port})` : 'Port.number(80), Port.between(8080, 8085) or Port.named(\'http\')';
          issues.push({ path: `${path}.${side}.${field}[${i}]`, message: `${quoteJson(port)} is not a Port; use ${example}` });
        }
      });
    }
    for (const field of SELECTOR_FIELDS) checkSelector(entity[field], `${path}.${side}.${field}`, issues);
    checkSelector(entity.serviceAccounts?.selector, `${path}.${side}.serviceAccounts.selector`, issues);
  }
}

/** Reports a selector given as something other than a `Selector` (typically its text). */
export function checkSelector(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (value !== undefined && !(value instanceof Selector)) {
    const call = typeof value === 'string' ? `Selector.parse(${quoteJson(value)})` : 'Selector.parse(text) or Selector.eq(key, value)';
    issues.push({ path, message: `${quoteJson(value)} is not a Selector; use ${call}` });
  }
}

/** How the port reads in code, for messages: `Port.udp(53)`, `Port.tcpRange(8080, 8085)`. */
function describePort(port: Port, withProtocol = true): string {
  const proto = port.protocol && withProtocol ? port.protocol.toString().toLowerCase() : '';
  if (port.portName !== undefined) return `Port.named('${port.portName}')`;
  if (port.minPort === port.maxPort) return proto ? `Port.${proto}(${port.minPort})` : `Port.number(${port.minPort})`;
  return proto ? `Port.${proto}Range(${port.minPort}, ${port.maxPort})` : `Port.between(${port.minPort}, ${port.maxPort})`;
}

function copyArray<T>(a: T[] | undefined): T[] | undefined {
  return a ? [...a] : undefined;
}

function copyEntity(e: EntityRule | undefined): EntityRule | undefined {
  if (!e) return undefined;
  return {
    ...e,
    nets: copyArray(e.nets),
    notNets: copyArray(e.notNets),
    ports: copyArray(e.ports),
    notPorts: copyArray(e.notPorts),
    serviceAccounts: e.serviceAccounts ? { ...e.serviceAccounts, names: copyArray(e.serviceAccounts.names) } : undefined,
    services: e.services ? { ...e.services } : undefined,
  };
}

function copyIcmp(i: IcmpMatch | undefined): IcmpMatch | undefined {
  return i ? { ...i } : undefined;
}

function copyRule(r: PolicyRule): PolicyRule {
  return {
    ...r,
    icmp: copyIcmp(r.icmp),
    notIcmp: copyIcmp(r.notIcmp),
    source: copyEntity(r.source),
    destination: copyEntity(r.destination),
    http: r.http ? { methods: copyArray(r.http.methods), paths: r.http.paths?.map(p => ({ ...p })) } : undefined,
    metadata: r.metadata ? { annotations: r.metadata.annotations ? { ...r.metadata.annotations } : undefined } : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering through the generated layer. The GlobalNetworkPolicy ingress types are structurally
// the same as the egress and NetworkPolicy ones, so one renderer serves every rule list.
// ---------------------------------------------------------------------------------------------

/** Renders one resolved rule in the generated layer's shape. Pure. */
export function renderRule(rule: PolicyRule): GlobalNetworkPolicySpecIngress {
  return {
    action: asGenerated(rule.action),
    protocol: rule.protocol ? renderProtocol(rule.protocol) : undefined,
    notProtocol: rule.notProtocol ? renderNotProtocol(rule.notProtocol) : undefined,
    icmp: renderIcmp(rule.icmp),
    notIcmp: renderIcmp(rule.notIcmp),
    ipVersion: asGenerated(rule.ipVersion),
    source: renderEntity(rule.source),
    destination: renderEntity(rule.destination),
    http: rule.http ? {
      methods: copyArray(rule.http.methods),
      paths: rule.http.paths?.map(p => ({ exact: p.exact, prefix: p.prefix })),
    } : undefined,
    metadata: rule.metadata ? { annotations: rule.metadata.annotations ? { ...rule.metadata.annotations } : undefined } : undefined,
  };
}

function renderProtocol(p: Protocol): GlobalNetworkPolicySpecIngressProtocol {
  return p.name !== undefined
    ? GlobalNetworkPolicySpecIngressProtocol.fromString(p.name)
    : GlobalNetworkPolicySpecIngressProtocol.fromNumber(p.protocolNumber);
}

function renderNotProtocol(p: Protocol): GlobalNetworkPolicySpecIngressNotProtocol {
  return p.name !== undefined
    ? GlobalNetworkPolicySpecIngressNotProtocol.fromString(p.name)
    : GlobalNetworkPolicySpecIngressNotProtocol.fromNumber(p.protocolNumber);
}

function renderIcmp(i: IcmpMatch | undefined): GlobalNetworkPolicySpecIngressIcmp | undefined {
  return i ? { type: i.icmpType, code: i.code } : undefined;
}

function renderPort(p: Port): GlobalNetworkPolicySpecIngressSourcePorts {
  return p.isSinglePort
    ? GlobalNetworkPolicySpecIngressSourcePorts.fromNumber(p.minPort!)
    : GlobalNetworkPolicySpecIngressSourcePorts.fromString(p.toString());
}

function renderEntity(e: EntityRule | undefined): GlobalNetworkPolicySpecIngressSource | undefined {
  if (!e) return undefined;
  const out: GlobalNetworkPolicySpecIngressSource = {
    selector: e.selector?.toString(),
    notSelector: e.notSelector?.toString(),
    namespaceSelector: e.namespaceSelector?.toString(),
    nets: copyArray(e.nets),
    notNets: copyArray(e.notNets),
    ports: e.ports?.map(renderPort),
    notPorts: e.notPorts?.map(renderPort),
    serviceAccounts: e.serviceAccounts ? {
      names: copyArray(e.serviceAccounts.names),
      selector: e.serviceAccounts.selector?.toString(),
    } : undefined,
    services: e.services ? { name: e.services.name, namespace: e.services.namespaceName } : undefined,
  };
  // An entity with nothing set matches everything; Calico omits it, and so do we.
  return Object.values(out).some(v => v !== undefined) ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// The ingress and egress rule lists of a policy construct.
// ---------------------------------------------------------------------------------------------

/** Direction of a rule list, as named in the manifest. */
export type RuleDirection = 'ingress' | 'egress';

/**
 * The rule lists of a policy: resolves rules as they arrive, throws where a bad rule arrives,
 * and renders the lists. Rules are kept in the order given; rendering never reorders them.
 */
export class PolicyRuleList {
  private readonly lists: Record<RuleDirection, PolicyRule[]> = { ingress: [], egress: [] };
  /** Counts the rules added after construction: what is derived from the rules is derived again when it changes. */
  private changes = 0;

  /**
   * @param owner the policy construct (for the error's construct path and resource name)
   * @param ingress initial ingress rules
   * @param egress initial egress rules
   * @param selectors policy-level selectors to type-check, as [path, value]
   */
  constructor(private readonly owner: CalicoResource, ingress: PolicyRule[], egress: PolicyRule[],
    selectors: Array<[string, unknown]> = []) {
    const issues: ValidationIssue[] = [];
    for (const [path, value] of selectors) checkSelector(value, path, issues);
    for (const [direction, rules] of [['ingress', ingress], ['egress', egress]] as Array<[RuleDirection, PolicyRule[]]>) {
      rules.forEach((rule, i) => {
        const resolved = resolveRule(rule, `spec.${direction}[${i}]`);
        issues.push(...resolved.issues);
        this.lists[direction].push(resolved.rule);
      });
    }
    this.throwIfAny(issues);
  }

  /** The rules of a direction (copies). */
  public rules(direction: RuleDirection): PolicyRule[] {
    return this.lists[direction].map(copyRule);
  }

  /** How many rules there are, both directions. */
  public get count(): number {
    return this.lists.ingress.length + this.lists.egress.length;
  }

  /** The explicit types, or the ones Calico derives from the rules. */
  public policyTypes(explicit: PolicyType[] | undefined): PolicyType[] {
    return explicit ? [...explicit] : derivePolicyTypes(this.lists.ingress.length, this.lists.egress.length);
  }

  /**
   * Appends a rule, then runs `validate` over the whole resource; when either finds a problem the
   * rule is not kept and the error propagates.
   */
  public add(direction: RuleDirection, rule: PolicyRule, validate: () => void): void {
    const list = this.lists[direction];
    const resolved = resolveRule(rule, `spec.${direction}[${list.length}]`);
    this.throwIfAny(resolved.issues);
    list.push(resolved.rule);
    try {
      validate();
    } catch (e) {
      list.pop();
      throw e;
    }
    this.changes++;
  }

  /** How many rules were added after construction (a version of the rule lists). */
  public get version(): number {
    return this.changes;
  }

  /** The rendered rules of a direction, or `undefined` when there are none. Pure. */
  public render(direction: RuleDirection): GlobalNetworkPolicySpecIngress[] | undefined {
    const list = this.lists[direction];
    return list.length ? list.map(renderRule) : undefined;
  }

  private throwIfAny(issues: ValidationIssue[]): void {
    if (issues.length) throwIssues(this.owner, `${this.owner.kind} ${quote(this.owner.name)}`, issues);
  }
}
