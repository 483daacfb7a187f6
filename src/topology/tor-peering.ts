import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AsNumber } from '../resources/bgp-configuration';
import { BgpPeer } from '../resources/bgp-peer';
import type { CalicoCluster } from '../install/calico-cluster';
import { checkArguments } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { checkRouter, claimSingleton, isLabelValue, throwTopologyIssues, topologyOf } from './private/bgp-topology';
import { Selector } from '../language/selector';
import { BgpRouter } from './bgp-router';
import type { ManualStep } from '../install/cluster-records';
import { NodeSettingsDelivery } from './node-settings';
import { checkNodeName, deliveryOf, kubectlCommand, setNodeKeys } from './private/node-settings';

/**
 * The router of one rack.
 */
export interface TopOfRackRouter extends BgpRouter {
  /** The rack: the value of the nodes' rack label, e.g. `'a'` for nodes labelled `rack=a`. */
  readonly rack: string;
  /**
   * Name of the rack's BGPPeer.
   * @default - `tor-rack-<rack>` (lower case, `_` written as `-`)
   */
  readonly peerName?: string;
  /**
   * The Kubernetes nodes in the rack: each gets the rack label (see the peering's `nodeSettings`).
   * @default - none listed: the cluster's `manualSteps` say to label the rack's nodes by hand
   */
  readonly nodeNames?: string[];
}

/**
 * Properties of a `TopOfRackPeering`.
 */
export interface TopOfRackPeeringProps {
  /** The cluster whose nodes peer with their racks' routers. */
  readonly cluster: CalicoCluster;
  /**
   * The racks and their routers. Add more with `addRack()`.
   * @default - none yet (synthesis needs at least one)
   */
  readonly racks?: TopOfRackRouter[];
  /**
   * The node label whose value names a node's rack.
   * @default 'rack'
   */
  readonly rackLabel?: string;
  /**
   * How many times the cluster's own AS number may appear in the AS path of routes the routers
   * send (BIRD's `allow local as`). With eBGP racks (router AS differs from the cluster's), routes
   * of other nodes come back with the cluster AS in their path and are dropped, unless the routers
   * rewrite it (`as-override`) or this is set to 1. It disables part of BGP's loop prevention.
   * @default - not set: the routers must apply as-override (recorded in `decisions`)
   */
  readonly numAllowedLocalAsNumbers?: number;
  /**
   * Keep the node-to-node mesh on next to the rack peerings (for a first, cautious rollout).
   * @default false - the rack routers replace the mesh, and the output orders the peerings first
   */
  readonly keepNodeToNodeMesh?: boolean;
  /**
   * How the nodes listed in each rack's `nodeNames` get their rack label: Kubernetes Node objects
   * in the cluster's `CalicoStage.NODES` chart (in the etcd datastore too: calico-kube-controllers
   * copies Kubernetes Node labels to the Calico Nodes there), or only the `kubectl label` commands
   * in the cluster's `manualSteps`. `CALICO_NODES` is refused: a Calico Node resource would rewrite
   * the node's BGP spec just to add a label.
   * @default NodeSettingsDelivery.KUBERNETES_NODES
   */
  readonly nodeSettings?: NodeSettingsDelivery;
}

/**
 * Top-of-rack peering (node-specific peering): every node peers with its own rack's router
 * instead of with the other nodes, so the fabric carries the routes. Use it where the data-centre
 * fabric speaks BGP.
 *
 * Renders one BGPPeer per rack, from the nodes labelled `rack == "<rack>"` to that rack's router
 * and AS, and turns the node-to-node mesh off in the BGPConfiguration `default` after them. Every
 * node must carry a rack label: a node without one has no BGP session once the mesh is off.
 *
 * The rack labels of the nodes listed in each rack's `nodeNames` are rendered as Kubernetes
 * `v1 Node` objects (labels only, merged with what other constructs set on the node) in the
 * cluster's `CalicoStage.NODES` chart, before the mesh goes off. Apply that stage with server-side
 * apply, which adds the labels to the existing nodes and leaves the rest of them alone:
 * `kubectl apply --server-side --field-manager=cdk8s-calico -f <file>`. `nodeCommands` holds the
 * equivalent `kubectl label` commands.
 *
 * Rules: rack values are valid label values and unique; each router has its own address, valid
 * for the nodes' IP family, outside pod pools and service ranges; AS numbers are valid 4-byte AS
 * numbers, plain or dotted.
 *
 * @example
 * new TopOfRackPeering(chart, 'tor', {
 *   cluster,
 *   racks: [
 *     { rack: 'a', ip: '192.168.1.1', asNumber: AsNumber.of(64400) },
 *     { rack: 'b', ip: '192.168.2.1', asNumber: AsNumber.parse('0.64401') },
 *   ],
 * });
 */
