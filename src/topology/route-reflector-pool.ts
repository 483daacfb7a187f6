import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BgpPeer } from '../resources/bgp-peer';
import type { CalicoCluster } from '../install/calico-cluster';
import { CalicoNode } from '../resources/calico-node';
import { checkArguments } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { claimSingleton, throwTopologyIssues, topologyOf } from './private/bgp-topology';
import { Selector } from '../language/selector';
import { ParsedCidr, parseCidr, parseIp, ParsedIp } from '../net/address';
import type { ManualStep } from '../install/cluster-records';
import { NodeSettingsDelivery } from './node-settings';
import { checkNodeName, deliveryOf, kubectlCommand, ROUTE_REFLECTOR_CLUSTER_ID_ANNOTATION, setNodeKeys } from './private/node-settings';

/**
 * One route reflector: an existing Kubernetes node that reflects the cluster's routes.
 */
export interface RouteReflectorNode {
  /** Name of the Kubernetes node (a Calico `Node` resource carries the same name). */
  readonly nodeName: string;
  /**
   * The node's BGP IPv4 address, the one calico-node detects for it: `'10.0.0.10'` (the prefix
   * length then comes from its subnet) or `'10.0.0.10/20'`. Must lie inside a declared node subnet.
   */
  readonly ipv4Address: string;
  /**
   * The node subnet the address is in, one of the cluster's `network.nodeSubnets`.
   * @default - the declared node subnet that contains `ipv4Address`
   */
  readonly subnet?: string;
  /**
   * The node's IP-in-IP tunnel address, written only into a Calico `Node`
   * (`NodeSettingsDelivery.CALICO_NODES`). Applying a Calico `Node` rewrites its whole BGP spec, so
   * a tunnel address left out is cleared and calico-node allocates a new one; pin the current one
   * here to keep it.
   * @default - not written; calico-node allocates one from the IP-in-IP pool
   */
  readonly ipv4IpipTunnelAddr?: string;
  /**
   * The node's BGP IPv6 address with its prefix, e.g. `'fd00:10::10/64'`, written only into a
   * Calico `Node`. Required for Calico Nodes in dual-stack clusters: applying the `Node` without it
   * would clear the node's IPv6 BGP address.
   * @default - none (IPv4-only clusters)
   */
  readonly ipv6Address?: string;
}

/**
 * Properties of a `RouteReflectorPool`.
 */
export interface RouteReflectorPoolProps {
  /** The cluster whose BGP routes the reflectors distribute. */
  readonly cluster: CalicoCluster;
  /**
   * The reflector nodes. Add more with `addReflector()`; synthesis needs at least two, and one in
   * each node subnet of a multi-subnet cluster.
   * @default - none yet
   */
  readonly reflectors?: RouteReflectorNode[];
  /**
   * The route reflector cluster ID, written as an IPv4 address. Reflectors that back each other up
   * share one ID so they do not reflect each other's routes back.
   * @default '244.0.0.1' (the ID Calico's documentation uses)
   */
  readonly clusterId?: string;
  /**
   * Whether the reflectors are dedicated to route reflection. The library cannot taint nodes (a
   * taint is part of the Kubernetes Node, owned by the kubelet and the node lifecycle), so it
   * records the exact `kubectl taint` commands in the cluster's `manualSteps`.
   * @default false
   */
  readonly dedicated?: boolean;
  /**
   * Keep the node-to-node mesh on next to the reflectors, for a first, cautious rollout: apply,
   * check `calicoctl node status` on a few nodes, then drop this flag and apply again.
   * @default false - the reflectors replace the mesh, and the output orders the peerings first
   */
  readonly keepNodeToNodeMesh?: boolean;
  /**
   * How the reflectors get their label (`route-reflector: "true"`) and cluster ID: Kubernetes Node
   * objects for server-side apply (the label and the `projectcalico.org/RouteReflectorClusterID`
   * annotation), Calico `Node` resources, or only the commands in the cluster's `manualSteps`.
   * `nodeCommands` holds the commands in every case.
   * @default - `NodeSettingsDelivery.KUBERNETES_NODES` in the Kubernetes datastore;
   * `NodeSettingsDelivery.CALICO_NODES` with the etcd datastore, where Calico reads no Kubernetes
   * Node annotations
   */
  readonly nodeSettings?: NodeSettingsDelivery;
  /**
   * Render a Calico `Node` resource per reflector (true, as `NodeSettingsDelivery.CALICO_NODES`) or
   * only the commands (false, as `NodeSettingsDelivery.COMMANDS`).
   * @default - as `nodeSettings`
   * @deprecated use `nodeSettings`
   */
  readonly calicoNodeResources?: boolean;
}

