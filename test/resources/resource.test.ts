import { Duration, Testing } from 'cdk8s';
import {
  AsNumber, BgpConfiguration, BgpPeer, CalicoCluster, CalicoErrors, CalicoVersion, GlobalNetworkSet, IpPool, IpReservation,
} from '../../src';
import { ChartCheck } from '../../src/resources/chart-check';
import * as validate from '../../src/validation/validate';
import { errorOf, newChart, synth } from '../support/util';

// Resources are checked where their values arrive; synthesis re-checks only what was not.
describe('CalicoResource validation at synthesis', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a resource fully checked at construction is not validated again at synthesis', () => {
    const chart = newChart();
    new GlobalNetworkSet(chart, 'set', { nets: ['10.0.0.0/8'] });
    const spy = jest.spyOn(validate, 'validateRenderedManifest');
    Testing.synth(chart);
    expect(spy).not.toHaveBeenCalled();
  });

  test('a resource changed through a full check (addNets) is not validated again either', () => {
    const chart = newChart();
    const set = new GlobalNetworkSet(chart, 'set', { nets: ['10.0.0.0/8'] });
    set.addNets('192.168.0.0/16');
    const spy = jest.spyOn(validate, 'validateRenderedManifest');
    Testing.synth(chart);
    expect(spy).not.toHaveBeenCalled();
  });

  test('an element checked on its own (addReservedCidr) makes synthesis check the whole resource', () => {
    const chart = newChart();
    const reservation = new IpReservation(chart, 'r', { reservedCidrs: ['10.0.0.0/24'] });
    reservation.addReservedCidr('10.0.1.0/24');
    const spy = jest.spyOn(validate, 'validateRenderedManifest');
    Testing.synth(chart);
    expect(spy.mock.calls.some(([m]) => m.kind === 'IPReservation')).toBe(true);
  });

  test('the rendered-manifest check gives validateManifest\'s verdicts on what the constructs render', () => {
    const chart = newChart();
    const resources = [
      new GlobalNetworkSet(chart, 'set', { nets: ['10.0.0.0/8'] }),
      new IpReservation(chart, 'r', { reservedCidrs: ['10.0.0.0/24'] }),
      new BgpConfiguration(chart, 'bgp', {}),
    ];
    for (const r of resources) {
      const good = r.toManifest();
      const bad = { ...good, spec: { ...good.spec, bogusField: 1 } };
      expect(validate.validateRenderedManifest(good, CalicoVersion.DEFAULT)).toEqual(validate.validateManifest(good));
      expect(validate.validateRenderedManifest(bad, CalicoVersion.DEFAULT)).toEqual(validate.validateManifest(bad));
      expect(validate.validateRenderedManifest(bad, CalicoVersion.DEFAULT)).not.toEqual([]);
    }
  });

  test('a sound chart is checked as a whole once per state, not at each of cdk8s\'s validation passes', () => {
    const chart = newChart();
    new GlobalNetworkSet(chart, 'set', { nets: ['10.0.0.0/8'] });
    const spy = jest.spyOn(ChartCheck.prototype, 'problems');
    Testing.synth(chart);
    Testing.synth(chart);
    expect(spy).toHaveBeenCalledTimes(1);
    new GlobalNetworkSet(chart, 'other', { nets: ['10.1.0.0/16'] });
    Testing.synth(chart);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  test('a change after a sound synthesis is checked again (a duplicate name added later fails)', () => {
    const chart = newChart();
    new GlobalNetworkSet(chart, 'a', { name: 'same', nets: ['10.0.0.0/8'] });
    Testing.synth(chart);
    new GlobalNetworkSet(chart, 'b', { name: 'same', nets: ['10.0.0.0/8'] });
    expect(() => Testing.synth(chart)).toThrow(/GlobalNetworkSet name 'same' is already used by test\/a/);
  });

  test('a cross-field rule left open by an add method is still reported at synthesis', () => {
    const chart = newChart();
    const bgp = new BgpConfiguration(chart, 'bgp', {});
    bgp.addCommunity({ name: 'unused', value: '64512:100' });
    expect(() => Testing.synth(chart)).toThrow(/communities/);
  });
});

