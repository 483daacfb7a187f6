import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BgpConfigurationSpec, toJson_BgpConfigurationSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError, throwIssues } from '../core/errors';
import { applyAfter } from '../core/apply-order';
import { quote, quoteJson } from '../core/quote';
import { asGenerated, checkAdded, enabledDisabled, goDuration } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';
import { validateRenderedManifest } from '../validation/validate';

const MAX_AS_NUMBER = 4294967295;

/**
 * A BGP autonomous system number (4-byte, 1 to 4294967295), given as a plain number or in the
 * dotted `high.low` notation (RFC 5396 asdot).
 *
 * @example
 * AsNumber.of(64512);
 * AsNumber.dotted(1, 10);   // 65546
 * AsNumber.parse('1.10');   // 65546
 */
export class AsNumber {
  /**
   * An AS number from its plain value.
   * @param value an integer from 1 to 4294967295
   */
  public static of(value: number): AsNumber {
    checkArguments('AsNumber.of', [value]);
    if (!Number.isInteger(value) || value < 0 || value > MAX_AS_NUMBER) {
      throw new CalicoValidationError(`AS number ${quoteJson(value)} is out of range; use an integer from 1 to ${MAX_AS_NUMBER}`);
    }
    if (value === 0) {
      throw new CalicoValidationError('AS number 0 is reserved (RFC 7607) and Calico reads it as "not set"; '
        + `use an integer from 1 to ${MAX_AS_NUMBER}`);
    }
    return new AsNumber(value);
  }

  /**
   * An AS number from its dotted form `high.low` (value = high * 65536 + low).
   * @param high the high-order 16 bits, 0 to 65535
   * @param low the low-order 16 bits, 0 to 65535
   */
  public static dotted(high: number, low: number): AsNumber {
    checkArguments('AsNumber.dotted', [high, low]);
    for (const [part, v] of [['high', high], ['low', low]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 65535) {
        throw new CalicoValidationError(`AS number ${high}.${low}: the ${part} part ${quoteJson(v)} is out of range; `
          + 'use integers from 0 to 65535 on both sides of the dot');
      }
    }
    return AsNumber.of(high * 65536 + low);
  }

  /**
   * Parses an AS number written as Calico accepts it: plain (`64512`) or dotted (`1.10`).
   * @param text the AS number text
   */
  public static parse(text: string): AsNumber {
    checkArguments('AsNumber.parse', [text]);
    const plain = /^\d+$/.exec(text);
    if (plain) return AsNumber.of(Number(text));
    const dotted = /^(\d+)\.(\d+)$/.exec(text);
    if (dotted) return AsNumber.dotted(Number(dotted[1]), Number(dotted[2]));
    throw new CalicoValidationError(`AS number ${quote(text)} is not a number; write it plain ('64512') or dotted ('1.10')`);
  }

  /** The plain numeric value, as Calico stores it. */
  public readonly value: number;

  private constructor(value: number) {
    this.value = value;
  }

  /** The plain (asplain) text, e.g. `65546`. */
  public toString(): string {
    return String(this.value);
  }

  /** The dotted (asdot+) text, e.g. `1.10`. */
  public toDotted(): string {
    return `${Math.floor(this.value / 65536)}.${this.value % 65536}`;
  }
}

/**
 * A key of a Kubernetes Secret that holds a BGP password.
 *
 * The Secret must be in the namespace calico-node runs in (`calico-system` with the operator,
 * `kube-system` with the manifest install), and calico-node's service account needs RBAC
 * permission to `get` it.
 */
export interface BgpSecretKeyRef {
  /** Name of the Secret. */
  readonly name: string;
  /** Key within the Secret whose value is the password. */
  readonly key: string;
}

/**
 * Log severity of Calico's BGP daemon (BIRD via confd).
 */
