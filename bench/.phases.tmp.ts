import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { buildLarge } from './scenarios';
const gc: () => void = (globalThis as any).gc;
function phases(mk: (app: App) => void) {
  gc();
  const t0 = performance.now();
  const app = new App(); mk(app);
  const t1 = performance.now();
  // what synthYaml does, split
  const validate = (a: App) => { for (const c of a.node.findAll()) c.node.validate(); };
  validate(app);
  const t2 = performance.now();
  const docs: any[] = [];
  for (const chart of app.charts) docs.push(...(chart as any).toJson());
  const t3 = performance.now();
  Yaml.stringify(...docs);
  const t4 = performance.now();
  return [t1 - t0, t2 - t1, t3 - t2, t4 - t3];
}
const src = new App(); buildLarge(src, 1); const docs = src.charts[0].toJson();
const lib: number[][] = [], raw: number[][] = [];
for (let i = 0; i < 8; i++) {
  lib.push(phases(app => buildLarge(app, 1)));
  raw.push(phases(app => { const c = new Chart(app, 'large'); docs.forEach((d, j) => new ApiObject(c, `o${j}`, d)); }));
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, rows] of [['lib', lib], ['raw', raw]] as const) {
  console.log(name, ['build', 'validate', 'toJson(incl. chart validate)', 'yaml'].map((p, k) => `${p} ${med(rows.map(r => r[k])).toFixed(0)}`).join(' | '));
}
