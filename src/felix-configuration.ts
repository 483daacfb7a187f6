import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as crd from '../imports/crd.projectcalico.org';
import { CalicoValidationError } from './errors';
import { registerCrdDefaults } from './private/crd-defaults';
import { CalicoResource, CalicoResourceProps } from './resource';
import { formatGoDuration, mergeAdditionalFields, wholeMilliseconds } from './validation/felix-configuration';
import { parseCidrOrIp } from './validation/net';

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

/** A log severity of Felix and kube-controllers (`logSeverityScreen` and friends). */
export enum LogSeverity {
  /** Debug and above. */
  DEBUG = 'Debug',
  /** Info and above (Calico's default). */
  INFO = 'Info',
  /** Warnings and above. */
  WARNING = 'Warning',
  /** Errors and above. */
  ERROR = 'Error',
  /** Fatal errors only. */
  FATAL = 'Fatal',
}

/** Log level of the eBPF programs (`bpfLogLevel`). */
export enum BpfLogLevel {
  /** No BPF logs (Calico's default). */
  OFF = 'Off',
  /** Info-level BPF logs. */
  INFO = 'Info',
  /** Debug-level BPF logs, written to the BPF trace pipe; expensive. */
  DEBUG = 'Debug',
}

/** How the eBPF dataplane forwards external traffic to services on other nodes (`bpfExternalServiceMode`). */
export enum BpfExternalServiceMode {
  /** Requests and responses are tunnelled through the ingress node (Calico's default). */
  TUNNEL = 'Tunnel',
  /** Direct server return: responses leave from the backend node; needs a permissive L2 network. */
  DSR = 'DSR',
}

/** The eBPF connect-time load balancer (`bpfConnectTimeLoadBalancing`). */
export enum BpfConnectTimeLoadBalancing {
  /** Only for services with TCP ports (Calico's default). */
  TCP = 'TCP',
  /** For every service. */
  ENABLED = 'Enabled',
  /** Off. */
  DISABLED = 'Disabled',
}

/** Reverse-path filtering the eBPF dataplane enforces on host interfaces (`bpfEnforceRPF`). */
export enum BpfEnforceRpf {
  /** No RPF check. */
  DISABLED = 'Disabled',
  /** Strict RPF. */
  STRICT = 'Strict',
  /** Loose RPF (Calico's default). */
  LOOSE = 'Loose',
}

/** Where Felix takes its routing information from (`routeSource`). */
export enum RouteSource {
  /** Calico IPAM blocks (Calico's default). */
  CALICO_IPAM = 'CalicoIPAM',
  /** The addresses of workload endpoints, for non-Calico IPAM. */
  WORKLOAD_IPS = 'WorkloadIPs',
}

/** The iptables backend Felix programs (`iptablesBackend`). */
export enum IptablesBackend {
  /** Detect the backend the host uses (Calico's default). */
  AUTO = 'Auto',
  /** Legacy iptables. */
  LEGACY = 'Legacy',
  /** iptables-nft. */
  NFT = 'NFT',
}

/** How Felix hooks its chains into the kernel's top-level chains (`chainInsertMode`). */
export enum ChainInsertMode {
  /** Insert at the top, so Calico's rules cannot be bypassed (Calico's default). */
  INSERT = 'insert',
  /** Append at the bottom; other rules must fall through to Calico's. */
  APPEND = 'append',
}

/** What happens to traffic from a workload to its own host (`defaultEndpointToHostAction`). */
export enum EndpointToHostAction {
  /** Drop it (Calico's default). */
  DROP = 'Drop',
  /** Accept it after workload egress policy. */
  ACCEPT = 'Accept',
  /** Return it to the INPUT chain for the host's own rules. */
  RETURN = 'Return',
}

/** The iptables action for allowed traffic (`iptablesFilterAllowAction`, `iptablesMangleAllowAction`). */
export enum IptablesAllowAction {
  /** ACCEPT (Calico's default). */
  ACCEPT = 'Accept',
  /** RETURN, so later rules in the same table still see the packet. */
  RETURN = 'Return',
}

/** The iptables action for traffic policy denies (`iptablesFilterDenyAction`). */
export enum IptablesDenyAction {
  /** DROP (Calico's default). */
  DROP = 'Drop',
  /** REJECT. */
  REJECT = 'Reject',
}

/** Handling of packets to advertised service IPs that kube-proxy does not DNAT (`serviceLoopPrevention`). */
export enum ServiceLoopPrevention {
  /** Drop them (Calico's default). */
  DROP = 'Drop',
  /** Reject them. */
  REJECT = 'Reject',
  /** Let routing loops happen. */
  DISABLED = 'Disabled',
}

/** Whether pods may send from addresses that are not theirs (`workloadSourceSpoofing`). */
export enum WorkloadSourceSpoofing {
  /** Never (Calico's default). */
  DISABLED = 'Disabled',
  /** Pods may request any prefix with the allowedSourcePrefixes annotation. */
  ANY = 'Any',
}

