// validateManifest on random and hostile input: it never throws, always returns issues of the
// documented shape, never needs its last-resort catch-all, and what it returns stays small.
// Seeds are fixed so that a failure reproduces; runs are bounded so that the file stays fast.
import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { MAX_ISSUES } from '../../src/validation/issues';
import { OBJECT_META_FIELDS } from '../../src/validation/metadata';
import { NODE_BGP_FIELDS, NODE_SPEC_FIELDS } from '../../src/validation/node';
import { CRD_LINES } from '../../src/validation/private/crd-fields';
import type { CrdField } from '../../src/validation/private/crd-types';
import { SUPPORTED_KINDS, validateManifest } from '../../src/validation/validate';
import { LINE_VERSIONS } from '../support/versions';

const CATCH_ALL = 'the validator could not check this manifest';

/** Every field name of a field tree, at any depth. */
function namesOf(field: CrdField | undefined, out: Set<string>): Set<string> {
  if (!field) return out;
  for (const [name, child] of Object.entries(field.fields ?? {})) {
    out.add(name);
    namesOf(child, out);
  }
  namesOf(field.items, out);
  namesOf(field.values, out);
  return out;
}

/**
 * Field names of every kind of every line (the generated tables, Node's and metadata's), so random
 * values reach the field checks, not only the unknown-field check.
 */
const FIELD_NAMES = [...new Set([
  ...Object.values(CRD_LINES).flatMap(line => Object.values(line.kinds).flatMap(k => [...namesOf(k.spec, new Set()), ...namesOf(k.status, new Set())])),
  ...OBJECT_META_FIELDS, ...NODE_SPEC_FIELDS, ...NODE_BGP_FIELDS, 'labels', 'annotations', 'name',
])].sort();

/** A version argument: every supported line, a later patch, no version, and now and then not a version at all. */
const versionArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<unknown>(...LINE_VERSIONS, CalicoVersion.patch('v3.32.9'), undefined) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'v3.32.1', 3.32, {}, { line: 'v3.31' }) },
);
const INHERITED_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const TEXTS = ['10.0.0.0/16', 'fd00::/64', '10.0.0.1:179', '[fd00::1]:179', 'has(a)', "a == 'b' && !has(c)", '64512', '1.10',
  'Always', 'TCP', '80', '8080:8090', 'http', '30s', '1h2m', '^eth.*', 'default', 'kube-system', '', ' ', 'é', '\u0000'];

const keyArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** JSON-like values, leaning towards the texts validators parse. */
const plainArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXTS),
    fc.string({ maxLength: 20 }),
    fc.integer({ min: -70000, max: 5_000_000_000 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Values no JSON parser gives, and the objects that hold them. */
const hostileLeafArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
    withObjectString: true, withSparseArray: true, withTypedArray: true, key: keyArb,
  }),
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, 26n, Symbol('s'), () => 1, undefined, new Error('e'), /re/, Promise.resolve()),
  fc.integer({ min: 100, max: 20_000 }).map(depth => nest(depth, i => (i % 2 ? { spec: null } : [null]))),
  fc.constantFrom(100_000, 1_000_000).map(n => 'x'.repeat(n)),
  fc.constantFrom(100_000, 1_000_000).map(n => `a == "${'('.repeat(n)}`),
  fc.constantFrom(1_000, 5_000).map(n => '1'.repeat(n)),
);

/** Builds `depth` nested containers without recursion. */
function nest(depth: number, make: (i: number) => object): unknown {
  const root = make(0);
  let current: any = root;
  for (let i = 1; i < depth; i++) {
    const next = make(i);
    if (Array.isArray(current)) current[0] = next;
    else current.spec = next;
    current = next;
  }
  return root;
}

const valueArb: fc.Arbitrary<unknown> = fc.oneof({ weight: 4, arbitrary: plainArb }, { weight: 1, arbitrary: hostileLeafArb });

