import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from '../install/calico-cluster';
import { RouteReflectorPool } from '../topology/route-reflector-pool';
import { checkArguments } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { analyze } from './analyze';
import { renderReport } from './report-markdown';
import { SourcedObject } from './cluster-model';
import { parseCidr, parseCidrOrIp } from '../net/address';
import { ReachabilityLimits, ReachabilityMatrix, ReachabilityWorkload } from './reachability';
import { checkInventory, readLimits } from './private/reachability/inputs';
import { markdownText } from './private/reachability/markdown';
import { messageSvg } from './private/reachability/svg';

/**
 * Nodes the report should assume, for topologies whose nodes no Node object describes (for
 * example the nodes of each rack in a top-of-rack design).
 */
export interface CalicoReportNodeGroup {
  /** Name shown in the report, e.g. `rack a`. */
  readonly name: string;
  /** How many nodes the group has. */
  readonly count: number;
  /**
   * Labels every node of the group carries (BGPPeer and IPPool selectors are matched against them).
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * The subnet of the group's nodes (the diagram groups nodes by subnet).
   * @default - drawn outside any subnet
   */
  readonly subnet?: string;
}

/**
 * Props of a CalicoReport.
 */
export interface CalicoReportProps {
  /**
   * The cluster the report describes.
   * @default - the only CalicoCluster in the app (an error when there are none or several)
   */
  readonly cluster?: CalicoCluster;
  /**
   * Name of the file written into the app's output directory.
   * @default 'calico-architecture.md'
   */
  readonly fileName?: string;
  /**
   * The nodes that no Node object describes, by group. Replaces the groups the report derives
   * from `expectedNodes`, the node subnets and the labels the selectors test.
   * @default - derived: the cluster's expectedNodes spread evenly over the label values the
   *            BGPPeer and IPPool selectors test, or over the node subnets
   */
  readonly nodeGroups?: CalicoReportNodeGroup[];
  /**
   * Most node groups the topology diagram draws one by one; beyond it the diagram shows one box
   * per role (nodes, route reflectors, routers) with counts.
   * @default 24
   */
  readonly maxDiagramGroups?: number;
  /**
   * Whether the report has the section "Who may reach whom" (a reachability matrix from the
   * policy model) and writes its heat map, `reachabilityFileName`, beside it.
   * @default true
   */
  readonly reachabilityMatrix?: boolean;
  /**
   * Workloads the charts do not describe (pods another tool deploys), for the reachability matrix.
   * @default - the charts' workloads, and one pod without labels for each namespace the charts
   *            know (Namespace objects, namespaced policies) that has none
   */
  readonly workloads?: ReachabilityWorkload[];
  /**
   * How large the reachability matrix may grow.
   * @default - 30 workloads, 12 policy ports (and `other`), 20,000 evaluations
   */
  readonly reachabilityLimits?: ReachabilityLimits;
  /**
   * Name of the heat map of the reachability matrix, written beside the report.
   * @default - 'calico-reachability.svg' beside the default report file; otherwise the report's
   *            name with '.md' replaced by '-reachability.svg' (`network.md`: `network-reachability.svg`)
   */
  readonly reachabilityFileName?: string;
}

/** A report registered on an app: its file names, construct path, and how to write it. */
interface Registered {
  readonly fileNames: readonly string[];
  readonly path: string;
  readonly write: (outdir: string) => void;
}

const REPORTS = new WeakMap<App, Registered[]>();

