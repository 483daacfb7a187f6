// The kind validators register at import time; import validate.ts (and its placeholder kinds)
// first so that the real validator is the one left registered.
import * as fc from 'fast-check';
import { validateManifest } from '../../src/validation/validate';
import '../../src/validation/host-endpoint';

const API = 'projectcalico.org/v3';

function hep(spec: any, name = 'node01-eth0'): any {
  return { apiVersion: API, kind: 'HostEndpoint', metadata: { name }, spec };
}

function paths(manifest: any): string[] {
  return validateManifest(manifest).map(i => i.path);
}

const tcpPort = { name: 'a-valid-port', protocol: 'TCP', port: 1234 };

// Upstream cases (validator_test.go) for HostEndpointSpec.
const upstreamCases: Array<[string, any, boolean]> = [
  ['should accept HostEndpointSpec with a port', hep({ interfaceName: 'eth0', ports: [tcpPort], node: 'node01' }), true],
  ['should reject HostEndpointSpec with an unnamed port', hep({ interfaceName: 'eth0', ports: [{ protocol: 'TCP', port: 1234 }], node: 'node01' }), false],
  ['should reject HostEndpointSpec with a missing node', hep({ interfaceName: 'eth0', ports: [tcpPort] }), false],
  ['should accept HostEndpointSpec with name-clashing ports',
    hep({ interfaceName: 'eth0', ports: [tcpPort, { name: 'a-valid-port', protocol: 'UDP', port: 5456 }], node: 'node01' }), true],
  ['should accept HostEndpointSpec with interfaceName *', hep({ interfaceName: '*', node: 'node01' }), true],
  ['should accept host endpoint with interface and node', hep({ interfaceName: 'eth0', node: 'node01' }), true],
  ['should accept host endpoint with expected IPs', hep({ expectedIPs: ['1.2.3.4', 'aabb:aabb::ffff'], node: 'node01' }), true],
  ['should accept host endpoint with interface and expected IPs', hep({ interfaceName: 'eth0', expectedIPs: ['1.2.3.4', 'aabb:aabb::ffff'], node: 'node01' }), true],
  ['should reject host endpoint with no config', hep({}), false],
  ['should reject host endpoint with blank interface an no IPs', hep({ interfaceName: '', expectedIPs: [], node: 'node01' }), false],
  ['should accept host endpoint with prefixed profile name',
    hep({ interfaceName: 'eth0', profiles: ['knp.default.fun', 'knp.default.funner.11234-a'], node: 'node01' }), true],
  ['should accept host endpoint without prefixed profile name', hep({ interfaceName: 'eth0', profiles: ['fun-funner1234'], node: 'node01' }), true],
  ['should reject host endpoint with no prefix and dots at the start of the name', hep({ interfaceName: 'eth0', profiles: ['.fun'], node: 'node01' }), false],
  // Endpoint ports (the EndpointPort struct rules, as for WorkloadEndpointPort upstream).
  ['should accept an endpoint port with udp protocol', hep({ interfaceName: 'eth0', node: 'n', ports: [{ ...tcpPort, protocol: 'UDP' }] }), true],
  ['should accept an endpoint port with sctp protocol', hep({ interfaceName: 'eth0', node: 'n', ports: [{ ...tcpPort, protocol: 'SCTP' }] }), true],
  ['should reject an endpoint port with no protocol', hep({ interfaceName: 'eth0', node: 'n', ports: [{ name: 'a-valid-port', port: 1234 }] }), false],
  ['should reject an endpoint port with a protocol without ports', hep({ interfaceName: 'eth0', node: 'n', ports: [{ ...tcpPort, protocol: 123 }] }), false],
  ['should reject an endpoint port with no port', hep({ interfaceName: 'eth0', node: 'n', ports: [{ name: 'a-valid-port', protocol: 'TCP' }] }), false],
  // Interface names.
  ['should accept a valid interface', hep({ interfaceName: 'Valid_Iface.0-9', node: 'n' }), true],
  ['should reject an interface that is too long', hep({ interfaceName: 'interfaceTooLong', node: 'n' }), false],
  ['should reject & in an interface', hep({ interfaceName: 'Invalid&Intface', node: 'n' }), false],
  ['should reject # in an interface', hep({ interfaceName: 'Invalid#Intface', node: 'n' }), false],
  ['should reject : in an interface', hep({ interfaceName: 'Invalid:Intface', node: 'n' }), false],
];

