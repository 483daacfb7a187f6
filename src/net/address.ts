// Address and CIDR primitives shared by every validator. Range math and IPv6 parsing go through
// ip-num; this file adapts its answers to what Calico accepts, and reads dotted-quad IPv4 itself
// (the most common text, and ip-num's slowest path: a list of 60,000 addresses took 90 ms).
//
// Calico parses addresses with Go's net.ParseIP / net.ParseCIDR (wrapped by libcalico-go's cnet
// package), so the rules here follow Go:
// - IPv4 is dotted decimal with exactly four fields, no leading zeros ('010.0.0.1' is rejected).
// - IPv6 may embed an IPv4 tail ('::ffff:10.0.0.1'); hex groups have 1-4 digits, any case.
// - Zones ('fe80::1%eth0') and surrounding whitespace are rejected.
// - An IPv4-mapped IPv6 address ('::ffff:10.0.0.1') counts as IPv4, as cnet's Version() says.
// - A CIDR prefix length is decimal digits (leading zeros allowed: '10.0.0.0/08').
//
// Every parser here refuses text longer than MAX_ADDRESS_TEXT before doing any work. No address,
// CIDR or peer address is that long; only a run of leading zeros in a prefix length or a peer
// port, which Go reads without limit, could make one, and nobody writes a thousand of them.
import { IPv4Prefix, IPv6, IPv6Prefix, collapseIPv6Number } from 'ip-num';

/** A parsed IP address. */
export interface ParsedIp {
  readonly version: 4 | 6;
  /** The address as a number. */
  readonly value: bigint;
  /** Canonical text (IPv6 compressed, lower case). */
  readonly text: string;
}

/** A parsed CIDR. */
export interface ParsedCidr {
  readonly version: 4 | 6;
  readonly prefix: number;
  /** First address of the range (host bits cleared). */
  readonly first: bigint;
  /** Last address of the range. */
  readonly last: bigint;
  /** Canonical text of the network (host bits cleared), e.g. '10.0.0.0/8'. */
  readonly text: string;
  /** Whether the input had no host bits set (Calico's strict-mask requirement for IPPools). */
  readonly strict: boolean;
  /** The address as written before the '/', host bits kept (e.g. a node's own address in '10.0.0.5/24'). */
  readonly address: ParsedIp;
}

/** Longest text the parsers here read (see the module notes). */
export const MAX_ADDRESS_TEXT = 1024;

/** ::ffff:0:0/96, the IPv4-mapped IPv6 range. */
const MAPPED_V4_FIRST = 0xffff00000000n;
const MAPPED_V4_LAST = 0xffffffffffffn;

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: unknown): ParsedIp | undefined {
  if (typeof text !== 'string' || text.length > MAX_ADDRESS_TEXT) return undefined;
  return remembered(IP_CACHE, text, parseIpText);
}

/** Parses 'a.b.c.d/n' or 'x::/n'; undefined when it is not a CIDR. */
export function parseCidr(text: unknown): ParsedCidr | undefined {
  if (typeof text !== 'string' || text.length > MAX_ADDRESS_TEXT) return undefined;
  return remembered(CIDR_CACHE, text, parseCidrText);
}

// The same addresses are parsed many times in one synthesis (each resource is checked when it is
// built and again by every validation pass, and the topology checks parse them once more), and
// parsing through ip-num dominates those checks. Parsing is pure, so results are remembered by
// their text, frozen so that no caller can change what another receives. The caches are bounded
// in entries and keep only texts short enough to be addresses.
const IP_CACHE = new Map<string, ParsedIp | null>();
const CIDR_CACHE = new Map<string, ParsedCidr | null>();
const CACHE_LIMIT = 100_000;

function remembered<T extends object>(cache: Map<string, T | null>, text: string, parse: (text: string) => T | undefined): T | undefined {
  if (text.length > 100) return parse(text); // never an address or CIDR; not worth keeping
  const known = cache.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = parse(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, parsed ? deepFreeze(parsed) : null);
  return parsed;
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) {
    if (typeof v === 'object' && v !== null) deepFreeze(v);
  }
  return Object.freeze(value);
}