export class TopOfRackPeering extends Construct {
  /** The cluster the peerings belong to. */
  public readonly cluster: CalicoCluster;
  /** The node label naming a node's rack. */
  public readonly rackLabel: string;
  /** How the rack labels are delivered. */
  public readonly nodeSettings: NodeSettingsDelivery;
  private readonly props: TopOfRackPeeringProps;
  private readonly peers = new Map<string, BgpPeer>();
  private readonly routers = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly nodeRacks = new Map<string, string>();
  private readonly commands: ManualStep[] = [];
  private readonly objects: ApiObject[] = [];
  private ebgpRecorded = false;
  private ibgpRecorded = false;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the cluster and the racks
   */
  constructor(scope: Construct, id: string, props: TopOfRackPeeringProps) {
    checkArguments('TopOfRackPeering', [scope, id, props]);
    super(scope, id);
    this.cluster = props.cluster;
    this.props = props;
    this.cluster.requireBgp('TopOfRackPeering');
    claimSingleton(this.cluster, 'a top-of-rack peering', this, 'add every rack to it with addRack()');
    this.rackLabel = props.rackLabel ?? 'rack';
    try {
      Selector.has(this.rackLabel);
    } catch (e) {
      throw new CalicoValidationError(`TopOfRackPeering: rackLabel ${quote(this.rackLabel)} is not a label key; use a key such as 'rack' `
        + "or 'topology.kubernetes.io/zone'", this);
    }
    this.nodeSettings = deliveryOf(this.cluster, props.nodeSettings, NodeSettingsDelivery.KUBERNETES_NODES);
    if (this.nodeSettings === NodeSettingsDelivery.CALICO_NODES) {
      throw new CalicoValidationError('TopOfRackPeering: nodeSettings CalicoNodes is for route reflectors; a Calico Node resource '
        + "rewrites the node's whole BGP spec, too much for a rack label. Use NodeSettingsDelivery.KUBERNETES_NODES (calico-kube-controllers "
        + 'copies Kubernetes Node labels to the Calico Nodes in the etcd datastore) or COMMANDS', this);
    }
    const allowed = props.numAllowedLocalAsNumbers;
    if (allowed !== undefined && (!Number.isInteger(allowed) || allowed < 1 || allowed > 10)) {
      throw new CalicoValidationError(`TopOfRackPeering: numAllowedLocalAsNumbers ${allowed} is out of range; use 1 (each route passes `
        + 'the cluster AS once), or leave it unset and let the routers apply as-override', this);
    }
    topologyOf(this.cluster);
    for (const rack of props.racks ?? []) this.addRack(rack);
    addCalicoValidation(this, () => this.checkRacks());
  }

  /**
   * Adds a rack: its nodes (labelled `<rackLabel> == "<rack>"`) peer with its router. The nodes in
   * `nodeNames` get the label (see `nodeSettings`).
   * @param router the rack, its router's address and AS number, and its nodes
   * @returns the rack's BGPPeer
   */
  public addRack(router: TopOfRackRouter): BgpPeer {
    checkArguments('TopOfRackPeering.addRack', [router], { scope: this });
    const rack = router.rack;
    if (rack === '' || !isLabelValue(rack)) {
      throw new CalicoValidationError(`TopOfRackPeering: rack ${quoteJson(rack)} is not a label value; use up to 63 letters, `
        + "digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. 'a', 'rack-07')", this);
    }
    if (this.peers.has(rack)) {
      throw new CalicoValidationError(`TopOfRackPeering: rack ${quote(rack)} is listed twice; give each rack once`, this);
    }
    const what = `TopOfRackPeering: rack ${quote(rack)}`;
    const ip = checkRouter(this.cluster, router, what, this);
    const owner = this.routers.get(ip.text);
    if (owner !== undefined) {
      throw new CalicoValidationError(`${what}: router ${ip.text} is already the router of rack ${quote(owner)}; if both racks share `
        + 'one router, give their nodes the same rack label', this);
    }
    const name = router.peerName ?? `tor-rack-${rack.toLowerCase().replace(/_/g, '-')}`;
    const clash = this.names.get(name);
    if (clash !== undefined) {
      throw new CalicoValidationError(`${what}: peer name ${quote(name)} is already the name of rack ${quote(clash)}'s peering; `
        + 'give one of them a peerName', this);
    }
    const peer = new BgpPeer(this, `Rack-${rack}`, {
      name,
      nodeSelector: Selector.eq(this.rackLabel, rack),
      peerIp: ip.text,
      asNumber: router.asNumber,
      numAllowedLocalAsNumbers: this.props.numAllowedLocalAsNumbers,
    });
    this.peers.set(rack, peer);
    this.routers.set(ip.text, rack);
    this.names.set(name, rack);
    this.labelNodes(rack, router.nodeNames, peer);

    this.recordRouterDuty(rack, router.asNumber);
    if (this.props.keepNodeToNodeMesh) {
      // Ordered as if the mesh went off, so a later switch (here or elsewhere) stays safe.
      this.cluster.applyAfter(this.cluster.requireBgp('TopOfRackPeering').apiObject, peer.apiObject);
      if (this.peers.size === 1) {
        this.cluster.decide('bgp-mesh', 'enabled', 'keepNodeToNodeMesh: the rack peerings run next to the mesh; drop the flag once '
          + '`calicoctl node status` shows every node Established with its router');
      }
    } else if (this.peers.size === 1) {
      this.cluster.disableNodeToNodeMesh(`top-of-rack routers replace it: the nodes of each rack peer with their router (label ${quote(this.rackLabel)})`, [peer]);
    } else {
      this.cluster.requireBgp('TopOfRackPeering').disableNodeToNodeMesh([peer]);
    }
    return peer;
  }

