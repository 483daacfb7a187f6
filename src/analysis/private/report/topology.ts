// The BGP topology of a cluster: which nodes exist (as groups of identical nodes), which BGP
// sessions they have, and how many.
//
// Nodes come from three places: Node objects in the input (each described exactly), node groups
// the user declares, and "other nodes" (the expected node count minus the described ones). Nodes
// that match the same selectors and share AS number and reflector cluster ID behave identically
// under Calico's peering rules, so each group is analysed through at most two representatives:
// one to originate routes and one to receive routes from a member of its own group.
import { quote } from '../../../core/quote';
import { evaluateSelector, SelectorNode } from '../../../language/selector-ast';
import { ParsedCidr, isIpInCidr, parseCidr, parseIp } from '../../../net/address';
import { ClusterModel, NodeSpec } from '../../cluster-model';

/** A node group the user declares (report option). */
export interface DeclaredGroup {
  readonly name: string;
  readonly count: number;
  readonly labels: Record<string, string>;
  readonly subnet?: string;
}

/** Facts about the nodes that the objects do not carry. */
export interface NodeFacts {
  /** How many nodes the cluster has or is expected to reach. */
  readonly expectedNodes?: number;
  /** The node subnets (for grouping). */
  readonly nodeSubnets: readonly string[];
  /** Node groups the user declares; replace the derived groups of undescribed nodes. */
  readonly declaredGroups?: readonly DeclaredGroup[];
}

/** Nodes that behave identically. */
export interface NodeGroup {
  /** Index in `Topology.groups`. */
  readonly index: number;
  /** What the group is, for people: `rr-1`, `nodes with rack=a`. */
  readonly title: string;
  /** Node names, for described nodes. */
  readonly names: readonly string[];
  /** How many nodes; undefined when unknown (no expected node count). */
  readonly count?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly asNumber: number;
  readonly clusterId?: string;
  readonly address?: string;
  readonly subnet?: string;
  /** Whether the nodes are described by Node objects (rather than assumed). */
  readonly described: boolean;
}

/** A BGP router outside the cluster (a BGPPeer peerIP that is no Calico node). */
export interface Router {
  readonly index: number;
  readonly address: string;
  readonly asNumber: number;
}

/** One BGP speaker of the analysis: a representative of a node group, or a router. */
export interface Speaker {
  readonly index: number;
  readonly group?: number;
  readonly router?: number;
  readonly asNumber: number;
  readonly clusterId?: string;
}

/** One side's view of a BGP session. */
export interface Link {
  /** Whether this side reflects routes to the other (treats it as a route reflector client). */
  readonly rrClient: boolean;
  /** How many times this side accepts its own AS in a received AS path. */
  readonly allowLocalAs: number;
  /** What configures the session: 'mesh' or 'BGPPeer <name>'. */
  readonly via: Set<string>;
}

/** The whole topology. */
export interface Topology {
  readonly groups: readonly NodeGroup[];
  readonly routers: readonly Router[];
  readonly speakers: readonly Speaker[];
  /** speaker -> neighbour -> this side's view of the session. */
  readonly links: ReadonlyArray<ReadonlyMap<number, Link>>;
  /** Representatives of each group (1 or 2 speaker indexes). */
  readonly reps: ReadonlyArray<readonly number[]>;
  /** Whether the node-to-node mesh is on. */
  readonly meshEnabled: boolean;
  /** Label keys used to split the undescribed nodes into groups (derived groups only). */
  readonly partitionKeys: readonly string[];
  /** Notes on assumptions the grouping made. */
  readonly assumptions: readonly string[];
  /** Total node count, when known. */
  readonly totalNodes?: number;
}

/** Most groups the undescribed nodes are split into before the split is dropped. */
const MAX_DERIVED_PROFILES = 256;

/** Up to this many described nodes, each is its own group (named in messages and the diagram). */
const MAX_INDIVIDUAL_NODES = 64;

