import { App } from 'cdk8s';
import { RoutablePodsChart } from './chart';

const app = new App();
new RoutablePodsChart(app, 'routable-pods');
app.synth();
