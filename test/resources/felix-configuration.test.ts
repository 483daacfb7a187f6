import { Duration } from 'cdk8s';
import * as fs from 'fs';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
// validate first: its placeholder registrations must not overwrite the real validator below.
import { validateManifest } from '../../src/validation/validate';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoValidationError } from '../../src/core/errors';
import {
  AwsSrcDstCheck, BpfAttachType, BpfConnectTimeLoadBalancing, BpfConntrackLogLevel, BpfConntrackMode, BpfEnforceRpf, BpfExternalServiceMode,
  BpfJitHardening, BpfLogLevel, BpfRedirectToPeer, CalicoVersion, ChainInsertMode, EndpointToHostAction, FailsafePort, FailsafeProtocol,
  FelixConfiguration, FelixConfigurationProps, IptablesAllowAction, IptablesBackend, IptablesDenyAction, LogSeverity, NatOutgoingExclusions,
  NftablesMode, PortRange, PrometheusMetricsClientAuth, RouteSource, Selector, ServiceLoopPrevention, WorkloadSourceSpoofing,
} from '../../src';
import { crdFieldOf } from '../../src/validation/crd-schema';
import { FELIX_FIELDS } from '../../src/validation/felix-configuration';
import { formatGoDuration, goRegexpError, parseGoDuration } from '../../src/validation/go-syntax';
import { testLineFields } from '../support/line-fields';
import { calicoCrdsFile, crdSchemaErrors, errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';
import { LINE_VERSIONS } from '../support/versions';

const felix = (spec: unknown, name = 'default') => ({ apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name }, spec });
const issuesOf = (spec: unknown) => validateManifest(felix(spec));
const messages = (spec: unknown) => issuesOf(spec).map(i => `${i.path}: ${i.message}`).join('\n');

// ---------------------------------------------------------------------------------------------
// Upstream cases (libcalico-go validator_test.go, FelixConfigurationSpec and ProtoPort entries)
// ---------------------------------------------------------------------------------------------

const sevenRanges = ['3000:4000', '5000:6000', '7000:8000', '8000:9000', '10000:11000', '12000:13000', 15000];
const UPSTREAM: Array<[string, Record<string, unknown>, boolean]> = [
  ['accepts iptablesBackend Legacy', { iptablesBackend: 'Legacy' }, true],
  ['accepts iptablesBackend NFT', { iptablesBackend: 'NFT' }, true],
  ['accepts iptablesBackend Auto', { iptablesBackend: 'Auto' }, true],
  ['rejects iptablesBackend badVal', { iptablesBackend: 'badVal' }, false],
  ['accepts defaultEndpointToHostAction Drop', { defaultEndpointToHostAction: 'Drop' }, true],
  ['rejects defaultEndpointToHostAction drop (lower case)', { defaultEndpointToHostAction: 'drop' }, false],
  ['accepts iptablesFilterAllowAction Accept', { iptablesFilterAllowAction: 'Accept' }, true],
  ['accepts iptablesMangleAllowAction Return', { iptablesMangleAllowAction: 'Return' }, true],
  ['rejects iptablesMangleAllowAction Drop', { iptablesMangleAllowAction: 'Drop' }, false],
  ['accepts iptablesFilterDenyAction Drop', { iptablesFilterDenyAction: 'Drop' }, true],
  ['accepts iptablesFilterDenyAction Reject', { iptablesFilterDenyAction: 'Reject' }, true],
  ['accepts seven kubeNodePortRanges', { kubeNodePortRanges: sevenRanges }, true],
  ['rejects eight kubeNodePortRanges', { kubeNodePortRanges: [...sevenRanges.slice(0, 6), '14000:15000', '16000:17000'] }, false],
  ['rejects a named port in kubeNodePortRanges', { kubeNodePortRanges: ['testport'] }, false],
  ['accepts IPv4 CIDRs and IPs in externalNodesList', { externalNodesList: ['1.1.1.1', '1.1.1.2/32', '1.1.3.0/23'] }, true],
  ['rejects a bad CIDR in externalNodesList', { externalNodesList: ['foobar', '1.1.1.1'] }, false],
  ['rejects IPv6 in externalNodesList', { externalNodesList: ['abcd::1', 'abef::2/128'] }, false],
  ['accepts an empty openstackRegion', { openstackRegion: '' }, true],
  ['accepts openstackRegion foo', { openstackRegion: 'foo' }, true],
  ['rejects openstackRegion FOO', { openstackRegion: 'FOO' }, false],
  ['rejects an overlong openstackRegion', { openstackRegion: 'my-region-has-a-very-long-and-extremely-interesting-name' }, false],
  ['rejects logSeverityScreen badVal', { logSeverityScreen: 'badVal' }, false],
  ['rejects logSeverityFile badVal', { logSeverityFile: 'badVal' }, false],
  ['rejects logSeveritySys badVal', { logSeveritySys: 'badVal' }, false],
  ['rejects logSeveritySys Critical', { logSeveritySys: 'Critical' }, false],
  ['accepts logSeverityScreen Fatal', { logSeverityScreen: 'Fatal' }, true],
  ['accepts logSeverityScreen Warning', { logSeverityScreen: 'Warning' }, true],
  ['accepts logSeverityFile Debug', { logSeverityFile: 'Debug' }, true],
  ['accepts logSeveritySys Info', { logSeveritySys: 'Info' }, true],
  ['accepts iptablesNATOutgoingInterfaceFilter cali-123', { iptablesNATOutgoingInterfaceFilter: 'cali-123' }, true],
  ['rejects iptablesNATOutgoingInterfaceFilter cali@123', { iptablesNATOutgoingInterfaceFilter: 'cali@123' }, false],
  ['rejects bpfLogLevel badVal', { bpfLogLevel: 'badVal' }, false],
  ['accepts bpfLogLevel Info', { bpfLogLevel: 'Info' }, true],
  ['accepts bpfLogLevel Debug', { bpfLogLevel: 'Debug' }, true],
  ['accepts bpfLogLevel Off', { bpfLogLevel: 'Off' }, true],
  ['rejects bpfExternalServiceMode Foo', { bpfExternalServiceMode: 'Foo' }, false],
  ['accepts bpfExternalServiceMode Tunnel', { bpfExternalServiceMode: 'Tunnel' }, true],
  ['accepts bpfExternalServiceMode DSR', { bpfExternalServiceMode: 'DSR' }, true],
  ['rejects a negative bpfExtToServiceConnmark', { bpfExtToServiceConnmark: -1 }, false],
  ['rejects a bpfExtToServiceConnmark of 2^32', { bpfExtToServiceConnmark: 0x100000000 }, false],
  ['accepts a zero bpfExtToServiceConnmark', { bpfExtToServiceConnmark: 0 }, true],
  ['accepts a bpfExtToServiceConnmark of 0xffffffff', { bpfExtToServiceConnmark: 0xffffffff }, true],
  ['rejects bpfDataIfacePattern *', { bpfDataIfacePattern: '*' }, false],
  ['accepts bpfDataIfacePattern eth.*', { bpfDataIfacePattern: 'eth.*' }, true],
  ['accepts routeTableRange 1-250', { routeTableRange: { min: 1, max: 250 } }, true],
  ['rejects routeTableRange with min 0', { routeTableRange: { min: 0, max: 250 } }, false],
  ['rejects routeTableRange with a negative min', { routeTableRange: { min: -5, max: 250 } }, false],
  ['rejects routeTableRange with max below min', { routeTableRange: { min: 50, max: 45 } }, false],
  ['rejects routeTableRange with max 253', { routeTableRange: { min: 1, max: 253 } }, false],
  ['accepts routeTableRange with min == max', { routeTableRange: { min: 8, max: 8 } }, true],
  ['accepts routeTableRanges 1-10000', { routeTableRanges: [{ min: 1, max: 10000 }] }, true],
  ['accepts routeTableRanges with min == max', { routeTableRanges: [{ min: 8, max: 8 }] }, true],
  ['accepts several routeTableRanges with min == max', { routeTableRanges: [{ min: 8, max: 8 }, { min: 7, max: 7 }] }, true],
  ['rejects routeTableRanges with min 0', { routeTableRanges: [{ min: 0, max: 250 }] }, false],
  ['rejects routeTableRanges with a negative min', { routeTableRanges: [{ min: -5, max: 250 }] }, false],
  ['rejects routeTableRanges with max below min', { routeTableRanges: [{ min: 50, max: 45 }] }, false],
  ['rejects routeTableRanges with max above 2^32-1', { routeTableRanges: [{ min: 1, max: 0xf00000000 }] }, false],
  ['rejects one routeTableRanges entry with too many tables', { routeTableRanges: [{ min: 1, max: 0x10000 }] }, false],
  ['rejects routeTableRanges with too many tables in total', { routeTableRanges: [{ min: 1, max: 2 }, { min: 3, max: 4 }, { min: 5, max: 0x10000 }] }, false],
  ['rejects routeTableRange together with routeTableRanges', { routeTableRanges: [{ min: 1, max: 250 }], routeTableRange: { min: 1, max: 250 } }, false],
  ['rejects mtuIfacePattern *', { mtuIfacePattern: '*' }, false],
  ['accepts mtuIfacePattern eth.*', { mtuIfacePattern: 'eth.*' }, true],
  ['accepts a zero health timeout override', { healthTimeoutOverrides: [{ name: 'Valid', timeout: '0s' }] }, true],
  ['rejects a negative health timeout override', { healthTimeoutOverrides: [{ name: 'Valid', timeout: '-1ns' }] }, false],
  ['rejects a health timeout override with a bad name', { healthTimeoutOverrides: [{ name: '%', timeout: '10ns' }] }, false],
  ['rejects a health timeout override with no name', { healthTimeoutOverrides: [{ name: '', timeout: '10ns' }] }, false],
  ['accepts awsSrcDstCheck DoNothing', { awsSrcDstCheck: 'DoNothing' }, true],
  ['accepts awsSrcDstCheck Enable', { awsSrcDstCheck: 'Enable' }, true],
  ['accepts awsSrcDstCheck Disable', { awsSrcDstCheck: 'Disable' }, true],
  ['rejects awsSrcDstCheck enable', { awsSrcDstCheck: 'enable' }, false],
  ['rejects awsSrcDstCheck badVal', { awsSrcDstCheck: 'badVal' }, false],
  ['rejects an invalid natOutgoingAddress', { natOutgoingAddress: '999.999.999.999' }, false],
  ['rejects a masked natOutgoingAddress', { natOutgoingAddress: '1.2.3.4/32' }, false],
  ['rejects an IPv6 natOutgoingAddress', { natOutgoingAddress: 'aabb:aabb::ffff' }, false],
  ['accepts an IPv4 natOutgoingAddress', { natOutgoingAddress: '1.2.3.4' }, true],
  ['accepts prometheusMetricsHost localhost', { prometheusMetricsHost: 'localhost' }, true],
  ['accepts prometheusMetricsHost 10.0.0.1', { prometheusMetricsHost: '10.0.0.1' }, true],
  ['accepts prometheusMetricsHost fe80::ea7a:70fa:cf74:25d5', { prometheusMetricsHost: 'fe80::ea7a:70fa:cf74:25d5' }, true],
  ['rejects prometheusMetricsHost localhost#', { prometheusMetricsHost: 'localhost#' }, false],
  ['rejects prometheusMetricsHost "0: 1::1"', { prometheusMetricsHost: '0: 1::1' }, false],
  ['accepts an IPv4 deviceRouteSourceAddress', { deviceRouteSourceAddress: '1.2.3.4' }, true],
  ['rejects an IPv6 deviceRouteSourceAddress', { deviceRouteSourceAddress: 'aabb:aabb::ffff' }, false],
  ['rejects an invalid deviceRouteSourceAddress', { deviceRouteSourceAddress: '999.999.999.999' }, false],
  ['rejects a masked deviceRouteSourceAddress', { deviceRouteSourceAddress: '1.2.3.4/32' }, false],
  ['accepts an IPv6 deviceRouteSourceAddressIPv6', { deviceRouteSourceAddressIPv6: 'aabb:aabb::ffff' }, true],
  ['rejects an IPv4 deviceRouteSourceAddressIPv6', { deviceRouteSourceAddressIPv6: '1.2.3.4' }, false],
  ['rejects an invalid deviceRouteSourceAddressIPv6', { deviceRouteSourceAddressIPv6: 'xyz:::' }, false],
  ['rejects a masked deviceRouteSourceAddressIPv6', { deviceRouteSourceAddressIPv6: 'aabb:aabb::ffff/128' }, false],
  ['accepts wireguardListeningPort 12345', { wireguardListeningPort: 12345 }, true],
  ['rejects wireguardListeningPort 99999', { wireguardListeningPort: 99999 }, false],
  ['accepts wireguardRoutingRulePriority 12345', { wireguardRoutingRulePriority: 12345 }, true],
  ['rejects wireguardRoutingRulePriority 99999', { wireguardRoutingRulePriority: 99999 }, false],
  ['accepts wireguardInterfaceName wg0', { wireguardInterfaceName: 'wg0' }, true],
  ['rejects wireguardInterfaceName wg&0', { wireguardInterfaceName: 'wg&0' }, false],
  ['accepts serviceLoopPrevention Drop', { serviceLoopPrevention: 'Drop' }, true],
  ['accepts serviceLoopPrevention Reject', { serviceLoopPrevention: 'Reject' }, true],
  ['accepts serviceLoopPrevention Disabled', { serviceLoopPrevention: 'Disabled' }, true],
  ['rejects serviceLoopPrevention Wibbly', { serviceLoopPrevention: 'Wibbly' }, false],
  ['accepts a UDP failsafe port 0', { failsafeInboundHostPorts: [{ protocol: 'UDP', port: 0 }] }, true],
  ['accepts a TCP failsafe port', { failsafeInboundHostPorts: [{ protocol: 'TCP', port: 20 }] }, true],
  ['accepts an SCTP failsafe port', { failsafeOutboundHostPorts: [{ protocol: 'SCTP', port: 20 }] }, true],
  ['rejects a failsafe port with protocol jolly-UDP', { failsafeOutboundHostPorts: [{ protocol: 'jolly-UDP', port: 0 }] }, false],
];