/** A reflector as resolved: its address, subnet and rendered resource. */
interface ResolvedReflector {
  readonly spec: RouteReflectorNode;
  readonly address: ParsedIp;
  readonly subnet: ParsedCidr;
  readonly node?: CalicoNode;
  readonly kubernetesNode?: ApiObject;
}

/**
 * Global route reflection: a few nodes reflect every node's routes, replacing the node-to-node
 * mesh (whose N(N-1)/2 sessions stop scaling at about 50 nodes).
 *
 * Renders, for a cluster that runs BGP:
 * - BGPPeer `rr-clients`: every node that is not a reflector (`!has(route-reflector)`) peers with
 *   the reflectors (`has(route-reflector)`);
 * - BGPPeer `rr-mesh`: the reflectors peer with each other;
 * - the reflectors' node settings, the label `route-reflector: "true"` and the cluster ID (see
 *   `nodeSettings`): by default a Kubernetes `v1 Node` per reflector in the cluster's
 *   `CalicoStage.NODES` chart, holding only that label and the annotation
 *   `projectcalico.org/RouteReflectorClusterID` (merged with what other constructs set on the
 *   node). Apply it with server-side apply, which adds the keys to the existing node and leaves the
 *   rest of it alone: `kubectl apply --server-side --field-manager=cdk8s-calico -f <file>`. With
 *   the etcd datastore, a Calico `Node` per reflector instead (label, cluster ID and the BGP address
 *   with its subnet's prefix length);
 * - the node-to-node mesh turned off in the BGPConfiguration `default`.
 *
 * The output orders them for a safe apply: the peerings first, then the reflector node settings (a
 * node leaves the mesh the moment it gets a cluster ID), then the BGPConfiguration that turns the
 * mesh off.
 *
 * Rules: at least two reflectors; in a multi-subnet cluster at least one in each node subnet;
 * unique node names and addresses; each address inside a declared node subnet.
 *
 * @example
 * new RouteReflectorPool(chart, 'reflectors', {
 *   cluster,
 *   reflectors: [
 *     { nodeName: 'rr-1', ipv4Address: '10.0.0.10' },
 *     { nodeName: 'rr-2', ipv4Address: '10.0.0.11' },
 *   ],
 * });
 */
export class RouteReflectorPool extends Construct {
  /** The label that marks route reflectors; its value is the string `"true"`. */
  public static readonly LABEL = 'route-reflector';

