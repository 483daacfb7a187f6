// The operator install mode: upstream's Tigera operator of the release's line (namespace, RBAC,
// Deployment), the Installation `default` that carries the library's decisions, and the operator's
// other resources the output asks for (APIServer, Goldmane, Whisker). What the operator owns
// (calico-node, Typha, calico-kube-controllers, the default IP pools) is never rendered as an
// object of its own. Facts from tigera/operator v1.40 (Calico v3.31) and v1.42 (Calico v3.32).

import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { CalicoVersion } from '../../core/calico-version';
import { IpipMode, IpPool, VxlanMode } from '../../resources/ip-pool';
import { CalicoApiMode } from '../api-mode';
import type { CalicoClusterProps } from '../calico-cluster-props';
import { InstallMode } from '../install-mode';
import { CalicoBackend } from '../routing';
import type { CalicoWorkloadOptions } from '../workload-options';
import { JsonFields, KubeJson, PodSpecJson, WorkloadJson } from './kube-json';
import { installDefect, upstreamObject, upstreamOperator } from './upstream-install';

/** The namespace the operator runs Calico's components in (calico-node, Typha, kube-controllers, Goldmane, Whisker). */
export const OPERATOR_CALICO_NAMESPACE = 'calico-system';
/** The operator's own namespace. */
export const OPERATOR_NAMESPACE = 'tigera-operator';
/** The operator's resources. */
const OPERATOR_API = 'operator.tigera.io/v1';
/** `<registry>/<path>/operator:<tag>`, the operator's image (`quay.io/tigera/operator:v1.42.3`). */
const OPERATOR_IMAGE = /^[^/]+\/(tigera\/operator:[A-Za-z0-9_.-]+)$/;

/** What the operator install is rendered from. */
export interface OperatorInstallContext {
  readonly calicoVersion: CalicoVersion;
  /** Image registry given by the user; undefined keeps upstream's (quay.io). */
  readonly registry?: string;
  readonly imagePullSecrets: readonly string[];
  readonly backend: CalicoBackend;
  /** The workload MTU; 0 leaves it to the operator's auto-detection. */
  readonly vethMtu: number;
  readonly nodeSubnets: readonly string[];
  /** The default pools: models of the Installation's `calicoNetwork.ipPools`, never rendered as IPPools. */
  readonly pools: () => readonly IpPool[];
  readonly calicoNode?: CalicoWorkloadOptions;
  readonly typha?: CalicoWorkloadOptions;
  readonly kubeControllers?: CalicoWorkloadOptions;
  readonly apiMode: CalicoApiMode;
  readonly goldmane: boolean;
  readonly whisker: boolean;
}

/**
 * Every prop the operator install cannot honour, one sentence each with the fix; also the operator
 * options given without the operator. Empty when the props fit the install mode.
 */