describe('FelixConfiguration validation: upstream calicoctl cases', () => {
  test.each(UPSTREAM)('%s', (_name, spec, valid) => {
    const issues = issuesOf(spec);
    if (valid) expect(issues).toEqual([]);
    else expect(issues.length).toBeGreaterThan(0);
  });

  test('accepts an empty spec and a missing spec', () => {
    expect(issuesOf({})).toEqual([]);
    expect(validateManifest({ apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' } })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Every rule, with its message
// ---------------------------------------------------------------------------------------------

const RULES: Array<[string, Record<string, unknown>, string, RegExp]> = [
  ['an unknown field, suggesting the right case', { ipipMtu: 1440 }, 'spec.ipipMtu', /a FelixConfiguration spec has no field 'ipipMtu'; did you mean 'ipipMTU'\?/],
  ['a field the default line (v3.32) removed', { iptablesLockTimeout: '10s' }, 'spec.iptablesLockTimeout',
    /iptablesLockTimeout was removed in Calico v3.32 \(v3.31 has it\); remove it or use CalicoVersion.V3_31_7/],
  ['a spec that is not an object', [] as any, 'spec', /spec must be an object, got \[\]/],
  ['a boolean given as a string', { bpfEnabled: 'true' }, 'spec.bpfEnabled', /bpfEnabled must be true or false, got 'true'/],
  ['a log level in the wrong case', { logSeverityScreen: 'info' }, 'spec.logSeverityScreen', /logSeverityScreen 'info' is not one of Debug, Info, Warning, Error, Fatal \(case-sensitive\); write 'Info'/],
  ['an unknown log level', { logSeverityFile: 'Trace' }, 'spec.logSeverityFile', /logSeverityFile 'Trace' is not one of .*; use one of 'Debug'/],
  ['a bad iptablesBackend', { iptablesBackend: 'nft' }, 'spec.iptablesBackend', /iptablesBackend 'nft' is not one of Auto, Legacy, NFT \(case-sensitive\); write 'NFT'/],
  ['a bad chainInsertMode', { chainInsertMode: 'prepend' }, 'spec.chainInsertMode', /chainInsertMode 'prepend' is not one of insert, append; use one of/],
  ['a bad routeSource', { routeSource: 'BGP' }, 'spec.routeSource', /routeSource 'BGP' is not one of WorkloadIPs, CalicoIPAM/],
  ['a bad bpfEnforceRPF', { bpfEnforceRPF: 'Maybe' }, 'spec.bpfEnforceRPF', /bpfEnforceRPF 'Maybe' is not one of Disabled, Strict, Loose/],
  ['a bad bpfConnectTimeLoadBalancing', { bpfConnectTimeLoadBalancing: 'UDP' }, 'spec.bpfConnectTimeLoadBalancing', /is not one of TCP, Enabled, Disabled/],
  ['a bad bpfHostNetworkedNATWithoutCTLB', { bpfHostNetworkedNATWithoutCTLB: 'On' }, 'spec.bpfHostNetworkedNATWithoutCTLB', /is not one of Enabled, Disabled/],
  ['an empty enum value the CRD refuses', { awsSrcDstCheck: '' }, 'spec.awsSrcDstCheck', /awsSrcDstCheck '' is not one of DoNothing, Enable, Disable/],
  ['a bad floatingIPs', { floatingIPs: 'true' }, 'spec.floatingIPs', /floatingIPs 'true' is not one of Enabled, Disabled/],
  ['a bad workloadSourceSpoofing', { workloadSourceSpoofing: 'All' }, 'spec.workloadSourceSpoofing', /is not one of Disabled, Any/],
  ['a bad bpfCTLBLogFilter', { bpfCTLBLogFilter: 'some' }, 'spec.bpfCTLBLogFilter', /bpfCTLBLogFilter 'some' is not one of all/],
  ['an IPv4 MTU below 68', { ipipMTU: 40 }, 'spec.ipipMTU', /ipipMTU 40 is not a usable IPv4 MTU; use 0 to let Felix detect it, or a value from 68 to 65535/],
  ['an IPv6 MTU below 1280', { vxlanMTUV6: 1000 }, 'spec.vxlanMTUV6', /vxlanMTUV6 1000 is not a usable IPv6 MTU; .* from 1280 to 65535/],
  ['an MTU that is not a whole number', { wireguardMTU: 1420.5 }, 'spec.wireguardMTU', /wireguardMTU must be a whole number, got 1420.5/],
  ['a VXLAN port of 0', { vxlanPort: 0 }, 'spec.vxlanPort', /vxlanPort 0 is out of range \(a UDP port\); use a value from 1 to 65535/],
  ['a VXLAN VNI above 24 bits', { vxlanVNI: 16777216 }, 'spec.vxlanVNI', /vxlanVNI 16777216 is out of range .*; use a value from 0 to 16777215/],
  ['a health port above 65535', { healthPort: 65536 }, 'spec.healthPort', /healthPort 65536 is out of range .*; use a value from 0 to 65535/],
  ['a Prometheus port given as a string', { prometheusMetricsPort: '9091' }, 'spec.prometheusMetricsPort', /prometheusMetricsPort must be a whole number, got '9091'/],
  ['a wireguard listening port of 0', { wireguardListeningPortV6: 0 }, 'spec.wireguardListeningPortV6', /use a value from 1 to 65535/],
  ['a routing rule priority of 32766', { wireguardRoutingRulePriority: 32766 }, 'spec.wireguardRoutingRulePriority', /use a value from 1 to 32765/],
  ['a device route protocol above 255', { deviceRouteProtocol: 256 }, 'spec.deviceRouteProtocol', /use a value from 0 to 255/],
  ['a zero map size', { bpfMapSizeConntrack: 0 }, 'spec.bpfMapSizeConntrack', /bpfMapSizeConntrack 0 is out of range/],
  ['a debug port above 65535', { debugPort: 70000 }, 'spec.debugPort', /debugPort 70000 is out of range/],
  ['a mark mask with too few bits', { iptablesMarkMask: 0xf0 }, 'spec.iptablesMarkMask', /iptablesMarkMask 240 \(0xf0\) sets 4 bits; Felix needs at least 8 mark bits/],
  ['a mark mask above 32 bits', { iptablesMarkMask: 2 ** 32 }, 'spec.iptablesMarkMask', /is not a 32-bit mask/],
  ['a duration without a unit', { reportingInterval: '30' }, 'spec.reportingInterval', /reportingInterval '30' is not a duration; write whole numbers with the units h, m, s or ms/],
  ['a negative duration', { routeRefreshInterval: '-5s' }, 'spec.routeRefreshInterval', /routeRefreshInterval '-5s' is negative/],
  ['a fractional duration', { reportingTTL: '1.5s' }, 'spec.reportingTTL', /reportingTTL '1.5s' is not in the form the Calico v3.32 FelixConfiguration CRD accepts; .* e.g. '2s'/],
  ['a duration Calico would store with a fraction', { iptablesRefreshInterval: '1500ms' }, 'spec.iptablesRefreshInterval', /iptablesRefreshInterval '1500ms' would be stored by Calico as '1.5s', which the Calico v3.32 FelixConfiguration CRD rejects/],
  ['a bare 0 duration', { ipsetsRefreshInterval: '0' }, 'spec.ipsetsRefreshInterval', /ipsetsRefreshInterval '0' is not in the form .* e.g. '0s'/],
  ['a microsecond duration', { netlinkTimeout: '500us' }, 'spec.netlinkTimeout', /netlinkTimeout '500us' is not in the form/],
  ['a duration that is not a string', { wireguardKeepAlive: 25 }, 'spec.wireguardKeepAlive', /wireguardKeepAlive must be a duration string such as '30s' or '5m', got 25/],
  ['a bad watchdog timeout', { dataplaneWatchdogTimeout: 'soon' }, 'spec.dataplaneWatchdogTimeout', /dataplaneWatchdogTimeout 'soon' is not a duration/],
  ['a regexp with a look-ahead', { bpfL3IfacePattern: '^wg(?!0)' }, 'spec.bpfL3IfacePattern', /bpfL3IfacePattern '\^wg\(\?!0\)' is not a valid regular expression \(look-ahead/],
  ['a regexp with a back-reference', { logDebugFilenameRegex: '(a)\\1' }, 'spec.logDebugFilenameRegex', /back-references/],
  ['a regexp with an unclosed group', { bpfDisableGROForIfaces: '(eth' }, 'spec.bpfDisableGROForIfaces', /is not a valid regular expression/],
  ['an interfacePrefix with a space', { interfacePrefix: 'cali, tap' }, 'spec.interfacePrefix', /interfacePrefix 'cali, tap' is not a comma-separated list of interface name prefixes .* Felix refuses to start/],
  ['an interfaceExclude item with a dot', { interfaceExclude: 'kube-ipvs0,eth0.100' }, 'spec.interfaceExclude', /interfaceExclude item 'eth0.100' is neither an interface name .* nor a \/regexp\//],
  ['an interfaceExclude regexp that does not compile', { interfaceExclude: '/(veth/' }, 'spec.interfaceExclude', /interfaceExclude item '\/\(veth\/' is not a valid regular expression/],
  ['a featureDetectOverride value that is not a boolean', { featureDetectOverride: 'SNATFullyRandom=yes' }, 'spec.featureDetectOverride', /featureDetectOverride 'SNATFullyRandom=yes' is not a comma-separated list of key=value pairs/],
  ['a featureDetectOverride with a space', { featureDetectOverride: 'A=true, B=false' }, 'spec.featureDetectOverride', /is not a comma-separated list/],
  ['a featureGates entry without a value', { featureGates: 'Foo' }, 'spec.featureGates', /featureGates 'Foo' is not a comma-separated list/],
  ['a natPortRange given as a name', { natPortRange: 'http' }, 'spec.natPortRange', /natPortRange 'http' is not a numeric port or range \(named ports are not allowed here\)/],
  ['a natPortRange starting above its end', { natPortRange: '2000:1000' }, 'spec.natPortRange', /is a range whose start is above its end; write it as '1000:2000'/],
  ['a bpfPSNATPorts range beyond 65535', { bpfPSNATPorts: '20000:70000' }, 'spec.bpfPSNATPorts', /has a port outside 1-65535/],
  ['a port 0 in kubeNodePortRanges', { kubeNodePortRanges: [0] }, 'spec.kubeNodePortRanges[0]', /kubeNodePortRanges\[0\] 0 is not a valid port/],
  ['a named kube node port range', { kubeNodePortRanges: ['http'] }, 'spec.kubeNodePortRanges[0]', /node port ranges cannot be named ports/],
  ['too many kube node port ranges', { kubeNodePortRanges: [1, 2, 3, 4, 5, 6, 7, 8] }, 'spec.kubeNodePortRanges', /has 8 entries, more than the 7 Calico allows/],
  ['a lower-case failsafe protocol', { failsafeInboundHostPorts: [{ protocol: 'tcp', port: 22 }] }, 'spec.failsafeInboundHostPorts[0].protocol', /failsafeInboundHostPorts\[0\].protocol 'tcp' is not a supported protocol; use 'TCP', 'UDP' or 'SCTP' \(upper case: 'TCP'\)/],
  ['a failsafe port without a protocol', { failsafeOutboundHostPorts: [{ port: 53 }] }, 'spec.failsafeOutboundHostPorts[0].protocol', /protocol is missing/],
  ['a failsafe port above 65535', { failsafeInboundHostPorts: [{ protocol: 'TCP', port: 65536 }] }, 'spec.failsafeInboundHostPorts[0].port', /port 65536 is out of range/],
  ['a failsafe net that is not a CIDR', { failsafeInboundHostPorts: [{ protocol: 'TCP', port: 22, net: '10.0.0.0/40' }] }, 'spec.failsafeInboundHostPorts[0].net', /net '10.0.0.0\/40' is not a valid CIDR/],
  ['an unknown field in a failsafe port', { failsafeInboundHostPorts: [{ protocol: 'TCP', port: 22, cidr: '10.0.0.0/8' }] }, 'spec.failsafeInboundHostPorts[0].cidr', /failsafeInboundHostPorts\[0\] has no field 'cidr'; remove it; known fields are net, port, protocol/],
  ['a bad CIDR in bpfDSROptoutCIDRs', { bpfDSROptoutCIDRs: ['10.0.0.0/33'] }, 'spec.bpfDSROptoutCIDRs[0]', /bpfDSROptoutCIDRs\[0\] '10.0.0.0\/33' is not a valid CIDR or IP address/],
  ['a bad interface filter in bpfForceTrackPacketsFromIfaces', { bpfForceTrackPacketsFromIfaces: ['docker*'] }, 'spec.bpfForceTrackPacketsFromIfaces[0]', /'docker\*' is not an interface name or filter/],
  ['a bad bpfLogFilters key', { bpfLogFilters: { 'eth 0': 'tcp' } }, 'spec.bpfLogFilters.eth 0', /bpfLogFilters key 'eth 0' is not an interface name/],
  ['a metadataAddr with a colon', { metadataAddr: 'fd00::1' }, 'spec.metadataAddr', /metadataAddr 'fd00::1' is not a host name or IPv4 address/],
  ['a healthHost with a space', { healthHost: 'my host' }, 'spec.healthHost', /healthHost 'my host' is not a host name or IP address/],
  ['routeTableRange outside 1..250', { routeTableRange: { min: 1, max: 253 } }, 'spec.routeTableRange', /routeTableRange \{min: 1, max: 253\} is not a range of route table indices within 1..250/],
  ['routeTableRanges with min above max', { routeTableRanges: [{ min: 9, max: 3 }] }, 'spec.routeTableRanges[0]', /routeTableRanges\[0\] has min 9 above max 3; swap them/],
  ['routeTableRanges designating too many tables', { routeTableRanges: [{ min: 1, max: 0x10000 }] }, 'spec.routeTableRanges', /designate 65536 route tables, more than the 65535 Calico allows/],
  ['both route table settings', { routeTableRange: { min: 1, max: 2 }, routeTableRanges: [{ min: 1, max: 2 }] }, 'spec.routeTableRange', /routeTableRange cannot be set together with routeTableRanges/],
  ['a health timeout override name with %', { healthTimeoutOverrides: [{ name: '%', timeout: '30s' }] }, 'spec.healthTimeoutOverrides[0].name', /healthTimeoutOverrides\[0\].name '%' is not a valid component name/],
  ['a negative health timeout', { healthTimeoutOverrides: [{ name: 'x', timeout: '-1s' }] }, 'spec.healthTimeoutOverrides[0].timeout', /timeout '-1s' is negative/],
  ['an openstackRegion in upper case', { openstackRegion: 'EU' }, 'spec.openstackRegion', /openstackRegion 'EU' is not a valid DNS label/],
  ['an IPv6 externalNodesList entry', { externalNodesList: ['fd00::/64'] }, 'spec.externalNodesList[0]', /is an IPv6 CIDR; this field takes IPv4 CIDRs only/],
  ['a CIDR as natOutgoingAddress', { natOutgoingAddress: '10.0.0.1/32' }, 'spec.natOutgoingAddress', /natOutgoingAddress '10.0.0.1\/32' is not a valid IPv4 address \(write the address without a prefix length\)/],
  ['an IPv4 deviceRouteSourceAddressIPv6', { deviceRouteSourceAddressIPv6: '10.0.0.1' }, 'spec.deviceRouteSourceAddressIPv6', /is an IPv4 address but this field takes IPv6/],
  ['an upper-case enum for defaultEndpointToHostAction', { defaultEndpointToHostAction: 'ACCEPT' }, 'spec.defaultEndpointToHostAction', /write 'Accept'/],
];

describe('FelixConfiguration validation: every rule names the field, the value and the fix', () => {
  test.each(RULES)('reports %s', (_name, spec, path, message) => {
    const issues = issuesOf(spec);
    const match = issues.find(i => i.path === path && message.test(i.message));
    if (!match) throw new Error(`no issue at ${path} matching ${message}; got:\n${messages(spec)}`);
    expect(match.message).toMatch(message);
  });

  test('accepts a realistic production spec', () => {
    const spec = {
      bpfEnabled: true, bpfExternalServiceMode: 'DSR', bpfKubeProxyIptablesCleanupEnabled: false, bpfLogLevel: 'Off',
      logSeverityScreen: 'Warning', vxlanEnabled: true, vxlanMTU: 8951, ipipEnabled: false, wireguardEnabled: true,
      wireguardMTU: 8941, reportingInterval: '0s', routeRefreshInterval: '1m30s', iptablesRefreshInterval: '90s',
      iptablesLockProbeInterval: '50ms', chainInsertMode: 'Insert', routeSource: 'workloadips',
      failsafeInboundHostPorts: [{ protocol: 'TCP', port: 22 }, { protocol: 'UDP', port: 68, net: '10.0.0.0/8' }],
      featureDetectOverride: 'SNATFullyRandom=true,MASQFullyRandom=false,RestoreSupportsLock=',
      featureGates: 'BPFConnectTimeLoadBalancingWorkaround=enabled', interfaceExclude: 'kube-ipvs0,/^veth.*/',
      interfacePrefix: 'cali,tap', healthTimeoutOverrides: [{ name: 'InternalDataplaneMainLoop', timeout: '2m' }],
      kubeNodePortRanges: ['30000:32767', 8080], natPortRange: '32768:60999', iptablesMarkMask: 0xffff0000,
      bpfLogFilters: { all: 'tcp port 80' }, metadataAddr: 'none', bpfDataIfacePattern: '(?i)^(eth|ens).*$',
    };
    expect(issuesOf(spec)).toEqual([]);
  });

  test('reports every bad field, not only the first', () => {
    const paths = issuesOf({ logSeverityScreen: 'x', ipipMTU: 1, vxlanPort: 0 }).map(i => i.path).sort();
    expect(paths).toEqual(['spec.ipipMTU', 'spec.logSeverityScreen', 'spec.vxlanPort']);
  });

  // FELIX_FIELDS no longer lists every field (the generated CRD tables do, per line): it holds the
  // checks beyond the CRD's. What stays pinned: each line's CRD fields are known, nothing else is.
  test.each(LINE_VERSIONS.map(v => [v.line, v] as const))('knows exactly the fields of the %s CRD', (_line, version) => {
    const crd = YAML.parseAllDocuments(fs.readFileSync(calicoCrdsFile(version), 'utf8'))
      .map(d => d.toJS()).find(d => d?.spec?.names?.kind === 'FelixConfiguration');
    const schema = crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec;
    const unknown = (key: string) => validateManifest(felix({ [key]: null, bogusField: 1 }), version).map(i => i.path).filter(p => p === `spec.${key}`);
    for (const key of Object.keys(schema.properties)) expect({ key, issues: unknown(key) }).toEqual({ key, issues: [] });
    expect(validateManifest(felix({ bogusField: 1 }), version).map(i => i.path)).toEqual(['spec.bogusField']);
    for (const key of Object.keys(FELIX_FIELDS)) expect(LINE_VERSIONS.some(v => crdFieldOf('FelixConfiguration', `spec.${key}`, v))).toBe(true);
  });

  test('never throws and always returns issues for arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), fc.dictionary(fc.constantFrom(...Object.keys(FELIX_FIELDS)), fc.anything()), (a, spec) => {
      expect(Array.isArray(validateManifest(felix(a)))).toBe(true);
      const issues = validateManifest(felix(spec));
      expect(issues.every(i => typeof i.path === 'string' && typeof i.message === 'string')).toBe(true);
      expect(issues.some(i => /could not check/.test(i.message))).toBe(false);
    }), { numRuns: 300 });
  });
});

describe('Go syntax helpers', () => {
  test.each([
    ['0', 0n], ['-0', 0n], ['1h30m', 5400_000_000_000n], ['1.5s', 1_500_000_000n], ['500ms', 500_000_000n],
    ['10ns', 10n], ['2\u00b5s', 2000n], ['.5s', 500_000_000n], ['-1ns', -1n], ['+3m', 180_000_000_000n],
  ])('parses the Go duration %s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  test.each(['', '30', 's', '1d', '1.s.', '- 1s', '1 s', '.s', '9999999999h'])('rejects %p as a Go duration', text => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  test.each([
    [0n, '0s'], [1_500_000_000n, '1.5s'], [90_000_000_000n, '1m30s'], [3_600_000_000_000n, '1h0m0s'],
    [500_000_000n, '500ms'], [1_500_000n, '1.5ms'], [1500n, '1.5\u00b5s'], [7n, '7ns'], [-60_000_000_000n, '-1m0s'],
  ])('formats %p nanoseconds as Go does (%s)', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });

  test('formatted durations parse back to the same value', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), ns => {
      expect(parseGoDuration(formatGoDuration(ns))).toBe(ns);
    }));
  });

  test.each(['eth.*', '(?i)^ens[0-9]+$', '^(en|wl)[Popsx].*', '\\Aeth\\z', '\\pL+', '[[:alpha:]]+', 'a{2,1000}', '(?P<name>x)', '\\Q.*\\E', '\\12'])(
    'accepts the Go regexp %p', re => expect(goRegexpError(re)).toBeUndefined());

  test.each(['*', '(a', 'a(?=b)', '(?<!a)b', '(a)\\1', '\\y', 'a{1001}', '(?)', '[z-a]'])(
    'rejects %p as a Go regexp', re => expect(goRegexpError(re)).toBeDefined());
});

