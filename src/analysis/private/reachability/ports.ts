// The ports the policies name, for the reachability matrix: every destination port of a Calico
// GlobalNetworkPolicy or NetworkPolicy rule, every port of a Kubernetes NetworkPolicy rule and of a
// cluster network policy rule (ClusterNetworkPolicy, Admin/BaselineAdminNetworkPolicy), with its
// protocol. The manifests have already been read by the policy model (which refuses what Calico
// would), so this only picks the values out. A range counts as its first port; a named port counts
// as the numbers the known workloads give that name.
import { isCalicoGroup, isObject } from '../policy-eval/calico';

/** The protocols whose rules name ports, in the order the matrix lists them. */
export const PORT_PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP', 'UDPLite'];

const PROTOCOL_NUMBERS: { readonly [n: number]: string } = { 6: 'TCP', 17: 'UDP', 132: 'SCTP', 136: 'UDPLite' };

/** A port a rule names, before named ports are resolved. */
interface NamedByRule {
  readonly protocol: string;
  /** The port number (a range's first port), or undefined for a named port. */
  readonly port?: number;
  /** The last port of a range (the port itself when it is no range). */
  readonly end?: number;
  /** The port's name, for a named port. */
  readonly name?: string;
}

/** A candidate column of the matrix: a protocol and port, and how many rule entries name it. */
export interface PortCandidate {
  readonly protocol: string;
  readonly port: number;
  readonly mentions: number;
}

/** What the policies name, gathered. */
export interface PolicyPorts {
  /** Every distinct protocol and port, most named first, then by protocol and number. */
  readonly candidates: readonly PortCandidate[];
  /** Names of named ports no known workload has (sorted). */
  readonly unresolved: readonly string[];
  /** The highest TCP port no rule names (by number, range or resolved name), if there is one. */
  readonly otherTcpPort?: number;
}

/** A workload's named port, as the ends of the matrix have them. */
export interface KnownNamedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

/** Gathers the ports the policies among these manifests name. */
export function policyPorts(manifests: readonly any[], namedPorts: readonly KnownNamedPort[]): PolicyPorts {
  const named: NamedByRule[] = [];
  for (const m of manifests) {
    if (!isObject(m) || !isObject(m.spec)) continue;
    if ((m.kind === 'GlobalNetworkPolicy' || m.kind === 'NetworkPolicy') && isCalicoGroup(m.apiVersion)) {
      for (const rule of [...listOf(m.spec.ingress), ...listOf(m.spec.egress)]) {
        if (!isObject(rule) || !isObject(rule.destination)) continue;
        const protocol = protocolOf(rule.protocol);
        if (protocol === undefined) continue;
        for (const p of listOf(rule.destination.ports)) pushCalicoPort(named, protocol, p);
      }
    } else if (typeof m.apiVersion === 'string' && m.apiVersion.startsWith('policy.networking.k8s.io/')) {
      for (const rule of [...listOf(m.spec.ingress), ...listOf(m.spec.egress)]) pushClusterPolicyPorts(named, rule);
    } else if (m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1') {
      for (const rule of [...listOf(m.spec.ingress), ...listOf(m.spec.egress)]) {
        if (!isObject(rule)) continue;
        for (const p of listOf(rule.ports)) {
          if (!isObject(p)) continue;
          const protocol = p.protocol === undefined ? 'TCP' : protocolOf(p.protocol);
          if (protocol === undefined) continue;
          if (typeof p.port === 'number') named.push({ protocol, port: p.port, end: typeof p.endPort === 'number' ? p.endPort : p.port });
          else if (typeof p.port === 'string') pushCalicoPort(named, protocol, p.port);
        }
      }
    }
  }

  const counts = new Map<string, PortCandidate>();
  const add = (protocol: string, port: number) => {
    const key = `${protocol}/${port}`;
    const seen = counts.get(key);
    counts.set(key, { protocol, port, mentions: (seen?.mentions ?? 0) + 1 });
  };
  // Numbers by name and protocol, looked up once per named rule port (no rules x workloads scan).
  const numbersOf = new Map<string, Set<number>>();
  for (const w of namedPorts) {
    const key = `${w.protocol}/${w.name}`;
    numbersOf.set(key, (numbersOf.get(key) ?? new Set<number>()).add(w.port));
  }
  const unresolved = new Set<string>();
  const tcpRanges: Array<readonly [number, number]> = [];
  for (const n of named) {
    if (n.port !== undefined) {
      add(n.protocol, n.port);
      if (n.protocol === 'TCP') tcpRanges.push([n.port, n.end ?? n.port]);
      continue;
    }
    const numbers = [...numbersOf.get(`${n.protocol}/${n.name}`) ?? []].sort((a, b) => a - b);
    if (numbers.length === 0) unresolved.add(n.name!);
    for (const port of numbers) {
      add(n.protocol, port);
      if (n.protocol === 'TCP') tcpRanges.push([port, port]);
    }
  }
  const candidates = [...counts.values()].sort((a, b) => b.mentions - a.mentions || comparePorts(a, b));
  return {
    candidates,
    unresolved: [...unresolved].sort(compareText),
    otherTcpPort: highestUncovered(tcpRanges),
  };
}

