import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { FullIpipChart } from './chart';

const app = new App();
new FullIpipChart(app, 'full-ipip');
// calico-architecture.md beside the manifests: decisions, MTU, capacity, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
