// Whether one Calico policy rule decides every packet another matches, and whether two rules
// provably share a packet. Both answers are conservative: `covers` says true only when it can
// prove that every packet the later rule matches, the earlier rule matches too, and `overlap` only
// returns a packet it has checked both rules match. Anything the proofs do not model (selectors
// that differ, HTTP matches, service matches, named ports against numbers, fields this module
// does not know) makes the answer "no". The rules are read in their manifest form (the same in
// projectcalico.org/v3 and crd.projectcalico.org/v1).
import { Protocol } from '../language/protocol';
import { parseSelector } from '../language/selector-parser';
import { printSelector } from '../language/selector-ast';
import { cidrsOverlap, isCidrWithin, ParsedCidr, parseCidrOrIp } from '../net/address';

/** One port match: a numeric range, or a named port. */
export interface CoverPort {
  readonly min?: number;
  readonly max?: number;
  readonly name?: string;
}

/** One side (source or destination) of a rule, normalized. */
export interface CoverSide {
  readonly nets?: readonly ParsedCidr[];
  readonly notNets?: readonly ParsedCidr[];
  readonly ports?: readonly CoverPort[];
  readonly notPorts?: readonly CoverPort[];
  /**
   * The endpoint-selecting fields (selector, notSelector, namespaceSelector, serviceAccounts,
   * services), normalized to one text; undefined when the side sets none of them. These fields
   * narrow each other (a NetworkPolicy's selector means "in this namespace" without a
   * namespaceSelector), so they are compared as one.
   */
  readonly endpoints?: string;
}

/** An ICMP type and code. */
export interface CoverIcmp {
  readonly type?: number;
  readonly code?: number;
}

/** A rule, normalized for the proofs. */
export interface CoverRule {
  readonly action: string;
  readonly protocol?: number;
  readonly notProtocol?: number;
  readonly ipVersion?: number;
  readonly icmp?: CoverIcmp;
  readonly notIcmp?: CoverIcmp;
  /** The HTTP match as canonical JSON, when the rule has one. */
  readonly http?: string;
  readonly source: CoverSide;
  readonly destination: CoverSide;
}

/** A packet both rules match, as far as the proofs model packets. */
export interface OverlapPacket {
  readonly protocol?: number;
  readonly ipVersion?: number;
  readonly sourceNet?: ParsedCidr;
  readonly destinationNet?: ParsedCidr;
  readonly sourcePorts?: CoverPort;
  readonly destinationPorts?: CoverPort;
}

const RULE_FIELDS: ReadonlySet<string> = new Set([
  'action', 'protocol', 'notProtocol', 'ipVersion', 'icmp', 'notICMP', 'source', 'destination', 'http', 'metadata',
]);
const SIDE_FIELDS: ReadonlySet<string> = new Set([
  'nets', 'notNets', 'ports', 'notPorts', 'selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'services',
]);
const ENDPOINT_FIELDS = ['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'services'] as const;
/** The protocols whose rules may match ports: TCP, UDP and SCTP. */
const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 132]);
const PORT_RANGE = /^([0-9]{1,5}):([0-9]{1,5})$/;
const PORT_NUMBER = /^[0-9]{1,5}$/;

/** The actions that end the evaluation of a policy's rules for a packet (Log goes on to the next rule). */
export const DECIDING_ACTIONS: ReadonlySet<string> = new Set(['Allow', 'Deny', 'Pass']);

/**
 * Reads a rule of a manifest for the proofs; undefined when the rule has something the proofs do
 * not read (an unknown field, a value of the wrong shape), so it takes part in no finding.
 */