/** The highest port in 1-65535 that none of the ranges covers; one sort, one pass. */
function highestUncovered(ranges: Array<readonly [number, number]>): number | undefined {
  const sorted = [...ranges].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  let candidate = 65535;
  for (const [from, to] of sorted) {
    if (to < candidate) break;
    if (from <= candidate) candidate = Math.min(candidate, from - 1);
  }
  return candidate >= 1 ? candidate : undefined;
}

/** Orders ports by protocol (TCP, UDP, SCTP, UDPLite), then number. */
export function comparePorts(a: { readonly protocol: string; readonly port: number }, b: { readonly protocol: string; readonly port: number }): number {
  return PORT_PROTOCOLS.indexOf(a.protocol) - PORT_PROTOCOLS.indexOf(b.protocol) || a.port - b.port;
}

/** Compares text by UTF-16 code units: the same order on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The protocol's name when it is one whose rules name ports (`TCP`, `udp`, 6, 17, ...). */
export function protocolOf(value: unknown): string | undefined {
  if (typeof value === 'number') return PROTOCOL_NUMBERS[value];
  if (typeof value !== 'string') return undefined;
  return PORT_PROTOCOLS.find(p => p.toLowerCase() === value.toLowerCase());
}

/**
 * The ports of a Kubernetes cluster network policy rule: v1alpha2 (ClusterNetworkPolicy)
 * `protocols[].<tcp|udp|sctp>.destinationPort.{number|range}` and `protocols[].destinationNamedPort`;
 * v1alpha1 (Admin/BaselineAdminNetworkPolicy) `ports[].portNumber`, `.portRange`, `.namedPort`.
 */
function pushClusterPolicyPorts(out: NamedByRule[], rule: unknown): void {
  if (!isObject(rule)) return;
  for (const entry of listOf(rule.protocols)) {
    if (!isObject(entry)) continue;
    if (typeof entry.destinationNamedPort === 'string') out.push({ protocol: 'TCP', name: entry.destinationNamedPort });
    for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
      const port = isObject(entry[key]) && isObject(entry[key].destinationPort) ? entry[key].destinationPort : undefined;
      if (!port) continue;
      if (typeof port.number === 'number') out.push({ protocol, port: port.number, end: port.number });
      else if (isObject(port.range) && typeof port.range.start === 'number') {
        out.push({ protocol, port: port.range.start, end: typeof port.range.end === 'number' ? port.range.end : port.range.start });
      }
    }
  }
  for (const entry of listOf(rule.ports)) {
    if (!isObject(entry)) continue;
    if (typeof entry.namedPort === 'string') out.push({ protocol: 'TCP', name: entry.namedPort });
    const single = isObject(entry.portNumber) ? entry.portNumber : undefined;
    const range = isObject(entry.portRange) ? entry.portRange : undefined;
    const protocol = protocolOf((single ?? range)?.protocol ?? 'TCP');
    if (protocol === undefined) continue;
    if (single && typeof single.port === 'number') out.push({ protocol, port: single.port, end: single.port });
    else if (range && typeof range.start === 'number') out.push({ protocol, port: range.start, end: typeof range.end === 'number' ? range.end : range.start });
  }
}

/** A Calico port entry: a number, `from:to`, a numeric string, or a name. */
function pushCalicoPort(out: NamedByRule[], protocol: string, value: unknown): void {
  if (typeof value === 'number') {
    out.push({ protocol, port: value, end: value });
    return;
  }
  if (typeof value !== 'string' || value === '') return;
  const range = /^(\d{1,5}):(\d{1,5})$/.exec(value);
  if (range) {
    out.push({ protocol, port: Number(range[1]), end: Number(range[2]) });
  } else if (/^\d{1,5}$/.test(value)) {
    out.push({ protocol, port: Number(value), end: Number(value) });
  } else {
    out.push({ protocol, name: value });
  }
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
