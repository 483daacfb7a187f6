import { Construct } from 'constructs';
import { BgpPeer } from '../resources/bgp-peer';
import type { CalicoCluster } from '../install/calico-cluster';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quoteJson } from '../core/quote';
import { checkRouter, claimSingleton, topologyOf } from './private/bgp-topology';
import { Selector } from '../language/selector';
import type { BgpRouter } from './bgp-router';
import { isCidrWithin, ParsedCidr, parseCidr } from '../net/address';
import { DeclaredRangeKind } from '../validation/manifest-set';

/**
 * Properties of `RoutableServices`.
 */
export interface RoutableServicesProps {
  /** The cluster whose services are advertised. */
  readonly cluster: CalicoCluster;
  /**
   * Service cluster IP ranges to advertise (`serviceClusterIPs`); each must lie inside one of the
   * cluster's declared `serviceCidrs` of the same IP family.
   * @default - every declared service range (IPv4 and, when declared, IPv6)
   */
  readonly clusterIps?: string[];
  /**
   * Ranges of service external IPs that may be advertised (`serviceExternalIPs`). They must stay
   * out of the service cluster ranges and the pod pools.
   * @default - external IPs are not advertised
   */
  readonly externalIps?: string[];
  /**
   * Ranges of LoadBalancer ingress IPs that may be advertised (`serviceLoadBalancerIPs`). They
   * must stay out of the service cluster ranges and the pod pools.
   * @default - LoadBalancer IPs are not advertised
   */
  readonly loadBalancerIps?: string[];
  /**
   * Routers every node peers with to advertise the ranges. Calico sends IPv4 routes over IPv4
   * sessions and IPv6 routes over IPv6 sessions, so give a router of each family you advertise.
   * @default - none: the ranges go to the peerings the cluster already has
   */
  readonly routers?: BgpRouter[];
}

/**
 * Advertises Kubernetes service addresses over BGP, so routers outside the cluster send service
 * traffic straight to the nodes: service cluster IPs, external IPs and LoadBalancer IPs, IPv4 and
 * IPv6 together.
 *
 * Writes the ranges into the cluster's BGPConfiguration `default` (`serviceClusterIPs`,
 * `serviceExternalIPs`, `serviceLoadBalancerIPs`) and, for each router, a BGPPeer
 * `router-<address>` from every node.
 *
 * Rules, checked here: cluster IP ranges lie inside the declared service ranges of their family;
 * no range is listed twice; IPv6 ranges need a dual-stack cluster; with routers, each advertised
 * family has a router of that family. At synthesis: external and LoadBalancer ranges stay out of
 * the service cluster ranges and the pod pools.
 *
 * @example
 * new RoutableServices(chart, 'services', {
 *   cluster,
 *   routers: [{ ip: '192.168.1.1', asNumber: AsNumber.of(64400) }],
 * });
 */
