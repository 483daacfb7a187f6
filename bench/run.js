#!/usr/bin/env node
// `npm run bench`: the benchmark suite (bench/README.md explains every number).
//
// Runs each scenario in its own child process (bench/measure.ts through tsx, against the
// compiled library in lib/), prints a table and writes bench/results.json:
// - time: library vs raw cdk8s vs YAML floor, interleaved in one process, median of RUNS runs,
//   with a check that the three outputs are byte-identical;
// - memory: the library path once in a fresh process, peak RSS and peak V8 heap;
// - cold start: `cdk8s synth` through the CLI for the reference example and a hello-world app;
// - hostile input (bench/hostile.ts): the worst time per input size of validateManifest,
//   Selector.parse and `cdk8s-calico lint` on input built to be slow, and lint's peak RSS at 10 MB.
//
// Environment: BENCH_RUNS (default 5, at least 5), BENCH_ONLY=reference,large,hostile (scenario
// names) to run a subset without the cold start, BENCH_NO_WRITE=1 to leave results.json alone.
// BENCH_ONLY=hostile alone rewrites only the hostileInput key of results.json.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS || 5));
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
const CLI = path.join(path.dirname(require.resolve('cdk8s-cli/package.json', { paths: [ROOT] })), 'bin', 'cdk8s');

/** The scenarios: the reference example, then the sweep of `large` (scale 1 is `large` itself). */
const SCENARIOS = [
  { name: 'reference', kind: 'reference', scale: 1 },
  ...[0.1, 0.25, 0.5, 1, 2].map(scale => ({ name: scale === 1 ? 'large' : `large-x${scale}`, kind: 'large', scale })),
].filter(s => !ONLY || ONLY.includes(s.name));

const HOSTILE = !ONLY || ONLY.includes('hostile');

const TARGETS = {
  ratioRaw: 1.25, exponent: 1.1, largeMs: 3000, largeRssMb: 1024, coldRatio: 1.5,
  hostileManifestMs: 100, hostileLintMs: 5000, hostileLintRssMb: 1024,
};