function parseIpText(text: string): ParsedIp | undefined {
  const raw = parseRawIp(text);
  if (!raw) return undefined;
  return raw.version === 6 && isMapped(raw.value) ? ipv4Of(raw.value - MAPPED_V4_FIRST) : raw;
}

function parseCidrText(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const raw = parseRawIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!raw || !/^[0-9]+$/.test(prefixText)) return undefined;
  const prefix = Number.parseInt(prefixText, 10);
  if (prefix > (raw.version === 4 ? 32 : 128)) return undefined;
  const { mask, size } = prefixInfo(raw.version, prefix);
  const first = raw.value & mask;
  const last = first + size - 1n;
  const strict = first === raw.value;
  // Go keeps an IPv4-mapped network in IPv4 form when the mask covers the ::ffff: marker.
  if (raw.version === 6 && prefix >= 96 && isMapped(first)) {
    return makeCidr(4, prefix - 96, first - MAPPED_V4_FIRST, last - MAPPED_V4_FIRST, strict, ipv4Of(raw.value - MAPPED_V4_FIRST));
  }
  const address = raw.version === 6 && isMapped(raw.value) ? ipv4Of(raw.value - MAPPED_V4_FIRST) : raw;
  return makeCidr(raw.version, prefix, first, last, strict, address);
}

/**
 * Parses a CIDR, or a bare address as a single-address CIDR (/32 or /128), the way Calico's
 * `ParseCIDROrIP` does for most CIDR fields.
 */
export function parseCidrOrIp(text: unknown): ParsedCidr | undefined {
  if (typeof text !== 'string' || text.length > MAX_ADDRESS_TEXT) return undefined;
  if (text.includes('/')) return parseCidr(text);
  const ip = parseIp(text);
  if (!ip) return undefined;
  return makeCidr(ip.version, ip.version === 4 ? 32 : 128, ip.value, ip.value, true, ip);
}

/** Whether two parsed CIDRs share any address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Whether `ip` lies inside `cidr` (same family and within its range). */
export function isIpInCidr(ip: ParsedIp, cidr: ParsedCidr): boolean {
  return ip.version === cidr.version && cidr.first <= ip.value && ip.value <= cidr.last;
}

/** Whether CIDR `inner` lies entirely inside CIDR `outer`. */
export function isCidrWithin(inner: ParsedCidr, outer: ParsedCidr): boolean {
  return inner.version === outer.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** One overlap found by `findCidrOverlaps`: indexes into the list it was given. */
export interface CidrOverlap {
  /** Index of the CIDR that overlaps an earlier-starting (or equal) one. */
  readonly index: number;
  /** Index of a CIDR it overlaps: the widest one that contains it. */
  readonly otherIndex: number;
}

/**
 * Finds overlapping CIDRs in O(n log n): sorts the ranges by family and start (wider first on
 * ties) and sweeps once, so thousands of pools cost no more than a sort.
 *
 * Two CIDRs either nest or are disjoint, so every CIDR that starts inside the widest range seen so
 * far overlaps it. Each overlapping CIDR is reported once, paired with that widest container; a
 * CIDR appears in some reported pair exactly when it overlaps at least one other CIDR. Identical
 * CIDRs count as overlapping (the later index is reported).
 */
export function findCidrOverlaps(cidrs: readonly ParsedCidr[]): CidrOverlap[] {
  const order = cidrs.map((_, i) => i).sort((i, j) => {
    const a = cidrs[i];
    const b = cidrs[j];
    if (a.version !== b.version) return a.version - b.version;
    if (a.first !== b.first) return a.first < b.first ? -1 : 1;
    if (a.last !== b.last) return a.last > b.last ? -1 : 1;
    return i - j;
  });
  const overlaps: CidrOverlap[] = [];
  let open: number | undefined;
  for (const i of order) {
    const c = cidrs[i];
    if (open !== undefined && cidrs[open].version === c.version && c.first <= cidrs[open].last) {
      overlaps.push({ index: i, otherIndex: open });
      // Ranges that are not CIDRs could reach further than the open one; keep the furthest.
      if (c.last > cidrs[open].last) open = i;
    } else {
      open = i;
    }
  }
  return overlaps.sort((a, b) => a.index - b.index);
}

// ---------------------------------------------------------------------------------------------
// AS numbers and BGP peer addresses
// ---------------------------------------------------------------------------------------------

const MAX_AS_NUMBER = 4294967295;

/**
 * Parses a BGP AS number the way Calico's numorstring.ASNumber does: an integer 0-4294967295, or a
 * string holding either that integer or the dotted form 'a.b' (each part 0-65535, value a*65536+b).
 * Returns the number, or undefined when the value is not an AS number.
 */
export function parseAsNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= MAX_AS_NUMBER ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    return n <= MAX_AS_NUMBER ? n : undefined;
  }
  const dotted = /^([0-9]+)\.([0-9]+)$/.exec(value);
  if (!dotted) return undefined;
  const high = Number(dotted[1]);
  const low = Number(dotted[2]);
  if (high > 0xffff || low > 0xffff) return undefined;
  return high * 0x10000 + low;
}

