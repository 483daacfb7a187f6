// The cold-start baseline of `npm run bench`: the smallest cdk8s app, one chart with one object,
// run by `cdk8s synth` the same way as the reference example (`npx tsx`).
import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'hello');
new ApiObject(chart, 'greeting', {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'greeting' },
  data: { message: 'hello, world' },
});
app.synth();
