import { App } from 'cdk8s';
import { FullIpipChart } from './chart';

const app = new App();
new FullIpipChart(app, 'full-ipip');
app.synth();
