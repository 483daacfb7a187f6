// validateManifest answers every input shape deliberately: user text never finds what every
// object inherits, unknown top-level fields are reported, and anything that is not JSON data is
// reported where it is, without calling user code.
import { MAX_ISSUES } from '../../src/validation/issues';
import { MAX_DEPTH, MAX_KEY_LENGTH, MAX_MANIFEST_BYTES } from '../../src/validation/json-data';
import { validateManifest } from '../../src/validation/validate';

const CATCH_ALL = 'the validator could not check this manifest';

function pool(spec: unknown = { cidr: '10.0.0.0/16' }, extra: Record<string, unknown> = {}): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec, ...extra };
}

function felix(spec: unknown): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec };
}

function lines(m: unknown): string[] {
  return validateManifest(m).map(i => `${i.path}: ${i.message}`);
}

describe('user text never finds what every object inherits', () => {
  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('kind %j is not a kind', kind => {
    const issues = validateManifest({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'a' }, spec: {} });
    expect(issues.map(i => i.path)).toEqual(['kind']);
    expect(issues[0].message).toContain(`kind '${kind}' is not a Calico resource kind`);
  });

  test('spec keys named like Object.prototype members are unknown fields', () => {
    const spec = JSON.parse('{"constructor": 1, "__proto__": 2, "hasOwnProperty": 3, "toString": 4}');
    // Every kind reports unknown fields one way (the field-name pass over the line's CRD), with the
    // CRD's fields in name order; FelixConfiguration has too many to list.
    expect(lines(felix(spec))).toEqual([
      "spec.constructor: a FelixConfiguration spec has no field 'constructor'; remove it",
      "spec.__proto__: a FelixConfiguration spec has no field '__proto__'; remove it",
      "spec.hasOwnProperty: a FelixConfiguration spec has no field 'hasOwnProperty'; remove it",
      "spec.toString: a FelixConfiguration spec has no field 'toString'; remove it",
    ]);
    const known = 'allowedUses, assignmentMode, blockSize, cidr, disableBGPExport, disabled, ipipMode, namespaceSelector, natOutgoing, nodeSelector, vxlanMode';
    expect(lines(pool(JSON.parse('{"cidr": "10.0.0.0/16", "constructor": true, "__proto__": {}}')))).toEqual([
      `spec.constructor: an IPPool spec has no field 'constructor'; remove it; known fields are ${known}`,
      `spec.__proto__: an IPPool spec has no field '__proto__'; remove it; known fields are ${known}`,
    ]);
  });

  test('a duration unit named like an Object.prototype member is no unit', () => {
    expect(lines(felix({ reportingInterval: '1constructor' }))).toEqual([
      expect.stringMatching(/^spec\.reportingInterval: reportingInterval '1constructor' is not a duration/),
    ]);
    expect(lines(felix({ dataplaneWatchdogTimeout: '5toString' }))[0]).toContain('is not a duration');
  });
});

