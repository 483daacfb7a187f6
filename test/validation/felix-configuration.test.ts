// FelixConfiguration fields new since v3.28 and the fields v3.32 removed, per line: the validate
// tags of felixconfig.go at v3.31.7 and v3.32.1, Felix's die-on-fail parameters (mark masks, DSCP),
// the CRDs' enums, patterns and CEL rule, and validator_test.go's route-priority cases (v3.32.1).
// The v3.28 rules are tested with the construct (test/resources/felix-configuration.test.ts).
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function felix(spec: unknown, name = 'default'): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name }, spec };
}

function paths(spec: unknown, version?: CalicoVersion, name?: string): string[] {
  return validateManifest(felix(spec, name), version).map(i => i.path);
}

describe.each(EACH_LINE)('FelixConfiguration fields of both lines (%s)', (_line, version) => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['nftablesMode Enabled', { nftablesMode: 'Enabled' }, true],
    ['nftablesMode in the wrong case', { nftablesMode: 'enabled' }, false],
    ['nftablesFilterAllowAction Return', { nftablesFilterAllowAction: 'Return' }, true],
    ['nftablesFilterDenyAction Accept', { nftablesFilterDenyAction: 'Accept' }, false],
    ['nftablesMarkMask with 16 bits', { nftablesMarkMask: 0xffff0000 }, true],
    ['nftablesMarkMask with 4 bits (Felix needs 8)', { nftablesMarkMask: 0xf }, false],
    ['nftablesRefreshInterval 90s', { nftablesRefreshInterval: '90s' }, true],
    ['nftablesRefreshInterval without a unit', { nftablesRefreshInterval: '90' }, false],
    ['bpfConntrackLogLevel Debug', { bpfConntrackLogLevel: 'Debug' }, true],
    ['bpfConntrackLogLevel Info', { bpfConntrackLogLevel: 'Info' }, false],
    ['bpfConntrackMode BPFProgram', { bpfConntrackMode: 'BPFProgram' }, true],
    ['bpfAttachType TCX', { bpfAttachType: 'TCX' }, true],
    ['bpfAttachType XDP', { bpfAttachType: 'XDP' }, false],
    ['bpfJITHardening Strict', { bpfJITHardening: 'Strict' }, true],
    ['bpfConntrackTimeouts in durations and Auto', { bpfConntrackTimeouts: { tcpEstablished: '1h', udpTimeout: 'Auto', icmpTimeout: '5.5s' } }, true],
    ['a bpfConntrackTimeout that is neither', { bpfConntrackTimeouts: { tcpEstablished: 'forever' } }, false],
    ['a bpfConntrackTimeout with nanoseconds', { bpfConntrackTimeouts: { genericTimeout: '10ns' } }, false],
    ['bpfMapSizeConntrackCleanupQueue 0', { bpfMapSizeConntrackCleanupQueue: 0 }, false],
    ['goGCThreshold -1', { goGCThreshold: -1 }, true],
    ['goMaxProcs -2', { goMaxProcs: -2 }, false],
    ['goMemoryLimitMB 512', { goMemoryLimitMB: 512 }, true],
    ['ipForwarding Disabled', { ipForwarding: 'Disabled' }, true],
    ['ipForwarding Off', { ipForwarding: 'Off' }, false],
    ['programClusterRoutes Enabled', { programClusterRoutes: 'Enabled' }, true],
    ['natOutgoingExclusions IPPoolsAndHostIPs', { natOutgoingExclusions: 'IPPoolsAndHostIPs' }, true],
    ['natOutgoingExclusions in the wrong case', { natOutgoingExclusions: 'ippoolsonly' }, false],
    ['flowLogsFlushInterval 15s', { flowLogsFlushInterval: '15s' }, true],
    ['logActionRateLimit 10/second', { logActionRateLimit: '10/second' }, true],
    ['logActionRateLimit 10 per second', { logActionRateLimit: '10 per second' }, false],
    ['bpfKubeProxyHealthzPort 10256', { bpfKubeProxyHealthzPort: 10256 }, true],
    ['bpfKubeProxyHealthzPort 70000', { bpfKubeProxyHealthzPort: 70000 }, false],
  ])('%s', (_name, spec, valid) => {
    expect(paths(spec, version).length === 0).toBe(valid);
  });
});

