import { Construct } from 'constructs';
import { CalicoValidationError } from '../../core/errors';
import { quote } from '../../core/quote';
import { findCidrOverlaps, ParsedCidr, parseCidr } from '../../net/address';
import type { NetworkFacts } from '../network-facts';
import { CalicoBackend, Encapsulation, MtuOverhead } from '../routing';

/** Facts about the network, resolved (defaults applied). */
export interface ResolvedFacts {
  readonly nodeSubnets: readonly string[];
  readonly networkMtu: number;
  readonly bgpAllowed: boolean;
  readonly ipipAllowed: boolean;
  readonly sourceDestinationCheck: boolean;
  readonly ipv6: boolean;
  readonly wireguard: boolean;
}

/** One decision the library took, with its reason. */
export interface DecisionRecord {
  readonly topic: string;
  readonly choice: string;
  readonly reason: string;
}

/** The routing mode chosen from the facts (or checked against them when explicit). */
export interface RoutingChoice {
  readonly encapsulation: Encapsulation;
  readonly backend: CalicoBackend;
  readonly reason: string;
}

/** Why an encapsulation cannot work with the facts, or undefined when it can. */
export function incompatibility(e: Encapsulation, f: ResolvedFacts): string | undefined {
  const needsBgp = e === Encapsulation.NONE || e === Encapsulation.IPIP || e === Encapsulation.IPIP_CROSS_SUBNET;
  if (needsBgp && !f.bgpAllowed) {
    return `${e} distributes pod routes with BGP, but the network facts say BGP may not run (bgpAllowed: false); use Encapsulation.VXLAN`;
  }
  if ((e === Encapsulation.IPIP || e === Encapsulation.IPIP_CROSS_SUBNET) && !f.ipipAllowed) {
    return `${e} needs IP-in-IP (IP protocol 4), which the network does not allow (ipipAllowed: false); use Encapsulation.VXLAN`;
  }
  if (e === Encapsulation.NONE && f.sourceDestinationCheck) {
    return 'unencapsulated pod traffic is dropped by a fabric that enforces source/destination checks (sourceDestinationCheck: true); use Encapsulation.IPIP or Encapsulation.VXLAN, or disable the checks';
  }
  if (e === Encapsulation.NONE && f.nodeSubnets.length > 1) {
    return `unencapsulated pod traffic cannot cross the routers between the ${f.nodeSubnets.length} node subnets unless they learn pod routes; use Encapsulation.IPIP_CROSS_SUBNET, or peer with the routers (top-of-rack peering) and keep NONE deliberately through a RoutablePodPool`;
  }
  if ((e === Encapsulation.IPIP_CROSS_SUBNET || e === Encapsulation.VXLAN_CROSS_SUBNET) && f.sourceDestinationCheck) {
    return `${e} sends same-subnet traffic unencapsulated, which a fabric with source/destination checks drops; use the Always form (Encapsulation.IPIP or Encapsulation.VXLAN)`;
  }
  return undefined;
}

function backendFor(e: Encapsulation): CalicoBackend {
  return e === Encapsulation.VXLAN || e === Encapsulation.VXLAN_CROSS_SUBNET ? CalicoBackend.VXLAN : CalicoBackend.BIRD;
}

/** The reference architecture's decision table. */
export function chooseRouting(f: ResolvedFacts): RoutingChoice {
  const subnets = f.nodeSubnets.length;
  if (!f.bgpAllowed || !f.ipipAllowed) {
    const why = !f.bgpAllowed ? 'BGP may not run on this network' : 'the network does not allow IP-in-IP';
    const cross = subnets > 1 && !f.sourceDestinationCheck;
    const e = cross ? Encapsulation.VXLAN_CROSS_SUBNET : Encapsulation.VXLAN;
    const how = cross ? `, only between the ${subnets} node subnets` : (f.sourceDestinationCheck ? ', for all traffic (the fabric enforces source/destination checks)' : ', for all traffic');
    return { encapsulation: e, backend: CalicoBackend.VXLAN, reason: `VXLAN${how}: ${why}, so routes are programmed by Felix without BIRD` };
  }
  if (f.sourceDestinationCheck) {
    return { encapsulation: Encapsulation.IPIP, backend: CalicoBackend.BIRD, reason: 'IP-in-IP Always: the fabric enforces source/destination checks, so every pod packet must carry node addresses' };
  }
  if (subnets > 1) {
    return { encapsulation: Encapsulation.IPIP_CROSS_SUBNET, backend: CalicoBackend.BIRD, reason: `IP-in-IP CrossSubnet: nodes span ${subnets} subnets; traffic inside a subnet stays native` };
  }
  if (subnets === 1) {
    return { encapsulation: Encapsulation.NONE, backend: CalicoBackend.BIRD, reason: `no encapsulation: all nodes share one subnet (${f.nodeSubnets[0]}), so BGP routes reach every node directly` };
  }
  return { encapsulation: Encapsulation.IPIP, backend: CalicoBackend.BIRD, reason: 'IP-in-IP Always: no node subnets were stated, so the library keeps upstream\'s safe default; state nodeSubnets to get native routing or CrossSubnet' };
}

