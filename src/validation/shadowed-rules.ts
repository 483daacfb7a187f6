// Shadowed rules: a rule of a policy that an earlier rule of the same direction decides first.
// Calico reads a policy's rules in order and stops at the first Allow, Deny or Pass that matches,
// so a later rule whose traffic an earlier deciding rule matches never sees it. Reported only when
// proved (validation/rule-cover.ts): a rule is shadowed when an earlier deciding rule covers all
// its traffic, and partly shadowed when an earlier rule with another action decides a packet it
// names (and the earlier rule is not simply the narrower carve-out that the later one follows).
import { quote } from '../core/quote';
import { Protocol } from '../language/protocol';
import { addressesWithin, CoverRule, covers, DECIDING_ACTIONS, overlap, OverlapPacket, readCoverRule } from './rule-cover';

/** One shadowed rule. */
export interface ShadowedRule {
  /** `ingress` or `egress`. */
  readonly direction: string;
  /** Index of the shadowed rule in its direction's list. */
  readonly index: number;
  /** Index of the earlier rule that decides its traffic. */
  readonly byIndex: number;
  /** Whether the earlier rule decides all of its traffic (the rule can never match), or only part of it. */
  readonly complete: boolean;
  /** Path of the shadowed rule: `spec.egress[1]`. */
  readonly path: string;
  /** What is shadowed, by what, and the fix. */
  readonly message: string;
}

const VERBS: Readonly<Record<string, string>> = { Allow: 'allows', Deny: 'denies', Pass: 'passes on' };
const NAMED_PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.SCTP, Protocol.UDPLITE];
/** How many nets or ports a rule description lists before it counts the rest. */
const LISTED = 2;

/**
 * The shadowed rules of a policy spec (projectcalico.org/v3 or crd.projectcalico.org/v1 form):
 * at most one finding per rule, a complete shadow before a partial one, each naming the first
 * earlier rule that proves it.
 * @param spec the policy's `spec`
 */
export function findShadowedRules(spec: unknown): ShadowedRule[] {
  if (typeof spec !== 'object' || spec === null) return [];
  const out: ShadowedRule[] = [];
  for (const direction of ['ingress', 'egress']) {
    const raw: unknown = (spec as Record<string, unknown>)[direction];
    if (!Array.isArray(raw)) continue;
    const rules = raw.map(readCoverRule);
    for (let j = 1; j < rules.length; j++) {
      const later = rules[j];
      if (!later) continue;
      const found = completeShadow(rules, later, j) ?? partialShadow(rules, later, j);
      if (!found) continue;
      const { i, packet } = found;
      const complete = packet === undefined;
      out.push({
        direction,
        index: j,
        byIndex: i,
        complete,
        path: `spec.${direction}[${j}]`,
        message: shadowMessage(direction, raw, j, i, rules[i]!, later, packet),
      });
    }
  }
  return out;
}

function completeShadow(rules: ReadonlyArray<CoverRule | undefined>, later: CoverRule, j: number): { i: number; packet?: OverlapPacket } | undefined {
  for (let i = 0; i < j; i++) {
    const earlier = rules[i];
    if (earlier && DECIDING_ACTIONS.has(earlier.action) && covers(earlier, later)) return { i };
  }
  return undefined;
}

/**
 * The first earlier rule with another deciding action that decides a packet `later` names, where
 * `later` looks like a carve-out placed too late: its addresses lie within the earlier rule's (a
 * Deny of one address after an Allow of a range). Not reported: a later rule that covers the earlier
 * one entirely ("allow these, deny the rest"), or one with addresses beyond the earlier rule's (a
 * carve-out placed first, then the broad rule).
 */
function partialShadow(rules: ReadonlyArray<CoverRule | undefined>, later: CoverRule, j: number): { i: number; packet: OverlapPacket } | undefined {
  if (!DECIDING_ACTIONS.has(later.action)) return undefined;
  for (let i = 0; i < j; i++) {
    const earlier = rules[i];
    if (!earlier || !DECIDING_ACTIONS.has(earlier.action) || earlier.action === later.action) continue;
    if (covers(later, earlier) || !addressesWithin(later, earlier)) continue;
    const packet = overlap(earlier, later);
    if (packet) return { i, packet };
  }
  return undefined;
}

