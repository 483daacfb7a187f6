/**
 * The stages of a cluster's output, in apply order. Each stage is a chart of its own (a file of
 * its own after `cdk8s synth`, numbered so that lexical order is apply order), so that a tool that
 * applies a stage at once still gets everything a stage needs from the stages before it.
 */
export enum CalicoStage {
  /** The CustomResourceDefinitions: everything after them needs their kinds. */
  CRDS = 'crds',
  /** Namespaces, RBAC, configuration, Typha, calico-node, kube-controllers (and what serves the Calico API). */
  INSTALL = 'install',
  /** The Calico resources: pools, policies, peerings (the chart that holds the cluster). */
  RESOURCES = 'resources',
  /** Labels and annotations of existing nodes (route reflectors, racks), applied with server-side apply. */
  NODES = 'nodes',
  /**
   * The BGPConfiguration `default`, last: the node-to-node mesh goes off only once the peerings
   * and node labels that replace it are in place.
   */
  BGP = 'bgp',
}

/** The stages in apply order. */
export const STAGE_ORDER: readonly CalicoStage[] = [CalicoStage.CRDS, CalicoStage.INSTALL, CalicoStage.RESOURCES, CalicoStage.NODES, CalicoStage.BGP];

/** One stage of a cluster's output and the chart that holds it. */
export interface StageChartInfo {
  /** The stage. */
  readonly stage: CalicoStage;
  /** The chart's id (its file after `cdk8s synth` is `<NNNN>-<id>.k8s.yaml`). */
  readonly chartId: string;
}
