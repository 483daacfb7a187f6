// Route propagation over the configured BGP sessions, following the rules BIRD (Calico's BGP
// daemon) applies with the configuration Calico generates:
//
// - A node advertises its own pod routes to every peer.
// - A route learned over eBGP goes to every peer; over iBGP it goes to eBGP peers only, unless the
//   node is a route reflector: a reflector passes a route learned from a client to every peer,
//   and a route learned from a non-client to its clients only. A Calico node with a
//   routeReflectorClusterID treats an iBGP peer as a client when the peer has no cluster ID or a
//   different one; peers with the same cluster ID are non-clients.
// - Reflecting adds the cluster ID to the route's cluster list (the session's cluster ID on a
//   client session, the router ID otherwise); a reflector drops a route from a client whose cluster
//   list holds its cluster ID, and does not send one to a client either. A speaker never accepts
//   its own route back, nor (over eBGP) a path that already holds its AS number, unless the
//   BGPPeer allows it (numAllowedLocalASNumbers).
// - Calico enables BGP add-paths, so every path a speaker accepts is passed on, not only the best.
// - Routers outside the cluster are assumed to exchange what they learn with each other (the
//   fabric is not described by the manifests) and to be their nodes' gateways, so a node that
//   learns no route but peers with a router that knows one still reaches the pods through it.
import { quote } from '../../../core/quote';
import { evaluateSelector } from '../../../language/selector-ast';
import { ClusterModel, PoolSpec } from '../../cluster-model';
import { NodeGroup, Topology } from './topology';

/** How a node reaches another node's pods. */
export type Reach = 'learns' | 'router' | 'none';

/** Nodes that would not learn routes they need. */
export interface PropagationFailure {
  /** Group whose pod routes do not arrive. */
  readonly origin: number;
  /** Groups that do not receive them. */
  readonly targets: readonly number[];
  /** Why, and the fix. */
  readonly why: string;
  /** Whether the origin has no BGP session at all (then `why` says so and names it). */
  readonly isolated: boolean;
}

/** The result of the route-propagation check. */
export interface PropagationResult {
  /** Whether BGP distributes pod routes at all (false with VXLAN or policy-only networking). */
  readonly applicable: boolean;
  /** Why the check does not apply, when it does not. */
  readonly notApplicable?: string;
  /** Groups whose pod routes BGP must carry (they may use a BGP-routed pool). */
  readonly origins: readonly number[];
  /** reach[origin][target] for every checked origin (undefined for a one-node group to itself). */
  readonly reach: ReadonlyMap<number, ReadonlyArray<Reach | undefined>>;
  readonly failures: readonly PropagationFailure[];
  /** Whether the search hit its size limit (the result is then incomplete). */
  readonly truncated: boolean;
}

/** Largest number of route states explored per origin. */
const MAX_STATES = 200_000;

interface State {
  readonly at: number;
  /** The speaker it came from (-1: originated here, -2: from the router fabric). */
  readonly from: number;
  readonly kind: 'local' | 'ebgp' | 'ibgp' | 'fabric';
  /** Whether the receiver treats the sender as a route reflector client. */
  readonly fromClient: boolean;
  /** AS numbers on the path (a set: only membership matters). */
  readonly asPath: readonly number[];
  /** Cluster list (a set). */
  readonly clusters: readonly string[];
}

/** Whether a pool's routes are distributed by BGP (not VXLAN, exported, in use). */
export function isBgpRouted(pool: PoolSpec): boolean {
  return pool.vxlanMode === 'Never' && !pool.disabled && !pool.disableBgpExport;
}

