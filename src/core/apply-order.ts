// Apply orders that the layout of an app's output already guarantees (a cluster's stage charts),
// so that a construct which must apply after another only becomes a cdk8s dependency where nothing
// else orders the two. A dependency between objects of two charts makes cdk8s order the charts
// before the layout's own links, and expands to one dependency per pair of their objects.
import { IConstruct } from 'constructs';

/** Whether the layout puts `first` before `second`. */
export type AppliedBefore = (first: IConstruct, second: IConstruct) => boolean;

const LAYOUTS = new WeakMap<IConstruct, AppliedBefore[]>();

/** Records a layout of the output of the app (the root) that `scope` belongs to. */
export function registerApplyOrder(scope: IConstruct, appliedBefore: AppliedBefore): void {
  const root = scope.node.root;
  LAYOUTS.set(root, [...LAYOUTS.get(root) ?? [], appliedBefore]);
}

/** Makes `source` apply after `target`: a cdk8s dependency unless a recorded layout already orders them. */
export function applyAfter(source: IConstruct, target: IConstruct): void {
  if ((LAYOUTS.get(source.node.root) ?? []).some(before => before(target, source))) return;
  source.node.addDependency(target);
}
