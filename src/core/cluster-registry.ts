// The CalicoClusters of each app, recorded as they are made, with what the constructs beside the
// install need of them: the policies keep the namespaces a cluster runs its own pods in out of a
// default deny. Kept here, below both, so that the policy constructs find the clusters without
// importing the install (they share its layer) and without walking the construct tree at each of
// cdk8s's validation passes (one per chart it renders).
import { IConstruct } from 'constructs';

/** A cluster as the constructs beside it see it. */
export interface RegisteredCluster extends IConstruct {
  /** The namespaces the cluster runs its own pods in (the Calico components, the API server, cert-manager). */
  readonly systemNamespaces: string[];
}

const BY_ROOT = new WeakMap<IConstruct, RegisteredCluster[]>();

/** Records a cluster once its constructor has finished. */
export function registerCluster(cluster: RegisteredCluster): void {
  const root = cluster.node.root;
  const clusters = BY_ROOT.get(root);
  if (clusters) clusters.push(cluster);
  else BY_ROOT.set(root, [cluster]);
}

/** The clusters recorded under `scope` (itself included), in the order they were made. */
export function registeredClusters(scope: IConstruct): RegisteredCluster[] {
  const all = BY_ROOT.get(scope.node.root) ?? [];
  return scope.node.scope === undefined ? [...all] : all.filter(c => c.node.scopes.includes(scope));
}