  /** The cluster the pool belongs to. */
  public readonly cluster: CalicoCluster;
  /** The route reflector cluster ID in force. */
  public readonly clusterId: string;
  /** Whether the reflectors are dedicated (tainted by the manual steps). */
  public readonly dedicated: boolean;
  /** How the reflectors' label and cluster ID are delivered. */
  public readonly nodeSettings: NodeSettingsDelivery;
  /** BGPPeer `rr-clients`: non-reflectors to reflectors. */
  public readonly clientPeer: BgpPeer;
  /** BGPPeer `rr-mesh`: reflectors to each other. */
  public readonly reflectorPeer: BgpPeer;
  private readonly keepMesh: boolean;
  private readonly resolved: ResolvedReflector[] = [];
  private readonly names = new Map<string, string>();
  private readonly addresses = new Map<string, string>();
  private readonly declaredSubnets: ParsedCidr[];

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the cluster, the reflectors and the cluster ID
   */
  constructor(scope: Construct, id: string, props: RouteReflectorPoolProps) {
    checkArguments('RouteReflectorPool', [scope, id, props]);
    super(scope, id);
    this.cluster = props.cluster;
    this.cluster.requireBgp('RouteReflectorPool');
    claimSingleton(this.cluster, 'a route reflector pool', this, 'a cluster needs one pool; add reflectors to it with addReflector()');
    this.clusterId = props.clusterId ?? '244.0.0.1';
    const id4 = parseIp(this.clusterId);
    if (!id4 || id4.version !== 4 || this.clusterId.includes('/')) {
      throw new CalicoValidationError(`RouteReflectorPool: clusterId ${quote(this.clusterId)} must be written as an IPv4 address `
        + "(any 32-bit value, e.g. '244.0.0.1'); it names the reflector cluster, it is not a reachable address", this);
    }
    this.dedicated = props.dedicated ?? false;
    this.nodeSettings = this.chooseDelivery(props);
    this.keepMesh = props.keepNodeToNodeMesh ?? false;
    this.declaredSubnets = this.cluster.nodeSubnets.map(s => parseCidr(s)!).filter(c => c.version === 4);

    const reflectors = Selector.has(RouteReflectorPool.LABEL);
    this.clientPeer = new BgpPeer(this, 'ClientPeering', {
      name: 'rr-clients',
      nodeSelector: reflectors.negated(),
      peerSelector: reflectors,
    });
    this.reflectorPeer = new BgpPeer(this, 'ReflectorPeering', {
      name: 'rr-mesh',
      nodeSelector: reflectors,
      peerSelector: reflectors,
    });
    topologyOf(this.cluster);

    if (this.keepMesh) {
      // Ordered as if the mesh went off, so a later switch (here or elsewhere) stays safe.
      this.cluster.applyAfter(this.cluster.requireBgp('RouteReflectorPool').apiObject, this.clientPeer.apiObject, this.reflectorPeer.apiObject);
      this.cluster.decide('bgp-mesh', 'enabled', 'keepNodeToNodeMesh: the route reflectors run next to the mesh; '
        + 'drop the flag once `calicoctl node status` shows the reflector sessions Established');
    } else {
      this.cluster.disableNodeToNodeMesh('route reflectors replace it: every node peers with the reflectors (rr-clients) '
        + 'and the reflectors with each other (rr-mesh)', [this.clientPeer, this.reflectorPeer]);
    }

    for (const r of props.reflectors ?? []) this.addReflector(r);
    addCalicoValidation(this, () => this.checkPool());
  }

