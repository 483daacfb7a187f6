import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { AsNumber } from '../../src/resources/bgp-configuration';
import {
  BgpFilter, BgpFilterAction, BgpFilterMatchOperator, BgpFilterMatchSource, BgpFilterOperation, BgpFilterPeerType, BgpFilterProps, BgpFilterRule,
} from '../../src/resources/bgp-filter';
import { CalicoErrors } from '../../src/core/errors';
import { testLineFields } from '../support/line-fields';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

function specOf(props: BgpFilterProps): any {
  const chart = newChart();
  new BgpFilter(chart, 'filter', props);
  return findObject(synth(chart), 'BGPFilter', 'filter').spec;
}

describe('BgpFilter', () => {
  test('renders the four rule lists with Calico field names', () => {
    expect(specOf({
      exportV4: [{
        action: BgpFilterAction.ACCEPT, cidr: '10.244.0.0/16', matchOperator: BgpFilterMatchOperator.IN,
        source: BgpFilterMatchSource.REMOTE_PEERS, interfaceName: 'eth*',
      }],
      importV4: [{ action: BgpFilterAction.REJECT, cidr: '0.0.0.0/0', matchOperator: BgpFilterMatchOperator.EQUAL }],
      exportV6: [{ action: BgpFilterAction.REJECT, cidr: 'fd00::/8', matchOperator: BgpFilterMatchOperator.NOT_IN }],
      importV6: [{ action: BgpFilterAction.ACCEPT, cidr: 'fd00:1::/64', matchOperator: BgpFilterMatchOperator.NOT_EQUAL }],
    })).toEqual({
      exportV4: [{ action: 'Accept', cidr: '10.244.0.0/16', matchOperator: 'In', source: 'RemotePeers', interface: 'eth*' }],
      importV4: [{ action: 'Reject', cidr: '0.0.0.0/0', matchOperator: 'Equal' }],
      exportV6: [{ action: 'Reject', cidr: 'fd00::/8', matchOperator: 'NotIn' }],
      importV6: [{ action: 'Accept', cidr: 'fd00:1::/64', matchOperator: 'NotEqual' }],
    });
  });

  test('has no rules by default', () => {
    expect(specOf({})).toEqual({});
  });

  test('a rule with only an action matches every route', () => {
    expect(specOf({ importV4: [{ action: BgpFilterAction.REJECT }] })).toEqual({ importV4: [{ action: 'Reject' }] });
  });

  test('the add methods append rules in order', () => {
    const chart = newChart();
    const filter = new BgpFilter(chart, 'filter', { importV4: [{ action: BgpFilterAction.ACCEPT, cidr: '10.0.0.0/8', matchOperator: BgpFilterMatchOperator.IN }] });
    filter.addImportV4({ action: BgpFilterAction.REJECT });
    filter.addExportV4({ action: BgpFilterAction.ACCEPT, source: BgpFilterMatchSource.REMOTE_PEERS });
    filter.addExportV6({ action: BgpFilterAction.REJECT, interfaceName: 'vxlan-v6.calico' });
    filter.addImportV6({ action: BgpFilterAction.ACCEPT });
    const spec = findObject(synth(chart), 'BGPFilter', 'filter').spec;
    expect(spec.importV4.map((r: any) => r.action)).toEqual(['Accept', 'Reject']);
    expect(spec.exportV4).toEqual([{ action: 'Accept', source: 'RemotePeers' }]);
    expect(spec.exportV6).toEqual([{ action: 'Reject', interface: 'vxlan-v6.calico' }]);
    expect(spec.importV6).toEqual([{ action: 'Accept' }]);
  });

  test('fromFilterName refers to a filter by name', () => {
    expect(BgpFilter.fromFilterName('shared').name).toBe('shared');
  });

  test('keeps its own copy of the given rules', () => {
    const chart = newChart();
    const rules = [{ action: BgpFilterAction.ACCEPT }];
    new BgpFilter(chart, 'filter', { exportV4: rules });
    rules.push({ action: BgpFilterAction.REJECT });
    expect(findObject(synth(chart), 'BGPFilter', 'filter').spec.exportV4).toEqual([{ action: 'Accept' }]);
  });

  describe('errors', () => {
    test('fails when a cidr has no matchOperator', () => {
      const e = errorOf(() => new BgpFilter(newChart(), 'f', { importV4: [{ action: BgpFilterAction.REJECT, cidr: '10.0.0.0/8' }] }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.importV4\[0\]/);
    });

    test('fails when a matchOperator has no cidr', () => {
      expect(() => new BgpFilter(newChart(), 'f', { exportV4: [{ action: BgpFilterAction.REJECT, matchOperator: BgpFilterMatchOperator.IN }] }))
        .toThrow(/spec\.exportV4\[0\]/);
    });

    test('fails when an IPv4 rule carries an IPv6 CIDR', () => {
      expect(() => new BgpFilter(newChart(), 'f', {
        exportV4: [{ action: BgpFilterAction.ACCEPT, cidr: 'fd00::/8', matchOperator: BgpFilterMatchOperator.IN }],
      })).toThrow(/fd00::\/8/);
    });

    test('fails when an interface name is longer than 15 characters', () => {
      expect(() => new BgpFilter(newChart(), 'f', {
        exportV4: [{ action: BgpFilterAction.ACCEPT, interfaceName: 'a-very-long-interface' }],
      })).toThrow(/a-very-long-interface/);
    });

    test('an add method throws for a bad rule and keeps the list unchanged', () => {
      const chart = newChart();
      const filter = new BgpFilter(chart, 'f');
      expect(() => filter.addImportV6({ action: BgpFilterAction.ACCEPT, cidr: '10.0.0.0/8', matchOperator: BgpFilterMatchOperator.IN }))
        .toThrow(/spec\.importV6\[0\]/);
      expect(findObject(synth(chart), 'BGPFilter', 'f').spec).toEqual({});
    });
  });

  test('synthesizes output that passes the CRD schema, in both API groups', () => {
    const props: BgpFilterProps = {
      exportV4: [{ action: BgpFilterAction.ACCEPT, cidr: '10.0.0.0/8', matchOperator: BgpFilterMatchOperator.IN, source: BgpFilterMatchSource.REMOTE_PEERS }],
      importV6: [{ action: BgpFilterAction.REJECT, interfaceName: 'eth0' }],
    };
    const chart = newChart();
    new BgpFilter(chart, 'f', props);
    const v3 = synth(chart);
    expectCrdSchemaValid(v3);
    const crdChart = newChart();
    CalicoApi.use(crdChart, CalicoApiVersion.CRD_V1);
    new BgpFilter(crdChart, 'f', props);
    const crd = findObject(synth(crdChart), 'BGPFilter', 'f');
    expect(crd.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(crd.spec).toEqual(findObject(v3, 'BGPFilter', 'f').spec);
    expectCrdSchemaValid([crd]);
  });
});

describe('BgpFilter rule fields added since Calico v3.28', () => {
  const rule = (extra: Partial<BgpFilterRule>): BgpFilterProps => ({ exportV4: [{ action: BgpFilterAction.ACCEPT, ...extra }] });
  testLineFields<BgpFilterProps>({ kind: 'BGPFilter', make: (chart, props) => new BgpFilter(chart, 'filter', props), base: rule({}) }, [
    {
      prop: 'prefixLength',
      props: rule({ cidr: '10.0.0.0/8', matchOperator: BgpFilterMatchOperator.IN, prefixLength: { min: 16, max: 24 } }),
      path: 'exportV4.0.prefixLength',
      value: { min: 16, max: 24 },
    },
    { prop: 'peerType', props: rule({ peerType: BgpFilterPeerType.EBGP }), path: 'exportV4.0.peerType', value: 'eBGP', since: 'v3.32' },
    { prop: 'communities', props: rule({ communities: ['65000:100'] }), path: 'exportV4.0.communities', value: { values: ['65000:100'] }, since: 'v3.32' },
    { prop: 'asPathPrefix', props: rule({ asPathPrefix: [AsNumber.of(65000), AsNumber.of(65001)] }), path: 'exportV4.0.asPathPrefix', value: [65000, 65001], since: 'v3.32' },
    { prop: 'priority', props: rule({ priority: 512 }), path: 'exportV4.0.priority', value: 512, since: 'v3.32' },
    {
      prop: 'operations',
      props: rule({ operations: [BgpFilterOperation.addCommunity('65000:1'), BgpFilterOperation.prependAsPath([AsNumber.of(65000)]), BgpFilterOperation.assignPriority(10)] }),
      path: 'exportV4.0.operations',
      value: [{ addCommunity: { value: '65000:1' } }, { prependASPath: { prefix: [65000] } }, { setPriority: { value: 10 } }],
      since: 'v3.32',
    },
  ]);

  test('empty lists are left out, as Calico leaves them out', () => {
    expect(specOf(rule({ communities: [], asPathPrefix: [], operations: [] }))).toEqual({ exportV4: [{ action: 'Accept' }] });
  });

  test('fails when a Reject rule has operations', () => {
    expect(() => new BgpFilter(newChart(), 'f', { importV6: [{ action: BgpFilterAction.REJECT, operations: [BgpFilterOperation.assignPriority(5)] }] }))
      .toThrow(/spec\.importV6\[0\]\.operations: operations change the routes a rule accepts, so a Reject rule cannot have them/);
  });

  test('fails when a rule matches more than one community', () => {
    expect(() => new BgpFilter(newChart(), 'f', rule({ communities: ['65000:1', '65000:2'] }))).toThrow(/spec\.exportV4\[0\]\.communities\.values: values has 2 entries/);
  });

  test('keeps its own copy of the nested lists of a rule', () => {
    const chart = newChart();
    const communities = ['65000:1'];
    new BgpFilter(chart, 'f', rule({ communities }));
    communities.push('65000:2');
    expect(findObject(synth(chart), 'BGPFilter', 'f').spec.exportV4[0].communities).toEqual({ values: ['65000:1'] });
  });
});
