// CalicoNodeStatus: the CalicoNodeStatusSpec tags (node required and a name, classes required and
// unique, updatePeriodSeconds required, 0-86400), the same at v3.31.7 and v3.32.1; the status
// calico/node writes is checked against the CRD when given back.
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

function status(spec: unknown, extra: Record<string, unknown> = {}): any {
  return { apiVersion: 'projectcalico.org/v3', kind: 'CalicoNodeStatus', metadata: { name: 'node-1-status' }, spec, ...extra };
}

const VALID = { node: 'node-1', classes: ['Agent', 'BGP', 'Routes'], updatePeriodSeconds: 10 };

describe.each(EACH_LINE)('CalicoNodeStatus (%s)', (_line, version) => {
  const paths = (m: any) => validateManifest(m, version).map(i => i.path);

  test.each<[string, unknown, string[]]>([
    ['a complete spec', VALID, []],
    ['no spec', undefined, ['spec']],
    ['no node', { ...VALID, node: undefined }, ['spec.node']],
    ['a node that is no name', { ...VALID, node: 'Node_1' }, ['spec.node']],
    ['no classes', { ...VALID, classes: [] }, ['spec.classes']],
    ['an unknown class', { ...VALID, classes: ['Agent', 'Peers'] }, ['spec.classes[1]']],
    ['a class in the wrong case', { ...VALID, classes: ['bgp'] }, ['spec.classes[0]']],
    ['a class twice', { ...VALID, classes: ['BGP', 'BGP'] }, ['spec.classes[1]']],
    ['no update period', { ...VALID, updatePeriodSeconds: undefined }, ['spec.updatePeriodSeconds']],
    ['an update period of 0 (no updates)', { ...VALID, updatePeriodSeconds: 0 }, []],
    ['an update period of one day', { ...VALID, updatePeriodSeconds: 86400 }, []],
    ['an update period over a day', { ...VALID, updatePeriodSeconds: 86401 }, ['spec.updatePeriodSeconds']],
    ['an update period as text', { ...VALID, updatePeriodSeconds: '10' }, ['spec.updatePeriodSeconds']],
  ])('%s', (_name, spec, expected) => {
    expect(paths(status(spec))).toEqual(expected);
  });

  test('a status given back is checked against the line\'s CRD (v3.32 lists the states, v3.31 does not)', () => {
    expect(paths(status(VALID, { status: { agent: { birdV4: { state: 'Ready' } }, lastUpdated: '2025-01-31T12:00:00Z' } }))).toEqual([]);
    expect(paths(status(VALID, { status: { agent: { birdV4: { state: 'Up' } } } }))).toEqual(version.line === 'v3.32' ? ['status.agent.birdV4.state'] : []);
    expect(paths(status(VALID, { status: { lastUpdated: 'yesterday' } }))).toEqual(['status.lastUpdated']);
    expect(paths(status(VALID, { status: { bogus: 1 } }))).toEqual(['status.bogus']);
  });
});