/** The AWS EC2 source/destination check Felix sets on its instance (`awsSrcDstCheck`). */
export enum AwsSrcDstCheck {
  /** Leave it alone (Calico's default). */
  DO_NOTHING = 'DoNothing',
  /** Enable the check. */
  ENABLE = 'Enable',
  /** Disable the check (needed for unencapsulated pod traffic across subnets). */
  DISABLE = 'Disable',
}

/** Protocols of failsafe host ports. */
export enum FailsafeProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

// ---------------------------------------------------------------------------------------------
// Value types
// ---------------------------------------------------------------------------------------------

/**
 * A port or an inclusive range of ports, as Felix's port-range settings take them
 * (`natPortRange`, `bpfPSNATPorts`, `kubeNodePortRanges`).
 */
export class PortRange {
  /**
   * One port.
   * @param port a port from 1 to 65535
   */
  public static single(port: number): PortRange {
    return new PortRange(port, port);
  }

  /**
   * The ports from `first` to `last`, both included.
   * @param first the lowest port, from 1 to 65535
   * @param last the highest port, from `first` to 65535
   */
  public static between(first: number, last: number): PortRange {
    return new PortRange(first, last);
  }

  /** The lowest port of the range. */
  public readonly first: number;
  /** The highest port of the range (equal to `first` for a single port). */
  public readonly last: number;

  private constructor(first: number, last: number) {
    for (const p of [first, last]) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        throw new CalicoValidationError(`port ${p} is out of range; use a port from 1 to 65535`);
      }
    }
    if (first > last) {
      throw new CalicoValidationError(`port range ${first}:${last} starts above its end; write PortRange.between(${last}, ${first})`);
    }
    this.first = first;
    this.last = last;
  }

  /** The range as Calico writes it: `30000:32767`, or `8080` for one port. */
  public toString(): string {
    return this.first === this.last ? `${this.first}` : `${this.first}:${this.last}`;
  }

  /** @internal number for one port, 'first:last' for a range (how Calico's numorstring.Port marshals). */
  public _render(): number | string {
    return this.first === this.last ? this.first : `${this.first}:${this.last}`;
  }
}

/**
 * A host port Felix always allows, whatever the policy says, so that a bad policy cannot cut a
 * host off (`failsafeInboundHostPorts`, `failsafeOutboundHostPorts`).
 */
export class FailsafePort {
  /**
   * A TCP port.
   * @param port port number, 0 to 65535
   * @param net limit to peers in this CIDR (or address)
   */
  public static tcp(port: number, net?: string): FailsafePort {
    return new FailsafePort(FailsafeProtocol.TCP, port, net);
  }

  /**
   * A UDP port.
   * @param port port number, 0 to 65535
   * @param net limit to peers in this CIDR (or address)
   */
  public static udp(port: number, net?: string): FailsafePort {
    return new FailsafePort(FailsafeProtocol.UDP, port, net);
  }

  /**
   * An SCTP port.
   * @param port port number, 0 to 65535
   * @param net limit to peers in this CIDR (or address)
   */
  public static sctp(port: number, net?: string): FailsafePort {
    return new FailsafePort(FailsafeProtocol.SCTP, port, net);
  }

  /**
   * Calico's default inbound failsafe ports: SSH, DHCP, BGP, etcd, Typha and the Kubernetes API
   * (tcp:22, udp:68, tcp:179, tcp:2379, tcp:2380, tcp:5473, tcp:6443, tcp:6666, tcp:6667).
   * Setting `failsafeInboundHostPorts` replaces them, so start from this list to add a port.
   */
  public static calicoDefaultInbound(): FailsafePort[] {
    return [FailsafePort.tcp(22), FailsafePort.udp(68), ...COMMON_FAILSAFE_TCP.map(p => FailsafePort.tcp(p))];
  }

  /**
   * Calico's default outbound failsafe ports: DNS, DHCP, BGP, etcd, Typha and the Kubernetes API
   * (udp:53, udp:67, tcp:179, tcp:2379, tcp:2380, tcp:5473, tcp:6443, tcp:6666, tcp:6667).
   * Setting `failsafeOutboundHostPorts` replaces them, so start from this list to add a port.
   */
  public static calicoDefaultOutbound(): FailsafePort[] {
    return [FailsafePort.udp(53), FailsafePort.udp(67), ...COMMON_FAILSAFE_TCP.map(p => FailsafePort.tcp(p))];
  }

  /** The protocol. */
  public readonly protocol: FailsafeProtocol;
  /** The port number. */
  public readonly port: number;
  /** The peer CIDR the port is limited to, if any. */
  public readonly net?: string;

  private constructor(protocol: FailsafeProtocol, port: number, net?: string) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new CalicoValidationError(`failsafe port ${port} is out of range; use a port from 0 to 65535`);
    }
    if (net !== undefined && !parseCidrOrIp(net)) {
      throw new CalicoValidationError(`failsafe port ${protocol.toLowerCase()}:${port} has net '${net}', which is not a CIDR or IP address; use for example '10.0.0.0/16'`);
    }
    this.protocol = protocol;
    this.port = port;
    this.net = net;
  }
}

