import { Duration } from 'cdk8s';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { parseCidrOrIp } from '../net/address';

// Value types and enumerations of FelixConfiguration.

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

/** The iptables or nftables action for allowed traffic (`iptablesFilterAllowAction`, `nftablesFilterAllowAction`, and the mangle ones). */
export enum IptablesAllowAction {
  /** ACCEPT (Calico's default). */
  ACCEPT = 'Accept',
  /** RETURN, so later rules in the same table still see the packet. */
  RETURN = 'Return',
}

/** The iptables or nftables action for traffic policy denies (`iptablesFilterDenyAction`, `nftablesFilterDenyAction`). */
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

/** Whether Felix programs its rules with nftables instead of iptables (`nftablesMode`). */
export enum NftablesMode {
  /** Use nftables. */
  ENABLED = 'Enabled',
  /** Use iptables. */
  DISABLED = 'Disabled',
  /** Use nftables when kube-proxy does (Calico's default). */
  AUTO = 'Auto',
}

/** How BPF programs attach to interfaces (`bpfAttachType`). */
export enum BpfAttachType {
  /** The legacy way, through a qdisc. */
  TC = 'TC',
  /** TCX where the kernel has it, else TC (Calico's default). */
  TCX = 'TCX',
}

/** How BPF conntrack entries are cleaned up (`bpfConntrackMode`). */
export enum BpfConntrackMode {
  /** A BPF program where supported, else userspace. */
  AUTO = 'Auto',
  /** Felix's userspace cleanup (Calico's default). */
  USERSPACE = 'Userspace',
  /** Always the BPF program. */
  BPF_PROGRAM = 'BPFProgram',
}

/** Log level of the BPF conntrack cleanup (`bpfConntrackLogLevel`). */
export enum BpfConntrackLogLevel {
  /** No logs (Calico's default). */
  OFF = 'Off',
  /** Debug logs. */
  DEBUG = 'Debug',
}

/** BPF JIT hardening (`bpfJITHardening`). */
export enum BpfJitHardening {
  /** Lower the kernel's strict hardening (2) to 1, which costs less (Calico's default). */
  AUTO = 'Auto',
  /** Leave the kernel's setting alone. */
  STRICT = 'Strict',
}

/** Whether BPF may redirect traffic straight to the peer side of a workload's device (`bpfRedirectToPeer`). */
export enum BpfRedirectToPeer {
  /** Redirect, also from L3 devices such as tunnels (Calico v3.32's default). */
  ENABLED = 'Enabled',
  /** Never redirect to the peer. */
  DISABLED = 'Disabled',
  /** Only from L2 devices (Calico v3.31's default; removed in v3.32, which reads it as Enabled). */
  L2_ONLY = 'L2Only',
}

/** Which destinations of a natOutgoing pool's traffic are not masqueraded (`natOutgoingExclusions`). */
export enum NatOutgoingExclusions {
  /** Addresses of Calico pools (Calico's default). */
  IP_POOLS_ONLY = 'IPPoolsOnly',
  /** Addresses of Calico pools and of the cluster's hosts. */
  IP_POOLS_AND_HOST_IPS = 'IPPoolsAndHostIPs',
}

/** How Felix's metrics endpoint checks client certificates (`prometheusMetricsClientAuth`). */
export enum PrometheusMetricsClientAuth {
  /** Require a certificate and verify it (Calico's default). */
  REQUIRE_AND_VERIFY_CLIENT_CERT = 'RequireAndVerifyClientCert',
  /** Require a certificate without verifying it. */
  REQUIRE_ANY_CLIENT_CERT = 'RequireAnyClientCert',
  /** Verify a certificate when one is sent. */
  VERIFY_CLIENT_CERT_IF_GIVEN = 'VerifyClientCertIfGiven',
  /** Ask for no certificate. */
  NO_CLIENT_CERT = 'NoClientCert',
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
    checkArguments('PortRange.single', [port]);
    return new PortRange(port, port);
  }

  /**
   * The ports from `first` to `last`, both included.
   * @param first the lowest port, from 1 to 65535
   * @param last the highest port, from `first` to 65535
   */
  public static between(first: number, last: number): PortRange {
    checkArguments('PortRange.between', [first, last]);
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
    checkArguments('FailsafePort.tcp', [port, net]);
    return new FailsafePort(FailsafeProtocol.TCP, port, net);
  }

  /**
   * A UDP port.
   * @param port port number, 0 to 65535
   * @param net limit to peers in this CIDR (or address)
   */
  public static udp(port: number, net?: string): FailsafePort {
    checkArguments('FailsafePort.udp', [port, net]);
    return new FailsafePort(FailsafeProtocol.UDP, port, net);
  }

  /**
   * An SCTP port.
   * @param port port number, 0 to 65535
   * @param net limit to peers in this CIDR (or address)
   */
  public static sctp(port: number, net?: string): FailsafePort {
    checkArguments('FailsafePort.sctp', [port, net]);
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
      throw new CalicoValidationError(`failsafe port ${protocol.toLowerCase()}:${port} has net ${quote(net)}, which is not a CIDR or IP address; use for example '10.0.0.0/16'`);
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