export class RoutableServices extends Construct {
  /** The cluster whose services are advertised. */
  public readonly cluster: CalicoCluster;
  /** The advertised service cluster IP ranges. */
  public readonly clusterIps: string[];
  /** The advertised external IP ranges. */
  public readonly externalIps: string[];
  /** The advertised LoadBalancer IP ranges. */
  public readonly loadBalancerIps: string[];
  /** The BGPPeers to the routers, in the order given. */
  public readonly routerPeers: BgpPeer[];

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the ranges and the routers
   */
  constructor(scope: Construct, id: string, props: RoutableServicesProps) {
    checkArguments('RoutableServices', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    this.cluster = cluster;
    const bgp = cluster.requireBgp('RoutableServices');
    claimSingleton(cluster, 'a RoutableServices', this, 'advertise every range from that one construct');
    const state = topologyOf(cluster);

    const declared = cluster.serviceCidrs.map(s => parseCidr(s)!);
    const families = new Set<number>();
    const read = (field: string, list: string[]): ParsedCidr[] => {
      const seen = new Set<string>();
      return list.map(text => {
        const cidr = parseCidr(text);
        if (!cidr || !cidr.strict) {
          const fix = cidr ? `write the network '${cidr.text}'` : "write it like '10.96.0.0/12' or 'fd00:10:96::/112'";
          throw new CalicoValidationError(`RoutableServices: ${field} entry ${quoteJson(text)} is not a network CIDR; ${fix}`, this);
        }
        if (seen.has(cidr.text)) {
          throw new CalicoValidationError(`RoutableServices: ${field} lists ${cidr.text} twice; give each range once`, this);
        }
        seen.add(cidr.text);
        if (cidr.version === 6 && !cluster.defaultIpv6Pool) {
          throw new CalicoValidationError(`RoutableServices: ${field} entry ${text} is IPv6, but the cluster is IPv4 only, so nodes run `
            + 'no IPv6 BGP sessions to advertise it over; set ipv6PodCidr on the cluster (dual stack) or drop the range', this);
        }
        families.add(cidr.version);
        return cidr;
      });
    };

    this.clusterIps = [...(props.clusterIps ?? cluster.serviceCidrs)];
    for (const cidr of read('clusterIps', this.clusterIps)) {
      const inside = declared.some(d => isCidrWithin(cidr, d));
      if (!inside) {
        const same = declared.filter(d => d.version === cidr.version).map(d => d.text);
        const where = same.length ? `the declared IPv${cidr.version} service range ${same.join(', ')}`
          : `any declared service range (none is IPv${cidr.version})`;
        throw new CalicoValidationError(`RoutableServices: clusterIps entry ${cidr.text} lies outside ${where}; advertise a range inside `
          + "it, or declare the cluster's real --service-cluster-ip-range in serviceCidrs", this);
      }
    }
    this.externalIps = [...(props.externalIps ?? [])];
    this.loadBalancerIps = [...(props.loadBalancerIps ?? [])];
    for (const [field, list] of [['externalIps', this.externalIps], ['loadBalancerIps', this.loadBalancerIps]] as const) {
      for (const cidr of read(field, list)) {
        state.ranges.push({ kind: DeclaredRangeKind.ADVERTISED, cidr: cidr.text, describe: `RoutableServices ${field} range ${cidr.text}`, scope: this });
      }
    }
    if (families.size === 0) {
      throw new CalicoValidationError('RoutableServices advertises nothing; give clusterIps, externalIps or loadBalancerIps '
        + '(clusterIps defaults to the declared serviceCidrs)', this);
    }

    this.routerPeers = [];
    const routerFamilies = new Set<number>();
    for (const router of props.routers ?? []) {
      const ip = checkRouter(cluster, router, 'RoutableServices', this);
      const name = `router-${ip.text.replace(/[.:]/g, '-')}`.replace(/(?<!-)-+$/, '');
      if (this.routerPeers.some(p => p.name === name)) {
        throw new CalicoValidationError(`RoutableServices: router ${ip.text} is listed twice; give each router once`, this);
      }
      routerFamilies.add(ip.version);
      this.routerPeers.push(new BgpPeer(this, `Router-${ip.text}`, {
        name,
        nodeSelector: Selector.all(),
        peerIp: ip.text,
        asNumber: router.asNumber,
      }));
    }
    if (this.routerPeers.length) {
      for (const family of families) {
        if (!routerFamilies.has(family)) {
          throw new CalicoValidationError(`RoutableServices: IPv${family} ranges are advertised, but no router is IPv${family}; Calico `
            + `sends IPv${family} routes over IPv${family} sessions only, so add an IPv${family} router address`, this);
        }
      }
    }

    for (const cidr of this.clusterIps) bgp.addServiceClusterIp(cidr);
    for (const cidr of this.externalIps) bgp.addServiceExternalIp(cidr);
    for (const cidr of this.loadBalancerIps) bgp.addServiceLoadBalancerIp(cidr);
    const to = this.routerPeers.length ? `to ${this.routerPeers.map(p => p.peerIp).join(', ')}` : 'to the existing BGP peers';
    cluster.decide('service-advertisement', [...this.clusterIps, ...this.externalIps, ...this.loadBalancerIps].join(', '),
      `every node advertises the service ranges ${to}, so routers reach services without a load balancer in front`);
  }
}
