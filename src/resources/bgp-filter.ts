import { Construct } from 'constructs';
import { BgpFilterSpec, BgpFilterSpecExportV4, BgpFilterSpecExportV4Operations, toJson_BgpFilterSpec } from '../../imports/crd.projectcalico.org';
import { AsNumber } from './bgp-configuration';
import { asGenerated, checkAdded } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';
import { checkArguments } from '../core/argument-check';

/**
 * What a BGP filter rule does with a matching route.
 */
export enum BgpFilterAction {
  /** Import or export the route. */
  ACCEPT = 'Accept',
  /** Drop the route. */
  REJECT = 'Reject',
}

/**
 * How a rule's `cidr` is compared with a route's prefix.
 */
export enum BgpFilterMatchOperator {
  /** The route's prefix is exactly `cidr`. */
  EQUAL = 'Equal',
  /** The route's prefix is anything but `cidr`. */
  NOT_EQUAL = 'NotEqual',
  /** The route's prefix lies within `cidr`. */
  IN = 'In',
  /** The route's prefix does not lie within `cidr`. */
  NOT_IN = 'NotIn',
}

/**
 * Where a matching route must come from.
 */
export enum BgpFilterMatchSource {
  /** Routes learnt from remote BGP peers (as opposed to the node's own routes). */
  REMOTE_PEERS = 'RemotePeers',
}

/**
 * The kind of BGP peer a filter rule applies to.
 */
export enum BgpFilterPeerType {
  /** Peers in another AS. */
  EBGP = 'eBGP',
  /** Peers in the same AS. */
  IBGP = 'iBGP',
}

/**
 * The prefix lengths a rule's `cidr` match accepts, e.g. routes inside 10.0.0.0/8 of length /16
 * to /24.
 */
export interface BgpFilterPrefixLength {
  /**
   * The shortest prefix length matched.
   * @default - the length of the rule's `cidr`
   */
  readonly min?: number;
  /**
   * The longest prefix length matched.
   * @default - 32 in `v4` rules, 128 in `v6` rules
   */
  readonly max?: number;
}

/**
 * A change a BGP filter rule makes to the routes it accepts (Calico v3.32 and later). Make one
 * with the static methods.
 *
 * @example
 * BgpFilterOperation.addCommunity('65000:100');
 * BgpFilterOperation.prependAsPath([AsNumber.of(65000), AsNumber.of(65000)]);
 * BgpFilterOperation.assignPriority(512);
 */
export class BgpFilterOperation {
  /**
   * Adds a BGP community to the route.
   * @param community standard `aa:nn` or large `aa:nn:mm`
   */
  public static addCommunity(community: string): BgpFilterOperation {
    checkArguments('BgpFilterOperation.addCommunity', [community]);
    return new BgpFilterOperation({ addCommunity: { value: community } });
  }

  /**
   * Prepends AS numbers to the route's AS path, in the order given.
   * @param asNumbers one to ten AS numbers
   */
  public static prependAsPath(asNumbers: AsNumber[]): BgpFilterOperation {
    checkArguments('BgpFilterOperation.prependAsPath', [asNumbers]);
    return new BgpFilterOperation({ prependAsPath: { prefix: asNumbers.map(a => a.value) } });
  }

  /**
   * Sets the route's priority (metric), in the units of FelixConfiguration's route priorities
   * (Calico's `setPriority` operation; jsii reserves `set...` names for Java setters).
   * @param priority 1 to 2147483646
   */
  public static assignPriority(priority: number): BgpFilterOperation {
    checkArguments('BgpFilterOperation.assignPriority', [priority]);
    return new BgpFilterOperation({ setPriority: { value: priority } });
  }

  private constructor(private readonly operation: BgpFilterSpecExportV4Operations) {}

  /**
   * The operation in the generated layer's shape (a copy).
   * @internal
   */
  public _render(): BgpFilterSpecExportV4Operations {
    return JSON.parse(JSON.stringify(this.operation));
  }
}