const COMMON_FAILSAFE_TCP = [179, 2379, 2380, 5473, 6443, 6666, 6667];

/** A range of Linux route table indices Calico may use (`routeTableRanges`). */
export interface RouteTableIdRange {
  /** The lowest index, 1 or more. */
  readonly min: number;
  /** The highest index, at most 4294967295 (253-255 are Linux's own and skipped). */
  readonly max: number;
}

/** A longer liveness/readiness timeout for one Felix component (`healthTimeoutOverrides`). */
export interface HealthTimeoutOverride {
  /** The component as Felix names it in its logs, e.g. `InternalDataplaneMainLoop`. */
  readonly name: string;
  /** Its timeout. */
  readonly timeout: Duration;
}

// ---------------------------------------------------------------------------------------------
// Props
// ---------------------------------------------------------------------------------------------

/**
 * Settings of a FelixConfiguration. Every field is optional: an unset field keeps Calico's own
 * default, which the docs of each field name. Field names are Calico's, with acronyms as words
 * (`ipipMtu` for `ipipMTU`).
 */
export interface FelixConfigurationProps extends CalicoResourceProps {
  /**
   * Write a per-node override: the resource is named `node.<nodeName>` and applies to that node
   * only. Leave `name` unset when you use it.
   * @default - the cluster-wide configuration named `default`
   */
  readonly nodeName?: string;

  // Logging
  /** Severity above which Felix logs to stdout. @default - Calico's default, Info */
  readonly logSeverityScreen?: LogSeverity;
  /** Severity above which Felix logs to its log file. @default - Calico's default, Info */
  readonly logSeverityFile?: LogSeverity;
  /** Severity above which Felix logs to syslog. @default - Calico's default, Info */
  readonly logSeveritySys?: LogSeverity;
  /** Path of Felix's log file; `none` disables file logging. @default - Calico's default, /var/log/calico/felix.log */
  readonly logFilePath?: string;
  /** Prefix of the iptables LOG rules Felix renders. @default - Calico's default, calico-packet */
  readonly logPrefix?: string;

  // IP-in-IP and VXLAN
  /** Whether Felix creates the IP-in-IP tunnel device. @default - decided by Felix from the IP pools */
  readonly ipipEnabled?: boolean;
  /** MTU of the IP-in-IP device; 0 lets Felix detect it. @default - Calico's default, 0 (detected) */
  readonly ipipMtu?: number;
  /** Whether Felix creates the IPv4 VXLAN device. @default - decided by Felix from the IP pools */
  readonly vxlanEnabled?: boolean;
  /** MTU of the IPv4 VXLAN device; 0 lets Felix detect it. @default - Calico's default, 0 (detected) */
  readonly vxlanMtu?: number;
  /** MTU of the IPv6 VXLAN device; 0 lets Felix detect it. @default - Calico's default, 0 (detected) */
  readonly vxlanMtuV6?: number;
  /** UDP port of VXLAN traffic. @default - Calico's default, 4789 */
  readonly vxlanPort?: number;
  /** VXLAN network identifier of Calico's VXLAN device. @default - Calico's default, 4096 */
  readonly vxlanVni?: number;
  /** Whether workloads may send IP-in-IP packets (Felix drops them otherwise). @default - Calico's default, false */
  readonly allowIpipPacketsFromWorkloads?: boolean;
  /** Whether workloads may send VXLAN packets (Felix drops them otherwise). @default - Calico's default, false */
  readonly allowVxlanPacketsFromWorkloads?: boolean;

  // WireGuard
  /** Encrypt IPv4 pod traffic between nodes with WireGuard. @default - Calico's default, false */
  readonly wireguardEnabled?: boolean;
  /** Encrypt IPv6 pod traffic between nodes with WireGuard. @default - Calico's default, false */
  readonly wireguardEnabledV6?: boolean;
  /** MTU of the IPv4 WireGuard device; 0 lets Felix detect it. @default - Calico's default, 0 (detected) */
  readonly wireguardMtu?: number;
  /** MTU of the IPv6 WireGuard device; 0 lets Felix detect it. @default - Calico's default, 0 (detected) */
  readonly wireguardMtuV6?: number;
  /** UDP port of IPv4 WireGuard. @default - Calico's default, 51820 */
  readonly wireguardListeningPort?: number;
  /** UDP port of IPv6 WireGuard. @default - Calico's default, 51821 */
  readonly wireguardListeningPortV6?: number;
  /** Also encrypt host-to-host traffic. @default - Calico's default, false */
  readonly wireguardHostEncryptionEnabled?: boolean;
  /** Name of the IPv4 WireGuard device. @default - Calico's default, wireguard.cali */
  readonly wireguardInterfaceName?: string;
  /** Name of the IPv6 WireGuard device. @default - Calico's default, wg-v6.cali */
  readonly wireguardInterfaceNameV6?: string;
  /** Priority of the WireGuard routing rule, 1 to 32765. @default - Calico's default, 99 */
  readonly wireguardRoutingRulePriority?: number;
  /** WireGuard persistent keep-alive; zero disables it. @default - Calico's default, disabled */
  readonly wireguardKeepAlive?: Duration;
  /** Enable NAPI threading on the WireGuard device. @default - Calico's default, false */
  readonly wireguardThreadingEnabled?: boolean;

