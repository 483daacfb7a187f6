import * as fs from 'fs';
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
// validate first: its placeholder registrations must not overwrite the real validator below.
import { validateManifest } from '../../src/validation/validate';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoValidationError } from '../../src/core/errors';
import { LogSeverity } from '../../src/resources/felix-types';
import { KubeControllersConfiguration, KubeControllersConfigurationProps, LoadBalancerAssignIps } from '../../src/resources/kube-controllers-configuration';
import { CalicoVersion } from '../../src/core/calico-version';
import { crdFieldOf } from '../../src/validation/crd-schema';
import { KUBE_CONTROLLERS_FIELDS } from '../../src/validation/kube-controllers-configuration';
import { testLineFields } from '../support/line-fields';
import { calicoCrdsFile, errorOf, expectCrdSchemaValid, newChart, synth } from '../support/util';
import { LINE_VERSIONS } from '../support/versions';

const kcc = (spec: unknown, name = 'default') => ({ apiVersion: 'projectcalico.org/v3', kind: 'KubeControllersConfiguration', metadata: { name }, spec });
const issuesOf = (spec: unknown, name?: string) => validateManifest(kcc(spec, name));

// Upstream cases (libcalico-go validator_test.go, KubeControllersConfiguration entries). The Go
// cases validate sub-structs on their own; here each sits in a whole spec, with durations as
// metav1.Duration marshals them.
const UPSTREAM: Array<[string, Record<string, unknown>, boolean]> = [
  ['rejects invalid healthChecks', { healthChecks: 'invalid', controllers: {} }, false],
  ['accepts healthChecks Enabled', { healthChecks: 'Enabled', controllers: {} }, true],
  ['rejects an invalid log severity', { logSeverityScreen: 'invalid', controllers: {} }, false],
  ['accepts log severity Error', { logSeverityScreen: 'Error', controllers: {} }, true],
  ['accepts a compaction period', { etcdV3CompactionPeriod: '12m0s', controllers: {} }, true],
  ['accepts controllers with no values', { controllers: {} }, true],
  ['accepts controllers with empty values', { controllers: { node: {}, policy: {}, workloadEndpoint: {}, serviceAccount: {}, namespace: {} } }, true],
  ['accepts a node reconciler period', { controllers: { node: { reconcilerPeriod: '5m0s' } } }, true],
  ['rejects syncLabels yes', { controllers: { node: { syncLabels: 'yes' } } }, false],
  ['accepts syncLabels Disabled', { controllers: { node: { syncLabels: 'Disabled' } } }, true],
  ['rejects hostEndpoint autoCreate Totally', { controllers: { node: { hostEndpoint: { autoCreate: 'Totally' } } } }, false],
  ['accepts hostEndpoint autoCreate Enabled', { controllers: { node: { hostEndpoint: { autoCreate: 'Enabled' } } } }, true],
  ['accepts an empty hostEndpoint', { controllers: { node: { hostEndpoint: {} } } }, true],
  ['accepts a policy reconciler period', { controllers: { policy: { reconcilerPeriod: '5m30s' } } }, true],
  ['accepts a workload endpoint reconciler period', { controllers: { workloadEndpoint: { reconcilerPeriod: '5m30s' } } }, true],
  ['accepts a service account reconciler period', { controllers: { serviceAccount: { reconcilerPeriod: '5m30s' } } }, true],
  ['accepts a namespace reconciler period', { controllers: { namespace: { reconcilerPeriod: '5m30s' } } }, true],
];

describe('KubeControllersConfiguration validation: upstream calicoctl cases', () => {
  test.each(UPSTREAM)('%s', (_name, spec, valid) => {
    const issues = issuesOf(spec);
    if (valid) expect(issues).toEqual([]);
    else expect(issues.length).toBeGreaterThan(0);
  });

  test('accepts a spec without controllers, as the v3 API does (it serializes them as {})', () => {
    expect(issuesOf({ healthChecks: 'Disabled' })).toEqual([]);
  });
});

