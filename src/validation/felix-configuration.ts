// Validation of FelixConfiguration (projectcalico.org/v3), following calicoctl: the `validate`
// struct tags of api/pkg/apis/projectcalico/v3/felixconfig.go, the struct-level checks of
// libcalico-go's validateFelixConfigSpec / validateProtoPort / validateRouteTable(ID)Range /
// validateHealthTimeoutOverride, the CRD rules of the chosen line (patterns, the v3.32 rule on
// nodeSelector), and the parse rules Felix applies at start-up where a bad value would stop Felix
// (die-on-fail params such as interfacePrefix, metadataAddr and the mark masks). Fields with no
// check here get the CRD's (crd-constraints.ts); fields the line lacks are reported by the
// field-name pass.
import { parseCidrOrIp, parseIp } from '../net/address';
import { checkSelector } from './common';
import {
  atLeast, bool, checkObject, crdDurationOf, FieldCheck, goDuration, int, listOf, LOG_LEVELS, matches, oneOf, regexpField, str,
} from './field-checks';
import { goRegexpError } from './go-syntax';
import { IssueCollector, at, isObject, q } from './issues';
import { since } from './private/rule-changes';
import { registerKind } from './registry';

const KIND = 'FelixConfiguration';
const crdDuration = crdDurationOf(KIND);

// ---------------------------------------------------------------------------------------------
// Felix-specific field checks
// ---------------------------------------------------------------------------------------------

const INTERFACE_RE = /^[a-zA-Z0-9_.-]{1,15}$/;
const IFACE_FILTER_RE = /^[a-zA-Z0-9:._+-]{1,15}$/;
const HOST_ADDRESS_RE = /^[a-zA-Z0-9:._+-]{1,64}$/;
const HOSTNAME_RE = /^[a-zA-Z0-9_.-]+$/;
const IFACE_LIST_RE = /^[a-zA-Z0-9_-]{1,15}(,[a-zA-Z0-9_-]{1,15})*$/;
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HEALTH_NAME_RE = /^[a-zA-Z0-9_ -]+$/;
const OPENSTACK_REGION_MAX = 63 - 'openstack-region-'.length;
const ROUTE_TABLE_MAX_INDEX = 0xffffffff;
const ROUTE_TABLE_MAX_TABLES = 0xffff;

/** An interface name, or '*' (Calico's `interface` validator). */
const interfaceName: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be an interface name, got ${q(v)}`);
  } else if (v !== '' && v !== '*' && !INTERFACE_RE.test(v)) {
    c.add(path, `${label} ${q(v)} is not a valid interface name; use 1-15 letters, digits, '.', '_' or '-', e.g. 'wireguard.cali'`);
  }
};

const ifaceFilter = matches(IFACE_FILTER_RE, 'an interface name or filter (1-15 letters, digits or :._+-)', 'eth0');
const hostAddress = matches(HOST_ADDRESS_RE, 'a host name or IP address (1-64 letters, digits or :._+-)', 'localhost');

function ipAddress(version: 4 | 6): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'string') {
      c.add(path, `${label} must be an IPv${version} address string, got ${q(v)}`);
      return;
    }
    if (v === '') return;
    const ip = parseIp(v);
    if (!ip) {
      const hint = v.includes('/') ? ' (write the address without a prefix length)' : '';
      c.add(path, `${label} ${q(v)} is not a valid IPv${version} address${hint}; use for example '${version === 4 ? '10.0.0.1' : 'fd00::1'}'`);
    } else if (ip.version !== version) {
      c.add(path, `${label} ${q(v)} is an IPv${ip.version} address but this field takes IPv${version}; use for example '${version === 4 ? '10.0.0.1' : 'fd00::1'}'`);
    }
  };
}

/** A CIDR or a bare address (Calico's `cidrs` validator / ParseCIDROrIP). */
function cidrOrIp(version?: 4): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'string') {
      c.add(path, `${label} must be a CIDR string, got ${q(v)}`);
      return;
    }
    const cidr = parseCidrOrIp(v);
    if (!cidr) {
      c.add(path, `${label} ${q(v)} is not a valid CIDR or IP address; use for example '10.0.0.0/16'`);
    } else if (version && cidr.version !== version) {
      c.add(path, `${label} ${q(v)} is an IPv6 CIDR; this field takes IPv4 CIDRs only, e.g. '10.0.0.0/16'`);
    }
  };
}

/** Felix's `iface-list` parameter (die-on-fail): comma-separated interface name prefixes. */
const interfacePrefix: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a string of interface name prefixes, got ${q(v)}`);
  } else if (v !== '' && !IFACE_LIST_RE.test(v)) {
    c.add(path, `${label} ${q(v)} is not a comma-separated list of interface name prefixes (1-15 letters, digits, '_' or '-' each, no spaces); `
      + "Felix refuses to start with it; use for example 'cali' or 'cali,tap'");
  }
};

