// The etcd-datastore variant of the v3.28 manifest install (upstream's manifests/calico-etcd.yaml,
// rendered from the same Helm chart as calico-typha.yaml with `datastore: etcd`). Internal.
//
// Facts from upstream's chart and manifest:
// - calico-config gains `etcd_endpoints`, `etcd_ca`, `etcd_cert`, `etcd_key` (the three file paths
//   are '' without TLS, '/calico-secrets/etcd-*' with it), `typha_service_name` is "none", and the
//   CNI conflist names `etcd_endpoints`/`etcd_*_file` placeholders instead of `datastore_type` and
//   `nodename`.
// - calico-node: no upgrade-ipam init container (and so no host-local-net-dir volume); install-cni
//   reads ETCD_ENDPOINTS instead of KUBERNETES_NODE_NAME; the main container reads ETCD_* and
//   CALICO_K8S_NODE_REF instead of DATASTORE_TYPE, FELIX_TYPHAK8SSERVICENAME, WAIT_FOR_DATASTORE
//   and NODENAME. The TLS Secret is mounted at /calico-secrets (mode 0400).
// - calico-kube-controllers: hostNetwork, ETCD_* env, ENABLED_CONTROLLERS
//   policy,namespace,serviceaccount,workloadendpoint,node, Secret at /calico-secrets (mode 0440).
// - RBAC: the etcd branch of the chart's rules (no Calico CRDs at all).
// - No Typha objects.

import { k8s } from 'cdk8s-plus-28';
import { quote, quoteJson } from '../../core/quote';
import type { EtcdDatastoreProps } from '../etcd-datastore';
import { parseIp } from '../../net/address';
import { isDns1123Subdomain } from './names';

/** Where the TLS Secret is mounted in every pod (install-cni's default TLS_ASSETS_DIR). */
export const ETCD_SECRETS_MOUNT_PATH = '/calico-secrets';

/** Name of the pod volume holding the TLS Secret (upstream's). */
export const ETCD_CERTS_VOLUME = 'etcd-certs';

/** Keys the TLS Secret must hold: install-cni copies exactly these files. */
export const ETCD_SECRET_KEYS = ['etcd-ca', 'etcd-cert', 'etcd-key'] as const;

/** `defaultMode` of the Secret volume: 0400 in calico-node, 0440 in calico-kube-controllers (upstream's). */
export const ETCD_SECRET_MODE = { calicoNode: 0o400, kubeControllers: 0o440 } as const;

/** ENABLED_CONTROLLERS of upstream's etcd manifest. */
export const ETCD_ENABLED_CONTROLLERS = ['policy', 'namespace', 'serviceaccount', 'workloadendpoint', 'node'];

/** The etcd block of resolved install settings. */
export interface ResolvedEtcd {
  readonly endpoints: string[];
  readonly tlsSecretName?: string;
}

const EXAMPLE = 'https://etcd-0.example.com:2379';

/** A parsed etcd client URL. */
interface EtcdEndpoint {
  readonly scheme: string;
}

