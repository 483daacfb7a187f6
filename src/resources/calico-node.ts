import { Construct } from 'constructs';
import { AsNumber } from './bgp-configuration';
import { CalicoResource, CalicoResourceProps } from './resource';
import { checkArguments } from '../core/argument-check';
import { ValidationIssue } from '../core/errors';

/**
 * The BGP settings of one Calico node.
 */
export interface CalicoNodeBgp {
  /**
   * The node's IPv4 address and subnet in CIDR form, e.g. `10.0.0.5/24`; the subnet decides which
   * nodes count as "same subnet" for `CrossSubnet` encapsulation.
   * @default - calico-node autodetects it
   */
  readonly ipv4Address?: string;
  /**
   * The node's IPv6 address and subnet in CIDR form, e.g. `fd00::5/64`.
   * @default - calico-node autodetects it when IPv6 is enabled
   */
  readonly ipv6Address?: string;
  /**
   * The IPv4 address of the node's IP-in-IP tunnel device.
   * @default - assigned by Calico IPAM from a pool with the Tunnel use
   */
  readonly ipv4IpipTunnelAddr?: string;
  /**
   * The node's own AS number.
   * @default - the cluster AS number of the `default` BGPConfiguration
   */
  readonly asNumber?: AsNumber;
  /**
   * Makes the node a route reflector in this cluster ID, an IPv4 address (e.g. `244.0.0.1`);
   * reflectors that back each other up share one ID. The node leaves the node-to-node mesh as
   * soon as it is set.
   * @default - the node is not a route reflector
   */
  readonly routeReflectorClusterId?: string;
}

/**
 * Properties of a `CalicoNode`.
 */
export interface CalicoNodeProps extends CalicoResourceProps {
  /**
   * BGP settings of the node.
   * @default - none: everything is autodetected or taken from the BGPConfiguration
   */
  readonly bgp?: CalicoNodeBgp;
}

/**
 * The Calico `Node` resource of one Kubernetes node: its BGP address, AS number and route
 * reflector cluster ID, and its labels (which BGPPeer and IPPool selectors match).
 *
 * Its `name` must be the Kubernetes node's name (it defaults to the construct id).
 *
 * In Kubernetes-datastore mode (every Kubernetes install) Calico stores no separate object for
 * it: the resource is backed by the Kubernetes Node. `calicoctl apply` of this manifest writes
 * its labels onto the Kubernetes Node and its BGP settings into Node annotations
 * (`projectcalico.org/IPv4Address`, `projectcalico.org/RouteReflectorClusterID`, ...; see
 * `kubernetesNodeAnnotations()`). There is no `crd.projectcalico.org/v1` CRD for it, so a chart
 * written with `CalicoApiVersion.CRD_V1` refuses a CalicoNode at synthesis; label and annotate
 * the Kubernetes Node instead.
 *
 * @example
 * new CalicoNode(chart, 'rr-1', {
 *   name: 'node-a.example.com',
 *   labels: { 'route-reflector': 'true' },
 *   bgp: { ipv4Address: '10.0.0.5/24', routeReflectorClusterId: '244.0.0.1' },
 * });
 */
export class CalicoNode extends CalicoResource {
  private readonly bgp?: CalicoNodeBgp;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name, which must be the Kubernetes node name)
   * @param props the node
   */
  constructor(scope: Construct, id: string, props: CalicoNodeProps = {}) {
    checkArguments('CalicoNode', [scope, id, props]);
    super(scope, id, 'Node', props);
    this.bgp = props.bgp ? { ...props.bgp } : undefined;
    this.validateNow();
  }

  /** The route reflector cluster ID, when the node is a route reflector. */
  public get routeReflectorClusterId(): string | undefined {
    return this.bgp?.routeReflectorClusterId;
  }

  /**
   * The annotations Calico keeps this node's BGP settings in on the Kubernetes Node, for
   * clusters managed without calicoctl (e.g. `kubectl annotate node <name> <key>=<value>`).
   * @returns annotation key to value, only for the settings that are given
   */
  public kubernetesNodeAnnotations(): { [key: string]: string } {
    const b = this.bgp ?? {};
    const out: { [key: string]: string } = {};
    if (b.asNumber !== undefined) out['projectcalico.org/ASNumber'] = b.asNumber.toString();
    if (b.ipv4Address !== undefined) out['projectcalico.org/IPv4Address'] = b.ipv4Address;
    if (b.ipv4IpipTunnelAddr !== undefined) out['projectcalico.org/IPv4IPIPTunnelAddr'] = b.ipv4IpipTunnelAddr;
    if (b.ipv6Address !== undefined) out['projectcalico.org/IPv6Address'] = b.ipv6Address;
    if (b.routeReflectorClusterId !== undefined) out['projectcalico.org/RouteReflectorClusterID'] = b.routeReflectorClusterId;
    return out;
  }

  /**
   * The Calico Node kind has no CRD in Kubernetes-datastore mode.
   * @internal
   */
  public _storageIssues(): ValidationIssue[] {
    return [{
      path: '',
      message: 'the Calico Node resource has no CRD in Kubernetes-datastore mode, so it cannot be written as crd.projectcalico.org/v1. '
        + 'Label and annotate the Kubernetes Node instead (labels as given; projectcalico.org/IPv4Address for the BGP address, '
        + 'projectcalico.org/RouteReflectorClusterID for the cluster ID), or write this chart in projectcalico.org/v3 and apply it with calicoctl.',
    }];
  }

  protected renderSpec(): any {
    // The Node kind has no CRD, so there is no generated layer to render through.
    const b = this.bgp;
    if (!b) return {};
    const bgp: { [key: string]: any } = {};
    if (b.asNumber !== undefined) bgp.asNumber = b.asNumber.value;
    if (b.ipv4Address !== undefined) bgp.ipv4Address = b.ipv4Address;
    if (b.ipv4IpipTunnelAddr !== undefined) bgp.ipv4IPIPTunnelAddr = b.ipv4IpipTunnelAddr;
    if (b.ipv6Address !== undefined) bgp.ipv6Address = b.ipv6Address;
    if (b.routeReflectorClusterId !== undefined) bgp.routeReflectorClusterID = b.routeReflectorClusterId;
    return { bgp };
  }
}