export function readCoverRule(rule: unknown): CoverRule | undefined {
  if (!isPlainObject(rule) || typeof rule.action !== 'string') return undefined;
  if (Object.keys(rule).some(k => !RULE_FIELDS.has(k))) return undefined;
  const protocol = readProtocol(rule.protocol);
  const notProtocol = readProtocol(rule.notProtocol);
  const icmp = readIcmp(rule.icmp);
  const notIcmp = readIcmp(rule.notICMP);
  const source = readSide(rule.source);
  const destination = readSide(rule.destination);
  if ([protocol, notProtocol, icmp, notIcmp, source, destination].includes(null)) return undefined;
  const hasPorts = [source, destination].some(side => side && (side.ports !== undefined || side.notPorts !== undefined));
  if (hasPorts && !PORT_PROTOCOLS.has(protocol ?? 0)) return undefined; // Calico refuses the rule; nothing to prove
  const ipVersion = rule.ipVersion;
  if (ipVersion !== undefined && ipVersion !== null && ipVersion !== 4 && ipVersion !== 6) return undefined;
  let http: string | undefined;
  if (rule.http !== undefined && rule.http !== null) {
    if (!isPlainObject(rule.http)) return undefined;
    http = canonicalJson(rule.http);
  }
  return {
    action: rule.action,
    protocol: protocol ?? undefined,
    notProtocol: notProtocol ?? undefined,
    ipVersion: ipVersion ?? undefined,
    icmp: icmp ?? undefined,
    notIcmp: notIcmp ?? undefined,
    http,
    source: source!,
    destination: destination!,
  };
}

/** Whether every packet `later` matches, `earlier` matches too (a proof; false when in doubt). */
export function covers(earlier: CoverRule, later: CoverRule): boolean {
  if (earlier.protocol !== undefined && later.protocol !== earlier.protocol) return false;
  if (earlier.notProtocol !== undefined && later.notProtocol !== earlier.notProtocol
    && (later.protocol === undefined || later.protocol === earlier.notProtocol)) return false;
  if (earlier.ipVersion !== undefined && versionOf(later) !== earlier.ipVersion) return false;
  if (earlier.icmp !== undefined && !icmpWithin(later.icmp, earlier.icmp)) return false;
  if (earlier.notIcmp !== undefined && !icmpExcluded(later, earlier.notIcmp)) return false;
  if (earlier.http !== undefined && later.http !== earlier.http) return false;
  return sideCovers(earlier.source, later.source) && sideCovers(earlier.destination, later.destination);
}

/**
 * A packet both rules match, found only for rules the search models fully (protocol, IP version,
 * nets and numeric ports; no exclusions, selectors, ICMP or HTTP); undefined when there is none or
 * the search does not model a rule.
 */
export function overlap(a: CoverRule, b: CoverRule): OverlapPacket | undefined {
  if (!searchable(a) || !searchable(b)) return undefined;
  if (a.protocol !== undefined && b.protocol !== undefined && a.protocol !== b.protocol) return undefined;
  const protocol = a.protocol ?? b.protocol;
  for (const version of [4, 6]) {
    if ((a.ipVersion ?? version) !== version || (b.ipVersion ?? version) !== version) continue;
    const sourceNet = netOverlap(a.source.nets, b.source.nets, version);
    const destinationNet = netOverlap(a.destination.nets, b.destination.nets, version);
    if (sourceNet === null || destinationNet === null) continue;
    const sourcePorts = portOverlap(a.source.ports, b.source.ports);
    const destinationPorts = portOverlap(a.destination.ports, b.destination.ports);
    if (sourcePorts === null || destinationPorts === null) return undefined;
    const pinned = sourceNet !== undefined || destinationNet !== undefined || a.ipVersion !== undefined || b.ipVersion !== undefined;
    return { protocol, ipVersion: pinned ? version : undefined, sourceNet, destinationNet, sourcePorts, destinationPorts };
  }
  return undefined;
}

/** Whether on both sides every address `inner` names lies within the addresses `outer` names (no nets: any address). */
export function addressesWithin(inner: CoverRule, outer: CoverRule): boolean {
  return (['source', 'destination'] as const).every(side => {
    const o = outer[side].nets;
    const i = inner[side].nets;
    return o === undefined || (i !== undefined && i.every(n => o.some(x => isCidrWithin(n, x))));
  });
}

