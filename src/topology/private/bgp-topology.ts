// Shared state and whole-tree checks of the BGP topology constructs (route reflector pools,
// top-of-rack peering, routable pod pools, routable services). Not exported from the package.
//
// Each CalicoCluster that one of those constructs attaches to gets one TopologyState and one
// validation (installed on the cluster the first time), which runs once per synthesis:
// - every Calico resource name is unique per kind (a second object would overwrite the first);
// - IP pools do not overlap each other, the declared service ranges or the node subnets, and
//   router addresses and advertised external / load-balancer ranges stay out of pools and service
//   ranges. All of it is one sort-and-sweep over the ranges (findCidrOverlaps), never all pairs.
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { BgpRouter } from '../bgp-router';
import type { CalicoCluster } from '../../install/calico-cluster';
import { CalicoValidationError, ValidationIssue } from '../../core/errors';
import { quote, quoteJson } from '../../core/quote';
import { IpPool } from '../../resources/ip-pool';
import { CalicoResource } from '../../resources/resource';
import { findCidrOverlaps, ParsedCidr, parseCidr, parseIp, ParsedIp } from '../../net/address';

/** What a range in the overlap sweep is. */
type RangeKind = 'pool' | 'service' | 'subnet' | 'router' | 'advertised';

/** One range of the overlap sweep, with the words to describe it and who declared it. */
interface Range {
  readonly kind: RangeKind;
  readonly cidr: ParsedCidr;
  readonly describe: string;
  readonly scope: IConstruct;
}

/** An address range the topology declares outside IP pools (router addresses, advertised ranges). */
export interface DeclaredRange {
  readonly kind: 'router' | 'advertised';
  readonly text: string;
  readonly describe: string;
  readonly scope: IConstruct;
}

/** Per-cluster record of the topology constructs. */
export interface TopologyState {
  /** Singleton constructs by role ('route reflectors', ...), to refuse a second one. */
  readonly singletons: Map<string, IConstruct>;
  /** Pools created by topology constructs (they may live outside the cluster's chart). */
  readonly pools: IpPool[];
  /** Router addresses and advertised ranges, for the overlap sweep. */
  readonly ranges: DeclaredRange[];
}

const STATES = new WeakMap<CalicoCluster, TopologyState>();

/**
 * The topology record of `cluster`; the first call installs the whole-tree validation.
 */
export function topologyOf(cluster: CalicoCluster): TopologyState {
  let state = STATES.get(cluster);
  if (!state) {
    const created: TopologyState = { singletons: new Map(), pools: [], ranges: [] };
    STATES.set(cluster, created);
    cluster.node.addValidation({ validate: () => checkTopology(cluster, created) });
    state = created;
  }
  return state;
}

/**
 * Registers `construct` as the cluster's one `role`; throws when another one is already there.
 */
export function claimSingleton(cluster: CalicoCluster, role: string, construct: Construct, fix: string): void {
  const state = topologyOf(cluster);
  const other = state.singletons.get(role);
  if (other) {
    throw new CalicoValidationError(`${construct.constructor.name}: the cluster already has ${role} (${other.node.path}); ${fix}`, construct);
  }
  state.singletons.set(role, construct);
}

/**
 * Checks a router of a topology construct and registers its address for the overlap sweep.
 * The router's family must be one the nodes run BGP sessions in: IPv4, or IPv6 in a dual-stack
 * cluster. `family`, when given, is the family the router must have (a pool's, say).
 */
export function checkRouter(cluster: CalicoCluster, router: BgpRouter, what: string, scope: Construct, family?: number): ParsedIp {
  const ip = typeof router?.ip === 'string' ? parseIp(router.ip) : undefined;
  if (!ip || router.ip.includes('/')) {
    throw new CalicoValidationError(`${what}: router ip ${quoteJson(router?.ip)} is not an IP address; give the router's `
      + "address without a prefix or port, e.g. '192.168.1.1'", scope);
  }
  if (!router.asNumber || typeof (router.asNumber as any).value !== 'number') {
    throw new CalicoValidationError(`${what}: router ${router.ip} has no asNumber; give it as AsNumber.of(64400) or `
      + "AsNumber.parse('1.10') (dotted)", scope);
  }
  if (family !== undefined && ip.version !== family) {
    throw new CalicoValidationError(`${what}: router ${router.ip} is IPv${ip.version} but the routes it must learn are IPv${family}; `
      + `Calico sends IPv${family} routes over IPv${family} sessions only, so give an IPv${family} router address`, scope);
  }
  if (ip.version === 6 && !cluster.defaultIpv6Pool) {
    throw new CalicoValidationError(`${what}: router ${router.ip} is IPv6, but the cluster is IPv4 only, so calico-node has no IPv6 `
      + 'BGP address to peer from; set ipv6PodCidr on the cluster (dual stack) or give an IPv4 router', scope);
  }
  topologyOf(cluster).ranges.push({
    kind: 'router',
    text: `${ip.text}/${ip.version === 4 ? 32 : 128}`,
    describe: `${what} router address ${ip.text}`,
    scope,
  });
  return ip;
}