/**
 * One rule of a BGP filter. Rules are evaluated in order; the first that matches decides. A rule
 * with no match fields matches every route.
 */
export interface BgpFilterRule {
  /** What to do with a matching route. */
  readonly action: BgpFilterAction;
  /**
   * The prefix to compare routes with: IPv4 in `v4` rules, IPv6 in `v6` rules. Needs
   * `matchOperator`.
   * @default - routes are not matched by prefix
   */
  readonly cidr?: string;
  /**
   * How `cidr` is compared. Needs `cidr`.
   * @default - routes are not matched by prefix
   */
  readonly matchOperator?: BgpFilterMatchOperator;
  /**
   * Only match routes from this source.
   * @default - routes from any source
   */
  readonly source?: BgpFilterMatchSource;
  /**
   * Only match routes through this interface (Calico's `interface` field); `*` is allowed as a
   * wildcard, e.g. `cali*`.
   * @default - routes through any interface
   */
  readonly interfaceName?: string;
  /**
   * The prefix lengths the `cidr` match accepts. Needs `cidr`.
   * @default - from the length of `cidr` to the longest of the family
   */
  readonly prefixLength?: BgpFilterPrefixLength;
  /**
   * Only match routes to or from peers of this kind. Calico v3.32 and later.
   * @default - peers of either kind
   */
  readonly peerType?: BgpFilterPeerType;
  /**
   * Only match routes that carry this community (Calico takes exactly one), `aa:nn` or
   * `aa:nn:mm`. Calico v3.32 and later.
   * @default - routes with any communities
   */
  readonly communities?: string[];
  /**
   * Only match routes whose AS path starts with these AS numbers. Calico v3.32 and later.
   * @default - routes with any AS path
   */
  readonly asPathPrefix?: AsNumber[];
  /**
   * Only match routes with this priority (metric). Calico v3.32 and later.
   * @default - routes of any priority
   */
  readonly priority?: number;
  /**
   * Changes made, in order, to the routes the rule accepts (Accept rules only, one to ten).
   * Calico v3.32 and later.
   * @default - accepted routes are passed on unchanged
   */
  readonly operations?: BgpFilterOperation[];
}

/**
 * A reference to a BGP filter, by name.
 */
export interface IBgpFilter {
  /** `metadata.name` of the BGPFilter. */
  readonly name: string;
}

/**
 * Properties of a `BgpFilter`.
 */
export interface BgpFilterProps extends CalicoResourceProps {
  /**
   * Rules for IPv4 routes exported to peers.
   * @default - none: exported IPv4 routes are not filtered
   */
  readonly exportV4?: BgpFilterRule[];
  /**
   * Rules for IPv4 routes imported from peers.
   * @default - none: imported IPv4 routes are not filtered
   */
  readonly importV4?: BgpFilterRule[];
  /**
   * Rules for IPv6 routes exported to peers.
   * @default - none: exported IPv6 routes are not filtered
   */
  readonly exportV6?: BgpFilterRule[];
  /**
   * Rules for IPv6 routes imported from peers.
   * @default - none: imported IPv6 routes are not filtered
   */
  readonly importV6?: BgpFilterRule[];
}

type RuleList = 'exportV4' | 'importV4' | 'exportV6' | 'importV6';

/**
 * A Calico BGP filter (`BGPFilter`): ordered accept/reject rules for the routes a BGP peering
 * imports and exports. Attach it to peerings with `BgpPeer`'s `filters`.
 *
 * @example
 * const filter = new BgpFilter(chart, 'no-default-route', {
 *   importV4: [
 *     { action: BgpFilterAction.REJECT, cidr: '0.0.0.0/0', matchOperator: BgpFilterMatchOperator.EQUAL },
 *   ],
 * });
 */
export class BgpFilter extends CalicoResource implements IBgpFilter {
  /**
   * Refers to a BGPFilter that is defined elsewhere (another chart, or already on the cluster).
   * @param name `metadata.name` of the filter
   */
  public static fromFilterName(name: string): IBgpFilter {
    checkArguments('BgpFilter.fromFilterName', [name]);
    return { name };
  }