  /**
   * Adds a reflector node. Its name, address and subnet are checked here.
   * @param reflector the node
   * @returns the node's Calico `Node` resource with `NodeSettingsDelivery.CALICO_NODES`, else undefined
   */
  public addReflector(reflector: RouteReflectorNode): CalicoNode | undefined {
    checkArguments('RouteReflectorPool.addReflector', [reflector], { scope: this });
    const resolved = this.resolve(reflector);
    const spec = resolved.spec;
    let node: CalicoNode | undefined;
    let kubernetesNode: ApiObject | undefined;
    if (this.nodeSettings === NodeSettingsDelivery.KUBERNETES_NODES) {
      kubernetesNode = setNodeKeys(this.cluster, this, {
        nodeName: spec.nodeName,
        labels: { [RouteReflectorPool.LABEL]: 'true' },
        annotations: { [ROUTE_REFLECTOR_CLUSTER_ID_ANNOTATION]: this.clusterId },
      });
      // As for a Calico Node: after the peerings, before the mesh goes off.
      this.cluster.applyAfter(kubernetesNode, this.clientPeer.apiObject, this.reflectorPeer.apiObject);
      if (!this.keepMesh) this.cluster.requireBgp('RouteReflectorPool').disableNodeToNodeMesh([kubernetesNode]);
    } else if (this.nodeSettings === NodeSettingsDelivery.CALICO_NODES) {
      node = new CalicoNode(this, `Reflector-${spec.nodeName}`, {
        name: spec.nodeName,
        labels: { [RouteReflectorPool.LABEL]: 'true' },
        bgp: {
          ipv4Address: `${resolved.address.text}/${resolved.subnet.prefix}`,
          ipv4IpipTunnelAddr: spec.ipv4IpipTunnelAddr,
          ipv6Address: spec.ipv6Address,
          routeReflectorClusterId: this.clusterId,
        },
      });
      // The peerings exist before the node gets its cluster ID (which takes it out of the mesh),
      // and the node before the mesh is turned off.
      this.cluster.applyAfter(node.apiObject, this.clientPeer.apiObject, this.reflectorPeer.apiObject);
      const bgp = this.cluster.requireBgp('RouteReflectorPool');
      if (this.keepMesh) this.cluster.applyAfter(bgp.apiObject, node.apiObject);
      else bgp.disableNodeToNodeMesh([node]);
    } else {
      this.cluster.addManualStep(this.commandOf(spec.nodeName));
    }
    if (this.dedicated) {
      this.cluster.addManualStep({
        description: `Dedicate route reflector ${spec.nodeName}: keep ordinary pods off it (calico-node tolerates every taint, so BGP keeps running)`,
        command: `kubectl taint node ${spec.nodeName} ${RouteReflectorPool.LABEL}=true:NoSchedule`,
      });
    }
    this.resolved.push({ ...resolved, node, kubernetesNode });
    this.names.set(spec.nodeName, spec.nodeName);
    this.addresses.set(resolved.address.text, spec.nodeName);
    return node;
  }

  /** The reflectors added so far (copies). */
  public get reflectors(): RouteReflectorNode[] {
    return this.resolved.map(r => ({ ...r.spec }));
  }

  /** The reflectors' Calico `Node` resources (empty unless `NodeSettingsDelivery.CALICO_NODES`). */
  public get reflectorNodes(): CalicoNode[] {
    return this.resolved.filter(r => r.node).map(r => r.node!);
  }

  /**
   * The reflectors' Kubernetes `v1 Node` objects in the nodes stage (empty unless
   * `NodeSettingsDelivery.KUBERNETES_NODES`). Other constructs may set keys on the same objects.
   */
  public get kubernetesNodes(): ApiObject[] {
    return this.resolved.filter(r => r.kubernetesNode).map(r => r.kubernetesNode!);
  }

  /**
   * The commands that label each reflector and set its cluster ID, whatever `nodeSettings` is:
   * `kubectl label` and `kubectl annotate` in the Kubernetes datastore, `calicoctl label` and
   * `calicoctl patch` with the etcd datastore. Taints of dedicated reflectors are not node settings:
   * they stay in the cluster's `manualSteps`.
   */
  public get nodeCommands(): ManualStep[] {
    return this.resolved.map(r => this.commandOf(r.spec.nodeName));
  }

  /** The delivery in force: `nodeSettings`, the deprecated `calicoNodeResources`, or the datastore's default. */
  private chooseDelivery(props: RouteReflectorPoolProps): NodeSettingsDelivery {
    const old = props.calicoNodeResources === undefined ? undefined
      : props.calicoNodeResources ? NodeSettingsDelivery.CALICO_NODES : NodeSettingsDelivery.COMMANDS;
    if (old !== undefined && props.nodeSettings !== undefined && old !== props.nodeSettings) {
      throw new CalicoValidationError(`RouteReflectorPool: calicoNodeResources ${props.calicoNodeResources} contradicts nodeSettings `
        + `${quote(props.nodeSettings)}; drop calicoNodeResources (deprecated) and keep nodeSettings`, this);
    }
    const delivery = deliveryOf(this.cluster, props.nodeSettings ?? old, NodeSettingsDelivery.CALICO_NODES);
    if (this.cluster.etcd && delivery === NodeSettingsDelivery.KUBERNETES_NODES) {
      throw new CalicoValidationError('RouteReflectorPool: nodeSettings KubernetesNodes writes the cluster ID as a Kubernetes Node '
        + 'annotation, which Calico reads only in the Kubernetes datastore; with etcd use NodeSettingsDelivery.CALICO_NODES '
        + '(its default there) or COMMANDS', this);
    }
    return delivery;
  }