/** Checks an explicit encapsulation against the facts and records why it is used. */
export function checkedRouting(e: Encapsulation, f: ResolvedFacts): RoutingChoice | string {
  const problem = incompatibility(e, f);
  if (problem) return problem;
  return { encapsulation: e, backend: backendFor(e), reason: `${e}: chosen explicitly (encapsulation prop) and compatible with the stated network facts` };
}

/** The veth MTU for the chosen encapsulation and features: the largest overhead wins. */
export function vethMtu(f: ResolvedFacts, e: Encapsulation): { mtu: number; overhead: number; reason: string } {
  const parts: Array<[string, number]> = [[`${e === Encapsulation.NONE ? 'no encapsulation' : e}`, MtuOverhead.of(e, f.ipv6 && (e === Encapsulation.VXLAN || e === Encapsulation.VXLAN_CROSS_SUBNET))]];
  if (f.wireguard) parts.push([f.ipv6 ? 'WireGuard over IPv6' : 'WireGuard', f.ipv6 ? MtuOverhead.WIREGUARD_IPV6 : MtuOverhead.WIREGUARD_IPV4]);
  const [label, overhead] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  const mtu = f.networkMtu - overhead;
  return { mtu, overhead, reason: `veth MTU ${mtu} = network MTU ${f.networkMtu} - ${overhead} (${label})` };
}

/** The network facts with their defaults applied; malformed or overlapping subnets and an MTU out of range throw. */
export function resolveFacts(scope: Construct, network: NetworkFacts, ipv6: boolean, wireguard: boolean): ResolvedFacts {
  const subnets = network.nodeSubnets ?? [];
  const parsed = subnets.map(s => {
    const cidr = parseCidr(s);
    if (!cidr) {
      throw new CalicoValidationError(`CalicoCluster: network.nodeSubnets entry ${quote(s)} is not a CIDR; write it as an address and prefix length, e.g. '10.0.1.0/24'`, scope);
    }
    if (!cidr.strict) {
      throw new CalicoValidationError(`CalicoCluster: network.nodeSubnets entry '${s}' has host bits set; write the subnet itself, '${cidr.text}'`, scope);
    }
    return cidr;
  });
  const overlap = findCidrOverlaps(parsed)[0];
  if (overlap) {
    const [a, b] = [overlap.otherIndex, overlap.index].sort((x, y) => x - y);
    throw new CalicoValidationError(`CalicoCluster: network.nodeSubnets entries ${quote(subnets[a])} and ${quote(subnets[b])} overlap; list each node subnet once, without nesting one in another`, scope);
  }
  const mtu = network.mtu ?? 1500;
  if (!Number.isInteger(mtu) || mtu < MtuOverhead.MIN_IPV4_MTU || mtu > MtuOverhead.MAX_NETWORK_MTU) {
    throw new CalicoValidationError(`CalicoCluster: network.mtu ${mtu} is outside ${MtuOverhead.MIN_IPV4_MTU}-${MtuOverhead.MAX_NETWORK_MTU}; give the MTU of the node network (1500, or 9001 on AWS with jumbo frames)`, scope);
  }
  return {
    nodeSubnets: subnets,
    networkMtu: mtu,
    bgpAllowed: network.bgpAllowed ?? true,
    ipipAllowed: network.ipipAllowed ?? true,
    sourceDestinationCheck: network.sourceDestinationCheck ?? false,
    ipv6,
    wireguard,
  };
}

/** Checks the declared service ranges: CIDRs without host bits, at most one per IP family. */
export function checkServiceCidrs(scope: Construct, cidrs: string[]): string[] {
  const seen = new Map<number, ParsedCidr>();
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) {
      throw new CalicoValidationError(`CalicoCluster: serviceCidrs entry ${quote(text)} is not a CIDR; give the kube-apiserver `
        + "--service-cluster-ip-range, e.g. '10.96.0.0/12' or 'fd00:10:96::/112'", scope);
    }
    if (!cidr.strict) {
      throw new CalicoValidationError(`CalicoCluster: serviceCidrs entry ${quote(text)} has host bits set; write the network '${cidr.text}'`, scope);
    }
    const other = seen.get(cidr.version);
    if (other) {
      throw new CalicoValidationError(`CalicoCluster: serviceCidrs has two IPv${cidr.version} ranges ('${other.text}' and ${quote(text)}); `
        + 'Kubernetes takes one service range per IP family, so give one IPv4 and at most one IPv6 range', scope);
    }
    seen.set(cidr.version, cidr);
  }
  return [...cidrs];
}