/**
 * Writes `calico-architecture.md` beside the synthesized manifests: the Calico release, every
 * decision with its reason, the MTU table, IPAM capacity per pool, BGP sessions (full mesh versus the configured
 * reflectors and routers), a route-propagation check that proves every node learns every other
 * node's pod routes (or names the nodes that would not), a Mermaid diagram of the peering
 * topology, who may reach whom (a `ReachabilityMatrix` of the charts' workloads and namespaces and
 * the `workloads` given, with its heat map written beside the report as `calico-reachability.svg`),
 * advisories and the steps to apply separately.
 *
 * The report is built from the synthesized objects of every chart in the app, so it describes
 * exactly what `kubectl apply` / `calicoctl apply` would receive. It is written when the app is
 * synthesized (`app.synth()`, as `cdk8s synth` runs it) and is deterministic: the same app gives
 * the same file, byte for byte.
 *
 * @example
 * const calico = new CalicoCluster(chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24'] } });
 * new CalicoReport(chart, 'report', { cluster: calico });
 */
export class CalicoReport extends Construct {
  /** File name the report is written under unless `fileName` says otherwise. */
  public static readonly DEFAULT_FILE_NAME = 'calico-architecture.md';
  /** File name of the heat map beside the default report file. */
  public static readonly DEFAULT_REACHABILITY_FILE_NAME = 'calico-reachability.svg';

  /** Name of the file written into the app's output directory. */
  public readonly fileName: string;
  /**
   * Name of the reachability heat map written beside the report.
   * @default - none (`reachabilityMatrix` is false)
   */
  public readonly reachabilityFileName?: string;
  private readonly props: CalicoReportProps;
  private readonly app: App;

  /**
   * @param scope parent construct (any construct inside a cdk8s App)
   * @param id construct id
   * @param props which cluster, file name and node groups
   */
  constructor(scope: Construct, id: string, props: CalicoReportProps = {}) {
    checkArguments('CalicoReport', [scope, id, props]);
    super(scope, id);
    this.fileName = checkFileName(this, 'fileName', props.fileName ?? CalicoReport.DEFAULT_FILE_NAME, CalicoReport.DEFAULT_FILE_NAME);
    if (props.reachabilityMatrix ?? true) {
      this.reachabilityFileName = checkFileName(this, 'reachabilityFileName', props.reachabilityFileName
        ?? (this.fileName === CalicoReport.DEFAULT_FILE_NAME ? CalicoReport.DEFAULT_REACHABILITY_FILE_NAME : `${this.fileName.replace(/\.md$/, '')}-reachability.svg`),
      CalicoReport.DEFAULT_REACHABILITY_FILE_NAME);
      if (this.reachabilityFileName === this.fileName) {
        throw new CalicoValidationError(`CalicoReport: reachabilityFileName ${quote(this.reachabilityFileName)} is the report's own fileName; give the heat map another name`, this);
      }
      readLimits(props.reachabilityLimits ?? {}, 'CalicoReport: reachabilityLimits', this);
      checkInventory(props.workloads ?? [], 'CalicoReport', this);
    }
    const maxGroups = props.maxDiagramGroups ?? 24;
    if (!Number.isInteger(maxGroups) || maxGroups < 1) {
      throw new CalicoValidationError(`CalicoReport: maxDiagramGroups ${maxGroups} must be a whole number of at least 1`, this);
    }
    checkNodeGroups(this, props.nodeGroups ?? []);
    this.props = {
      ...props,
      nodeGroups: props.nodeGroups?.map(g => ({ ...g, labels: g.labels ? { ...g.labels } : undefined })),
      workloads: props.workloads?.map(w => ({
        ...w,
        labels: w.labels ? { ...w.labels } : undefined,
        namespaceLabels: w.namespaceLabels ? { ...w.namespaceLabels } : undefined,
        namedPorts: w.namedPorts?.map(p => ({ ...p })),
      })),
      reachabilityLimits: props.reachabilityLimits ? { ...props.reachabilityLimits } : undefined,
    };
    this.app = appOf(this);
    const reports = registerOn(this.app);
    const fileNames = [this.fileName, ...(this.reachabilityFileName !== undefined ? [this.reachabilityFileName] : [])];
    for (const name of fileNames) {
      const clash = reports.find(r => r.fileNames.includes(name));
      if (clash) {
        throw new CalicoValidationError(`CalicoReport: ${clash.path} already writes ${quote(name)} in this app; `
          + `give this report another ${name === this.fileName ? 'fileName' : 'reachabilityFileName'}`, this);
      }
    }
    reports.push({
      fileNames,
      path: this.node.path,
      write: outdir => {
        fs.mkdirSync(outdir, { recursive: true });
        const reachability = this.reachability();
        fs.writeFileSync(path.join(outdir, this.fileName), this.renderWith(reachability));
        if (this.reachabilityFileName !== undefined) {
          fs.writeFileSync(path.join(outdir, this.reachabilityFileName), reachabilitySvg(reachability));
        }
      },
    });
    addCalicoValidation(this, () => this.clusterProblems());
  }

