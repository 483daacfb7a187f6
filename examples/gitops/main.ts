import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { GitOpsChart } from './chart';

const app = new App();
new GitOpsChart(app, 'gitops');
// calico-architecture.md beside the manifests: decisions, the stages and their commands, BGP, topology.
new CalicoReport(app, 'report');
app.synth();
