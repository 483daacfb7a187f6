import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BgpPeerSpec, toJson_BgpPeerSpec } from '../../imports/crd.projectcalico.org';
import { AsNumber, BgpSecretKeyRef } from './bgp-configuration';
import { BgpFilter, IBgpFilter } from './bgp-filter';
import { checkArguments } from '../core/argument-check';
import { throwIssues } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { asGenerated, checkAdded, goDuration } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';
import { Selector } from '../language/selector';

/**
 * Which source address Calico configures for the sessions of a BGP peering.
 */
export enum BgpSourceAddress {
  /** Use the node's BGP address as the session's source address. */
  USE_NODE_IP = 'UseNodeIP',
  /** Configure no source address; the kernel picks one from the route to the peer. */
  NONE = 'None',
}

/**
 * How a BGP peering sets the next hop of the routes it sends.
 */
export enum BgpNextHopMode {
  /** BGP's default behaviour (BIRD's, for the kind of session). */
  AUTO = 'Auto',
  /** The node's own address (`next hop self`). */
  SELF = 'Self',
  /** The next hop the route arrived with (`next hop keep`). */
  KEEP = 'Keep',
}

/**
 * Whether the nodes a `peerSelector` selects peer back by themselves.
 */
export enum BgpReversePeering {
  /** Calico configures the reverse peering on the selected nodes. */
  AUTO = 'Auto',
  /** The reverse peering needs a BGPPeer of its own. */
  MANUAL = 'Manual',
}

/**
 * Properties of a `BgpPeer`.
 *
 * Which nodes peer: `node` (one node) or `nodeSelector` (many), or every node when neither is
 * set. With whom: `peerIp` + `asNumber` (a router outside the cluster, or one address) or
 * `peerSelector` (other Calico nodes, e.g. route reflectors).
 */
export interface BgpPeerProps extends CalicoResourceProps {
  /**
   * Address of the peer (IPv4 or IPv6, without a port; see `peerPort`). Leave unset with
   * `peerSelector`.
   * @default - no address; the peers are the nodes `peerSelector` selects
   */
  readonly peerIp?: string;
  /**
   * TCP port of the peer, written into `peerIP` as `ip:port` or `[ipv6]:port`. Needs `peerIp`.
   * @default - the peer's BGPConfiguration `listenPort` when it is a Calico node, else 179
   */
  readonly peerPort?: number;
  /**
   * AS number of the peer at `peerIp`. Leave unset with `peerSelector` (the selected nodes' own
   * AS numbers are used).
   * @default - the cluster's AS number (an iBGP peering)
   */
  readonly asNumber?: AsNumber;
  /**
   * Name of the one node that has this peering. Not with `nodeSelector`.
   * @default - the nodes `nodeSelector` selects, or every node when neither is set
   */
  readonly node?: string;
  /**
   * The nodes that have this peering. Not with `node`.
   * @default - the node `node` names, or every node when neither is set
   */
  readonly nodeSelector?: Selector;
  /**
   * The Calico nodes to peer with (e.g. `Selector.has('route-reflector')`). Not with `peerIp`
   * or `asNumber`.
   * @default - no node selection; the peer is `peerIp`
   */
  readonly peerSelector?: Selector;
  /**
   * The AS number the nodes use on these sessions, instead of the cluster's (for example to
   * appear to a router as one AS per rack).
   * @default - the node's AS number, else the cluster's
   */
  readonly localAsNumber?: AsNumber;
  /**
   * Keep the original next hop of routes sent to this peer instead of the node's own address.
   * Deprecated upstream in favour of `nextHopMode`; not with it.
   * @default false
   */
  readonly keepOriginalNextHop?: boolean;
  /**
   * How the sessions set the next hop of the routes they send. Not with `keepOriginalNextHop`.
   * @default - BGP's default behaviour (as BgpNextHopMode.AUTO)
   */
  readonly nextHopMode?: BgpNextHopMode;
  /**
   * Whether the nodes `peerSelector` selects peer back by themselves.
   * @default BgpReversePeering.AUTO
   */
  readonly reversePeering?: BgpReversePeering;
  /**
   * Peer with the workloads (pods) on each node that this selector matches, for example a
   * virtual router running as a pod; needs `asNumber` and neither `peerIp` nor `peerSelector`.
   * @default - no workload peering
   */
  readonly localWorkloadSelector?: Selector;
  /**
   * Time between the keepalive messages of the sessions. Calico v3.32 and later.
   * @default - BIRD's default, a third of the hold time
   */
  readonly keepaliveTime?: Duration;
  /**
   * BGP (TCP MD5) password of the sessions.
   * @default - no password
   */
  readonly password?: BgpSecretKeyRef;
  /**
   * Which source address the sessions use.
   * @default BgpSourceAddress.USE_NODE_IP
   */
  readonly sourceAddress?: BgpSourceAddress;
  /**
   * Graceful-restart time of the sessions.
   * @default - BIRD's default of 120 seconds
   */
  readonly maxRestartTime?: Duration;
  /**
   * Enables TTL security (GTSM) with this many hops to the peer (1-255).
   * @default - TTL security off
   */
  readonly ttlSecurity?: number;
  /**
   * BGP filters applied, in order, to the routes of these sessions. Add more with `addFilter()`.
   * @default - no filters
   */
  readonly filters?: IBgpFilter[];
  /**
   * Address of the gateway through which `peerIp` is reached; Calico adds a host route to the
   * peer through it (avoids route flapping when the peer advertises its own address). Needs
   * `peerIp` of the same IP version.
   * @default - no static route to the peer
   */
  readonly reachableBy?: string;
  /**
   * How many times the local AS number may appear in the AS path of received routes. Disables
   * part of BGP's loop prevention; only for topologies that need it.
   * @default - routes containing the local AS number are rejected (BGP's loop prevention)
   */
  readonly numAllowedLocalAsNumbers?: number;
}

