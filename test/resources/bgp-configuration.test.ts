import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import {
  AsNumber, BgpBindMode, BgpConfiguration, BgpConfigurationProps, BgpLogSeverity,
} from '../../src/resources/bgp-configuration';
import { CalicoErrors } from '../../src/core/errors';
import { testLineFields } from '../support/line-fields';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

function specOf(props: BgpConfigurationProps): any {
  const chart = newChart();
  const c = new BgpConfiguration(chart, 'bgp', props);
  return findObject(synth(chart), 'BGPConfiguration', c.name).spec;
}

describe('AsNumber', () => {
  test('of() keeps a plain value', () => {
    expect(AsNumber.of(64512).value).toBe(64512);
    expect(AsNumber.of(4294967295).toString()).toBe('4294967295');
  });

  test('dotted() combines the high and low 16 bits', () => {
    expect(AsNumber.dotted(1, 10).value).toBe(65546);
    expect(AsNumber.dotted(65535, 65535).value).toBe(4294967295);
  });

  test('parse() reads plain and dotted text', () => {
    expect(AsNumber.parse('64512').value).toBe(64512);
    expect(AsNumber.parse('1.10').value).toBe(65546);
  });

  test('toDotted() prints the asdot form', () => {
    expect(AsNumber.of(65546).toDotted()).toBe('1.10');
    expect(AsNumber.of(64512).toDotted()).toBe('0.64512');
  });

  test.each([
    ['0', () => AsNumber.of(0), /AS number 0/],
    ['too large', () => AsNumber.of(4294967296), /4294967296/],
    ['fractional', () => AsNumber.of(1.5), /1\.5/],
    ['negative', () => AsNumber.of(-1), /-1/],
    ['dotted part too large', () => AsNumber.dotted(65536, 1), /65536/],
    ['text that is no number', () => AsNumber.parse('AS64512'), /'AS64512'/],
    ['dotted text with three parts', () => AsNumber.parse('1.2.3'), /'1\.2\.3'/],
  ])('rejects %s with a validation error', (_name, make, message) => {
    const e = errorOf(make);
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(message);
  });

  test('plain and dotted forms round-trip for every 4-byte AS number', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4294967295 }), n => {
      const as = AsNumber.of(n);
      expect(AsNumber.parse(as.toString()).value).toBe(n);
      expect(AsNumber.parse(as.toDotted()).value).toBe(n);
    }));
  });
});

