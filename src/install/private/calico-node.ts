// The calico-node DaemonSet: Felix, BIRD/confd and the CNI installer on every Linux node. Upstream's
// DaemonSet of the release's line, with the pools, IP families, backend, Typha TLS and pod settings
// the install chose.

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { TyphaTlsProps } from '../typha-tls';
import { withEtcdCertificates } from './etcd';
import { ContainerJson, EnvVarJson, insertedAt, named } from './kube-json';
import { withPodOverrides } from './pod-overrides';
import { InstallSettings, podOverridesOf, ResolvedInstallSettings, resolveInstallSettings } from './settings';
import { felixClientTls, TlsPodParts } from './typha-tls-mounts';
import { containerNamed, installDefect, upstreamWorkload } from './upstream-install';

const NAME = 'calico-node';

/** The env/volumes/volumeMounts that make Felix talk TLS to Typha (applied by renderCalicoNode when settings.typha.tls is set). */
export function felixTyphaTls(tls: TyphaTlsProps): TlsPodParts {
  return felixClientTls(tls);
}

/** `env` with `items` placed before or after the variable `anchor` (upstream's). */
function placed(env: readonly EnvVarJson[], anchor: string, where: 'before' | 'after', items: readonly EnvVarJson[]): EnvVarJson[] {
  const out = insertedAt(env, anchor, where, items);
  if (!out) throw installDefect(`upstream's calico-node has no env ${anchor}`);
  return out;
}

/** `env` with upstream's variable `name` set to `value`. */
function withValue(env: readonly EnvVarJson[], name: string, value: string): EnvVarJson[] {
  if (!named(env, name)) throw installDefect(`upstream's calico-node has no env ${name}`);
  return env.map(e => (e.name === name ? { name, value } : e));
}

/**
 * calico-node's env from upstream's: the default pools' modes, CIDRs and block sizes, IPv6 for
 * dual stack (IP6 and the IPv6 tunnel MTUs beside their IPv4 twins), and Felix's side of Typha TLS.
 * Extra env is applied later, with the other pod settings.
 */
export function calicoNodeEnv(s: ResolvedInstallSettings, upstream: readonly EnvVarJson[]): EnvVarJson[] {
  let env = withValue(upstream, 'CALICO_IPV4POOL_IPIP', s.ipv4Pool.ipipMode);
  env = withValue(env, 'CALICO_IPV4POOL_VXLAN', s.ipv4Pool.vxlanMode);
  env = withValue(env, 'CALICO_IPV6POOL_VXLAN', s.ipv6VxlanMode);
  env = withValue(env, 'FELIX_IPV6SUPPORT', s.dualStack ? 'true' : 'false');
  if (s.dualStack) {
    const twin = (name: string): EnvVarJson => ({ name: `${name}V6`, valueFrom: named(env, name)?.valueFrom });
    env = placed(env, 'IP', 'after', [{ name: 'IP6', value: 'autodetect' }]);
    env = placed(env, 'FELIX_VXLANMTU', 'after', [twin('FELIX_VXLANMTU')]);
    env = placed(env, 'FELIX_WIREGUARDMTU', 'after', [twin('FELIX_WIREGUARDMTU')]);
  }
  const pools: EnvVarJson[] = [];
  if (s.ipv4Pool.cidr !== undefined) pools.push({ name: 'CALICO_IPV4POOL_CIDR', value: s.ipv4Pool.cidr });
  if (s.ipv4Pool.blockSize !== undefined) pools.push({ name: 'CALICO_IPV4POOL_BLOCK_SIZE', value: String(s.ipv4Pool.blockSize) });
  if (s.ipv6Pool?.cidr !== undefined) pools.push({ name: 'CALICO_IPV6POOL_CIDR', value: s.ipv6Pool.cidr });
  if (s.ipv6Pool?.blockSize !== undefined) pools.push({ name: 'CALICO_IPV6POOL_BLOCK_SIZE', value: String(s.ipv6Pool.blockSize) });
  // Where upstream's manifest keeps the pool CIDR, commented out: after the MTUs.
  env = placed(env, 'CALICO_DISABLE_FILE_LOGGING', 'before', pools);
  if (s.typha.tls) env.push(...felixClientTls(s.typha.tls).env);
  return env;
}

/** Without BIRD (backend vxlan or none) the probes check Felix alone. */
function withoutBirdChecks(container: ContainerJson): void {
  for (const probe of [container.livenessProbe, container.readinessProbe]) {
    if (probe?.exec) probe.exec.command = probe.exec.command.filter(arg => !arg.startsWith('-bird'));
  }
}

/** The calico-node DaemonSet. */
export function renderCalicoNode(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const daemonSet = upstreamWorkload(s.upstream, 'DaemonSet', NAME);
  daemonSet.metadata.namespace = s.namespace;
  let pod = daemonSet.spec.template.spec;
  const node = containerNamed(pod.containers, NAME);
  node.env = calicoNodeEnv(s, node.env ?? []);
  if (s.calicoBackend !== 'bird') withoutBirdChecks(node);
  if (s.etcd) pod = withEtcdCertificates(pod, s.etcd);
  if (s.typha.tls) {
    const tls = felixClientTls(s.typha.tls);
    node.volumeMounts = [...(node.volumeMounts ?? []), ...tls.volumeMounts];
    pod.volumes = [...(pod.volumes ?? []), ...tls.volumes];
  }
  daemonSet.spec.template.spec = withPodOverrides(pod, node, podOverridesOf(s, s.calicoNode));
  return [new ApiObject(scope, 'CalicoNodeDaemonSet', daemonSet)];
}