/** Builds the topology from the model and the node facts. */
export function buildTopology(model: ClusterModel, facts: NodeFacts): Topology {
  const assumptions: string[] = [];
  const subnets = facts.nodeSubnets.map(s => parseCidr(s)).filter((c): c is ParsedCidr => c !== undefined);
  const groups: MutableGroup[] = [];

  // Described nodes, plus nodes a BGPPeer names that no object describes.
  const nodes: NodeSpec[] = [...model.nodes];
  for (const p of model.peers) {
    if (p.node && !nodes.some(n => n.name === p.node)) {
      nodes.push({ source: p.source, name: p.node, labels: {} });
      assumptions.push(`node ${quote(p.node)} (named by BGPPeer ${quote(p.name)}) is described by no Node object; it is assumed to have no labels`);
    }
  }
  const named = new Set<string>();
  for (const p of model.peers) if (p.node) named.add(p.node);
  const peerAddresses = new Set(model.peers.map(p => p.peerIp).filter((a): a is string => a !== undefined));
  const byKey = new Map<string, MutableGroup>();
  for (const n of [...nodes].sort((a, b) => compare(a.name, b.name))) {
    const asNumber = n.asNumber ?? model.asNumber;
    const subnet = subnetOf(n.address, subnets);
    const individual = nodes.length <= MAX_INDIVIDUAL_NODES || n.clusterId !== undefined || named.has(n.name)
      || (n.address !== undefined && peerAddresses.has(n.address));
    const signature = model.selectors.map(s => (evaluateSelector(s, n.labels) ? '1' : '0')).join('');
    const key = individual ? `node:${n.name}` : `${signature}|${asNumber}|${n.clusterId ?? ''}|${subnet ?? ''}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.names.push(n.name);
      existing.count! += 1;
      existing.address = undefined;
      continue;
    }
    const g: MutableGroup = {
      index: 0, title: '', names: [n.name], count: 1, labels: n.labels, asNumber, clusterId: n.clusterId,
      address: n.address, subnet, described: true,
    };
    byKey.set(key, g);
    groups.push(g);
  }
  for (const g of groups) g.title = describedTitle(g);

  // Undescribed nodes.
  const describedCount = groups.reduce((sum, g) => sum + g.count!, 0);
  let otherCount: number | undefined;
  if (facts.expectedNodes !== undefined) {
    otherCount = Math.max(0, facts.expectedNodes - describedCount);
  }
  let partitionKeys: string[] = [];
  if (facts.declaredGroups && facts.declaredGroups.length > 0) {
    for (const d of facts.declaredGroups) {
      groups.push({
        index: 0, title: d.name, names: [], count: d.count, labels: { ...d.labels }, asNumber: model.asNumber,
        subnet: d.subnet, described: false,
      });
    }
  } else if (otherCount !== 0) {
    const derived = deriveProfiles(model, nodes);
    partitionKeys = derived.keys;
    if (derived.dropped) assumptions.push(derived.dropped);
    // Split by subnet only when no label splits the nodes: how labels (racks, zones) map to
    // subnets is not known here (a rack's router address can tell it, see below).
    const split = subnets.length > 1 && derived.keys.length === 0;
    const cells: Array<{ labels: Record<string, string>; subnet?: string }> = [];
    for (const labels of derived.profiles) {
      if (split) for (const s of subnets) cells.push({ labels, subnet: s.text });
      else cells.push({ labels, subnet: subnets.length === 1 ? subnets[0].text : undefined });
    }
    const counts = spread(otherCount, cells.length);
    cells.forEach((cell, i) => {
      if (counts[i] === 0) return;
      groups.push({
        index: 0, title: otherTitle(cell.labels, cell.subnet, describedCount > 0), names: [], count: counts[i],
        labels: cell.labels, asNumber: model.asNumber, subnet: cell.subnet, described: false,
      });
    });
    if (cells.length > 1 && otherCount !== undefined) {
      assumptions.push(`the ${otherCount} nodes no Node object describes are assumed to be spread evenly over ${cells.length} groups`
        + (partitionKeys.length > 0 ? ` (by the labels ${partitionKeys.map(k => `${quote(k)}`).join(', ')} that the BGP and IP pool selectors test)` : ' (by node subnet)'));
    }
    if (otherCount === undefined) {
      assumptions.push('the node count is not stated, so session totals are not computed; state it (expectedNodes, or --nodes) to get them');
    }
  }
  groups.forEach((g, i) => { g.index = i; });

  // Routers: peerIPs that are not the address of a described node with the same AS.
  const routers: Router[] = [];
  const routerIndex = new Map<string, number>();
  const routerOf = (address: string, asNumber: number) => {
    const key = `${address}|${asNumber}`;
    let i = routerIndex.get(key);
    if (i === undefined) {
      i = routers.length;
      routers.push({ index: i, address, asNumber });
      routerIndex.set(key, i);
    }
    return i;
  };

  // Speakers: representatives of each group, then routers.
  const speakers: Speaker[] = [];
  const reps: number[][] = [];
  for (const g of groups) {
    const n = g.count === undefined ? 2 : Math.min(g.count, 2);
    const list: number[] = [];
    for (let i = 0; i < n; i++) {
      list.push(speakers.length);
      speakers.push({ index: speakers.length, group: g.index, asNumber: g.asNumber, clusterId: g.clusterId });
    }
    reps.push(list);
  }
  const links: Array<Map<number, Link>> = speakers.map(() => new Map());
  const meshEnabled = model.meshEnabled;
  const link = (a: number, b: number, via: string, allowLocalAs = 0) => {
    if (a === b) return;
    const addSide = (x: number, y: number, allow: number) => {
      const sx = speakers[x];
      const sy = speakers[y];
      const existing = links[x].get(y);
      if (existing) {
        existing.via.add(via);
        return;
      }
      const rrClient = sx.router === undefined && sx.clusterId !== undefined && sx.asNumber === sy.asNumber && sy.clusterId !== sx.clusterId;
      links[x].set(y, { rrClient, allowLocalAs: allow, via: new Set([via]) });
    };
    addSide(a, b, allowLocalAs);
    addSide(b, a, 0);
  };
  const nodeSpeakers = speakers.filter(s => s.group !== undefined).map(s => s.index);
  const routerSpeakers = new Map<number, number>();
  const routerSpeaker = (address: string, asNumber: number): number => {
    const r = routerOf(address, asNumber);
    let s = routerSpeakers.get(r);
    if (s === undefined) {
      s = speakers.length;
      speakers.push({ index: s, router: r, asNumber });
      links.push(new Map());
      routerSpeakers.set(r, s);
    }
    return s;
  };

  // Node-to-node mesh: every node that is not a route reflector (reflectors ignore the mesh).
  if (meshEnabled) {
    const meshMembers = nodeSpeakers.filter(s => speakers[s].clusterId === undefined);
    for (let i = 0; i < meshMembers.length; i++) {
      for (let j = i + 1; j < meshMembers.length; j++) link(meshMembers[i], meshMembers[j], 'mesh');
    }
  }

  // BGPPeers.
  const matching = (selector: SelectorNode) => nodeSpeakers.filter(s => evaluateSelector(selector, groups[speakers[s].group!].labels));
  for (const p of model.peers) {
    let locals: number[];
    if (p.node) locals = nodeSpeakers.filter(s => groups[speakers[s].group!].names.includes(p.node!));
    else if (p.nodeSelector) locals = matching(p.nodeSelector);
    else locals = nodeSpeakers;
    let remotes: number[] = [];
    if (p.peerSelector) {
      remotes = matching(p.peerSelector);
    } else if (p.peerIp) {
      const target = groups.find(g => g.address === p.peerIp && (p.asNumber === undefined || p.asNumber === g.asNumber));
      if (target) {
        remotes = reps[target.index];
      } else if (p.asNumber !== undefined) {
        remotes = [routerSpeaker(p.peerIp, p.asNumber)];
      }
    }
    for (const l of locals) for (const r of remotes) link(l, r, `BGPPeer ${p.name}`, speakers[r].router !== undefined ? p.numAllowedLocalAs : 0);
  }

  // A group whose nodes peer with routers that all sit in one node subnet is drawn in that subnet.
  for (const g of groups) {
    if (g.subnet !== undefined || reps[g.index].length === 0) continue;
    const routerSubnets = new Set([...links[reps[g.index][0]].keys()]
      .map(sp => speakers[sp].router).filter((r): r is number => r !== undefined)
      .map(r => subnetOf(routers[r].address, subnets)));
    if (routerSubnets.size === 1) g.subnet = [...routerSubnets][0];
  }

  const totalNodes = groups.every(g => g.count !== undefined) ? groups.reduce((sum, g) => sum + g.count!, 0) : undefined;
  return { groups, routers, speakers, links, reps, meshEnabled, partitionKeys, assumptions, totalNodes };
}

interface MutableGroup {
  index: number;
  title: string;
  names: string[];
  count?: number;
  labels: Record<string, string>;
  asNumber: number;
  clusterId?: string;
  address?: string;
  subnet?: string;
  described: boolean;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function subnetOf(address: string | undefined, subnets: readonly ParsedCidr[]): string | undefined {
  const ip = address ? parseIp(address) : undefined;
  if (!ip) return undefined;
  return subnets.find(s => isIpInCidr(ip, s))?.text;
}

function describedTitle(g: MutableGroup): string {
  const role = g.clusterId !== undefined ? `route reflector${g.names.length > 1 ? 's' : ''} (cluster ${g.clusterId})` : '';
  if (g.names.length === 1) return role ? `${g.names[0]}: ${role}` : g.names[0];
  const shown = g.names.slice(0, 3).join(', ') + (g.names.length > 3 ? `, +${g.names.length - 3}` : '');
  return `${g.names.length} ${role || 'described nodes'} (${shown})`;
}

function otherTitle(labels: Record<string, string>, subnet: string | undefined, others: boolean): string {
  const parts = Object.keys(labels).sort().map(k => `${k}=${labels[k]}`);
  const base = others ? 'other nodes' : 'nodes';
  const what = parts.length > 0 ? `${base} with ${parts.join(', ')}` : base;
  return subnet ? `${what} in ${subnet}` : what;
}

/** Splits `total` into `n` near-equal parts (earlier parts get the remainder); unknown stays unknown. */
function spread(total: number | undefined, n: number): Array<number | undefined> {
  if (total === undefined) return new Array(n).fill(undefined);
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

/**
 * Label profiles of the undescribed nodes: every combination of the values the BGP and IP pool
 * selectors test, for the keys that no described node carries (those are role labels such as
 * `route-reflector`, which only the described nodes have).
 */
function deriveProfiles(model: ClusterModel, described: readonly NodeSpec[]): { keys: string[]; profiles: Array<Record<string, string>>; dropped?: string } {
  const values = new Map<string, Set<string>>();
  const presenceOnly = new Set<string>();
  const visit = (node: SelectorNode): void => {
    switch (node.kind) {
      case 'all': case 'global': return;
      case 'not': visit(node.operand); return;
      case 'and': case 'or': node.operands.forEach(visit); return;
      default: {
        const set = values.get(node.key) ?? new Set<string>();
        values.set(node.key, set);
        if (node.kind === 'has') presenceOnly.add(node.key);
        else if (node.kind === 'in' || node.kind === 'notIn') node.values.forEach(v => set.add(v));
        else if ('value' in node) set.add(node.value);
      }
    }
  };
  model.selectors.forEach(visit);
  // Role labels mark the described nodes (route reflectors): a key the selectors only test for
  // presence, or only for "true", that described nodes carry. Undescribed nodes do not carry them.
  for (const [key, set] of [...values]) {
    const carried = described.some(n => Object.prototype.hasOwnProperty.call(n.labels, key));
    const roleLike = set.size === 0 || (set.size === 1 && set.has('true'));
    if (carried && roleLike) values.delete(key);
    else if (set.size === 0 && presenceOnly.has(key)) set.add('true');
  }
  const keys = [...values.keys()].sort(compare);
  let profiles: Array<Record<string, string>> = [{}];
  for (const k of keys) {
    const vs = [...values.get(k)!].sort(compare);
    const next: Array<Record<string, string>> = [];
    for (const p of profiles) for (const v of vs) next.push({ ...p, [k]: v });
    profiles = next;
    if (profiles.length > MAX_DERIVED_PROFILES) {
      return {
        keys: [],
        profiles: [{}],
        dropped: `the selectors test too many label combinations (${keys.join(', ')}) to enumerate; the other nodes are analysed as one group without those labels; declare node groups to analyse them precisely`,
      };
    }
  }
  return { keys, profiles };
}

/** Sessions per node of each group and in total, from the configured peerings. */
export interface SessionCounts {
  /** Per group: sessions each of its nodes has (undefined when a count is unknown). */
  readonly perNode: ReadonlyArray<number | undefined>;
  /** Node-to-node sessions in total (undefined when a count is unknown). */
  readonly nodeSessions?: number;
  /** Node-to-router sessions in total. */
  readonly routerSessions?: number;
}

/** Whether two groups' nodes peer (for i === j: whether members of the group peer with each other). */
export function groupsPeer(t: Topology, i: number, j: number): boolean {
  const a = t.reps[i][0];
  const b = i === j ? t.reps[i][1] : t.reps[j][0];
  return a !== undefined && b !== undefined && t.links[a].has(b);
}

/** The routers a group's nodes peer with. */
export function routersOf(t: Topology, i: number): number[] {
  const a = t.reps[i][0];
  if (a === undefined) return [];
  return [...t.links[a].keys()].map(s => t.speakers[s].router).filter((r): r is number => r !== undefined).sort((x, y) => x - y);
}

/** Counts the configured BGP sessions. */
export function countSessions(t: Topology): SessionCounts {
  const perNode: Array<number | undefined> = [];
  let nodeSessions: number | undefined = 0;
  let routerSessions: number | undefined = 0;
  const add = (acc: number | undefined, x: number | undefined) => (acc === undefined || x === undefined ? undefined : acc + x);
  t.groups.forEach((g, i) => {
    let per: number | undefined = routersOf(t, i).length;
    t.groups.forEach((h, j) => {
      if (!groupsPeer(t, i, j)) return;
      per = add(per, i === j ? (h.count === undefined ? undefined : h.count - 1) : h.count);
      if (j > i) nodeSessions = add(nodeSessions, g.count === undefined || h.count === undefined ? undefined : g.count * h.count);
      if (j === i) nodeSessions = add(nodeSessions, g.count === undefined ? undefined : g.count * (g.count - 1) / 2);
    });
    perNode.push(per);
    routerSessions = add(routerSessions, g.count === undefined ? undefined : g.count * routersOf(t, i).length);
  });
  return { perNode, nodeSessions, routerSessions };
}
