// Apply orders that the layout of an app's output already guarantees (a cluster's stage charts),
// so that a construct which must apply after another only becomes a cdk8s dependency where nothing
// else orders the two. cdk8s turns a dependency between objects of two charts into one between the
// charts (and then between every pair of their objects), and orders the charts by the dependencies
// in the order they were added: a layout makes its own links before such a dependency is added, so
// that the chart it brings in comes after the layout's earlier stages, whichever synthesis runs.
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A layout of an app's output that orders some constructs by itself. */
export interface ApplyLayout {
  /** Whether the layout puts `first` before `second`. */
  appliedBefore(first: IConstruct, second: IConstruct): boolean;
  /** Makes the layout's own chart dependencies now (idempotent). */
  link(): void;
}

const LAYOUTS = new WeakMap<IConstruct, ApplyLayout[]>();

/** Records a layout of the output of the app (the root) that `scope` belongs to. */
export function registerApplyOrder(scope: IConstruct, layout: ApplyLayout): void {
  const root = scope.node.root;
  LAYOUTS.set(root, [...LAYOUTS.get(root) ?? [], layout]);
}

/** Makes `source` apply after `target`: a cdk8s dependency unless a recorded layout already orders them. */
export function applyAfter(source: IConstruct, target: IConstruct): void {
  const layouts = LAYOUTS.get(source.node.root) ?? [];
  if (layouts.some(l => l.appliedBefore(target, source))) return;
  if (chartOf(source) !== chartOf(target)) for (const l of layouts) l.link();
  source.node.addDependency(target);
}

/** The nearest chart holding `c` (itself included), or undefined outside every chart. */
function chartOf(c: IConstruct): IConstruct | undefined {
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (Chart.isChart(scopes[i])) return scopes[i];
  return undefined;
}