  // eBPF
  /** Use the eBPF dataplane. @default - Calico's default, false (iptables) */
  readonly bpfEnabled?: boolean;
  /** How external traffic to services reaches backends on other nodes. @default - Calico's default, Tunnel */
  readonly bpfExternalServiceMode?: BpfExternalServiceMode;
  /** Log level of the BPF programs. @default - Calico's default, Off */
  readonly bpfLogLevel?: BpfLogLevel;
  /** The connect-time load balancer. @default - Calico's default, TCP */
  readonly bpfConnectTimeLoadBalancing?: BpfConnectTimeLoadBalancing;
  /** Whether host-networked traffic to services is NATed when the connect-time load balancer is off. @default - Calico's default, true (Enabled) */
  readonly bpfHostNetworkedNatWithoutCtlb?: boolean;
  /** Remove kube-proxy's iptables rules (only when kube-proxy is not running). @default - Calico's default, true */
  readonly bpfKubeProxyIptablesCleanupEnabled?: boolean;
  /** Minimum time between updates of the embedded kube-proxy. @default - Calico's default, 1s */
  readonly bpfKubeProxyMinSyncPeriod?: Duration;
  /** Regular expression of the interfaces BPF programs attach to for network traffic. @default - Calico's default, main NIC names (eth*, ens*, ...) */
  readonly bpfDataIfacePattern?: string;
  /** Regular expression of extra L3 (tunnel) interfaces BPF programs attach to. @default - none */
  readonly bpfL3IfacePattern?: string;
  /** Reverse-path filtering on host interfaces. @default - Calico's default, Loose */
  readonly bpfEnforceRpf?: BpfEnforceRpf;
  /** Client CIDRs excluded from DSR. @default - none */
  readonly bpfDsrOptoutCidrs?: string[];
  /** CIDRs excluded from NAT resolution (e.g. a node-local DNS cache). @default - none */
  readonly bpfExcludeCidrsFromNat?: string[];
  /** Ports to pick from on a source-port collision. @default - Calico's default, 20000:29999 */
  readonly bpfPsnatPorts?: PortRange;
  /** 32-bit connmark set on external connections to local services. @default - Calico's default, 0 */
  readonly bpfExtToServiceConnmark?: number;
  /** Set kernel.unprivileged_bpf_disabled. @default - Calico's default, true */
  readonly bpfDisableUnprivileged?: boolean;
  /** Bypass Linux conntrack for workloads and services. @default - Calico's default, true */
  readonly bpfHostConntrackBypass?: boolean;
  /** Record policy program details for calico-bpf. @default - Calico's default, true */
  readonly bpfPolicyDebugEnabled?: boolean;
  /** Interfaces whose traffic Linux conntrack still tracks. @default - Calico's default, docker+ */
  readonly bpfForceTrackPacketsFromIfaces?: string[];
  /** Size of the conntrack map. @default - Calico's default, 512000 */
  readonly bpfMapSizeConntrack?: number;
  /** Size of the NAT frontend map. @default - Calico's default, 65536 */
  readonly bpfMapSizeNatFrontend?: number;
  /** Size of the NAT backend map. @default - Calico's default, 262144 */
  readonly bpfMapSizeNatBackend?: number;
  /** Size of the NAT affinity map. @default - Calico's default, 65536 */
  readonly bpfMapSizeNatAffinity?: number;
  /** Size of the routes map. @default - Calico's default, 262144 */
  readonly bpfMapSizeRoute?: number;
  /** Size of the IP sets map. @default - Calico's default, 1048576 */
  readonly bpfMapSizeIpSets?: number;
  /** Size of the interface state map. @default - Calico's default, 1000 */
  readonly bpfMapSizeIfState?: number;

