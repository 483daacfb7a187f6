// Rules over a whole set of manifests, where validateManifest sees one object at a time. The same
// code answers at synth time (every chart holding a Calico object) and in `cdk8s-calico lint`, so a
// rule cannot exist in one and not the other:
// - duplicate-name: one object per kind, namespace and name (a second one would overwrite the first);
// - pool-overlap: IP pools never overlap each other (Calico refuses the second one);
// - range-overlap: pools stay clear of the node subnets and the service ranges, service ranges clear
//   of node subnets, router addresses and advertised ranges out of pools and service ranges;
// - unresolved-reference: a BGPPeer's filters name BGPFilters that exist; a policy's tier is a Tier
//   of the set, one the Calico line creates itself, or one declared outside the set.
// Every rule is linear or one sort-and-sweep (findCidrOverlaps), never all pairs.
import { CalicoVersion } from '../core/calico-version';
import { findCidrOverlaps, ParsedCidr, parseCidr } from '../net/address';
import { isObject, q } from './issues';
import { NAMESPACED_KINDS } from './registry';

/** The rules of this module, by name, with what each checks (lint's help and docs list them). */
export const MANIFEST_SET_RULES: ReadonlyMap<string, string> = new Map([
  ['duplicate-name', 'two objects of one kind with the same name (and namespace): one would overwrite the other'],
  ['pool-overlap', 'IP pools whose CIDRs overlap'],
  ['range-overlap', 'IP pools, service ranges, node subnets, router addresses or advertised ranges that overlap where they must not'],
  ['unresolved-reference', 'a reference to an object that is not there (a BGPPeer filter naming no BGPFilter, a policy in a tier that is not defined)'],
]);

/**
 * The kinds whose `spec` the chart check hands the rules; of every other kind they get only the
 * metadata. The rules also read the policy kinds' `spec.tier` (TIERED_KINDS) when a spec is there,
 * as in lint; at synthesis the policy constructs make that check against the whole app instead.
 */
export const SPEC_KINDS_OF_SET_RULES: ReadonlySet<string> = new Set(['IPPool', 'BGPPeer']);

/** What a range declared beside the manifests is. */
export enum DeclaredRangeKind {
  /** A subnet the nodes' addresses come from. */
  SUBNET = 'subnet',
  /** The service cluster IP range (kube-apiserver --service-cluster-ip-range). */
  SERVICE = 'service',
  /** The address of a BGP router outside the cluster. */
  ROUTER = 'router',
  /** An external or load-balancer range the cluster advertises. */
  ADVERTISED = 'advertised',
}

/** An address range the set must respect though no manifest holds it (facts about the network). */
export interface DeclaredRange {
  readonly kind: DeclaredRangeKind;
  /** The range as text: a CIDR, or an address (taken as a /32 or /128). */
  readonly cidr: string;
  /** How messages name it, e.g. `the node subnet 10.0.0.0/24`. */
  readonly describe: string;
}

/** The input of the rules. */
export interface ManifestSet {
  /** The manifests (plain objects; anything else is skipped, validateManifest reports it). */
  readonly manifests: readonly unknown[];
  /** Ranges declared beside the manifests. */
  readonly declared?: readonly DeclaredRange[];
  /** Objects that exist outside the set, as `Kind/name` (a BGPFilter or a Tier applied separately). */
  readonly external?: ReadonlySet<string>;
  /** The Calico line, whose built-in tiers exist without a Tier object (default: `CalicoVersion.DEFAULT`). */
  readonly version?: CalicoVersion;
  /** How messages name a manifest of the set (a construct path, or file:line). */
  readonly describe?: (index: number) => string;
}

/** One broken rule. Exactly one of `manifest` and `declared` says whom it is about. */
export interface SetIssue {
  /** The rule's name (a key of MANIFEST_SET_RULES). */
  readonly rule: string;
  /** Index of the manifest the issue is about. */
  readonly manifest?: number;
  /** Index of the declared range the issue is about. */
  readonly declared?: number;
  /** Index of the other manifest involved (the pool overlapped, the first of two namesakes). */
  readonly otherManifest?: number;
  /** Index of the other declared range involved (the node subnet or service range overlapped). */
  readonly otherDeclared?: number;
  /** Field path inside the manifest (`metadata.name`, `spec.cidr`, `spec.filters[1]`). */
  readonly path: string;
  /** What is wrong, the values, and the fix. */
  readonly message: string;
}

/** Runs every rule over the set; the issues come in manifest order, then declared order. */
export function checkManifestSet(set: ManifestSet): SetIssue[] {
  const describe = set.describe ?? ((i: number) => `the object at position ${i + 1}`);
  const objects = readObjects(set.manifests);
  const issues: SetIssue[] = [];
  const duplicates = checkNames(objects, describe, issues);
  checkRanges(objects, duplicates, set.declared ?? [], issues);
  checkReferences(objects, set.external ?? new Set(), set.version ?? CalicoVersion.DEFAULT, issues);
  return issues.sort((a, b) => order(a) - order(b));
}

function order(i: SetIssue): number {
  return i.manifest !== undefined ? i.manifest : 1e9 + (i.declared ?? 0);
}