const RULES: Array<[string, unknown, string | undefined, string, RegExp]> = [
  ['a name other than default', { controllers: {} }, 'kcc', 'metadata.name', /KubeControllersConfiguration name 'kcc' is not allowed: Calico only accepts and reads the one named 'default'; name it 'default'/],
  ['a log level in the wrong case', { logSeverityScreen: 'info' }, undefined, 'spec.logSeverityScreen', /logSeverityScreen 'info' is not one of Debug, Info, Warning, Error, Fatal \(case-sensitive\); write 'Info'/],
  ['a bad healthChecks', { healthChecks: 'On' }, undefined, 'spec.healthChecks', /healthChecks 'On' is not one of Enabled, Disabled/],
  ['a compaction period without a unit', { etcdV3CompactionPeriod: '10' }, undefined, 'spec.etcdV3CompactionPeriod', /etcdV3CompactionPeriod '10' is not a duration/],
  ['a negative reconciler period', { controllers: { policy: { reconcilerPeriod: '-5m' } } }, undefined, 'spec.controllers.policy.reconcilerPeriod',
    /controllers.policy.reconcilerPeriod '-5m' is negative; use a duration of '0s' or more/],
  ['a leak grace period that is not a string', { controllers: { node: { leakGracePeriod: 900 } } }, undefined, 'spec.controllers.node.leakGracePeriod',
    /leakGracePeriod must be a duration string such as '30s' or '5m', got 900/],
  ['a metrics port above 65535', { prometheusMetricsPort: 70000 }, undefined, 'spec.prometheusMetricsPort', /prometheusMetricsPort 70000 is out of range .*; use a value from 0 to 65535/],
  ['a debug profile port below 0', { debugProfilePort: -1 }, undefined, 'spec.debugProfilePort', /debugProfilePort -1 is out of range/],
  ['an unknown field, suggesting the right one', { healthCheck: 'Enabled' }, undefined, 'spec.healthCheck', /a KubeControllersConfiguration spec has no field 'healthCheck'; did you mean 'healthChecks'\?/],
  ['a bad loadBalancer assignIPs', { controllers: { loadBalancer: { assignIPs: 'Some' } } }, undefined, 'spec.controllers.loadBalancer.assignIPs',
    /controllers.loadBalancer.assignIPs 'Some' is not one of AllServices, RequestedServicesOnly/],
  ['an unknown controller setting', { controllers: { node: { numberOfWorkers: 2 } } }, undefined, 'spec.controllers.node.numberOfWorkers', /node has no field 'numberOfWorkers'/],
  ['controllers that are not an object', { controllers: [] }, undefined, 'spec.controllers', /controllers must be an object, got \[\]/],
  ['a spec that is not an object', 'x', undefined, 'spec', /spec must be an object, got 'x'/],
];

describe('KubeControllersConfiguration validation: every rule names the field, the value and the fix', () => {
  test.each(RULES)('reports %s', (_name, spec, name, at, message) => {
    const issues = issuesOf(spec, name);
    const match = issues.find(i => i.path === at && message.test(i.message));
    if (!match) throw new Error(`no issue at ${at} matching ${message}; got:\n${issues.map(i => `${i.path}: ${i.message}`).join('\n')}`);
    expect(match.message).toMatch(message);
  });

  test('a controller of a later line names the line that added it', () => {
    expect(validateManifest(kcc({ controllers: { policyMigration: { enabled: 'Enabled' } } }), CalicoVersion.V3_31_7)).toEqual([{
      path: 'spec.controllers.policyMigration',
      message: 'policyMigration is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    }]);
  });

  // KUBE_CONTROLLERS_FIELDS held every v3.28.5 field; each line's fields now come from the generated
  // CRD tables. What stays pinned: every field and controller of each line's CRD is accepted.
  test.each(LINE_VERSIONS.map(v => [v.line, v] as const))('knows exactly the fields of the %s CRD', (line, version) => {
    const crd = YAML.parseAllDocuments(fs.readFileSync(calicoCrdsFile(version), 'utf8'))
      .map(d => d.toJS()).find(d => d?.spec?.names?.kind === 'KubeControllersConfiguration');
    const schema = crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec;
    for (const key of Object.keys(KUBE_CONTROLLERS_FIELDS)) expect(crdFieldOf('KubeControllersConfiguration', `spec.${key}`, version)).toBeDefined();
    const controllers = schema.properties.controllers.properties;
    const expected = ['loadBalancer', 'namespace', 'node', 'policy', 'serviceAccount', 'workloadEndpoint', ...(line === 'v3.32' ? ['policyMigration'] : [])];
    expect(Object.keys(controllers).sort()).toEqual(expected.sort());
    // Each controller field the CRD lists is accepted; anything else would be reported as unknown.
    const template = { generateName: 'edge', interfaceCIDRs: ['10.0.0.0/24'], interfacePattern: '^eth', labels: { a: 'b' }, nodeSelector: 'has(edge)' };
    const full: Record<string, unknown> = {
      node: { reconcilerPeriod: '5m', syncLabels: 'Enabled', hostEndpoint: { autoCreate: 'Disabled', createDefaultHostEndpoint: 'Enabled', templates: [template] }, leakGracePeriod: '15m' },
      policy: { reconcilerPeriod: '5m' }, workloadEndpoint: { reconcilerPeriod: '5m' },
      serviceAccount: { reconcilerPeriod: '5m' }, namespace: { reconcilerPeriod: '5m' }, loadBalancer: { assignIPs: 'RequestedServicesOnly' },
      ...(line === 'v3.32' ? { policyMigration: { enabled: 'Disabled' } } : {}),
    };
    expect(Object.keys((full.node as object)).sort()).toEqual(Object.keys(controllers.node.properties).sort());
    expect(validateManifest(kcc({ controllers: full }), version)).toEqual([]);
  });

  test('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (spec, controllers) => {
      const issues = [...issuesOf(spec), ...issuesOf({ controllers })];
      expect(issues.some(i => /could not check/.test(i.message))).toBe(false);
    }), { numRuns: 300 });
  });
});