  // iptables and routing
  /** The iptables backend. @default - Calico's default, Auto */
  readonly iptablesBackend?: IptablesBackend;
  /** How Felix hooks into the kernel's chains. @default - Calico's default, insert */
  readonly chainInsertMode?: ChainInsertMode;
  /** What happens to traffic from workloads to their host. @default - Calico's default, Drop */
  readonly defaultEndpointToHostAction?: EndpointToHostAction;
  /** Action for allowed traffic in the filter table. @default - Calico's default, Accept */
  readonly iptablesFilterAllowAction?: IptablesAllowAction;
  /** Action for allowed traffic in the mangle table. @default - Calico's default, Accept */
  readonly iptablesMangleAllowAction?: IptablesAllowAction;
  /** Action for denied traffic. @default - Calico's default, Drop */
  readonly iptablesFilterDenyAction?: IptablesDenyAction;
  /** Mark bits Felix may use (at least 8 bits, none used by other programs). @default - Calico's default, 0xffff0000 */
  readonly iptablesMarkMask?: number;
  /** How often Felix re-checks its iptables rules; zero disables it. @default - Calico's default, 90s */
  readonly iptablesRefreshInterval?: Duration;
  /** How often Felix re-checks its IP sets; zero disables it. @default - Calico's default, 90s */
  readonly ipsetsRefreshInterval?: Duration;
  /** How often Felix re-checks its routes; zero disables it. @default - Calico's default, 90s */
  readonly routeRefreshInterval?: Duration;
  /** Interface filter of the NAT-outgoing rule (e.g. only masquerade out of eth0). @default - all interfaces */
  readonly iptablesNatOutgoingInterfaceFilter?: string;
  /** Maximum number of addresses in one IP set. @default - Calico's default, 1048576 */
  readonly maxIpsetSize?: number;
  /** Where Felix takes its routing information from. @default - Calico's default, CalicoIPAM */
  readonly routeSource?: RouteSource;
  /** Route table indices Calico may use. @default - Calico's default, 1-250 */
  readonly routeTableRanges?: RouteTableIdRange[];
  /** Stop programming routes (policy-only mode). @default - Calico's default, false */
  readonly routeSyncDisabled?: boolean;
  /** Remove routes Felix did not program. @default - Calico's default, true */
  readonly removeExternalRoutes?: boolean;
  /** IPv4 source address of device routes. @default - chosen by the kernel */
  readonly deviceRouteSourceAddress?: string;
  /** IPv6 source address of device routes. @default - chosen by the kernel */
  readonly deviceRouteSourceAddressIpv6?: string;
  /** Protocol number of device routes, 0 to 255. @default - Calico's default, 3 (boot) */
  readonly deviceRouteProtocol?: number;
  /** Prefixes of workload interface names (comma-separated for several). @default - Calico's default, cali */
  readonly interfacePrefix?: string;
  /** Host interfaces Felix ignores: names, or regular expressions between slashes (`/^veth/`). @default - Calico's default, kube-ipvs0 */
  readonly interfaceExclude?: string[];
  /** Regular expression of the interfaces Felix scans to detect the host MTU. @default - Calico's default, main NIC names */
  readonly mtuIfacePattern?: string;
  /** IPv4 source address for NAT-outgoing traffic (SNAT instead of MASQUERADE). @default - the address of the outgoing interface */
  readonly natOutgoingAddress?: string;
  /** Ports used for NAT-outgoing port mapping. @default - the kernel's ephemeral range */
  readonly natPortRange?: PortRange;
  /** Node port ranges (kube-proxy IPVS mode only), at most 7. @default - Calico's default, 30000:32767 */
  readonly kubeNodePortRanges?: PortRange[];
  /** Handling of packets to advertised service IPs nobody serves. @default - Calico's default, Drop */
  readonly serviceLoopPrevention?: ServiceLoopPrevention;
  /** Whether pods may spoof source addresses. @default - Calico's default, Disabled */
  readonly workloadSourceSpoofing?: WorkloadSourceSpoofing;
  /** Whether Felix enables IPv6 support. @default - Calico's default, true */
  readonly ipv6Support?: boolean;
  /** XDP acceleration of untracked deny rules. @default - Calico's default, true */
  readonly xdpEnabled?: boolean;
  /** Generic (driver-independent) XDP. @default - Calico's default, false */
  readonly genericXdpEnabled?: boolean;
  /** Program non-OpenStack floating IPs. @default - Calico's default, false (Disabled) */
  readonly floatingIps?: boolean;
  /** AWS EC2 source/destination check. @default - Calico's default, DoNothing */
  readonly awsSrcDstCheck?: AwsSrcDstCheck;
  /** IPv4 CIDRs of non-Calico nodes whose tunnelled traffic Calico accepts. @default - none */
  readonly externalNodesList?: string[];
  /** Forced results of Felix's feature detection, e.g. `{ SNATFullyRandom: false }`. @default - detected */
  readonly featureDetectOverride?: { [feature: string]: boolean };
  /** Tech-preview feature gates, e.g. `{ BPFConnectTimeLoadBalancingWorkaround: 'enabled' }`. @default - none */
  readonly featureGates?: { [gate: string]: string };
  /** Host ports always open inbound; replaces Calico's list (see FailsafePort.calicoDefaultInbound()). @default - Calico's default list */
  readonly failsafeInboundHostPorts?: FailsafePort[];
  /** Host ports always open outbound; replaces Calico's list (see FailsafePort.calicoDefaultOutbound()). @default - Calico's default list */
  readonly failsafeOutboundHostPorts?: FailsafePort[];

