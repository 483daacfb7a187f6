// The whole-chart check: once per synthesis, every chart that holds a Calico resource runs the
// checks a single resource cannot make on its own (validation/manifest-set.ts: unique names,
// overlapping pools and ranges, references), plus the full check of every resource that changed
// since it was last checked. Constructs above this layer contribute what the manifests do not
// say: the cluster its node subnets and service ranges, topology constructs their router
// addresses, advertised ranges and the pools they created in other charts. Internal.
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CalicoValidationError, ValidationIssue } from '../core/errors';
import { checkManifestSet, DeclaredRange, SPEC_KINDS_OF_SET_RULES } from '../validation/manifest-set';

/**
 * What the check needs of a Calico resource (the CalicoResource base class implements it).
 * @internal
 */
export interface ChartMember extends IConstruct {
  readonly kind: string;
  readonly name: string;
  /** Problems of the resource itself: the full check when it changed since its last one. */
  _problemsAtSynth(): ValidationIssue[];
  /** Kind and metadata, and the spec when asked for. */
  _setManifest(withSpec: boolean): any;
  /** Objects it refers to outside its chart, as `Kind/name`. */
  _externalReferences(): string[];
}

/** A declared range and the construct to blame when it overlaps something it must not. */
export interface ScopedRange extends DeclaredRange {
  readonly scope: IConstruct;
}

/** What a construct adds to its chart's check; each function is called at every synthesis. */
export interface ChartContribution {
  /** Ranges declared beside the manifests. */
  readonly ranges?: () => readonly ScopedRange[];
  /** Resources outside the chart that belong to its set (pools a topology construct made elsewhere). */
  readonly resources?: () => readonly ChartMember[];
}

/** One problem found, with the construct it is about. */
interface ScopedIssue {
  readonly scope: IConstruct;
  readonly path: string;
  readonly message: string;
}

const CHECKS = new WeakMap<Chart, ChartCheck>();

/**
 * Counts every change a chart check could see: a Calico resource created or changed, a
 * contribution added. cdk8s validates twice per synthesis; a chart found sound at one count is not
 * checked again at the same count (its declared ranges and outside resources are counted too).
 */
let changes = 0;

/** The number of changes recorded so far: a cache of whole-app facts is stale when it moved. */
export function changeCount(): number {
  return changes;
}

/** Records a change of a Calico resource (the CalicoResource base class calls it). */
export function noteResourceChange(): void {
  changes++;
}

/**
 * Registers a Calico resource with its chart's check (the CalicoResource base class calls it), so
 * the check finds the chart's resources without walking the whole construct tree.
 */
export function markCalicoResource(resource: ChartMember): void {
  chartCheckOf(resource).members.push(resource);
  changes++;
}

/** Whether a construct registered is still in the tree (constructs can be removed, rarely). */
function stillAttached(c: IConstruct): boolean {
  const parent = c.node.scope;
  return parent === undefined || parent.node.tryFindChild(c.node.id) === c;
}

/** The check of the chart that holds `scope`; the first call installs it on the chart. */
export function chartCheckOf(scope: IConstruct): ChartCheck {
  const chart = Chart.of(scope);
  let check = CHECKS.get(chart);
  if (!check) {
    check = new ChartCheck(chart);
    CHECKS.set(chart, check);
  }
  return check;
}

/**
 * The whole-chart check of one chart. It runs as the chart's validation (before any construct
 * inside it) and throws one CalicoValidationError naming every problem, pointed at the first
 * offending construct.
 */
export class ChartCheck {
  /** The Calico resources created in the chart, in creation order. */
  public readonly members: ChartMember[] = [];
  private readonly contributions: ChartContribution[] = [];
  /** What the chart looked like when it was last found sound (see `changes`). */
  private soundAt?: string;

  constructor(chart: Chart) {
    chart.node.addValidation({ validate: () => this.run() });
  }

  /** Adds a construct's contribution. */
  public contribute(contribution: ChartContribution): void {
    this.contributions.push(contribution);
    changes++;
  }

  /** Every problem of the chart, in construct order; empty when the chart is sound. */
  public problems(): ScopedIssue[] {
    const resources: ChartMember[] = [];
    const seen = new Set<ChartMember>();
    const add = (r: ChartMember) => {
      if (!seen.has(r)) {
        seen.add(r);
        resources.push(r);
      }
    };
    for (const r of this.members) if (stillAttached(r)) add(r);
    const ranges: ScopedRange[] = [];
    const issues: ScopedIssue[] = [];
    for (const contribution of this.contributions) {
      for (const r of contribution.resources?.() ?? []) add(r);
      ranges.push(...(contribution.ranges?.() ?? []));
    }
    for (const r of resources) {
      for (const i of r._problemsAtSynth()) {
        issues.push({ scope: r, path: i.path, message: `${r.kind} '${r.name}': ${i.path ? `${i.path}: ` : ''}${i.message}` });
      }
    }
    const external = new Set<string>();
    for (const r of resources) for (const name of r._externalReferences()) external.add(name);
    // Policy specs are left out: the policy constructs check their tier against the whole app,
    // with the same verdict (tierExists), where this check sees one chart.
    const setIssues = checkManifestSet({
      manifests: resources.map(r => r._setManifest(SPEC_KINDS_OF_SET_RULES.has(r.kind))),
      declared: ranges,
      external,
      describe: i => resources[i].node.path,
    });
    for (const i of setIssues) {
      const scope = i.manifest !== undefined ? resources[i.manifest] : ranges[i.declared!].scope;
      issues.push({ scope, path: i.path, message: i.message });
    }
    return issues;
  }

  private run(): string[] {
    let outside = 0;
    for (const c of this.contributions) outside += (c.ranges?.().length ?? 0) * 2 + (c.resources?.().length ?? 0) * 3;
    const state = `${changes}/${outside}`;
    if (state === this.soundAt) return [];
    const issues = this.problems();
    if (issues.length === 0) {
      this.soundAt = state;
      return [];
    }
    const first = issues[0].scope;
    // The error names the first construct's path itself; every other line carries its own.
    const lines = issues.map(i => (i.scope === first ? i.message : `[${i.scope.node.path}] ${i.message}`));
    const recorded: ValidationIssue[] = issues.map(i => ({ path: i.path, message: i.message }));
    throw new CalicoValidationError(lines.join('\n'), first, recorded);
  }
}