/**
 * A Calico BGP peering (`BGPPeer`): which nodes open BGP sessions with which peers.
 *
 * @example
 * // Every node that is not a route reflector peers with the route reflectors.
 * new BgpPeer(chart, 'to-reflectors', {
 *   nodeSelector: Selector.parse('!has(route-reflector)'),
 *   peerSelector: Selector.parse('has(route-reflector)'),
 * });
 * // Rack A peers with its top-of-rack router.
 * new BgpPeer(chart, 'rack-a-tor', {
 *   nodeSelector: Selector.parse("rack == 'a'"),
 *   peerIp: '10.0.0.1',
 *   asNumber: AsNumber.of(64513),
 * });
 */
export class BgpPeer extends CalicoResource {
  /** The peer address, as given (without the port). */
  public readonly peerIp?: string;
  /** The peer port, when given. */
  public readonly peerPort?: number;
  /** The peer AS number, when given. */
  public readonly asNumber?: AsNumber;
  /** The one node with this peering, when given. */
  public readonly nodeName?: string;
  /** The node selector, when given. */
  public readonly nodeSelector?: Selector;
  /** The peer selector, when given. */
  public readonly peerSelector?: Selector;
  private readonly given: BgpPeerProps;
  private readonly restartTime?: string;
  private readonly keepalive?: string;
  private readonly filterList: IBgpFilter[];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the peering
   */
  constructor(scope: Construct, id: string, props: BgpPeerProps = {}) {
    // The BGPPeer validator reports a sourceAddress it does not know under its manifest path (spec.sourceAddress).
    checkArguments('BgpPeer', [scope, id, props], { leave: ['BgpSourceAddress'] });
    super(scope, id, 'BGPPeer', props);
    this.given = props;
    this.peerIp = props.peerIp;
    this.peerPort = props.peerPort;
    this.asNumber = props.asNumber;
    this.nodeName = props.node;
    this.nodeSelector = props.nodeSelector;
    this.peerSelector = props.peerSelector;
    this.checkPort();
    this.restartTime = props.maxRestartTime ? goDuration(props.maxRestartTime, 'maxRestartTime', this) : undefined;
    this.keepalive = props.keepaliveTime ? goDuration(props.keepaliveTime, 'keepaliveTime', this) : undefined;
    this.filterList = [...(props.filters ?? [])];
    this.validateNow();
  }

