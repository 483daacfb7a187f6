import { Duration } from 'cdk8s';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { AsNumber } from '../../src/resources/bgp-configuration';
import { BgpFilter, BgpFilterAction } from '../../src/resources/bgp-filter';
import { BgpNextHopMode, BgpPeer, BgpPeerProps, BgpReversePeering, BgpSourceAddress } from '../../src/resources/bgp-peer';
import { CalicoErrors } from '../../src/core/errors';
import { Selector } from '../../src/language/selector';
import { testLineFields } from '../support/line-fields';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

function specOf(props: BgpPeerProps): any {
  const chart = newChart();
  new BgpPeer(chart, 'peer', props);
  return findObject(synth(chart), 'BGPPeer', 'peer').spec;
}

describe('BgpPeer', () => {
  test('renders a peering with an external router', () => {
    const rack = Selector.parse("rack == 'a'");
    expect(specOf({ nodeSelector: rack, peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) })).toEqual({
      nodeSelector: rack.toString(),
      peerIP: '10.0.0.1',
      asNumber: 64513,
    });
  });

  test('renders route reflector client peerings by selector', () => {
    const clients = Selector.parse('!has(route-reflector)');
    const reflectors = Selector.parse('has(route-reflector)');
    const chart = newChart();
    const peer = new BgpPeer(chart, 'to-reflectors', { nodeSelector: clients, peerSelector: reflectors });
    expect(peer.nodeSelector?.toString()).toBe(clients.toString());
    expect(peer.peerSelector?.toString()).toBe(reflectors.toString());
    expect(findObject(synth(chart), 'BGPPeer', 'to-reflectors').spec).toEqual({
      nodeSelector: clients.toString(),
      peerSelector: reflectors.toString(),
    });
  });

  test('renders a single-node peering under node', () => {
    const chart = newChart();
    const peer = new BgpPeer(chart, 'peer', { node: 'worker-1', peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) });
    expect(peer.nodeName).toBe('worker-1');
    expect(findObject(synth(chart), 'BGPPeer', 'peer').spec.node).toBe('worker-1');
  });

  describe('peer port', () => {
    test('is appended to an IPv4 address', () => {
      expect(specOf({ peerIp: '10.0.0.1', peerPort: 1790, asNumber: AsNumber.of(64513) }).peerIP).toBe('10.0.0.1:1790');
    });

    test('is appended to a bracketed IPv6 address', () => {
      expect(specOf({ peerIp: 'fd00::1', peerPort: 1790, asNumber: AsNumber.of(64513) }).peerIP).toBe('[fd00::1]:1790');
    });

    test.each([
      ['0', { peerIp: '10.0.0.1', peerPort: 0 }, /peerPort 0/],
      ['65536', { peerIp: '10.0.0.1', peerPort: 65536 }, /peerPort 65536/],
      ['without an address', { peerSelector: Selector.all(), peerPort: 179 }, /needs a peer address/],
      ['with a port already in peerIp', { peerIp: '10.0.0.1:179', peerPort: 1790 }, /already carries a port/],
    ])('fails when peerPort is %s', (_name, props, message) => {
      const e = errorOf(() => new BgpPeer(newChart(), 'peer', props as BgpPeerProps));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.peerIP/);
      expect(e.message).toMatch(message);
    });
  });

  describe('defaults', () => {
    test('an empty peering selects every node and writes no fields', () => {
      const chart = newChart();
      const peer = new BgpPeer(chart, 'peer');
      expect([peer.peerIp, peer.peerPort, peer.asNumber, peer.nodeName, peer.nodeSelector, peer.peerSelector])
        .toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
      expect(peer.filters).toEqual([]);
      expect(findObject(synth(chart), 'BGPPeer', 'peer').spec).toEqual({});
    });

    test('optional session settings are not written unless given', () => {
      const spec = specOf({ peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) });
      for (const key of ['keepOriginalNextHop', 'password', 'sourceAddress', 'maxRestartTime', 'ttlSecurity',
        'filters', 'reachableBy', 'numAllowedLocalASNumbers']) {
        expect(spec).not.toHaveProperty(key);
      }
    });
  });

  describe('overrides', () => {
    const base: BgpPeerProps = { peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) };

    test('keepOriginalNextHop', () => {
      expect(specOf({ ...base, keepOriginalNextHop: true }).keepOriginalNextHop).toBe(true);
    });

    test('password is written as a secretKeyRef', () => {
      expect(specOf({ ...base, password: { name: 'bgp-secrets', key: 'tor' } }).password)
        .toEqual({ secretKeyRef: { name: 'bgp-secrets', key: 'tor' } });
    });

    test('sourceAddress', () => {
      expect(specOf({ ...base, sourceAddress: BgpSourceAddress.NONE }).sourceAddress).toBe('None');
    });

    test('maxRestartTime is written as a Go duration', () => {
      expect(specOf({ ...base, maxRestartTime: Duration.minutes(5) }).maxRestartTime).toBe('5m0s');
    });

    test('ttlSecurity', () => {
      expect(specOf({ ...base, ttlSecurity: 1 }).ttlSecurity).toBe(1);
    });

    test('reachableBy', () => {
      expect(specOf({ ...base, reachableBy: '10.0.0.254' }).reachableBy).toBe('10.0.0.254');
    });

    test('numAllowedLocalAsNumbers is written under numAllowedLocalASNumbers', () => {
      expect(specOf({ ...base, numAllowedLocalAsNumbers: 2 }).numAllowedLocalASNumbers).toBe(2);
    });

    test('filters are written by name, in order, and addFilter appends', () => {
      const chart = newChart();
      const own = new BgpFilter(chart, 'no-default', { importV4: [{ action: BgpFilterAction.REJECT }] });
      const peer = new BgpPeer(chart, 'peer', { ...base, filters: [own] });
      peer.addFilter(BgpFilter.fromFilterName('shared-filter'));
      expect(peer.filters).toEqual(['no-default', 'shared-filter']);
      expect(findObject(synth(chart), 'BGPPeer', 'peer').spec.filters).toEqual(['no-default', 'shared-filter']);
    });
  });

  describe('errors', () => {
    test('fails when peerSelector is combined with peerIp', () => {
      const e = errorOf(() => new BgpPeer(newChart(), 'peer', { peerSelector: Selector.all(), peerIp: '10.0.0.1' }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/peerIP/);
    });

    test('fails when peerSelector is combined with asNumber', () => {
      expect(() => new BgpPeer(newChart(), 'peer', { peerSelector: Selector.all(), asNumber: AsNumber.of(64513) }))
        .toThrow(/asNumber/);
    });

    test('fails when node and nodeSelector are both set', () => {
      expect(() => new BgpPeer(newChart(), 'peer', { node: 'a', nodeSelector: Selector.all() })).toThrow(/spec\.node/);
    });

    test('fails when peerIp is not an address', () => {
      expect(() => new BgpPeer(newChart(), 'peer', { peerIp: '10.0.0.300' })).toThrow(/10\.0\.0\.300/);
    });

    test('fails when reachableBy is set without peerIp', () => {
      expect(() => new BgpPeer(newChart(), 'peer', { reachableBy: '10.0.0.254' })).toThrow(/spec\.reachableBy/);
    });

    test('fails when sourceAddress is not one Calico knows', () => {
      expect(() => new BgpPeer(newChart(), 'peer', { sourceAddress: 'Auto' as BgpSourceAddress })).toThrow(/spec\.sourceAddress/);
    });

    test('addFilter throws for a filter name Calico would reject and keeps the list unchanged', () => {
      const peer = new BgpPeer(newChart(), 'peer');
      expect(() => peer.addFilter(BgpFilter.fromFilterName('Not_A_Name'))).toThrow(/spec\.filters\[0\]/);
      expect(peer.filters).toEqual([]);
    });
  });

  test('synthesizes output that passes the CRD schema, in both API groups', () => {
    const props: BgpPeerProps = {
      nodeSelector: Selector.parse("rack == 'a'"), peerIp: 'fd00::1', peerPort: 179, asNumber: AsNumber.dotted(1, 1),
      keepOriginalNextHop: true, password: { name: 'bgp', key: 'tor' }, sourceAddress: BgpSourceAddress.USE_NODE_IP,
      maxRestartTime: Duration.seconds(90), ttlSecurity: 2, filters: [BgpFilter.fromFilterName('f')],
      reachableBy: 'fd00::fe', numAllowedLocalAsNumbers: 1,
    };
    const chart = newChart();
    new BgpPeer(chart, 'peer', props);
    const v3 = synth(chart);
    expectCrdSchemaValid(v3);
    const crdChart = newChart();
    CalicoApi.use(crdChart, CalicoApiVersion.CRD_V1);
    new BgpPeer(crdChart, 'peer', props);
    const crd = findObject(synth(crdChart), 'BGPPeer', 'peer');
    expect(crd.apiVersion).toBe('crd.projectcalico.org/v1');
    // Calico applies no create-time defaults to BGPPeer on either line: the CRD spec equals the v3 one.
    expect(crd.spec).toEqual(findObject(v3, 'BGPPeer', 'peer').spec);
    expectCrdSchemaValid([crd]);
  });
});

