// The calico-node DaemonSet: Felix, BIRD/confd and the CNI installer on every Linux node.

import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { TyphaTlsProps } from '../typha-tls';
import { CALICO_CONFIG_NAME } from './config-map';
import { etcdCertsMounts, etcdCertsVolumes, etcdClientEnv, ETCD_SECRET_MODE } from './etcd';
import { kubeObject } from './kube-object';
import { imageOf, imagePullSecretsOf, InstallSettings, ResolvedInstallSettings, resolveInstallSettings, withExtraEnv } from './settings';
import { felixClientTls, TlsPodParts } from './typha-tls-mounts';

const LABELS = { 'k8s-app': 'calico-node' };

/** The env/volumes/volumeMounts that make Felix talk TLS to Typha (applied by renderCalicoNode when settings.typha.tls is set). */
export function felixTyphaTls(tls: TyphaTlsProps): TlsPodParts {
  return felixClientTls(tls);
}

function fromConfig(key: string): k8s.EnvVarSource {
  return { configMapKeyRef: { name: CALICO_CONFIG_NAME, key } };
}

function fromField(fieldPath: string): k8s.EnvVarSource {
  return { fieldRef: { fieldPath } };
}

const SERVICES_ENDPOINT: k8s.EnvFromSource[] = [{ configMapRef: { name: 'kubernetes-services-endpoint', optional: true } }];

/** How calico-node finds its datastore: the Kubernetes API via Typha, or etcd (upstream's env for each). */
function datastoreEnv(s: ResolvedInstallSettings): k8s.EnvVar[] {
  if (s.etcd) {
    return [
      ...etcdClientEnv(CALICO_CONFIG_NAME),
      { name: 'CALICO_K8S_NODE_REF', valueFrom: fromField('spec.nodeName') },
    ];
  }
  return [
    { name: 'DATASTORE_TYPE', value: 'kubernetes' },
    { name: 'FELIX_TYPHAK8SSERVICENAME', valueFrom: fromConfig('typha_service_name') },
    { name: 'WAIT_FOR_DATASTORE', value: 'true' },
    { name: 'NODENAME', valueFrom: fromField('spec.nodeName') },
  ];
}

/** Env of the calico-node container, before extra env. Order follows upstream. */
export function calicoNodeEnv(s: ResolvedInstallSettings): k8s.EnvVar[] {
  const mtu = (name: string): k8s.EnvVar => ({ name, valueFrom: fromConfig('veth_mtu') });
  const dual = s.dualStack;
  const env: k8s.EnvVar[] = [
    ...datastoreEnv(s),
    { name: 'CALICO_NETWORKING_BACKEND', valueFrom: fromConfig('calico_backend') },
    { name: 'CLUSTER_TYPE', value: 'k8s,bgp' },
    { name: 'IP', value: 'autodetect' },
    ...(dual ? [{ name: 'IP6', value: 'autodetect' }] : []),
    { name: 'CALICO_IPV4POOL_IPIP', value: s.ipv4Pool.ipipMode },
    { name: 'CALICO_IPV4POOL_VXLAN', value: s.ipv4Pool.vxlanMode },
    { name: 'CALICO_IPV6POOL_VXLAN', value: s.ipv6VxlanMode },
    mtu('FELIX_IPINIPMTU'),
    mtu('FELIX_VXLANMTU'),
    ...(dual ? [mtu('FELIX_VXLANMTUV6')] : []),
    mtu('FELIX_WIREGUARDMTU'),
    ...(dual ? [mtu('FELIX_WIREGUARDMTUV6')] : []),
  ];
  if (s.ipv4Pool.cidr !== undefined) env.push({ name: 'CALICO_IPV4POOL_CIDR', value: s.ipv4Pool.cidr });
  if (s.ipv4Pool.blockSize !== undefined) env.push({ name: 'CALICO_IPV4POOL_BLOCK_SIZE', value: String(s.ipv4Pool.blockSize) });
  if (s.ipv6Pool?.cidr !== undefined) env.push({ name: 'CALICO_IPV6POOL_CIDR', value: s.ipv6Pool.cidr });
  if (s.ipv6Pool?.blockSize !== undefined) env.push({ name: 'CALICO_IPV6POOL_BLOCK_SIZE', value: String(s.ipv6Pool.blockSize) });
  env.push(
    { name: 'CALICO_DISABLE_FILE_LOGGING', value: 'true' },
    { name: 'FELIX_DEFAULTENDPOINTTOHOSTACTION', value: 'ACCEPT' },
    { name: 'FELIX_IPV6SUPPORT', value: dual ? 'true' : 'false' },
    { name: 'FELIX_HEALTHENABLED', value: 'true' },
  );
  if (s.typha.tls) env.push(...felixClientTls(s.typha.tls).env);
  return env;
}