  /**
   * The report as Markdown, from the app's current state (every chart's objects). Pure: calling
   * it changes nothing.
   */
  public render(): string {
    return this.renderWith(this.reachability());
  }

  /**
   * The reachability heat map (SVG) written beside the report, from the app's current state. Pure.
   * @throws CalicoValidationError when `reachabilityMatrix` is false
   */
  public renderReachabilitySvg(): string {
    if (this.reachabilityFileName === undefined) {
      throw new CalicoValidationError('CalicoReport: reachabilityMatrix is false, so the report has no heat map; leave reachabilityMatrix unset to draw it', this);
    }
    return reachabilitySvg(this.reachability());
  }

  /**
   * The reachability matrix of the app's charts, or why the policy model could not read them
   * (said in the report rather than failing the synth: the manifests' own validation names the
   * object). Undefined when the report has no matrix.
   */
  private reachability(): ReachabilityMatrix | CalicoValidationError | undefined {
    if (this.reachabilityFileName === undefined) return undefined;
    const manifests: any[] = [];
    for (const chart of chartsInOrder(this.app)) manifests.push(...chart.toJson());
    try {
      return ReachabilityMatrix.fromManifests(manifests, {
        ...this.props.reachabilityLimits,
        workloads: this.props.workloads,
        calicoVersion: this.resolveCluster().calicoVersion,
      });
    } catch (e) {
      if (e instanceof CalicoValidationError) return e;
      throw e;
    }
  }

  private renderWith(reachability: ReachabilityMatrix | CalicoValidationError | undefined): string {
    const cluster = this.resolveCluster();
    const objects: SourcedObject[] = [];
    const charts = chartsInOrder(this.app);
    for (const chart of charts) for (const manifest of chart.toJson()) objects.push({ manifest });
    const analysis = analyze({
      objects,
      expectedNodes: cluster.expectedNodes,
      nodeSubnets: cluster.nodeSubnets,
      serviceCidrs: cluster.serviceCidrs,
      networkMtu: cluster.networkMtu,
      backend: cluster.backend,
      calicoVersion: cluster.calicoVersion,
      nodeAddresses: reflectorAddresses(this.app),
      declaredGroups: this.props.nodeGroups?.map(g => ({ name: g.name, count: g.count, labels: g.labels ?? {}, subnet: g.subnet })),
    });
    const names = charts.map(c => c.node.id).join(', ');
    return renderReport(analysis, {
      sourceDescription: `the synthesized output of ${charts.length === 1 ? 'chart' : 'charts'} ${names}`,
      decisions: cluster.decisions,
      advisories: cluster.advisories,
      manualSteps: cluster.manualSteps,
      applySteps: cluster.applySteps,
      encapsulation: cluster.encapsulation,
      vethMtu: cluster.vethMtu,
      maxDiagramGroups: this.props.maxDiagramGroups ?? 24,
      reachability: reachability === undefined ? undefined : {
        markdown: reachability instanceof ReachabilityMatrix ? reachability.toMarkdown()
          : `The policy model could not read the manifests, so there is no matrix: ${markdownText(reachability.message)}\n`,
        imageFileName: this.reachabilityFileName!,
      },
    });
  }