/** A BGP peer address with an optional port. */
export interface ParsedPeerIp {
  readonly ip: ParsedIp;
  /** The port, when one was given (1-65535). */
  readonly port?: number;
}

// Calico's own patterns (libcalico-go's validator: IPv4PortFormat, IPv6PortFormat) leave the dots of
// the IPv4 one unescaped, which Go's backtracking-free engine runs in linear time but JavaScript's
// does not. Escaped, the pattern accepts fewer texts, but only texts whose host part Go's
// net.ParseIP then refuses (and none of them is an IPv6 address), so the verdicts are the same.
const IPV4_WITH_PORT = /^(\d+)\.(\d+)\.(\d+)\.(\d+):(\d+)$/;
const IPV6_WITH_PORT = /^\[[0-9a-fA-F:.]+\]:(\d+)$/;

/**
 * Parses a BGPPeer `peerIP`: an address ('10.0.0.1', 'fd00::1'), an IPv4 address with a port
 * ('10.0.0.1:179') or a bracketed IPv6 address with a port ('[fd00::1]:179'). Undefined when invalid.
 */
export function parsePeerIp(text: unknown): ParsedPeerIp | undefined {
  if (typeof text !== 'string' || text === '' || text.length > MAX_ADDRESS_TEXT) return undefined;
  if (IPV4_WITH_PORT.test(text) || IPV6_WITH_PORT.test(text)) {
    const colon = text.lastIndexOf(':');
    let host = text.slice(0, colon);
    const portText = text.slice(colon + 1);
    if (host.startsWith('[')) {
      host = host.slice(1, -1);
    } else if (host.includes(':')) {
      return undefined; // an unbracketed host with colons is not host:port
    }
    const port = Number(portText);
    if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) return undefined;
    const ip = parseIp(host);
    return ip ? { ip, port } : undefined;
  }
  const ip = parseIp(text);
  return ip ? { ip } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Interface names
// ---------------------------------------------------------------------------------------------

/** Linux interface name as Calico accepts it (1-15 of letters, digits, '_', '.', '-'). */
export const INTERFACE_NAME = /^[a-zA-Z0-9_.-]{1,15}$/;
/** BGPFilter rule `interface`: an interface name that may contain '*' wildcards. */
export const BGP_FILTER_INTERFACE = /^[a-zA-Z0-9_.*-]{1,15}$/;
/** BGPConfiguration `ignoredInterfaces` entry: a name that may contain '*' wildcards (but not just '*'). */
export const IGNORED_INTERFACE = /^[a-zA-Z0-9_.*-]{1,15}$/;

