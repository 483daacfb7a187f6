import { CalicoApiVersion } from '../../src/core/api-group';
import { CalicoErrors } from '../../src/core/errors';
import { CalicoNodeStatus, NodeStatusClass } from '../../src/resources/calico-node-status';
import { synthInBothGroups } from '../support/api-groups';
import { EACH_LINE } from '../support/versions';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

describe('CalicoNodeStatus', () => {
  test('renders the node, the classes and the update period', () => {
    const chart = newChart();
    new CalicoNodeStatus(chart, 'rr-a', { node: 'rr-a', classes: [NodeStatusClass.BGP, NodeStatusClass.ROUTES], updatePeriodSeconds: 30 });
    const status = findObject(synth(chart), 'CalicoNodeStatus', 'rr-a');
    expect(status.apiVersion).toBe('projectcalico.org/v3');
    expect(status.spec).toEqual({ node: 'rr-a', classes: ['BGP', 'Routes'], updatePeriodSeconds: 30 });
  });

  describe('defaults', () => {
    test('reports every class', () => {
      const chart = newChart();
      const status = new CalicoNodeStatus(chart, 's', { node: 'n1' });
      expect(status.classes).toEqual([NodeStatusClass.AGENT, NodeStatusClass.BGP, NodeStatusClass.ROUTES]);
      expect(findObject(synth(chart), 'CalicoNodeStatus', 's').spec.classes).toEqual(['Agent', 'BGP', 'Routes']);
    });

    test('updates every 10 seconds, written out because Calico requires the field', () => {
      const chart = newChart();
      const status = new CalicoNodeStatus(chart, 's', { node: 'n1' });
      expect(status.updatePeriodSeconds).toBe(10);
      expect(findObject(synth(chart), 'CalicoNodeStatus', 's').spec.updatePeriodSeconds).toBe(10);
    });

    test('an update period of 0 stops the updates', () => {
      expect(new CalicoNodeStatus(newChart(), 's', { node: 'n1', updatePeriodSeconds: 0 }).updatePeriodSeconds).toBe(0);
    });

    test('the name is the construct id, and the node is exposed', () => {
      const status = new CalicoNodeStatus(newChart(), 'status-n1', { node: 'n1' });
      expect([status.name, status.nodeName]).toEqual(['status-n1', 'n1']);
    });

    test('keeps its own copy of the classes', () => {
      const classes = [NodeStatusClass.BGP];
      const status = new CalicoNodeStatus(newChart(), 's', { node: 'n1', classes });
      classes.push(NodeStatusClass.AGENT);
      status.classes.push(NodeStatusClass.ROUTES);
      expect(status.classes).toEqual([NodeStatusClass.BGP]);
    });
  });

  describe('validation', () => {
    test('fails when the update period is longer than a day', () => {
      const e = errorOf(() => new CalicoNodeStatus(newChart(), 's', { node: 'n1', updatePeriodSeconds: 86_401 }));
      expect(CalicoErrors.isValidationError(e)).toBe(true);
      expect(e.message).toMatch(/spec\.updatePeriodSeconds: updatePeriodSeconds 86401 is out of range/);
    });

    test('fails when a class is listed twice', () => {
      expect(() => new CalicoNodeStatus(newChart(), 's', { node: 'n1', classes: [NodeStatusClass.BGP, NodeStatusClass.BGP] }))
        .toThrow(/spec\.classes\[1\]: classes lists 'BGP' more than once/);
    });

    test('fails when no class is listed', () => {
      expect(() => new CalicoNodeStatus(newChart(), 's', { node: 'n1', classes: [] })).toThrow(/spec\.classes: classes is required/);
    });

    test('fails when the node name is not a resource name', () => {
      expect(() => new CalicoNodeStatus(newChart(), 's', { node: 'Node_1' })).toThrow(/spec\.node/);
    });
  });

  test.each(EACH_LINE)('passes the CRD schema of Calico %s in both API groups, written as given', (_line, version) => {
    const out = synthInBothGroups(version, chart => new CalicoNodeStatus(chart, 's', { node: 'n1' }));
    // Calico applies no defaults to a CalicoNodeStatus on create: the CRD object is the v3 one.
    const [v3, crd] = [out.get(CalicoApiVersion.PROJECTCALICO_V3)![0], out.get(CalicoApiVersion.CRD_V1)![0]];
    expect(crd.spec).toEqual(v3.spec);
    expectCrdSchemaValid([crd], version);
  });
});
