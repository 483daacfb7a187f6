import { App } from 'cdk8s';
import { SingleSubnetChart } from './chart';

const app = new App();
new SingleSubnetChart(app, 'single-subnet');
app.synth();