/** Whether a Kubernetes label value is valid (at most 63 characters, alphanumeric at both ends). */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** Throws one CalicoValidationError for `issues`, pointing at the first offending construct. */
export function throwTopologyIssues(issues: Array<ValidationIssue & { scope: IConstruct }>): void {
  if (!issues.length) return;
  // The error names the first construct's path itself; the others carry theirs.
  const lines = issues.map(i => (i.path === issues[0].path ? i.message : `[${i.path}] ${i.message}`));
  throw new CalicoValidationError(lines.join('\n'), issues[0].scope as Construct,
    issues.map(i => ({ path: i.path, message: i.message })));
}

/** The whole-tree check: unique names, and no overlaps between pools, service ranges and subnets. */
function checkTopology(cluster: CalicoCluster, state: TopologyState): string[] {
  const issues: Array<ValidationIssue & { scope: IConstruct }> = [];
  const resources = new Set<CalicoResource>();
  for (const c of Chart.of(cluster).node.findAll()) {
    if (c instanceof CalicoResource) resources.add(c as CalicoResource);
  }
  for (const pool of state.pools) resources.add(pool);

  // Unique names per kind.
  const byName = new Map<string, CalicoResource>();
  const duplicates = new Set<CalicoResource>();
  for (const r of resources) {
    const key = `${r.kind}/${r.namespaceName ?? ''}/${r.name}`;
    const first = byName.get(key);
    if (first) {
      duplicates.add(r);
      issues.push({
        path: r.node.path,
        scope: r,
        message: `${r.kind} name ${quote(r.name)} is already used by ${first.node.path}; Calico keeps one ${r.kind} per name, `
          + 'so one would overwrite the other. Give each its own name',
      });
    } else {
      byName.set(key, r);
    }
  }

  // Overlaps: one sort-and-sweep over every range.
  const ranges: Range[] = [];
  for (const r of resources) {
    if (!(r instanceof IpPool) || duplicates.has(r)) continue;
    const pool = r as IpPool;
    const cidr = parseCidr(pool.cidr);
    if (cidr) ranges.push({ kind: 'pool', cidr, describe: `IPPool ${quote(pool.name)} (${pool.cidr})`, scope: pool });
  }
  for (const text of cluster.serviceCidrs) {
    ranges.push({ kind: 'service', cidr: parseCidr(text)!, describe: `the service range ${text}`, scope: cluster });
  }
  for (const text of cluster.nodeSubnets) {
    ranges.push({ kind: 'subnet', cidr: parseCidr(text)!, describe: `the node subnet ${text}`, scope: cluster });
  }
  for (const d of state.ranges) {
    const cidr = parseCidr(d.text);
    if (cidr) ranges.push({ kind: d.kind, cidr, describe: d.describe, scope: d.scope });
  }
  for (const o of findCidrOverlaps(ranges.map(r => r.cidr))) {
    const message = overlapMessage(ranges[o.index], ranges[o.otherIndex]);
    if (message) {
      const culprit = blame(ranges[o.index], ranges[o.otherIndex]);
      issues.push({ path: culprit.scope.node.path, scope: culprit.scope, message });
    }
  }
  throwTopologyIssues(issues);
  return [];
}

/** The range to blame for an overlap: the one the user added, not the cluster's declarations. */
function blame(a: Range, b: Range): Range {
  const rank: Record<RangeKind, number> = { router: 0, advertised: 1, pool: 2, service: 3, subnet: 4 };
  return rank[a.kind] <= rank[b.kind] ? a : b;
}

/** The message for an overlap, or undefined when that pairing is allowed. */
function overlapMessage(a: Range, b: Range): string | undefined {
  const kinds = new Set([a.kind, b.kind]);
  const has = (k: RangeKind) => kinds.has(k);
  const [first, second] = blame(a, b) === a ? [a, b] : [b, a];
  if (kinds.size === 1 && !has('pool')) return undefined; // subnets, service ranges, routers among themselves
  if (has('router') && has('subnet')) return undefined; // routers normally sit in a node subnet
  if (has('advertised') && (has('subnet') || has('router'))) return undefined;
  if (has('pool') && kinds.size === 1) {
    return `${first.describe} overlaps ${second.describe}; Calico refuses overlapping pools, so give each pool a disjoint range`;
  }
  if (has('router')) {
    return `${first.describe} lies inside ${second.describe}; a router address there would be taken for a pod or service address, so use the router's address on the node network`;
  }
  if (has('advertised')) {
    return `${first.describe} overlaps ${second.describe}; external and load-balancer addresses must stay out of pod pools and the service cluster range, so choose a separate range`;
  }
  if (has('pool')) {
    const what = has('service') ? 'service addresses' : 'node addresses';
    return `${first.describe} overlaps ${second.describe}; pods would get ${what}, so choose a pool range outside it`;
  }
  return `${first.describe} overlaps ${second.describe}; service cluster IPs would collide with node addresses, so declare the cluster's real service range (serviceCidrs) or node subnets`;
}