// ---------------------------------------------------------------------------------------------
// The construct
// ---------------------------------------------------------------------------------------------

function render(props: FelixConfigurationProps = {}): any {
  const chart = newChart();
  new FelixConfiguration(chart, 'felix', props);
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  return manifests.find(m => m.kind === 'FelixConfiguration');
}

describe('FelixConfiguration construct', () => {
  test('is named default and sets nothing by default', () => {
    const m = render();
    expect(m.apiVersion).toBe('projectcalico.org/v3');
    expect(m.metadata.name).toBe('default');
    expect(m.spec ?? {}).toEqual({});
  });

  test('takes an explicit name', () => {
    expect(render({ name: 'custom' }).metadata.name).toBe('custom');
  });

  test('names a per-node override node.<nodeName>', () => {
    expect(render({ nodeName: 'worker-1' }).metadata.name).toBe('node.worker-1');
  });

  test('refuses name and nodeName together', () => {
    const e = errorOf(() => new FelixConfiguration(newChart(), 'f', { name: 'x', nodeName: 'y' }));
    expect(e).toBeInstanceOf(CalicoValidationError);
    expect(e.message).toMatch(/set either name \('x'\) or nodeName \('y'\), not both/);
  });

  const OVERRIDES: Array<[keyof FelixConfigurationProps, any, string, any]> = [
    ['logSeverityScreen', LogSeverity.WARNING, 'logSeverityScreen', 'Warning'],
    ['logSeverityFile', LogSeverity.ERROR, 'logSeverityFile', 'Error'],
    ['logSeveritySys', LogSeverity.FATAL, 'logSeveritySys', 'Fatal'],
    ['logFilePath', 'none', 'logFilePath', 'none'],
    ['logPrefix', 'felix', 'logPrefix', 'felix'],
    ['ipipEnabled', false, 'ipipEnabled', false],
    ['ipipMtu', 1480, 'ipipMTU', 1480],
    ['vxlanEnabled', true, 'vxlanEnabled', true],
    ['vxlanMtu', 1450, 'vxlanMTU', 1450],
    ['vxlanMtuV6', 1430, 'vxlanMTUV6', 1430],
    ['vxlanPort', 4790, 'vxlanPort', 4790],
    ['vxlanVni', 4097, 'vxlanVNI', 4097],
    ['allowIpipPacketsFromWorkloads', true, 'allowIPIPPacketsFromWorkloads', true],
    ['allowVxlanPacketsFromWorkloads', true, 'allowVXLANPacketsFromWorkloads', true],
    ['wireguardEnabled', true, 'wireguardEnabled', true],
    ['wireguardEnabledV6', true, 'wireguardEnabledV6', true],
    ['wireguardMtu', 1440, 'wireguardMTU', 1440],
    ['wireguardMtuV6', 1420, 'wireguardMTUV6', 1420],
    ['wireguardListeningPort', 51830, 'wireguardListeningPort', 51830],
    ['wireguardListeningPortV6', 51831, 'wireguardListeningPortV6', 51831],
    ['wireguardHostEncryptionEnabled', true, 'wireguardHostEncryptionEnabled', true],
    ['wireguardInterfaceName', 'wg0', 'wireguardInterfaceName', 'wg0'],
    ['wireguardInterfaceNameV6', 'wg1', 'wireguardInterfaceNameV6', 'wg1'],
    ['wireguardRoutingRulePriority', 100, 'wireguardRoutingRulePriority', 100],
    ['wireguardKeepAlive', Duration.seconds(25), 'wireguardKeepAlive', '25s'],
    ['wireguardThreadingEnabled', true, 'wireguardThreadingEnabled', true],
    ['bpfEnabled', true, 'bpfEnabled', true],
    ['bpfExternalServiceMode', BpfExternalServiceMode.DSR, 'bpfExternalServiceMode', 'DSR'],
    ['bpfLogLevel', BpfLogLevel.DEBUG, 'bpfLogLevel', 'Debug'],
    ['bpfConnectTimeLoadBalancing', BpfConnectTimeLoadBalancing.ENABLED, 'bpfConnectTimeLoadBalancing', 'Enabled'],
    ['bpfHostNetworkedNatWithoutCtlb', false, 'bpfHostNetworkedNATWithoutCTLB', 'Disabled'],
    ['bpfKubeProxyIptablesCleanupEnabled', false, 'bpfKubeProxyIptablesCleanupEnabled', false],
    ['bpfKubeProxyMinSyncPeriod', Duration.seconds(5), 'bpfKubeProxyMinSyncPeriod', '5s'],
    ['bpfDataIfacePattern', '^eth.*', 'bpfDataIfacePattern', '^eth.*'],
    ['bpfL3IfacePattern', '^wg.*', 'bpfL3IfacePattern', '^wg.*'],
    ['bpfEnforceRpf', BpfEnforceRpf.STRICT, 'bpfEnforceRPF', 'Strict'],
    ['bpfDsrOptoutCidrs', ['10.0.0.0/8'], 'bpfDSROptoutCIDRs', ['10.0.0.0/8']],
    ['bpfExcludeCidrsFromNat', ['169.254.20.10'], 'bpfExcludeCIDRsFromNAT', ['169.254.20.10']],
    ['bpfPsnatPorts', PortRange.between(20000, 29999), 'bpfPSNATPorts', '20000:29999'],
    ['bpfExtToServiceConnmark', 0x80, 'bpfExtToServiceConnmark', 0x80],
    ['bpfDisableUnprivileged', false, 'bpfDisableUnprivileged', false],
    ['bpfHostConntrackBypass', false, 'bpfHostConntrackBypass', false],
    ['bpfPolicyDebugEnabled', false, 'bpfPolicyDebugEnabled', false],
    ['bpfForceTrackPacketsFromIfaces', ['docker+', 'br-+'], 'bpfForceTrackPacketsFromIfaces', ['docker+', 'br-+']],
    ['bpfMapSizeConntrack', 1024000, 'bpfMapSizeConntrack', 1024000],
    ['bpfMapSizeNatFrontend', 131072, 'bpfMapSizeNATFrontend', 131072],
    ['bpfMapSizeNatBackend', 524288, 'bpfMapSizeNATBackend', 524288],
    ['bpfMapSizeNatAffinity', 131072, 'bpfMapSizeNATAffinity', 131072],
    ['bpfMapSizeRoute', 524288, 'bpfMapSizeRoute', 524288],
    ['bpfMapSizeIpSets', 2097152, 'bpfMapSizeIPSets', 2097152],
    ['bpfMapSizeIfState', 2000, 'bpfMapSizeIfState', 2000],
    ['iptablesBackend', IptablesBackend.NFT, 'iptablesBackend', 'NFT'],
    ['chainInsertMode', ChainInsertMode.APPEND, 'chainInsertMode', 'append'],
    ['defaultEndpointToHostAction', EndpointToHostAction.ACCEPT, 'defaultEndpointToHostAction', 'Accept'],
    ['iptablesFilterAllowAction', IptablesAllowAction.RETURN, 'iptablesFilterAllowAction', 'Return'],
    ['iptablesMangleAllowAction', IptablesAllowAction.RETURN, 'iptablesMangleAllowAction', 'Return'],
    ['iptablesFilterDenyAction', IptablesDenyAction.REJECT, 'iptablesFilterDenyAction', 'Reject'],
    ['iptablesMarkMask', 0xff000000, 'iptablesMarkMask', 0xff000000],
    ['iptablesRefreshInterval', Duration.minutes(3), 'iptablesRefreshInterval', '3m0s'],
    ['ipsetsRefreshInterval', Duration.seconds(0), 'ipsetsRefreshInterval', '0s'],
    ['routeRefreshInterval', Duration.hours(1), 'routeRefreshInterval', '1h0m0s'],
    ['iptablesNatOutgoingInterfaceFilter', 'eth0', 'iptablesNATOutgoingInterfaceFilter', 'eth0'],
    ['maxIpsetSize', 2097152, 'maxIpsetSize', 2097152],
    ['routeSource', RouteSource.WORKLOAD_IPS, 'routeSource', 'WorkloadIPs'],
    ['routeTableRanges', [{ min: 1, max: 250 }, { min: 1000, max: 2000 }], 'routeTableRanges', [{ min: 1, max: 250 }, { min: 1000, max: 2000 }]],
    ['routeSyncDisabled', true, 'routeSyncDisabled', true],
    ['removeExternalRoutes', false, 'removeExternalRoutes', false],
    ['deviceRouteSourceAddress', '10.0.0.1', 'deviceRouteSourceAddress', '10.0.0.1'],
    ['deviceRouteSourceAddressIpv6', 'fd00::1', 'deviceRouteSourceAddressIPv6', 'fd00::1'],
    ['deviceRouteProtocol', 80, 'deviceRouteProtocol', 80],
    ['interfacePrefix', 'cali,tap', 'interfacePrefix', 'cali,tap'],
    ['interfaceExclude', ['kube-ipvs0', '/^veth.*/'], 'interfaceExclude', 'kube-ipvs0,/^veth.*/'],
    ['mtuIfacePattern', '^ens.*', 'mtuIfacePattern', '^ens.*'],
    ['natOutgoingAddress', '192.0.2.10', 'natOutgoingAddress', '192.0.2.10'],
    ['natPortRange', PortRange.between(32768, 60999), 'natPortRange', '32768:60999'],
    ['kubeNodePortRanges', [PortRange.between(30000, 32767), PortRange.single(8443)], 'kubeNodePortRanges', ['30000:32767', 8443]],
    ['serviceLoopPrevention', ServiceLoopPrevention.REJECT, 'serviceLoopPrevention', 'Reject'],
    ['workloadSourceSpoofing', WorkloadSourceSpoofing.ANY, 'workloadSourceSpoofing', 'Any'],
    ['ipv6Support', false, 'ipv6Support', false],
    ['xdpEnabled', false, 'xdpEnabled', false],
    ['genericXdpEnabled', true, 'genericXDPEnabled', true],
    ['floatingIps', true, 'floatingIPs', 'Enabled'],
    ['awsSrcDstCheck', AwsSrcDstCheck.DISABLE, 'awsSrcDstCheck', 'Disable'],
    ['externalNodesList', ['192.0.2.0/24'], 'externalNodesList', ['192.0.2.0/24']],
    ['featureDetectOverride', { SNATFullyRandom: true, MASQFullyRandom: false }, 'featureDetectOverride', 'SNATFullyRandom=true,MASQFullyRandom=false'],
    ['featureGates', { BPFConnectTimeLoadBalancingWorkaround: 'enabled' }, 'featureGates', 'BPFConnectTimeLoadBalancingWorkaround=enabled'],
    ['failsafeInboundHostPorts', [FailsafePort.tcp(22, '10.0.0.0/8'), FailsafePort.sctp(9000)], 'failsafeInboundHostPorts',
      [{ protocol: 'TCP', port: 22, net: '10.0.0.0/8' }, { protocol: 'SCTP', port: 9000 }]],
    ['failsafeOutboundHostPorts', [FailsafePort.udp(53)], 'failsafeOutboundHostPorts', [{ protocol: 'UDP', port: 53 }]],
    ['healthEnabled', false, 'healthEnabled', false],
    ['healthHost', '0.0.0.0', 'healthHost', '0.0.0.0'],
    ['healthPort', 9199, 'healthPort', 9199],
    ['healthTimeoutOverrides', [{ name: 'InternalDataplaneMainLoop', timeout: Duration.minutes(2) }], 'healthTimeoutOverrides',
      [{ name: 'InternalDataplaneMainLoop', timeout: '2m0s' }]],
    ['prometheusMetricsEnabled', true, 'prometheusMetricsEnabled', true],
    ['prometheusMetricsHost', '0.0.0.0', 'prometheusMetricsHost', '0.0.0.0'],
    ['prometheusMetricsPort', 9191, 'prometheusMetricsPort', 9191],
    ['prometheusGoMetricsEnabled', false, 'prometheusGoMetricsEnabled', false],
    ['prometheusProcessMetricsEnabled', false, 'prometheusProcessMetricsEnabled', false],
    ['prometheusWireGuardMetricsEnabled', false, 'prometheusWireGuardMetricsEnabled', false],
    ['reportingInterval', Duration.seconds(0), 'reportingInterval', '0s'],
    ['reportingTtl', Duration.seconds(120), 'reportingTTL', '2m0s'],
    ['usageReportingEnabled', false, 'usageReportingEnabled', false],
    ['windowsManageFirewallRules', true, 'windowsManageFirewallRules', 'Enabled'],
    ['additionalFields', { nftablesRefreshInterval: '10s', openstackRegion: 'eu-1' }, 'nftablesRefreshInterval', '10s'],
  ];

  test.each(OVERRIDES)('renders %s as spec.%s', (prop, value, field, expected) => {
    const spec = render({ [prop]: value }).spec;
    expect(spec[field]).toEqual(expected);
  });

  test('leaves every field unset unless its prop is given', () => {
    // One synth without props renders no field at all, so each default is Calico's own.
    const spec = render().spec ?? {};
    for (const [, , field] of OVERRIDES) expect(spec).not.toHaveProperty(field);
  });

  test('renders a whole topology of settings that passes the CRD schema', () => {
    const props: Record<string, any> = {};
    for (const [prop, value] of OVERRIDES) props[prop] = value;
    const spec = render(props).spec;
    expect(Object.keys(spec).length).toBeGreaterThan(100);
  });

  test('fails at construction on a bad value, naming the resource, the field and the fix', () => {
    const e = errorOf(() => new FelixConfiguration(newChart(), 'felix', { ipipMtu: 40 }));
    expect(e).toBeInstanceOf(CalicoValidationError);
    expect(e.message).toMatch(/\[test\/felix\] FelixConfiguration 'default': spec.ipipMTU: ipipMTU 40 is not a usable IPv4 MTU; use 0 to let Felix detect it/);
    expect((e as CalicoValidationError).issues.map(i => i.path)).toEqual(['spec.ipipMTU']);
  });

  test.each<[string, FelixConfigurationProps, RegExp]>([
    ['an out-of-range port', { healthPort: 70000 }, /healthPort 70000 is out of range/],
    ['a bad interface prefix', { interfacePrefix: 'cali tap' }, /interfacePrefix 'cali tap' is not a comma-separated list/],
    ['a bad regexp', { mtuIfacePattern: '*' }, /mtuIfacePattern '\*' is not a valid regular expression/],
    ['an IPv6 NAT outgoing address', { natOutgoingAddress: 'fd00::1' }, /natOutgoingAddress 'fd00::1' is an IPv6 address but this field takes IPv4/],
    ['too many node port ranges', { kubeNodePortRanges: [1, 2, 3, 4, 5, 6, 7, 8].map(p => PortRange.single(p * 1000)) }, /more than the 7 Calico allows/],
    ['a route table range below 1', { routeTableRanges: [{ min: 0, max: 10 }] }, /routeTableRanges\[0\].min 0 targets route table indices below 1/],
    ['a bad health override name', { healthTimeoutOverrides: [{ name: 'bad!', timeout: Duration.seconds(1) }] }, /name 'bad!' is not a valid component name/],
    ['a bad feature name', { featureDetectOverride: { 'bad key': true } }, /featureDetectOverride 'bad key=true' is not a comma-separated list/],
    ['a bad additional field', { additionalFields: { nftablesRefreshInterval: 'soon' } }, /nftablesRefreshInterval 'soon' is not a duration/],
    ['an unknown additional field', { additionalFields: { ipipMtu: 1400 } }, /a FelixConfiguration spec has no field 'ipipMtu'; did you mean 'ipipMTU'\?/],
  ])('fails on %s', (_name, props, message) => {
    const e = errorOf(() => new FelixConfiguration(newChart(), 'felix', props));
    expect(e).toBeInstanceOf(CalicoValidationError);
    expect(e.message).toMatch(message);
  });

  test('refuses an additional field a typed prop already sets', () => {
    const e = errorOf(() => new FelixConfiguration(newChart(), 'felix', { ipipMtu: 1440, additionalFields: { ipipMTU: 1400 } }));
    expect(e.message).toMatch(/additionalFields.ipipMTU repeats a field a typed prop already sets; set it once, through the typed prop/);
  });

  test('refuses a duration of a second or more that is not whole seconds', () => {
    const e = errorOf(() => new FelixConfiguration(newChart(), 'felix', { reportingInterval: Duration.millis(1500) }));
    expect(e.message).toMatch(/reportingInterval 1500ms would be stored by Calico as '1.5s', which the FelixConfiguration CRD rejects .* Duration.seconds\(2\)/);
  });

  test('renders sub-second durations in milliseconds', () => {
    expect(render({ bpfKubeProxyMinSyncPeriod: Duration.millis(250) }).spec.bpfKubeProxyMinSyncPeriod).toBe('250ms');
  });

  test('refuses a comma inside one interfaceExclude entry', () => {
    const e = errorOf(() => new FelixConfiguration(newChart(), 'felix', { interfaceExclude: ['a,b'] }));
    expect(e.message).toMatch(/interfaceExclude\[0\] 'a,b' contains a comma/);
  });

  test('exposes the ApiObject and a v3 manifest', () => {
    const chart = newChart();
    const f = new FelixConfiguration(chart, 'felix', { bpfEnabled: true });
    expect(f.kind).toBe('FelixConfiguration');
    expect(f.toManifest()).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { bpfEnabled: true } });
    f.apiObject.addJsonPatch();
    expect(findObject(synth(chart), 'FelixConfiguration', 'default').spec.bpfEnabled).toBe(true);
  });
});

