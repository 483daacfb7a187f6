import { Testing } from 'cdk8s';
import { BgpConfiguration, GlobalNetworkSet, IpReservation } from '../../src';
import * as validate from '../../src/validation/validate';
import { newChart } from '../support/util';

// Resources are checked where their values arrive; synthesis re-checks only what was not.
describe('CalicoResource validation at synthesis', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a resource fully checked at construction is not validated again at synthesis', () => {
    const chart = newChart();
    new GlobalNetworkSet(chart, 'set', { nets: ['10.0.0.0/8'] });
    const spy = jest.spyOn(validate, 'validateManifest');
    Testing.synth(chart);
    expect(spy).not.toHaveBeenCalled();
  });

  test('a resource changed through a full check (addNets) is not validated again either', () => {
    const chart = newChart();
    const set = new GlobalNetworkSet(chart, 'set', { nets: ['10.0.0.0/8'] });
    set.addNets('192.168.0.0/16');
    const spy = jest.spyOn(validate, 'validateManifest');
    Testing.synth(chart);
    expect(spy).not.toHaveBeenCalled();
  });

  test('an element checked on its own (addReservedCidr) makes synthesis check the whole resource', () => {
    const chart = newChart();
    const reservation = new IpReservation(chart, 'r', { reservedCidrs: ['10.0.0.0/24'] });
    reservation.addReservedCidr('10.0.1.0/24');
    const spy = jest.spyOn(validate, 'validateManifest');
    Testing.synth(chart);
    expect(spy.mock.calls.some(([m]) => m.kind === 'IPReservation')).toBe(true);
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