/** What the rules read of one manifest. */
interface SetObject {
  readonly index: number;
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Record<string, unknown>;
}

const CALICO_GROUPS = new Set(['projectcalico.org', 'crd.projectcalico.org']);

function readObjects(manifests: readonly unknown[]): SetObject[] {
  const out: SetObject[] = [];
  manifests.forEach((m, index) => {
    if (!isObject(m) || typeof m.kind !== 'string' || !isObject(m.metadata) || typeof m.metadata.name !== 'string') return;
    const apiVersion = typeof m.apiVersion === 'string' ? m.apiVersion : '';
    const apiGroup = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const calico = CALICO_GROUPS.has(apiGroup);
    const given = typeof m.metadata.namespace === 'string' ? m.metadata.namespace : '';
    // Calico's namespaced kinds land in 'default' when no namespace is given; its other kinds
    // are cluster-scoped whatever the manifest says.
    const namespace = calico ? (NAMESPACED_KINDS.has(m.kind) ? given || 'default' : '') : given;
    out.push({ index, apiGroup: calico ? 'projectcalico.org' : apiGroup, kind: m.kind, name: m.metadata.name, namespace, spec: isObject(m.spec) ? m.spec : {} });
  });
  return out;
}

function isCalico(o: SetObject, kind: string): boolean {
  return o.apiGroup === 'projectcalico.org' && o.kind === kind;
}

/**
 * duplicate-name, once per name that several objects share (at the second of them, counting the
 * others, so the report does not grow with the copies); returns the indexes of every later
 * namesake (they count once in the other rules).
 */
function checkNames(objects: readonly SetObject[], describe: (i: number) => string, issues: SetIssue[]): Set<number> {
  const groups = new Map<string, SetObject[]>();
  const later = new Set<number>();
  for (const o of objects) {
    const key = `${o.apiGroup}\u0000${o.kind}\u0000${o.namespace}\u0000${o.name}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, [o]);
      continue;
    }
    group.push(o);
    later.add(o.index);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [earlier, o] = group;
    const where = o.namespace ? ` in namespace ${q(o.namespace)}` : '';
    const more = group.length > 2 ? ` (${group.length} objects share this name)` : '';
    issues.push({
      rule: 'duplicate-name',
      manifest: o.index,
      otherManifest: earlier.index,
      path: 'metadata.name',
      message: `${o.kind} name ${q(o.name)}${where} is already used by ${describe(earlier.index)}${more}; Calico keeps one ${o.kind} per name, `
        + 'so one would overwrite the other. Give each its own name',
    });
  }
  return later;
}

/** One range of the overlap sweep. */
interface SweepRange {
  readonly kind: 'pool' | DeclaredRangeKind;
  readonly cidr: ParsedCidr;
  readonly describe: string;
  readonly manifest?: number;
  readonly declared?: number;
}

/** pool-overlap and range-overlap: one sort-and-sweep over pools and declared ranges. */
function checkRanges(objects: readonly SetObject[], duplicates: ReadonlySet<number>, declared: readonly DeclaredRange[], issues: SetIssue[]): void {
  const ranges: SweepRange[] = [];
  for (const o of objects) {
    if (!isCalico(o, 'IPPool') || duplicates.has(o.index) || typeof o.spec.cidr !== 'string') continue;
    const cidr = parseCidr(o.spec.cidr);
    if (cidr) ranges.push({ kind: 'pool', cidr, describe: `IPPool ${q(o.name)} (${o.spec.cidr})`, manifest: o.index });
  }
  declared.forEach((d, i) => {
    const cidr = parseCidr(d.cidr);
    if (cidr) ranges.push({ kind: d.kind, cidr, describe: d.describe, declared: i });
  });
  for (const o of findCidrOverlaps(ranges.map(r => r.cidr))) {
    const a = ranges[o.index];
    const b = ranges[o.otherIndex];
    const message = overlapMessage(a, b);
    if (!message) continue;
    const culprit = blame(a, b);
    issues.push({
      rule: a.kind === 'pool' && b.kind === 'pool' ? 'pool-overlap' : 'range-overlap',
      manifest: culprit.manifest,
      declared: culprit.declared,
      otherManifest: (culprit === a ? b : a).manifest,
      otherDeclared: (culprit === a ? b : a).declared,
      path: culprit.manifest !== undefined ? 'spec.cidr' : '',
      message,
    });
  }
}

/** How much a range is the user's own addition (blamed first) rather than a fact of the network. */
const BLAME_RANK: ReadonlyMap<SweepRange['kind'], number> = new Map<SweepRange['kind'], number>([
  [DeclaredRangeKind.ROUTER, 0], [DeclaredRangeKind.ADVERTISED, 1], ['pool', 2], [DeclaredRangeKind.SERVICE, 3], [DeclaredRangeKind.SUBNET, 4],
]);

/** The range to blame for an overlap: the one the user added, not the network's facts. */
function blame(a: SweepRange, b: SweepRange): SweepRange {
  return BLAME_RANK.get(a.kind)! <= BLAME_RANK.get(b.kind)! ? a : b;
}

/** The message for an overlap, or undefined when that pairing is allowed. */
function overlapMessage(a: SweepRange, b: SweepRange): string | undefined {
  const kinds = new Set<SweepRange['kind']>([a.kind, b.kind]);
  const has = (k: SweepRange['kind']) => kinds.has(k);
  const [first, second] = blame(a, b) === a ? [a, b] : [b, a];
  if (kinds.size === 1 && !has('pool')) return undefined; // subnets, service ranges, routers among themselves
  if (has(DeclaredRangeKind.ROUTER) && has(DeclaredRangeKind.SUBNET)) return undefined; // routers normally sit in a node subnet
  if (has(DeclaredRangeKind.ADVERTISED) && (has(DeclaredRangeKind.SUBNET) || has(DeclaredRangeKind.ROUTER))) return undefined;
  if (has('pool') && kinds.size === 1) {
    return `${first.describe} overlaps ${second.describe}; Calico refuses overlapping pools, so give each pool a disjoint range`;
  }
  if (has(DeclaredRangeKind.ROUTER)) {
    return `${first.describe} lies inside ${second.describe}; a router address there would be taken for a pod or service address, so use the router's address on the node network`;
  }
  if (has(DeclaredRangeKind.ADVERTISED)) {
    return `${first.describe} overlaps ${second.describe}; external and load-balancer addresses must stay out of pod pools and the service cluster range, so choose a separate range`;
  }
  if (has('pool')) {
    const what = has(DeclaredRangeKind.SERVICE) ? 'service addresses' : 'node addresses';
    return `${first.describe} overlaps ${second.describe}; pods would get ${what}, so choose a pool range outside it`;
  }
  return `${first.describe} overlaps ${second.describe}; service cluster IPs would collide with node addresses, so declare the cluster's real service range (serviceCidrs) or node subnets`;
}