/** Runs the route-propagation check. `backend` is calico_backend (bird, vxlan, none) when known. */
export function checkPropagation(model: ClusterModel, topology: Topology, backend: string | undefined): PropagationResult {
  const none = (why: string): PropagationResult => ({ applicable: false, notApplicable: why, origins: [], reach: new Map(), failures: [], truncated: false });
  if (backend === 'vxlan') return none('calico_backend is vxlan: Felix programs the routes of VXLAN pools itself, so no BGP runs');
  if (backend === 'none') return none('calico_backend is none: another plugin does the networking');
  const routed = model.pools.filter(isBgpRouted);
  if (model.pools.length > 0 && routed.length === 0) {
    return none('every IP pool uses VXLAN (or is disabled or not exported), so Felix programs the pod routes without BGP');
  }
  const { groups, reps, speakers } = topology;
  const origins = groups.filter(g => reps[g.index].length > 0 && (model.pools.length === 0
    || routed.some(p => evaluateSelector(p.nodeSelector, g.labels)))).map(g => g.index);

  const reach = new Map<number, Array<Reach | undefined>>();
  let truncated = false;
  for (const o of origins) {
    const run = propagate(topology, reps[o][0]);
    truncated = truncated || run.truncated;
    const row: Array<Reach | undefined> = groups.map(g => {
      const target = g.index === o ? reps[o][1] : reps[g.index][0];
      if (target === undefined) return undefined;
      if (run.reached.has(target)) return 'learns';
      const viaRouter = run.fabricKnows && [...topology.links[target].keys()].some(s => speakers[s].router !== undefined);
      return viaRouter ? 'router' : 'none';
    });
    reach.set(o, row);
  }
  return { applicable: true, origins, reach, failures: explain(topology, reach), truncated };
}

/** Index standing for the router fabric as a whole. */
const FABRIC = -2;

