import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { DefaultDenyChart } from './chart';

const app = new App();
new DefaultDenyChart(app, 'default-deny');
// calico-architecture.md beside the manifests: decisions, MTU, capacity, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
