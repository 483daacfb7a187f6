// The CRD-constraints pass: after the kind's validator, each value is checked against what the
// chosen line's CRD declares, where the validator found nothing; projectcalico.org/v3 values count
// as calicoctl marshals them (an empty string or list is absent, an AS number may be text).
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';

const V31 = CalicoVersion.V3_31_7;
const CRD = 'crd.projectcalico.org/v1';

function messages(kind: string, spec: unknown, version?: CalicoVersion, apiVersion = 'projectcalico.org/v3', name = 'default'): string[] {
  return validateManifest({ apiVersion, kind, metadata: { name }, spec }, version).map(i => `${i.path}: ${i.message}`);
}

describe('the constraints of the chosen line\'s CRD', () => {
  test('a length limit v3.32 added (BGPPeer selectors: 4096 characters)', () => {
    const selector = Array(700).fill('has(rack)').join(' || ');
    expect(messages('BGPPeer', { nodeSelector: selector })).toEqual([
      `spec.nodeSelector: nodeSelector is ${selector.length} characters long; the Calico v3.32 BGPPeer CRD allows at most 4096, so shorten it`,
    ]);
    expect(messages('BGPPeer', { nodeSelector: selector }, V31)).toEqual([]);
  });

  test('a list size v3.32 added (policy HTTP methods: 20)', () => {
    const methods = Array.from({ length: 21 }, (_, i) => `M${i}`);
    const spec = { ingress: [{ action: 'Allow', http: { methods } }] };
    expect(messages('GlobalNetworkPolicy', spec)).toEqual([
      'spec.ingress[0].http.methods: methods has 21 entries; the Calico v3.32 GlobalNetworkPolicy CRD allows at most 20',
    ]);
    expect(messages('GlobalNetworkPolicy', spec, V31)).toEqual([]);
  });

  test('an enum without a check of its own', () => {
    expect(messages('BGPConfiguration', { serviceLoadBalancerAggregation: 'Off' })).toEqual([
      "spec.serviceLoadBalancerAggregation: serviceLoadBalancerAggregation 'Off' is not one of Enabled, Disabled (case-sensitive); use one of 'Enabled', 'Disabled'",
    ]);
  });

  test('a set list (v3.32): each entry once', () => {
    expect(messages('BGPConfiguration', { ignoredInterfaces: ['eth1', 'eth1'] })).toEqual([
      "spec.ignoredInterfaces[1]: ignoredInterfaces lists 'eth1' more than once; list each value once",
    ]);
    expect(messages('BGPConfiguration', { ignoredInterfaces: ['eth1', 'eth1'] }, V31)).toEqual([]);
  });

  test('a bound without a check of its own (KubeControllersConfiguration debugProfilePort, v3.32)', () => {
    expect(messages('KubeControllersConfiguration', { controllers: {}, debugProfilePort: 70000 })).toEqual([
      expect.stringMatching(/^spec\.debugProfilePort: debugProfilePort 70000 is out of range/),
    ]);
  });

  test('one issue per mistake: nothing where the validator spoke', () => {
    expect(messages('IPPool', { cidr: '10.0.0.0/16', ipipMode: 'always' })).toEqual([
      "spec.ipipMode: ipipMode 'always' is not a valid mode; write 'Always' (modes are case-sensitive)",
    ]);
  });
});

describe('projectcalico.org/v3 values as calicoctl marshals them', () => {
  test('an empty string is absent in projectcalico.org/v3, a value in crd.projectcalico.org/v1', () => {
    expect(messages('BGPPeer', { peerIP: '10.0.0.1', asNumber: 65001, nextHopMode: '' })).toEqual([]);
    expect(messages('BGPPeer', { peerIP: '10.0.0.1', asNumber: 65001, nextHopMode: '' }, undefined, CRD)).toEqual([
      "spec.nextHopMode: nextHopMode '' is not one of Auto, Self, Keep (case-sensitive); use one of 'Auto', 'Self', 'Keep'",
    ]);
  });

  test('an empty list is absent in projectcalico.org/v3 (types needs one entry in the v3.32 CRD)', () => {
    expect(messages('GlobalNetworkPolicy', { types: [] })).toEqual([]);
    expect(messages('GlobalNetworkPolicy', { types: [] }, undefined, CRD)).toEqual(['spec.types: types has 0 entries; the GlobalNetworkPolicy CRD needs at least 1']);
  });

  test('an AS number may be text in projectcalico.org/v3 only', () => {
    expect(messages('BGPConfiguration', { asNumber: '64512' })).toEqual([]);
    expect(messages('BGPConfiguration', { asNumber: '1.10' })).toEqual([]);
    expect(messages('BGPConfiguration', { asNumber: '64512' }, undefined, CRD)).toEqual([
      "spec.asNumber: asNumber '64512' must be an integer in crd.projectcalico.org/v1 (the CRD schema has no string form); write 64512",
    ]);
  });

  test('in crd.projectcalico.org/v1 form, the spec the v3.32 Tier CRD requires', () => {
    expect(messages('Tier', undefined, undefined, CRD, 'security')).toEqual(['spec: spec is required by the Calico v3.32 Tier CRD; add one (an empty spec takes the defaults)']);
    expect(messages('Tier', undefined, V31, CRD, 'security')).toEqual([]);
    expect(messages('Tier', undefined, undefined, 'projectcalico.org/v3', 'security')).toEqual([]);
  });

  test('in crd.projectcalico.org/v1 form, a field the CRD requires and does not default', () => {
    expect(messages('KubeControllersConfiguration', {}, undefined, CRD)).toEqual([
      'spec.controllers: controllers is required by the KubeControllersConfiguration CRD (crd.projectcalico.org/v1 has no default for it); set it',
    ]);
    expect(messages('KubeControllersConfiguration', {})).toEqual([]);
  });
});