  /** Names of the BGP filters applied, in order (a copy). */
  public get filters(): string[] {
    return this.filterList.map(f => f.name);
  }

  /**
   * Applies one more BGP filter after the existing ones.
   * @param filter a `BgpFilter`, or `BgpFilter.fromFilterName('...')`
   */
  public addFilter(filter: IBgpFilter): void {
    checkArguments('BgpPeer.addFilter', [filter], { scope: this });
    this.filterList.push(filter);
    checkAdded(this, `spec.filters[${this.filterList.length - 1}]`, () => this.filterList.pop());
  }

  /**
   * The filters applied that are not BgpFilter constructs of this chart (`fromFilterName`, or a
   * filter in another chart), as `BGPFilter/<name>`.
   * @internal
   */
  public _externalReferences(): string[] {
    const chart = Chart.of(this);
    return this.filterList.filter(f => !(f instanceof BgpFilter) || Chart.of(f) !== chart).map(f => `BGPFilter/${f.name}`);
  }

  protected renderSpec(): any {
    const p = this.given;
    const spec: BgpPeerSpec = {
      node: p.node,
      nodeSelector: p.nodeSelector?.toString(),
      peerIp: this.renderPeerIp(),
      peerSelector: p.peerSelector?.toString(),
      asNumber: p.asNumber?.value,
      localAsNumber: p.localAsNumber?.value,
      keepOriginalNextHop: p.keepOriginalNextHop,
      nextHopMode: asGenerated(p.nextHopMode),
      reversePeering: p.reversePeering,
      localWorkloadSelector: p.localWorkloadSelector?.toString(),
      keepaliveTime: this.keepalive,
      password: p.password ? { secretKeyRef: { name: p.password.name, key: p.password.key } } : undefined,
      sourceAddress: asGenerated(p.sourceAddress),
      maxRestartTime: this.restartTime,
      ttlSecurity: p.ttlSecurity,
      filters: this.filterList.length ? this.filterList.map(f => f.name) : undefined,
      reachableBy: p.reachableBy,
      numAllowedLocalAsNumbers: p.numAllowedLocalAsNumbers,
    };
    return toJson_BgpPeerSpec(spec);
  }

  private renderPeerIp(): string | undefined {
    const ip = this.given.peerIp;
    if (ip === undefined || this.given.peerPort === undefined) return ip;
    return ip.includes(':') ? `[${ip}]:${this.given.peerPort}` : `${ip}:${this.given.peerPort}`;
  }

  private checkPort(): void {
    const { peerIp, peerPort } = this.given;
    if (peerPort === undefined) return;
    const fail = (message: string) => throwIssues(this, `BGPPeer ${quote(this.name)}`, [{ path: 'spec.peerIP', message }]);
    if (!Number.isInteger(peerPort) || peerPort < 1 || peerPort > 65535) {
      fail(`peerPort ${quoteJson(peerPort)} is not a TCP port; use an integer from 1 to 65535`);
    }
    if (peerIp === undefined) {
      return fail(`peerPort ${peerPort} needs a peer address; set peerIp, or drop peerPort when peering by peerSelector`);
    }
    if (/^\[.*\]:\d+$/.test(peerIp) || /^[0-9.]+:\d+$/.test(peerIp)) {
      fail(`peerIp ${quote(peerIp)} already carries a port and peerPort ${peerPort} gives another; `
        + 'give the bare address in peerIp and the port in peerPort');
    }
  }
}
