import { App } from 'cdk8s';
import { RouteReflectorsChart } from './chart';

const app = new App();
new RouteReflectorsChart(app, 'route-reflectors');
app.synth();
