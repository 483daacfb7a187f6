import { Construct } from 'constructs';
import { IpPoolSpec, toJson_IpPoolSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';
import { throwIssues, ValidationIssue } from '../core/errors';
import { quote } from '../core/quote';
import { defaultBlockSize, ipVersionOfCidr } from './private/ipam-defaults';
import { checkSelector } from './private/policy-render';
import { CalicoResource, CalicoResourceProps } from './resource';
import { Selector } from '../language/selector';
import { asGenerated } from './private/resource-util';

/**
 * When Calico encapsulates pod traffic in IP-in-IP (IPv4 pools only).
 */
export enum IpipMode {
  /** Always encapsulate traffic between nodes. */
  ALWAYS = 'Always',
  /** Encapsulate only traffic that crosses a subnet boundary; route natively inside a subnet. */
  CROSS_SUBNET = 'CrossSubnet',
  /** Never use IP-in-IP. */
  NEVER = 'Never',
}

/**
 * When Calico encapsulates pod traffic in VXLAN.
 */
export enum VxlanMode {
  /** Always encapsulate traffic between nodes. */
  ALWAYS = 'Always',
  /** Encapsulate only traffic that crosses a subnet boundary; route natively inside a subnet. */
  CROSS_SUBNET = 'CrossSubnet',
  /** Never use VXLAN. */
  NEVER = 'Never',
}

/**
 * What Calico IPAM may assign addresses from a pool for.
 */
export enum IpPoolAllowedUse {
  /** Pod (workload) addresses. */
  WORKLOAD = 'Workload',
  /** Tunnel device addresses (IP-in-IP, VXLAN, WireGuard). */
  TUNNEL = 'Tunnel',
  /**
   * LoadBalancer Service addresses, assigned by kube-controllers' LoadBalancer controller. Not
   * combinable with the other uses.
   */
  LOAD_BALANCER = 'LoadBalancer',
}

/**
 * How Calico IPAM hands out a pool's addresses.
 */
export enum IpPoolAssignmentMode {
  /** To any workload the pool's selectors match, without being asked for the pool. */
  AUTOMATIC = 'Automatic',
  /** Only to workloads that ask for the pool by name (an annotation such as `cni.projectcalico.org/ipv4pools`). */
  MANUAL = 'Manual',
}

/**
 * Properties of an `IpPool`.
 */
export interface IpPoolProps extends CalicoResourceProps {
  /**
   * The range Calico IPAM assigns addresses from, e.g. `10.244.0.0/16` or `fd00:10:244::/48`.
   * Must be strictly masked (no host bits set) and may not overlap the link-local ranges.
   */
  readonly cidr: string;
  /**
   * Prefix length of the address blocks Calico hands to each node (20-32 for IPv4, 116-128 for
   * IPv6). Fixed once the pool exists: Calico refuses to change it on a live pool.
   * @default - 26 for IPv4 (64 addresses a block), 122 for IPv6, as Calico defaults it
   */
  readonly blockSize?: number;
  /**
   * When to use IP-in-IP encapsulation. IPv4 only; may not be combined with VXLAN.
   * @default IpipMode.NEVER
   */
  readonly ipipMode?: IpipMode;
  /**
   * When to use VXLAN encapsulation. May not be combined with IP-in-IP.
   * @default VxlanMode.NEVER
   */
  readonly vxlanMode?: VxlanMode;
  /**
   * Masquerade traffic from pods in this pool to destinations outside every Calico pool.
   * @default false
   */
  readonly natOutgoing?: boolean;
  /**
   * Stop Calico IPAM assigning new addresses from this pool (existing ones keep working).
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Do not advertise routes for this pool's CIDR over BGP.
   * @default false
   */
  readonly disableBgpExport?: boolean;
  /**
   * The nodes whose pods may get addresses from this pool.
   * @default Selector.all()
   */
  readonly nodeSelector?: Selector;
  /**
   * The namespaces whose pods may get addresses from this pool (and `nodeSelector` must match
   * too).
   * @default - pods of every namespace
   */
  readonly namespaceSelector?: Selector;
  /**
   * What the pool's addresses may be assigned for. Must not be empty when given.
   * @default - [IpPoolAllowedUse.WORKLOAD, IpPoolAllowedUse.TUNNEL], as Calico defaults it
   */
  readonly allowedUses?: IpPoolAllowedUse[];
  /**
   * Whether Calico IPAM assigns the pool's addresses by itself, or only when asked for the pool.
   * @default IpPoolAssignmentMode.AUTOMATIC
   */
  readonly assignmentMode?: IpPoolAssignmentMode;
}

/**
 * A Calico IP pool (`IPPool`): a range that Calico IPAM assigns pod and tunnel addresses from,
 * in blocks of `blockSize` per node, with the encapsulation and NAT used for its traffic.
 *
 * Only the fields you set are written in `projectcalico.org/v3` (Calico fills in the rest when the
 * pool is applied); with `CalicoApiVersion.CRD_V1` the library writes Calico's defaults itself.
 * The resolved values (`blockSize`, `ipipMode`, ...) are exposed either way.
 *
 * @example
 * new IpPool(chart, 'pods', {
 *   cidr: '10.244.0.0/16',
 *   vxlanMode: VxlanMode.CROSS_SUBNET,
 *   natOutgoing: true,
 * });
 */
export class IpPool extends CalicoResource {
  /** The pool range, as given. */
  public readonly cidr: string;
  /** IP version of the pool: 4 or 6. */
  public readonly ipVersion: number;
  /** Prefix length of the pool range (the `/n` of `cidr`). */
  public readonly prefixLength: number;
  /** Block size in force: the given one, or Calico's default for the IP version. */
  public readonly blockSize: number;
  /** IP-in-IP mode in force. */
  public readonly ipipMode: IpipMode;
  /** VXLAN mode in force. */
  public readonly vxlanMode: VxlanMode;
  /** Whether outgoing traffic is masqueraded. */
  public readonly natOutgoing: boolean;
  /** Whether the pool is disabled for new assignments. */
  public readonly disabled: boolean;
  /** Whether BGP export of the pool's routes is disabled. */
  public readonly disableBgpExport: boolean;
  /** The namespace selector given, or `undefined` (pods of every namespace). */
  public readonly namespaceSelector?: Selector;
  /** The assignment mode in force. */
  public readonly assignmentMode: IpPoolAssignmentMode;
  private readonly given: IpPoolProps;
  private givenNodeSelector?: Selector;
  private readonly uses: IpPoolAllowedUse[];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the pool
   */
  constructor(scope: Construct, id: string, props: IpPoolProps) {
    checkArguments('IpPool', [scope, id, props]);
    super(scope, id, 'IPPool', props);
    if (props.allowedUses && props.allowedUses.length === 0) {
      throwIssues(this, `IPPool ${quote(this.name)}`, [{
        path: 'spec.allowedUses',
        message: 'allowedUses is empty, but a pool needs at least one use; '
          + 'leave it unset for Calico\'s default [Workload, Tunnel] or name the uses',
      }]);
    }
    this.given = { ...props, allowedUses: props.allowedUses ? [...props.allowedUses] : undefined };
    this.cidr = props.cidr;
    this.ipVersion = ipVersionOfCidr(props.cidr);
    const slash = props.cidr.indexOf('/');
    this.prefixLength = slash < 0 ? (this.ipVersion === 6 ? 128 : 32) : Number(props.cidr.slice(slash + 1));
    this.blockSize = props.blockSize ?? defaultBlockSize(this.ipVersion);
    this.ipipMode = props.ipipMode ?? IpipMode.NEVER;
    this.vxlanMode = props.vxlanMode ?? VxlanMode.NEVER;
    this.natOutgoing = props.natOutgoing ?? false;
    this.disabled = props.disabled ?? false;
    this.disableBgpExport = props.disableBgpExport ?? false;
    this.namespaceSelector = props.namespaceSelector;
    this.assignmentMode = props.assignmentMode ?? IpPoolAssignmentMode.AUTOMATIC;
    this.givenNodeSelector = props.nodeSelector;
    this.uses = this.given.allowedUses ?? [IpPoolAllowedUse.WORKLOAD, IpPoolAllowedUse.TUNNEL];
    this.validateNow();
  }

  /**
   * The node selector in force: the one given (narrowed by `restrictNodeSelector`), or `all()`.
   */
  public get nodeSelector(): Selector {
    return this.givenNodeSelector ?? Selector.all();
  }

  /**
   * Narrows the nodes that may take addresses from this pool to those `nodeSelector` selects as
   * well, for example to hand some nodes to another pool after this one was built. The pool's
   * selector becomes `nodeSelector` when it was `all()`, and both joined with `&&` otherwise;
   * restricting to the selector in force or to `all()` changes nothing. The pool is checked again
   * at once: a bad selector throws and the pool keeps its selector.
   *
   * @param nodeSelector the nodes that may keep taking addresses from the pool, e.g.
   *        `Selector.eq('network-type', 'non-routable')`
   */
  public restrictNodeSelector(nodeSelector: Selector): void {
    checkArguments('IpPool.restrictNodeSelector', [nodeSelector], { scope: this, leave: POLICY_RULE_TYPES });
    const issues: ValidationIssue[] = [];
    checkSelector(nodeSelector, 'spec.nodeSelector', issues);
    if (issues.length) throwIssues(this, `IPPool ${quote(this.name)}`, issues);
    const current = this.nodeSelector;
    if (nodeSelector.isAll() || current.sameAs(nodeSelector)) return;
    const before = this.givenNodeSelector;
    this.givenNodeSelector = current.isAll() ? nodeSelector : current.andAlso(nodeSelector);
    try {
      this.validateNow();
    } catch (e) {
      this.givenNodeSelector = before;
      throw e;
    }
  }

  /** The uses in force (a copy). */
  public get allowedUses(): IpPoolAllowedUse[] {
    return [...this.uses];
  }

  protected renderSpec(): any {
    const p = this.given;
    const spec: IpPoolSpec = {
      cidr: p.cidr,
      blockSize: p.blockSize,
      ipipMode: asGenerated(p.ipipMode),
      vxlanMode: asGenerated(p.vxlanMode),
      disabled: p.disabled,
      disableBgpExport: p.disableBgpExport,
      nodeSelector: this.givenNodeSelector?.toString(),
      namespaceSelector: p.namespaceSelector?.toString(),
      allowedUses: p.allowedUses ? asGenerated([...p.allowedUses]) : undefined,
      assignmentMode: asGenerated(p.assignmentMode),
    };
    const json: { [key: string]: any } = { ...toJson_IpPoolSpec(spec) };
    // The generated layer maps `natOutgoing` to the deprecated v1 key `nat-outgoing` (which Calico
    // requires to be unset), so the v3 key is written here directly.
    if (p.natOutgoing !== undefined) json.natOutgoing = p.natOutgoing;
    return json;
  }
}
