// ServiceAccounts, ClusterRoles and ClusterRoleBindings of the v3.28.5 manifest install.
// The rules are upstream's, rule for rule: no fewer, no broader.

import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ETCD_CALICO_NODE_RULES, ETCD_CNI_PLUGIN_RULES, ETCD_KUBE_CONTROLLERS_RULES } from './etcd';
import { kubeObject } from './kube-object';
import { InstallSettings, resolveInstallSettings } from './settings';

type Rule = k8s.PolicyRule;

const CORE = '';
const CALICO = 'crd.projectcalico.org';
const IPAM_RESOURCES = ['blockaffinities', 'ipamblocks', 'ipamhandles'];

/** calico-kube-controllers: node deletion cleanup, IPAM garbage collection, host endpoints. */
export const KUBE_CONTROLLERS_RULES: readonly Rule[] = [
  { apiGroups: [CORE], resources: ['nodes'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: [CORE], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [CALICO], resources: ['ipreservations'], verbs: ['list'] },
  { apiGroups: [CALICO], resources: IPAM_RESOURCES, verbs: ['get', 'list', 'create', 'update', 'delete', 'watch'] },
  { apiGroups: [CALICO], resources: ['ippools'], verbs: ['list', 'watch'] },
  { apiGroups: [CALICO], resources: ['hostendpoints'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
  { apiGroups: [CALICO], resources: ['clusterinformations'], verbs: ['get', 'list', 'create', 'update', 'watch'] },
  { apiGroups: [CALICO], resources: ['kubecontrollersconfigurations'], verbs: ['get', 'list', 'create', 'update', 'watch'] },
];

/** calico-node (Felix, BIRD/confd, startup) and Typha, which runs as calico-node too. */
export const CALICO_NODE_RULES: readonly Rule[] = [
  { apiGroups: [CORE], resources: ['serviceaccounts/token'], resourceNames: ['calico-cni-plugin'], verbs: ['create'] },
  { apiGroups: [CORE], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['watch', 'list'] },
  { apiGroups: [CORE], resources: ['endpoints', 'services'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: [CORE], resources: ['configmaps'], verbs: ['get'] },
  { apiGroups: [CORE], resources: ['nodes/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['watch', 'list'] },
  { apiGroups: [CORE], resources: ['pods', 'namespaces', 'serviceaccounts'], verbs: ['list', 'watch'] },
  { apiGroups: [CORE], resources: ['pods/status'], verbs: ['patch'] },
  {
    apiGroups: [CALICO],
    resources: [
      'globalfelixconfigs', 'felixconfigurations', 'bgppeers', 'bgpfilters', 'globalbgpconfigs', 'bgpconfigurations',
      'ippools', 'ipreservations', 'ipamblocks', 'globalnetworkpolicies', 'globalnetworksets', 'networkpolicies',
      'networksets', 'clusterinformations', 'hostendpoints', 'blockaffinities', 'caliconodestatuses',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: [CALICO], resources: ['ippools', 'felixconfigurations', 'clusterinformations'], verbs: ['create', 'update'] },
  { apiGroups: [CALICO], resources: ['caliconodestatuses'], verbs: ['update'] },
  { apiGroups: [CORE], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [CALICO], resources: ['bgpconfigurations', 'bgppeers'], verbs: ['create', 'update'] },
  { apiGroups: [CALICO], resources: IPAM_RESOURCES, verbs: ['get', 'list', 'create', 'update', 'delete'] },
  { apiGroups: [CALICO], resources: ['ipamconfigs'], verbs: ['get', 'create'] },
  { apiGroups: [CALICO], resources: ['blockaffinities'], verbs: ['watch'] },
  { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
];

/** The CNI plugin, which gets its token from calico-node (see serviceaccounts/token above). */
export const CNI_PLUGIN_RULES: readonly Rule[] = [
  { apiGroups: [CORE], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
  { apiGroups: [CORE], resources: ['pods/status'], verbs: ['patch'] },
  {
    apiGroups: [CALICO],
    resources: ['blockaffinities', 'ipamblocks', 'ipamhandles', 'clusterinformations', 'ippools', 'ipreservations', 'ipamconfigs'],
    verbs: ['get', 'list', 'create', 'update', 'delete'],
  },
];

/** Names of the three identities, each with a ServiceAccount, ClusterRole and ClusterRoleBinding. */
export const RBAC_IDENTITIES: ReadonlyArray<{ readonly name: string; readonly rules: readonly Rule[] }> = [
  { name: 'calico-kube-controllers', rules: KUBE_CONTROLLERS_RULES },
  { name: 'calico-node', rules: CALICO_NODE_RULES },
  { name: 'calico-cni-plugin', rules: CNI_PLUGIN_RULES },
];

/** The same identities with the rules of upstream's etcd manifest (no access to Calico CRDs). */
export const ETCD_RBAC_IDENTITIES: ReadonlyArray<{ readonly name: string; readonly rules: readonly Rule[] }> = [
  { name: 'calico-kube-controllers', rules: ETCD_KUBE_CONTROLLERS_RULES },
  { name: 'calico-node', rules: ETCD_CALICO_NODE_RULES },
  { name: 'calico-cni-plugin', rules: ETCD_CNI_PLUGIN_RULES },
];

function copyRule(r: Rule): Rule {
  return {
    apiGroups: r.apiGroups ? [...r.apiGroups] : undefined,
    resources: r.resources ? [...r.resources] : undefined,
    resourceNames: r.resourceNames ? [...r.resourceNames] : undefined,
    verbs: [...r.verbs],
  };
}

/** Construct id of an identity's objects: 'calico-node' -> 'CalicoNode'. */
function idOf(name: string): string {
  return name.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * The ServiceAccounts calico-kube-controllers, calico-node and calico-cni-plugin (in the install
 * namespace), and a ClusterRole and ClusterRoleBinding of the same name for each. With the etcd
 * datastore the ClusterRoles carry the (smaller) rules of upstream's etcd manifest.
 */
export function renderRbac(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const identities = s.etcd ? ETCD_RBAC_IDENTITIES : RBAC_IDENTITIES;
  const out: ApiObject[] = [];
  for (const { name } of identities) {
    out.push(kubeObject(scope, `${idOf(name)}ServiceAccount`, k8s.KubeServiceAccount, {
      metadata: { name, namespace: s.namespace },
    }));
  }
  for (const { name, rules } of identities) {
    out.push(kubeObject(scope, `${idOf(name)}ClusterRole`, k8s.KubeClusterRole, {
      metadata: { name },
      rules: rules.map(copyRule),
    }));
  }
  for (const { name } of identities) {
    out.push(kubeObject(scope, `${idOf(name)}ClusterRoleBinding`, k8s.KubeClusterRoleBinding, {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: s.namespace }],
    }));
  }
  return out;
}