export enum BgpLogSeverity {
  /** Debug and above. */
  DEBUG = 'Debug',
  /** Info and above. */
  INFO = 'Info',
  /** Warnings and above. */
  WARNING = 'Warning',
  /** Errors and above. */
  ERROR = 'Error',
  /** Fatal errors only. */
  FATAL = 'Fatal',
}

/**
 * Which addresses BIRD listens on for BGP connections.
 */
export enum BgpBindMode {
  /** Listen on every address of the node. */
  NONE = 'None',
  /** Listen only on the node's BGP address (`Node.spec.bgp.ipv4Address` / `ipv6Address`). */
  NODE_IP = 'NodeIP',
}

/**
 * A named BGP community, usable by name in prefix advertisements.
 */
export interface BgpCommunity {
  /** Name to refer to the community by. */
  readonly name: string;
  /**
   * The community: standard `aa:nn` (16-bit numbers) or large `aa:nn:mm` (32-bit numbers).
   */
  readonly value: string;
}

/**
 * Communities to attach when Calico advertises one prefix.
 */
export interface BgpPrefixAdvertisement {
  /** The prefix, e.g. a pool or service CIDR. */
  readonly cidr: string;
  /** Community names defined in `communities`, or literal `aa:nn` / `aa:nn:mm` values. */
  readonly communities: string[];
}

/**
 * Properties of a `BgpConfiguration`.
 */
export interface BgpConfigurationProps extends CalicoResourceProps {
  /**
   * The AS number every node uses unless its Node resource sets one.
   * @default - AS 64512, Calico's default
   */
  readonly asNumber?: AsNumber;
  /**
   * Log severity of the BGP daemon.
   * @default BgpLogSeverity.INFO
   */
  readonly logSeverityScreen?: BgpLogSeverity;
  /**
   * Whether every node peers with every other node (the full mesh). Set up replacement peerings
   * (route reflectors) before turning it off: disabling it tears down every mesh session.
   * @default true
   */
  readonly nodeToNodeMeshEnabled?: boolean;
  /**
   * CIDRs of Kubernetes service cluster IPs to advertise over BGP.
   * @default - cluster IPs are not advertised
   */
  readonly serviceClusterIps?: string[];
  /**
   * CIDRs of Kubernetes service external IPs that may be advertised over BGP.
   * @default - external IPs are not advertised
   */
  readonly serviceExternalIps?: string[];
  /**
   * CIDRs of Kubernetes LoadBalancer ingress IPs that may be advertised over BGP.
   * @default - LoadBalancer IPs are not advertised
   */
  readonly serviceLoadBalancerIps?: string[];
  /**
   * The TCP port BIRD listens on.
   * @default 179
   */
  readonly listenPort?: number;
  /**
   * Named BGP communities. Calico requires every defined community to be used by a prefix
   * advertisement.
   * @default - none
   */
  readonly communities?: BgpCommunity[];
  /**
   * Communities to attach to advertised prefixes.
   * @default - none
   */
  readonly prefixAdvertisements?: BgpPrefixAdvertisement[];
  /**
   * Password for the node-to-node mesh sessions (only on `default`, with the mesh enabled).
   * @default - no password
   */
  readonly nodeMeshPassword?: BgpSecretKeyRef;
  /**
   * Graceful-restart time of the node-to-node mesh sessions (only on `default`, with the mesh
   * enabled).
   * @default - BIRD's default of 120 seconds
   */
  readonly nodeMeshMaxRestartTime?: Duration;
  /**
   * Which addresses BIRD listens on.
   * @default BgpBindMode.NONE
   */
  readonly bindMode?: BgpBindMode;
  /**
   * Interfaces whose routes BIRD ignores when reading device routes (wildcard `*` allowed
   * within a name, e.g. `cali*`).
   * @default - none
   */
  readonly ignoredInterfaces?: string[];
  /**
   * The virtual IPv4 address of each node that its local workloads peer with (see BgpPeer's
   * `localWorkloadSelector`); a link-local address is recommended.
   * @default - no IPv4 workload peering address
   */
  readonly localWorkloadPeeringIpv4?: string;
  /**
   * The virtual IPv6 address of each node that its local workloads peer with; a link-local
   * address is recommended.
   * @default - no IPv6 workload peering address
   */
  readonly localWorkloadPeeringIpv6?: string;
  /**
   * Advertise `serviceLoadBalancerIps` as the whole CIDRs (true) or one /32 (/128) route per
   * LoadBalancer Service address (false).
   * @default - Calico's default, true (Enabled)
   */
  readonly serviceLoadBalancerAggregation?: boolean;
  /**
   * Whether BIRD programs the routes to workloads on other nodes for pools with `vxlanMode:
   * Never` (false leaves them to Felix). Calico v3.32 and later.
   * @default - Calico's default, true (Enabled)
   */
  readonly programClusterRoutes?: boolean;
  /**
   * The route priority (metric) Felix gives IPv4 workload routes; must match FelixConfiguration's.
   * Calico v3.32 and later.
   * @default - Calico's default, 1024
   */
  readonly ipv4NormalRoutePriority?: number;
  /**
   * The route priority (metric) Felix gives IPv6 workload routes; must match FelixConfiguration's.
   * Calico v3.32 and later.
   * @default - Calico's default, 1024
   */
  readonly ipv6NormalRoutePriority?: number;
}

