import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { ReferenceChart } from './chart';

const app = new App();
new ReferenceChart(app, 'reference');
// calico-architecture.md beside the manifests: decisions, MTU, capacity, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