  // Health, metrics, reporting
  /** Serve Felix's health endpoint. @default - Calico's default, true */
  readonly healthEnabled?: boolean;
  /** Address the health endpoint binds to. @default - Calico's default, localhost */
  readonly healthHost?: string;
  /** Port of the health endpoint. @default - Calico's default, 9099 */
  readonly healthPort?: number;
  /** Longer timeouts for individual Felix components. @default - none */
  readonly healthTimeoutOverrides?: HealthTimeoutOverride[];
  /** Serve Prometheus metrics. @default - Calico's default, false */
  readonly prometheusMetricsEnabled?: boolean;
  /** Address the metrics server binds to. @default - all addresses */
  readonly prometheusMetricsHost?: string;
  /** Port of the metrics server. @default - Calico's default, 9091 */
  readonly prometheusMetricsPort?: number;
  /** Export Go runtime metrics. @default - Calico's default, true */
  readonly prometheusGoMetricsEnabled?: boolean;
  /** Export process metrics. @default - Calico's default, true */
  readonly prometheusProcessMetricsEnabled?: boolean;
  /** Export WireGuard metrics. @default - Calico's default, true */
  readonly prometheusWireGuardMetricsEnabled?: boolean;
  /** How often Felix reports its status; zero disables it. @default - Calico's default, 30s */
  readonly reportingInterval?: Duration;
  /** Time-to-live of status reports. @default - Calico's default, 90s */
  readonly reportingTtl?: Duration;
  /** Report the Calico version and cluster size to projectcalico.org. @default - Calico's default, true */
  readonly usageReportingEnabled?: boolean;
  /** Program Windows Firewall rules for Felix's own ports. @default - Calico's default, false (Disabled) */
  readonly windowsManageFirewallRules?: boolean;

  /**
   * Extra spec fields by their Calico (JSON) names, for settings without a typed prop, e.g.
   * `{ iptablesLockTimeout: '10s' }`. They are validated like the typed ones and may not repeat
   * a field a typed prop sets.
   * @default - none
   */
  readonly additionalFields?: { [key: string]: any };
}

// ---------------------------------------------------------------------------------------------
// Construct
// ---------------------------------------------------------------------------------------------

/**
 * Felix's configuration: the cluster-wide `default` resource, or a per-node override
 * (`node.<name>`).
 *
 * Unset fields keep Calico's defaults. Every value is checked the way calicoctl checks it, and
 * against the v3.28 CRD schema, when the construct is created.
 *
 * @example
 * new FelixConfiguration(chart, 'felix', {
 *   bpfEnabled: true,
 *   vxlanMtu: 8951,
 *   logSeverityScreen: LogSeverity.WARNING,
 *   prometheusMetricsEnabled: true,
 * });
 */
export class FelixConfiguration extends CalicoResource {
  private readonly spec: Record<string, any>;

  constructor(scope: Construct, id: string, props: FelixConfigurationProps = {}) {
    if (props.nodeName !== undefined && props.name !== undefined) {
      throw new CalicoValidationError(`FelixConfiguration '${id}': set either name ('${props.name}') or nodeName ('${props.nodeName}'), not both; `
        + 'nodeName already names the resource node.<nodeName>', scope);
    }
    const name = props.nodeName !== undefined ? `node.${props.nodeName}` : (props.name ?? 'default');
    super(scope, id, 'FelixConfiguration', { ...props, name });
    this.spec = renderFelixSpec(this, props);
    this.validateNow();
  }

  protected renderSpec(): any {
    return JSON.parse(JSON.stringify(this.spec));
  }
}

