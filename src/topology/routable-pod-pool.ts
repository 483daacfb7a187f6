import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BgpFilter, BgpFilterAction, BgpFilterMatchOperator } from '../resources/bgp-filter';
import { BgpPeer } from '../resources/bgp-peer';
import type { CalicoCluster } from '../install/calico-cluster';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { IpipMode, IpPool, VxlanMode } from '../resources/ip-pool';
import { checkRouter, topologyOf } from './private/bgp-topology';
import { Selector } from '../language/selector';
import type { BgpRouter } from './bgp-router';
import { parseCidr } from '../net/address';
import type { ManualStep } from '../install/cluster-records';
import { NodeSettingsDelivery } from './node-settings';
import { checkNodeName, deliveryOf, kubectlCommand, setNodeKeys } from './private/node-settings';

/**
 * Properties of a `RoutablePodPool`.
 */
export interface RoutablePodPoolProps {
  /** The cluster the pool belongs to. */
  readonly cluster: CalicoCluster;
  /**
   * The pool range: addresses the network outside the cluster routes to pods, e.g.
   * `'10.70.0.0/20'`. Must not overlap other pools, the service ranges or the node subnets.
   */
  readonly cidr: string;
  /** The router the routable nodes advertise the pool's routes to. */
  readonly router: BgpRouter;
  /**
   * `metadata.name` of the IPPool; also the prefix of the BGPPeer (`<name>-router`) and BGPFilter
   * (`<name>-export`) names.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Block size of the pool.
   * @default - 26 for IPv4 (64 addresses a block), 122 for IPv6, Calico's defaults
   */
  readonly blockSize?: number;
  /**
   * How many nodes may be labelled `network-type=routable` (take addresses from this pool).
   * @default - the cluster's `expectedNodes`; without either, capacity is not checked (advisory)
   */
  readonly maxRoutableNodes?: number;
  /**
   * How many nodes may be labelled `network-type=non-routable` (take addresses from the default pool).
   * @default - the cluster's `expectedNodes`; without either, capacity is not checked (advisory)
   */
  readonly maxNonRoutableNodes?: number;
  /**
   * The most pods a node runs (the kubelet's `maxPods`); with the block size it gives the blocks
   * each node needs.
   * @default 110 (the kubelet's default)
   */
  readonly maxPodsPerNode?: number;
  /**
   * Masquerade pod traffic leaving the pools.
   * @default false - the addresses are routable, so destinations can answer pods directly
   */
  readonly natOutgoing?: boolean;
  /**
   * The Kubernetes nodes whose pods take addresses from this pool: each gets the label
   * `network-type=routable` (see `nodeSettings`).
   * @default - none listed: the cluster's `manualSteps` say to label them by hand
   */
  readonly routableNodes?: string[];
  /**
   * The Kubernetes nodes whose pods keep the default pool: each gets the label
   * `network-type=non-routable` (see `nodeSettings`).
   * @default - none listed: the cluster's `manualSteps` say to label them by hand
   */
  readonly nonRoutableNodes?: string[];
  /**
   * How the nodes in `routableNodes` and `nonRoutableNodes` get their `network-type` label:
   * Kubernetes Node objects in the cluster's `CalicoStage.NODES` chart (in the etcd datastore too:
   * calico-kube-controllers copies Kubernetes Node labels to the Calico Nodes there), or only the
   * `kubectl label` commands in the cluster's `manualSteps`. `CALICO_NODES` is refused: a Calico
   * Node resource would rewrite the node's BGP spec just to add a label.
   * @default NodeSettingsDelivery.KUBERNETES_NODES
   */
  readonly nodeSettings?: NodeSettingsDelivery;
}

