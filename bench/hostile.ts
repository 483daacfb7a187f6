// The hostile-input scenario (bench/run.js starts it; bench/README.md explains it): how long the
// library takes, at worst, to answer input built to be slow, per input size.
//
//   node --expose-gc --require tsx/cjs bench/hostile.ts time            -> RESULT {json}
//   node --expose-gc --require tsx/cjs bench/hostile.ts lint-rss <shape> <bytes>  -> RESULT {json}
//   node --require tsx/cjs bench/hostile.ts lint-shapes                 -> RESULT [names]
//
// `time` runs, for each size (10 KB, 100 KB, 1 MB, 10 MB), every hostile shape of each function:
// validateManifest on a manifest whose JSON is that size, Selector.parse on a text that long, and
// `cdk8s-calico lint` (main(), in-process) on a file that size. Each shape runs once to warm up,
// then RUNS times (once at 10 MB); its time is the median, and a function's time for a size is
// its slowest shape. `lint-rss` lints one file in a fresh process and reports its peak RSS.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Selector, validateManifest } from 'cdk8s-calico';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../lib/src/cli/main') as { main: (argv: string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }) => number };

const SIZES = [10_000, 100_000, 1_000_000, 10_000_000];
const RUNS = 3;

const gc: () => void = (globalThis as any).gc ?? (() => { throw new Error('run with --expose-gc'); });

/** `count` copies of `make(i)` joined, as many as fit in `bytes`. */
function fill(bytes: number, make: (i: number) => string, joiner = ''): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = make(i);
    parts.push(part);
    size += part.length + joiner.length;
  }
  return parts.join(joiner);
}

function nested(depth: number): unknown {
  const root: any = {};
  let node = root;
  for (let i = 1; i < depth; i++) {
    node.x = {};
    node = node.x;
  }
  return root;
}

const manifest = (kind: string, spec: unknown, metadata: unknown = { name: 'default' }) =>
  ({ apiVersion: 'projectcalico.org/v3', kind, metadata, spec });