/** The policy kinds that name a tier (`spec.tier`). */
export const TIERED_KINDS: ReadonlySet<string> = new Set(['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']);

/** At most this many tier names are listed in a message; the rest are counted. */
const LISTED_TIERS = 12;

/**
 * Whether a policy's tier exists: none given or `default` (every line creates it), a tier the
 * Calico line creates itself, or one of `defined`. Calico refuses a policy whose tier does not exist.
 */
export function tierExists(tier: string, defined: ReadonlySet<string>, version: CalicoVersion): boolean {
  return tier === '' || tier === 'default' || defined.has(tier) || version._builtinTiers.some(t => t.name === tier);
}

/** The tiers a policy could name, for messages: the line's built-in ones, then `defined` sorted, at most 12 listed. */
export function knownTiersText(defined: ReadonlySet<string>, version: CalicoVersion): string {
  const names = [...version._builtinTiers.map(t => t.name), ...[...defined].sort()];
  const more = names.length > LISTED_TIERS ? ` and ${names.length - LISTED_TIERS} more` : '';
  return names.slice(0, LISTED_TIERS).map(n => q(n)).join(', ') + more;
}

/**
 * unresolved-reference: every BGPPeer filter names a BGPFilter of the set or one declared external;
 * every policy names a tier that exists (see tierExists), with the set's Tier objects and the
 * external ones defined.
 */
function checkReferences(objects: readonly SetObject[], external: ReadonlySet<string>, version: CalicoVersion, issues: SetIssue[]): void {
  const filters = new Set(objects.filter(o => isCalico(o, 'BGPFilter')).map(o => o.name));
  const tiers = new Set(objects.filter(o => isCalico(o, 'Tier')).map(o => o.name));
  for (const name of external) if (name.startsWith('Tier/')) tiers.add(name.slice('Tier/'.length));
  for (const o of objects) {
    const tier = o.spec.tier;
    if (!TIERED_KINDS.has(o.kind) || !CALICO_GROUPS.has(o.apiGroup) || typeof tier !== 'string' || tierExists(tier, tiers, version)) continue;
    issues.push({
      rule: 'unresolved-reference',
      manifest: o.index,
      path: 'spec.tier',
      message: `${o.kind} ${q(o.name)} is in tier ${q(tier)}, which is not defined: no Tier of the set has that name and Calico ${version.line} `
        + `does not create it (the known tiers are ${knownTiersText(tiers, version)}); Calico refuses a policy whose tier does not exist, `
        + 'so define the Tier (applied before the policy) or correct spec.tier',
    });
  }
  for (const o of objects) {
    if (!isCalico(o, 'BGPPeer') || !Array.isArray(o.spec.filters)) continue;
    o.spec.filters.forEach((name: unknown, i: number) => {
      if (typeof name !== 'string' || filters.has(name) || external.has(`BGPFilter/${name}`)) return;
      issues.push({
        rule: 'unresolved-reference',
        manifest: o.index,
        path: `spec.filters[${i}]`,
        message: `BGPPeer ${q(o.name)} applies BGPFilter ${q(name)}, which is not defined, so the peering would not be filtered as intended; `
          + 'define the BGPFilter beside the peer, or (when it is applied separately) reference it with BgpFilter.fromFilterName',
      });
    });
  }
}