/** Runs a bench script (default bench/measure.ts) in a fresh node; returns its RESULT object and its stdout. */
function measure(args, nodeFlags = [], script = 'measure.ts') {
  const r = spawnSync(process.execPath, ['--expose-gc', ...nodeFlags, '--require', 'tsx/cjs', path.join(__dirname, script), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 2 ** 20,
  });
  const line = (r.stdout || '').split('\n').find(l => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) {
    throw new Error(`bench/${script} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  }
  return { result: JSON.parse(line.slice('RESULT '.length)), stdout: r.stdout };
}

const HOSTILE_BYTES = 10_000_000;

/**
 * The hostile-input scenario: the timings in one process, then lint's peak RSS on each 10 MB
 * file shape in a fresh process of its own.
 */
function hostile() {
  process.stderr.write('bench: hostile input ...');
  const times = measure(['time'], [], 'hostile.ts').result;
  const shapes = measure(['lint-shapes'], [], 'hostile.ts').result;
  const rss = {};
  for (const shape of shapes) rss[shape] = measure(['lint-rss', shape, String(HOSTILE_BYTES)], [], 'hostile.ts').result.peakRssMb;
  const [worstShape, worstMb] = Object.entries(rss).sort((a, b) => b[1] - a[1])[0];
  process.stderr.write(' done\n');
  return { ...times, lintPeakRssMb: { bytes: HOSTILE_BYTES, worstMb, worstShape, shapes: rss } };
}

function printHostile(h) {
  const sizes = Object.keys(h.lint);
  const label = n => (Number(n) >= 1e6 ? `${Number(n) / 1e6} MB` : `${Number(n) / 1e3} KB`);
  console.log('\nhostile input: worst time per input size in ms (its slowest shape)');
  console.log(`${'function'.padEnd(18)}${sizes.map(n => label(n).padStart(30)).join('')}`);
  for (const [name, fn] of [['validateManifest', 'validateManifest'], ['Selector.parse', 'selectorParse'], ['lint', 'lint']]) {
    console.log(name.padEnd(18) + sizes.map(n => `${fmt(h[fn][n].worstMs, 1)} (${h[fn][n].worstShape})`.padStart(30)).join(''));
  }
  console.log(`lint peak RSS at ${label(h.lintPeakRssMb.bytes)}: ${fmt(h.lintPeakRssMb.worstMb)} MB (${h.lintPeakRssMb.worstShape})`);
}

/** The hostile-input targets: [text, value, holds]. */
function hostileTargets(h) {
  const manifestMs = h.validateManifest['1000000'].worstMs;
  const lintMs = h.lint[String(HOSTILE_BYTES)].worstMs;
  return [
    [`1 MB manifest <= ${TARGETS.hostileManifestMs} ms:      `, fmt(manifestMs, 1), manifestMs <= TARGETS.hostileManifestMs],
    [`10 MB file linted <= ${TARGETS.hostileLintMs} ms:  `, fmt(lintMs), lintMs <= TARGETS.hostileLintMs],
    [`10 MB file linted <= ${TARGETS.hostileLintRssMb} MB RSS:`, fmt(h.lintPeakRssMb.worstMb), h.lintPeakRssMb.worstMb <= TARGETS.hostileLintRssMb],
  ];
}

/** Rounds every number of a results object to one decimal. */
function rounded(x) {
  if (typeof x === 'number') return Math.round(x * 10) / 10;
  if (Array.isArray(x)) return x.map(rounded);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)]));
  return x;
}

/** Peak V8 heap used, from the `--trace-gc` lines: the largest "used before" figure (MB). */
function peakHeapFromTrace(stdout) {
  let peak = 0;
  for (const m of stdout.matchAll(/: (?:Scavenge|Mark-Compact|Mark-Compact \(reduce\)|Minor Mark-Compact|Mark-sweep)[^\d]*([\d.]+) \(([\d.]+)\) -> /g)) {
    peak = Math.max(peak, Number(m[1]));
  }
  return peak;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least-squares slope of log(y) against log(x). */
function logLogSlope(xs, ys) {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

/** Wall time of one `cdk8s synth` (the CLI, run in `cwd` with its cdk8s.yaml), in ms. */
function cliSynth(cwd) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-bench-'));
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'synth', '--no-check-upgrade', '--output', outdir], { cwd, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const files = fs.existsSync(outdir) ? fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')) : [];
    if (r.status !== 0 || files.length === 0) {
      throw new Error(`cdk8s synth in ${cwd} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    return ms;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Cold start: the reference example with the repository's own cdk8s.yaml
 * (`app: npx tsx examples/reference/main.ts`) against bench/cold-start/hello-world (one chart, one
 * object, `app: npx tsx main.ts`), one warm-up each (disk cache, npx), then RUNS alternating runs.
 */
function coldStart() {
  const apps = { referenceMs: ROOT, helloWorldMs: path.join(__dirname, 'cold-start', 'hello-world') };
  for (const cwd of Object.values(apps)) cliSynth(cwd);
  const times = { referenceMs: [], helloWorldMs: [] };
  for (let round = 0; round < RUNS; round++) {
    const order = round % 2 ? ['helloWorldMs', 'referenceMs'] : ['referenceMs', 'helloWorldMs'];
    for (const key of order) times[key].push(cliSynth(apps[key]));
  }
  return { referenceMs: median(times.referenceMs), helloWorldMs: median(times.helloWorldMs) };
}

const fmt = (x, digits = 0) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
const pad = (s, n) => String(s).padStart(n);
const mark = ok => (ok ? 'holds' : 'MISSED');

function main() {
  const started = Date.now();
  const rows = [];
  for (const s of SCENARIOS) {
    process.stderr.write(`bench: ${s.name} ...`);
    const t = measure(['time', s.kind, String(s.scale), String(RUNS)]).result;
    const m = measure(['memory', s.kind, String(s.scale)], ['--trace-gc']);
    const peakHeapMb = Math.max(peakHeapFromTrace(m.stdout), m.result.heapUsedEndMb);
    rows.push({ ...s, ...t, peakRssMb: m.result.peakRssMb, baselineRssMb: m.result.baselineRssMb, peakHeapMb });
    process.stderr.write(` ${fmt(t.libraryMs)} ms\n`);
  }
  const cold = ONLY ? undefined : coldStart();
  const hostileResult = HOSTILE ? hostile() : undefined;

  const sweep = rows.filter(r => r.kind === 'large');
  const exponent = sweep.length >= 2 ? logLogSlope(sweep.map(r => r.objects), sweep.map(r => r.libraryMs)) : undefined;
  const rawExponent = sweep.length >= 2 ? logLogSlope(sweep.map(r => r.objects), sweep.map(r => r.rawMs)) : undefined;
  const cpus = os.cpus().length;
  const memoryGb = Math.round(os.totalmem() / 2 ** 30);
  const date = new Date().toISOString().slice(0, 10);

  console.log(`\ncdk8s-calico benchmark, ${date}: ${cpus} CPUs, ${memoryGb} GB, Node ${process.version}; median of ${RUNS} runs`);
  console.log('1 = library (build + synth, validation included), 2 = raw cdk8s ApiObjects in the same charts with the same chart');
  console.log('dependencies (the same files), 2u = raw without the chart dependencies (unnumbered files), 3 = YAML floor (ms)\n');
  console.log('scenario       objects  YAML MB      1 lib    2 raw   2u raw  3 floor   1/2  1/2u   1/3  peak RSS MB  peak heap MB  identical');
  for (const r of rows) {
    console.log([
      r.name.padEnd(12), pad(r.objects, 9), pad(fmt(r.yamlBytes / 2 ** 20, 1), 8), pad(fmt(r.libraryMs), 10), pad(fmt(r.rawMs), 8),
      pad(fmt(r.rawUnorderedMs), 8), pad(fmt(r.floorMs), 8), pad(fmt(r.libraryMs / r.rawMs, 2), 5),
      pad(fmt(r.libraryMs / r.rawUnorderedMs, 2), 5), pad(fmt(r.libraryMs / r.floorMs, 2), 5),
      pad(fmt(r.peakRssMb), 12), pad(fmt(r.peakHeapMb), 13), pad(r.identical && r.floorIdentical ? 'yes' : 'NO', 10),
    ].join(' '));
  }
  if (exponent !== undefined) {
    console.log(`\ngrowth exponent over the sweep (slope of log time / log objects): library ${fmt(exponent, 2)}, raw ${fmt(rawExponent, 2)}`);
  }
  if (cold) {
    console.log(`cold \`cdk8s synth\`: reference ${fmt(cold.referenceMs)} ms, hello world ${fmt(cold.helloWorldMs)} ms `
      + `(x${fmt(cold.referenceMs / cold.helloWorldMs, 2)})`);
  }

  const large = rows.find(r => r.name === 'large');
  console.log('\ntargets');
  if (large) {
    console.log(`  1/2 <= ${TARGETS.ratioRaw} at large:        ${fmt(large.libraryMs / large.rawMs, 2)}  ${mark(large.libraryMs / large.rawMs <= TARGETS.ratioRaw)}`
      + `  (median of the per-round ratios: ${fmt(large.pairedRatioRaw, 2)}; against raw without chart dependencies: `
      + `${fmt(large.libraryMs / large.rawUnorderedMs, 2)})`);
    console.log(`  large <= ${TARGETS.largeMs} ms:             ${fmt(large.libraryMs)}  ${mark(large.libraryMs <= TARGETS.largeMs)}`);
    console.log(`  large <= ${TARGETS.largeRssMb} MB RSS:          ${fmt(large.peakRssMb)}  ${mark(large.peakRssMb <= TARGETS.largeRssMb)}`);
  }
  if (exponent !== undefined) console.log(`  growth exponent <= ${TARGETS.exponent}:       ${fmt(exponent, 2)}  ${mark(exponent <= TARGETS.exponent)}`);
  if (cold) {
    const ratio = cold.referenceMs / cold.helloWorldMs;
    console.log(`  cold synth <= ${TARGETS.coldRatio}x hello world: ${fmt(ratio, 2)}  ${mark(ratio <= TARGETS.coldRatio)}`);
  }
  if (hostileResult) {
    printHostile(hostileResult);
    for (const [text, value, holds] of hostileTargets(hostileResult)) console.log(`  ${text} ${value}  ${mark(holds)}`);
  }
  console.log(`\n(bench took ${fmt((Date.now() - started) / 1000)} s)`);

  const round1 = x => Math.round(x * 10) / 10;
  const results = {
    date,
    machine: { cpus, memoryGb },
    scenarios: rows.map(r => ({
      name: r.name,
      scale: r.scale,
      objects: r.objects,
      libraryMs: round1(r.libraryMs),
      rawMs: round1(r.rawMs),
      rawUnorderedMs: round1(r.rawUnorderedMs),
      floorMs: round1(r.floorMs),
      peakRssMb: round1(r.peakRssMb),
      identical: r.identical,
    })),
    growthExponent: exponent === undefined ? null : Math.round(exponent * 1000) / 1000,
    coldStart: cold ? { referenceMs: round1(cold.referenceMs), helloWorldMs: round1(cold.helloWorldMs) } : null,
    hostileInput: hostileResult ? { date, machine: { cpus, memoryGb }, ...rounded(hostileResult) } : null,
  };
  const file = path.join(__dirname, 'results.json');
  if (!process.env.BENCH_NO_WRITE && !ONLY) {
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log('wrote bench/results.json');
  } else if (!process.env.BENCH_NO_WRITE && ONLY && ONLY.length === 1 && hostileResult) {
    const previous = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, `${JSON.stringify({ ...previous, hostileInput: results.hostileInput }, null, 2)}\n`);
    console.log('wrote the hostileInput key of bench/results.json');
  }
  if (rows.some(r => !r.identical || !r.floorIdentical)) {
    console.error('bench: the library, raw and floor outputs differ; see the identical column');
    process.exitCode = 1;
  }
}

main();
