/**
 * How a topology construct delivers the labels and annotations it needs on existing nodes (the
 * route reflector label and cluster ID, rack labels, the routable-pool labels).
 *
 * Whatever the choice, the construct's `nodeCommands` lists the equivalent `kubectl` (or, for
 * Calico Nodes in the etcd datastore, `calicoctl`) commands, so a cluster can always be set up by
 * hand instead.
 */
export enum NodeSettingsDelivery {
  /**
   * Kubernetes `v1 Node` objects holding only `metadata.labels` and `metadata.annotations`, one per
   * node (settings of every construct merged), in the cluster's `CalicoStage.NODES` chart. Apply
   * that stage with server-side apply, which merges the keys into the existing nodes without
   * claiming the rest of them:
   * `kubectl apply --server-side --field-manager=cdk8s-calico -f <nodes stage file>`.
   * In the Kubernetes datastore, Calico reads the route reflector cluster ID from the Node
   * annotation `projectcalico.org/RouteReflectorClusterID`.
   */
  KUBERNETES_NODES = 'KubernetesNodes',
  /**
   * A Calico `Node` resource (`projectcalico.org/v3`) per route reflector, with its label, cluster
   * ID and BGP address, applied with `calicoctl`. The way for the etcd datastore, where Calico
   * does not read Kubernetes Node annotations. Applying a Calico Node rewrites the node's whole
   * BGP spec, and `crd.projectcalico.org/v1` charts cannot carry one. Route reflector pools only.
   */
  CALICO_NODES = 'CalicoNodes',
  /** No objects: the commands of `nodeCommands` are added to the cluster's `manualSteps`. */
  COMMANDS = 'Commands',
}

