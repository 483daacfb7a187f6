// Shared state and whole-tree checks of the BGP topology constructs (route reflector pools,
// top-of-rack peering, routable pod pools, routable services). Not exported from the package.
//
// Each CalicoCluster that one of those constructs attaches to gets one TopologyState, which the
// first call hands to the whole-chart check of the cluster's chart (resources/chart-check.ts):
// the pools the constructs created (possibly in other charts), their router addresses and their
// advertised external / load-balancer ranges join the chart's name and overlap rules there.
import { Construct, IConstruct } from 'constructs';
import type { BgpRouter } from '../bgp-router';
import type { CalicoCluster } from '../../install/calico-cluster';
import { CalicoValidationError, ValidationIssue } from '../../core/errors';
import { quoteJson } from '../../core/quote';
import { parseIp, ParsedIp } from '../../net/address';
import { chartCheckOf, ScopedRange } from '../../resources/chart-check';
import { IpPool } from '../../resources/ip-pool';
import { DeclaredRangeKind } from '../../validation/manifest-set';

/** Per-cluster record of the topology constructs. */
export interface TopologyState {
  /** Singleton constructs by role ('route reflectors', ...), to refuse a second one. */
  readonly singletons: Map<string, IConstruct>;
  /** Pools created by topology constructs (they may live outside the cluster's chart). */
  readonly pools: IpPool[];
  /** Router addresses and advertised ranges, for the overlap sweep. */
  readonly ranges: ScopedRange[];
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
    chartCheckOf(cluster).contribute({ resources: () => created.pools, ranges: () => created.ranges });
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
  // The types were checked at the public boundary (checkArguments); what is left is the meaning.
  const ip = parseIp(router.ip);
  if (!ip || router.ip.includes('/')) {
    throw new CalicoValidationError(`${what}: router ip ${quoteJson(router.ip)} is not an IP address; give the router's `
      + "address without a prefix or port, e.g. '192.168.1.1'", scope);
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
    kind: DeclaredRangeKind.ROUTER,
    cidr: `${ip.text}/${ip.version === 4 ? 32 : 128}`,
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