/** validateManifest: manifests whose JSON text is about `n` bytes. */
const MANIFESTS: Record<string, (n: number) => unknown> = {
  'long string': n => manifest('IPPool', { cidr: '10.0.0.0/16', nodeSelector: `a == "${'x'.repeat(n - 80)}"` }),
  'nested selector': n => manifest('GlobalNetworkPolicy', { selector: `${'('.repeat((n - 90) / 2)}has(a)${')'.repeat((n - 90) / 2)}` }),
  'negated selector': n => manifest('GlobalNetworkPolicy', { selector: `${'!'.repeat(n - 90)}has(a)` }),
  'many keys': n => manifest('FelixConfiguration', Object.fromEntries(Array.from({ length: n / 12 }, (_, i) => [`k${i}`, 1]))),
  'many entries': n => manifest('GlobalNetworkSet', { nets: Array.from({ length: n / 16 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`) }),
  'many rules': n => manifest('GlobalNetworkPolicy', {
    selector: 'all()',
    ingress: Array.from({ length: n / 150 }, (_, i) => ({
      action: 'Allow', protocol: 'TCP', source: { selector: `app == "a${i}"`, nets: ['10.0.0.0/8'] }, destination: { ports: [80, '8080:8090'] },
    })),
  }),
  'many labels': n => manifest('GlobalNetworkSet', {}, { name: 'x', labels: Object.fromEntries(Array.from({ length: n / 24 }, (_, i) => [`k${i}.example.com/a`, `v${i}`])) }),
  'deep nesting': n => manifest('FelixConfiguration', nested(n / 6)),
  'long peer IP': n => manifest('BGPPeer', { peerIP: '1'.repeat(n - 80) }),
};

/** Selector.parse: texts of `n` characters. */
const SELECTORS: Record<string, (n: number) => string> = {
  'negations': n => `${'!'.repeat(n - 6)}has(a)`,
  'nested groups': n => `${'('.repeat((n - 6) / 2)}has(a)${')'.repeat((n - 6) / 2)}`,
  'negated groups': n => `${'!('.repeat((n - 6) / 3)}has(a)${')'.repeat((n - 6) / 3)}`,
  'long chain': n => fill(n, i => `k${i % 100} == "v" `, '&& '),
  'long value': n => `a == "${'x'.repeat(n - 8)}"`,
  'large set': n => `a in {${fill(n - 8, i => `"v${i}"`, ', ')}}`,
  'error at the end': n => `${fill(n - 2, i => `k${i % 100} == "v" `, '&& ')} &`,
  'unclosed quote': n => `a == "${'x'.repeat(n - 6)}`,
  'long label': n => `${'k'.repeat(n - 10)} == "v"`,
};

const DOC_HEAD = 'apiVersion: projectcalico.org/v3\n';
/** lint: files of `n` bytes. */
const FILES: Record<string, (n: number) => string> = {
  'many documents': n => fill(n, i => `${DOC_HEAD}kind: IPPool\nmetadata:\n  name: p${i}\nspec:\n  cidr: 10.${(i >> 8) & 255}.${i & 255}.0/24\n`, '---\n'),
  'many policies': n => fill(n, i => `${DOC_HEAD}kind: NetworkPolicy\nmetadata:\n  name: p${i}\n  namespace: ns${i % 100}\nspec:\n  selector: app == 'a${i}'\n`
    + "  ingress:\n  - action: Allow\n    protocol: TCP\n    source:\n      selector: role == 'x'\n    destination:\n      ports: [80, 443]\n", '---\n'),
  'many keys': n => `${DOC_HEAD}kind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n${fill(n - 90, i => `  k${i}: 1\n`)}`,
  'long selector': n => `${DOC_HEAD}kind: GlobalNetworkPolicy\nmetadata:\n  name: a\nspec:\n  selector: "${'('.repeat((n - 100) / 2)}has(a)${')'.repeat((n - 100) / 2)}"\n`,
  'deep nesting': n => `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat((n - 40) / 2)}${']'.repeat((n - 40) / 2)}\n`,
  'long peer IP': n => `${DOC_HEAD}kind: BGPPeer\nmetadata:\n  name: a\nspec:\n  peerIP: "${'1'.repeat(n - 90)}"\n`,
  'duplicate keys': n => `${DOC_HEAD}kind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n${fill(n - 100, i => `  k${i}: 1\n`)}  k0: 2\n`,
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median ms of `run` over the runs for `bytes`, after one warm-up run. */
function timeOf(bytes: number, run: () => void): number {
  const runs = bytes >= 10_000_000 ? 1 : RUNS;
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    gc();
    const t0 = performance.now();
    run();
    if (i > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

const quiet = { stdout: () => undefined, stderr: () => undefined };

function lintFile(file: string): number {
  return main(['lint', file], quiet);
}

/** One size of one function: every shape's time, and the slowest. */
interface Row { readonly worstMs: number; readonly worstShape: string; readonly shapes: Record<string, number> }

function row(shapes: Record<string, number>): Row {
  const [worstShape, worstMs] = Object.entries(shapes).sort((a, b) => b[1] - a[1])[0];
  return { worstMs, worstShape, shapes };
}

function timeAll(): object {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-hostile-'));
  const out: Record<string, Record<string, Row>> = { validateManifest: {}, selectorParse: {}, lint: {} };
  try {
    for (const bytes of SIZES) {
      const key = String(bytes);
      const v: Record<string, number> = {};
      for (const [shape, make] of Object.entries(MANIFESTS)) {
        const m = make(bytes);
        v[shape] = timeOf(bytes, () => validateManifest(m));
        if (process.env.BENCH_TRACE) process.stderr.write(`validateManifest ${shape} ${bytes}: ${v[shape].toFixed(1)} ms\n`);
      }
      out.validateManifest[key] = row(v);
      const s: Record<string, number> = {};
      for (const [shape, make] of Object.entries(SELECTORS)) {
        const text = make(bytes);
        if (process.env.BENCH_TRACE) process.stderr.write(`Selector.parse ${shape} ${bytes}\n`);
        s[shape] = timeOf(bytes, () => {
          try {
            Selector.parse(text);
          } catch {
            // refused: an answer too
          }
        });
      }
      out.selectorParse[key] = row(s);
      const l: Record<string, number> = {};
      for (const [shape, make] of Object.entries(FILES)) {
        const file = path.join(dir, `${shape.replace(/ /g, '-')}-${bytes}.yaml`);
        fs.writeFileSync(file, make(bytes));
        l[shape] = timeOf(bytes, () => lintFile(file));
        if (process.env.BENCH_TRACE) process.stderr.write(`lint ${shape} ${bytes}: ${l[shape].toFixed(1)} ms\n`);
        fs.rmSync(file);
      }
      out.lint[key] = row(l);
      process.stderr.write(` ${bytes / 1000} KB`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Peak RSS of one lint of one file, in this fresh process. */
function lintRss(shape: string, bytes: number): object {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-hostile-')), 'input.yaml');
  fs.writeFileSync(file, FILES[shape](bytes));
  gc();
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const code = lintFile(file);
  const ms = performance.now() - t0;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { shape, bytes, code, ms, baselineRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

const [mode, shape, bytesText] = process.argv.slice(2);
const result = mode === 'lint-rss' ? lintRss(shape, Number(bytesText))
  : mode === 'lint-shapes' ? Object.keys(FILES)
    : timeAll();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