export function installModeProblems(props: CalicoClusterProps): string[] {
  const out: string[] = [];
  if ((props.installMode ?? InstallMode.MANIFESTS) !== InstallMode.OPERATOR) {
    if (props.operatorOptions !== undefined) out.push('operatorOptions are for installMode InstallMode.OPERATOR; set installMode, or drop operatorOptions');
    return out;
  }
  const refuse = (prop: string, why: string) => out.push(`${prop} is set, but ${why}`);
  if (props.etcd) refuse('etcd', 'the Tigera operator runs Calico on the Kubernetes datastore only; drop etcd, or use installMode InstallMode.MANIFESTS');
  if (props.namespaceName !== undefined) {
    refuse('namespaceName', `the Tigera operator runs Calico in ${OPERATOR_CALICO_NAMESPACE} (and itself in ${OPERATOR_NAMESPACE}); drop namespaceName`);
  }
  if (props.typha?.replicas !== undefined) {
    refuse('typha.replicas', 'the Tigera operator sizes Typha from the node count itself; drop typha.replicas');
  }
  if (props.typha?.tls !== undefined) refuse('typha.tls', 'the Tigera operator issues and rotates the Felix-Typha certificates itself; drop typha.tls');
  for (const [name, options] of [['calicoNode', props.calicoNode], ['typha', props.typha], ['kubeControllers', props.kubeControllers]] as const) {
    if (options?.env !== undefined) {
      refuse(`${name}.env`, 'the Installation has no environment overrides; set Felix settings in a FelixConfiguration, or use installMode InstallMode.MANIFESTS');
    }
  }
  if (props.kubeControllers?.enabledControllers !== undefined) {
    refuse('kubeControllers.enabledControllers', 'the Tigera operator chooses the controllers calico-kube-controllers runs; drop enabledControllers');
  }
  if (props.apiMode === CalicoApiMode.NATIVE_V3_CRDS) {
    refuse('apiMode NativeV3CRDs', 'the Tigera operator picks its API group itself (from the API groups the cluster serves) and installs its own webhooks, so the library does not '
      + 'render native v3 CRDs for it; use CalicoApiMode.API_SERVER (the operator runs the API server), STORAGE_CRDS or CALICOCTL');
  }
  if (props.apiCertificates !== undefined) {
    refuse('apiCertificates', 'the Tigera operator issues and rotates the Calico API server\'s certificate itself; drop apiCertificates');
  }
  if (props.operatorOptions?.whisker && !props.operatorOptions.goldmane) {
    refuse('operatorOptions.whisker', 'Whisker shows the flows Goldmane aggregates, and goldmane is off; set operatorOptions.goldmane too');
  }
  return out;
}

/**
 * The TigeraStatus names of the components the operator runs for this output, in the order it
 * reports them (the install stage waits for each to be Available).
 */
export function operatorStatuses(ctx: Pick<OperatorInstallContext, 'apiMode' | 'goldmane' | 'whisker'>): string[] {
  return ['calico', ...(ctx.apiMode === CalicoApiMode.API_SERVER ? ['apiserver'] : []),
    ...(ctx.goldmane ? ['goldmane'] : []), ...(ctx.whisker ? ['whisker'] : [])];
}

/**
 * Renders the operator install into `scope`: upstream's operator objects (the image on `registry`,
 * the pull secrets on its pod), the Installation `default` and the APIServer, Goldmane and Whisker
 * resources the context asks for. Returns them in creation (and so synthesis) order.
 */
export function renderOperatorInstall(scope: Construct, ctx: OperatorInstallContext): ApiObject[] {
  const { objects } = upstreamOperator(ctx.calicoVersion);
  const out: ApiObject[] = [];
  for (const object of objects) {
    const json = object.kind === 'Deployment' ? operatorDeployment(objects, ctx) : object;
    out.push(new ApiObject(scope, `${object.kind}-${object.metadata.name}`, json as any));
  }
  out.push(new ApiObject(scope, 'Installation', {
    apiVersion: OPERATOR_API, kind: 'Installation', metadata: { name: 'default' },
    spec: Lazy.any({ produce: () => installationSpec(ctx) }),
  }));
  if (ctx.apiMode === CalicoApiMode.API_SERVER) {
    out.push(new ApiObject(scope, 'APIServer', { apiVersion: OPERATOR_API, kind: 'APIServer', metadata: { name: 'default' }, spec: {} }));
  }
  if (ctx.goldmane) out.push(new ApiObject(scope, 'Goldmane', { apiVersion: OPERATOR_API, kind: 'Goldmane', metadata: { name: 'default' }, spec: {} }));
  if (ctx.whisker) out.push(new ApiObject(scope, 'Whisker', { apiVersion: OPERATOR_API, kind: 'Whisker', metadata: { name: 'default' }, spec: {} }));
  return out;
}

