import { App } from 'cdk8s';
import { RoutableServicesChart } from './chart';

const app = new App();
new RoutableServicesChart(app, 'routable-services');
app.synth();