describe('BgpConfiguration', () => {
  test('renders the given fields under Calico keys', () => {
    const spec = specOf({
      asNumber: AsNumber.of(64513),
      nodeToNodeMeshEnabled: false,
      logSeverityScreen: BgpLogSeverity.WARNING,
      serviceClusterIps: ['10.96.0.0/12'],
      serviceExternalIps: ['192.0.2.0/24'],
      serviceLoadBalancerIps: ['198.51.100.0/24'],
      listenPort: 1179,
      bindMode: BgpBindMode.NODE_IP,
      ignoredInterfaces: ['kube-ipvs*'],
    });
    expect(spec).toEqual({
      asNumber: 64513,
      nodeToNodeMeshEnabled: false,
      logSeverityScreen: 'Warning',
      serviceClusterIPs: [{ cidr: '10.96.0.0/12' }],
      serviceExternalIPs: [{ cidr: '192.0.2.0/24' }],
      serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/24' }],
      listenPort: 1179,
      bindMode: 'NodeIP',
      ignoredInterfaces: ['kube-ipvs*'],
    });
  });

  test('is named default unless a name is given', () => {
    const chart = newChart();
    const cluster = new BgpConfiguration(chart, 'cluster');
    const node = new BgpConfiguration(chart, 'node', { name: 'node.worker-1', logSeverityScreen: BgpLogSeverity.DEBUG });
    expect(cluster.name).toBe('default');
    expect(node.name).toBe('node.worker-1');
    const manifests = synth(chart);
    expect(findObject(manifests, 'BGPConfiguration', 'default').spec).toEqual({});
    expect(findObject(manifests, 'BGPConfiguration', 'node.worker-1').spec).toEqual({ logSeverityScreen: 'Debug' });
  });

  describe('defaults', () => {
    test('asNumber resolves to 64512 and is not written', () => {
      const c = new BgpConfiguration(newChart(), 'bgp');
      expect(c.asNumber.value).toBe(64512);
      expect(specOf({})).not.toHaveProperty('asNumber');
    });

    test('the node-to-node mesh is enabled', () => {
      expect(new BgpConfiguration(newChart(), 'bgp').nodeToNodeMeshEnabled).toBe(true);
      expect(specOf({})).not.toHaveProperty('nodeToNodeMeshEnabled');
    });

    test('listenPort resolves to 179', () => {
      expect(new BgpConfiguration(newChart(), 'bgp').listenPort).toBe(179);
      expect(specOf({})).not.toHaveProperty('listenPort');
    });

    test('logSeverityScreen resolves to Info and bindMode to None', () => {
      const c = new BgpConfiguration(newChart(), 'bgp');
      expect(c.logSeverityScreen).toBe(BgpLogSeverity.INFO);
      expect(c.bindMode).toBe(BgpBindMode.NONE);
    });

    test('no service IPs, communities, password, restart time or ignored interfaces are written', () => {
      const c = new BgpConfiguration(newChart(), 'bgp');
      expect([c.serviceClusterIps, c.serviceExternalIps, c.serviceLoadBalancerIps]).toEqual([[], [], []]);
      expect(specOf({})).toEqual({});
    });
  });

  describe('overrides', () => {
    test('asNumber accepts the dotted form and writes the plain number', () => {
      expect(specOf({ asNumber: AsNumber.parse('1.10') }).asNumber).toBe(65546);
    });

    test('nodeToNodeMeshEnabled is written and resolved as given', () => {
      const c = new BgpConfiguration(newChart(), 'bgp', { nodeToNodeMeshEnabled: false });
      expect(c.nodeToNodeMeshEnabled).toBe(false);
      expect(specOf({ nodeToNodeMeshEnabled: false }).nodeToNodeMeshEnabled).toBe(false);
    });

    test('communities and prefix advertisements are written together', () => {
      const spec = specOf({
        communities: [{ name: 'no-export-peer', value: '65000:100' }],
        prefixAdvertisements: [{ cidr: '10.244.0.0/16', communities: ['no-export-peer', '65000:200:300'] }],
      });
      expect(spec.communities).toEqual([{ name: 'no-export-peer', value: '65000:100' }]);
      expect(spec.prefixAdvertisements).toEqual([{ cidr: '10.244.0.0/16', communities: ['no-export-peer', '65000:200:300'] }]);
    });

    test('nodeMeshPassword is written as a secretKeyRef', () => {
      expect(specOf({ nodeMeshPassword: { name: 'bgp-secrets', key: 'mesh' } }).nodeMeshPassword)
        .toEqual({ secretKeyRef: { name: 'bgp-secrets', key: 'mesh' } });
    });

    test.each([
      [Duration.seconds(90), '1m30s'],
      [Duration.minutes(2), '2m0s'],
      [Duration.hours(1), '1h0m0s'],
      [Duration.millis(1500), '1.5s'],
      [Duration.millis(250), '250ms'],
      [Duration.seconds(0), '0s'],
    ])('nodeMeshMaxRestartTime %p is written as Go duration %p', (duration, text) => {
      expect(specOf({ nodeMeshMaxRestartTime: duration }).nodeMeshMaxRestartTime).toBe(text);
    });
  });

  describe('collections', () => {
    test('addServiceClusterIp, addServiceExternalIp and addServiceLoadBalancerIp append CIDRs', () => {
      const chart = newChart();
      const c = new BgpConfiguration(chart, 'bgp', { serviceClusterIps: ['10.96.0.0/16'] });
      c.addServiceClusterIp('10.97.0.0/16');
      c.addServiceExternalIp('192.0.2.0/24');
      c.addServiceLoadBalancerIp('198.51.100.0/24');
      const spec = findObject(synth(chart), 'BGPConfiguration', 'default').spec;
      expect(spec.serviceClusterIPs).toEqual([{ cidr: '10.96.0.0/16' }, { cidr: '10.97.0.0/16' }]);
      expect(spec.serviceExternalIPs).toEqual([{ cidr: '192.0.2.0/24' }]);
      expect(spec.serviceLoadBalancerIPs).toEqual([{ cidr: '198.51.100.0/24' }]);
      expect(c.serviceClusterIps).toEqual(['10.96.0.0/16', '10.97.0.0/16']);
    });

    test('a community may be added before the advertisement that uses it', () => {
      const chart = newChart();
      const c = new BgpConfiguration(chart, 'bgp');
      c.addCommunity({ name: 'tag', value: '65000:1' });
      c.addPrefixAdvertisement({ cidr: '10.244.0.0/16', communities: ['tag'] });
      c.addIgnoredInterface('vxlan*');
      const spec = findObject(synth(chart), 'BGPConfiguration', 'default').spec;
      expect(spec.communities).toEqual([{ name: 'tag', value: '65000:1' }]);
      expect(spec.prefixAdvertisements).toEqual([{ cidr: '10.244.0.0/16', communities: ['tag'] }]);
      expect(spec.ignoredInterfaces).toEqual(['vxlan*']);
    });

    test('addServiceClusterIp throws for a bad CIDR and keeps the list unchanged', () => {
      const c = new BgpConfiguration(newChart(), 'bgp');
      expect(() => c.addServiceClusterIp('10.96.0.0/40')).toThrow(/spec\.serviceClusterIPs\[0\]/);
      expect(c.serviceClusterIps).toEqual([]);
    });
  });

  describe('errors', () => {
    test('fails when a service CIDR is not a CIDR', () => {
      const e = errorOf(() => new BgpConfiguration(newChart(), 'bgp', { serviceClusterIps: ['10.96.0.0/33'] }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.serviceClusterIPs\[0\]/);
      expect(e.message).toMatch(/10\.96\.0\.0\/33/);
    });

    test('fails when a community value is malformed', () => {
      expect(() => new BgpConfiguration(newChart(), 'bgp', {
        communities: [{ name: 'bad', value: '65000' }],
        prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['bad'] }],
      })).toThrow(/spec\.communities\[0\]/);
    });

    test('fails when a defined community is never used', () => {
      expect(() => new BgpConfiguration(newChart(), 'bgp', {
        communities: [{ name: 'unused', value: '65000:1' }],
      })).toThrow(/spec\.communities/);
    });

    test('fails at synthesis when a community added later stays unused', () => {
      const chart = newChart();
      const c = new BgpConfiguration(chart, 'bgp');
      c.addCommunity({ name: 'unused', value: '65000:1' });
      expect(() => synth(chart)).toThrow(/spec\.communities/);
    });

    test('fails when the mesh password is set with the mesh disabled', () => {
      expect(() => new BgpConfiguration(newChart(), 'bgp', {
        nodeToNodeMeshEnabled: false, nodeMeshPassword: { name: 's', key: 'k' },
      })).toThrow(/nodeMeshPassword/);
    });

    test('fails when nodeMeshMaxRestartTime is not whole milliseconds', () => {
      const e = errorOf(() => new BgpConfiguration(newChart(), 'bgp', { nodeMeshMaxRestartTime: Duration.millis(0.5) }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/nodeMeshMaxRestartTime/);
    });
  });

  test('synthesizes output that passes the CRD schema, in both API groups', () => {
    const props: BgpConfigurationProps = {
      asNumber: AsNumber.of(4200000000), nodeToNodeMeshEnabled: true, logSeverityScreen: BgpLogSeverity.ERROR,
      serviceClusterIps: ['10.96.0.0/12', 'fd00:96::/108'], serviceExternalIps: ['192.0.2.0/24'],
      serviceLoadBalancerIps: ['198.51.100.0/24'], listenPort: 179,
      communities: [{ name: 'a', value: '65000:1' }, { name: 'b', value: '4200000000:1:2' }],
      prefixAdvertisements: [{ cidr: '10.244.0.0/16', communities: ['a', 'b'] }],
      nodeMeshPassword: { name: 'bgp', key: 'mesh' }, nodeMeshMaxRestartTime: Duration.seconds(300),
      bindMode: BgpBindMode.NONE, ignoredInterfaces: ['cali*'],
    };
    const chart = newChart();
    new BgpConfiguration(chart, 'bgp', props);
    expectCrdSchemaValid(synth(chart));
    const crdChart = newChart();
    CalicoApi.use(crdChart, CalicoApiVersion.CRD_V1);
    new BgpConfiguration(crdChart, 'bgp', props);
    const crd = findObject(synth(crdChart), 'BGPConfiguration', 'default');
    expect(crd.apiVersion).toBe('crd.projectcalico.org/v1');
    // Calico applies no create-time defaults to BGPConfiguration on either line: the CRD spec equals the v3 one.
    expect(crd.spec).toEqual(findObject(synth(chart), 'BGPConfiguration', 'default').spec);
    expectCrdSchemaValid([crd]);
  });
});

