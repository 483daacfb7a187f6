// The kind validators register at import time; import validate.ts (and its placeholder kinds)
// first so that the real validators are the ones left registered.
import * as fc from 'fast-check';
import { validateManifest } from '../../src/validation/validate';
import { labelValueProblems, portNameProblems, qualifiedNameProblems } from '../../src/validation/common';
import '../../src/validation/network-set';
import '../../src/validation/policy';

const API = 'projectcalico.org/v3';

/** A valid GlobalNetworkSet with the given metadata. */
function gns(metadata: any): any {
  return { apiVersion: API, kind: 'GlobalNetworkSet', metadata, spec: { nets: ['10.0.0.0/8'] } };
}

function ns(metadata: any): any {
  return { apiVersion: API, kind: 'NetworkSet', metadata, spec: { nets: ['10.0.0.0/8'] } };
}

function paths(manifest: any): string[] {
  return validateManifest(manifest).map(i => i.path);
}

const value63 = 'x'.repeat(63);
const value64 = 'x'.repeat(64);
const maxAnnotations = 256 * 1024;

// Upstream metadata cases (validator_test.go; there they use an IPPool or a ProfileSpec's
// labelsToApply, here a GlobalNetworkSet: the metadata rules are the same for every kind).
const upstreamCases: Array<[string, any, boolean]> = [
  ['should accept a valid label', gns({ name: 'pool.name', labels: { 'project.calico.org/my-valid-label': value63 } }), true],
  ['should reject an excessively long label value', gns({ name: 'pool.name', labels: { 'project.calico.org/my-valid-label': value64 } }), false],
  ['should reject . at start of key in a label', gns({ name: 'pool.name', labels: { '.mylabel': 'value' } }), false],
  ['should reject ! in a label key', gns({ name: 'pool.name', labels: { 'my!nvalid-label': 'value' } }), false],
  ['should reject $ in a label key', gns({ name: 'pool.name', labels: { 'my-invalid-label$': 'value' } }), false],
  ['should accept valid labels in metadata', gns({ name: 'pool.name', labels: { 'projectcalico.org/label': value63 } }), true],
  ['should reject an excessively long value in labels in metadata', gns({ name: 'pool.name', labels: { 'projectcalico.org/label': value64 } }), false],
  ['should reject invalid labels in metadata (uppercase domain)', gns({ name: 'pool.name', labels: { 'ProjectCalico.org/label': 'value' } }), false],
  ['should accept valid labels in metadata (uppercase name)', gns({ name: 'pool.name', labels: { 'projectcalico.org/Label': 'value' } }), true],
  ['should reject invalid annotations in metadata', gns({ name: 'pool.name', annotations: { 'projectcalico.org$label': 'value' } }), false],
  ['should accept valid annotations in metadata (uppercase domain and name)', gns({ name: 'pool.name', annotations: { 'ProjectCalico.org/Label': 'value' } }), true],
  ['should allow annotations in metadata <= 256k', gns({ name: 'pool.name', annotations: { key: 'x'.repeat(maxAnnotations - 3) } }), true],
  ['should disallow annotations in metadata > 256k', gns({ name: 'pool.name', annotations: { key: 'x'.repeat(maxAnnotations - 2) } }), false],
  ['should allow a name of 253 chars', gns({ name: 'x'.repeat(253) }), true],
  ['should disallow a name of 254 chars', gns({ name: 'x'.repeat(254) }), false],
  ['should reject GlobalNetworkSet with bad name', gns({ name: 'test$set' }), false],
  ['should reject NetworkSet with bad name', ns({ name: 'test$set' }), false],
];

describe('metadata validation matches the upstream verdicts', () => {
  test.each(upstreamCases)('%s', (_name, manifest, valid) => {
    const issues = validateManifest(manifest);
    if (valid) {
      expect(issues).toEqual([]);
    } else {
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every(i => i.path.startsWith('metadata'))).toBe(true);
    }
  });
});

describe('metadata.name', () => {
  test('is required', () => {
    const issues = validateManifest(gns({}));
    expect(issues).toEqual([{ path: 'metadata.name', message: expect.stringContaining('metadata.name is required') }]);
  });

  test('must be a string', () => {
    expect(validateManifest(gns({ name: 42 }))).toEqual([{ path: 'metadata.name', message: expect.stringMatching(/must be a string, got number 42/) }]);
  });

  test('rejects upper case and suggests a lower-case name', () => {
    const issues = validateManifest(gns({ name: 'My_Set' }));
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toContain("'My_Set' is not a valid resource name");
    expect(issues[0].message).toContain("'my-set'");
  });

  test('reports how far over the length limit a name is', () => {
    expect(validateManifest(gns({ name: 'a'.repeat(260) }))[0].message).toContain('7 over the limit');
  });

  test.each(['a', 'a-b', 'a.b', '0', 'a.b-c.d9'])('accepts %s', (name) => {
    expect(paths(gns({ name }))).toEqual([]);
  });

  test.each(['-a', 'a-', 'a..b', '.a', 'a.', 'A', 'a b', 'a_b'])('rejects %s', (name) => {
    expect(paths(gns({ name }))).toEqual(['metadata.name']);
  });
});

