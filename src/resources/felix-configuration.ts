import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as crd from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { registerCrdDefaults } from './private/crd-defaults';
import { AwsSrcDstCheck, BpfConnectTimeLoadBalancing, BpfEnforceRpf, BpfExternalServiceMode, BpfLogLevel, ChainInsertMode, EndpointToHostAction, FailsafePort, HealthTimeoutOverride, IptablesAllowAction, IptablesBackend, IptablesDenyAction, LogSeverity, PortRange, RouteSource, RouteTableIdRange, ServiceLoopPrevention, WorkloadSourceSpoofing } from './felix-types';
import { CalicoResource, CalicoResourceProps } from './resource';
import { formatGoDuration } from '../validation/go-syntax';
import { asGenerated, mergeAdditionalFields, wholeMilliseconds } from './private/resource-util';

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
      throw new CalicoValidationError(`${where}: ${label}[${i}] ${quote(item)} contains a comma, which Calico reads as a separator; give each name as its own list entry`, scope);
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