describe('BgpConfiguration fields added since Calico v3.28', () => {
  testLineFields<BgpConfigurationProps>({ kind: 'BGPConfiguration', make: (chart, props) => new BgpConfiguration(chart, 'bgp', props), base: {} }, [
    { prop: 'localWorkloadPeeringIpv4', props: { localWorkloadPeeringIpv4: '169.254.0.179' }, path: 'localWorkloadPeeringIPV4', value: '169.254.0.179' },
    { prop: 'localWorkloadPeeringIpv6', props: { localWorkloadPeeringIpv6: 'fe80::179' }, path: 'localWorkloadPeeringIPV6', value: 'fe80::179' },
    { prop: 'serviceLoadBalancerAggregation', props: { serviceLoadBalancerAggregation: false }, path: 'serviceLoadBalancerAggregation', value: 'Disabled' },
    { prop: 'programClusterRoutes', props: { programClusterRoutes: false }, path: 'programClusterRoutes', value: 'Disabled', since: 'v3.32' },
    { prop: 'ipv4NormalRoutePriority', props: { ipv4NormalRoutePriority: 2048 }, path: 'ipv4NormalRoutePriority', value: 2048, since: 'v3.32' },
    { prop: 'ipv6NormalRoutePriority', props: { ipv6NormalRoutePriority: 2048 }, path: 'ipv6NormalRoutePriority', value: 2048, since: 'v3.32' },
  ]);

  test('true is written as Enabled', () => {
    expect(specOf({ serviceLoadBalancerAggregation: true, programClusterRoutes: true })).toMatchObject({ serviceLoadBalancerAggregation: 'Enabled', programClusterRoutes: 'Enabled' });
  });

  test('fails when the IPv4 workload peering address is an IPv6 one', () => {
    expect(() => new BgpConfiguration(newChart(), 'bgp', { localWorkloadPeeringIpv4: 'fe80::1' }))
      .toThrow(/spec\.localWorkloadPeeringIPV4: localWorkloadPeeringIPV4 'fe80::1' is not an IPv4 address/);
  });
});