describe('metadata.namespace', () => {
  test('is optional on namespaced kinds (calicoctl uses the default namespace)', () => {
    expect(paths(ns({ name: 'set' }))).toEqual([]);
  });

  test('must be a valid namespace name', () => {
    expect(paths(ns({ name: 'set', namespace: 'Kube_System' }))).toEqual(['metadata.namespace']);
    expect(paths(ns({ name: 'set', namespace: 'a'.repeat(64) }))).toEqual(['metadata.namespace']);
    expect(paths(ns({ name: 'set', namespace: 'kube-system' }))).toEqual([]);
  });

  test('is rejected on cluster-scoped kinds, as calicoctl does', () => {
    const issues = validateManifest(gns({ name: 'set', namespace: 'default' }));
    expect(issues).toEqual([{ path: 'metadata.namespace', message: expect.stringContaining('GlobalNetworkSet is cluster-scoped') }]);
  });
});

describe('labels and annotations', () => {
  test('reports the exact label with a bad key', () => {
    const issues = validateManifest(gns({ name: 'set', labels: { good: 'x', 'bad key': 'y' } }));
    expect(issues).toEqual([{ path: 'metadata.labels.bad key', message: expect.stringContaining("label key 'bad key' is invalid") }]);
  });

  test('reports a non-string label value with the fix', () => {
    const issues = validateManifest(gns({ name: 'set', labels: { replicas: 3 } }));
    expect(issues).toEqual([{ path: 'metadata.labels.replicas', message: expect.stringContaining('must have a string value, got number 3') }]);
  });

  test('accepts an empty label value', () => {
    expect(paths(gns({ name: 'set', labels: { flag: '' } }))).toEqual([]);
  });

  test('reports labels that are not an object', () => {
    expect(paths(gns({ name: 'set', labels: ['a=b'] }))).toEqual(['metadata.labels']);
  });

  test('reports the total annotation size over the limit', () => {
    const issues = validateManifest(gns({ name: 'set', annotations: { a: 'x'.repeat(maxAnnotations) } }));
    expect(issues).toEqual([{ path: 'metadata.annotations', message: expect.stringContaining('1 bytes over the 262144-byte limit') }]);
  });

  test('counts annotation sizes in UTF-8 bytes', () => {
    // 'é' is two bytes: 131072 of them fill the limit on their own.
    expect(paths(gns({ name: 'set', annotations: { k: 'é'.repeat(maxAnnotations / 2) } }))).toEqual(['metadata.annotations']);
  });

  test('reports unknown metadata fields', () => {
    expect(validateManifest(gns({ name: 'set', label: { a: 'b' } })))
      .toEqual([{ path: 'metadata.label', message: expect.stringContaining("did you mean 'labels'?") }]);
  });

  test('accepts server-set metadata fields', () => {
    expect(paths(gns({ name: 'set', uid: 'u', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 1 }))).toEqual([]);
  });
});

describe('Kubernetes name rules', () => {
  test.each([
    ['a', true], ['a/b', true], ['example.com/b', true], ['a.b_c-d', true], ['A', true],
    ['', false], ['/a', false], ['a/', false], ['a/b/c', false], ['Example.com/b', false], ['_a', false], ['a_', false],
    [`${'a'.repeat(63)}`, true], [`${'a'.repeat(64)}`, false], [`${'a'.repeat(254)}/b`, false],
  ])('qualified name %s valid: %s', (key, valid) => {
    expect(qualifiedNameProblems(key).length === 0).toBe(valid);
  });

  test.each([['', true], ['a', true], ['a.b_c-D', true], ['-a', false], ['a-', false], ['a b', false], [value64, false]])(
    'label value %s valid: %s', (value, valid) => {
      expect(labelValueProblems(value).length === 0).toBe(valid);
    });

  test.each([
    ['http', true], ['a-valid-port', true], ['h2c', true], ['', false], ['123', false], ['Http', false],
    ['-http', false], ['http-', false], ['ht--tp', false], ['a-very-long-name', false],
  ])('port name %s valid: %s', (name, valid) => {
    expect(portNameProblems(name).length === 0).toBe(valid);
  });

  test('valid label keys built from the allowed alphabet are accepted', () => {
    const part = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
    const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/);
    fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), name, (prefixParts, n) => {
      expect(qualifiedNameProblems(`${prefixParts.join('.')}/${n}`)).toEqual([]);
    }));
  });
});

describe('robustness', () => {
  test('never reports an internal failure for arbitrary metadata', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.anything()), (metadata) => {
      const issues = validateManifest({ apiVersion: API, kind: 'GlobalNetworkSet', metadata, spec: {} });
      expect(issues.every(i => !i.message.includes('could not check'))).toBe(true);
    }), { numRuns: 300 });
  });
});