function renderFelixSpec(scope: Construct, p: FelixConfigurationProps): Record<string, any> {
  const where = `FelixConfiguration '${(scope as FelixConfiguration).name}'`;
  const duration = (label: string, d: Duration | undefined) => felixDuration(scope, where, label, d);
  const ports = (list: FailsafePort[] | undefined) => list?.map(f => ({ protocol: f.protocol, port: f.port, net: f.net }));
  const spec: crd.FelixConfigurationSpec = {
    logSeverityScreen: p.logSeverityScreen,
    logSeverityFile: p.logSeverityFile,
    logSeveritySys: p.logSeveritySys,
    logFilePath: p.logFilePath,
    logPrefix: p.logPrefix,
    ipipEnabled: p.ipipEnabled,
    ipipMtu: p.ipipMtu,
    vxlanEnabled: p.vxlanEnabled,
    vxlanMtu: p.vxlanMtu,
    vxlanMtuv6: p.vxlanMtuV6,
    vxlanPort: p.vxlanPort,
    vxlanVni: p.vxlanVni,
    allowIpipPacketsFromWorkloads: p.allowIpipPacketsFromWorkloads,
    allowVxlanPacketsFromWorkloads: p.allowVxlanPacketsFromWorkloads,
    wireguardEnabled: p.wireguardEnabled,
    wireguardEnabledV6: p.wireguardEnabledV6,
    wireguardMtu: p.wireguardMtu,
    wireguardMtuv6: p.wireguardMtuV6,
    wireguardListeningPort: p.wireguardListeningPort,
    wireguardListeningPortV6: p.wireguardListeningPortV6,
    wireguardHostEncryptionEnabled: p.wireguardHostEncryptionEnabled,
    wireguardInterfaceName: p.wireguardInterfaceName,
    wireguardInterfaceNameV6: p.wireguardInterfaceNameV6,
    wireguardRoutingRulePriority: p.wireguardRoutingRulePriority,
    wireguardKeepAlive: duration('wireguardKeepAlive', p.wireguardKeepAlive),
    wireguardThreadingEnabled: p.wireguardThreadingEnabled,
    bpfEnabled: p.bpfEnabled,
    bpfExternalServiceMode: p.bpfExternalServiceMode,
    bpfLogLevel: p.bpfLogLevel,
    bpfConnectTimeLoadBalancing: p.bpfConnectTimeLoadBalancing as string as crd.FelixConfigurationSpecBpfConnectTimeLoadBalancing | undefined,
    bpfHostNetworkedNatWithoutCtlb: enabledDisabled(p.bpfHostNetworkedNatWithoutCtlb) as crd.FelixConfigurationSpecBpfHostNetworkedNatWithoutCtlb | undefined,
    bpfKubeProxyIptablesCleanupEnabled: p.bpfKubeProxyIptablesCleanupEnabled,
    bpfKubeProxyMinSyncPeriod: duration('bpfKubeProxyMinSyncPeriod', p.bpfKubeProxyMinSyncPeriod),
    bpfDataIfacePattern: p.bpfDataIfacePattern,
    bpfL3IfacePattern: p.bpfL3IfacePattern,
    bpfEnforceRpf: p.bpfEnforceRpf,
    bpfDsrOptoutCidRs: p.bpfDsrOptoutCidrs && [...p.bpfDsrOptoutCidrs],
    bpfExcludeCidRsFromNat: p.bpfExcludeCidrsFromNat && [...p.bpfExcludeCidrsFromNat],
    bpfPsnatPorts: p.bpfPsnatPorts && portOrString(p.bpfPsnatPorts, crd.FelixConfigurationSpecBpfPsnatPorts),
    bpfExtToServiceConnmark: p.bpfExtToServiceConnmark,
    bpfDisableUnprivileged: p.bpfDisableUnprivileged,
    bpfHostConntrackBypass: p.bpfHostConntrackBypass,
    bpfPolicyDebugEnabled: p.bpfPolicyDebugEnabled,
    bpfForceTrackPacketsFromIfaces: p.bpfForceTrackPacketsFromIfaces && [...p.bpfForceTrackPacketsFromIfaces],
    bpfMapSizeConntrack: p.bpfMapSizeConntrack,
    bpfMapSizeNatFrontend: p.bpfMapSizeNatFrontend,
    bpfMapSizeNatBackend: p.bpfMapSizeNatBackend,
    bpfMapSizeNatAffinity: p.bpfMapSizeNatAffinity,
    bpfMapSizeRoute: p.bpfMapSizeRoute,
    bpfMapSizeIpSets: p.bpfMapSizeIpSets,
    bpfMapSizeIfState: p.bpfMapSizeIfState,
    iptablesBackend: p.iptablesBackend,
    chainInsertMode: p.chainInsertMode,
    defaultEndpointToHostAction: p.defaultEndpointToHostAction,
    iptablesFilterAllowAction: p.iptablesFilterAllowAction,
    iptablesMangleAllowAction: p.iptablesMangleAllowAction,
    iptablesFilterDenyAction: p.iptablesFilterDenyAction,
    iptablesMarkMask: p.iptablesMarkMask,
    iptablesRefreshInterval: duration('iptablesRefreshInterval', p.iptablesRefreshInterval),
    ipsetsRefreshInterval: duration('ipsetsRefreshInterval', p.ipsetsRefreshInterval),
    routeRefreshInterval: duration('routeRefreshInterval', p.routeRefreshInterval),
    iptablesNatOutgoingInterfaceFilter: p.iptablesNatOutgoingInterfaceFilter,
    maxIpsetSize: p.maxIpsetSize,
    routeSource: p.routeSource,
    routeTableRanges: p.routeTableRanges?.map(r => ({ min: r.min, max: r.max })),
    routeSyncDisabled: p.routeSyncDisabled,
    removeExternalRoutes: p.removeExternalRoutes,
    deviceRouteSourceAddress: p.deviceRouteSourceAddress,
    deviceRouteSourceAddressIPv6: p.deviceRouteSourceAddressIpv6,
    deviceRouteProtocol: p.deviceRouteProtocol,
    interfacePrefix: p.interfacePrefix,
    interfaceExclude: p.interfaceExclude && joinList(scope, where, 'interfaceExclude', p.interfaceExclude),
    mtuIfacePattern: p.mtuIfacePattern,
    natOutgoingAddress: p.natOutgoingAddress,
    natPortRange: p.natPortRange && portOrString(p.natPortRange, crd.FelixConfigurationSpecNatPortRange),
    kubeNodePortRanges: p.kubeNodePortRanges?.map(r => portOrString(r, crd.FelixConfigurationSpecKubeNodePortRanges)),
    serviceLoopPrevention: p.serviceLoopPrevention,
    workloadSourceSpoofing: p.workloadSourceSpoofing,
    ipv6Support: p.ipv6Support,
    xdpEnabled: p.xdpEnabled,
    genericXdpEnabled: p.genericXdpEnabled,
    floatingIPs: enabledDisabled(p.floatingIps) as crd.FelixConfigurationSpecFloatingIPs | undefined,
    awsSrcDstCheck: p.awsSrcDstCheck as string as crd.FelixConfigurationSpecAwsSrcDstCheck | undefined,
    externalNodesList: p.externalNodesList && [...p.externalNodesList],
    featureDetectOverride: p.featureDetectOverride && keyValues(p.featureDetectOverride),
    featureGates: p.featureGates && keyValues(p.featureGates),
    failsafeInboundHostPorts: ports(p.failsafeInboundHostPorts),
    failsafeOutboundHostPorts: ports(p.failsafeOutboundHostPorts),
    healthEnabled: p.healthEnabled,
    healthHost: p.healthHost,
    healthPort: p.healthPort,
    healthTimeoutOverrides: p.healthTimeoutOverrides?.map((h, i) => ({
      name: h.name,
      timeout: felixDuration(scope, where, `healthTimeoutOverrides[${i}].timeout`, h.timeout)!,
    })),
    prometheusMetricsEnabled: p.prometheusMetricsEnabled,
    prometheusMetricsHost: p.prometheusMetricsHost,
    prometheusMetricsPort: p.prometheusMetricsPort,
    prometheusGoMetricsEnabled: p.prometheusGoMetricsEnabled,
    prometheusProcessMetricsEnabled: p.prometheusProcessMetricsEnabled,
    prometheusWireGuardMetricsEnabled: p.prometheusWireGuardMetricsEnabled,
    reportingInterval: duration('reportingInterval', p.reportingInterval),
    reportingTtl: duration('reportingTTL', p.reportingTtl),
    usageReportingEnabled: p.usageReportingEnabled,
    windowsManageFirewallRules: enabledDisabled(p.windowsManageFirewallRules) as crd.FelixConfigurationSpecWindowsManageFirewallRules | undefined,
  };
  const typed = crd.toJson_FelixConfigurationSpec(spec) ?? {};
  return mergeAdditionalFields(scope, where, typed, p.additionalFields);
}