/** The endpoint, or the problem with it (one sentence: value quoted, fix given). */
function parseEndpoint(field: string, text: unknown): EtcdEndpoint | string {
  if (typeof text !== 'string') {
    return `${field} ${quoteJson(text)} is not a string; write it as a URL such as '${EXAMPLE}'`;
  }
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([/?#].*)?$/.exec(text);
  if (!m || /[\s,]/.test(text)) {
    return `${field} ${quote(text)} is not an etcd client URL; write one URL per entry as https://<host>:<port>, e.g. '${EXAMPLE}'`;
  }
  const scheme = m[1];
  const authority = m[2];
  const rest = m[3] ?? '';
  if (scheme !== 'https' && scheme !== 'http') {
    return `${field} ${quote(text)} uses scheme ${quote(scheme)}; use 'https' (or 'http' for an etcd without TLS), in lower case, e.g. '${EXAMPLE}'`;
  }
  if (authority.includes('@')) {
    return `${field} ${quote(text)} carries credentials, which would end up in a ConfigMap; remove the 'user@' part and authenticate with tlsSecretName`;
  }
  if (rest !== '' && rest !== '/') {
    return `${field} ${quote(text)} has a path, query or fragment (${quote(rest)}); give only scheme, host and port, e.g. '${EXAMPLE}'`;
  }
  const hostPort = /^(\[[^\]]*\]|[^:[\]]*)(?::([^:]*))?$/.exec(authority);
  if (!hostPort || hostPort[1] === '' || hostPort[1] === '[]') {
    return `${field} ${quote(text)} has no valid host; write https://<host>:<port>, e.g. '${EXAMPLE}'`;
  }
  const host = hostPort[1];
  if (host.startsWith('[')) {
    const inner = host.slice(1, -1);
    if (!inner.includes(':') || !parseIp(inner)) {
      return `${field} ${quote(text)} has ${quote(host)} as host, which is not an IPv6 address; write IPv6 addresses in brackets, e.g. 'https://[fd00::10]:2379'`;
    }
  } else if (/^[0-9.]+$/.test(host)) {
    if (parseIp(host)?.version !== 4) {
      return `${field} ${quote(text)} has ${quote(host)} as host, which is not an IPv4 address; use four decimal fields such as '10.0.0.10'`;
    }
  } else if (!isDns1123Subdomain(host.toLowerCase())) {
    return `${field} ${quote(text)} has ${quote(host)} as host, which is not a DNS name or IP address; use a name such as 'etcd-0.example.com' or an address`;
  }
  const port = hostPort[2];
  if (port === undefined || port === '') {
    return `${field} ${quote(text)} has no port; add the etcd client port, e.g. '${scheme}://${host}:2379'`;
  }
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `${field} ${quote(text)} has port ${quote(port)}, which is not a port number; use a port from 1 to 65535 (etcd's client port is 2379)`;
  }
  return { scheme };
}

/** Every problem in the etcd block, one sentence each: field, quoted value, fix. Empty when valid. */
export function etcdProblems(etcd: EtcdDatastoreProps): string[] {
  const out: string[] = [];
  const endpoints: unknown = etcd.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    out.push(`etcd.endpoints is empty; list the client URL of every etcd member, e.g. ['${EXAMPLE}']`);
  }
  const schemes = new Set<string>();
  const seen = new Set<string>();
  (Array.isArray(endpoints) ? endpoints : []).forEach((text: unknown, i: number) => {
    const field = `etcd.endpoints[${i}]`;
    const parsed = parseEndpoint(field, text);
    if (typeof parsed === 'string') {
      out.push(parsed);
      return;
    }
    schemes.add(parsed.scheme);
    const key = (text as string).toLowerCase().replace(/\/$/, '');
    if (seen.has(key)) out.push(`${field} ${quote(text)} is listed twice; list each etcd member once`);
    seen.add(key);
  });
  if (schemes.size > 1) {
    out.push('etcd.endpoints mix http and https; every member of one etcd cluster takes the same scheme, so use https for all of them');
  }
  const secret = etcd.tlsSecretName;
  if (secret !== undefined && !isDns1123Subdomain(secret)) {
    out.push(`etcd.tlsSecretName ${quote(secret)} is not a valid Secret name (DNS-1123 subdomain); use lower-case letters, digits, '-' and '.', e.g. 'calico-etcd-secrets'`);
  }
  if (schemes.size === 1 && schemes.has('https') && secret === undefined) {
    out.push(`etcd.tlsSecretName is required with https endpoints; create a Secret in the install namespace with the keys ${ETCD_SECRET_KEYS.map(k => `'${k}'`).join(', ')} and name it here (key material is never written into the manifests)`);
  }
  if (schemes.size === 1 && schemes.has('http') && secret !== undefined) {
    out.push(`etcd.tlsSecretName ${quote(secret)} is set, but the endpoints use http, so the certificates would never be used; switch the endpoints to https (or drop tlsSecretName)`);
  }
  return out;
}

