import { checkArguments } from '../core/argument-check';

/**
 * How pod traffic between nodes is carried: the operator's `encapsulation` vocabulary.
 */
export enum Encapsulation {
  /** No encapsulation: pod routes are distributed with BGP and packets travel natively. */
  NONE = 'None',
  /** IP-in-IP between nodes in different subnets only; native inside a subnet. Needs BGP. */
  IPIP_CROSS_SUBNET = 'IPIPCrossSubnet',
  /** IP-in-IP for all traffic between nodes. Needs BGP; IPv4 only. */
  IPIP = 'IPIP',
  /** VXLAN between nodes in different subnets only; native inside a subnet. */
  VXLAN_CROSS_SUBNET = 'VXLANCrossSubnet',
  /** VXLAN for all traffic between nodes. Works without BGP. */
  VXLAN = 'VXLAN',
}

/**
 * The networking backend calico-node runs (`calico_backend` in calico-config).
 */
export enum CalicoBackend {
  /** BIRD speaks BGP: native routing or IP-in-IP. */
  BIRD = 'bird',
  /** No BGP: VXLAN only, routes programmed by Felix. */
  VXLAN = 'vxlan',
  /** Policy only: another plugin does the networking. */
  NONE = 'none',
}

/**
 * The per-packet overhead, in bytes, of each encapsulation Calico can use, and MTU helpers.
 */
export class MtuOverhead {
  /** IP-in-IP: an outer IPv4 header (IPv4 only). */
  public static readonly IPIP = 20;
  /** VXLAN over IPv4. */
  public static readonly VXLAN_IPV4 = 50;
  /** VXLAN over IPv6. */
  public static readonly VXLAN_IPV6 = 70;
  /** WireGuard over IPv4. */
  public static readonly WIREGUARD_IPV4 = 60;
  /** WireGuard over IPv6. */
  public static readonly WIREGUARD_IPV6 = 80;
  /** Largest network MTU the library accepts (common jumbo-frame ceiling of switches). */
  public static readonly MAX_NETWORK_MTU = 9216;
  /** Smallest workload MTU for IPv4 (every IPv4 host must accept 576-byte datagrams). */
  public static readonly MIN_IPV4_MTU = 576;
  /** Smallest workload MTU for IPv6 (RFC 8200 minimum link MTU). */
  public static readonly MIN_IPV6_MTU = 1280;

  /**
   * The overhead of an encapsulation for the address families in use.
   * @param encapsulation the encapsulation
   * @param ipv6 whether IPv6 traffic is encapsulated too (VXLAN over IPv6 costs 70)
   */
  public static of(encapsulation: Encapsulation, ipv6: boolean): number {
    checkArguments('MtuOverhead.of', [encapsulation, ipv6]);
    switch (encapsulation) {
      case Encapsulation.NONE: return 0;
      case Encapsulation.IPIP:
      case Encapsulation.IPIP_CROSS_SUBNET: return MtuOverhead.IPIP;
      case Encapsulation.VXLAN:
      case Encapsulation.VXLAN_CROSS_SUBNET: return ipv6 ? MtuOverhead.VXLAN_IPV6 : MtuOverhead.VXLAN_IPV4;
    }
  }

  private constructor() {}
}
