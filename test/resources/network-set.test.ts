import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoErrors } from '../../src/core/errors';
import { GlobalNetworkSet, NetworkSet } from '../../src/resources/network-set';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('GlobalNetworkSet', () => {
  test('renders labelled networks of both IP versions', () => {
    const chart = newChart();
    new GlobalNetworkSet(chart, 'corp', { labels: { network: 'corp' }, nets: ['10.8.0.0/16', '192.0.2.10', 'fd00:10::/64'] });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const set = findObject(manifests, 'GlobalNetworkSet', 'corp');
    expect(set.apiVersion).toBe('projectcalico.org/v3');
    expect(set.metadata).toEqual({ name: 'corp', labels: { network: 'corp' } });
    expect(set.spec).toEqual({ nets: ['10.8.0.0/16', '192.0.2.10', 'fd00:10::/64'] });
  });

  test('has no networks by default and renders an empty spec', () => {
    const chart = newChart();
    const set = new GlobalNetworkSet(chart, 's');
    expect(set.nets).toEqual([]);
    expect(findObject(synth(chart), 'GlobalNetworkSet', 's').spec).toEqual({});
  });

  test('the name can differ from the construct id', () => {
    const chart = newChart();
    new GlobalNetworkSet(chart, 'id', { name: 'external-dns' });
    expect(findObject(synth(chart), 'GlobalNetworkSet', 'external-dns')).toBeDefined();
  });

  test('addNets appends in order', () => {
    const chart = newChart();
    const set = new GlobalNetworkSet(chart, 's', { nets: ['10.0.0.0/8'] });
    set.addNets('172.16.0.0/12', '192.168.0.0/16');
    expect(set.nets).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
    expect(findObject(synth(chart), 'GlobalNetworkSet', 's').spec.nets).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });

  test('the nets getter returns a copy, and later changes to the given array do not leak in', () => {
    const given = ['10.0.0.0/8'];
    const set = new GlobalNetworkSet(newChart(), 's', { nets: given });
    given.push('bad');
    set.nets.push('worse');
    expect(set.nets).toEqual(['10.0.0.0/8']);
  });

  test('a bad network is rejected with its path, and addNets keeps none of the batch', () => {
    const set = new GlobalNetworkSet(newChart(), 's', { nets: ['10.0.0.0/8'] });
    const e = errorOf(() => set.addNets('172.16.0.0/12', 'not-a-net'));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/spec\.nets\[2\].*'not-a-net'/);
    expect(set.nets).toEqual(['10.0.0.0/8']);
  });

  test('a bad network given as a prop is rejected', () => {
    expect(() => new GlobalNetworkSet(newChart(), 's', { nets: ['10.0.0.0/33'] })).toThrow(/spec\.nets\[0\]/);
  });

  test('the reserved namespace label is rejected', () => {
    expect(() => new GlobalNetworkSet(newChart(), 's', { labels: { 'projectcalico.org/namespace': 'x' } })).toThrow(/projectcalico\.org\/namespace/);
  });

  test('CRD output keeps the name and the spec as they are', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new GlobalNetworkSet(chart, 's', { nets: ['10.0.0.0/8'] });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const set = findObject(manifests, 'GlobalNetworkSet', 's');
    expect(set.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(set.spec).toEqual({ nets: ['10.0.0.0/8'] });
  });
});

describe('NetworkSet', () => {
  test('renders labelled networks in a namespace', () => {
    const chart = newChart();
    new NetworkSet(chart, 'partners', { namespaceName: 'shop', labels: { role: 'partner' }, nets: ['198.51.100.0/24'] });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const set = findObject(manifests, 'NetworkSet', 'partners', 'shop');
    expect(set.metadata).toEqual({ name: 'partners', namespace: 'shop', labels: { role: 'partner' } });
    expect(set.spec).toEqual({ nets: ['198.51.100.0/24'] });
  });

  test('the namespace defaults to default', () => {
    const set = new NetworkSet(newChart(), 's');
    expect(set.namespaceName).toBe('default');
    expect(set.toManifest().metadata.namespace).toBe('default');
  });

  test('has no networks by default and addNets appends', () => {
    const chart = newChart();
    const set = new NetworkSet(chart, 's');
    expect(set.nets).toEqual([]);
    set.addNets('203.0.113.0/24');
    expect(findObject(synth(chart), 'NetworkSet', 's').spec).toEqual({ nets: ['203.0.113.0/24'] });
  });

  test('a bad network is rejected and not kept', () => {
    const set = new NetworkSet(newChart(), 's');
    expect(() => set.addNets('300.0.0.1')).toThrow(/spec\.nets\[0\]/);
    expect(set.nets).toEqual([]);
  });

  test('CRD output is written in the namespace unchanged', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new NetworkSet(chart, 's', { namespaceName: 'shop', nets: ['fd00::/64'] });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    expect(findObject(manifests, 'NetworkSet', 's', 'shop').apiVersion).toBe('crd.projectcalico.org/v1');
  });
});
