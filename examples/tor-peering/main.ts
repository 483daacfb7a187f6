import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { TorPeeringChart } from './chart';

const app = new App();
new TorPeeringChart(app, 'tor-peering');
// calico-architecture.md beside the manifests: decisions, MTU, capacity, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