function enabledDisabled(flag: boolean | undefined): string | undefined {
  return flag === undefined ? undefined : flag ? 'Enabled' : 'Disabled';
}

function portOrString<T>(range: PortRange, type: { fromNumber(n: number): T; fromString(s: string): T }): T {
  const value = range._render();
  return typeof value === 'number' ? type.fromNumber(value) : type.fromString(value);
}

function keyValues(map: { [key: string]: boolean | string }): string {
  return Object.entries(map).map(([k, v]) => `${k}=${v}`).join(',');
}

function joinList(scope: Construct, where: string, label: string, items: string[]): string {
  items.forEach((item, i) => {
    if (item.includes(',')) {
      throw new CalicoValidationError(`${where}: ${label}[${i}] '${item}' contains a comma, which Calico reads as a separator; give each name as its own list entry`, scope);
    }
  });
  return items.join(',');
}

/**
 * Renders a Duration the way Calico stores it (Go's `time.Duration.String()`, e.g. `1m30s`), so
 * the manifest does not drift from what the cluster reports. The v3.28 Felix CRD pattern admits
 * no fractions, so durations of a second or more must be whole seconds.
 */
function felixDuration(scope: Construct, where: string, label: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  const ms = wholeMilliseconds(scope, where, label, d);
  if (ms >= 1000 && ms % 1000 !== 0) {
    throw new CalicoValidationError(`${where}: ${label} ${ms}ms would be stored by Calico as '${formatGoDuration(BigInt(ms) * 1_000_000n)}', `
      + `which the v3.28 FelixConfiguration CRD rejects (its duration pattern allows no fractions); use whole seconds, e.g. Duration.seconds(${Math.round(ms / 1000)})`, scope);
  }
  return formatGoDuration(BigInt(ms) * 1_000_000n);
}

// ---------------------------------------------------------------------------------------------
// Calico's defaulting (libcalico-go clientv3 felixconfig.go setDefaults), for CRD mode
// ---------------------------------------------------------------------------------------------

registerCrdDefaults('FelixConfiguration', (manifest: any) => {
  const spec: Record<string, any> = { ...(manifest.spec ?? {}) };
  spec.floatingIPs ??= 'Disabled';
  spec.bpfConnectTimeLoadBalancing ??= 'TCP';
  spec.bpfHostNetworkedNATWithoutCTLB ??= 'Enabled';
  if (typeof spec.bpfConnectTimeLoadBalancingEnabled === 'boolean') {
    // The deprecated boolean wins: Calico converts it to the two newer fields.
    spec.bpfHostNetworkedNATWithoutCTLB = 'Disabled';
    spec.bpfConnectTimeLoadBalancing = spec.bpfConnectTimeLoadBalancingEnabled ? 'Enabled' : 'Disabled';
  }
  return { ...manifest, spec };
});
