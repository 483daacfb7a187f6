import { App } from 'cdk8s';
import { CalicoReport } from 'cdk8s-calico';
import { TiersChart } from './chart';

const app = new App();
new TiersChart(app, 'tiers');
// calico-architecture.md beside the manifests, with who may reach whom (calico-reachability.svg).
new CalicoReport(app, 'report', {
  workloads: [
    { namespaceName: 'org-1', name: 'web', labels: { app: 'web' } },
    { namespaceName: 'org-2', name: 'api', labels: { app: 'api' } },
  ],
});
app.synth();