function render(props: KubeControllersConfigurationProps = {}): any {
  const chart = newChart();
  new KubeControllersConfiguration(chart, 'kcc', props);
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  return manifests[0];
}

describe('KubeControllersConfiguration construct', () => {
  test('is named default and enables every controller with Calico\'s defaults', () => {
    const m = render();
    expect(m.metadata.name).toBe('default');
    expect(m.spec).toEqual({ controllers: { node: {}, policy: {}, workloadEndpoint: {}, serviceAccount: {}, namespace: {} } });
  });

  test('refuses another name, because Calico reads only default', () => {
    const e = errorOf(() => new KubeControllersConfiguration(newChart(), 'kcc', { name: 'other' }));
    expect(e).toBeInstanceOf(CalicoValidationError);
    expect(e.message).toMatch(/metadata.name: KubeControllersConfiguration name 'other' is not allowed/);
  });

  test.each<[string, KubeControllersConfigurationProps, string, unknown]>([
    ['logSeverityScreen', { logSeverityScreen: LogSeverity.DEBUG }, 'logSeverityScreen', 'Debug'],
    ['healthChecks', { healthChecks: false }, 'healthChecks', 'Disabled'],
    ['etcdV3CompactionPeriod', { etcdV3CompactionPeriod: Duration.minutes(10) }, 'etcdV3CompactionPeriod', '10m0s'],
    ['prometheusMetricsPort', { prometheusMetricsPort: 0 }, 'prometheusMetricsPort', 0],
    ['debugProfilePort', { debugProfilePort: 6060 }, 'debugProfilePort', 6060],
    ['additionalFields', { additionalFields: { debugProfilePort: 6061 } }, 'debugProfilePort', 6061],
  ])('renders %s', (_name, props, field, expected) => {
    expect(render(props).spec[field]).toEqual(expected);
  });

  test('leaves top-level fields unset by default', () => {
    const spec = render().spec;
    for (const field of ['logSeverityScreen', 'healthChecks', 'etcdV3CompactionPeriod', 'prometheusMetricsPort', 'debugProfilePort']) {
      expect(spec).not.toHaveProperty(field);
    }
  });

  test('renders the node controller settings', () => {
    const spec = render({
      nodeController: {
        reconcilerPeriod: Duration.minutes(5), syncLabels: false, hostEndpointAutoCreate: true, leakGracePeriod: Duration.minutes(30),
      },
    }).spec;
    expect(spec.controllers.node).toEqual({ reconcilerPeriod: '5m0s', syncLabels: 'Disabled', hostEndpoint: { autoCreate: 'Enabled' }, leakGracePeriod: '30m0s' });
  });

  test.each<[keyof KubeControllersConfigurationProps, string]>([
    ['nodeController', 'node'], ['policyController', 'policy'], ['workloadEndpointController', 'workloadEndpoint'],
    ['serviceAccountController', 'serviceAccount'], ['namespaceController', 'namespace'],
  ])('%s: sets the reconciler period and can be disabled', (prop, key) => {
    expect(render({ [prop]: { reconcilerPeriod: Duration.seconds(330) } }).spec.controllers[key]).toEqual({ reconcilerPeriod: '5m30s' });
    const disabled = render({ [prop]: { enabled: false } }).spec.controllers;
    expect(disabled).not.toHaveProperty(key);
    expect(Object.keys(disabled)).toHaveLength(4);
  });

  test('renders sub-second periods exactly', () => {
    expect(render({ policyController: { reconcilerPeriod: Duration.millis(1500) } }).spec.controllers.policy.reconcilerPeriod).toBe('1.5s');
  });

  test.each<[string, KubeControllersConfigurationProps, RegExp]>([
    ['a metrics port above 65535', { prometheusMetricsPort: 70000 }, /prometheusMetricsPort 70000 is out of range/],
    ['a fractional debug port', { debugProfilePort: 1.5 }, /debugProfilePort must be a whole number, got 1.5/],
    ['an unknown additional field', { additionalFields: { healthCheck: 'Enabled' } }, /did you mean 'healthChecks'\?/],
    ['an additional field a typed prop sets', { healthChecks: true, additionalFields: { healthChecks: 'Enabled' } }, /additionalFields.healthChecks repeats a field a typed prop already sets/],
    ['a period that is not whole milliseconds', { etcdV3CompactionPeriod: Duration.millis(0.5) }, /etcdV3CompactionPeriod 0.5 millis is not a whole number of milliseconds/],
  ])('fails on %s', (_name, props, message) => {
    const e = errorOf(() => new KubeControllersConfiguration(newChart(), 'kcc', props));
    expect(e).toBeInstanceOf(CalicoValidationError);
    expect(e.message).toMatch(message);
  });

  test('applies Calico\'s defaults in CRD mode', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new KubeControllersConfiguration(chart, 'kcc', { policyController: { enabled: false } });
    const [m] = synth(chart);
    expectCrdSchemaValid([m]);
    expect(m.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(m.spec.prometheusMetricsPort).toBe(9094);
    expect(m.spec.controllers.node).toEqual({ leakGracePeriod: '15m0s' });
    expect(m.spec.controllers).not.toHaveProperty('policy');
  });

  test('keeps user values over Calico\'s defaults in CRD mode', () => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    new KubeControllersConfiguration(chart, 'kcc', { prometheusMetricsPort: 0, nodeController: { leakGracePeriod: Duration.minutes(1) } });
    const [m] = synth(chart);
    expect(m.spec.prometheusMetricsPort).toBe(0);
    expect(m.spec.controllers.node.leakGracePeriod).toBe('1m0s');
  });
});

