import { ApiObject, Chart, Testing } from 'cdk8s';
import { CalicoVersion, GlobalNetworkPolicy, PolicyType, Port, RuleAction, Selector } from '../../src';
import { Flow, PolicyModel } from '../../src/analysis/policy-model';
import { calicoMatchers } from '../../src/analysis/matchers';

expect.extend(calicoMatchers);

const manifests = [
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] },
  },
  {
    apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'block-telnet' },
    spec: { order: 10, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: [23] } }] },
  },
];
const model = PolicyModel.fromManifests(manifests);
const web = { namespaceName: 'shop', labels: { app: 'web' } };
const api = { namespaceName: 'shop', labels: { app: 'api' } };
const allowed: Flow = { source: web, destination: api, protocol: 'TCP', port: 8080 };
const deniedByRule: Flow = { source: web, destination: api, protocol: 'TCP', port: 23 };
const deniedAtEnd: Flow = { source: web, destination: api, protocol: 'TCP', port: 9090 };

/** The message of a failing assertion. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

describe('toAllow and toDeny', () => {
  test('pass for the verdict the model gives', () => {
    expect(model).toAllow(allowed);
    expect(model).toDeny(deniedByRule);
    expect(model).toDeny(deniedAtEnd);
    expect(model).not.toDeny(allowed);
    expect(model).not.toAllow(deniedAtEnd);
  });

  test('accept a list of manifests or a chart instead of a model', () => {
    expect(manifests).toAllow(allowed);
    const chart = new Chart(Testing.app(), 'test');
    new GlobalNetworkPolicy(chart, 'only-https', {
      selector: Selector.eq('app', 'api'),
      policyTypes: [PolicyType.INGRESS],
      ingress: [{ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(443)] } }],
    });
    expect(chart).toAllow({ ...allowed, port: 443 });
    expect(chart).toDeny(allowed);
  });

  test('model a chart for its own Calico version', () => {
    // A Calico and a Kubernetes NetworkPolicy of one name and order: v3.31 runs the Calico one first
    // ("shop/default.api" < "shop/knp.default.api"), v3.32 the Kubernetes one
    // ("api/shop/KubernetesNetworkPolicy" < "api/shop/NetworkPolicy").
    const build = (version: CalicoVersion): Chart => {
      const chart = new Chart(Testing.app(), 'lines');
      CalicoVersion.use(chart, version);
      new ApiObject(chart, 'calico', {
        apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' },
        spec: { order: 1000, selector: "app == 'api'", types: ['Ingress'], ingress: [{ action: 'Deny' }] },
      });
      new ApiObject(chart, 'kube', {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{}] },
      });
      return chart;
    };
    expect(build(CalicoVersion.V3_31_7)).toDeny({ ...allowed, port: 443 });
    expect(build(CalicoVersion.V3_32_1)).toAllow({ ...allowed, port: 443 });
  });

  test('a failed toAllow names the deciding policy, direction, rule index and action', () => {
    const message = failure(() => expect(model).toAllow(deniedByRule));
    expect(message).toContain('expected the flow to be allowed, but it is denied');
    expect(message).toContain('TCP shop {app=web} -> shop {app=api} port 23: denied');
    expect(message).toContain('Ingress decided by: GlobalNetworkPolicy block-telnet, ingress rule 0 (spec.ingress[0]), action Deny');
    expect(message).toContain('Egress decided by: NoPolicy');
  });

  test('a failed toAllow explains a denial at the end of the tier with the rules looked at', () => {
    const message = failure(() => expect(model).toAllow(deniedAtEnd));
    expect(message).toContain('Ingress decided by: EndOfTier after KubernetesNetworkPolicy shop/api');
    expect(message).toContain('Kubernetes NetworkPolicy shop/api (order 1000) ingress rule 0 (spec.ingress[0].from[0], Allow): no match, port 9090 is not in [8080]');
  });

  test('a failed toDeny names the allowing rule', () => {
    const message = failure(() => expect(model).toDeny(allowed));
    expect(message).toContain('expected the flow to be denied, but it is allowed');
    expect(message).toContain('Ingress decided by: KubernetesNetworkPolicy shop/api, ingress rule 0 (spec.ingress[0].from[0]), action Allow');
  });

  test('a failed negated matcher says what was not expected', () => {
    expect(failure(() => expect(model).not.toAllow(allowed))).toContain('expected the flow not to be allowed, but it is allowed');
    expect(failure(() => expect(model).not.toDeny(deniedAtEnd))).toContain('expected the flow not to be denied, but it is denied');
  });

  test('warnings are shown', () => {
    const withService = PolicyModel.fromManifests([{
      apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'svc' },
      spec: { selector: "app == 'web'", types: ['Egress'], egress: [{ action: 'Allow', destination: { services: { name: 'db', namespace: 'shop' } } }] },
    }]);
    expect(failure(() => expect(withService).toAllow(allowed))).toContain('warning: rule spec.egress[0] matches the endpoints of Kubernetes Service shop/db');
  });

  test('refuse a value that is not a model, manifests or chart', () => {
    expect(() => expect('nope').toAllow(allowed)).toThrow('toAllow/toDeny need a PolicyModel, a list of manifests or a chart');
  });

  test('work when called directly, outside expect', () => {
    const result = calicoMatchers.toDeny(model, allowed);
    expect(result.pass).toBe(false);
    expect(result.message()).toContain('expected the flow to be denied');
  });
});
