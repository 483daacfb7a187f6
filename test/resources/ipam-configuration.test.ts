import { CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { CalicoCluster } from '../../src/install/calico-cluster';
import { IpamConfiguration, VmAddressPersistence } from '../../src/resources/ipam-configuration';
import { chartFor } from '../support/api-groups';
import { EACH_LINE } from '../support/versions';
import { crdSchemaErrors, errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('IpamConfiguration', () => {
  test('renders strict affinity, the blocks per host and KubeVirt address persistence', () => {
    const chart = newChart();
    new IpamConfiguration(chart, 'ipam', { strictAffinity: true, maxBlocksPerHost: 4, kubeVirtVmAddressPersistence: VmAddressPersistence.DISABLED });
    const ipam = findObject(synth(chart), 'IPAMConfiguration', 'default');
    expect(ipam.apiVersion).toBe('projectcalico.org/v3');
    expect(ipam.spec).toEqual({ strictAffinity: true, maxBlocksPerHost: 4, kubeVirtVMAddressPersistence: 'Disabled' });
  });

  describe('defaults', () => {
    test('is named default, the only name Calico reads', () => {
      expect(new IpamConfiguration(newChart(), 'ipam').name).toBe('default');
    });

    test('strict affinity is off, and written out (Calico\'s type always carries it)', () => {
      const chart = newChart();
      const ipam = new IpamConfiguration(chart, 'ipam');
      expect(ipam.strictAffinity).toBe(false);
      expect(findObject(synth(chart), 'IPAMConfiguration', 'default').spec).toEqual({ strictAffinity: false });
    });

    test('blocks per host are unlimited (0), left out', () => {
      expect(new IpamConfiguration(newChart(), 'ipam').maxBlocksPerHost).toBe(0);
      expect(new IpamConfiguration(newChart(), 'ipam', { maxBlocksPerHost: 8 }).maxBlocksPerHost).toBe(8);
    });
  });

  describe('validation', () => {
    test('fails when named other than default', () => {
      const e = errorOf(() => new IpamConfiguration(newChart(), 'ipam', { name: 'cluster' }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/IPAMConfiguration name 'cluster' is not allowed: Calico reads only the one named 'default'/);
    });

    test('fails when maxBlocksPerHost is negative', () => {
      expect(() => new IpamConfiguration(newChart(), 'ipam', { maxBlocksPerHost: -1 })).toThrow(/spec\.maxBlocksPerHost: maxBlocksPerHost -1 is negative/);
    });

    test('kubeVirtVmAddressPersistence fails on Calico v3.31, naming v3.32', () => {
      const chart = chartFor(CalicoVersion.V3_31_7);
      expect(() => new IpamConfiguration(chart, 'ipam', { kubeVirtVmAddressPersistence: VmAddressPersistence.ENABLED }))
        .toThrow(/spec\.kubeVirtVMAddressPersistence: kubeVirtVMAddressPersistence is not in Calico v3\.31 \(added in v3\.32\)/);
    });

    test('kubeVirtVmAddressPersistence fails at synthesis under a v3.31 CalicoCluster', () => {
      const chart = newChart();
      new IpamConfiguration(chart, 'ipam', { kubeVirtVmAddressPersistence: VmAddressPersistence.ENABLED });
      new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] }, calicoVersion: CalicoVersion.V3_31_7 });
      expect(() => synth(chart)).toThrow(/not in Calico v3\.31 \(added in v3\.32\)/);
    });
  });

  describe.each(EACH_LINE)('on Calico %s', (_line, version) => {
    test('is stored as the IPAMConfig default, with autoAllocateBlocks as the API server sets it', () => {
      const chart = chartFor(version, CalicoApiVersion.CRD_V1);
      new IpamConfiguration(chart, 'ipam', { maxBlocksPerHost: 4 });
      const crd = synth(chart);
      expectCrdSchemaValid(crd, version);
      expect(crd.map(m => [m.apiVersion, m.kind, m.metadata.name])).toEqual([['crd.projectcalico.org/v1', 'IPAMConfig', 'default']]);
      expect(crd[0].spec).toEqual({ autoAllocateBlocks: true, maxBlocksPerHost: 4, strictAffinity: false });
    });

    test('the projectcalico.org/v3 object fits the CRD but for autoAllocateBlocks, which the API server adds', () => {
      const chart = chartFor(version);
      new IpamConfiguration(chart, 'ipam', { strictAffinity: true });
      expect(crdSchemaErrors(synth(chart), version)).toEqual([
        "IPAMConfiguration/default: spec must have required property 'autoAllocateBlocks' {\"missingProperty\":\"autoAllocateBlocks\"}",
      ]);
    });
  });
});
