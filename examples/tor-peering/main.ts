import { App } from 'cdk8s';
import { TorPeeringChart } from './chart';

const app = new App();
new TorPeeringChart(app, 'tor-peering');
app.synth();
