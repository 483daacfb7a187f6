import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoErrors } from '../../src/core/errors';
import { HostEndpoint } from '../../src/resources/host-endpoint';
import { Protocol } from '../../src/language/protocol';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('HostEndpoint', () => {
  test('renders an interface with its addresses, profiles and named ports', () => {
    const chart = newChart();
    new HostEndpoint(chart, 'node1-eth0', {
      node: 'node1',
      interfaceName: 'eth0',
      expectedIps: ['192.0.2.11', 'fd00::11'],
      profiles: ['projectcalico-default-allow'],
      labels: { 'host-endpoint': 'ingress' },
      ports: [{ name: 'https', protocol: Protocol.TCP, port: 443 }, { name: 'bgp', protocol: Protocol.of(6), port: 179 }],
    });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const hep = findObject(manifests, 'HostEndpoint', 'node1-eth0');
    expect(hep.metadata).toEqual({ name: 'node1-eth0', labels: { 'host-endpoint': 'ingress' } });
    expect(hep.spec).toEqual({
      node: 'node1',
      interfaceName: 'eth0',
      expectedIPs: ['192.0.2.11', 'fd00::11'],
      profiles: ['projectcalico-default-allow'],
      ports: [{ name: 'https', protocol: 'TCP', port: 443 }, { name: 'bgp', protocol: 6, port: 179 }],
    });
  });

  test('an interface alone is enough; addresses, profiles and ports default to none', () => {
    const chart = newChart();
    const hep = new HostEndpoint(chart, 'h', { node: 'node1', interfaceName: '*' });
    expect([hep.nodeName, hep.interfaceName, hep.expectedIps, hep.profiles, hep.ports]).toEqual(['node1', '*', [], [], []]);
    expect(findObject(synth(chart), 'HostEndpoint', 'h').spec).toEqual({ node: 'node1', interfaceName: '*' });
  });

  test('expected addresses alone are enough; the interface defaults to the one holding them', () => {
    const chart = newChart();
    const hep = new HostEndpoint(chart, 'h', { node: 'node1', expectedIps: ['192.0.2.11'] });
    expect(hep.interfaceName).toBeUndefined();
    expect(findObject(synth(chart), 'HostEndpoint', 'h').spec).toEqual({ node: 'node1', expectedIPs: ['192.0.2.11'] });
  });

  test('addPort and addExpectedIps append', () => {
    const chart = newChart();
    const hep = new HostEndpoint(chart, 'h', { node: 'node1', interfaceName: 'eth0' });
    hep.addPort({ name: 'dns', protocol: Protocol.UDP, port: 53 });
    hep.addExpectedIps('192.0.2.11', '192.0.2.12');
    const spec = findObject(synth(chart), 'HostEndpoint', 'h').spec;
    expect(spec.ports).toEqual([{ name: 'dns', protocol: 'UDP', port: 53 }]);
    expect(spec.expectedIPs).toEqual(['192.0.2.11', '192.0.2.12']);
  });

  test('neither interface nor addresses is rejected', () => {
    const e = errorOf(() => new HostEndpoint(newChart(), 'h', { node: 'node1' }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/spec\.interfaceName/);
  });

  test('an empty node is rejected', () => {
    expect(() => new HostEndpoint(newChart(), 'h', { node: '', interfaceName: 'eth0' })).toThrow(/spec\.node/);
  });

  test('an address with a prefix length is rejected and not kept', () => {
    const hep = new HostEndpoint(newChart(), 'h', { node: 'node1', interfaceName: 'eth0' });
    expect(() => hep.addExpectedIps('192.0.2.0/24')).toThrow(/spec\.expectedIPs\[0\]/);
    expect(hep.expectedIps).toEqual([]);
  });

  test('a port with a protocol that has no ports is rejected and not kept', () => {
    const hep = new HostEndpoint(newChart(), 'h', { node: 'node1', interfaceName: 'eth0' });
    expect(() => hep.addPort({ name: 'ping', protocol: Protocol.ICMP, port: 1 })).toThrow(/spec\.ports\[0\]\.protocol/);
    expect(hep.ports).toEqual([]);
  });

  test('a port number out of range is rejected', () => {
    expect(() => new HostEndpoint(newChart(), 'h', { node: 'n', interfaceName: 'eth0', ports: [{ name: 'x', protocol: Protocol.TCP, port: 70000 }] }))
      .toThrow(/spec\.ports\[0\]\.port/);
  });

  test('an invalid port name is rejected', () => {
    expect(() => new HostEndpoint(newChart(), 'h', { node: 'n', interfaceName: 'eth0', ports: [{ name: 'HTTPS', protocol: Protocol.TCP, port: 443 }] }))
      .toThrow(/spec\.ports\[0\]\.name/);
  });

  test('a protocol given as text is rejected with the Protocol to use', () => {
    expect(() => new HostEndpoint(newChart(), 'h', { node: 'n', interfaceName: 'eth0', ports: [{ name: 'x', protocol: 'TCP' as any, port: 1 }] }))
      .toThrow(/spec\.ports\[0\]\.protocol: protocol "TCP" is not a Protocol; use Protocol\.TCP/);
  });

  test('CRD output keeps the name and the spec as they are', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new HostEndpoint(chart, 'h', { node: 'node1', interfaceName: 'eth0' });
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests);
    const hep = findObject(manifests, 'HostEndpoint', 'h');
    expect(hep.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(hep.spec).toEqual({ node: 'node1', interfaceName: 'eth0' });
  });
});