/**
 * A pool of pod addresses that the network outside the cluster can route to, for the nodes
 * labelled `network-type=routable`; every other node keeps the default pool, restricted to
 * `network-type == "non-routable"`.
 *
 * Renders:
 * - IPPool `<name>`: `cidr`, no encapsulation (the fabric routes it), `natOutgoing` false,
 *   `nodeSelector: network-type == "routable"`;
 * - the cluster's default pool of the same IP family narrowed to
 *   `nodeSelector: network-type == "non-routable"`;
 * - BGPPeer `<name>-router`: the routable nodes peer with the router;
 * - BGPFilter `<name>-export` on that peering: the default pool's routes are not exported to the
 *   router (nodes export every pool route they know, so without it the non-routable pods would
 *   become routable too).
 *
 * Every node needs one of the two `network-type` labels, or its pods get no address. The nodes
 * listed in `routableNodes` and `nonRoutableNodes` get theirs as Kubernetes `v1 Node` objects
 * (labels only, merged with what other constructs set on the node) in the cluster's
 * `CalicoStage.NODES` chart; apply that stage with server-side apply, which adds the labels to the
 * existing nodes and leaves the rest of them alone:
 * `kubectl apply --server-side --field-manager=cdk8s-calico -f <file>`. For a kind of node not
 * listed, the cluster's `manualSteps` hold a `kubectl label` command to run on each; `nodeCommands`
 * holds every command. This construct does not change the node-to-node mesh: route reflectors or
 * top-of-rack peering replace it.
 *
 * Rules, checked where the value arrives: each pool holds enough blocks for its nodes (blocks per
 * node = pods per node over block addresses, rounded up); the router has the pool's IP family.
 * At synthesis: pools do not overlap each other, the service ranges or the node subnets; pool
 * names are unique.
 *
 * @example
 * new RoutablePodPool(chart, 'routable', {
 *   cluster,
 *   cidr: '10.70.0.0/20',
 *   router: { ip: '192.168.1.1', asNumber: AsNumber.of(64400) },
 *   maxRoutableNodes: 20,
 * });
 */
export class RoutablePodPool extends Construct {
  /** The node label that says which pool a node's pods use. */
  public static readonly NETWORK_TYPE_LABEL = 'network-type';
  /** The label value of nodes whose pods get routable addresses. */
  public static readonly ROUTABLE = 'routable';
  /** The label value of nodes whose pods keep the default pool. */
  public static readonly NON_ROUTABLE = 'non-routable';

  /** The cluster the pool belongs to. */
  public readonly cluster: CalicoCluster;
  /** The routable IPPool. */
  public readonly pool: IpPool;
  /** BGPPeer `<name>-router`: routable nodes to the router. */
  public readonly routerPeer: BgpPeer;
  /** BGPFilter `<name>-export`: keeps the default pool's routes from the router. */
  public readonly exportFilter: BgpFilter;
  /** The most pods a node runs, as used by the capacity check. */
  public readonly maxPodsPerNode: number;
  /** How the `network-type` labels of the listed nodes are delivered. */
  public readonly nodeSettings: NodeSettingsDelivery;
  private readonly commands: ManualStep[] = [];
  private readonly objects: ApiObject[] = [];

