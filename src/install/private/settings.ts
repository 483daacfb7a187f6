// The knobs of a Calico manifest-mode install (upstream's calico-typha.yaml, or calico-etcd.yaml),
// as the CalicoCluster construct fills them in. Internal: not exported from the package.

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CalicoVersion, calicoVersionOf } from '../../core/calico-version';
import { CalicoValidationError } from '../../core/errors';
import { quote } from '../../core/quote';
import type { EtcdDatastoreProps } from '../etcd-datastore';
import type { CalicoBackend as Backend } from '../routing';
import type { TyphaTlsProps } from '../typha-tls';
import { parseCidr } from '../../net/address';
import { etcdProblems, ResolvedEtcd, resolveEtcd } from './etcd';
import { KubeJson, named, UpstreamInstall } from './kube-json';
import type { PodOverrides } from './pod-overrides';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isEnvVarName, isRegistry } from './names';
import { typhaTlsProblems } from './typha-tls-mounts';
import { upstreamInstallOf, upstreamWorkload } from './upstream-install';

/** `calico_backend` of the calico-config ConfigMap: the values of the public `CalicoBackend` enum. */
export type CalicoBackend = `${Backend}`;

/** Encapsulation of the default pool calico-node creates (`CALICO_IPV4POOL_IPIP`, `..._VXLAN`). */
export type PoolEncapsulation = 'Always' | 'CrossSubnet' | 'Never';

const BACKENDS: readonly CalicoBackend[] = ['bird', 'vxlan', 'none'];
const ENCAPSULATIONS: readonly PoolEncapsulation[] = ['Always', 'CrossSubnet', 'Never'];

/** Per-workload overrides shared by calico-node, calico-typha and calico-kube-controllers. */
export interface WorkloadSettings {
  /** Container resources; replaces upstream's (calico-node: requests cpu 250m; others: none). */
  readonly resources?: k8s.ResourceRequirements;
  /** Extra environment of the main container: replaces an upstream variable of the same name in place, else appended. */
  readonly env?: { readonly [name: string]: string };
  /** Pod node selector; replaces upstream's `kubernetes.io/os: linux`. */
  readonly nodeSelector?: { readonly [key: string]: string };
  /** Pod tolerations; replace upstream's. */
  readonly tolerations?: k8s.Toleration[];
}

/** The IPv4 default pool calico-node creates when no IPPool exists. */
export interface Ipv4PoolSettings {
  /** `CALICO_IPV4POOL_CIDR`; unset lets calico-node use kubeadm's pod CIDR or 192.168.0.0/16. */
  readonly cidr?: string;
  /** `CALICO_IPV4POOL_IPIP`; default `Always` for bird, `Never` otherwise. */
  readonly ipipMode?: PoolEncapsulation;
  /** `CALICO_IPV4POOL_VXLAN`; default `CrossSubnet` for vxlan, `Never` otherwise. */
  readonly vxlanMode?: PoolEncapsulation;
  /** `CALICO_IPV4POOL_BLOCK_SIZE` (20-32); unset = Calico's 26. */
  readonly blockSize?: number;
}

/** The IPv6 default pool; setting it turns the install dual stack. */
export interface Ipv6PoolSettings {
  /** `CALICO_IPV6POOL_CIDR`; unset lets calico-node pick kubeadm's IPv6 pod CIDR or a random ULA /48. */
  readonly cidr?: string;
  /** `CALICO_IPV6POOL_VXLAN`; default `CrossSubnet` for vxlan, `Never` otherwise. */
  readonly vxlanMode?: PoolEncapsulation;
  /** `CALICO_IPV6POOL_BLOCK_SIZE` (116-128); unset = Calico's 122. */
  readonly blockSize?: number;
}

/** Typha: the Service name Felix looks up, its Deployment and optional mutual TLS. */
export interface TyphaSettings extends WorkloadSettings {
  /** `typha_service_name` and the Service's name; default 'calico-typha'. */
  readonly serviceName?: string;
  /** Explicit replica count; wins over expectedNodes. */
  readonly replicas?: number;
  /** Expected node count, turned into replicas with the Tigera operator rule. */
  readonly expectedNodes?: number;
  /** Mutual TLS between Felix and Typha. */
  readonly tls?: TyphaTlsProps;
}