/** Liveness and readiness commands: BIRD is checked only when it runs (backend 'bird'). */
export function calicoNodeProbeCommands(s: ResolvedInstallSettings): { liveness: string[]; readiness: string[] } {
  const bird = s.calicoBackend === 'bird';
  return {
    liveness: ['/bin/calico-node', '-felix-live', ...(bird ? ['-bird-live'] : [])],
    readiness: ['/bin/calico-node', '-felix-ready', ...(bird ? ['-bird-ready'] : [])],
  };
}

function hostPath(name: string, path: string, type?: string): k8s.Volume {
  return { name, hostPath: { path, type } };
}

const HOST_VOLUMES: readonly k8s.Volume[] = [
  hostPath('lib-modules', '/lib/modules'),
  hostPath('var-run-calico', '/var/run/calico', 'DirectoryOrCreate'),
  hostPath('var-lib-calico', '/var/lib/calico', 'DirectoryOrCreate'),
  hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
  hostPath('sys-fs', '/sys/fs/', 'DirectoryOrCreate'),
  hostPath('bpffs', '/sys/fs/bpf', 'Directory'),
  hostPath('nodeproc', '/proc'),
  hostPath('cni-bin-dir', '/opt/cni/bin', 'DirectoryOrCreate'),
  hostPath('cni-net-dir', '/etc/cni/net.d'),
  hostPath('cni-log-dir', '/var/log/calico/cni'),
  hostPath('host-local-net-dir', '/var/lib/cni/networks'),
  hostPath('policysync', '/var/run/nodeagent', 'DirectoryOrCreate'),
];

/**
 * The pod volumes. The etcd variant has no host-local-net-dir (only upgrade-ipam uses it) and
 * puts the TLS Secret before policysync, as upstream's etcd manifest.
 */
function podVolumes(s: ResolvedInstallSettings): k8s.Volume[] {
  if (!s.etcd) return [...HOST_VOLUMES];
  const hostVolumes = HOST_VOLUMES.filter(v => v.name !== 'host-local-net-dir');
  const at = hostVolumes.findIndex(v => v.name === 'policysync');
  return [...hostVolumes.slice(0, at), ...etcdCertsVolumes(s.etcd, ETCD_SECRET_MODE.calicoNode), ...hostVolumes.slice(at)];
}

const PRIVILEGED: k8s.SecurityContext = { privileged: true };