/**
 * Calico's BGP configuration (`BGPConfiguration`): the cluster AS number, the node-to-node mesh,
 * service IP advertisement and the BGP daemon's listener.
 *
 * Its `name` defaults to `default`, the cluster-wide configuration (not the construct id); name
 * one `node.<node name>` for a single node's overrides. Calico accepts `asNumber`,
 * `nodeToNodeMeshEnabled` and the service CIDRs only on `default`.
 *
 * Only the fields you set are written; the resolved values (`asNumber`,
 * `nodeToNodeMeshEnabled`, ...) are exposed for topology checks.
 *
 * @example
 * new BgpConfiguration(chart, 'bgp', {
 *   asNumber: AsNumber.of(64512),
 *   nodeToNodeMeshEnabled: false,
 *   serviceClusterIps: ['10.96.0.0/12'],
 * });
 */
export class BgpConfiguration extends CalicoResource {
  /** The cluster AS number in force (Calico's 64512 when not set). */
  public readonly asNumber: AsNumber;
  /** The BGP listen port in force. */
  public readonly listenPort: number;
  /** The BGP daemon's log severity in force. */
  public readonly logSeverityScreen: BgpLogSeverity;
  /** The bind mode in force. */
  public readonly bindMode: BgpBindMode;
  private readonly given: BgpConfigurationProps;
  private readonly meshRestartTime?: string;
  private readonly clusterIps: string[];
  private readonly externalIps: string[];
  private readonly loadBalancerIps: string[];
  private readonly communityList: BgpCommunity[];
  private readonly advertisements: BgpPrefixAdvertisement[];
  private readonly ignored: string[];
  private meshEnabled: boolean;
  private readonly meshReplacements: IConstruct[] = [];

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the configuration; `name` defaults to `default`
   */
  constructor(scope: Construct, id: string, props: BgpConfigurationProps = {}) {
    checkArguments('BgpConfiguration', [scope, id, props]);
    super(scope, id, 'BGPConfiguration', { ...props, name: props.name ?? 'default' });
    this.given = props;
    this.meshRestartTime = props.nodeMeshMaxRestartTime
      ? goDuration(props.nodeMeshMaxRestartTime, 'nodeMeshMaxRestartTime', this)
      : undefined;
    this.asNumber = props.asNumber ?? AsNumber.of(64512);
    this.meshEnabled = props.nodeToNodeMeshEnabled ?? true;
    this.listenPort = props.listenPort ?? 179;
    this.logSeverityScreen = props.logSeverityScreen ?? BgpLogSeverity.INFO;
    this.bindMode = props.bindMode ?? BgpBindMode.NONE;
    this.clusterIps = [...(props.serviceClusterIps ?? [])];
    this.externalIps = [...(props.serviceExternalIps ?? [])];
    this.loadBalancerIps = [...(props.serviceLoadBalancerIps ?? [])];
    this.communityList = (props.communities ?? []).map(c => ({ ...c }));
    this.advertisements = (props.prefixAdvertisements ?? []).map(a => ({ cidr: a.cidr, communities: [...a.communities] }));
    this.ignored = [...(props.ignoredInterfaces ?? [])];
    this.validateNow();
  }