/** calico-kube-controllers. */
export interface KubeControllersSettings extends WorkloadSettings {
  /** 0 or 1 (it runs a single active instance); default 1. */
  readonly replicas?: number;
  /**
   * `ENABLED_CONTROLLERS`; default upstream's for the line and datastore (v3.32: node and
   * loadbalancer; with etcd also policy, namespace, serviceaccount and workloadendpoint first).
   */
  readonly enabledControllers?: string[];
}

/** Everything the install render functions read. Every field is optional; defaults are upstream's. */
export interface InstallSettings {
  /** Namespace of every namespaced object; default 'kube-system'. */
  readonly namespace?: string;
  /** The Calico release: its line's objects and its image tags; default the scope's (`CalicoVersion.of`). */
  readonly calicoVersion?: CalicoVersion;
  /** Image registry; default the release's (quay.io). Images are `<registry>/calico/<component>:<tag>`. */
  readonly registry?: string;
  /** Names of image pull Secrets (in the install namespace) for every Calico pod; default none. */
  readonly imagePullSecrets?: string[];
  /** `calico_backend`; default 'bird'. */
  readonly calicoBackend?: CalicoBackend;
  /** `veth_mtu` ('0' = auto-detect); default '0'. */
  readonly vethMtu?: string;
  /** IPv4 default pool env. */
  readonly ipv4Pool?: Ipv4PoolSettings;
  /** IPv6 default pool env; when set the install is dual stack. */
  readonly ipv6Pool?: Ipv6PoolSettings;
  /** calico-node DaemonSet overrides. */
  readonly calicoNode?: WorkloadSettings;
  /** Typha. */
  readonly typha?: TyphaSettings;
  /** calico-kube-controllers. */
  readonly kubeControllers?: KubeControllersSettings;
  /**
   * Use an etcd cluster as the datastore (upstream's calico-etcd.yaml) instead of the Kubernetes
   * API. Explicit opt-in only; `typha` must then be left unset. Default: the Kubernetes datastore.
   */
  readonly etcd?: EtcdDatastoreProps;
}

/** Workload overrides with nothing left undefined except the ones that mean "upstream's". */
export interface ResolvedWorkload {
  readonly resources?: k8s.ResourceRequirements;
  readonly env: { readonly [name: string]: string };
  readonly nodeSelector?: { readonly [key: string]: string };
  readonly tolerations?: k8s.Toleration[];
}

/** InstallSettings with every default applied (what the render functions use). */
export interface ResolvedInstallSettings {
  readonly namespace: string;
  readonly calicoVersion: CalicoVersion;
  /** Upstream's objects of the release's line and the datastore: what the renderers start from. */
  readonly upstream: readonly KubeJson[];
  readonly registry: string;
  readonly imagePullSecrets: string[];
  readonly calicoBackend: CalicoBackend;
  readonly vethMtu: string;
  readonly ipv4Pool: {
    readonly cidr?: string;
    readonly ipipMode: PoolEncapsulation;
    readonly vxlanMode: PoolEncapsulation;
    readonly blockSize?: number;
  };
  /** Mode written to CALICO_IPV6POOL_VXLAN (present in upstream even for single stack). */
  readonly ipv6VxlanMode: PoolEncapsulation;
  /** Set only for dual stack. */
  readonly ipv6Pool?: { readonly cidr?: string; readonly blockSize?: number };
  readonly dualStack: boolean;
  readonly calicoNode: ResolvedWorkload;
  readonly typha: ResolvedWorkload & {
    readonly serviceName: string;
    readonly replicas?: number;
    readonly expectedNodes?: number;
    readonly tls?: TyphaTlsProps;
  };
  readonly kubeControllers: ResolvedWorkload & { readonly replicas: number; readonly enabledControllers: string[] };
  /** Set only for the etcd datastore; then no Typha is rendered. */
  readonly etcd?: ResolvedEtcd;
}

/** Upstream's defaults, named so tests and docs can pin them. */
export const INSTALL_DEFAULTS = {
  namespace: 'kube-system',
  calicoBackend: 'bird' as CalicoBackend,
  vethMtu: '0',
  typhaServiceName: 'calico-typha',
  kubeControllersReplicas: 1,
};

/**
 * Checks the settings and fills in upstream's defaults. Throws a CalicoValidationError for
 * `scope` listing every problem. Pure: `s` is never changed.
 */