function propagate(t: Topology, origin: number): { reached: Set<number>; fabricKnows: boolean; truncated: boolean } {
  const { speakers, links } = t;
  const reached = new Set<number>();
  const seen = new Set<string>();
  const queue: State[] = [];
  let fabricKnows = false;
  const routerSpeakers = speakers.filter(s => s.router !== undefined).map(s => s.index);
  // States are told apart by where they are and by the attributes that decide what happens next;
  // the sender is kept only to avoid sending a route straight back (all senders already hold it).
  const push = (s: State) => {
    const key = `${s.at}|${s.kind}|${s.fromClient}|${s.asPath.join(',')}|${s.clusters.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(s);
  };
  push({ at: origin, from: -1, kind: 'local', fromClient: false, asPath: [], clusters: [] });
  let truncated = false;
  for (let head = 0; head < queue.length; head++) {
    if (seen.size > MAX_STATES) {
      truncated = true;
      break;
    }
    const s = queue[head];
    if (s.at === FABRIC) {
      // Every router advertises what the fabric knows to its own peers.
      for (const r of routerSpeakers) {
        for (const n of links[r].keys()) receive(n, r, speakers[n].asNumber !== speakers[r].asNumber, s.asPath, []);
      }
      continue;
    }
    const here = speakers[s.at];
    if (here.router !== undefined) {
      fabricKnows = true;
      push({ at: FABRIC, from: s.at, kind: 'fabric', fromClient: false, asPath: s.asPath, clusters: [] });
      continue;
    }
    reached.add(s.at);
    for (const [n, out] of links[s.at]) {
      if (n === s.from) continue;
      const neighbour = speakers[n];
      const ebgp = neighbour.asNumber !== here.asNumber;
      const reflect = s.kind === 'ibgp' && !ebgp;
      // iBGP to iBGP: only a route reflector passes it on.
      if (reflect && !s.fromClient && !out.rrClient) continue;
      // Never to a client a route whose cluster list already holds this reflector's cluster ID.
      if (out.rrClient && s.clusters.includes(`cluster:${here.clusterId}`)) continue;
      const clusters = reflect ? union(s.clusters, [out.rrClient ? `cluster:${here.clusterId}` : `router:${s.at}`]) : s.clusters;
      receive(n, s.at, ebgp, ebgp ? union(s.asPath, [here.asNumber]) : s.asPath, ebgp ? [] : clusters);
    }
  }
  return { reached, fabricKnows, truncated };

  function receive(at: number, from: number, ebgp: boolean, asPath: readonly number[], clusters: readonly string[]): void {
    const me = speakers[at];
    if (at === origin) return;
    const view = links[at].get(from)!;
    // The AS path holds the AS numbers of the Calico nodes the route left over eBGP (routers'
    // own numbers are left out: the fabric is not modelled hop by hop).
    if (me.router === undefined && asPath.includes(me.asNumber) && view.allowLocalAs === 0) return;
    const fromClient = !ebgp && view.rrClient;
    if (fromClient && clusters.includes(`cluster:${me.clusterId}`)) return;
    push({ at, from, kind: ebgp ? 'ebgp' : 'ibgp', fromClient, asPath, clusters });
  }
}

function union<T extends number | string>(a: readonly T[], b: readonly T[]): T[] {
  const set = new Set<T>([...a, ...b]);
  return [...set].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Turns the failed pairs into messages that name the nodes and say what to change. */
function explain(t: Topology, reach: ReadonlyMap<number, ReadonlyArray<Reach | undefined>>): PropagationFailure[] {
  const { groups, reps, links } = t;
  const isolated = (g: number) => reps[g].length > 0 && links[reps[g][0]].size === 0;
  const failures: PropagationFailure[] = [];
  const reported = new Set<number>();
  // Nodes with no session at all: one failure each, whatever the pairs.
  for (const g of groups) {
    if (!isolated(g.index)) continue;
    const row = reach.get(g.index);
    const targets = row ? row.map((r, i) => (r === 'none' ? i : -1)).filter(i => i >= 0) : [];
    const missing = [...reach.entries()].filter(([, r]) => r[g.index] === 'none').map(([o]) => o);
    if (targets.length === 0 && missing.length === 0) continue;
    reported.add(g.index);
    failures.push({ origin: g.index, targets: [...new Set([...targets, ...missing])].sort((a, b) => a - b), why: isolationReason(t, groups[g.index]), isolated: true });
  }
  for (const [o, row] of reach) {
    if (reported.has(o)) continue;
    const targets = row.map((r, i) => (r === 'none' && !reported.has(i) ? i : -1)).filter(i => i >= 0);
    if (targets.length === 0) continue;
    const origin = groups[o];
    const reflectorTargets = origin.clusterId === undefined ? [] : targets.filter(i => groups[i].clusterId !== undefined && i !== o);
    if (reflectorTargets.length > 0) {
      const names = reflectorTargets.map(i => title(groups[i])).join(', ');
      failures.push({
        origin: o,
        targets: reflectorTargets,
        isolated: false,
        why: `route reflector ${title(origin)} and ${names} do not peer with each other, and their clients do not pass on routes learned over iBGP; `
          + 'add a BGPPeer between the reflectors (nodeSelector and peerSelector has(route-reflector))',
      });
    }
    const rest = targets.filter(i => !reflectorTargets.includes(i));
    if (rest.length > 0) {
      failures.push({
        origin: o,
        targets: rest,
        isolated: false,
        why: 'no chain of BGP sessions carries these routes under iBGP rules (a node that is not a route reflector does not pass on routes it learned over iBGP, '
          + 'and a reflector passes routes from non-clients only to its clients); peer these nodes with reflectors that reach the origin, or turn the node-to-node mesh back on',
      });
    }
  }
  return failures;
}

function isolationReason(t: Topology, g: NodeGroup): string {
  const who = title(g);
  if (g.clusterId !== undefined && t.meshEnabled) {
    return `${who} has no BGP session: route reflectors leave the node-to-node mesh, and no BGPPeer selects it, so its pod routes reach no node and it learns none; add a BGPPeer between the reflectors and their clients`;
  }
  if (!t.meshEnabled) {
    return `${who} has no BGP session: the node-to-node mesh is off and no BGPPeer selects it, so its pod routes reach no node and it learns none; add a BGPPeer that peers it with the route reflectors or routers (or label it so an existing one does)`;
  }
  return `${who} has no BGP session, so its pod routes reach no node and it learns none; add a BGPPeer for it`;
}

/** How a group is named in messages. */
export function title(g: NodeGroup): string {
  return g.described && g.names.length === 1 ? `node ${quote(g.names[0])}` : `${quote(g.title)}`;
}

/** How a group is named in tables: its node's name, or what the group is. */
export function displayName(g: NodeGroup): string {
  return g.described && g.names.length === 1 ? g.names[0] : g.title;
}
