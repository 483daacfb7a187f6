import { App, Chart, Testing } from 'cdk8s';
import {
  BgpFilter, BgpPeer, CalicoCluster, CalicoErrors, GlobalNetworkPolicy, IpPool, NetworkPolicy, Selector,
} from '../../src';
import { errorOf, newChart, synth } from '../support/util';

const QUIET = { network: { nodeSubnets: ['10.0.0.0/16'] }, podCidr: '10.244.0.0/16' };

/** Synthesizes and returns the library's error, failing when anything else (or nothing) is thrown. */
function synthError(chart: Chart): Error {
  const err = errorOf(() => synth(chart));
  expect(CalicoErrors.isValidationError(err)).toBe(true);
  return err;
}

describe('the whole-chart check runs on every chart with a Calico object, whatever made it', () => {
  test('two IPPools with one name beside a CalicoCluster', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', QUIET);
    new IpPool(chart, 'a', { name: 'extra', cidr: '10.250.0.0/16' });
    new IpPool(chart, 'b', { name: 'extra', cidr: '10.251.0.0/16' });
    const err = synthError(chart);
    expect(CalicoErrors.constructPathOf(err)).toBe('test/b');
    expect(err.message).toBe("[test/b] IPPool name 'extra' is already used by test/a; Calico keeps one IPPool per name, so one would overwrite the other. Give each its own name");
  });

  test('an IPPool overlapping the default pool', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', QUIET);
    new IpPool(chart, 'extra', { cidr: '10.244.128.0/17' });
    expect(synthError(chart).message)
      .toBe("[test/extra] IPPool 'extra' (10.244.128.0/17) overlaps IPPool 'default-ipv4-ippool' (10.244.0.0/16); Calico refuses overlapping pools, so give each pool a disjoint range");
  });

  test('a pod CIDR over a node subnet', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', QUIET);
    new IpPool(chart, 'inside', { cidr: '10.0.8.0/24' });
    expect(synthError(chart).message).toMatch(/^\[test\/inside\] IPPool 'inside' \(10\.0\.8\.0\/24\) overlaps the node subnet 10\.0\.0\.0\/16; pods would get node addresses/);
  });

  test('a pool over the service range', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', QUIET);
    new IpPool(chart, 'services', { cidr: '10.100.0.0/16' });
    expect(synthError(chart).message).toMatch(/IPPool 'services' \(10\.100\.0\.0\/16\) overlaps the service range 10\.96\.0\.0\/12; pods would get service addresses/);
  });

  test('two GlobalNetworkPolicies with one name, and namesake NetworkPolicies in one namespace', () => {
    const chart = newChart();
    new GlobalNetworkPolicy(chart, 'one', { name: 'deny', selector: Selector.all() });
    new GlobalNetworkPolicy(chart, 'two', { name: 'deny', selector: Selector.all() });
    new NetworkPolicy(chart, 'three', { name: 'np', namespaceName: 'a', selector: Selector.all() });
    new NetworkPolicy(chart, 'four', { name: 'np', namespaceName: 'a', selector: Selector.all() });
    new NetworkPolicy(chart, 'five', { name: 'np', namespaceName: 'b', selector: Selector.all() });
    const lines = synthError(chart).message.split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[test\/two\] GlobalNetworkPolicy name 'deny' is already used by test\/one/),
      expect.stringMatching(/^\[test\/four\] NetworkPolicy name 'np' in namespace 'a' is already used by test\/three/),
    ]);
  });

  test('a chart of pools alone, without any CalicoCluster', () => {
    const chart = newChart();
    new IpPool(chart, 'a', { cidr: '10.0.0.0/16' });
    new IpPool(chart, 'b', { cidr: '10.0.1.0/24' });
    expect(synthError(chart).message).toMatch(/IPPool 'b' \(10\.0\.1\.0\/24\) overlaps IPPool 'a' \(10\.0\.0\.0\/16\)/);
  });

  test('every problem is listed in the one error, each with its construct path', () => {
    const chart = newChart();
    new IpPool(chart, 'a', { cidr: '10.0.0.0/16' });
    new IpPool(chart, 'b', { cidr: '10.0.1.0/24' });
    new IpPool(chart, 'c', { name: 'a', cidr: '10.9.0.0/16' });
    const err = synthError(chart) as Error & { issues: unknown[] };
    expect(err.message.split('\n')).toEqual([
      expect.stringMatching(/^\[test\/b\] IPPool 'b' \(10\.0\.1\.0\/24\) overlaps IPPool 'a'/),
      expect.stringMatching(/^\[test\/c\] IPPool name 'a' is already used by test\/a/),
    ]);
    expect(err.issues).toHaveLength(2);
  });

  test('charts are checked apart: the same names in two charts are two clusters\' business', () => {
    const app = Testing.app();
    for (const id of ['dev', 'prod']) {
      const chart = new Chart(app, id);
      new CalicoCluster(chart, 'calico', QUIET);
      new IpPool(chart, 'extra', { cidr: '10.250.0.0/16' });
    }
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a sound chart synthesizes', () => {
    const chart = newChart();
    new CalicoCluster(chart, 'calico', QUIET);
    new IpPool(chart, 'extra', { cidr: '10.250.0.0/16' });
    expect(synth(chart).length).toBeGreaterThan(10);
  });
});

