import { App } from 'cdk8s';
import { VxlanChart } from './chart';

const app = new App();
new VxlanChart(app, 'vxlan');
app.synth();
