// The exact commands that apply a cluster's output, stage by stage, and what to wait for between
// stages. Read at call time: the file names are cdk8s's (`<NNNN>-<chart>.k8s.yaml`, numbered over
// every chart of the app in dependency order), known only once every chart exists.

import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { quote } from '../../core/quote';
import { CalicoApiMode } from '../api-mode';
import type { ApplyStep } from '../cluster-records';
import { CalicoStage } from '../stages';
import { linkStageCharts } from './stage-charts';

/** What the commands depend on besides the charts. */
export interface ApplyContext {
  readonly mode: CalicoApiMode;
  /** The install namespace (calico-node, Typha, the webhooks). */
  readonly namespace: string;
  /** Whether the datastore is etcd (no Typha; calicoctl writes to etcd). */
  readonly etcd: boolean;
  /** The environment calicoctl needs to reach the datastore, ending in a space (`DATASTORE_TYPE=kubernetes `). */
  readonly calicoctlEnv: string;
  /**
   * With the Tigera operator, the TigeraStatus names of the components it runs for the output
   * (`calico`, `apiserver`, ...), which the install stage waits for; undefined in manifest mode.
   */
  readonly operatorStatuses?: readonly string[];
}

/** How long a wait command waits. */
const WAIT = '--timeout=10m';
/** The field manager of the server-side applies (so that the owner of each field is visible). */
const FIELD_MANAGER = '--field-manager=cdk8s-calico';

/**
 * The output path of each chart of the app, relative to its output directory: the file (or, for
 * `FOLDER_PER_CHART_FILE_PER_RESOURCE`, the folder) cdk8s writes it to. Undefined for the output
 * types that write no file per chart.
 */