/** The IP version a rule is limited to: its own, or the one all its nets share. */
function versionOf(rule: CoverRule): number | undefined {
  if (rule.ipVersion !== undefined) return rule.ipVersion;
  const nets = [...(rule.source.nets ?? []), ...(rule.destination.nets ?? [])];
  if (nets.length === 0) return undefined;
  return nets.every(n => n.version === nets[0].version) ? nets[0].version : undefined;
}

function icmpWithin(inner: CoverIcmp | undefined, outer: CoverIcmp): boolean {
  if (inner === undefined) return outer.type === undefined && outer.code === undefined;
  if (outer.type !== undefined && inner.type !== outer.type) return false;
  return outer.code === undefined || inner.code === outer.code;
}

/** Whether no packet of `later` has the ICMP type and code `excluded` names. */
function icmpExcluded(later: CoverRule, excluded: CoverIcmp): boolean {
  const own = later.notIcmp;
  if (own !== undefined && icmpWithin(excluded, own)) return true;
  const icmp = later.icmp;
  if (icmp === undefined) return false;
  if (excluded.type !== undefined && icmp.type !== undefined && icmp.type !== excluded.type) return true;
  return excluded.code !== undefined && icmp.type !== undefined && icmp.type === excluded.type
    && icmp.code !== undefined && icmp.code !== excluded.code;
}

function sideCovers(earlier: CoverSide, later: CoverSide): boolean {
  if (earlier.endpoints !== undefined && later.endpoints !== earlier.endpoints) return false;
  if (earlier.nets !== undefined) {
    if (later.nets === undefined || !later.nets.every(n => earlier.nets!.some(o => isCidrWithin(n, o)))) return false;
  }
  for (const excluded of earlier.notNets ?? []) {
    const excludedToo = (later.notNets ?? []).some(o => isCidrWithin(excluded, o));
    const outside = later.nets !== undefined && later.nets.every(n => !cidrsOverlap(n, excluded));
    if (!excludedToo && !outside) return false;
  }
  if (earlier.ports !== undefined) {
    if (later.ports === undefined || !later.ports.every(p => earlier.ports!.some(o => portWithin(p, o)))) return false;
  }
  for (const excluded of earlier.notPorts ?? []) {
    const excludedToo = (later.notPorts ?? []).some(o => portWithin(excluded, o));
    const outside = later.ports !== undefined && later.ports.every(p => portsDisjoint(p, excluded));
    if (!excludedToo && !outside) return false;
  }
  return true;
}

function portWithin(inner: CoverPort, outer: CoverPort): boolean {
  if (inner.name !== undefined || outer.name !== undefined) return inner.name !== undefined && inner.name === outer.name;
  return inner.min! >= outer.min! && inner.max! <= outer.max!;
}

/** Whether two numeric port matches share no port (named ports are never known to be disjoint). */
function portsDisjoint(a: CoverPort, b: CoverPort): boolean {
  if (a.name !== undefined || b.name !== undefined) return false;
  return a.max! < b.min! || b.max! < a.min!;
}

function searchable(rule: CoverRule): boolean {
  if (rule.notProtocol !== undefined || rule.icmp !== undefined || rule.notIcmp !== undefined || rule.http !== undefined) return false;
  return [rule.source, rule.destination].every(side => side.endpoints === undefined && side.notNets === undefined
    && side.notPorts === undefined && (side.ports ?? []).every(p => p.name === undefined));
}

/**
 * A CIDR inside both sets of nets for one IP version: undefined when neither rule restricts the
 * side, null when the rules share no address of that version.
 */
