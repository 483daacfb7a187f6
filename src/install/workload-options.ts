import { k8s } from 'cdk8s-plus-28';
import { TyphaTlsProps } from './typha-tls';

/**
 * Pod-level settings of one Calico workload (calico-node, Typha or calico-kube-controllers).
 */
export interface CalicoWorkloadOptions {
  /**
   * Resource requests and limits of the main container.
   * @default - upstream's (calico-node requests cpu 250m; Typha and kube-controllers set none)
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * Extra environment variables of the main container; a name upstream already sets is replaced in place.
   * @default - upstream's variables only
   */
  readonly env?: { [name: string]: string };
  /**
   * Node selector of the pods.
   * @default { 'kubernetes.io/os': 'linux' }
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations of the pods.
   * @default - upstream's (calico-node and Typha tolerate every NoSchedule and NoExecute taint)
   */
  readonly tolerations?: k8s.Toleration[];
}

/**
 * Typha options of a CalicoCluster.
 */
export interface CalicoTyphaOptions extends CalicoWorkloadOptions {
  /**
   * Number of Typha replicas.
   * @default - the Tigera operator's rule for `expectedNodes`, and at least 3 when `production` is true
   */
  readonly replicas?: number;
  /**
   * Mutual TLS between Felix and Typha, from Secrets the user names.
   * @default - no TLS, as in the upstream manifest
   */
  readonly tls?: TyphaTlsProps;
}

/**
 * calico-kube-controllers options of a CalicoCluster.
 */
export interface KubeControllersOptions extends CalicoWorkloadOptions {
  /**
   * Controllers to run (`ENABLED_CONTROLLERS`): node, policy, namespace, serviceaccount,
   * workloadendpoint, loadbalancer.
   * @default - upstream's for the release and datastore: ['node', 'loadbalancer'] on v3.32 and
   *            v3.31 (with etcd, policy, namespace, serviceaccount and workloadendpoint first)
   */
  readonly enabledControllers?: string[];
}
