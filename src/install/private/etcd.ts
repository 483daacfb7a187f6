// The etcd-datastore variant of the manifest install (upstream's manifests/calico-etcd.yaml, which
// the release's Helm chart renders with `datastore: etcd`). Its objects are upstream's, as data
// (upstream-install.ts); what is here is what the user's etcd settings change in them. Internal.
//
// Facts from upstream's chart and manifest:
// - calico-config has `etcd_endpoints`, `etcd_ca`, `etcd_cert`, `etcd_key` (the three file paths
//   are '' without TLS, '/calico-secrets/etcd-*' with it).
// - calico-node (install-cni and the main container) and calico-kube-controllers mount the Secret
//   `calico-etcd-secrets` at /calico-secrets; upstream ships that Secret empty for the user to fill.

import { quote, quoteJson } from '../../core/quote';
import type { EtcdDatastoreProps } from '../etcd-datastore';
import { parseIp } from '../../net/address';
import { JsonFields, named, NamedJson, PodSpecJson, without } from './kube-json';
import { isDns1123Subdomain } from './names';
import { installDefect } from './upstream-install';

/** Where the TLS Secret is mounted in every pod (install-cni's default TLS_ASSETS_DIR). */
export const ETCD_SECRETS_MOUNT_PATH = '/calico-secrets';

/** Name of the pod volume holding the TLS Secret (upstream's). */
export const ETCD_CERTS_VOLUME = 'etcd-certs';

/** Keys the TLS Secret must hold: install-cni copies exactly these files. */
export const ETCD_SECRET_KEYS = ['etcd-ca', 'etcd-cert', 'etcd-key'] as const;

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

/** The values of calico-config's etcd keys for the user's settings. */
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

/**
 * The pod with upstream's etcd Secret volume pointed at the user's Secret, or, without TLS, with
 * that volume and every mount of it removed (upstream mounts an empty Secret then; the library
 * mounts nothing it does not need).
 */
export function withEtcdCertificates(pod: PodSpecJson, etcd: ResolvedEtcd): PodSpecJson {
  const secretName = etcd.tlsSecretName;
  if (secretName !== undefined) {
    const volume = named(pod.volumes, ETCD_CERTS_VOLUME) as (NamedJson & { secret?: JsonFields }) | undefined;
    if (!volume?.secret) throw installDefect(`upstream's etcd pod has no Secret volume ${ETCD_CERTS_VOLUME}`);
    volume.secret.secretName = secretName;
    return pod;
  }
  const out: PodSpecJson = { ...pod, volumes: without(pod.volumes ?? [], [ETCD_CERTS_VOLUME]) };
  for (const container of [...(out.initContainers ?? []), ...out.containers]) {
    if (container.volumeMounts) container.volumeMounts = without(container.volumeMounts, [ETCD_CERTS_VOLUME]);
    if (container.volumeMounts?.length === 0) delete container.volumeMounts;
  }
  if (out.volumes?.length === 0) delete out.volumes;
  return out;
}