describe('CalicoResource namespaces', () => {
  test('a cluster-scoped kind never takes the chart\'s namespace', () => {
    const { Chart } = require('cdk8s');
    const { GlobalNetworkPolicy, NetworkPolicy } = require('../../src');
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'team-a' });
    new GlobalNetworkPolicy(chart, 'global', {});
    new NetworkPolicy(chart, 'local', { namespaceName: 'team-b' });
    const manifests = Testing.synth(chart);
    expect(manifests.find((m: any) => m.kind === 'GlobalNetworkPolicy').metadata).toEqual({ name: 'global' });
    expect(manifests.find((m: any) => m.kind === 'NetworkPolicy').metadata.namespace).toBe('team-b');
  });
});

describe('CalicoResource rendering', () => {
  test('synthesizing (with a JSON patch) never changes the resource or later syntheses', () => {
    const { JsonPatch } = require('cdk8s');
    const { IpPool } = require('../../src');
    const chart = newChart();
    const pool = new IpPool(chart, 'pool', { cidr: '10.0.0.0/16' });
    pool.apiObject.addJsonPatch(JsonPatch.add('/spec/disabled', true));
    const first = Testing.synth(chart);
    const second = Testing.synth(chart);
    expect(first).toEqual(second);
    expect(first[0].spec).toEqual({ cidr: '10.0.0.0/16', disabled: true });
    expect(pool.toManifest().spec).toEqual({ cidr: '10.0.0.0/16' });
  });
});

describe('namespaced Calico resources', () => {
  test('default to the chart\'s namespace when it has one, else to default', () => {
    const { Chart } = require('cdk8s');
    const { NetworkPolicy, NetworkSet } = require('../../src');
    const app = Testing.app();
    const scoped = new Chart(app, 'scoped', { namespace: 'team-a' });
    const plain = new Chart(app, 'plain');
    expect(new NetworkPolicy(scoped, 'p', {}).namespaceName).toBe('team-a');
    expect(new NetworkSet(scoped, 's', { nets: ['10.0.0.0/8'] }).namespaceName).toBe('team-a');
    expect(new NetworkPolicy(plain, 'p', {}).namespaceName).toBe('default');
    expect(new NetworkPolicy(scoped, 'q', { namespaceName: 'team-b' }).namespaceName).toBe('team-b');
  });
});

// The acceptance: a cluster of the older line renders its own install, and a field only
// the newer line has fails at synthesis, naming that line.
describe('resources under a CalicoCluster of Calico v3.31.7', () => {
  function v331Chart() {
    const chart = newChart();
    const cluster = new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, calicoVersion: CalicoVersion.V3_31_7 });
    return { chart, cluster };
  }

  test('the install is v3.31.7\'s and every resource is checked for v3.31', () => {
    const { chart } = v331Chart();
    const pool = new IpPool(chart, 'extra', { cidr: '10.250.0.0/16' });
    expect(pool.calicoVersion).toBe(CalicoVersion.V3_31_7);
    const images = synth(chart).filter(m => m.kind === 'DaemonSet')
      .flatMap(m => m.spec.template.spec.containers.map((c: any) => c.image));
    expect(images).toContain('quay.io/calico/node:v3.31.7');
  });

  test('a v3.32-only field fails at synthesis, naming v3.32, even when the resource came first', () => {
    const chart = newChart();
    new BgpPeer(chart, 'tor', { peerIp: '10.0.0.1', asNumber: AsNumber.of(64513), keepaliveTime: Duration.seconds(20) });
    new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, calicoVersion: CalicoVersion.V3_31_7 });
    const e = errorOf(() => Testing.synth(chart));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toContain("BGPPeer 'tor': spec.keepaliveTime: keepaliveTime is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1");
  });

  test('a v3.32-only field fails where it arrives once the cluster is there', () => {
    const { chart } = v331Chart();
    expect(() => new BgpConfiguration(chart, 'bgp', { programClusterRoutes: false }))
      .toThrow(/spec\.programClusterRoutes: programClusterRoutes is not in Calico v3\.31 \(added in v3\.32\)/);
  });
});
