import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { OperatorChart } from './chart';

const app = new App();
new OperatorChart(app, 'operator');
// calico-architecture.md beside the manifests: decisions (worded for the operator), MTU, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
