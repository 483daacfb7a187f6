// Synthesizing a chart once per Calico API group, for the tests that check a construct's output in
// projectcalico.org/v3 and in crd.projectcalico.org/v1 for a given Calico line.
import { Chart } from 'cdk8s';
import { CalicoApi, CalicoApiVersion } from '../../src/core/api-group';
import { CalicoVersion } from '../../src/core/calico-version';
import { expectCrdSchemaValid, newChart, synth } from './util';

/** Both output API groups, projectcalico.org/v3 first. */
export const API_GROUPS: readonly CalicoApiVersion[] = [CalicoApiVersion.PROJECTCALICO_V3, CalicoApiVersion.CRD_V1];

/** A fresh chart set to a Calico version and an output API group. */
export function chartFor(version: CalicoVersion, apiVersion: CalicoApiVersion = CalicoApiVersion.PROJECTCALICO_V3): Chart {
  const chart = newChart();
  CalicoVersion.use(chart, version);
  CalicoApi.use(chart, apiVersion);
  return chart;
}

/**
 * Builds the same constructs in a chart of each API group for `version`, expects every Calico
 * object of each to pass that line's CRD schemas and to carry its group, and returns the manifests
 * by group.
 */
export function synthInBothGroups(version: CalicoVersion, build: (chart: Chart) => void): Map<CalicoApiVersion, any[]> {
  const out = new Map<CalicoApiVersion, any[]>();
  for (const apiVersion of API_GROUPS) {
    const chart = chartFor(version, apiVersion);
    build(chart);
    const manifests = synth(chart);
    expectCrdSchemaValid(manifests, version);
    for (const m of manifests) expect(m.apiVersion).toBe(apiVersion);
    out.set(apiVersion, manifests);
  }
  return out;
}