/** Whether `name` is a valid interface name, or '*' for "every interface". */
export function isInterfaceNameOrWildcard(name: unknown): boolean {
  return typeof name === 'string' && (name === '*' || INTERFACE_NAME.test(name));
}

/** Whether `name` is a valid BGPFilter rule interface ('*' or a name with '*' wildcards). */
export function isBgpFilterInterface(name: unknown): boolean {
  return typeof name === 'string' && (name === '*' || BGP_FILTER_INTERFACE.test(name));
}

/** Whether `name` is a valid BGPConfiguration ignoredInterfaces entry (a bare '*' is not). */
export function isIgnoredInterface(name: unknown): boolean {
  return typeof name === 'string' && name !== '*' && IGNORED_INTERFACE.test(name);
}

// ---------------------------------------------------------------------------------------------
// internals
// ---------------------------------------------------------------------------------------------

function parseRawIp(text: unknown): ParsedIp | undefined {
  if (typeof text !== 'string' || text === '' || text.length > 64) return undefined;
  if (text.includes(':')) {
    if (text.includes('%')) return undefined; // Go's ParseIP rejects zones
    let ip: IPv6;
    try {
      ip = IPv6.fromString(text);
    } catch {
      return undefined;
    }
    const value = ip.getValue();
    return { version: 6, value, text: collapseIPv6Number(ip.toString()) };
  }
  const value = parseDottedQuad(text);
  // Four decimal fields without leading zeros print as they are written.
  return value === undefined ? undefined : { version: 4, value, text };
}

/**
 * The value of a dotted-quad IPv4 address as Go's net.ParseIP reads it (four decimal fields of
 * 0-255, no leading zeros, nothing else), or undefined. Agrees with ip-num's IPv4.fromString.
 */
export function parseDottedQuad(text: string): bigint | undefined {
  let value = 0;
  let field = 0;
  let digits = 0;
  let fields = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : DOT; // the end closes the last field
    if (c === DOT) {
      if (digits === 0 || fields === 4) return undefined;
      value = value * 256 + field;
      fields++;
      field = 0;
      digits = 0;
    } else if (c >= ZERO && c <= ZERO + 9) {
      if (digits > 0 && field === 0) return undefined; // a leading zero
      field = field * 10 + (c - ZERO);
      digits++;
      if (field > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return fields === 4 ? BigInt(value) : undefined;
}

const DOT = 46;
const ZERO = 48;

/** Network mask and range size of each prefix length, computed once by ip-num and reused. */
const PREFIX_INFO: Record<4 | 6, Array<{ mask: bigint; size: bigint }>> = { 4: [], 6: [] };

function prefixInfo(version: 4 | 6, prefix: number): { mask: bigint; size: bigint } {
  let info = PREFIX_INFO[version][prefix];
  if (!info) {
    const p = version === 4 ? new IPv4Prefix(BigInt(prefix)) : new IPv6Prefix(BigInt(prefix));
    info = { mask: p.toMask().getValue(), size: p.toRangeSize() };
    PREFIX_INFO[version][prefix] = info;
  }
  return info;
}

function ipv4Of(value: bigint): ParsedIp {
  return { version: 4, value, text: formatDottedQuad(value) };
}

/** 'a.b.c.d' for a 32-bit value (what ip-num's IPv4 toString prints, without its binary strings). */
function formatDottedQuad(value: bigint): string {
  const n = Number(value);
  return `${Math.floor(n / 0x1000000) % 256}.${Math.floor(n / 0x10000) % 256}.${Math.floor(n / 0x100) % 256}.${n % 256}`;
}

function isMapped(value: bigint): boolean {
  return value >= MAPPED_V4_FIRST && value <= MAPPED_V4_LAST;
}

function makeCidr(version: 4 | 6, prefix: number, first: bigint, last: bigint, strict: boolean, address: ParsedIp): ParsedCidr {
  const network = version === 4 ? formatDottedQuad(first) : collapseIPv6Number(new IPv6(first).toString());
  return { version, prefix, first, last, strict, address, text: `${network}/${prefix}` };
}