/** Felix's `iface-list-regexp` parameter: comma-separated names or /regexps/. */
const interfaceExclude: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a comma-separated string of interface names or /regexps/, got ${q(v)}`);
    return;
  }
  if (v === '') return;
  for (const item of v.split(',')) {
    if (/^\/[^\s]+\/$/.test(item)) {
      const reason = goRegexpError(item.slice(1, -1));
      if (reason !== undefined) c.add(path, `${label} item ${q(item)} is not a valid regular expression (${reason}); fix the expression between the slashes`);
    } else if (!/^[a-zA-Z0-9_-]{1,15}$/.test(item)) {
      c.add(path, `${label} item ${q(item)} is neither an interface name (1-15 letters, digits, '_' or '-') nor a /regexp/; `
        + "use for example 'kube-ipvs0' or '/^veth.*/'");
    }
  }
};

/** A comma-separated key=value list (Calico's `keyValueList`) that also matches the CRD pattern. */
function keyValueList(valueRe: string, valueHint: string, example: string): FieldCheck {
  const crd = new RegExp(`^([A-Za-z0-9_]+=(${valueRe}),)*([A-Za-z0-9_]+=(${valueRe}))?$`);
  return (v, path, label, c) => {
    if (typeof v !== 'string') {
      c.add(path, `${label} must be a comma-separated key=value string, got ${q(v)}`);
    } else if (v !== '' && !crd.test(v)) {
      c.add(path, `${label} ${q(v)} is not a comma-separated list of key=value pairs with no spaces (keys: letters, digits or '_'; values: ${valueHint}); `
        + `use for example '${example}'`);
    }
  };
}

/** One port or a 'min:max' range, numeric only (Felix's `portrange`; named ports are not allowed). */
function portRange(allowName: boolean): FieldCheck {
  return (v, path, label, c) => {
    const err = portRangeError(v, allowName);
    if (err) c.add(path, `${label} ${q(v)} ${err}`);
  };
}

function portRangeError(v: unknown, allowName: boolean): string | undefined {
  const fix = "use a port from 1 to 65535 or a range such as '30000:32767'";
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 1 || v > 65535) return `is not a valid port; ${fix}`;
    return undefined;
  }
  if (typeof v !== 'string') return `is not a port or port range; ${fix}`;
  const single = /^[0-9]+$/.exec(v);
  const range = /^([0-9]+):([0-9]+)$/.exec(v);
  if (single) return Number(v) >= 1 && Number(v) <= 65535 ? undefined : `is not a valid port; ${fix}`;
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    if (min < 1 || max > 65535) return `has a port outside 1-65535; ${fix}`;
    if (min > max) return `is a range whose start is above its end; write it as '${max}:${min}'`;
    return undefined;
  }
  if (allowName) return undefined;
  return `is not a numeric port or range (named ports are not allowed here); ${fix}`;
}

const kubeNodePortRanges: FieldCheck = (v, path, label, c) => {
  if (!Array.isArray(v)) {
    c.add(path, `${label} must be a list of ports or port ranges, got ${q(v)}`);
    return;
  }
  if (v.length > 7) {
    c.add(path, `${label} has ${v.length} entries, more than the 7 Calico allows (the iptables multiport match takes at most 15 ports); merge adjacent ranges`);
  }
  v.forEach((x, i) => {
    const err = portRangeError(x, false);
    if (err) c.add(at(path, i), `${label}[${i}] ${q(x)} ${err.replace('named ports are not allowed here', 'node port ranges cannot be named ports')}`);
  });
};

/** One entry of failsafeInboundHostPorts / failsafeOutboundHostPorts (Calico's ProtoPort). */
const protoPort: FieldCheck = (v, path, label, c) => {
  checkObject(v, path, label, {
    protocol: (p, pp, pl, cc) => {
      if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') {
        const upper = typeof p === 'string' ? p.toUpperCase() : '';
        cc.add(pp, `${pl} ${q(p)} is not a supported protocol; use 'TCP', 'UDP' or 'SCTP'${['TCP', 'UDP', 'SCTP'].includes(upper) ? ` (upper case: '${upper}')` : ''}`);
      }
    },
    port: int(0, 65535, 'a port number'),
    net: (n, np, nl, cc) => {
      if (n === '') return;
      cidrOrIp()(n, np, nl, cc);
    },
  }, c);
  if (isObject(v) && (v.protocol === undefined || v.protocol === null)) {
    c.add(at(path, 'protocol'), `${label}.protocol is missing; set 'TCP', 'UDP' or 'SCTP'`);
  }
};

const routeTableRange: FieldCheck = (v, path, label, c) => {
  checkObject(v, path, label, { min: int(-Infinity, Infinity), max: int(-Infinity, Infinity) }, c);
  if (!isObject(v)) return;
  const min = typeof v.min === 'number' ? v.min : 0;
  const max = typeof v.max === 'number' ? v.max : 0;
  if (!(min >= 1 && max >= min && max <= 250)) {
    c.add(path, `${label} {min: ${q(v.min)}, max: ${q(v.max)}} is not a range of route table indices within 1..250 with min <= max; `
      + 'use for example {min: 1, max: 250}, or routeTableRanges for indices above 250');
  }
};

const routeTableRangeItem: FieldCheck = (v, path, label, c) => {
  checkObject(v, path, label, { min: int(-Infinity, Infinity), max: int(-Infinity, Infinity) }, c);
  if (!isObject(v)) return;
  const min = typeof v.min === 'number' ? v.min : 0;
  const max = typeof v.max === 'number' ? v.max : 0;
  if (min > max) c.add(path, `${label} has min ${min} above max ${max}; swap them`);
  if (min <= 0) c.add(at(path, 'min'), `${label}.min ${min} targets route table indices below 1; use 1 or more`);
  if (max > ROUTE_TABLE_MAX_INDEX) c.add(at(path, 'max'), `${label}.max ${max} is above the highest Linux route table index ${ROUTE_TABLE_MAX_INDEX}; use a smaller value`);
};

const routeTableRanges: FieldCheck = (v, path, label, c) => {
  listOf(routeTableRangeItem)(v, path, label, c);
  if (!Array.isArray(v)) return;
  let tables = 0;
  for (const r of v) {
    if (isObject(r) && typeof r.min === 'number' && typeof r.max === 'number') tables += r.max - r.min + 1;
  }
  if (tables > ROUTE_TABLE_MAX_TABLES) {
    c.add(path, `${label} designate ${tables} route tables, more than the ${ROUTE_TABLE_MAX_TABLES} Calico allows; shrink the ranges`);
  }
};

const healthTimeoutOverride: FieldCheck = (v, path, label, c) => {
  checkObject(v, path, label, {
    name: str,
    timeout: goDuration(),
  }, c);
  if (!isObject(v)) return;
  const name = v.name ?? '';
  if (typeof name === 'string' && !HEALTH_NAME_RE.test(name)) {
    c.add(at(path, 'name'), `${label}.name ${q(name)} is not a valid component name; use letters, digits, spaces, '_' or '-' (the names Felix logs, e.g. 'InternalDataplaneMainLoop')`);
  }
};

const openstackRegion: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a string, got ${q(v)}`);
  } else if (v.length > OPENSTACK_REGION_MAX) {
    c.add(path, `${label} ${q(v)} is ${v.length} characters, too long for a namespace name; use at most ${OPENSTACK_REGION_MAX}`);
  } else if (v !== '' && !DNS_LABEL_RE.test(v)) {
    c.add(path, `${label} ${q(v)} is not a valid DNS label; use lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
};

const bpfLogFilters: FieldCheck = (v, path, label, c) => {
  if (!isObject(v)) {
    c.add(path, `${label} must be a map of interface name to pcap filter, got ${q(v)}`);
    return;
  }
  for (const [k, f] of Object.entries(v)) {
    if (!INTERFACE_RE.test(k)) c.add(at(path, k), `${label} key ${q(k)} is not an interface name; use an interface name, 'all', 'weps' or 'heps'`);
    if (typeof f !== 'string') c.add(at(path, k), `${label}.${k} must be a pcap filter string, got ${q(f)}`);
  }
};

const metadataAddr: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a host name or IPv4 address, got ${q(v)}`);
  } else if (v !== '' && !HOSTNAME_RE.test(v)) {
    c.add(path, `${label} ${q(v)} is not a host name or IPv4 address (Felix refuses to start with it); use for example '127.0.0.1' or 'none'`);
  }
};

