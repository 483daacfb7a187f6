import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { SingleSubnetChart } from './chart';

const app = new App();
new SingleSubnetChart(app, 'single-subnet');
// calico-architecture.md beside the manifests: decisions, MTU, capacity, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
