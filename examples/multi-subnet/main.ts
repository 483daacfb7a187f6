import { App } from 'cdk8s';
import { MultiSubnetChart } from './chart';

const app = new App();
new MultiSubnetChart(app, 'multi-subnet');
app.synth();