  private clusterProblems(): string[] {
    try {
      this.resolveCluster();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  }

  private resolveCluster(): CalicoCluster {
    if (this.props.cluster) return this.props.cluster;
    const clusters = this.app.node.findAll().filter((c): c is CalicoCluster => c instanceof CalicoCluster);
    if (clusters.length === 1) return clusters[0];
    throw new CalicoValidationError(clusters.length === 0
      ? 'CalicoReport: the app has no CalicoCluster to describe; add one, or remove the report'
      : `CalicoReport: the app has ${clusters.length} CalicoClusters (${clusters.map(c => c.node.path).join(', ')}); pass the one to describe as \`cluster\``, this);
  }
}

/** The heat map, or an SVG that says why there is none. */
function reachabilitySvg(reachability: ReachabilityMatrix | CalicoValidationError | undefined): string {
  return reachability instanceof ReachabilityMatrix ? reachability.toSvg()
    : messageSvg('The policy model could not read the manifests; the report says why.');
}

function checkFileName(scope: Construct, prop: string, name: string, example: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new CalicoValidationError(`CalicoReport: ${prop} ${quote(name)} is not a plain file name; use letters, digits, '.', '_' and '-', `
      + `e.g. '${example}' (it is written into the app's output directory)`, scope);
  }
  return name;
}

/**
 * The reflectors' BGP addresses the app's RouteReflectorPools declare, by node name: the Kubernetes
 * Nodes the output labels carry none (calico-node detects and annotates it at start).
 */
function reflectorAddresses(app: App): Map<string, string> {
  const out = new Map<string, string>();
  for (const pool of app.node.findAll().filter((c): c is RouteReflectorPool => c instanceof RouteReflectorPool)) {
    for (const r of pool.reflectors) {
      const address = parseCidrOrIp(r.ipv4Address);
      if (address) out.set(r.nodeName, address.address.text);
    }
  }
  return out;
}

/** The app's charts in synthesis order; each CalicoCluster links its stage charts when they are read. */
function chartsInOrder(app: App): Chart[] {
  for (const c of app.node.findAll()) if (c instanceof CalicoCluster) void c.stageCharts;
  return app.charts;
}

function appOf(scope: Construct): App {
  const root = scope.node.root;
  if (!(root instanceof App)) {
    throw new CalicoValidationError('CalicoReport must be created inside a cdk8s App (it writes into the app\'s output directory); '
      + 'create the chart with `new Chart(new App(), ...)`', scope);
  }
  return root;
}

/** The reports of an app; the first call makes the app's synth() write them after its manifests. */
function registerOn(app: App): Registered[] {
  let reports = REPORTS.get(app);
  if (!reports) {
    reports = [];
    REPORTS.set(app, reports);
    const synth = app.synth.bind(app);
    Object.defineProperty(app, 'synth', {
      value: () => {
        synth();
        for (const r of reports!) r.write(app.outdir);
      },
      configurable: true,
      writable: true,
    });
  }
  return reports;
}

function checkNodeGroups(scope: Construct, groups: CalicoReportNodeGroup[]): void {
  const names = new Set<string>();
  for (const g of groups) {
    if (g.name.trim() === '') {
      throw new CalicoValidationError('CalicoReport: a node group needs a name, e.g. \'rack a\'', scope);
    }
    if (names.has(g.name)) throw new CalicoValidationError(`CalicoReport: node group name ${quote(g.name)} is used twice; give each group its own name`, scope);
    names.add(g.name);
    if (!Number.isInteger(g.count) || g.count < 0) {
      throw new CalicoValidationError(`CalicoReport: node group ${quote(g.name)} count ${g.count} must be a whole number of at least 0`, scope);
    }
    if (g.subnet !== undefined && !parseCidr(g.subnet)) {
      throw new CalicoValidationError(`CalicoReport: node group ${quote(g.name)} subnet ${quote(g.subnet)} is not a CIDR; write it as e.g. '10.0.1.0/24'`, scope);
    }
  }
}
