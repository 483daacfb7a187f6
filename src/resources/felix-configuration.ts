import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as crd from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { registerCrdDefaults } from './private/crd-defaults';
import {
  AwsSrcDstCheck, BpfAttachType, BpfConnectTimeLoadBalancing, BpfConntrackLogLevel, BpfConntrackMode, BpfEnforceRpf, BpfExternalServiceMode,
  BpfJitHardening, BpfLogLevel, BpfRedirectToPeer, ChainInsertMode, EndpointToHostAction, FailsafePort, HealthTimeoutOverride, IptablesAllowAction,
  IptablesBackend, IptablesDenyAction, LogSeverity, NatOutgoingExclusions, NftablesMode, PortRange, PrometheusMetricsClientAuth, RouteSource,
  RouteTableIdRange, ServiceLoopPrevention, WorkloadSourceSpoofing,
} from './felix-types';
import { Selector } from '../language/selector';
import { CalicoResource, CalicoResourceProps } from './resource';
import { formatGoDuration } from '../validation/go-syntax';
import { asGenerated, enabledDisabled, mergeAdditionalFields, wholeMilliseconds } from './private/resource-util';

// ---------------------------------------------------------------------------------------------
// Enums
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
  /**
   * Apply this configuration to the nodes the selector matches (give it a `name` of its own); at
   * most one such configuration should match a node. Calico v3.32 and later.
   * @default - no node selection: the configuration applies as its name says
   */
  readonly nodeSelector?: Selector;

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
  /** Size of the per-CPU conntrack map. @default - Calico's default */
  readonly bpfMapSizePerCpuConntrack?: number;
  /** Size of the queue of conntrack entries to clean up. @default - Calico's default, 100000 */
  readonly bpfMapSizeConntrackCleanupQueue?: number;
  /** How BPF programs attach to interfaces. @default - Calico's default, TCX */
  readonly bpfAttachType?: BpfAttachType;
  /** How BPF conntrack entries are cleaned up. @default - Calico's default, Userspace */
  readonly bpfConntrackMode?: BpfConntrackMode;
  /** Log level of the BPF conntrack cleanup. @default - Calico's default, Off */
  readonly bpfConntrackLogLevel?: BpfConntrackLogLevel;
  /** BPF JIT hardening. @default - Calico's default, Auto */
  readonly bpfJitHardening?: BpfJitHardening;
  /** Redirect traffic straight to the peer side of workload devices. @default - the line's default: Enabled (v3.32), L2Only (v3.31) */
  readonly bpfRedirectToPeer?: BpfRedirectToPeer;
  /** Size in MB of the buffer carrying BPF events to Felix. @default - Calico's default, 1 */
  readonly bpfExportBufferSizeMb?: number;
  /** Port of the embedded kube-proxy's health server; 0 turns it off (v3.32; v3.31 needs at least 1). @default - Calico's default, 10256 */
  readonly bpfKubeProxyHealthzPort?: number;
  /** Regular expression of the interfaces whose GRO Felix turns off. @default - none */
  readonly bpfDisableGroForIfaces?: string;
  /** Filter of the connect-time load balancer's debug logs (`all`, or a pod name). @default - Calico's default, logs when bpfLogLevel is Debug */
  readonly bpfCtlbLogFilter?: string;
  /** Collect profiling data of the BPF programs. @default - Calico's default, false (Disabled) */
  readonly bpfProfiling?: boolean;
  /** Most endpoints of a Maglev-balanced Service (1-3000). Calico v3.32 and later. @default - Calico's default, 100 */
  readonly bpfMaglevMaxEndpointsPerService?: number;
  /** Most Maglev-balanced Services (1-3000). Calico v3.32 and later. @default - Calico's default, 100 */
  readonly bpfMaglevMaxServices?: number;

  // nftables
  /** Program nftables instead of iptables. @default - Calico's default, Auto */
  readonly nftablesMode?: NftablesMode;
  /** nftables action for allowed traffic in the filter table. @default - Calico's default, Accept */
  readonly nftablesFilterAllowAction?: IptablesAllowAction;
  /** nftables action for allowed traffic in the mangle table. @default - Calico's default, Accept */
  readonly nftablesMangleAllowAction?: IptablesAllowAction;
  /** nftables action for denied traffic. @default - Calico's default, Drop */
  readonly nftablesFilterDenyAction?: IptablesDenyAction;
  /** Mark bits Felix may use in nftables. @default - Calico's default, 0xffff0000 */
  readonly nftablesMarkMask?: number;
  /** How often Felix re-checks its nftables rules. @default - Calico's default, 90s */
  readonly nftablesRefreshInterval?: Duration;

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
  /** Destinations whose traffic from natOutgoing pools is not masqueraded. @default - Calico's default, IPPoolsOnly */
  readonly natOutgoingExclusions?: NatOutgoingExclusions;
  /** Let Felix program the routes to workloads on other nodes for pools with `vxlanMode: Never` (else BIRD does). @default - Calico's default, false (Disabled) */
  readonly programClusterRoutes?: boolean;
  /** Route priority (metric) of Calico's IPv4 routes. Calico v3.32 and later. @default - Calico's default, 1024 */
  readonly ipv4NormalRoutePriority?: number;
  /** Route priority (metric) of Calico's IPv6 routes. Calico v3.32 and later. @default - Calico's default, 1024 */
  readonly ipv6NormalRoutePriority?: number;
  /** Elevated IPv4 route priority, used during VM live migration (below the normal one). Calico v3.32 and later. @default - Calico's default, 512 */
  readonly ipv4ElevatedRoutePriority?: number;
  /** Elevated IPv6 route priority, used during VM live migration. Calico v3.32 and later. @default - Calico's default, 512 */
  readonly ipv6ElevatedRoutePriority?: number;
  /** How long routes keep the elevated priority after a VM live migration. Calico v3.32 and later. @default - Calico's default, 30s */
  readonly liveMigrationRouteConvergenceTime?: Duration;
  /** Work with Tigera's Istio distribution (ambient mode). Calico v3.32 and later. @default - Calico's default, false (Disabled) */
  readonly istioAmbientMode?: boolean;
  /** DSCP value that steers traffic to Istio's ztunnel (0-63). Calico v3.32 and later. @default - Calico's default, 23 */
  readonly istioDscpMark?: number;
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
  /** Path of the certificate the metrics endpoint serves TLS with. Calico v3.32 and later. @default - plain HTTP */
  readonly prometheusMetricsCertFile?: string;
  /** Path of the key of `prometheusMetricsCertFile`. Calico v3.32 and later. @default - plain HTTP */
  readonly prometheusMetricsKeyFile?: string;
  /** Path of the CA bundle that client certificates are checked against. Calico v3.32 and later. @default - no client CA */
  readonly prometheusMetricsCaFile?: string;
  /** How the metrics endpoint checks client certificates. Calico v3.32 and later. @default - Calico's default, RequireAndVerifyClientCert */
  readonly prometheusMetricsClientAuth?: PrometheusMetricsClientAuth;
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
   * `{ goMaxProcs: 4 }`. They are validated like the typed ones and may not repeat
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
 * against the CRD schema of its Calico line, when the construct is created.
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

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the Felix settings (every field left out keeps Calico's default)
   */
  constructor(scope: Construct, id: string, props: FelixConfigurationProps = {}) {
    checkArguments('FelixConfiguration', [scope, id, props]);
    if (props.nodeName !== undefined && props.name !== undefined) {
      throw new CalicoValidationError(`FelixConfiguration ${quote(id)}: set either name (${quote(props.name)}) or nodeName (${quote(props.nodeName)}), not both; `
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
  const where = `FelixConfiguration ${quote((scope as FelixConfiguration).name)}`;
  const duration = (label: string, d: Duration | undefined) => felixDuration(scope, where, label, d);
  const ports = (list: FailsafePort[] | undefined) => list?.map(f => ({ protocol: f.protocol, port: f.port, net: f.net }));
  const spec: crd.FelixConfigurationSpec = {
    nodeSelector: p.nodeSelector?.toString(),
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
    bpfMapSizePerCpuConntrack: p.bpfMapSizePerCpuConntrack,
    bpfMapSizeConntrackCleanupQueue: p.bpfMapSizeConntrackCleanupQueue,
    bpfAttachType: asGenerated(p.bpfAttachType),
    bpfConntrackMode: asGenerated(p.bpfConntrackMode),
    bpfConntrackLogLevel: asGenerated(p.bpfConntrackLogLevel),
    bpfJitHardening: asGenerated(p.bpfJitHardening),
    bpfRedirectToPeer: asGenerated(p.bpfRedirectToPeer),
    bpfExportBufferSizeMb: p.bpfExportBufferSizeMb,
    bpfKubeProxyHealthzPort: p.bpfKubeProxyHealthzPort,
    bpfDisableGroForIfaces: p.bpfDisableGroForIfaces,
    bpfCtlbLogFilter: p.bpfCtlbLogFilter,
    bpfProfiling: asGenerated(enabledDisabled(p.bpfProfiling)),
    bpfMaglevMaxEndpointsPerService: p.bpfMaglevMaxEndpointsPerService,
    bpfMaglevMaxServices: p.bpfMaglevMaxServices,
    nftablesMode: asGenerated(p.nftablesMode),
    nftablesFilterAllowAction: p.nftablesFilterAllowAction,
    nftablesMangleAllowAction: p.nftablesMangleAllowAction,
    nftablesFilterDenyAction: p.nftablesFilterDenyAction,
    nftablesMarkMask: p.nftablesMarkMask,
    nftablesRefreshInterval: duration('nftablesRefreshInterval', p.nftablesRefreshInterval),
    iptablesBackend: asGenerated(p.iptablesBackend),
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
    natOutgoingExclusions: asGenerated(p.natOutgoingExclusions),
    programClusterRoutes: asGenerated(enabledDisabled(p.programClusterRoutes)),
    ipv4NormalRoutePriority: p.ipv4NormalRoutePriority,
    ipv6NormalRoutePriority: p.ipv6NormalRoutePriority,
    ipv4ElevatedRoutePriority: p.ipv4ElevatedRoutePriority,
    ipv6ElevatedRoutePriority: p.ipv6ElevatedRoutePriority,
    liveMigrationRouteConvergenceTime: duration('liveMigrationRouteConvergenceTime', p.liveMigrationRouteConvergenceTime),
    istioAmbientMode: asGenerated(enabledDisabled(p.istioAmbientMode)),
    istioDscpMark: p.istioDscpMark,
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
    prometheusMetricsCertFile: p.prometheusMetricsCertFile,
    prometheusMetricsKeyFile: p.prometheusMetricsKeyFile,
    prometheusMetricsCaFile: p.prometheusMetricsCaFile,
    prometheusMetricsClientAuth: p.prometheusMetricsClientAuth,
    reportingInterval: duration('reportingInterval', p.reportingInterval),
    reportingTtl: duration('reportingTTL', p.reportingTtl),
    usageReportingEnabled: p.usageReportingEnabled,
    windowsManageFirewallRules: enabledDisabled(p.windowsManageFirewallRules) as crd.FelixConfigurationSpecWindowsManageFirewallRules | undefined,
  };
  const typed = crd.toJson_FelixConfigurationSpec(spec) ?? {};
  return mergeAdditionalFields(scope, where, typed, p.additionalFields);
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
      throw new CalicoValidationError(`${where}: ${label}[${i}] ${quote(item)} contains a comma, which Calico reads as a separator; give each name as its own list entry`, scope);
    }
  });
  return items.join(',');
}

/**
 * Renders a Duration the way Calico stores it (Go's `time.Duration.String()`, e.g. `1m30s`), so
 * the manifest does not drift from what the cluster reports. The Felix CRD's duration pattern admits
 * no fractions, so durations of a second or more must be whole seconds.
 */
function felixDuration(scope: Construct, where: string, label: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  const ms = wholeMilliseconds(scope, where, label, d);
  if (ms >= 1000 && ms % 1000 !== 0) {
    throw new CalicoValidationError(`${where}: ${label} ${ms}ms would be stored by Calico as '${formatGoDuration(BigInt(ms) * 1_000_000n)}', `
      + `which the FelixConfiguration CRD rejects (its duration pattern allows no fractions); use whole seconds, e.g. Duration.seconds(${Math.round(ms / 1000)})`, scope);
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
