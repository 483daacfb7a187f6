// `cdk8s-calico lint` (main(), in-process) on random and hostile file contents: it always answers
// with exit code 0, 1 or 2, its output stays small, and it never needs the validator's catch-all.
// Seeds are fixed so that a failure reproduces; runs are bounded so that the file stays fast.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { main } from '../../src/cli/main';

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-lint-fuzz-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;

/** Lints `content` written to a fresh file; checks the answer and returns it. */
function lintContent(content: string | Uint8Array): { code: number; out: string; err: string } {
  const file = path.join(tmp, `input-${fileCount++}.yaml`);
  fs.writeFileSync(file, content);
  let out = '';
  let err = '';
  let code = -1;
  expect(() => {
    code = main(['lint', file], { stdout: t => { out += t; }, stderr: t => { err += t; } });
  }).not.toThrow();
  expect([0, 1, 2]).toContain(code);
  expect(err).toMatch(/cdk8s-calico lint: /);
  expect(out).not.toContain('the validator could not check this manifest');
  fs.rmSync(file);
  return { code, out, err };
}

const KINDS = ['IPPool', 'BGPPeer', 'GlobalNetworkPolicy', 'NetworkPolicy', 'FelixConfiguration', 'Node', 'HostEndpoint',
  'BGPConfiguration', 'KubeControllersConfiguration', 'GlobalNetworkSet', 'constructor', '__proto__', 'List', 'DaemonSet', 'ConfigMap'];
const KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'name', 'cidr', 'selector', 'peerIP', 'nodeSelector', 'ingress', 'action',
  'labels', 'items', 'status', 'constructor', '__proto__', 'toString', '<<', 'data', 'containers', 'env'];

/** Manifest-like documents with random values, rendered by the yaml package. */
const manifestDocArb = fc.record({
  apiVersion: fc.constantFrom('projectcalico.org/v3', 'crd.projectcalico.org/v1', 'v1', 'apps/v1'),
  kind: fc.constantFrom(...KINDS),
  metadata: fc.oneof(fc.record({ name: fc.string({ maxLength: 10 }) }), fc.jsonValue({ maxDepth: 2 })),
  spec: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom(...KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })),
}).map(doc => YAML.stringify(doc));

/** YAML with the features that make readers work: anchors, merges, tags, complex keys, flows, documents. */
const YAML_PIECES = [
  'a: &x [1, 2]\n', 'b: *x\n', '<<: {c: 1}\n', 'd: !!binary aGk=\n', 'e: !custom {f: 1}\n', '? [g, h]\n: 1\n', 'i: {j: k, j: l}\n',
  '---\n', '...\n', 'kind: IPPool\n', 'apiVersion: projectcalico.org/v3\n', 'metadata: {name: p}\n', 'spec: {cidr: 10.0.0.0/16}\n',
  'spec:\n  selector: "a == \'b\'"\n', '  - x\n', '- y\n', '\t', '"', '\'', '#', '%YAML 1.2\n', '!!set {a, b}\n', 'n: .nan\n',
  'o: 0x1F\n', 'p: ~\n', 'q: |\n  text\n', '\ufeff', '\r\n', 'r: 1e999\n', 's: -.inf\n', 'kind: constructor\n',
];
const yamlPiecesArb = fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 16 }).map(parts => parts.join(''));

/** Hostile files: deep nesting, huge scalars, many keys, many documents. */
const hostileFileArb = fc.oneof(
  fc.integer({ min: 100, max: 200_000 }).map(n => `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.integer({ min: 10_000, max: 2_000_000 }).map(n => `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: a}\nspec: {peerIP: "${'1'.repeat(n)}"}\n`),
  fc.integer({ min: 10_000, max: 4_000_000 }).map(n => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: a}\nspec: {selector: "${'!('.repeat(n / 2)}"}\n`),
  fc.integer({ min: 1_000, max: 20_000 }).map(n => `apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata: {name: default}\nspec:\n${
    Array.from({ length: n }, (_, i) => `  k${i}: ${i}\n`).join('')}`),
  fc.integer({ min: 10, max: 2_000 }).map(n => 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.0.0.0/16}\n---\n'.repeat(n)),
);

describe('lint on random and hostile files', () => {
  test('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3_000 }), bytes => {
      lintContent(bytes);
    }), { seed: 1, numRuns: 60 });
  });

  test('random manifests and YAML features: exit 0, 1 or 2 with bounded output', () => {
    fc.assert(fc.property(fc.array(fc.oneof(manifestDocArb, yamlPiecesArb), { minLength: 1, maxLength: 4 }), docs => {
      const r = lintContent(docs.join('---\n'));
      expect(r.out.length + r.err.length).toBeLessThan(100_000);
    }), { seed: 2, numRuns: 120 });
  });

  test('hostile files: answered, and the output does not grow with the input', () => {
    fc.assert(fc.property(hostileFileArb, content => {
      const r = lintContent(content);
      expect(r.out.length + r.err.length).toBeLessThan(50_000);
    }), { seed: 3, numRuns: 10 });
  }, 60_000);
});
