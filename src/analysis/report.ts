import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from '../install/calico-cluster';
import { checkArguments } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { analyze } from './analyze';
import { renderReport } from './report-markdown';
import { SourcedObject } from './cluster-model';
import { parseCidr } from '../net/address';

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
}

/** A report registered on an app: its file name, construct path, and how to write it. */
interface Registered {
  readonly fileName: string;
  readonly path: string;
  readonly write: (outdir: string) => void;
}

const REPORTS = new WeakMap<App, Registered[]>();

/**
 * Writes `calico-architecture.md` beside the synthesized manifests: the Calico release, every
 * decision with its reason, the MTU table, IPAM capacity per pool, BGP sessions (full mesh versus the configured
 * reflectors and routers), a route-propagation check that proves every node learns every other
 * node's pod routes (or names the nodes that would not), a Mermaid diagram of the peering
 * topology, advisories and the steps to apply separately.
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

  /** Name of the file written into the app's output directory. */
  public readonly fileName: string;
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
    this.fileName = props.fileName ?? CalicoReport.DEFAULT_FILE_NAME;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(this.fileName)) {
      throw new CalicoValidationError(`CalicoReport: fileName ${quote(this.fileName)} is not a plain file name; use letters, digits, '.', '_' and '-', `
        + `e.g. '${CalicoReport.DEFAULT_FILE_NAME}' (it is written into the app's output directory)`, this);
    }
    const maxGroups = props.maxDiagramGroups ?? 24;
    if (!Number.isInteger(maxGroups) || maxGroups < 1) {
      throw new CalicoValidationError(`CalicoReport: maxDiagramGroups ${maxGroups} must be a whole number of at least 1`, this);
    }
    checkNodeGroups(this, props.nodeGroups ?? []);
    this.props = { ...props, nodeGroups: props.nodeGroups?.map(g => ({ ...g, labels: g.labels ? { ...g.labels } : undefined })) };
    this.app = appOf(this);
    const reports = registerOn(this.app);
    const clash = reports.find(r => r.fileName === this.fileName);
    if (clash) {
      throw new CalicoValidationError(`CalicoReport: ${clash.path} already writes ${quote(this.fileName)} in this app; `
        + 'give this report another fileName', this);
    }
    reports.push({
      fileName: this.fileName,
      path: this.node.path,
      write: outdir => {
        fs.mkdirSync(outdir, { recursive: true });
        fs.writeFileSync(path.join(outdir, this.fileName), this.render());
      },
    });
    addCalicoValidation(this, () => this.clusterProblems());
  }

  /**
   * The report as Markdown, from the app's current state (every chart's objects). Pure: calling
   * it changes nothing.
   */
  public render(): string {
    const cluster = this.resolveCluster();
    const objects: SourcedObject[] = [];
    const charts = this.app.charts;
    for (const chart of charts) for (const manifest of chart.toJson()) objects.push({ manifest });
    const analysis = analyze({
      objects,
      expectedNodes: cluster.expectedNodes,
      nodeSubnets: cluster.nodeSubnets,
      serviceCidrs: cluster.serviceCidrs,
      networkMtu: cluster.networkMtu,
      backend: cluster.backend,
      calicoVersion: cluster.calicoVersion,
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