  /**
   * Advertises the service cluster IPs in one more CIDR.
   * @param cidr a CIDR, e.g. `10.96.0.0/12`
   */
  public addServiceClusterIp(cidr: string): void {
    checkArguments('BgpConfiguration.addServiceClusterIp', [cidr], { scope: this });
    this.clusterIps.push(cidr);
    checkAdded(this, `spec.serviceClusterIPs[${this.clusterIps.length - 1}]`, () => this.clusterIps.pop());
  }

  /**
   * Allows advertising service external IPs in one more CIDR.
   * @param cidr a CIDR
   */
  public addServiceExternalIp(cidr: string): void {
    checkArguments('BgpConfiguration.addServiceExternalIp', [cidr], { scope: this });
    this.externalIps.push(cidr);
    checkAdded(this, `spec.serviceExternalIPs[${this.externalIps.length - 1}]`, () => this.externalIps.pop());
  }

  /**
   * Allows advertising LoadBalancer ingress IPs in one more CIDR.
   * @param cidr a CIDR
   */
  public addServiceLoadBalancerIp(cidr: string): void {
    checkArguments('BgpConfiguration.addServiceLoadBalancerIp', [cidr], { scope: this });
    this.loadBalancerIps.push(cidr);
    checkAdded(this, `spec.serviceLoadBalancerIPs[${this.loadBalancerIps.length - 1}]`, () => this.loadBalancerIps.pop());
  }

  /**
   * Defines one more named community. Use it in a prefix advertisement, or synthesis fails.
   * @param community name and value
   */
  public addCommunity(community: BgpCommunity): void {
    checkArguments('BgpConfiguration.addCommunity', [community], { scope: this });
    this.communityList.push({ ...community });
    checkAdded(this, `spec.communities[${this.communityList.length - 1}]`, () => this.communityList.pop());
  }

  /**
   * Attaches communities to one more advertised prefix.
   * @param advertisement the prefix and its communities
   */
  public addPrefixAdvertisement(advertisement: BgpPrefixAdvertisement): void {
    checkArguments('BgpConfiguration.addPrefixAdvertisement', [advertisement], { scope: this });
    this.advertisements.push({ cidr: advertisement.cidr, communities: [...advertisement.communities] });
    checkAdded(this, `spec.prefixAdvertisements[${this.advertisements.length - 1}]`, () => this.advertisements.pop());
  }

  /**
   * Ignores the routes of one more interface.
   * @param interfaceName an interface name, `*` allowed as a wildcard within it
   */
  public addIgnoredInterface(interfaceName: string): void {
    checkArguments('BgpConfiguration.addIgnoredInterface', [interfaceName], { scope: this });
    this.ignored.push(interfaceName);
    checkAdded(this, `spec.ignoredInterfaces[${this.ignored.length - 1}]`, () => this.ignored.pop());
  }