  /** The command that labels a reflector and sets its cluster ID. */
  private commandOf(nodeName: string): ManualStep {
    const label = { [RouteReflectorPool.LABEL]: 'true' };
    const command = this.cluster.etcd
      ? `calicoctl label nodes ${nodeName} ${RouteReflectorPool.LABEL}=true && calicoctl patch node ${nodeName} `
        + `-p '{"spec":{"bgp":{"routeReflectorClusterID":"${this.clusterId}"}}}'`
      : kubectlCommand(nodeName, label, { [ROUTE_REFLECTOR_CLUSTER_ID_ANNOTATION]: this.clusterId });
    return {
      description: `Route reflector ${nodeName}: label it and set its cluster ID. `
        + (this.keepMesh
          ? 'Run it after applying the output (the BGPPeers rr-clients and rr-mesh exist by then), then drop keepNodeToNodeMesh and apply again'
          : 'Run it right before applying the output: the node leaves the mesh at once and gets its sessions when rr-clients and rr-mesh are applied'),
      command,
    };
  }

  /** Checks one reflector and resolves its subnet; throws where the bad value arrives. */
  private resolve(reflector: RouteReflectorNode): Omit<ResolvedReflector, 'node'> {
    const spec = { ...reflector };
    const name = spec.nodeName;
    const what = `RouteReflectorPool: reflector ${quote(name)}`;
    if (name === '') {
      throw new CalicoValidationError('RouteReflectorPool: a reflector has no nodeName; give the Kubernetes node name', this);
    }
    checkNodeName(name, what, this);
    if (this.names.has(name)) {
      throw new CalicoValidationError(`${what} is listed twice; give each reflector node once`, this);
    }
    const text = spec.ipv4Address;
    const withPrefix = parseCidr(text);
    const address = withPrefix ? withPrefix.address : parseIp(text);
    if (!address || address.version !== 4) {
      throw new CalicoValidationError(`${what}: ipv4Address ${quoteJson(text)} is not an IPv4 address; give the node's BGP `
        + "address, e.g. '10.0.0.10' or '10.0.0.10/24'", this);
    }
    const other = this.addresses.get(address.text);
    if (other) {
      throw new CalicoValidationError(`${what}: ipv4Address ${address.text} is already the address of reflector ${quote(other)}; `
        + 'every node has its own BGP address', this);
    }
    const subnet = this.subnetOf(what, address, spec.subnet);
    if (withPrefix && withPrefix.prefix !== subnet.prefix) {
      throw new CalicoValidationError(`${what}: ipv4Address ${quote(text)} has prefix /${withPrefix.prefix} but its subnet ${subnet.text} `
        + `is a /${subnet.prefix}; write '${address.text}/${subnet.prefix}' or just '${address.text}'`, this);
    }
    if (subnet.prefix <= 30 && (address.value === subnet.first || address.value === subnet.last)) {
      const which = address.value === subnet.first ? 'network' : 'broadcast';
      throw new CalicoValidationError(`${what}: ipv4Address ${address.text} is the ${which} address of ${subnet.text}, `
        + 'not a node address; give the address calico-node detects on the node', this);
    }
    if (spec.ipv4IpipTunnelAddr !== undefined) {
      const tunnel = parseIp(spec.ipv4IpipTunnelAddr);
      if (!tunnel || tunnel.version !== 4 || spec.ipv4IpipTunnelAddr.includes('/')) {
        throw new CalicoValidationError(`${what}: ipv4IpipTunnelAddr ${quoteJson(spec.ipv4IpipTunnelAddr)} is not an IPv4 `
          + "address; give the tunnel address calico-node assigned (`calicoctl get node -o yaml`), e.g. '192.168.12.1'", this);
      }
      if (tunnel.value === address.value) {
        throw new CalicoValidationError(`${what}: ipv4IpipTunnelAddr ${tunnel.text} equals the BGP address; the tunnel address `
          + 'comes from the IP pool, not the node network', this);
      }
    }
    if (this.cluster.defaultIpv6Pool && spec.ipv6Address === undefined && this.nodeSettings === NodeSettingsDelivery.CALICO_NODES) {
      throw new CalicoValidationError(`${what}: the cluster is dual stack, and applying the Calico Node rewrites its whole BGP spec; `
        + "give ipv6Address (e.g. 'fd00:10::10/64') so the node keeps its IPv6 BGP address", this);
    }
    if (spec.ipv6Address !== undefined) {
      const v6 = parseCidr(spec.ipv6Address);
      if (!v6 || v6.version !== 6) {
        throw new CalicoValidationError(`${what}: ipv6Address ${quoteJson(spec.ipv6Address)} is not an IPv6 address with `
          + "its prefix; write it like 'fd00:10::10/64'", this);
      }
    }
    return { spec, address, subnet };
  }

