// The charts of a cluster's staged output: the cluster's own chart holds the Calico resources;
// the other stages are charts the cluster creates beside it, on first use, each depending on the
// stages before it, so that cdk8s numbers the files in apply order. Settings (CalicoApi.use,
// CalicoVersion.use) made on the cluster's chart hold for its stage charts too.
import { ApiObject, App, Chart } from 'cdk8s';
import { onSynthesis } from '../../core/synthesis-hook';
import { linkScope } from '../../core/scope-links';
import { CalicoStage, STAGE_ORDER } from '../stages';

/** Argo CD's annotations (argo-cd.readthedocs.io, "Sync Phases and Waves" and "Sync Options"). */
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** The stage charts of one cluster. */
export class StageCharts {
  private readonly charts = new Map<CalicoStage, Chart>();

  /**
   * @param home the chart that holds the cluster (the resources stage)
   * @param argoCdSyncWaves whether every object gets its stage's Argo CD sync wave
   */
  constructor(private readonly home: Chart, private readonly argoCdSyncWaves: boolean) {
    this.charts.set(CalicoStage.RESOURCES, home);
    if (argoCdSyncWaves) this.annotateOnSynthesis(home, CalicoStage.RESOURCES);
  }

  /** The chart of a stage (created on first use). */
  public chartOf(stage: CalicoStage): Chart {
    let chart = this.charts.get(stage);
    if (chart) return chart;
    const app = App.of(this.home) as App;
    chart = new Chart(app, `${this.home.node.id}-${stage}`, { disableResourceNameHashes: true });
    linkScope(chart, this.home);
    const index = STAGE_ORDER.indexOf(stage);
    for (const [other, otherChart] of this.charts) {
      if (STAGE_ORDER.indexOf(other) < index) chart.addDependency(otherChart);
      else otherChart.addDependency(chart);
    }
    this.charts.set(stage, chart);
    if (this.argoCdSyncWaves) this.annotateOnSynthesis(chart, stage);
    return chart;
  }

  /** The stage of a chart of this cluster, or undefined. */
  public stageOf(chart: Chart): CalicoStage | undefined {
    for (const [stage, c] of this.charts) if (c === chart) return stage;
    return undefined;
  }

  /** The stages that have a chart, in apply order, with their charts. */
  public get stages(): Array<{ stage: CalicoStage; chart: Chart }> {
    return STAGE_ORDER.filter(s => this.charts.has(s)).map(stage => ({ stage, chart: this.charts.get(stage)! }));
  }

  /** Every object of `chart` gets the stage's sync wave when the chart is synthesized. */
  private annotateOnSynthesis(chart: Chart, stage: CalicoStage): void {
    const wave = String(STAGE_ORDER.indexOf(stage));
    onSynthesis(chart, () => {
      for (const c of chart.node.findAll()) {
        if (!(c instanceof ApiObject) || Chart.of(c) !== chart) continue;
        c.metadata.addAnnotation(SYNC_WAVE, wave);
        const options = syncOptionsOf(c);
        if (options) c.metadata.addAnnotation(SYNC_OPTIONS, options);
      }
    });
  }
}

/**
 * The sync options an object needs: a custom resource whose CRD arrives in the same sync cannot be
 * dry-run before it (SkipDryRunOnMissingResource); a Node is only labelled and annotated, never
 * created, pruned or deleted by the sync (server-side apply, no prune, no delete).
 */
function syncOptionsOf(o: ApiObject): string | undefined {
  if (o.apiVersion === 'v1' && o.kind === 'Node') return 'ServerSideApply=true,Prune=false,Delete=false';
  const group = o.apiGroup;
  if (group === 'projectcalico.org' || group === 'crd.projectcalico.org' || group === 'policy.networking.k8s.io' || group === 'cert-manager.io') {
    return 'SkipDryRunOnMissingResource=true';
  }
  return undefined;
}