describe('BgpPeer fields added since Calico v3.28', () => {
  const router = { peerIp: '10.0.0.1', asNumber: AsNumber.of(64513) };
  testLineFields<BgpPeerProps>({ kind: 'BGPPeer', make: (chart, props) => new BgpPeer(chart, 'peer', props), base: router }, [
    { prop: 'localAsNumber', props: { ...router, localAsNumber: AsNumber.of(65001) }, path: 'localASNumber', value: 65001 },
    { prop: 'nextHopMode', props: { ...router, nextHopMode: BgpNextHopMode.SELF }, path: 'nextHopMode', value: 'Self' },
    { prop: 'reversePeering', props: { peerSelector: Selector.has('route-reflector'), reversePeering: BgpReversePeering.MANUAL }, path: 'reversePeering', value: 'Manual' },
    { prop: 'localWorkloadSelector', props: { asNumber: AsNumber.of(64513), localWorkloadSelector: Selector.eq('app', 'vrouter') }, path: 'localWorkloadSelector', value: 'app == "vrouter"' },
    { prop: 'keepaliveTime', props: { ...router, keepaliveTime: Duration.seconds(20) }, path: 'keepaliveTime', value: '20s', since: 'v3.32' },
  ]);

  test('the next hop mode and the deprecated keepOriginalNextHop exclude each other', () => {
    expect(() => new BgpPeer(newChart(), 'peer', { peerIp: '10.0.0.1', asNumber: AsNumber.of(64513), keepOriginalNextHop: true, nextHopMode: BgpNextHopMode.KEEP }))
      .toThrow(/spec\.keepOriginalNextHop: keepOriginalNextHop is deprecated and cannot be true while nextHopMode 'Keep' is set/);
  });

  test('a workload peering needs an AS number', () => {
    expect(() => new BgpPeer(newChart(), 'peer', { localWorkloadSelector: Selector.eq('app', 'vrouter') })).toThrow(/spec\.asNumber/);
  });
});
