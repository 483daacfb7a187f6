import { ApiObject, App, Chart } from 'cdk8s';
import { buildLarge } from './scenarios';
const src = new App(); buildLarge(src, 1); const docs = src.charts[0].toJson();
for (let i = 0; i < 6; i++) {
  const app = new App(); const c = new Chart(app, 'large'); docs.forEach((d: any, j: number) => new ApiObject(c, `o${j}`, d));
  for (const x of app.node.findAll()) x.node.validate();
  for (const chart of app.charts) chart.toJson();
}
