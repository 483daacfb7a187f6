import { Testing } from 'cdk8s';
import { DefaultDenyChart } from '../../examples/default-deny/chart';
import { ReferenceChart } from '../../examples/reference/chart';
import { PolicyModel } from '../../src';
import { calicoMatchers } from '../../src/analysis/matchers';

expect.extend(calicoMatchers);

// The policy intent of the two examples that carry a default deny, proven offline.
const EXAMPLES = [
  ['default-deny', () => new DefaultDenyChart(Testing.app(), 'default-deny')],
  ['reference', () => new ReferenceChart(Testing.app(), 'reference')],
] as const;

const web = { namespaceName: 'org-1', labels: { app: 'web' } };
const api = { namespaceName: 'org-2', labels: { app: 'api' } };
const dns = { namespaceName: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const systemPod = { namespaceName: 'kube-system', labels: { app: 'metrics-server' } };

describe.each(EXAMPLES)('examples/%s policy', (_name, build) => {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const model = PolicyModel.fromChart(build());
  afterAll(() => stderr.mockRestore());

  test('denies cross-namespace traffic between application pods', () => {
    expect(model).toDeny({ source: api, destination: { namespaceName: 'org-3', labels: { app: 'db' } }, protocol: 'TCP', port: 5432 });
    const verdict = model.evaluate({ source: api, destination: { namespaceName: 'org-3', labels: { app: 'db' } }, protocol: 'TCP', port: 5432 });
    expect(verdict.egress.policyName).toBe('default-deny');
    expect(verdict.egress.allowed).toBe(false);
  });

  test('allows DNS to kube-dns over UDP and TCP 53', () => {
    expect(model).toAllow({ source: web, destination: dns, protocol: 'UDP', port: 53 });
    expect(model).toAllow({ source: web, destination: dns, protocol: 'TCP', port: 53 });
  });

  test('does not allow other ports to kube-dns through the DNS rules alone', () => {
    // kube-system is a system namespace: all traffic to it is allowed by the system-namespace rule.
    const verdict = model.evaluate({ source: web, destination: dns, protocol: 'TCP', port: 8080 });
    expect(verdict.egress.ruleIndex).toBe(2);
  });

  test('allows traffic to and from kube-system', () => {
    expect(model).toAllow({ source: web, destination: systemPod, protocol: 'TCP', port: 443 });
    expect(model).toAllow({ source: systemPod, destination: web, protocol: 'TCP', port: 8080 });
  });

  test('the org-1 override opens TCP 80 ingress, and only that', () => {
    expect(model).toAllow({ source: { ip: '203.0.113.7' }, destination: web, protocol: 'TCP', port: 80 });
    expect(model).toDeny({ source: { ip: '203.0.113.7' }, destination: web, protocol: 'TCP', port: 443 });
    expect(model).toDeny({ source: { ip: '203.0.113.7' }, destination: web, protocol: 'UDP', port: 80 });
    const verdict = model.evaluate({ source: { ip: '203.0.113.7' }, destination: web, protocol: 'TCP', port: 80 });
    expect(verdict.ingress.policyName).toBe('allow-http');
  });

  test('a pod in another namespace still needs an egress allowance to reach org-1', () => {
    const verdict = model.evaluate({ source: api, destination: web, protocol: 'TCP', port: 80 });
    expect(verdict.ingress.allowed).toBe(true);
    expect(verdict.egress.allowed).toBe(false);
  });
});
