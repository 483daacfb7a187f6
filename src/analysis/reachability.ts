import { Chart } from 'cdk8s';
import { checkArguments, copyPlainData } from '../core/argument-check';
import { CalicoVersion } from '../core/calico-version';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { FlowEnd, NamedPort, PolicyModel } from './policy-model';
import { checkInventory, DEFAULT_LIMITS, readLimits } from './private/reachability/inputs';
import { matrixMarkdown } from './private/reachability/markdown';
import { comparePorts, compareText, KnownNamedPort, policyPorts, protocolOf } from './private/reachability/ports';
import { matrixSvg } from './private/reachability/svg';
import { MatrixView } from './private/reachability/view';

/**
 * A workload the manifests do not describe (a pod deployed by another tool, a team's service),
 * for the reachability matrix.
 *
 * @example
 * { namespaceName: 'org-1', name: 'web', labels: { app: 'web' }, namedPorts: [{ name: 'http', port: 8080 }] }
 */
export interface ReachabilityWorkload {
  /** The namespace it runs in (a Kubernetes namespace name, e.g. `org-1`). */
  readonly namespaceName: string;
  /**
   * Its name, e.g. the Deployment's (a Kubernetes object name). An entry named like a workload of
   * the manifests in the same namespace replaces that workload in the matrix.
   */
  readonly name: string;
  /**
   * Its pods' labels.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Its pods' service account.
   * @default 'default'
   */
  readonly serviceAccount?: string;
  /**
   * Its pods' named container ports (rules that name a port resolve to them).
   * @default - none
   */
  readonly namedPorts?: NamedPort[];
  /**
   * Labels of its namespace, for namespace selectors. They are added to the labels of the
   * manifests' Namespace object of that name (a key both give must have the same value there).
   * @default - the labels of the manifests' Namespace object, if any
   */
  readonly namespaceLabels?: { [key: string]: string };
}

/**
 * How large the reachability matrix may grow: it evaluates every source, destination and port,
 * so its work grows with workloads x workloads x ports.
 */
export interface ReachabilityLimits {
  /**
   * Most workloads drawn (as sources and as destinations). Beyond it the matrix keeps workloads
   * namespace by namespace in turn, so every namespace keeps at least one while it can.
   * @default 30
   */
  readonly maxWorkloads?: number;
  /**
   * Most of the ports the policies name to check; beyond it those named by the most rules stay.
   * The one port no policy names (`other`) is checked in addition.
   * @default 12
   */
  readonly maxPorts?: number;
  /**
   * Most flows evaluated. When workloads x workloads x ports would exceed it, fewer workloads are
   * drawn. The defaults need at most 30 x 30 x 13 = 11,700.
   * @default 20000
   */
  readonly maxEvaluations?: number;
}

/**
 * Options of a reachability matrix.
 */
export interface ReachabilityOptions extends ReachabilityLimits {
  /**
   * Workloads beyond those of the manifests.
   * @default - only the workloads of the manifests, and one pod without labels for each namespace
   *            that has none
   */
  readonly workloads?: ReachabilityWorkload[];
  /**
   * The Calico release whose semantics the evaluation follows.
   * @default - as `PolicyModel.fromManifests` and `PolicyModel.fromChart` choose
   */
  readonly calicoVersion?: CalicoVersion;
}

/** Where an end of the matrix comes from. */
export enum ReachabilityEndpointKind {
  /** A Pod or a workload controller of the manifests. */
  WORKLOAD = 'Workload',
  /** An entry of the supplied `workloads`. */
  INVENTORY = 'Inventory',
  /** A pod without labels, standing for a namespace that has no known workload. */
  NAMESPACE = 'Namespace',
}

/** A source and destination of the matrix. */
export interface ReachabilityEndpoint {
  /** How the matrix names it: `<namespace>/<name>`, or `<namespace>/*` for a namespace's pod. */
  readonly label: string;
  /** Its namespace. */
  readonly namespaceName: string;
  /**
   * Its workload's name.
   * @default - none (a namespace's pod without labels)
   */
  readonly name?: string;
  /** Where it comes from. */
  readonly kind: ReachabilityEndpointKind;
}