  private readonly rules: Record<RuleList, BgpFilterRule[]>;

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the rules
   */
  constructor(scope: Construct, id: string, props: BgpFilterProps = {}) {
    checkArguments('BgpFilter', [scope, id, props]);
    super(scope, id, 'BGPFilter', props);
    this.rules = {
      exportV4: (props.exportV4 ?? []).map(copyRule),
      importV4: (props.importV4 ?? []).map(copyRule),
      exportV6: (props.exportV6 ?? []).map(copyRule),
      importV6: (props.importV6 ?? []).map(copyRule),
    };
    this.validateNow();
  }

  /**
   * Appends a rule for exported IPv4 routes.
   * @param rule the rule
   */
  public addExportV4(rule: BgpFilterRule): void {
    checkArguments('BgpFilter.addExportV4', [rule], { scope: this });
    this.addRule('exportV4', rule);
  }

  /**
   * Appends a rule for imported IPv4 routes.
   * @param rule the rule
   */
  public addImportV4(rule: BgpFilterRule): void {
    checkArguments('BgpFilter.addImportV4', [rule], { scope: this });
    this.addRule('importV4', rule);
  }

  /**
   * Appends a rule for exported IPv6 routes.
   * @param rule the rule
   */
  public addExportV6(rule: BgpFilterRule): void {
    checkArguments('BgpFilter.addExportV6', [rule], { scope: this });
    this.addRule('exportV6', rule);
  }

  /**
   * Appends a rule for imported IPv6 routes.
   * @param rule the rule
   */
  public addImportV6(rule: BgpFilterRule): void {
    checkArguments('BgpFilter.addImportV6', [rule], { scope: this });
    this.addRule('importV6', rule);
  }

  protected renderSpec(): any {
    const spec: BgpFilterSpec = {
      exportV4: renderRules(this.rules.exportV4),
      importV4: asGenerated(renderRules(this.rules.importV4)),
      exportV6: asGenerated(renderRules(this.rules.exportV6)),
      importV6: asGenerated(renderRules(this.rules.importV6)),
    };
    return toJson_BgpFilterSpec(spec);
  }

  private addRule(list: RuleList, rule: BgpFilterRule): void {
    const rules = this.rules[list];
    rules.push(copyRule(rule));
    checkAdded(this, `spec.${list}[${rules.length - 1}]`, () => rules.pop());
  }
}

/** A copy of a rule, so that later changes to the caller's objects do not leak in. */
function copyRule(r: BgpFilterRule): BgpFilterRule {
  return {
    ...r,
    prefixLength: r.prefixLength ? { ...r.prefixLength } : undefined,
    communities: r.communities ? [...r.communities] : undefined,
    asPathPrefix: r.asPathPrefix ? [...r.asPathPrefix] : undefined,
    operations: r.operations ? [...r.operations] : undefined,
  };
}

/** The four rule lists share one shape in the generated layer. */
function renderRules(rules: BgpFilterRule[]): BgpFilterSpecExportV4[] | undefined {
  if (!rules.length) return undefined;
  return rules.map(r => ({
    action: asGenerated(r.action),
    cidr: r.cidr,
    prefixLength: r.prefixLength ? { min: r.prefixLength.min, max: r.prefixLength.max } : undefined,
    matchOperator: asGenerated(r.matchOperator),
    source: asGenerated(r.source),
    interface: r.interfaceName,
    peerType: asGenerated(r.peerType),
    // Empty lists are left out, as Calico's types leave them out (omitempty).
    communities: r.communities?.length ? { values: [...r.communities] } : undefined,
    asPathPrefix: r.asPathPrefix?.length ? r.asPathPrefix.map(a => a.value) : undefined,
    priority: r.priority,
    operations: r.operations?.length ? r.operations.map(o => o._render()) : undefined,
  }));
}
