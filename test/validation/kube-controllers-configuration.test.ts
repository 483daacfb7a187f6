// KubeControllersConfiguration controllers new since v3.28, per line: the load-balancer controller
// (assignIPs), the node controller's default host endpoints and templates (kubecontrollersconfig.go
// tags: createDefaultHostEndpoint, name, cidrs, regexp, labels, selector) and v3.32's policy
// migration controller. The v3.28 rules are tested with the construct.
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function kcc(controllers: unknown): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'KubeControllersConfiguration', metadata: { name: 'default' }, spec: { controllers } };
}

const template = { generateName: 'edge', interfaceCIDRs: ['10.0.0.0/24'], interfacePattern: '^eth[0-9]+$', labels: { role: 'edge' }, nodeSelector: 'has(edge)' };

describe.each(EACH_LINE)('KubeControllersConfiguration controllers (%s)', (_line, version) => {
  const paths = (controllers: unknown) => validateManifest(kcc(controllers), version).map(i => i.path);

  test.each<[string, unknown, string[]]>([
    ['assignIPs RequestedServicesOnly', { loadBalancer: { assignIPs: 'RequestedServicesOnly' } }, []],
    ['assignIPs All', { loadBalancer: { assignIPs: 'All' } }, ['spec.controllers.loadBalancer.assignIPs']],
    ['default host endpoints', { node: { hostEndpoint: { autoCreate: 'Enabled', createDefaultHostEndpoint: 'Disabled' } } }, []],
    ['createDefaultHostEndpoint true', { node: { hostEndpoint: { createDefaultHostEndpoint: true } } }, ['spec.controllers.node.hostEndpoint.createDefaultHostEndpoint']],
    ['a host endpoint template', { node: { hostEndpoint: { autoCreate: 'Enabled', templates: [template] } } }, []],
    ['a template whose name is no name', { node: { hostEndpoint: { templates: [{ ...template, generateName: 'Edge_' }] } } },
      ['spec.controllers.node.hostEndpoint.templates[0].generateName']],
    ['a template CIDR that is no CIDR', { node: { hostEndpoint: { templates: [{ ...template, interfaceCIDRs: ['10.0.0.0/33'] }] } } },
      ['spec.controllers.node.hostEndpoint.templates[0].interfaceCIDRs[0]']],
    ['a template pattern that is no regular expression', { node: { hostEndpoint: { templates: [{ ...template, interfacePattern: '(eth' }] } } },
      ['spec.controllers.node.hostEndpoint.templates[0].interfacePattern']],
    ['a template label that is no label', { node: { hostEndpoint: { templates: [{ ...template, labels: { 'a b': 'c' } }] } } },
      ['spec.controllers.node.hostEndpoint.templates[0].labels.a b']],
    ['a template selector that does not parse', { node: { hostEndpoint: { templates: [{ ...template, nodeSelector: 'has(' }] } } },
      ['spec.controllers.node.hostEndpoint.templates[0].nodeSelector']],
  ])('%s', (_name, controllers, expected) => {
    expect(paths(controllers)).toEqual(expected);
  });
});

describe('the policy migration controller (v3.32)', () => {
  test('takes Enabled or Disabled', () => {
    expect(validateManifest(kcc({ policyMigration: { enabled: 'Disabled' } }))).toEqual([]);
    expect(validateManifest(kcc({ policyMigration: { enabled: 'No' } })).map(i => i.path)).toEqual(['spec.controllers.policyMigration.enabled']);
  });

  test('v3.31 names the line that added it, once', () => {
    expect(validateManifest(kcc({ policyMigration: { enabled: 'No' } }), CalicoVersion.V3_31_7).map(i => i.message)).toEqual([
      'policyMigration is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });
});