export function resolveInstallSettings(scope: Construct, settings: InstallSettings = {}): ResolvedInstallSettings {
  const s: InstallSettings = { ...settings, calicoVersion: settings.calicoVersion ?? calicoVersionOf(scope) };
  const problems = installSettingsProblems(s);
  if (problems.length) {
    throw new CalicoValidationError(`invalid Calico install settings:\n${problems.map(p => `  - ${p}`).join('\n')}`, scope);
  }
  const version = s.calicoVersion!;
  const upstream = variantOf(upstreamInstallOf(version), s.etcd !== undefined);
  const backend = s.calicoBackend ?? INSTALL_DEFAULTS.calicoBackend;
  const defaultVxlan: PoolEncapsulation = backend === 'vxlan' ? 'CrossSubnet' : 'Never';
  return {
    namespace: s.namespace ?? INSTALL_DEFAULTS.namespace,
    calicoVersion: version,
    upstream,
    registry: s.registry ?? version._data.registry,
    imagePullSecrets: [...(s.imagePullSecrets ?? [])],
    calicoBackend: backend,
    vethMtu: s.vethMtu ?? INSTALL_DEFAULTS.vethMtu,
    ipv4Pool: {
      cidr: s.ipv4Pool?.cidr,
      ipipMode: s.ipv4Pool?.ipipMode ?? (backend === 'bird' ? 'Always' : 'Never'),
      vxlanMode: s.ipv4Pool?.vxlanMode ?? defaultVxlan,
      blockSize: s.ipv4Pool?.blockSize,
    },
    ipv6VxlanMode: s.ipv6Pool?.vxlanMode ?? defaultVxlan,
    ipv6Pool: s.ipv6Pool ? { cidr: s.ipv6Pool.cidr, blockSize: s.ipv6Pool.blockSize } : undefined,
    dualStack: s.ipv6Pool !== undefined,
    calicoNode: resolveWorkload(s.calicoNode),
    typha: {
      ...resolveWorkload(s.typha),
      serviceName: s.typha?.serviceName ?? INSTALL_DEFAULTS.typhaServiceName,
      replicas: s.typha?.replicas,
      expectedNodes: s.typha?.expectedNodes,
      tls: s.typha?.tls,
    },
    kubeControllers: {
      ...resolveWorkload(s.kubeControllers),
      replicas: s.kubeControllers?.replicas ?? INSTALL_DEFAULTS.kubeControllersReplicas,
      enabledControllers: [...(s.kubeControllers?.enabledControllers ?? upstreamEnabledControllers(upstream))],
    },
    etcd: s.etcd ? resolveEtcd(s.etcd) : undefined,
  };
}

/** Upstream's objects of one datastore: the Kubernetes API with Typha, or etcd. */
function variantOf(install: UpstreamInstall, etcd: boolean): readonly KubeJson[] {
  return etcd ? install.etcd : install.kubernetes;
}

/** The controllers upstream's calico-kube-controllers runs (its `ENABLED_CONTROLLERS`). */
function upstreamEnabledControllers(upstream: readonly KubeJson[]): string[] {
  const container = upstreamWorkload(upstream, 'Deployment', 'calico-kube-controllers').spec.template.spec.containers[0];
  return (named(container.env, 'ENABLED_CONTROLLERS')?.value ?? '').split(',').filter(name => name !== '');
}

function resolveWorkload(w: WorkloadSettings | undefined): ResolvedWorkload {
  return {
    resources: w?.resources,
    env: { ...(w?.env ?? {}) },
    nodeSelector: w?.nodeSelector ? { ...w.nodeSelector } : undefined,
    tolerations: w?.tolerations ? [...w.tolerations] : undefined,
  };
}

