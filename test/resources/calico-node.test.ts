import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { AsNumber } from '../../src/resources/bgp-configuration';
import { CalicoNode } from '../../src/resources/calico-node';
import { CalicoErrors } from '../../src/core/errors';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('CalicoNode', () => {
  test('renders a projectcalico.org/v3 Node with labels and BGP settings', () => {
    const chart = newChart();
    new CalicoNode(chart, 'rr-1', {
      name: 'node-a.example.com',
      labels: { 'route-reflector': 'true' },
      bgp: {
        ipv4Address: '10.0.0.5/24',
        ipv6Address: 'fd00::5/64',
        ipv4IpipTunnelAddr: '10.244.1.1',
        asNumber: AsNumber.of(64512),
        routeReflectorClusterId: '244.0.0.1',
      },
    });
    const node = findObject(synth(chart), 'Node', 'node-a.example.com');
    expect(node.apiVersion).toBe('projectcalico.org/v3');
    expect(node.metadata.labels).toEqual({ 'route-reflector': 'true' });
    expect(node.spec).toEqual({
      bgp: {
        asNumber: 64512,
        ipv4Address: '10.0.0.5/24',
        ipv4IPIPTunnelAddr: '10.244.1.1',
        ipv6Address: 'fd00::5/64',
        routeReflectorClusterID: '244.0.0.1',
      },
    });
  });

  test('uses the construct id as the node name by default', () => {
    const chart = newChart();
    new CalicoNode(chart, 'worker-1', { bgp: { ipv4Address: '10.0.0.6/24' } });
    expect(findObject(synth(chart), 'Node', 'worker-1').spec.bgp).toEqual({ ipv4Address: '10.0.0.6/24' });
  });

  test('writes an empty spec when no BGP settings are given', () => {
    const chart = newChart();
    const node = new CalicoNode(chart, 'worker-1', { labels: { rack: 'a' } });
    expect(node.routeReflectorClusterId).toBeUndefined();
    expect(findObject(synth(chart), 'Node', 'worker-1').spec).toEqual({});
  });

  test('exposes the route reflector cluster ID', () => {
    const node = new CalicoNode(newChart(), 'rr', { bgp: { routeReflectorClusterId: '244.0.0.1' } });
    expect(node.routeReflectorClusterId).toBe('244.0.0.1');
  });

  test('lists the Kubernetes Node annotations that carry its BGP settings', () => {
    const node = new CalicoNode(newChart(), 'rr', {
      bgp: { ipv4Address: '10.0.0.5/24', asNumber: AsNumber.parse('1.10'), routeReflectorClusterId: '244.0.0.1' },
    });
    expect(node.kubernetesNodeAnnotations()).toEqual({
      'projectcalico.org/ASNumber': '65546',
      'projectcalico.org/IPv4Address': '10.0.0.5/24',
      'projectcalico.org/RouteReflectorClusterID': '244.0.0.1',
    });
    expect(new CalicoNode(newChart(), 'plain').kubernetesNodeAnnotations()).toEqual({});
  });

  describe('errors', () => {
    test('fails when the IPv4 address is not an IPv4 CIDR', () => {
      const e = errorOf(() => new CalicoNode(newChart(), 'n', { bgp: { ipv4Address: 'fd00::5/64' } }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.bgp\.ipv4Address/);
      expect(e.message).toMatch(/fd00::5\/64/);
    });

    test('fails when the route reflector cluster ID is not an IPv4 address', () => {
      expect(() => new CalicoNode(newChart(), 'n', { bgp: { routeReflectorClusterId: '244.0.0.1/32' } }))
        .toThrow(/spec\.bgp\.routeReflectorClusterID/);
    });

    test('fails when the bgp settings are empty', () => {
      expect(() => new CalicoNode(newChart(), 'n', { bgp: {} })).toThrow(/spec\.bgp/);
    });
  });

  test('refuses to synthesize in crd.projectcalico.org/v1 mode, which has no Node CRD', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new CalicoNode(chart, 'rr', { bgp: { routeReflectorClusterId: '244.0.0.1' } });
    expect(() => synth(chart)).toThrow(/Node 'rr': the Calico Node resource has no CRD in Kubernetes-datastore mode/);
    // The same node in a projectcalico.org/v3 chart synthesizes.
    const v3 = newChart();
    new CalicoNode(v3, 'rr', { bgp: { routeReflectorClusterId: '244.0.0.1' } });
    expect(findObject(synth(v3), 'Node', 'rr').apiVersion).toBe('projectcalico.org/v3');
  });

  test('is skipped by the CRD schema check (it has no CRD) and passes it', () => {
    const chart = newChart();
    new CalicoNode(chart, 'n', { bgp: { ipv4Address: '10.0.0.5/24' } });
    expectCrdSchemaValid(synth(chart));
  });
});