describe('PortRange and FailsafePort', () => {
  test('print as Calico writes them', () => {
    expect(PortRange.single(8080).toString()).toBe('8080');
    expect(PortRange.between(1, 2).toString()).toBe('1:2');
    expect(FailsafePort.udp(68)).toMatchObject({ protocol: FailsafeProtocol.UDP, port: 68, net: undefined });
  });

  test.each<[string, () => unknown, RegExp]>([
    ['port 0', () => PortRange.single(0), /port 0 is out of range; use a port from 1 to 65535/],
    ['a reversed range', () => PortRange.between(9, 3), /port range 9:3 starts above its end; write PortRange.between\(3, 9\)/],
    ['a fractional port', () => PortRange.single(80.5), /port 80.5 is out of range/],
    ['a failsafe port above 65535', () => FailsafePort.tcp(65536), /failsafe port 65536 is out of range; use a port from 0 to 65535/],
    ['a failsafe net that is not a CIDR', () => FailsafePort.tcp(22, 'office'), /failsafe port tcp:22 has net 'office', which is not a CIDR or IP address/],
  ])('refuse %s', (_name, fn, message) => {
    const e = errorOf(fn);
    expect(e).toBeInstanceOf(CalicoValidationError);
    expect(e.message).toMatch(message);
  });

  test('Calico default failsafe lists match the documented defaults', () => {
    const print = (l: FailsafePort[]) => l.map(p => `${p.protocol.toLowerCase()}:${p.port}`).join(',');
    expect(print(FailsafePort.calicoDefaultInbound())).toBe('tcp:22,udp:68,tcp:179,tcp:2379,tcp:2380,tcp:5473,tcp:6443,tcp:6666,tcp:6667');
    expect(print(FailsafePort.calicoDefaultOutbound())).toBe('udp:53,udp:67,tcp:179,tcp:2379,tcp:2380,tcp:5473,tcp:6443,tcp:6666,tcp:6667');
  });
});

