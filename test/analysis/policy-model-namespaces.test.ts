// Namespaces as PolicyModel reads them: calicoctl's rules (absent or '' is `default`), and a
// namespace that is not text is our error naming the field, never "5" or "[object Object]".
import { CalicoErrors, Flow } from '../../src';
import { PolicyModel } from '../../src/analysis/policy-model';
import { errorOf } from '../support/util';

const V3 = 'projectcalico.org/v3';

function denyAll(namespace: unknown): any {
  return { apiVersion: V3, kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace }, spec: { selector: 'all()', types: ['Ingress'] } };
}

function kubernetesDenyAll(namespace: unknown): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace }, spec: { podSelector: {} } };
}

function podIn(namespace: unknown): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace, labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } };
}

const into = (namespaceName: string | undefined): Flow => ({
  source: { ip: '203.0.113.7' },
  destination: { namespaceName, labels: { app: 'web' } },
  protocol: 'TCP',
  port: 80,
});

describe('PolicyModel namespaces', () => {
  test.each([
    ['a Calico NetworkPolicy', denyAll],
    ['a Kubernetes NetworkPolicy', kubernetesDenyAll],
    ['a Pod', podIn],
  ])('a namespace that is not text in %s is our error naming metadata.namespace', (_what, manifest) => {
    for (const bad of [5, {}, ['org-1'], true]) {
      const e = errorOf(() => PolicyModel.fromManifests([manifest(bad)]));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/metadata\.namespace: .* is not a namespace name; write it as text/);
      expect(e.message).not.toContain('[object Object]');
    }
  });

  test("a policy whose namespace is '' is in default, as calicoctl reads it", () => {
    const model = PolicyModel.fromManifests([denyAll('')]);
    expect(model.policies[0].namespaceName).toBe('default');
    expect(model.allows(into('default'))).toBe(false);
    expect(model.allows(into(undefined))).toBe(false);
    expect(model.allows(into('org-1'))).toBe(true);
  });

  test("a flow end whose namespaceName is '' is in default, like one without a namespace", () => {
    const model = PolicyModel.fromManifests([denyAll('default')]);
    expect(model.allows(into(''))).toBe(false);
    expect(model.evaluate(into('')).flow).toBe(model.evaluate(into(undefined)).flow);
  });

  test("a Pod in namespace '' is the workload of default", () => {
    const model = PolicyModel.fromManifests([podIn('')]);
    expect(model.workload('default', 'web').namespaceName).toBe('default');
    expect(model.workload('', 'web').namespaceName).toBe('default');
  });

  test.each([5, {}, null])('a flow end whose namespaceName is %p is our error naming the field', bad => {
    const model = PolicyModel.fromManifests([]);
    const e = errorOf(() => model.evaluate(into(bad as unknown as string)));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toContain('PolicyModel.evaluate(): flow.destination.namespaceName');
    expect(e.message).toContain('is not a string');
  });

  test('workload() with a namespace that is not text is our error naming the parameter', () => {
    const e = errorOf(() => PolicyModel.fromManifests([podIn('org-1')]).workload(5 as unknown as string, 'web'));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toBe('PolicyModel.workload(): namespaceName 5 is not a string');
  });
});
