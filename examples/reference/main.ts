import { App } from 'cdk8s';
import { ReferenceChart } from './chart';

const app = new App();
new ReferenceChart(app, 'reference');
app.synth();