/** A port the matrix checks. */
export interface ReachabilityPort {
  /** The protocol: `TCP`, `UDP`, `SCTP` or `UDPLite`. */
  readonly protocol: string;
  /** The port number (for a range, its first port). */
  readonly port: number;
  /** How cells name it: `80` (TCP), `53/UDP`, or `other` for the port no policy names. */
  readonly label: string;
  /** Whether a policy names it (false only for `other`). */
  readonly namedByPolicy: boolean;
}

/** What one source may reach at one destination. */
export interface ReachabilityCell {
  /** The source's label. */
  readonly source: string;
  /** The destination's label. */
  readonly destination: string;
  /** Labels of the ports the flow is allowed on, in the matrix's port order. */
  readonly allowedPorts: string[];
  /** The share of the checked ports that are allowed, from 0 to 1. */
  readonly allowedFraction: number;
}

/** An end of the matrix with the flow end it is evaluated as. */
interface MatrixEnd {
  readonly info: ReachabilityEndpoint;
  readonly end: FlowEnd;
}

/** Most distinct evaluator warnings kept. */
const MAX_WARNINGS = 20;

/**
 * Who may reach whom: for the workloads the manifests and a supplied inventory know (and one pod
 * without labels for each namespace without a known workload), whether each may open a connection
 * to each on every port the policies name, plus one port none names, as `PolicyModel.evaluate`
 * decides. The ends carry no address (see `FlowEnd.ip`). Bounded by `ReachabilityLimits`, and
 * deterministic: the same manifests and options give the same matrix, SVG and Markdown.
 *
 * @example
 * const matrix = ReachabilityMatrix.fromChart(chart, { workloads: [{ namespaceName: 'org-1', name: 'web', labels: { app: 'web' } }] });
 * matrix.allows('org-1/web', 'org-2/*', '443'); // false
 * fs.writeFileSync('reachability.svg', matrix.toSvg());
 */
export class ReachabilityMatrix {
  /** Most workloads drawn unless `maxWorkloads` says otherwise. */
  public static readonly DEFAULT_MAX_WORKLOADS = DEFAULT_LIMITS.maxWorkloads;
  /** Most policy ports checked unless `maxPorts` says otherwise. */
  public static readonly DEFAULT_MAX_PORTS = DEFAULT_LIMITS.maxPorts;
  /** Most flows evaluated unless `maxEvaluations` says otherwise. */
  public static readonly DEFAULT_MAX_EVALUATIONS = DEFAULT_LIMITS.maxEvaluations;

  /**
   * The matrix of these manifests (plain objects, such as `Testing.synth(chart)`).
   * @param manifests the objects; kinds the policy model does not read are ignored
   * @param options inventory, limits and Calico release
   * @throws CalicoValidationError when a limit or an inventory entry is invalid, or the policy model
   *         cannot read a manifest
   */
  public static fromManifests(manifests: any[], options: ReachabilityOptions = {}): ReachabilityMatrix {
    if (!Array.isArray(manifests)) {
      throw new CalicoValidationError(`ReachabilityMatrix.fromManifests() needs a list of manifest objects, got ${quote(manifests)}; `
        + 'pass e.g. Testing.synth(chart) or the documents of a parsed YAML file');
    }
    checkArguments('ReachabilityMatrix.fromManifests', [manifests, options]);
    return new ReachabilityMatrix(copyPlainData(manifests, 'ReachabilityMatrix.fromManifests()', 'manifests') as any[],
      { ...options, workloads: copyPlainData(options.workloads, 'ReachabilityMatrix.fromManifests()', 'options.workloads') as ReachabilityWorkload[] | undefined },
      options.calicoVersion ?? CalicoVersion.DEFAULT);
  }

  /**
   * The matrix of a chart's manifests (`chart.toJson()`), for the chart's Calico version unless
   * `options` name another.
   * @param chart the chart
   * @param options inventory, limits and Calico release
   */
  public static fromChart(chart: Chart, options: ReachabilityOptions = {}): ReachabilityMatrix {
    checkArguments('ReachabilityMatrix.fromChart', [chart, options]);
    return ReachabilityMatrix.fromManifests(chart.toJson(), { ...options, calicoVersion: options.calicoVersion ?? CalicoVersion.of(chart) });
  }