describe('host endpoint validation matches the upstream verdicts', () => {
  test.each(upstreamCases)('%s', (_name, manifest, valid) => {
    const issues = validateManifest(manifest);
    expect(issues.length === 0).toBe(valid);
  });
});

describe('host endpoint fields', () => {
  test('requires node and an interface or expected IPs, each at its own path', () => {
    const issues = validateManifest(hep({}));
    expect(issues.map(i => i.path)).toEqual(['spec.node', 'spec.interfaceName']);
    expect(issues[1].message).toContain('needs interfaceName or expectedIPs');
  });

  test('treats a missing spec like an empty one', () => {
    expect(paths(hep(undefined))).toEqual(['spec.node', 'spec.interfaceName']);
  });

  test('rejects an expected IP written as a CIDR', () => {
    const issues = validateManifest(hep({ node: 'n', expectedIPs: ['10.0.0.5/24'] }));
    expect(issues).toEqual([{ path: 'spec.expectedIPs[0]', message: expect.stringContaining("'10.0.0.5/24' is not an IP address") }]);
  });

  test('rejects a node name that is not a resource name', () => {
    expect(paths(hep({ node: 'Node_1', interfaceName: 'eth0' }))).toEqual(['spec.node']);
  });

  test('names the port field that is wrong', () => {
    const m = hep({ node: 'n', interfaceName: 'eth0', ports: [tcpPort, { name: 'Web', protocol: 'tcp', port: 0 }] });
    expect(paths(m)).toEqual(['spec.ports[1].name', 'spec.ports[1].protocol', 'spec.ports[1].port']);
  });

  test('rejects a port above 65535 and a port given as a string', () => {
    expect(paths(hep({ node: 'n', interfaceName: 'eth0', ports: [{ ...tcpPort, port: 70000 }] }))).toEqual(['spec.ports[0].port']);
    expect(paths(hep({ node: 'n', interfaceName: 'eth0', ports: [{ ...tcpPort, port: '80' }] }))).toEqual(['spec.ports[0].port']);
  });

  test('accepts numeric TCP, UDP and SCTP protocols', () => {
    for (const protocol of [6, 17, 132, '6']) {
      expect(paths(hep({ node: 'n', interfaceName: 'eth0', ports: [{ ...tcpPort, protocol }] }))).toEqual([]);
    }
  });

  test('reports ICMP as a protocol without ports, once', () => {
    const issues = validateManifest(hep({ node: 'n', interfaceName: 'eth0', ports: [{ ...tcpPort, protocol: 'ICMP' }] }));
    expect(issues).toEqual([{ path: 'spec.ports[0].protocol', message: expect.stringContaining("protocol 'ICMP' has no ports") }]);
  });

  test('reports unknown fields with a suggestion', () => {
    expect(validateManifest(hep({ node: 'n', interface: 'eth0', interfaceName: 'eth0' })))
      .toEqual([{ path: 'spec.interface', message: expect.stringContaining("did you mean 'interfaceName'?") }]);
  });

  test('never reports an internal failure for arbitrary specs', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (spec, port) => {
      for (const m of [hep(spec), hep({ node: 'n', interfaceName: 'eth0', ports: [port] })]) {
        expect(validateManifest(m).every(i => !i.message.includes('could not check'))).toBe(true);
      }
    }), { numRuns: 300 });
  });
});
