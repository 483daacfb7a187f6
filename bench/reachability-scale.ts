// Scale check of the reachability matrix (a script, not a test; run `npx tsx bench/reachability-scale.ts`).
//
// Builds namespaces that each hold a Deployment, a Calico NetworkPolicy (ingress from the next
// namespace on two ports of its own) and a Kubernetes NetworkPolicy (one port), under a default
// deny, and times ReachabilityMatrix.fromManifests at the default limits (30 workloads, 12 policy
// ports and `other`: 11,700 evaluations) as the policies grow. The limits fix the number of
// evaluations, so the time grows with the policies each evaluation walks, not with the workloads.
import { performance } from 'perf_hooks';
import { Chart, Testing } from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { DefaultDenyPolicy, ReachabilityMatrix } from '../src';

function manifests(namespaces: number): any[] {
  const chart = new Chart(Testing.app(), 'reachability');
  new DefaultDenyPolicy(chart, 'deny');
  for (let i = 0; i < namespaces; i++) {
    const ns = `org-${i}`;
    new ApiObject(chart, `${ns}-app`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: ns },
      spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'app' }] } } },
    });
    new ApiObject(chart, `${ns}-calico`, {
      apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'from-next', namespace: ns },
      spec: {
        selector: "app == 'app'", types: ['Ingress'],
        ingress: [{ action: 'Allow', protocol: 'TCP', source: { namespaceSelector: `kubernetes.io/metadata.name == 'org-${(i + 1) % namespaces}'` }, destination: { ports: [8000 + (i % 40), 443] } }],
      },
    });
    new ApiObject(chart, `${ns}-k8s`, {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'metrics', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9090 }] }] },
    });
  }
  return Testing.synth(chart);
}

console.log('| namespaces | policies | workloads drawn | ports | evaluations | time (ms) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const namespaces of [10, 50, 250, 1000]) {
  const input = manifests(namespaces);
  const t0 = performance.now();
  const matrix = ReachabilityMatrix.fromManifests(input);
  const ms = performance.now() - t0;
  console.log(`| ${namespaces} | ${2 * namespaces + 1} | ${matrix.endpoints.length} | ${matrix.ports.length} | ${matrix.evaluations} | ${Math.round(ms)} |`);
}
