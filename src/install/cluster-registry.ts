// The CalicoClusters of each app, in the order they were made, so that the checks which run at
// every synthesis pass (cdk8s validates the whole app once per chart it renders) find them without
// walking the construct tree.
import { IConstruct } from 'constructs';

const BY_ROOT = new WeakMap<IConstruct, IConstruct[]>();

/** Records a cluster once its constructor has finished. */
export function registerCluster(cluster: IConstruct): void {
  const root = cluster.node.root;
  const clusters = BY_ROOT.get(root);
  if (clusters) clusters.push(cluster);
  else BY_ROOT.set(root, [cluster]);
}

/** The clusters recorded under `scope` (itself included), in the order they were made. */
export function registeredClusters(scope: IConstruct): IConstruct[] {
  const all = BY_ROOT.get(scope.node.root) ?? [];
  return scope.node.scope === undefined ? [...all] : all.filter(c => c.node.scopes.includes(scope));
}
