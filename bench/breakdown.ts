// Where the library's time over raw cdk8s goes, at the `large` size (a diagnosis, not part of
// `npm run bench`; run `npm run build && node --expose-gc --require tsx/cjs bench/breakdown.ts [scale]`).
//
// Starting from the raw baseline (the library's manifests as plain ApiObjects), each step adds one
// thing the library does, interleaved in this process, median of 7 runs after a warm-up:
//   raw ApiObjects -> + a wrapper construct per object (CalicoResource holds its ApiObject)
//   -> + the spec as a Lazy value -> + validateManifest at synthesis (cdk8s validates twice)
//   -> + validateManifest in the constructor -> the library itself (typed props, rendering).
import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import { validateManifest } from 'cdk8s-calico';
import { Construct } from 'constructs';
import { buildLarge } from './scenarios';

const gc: () => void = (globalThis as any).gc ?? (() => { throw new Error('run with --expose-gc'); });
const scale = Number(process.argv[2] ?? 1);

const source = new App();
buildLarge(source, scale);
source.synthYaml();
const docs: any[] = source.charts[0].toJson();
const isCalico = (doc: any) => doc.apiVersion === 'projectcalico.org/v3';

/** The object as the library declares it: a wrapper construct, the spec lazy, validations as asked. */
function wrapped(chart: Chart, doc: any, i: number, lazy: boolean, atSynth: boolean, inConstructor: boolean): void {
  const wrapper = new Construct(chart, `w${i}`);
  const { spec, ...rest } = doc;
  new ApiObject(wrapper, 'Resource', lazy && spec !== undefined ? { ...rest, spec: Lazy.any({ produce: () => spec }) } : doc);
  if (!isCalico(doc)) return;
  if (inConstructor) validateManifest(doc);
  if (atSynth) wrapper.node.addValidation({ validate: () => validateManifest(doc).map(issue => issue.message) });
}

const steps: Array<[string, (app: App) => void]> = [
  ['raw ApiObjects', app => { const c = new Chart(app, 'large'); docs.forEach((d, i) => new ApiObject(c, `o${i}`, d)); }],
  ['+ wrapper construct per object', app => { const c = new Chart(app, 'large'); docs.forEach((d, i) => wrapped(c, d, i, false, false, false)); }],
  ['+ spec as a Lazy value', app => { const c = new Chart(app, 'large'); docs.forEach((d, i) => wrapped(c, d, i, true, false, false)); }],
  ['+ validation at synthesis', app => { const c = new Chart(app, 'large'); docs.forEach((d, i) => wrapped(c, d, i, true, true, false)); }],
  ['+ validation in the constructor', app => { const c = new Chart(app, 'large'); docs.forEach((d, i) => wrapped(c, d, i, true, true, true)); }],
  ['the library', app => buildLarge(app, scale)],
];

const times = new Map<string, number[]>(steps.map(([name]) => [name, []]));
for (let round = 0; round <= 7; round++) {
  for (let k = 0; k < steps.length; k++) {
    const [name, build] = steps[(k + round) % steps.length];
    gc();
    const t0 = performance.now();
    const app = new App();
    build(app);
    app.synthYaml();
    if (round > 0) times.get(name)!.push(performance.now() - t0);
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(times.get('raw ApiObjects')!);
let previous = base;
console.log(`large x${scale}: ${docs.length} objects; median of 7 runs (ms), step cost and total ratio to raw`);
for (const [name] of steps) {
  const t = median(times.get(name)!);
  console.log(`${name.padEnd(34)} ${t.toFixed(0).padStart(6)}  ${(t - previous >= 0 ? '+' : '') + (t - previous).toFixed(0).padStart(5)}  x${(t / base).toFixed(2)}`);
  previous = t;
}