export function outputPathsOf(app: App): Map<Chart, string> | undefined {
  linkStageCharts(app);
  const charts = app.charts;
  // cdk8s numbers the files when charts depend on each other (a staged output's do).
  const indexed = charts.some(c => c.node.dependencies.some(d => d instanceof Chart));
  const name = (chart: Chart, i: number) => `${indexed ? `${String(i).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
  if (app.yamlOutputType === YamlOutputType.FILE_PER_CHART) {
    return new Map(charts.map((c, i) => [c, `${name(c, i)}${app.outputFileExtension}`]));
  }
  if (app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
    return new Map(charts.map((c, i) => [c, `${name(c, i)}/`]));
  }
  return undefined;
}

/** The steps that apply `stages` (stage and chart, in apply order). */
export function applySteps(stages: ReadonlyArray<{ stage: CalicoStage; chart: Chart }>, ctx: ApplyContext): ApplyStep[] {
  if (stages.length === 0) return [];
  const paths = outputPathsOf(App.of(stages[0].chart) as App);
  return stages.map(({ stage, chart }) => {
    const path = paths?.get(chart) ?? `<the output of chart ${chart.node.id}>`;
    return { stage, path, ...commandsOf(stage, chart, path, ctx) };
  });
}

/** Whether calicoctl applies a stage's chart: in calicoctl mode, the stages with projectcalico.org/v3 objects. */
function appliedWithCalicoctl(chart: Chart, mode: CalicoApiMode): boolean {
  return mode === CalicoApiMode.CALICOCTL && objectsOf(chart).some(isV3);
}

/**
 * The objects of the stages calicoctl applies that are not projectcalico.org/v3, one sentence
 * each with the fix: calicoctl reads only projectcalico.org/v3 documents and refuses the whole
 * file when one is of another kind, so such a stage could not be applied with one command.
 */
export function calicoctlStageProblems(stages: ReadonlyArray<{ stage: CalicoStage; chart: Chart }>, mode: CalicoApiMode): string[] {
  return stages.filter(s => appliedWithCalicoctl(s.chart, mode)).flatMap(({ stage, chart }) => objectsOf(chart).filter(o => !isV3(o)).map(o =>
    `CalicoCluster: calicoctl applies the ${stage} stage (chart '${chart.node.id}'), and it reads only projectcalico.org/v3 documents, `
    + `but the stage holds ${o.apiVersion} ${o.kind} ${quote(o.name)} (${o.node.path}); move it to a chart of its own, applied with kubectl`));
}

function isV3(o: ApiObject): boolean {
  return o.apiVersion === 'projectcalico.org/v3';
}

function commandsOf(stage: CalicoStage, chart: Chart, path: string, ctx: ApplyContext): Omit<ApplyStep, 'stage' | 'path'> {
  if (appliedWithCalicoctl(chart, ctx.mode)) {
    return {
      description: `the ${stage} stage: projectcalico.org/v3 documents, which calicoctl writes${ctx.etcd ? ' to etcd' : ''}`,
      command: `${ctx.calicoctlEnv}calicoctl apply -f ${path}`,
    };
  }
  switch (stage) {
    case CalicoStage.CRDS:
      return {
        description: 'the CustomResourceDefinitions (server-side: the largest are too big for the last-applied annotation)',
        command: `kubectl apply --server-side ${FIELD_MANAGER} -f ${path}`,
        waitCommand: `kubectl wait --for=condition=Established ${WAIT} -f ${path}`,
      };
    case CalicoStage.INSTALL:
      if (ctx.operatorStatuses) return operatorInstallCommands(path, ctx.operatorStatuses, ctx.mode);
      return {
        description: `the install: RBAC, configuration, ${ctx.etcd ? '' : 'Typha, '}calico-node, kube-controllers${servingWhat(ctx.mode)}`,
        command: `kubectl apply -f ${path}`,
        waitCommand: [`kubectl -n ${ctx.namespace} rollout status daemonset/calico-node ${WAIT}`, ...servingWait(ctx)].join(' && '),
      };
    case CalicoStage.NODES:
      return {
        description: 'labels and annotations of existing nodes (server-side apply owns only these fields; a Node that does not exist yet would be created empty)',
        command: `kubectl apply --server-side ${FIELD_MANAGER} -f ${path}`,
      };
    case CalicoStage.BGP:
      return { description: 'the BGPConfiguration default, last: the node-to-node mesh changes only once its replacements are in place', command: `kubectl apply -f ${path}` };
    default:
      return { description: 'the Calico resources: pools, Felix settings, policies, peerings', command: `kubectl apply -f ${path}` };
  }
}

/** The operator resource whose component each TigeraStatus reports. */
const OPERATOR_KINDS: { readonly [status: string]: string } = { calico: 'Installation', apiserver: 'APIServer', goldmane: 'Goldmane', whisker: 'Whisker' };

/**
 * The operator's install stage: the operator creates each TigeraStatus once it reconciles the
 * component, so the wait first waits for it to exist (`kubectl wait --for=create`, kubectl 1.31+),
 * then for it to be Available.
 */
function operatorInstallCommands(path: string, statuses: readonly string[], mode: CalicoApiMode): Omit<ApplyStep, 'stage' | 'path'> {
  const names = statuses.map(s => `tigerastatus/${s}`).join(' ');
  const kinds = statuses.map(s => OPERATOR_KINDS[s] ?? s);
  return {
    description: `the Tigera operator (namespace, RBAC, Deployment) and what it is to run: ${kinds.join(', ')} default`,
    command: `kubectl apply -f ${path}`,
    waitCommand: [`kubectl wait --for=create ${WAIT} ${names}`, `kubectl wait --for=condition=Available ${WAIT} ${names}`,
      ...(mode === CalicoApiMode.API_SERVER ? [`kubectl wait --for=condition=Available ${WAIT} apiservice/v3.projectcalico.org`] : [])].join(' && '),
  };
}

function servingWhat(mode: CalicoApiMode): string {
  if (mode === CalicoApiMode.API_SERVER) return ', the Calico API server';
  if (mode === CalicoApiMode.NATIVE_V3_CRDS) return ', the calico-webhooks admission webhook and Calico\'s admission policies';
  return '';
}

/** What must be up before the next stage reaches the v3 API. */
function servingWait(ctx: ApplyContext): string[] {
  if (ctx.mode === CalicoApiMode.API_SERVER) return [`kubectl wait --for=condition=Available ${WAIT} apiservice/v3.projectcalico.org`];
  if (ctx.mode === CalicoApiMode.NATIVE_V3_CRDS) return [`kubectl -n ${ctx.namespace} rollout status deployment/calico-webhooks ${WAIT}`];
  return [];
}

function objectsOf(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}
