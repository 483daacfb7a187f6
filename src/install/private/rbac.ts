// ServiceAccounts, ClusterRoles and ClusterRoleBindings of the install: upstream's of the release's
// line and datastore, rule for rule (no fewer, no broader), with the ServiceAccounts in the
// install namespace.

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BindingJson, KubeJson } from './kube-json';
import { InstallSettings, resolveInstallSettings } from './settings';
import { upstreamObjectsOf } from './upstream-install';

/** Construct id of an object: 'calico-node', 'ClusterRole' -> 'CalicoNodeClusterRole'. */
function idOf(o: KubeJson): string {
  return `${o.metadata.name.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join('')}${o.kind}`;
}

/**
 * Every ServiceAccount (in the install namespace), ClusterRole and ClusterRoleBinding of upstream's
 * install, kind by kind in upstream's order: calico-kube-controllers, calico-node and
 * calico-cni-plugin each with their own role, and on v3.31 and later calico-tier-getter (which lets
 * kube-controller-manager read tiers for garbage collection).
 */
export function renderRbac(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const accounts = upstreamObjectsOf(s.upstream, 'ServiceAccount');
  for (const account of accounts) account.metadata.namespace = s.namespace;
  const roles = upstreamObjectsOf(s.upstream, 'ClusterRole');
  const bindings = upstreamObjectsOf(s.upstream, 'ClusterRoleBinding') as BindingJson[];
  for (const binding of bindings) {
    for (const subject of binding.subjects) if (subject.kind === 'ServiceAccount') subject.namespace = s.namespace;
  }
  return [...accounts, ...roles, ...bindings].map(o => new ApiObject(scope, idOf(o), o));
}