  /** How many flows were evaluated. */
  public readonly evaluations: number;
  private readonly ends: readonly MatrixEnd[];
  private readonly columns: readonly ReachabilityPort[];
  private readonly allowed: readonly (readonly (readonly boolean[])[])[];
  private readonly leftOutEnds: readonly string[];
  private readonly leftOutPorts: readonly string[];
  private readonly unresolved: readonly string[];
  private readonly notes: readonly string[];

  private constructor(manifests: any[], options: ReachabilityOptions, version: CalicoVersion) {
    const limits = readLimits(options, 'ReachabilityMatrix');
    const inventory = options.workloads ?? [];
    checkInventory(inventory, 'ReachabilityMatrix');
    const withLabels = addNamespaceLabels(manifests, inventory);
    const model = PolicyModel.fromManifests(withLabels, { calicoVersion: version });

    const all = endsOf(model, withLabels, inventory);
    const known: KnownNamedPort[] = all.flatMap(e => (e.end.namedPorts ?? []).map(p => ({ name: p.name, port: p.port, protocol: protocolOf(p.protocol ?? 'TCP') ?? '' })));
    const ports = policyPorts(withLabels, known);
    const budget = Math.min(limits.maxPorts, limits.maxEvaluations - (ports.otherTcpPort !== undefined ? 1 : 0));
    const kept = ports.candidates.slice(0, Math.max(0, budget));
    this.leftOutPorts = ports.candidates.slice(kept.length).sort(comparePorts).map(portLabel);
    this.columns = [
      ...[...kept].sort(comparePorts).map(c => ({ protocol: c.protocol, port: c.port, label: portLabel(c), namedByPolicy: true })),
      ...(ports.otherTcpPort !== undefined ? [{ protocol: 'TCP', port: ports.otherTcpPort, label: 'other', namedByPolicy: false }] : []),
    ];
    this.unresolved = ports.unresolved;

    const perEnd = Math.floor(Math.sqrt(limits.maxEvaluations / Math.max(1, this.columns.length)));
    const chosen = selectEnds(all, Math.min(limits.maxWorkloads, Math.max(1, perEnd)));
    this.ends = chosen;
    const chosenLabels = new Set(chosen.map(e => e.info.label));
    this.leftOutEnds = all.filter(e => !chosenLabels.has(e.info.label)).map(e => e.info.label);

    const warnings = new Set<string>();
    let evaluations = 0;
    this.allowed = chosen.map(source => chosen.map(destination => this.columns.map(port => {
      evaluations++;
      const verdict = model.evaluate({ source: source.end, destination: destination.end, protocol: port.protocol, port: port.port });
      for (const w of verdict.warnings) if (warnings.size < MAX_WARNINGS) warnings.add(w);
      return verdict.allowed;
    })));
    this.evaluations = evaluations;
    this.notes = [...warnings].sort(compareText);
  }

  /** The sources and destinations, in the matrix's order (by namespace, then name). */
  public get endpoints(): ReachabilityEndpoint[] {
    return this.ends.map(e => ({ ...e.info }));
  }

  /** The ports checked: those the policies name by protocol and number, then `other`. */
  public get ports(): ReachabilityPort[] {
    return this.columns.map(p => ({ ...p }));
  }

  /** Every source and destination pair, row by row (sources in order, then destinations in order). */
  public get cells(): ReachabilityCell[] {
    const out: ReachabilityCell[] = [];
    this.ends.forEach((_, s) => this.ends.forEach((__, d) => out.push(this.cellAt(s, d))));
    return out;
  }

  /** Labels of the workloads the limits left out, in order. */
  public get omittedEndpoints(): string[] {
    return [...this.leftOutEnds];
  }

  /** Labels of the policy ports the limits left out, by protocol and number. */
  public get omittedPorts(): string[] {
    return [...this.leftOutPorts];
  }

  /** Names of named ports the policies use that no known workload has (so no column checks them). */
  public get unresolvedNamedPorts(): string[] {
    return [...this.unresolved];
  }

