// The calico-config ConfigMap: Typha's Service name, the networking backend, the veth MTU and
// the CNI network configuration install-cni writes to /etc/cni/net.d/10-calico.conflist.

import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { etcdConfigData } from './etcd';
import { kubeObject } from './kube-object';
import { InstallSettings, ResolvedInstallSettings, resolveInstallSettings } from './settings';

/** Name of the ConfigMap every Calico workload reads. */
export const CALICO_CONFIG_NAME = 'calico-config';

/**
 * The CNI conflist template, character for character as upstream's. install-cni replaces the
 * `__PLACEHOLDERS__` on each node (`__CNI_MTU__` comes from `veth_mtu`, so it is unquoted).
 * Dual stack adds `assign_ipv4`/`assign_ipv6` to the IPAM block, as Calico's dual-stack docs say.
 * With `etcd` the plugin gets etcd's endpoints and TLS file placeholders instead of
 * `datastore_type` and `nodename` (install-cni fills them from ETCD_ENDPOINTS and the files it
 * copies from /calico-secrets, or leaves them empty without TLS).
 */
export function cniNetworkConfig(dualStack: boolean, etcd = false): string {
  const ipam = dualStack
    ? [
      '      "ipam": {',
      '          "type": "calico-ipam",',
      '          "assign_ipv4": "true",',
      '          "assign_ipv6": "true"',
      '      },',
    ]
    : [
      '      "ipam": {',
      '          "type": "calico-ipam"',
      '      },',
    ];
  return [
    '{',
    '  "name": "k8s-pod-network",',
    '  "cniVersion": "0.3.1",',
    '  "plugins": [',
    '    {',
    '      "type": "calico",',
    '      "log_level": "info",',
    '      "log_file_path": "/var/log/calico/cni/cni.log",',
    ...(etcd
      ? [
        '      "etcd_endpoints": "__ETCD_ENDPOINTS__",',
        '      "etcd_key_file": "__ETCD_KEY_FILE__",',
        '      "etcd_cert_file": "__ETCD_CERT_FILE__",',
        '      "etcd_ca_cert_file": "__ETCD_CA_CERT_FILE__",',
      ]
      : [
        '      "datastore_type": "kubernetes",',
        '      "nodename": "__KUBERNETES_NODE_NAME__",',
      ]),
    '      "mtu": __CNI_MTU__,',
    ...ipam,
    '      "policy": {',
    '          "type": "k8s"',
    '      },',
    '      "kubernetes": {',
    '          "kubeconfig": "__KUBECONFIG_FILEPATH__"',
    '      }',
    '    },',
    '    {',
    '      "type": "portmap",',
    '      "snat": true,',
    '      "capabilities": {"portMappings": true}',
    '    },',
    '    {',
    '      "type": "bandwidth",',
    '      "capabilities": {"bandwidth": true}',
    '    }',
    '  ]',
    '}',
  ].join('\n');
}

/**
 * The data of calico-config for resolved settings. The etcd variant adds the etcd keys first and
 * names no Typha Service (`typha_service_name: none`), as upstream's etcd manifest.
 */
export function calicoConfigData(s: ResolvedInstallSettings): { [key: string]: string } {
  return {
    ...(s.etcd ? etcdConfigData(s.etcd) : {}),
    typha_service_name: s.etcd ? 'none' : s.typha.serviceName,
    calico_backend: s.calicoBackend,
    veth_mtu: s.vethMtu,
    cni_network_config: cniNetworkConfig(s.dualStack, s.etcd !== undefined),
  };
}

/** The calico-config ConfigMap. */
export function renderConfigMap(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  return [kubeObject(scope, 'CalicoConfigMap', k8s.KubeConfigMap, {
    metadata: { name: CALICO_CONFIG_NAME, namespace: s.namespace },
    data: calicoConfigData(s),
  })];
}