describe('FelixConfiguration in CRD mode', () => {
  function renderCrd(props: FelixConfigurationProps): any {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new FelixConfiguration(chart, 'felix', props);
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    return manifests[0];
  }

  test('applies Calico\'s defaults, as the Calico API server would', () => {
    const m = renderCrd({});
    expect(m.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(m.spec).toEqual({ floatingIPs: 'Disabled', bpfConnectTimeLoadBalancing: 'TCP', bpfHostNetworkedNATWithoutCTLB: 'Enabled' });
  });

  test('keeps values the user set', () => {
    const m = renderCrd({ floatingIps: true, bpfConnectTimeLoadBalancing: BpfConnectTimeLoadBalancing.DISABLED, bpfHostNetworkedNatWithoutCtlb: false });
    expect(m.spec).toMatchObject({ floatingIPs: 'Enabled', bpfConnectTimeLoadBalancing: 'Disabled', bpfHostNetworkedNATWithoutCTLB: 'Disabled' });
  });

  test('converts the deprecated bpfConnectTimeLoadBalancingEnabled the way Calico does', () => {
    const on = renderCrd({ additionalFields: { bpfConnectTimeLoadBalancingEnabled: true } }).spec;
    expect(on).toMatchObject({ bpfConnectTimeLoadBalancing: 'Enabled', bpfHostNetworkedNATWithoutCTLB: 'Disabled' });
    const off = renderCrd({ additionalFields: { bpfConnectTimeLoadBalancingEnabled: false } }).spec;
    expect(off).toMatchObject({ bpfConnectTimeLoadBalancing: 'Disabled', bpfHostNetworkedNATWithoutCTLB: 'Disabled' });
  });
});

describe('FelixConfiguration property: random props synthesize CRD-valid manifests or fail with our error', () => {
  // Mostly valid values, sometimes anything in a wider range, so both outcomes are common.
  const mostly = <T>(good: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: any, weight: 1 });
  const arbProps = fc.record({
    logSeverityScreen: fc.constantFrom(...Object.values(LogSeverity)),
    ipipMtu: mostly(fc.integer({ min: 68, max: 9000 }), fc.integer({ min: -10, max: 70000 })),
    vxlanMtuV6: mostly(fc.integer({ min: 1280, max: 9000 }), fc.integer({ min: 0, max: 2000 })),
    vxlanPort: mostly(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: -1, max: 66000 })),
    vxlanVni: mostly(fc.integer({ min: 0, max: 2 ** 24 - 1 }), fc.integer({ min: 0, max: 2 ** 25 })),
    healthPort: mostly(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: -1, max: 66000 })),
    wireguardRoutingRulePriority: mostly(fc.integer({ min: 1, max: 32765 }), fc.integer({ min: 0, max: 40000 })),
    reportingInterval: mostly(fc.integer({ min: 0, max: 100 }).map(s => Duration.seconds(s)), fc.integer({ min: 0, max: 100000 }).map(ms => Duration.millis(ms))),
    interfacePrefix: mostly(fc.constantFrom('cali', 'cali,tap'), fc.stringMatching(/^[a-z, ]{0,20}$/)),
    mtuIfacePattern: mostly(fc.constantFrom('eth.*', 'ens[0-9]+'), fc.constantFrom('*', '(', 'a{2000}')),
    natOutgoingAddress: mostly(fc.constantFrom('10.0.0.1'), fc.constantFrom('fd00::1', '300.1.1.1', '10.0.0.0/8')),
    iptablesMarkMask: mostly(fc.constantFrom(0xffff0000, 0xff000000), fc.integer({ min: 0, max: 0xffffffff })),
    routeTableRanges: mostly<Array<{ min: number; max: number }>>(fc.constant([{ min: 1, max: 250 }]),
      fc.array(fc.record({ min: fc.integer({ min: -2, max: 70000 }), max: fc.integer({ min: -2, max: 70000 }) }), { maxLength: 3 })),
  }, { requiredKeys: [] });

  test('never anything else', () => {
    let built = 0;
    let refused = 0;
    fc.assert(fc.property(arbProps, props => {
      const chart = newChart();
      try {
        new FelixConfiguration(chart, 'felix', props as FelixConfigurationProps);
      } catch (e) {
        expect(e).toBeInstanceOf(CalicoValidationError);
        refused++;
        return;
      }
      built++;
      expect(crdSchemaErrors(synth(chart))).toEqual([]);
    }), { numRuns: 300 });
    // Both outcomes occur, so the property checks something either way.
    expect(built).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('FelixConfiguration fields added since Calico v3.28', () => {
  testLineFields<FelixConfigurationProps>({
    kind: 'FelixConfiguration', make: (chart, props) => new FelixConfiguration(chart, 'felix', props), base: {},
  }, [
    { prop: 'nftablesMode', props: { nftablesMode: NftablesMode.ENABLED }, path: 'nftablesMode', value: 'Enabled' },
    { prop: 'nftablesFilterAllowAction', props: { nftablesFilterAllowAction: IptablesAllowAction.RETURN }, path: 'nftablesFilterAllowAction', value: 'Return' },
    { prop: 'nftablesMangleAllowAction', props: { nftablesMangleAllowAction: IptablesAllowAction.RETURN }, path: 'nftablesMangleAllowAction', value: 'Return' },
    { prop: 'nftablesFilterDenyAction', props: { nftablesFilterDenyAction: IptablesDenyAction.REJECT }, path: 'nftablesFilterDenyAction', value: 'Reject' },
    { prop: 'nftablesMarkMask', props: { nftablesMarkMask: 0xff000000 }, path: 'nftablesMarkMask', value: 0xff000000 },
    { prop: 'nftablesRefreshInterval', props: { nftablesRefreshInterval: Duration.minutes(2) }, path: 'nftablesRefreshInterval', value: '2m0s' },
    { prop: 'bpfAttachType', props: { bpfAttachType: BpfAttachType.TC }, path: 'bpfAttachType', value: 'TC' },
    { prop: 'bpfConntrackMode', props: { bpfConntrackMode: BpfConntrackMode.BPF_PROGRAM }, path: 'bpfConntrackMode', value: 'BPFProgram' },
    { prop: 'bpfConntrackLogLevel', props: { bpfConntrackLogLevel: BpfConntrackLogLevel.DEBUG }, path: 'bpfConntrackLogLevel', value: 'Debug' },
    { prop: 'bpfJitHardening', props: { bpfJitHardening: BpfJitHardening.STRICT }, path: 'bpfJITHardening', value: 'Strict' },
    { prop: 'bpfRedirectToPeer', props: { bpfRedirectToPeer: BpfRedirectToPeer.DISABLED }, path: 'bpfRedirectToPeer', value: 'Disabled' },
    { prop: 'bpfExportBufferSizeMb', props: { bpfExportBufferSizeMb: 4 }, path: 'bpfExportBufferSizeMB', value: 4 },
    { prop: 'bpfKubeProxyHealthzPort', props: { bpfKubeProxyHealthzPort: 10257 }, path: 'bpfKubeProxyHealthzPort', value: 10257 },
    { prop: 'bpfMapSizePerCpuConntrack', props: { bpfMapSizePerCpuConntrack: 1000 }, path: 'bpfMapSizePerCpuConntrack', value: 1000 },
    { prop: 'bpfMapSizeConntrackCleanupQueue', props: { bpfMapSizeConntrackCleanupQueue: 200000 }, path: 'bpfMapSizeConntrackCleanupQueue', value: 200000 },
    { prop: 'bpfDisableGroForIfaces', props: { bpfDisableGroForIfaces: '^eth' }, path: 'bpfDisableGROForIfaces', value: '^eth' },
    { prop: 'bpfCtlbLogFilter', props: { bpfCtlbLogFilter: 'all' }, path: 'bpfCTLBLogFilter', value: 'all' },
    { prop: 'bpfProfiling', props: { bpfProfiling: true }, path: 'bpfProfiling', value: 'Enabled' },
    { prop: 'natOutgoingExclusions', props: { natOutgoingExclusions: NatOutgoingExclusions.IP_POOLS_AND_HOST_IPS }, path: 'natOutgoingExclusions', value: 'IPPoolsAndHostIPs' },
    { prop: 'programClusterRoutes', props: { programClusterRoutes: true }, path: 'programClusterRoutes', value: 'Enabled' },
    { prop: 'bpfMaglevMaxEndpointsPerService', props: { bpfMaglevMaxEndpointsPerService: 200 }, path: 'bpfMaglevMaxEndpointsPerService', value: 200, since: 'v3.32' },
    { prop: 'bpfMaglevMaxServices', props: { bpfMaglevMaxServices: 200 }, path: 'bpfMaglevMaxServices', value: 200, since: 'v3.32' },
    { prop: 'ipv4NormalRoutePriority', props: { ipv4NormalRoutePriority: 2048 }, path: 'ipv4NormalRoutePriority', value: 2048, since: 'v3.32' },
    { prop: 'ipv6NormalRoutePriority', props: { ipv6NormalRoutePriority: 2048 }, path: 'ipv6NormalRoutePriority', value: 2048, since: 'v3.32' },
    { prop: 'ipv4ElevatedRoutePriority', props: { ipv4ElevatedRoutePriority: 256 }, path: 'ipv4ElevatedRoutePriority', value: 256, since: 'v3.32' },
    { prop: 'ipv6ElevatedRoutePriority', props: { ipv6ElevatedRoutePriority: 256 }, path: 'ipv6ElevatedRoutePriority', value: 256, since: 'v3.32' },
    { prop: 'liveMigrationRouteConvergenceTime', props: { liveMigrationRouteConvergenceTime: Duration.seconds(45) }, path: 'liveMigrationRouteConvergenceTime', value: '45s', since: 'v3.32' },
    { prop: 'istioAmbientMode', props: { istioAmbientMode: true }, path: 'istioAmbientMode', value: 'Enabled', since: 'v3.32' },
    { prop: 'istioDscpMark', props: { istioDscpMark: 40 }, path: 'istioDSCPMark', value: 40, since: 'v3.32' },
    { prop: 'prometheusMetricsCertFile', props: { prometheusMetricsCertFile: '/tls/tls.crt' }, path: 'prometheusMetricsCertFile', value: '/tls/tls.crt', since: 'v3.32' },
    { prop: 'prometheusMetricsKeyFile', props: { prometheusMetricsKeyFile: '/tls/tls.key' }, path: 'prometheusMetricsKeyFile', value: '/tls/tls.key', since: 'v3.32' },
    { prop: 'prometheusMetricsCaFile', props: { prometheusMetricsCaFile: '/tls/ca.crt' }, path: 'prometheusMetricsCAFile', value: '/tls/ca.crt', since: 'v3.32' },
    {
      prop: 'prometheusMetricsClientAuth', props: { prometheusMetricsClientAuth: PrometheusMetricsClientAuth.NO_CLIENT_CERT },
      path: 'prometheusMetricsClientAuth', value: 'NoClientCert', since: 'v3.32',
    },
    { prop: 'nodeSelector', props: { name: 'edge', nodeSelector: Selector.has('edge') }, path: 'nodeSelector', value: 'has(edge)', since: 'v3.32' },
  ]);

  test('bpfRedirectToPeer L2Only is v3.31\'s; v3.32 refuses it', () => {
    const v331 = newChart();
    CalicoVersion.use(v331, CalicoVersion.V3_31_7);
    expect(new FelixConfiguration(v331, 'felix', { bpfRedirectToPeer: BpfRedirectToPeer.L2_ONLY }).name).toBe('default');
    expect(() => new FelixConfiguration(newChart(), 'felix', { bpfRedirectToPeer: BpfRedirectToPeer.L2_ONLY })).toThrow(/spec\.bpfRedirectToPeer/);
  });

  test('the fields v3.32 removed are refused there through additionalFields, naming the line that still has them', () => {
    expect(() => new FelixConfiguration(newChart(), 'felix', { additionalFields: { iptablesLockTimeout: '10s' } }))
      .toThrow(/spec\.iptablesLockTimeout: iptablesLockTimeout was removed in Calico v3\.32 \(v3\.31 has it\)/);
    const v331 = newChart();
    CalicoVersion.use(v331, CalicoVersion.V3_31_7);
    expect(new FelixConfiguration(v331, 'felix', { additionalFields: { iptablesLockTimeout: '10s' } }).name).toBe('default');
  });
});