function shadowMessage(direction: string, raw: unknown[], j: number, i: number, earlier: CoverRule, later: CoverRule,
  packet: OverlapPacket | undefined): string {
  const shadowed = `${direction} rule ${j} (${describeRule(raw[j])})`;
  const by = `rule ${i} (${describeRule(raw[i])})`;
  const verb = VERBS[earlier.action];
  const guardrail = later.action === 'Deny' && earlier.action !== 'Deny'
    ? '; a deny that must hold whatever a namespace allows belongs in a tier evaluated before the default one (PlatformGuardrails)'
    : '';
  if (packet === undefined) {
    return `${shadowed} can never match: ${by} already ${verb} all its traffic; move rule ${j} before rule ${i}, or remove it${guardrail}`;
  }
  return `${shadowed} does not decide ${describePacket(packet)}: ${by} ${verb} that traffic first; move rule ${j} before rule ${i}${guardrail}`;
}

/** A rule in a few words: `Allow TCP to 0.0.0.0/0 port 443`, `Deny from selector 'app == "x"'`. */
export function describeRule(rule: unknown): string {
  if (typeof rule !== 'object' || rule === null) return quote(rule);
  const r = rule as Record<string, any>;
  const words: string[] = [String(r.action)];
  if (r.protocol !== undefined && r.protocol !== null) words.push(protocolName(r.protocol));
  if (r.notProtocol !== undefined && r.notProtocol !== null) words.push(`not ${protocolName(r.notProtocol)}`);
  if (r.ipVersion === 4 || r.ipVersion === 6) words.push(`IPv${r.ipVersion}`);
  if (isRecord(r.icmp)) words.push(`ICMP type ${r.icmp.type ?? 'any'}${r.icmp.code !== undefined ? ` code ${r.icmp.code}` : ''}`);
  const source = describeSide(r.source);
  const destination = describeSide(r.destination);
  if (source) words.push(`from ${source}`);
  if (destination) words.push(`to ${destination}`);
  if (isRecord(r.http)) words.push('with an HTTP match');
  if (words.length === 1) words.push('everything');
  return words.join(' ');
}

function describeSide(side: unknown): string {
  if (!isRecord(side)) return '';
  const words: string[] = [];
  if (typeof side.selector === 'string' && side.selector) words.push(`selector ${quote(side.selector)}`);
  if (typeof side.namespaceSelector === 'string' && side.namespaceSelector) words.push(`namespaces ${quote(side.namespaceSelector)}`);
  if (typeof side.notSelector === 'string' && side.notSelector) words.push(`not selector ${quote(side.notSelector)}`);
  if (isRecord(side.serviceAccounts)) words.push('service accounts');
  if (isRecord(side.services)) words.push(`Service ${quote(String(side.services.name ?? ''))}`);
  if (Array.isArray(side.nets) && side.nets.length) words.push(listed(side.nets));
  if (Array.isArray(side.notNets) && side.notNets.length) words.push(`except ${listed(side.notNets)}`);
  if (Array.isArray(side.ports) && side.ports.length) words.push(`${side.ports.length === 1 ? 'port' : 'ports'} ${listed(side.ports)}`);
  if (Array.isArray(side.notPorts) && side.notPorts.length) words.push(`except ${side.notPorts.length === 1 ? 'port' : 'ports'} ${listed(side.notPorts)}`);
  return words.join(' ');
}

function describePacket(p: OverlapPacket): string {
  const words: string[] = [];
  if (p.protocol !== undefined) words.push(protocolName(p.protocol));
  else if (p.ipVersion !== undefined && p.sourceNet === undefined && p.destinationNet === undefined) words.push(`IPv${p.ipVersion}`);
  const side = (net?: { text: string }, ports?: { min?: number; max?: number }) => [
    net ? net.text : '',
    ports ? `port ${ports.min === ports.max ? ports.min : `${ports.min}:${ports.max}`}` : '',
  ].filter(Boolean).join(' ');
  const source = side(p.sourceNet, p.sourcePorts);
  const destination = side(p.destinationNet, p.destinationPorts);
  if (source) words.push(`from ${source}`);
  if (destination) words.push(`to ${destination}`);
  if (words.length === 0) words.push('any traffic');
  if (words.length === 1 && !source && !destination) words.push('traffic');
  return words.join(' ');
}

function listed(values: unknown[]): string {
  const shown = values.slice(0, LISTED).map(v => (typeof v === 'string' && v.length <= 45 ? v : quote(v)));
  return shown.join(', ') + (values.length > LISTED ? ` and ${values.length - LISTED} more` : '');
}

function protocolName(value: unknown): string {
  if (typeof value === 'number') return NAMED_PROTOCOLS.find(p => p.protocolNumber === value)?.toString() ?? quote(value);
  return typeof value === 'string' && value.length <= 12 ? value : quote(value);
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
