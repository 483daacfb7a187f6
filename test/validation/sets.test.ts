// The kind validators register at import time; import validate.ts (and its placeholder kinds)
// first so that the real validators are the ones left registered.
import * as fc from 'fast-check';
import { validateManifest } from '../../src/validation/validate';
import '../../src/validation/network-set';

const API = 'projectcalico.org/v3';

function gns(spec: any, metadata: any = { name: 'testset' }): any {
  return { apiVersion: API, kind: 'GlobalNetworkSet', metadata, spec };
}

function ns(spec: any, metadata: any = { name: 'testset', namespace: 'default' }): any {
  return { apiVersion: API, kind: 'NetworkSet', metadata, spec };
}

function paths(manifest: any): string[] {
  return validateManifest(manifest).map(i => i.path);
}

// Upstream cases (validator_test.go) for GlobalNetworkSet and NetworkSet.
const upstreamCases: Array<[string, any, boolean]> = [
  ['should accept GlobalNetworkSetSpec with CIDRs and IPs', gns({ nets: ['10.0.0.1', '11.0.0.0/8', 'dead:beef::', 'dead:beef::/96'] }), true],
  ['should reject GlobalNetworkSetSpec with bad CIDR', gns({ nets: ['garbage'] }), false],
  ['should accept GlobalNetworkSet with labels', gns({ nets: ['10.0.0.1'] }, { name: 'testset', labels: { a: 'b' } }), true],
  ['should reject GlobalNetworkSet with reserved labels', gns({ nets: ['10.0.0.1'] }, { name: 'testset', labels: { 'projectcalico.org/namespace': 'foo' } }), false],
  ['should reject GlobalNetworkSet with bad name', gns({ nets: ['10.0.0.1'] }, { name: 'test$set' }), false],
  ['should accept NetworkSetSpec with CIDRs and IPs', ns({ nets: ['10.0.0.1', '11.0.0.0/8', 'dead:beef::', 'dead:beef::/96'] }), true],
  ['should reject NetworkSetSpec with bad CIDR', ns({ nets: ['garbage'] }), false],
  ['should accept NetworkSet with labels', ns({ nets: ['10.0.0.1'] }, { name: 'testset', namespace: 'default', labels: { a: 'b' } }), true],
  ['should reject NetworkSet with reserved labels', ns({ nets: ['10.0.0.1'] }, { name: 'testset', namespace: 'default', labels: { 'projectcalico.org/namespace': 'foo' } }), false],
  ['should reject NetworkSet with bad name', ns({ nets: ['10.0.0.1'] }, { name: 'test$set' }), false],
];

describe('network set validation matches the upstream verdicts', () => {
  test.each(upstreamCases)('%s', (_name, manifest, valid) => {
    const issues = validateManifest(manifest);
    expect(issues.length === 0).toBe(valid);
  });
});

describe('network set nets', () => {
  test('accepts CIDRs with host bits set, as Calico does for network sets', () => {
    expect(paths(gns({ nets: ['10.1.2.3/8'] }))).toEqual([]);
  });

  test('points at the bad entry and names the fix', () => {
    const issues = validateManifest(ns({ nets: ['10.0.0.0/8', '10.0.0.0/33'] }));
    expect(issues).toEqual([{ path: 'spec.nets[1]', message: expect.stringContaining("nets entry '10.0.0.0/33' is not an IP address or CIDR") }]);
  });

  test('reports non-string entries and a non-list nets', () => {
    expect(paths(gns({ nets: ['10.0.0.0/8', 10] }))).toEqual(['spec.nets[1]']);
    expect(paths(gns({ nets: '10.0.0.0/8' }))).toEqual(['spec.nets']);
  });

  test('accepts a set without nets', () => {
    expect(paths(gns({}))).toEqual([]);
    expect(paths(gns(undefined))).toEqual([]);
  });

  test('reports the reserved namespace label at its path', () => {
    expect(validateManifest(gns({}, { name: 'testset', labels: { 'projectcalico.org/namespace': 'foo' } })))
      .toEqual([{ path: 'metadata.labels.projectcalico.org/namespace', message: expect.stringContaining('is reserved') }]);
  });

  test('reports unknown spec fields', () => {
    expect(validateManifest(gns({ net: ['10.0.0.0/8'] })))
      .toEqual([{ path: 'spec.net', message: expect.stringContaining("did you mean 'nets'?") }]);
  });

  test('reports a spec that is not an object', () => {
    expect(paths(ns(['10.0.0.0/8']))).toEqual(['spec']);
  });

  test('accepts every IPv4 CIDR a generator produces', () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
      expect(paths(gns({ nets: [`${ip}/${prefix}`, ip] }))).toEqual([]);
    }));
  });

  test('never reports an internal failure for arbitrary specs', () => {
    fc.assert(fc.property(fc.anything(), (spec) => {
      expect(validateManifest(gns(spec)).every(i => !i.message.includes('could not check'))).toBe(true);
    }), { numRuns: 300 });
  });
});
