// Table-driven tests of the props a construct gained for the fields Calico added since v3.28: for
// each, its default (the field left out, so Calico's own default applies), an override (the field
// written), the CRD schema of every line that has it in both API groups, and, for a field only
// v3.32 has, the error that names v3.32 when the chart is set to v3.31.
import { Chart } from 'cdk8s';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { synthInBothGroups } from './api-groups';
import { LINE_VERSIONS } from './versions';
import { errorOf, findAll, newChart, synth } from './util';

/** One prop and the spec field it writes. */
export interface LineField<P> {
  /** The prop, as the test names it. */
  readonly prop: string;
  /** Props that set it (with whatever else the construct needs). */
  readonly props: P;
  /** Where it lands in the spec, dot-separated, list indexes as numbers (`exportV4.0.peerType`). */
  readonly path: string;
  /** What it is written as. */
  readonly value: unknown;
  /** The first line that has the field; the older lines refuse it. */
  readonly since?: string;
}

/** What the table needs to know of the construct. */
export interface LineFieldSubject<P> {
  /** The Calico kind of the manifest. */
  readonly kind: string;
  /** Builds the construct in a chart. */
  readonly make: (chart: Chart, props: P) => void;
  /** Props that set none of the fields of the table. */
  readonly base: P;
}

function at(spec: any, path: string): unknown {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), spec);
}

/** Registers the tests of the table (call it inside a describe block). */
export function testLineFields<P>(subject: LineFieldSubject<P>, fields: ReadonlyArray<LineField<P>>): void {
  const specOf = (chart: Chart) => {
    const objects = findAll(synth(chart), subject.kind);
    expect(objects).toHaveLength(1);
    return objects[0].spec;
  };

  test.each(fields.map(f => [f.prop, f] as const))('%s is left out by default, for Calico\'s own default', (_prop, f) => {
    const chart = newChart();
    subject.make(chart, subject.base);
    expect(at(specOf(chart), f.path)).toBeUndefined();
  });

  test.each(fields.map(f => [f.prop, f] as const))('%s is written when given', (_prop, f) => {
    const chart = newChart();
    subject.make(chart, f.props);
    expect(at(specOf(chart), f.path)).toEqual(f.value);
  });

  for (const version of LINE_VERSIONS) {
    const present = fields.filter(f => f.since === undefined || version.isAtLeast(f.since));
    const absent = fields.filter(f => !present.includes(f));
    if (present.length) {
      test.each(present.map(f => [f.prop, f] as const))(`%s passes the CRD schema of Calico ${version.line} in both API groups`, (_prop, f) => {
        synthInBothGroups(version, chart => subject.make(chart, f.props));
      });
    }
    if (absent.length) {
      test.each(absent.map(f => [f.prop, f] as const))(`%s fails on Calico ${version.line}, naming the line that added it`, (_prop, f) => {
        const chart = newChart();
        CalicoVersion.use(chart, version);
        const e = errorOf(() => subject.make(chart, f.props));
        expect(CalicoErrors.isValidationError(e)).toBe(true);
        expect(e.message).toContain(`spec.${f.path.replace(/\.(\d+)/g, '[$1]')}`);
        expect(e.message).toContain(`is not in Calico ${version.line} (added in ${f.since})`);
      });
      test.each(absent.map(f => [f.prop, f] as const))(`%s fails at synthesis once a chart built for the default line is set to ${version.line}`, (_prop, f) => {
        const chart = newChart();
        subject.make(chart, f.props);
        CalicoVersion.use(chart, version);
        expect(() => synth(chart)).toThrow(`(added in ${f.since})`);
      });
    }
  }
}
