// The charts of a cluster's staged output: the cluster's own chart holds the Calico resources;
// the other stages are charts the cluster creates beside it, on first use. Settings (CalicoApi.use,
// CalicoVersion.use) made on the cluster's chart hold for its stage charts too.
//
// Apply order comes from chart dependencies (cdk8s numbers the files in their topological order),
// made as few and as cheap as cdk8s allows: cdk8s turns a dependency between two charts into one
// between every object of one and every object of the other, and its dependency graph checks each
// such edge for a cycle by walking everything the target depends on. So only the last stage
// depends on the earlier ones (in stage order, the order cdk8s's walk emits them in), no stage
// depends on a stage that depends on others, and the links are made once every stage exists: when
// the app is synthesized (cdk8s validates before it orders the charts), or when the stages are read.
// Every stage depending on every earlier one made a 2,000-policy chart's synthesis 10 times slower.
// One exception: when the resources chart (the user's, usually by far the largest) is the last
// stage (no BGP, no node settings), it depends on the stage before it only, and each earlier stage
// on the one before it: its objects then pair with the install's, not with the CRDs' as well
// (12,000 resources without BGP: synthesis 1.5 s -> 1.1 s).
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { onSynthesis } from '../../core/synthesis-hook';
import { registerApplyOrder } from '../../core/apply-order';
import { linkScope } from '../../core/scope-links';
import { CalicoStage, STAGE_ORDER } from '../stages';

/** Argo CD's annotations (argo-cd.readthedocs.io, "Sync Phases and Waves" and "Sync Options"). */
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** Every cluster's stage charts, by app. */
const BY_APP = new WeakMap<App, StageCharts[]>();

/** Links the stage charts of every cluster of `app`, so that `app.charts` is in apply order. */
export function linkStageCharts(app: App): void {
  for (const stages of BY_APP.get(app) ?? []) stages.link();
}

/** The stage charts of one cluster. */
export class StageCharts {
  private readonly charts = new Map<CalicoStage, Chart>();
  /** Whether the chart dependencies are made (see link). */
  private linked = false;

  /**
   * @param home the chart that holds the cluster (the resources stage)
   * @param argoCdSyncWaves whether every object gets its stage's Argo CD sync wave
   */
  constructor(private readonly home: Chart, private readonly argoCdSyncWaves: boolean) {
    this.charts.set(CalicoStage.RESOURCES, home);
    const app = App.of(home) as App;
    BY_APP.set(app, [...BY_APP.get(app) ?? [], this]);
    onSynthesis(home, () => this.link());
    registerApplyOrder(home, { appliedBefore: (first, second) => this.orders(first, second), link: () => this.link() });
    if (argoCdSyncWaves) this.annotateOnSynthesis(home, CalicoStage.RESOURCES);
  }

  /** The chart of a stage (created on first use). */
  public chartOf(stage: CalicoStage): Chart {
    let chart = this.charts.get(stage);
    if (chart) return chart;
    const app = App.of(this.home) as App;
    chart = new Chart(app, `${this.home.node.id}-${stage}`, { disableResourceNameHashes: true });
    linkScope(chart, this.home);
    this.charts.set(stage, chart);
    if (this.linked) this.linkLate(stage, chart);
    if (this.argoCdSyncWaves) this.annotateOnSynthesis(chart, stage);
    return chart;
  }

  /**
   * Makes the last stage depend on every earlier one, in stage order; or, when the resources chart
   * is the last, each stage on the one before it (idempotent).
   */
  public link(): void {
    if (this.linked) return;
    this.linked = true;
    const stages = this.ordered();
    const last = stages[stages.length - 1];
    if (last.stage === CalicoStage.RESOURCES) {
      for (let i = 1; i < stages.length; i++) stages[i].chart.addDependency(stages[i - 1].chart);
      return;
    }
    for (const s of stages.slice(0, -1)) last.chart.addDependency(s.chart);
  }

  /**
   * A stage made after the links: the last stage depends on it when it comes before the last, else
   * it becomes the last and depends on every earlier stage; a stage after it (other than the last)
   * depends on it too, so that cdk8s's walk reaches it first whatever the order of the last's links.
   */
  private linkLate(stage: CalicoStage, chart: Chart): void {
    const stages = this.ordered();
    const at = stages.findIndex(s => s.stage === stage);
    if (at === stages.length - 1) {
      for (const s of stages.slice(0, -1)) chart.addDependency(s.chart);
      return;
    }
    stages[stages.length - 1].chart.addDependency(chart);
    if (at + 1 < stages.length - 1) stages[at + 1].chart.addDependency(chart);
  }

  /** Whether the stages put `first` before `second`: both in stage charts of this cluster, `first`'s stage earlier. */
  public orders(first: IConstruct, second: IConstruct): boolean {
    const a = this.stageOf(Chart.of(first));
    const b = this.stageOf(Chart.of(second));
    return a !== undefined && b !== undefined && STAGE_ORDER.indexOf(a) < STAGE_ORDER.indexOf(b);
  }

  /** The stages that have a chart, in apply order. */
  private ordered(): Array<{ stage: CalicoStage; chart: Chart }> {
    return STAGE_ORDER.filter(s => this.charts.has(s)).map(stage => ({ stage, chart: this.charts.get(stage)! }));
  }

  /** The stage of a chart of this cluster, or undefined. */
  public stageOf(chart: Chart): CalicoStage | undefined {
    for (const [stage, c] of this.charts) if (c === chart) return stage;
    return undefined;
  }

  /** The stages that have a chart, in apply order, with their charts (linked first, so that the app orders them). */
  public get stages(): Array<{ stage: CalicoStage; chart: Chart }> {
    this.link();
    return this.ordered();
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