function netOverlap(a: readonly ParsedCidr[] | undefined, b: readonly ParsedCidr[] | undefined, version: number): ParsedCidr | undefined | null {
  if (a === undefined && b === undefined) return undefined;
  if (a === undefined || b === undefined) {
    const only = (a ?? b)!.find(n => n.version === version);
    return only ?? null;
  }
  for (const x of a) {
    if (x.version !== version) continue;
    for (const y of b) {
      if (y.version === version && cidrsOverlap(x, y)) return x.prefix >= y.prefix ? x : y;
    }
  }
  return null;
}

/** The ports both sides match: undefined when neither restricts them, null when none is shared. */
function portOverlap(a: readonly CoverPort[] | undefined, b: readonly CoverPort[] | undefined): CoverPort | undefined | null {
  if (a === undefined && b === undefined) return undefined;
  if (a === undefined || b === undefined) return (a ?? b)![0];
  for (const x of a) {
    for (const y of b) {
      const min = Math.max(x.min!, y.min!);
      const max = Math.min(x.max!, y.max!);
      if (min <= max) return { min, max };
    }
  }
  return null;
}

/** A protocol as its IANA number; undefined when absent, null when unreadable. */
function readProtocol(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 255 ? value : null;
  if (typeof value !== 'string') return null;
  if (PORT_NUMBER.test(value)) return readProtocol(Number(value));
  try {
    return Protocol.named(value).protocolNumber;
  } catch {
    return null; // the validator reports it; the proofs leave the rule out
  }
}

function readIcmp(value: unknown): CoverIcmp | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) return null;
  const read = (v: unknown): number | undefined | null => (v === undefined || v === null ? undefined : Number.isInteger(v) ? v as number : null);
  const type = read(value.type);
  const code = read(value.code);
  if (type === null || code === null || Object.keys(value).some(k => k !== 'type' && k !== 'code')) return null;
  return { type, code };
}

function readSide(value: unknown): CoverSide | undefined | null {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value) || Object.keys(value).some(k => !SIDE_FIELDS.has(k))) return null;
  const nets = readNets(value.nets);
  const notNets = readNets(value.notNets);
  const ports = readPorts(value.ports);
  const notPorts = readPorts(value.notPorts);
  if ([nets, notNets, ports, notPorts].includes(null)) return null;
  const endpoints: Record<string, unknown> = {};
  for (const field of ENDPOINT_FIELDS) {
    const v = value[field];
    if (v === undefined || v === null || v === '') continue;
    if (field === 'serviceAccounts' || field === 'services') {
      if (!isPlainObject(v)) return null;
      endpoints[field] = canonicalJson(v);
      continue;
    }
    if (typeof v !== 'string') return null;
    const node = parseSelector(v).node;
    if (node === undefined) return null;
    endpoints[field] = printSelector(node);
  }
  return {
    nets: nets ?? undefined,
    notNets: notNets ?? undefined,
    ports: ports ?? undefined,
    notPorts: notPorts ?? undefined,
    endpoints: Object.keys(endpoints).length ? canonicalJson(endpoints) : undefined,
  };
}

function readNets(value: unknown): ParsedCidr[] | undefined | null {
  return readEach(value, parseCidrOrIp);
}

function readPorts(value: unknown): CoverPort[] | undefined | null {
  return readEach(value, readPort);
}

/** A list read item by item: undefined when absent or empty, null when it or an item cannot be read. */
function readEach<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return null;
  if (value.length === 0) return undefined;
  const out: T[] = [];
  for (const item of value) {
    const got = read(item);
    if (!got) return null;
    out.push(got);
  }
  return out;
}

function readPort(value: unknown): CoverPort | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 65535 ? { min: value, max: value } : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (PORT_NUMBER.test(value)) return readPort(Number(value));
  const range = PORT_RANGE.exec(value);
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    return min <= max && max <= 65535 ? { min, max } : undefined;
  }
  return value.length <= 15 ? { name: value } : undefined;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so equal values print equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (isPlainObject(v)
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
    : v));
}