  /** What the evaluator could not model exactly on the way (at most 20, sorted). */
  public get warnings(): string[] {
    return [...this.notes];
  }

  /**
   * What `source` may reach at `destination`.
   * @param source a source's label, e.g. `org-1/web`
   * @param destination a destination's label, e.g. `org-2/*`
   * @throws CalicoValidationError when the matrix has no such end
   */
  public cell(source: string, destination: string): ReachabilityCell {
    checkArguments('ReachabilityMatrix.cell', [source, destination]);
    return this.cellAt(this.indexOf(source, 'source'), this.indexOf(destination, 'destination'));
  }

  /**
   * Whether `source` may open a connection to `destination` on a port of the matrix.
   * @param source a source's label, e.g. `org-1/web`
   * @param destination a destination's label
   * @param port a port's label: `80`, `53/UDP` or `other`
   * @throws CalicoValidationError when the matrix has no such end or port
   */
  public allows(source: string, destination: string, port: string): boolean {
    checkArguments('ReachabilityMatrix.allows', [source, destination, port]);
    const p = this.columns.findIndex(c => c.label === port);
    if (p < 0) {
      throw new CalicoValidationError(`ReachabilityMatrix.allows(): port ${quote(port)} is not checked by the matrix; `
        + `use one of ${this.columns.map(c => quote(c.label)).join(', ') || '(none)'}`);
    }
    return this.allowed[this.indexOf(source, 'source')][this.indexOf(destination, 'destination')][p];
  }

  /**
   * The matrix as an SVG 1.1 heat map: a cell's colour is the share of the ports allowed, its tooltip
   * lists them. Deterministic; sized to the matrix.
   */
  public toSvg(): string {
    return matrixSvg(this.view());
  }

  /**
   * The matrix as Markdown: what it checked, a table (rows are sources, columns destinations; a
   * cell lists the allowed ports) and what the limits left out.
   */
  public toMarkdown(): string {
    return matrixMarkdown(this.view());
  }

  private view(): MatrixView {
    return {
      ends: this.ends.map(e => e.info.label),
      ports: this.columns,
      allowed: this.allowed,
      omittedEnds: this.leftOutEnds,
      omittedPorts: this.leftOutPorts,
      unresolved: this.unresolved,
      warnings: this.notes,
      evaluations: this.evaluations,
    };
  }

  private cellAt(s: number, d: number): ReachabilityCell {
    const row = this.allowed[s][d];
    const allowedPorts = this.columns.filter((_, p) => row[p]).map(c => c.label);
    return {
      source: this.ends[s].info.label,
      destination: this.ends[d].info.label,
      allowedPorts,
      allowedFraction: this.columns.length === 0 ? 0 : allowedPorts.length / this.columns.length,
    };
  }

  private indexOf(label: string, role: string): number {
    const i = this.ends.findIndex(e => e.info.label === label);
    if (i < 0) {
      throw new CalicoValidationError(`ReachabilityMatrix: ${role} ${quote(label)} is not an end of the matrix; `
        + `use a label of \`endpoints\`, such as ${this.ends.slice(0, 3).map(e => quote(e.info.label)).join(', ') || '(the matrix is empty)'}`);
    }
    return i;
  }
}

/** The manifests with the inventory's namespace labels on their Namespace objects (added when missing). */
function addNamespaceLabels(manifests: any[], inventory: readonly ReachabilityWorkload[]): any[] {
  const wanted = new Map<string, { [key: string]: string }>();
  for (const w of inventory) wanted.set(w.namespaceName, { ...wanted.get(w.namespaceName), ...w.namespaceLabels });
  for (const [name, labels] of [...wanted]) if (Object.keys(labels).length === 0) wanted.delete(name);
  if (wanted.size === 0) return manifests;
  const out = manifests.map(m => {
    const name = isNamespace(m) ? m.metadata?.name : undefined;
    const labels = typeof name === 'string' ? wanted.get(name) : undefined;
    if (labels === undefined) return m;
    wanted.delete(name);
    const own: { [key: string]: unknown } = typeof m.metadata.labels === 'object' && m.metadata.labels !== null ? m.metadata.labels : {};
    for (const [k, v] of Object.entries(labels)) {
      if (own[k] !== undefined && own[k] !== v) {
        throw new CalicoValidationError(`ReachabilityMatrix: workloads give namespace ${quote(name)} the label ${quote(`${k}=${v}`)}, `
          + `but its Namespace manifest has ${quote(`${k}=${String(own[k])}`)}; drop it from namespaceLabels or change the manifest`);
      }
    }
    return { ...m, metadata: { ...m.metadata, labels: { ...own, ...labels } } };
  });
  for (const [name, labels] of [...wanted].sort((a, b) => compareText(a[0], b[0]))) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  }
  return out;
}