describe('KubeControllersConfiguration controllers added since Calico v3.28', () => {
  testLineFields<KubeControllersConfigurationProps>({
    kind: 'KubeControllersConfiguration', make: (chart, props) => new KubeControllersConfiguration(chart, 'kcc', props), base: {},
  }, [
    {
      prop: 'loadBalancerController',
      props: { loadBalancerController: { assignIps: LoadBalancerAssignIps.REQUESTED_SERVICES_ONLY } },
      path: 'controllers.loadBalancer',
      value: { assignIPs: 'RequestedServicesOnly' },
    },
    {
      prop: 'policyMigrationController',
      props: { policyMigrationController: { enabled: false } },
      path: 'controllers.policyMigration',
      value: { enabled: 'Disabled' },
      since: 'v3.32',
    },
  ]);

  test.each(LINE_VERSIONS.map(v => [v.line, v] as const))('on Calico %s an empty loadBalancerController gets Calico\'s assignIPs in CRD mode', (_line, version) => {
    const chart = newChart();
    CalicoApi.use(chart, CalicoApiVersion.CRD_V1);
    CalicoVersion.use(chart, version);
    new KubeControllersConfiguration(chart, 'kcc', { loadBalancerController: {} });
    const kcc = synth(chart)[0];
    // libcalico-go/lib/clientv3/kubecontrollersconfig.go fills in AllServices on both lines.
    expect(kcc.spec.controllers.loadBalancer).toEqual({ assignIPs: 'AllServices' });
    expectCrdSchemaValid([kcc], version);
  });
});
