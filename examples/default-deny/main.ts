import { App } from 'cdk8s';
import { DefaultDenyChart } from './chart';

const app = new App();
new DefaultDenyChart(app, 'default-deny');
app.synth();