describe('references', () => {
  test('a filter referenced by name, or defined in another chart, counts as defined elsewhere', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const filters = new Chart(app, 'filters');
    const peers = new Chart(app, 'peers');
    const shared = new BgpFilter(filters, 'shared', { name: 'shared' });
    new BgpPeer(peers, 'tor', { peerIp: '10.0.0.1', asNumber: undefined, filters: [shared, BgpFilter.fromFilterName('elsewhere')] });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a filter in the same chart resolves', () => {
    const chart = newChart();
    const mine = new BgpFilter(chart, 'mine');
    new BgpPeer(chart, 'tor', { peerIp: '10.0.0.1', filters: [mine] });
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('facts of the cluster, checked where they arrive', () => {
  test('the default pod CIDR over a node subnet fails at construction, naming podCidr', () => {
    const err = errorOf(() => new CalicoCluster(newChart(), 'calico', { network: { nodeSubnets: ['192.168.1.0/24'] } }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toBe('[test/calico] CalicoCluster: podCidr 192.168.0.0/16 (the default, as podCidr is not given) overlaps the node subnet 192.168.1.0/24; '
      + 'pods would get node addresses, so set podCidr to a range clear of the node subnets and the service ranges');
  });

  test('service ranges over the pod CIDR, and over a node subnet', () => {
    expect(errorOf(() => new CalicoCluster(newChart(), 'calico', { ...QUIET, podCidr: '10.96.0.0/16' })).message)
      .toMatch(/CalicoCluster: podCidr 10\.96\.0\.0\/16 overlaps the service range 10\.96\.0\.0\/12; pods would get service addresses/);
    expect(errorOf(() => new CalicoCluster(newChart(), 'calico', { ...QUIET, serviceCidrs: ['10.0.0.0/12'] })).message)
      .toMatch(/CalicoCluster: the service range 10\.0\.0\.0\/12 overlaps the node subnet 10\.0\.0\.0\/16; service cluster IPs would collide with node addresses/);
  });

  test('an IPv6 pod CIDR is held against IPv6 node subnets', () => {
    expect(errorOf(() => new CalicoCluster(newChart(), 'calico', {
      network: { nodeSubnets: ['10.0.0.0/16', 'fd00:10::/64'] }, podCidr: '10.244.0.0/16', ipv6PodCidr: 'fd00:10::/56',
    })).message).toMatch(/CalicoCluster: ipv6PodCidr fd00:10::\/56 overlaps the node subnet fd00:10::\/64/);
  });

  test('a node subnet with host bits set', () => {
    expect(errorOf(() => new CalicoCluster(newChart(), 'calico', { network: { nodeSubnets: ['10.20.1.7/24'] } })).message)
      .toBe("[test/calico] CalicoCluster: network.nodeSubnets entry '10.20.1.7/24' has host bits set; write the subnet itself, '10.20.1.0/24'");
  });
});