/** A Felix mark mask (`mark-bitmask`, die-on-fail): 32 bits, at least 8 of them set. */
const markMask: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    c.add(path, `${label} ${q(v)} is not a 32-bit mask; use a number from 0 to 4294967295, e.g. 4294901760 (0xffff0000)`);
    return;
  }
  let bits = 0;
  for (let x = v; x > 0; x = Math.floor(x / 2)) bits += x % 2;
  if (bits < 8) {
    c.add(path, `${label} ${v} (0x${v.toString(16)}) sets ${bits} bits; Felix needs at least 8 mark bits that no other program uses, e.g. 4294901760 (0xffff0000)`);
  }
};

const mtu = int(0, 65535, '0 lets Felix detect it');
function mtuField(minimum: number, family: string): FieldCheck {
  return (v, path, label, c) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      mtu(v, path, label, c);
    } else if (v !== 0 && (v < minimum || v > 65535)) {
      c.add(path, `${label} ${v} is not a usable ${family} MTU; use 0 to let Felix detect it, or a value from ${minimum} to 65535 (e.g. 1450)`);
    }
  };
}

/** numorstring.DSCP: a number 0-63 or a DSCP class name (Felix's `dscp` parameter). */
const DSCP_NAMES: readonly string[] = ['DF', 'EF', 'AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43',
  'CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6'];
