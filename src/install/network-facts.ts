/**
 * Facts about the network the cluster runs on. The library derives the routing mode and MTU from them.
 */
export interface NetworkFacts {
  /**
   * The subnets the nodes' addresses are in (CIDRs). One subnet gives native routing; several give
   * IP-in-IP CrossSubnet.
   * @default - not stated: IP-in-IP Always (upstream's default), with an advisory to state them
   */
  readonly nodeSubnets?: string[];
  /**
   * MTU of the node network (for example 9001 on AWS with jumbo frames).
   * @default 1500
   */
  readonly mtu?: number;
  /**
   * Whether nodes may speak BGP with each other (and with routers). When false, VXLAN is used.
   * @default true
   */
  readonly bgpAllowed?: boolean;
  /**
   * Whether the network carries IP-in-IP (IP protocol 4). Azure, for example, drops it.
   * @default true
   */
  readonly ipipAllowed?: boolean;
  /**
   * Whether the fabric enforces source/destination checks (drops packets whose addresses are not
   * the node's own, as AWS does unless the check is disabled). Forces an Always encapsulation.
   * @default false
   */
  readonly sourceDestinationCheck?: boolean;
}