// validator_test.go of v3.32.1: "invalid route priority 0", "valid route priority 1" ... (the
// route priorities, the Maglev limits, Istio, the metrics TLS and nodeSelector are v3.32's).
describe('FelixConfiguration fields of v3.32', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['invalid route priority 0', { ipv4ElevatedRoutePriority: 0 }, false],
    ['valid route priority 1', { ipv4ElevatedRoutePriority: 1 }, true],
    ['valid route priority 10000', { ipv4ElevatedRoutePriority: 10000 }, true],
    ['valid route priority 2147483646', { ipv4ElevatedRoutePriority: 2147483646 }, true],
    ['invalid route priority 2147483647', { ipv4ElevatedRoutePriority: 2147483647 }, false],
    ['ipv6NormalRoutePriority 1024', { ipv6NormalRoutePriority: 1024 }, true],
    ['bpfMaglevMaxServices 3000', { bpfMaglevMaxServices: 3000 }, true],
    ['bpfMaglevMaxEndpointsPerService 0', { bpfMaglevMaxEndpointsPerService: 0 }, false],
    ['istioAmbientMode Enabled', { istioAmbientMode: 'Enabled' }, true],
    ['istioDSCPMark 23', { istioDSCPMark: 23 }, true],
    ['istioDSCPMark EF', { istioDSCPMark: 'ef' }, true],
    ['istioDSCPMark 64', { istioDSCPMark: 64 }, false],
    ['istioDSCPMark XX', { istioDSCPMark: 'XX' }, false],
    ['prometheusMetricsClientAuth RequireAndVerifyClientCert', { prometheusMetricsClientAuth: 'RequireAndVerifyClientCert' }, true],
    ['prometheusMetricsClientAuth Always', { prometheusMetricsClientAuth: 'Always' }, false],
    ['liveMigrationRouteConvergenceTime 1.5s (this pattern allows fractions)', { liveMigrationRouteConvergenceTime: '1.5s' }, true],
    ['bpfKubeProxyHealthzPort 0 (gte=0 in v3.32)', { bpfKubeProxyHealthzPort: 0 }, true],
  ])('%s', (_name, spec, valid) => {
    expect(paths(spec).length === 0).toBe(valid);
  });

  test('nodeSelector is a selector, and not on the default or a per-node FelixConfiguration (CRD rule)', () => {
    expect(paths({ nodeSelector: 'has(gpu)' }, undefined, 'gpu-nodes')).toEqual([]);
    expect(paths({ nodeSelector: 'has(' }, undefined, 'gpu-nodes')).toEqual(['spec.nodeSelector']);
    expect(paths({ nodeSelector: 'has(gpu)' })).toEqual(['spec.nodeSelector']);
    expect(paths({ nodeSelector: 'has(gpu)' }, undefined, 'node.worker-1')).toEqual(['spec.nodeSelector']);
  });

  test('v3.31 names the line that added them', () => {
    expect(validateManifest(felix({ ipv4ElevatedRoutePriority: 0, nodeSelector: 'has(' }), CalicoVersion.V3_31_7).map(i => i.message)).toEqual([
      'ipv4ElevatedRoutePriority is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
      'nodeSelector is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });

  test('bpfRedirectToPeer: v3.31 also takes L2Only, v3.32 only Enabled or Disabled (the CRDs\' enums)', () => {
    expect(paths({ bpfRedirectToPeer: 'L2Only' }, CalicoVersion.V3_31_7)).toEqual([]);
    expect(paths({ bpfRedirectToPeer: 'L2Only' })).toEqual(['spec.bpfRedirectToPeer']);
  });

  test('v3.31 refuses bpfKubeProxyHealthzPort 0 (gte=1 there)', () => {
    expect(paths({ bpfKubeProxyHealthzPort: 0 }, CalicoVersion.V3_31_7)).toEqual(['spec.bpfKubeProxyHealthzPort']);
  });
});

describe('FelixConfiguration fields v3.32 removed', () => {
  test.each(['iptablesLockFilePath', 'iptablesLockTimeout', 'bpfKubeProxyEndpointSlicesEnabled'])('%s: checked on v3.31, reported as removed on v3.32', field => {
    const value = field === 'bpfKubeProxyEndpointSlicesEnabled' ? true : field === 'iptablesLockTimeout' ? '10s' : '/run/xtables.lock';
    expect(paths({ [field]: value }, CalicoVersion.V3_31_7)).toEqual([]);
    expect(validateManifest(felix({ [field]: value })).map(i => i.message)).toEqual([
      `${field} was removed in Calico v3.32 (v3.31 has it); remove it or use CalicoVersion.V3_31_7`,
    ]);
  });

  test('a removed field is reported once, whatever its value', () => {
    expect(paths({ iptablesLockTimeout: 'soon' })).toEqual(['spec.iptablesLockTimeout']);
    expect(paths({ iptablesLockTimeout: 'soon' }, CalicoVersion.V3_31_7)).toEqual(['spec.iptablesLockTimeout']);
  });
});
