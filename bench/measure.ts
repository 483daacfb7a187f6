// One benchmark scenario in one process (started by bench/run.js; prints one `RESULT {json}` line).
//
//   node --expose-gc --require tsx/cjs bench/measure.ts time <reference|large> <scale> <runs>
//   node --expose-gc --trace-gc --require tsx/cjs bench/measure.ts memory <reference|large> <scale>
//
// `time` measures, interleaved in this process after one warm-up round, `runs` rounds of:
//   library: new App, build the constructs, app.synthYaml() (validation included);
//   raw:     new App, the same manifests as plain ApiObjects (no validation) in the same charts with
//            the same chart dependencies (the same numbered files in the same apply order),
//            app.synthYaml();
//   floor:   Yaml.stringify(...manifests), the serializer cdk8s itself calls;
// each after a forced GC, rotating which goes first, and checks that the three outputs are
// byte-identical; before the rounds, that `app.synth()` writes the same files for library and raw.
// `rawUnorderedMs` times raw without the chart dependencies (files unnumbered, out of apply order),
// for comparison with the results of earlier versions. `memory` runs the library path once in a fresh process and reports its peak
// RSS (getrusage maxRSS) and peak V8 heap (the largest heap-used figure that --trace-gc prints
// before a collection, or the heap used at the end, whichever is larger).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { buildLarge, buildReference } from './scenarios';

type Builder = (app: App) => void;

interface Output { readonly ms: number; readonly yaml: string }

const gc: () => void = (globalThis as any).gc ?? (() => { throw new Error('run with --expose-gc'); });

function builderOf(scenario: string, scale: number): Builder {
  if (scenario === 'reference') return buildReference;
  if (scenario === 'large') return app => buildLarge(app, scale);
  throw new Error(`unknown scenario '${scenario}'; use reference or large`);
}

/** 1. The library: constructs built and synthesized, validation included. */
function library(build: Builder): Output & { buildMs: number } {
  gc();
  const t0 = performance.now();
  const app = new App();
  build(app);
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  return { ms: t2 - t0, buildMs: t1 - t0, yaml };
}

/** One chart of the library's output: its id, its manifests, the charts it depends on. */
interface ChartOutput { readonly chart: string; readonly docs: any[]; readonly after: string[] }

/** The manifests of an app, chart by chart, as synthesis renders them, with the chart dependencies. */
function manifestsOf(build: Builder): ChartOutput[] {
  const app = new App();
  build(app);
  app.synthYaml(); // validates and resolves dependencies first, as a synth does
  return app.charts.map(c => ({
    chart: c.node.id,
    docs: c.toJson(),
    after: c.node.dependencies.filter(d => Chart.isChart(d)).map(d => d.node.id),
  }));
}

/**
 * Raw cdk8s's app: the same manifests as plain ApiObjects in charts of the same ids; `ordered`
 * adds the library's chart dependencies, which a plain cdk8s app needs for the same numbered files
 * in the same apply order.
 */
function rawApp(charts: ChartOutput[], ordered: boolean, outdir?: string): App {
  const app = new App({ outdir });
  const byId = new Map<string, Chart>();
  for (const { chart: id, docs } of charts) {
    const chart = new Chart(app, id);
    byId.set(id, chart);
    docs.forEach((doc, i) => new ApiObject(chart, `o${i}`, doc));
  }
  if (ordered) for (const { chart: id, after } of charts) for (const dep of after) byId.get(id)!.addDependency(byId.get(dep)!);
  return app;
}

/** 2. Raw cdk8s: the same manifests as plain ApiObjects, no validation. */
function raw(charts: ChartOutput[], ordered = true): Output {
  gc();
  const t0 = performance.now();
  const yaml = rawApp(charts, ordered).synthYaml();
  return { ms: performance.now() - t0, yaml };
}

/** The files `app.synth()` writes, name to content. */
function filesOf(make: (outdir: string) => App): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-calico-bench-'));
  try {
    make(outdir).synth();
    return new Map(fs.readdirSync(outdir).sort().map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Whether library and raw write the same files with the same contents. */
function sameFiles(build: Builder, charts: ChartOutput[]): boolean {
  const lib = filesOf(outdir => {
    const app = new App({ outdir });
    build(app);
    return app;
  });
  const plain = filesOf(outdir => rawApp(charts, true, outdir));
  return lib.size === plain.size && [...lib].every(([name, text]) => plain.get(name) === text);
}

/** 3. The floor: the YAML serializer alone, as cdk8s calls it. */
function floor(docs: any[]): Output {
  gc();
  const t0 = performance.now();
  const yaml = Yaml.stringify(...docs);
  return { ms: performance.now() - t0, yaml };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(build: Builder, runs: number): object {
  const charts = manifestsOf(build);
  const docs = charts.flatMap(c => c.docs);
  const filesIdentical = sameFiles(build, charts);
  const lib: number[] = [];
  const libBuild: number[] = [];
  const rawMs: number[] = [];
  const rawUnorderedMs: number[] = [];
  const floorMs: number[] = [];
  let identical = true;
  let floorIdentical = true;
  // Round 0 warms up (JIT, heap sizing) and is not recorded; then the order rotates each round.
  for (let round = 0; round <= runs; round++) {
    const outputs: { [k: string]: Output & { buildMs?: number } } = {};
    const steps: Array<[string, () => Output & { buildMs?: number }]> = [
      ['library', () => library(build)],
      ['raw', () => raw(charts)],
      ['rawUnordered', () => raw(charts, false)],
      ['floor', () => floor(docs)],
    ];
    for (let k = 0; k < steps.length; k++) {
      const [name, step] = steps[(k + round) % steps.length];
      outputs[name] = step();
    }
    identical = identical && outputs.library.yaml === outputs.raw.yaml && outputs.library.yaml === outputs.rawUnordered.yaml;
    floorIdentical = floorIdentical && outputs.floor.yaml === outputs.library.yaml;
    if (round === 0) continue;
    lib.push(outputs.library.ms);
    libBuild.push(outputs.library.buildMs!);
    rawMs.push(outputs.raw.ms);
    rawUnorderedMs.push(outputs.rawUnordered.ms);
    floorMs.push(outputs.floor.ms);
  }
  return {
    objects: docs.length,
    yamlBytes: Buffer.byteLength(Yaml.stringify(...docs)),
    libraryMs: median(lib),
    libraryBuildMs: median(libBuild),
    rawMs: median(rawMs),
    rawUnorderedMs: median(rawUnorderedMs),
    floorMs: median(floorMs),
    // Ratios of the runs of one round (taken back to back), then the median: steadier than the
    // ratio of the medians on a machine whose speed drifts.
    pairedRatioRaw: median(lib.map((t, i) => t / rawMs[i])),
    pairedRatioFloor: median(lib.map((t, i) => t / floorMs[i])),
    runs: { library: lib, raw: rawMs, rawUnordered: rawUnorderedMs, floor: floorMs },
    identical: identical && filesIdentical,
    filesIdentical,
    floorIdentical,
  };
}

function memory(build: Builder): object {
  gc();
  const before = process.memoryUsage();
  const out = library(build);
  const after = process.memoryUsage();
  return {
    baselineRssMb: before.rss / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedEndMb: after.heapUsed / 2 ** 20,
    ms: out.ms,
  };
}

const [mode, scenario, scaleText, runsText] = process.argv.slice(2);
const build = builderOf(scenario, Number(scaleText ?? 1));
const result = mode === 'memory' ? memory(build) : time(build, Number(runsText ?? 5));
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