  /**
   * @param scope parent construct
   * @param id construct id (also the default pool name)
   * @param props the range, the router and the node counts
   */
  constructor(scope: Construct, id: string, props: RoutablePodPoolProps) {
    checkArguments('RoutablePodPool', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    this.cluster = cluster;
    cluster.requireBgp('RoutablePodPool');
    const name = props.name ?? id;
    const what = `RoutablePodPool ${quote(name)}`;
    const cidr = parseCidr(props.cidr);
    if (!cidr) {
      throw new CalicoValidationError(`${what}: cidr ${quoteJson(props.cidr)} is not a CIDR; write it like '10.70.0.0/20'`, this);
    }
    const defaultPool = cidr.version === 4 ? cluster.defaultIpv4Pool : cluster.defaultIpv6Pool;
    if (!defaultPool) {
      throw new CalicoValidationError(`${what}: cidr ${props.cidr} is IPv6, but the cluster is IPv4 only; set ipv6PodCidr on the `
        + 'cluster (dual stack) or give an IPv4 range', this);
    }
    this.maxPodsPerNode = props.maxPodsPerNode ?? 110;
    if (!Number.isInteger(this.maxPodsPerNode) || this.maxPodsPerNode < 1) {
      throw new CalicoValidationError(`${what}: maxPodsPerNode ${this.maxPodsPerNode} must be a whole number >= 1 (the kubelet's maxPods, 110 by default)`, this);
    }
    const routerIp = checkRouter(cluster, props.router, what, this, cidr.version);
    this.nodeSettings = deliveryOf(cluster, props.nodeSettings, NodeSettingsDelivery.KUBERNETES_NODES);
    if (this.nodeSettings === NodeSettingsDelivery.CALICO_NODES) {
      throw new CalicoValidationError(`${what}: nodeSettings CalicoNodes is for route reflectors; a Calico Node resource rewrites `
        + "the node's whole BGP spec, too much for a label. Use NodeSettingsDelivery.KUBERNETES_NODES (calico-kube-controllers copies "
        + 'Kubernetes Node labels to the Calico Nodes in the etcd datastore) or COMMANDS', this);
    }
    const both = (props.routableNodes ?? []).find(n => (props.nonRoutableNodes ?? []).includes(n));
    if (both !== undefined) {
      throw new CalicoValidationError(`${what}: node ${quote(both)} is in both routableNodes and nonRoutableNodes; a node's pods use one pool`, this);
    }

    const routable = Selector.eq(RoutablePodPool.NETWORK_TYPE_LABEL, RoutablePodPool.ROUTABLE);
    const nonRoutable = Selector.eq(RoutablePodPool.NETWORK_TYPE_LABEL, RoutablePodPool.NON_ROUTABLE);
    this.pool = new IpPool(this, 'Pool', {
      name,
      cidr: props.cidr,
      blockSize: props.blockSize,
      ipipMode: IpipMode.NEVER,
      vxlanMode: VxlanMode.NEVER,
      natOutgoing: props.natOutgoing ?? false,
      nodeSelector: routable,
    });
    topologyOf(cluster).pools.push(this.pool);
    // The routable nodes get their pool before the default pool stops serving them.
    defaultPool.apiObject.addDependency(this.pool.apiObject);
    cluster.restrictDefaultPool(cidr.version, nonRoutable, `routable pool ${quote(name)} serves the nodes labelled `
      + `${RoutablePodPool.NETWORK_TYPE_LABEL}=${RoutablePodPool.ROUTABLE}; the default pool keeps the others`);

    // Capacity: the routable pool for the routable nodes, the default pool for the others.
    const fallback = cluster.expectedNodes;
    checkCapacity(this, what, this.pool, props.maxRoutableNodes ?? fallback, 'maxRoutableNodes', 'routable');
    checkCapacity(this, what, defaultPool, props.maxNonRoutableNodes ?? fallback, 'maxNonRoutableNodes', 'non-routable');

    const keepOut = [{ action: BgpFilterAction.REJECT, cidr: defaultPool.cidr, matchOperator: BgpFilterMatchOperator.IN }];
    this.exportFilter = new BgpFilter(this, 'ExportFilter', cidr.version === 4
      ? { name: `${name}-export`, exportV4: keepOut }
      : { name: `${name}-export`, exportV6: keepOut });
    this.routerPeer = new BgpPeer(this, 'RouterPeering', {
      name: `${name}-router`,
      nodeSelector: routable,
      peerIp: routerIp.text,
      asNumber: props.router.asNumber,
      filters: [this.exportFilter],
    });
    // The filter exists before the peering that names it starts exporting.
    this.routerPeer.apiObject.addDependency(this.exportFilter.apiObject);

    cluster.decide('routable-pool', `${name} ${props.cidr}`, `nodes labelled ${RoutablePodPool.NETWORK_TYPE_LABEL}=${RoutablePodPool.ROUTABLE} `
      + `give pods addresses the network routes (no encapsulation) and advertise them to ${props.router.ip} (AS ${props.router.asNumber}); `
      + `the default pool ${defaultPool.cidr} serves ${RoutablePodPool.NETWORK_TYPE_LABEL}=${RoutablePodPool.NON_ROUTABLE} nodes and is not exported to the router`);
    this.labelNodes(what, props.routableNodes, RoutablePodPool.ROUTABLE,
      `Label every node for the pools (pods on an unlabelled node get no address): routable nodes use ${quote(name)}`);
    this.labelNodes(what, props.nonRoutableNodes, RoutablePodPool.NON_ROUTABLE,
      `Label every other node for the default pool ${defaultPool.cidr}`);
  }

  /**
   * The commands that label the nodes for the pools (`kubectl label node <node> network-type=...`),
   * one per listed node, or one with a `<node-name>` placeholder for a kind of node none is listed of.
   */
  public get nodeCommands(): ManualStep[] {
    return this.commands.map(c => ({ ...c }));
  }

  /** The Kubernetes `v1 Node` objects that carry the `network-type` labels (empty unless `KUBERNETES_NODES`). */
  public get kubernetesNodes(): ApiObject[] {
    return [...this.objects];
  }

  /** Labels the listed nodes of one kind: objects or commands, or a step with a placeholder when none is listed. */
  private labelNodes(what: string, nodeNames: readonly string[] | undefined, value: string, placeholderDescription: string): void {
    const label = { [RoutablePodPool.NETWORK_TYPE_LABEL]: value };
    if (!nodeNames || nodeNames.length === 0) {
      const step = { description: placeholderDescription, command: kubectlCommand('<node-name>', label) };
      this.commands.push(step);
      this.cluster.addManualStep(step);
      return;
    }
    for (const nodeName of new Set(nodeNames)) {
      checkNodeName(nodeName, what, this);
      const step = { description: `Node ${nodeName}: its pods use the ${value} pool`, command: kubectlCommand(nodeName, label) };
      this.commands.push(step);
      if (this.nodeSettings === NodeSettingsDelivery.COMMANDS) this.cluster.addManualStep(step);
      else this.objects.push(setNodeKeys(this.cluster, this, { nodeName, labels: label }));
    }
  }
}

/**
 * Checks that `pool` holds a block set for every node that may use it. A node holds whole blocks:
 * enough for its pods, plus one address for the tunnel device when the pool is encapsulated.
 */
function checkCapacity(scope: RoutablePodPool, what: string, pool: IpPool, nodes: number | undefined, prop: string, kind: string): void {
  const podsPerNode = scope.maxPodsPerNode;
  if (nodes === undefined) {
    scope.cluster.advise('pool-capacity', `${what}: IPPool ${quote(pool.name)} capacity is unchecked because the number of `
      + `${kind} nodes is unknown; set ${prop} (or the cluster's expectedNodes)`);
    return;
  }
  if (!Number.isInteger(nodes) || nodes < 0) {
    throw new CalicoValidationError(`${what}: ${prop} ${nodes} must be a whole number >= 0`, scope);
  }
  const tunnel = pool.ipipMode !== IpipMode.NEVER || pool.vxlanMode !== VxlanMode.NEVER ? 1 : 0;
  const hostBits = (pool.ipVersion === 4 ? 32 : 128) - pool.blockSize;
  const blockAddresses = 2n ** BigInt(hostBits);
  const perNode = (BigInt(podsPerNode + tunnel) + blockAddresses - 1n) / blockAddresses;
  const needed = perNode * BigInt(nodes);
  const held = 2n ** BigInt(Math.max(0, pool.blockSize - pool.prefixLength));
  if (needed <= held) return;
  let bits = 0;
  while (2n ** BigInt(bits) < needed) bits++;
  const prefix = pool.blockSize - bits;
  const wider = prefix >= 0 ? parseCidr(`${parseCidr(pool.cidr)!.address.text}/${prefix}`) : undefined;
  const fixes = [wider ? `widen cidr to a /${prefix} or shorter prefix (e.g. '${wider.text}')` : 'split the nodes over several pools'];
  fixes.push(`lower ${prop}`);
  throw new CalicoValidationError(`${what}: IPPool ${quote(pool.name)} cidr ${pool.cidr} holds ${held} block(s) of /${pool.blockSize} `
    + `(${blockAddresses} addresses each), but ${nodes} ${kind} node(s) with up to ${podsPerNode} pods${tunnel ? ' and a tunnel address' : ''} `
    + `need ${perNode} block(s) each, ${needed} in all; ${fixes.join(', or ')}`, scope);
}