  /** The subnet of a reflector address: the given one (checked) or the declared one holding it. */
  private subnetOf(what: string, address: ParsedIp, given?: string): ParsedCidr {
    const declared = this.declaredSubnets;
    const list = declared.map(s => s.text).join(', ');
    if (given !== undefined) {
      const subnet = parseCidr(given);
      if (!subnet || subnet.version !== 4 || !subnet.strict) {
        throw new CalicoValidationError(`${what}: subnet ${quoteJson(given)} is not an IPv4 network; write it like '10.0.0.0/24'`, this);
      }
      if (declared.length && !declared.some(s => s.text === subnet.text)) {
        throw new CalicoValidationError(`${what}: subnet ${subnet.text} is not one of the cluster's node subnets (${list}); `
          + 'use one of them, or add it to network.nodeSubnets', this);
      }
      if (!(subnet.first <= address.value && address.value <= subnet.last)) {
        throw new CalicoValidationError(`${what}: ipv4Address ${address.text} is outside its subnet ${subnet.text}; `
          + 'give the node address inside it', this);
      }
      return subnet;
    }
    if (declared.length === 0) {
      throw new CalicoValidationError(`${what}: the cluster states no node subnets, so the prefix of ${address.text} is unknown; `
        + "set network.nodeSubnets on the cluster or give the reflector's subnet", this);
    }
    let best: ParsedCidr | undefined;
    for (const s of declared) {
      if (s.first <= address.value && address.value <= s.last && (!best || s.prefix > best.prefix)) best = s;
    }
    if (!best) {
      throw new CalicoValidationError(`${what}: ipv4Address ${address.text} is outside every node subnet (${list}); `
        + 'reflectors are cluster nodes, so give the address the node has in one of them', this);
    }
    return best;
  }

  /** Whole-pool rules: at least two reflectors, one in each node subnet. */
  private checkPool(): string[] {
    const path = this.node.path;
    const issues = [];
    const count = this.resolved.length;
    if (count < 2) {
      issues.push({
        path, scope: this,
        message: `RouteReflectorPool has ${count} reflector${count === 1 ? '' : 's'}; a cluster needs at least 2 so routes `
          + 'keep flowing while one restarts. Add another with addReflector()',
      });
    }
    if (this.declaredSubnets.length > 1) {
      for (const s of this.declaredSubnets) {
        if (!this.resolved.some(r => s.first <= r.address.value && r.address.value <= s.last)) {
          issues.push({
            path, scope: this,
            message: `RouteReflectorPool: node subnet ${s.text} has no route reflector; in a multi-subnet cluster each subnet needs `
              + `one so its nodes keep their routes when the link between subnets fails. Add a reflector with an address in ${s.text}`,
          });
        }
      }
    }
    throwTopologyIssues(issues);
    return [];
  }
}