/** The resolved etcd block (copies: the input is never kept). */
export function resolveEtcd(etcd: EtcdDatastoreProps): ResolvedEtcd {
  return { endpoints: [...etcd.endpoints], tlsSecretName: etcd.tlsSecretName };
}

/** The calico-config keys of the etcd variant, in upstream's order (before typha_service_name). */
export function etcdConfigData(etcd: ResolvedEtcd): { [key: string]: string } {
  const tls = etcd.tlsSecretName !== undefined;
  const file = (key: string) => (tls ? `${ETCD_SECRETS_MOUNT_PATH}/${key}` : '');
  return {
    etcd_endpoints: etcd.endpoints.join(','),
    etcd_ca: file('etcd-ca'),
    etcd_cert: file('etcd-cert'),
    etcd_key: file('etcd-key'),
  };
}

function fromConfig(configMap: string, key: string): k8s.EnvVarSource {
  return { configMapKeyRef: { name: configMap, key } };
}

/** ETCD_ENDPOINTS, ETCD_CA_CERT_FILE, ETCD_KEY_FILE, ETCD_CERT_FILE from calico-config (upstream's order). */
export function etcdClientEnv(configMap: string): k8s.EnvVar[] {
  return [
    { name: 'ETCD_ENDPOINTS', valueFrom: fromConfig(configMap, 'etcd_endpoints') },
    { name: 'ETCD_CA_CERT_FILE', valueFrom: fromConfig(configMap, 'etcd_ca') },
    { name: 'ETCD_KEY_FILE', valueFrom: fromConfig(configMap, 'etcd_key') },
    { name: 'ETCD_CERT_FILE', valueFrom: fromConfig(configMap, 'etcd_cert') },
  ];
}

/** The /calico-secrets mount, or none without TLS. */
export function etcdCertsMounts(etcd: ResolvedEtcd): k8s.VolumeMount[] {
  return etcd.tlsSecretName !== undefined ? [{ mountPath: ETCD_SECRETS_MOUNT_PATH, name: ETCD_CERTS_VOLUME }] : [];
}

/** The Secret volume with the given mode, or none without TLS. */
export function etcdCertsVolumes(etcd: ResolvedEtcd, defaultMode: number): k8s.Volume[] {
  return etcd.tlsSecretName !== undefined
    ? [{ name: ETCD_CERTS_VOLUME, secret: { secretName: etcd.tlsSecretName, defaultMode } }]
    : [];
}

// ---------------------------------------------------------------------------------------------
// RBAC: the etcd branch of upstream's chart, rule for rule (no Calico CRDs: Calico's own data
// lives in etcd).
// ---------------------------------------------------------------------------------------------

const CORE = '';

/** calico-kube-controllers: watches Kubernetes objects and copies them into etcd. */
export const ETCD_KUBE_CONTROLLERS_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['pods', 'nodes', 'namespaces', 'serviceaccounts'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['watch', 'list'] },
];

/** calico-node: CNI token, endpoint slices and services for policy and advertisement, node status. */
export const ETCD_CALICO_NODE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['serviceaccounts/token'], resourceNames: ['calico-cni-plugin'], verbs: ['create'] },
  { apiGroups: [CORE], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['watch', 'list'] },
  { apiGroups: [CORE], resources: ['endpoints', 'services'], verbs: ['watch', 'list'] },
  { apiGroups: [CORE], resources: ['configmaps'], verbs: ['get'] },
  { apiGroups: [CORE], resources: ['nodes/status'], verbs: ['patch'] },
];

/** The CNI plugin: reads pods, nodes and namespaces (its IPAM data is in etcd). */
export const ETCD_CNI_PLUGIN_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
];