  /**
   * Turns the node-to-node mesh off, after the peerings that replace it.
   *
   * Each replacement (a `BgpPeer`, a `CalicoNode` that carries a route-reflector label, or any
   * construct holding them) is synthesized before it: a dependency of this configuration, unless
   * a CalicoCluster's stages already apply the replacement first (its BGP stage comes last).
   * `kubectl apply -f` and `calicoctl apply -f` then create the new sessions before the mesh
   * sessions are torn down. Calling it again adds more replacements.
   *
   * @param replacements the peerings (and reflector nodes) that replace the mesh; at least one
   *        unless the mesh is already off
   */
  public disableNodeToNodeMesh(replacements: IConstruct[] = []): void {
    checkArguments('BgpConfiguration.disableNodeToNodeMesh', [replacements], { scope: this });
    if (replacements.length === 0 && this.meshEnabled) {
      throw new CalicoValidationError(`BGPConfiguration ${quote(this.name)}: disableNodeToNodeMesh() needs the peerings that replace the mesh `
        + '(route reflector or router BgpPeers); turning the mesh off without them tears down every BGP session', this);
    }
    const was = this.meshEnabled;
    this.meshEnabled = false;
    this._markChanged(); // only the mesh fields are checked here; synthesis checks the rest
    const issues = validateRenderedManifest(this.toManifest(), this.calicoVersion).filter(i => i.path.startsWith('spec.nodeMesh'));
    if (issues.length) {
      this.meshEnabled = was;
      throwIssues(this, `BGPConfiguration ${quote(this.name)}`, issues);
    }
    for (const r of replacements) {
      if (r === this || this.meshReplacements.includes(r)) continue;
      this.meshReplacements.push(r);
      applyAfter(this, r);
    }
  }

  /** Whether the node-to-node mesh is enabled. */
  public get nodeToNodeMeshEnabled(): boolean {
    return this.meshEnabled;
  }

  /** Service cluster IP CIDRs advertised (a copy). */
  public get serviceClusterIps(): string[] {
    return [...this.clusterIps];
  }

  /** Service external IP CIDRs that may be advertised (a copy). */
  public get serviceExternalIps(): string[] {
    return [...this.externalIps];
  }

  /** LoadBalancer IP CIDRs that may be advertised (a copy). */
  public get serviceLoadBalancerIps(): string[] {
    return [...this.loadBalancerIps];
  }

  protected renderSpec(): any {
    const p = this.given;
    const cidrs = (list: string[]) => (list.length ? list.map(cidr => ({ cidr })) : undefined);
    const spec: BgpConfigurationSpec = {
      asNumber: p.asNumber?.value,
      logSeverityScreen: p.logSeverityScreen,
      nodeToNodeMeshEnabled: this.meshEnabled ? p.nodeToNodeMeshEnabled : false,
      serviceClusterIPs: cidrs(this.clusterIps),
      serviceExternalIPs: cidrs(this.externalIps),
      serviceLoadBalancerIPs: cidrs(this.loadBalancerIps),
      listenPort: p.listenPort,
      communities: this.communityList.length ? this.communityList.map(c => ({ name: c.name, value: c.value })) : undefined,
      prefixAdvertisements: this.advertisements.length
        ? this.advertisements.map(a => ({ cidr: a.cidr, communities: [...a.communities] }))
        : undefined,
      nodeMeshPassword: p.nodeMeshPassword
        ? { secretKeyRef: { name: p.nodeMeshPassword.name, key: p.nodeMeshPassword.key } }
        : undefined,
      nodeMeshMaxRestartTime: this.meshRestartTime,
      bindMode: asGenerated(p.bindMode),
      ignoredInterfaces: this.ignored.length ? [...this.ignored] : undefined,
      localWorkloadPeeringIpv4: p.localWorkloadPeeringIpv4,
      localWorkloadPeeringIpv6: p.localWorkloadPeeringIpv6,
      serviceLoadBalancerAggregation: asGenerated(enabledDisabled(p.serviceLoadBalancerAggregation)),
      programClusterRoutes: asGenerated(enabledDisabled(p.programClusterRoutes)),
      ipv4NormalRoutePriority: p.ipv4NormalRoutePriority,
      ipv6NormalRoutePriority: p.ipv6NormalRoutePriority,
    };
    return toJson_BgpConfigurationSpec(spec);
  }
}
