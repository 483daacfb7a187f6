// Mutual TLS between Felix (in calico-node) and Typha: volumes, mounts and env for each side.
// Key material is always mounted from Secrets/ConfigMaps; it never appears inline.

import { quote } from '../../core/quote';
import type { TyphaTlsProps } from '../typha-tls';
import { EnvVarJson, NamedJson } from './kube-json';
import { isConfigMapKey, isDns1123Subdomain } from './names';

/** Defaults of TyphaTlsProps. */
export const TYPHA_TLS_DEFAULTS = {
  caBundleKey: 'ca.crt',
  certificateKey: 'tls.crt',
  privateKeyKey: 'tls.key',
  serverCommonName: 'typha-server',
  clientCommonName: 'typha-client',
};

/** Volume names and mount directories (fixed so the env paths are predictable). */
export const TYPHA_TLS_MOUNTS = {
  caVolume: 'typha-ca',
  caDir: '/typha-ca',
  serverVolume: 'typha-certs',
  serverDir: '/typha-certs',
  clientVolume: 'felix-certs',
  clientDir: '/felix-certs',
};

/** The pieces one side of the TLS connection adds to its pod. */
export interface TlsPodParts {
  readonly env: EnvVarJson[];
  readonly volumes: NamedJson[];
  readonly volumeMounts: NamedJson[];
}

interface ResolvedTls {
  readonly caVolume: NamedJson;
  readonly caKey: string;
  readonly serverSecretName: string;
  readonly clientSecretName: string;
  readonly certificateKey: string;
  readonly privateKeyKey: string;
  readonly serverCommonName: string;
  readonly clientCommonName: string;
}

/** Every problem in `tls`, prefixed with `tls.`; empty when valid. */
export function typhaTlsProblems(tls: TyphaTlsProps): string[] {
  const out: string[] = [];
  const objectName = (field: string, value: string | undefined, kind: string) => {
    if (value !== undefined && !isDns1123Subdomain(value)) {
      out.push(`tls.${field} ${quote(value)} is not a valid ${kind} name (DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253); use a name like 'calico-typha-certs'`);
    }
  };
  const key = (field: string, value: string | undefined) => {
    if (value !== undefined && !isConfigMapKey(value)) {
      out.push(`tls.${field} ${quote(value)} is not a valid Secret/ConfigMap key (letters, digits, '-', '_' and '.'); use a key like 'tls.crt'`);
    }
  };
  const commonName = (field: string, value: string | undefined) => {
    if (value !== undefined && value.trim() === '') {
      out.push(`tls.${field} is empty; give the Common Name written in the certificate, e.g. '${field === 'serverCommonName' ? 'typha-server' : 'typha-client'}'`);
    }
  };
  const caSources = [tls.caBundleConfigMapName, tls.caBundleSecretName].filter(v => v !== undefined).length;
  if (caSources !== 1) {
    out.push(`tls needs exactly one of caBundleConfigMapName and caBundleSecretName (got ${caSources === 0 ? 'neither' : 'both'}); name the ConfigMap or the Secret that holds the CA bundle`);
  }
  objectName('caBundleConfigMapName', tls.caBundleConfigMapName, 'ConfigMap');
  objectName('caBundleSecretName', tls.caBundleSecretName, 'Secret');
  objectName('serverSecretName', tls.serverSecretName, 'Secret');
  objectName('clientSecretName', tls.clientSecretName, 'Secret');
  if (tls.serverSecretName !== undefined && tls.serverSecretName === tls.clientSecretName) {
    out.push(`tls.serverSecretName and tls.clientSecretName are both ${quote(tls.serverSecretName)}; Typha and Felix need their own certificates (CN '${tls.serverCommonName ?? TYPHA_TLS_DEFAULTS.serverCommonName}' and '${tls.clientCommonName ?? TYPHA_TLS_DEFAULTS.clientCommonName}'), so use two Secrets`);
  }
  key('caBundleKey', tls.caBundleKey);
  key('certificateKey', tls.certificateKey);
  key('privateKeyKey', tls.privateKeyKey);
  if (tls.certificateKey !== undefined && tls.certificateKey === (tls.privateKeyKey ?? TYPHA_TLS_DEFAULTS.privateKeyKey)) {
    out.push(`tls.certificateKey and tls.privateKeyKey are both ${quote(tls.certificateKey)}; the certificate and the private key are separate entries of the Secret`);
  }
  commonName('serverCommonName', tls.serverCommonName);
  commonName('clientCommonName', tls.clientCommonName);
  return out;
}

function resolve(tls: TyphaTlsProps): ResolvedTls {
  const caVolume: NamedJson = tls.caBundleSecretName !== undefined
    ? { name: TYPHA_TLS_MOUNTS.caVolume, secret: { secretName: tls.caBundleSecretName } }
    : { name: TYPHA_TLS_MOUNTS.caVolume, configMap: { name: tls.caBundleConfigMapName } };
  return {
    caVolume,
    caKey: tls.caBundleKey ?? TYPHA_TLS_DEFAULTS.caBundleKey,
    serverSecretName: tls.serverSecretName,
    clientSecretName: tls.clientSecretName,
    certificateKey: tls.certificateKey ?? TYPHA_TLS_DEFAULTS.certificateKey,
    privateKeyKey: tls.privateKeyKey ?? TYPHA_TLS_DEFAULTS.privateKeyKey,
    serverCommonName: tls.serverCommonName ?? TYPHA_TLS_DEFAULTS.serverCommonName,
    clientCommonName: tls.clientCommonName ?? TYPHA_TLS_DEFAULTS.clientCommonName,
  };
}

/** Typha's side: its server certificate, the CA that signed Felix's, and the CN it accepts. */
export function typhaServerTls(tls: TyphaTlsProps): TlsPodParts {
  const r = resolve(tls);
  const m = TYPHA_TLS_MOUNTS;
  return {
    env: [
      { name: 'TYPHA_CAFILE', value: `${m.caDir}/${r.caKey}` },
      { name: 'TYPHA_SERVERCERTFILE', value: `${m.serverDir}/${r.certificateKey}` },
      { name: 'TYPHA_SERVERKEYFILE', value: `${m.serverDir}/${r.privateKeyKey}` },
      { name: 'TYPHA_CLIENTCN', value: r.clientCommonName },
    ],
    volumes: [
      r.caVolume,
      { name: m.serverVolume, secret: { secretName: r.serverSecretName } },
    ],
    volumeMounts: [
      { name: m.caVolume, mountPath: m.caDir, readOnly: true },
      { name: m.serverVolume, mountPath: m.serverDir, readOnly: true },
    ],
  };
}

/** Felix's side (calico-node): its client certificate, the CA that signed Typha's, and Typha's CN. */
export function felixClientTls(tls: TyphaTlsProps): TlsPodParts {
  const r = resolve(tls);
  const m = TYPHA_TLS_MOUNTS;
  return {
    env: [
      { name: 'FELIX_TYPHACAFILE', value: `${m.caDir}/${r.caKey}` },
      { name: 'FELIX_TYPHACERTFILE', value: `${m.clientDir}/${r.certificateKey}` },
      { name: 'FELIX_TYPHAKEYFILE', value: `${m.clientDir}/${r.privateKeyKey}` },
      { name: 'FELIX_TYPHACN', value: r.serverCommonName },
    ],
    volumes: [
      r.caVolume,
      { name: m.clientVolume, secret: { secretName: r.clientSecretName } },
    ],
    volumeMounts: [
      { name: m.caVolume, mountPath: m.caDir, readOnly: true },
      { name: m.clientVolume, mountPath: m.clientDir, readOnly: true },
    ],
  };
}