/** Every problem in `s`, one sentence each: field, quoted value, fix. Empty when valid. */
export function installSettingsProblems(s: InstallSettings): string[] {
  const out: string[] = [];
  if (s.namespace !== undefined && !isDns1123Label(s.namespace)) {
    out.push(`namespace ${quote(s.namespace)} is not a valid namespace name (DNS-1123 label: at most 63 lower-case letters, digits and '-'); use a name like 'kube-system'`);
  }
  if (s.registry !== undefined && !isRegistry(s.registry)) {
    out.push(`registry ${quote(s.registry)} is not an image registry; give host[:port][/path] without scheme or trailing '/', e.g. 'quay.io' or 'registry.example.com:5000/mirror'`);
  }
  (s.imagePullSecrets ?? []).forEach((name, i) => {
    if (!isDns1123Subdomain(name)) {
      out.push(`imagePullSecrets[${i}] ${quote(name)} is not a valid Secret name (DNS-1123 subdomain); use lower-case letters, digits, '-' and '.'`);
    }
  });
  const backend = s.calicoBackend ?? INSTALL_DEFAULTS.calicoBackend;
  if (!BACKENDS.includes(backend)) {
    out.push(`calicoBackend ${quote(backend)} is not a Calico backend; use one of ${BACKENDS.map(b => `'${b}'`).join(', ')}`);
  }
  if (s.vethMtu !== undefined) {
    const mtu = /^[0-9]+$/.test(s.vethMtu) ? Number(s.vethMtu) : NaN;
    if (!(mtu === 0 || (mtu >= 68 && mtu <= 65535))) {
      out.push(`vethMtu ${quote(s.vethMtu)} is not an MTU; use '0' to auto-detect or a whole number from 68 to 65535 (network MTU minus the encapsulation overhead)`);
    }
  }
  out.push(...poolProblems(s, backend));
  out.push(...workloadProblems('calicoNode', s.calicoNode));
  out.push(...workloadProblems('typha', s.typha));
  out.push(...workloadProblems('kubeControllers', s.kubeControllers));
  const typha = s.typha;
  if (typha?.serviceName !== undefined && !isDns1035Label(typha.serviceName)) {
    out.push(`typha.serviceName ${quote(typha.serviceName)} is not a valid Service name (DNS-1035 label: a lower-case letter, then letters, digits or '-', at most 63); use a name like 'calico-typha'`);
  }
  if (typha?.replicas !== undefined && !(Number.isInteger(typha.replicas) && typha.replicas >= 1)) {
    out.push(`typha.replicas ${typha.replicas} is not a whole number of at least 1; use 1 or more (3 or more in production)`);
  }
  if (typha?.expectedNodes !== undefined && !(Number.isInteger(typha.expectedNodes) && typha.expectedNodes >= 0)) {
    out.push(`typha.expectedNodes ${typha.expectedNodes} is not a whole number of at least 0; give the number of nodes you expect`);
  }
  if (typha?.tls) out.push(...typhaTlsProblems(typha.tls).map(p => `typha.${p}`));
  if (s.etcd !== undefined) {
    out.push(...etcdProblems(s.etcd));
    if (typha !== undefined) {
      out.push('typha is set, but Typha serves the Kubernetes datastore only; with the etcd datastore Felix reads etcd directly, so remove the typha settings (or remove etcd to use the Kubernetes datastore with Typha)');
    }
  }
  const kc = s.kubeControllers;
  if (kc?.replicas !== undefined && kc.replicas !== 0 && kc.replicas !== 1) {
    out.push(`kubeControllers.replicas ${kc.replicas} is not supported: calico-kube-controllers runs a single active instance; use 1 (or 0 to stop it)`);
  }
  if (kc?.enabledControllers !== undefined) {
    if (kc.enabledControllers.length === 0) {
      out.push(`kubeControllers.enabledControllers is empty; list at least one controller, e.g. ['node']`);
    }
    const version = s.calicoVersion ?? CalicoVersion.DEFAULT;
    const known = version._data.kubeControllers;
    const seen = new Set<string>();
    kc.enabledControllers.forEach((name, i) => {
      if (!known.includes(name)) {
        out.push(`kubeControllers.enabledControllers[${i}] ${quote(name)} is not a controller of calico-kube-controllers ${version.line}; `
          + `use one of ${known.map(n => `'${n}'`).join(', ')}`);
      } else if (seen.has(name)) {
        out.push(`kubeControllers.enabledControllers[${i}] ${quote(name)} is listed twice; list each controller once`);
      }
      seen.add(name);
    });
  }
  return out;
}

