/**
 * Who runs Calico's components: the output itself (upstream's manifests, rendered by the library)
 * or the Tigera operator (the output installs the operator and tells it what to run).
 */
export enum InstallMode {
  /**
   * Upstream's manifest install (`calico-typha.yaml`), rendered object by object: calico-node,
   * Typha and calico-kube-controllers are objects of the output, in the install namespace.
   */
  MANIFESTS = 'Manifests',
  /**
   * The Tigera operator (upstream's `tigera-operator.yaml` of the release's line) and its
   * `Installation` `default`, which carries the library's decisions (pool encapsulation, MTU, BGP,
   * node address autodetection, image and pod settings). The operator runs calico-node, Typha and
   * calico-kube-controllers in `calico-system`, sizes Typha itself and owns the default IP pool;
   * the Calico resources it does not make (other pools, BGP configuration and peerings, tiers,
   * policies) are the same objects as in manifest mode.
   */
  OPERATOR = 'Operator',
}

/**
 * What the Tigera operator runs beside Calico's own components (`installMode: InstallMode.OPERATOR`).
 */
export interface OperatorOptions {
  /**
   * Run Goldmane, the flow aggregator the operator offers from Calico v3.30 (the `Goldmane`
   * resource `default`): calico-node sends it flow logs, Whisker reads them.
   * @default false - upstream's custom-resources.yaml enables it; the library leaves it to an
   *          explicit choice, since it runs one more Deployment and receives every node's flow logs
   */
  readonly goldmane?: boolean;
  /**
   * Run Whisker, the flow-log web UI the operator offers from Calico v3.30 (the `Whisker` resource
   * `default`). It reads flows from Goldmane, so it needs `goldmane: true`.
   * @default false - as for `goldmane`
   */
  readonly whisker?: boolean;
}
