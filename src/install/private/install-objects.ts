// Render functions of the Calico manifest-mode install (with Typha, or on etcd), from upstream's
// objects of the release's line. Internal.

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { renderCalicoNode } from './calico-node';
import { renderConfigMap } from './config-map';
import { renderKubeControllers } from './kube-controllers';
import { renderRbac } from './rbac';
import { InstallSettings } from './settings';
import { renderTypha } from './typha';

export * from './settings';
export { renderRbac } from './rbac';
export { renderConfigMap, cniNetworkConfig, calicoConfigData, CALICO_CONFIG_NAME } from './config-map';
export { renderCalicoNode, felixTyphaTls, calicoNodeEnv } from './calico-node';
export { renderKubeControllers } from './kube-controllers';
export { renderTypha } from './typha';
export type { TlsPodParts } from './typha-tls-mounts';
export { etcdProblems, ETCD_SECRET_KEYS, ETCD_SECRETS_MOUNT_PATH } from './etcd';
export type { ResolvedEtcd } from './etcd';

/**
 * Every Kubernetes object of upstream's install of the release's line (no CRDs), in upstream's
 * kinds and names, created (and so synthesized) identities and configuration first:
 * ServiceAccounts, ClusterRoles, ClusterRoleBindings, the ConfigMap, the Typha Service,
 * Deployment and PodDisruptionBudget, the calico-node DaemonSet, and calico-kube-controllers with
 * its PodDisruptionBudget.
 *
 * With `settings.etcd` it renders the etcd-datastore variant (upstream's calico-etcd.yaml):
 * the same object set without Typha, and without upstream's empty `calico-etcd-secrets` Secret
 * (the pods mount the Secret the user names in `etcd.tlsSecretName`; no key material is ever
 * rendered). Setting `typha` together with `etcd` is an error.
 */
export function renderInstall(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  // Creation order is synthesis order: identities and configuration before the workloads.
  const rbac = renderRbac(scope, settings);
  const config = renderConfigMap(scope, settings);
  if (settings.etcd !== undefined) {
    return [...rbac, ...config, ...renderCalicoNode(scope, settings), ...renderKubeControllers(scope, settings)];
  }
  const typha = renderTypha(scope, settings);
  const calicoNode = renderCalicoNode(scope, settings);
  const kubeControllers = renderKubeControllers(scope, settings);
  return [...rbac, ...config, typha.service, typha.deployment, typha.podDisruptionBudget, ...calicoNode, ...kubeControllers];
}