describe('top-level fields', () => {
  test('an unknown top-level field is reported, with the field meant', () => {
    expect(lines(pool(undefined, { bogus: 1 }))).toContain("bogus: the manifest has no field 'bogus'; remove it; known fields are apiVersion, kind, metadata, spec");
    expect(lines(pool({ cidr: '10.0.0.0/16' }, { specs: {} }))).toEqual(["specs: the manifest has no field 'specs'; did you mean 'spec'?"]);
    expect(lines(pool({ cidr: '10.0.0.0/16' }, { Metadata: {} }))).toEqual(["Metadata: the manifest has no field 'Metadata'; did you mean 'metadata'?"]);
  });

  test('status only where Calico writes one (Node, CalicoNodeStatus, KubeControllersConfiguration)', () => {
    expect(lines(pool({ cidr: '10.0.0.0/16' }, { status: {} }))).toEqual([
      'status: IPPool objects have no status (Calico v3.32 writes one only for Node, CalicoNodeStatus, KubeControllersConfiguration); remove it',
    ]);
    const kcc = { apiVersion: 'projectcalico.org/v3', kind: 'KubeControllersConfiguration', metadata: { name: 'default' }, spec: {}, status: { runningConfig: {} } };
    expect(lines(kcc)).toEqual([]);
    const node = { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n' }, spec: {}, status: { podCIDRs: ['10.0.0.0/24'] } };
    expect(lines(node)).toEqual([]);
  });
});

describe('only JSON data is read', () => {
  test('values JSON cannot hold are reported at their path and left out', () => {
    const spec: any = { cidr: '10.0.0.0/16', blockSize: 26n, natOutgoing: NaN, disabled: Infinity, nodeSelector: () => 'all()', ipipMode: Symbol('x') };
    expect(lines(pool(spec))).toEqual([
      "spec.blockSize: blockSize is the BigInt 26, which JSON cannot hold; write it as a number",
      'spec.natOutgoing: natOutgoing is NaN, which JSON cannot hold; write a finite number',
      'spec.disabled: disabled is Infinity, which JSON cannot hold; write a finite number',
      'spec.nodeSelector: nodeSelector is a function, which JSON cannot hold; write the value it would compute',
      'spec.ipipMode: ipipMode is a symbol (Symbol(x)), which JSON cannot hold; write a string',
    ]);
  });

  test('a getter is reported and never called', () => {
    const spec = { nodeSelector: 'all()' };
    let called = false;
    Object.defineProperty(spec, 'cidr', { enumerable: true, get() { called = true; throw new Error('boom'); } });
    const issues = lines(pool(spec));
    expect(called).toBe(false);
    expect(issues).toEqual([
      'spec.cidr: cidr is a getter, which is not data and is not read; set the value itself',
      expect.stringMatching(/^spec\.cidr: cidr is required/),
    ]);
  });

  test('class instances, cycles and holes are reported', () => {
    const cycle: any = { cidr: '10.0.0.0/16' };
    cycle.self = cycle;
    const issues = lines(pool({ cidr: new Date(0), allowedUses: new Map(), nodeSelector: new (class Thing {})() }));
    expect(issues).toEqual(expect.arrayContaining([
      'spec.cidr: cidr is a Date, not JSON data; write it as a string, number, list or plain object',
      'spec.allowedUses: allowedUses is a Map, not JSON data; write it as a string, number, list or plain object',
      'spec.nodeSelector: nodeSelector is a Thing, not JSON data; write it as a string, number, list or plain object',
    ]));
    expect(lines(pool(cycle))).toContain('spec.self: self refers back to an object that contains it (a cycle), which JSON cannot hold; copy the value instead');
    // eslint-disable-next-line no-sparse-arrays
    expect(lines(pool({ cidr: '10.0.0.0/16', allowedUses: ['Workload', , 'Tunnel'] }))).toContain(
      'spec.allowedUses[1]: allowedUses has no entry 1 (a hole in the list); JSON lists have a value at every position, so fill it or remove it');
    const shared = { a: 1 };
    expect(lines(felix({ bpfLogFilters: { all: 'x' }, x: shared, y: shared })).every(l => !l.includes('cycle'))).toBe(true);
  });

  test('objects without a prototype are plain data', () => {
    const spec = Object.assign(Object.create(null), { cidr: '10.0.0.0/16' });
    const metadata = Object.assign(Object.create(null), { name: 'p' });
    expect(lines({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata, spec })).toEqual([]);
  });

  test('nesting deeper than the limit is reported once, however deep, without recursion', () => {
    let deep: any = {};
    const root = deep;
    for (let i = 0; i < 200_000; i++) {
      deep.x = {};
      deep = deep.x;
    }
    const issues = validateManifest(felix({ bpfLogFilters: root }));
    expect(issues.filter(i => i.message.includes(`nests deeper than ${MAX_DEPTH} levels`))).toHaveLength(1);
    expect(issues.every(i => !i.message.includes(CATCH_ALL))).toBe(true);
  });

  test(`keys longer than ${MAX_KEY_LENGTH} characters are reported with a short quote and not read`, () => {
    const key = 'k'.repeat(100_000);
    const issues = validateManifest(pool({ cidr: '10.0.0.0/16', [key]: 1 }));
    expect(issues).toEqual([{ path: 'spec', message: expect.stringMatching(/^spec has a key of 100000 characters, 'k{60}\.\.\.' \(100000 characters\); no field/) }]);
    expect(JSON.stringify(issues).length).toBeLessThan(400);
  });

  test(`a manifest larger than ${MAX_MANIFEST_BYTES} bytes is refused with one issue`, () => {
    const issues = validateManifest(pool({ cidr: '10.0.0.0/16', nodeSelector: 'x'.repeat(MAX_MANIFEST_BYTES) }));
    expect(issues).toEqual([{ path: '', message: expect.stringContaining(`larger than the ${MAX_MANIFEST_BYTES} bytes the Kubernetes API server accepts`) }]);
    const wide = validateManifest(pool({ cidr: '10.0.0.0/16', allowedUses: new Array(1e9) }));
    expect(wide.map(i => i.path)).toEqual(['']);
  });

  test('a manifest that is no data at all is one issue', () => {
    expect(lines(() => 1)).toEqual([': the manifest is a function, which JSON cannot hold; write the value it would compute']);
    expect(lines(undefined)).toEqual([': a manifest must be an object with apiVersion, kind, metadata and spec, got undefined']);
    expect(lines(new Map())).toEqual([': the manifest is a Map, not JSON data; write it as a string, number, list or plain object']);
  });
});

describe('every parser answers long input with a short message', () => {
  test.each<[string, unknown]>([
    ['a duration of a million digits', felix({ reportingInterval: `${'1'.repeat(1_000_000)}s` })],
    ['a duration of half a million units', felix({ dataplaneWatchdogTimeout: '1s'.repeat(500_000).replace(/s$/, 'x') })],
    ['a regular expression of 100,000 open groups', felix({ logDebugFilenameRegex: '('.repeat(100_000) })],
    ['a regular expression with a huge repeat count', felix({ mtuIfacePattern: `a{${'9'.repeat(100_000)}}` })],
    ['an AS number of 100,000 digits', { apiVersion: 'projectcalico.org/v3', kind: 'BGPConfiguration', metadata: { name: 'default' }, spec: { asNumber: '9'.repeat(100_000) } }],
    ['a port range of 100,000 digits', felix({ natPortRange: `${'9'.repeat(100_000)}:1` })],
    ['a label value of 100,000 characters', pool({ cidr: '10.0.0.0/16' }, { metadata: { name: 'p', labels: { a: 'v'.repeat(100_000) } } })],
    ['an annotation key of 300 characters', pool({ cidr: '10.0.0.0/16' }, { metadata: { name: 'p', annotations: { [`${'a'.repeat(290)}/b`]: 'v' } } })],
    ['a CIDR of 100,000 characters', pool({ cidr: `10.0.0.0/${'0'.repeat(100_000)}16` })],
    ['a name of 100,000 characters', pool({ cidr: '10.0.0.0/16' }, { metadata: { name: 'N'.repeat(100_000) } })],
  ])('%s', (_name, manifest) => {
    const issues = validateManifest(manifest);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.message.length).toBeLessThan(600);
      expect(issue.message).not.toContain(CATCH_ALL);
    }
  });
});

describe('output stays small', () => {
  test(`lists at most ${MAX_ISSUES} issues, then counts the rest`, () => {
    const spec: Record<string, number> = {};
    for (let i = 0; i < 500; i++) spec[`unknown${i}`] = i;
    const issues = validateManifest(felix(spec));
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[MAX_ISSUES]).toEqual({ path: '', message: '400 more issues not listed; fix the ones above and validate again' });
  });

  test('a long bad value is quoted by a short prefix and its length', () => {
    const selector = `a == "${'x'.repeat(2_000_000)}`;
    const issues = validateManifest(pool({ cidr: '10.0.0.0/16', nodeSelector: selector }));
    expect(issues.map(i => i.path)).toEqual(['spec.nodeSelector']);
    expect(issues[0].message.length).toBeLessThan(500);
    expect(issues[0].message).toContain('(2000006 characters)');
  });
});