const dscp: FieldCheck = (v, path, label, c) => {
  const fix = `use a number from 0 to 63 or a class name such as 'EF' or 'AF41'`;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 63) c.add(path, `${label} ${v} is not a DSCP value; ${fix}`);
  } else if (typeof v !== 'string' || !DSCP_NAMES.includes(v.trim().toUpperCase())) {
    c.add(path, `${label} ${q(v)} is not a DSCP value; ${fix}`);
  }
};

const selector: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') c.add(path, `${label} must be a selector string such as 'has(gpu)', got ${q(v)}`);
  else checkSelector(v, path, label, c);
};

/**
 * One of bpfConntrackTimeouts: 'Auto', or amounts with the units ms, us, s, m or h ('30s', '1h5m').
 * The same language as the CRD's pattern, read in one pass (the pattern itself backtracks
 * exponentially; see PATTERNS_NOT_RUN).
 */
const conntrackTimeout: FieldCheck = (v, path, label, c) => {
  if (typeof v !== 'string') {
    c.add(path, `${label} must be a duration string such as '30s' or 'Auto', got ${q(v)}`);
  } else if (v !== '' && v !== 'Auto' && !isConntrackTimeout(v)) {
    c.add(path, `${label} ${q(v)} is neither 'Auto' nor a duration with the units ms, us, s, m or h (such as '30s' or '1h5m'); write one of them`);
  }
};

