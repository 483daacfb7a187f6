// IPAMConfiguration (stored as the kind IPAMConfig): the one object named 'default' (libcalico-go's
// IPAM configuration client), a maxBlocksPerHost of 0 or more (validateIPAMConfigSpec), the CRD's
// fields per line (kubeVirtVMAddressPersistence is new in v3.32) and, in crd.projectcalico.org/v1
// form, the fields that CRD requires.
import { CalicoVersion } from '../../src/core/calico-version';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function ipam(spec: unknown, name = 'default', kind = 'IPAMConfiguration', apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind, metadata: { name }, spec };
}

function messages(m: any, version?: CalicoVersion): string[] {
  return validateManifest(m, version).map(i => `${i.path}: ${i.message}`);
}

describe.each(EACH_LINE)('IPAMConfiguration (%s)', (_line, version) => {
  const paths = (m: any) => validateManifest(m, version).map(i => i.path);

  test.each<[string, any, string[]]>([
    ['strict affinity and a block limit', ipam({ strictAffinity: true, autoAllocateBlocks: true, maxBlocksPerHost: 4 }), []],
    ['another name', ipam({ strictAffinity: true }, 'cluster'), ['metadata.name']],
    ['a negative block limit', ipam({ maxBlocksPerHost: -1 }), ['spec.maxBlocksPerHost']],
    ['a block limit as text', ipam({ maxBlocksPerHost: '4' }), ['spec.maxBlocksPerHost']],
    ['strictAffinity as text', ipam({ strictAffinity: 'true' }), ['spec.strictAffinity']],
    ['the storage kind in crd.projectcalico.org/v1, complete', ipam({ strictAffinity: false, autoAllocateBlocks: true }, 'default', 'IPAMConfig', 'crd.projectcalico.org/v1'), []],
    ['the storage kind without the fields its CRD requires',
      ipam({ maxBlocksPerHost: 2 }, 'default', 'IPAMConfig', 'crd.projectcalico.org/v1'), ['spec.autoAllocateBlocks', 'spec.strictAffinity']],
    ['the storage kind in projectcalico.org/v3', ipam({}, 'default', 'IPAMConfig'), ['kind']],
    ['the v3 kind in crd.projectcalico.org/v1', ipam({ strictAffinity: false, autoAllocateBlocks: true }, 'default', 'IPAMConfiguration', 'crd.projectcalico.org/v1'), ['kind']],
  ])('%s', (_name, m, expected) => {
    expect(paths(m)).toEqual(expected);
  });
});

describe('IPAMConfiguration per line', () => {
  test('v3.32 has kubeVirtVMAddressPersistence (Enabled or Disabled)', () => {
    expect(messages(ipam({ kubeVirtVMAddressPersistence: 'Disabled' }))).toEqual([]);
    expect(messages(ipam({ kubeVirtVMAddressPersistence: 'Off' }))).toEqual([expect.stringMatching(/^spec\.kubeVirtVMAddressPersistence: kubeVirtVMAddressPersistence 'Off' is not one of Enabled, Disabled/)]);
  });

  test('v3.31 names the line that added it', () => {
    expect(messages(ipam({ kubeVirtVMAddressPersistence: 'Disabled' }), CalicoVersion.V3_31_7)).toEqual([
      'spec.kubeVirtVMAddressPersistence: kubeVirtVMAddressPersistence is not in Calico v3.31 (added in v3.32); remove it or use CalicoVersion.V3_32_1',
    ]);
  });
});
