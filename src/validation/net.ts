// Address and CIDR primitives shared by every validator. All address math goes through ip-num.
// STUB SIGNATURES: the IPAM/BGP validation helper implements these (keep the signatures).

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
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(_text: unknown): ParsedIp | undefined {
  return undefined;
}

/** Parses 'a.b.c.d/n' or 'x::/n'; undefined when it is not a CIDR. */
export function parseCidr(_text: unknown): ParsedCidr | undefined {
  return undefined;
}

/** Whether two parsed CIDRs share any address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}