function initContainers(s: ResolvedInstallSettings): k8s.Container[] {
  const cni = imageOf(s, 'cni');
  // upgrade-ipam migrates host-local IPAM data into Calico's Kubernetes-datastore IPAM: Kubernetes datastore only.
  const upgradeIpam: k8s.Container[] = s.etcd ? [] : [
    {
      name: 'upgrade-ipam',
      image: cni,
      imagePullPolicy: 'IfNotPresent',
      command: ['/opt/cni/bin/calico-ipam', '-upgrade'],
      envFrom: SERVICES_ENDPOINT,
      env: [
        { name: 'KUBERNETES_NODE_NAME', valueFrom: fromField('spec.nodeName') },
        { name: 'CALICO_NETWORKING_BACKEND', valueFrom: fromConfig('calico_backend') },
      ],
      volumeMounts: [
        { mountPath: '/var/lib/cni/networks', name: 'host-local-net-dir' },
        { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
      ],
      securityContext: PRIVILEGED,
    },
  ];
  return [
    ...upgradeIpam,
    {
      name: 'install-cni',
      image: cni,
      imagePullPolicy: 'IfNotPresent',
      command: ['/opt/cni/bin/install'],
      envFrom: SERVICES_ENDPOINT,
      env: [
        { name: 'CNI_CONF_NAME', value: '10-calico.conflist' },
        { name: 'CNI_NETWORK_CONFIG', valueFrom: fromConfig('cni_network_config') },
        s.etcd
          ? { name: 'ETCD_ENDPOINTS', valueFrom: fromConfig('etcd_endpoints') }
          : { name: 'KUBERNETES_NODE_NAME', valueFrom: fromField('spec.nodeName') },
        { name: 'CNI_MTU', valueFrom: fromConfig('veth_mtu') },
        { name: 'SLEEP', value: 'false' },
      ],
      volumeMounts: [
        { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
        { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
        ...(s.etcd ? etcdCertsMounts(s.etcd) : []),
      ],
      securityContext: PRIVILEGED,
    },
    {
      name: 'mount-bpffs',
      image: imageOf(s, 'node'),
      imagePullPolicy: 'IfNotPresent',
      command: ['calico-node', '-init', '-best-effort'],
      volumeMounts: [
        { mountPath: '/sys/fs', name: 'sys-fs', mountPropagation: 'Bidirectional' },
        { mountPath: '/var/run/calico', name: 'var-run-calico', mountPropagation: 'Bidirectional' },
        { mountPath: '/nodeproc', name: 'nodeproc', readOnly: true },
      ],
      securityContext: PRIVILEGED,
    },
  ];
}

/** The calico-node pod spec for resolved settings. */
export function calicoNodePodSpec(s: ResolvedInstallSettings): k8s.PodSpec {
  const tls = s.typha.tls ? felixClientTls(s.typha.tls) : undefined;
  const probes = calicoNodeProbeCommands(s);
  const w = s.calicoNode;
  return {
    nodeSelector: w.nodeSelector ? { ...w.nodeSelector } : { 'kubernetes.io/os': 'linux' },
    hostNetwork: true,
    tolerations: w.tolerations ? [...w.tolerations] : [
      { effect: 'NoSchedule', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ],
    serviceAccountName: 'calico-node',
    terminationGracePeriodSeconds: 0,
    priorityClassName: 'system-node-critical',
    imagePullSecrets: imagePullSecretsOf(s),
    initContainers: initContainers(s),
    containers: [{
      name: 'calico-node',
      image: imageOf(s, 'node'),
      imagePullPolicy: 'IfNotPresent',
      envFrom: SERVICES_ENDPOINT,
      env: withExtraEnv(calicoNodeEnv(s), w.env),
      securityContext: PRIVILEGED,
      resources: w.resources ?? { requests: { cpu: k8s.Quantity.fromString('250m') } },
      lifecycle: { preStop: { exec: { command: ['/bin/calico-node', '-shutdown'] } } },
      livenessProbe: {
        exec: { command: probes.liveness },
        periodSeconds: 10,
        initialDelaySeconds: 10,
        failureThreshold: 6,
        timeoutSeconds: 10,
      },
      readinessProbe: {
        exec: { command: probes.readiness },
        periodSeconds: 10,
        timeoutSeconds: 10,
      },
      volumeMounts: [
        { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir', readOnly: false },
        { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
        { mountPath: '/run/xtables.lock', name: 'xtables-lock', readOnly: false },
        { mountPath: '/var/run/calico', name: 'var-run-calico', readOnly: false },
        { mountPath: '/var/lib/calico', name: 'var-lib-calico', readOnly: false },
        ...(s.etcd ? etcdCertsMounts(s.etcd) : []),
        { name: 'policysync', mountPath: '/var/run/nodeagent' },
        { name: 'bpffs', mountPath: '/sys/fs/bpf' },
        { name: 'cni-log-dir', mountPath: '/var/log/calico/cni', readOnly: true },
        ...(tls?.volumeMounts ?? []),
      ],
    }],
    volumes: [...podVolumes(s), ...(tls?.volumes ?? [])],
  };
}

/** The calico-node DaemonSet. */
export function renderCalicoNode(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  return [kubeObject(scope, 'CalicoNodeDaemonSet', k8s.KubeDaemonSet, {
    metadata: { name: 'calico-node', namespace: s.namespace, labels: { ...LABELS } },
    spec: {
      selector: { matchLabels: { ...LABELS } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: calicoNodePodSpec(s),
      },
    },
  })];
}
