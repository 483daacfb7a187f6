import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { CalicoApiVersion } from '../../src/core/api-group';
import { CalicoErrors } from '../../src/core/errors';
import { IpipMode, IpPool, IpPoolAllowedUse, IpPoolAssignmentMode, VxlanMode } from '../../src/resources/ip-pool';
import { Selector } from '../../src/language/selector';
import { chartFor, synthInBothGroups } from '../support/api-groups';
import { EACH_LINE } from '../support/versions';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

function specOf(chart: Chart, name: string): any {
  return findObject(synth(chart), 'IPPool', name).spec;
}

describe('IpPool', () => {
  test('renders a projectcalico.org/v3 IPPool with the given fields', () => {
    const chart = newChart();
    new IpPool(chart, 'pods', {
      cidr: '10.244.0.0/16',
      blockSize: 24,
      vxlanMode: VxlanMode.CROSS_SUBNET,
      natOutgoing: true,
      nodeSelector: Selector.parse('all()'),
      labels: { tier: 'pods' },
    });
    const pool = findObject(synth(chart), 'IPPool', 'pods');
    expect(pool.apiVersion).toBe('projectcalico.org/v3');
    expect(pool.metadata).toEqual({ name: 'pods', labels: { tier: 'pods' } });
    expect(pool.spec).toEqual({
      cidr: '10.244.0.0/16',
      blockSize: 24,
      vxlanMode: 'CrossSubnet',
      natOutgoing: true,
      nodeSelector: 'all()',
    });
  });

  test('writes natOutgoing under its v3 key, never the deprecated nat-outgoing', () => {
    const chart = newChart();
    new IpPool(chart, 'pods', { cidr: '10.244.0.0/16', natOutgoing: false });
    const spec = specOf(chart, 'pods');
    expect(spec.natOutgoing).toBe(false);
    expect(spec).not.toHaveProperty('nat-outgoing');
  });

  test('uses the construct id as the name by default and the given name when set', () => {
    const chart = newChart();
    new IpPool(chart, 'by-id', { cidr: '10.1.0.0/16' });
    new IpPool(chart, 'other', { cidr: '10.2.0.0/16', name: 'explicit.pool' });
    const manifests = synth(chart);
    expect(findObject(manifests, 'IPPool', 'by-id').spec.cidr).toBe('10.1.0.0/16');
    expect(findObject(manifests, 'IPPool', 'explicit.pool').spec.cidr).toBe('10.2.0.0/16');
  });

  describe('defaults', () => {
    test('blockSize defaults to 26 for IPv4 and is left for Calico to fill in', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'v4', { cidr: '10.0.0.0/16' });
      expect(pool.blockSize).toBe(26);
      expect(pool.ipVersion).toBe(4);
      expect(specOf(chart, 'v4')).not.toHaveProperty('blockSize');
    });

    test('blockSize defaults to 122 for IPv6', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'v6', { cidr: 'fd00:10:244::/48' });
      expect(pool.blockSize).toBe(122);
      expect(pool.ipVersion).toBe(6);
      expect(specOf(chart, 'v6')).not.toHaveProperty('blockSize');
    });

    test('ipipMode and vxlanMode default to Never', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16' });
      expect(pool.ipipMode).toBe(IpipMode.NEVER);
      expect(pool.vxlanMode).toBe(VxlanMode.NEVER);
      const spec = specOf(chart, 'p');
      expect(spec).not.toHaveProperty('ipipMode');
      expect(spec).not.toHaveProperty('vxlanMode');
    });

    test('natOutgoing, disabled and disableBgpExport default to false', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16' });
      expect([pool.natOutgoing, pool.disabled, pool.disableBgpExport]).toEqual([false, false, false]);
      expect(Object.keys(specOf(chart, 'p'))).toEqual(['cidr']);
    });

    test('nodeSelector defaults to all()', () => {
      const pool = new IpPool(newChart(), 'p', { cidr: '10.0.0.0/16' });
      expect(pool.nodeSelector.toString()).toBe('all()');
    });

    test('allowedUses defaults to Workload and Tunnel', () => {
      const pool = new IpPool(newChart(), 'p', { cidr: '10.0.0.0/16' });
      expect(pool.allowedUses).toEqual([IpPoolAllowedUse.WORKLOAD, IpPoolAllowedUse.TUNNEL]);
    });
  });

  describe('overrides', () => {
    test('blockSize is written and resolved as given', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', blockSize: 28 });
      expect(pool.blockSize).toBe(28);
      expect(specOf(chart, 'p').blockSize).toBe(28);
    });

    test('ipipMode is written as given', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', ipipMode: IpipMode.CROSS_SUBNET });
      expect(pool.ipipMode).toBe(IpipMode.CROSS_SUBNET);
      expect(specOf(chart, 'p').ipipMode).toBe('CrossSubnet');
    });

    test('vxlanMode is written as given', () => {
      const chart = newChart();
      new IpPool(chart, 'p', { cidr: '10.0.0.0/16', vxlanMode: VxlanMode.ALWAYS });
      expect(specOf(chart, 'p').vxlanMode).toBe('Always');
    });

    test('disabled and disableBgpExport are written under their Calico keys', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', disabled: true, disableBgpExport: true });
      expect([pool.disabled, pool.disableBgpExport]).toEqual([true, true]);
      expect(specOf(chart, 'p')).toMatchObject({ disabled: true, disableBGPExport: true });
    });

    test('nodeSelector is written in canonical form', () => {
      const chart = newChart();
      const selector = Selector.parse("zone == 'a'");
      new IpPool(chart, 'p', { cidr: '10.0.0.0/16', nodeSelector: selector });
      expect(specOf(chart, 'p').nodeSelector).toBe(selector.toString());
    });

    test('allowedUses is written as given and returned as a copy', () => {
      const chart = newChart();
      const uses = [IpPoolAllowedUse.TUNNEL];
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', allowedUses: uses });
      uses.push(IpPoolAllowedUse.WORKLOAD);
      pool.allowedUses.push(IpPoolAllowedUse.WORKLOAD);
      expect(pool.allowedUses).toEqual([IpPoolAllowedUse.TUNNEL]);
      expect(specOf(chart, 'p').allowedUses).toEqual(['Tunnel']);
    });
  });

  describe('restrictNodeSelector', () => {
    test('a pool that is not restricted keeps all() and writes no nodeSelector of its own', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16' });
      expect(pool.nodeSelector.isAll()).toBe(true);
      expect(specOf(chart, 'p').nodeSelector).toBeUndefined();
    });

    test('replaces all() with the given selector, in the getter and the manifest', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', nodeSelector: Selector.all() });
      pool.restrictNodeSelector(Selector.eq('network-type', 'non-routable'));
      expect(pool.nodeSelector.toString()).toBe('network-type == "non-routable"');
      expect(specOf(chart, 'p').nodeSelector).toBe('network-type == "non-routable"');
    });

    test('narrows a given selector to nodes both select', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', nodeSelector: Selector.eq('zone', 'a') });
      pool.restrictNodeSelector(Selector.has('gpu'));
      expect(pool.nodeSelector.toString()).toBe('(zone == "a" && has(gpu))');
      expect(pool.nodeSelector.matches({ zone: 'a', gpu: 'true' })).toBe(true);
      expect(pool.nodeSelector.matches({ zone: 'a' })).toBe(false);
      expect(specOf(chart, 'p').nodeSelector).toBe('(zone == "a" && has(gpu))');
    });

    test('restricting to the selector in force or to all() changes nothing', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', nodeSelector: Selector.eq('zone', 'a') });
      pool.restrictNodeSelector(Selector.parse('zone == "a"'));
      pool.restrictNodeSelector(Selector.all());
      expect(specOf(chart, 'p').nodeSelector).toBe('zone == "a"');
    });

    test('renders the selector in force at synthesis, whenever it was restricted', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16' });
      const before = synth(chart);
      pool.restrictNodeSelector(Selector.eq('rack', 'r1'));
      expect(findObject(before, 'IPPool', 'p').spec.nodeSelector).toBeUndefined();
      expect(specOf(chart, 'p').nodeSelector).toBe('rack == "r1"');
      expect(pool.toManifest().spec.nodeSelector).toBe('rack == "r1"');
    });

    test('fails on a value that is not a Selector and keeps the selector in force', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16', nodeSelector: Selector.eq('zone', 'a') });
      const e = errorOf(() => pool.restrictNodeSelector('zone == "b"' as unknown as Selector));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/IPPool 'p'.*spec\.nodeSelector.*is not a Selector; use Selector\.parse/s);
      expect(pool.nodeSelector.toString()).toBe('zone == "a"');
    });
  });

  test('exposes the prefix length for capacity math', () => {
    expect(new IpPool(newChart(), 'a', { cidr: '10.0.0.0/18' }).prefixLength).toBe(18);
    expect(new IpPool(newChart(), 'b', { cidr: 'fd00::/64' }).prefixLength).toBe(64);
  });

  describe('errors', () => {
    test('fails when blockSize is 33', () => {
      const e = errorOf(() => new IpPool(newChart(), 'p', { cidr: '10.0.0.0/16', blockSize: 33 }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.blockSize/);
      expect(e.message).toMatch(/33/);
    });

    test('fails when an IPv6 blockSize is below 116', () => {
      expect(() => new IpPool(newChart(), 'p', { cidr: 'fd00::/48', blockSize: 64 })).toThrow(/spec\.blockSize/);
    });

    test('fails when the pool is smaller than one block', () => {
      expect(() => new IpPool(newChart(), 'p', { cidr: '10.0.0.0/28' })).toThrow(/spec\.cidr/);
    });

    test('fails when the CIDR has host bits set', () => {
      expect(() => new IpPool(newChart(), 'p', { cidr: '10.0.0.1/16' })).toThrow(/10\.0\.0\.1\/16/);
    });

    test('fails when IP-in-IP and VXLAN are both enabled', () => {
      expect(() => new IpPool(newChart(), 'p', {
        cidr: '10.0.0.0/16', ipipMode: IpipMode.ALWAYS, vxlanMode: VxlanMode.ALWAYS,
      })).toThrow(/ipipMode|vxlanMode/);
    });

    test('fails when IP-in-IP is enabled on an IPv6 pool', () => {
      expect(() => new IpPool(newChart(), 'p', { cidr: 'fd00::/48', ipipMode: IpipMode.ALWAYS })).toThrow(/spec\.ipipMode/);
    });

    test('fails when allowedUses is empty', () => {
      const e = errorOf(() => new IpPool(newChart(), 'p', { cidr: '10.0.0.0/16', allowedUses: [] }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.allowedUses/);
    });

    test('names the construct path in the error', () => {
      const chart = newChart();
      const e = errorOf(() => new IpPool(chart, 'bad', { cidr: '10.0.0.0/16', blockSize: 19 }));
      expect(CalicoErrors.constructPathOf(e)).toBe('test/bad');
    });
  });

  test('synthesizes output that passes the CRD schema of the default line', () => {
    const chart = newChart();
    new IpPool(chart, 'full', {
      cidr: '10.0.0.0/16', blockSize: 27, ipipMode: IpipMode.CROSS_SUBNET, vxlanMode: VxlanMode.NEVER,
      natOutgoing: true, disabled: false, disableBgpExport: true, nodeSelector: Selector.all(),
      allowedUses: [IpPoolAllowedUse.WORKLOAD],
    });
    new IpPool(chart, 'minimal-v6', { cidr: 'fd00:10:244::/48' });
    expectCrdSchemaValid(synth(chart));
  });

  test('renders the same manifest on every synthesis', () => {
    const chart = newChart();
    new IpPool(chart, 'p', { cidr: '10.0.0.0/16', natOutgoing: true });
    expect(synth(chart)).toEqual(synth(chart));
  });

  // Calico's create-time defaults of an IPPool are the same on both lines (clientv3/ippool.go).
  describe.each(EACH_LINE)('in crd.projectcalico.org/v1 mode on Calico %s', (_line, version) => {
    test('writes the CRD group with the defaults Calico applies on create', () => {
      const chart = chartFor(version, CalicoApiVersion.CRD_V1);
      new IpPool(chart, 'v4', { cidr: '10.0.0.0/16' });
      new IpPool(chart, 'v6', { cidr: 'fd00::/48' });
      const manifests = synth(chart);
      const v4 = findObject(manifests, 'IPPool', 'v4');
      expect(v4.apiVersion).toBe('crd.projectcalico.org/v1');
      expect(v4.spec).toEqual({
        allowedUses: ['Workload', 'Tunnel'],
        assignmentMode: 'Automatic',
        blockSize: 26,
        cidr: '10.0.0.0/16',
        ipipMode: 'Never',
        nodeSelector: 'all()',
        vxlanMode: 'Never',
      });
      expect(findObject(manifests, 'IPPool', 'v6').spec.blockSize).toBe(122);
      expectCrdSchemaValid(manifests, version);
    });

    test('keeps the values that are given', () => {
      const chart = chartFor(version, CalicoApiVersion.CRD_V1);
      new IpPool(chart, 'p', {
        cidr: '10.0.0.0/16', blockSize: 24, vxlanMode: VxlanMode.CROSS_SUBNET, natOutgoing: true,
        nodeSelector: Selector.parse('has(pods)'), allowedUses: [IpPoolAllowedUse.WORKLOAD],
        namespaceSelector: Selector.eq('team', 'a'), assignmentMode: IpPoolAssignmentMode.MANUAL,
      });
      expect(specOf(chart, 'p')).toEqual({
        allowedUses: ['Workload'],
        assignmentMode: 'Manual',
        blockSize: 24,
        cidr: '10.0.0.0/16',
        ipipMode: 'Never',
        namespaceSelector: 'team == "a"',
        natOutgoing: true,
        nodeSelector: Selector.parse('has(pods)').toString(),
        vxlanMode: 'CrossSubnet',
      });
      expectCrdSchemaValid(synth(chart), version);
    });
  });

  describe('namespaceSelector and assignmentMode', () => {
    test('by default every namespace may use the pool, assigned automatically; neither is written', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: '10.0.0.0/16' });
      expect([pool.namespaceSelector, pool.assignmentMode]).toEqual([undefined, IpPoolAssignmentMode.AUTOMATIC]);
      const spec = specOf(chart, 'p');
      expect([spec.namespaceSelector, spec.assignmentMode]).toEqual([undefined, undefined]);
    });

    test('are written when given', () => {
      const chart = newChart();
      const pool = new IpPool(chart, 'p', {
        cidr: '10.0.0.0/16', namespaceSelector: Selector.has('tenant'), assignmentMode: IpPoolAssignmentMode.MANUAL, allowedUses: [IpPoolAllowedUse.WORKLOAD],
      });
      expect(pool.assignmentMode).toBe(IpPoolAssignmentMode.MANUAL);
      expect(specOf(chart, 'p')).toMatchObject({ namespaceSelector: 'has(tenant)', assignmentMode: 'Manual' });
    });

    test('fails when a namespaceSelector meets the default Tunnel use, which belongs to nodes', () => {
      expect(() => new IpPool(newChart(), 'p', { cidr: '10.0.0.0/16', namespaceSelector: Selector.has('tenant') }))
        .toThrow(/spec\.namespaceSelector: namespaceSelector 'has\(tenant\)' cannot be set on a pool that serves tunnel addresses/);
    });

    test('a LoadBalancer pool is accepted on its own', () => {
      const chart = newChart();
      new IpPool(chart, 'lb', { cidr: '10.200.0.0/24', allowedUses: [IpPoolAllowedUse.LOAD_BALANCER] });
      expect(specOf(chart, 'lb').allowedUses).toEqual(['LoadBalancer']);
    });

    test.each(EACH_LINE)('both pass the CRD schema of Calico %s in both API groups', (_line, version) => {
      synthInBothGroups(version, chart => new IpPool(chart, 'p', {
        cidr: '10.0.0.0/16', namespaceSelector: Selector.has('tenant'), assignmentMode: IpPoolAssignmentMode.MANUAL, allowedUses: [IpPoolAllowedUse.WORKLOAD],
      }));
    });
  });

  test('any IPv4 pool with a block size between its prefix and 32 renders schema-valid output', () => {
    fc.assert(fc.property(fc.integer({ min: 8, max: 32 }), fc.integer({ min: 0, max: 12 }), (prefix, extra) => {
      const blockSize = Math.max(20, Math.min(32, prefix + extra));
      fc.pre(blockSize >= prefix);
      const chart = newChart();
      const pool = new IpPool(chart, 'p', { cidr: `10.0.0.0/${prefix}`, blockSize });
      expect(pool.blockSize).toBe(blockSize);
      expect(pool.prefixLength).toBe(prefix);
      expectCrdSchemaValid(synth(chart));
    }), { numRuns: 40 });
  });
});