  /**
   * The BGPPeer of a rack.
   * @param rack the rack's label value
   */
  public peerOf(rack: string): BgpPeer {
    checkArguments('TopOfRackPeering.peerOf', [rack], { scope: this });
    const peer = this.peers.get(rack);
    if (!peer) {
      throw new CalicoValidationError(`TopOfRackPeering has no rack ${quote(rack)}; it has ${[...this.peers.keys()].map(r => `'${r}'`).join(', ') || 'none'}`, this);
    }
    return peer;
  }

  /** The racks, in the order added. */
  public get racks(): string[] {
    return [...this.peers.keys()];
  }

  /**
   * The commands that label the racks' nodes (`kubectl label node <node> <rackLabel>=<rack>`), one
   * per listed node, or one with a `<node-name>` placeholder for a rack that lists none.
   */
  public get nodeCommands(): ManualStep[] {
    return this.commands.map(c => ({ ...c }));
  }

  /** The Kubernetes `v1 Node` objects that carry the rack labels (empty unless `KUBERNETES_NODES`). */
  public get kubernetesNodes(): ApiObject[] {
    return [...this.objects];
  }

  /** Labels a rack's nodes: objects or commands, or a step with a placeholder when none is listed. */
  private labelNodes(rack: string, nodeNames: readonly string[] | undefined, peer: BgpPeer): void {
    const what = `TopOfRackPeering: rack ${quote(rack)}`;
    const label = { [this.rackLabel]: rack };
    if (!nodeNames || nodeNames.length === 0) {
      const step = {
        description: `Label every node of rack ${quote(rack)}: a node without a rack label has no BGP session once the mesh is off`,
        command: kubectlCommand('<node-name>', label),
      };
      this.commands.push(step);
      this.cluster.addManualStep(step);
      return;
    }
    for (const nodeName of nodeNames) {
      checkNodeName(nodeName, what, this);
      const other = this.nodeRacks.get(nodeName);
      if (other !== undefined) {
        throw new CalicoValidationError(`${what}: node ${quote(nodeName)} is already in rack ${quote(other)}; a node sits in one rack`, this);
      }
      this.nodeRacks.set(nodeName, rack);
      const step = { description: `Node ${nodeName} is in rack ${quote(rack)}`, command: kubectlCommand(nodeName, label) };
      this.commands.push(step);
      if (this.nodeSettings === NodeSettingsDelivery.COMMANDS) {
        this.cluster.addManualStep(step);
        continue;
      }
      const object = setNodeKeys(this.cluster, this, { nodeName, labels: label });
      // The rack's peering exists before its nodes match it.
      this.cluster.applyAfter(object, peer.apiObject);
      this.objects.push(object);
    }
  }

  /** Records, once per kind of rack, what its router must do for routes to flow. */
  private recordRouterDuty(rack: string, asNumber: AsNumber): void {
    const as = this.cluster.asNumber.toString();
    if (asNumber.value !== this.cluster.asNumber.value) {
      if (this.ebgpRecorded || this.props.numAllowedLocalAsNumbers !== undefined) return;
      this.ebgpRecorded = true;
      this.cluster.decide('tor-as-path', 'as-override on the routers', `rack ${quote(rack)} (and every rack whose router AS is not ${as}) `
        + `peers over eBGP: routes of other nodes come back with AS ${as} in their path and BIRD drops them, so each such router `
        + 'must rewrite it (as-override), or set numAllowedLocalAsNumbers: 1');
    } else if (!this.ibgpRecorded) {
      this.ibgpRecorded = true;
      this.cluster.decide('tor-route-reflection', 'routers reflect', `rack ${quote(rack)} (and every rack whose router has AS ${as}) `
        + 'peers over iBGP, which does not pass routes on: each such router must be a route reflector for its rack\'s nodes');
    }
  }

  /** Whole-set rule: at least one rack. */
  private checkRacks(): string[] {
    if (this.peers.size === 0) {
      throwTopologyIssues([{
        path: this.node.path, scope: this,
        message: 'TopOfRackPeering has no racks; add each rack with its router using addRack(), or remove the peering',
      }]);
    }
    return [];
  }
}
