import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { addCalicoValidation, CalicoErrors, CalicoValidationError, childPath, withConstructPath } from '../../src/core/errors';
import { errorOf } from '../support/util';

describe('CalicoValidationError', () => {
  test('records the construct path of a construct, or of a path given as text', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const c = new Construct(chart, 'thing');
    expect(new CalicoValidationError('bad', c).message).toBe('[chart/thing] bad');
    expect(CalicoErrors.constructPathOf(new CalicoValidationError('bad', 'chart/later'))).toBe('chart/later');
    expect(new CalicoValidationError('bad').message).toBe('bad');
    expect(CalicoErrors.constructPathOf(new Error('x'))).toBeUndefined();
  });

  test('childPath is the path a construct will have, also directly under the root', () => {
    const app = Testing.app();
    expect(childPath(new Chart(app, 'chart'), 'x')).toBe('chart/x');
    expect(childPath(app, 'x')).toBe('x');
  });
});

describe('addCalicoValidation', () => {
  test('a failing whole-tree check throws the library\'s error for its construct, listing every problem', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const c = new Construct(chart, 'thing');
    addCalicoValidation(c, () => ['first problem', 'second problem']);
    const err = errorOf(() => Testing.synth(chart));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(CalicoErrors.constructPathOf(err)).toBe('chart/thing');
    expect(err.message).toBe('[chart/thing] first problem\nsecond problem');
  });

  test('a passing check lets the chart synthesize', () => {
    const chart = new Chart(Testing.app(), 'chart');
    addCalicoValidation(new Construct(chart, 'thing'), () => []);
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('withConstructPath', () => {
  test('adds the construct path to a value object\'s error, keeping its message and issues', () => {
    const issues = [{ path: 'spec.x', message: 'bad x' }];
    const err = errorOf(() => withConstructPath('chart/policy', () => {
      throw new CalicoValidationError('Selector.eq(): bad key', undefined, issues);
    })) as CalicoValidationError;
    expect(err.message).toBe('[chart/policy] Selector.eq(): bad key');
    expect(err.constructPath).toBe('chart/policy');
    expect(err.issues).toEqual(issues);
  });

  test('leaves an error that already has a path, and any other error, unchanged; returns the result', () => {
    const own = new CalicoValidationError('inner', 'chart/inner');
    expect(errorOf(() => withConstructPath('chart/outer', () => { throw own; }))).toBe(own);
    const plain = new TypeError('not ours');
    expect(errorOf(() => withConstructPath('chart/outer', () => { throw plain; }))).toBe(plain);
    expect(withConstructPath('chart/outer', () => 42)).toBe(42);
  });
});