/** An object of random fields, some of them made hostile after the fact. */
const objectArb: fc.Arbitrary<unknown> = fc.tuple(
  fc.dictionary(keyArb, valueArb, { maxKeys: 6 }),
  fc.constantFrom('none', 'getter', 'cycle', 'null-prototype', 'proxy', 'long-key'),
).map(([fields, twist]) => {
  const o: any = twist === 'null-prototype' ? Object.assign(Object.create(null), fields) : { ...fields };
  switch (twist) {
    case 'getter':
      Object.defineProperty(o, 'cidr', { enumerable: true, get() { throw new Error('a getter was called'); } });
      break;
    case 'cycle':
      o.self = o;
      break;
    case 'proxy':
      return new Proxy(o, { ownKeys() { throw new Error('trap'); } });
    case 'long-key':
      o['k'.repeat(100_000)] = 1;
      break;
    default:
      break;
  }
  return o;
});

const manifestArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    apiVersion: fc.oneof(fc.constantFrom('projectcalico.org/v3', 'crd.projectcalico.org/v1'), valueArb),
    kind: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SUPPORTED_KINDS) }, { weight: 1, arbitrary: fc.constantFrom(...INHERITED_NAMES) },
      { weight: 1, arbitrary: valueArb }),
    metadata: fc.oneof(fc.constant({ name: 'default' }), objectArb, valueArb),
    spec: fc.oneof(objectArb, valueArb),
  }, { requiredKeys: ['kind'] }).chain(m => fc.tuple(fc.constant(m), fc.dictionary(keyArb, valueArb, { maxKeys: 2 })))
    .map(([m, extra]) => ({ ...extra, ...m })) },
  { weight: 1, arbitrary: valueArb },
  { weight: 1, arbitrary: objectArb },
);

/** The checks every answer must pass. */
function expectWellFormed(manifest: unknown, version?: unknown): void {
  let issues: unknown;
  expect(() => { issues = validateManifest(manifest, version as CalicoVersion); }).not.toThrow();
  expect(Array.isArray(issues)).toBe(true);
  const list = issues as Array<{ path: unknown; message: unknown }>;
  expect(list.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
  for (const issue of list) {
    expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect((issue.message as string).length).toBeLessThan(2_000);
    expect((issue.path as string).length).toBeLessThan(2_000);
    expect(issue.message).not.toContain(CATCH_ALL);
  }
}

describe('validateManifest on random and hostile input', () => {
  test('random JSON: issues of the documented shape, never the catch-all', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(...SUPPORTED_KINDS), (spec, kind) => {
      expectWellFormed({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'default' }, spec });
      expectWellFormed(spec);
    }), { seed: 20261126, numRuns: 300 });
  });

  test('hostile manifests: never throws, never the catch-all, bounded output', () => {
    fc.assert(fc.property(manifestArb, manifest => expectWellFormed(manifest)), { seed: 4242, numRuns: 400 });
  });

  test('every kind with hostile values in its own fields', () => {
    fc.assert(fc.property(fc.constantFrom(...SUPPORTED_KINDS), fc.dictionary(fc.constantFrom(...FIELD_NAMES), valueArb, { maxKeys: 8 }),
      (kind, spec) => {
        expectWellFormed({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'default', labels: spec, annotations: spec }, spec });
      }), { seed: 7, numRuns: 300 });
  });

  test('every kind of every line, with any version argument, nested values in its own fields', () => {
    const nested: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>(tie => ({
      value: fc.oneof({ depthSize: 'small' }, valueArb, fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 4 })),
    })).value;
    fc.assert(fc.property(fc.constantFrom(...SUPPORTED_KINDS, 'IPAMConfig'), fc.constantFrom('projectcalico.org/v3', 'crd.projectcalico.org/v1'),
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), nested, { maxKeys: 8 }), versionArb, (kind, apiVersion, spec, version) => {
        expectWellFormed({ apiVersion, kind, metadata: { name: 'default' }, spec, status: spec }, version);
      }), { seed: 1331, numRuns: 400 });
  });

  test('many unknown fields at every depth stay bounded', () => {
    const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, { nested: i }]));
    for (const version of LINE_VERSIONS) {
      expectWellFormed({ apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: wide }, version);
      expectWellFormed({ apiVersion: 'projectcalico.org/v3', kind: 'BGPFilter', metadata: { name: 'f' },
        spec: { exportV4: Array.from({ length: 2_000 }, () => ({ action: 'Accept', bogus: 1, operations: [{}] })) } }, version);
    }
  });
});