function isNamespace(m: any): boolean {
  return typeof m === 'object' && m !== null && m.kind === 'Namespace' && m.apiVersion === 'v1'
    && typeof m.metadata === 'object' && m.metadata !== null;
}

/**
 * Every end, sorted: the manifests' workloads (replaced by inventory entries of the same name), the
 * inventory, and a pod without labels for each namespace the manifests know that has no workload.
 * The ends carry no address, so that no pair mixes IP families.
 */
function endsOf(model: PolicyModel, manifests: readonly any[], inventory: readonly ReachabilityWorkload[]): MatrixEnd[] {
  const byKey = new Map<string, MatrixEnd>();
  const put = (namespaceName: string, name: string, kind: ReachabilityEndpointKind, end: FlowEnd) => {
    const label = `${namespaceName}/${name}`;
    if (kind === ReachabilityEndpointKind.WORKLOAD && byKey.has(label)) return;
    byKey.set(label, { info: { label, namespaceName, name, kind }, end });
  };
  for (const w of model.workloads) {
    const namespaceName = w.namespaceName ?? 'default';
    put(namespaceName, w.workloadName ?? '', ReachabilityEndpointKind.WORKLOAD,
      { namespaceName, labels: w.labels ?? {}, serviceAccount: w.serviceAccount, namedPorts: w.namedPorts ?? [] });
  }
  for (const w of inventory) {
    put(w.namespaceName, w.name, ReachabilityEndpointKind.INVENTORY, {
      namespaceName: w.namespaceName,
      labels: { ...w.labels },
      serviceAccount: w.serviceAccount ?? 'default',
      namedPorts: (w.namedPorts ?? []).map(p => ({ ...p })),
    });
  }
  const withWorkloads = new Set([...byKey.values()].map(e => e.info.namespaceName));
  const namespaces = new Set<string>();
  for (const m of manifests) if (isNamespace(m) && typeof m.metadata.name === 'string' && m.metadata.name !== '') namespaces.add(m.metadata.name);
  for (const p of model.policies) if (p.namespaceName !== undefined) namespaces.add(p.namespaceName);
  const ends = [...byKey.values()];
  for (const namespaceName of namespaces) {
    if (withWorkloads.has(namespaceName)) continue;
    ends.push({
      info: { label: `${namespaceName}/*`, namespaceName, kind: ReachabilityEndpointKind.NAMESPACE },
      end: { namespaceName, labels: {}, serviceAccount: 'default', namedPorts: [] },
    });
  }
  return ends.sort((a, b) => compareText(a.info.namespaceName, b.info.namespaceName) || compareText(a.info.label, b.info.label));
}

/**
 * At most `count` ends, taken namespace by namespace in turn (each namespace's first, then each
 * one's second, ...), returned in the matrix's order.
 */
function selectEnds(ends: readonly MatrixEnd[], count: number): MatrixEnd[] {
  if (ends.length <= count) return [...ends];
  const groups = new Map<string, MatrixEnd[]>();
  for (const e of ends) {
    const group = groups.get(e.info.namespaceName) ?? [];
    group.push(e);
    groups.set(e.info.namespaceName, group);
  }
  const picked = new Set<MatrixEnd>();
  for (let round = 0; picked.size < count; round++) {
    for (const group of groups.values()) {
      if (picked.size >= count) break;
      if (round < group.length) picked.add(group[round]);
    }
  }
  return ends.filter(e => picked.has(e));
}

function portLabel(p: { readonly protocol: string; readonly port: number }): string {
  return p.protocol === 'TCP' ? String(p.port) : `${p.port}/${p.protocol}`;
}