function poolProblems(s: InstallSettings, backend: CalicoBackend): string[] {
  const out: string[] = [];
  const v4 = s.ipv4Pool ?? {};
  const v6 = s.ipv6Pool;
  for (const [field, mode] of [['ipv4Pool.ipipMode', v4.ipipMode], ['ipv4Pool.vxlanMode', v4.vxlanMode], ['ipv6Pool.vxlanMode', v6?.vxlanMode]] as const) {
    if (mode !== undefined && !ENCAPSULATIONS.includes(mode)) {
      out.push(`${field} ${quote(mode)} is not an encapsulation mode; use 'Always', 'CrossSubnet' or 'Never'`);
    }
  }
  if (out.length || !BACKENDS.includes(backend)) return out;
  const ipip = v4.ipipMode ?? (backend === 'bird' ? 'Always' : 'Never');
  const vxlan4 = v4.vxlanMode ?? (backend === 'vxlan' ? 'CrossSubnet' : 'Never');
  if (ipip !== 'Never' && backend !== 'bird') {
    out.push(`ipv4Pool.ipipMode ${quote(ipip)} needs BGP, but calicoBackend is ${quote(backend)}; set ipipMode 'Never' (use vxlanMode for encapsulation) or calicoBackend 'bird'`);
  }
  if (ipip !== 'Never' && vxlan4 !== 'Never') {
    out.push(`ipv4Pool enables both IP-in-IP (ipipMode ${quote(ipip)}) and VXLAN (vxlanMode ${quote(vxlan4)}); a pool may use only one, so set one of them to 'Never'`);
  }
  if (backend === 'vxlan' && ipip === 'Never' && vxlan4 === 'Never') {
    out.push(`ipv4Pool has no encapsulation (ipipMode and vxlanMode 'Never'), which needs BGP routes, but calicoBackend is 'vxlan'; set vxlanMode 'Always' or 'CrossSubnet', or calicoBackend 'bird'`);
  }
  if (backend === 'vxlan' && v6 && (v6.vxlanMode ?? 'CrossSubnet') === 'Never') {
    out.push(`ipv6Pool has no encapsulation (vxlanMode 'Never'), which needs BGP routes, but calicoBackend is 'vxlan'; set ipv6Pool.vxlanMode 'Always' or 'CrossSubnet', or calicoBackend 'bird'`);
  }
  out.push(...cidrProblems('ipv4Pool', v4.cidr, v4.blockSize, 4, 20, 32, '192.168.0.0/16'));
  if (v6) out.push(...cidrProblems('ipv6Pool', v6.cidr, v6.blockSize, 6, 116, 128, 'fd00:10:244::/56'));
  return out;
}

function cidrProblems(field: string, cidr: string | undefined, blockSize: number | undefined,
  version: 4 | 6, minBlock: number, maxBlock: number, example: string): string[] {
  const out: string[] = [];
  const family = `IPv${version}`;
  const blockOk = blockSize === undefined || (Number.isInteger(blockSize) && blockSize >= minBlock && blockSize <= maxBlock);
  if (!blockOk) {
    out.push(`${field}.blockSize ${blockSize} is out of range for ${family} (${minBlock}-${maxBlock}); use a whole number from ${minBlock} to ${maxBlock}`);
  }
  if (cidr === undefined) return out;
  const parsed = parseCidr(cidr);
  if (!parsed) {
    out.push(`${field}.cidr ${quote(cidr)} is not a CIDR; write it as address/prefix, e.g. '${example}'`);
  } else if (parsed.version !== version) {
    out.push(`${field}.cidr ${quote(cidr)} is an IPv${parsed.version} CIDR; the ${field} needs an ${family} CIDR such as '${example}'`);
  } else if (!parsed.strict) {
    out.push(`${field}.cidr ${quote(cidr)} has host bits set; use the network address '${parsed.text}'`);
  } else if (blockOk && parsed.prefix > (blockSize ?? (version === 4 ? 26 : 122))) {
    const size = blockSize ?? (version === 4 ? 26 : 122);
    out.push(`${field}.cidr ${quote(cidr)} is smaller than one IPAM block (/${size}); use a prefix of /${size} or shorter, or a blockSize of at least ${parsed.prefix}`);
  }
  return out;
}

function workloadProblems(field: string, w: WorkloadSettings | undefined): string[] {
  const out: string[] = [];
  for (const name of Object.keys(w?.env ?? {})) {
    if (!isEnvVarName(name)) {
      out.push(`${field}.env name ${quote(name)} is not a valid environment variable name; use letters, digits, '_', '-' and '.', not starting with a digit`);
    }
  }
  return out;
}

/** The pod settings of one workload: the release's images from the registry, the user's overrides. */
export function podOverridesOf(s: ResolvedInstallSettings, w: ResolvedWorkload): PodOverrides {
  return { registry: s.registry, tag: s.calicoVersion.tag, ...w, imagePullSecrets: s.imagePullSecrets };
}