function isConntrackTimeout(s: string): boolean {
  let i = 0;
  while (i < s.length) {
    while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
    if (s[i] === '.') {
      i++;
      while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (s.startsWith('ms', i) || s.startsWith('us', i)) i += 2;
    else if (s[i] === 's' || s[i] === 'm' || s[i] === 'h') i++;
    else return false;
  }
  return s.length > 0;
}

const CONNTRACK_TIMEOUTS = ['creationGracePeriod', 'tcpSynSent', 'tcpEstablished', 'tcpFinsSeen', 'tcpResetSeen', 'udpTimeout', 'genericTimeout', 'icmpTimeout'];
const conntrackTimeouts: FieldCheck = (v, path, label, c) => {
  checkObject(v, path, label, Object.fromEntries(CONNTRACK_TIMEOUTS.map(k => [k, conntrackTimeout])), c);
};

/** bpfKubeProxyHealthzPort: a TCP port, 0 (no health server) allowed from v3.32. */
const healthzPort: FieldCheck = (v, path, label, c) => int(since(c, 'bpfKubeProxyHealthzPortZero') ? 0 : 1, 65535, 'a TCP port')(v, path, label, c);

const LOG_LEVEL = oneOf(LOG_LEVELS);
const ENABLED_DISABLED_ENUM = oneOf(['Enabled', 'Disabled'], { emptyAllowed: false });
const ACCEPT_RETURN = oneOf(['Accept', 'Return']);
const DROP_REJECT = oneOf(['Drop', 'Reject']);

/**
 * The FelixConfiguration fields with a check beyond their CRD's, of every supported line. A field
 * of the chosen line without an entry here gets the CRD's check only.
 */
export const FELIX_FIELDS: Record<string, FieldCheck> = {
  allowIPIPPacketsFromWorkloads: bool,
  allowVXLANPacketsFromWorkloads: bool,
  awsSrcDstCheck: oneOf(['DoNothing', 'Enable', 'Disable'], { emptyAllowed: false }),
  bpfAttachType: oneOf(['TC', 'TCX']),
  bpfCTLBLogFilter: oneOf(['all'], { caseInsensitive: true }),
  bpfConnectTimeLoadBalancing: oneOf(['TCP', 'Enabled', 'Disabled'], { emptyAllowed: false }),
  bpfConnectTimeLoadBalancingEnabled: bool,
  bpfConntrackLogLevel: oneOf(['Off', 'Debug']),
  bpfConntrackMode: oneOf(['Auto', 'Userspace', 'BPFProgram']),
  bpfConntrackTimeouts: conntrackTimeouts,
  bpfDSROptoutCIDRs: listOf(cidrOrIp()),
  bpfDataIfacePattern: regexpField,
  bpfDisableGROForIfaces: regexpField,
  bpfDisableUnprivileged: bool,
  bpfEnabled: bool,
  bpfEnforceRPF: oneOf(['Disabled', 'Strict', 'Loose'], { caseInsensitive: true }),
  bpfExcludeCIDRsFromNAT: listOf(cidrOrIp()),
  bpfExtToServiceConnmark: int(0, 0xffffffff, 'a 32-bit mark'),
  bpfExternalServiceMode: oneOf(['Tunnel', 'DSR']),
  bpfForceTrackPacketsFromIfaces: listOf(ifaceFilter),
  bpfHostConntrackBypass: bool,
  bpfHostNetworkedNATWithoutCTLB: ENABLED_DISABLED_ENUM,
  bpfJITHardening: oneOf(['Auto', 'Strict']),
  bpfKubeProxyEndpointSlicesEnabled: bool,
  bpfKubeProxyHealthzPort: healthzPort,
  bpfKubeProxyIptablesCleanupEnabled: bool,
  bpfKubeProxyMinSyncPeriod: crdDuration,
  bpfL3IfacePattern: regexpField,
  bpfLogFilters,
  bpfLogLevel: oneOf(['Off', 'Info', 'Debug']),
  bpfMaglevMaxEndpointsPerService: int(1, 3000, 'a Maglev lookup-table size'),
  bpfMaglevMaxServices: int(1, 3000, 'a Maglev lookup-table size'),
  bpfMapSizeConntrack: int(1, 2 ** 31 - 1, 'a map size'),
  bpfMapSizeConntrackCleanupQueue: atLeast(1, 'a map size'),
  bpfMapSizeIPSets: int(1, 2 ** 31 - 1, 'a map size'),
  bpfMapSizeIfState: int(1, 2 ** 31 - 1, 'a map size'),
  bpfMapSizeNATAffinity: int(1, 2 ** 31 - 1, 'a map size'),
  bpfMapSizeNATBackend: int(1, 2 ** 31 - 1, 'a map size'),
  bpfMapSizeNATFrontend: int(1, 2 ** 31 - 1, 'a map size'),
  bpfMapSizeRoute: int(1, 2 ** 31 - 1, 'a map size'),
  bpfPSNATPorts: portRange(false),
  bpfPolicyDebugEnabled: bool,
  chainInsertMode: oneOf(['insert', 'append'], { caseInsensitive: true }),
  dataplaneDriver: str,
  dataplaneWatchdogTimeout: goDuration(),
  debugDisableLogDropping: bool,
  debugHost: hostAddress,
  debugMemoryProfilePath: str,
  debugPort: int(0, 65535, 'a TCP port'),
  debugSimulateCalcGraphHangAfter: crdDuration,
  debugSimulateDataplaneApplyDelay: crdDuration,
  debugSimulateDataplaneHangAfter: crdDuration,
  defaultEndpointToHostAction: oneOf(['Drop', 'Accept', 'Return']),
  deviceRouteProtocol: int(0, 255, 'a Linux route protocol number'),
  deviceRouteSourceAddress: ipAddress(4),
  deviceRouteSourceAddressIPv6: ipAddress(6),
  disableConntrackInvalidCheck: bool,
  endpointReportingDelay: crdDuration,
  endpointReportingEnabled: bool,
  endpointStatusPathPrefix: str,
  externalNodesList: listOf(cidrOrIp(4)),
  failsafeInboundHostPorts: listOf(protoPort),
  failsafeOutboundHostPorts: listOf(protoPort),
  featureDetectOverride: keyValueList('true|false|', "'true', 'false' or empty", 'SNATFullyRandom=true,MASQFullyRandom=false'),
  featureGates: keyValueList('[^=,]+', 'any text without \'=\' or \',\'', 'BPFConnectTimeLoadBalancingWorkaround=enabled'),
  floatingIPs: ENABLED_DISABLED_ENUM,
  flowLogsFlushInterval: crdDuration,
  genericXDPEnabled: bool,
  goGCThreshold: atLeast(-1, '-1 leaves it to the Go runtime'),
  goMaxProcs: atLeast(-1, '-1 leaves it to the Go runtime'),
  goMemoryLimitMB: atLeast(-1, '-1 leaves it to the Go runtime'),
  healthEnabled: bool,
  healthHost: hostAddress,
  healthPort: int(0, 65535, 'a TCP port'),
  healthTimeoutOverrides: listOf(healthTimeoutOverride),
  interfaceExclude,
  interfacePrefix,
  interfaceRefreshInterval: crdDuration,
  ipipEnabled: bool,
  ipipMTU: mtuField(68, 'IPv4'),
  ipsetsRefreshInterval: crdDuration,
  iptablesBackend: oneOf(['Auto', 'Legacy', 'NFT']),
  iptablesFilterAllowAction: ACCEPT_RETURN,
  iptablesFilterDenyAction: DROP_REJECT,
  iptablesLockFilePath: str,
  iptablesLockProbeInterval: crdDuration,
  iptablesLockTimeout: crdDuration,
  iptablesMangleAllowAction: ACCEPT_RETURN,
  iptablesMarkMask: markMask,
  iptablesNATOutgoingInterfaceFilter: ifaceFilter,
  iptablesPostWriteCheckInterval: crdDuration,
  iptablesRefreshInterval: crdDuration,
  ipv4ElevatedRoutePriority: int(1, 2147483646, 'a route metric'),
  ipv4NormalRoutePriority: int(1, 2147483646, 'a route metric'),
  ipv6ElevatedRoutePriority: int(1, 2147483646, 'a route metric'),
  ipv6NormalRoutePriority: int(1, 2147483646, 'a route metric'),
  ipv6Support: bool,
  istioDSCPMark: dscp,
  kubeNodePortRanges,
  liveMigrationRouteConvergenceTime: crdDuration,
  logDebugFilenameRegex: regexpField,
  logFilePath: str,
  logPrefix: str,
  logSeverityFile: LOG_LEVEL,
  logSeverityScreen: LOG_LEVEL,
  logSeveritySys: LOG_LEVEL,
  maxIpsetSize: int(1, 2 ** 31 - 1, 'an IP set size'),
  metadataAddr,
  metadataPort: int(1, 65535, 'a TCP port'),
  mtuIfacePattern: regexpField,
  natOutgoingAddress: ipAddress(4),
  natOutgoingExclusions: oneOf(['IPPoolsOnly', 'IPPoolsAndHostIPs']),
  natPortRange: portRange(false),
  netlinkTimeout: crdDuration,
  nftablesFilterAllowAction: ACCEPT_RETURN,
  nftablesFilterDenyAction: DROP_REJECT,
  nftablesMangleAllowAction: ACCEPT_RETURN,
  nftablesMarkMask: markMask,
  nftablesRefreshInterval: crdDuration,
  nodeSelector: selector,
  openstackRegion,
  policySyncPathPrefix: str,
  prometheusGoMetricsEnabled: bool,
  prometheusMetricsClientAuth: oneOf(['RequireAndVerifyClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'NoClientCert']),
  prometheusMetricsEnabled: bool,
  prometheusMetricsHost: hostAddress,
  prometheusMetricsPort: int(0, 65535, 'a TCP port'),
  prometheusProcessMetricsEnabled: bool,
  prometheusWireGuardMetricsEnabled: bool,
  removeExternalRoutes: bool,
  reportingInterval: crdDuration,
  reportingTTL: crdDuration,
  routeRefreshInterval: crdDuration,
  routeSource: oneOf(['WorkloadIPs', 'CalicoIPAM'], { caseInsensitive: true }),
  routeSyncDisabled: bool,
  routeTableRange,
  routeTableRanges,
  serviceLoopPrevention: oneOf(['Drop', 'Reject', 'Disabled']),
  sidecarAccelerationEnabled: bool,
  usageReportingEnabled: bool,
  usageReportingInitialDelay: crdDuration,
  usageReportingInterval: crdDuration,
  useInternalDataplaneDriver: bool,
  vxlanEnabled: bool,
  vxlanMTU: mtuField(68, 'IPv4'),
  vxlanMTUV6: mtuField(1280, 'IPv6'),
  vxlanPort: int(1, 65535, 'a UDP port'),
  vxlanVNI: int(0, 16777215, 'a 24-bit VXLAN network identifier'),
  windowsManageFirewallRules: ENABLED_DISABLED_ENUM,
  wireguardEnabled: bool,
  wireguardEnabledV6: bool,
  wireguardHostEncryptionEnabled: bool,
  wireguardInterfaceName: interfaceName,
  wireguardInterfaceNameV6: interfaceName,
  wireguardKeepAlive: crdDuration,
  wireguardListeningPort: int(1, 65535, 'a UDP port'),
  wireguardListeningPortV6: int(1, 65535, 'a UDP port'),
  wireguardMTU: mtuField(68, 'IPv4'),
  wireguardMTUV6: mtuField(1280, 'IPv6'),
  wireguardRoutingRulePriority: int(1, 32765, 'a routing rule priority below 32766'),
  wireguardThreadingEnabled: bool,
  workloadSourceSpoofing: oneOf(['Disabled', 'Any']),
  xdpEnabled: bool,
  xdpRefreshInterval: crdDuration,
};

/** Validates the spec of a FelixConfiguration manifest. */
export function validateFelixConfiguration(m: Record<string, any>, c: IssueCollector): void {
  const spec = m.spec;
  if (spec === undefined || spec === null) return;
  if (!isObject(spec)) {
    c.add('spec', `spec must be an object, got ${q(spec)}`);
    return;
  }
  checkObject(spec, 'spec', '', FELIX_FIELDS, c);
  if (spec.routeTableRange != null && spec.routeTableRanges != null) {
    c.add('spec.routeTableRange', 'routeTableRange cannot be set together with routeTableRanges (which replaces it); keep only routeTableRanges');
  }
  const name = isObject(m.metadata) ? m.metadata.name : undefined;
  if (spec.nodeSelector != null && typeof name === 'string' && (name === 'default' || name.startsWith('node.'))) {
    c.add('spec.nodeSelector', `nodeSelector cannot be set on the FelixConfiguration ${q(name)}, which applies to ${name === 'default' ? 'every node' : 'its own node'}; `
      + 'set it on a FelixConfiguration of another name');
  }
}

registerKind(KIND, validateFelixConfiguration);