/** Upstream's operator Deployment, its image on the user's registry and its pod given the pull secrets. */
function operatorDeployment(objects: readonly KubeJson[], ctx: OperatorInstallContext): WorkloadJson {
  const deployment = upstreamObject<WorkloadJson>(objects, 'Deployment', 'tigera-operator');
  const pod = deployment.spec.template.spec;
  if (ctx.registry !== undefined) {
    for (const container of pod.containers) {
      const m = OPERATOR_IMAGE.exec(container.image);
      if (!m) throw installDefect(`the operator image ${container.image} is not <registry>/tigera/operator:<tag>`);
      container.image = `${ctx.registry}/${m[1]}`;
    }
  }
  if (ctx.imagePullSecrets.length) pod.imagePullSecrets = ctx.imagePullSecrets.map(name => ({ name }));
  return deployment;
}

/** The Installation's spec: the library's decisions in the operator's vocabulary. Pure. */
export function installationSpec(ctx: OperatorInstallContext): JsonFields {
  const pools = ctx.pools();
  const v4 = ctx.nodeSubnets.filter(s => !s.includes(':'));
  const v6 = ctx.nodeSubnets.filter(s => s.includes(':'));
  const calicoNetwork: JsonFields = {
    bgp: ctx.backend === CalicoBackend.BIRD ? 'Enabled' : 'Disabled',
    linuxDataplane: 'Iptables',
    ...(ctx.vethMtu > 0 ? { mtu: ctx.vethMtu } : {}),
    ipPools: pools.map(poolJson),
    ...(v4.length ? { nodeAddressAutodetectionV4: { cidrs: v4 } } : {}),
    ...(v6.length && pools.some(p => p.ipVersion === 6) ? { nodeAddressAutodetectionV6: { cidrs: v6 } } : {}),
  };
  return {
    variant: 'Calico',
    ...(ctx.registry !== undefined ? { registry: `${ctx.registry}/` } : {}),
    ...(ctx.imagePullSecrets.length ? { imagePullSecrets: ctx.imagePullSecrets.map(name => ({ name })) } : {}),
    calicoNetwork,
    ...override('calicoNodeDaemonSet', 'calico-node', ctx.calicoNode),
    ...override('typhaDeployment', 'calico-typha', ctx.typha),
    ...override('calicoKubeControllersDeployment', 'calico-kube-controllers', ctx.kubeControllers),
  };
}

/** One pool of `calicoNetwork.ipPools`. */
function poolJson(pool: IpPool): JsonFields {
  return {
    name: pool.name,
    cidr: pool.cidr,
    blockSize: pool.blockSize,
    encapsulation: encapsulationOf(pool),
    natOutgoing: pool.natOutgoing ? 'Enabled' : 'Disabled',
    nodeSelector: pool.nodeSelector.toString(),
  };
}

/** The Installation's `encapsulation` of a pool's IP-in-IP and VXLAN modes. */
export function encapsulationOf(pool: IpPool): string {
  if (pool.ipipMode === IpipMode.ALWAYS) return 'IPIP';
  if (pool.ipipMode === IpipMode.CROSS_SUBNET) return 'IPIPCrossSubnet';
  if (pool.vxlanMode === VxlanMode.ALWAYS) return 'VXLAN';
  if (pool.vxlanMode === VxlanMode.CROSS_SUBNET) return 'VXLANCrossSubnet';
  return 'None';
}

/**
 * The Installation's override of one component's pod (`calicoNodeDaemonSet`, ...): its main
 * container's resources, the pod's node selector and tolerations; nothing when none is given.
 */
function override(field: string, container: string, o: CalicoWorkloadOptions | undefined): JsonFields {
  if (!o || (o.resources === undefined && o.nodeSelector === undefined && o.tolerations === undefined)) return {};
  const pod: Partial<PodSpecJson> = {};
  if (o.resources) pod.containers = [{ name: container, resources: k8s.toJson_ResourceRequirements(o.resources) } as any];
  if (o.nodeSelector) pod.nodeSelector = { ...o.nodeSelector };
  if (o.tolerations) pod.tolerations = o.tolerations.map(t => k8s.toJson_Toleration(t) as JsonFields);
  return { [field]: { spec: { template: { spec: pod } } } };
}
