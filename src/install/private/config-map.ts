// The calico-config ConfigMap: Typha's Service name, the networking backend, the veth MTU and the
// CNI network configuration install-cni writes to /etc/cni/net.d/10-calico.conflist. Upstream's
// ConfigMap of the release's line, with the install's values.

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { etcdConfigData } from './etcd';
import { ConfigMapJson } from './kube-json';
import { InstallSettings, ResolvedInstallSettings, resolveInstallSettings } from './settings';
import { installDefect, upstreamObject } from './upstream-install';

/** Name of the ConfigMap every Calico workload reads. */
export const CALICO_CONFIG_NAME = 'calico-config';

/** The IPAM plugin's line of upstream's CNI configuration, with its indentation. */
const IPAM_TYPE = /^( *)"type": "calico-ipam"$/m;

/**
 * Upstream's CNI conflist template, character for character, except that dual stack asks the
 * IPAM plugin for both families (`assign_ipv4`/`assign_ipv6`, as Calico's dual-stack docs say).
 * install-cni replaces the `__PLACEHOLDERS__` on each node (`__CNI_MTU__` comes from `veth_mtu`).
 */
export function cniNetworkConfig(upstream: string, dualStack: boolean): string {
  if (!dualStack) return upstream;
  if (!IPAM_TYPE.test(upstream)) throw installDefect('upstream\'s CNI configuration names no calico-ipam plugin');
  return upstream.replace(IPAM_TYPE, (_line, indent: string) =>
    [`${indent}"type": "calico-ipam",`, `${indent}"assign_ipv4": "true",`, `${indent}"assign_ipv6": "true"`].join('\n'));
}

/**
 * The data of calico-config for resolved settings: upstream's keys, in upstream's order, with the
 * install's values (the etcd variant has upstream's etcd keys first and names no Typha Service).
 */
export function calicoConfigData(s: ResolvedInstallSettings): { [key: string]: string } {
  const upstream = upstreamObject<ConfigMapJson>(s.upstream, 'ConfigMap', CALICO_CONFIG_NAME).data;
  const cni = upstream.cni_network_config;
  if (cni === undefined) throw installDefect('upstream\'s calico-config has no cni_network_config');
  return {
    ...upstream,
    ...(s.etcd ? etcdConfigData(s.etcd) : { typha_service_name: s.typha.serviceName }),
    calico_backend: s.calicoBackend,
    veth_mtu: s.vethMtu,
    cni_network_config: cniNetworkConfig(cni, s.dualStack),
  };
}

/** The calico-config ConfigMap. */
export function renderConfigMap(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const configMap = upstreamObject<ConfigMapJson>(s.upstream, 'ConfigMap', CALICO_CONFIG_NAME);
  configMap.metadata.namespace = s.namespace;
  configMap.data = calicoConfigData(s);
  return [new ApiObject(scope, 'CalicoConfigMap', configMap)];
}
