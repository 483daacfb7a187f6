import { App, Yaml } from 'cdk8s';
import { buildLarge } from './scenarios';
for (let i = 0; i < 6; i++) {
  const app = new App(); buildLarge(app, 1);
  for (const c of app.node.findAll()) c.node.validate();
  const docs: any[] = []; for (const chart of app.charts) docs.push(...(chart as any).toJson());
}
