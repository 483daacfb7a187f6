import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkArguments } from '../core/argument-check';
import { CalicoVersion, calicoVersionOf } from '../core/calico-version';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { JsonFields, KubeJson, withFieldAfter } from './private/kube-json';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isEnvVarName, isRegistry } from './private/names';
import { withPodOverrides } from './private/pod-overrides';
import { typhaServerTls, typhaTlsProblems } from './private/typha-tls-mounts';
import { containerNamed, upstreamInstallOf, upstreamObject, upstreamWorkload } from './private/upstream-install';
import { TyphaTlsProps } from './typha-tls';

/**
 * Props of `TyphaDeployment`.
 */
export interface TyphaDeploymentProps {
  /**
   * Namespace of the Service, Deployment and PodDisruptionBudget.
   * @default 'kube-system'
   */
  readonly namespaceName?: string;
  /**
   * Name of the Service, which Felix finds through `typha_service_name` in the calico-config
   * ConfigMap. The Deployment and PodDisruptionBudget keep upstream's name `calico-typha`.
   * @default 'calico-typha'
   */
  readonly serviceName?: string;
  /**
   * Number of Typha replicas. Typha binds host port 5473, so at most one replica runs per node.
   * @default - `TyphaDeployment.recommendedReplicas(expectedNodes)` when `expectedNodes` is set,
   * else 1 as in the upstream manifest
   */
  readonly replicas?: number;
  /**
   * Number of nodes the cluster is expected to have; sets the replicas with the Tigera
   * operator's rule unless `replicas` is given.
   * @default - unknown; 1 replica unless `replicas` is given
   */
  readonly expectedNodes?: number;
  /**
   * The Calico release: its line's Typha objects and its image tag.
   * @default - the version of the scope (`CalicoVersion.of(scope)`): the cluster's in a chart with a
   *            CalicoCluster, else `CalicoVersion.DEFAULT`
   */
  readonly calicoVersion?: CalicoVersion;
  /**
   * Image registry; the image is `<registry>/calico/typha:<tag>`.
   * @default - the release's registry, 'quay.io' (where upstream publishes its images since v3.31)
   */
  readonly registry?: string;
  /**
   * Names of image pull Secrets in the namespace.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Mutual TLS with Felix (configure the calico-node side with the same props).
   * @default - no TLS, as in the upstream manifest
   */
  readonly tls?: TyphaTlsProps;
  /**
   * Resources of the calico-typha container.
   * @default - none, as in the upstream manifest
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * Extra environment variables of the calico-typha container. A name that upstream already
   * sets (e.g. `TYPHA_LOGSEVERITYSCREEN`) replaces upstream's value.
   * @default - upstream's variables only
   */
  readonly envVariables?: { [name: string]: string };
  /**
   * Node selector of the Typha pods.
   * @default { 'kubernetes.io/os': 'linux' }
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations of the Typha pods.
   * @default - upstream's: CriticalAddonsOnly, and every NoSchedule and NoExecute taint
   */
  readonly tolerations?: k8s.Toleration[];
}

/** Name of upstream's Typha objects. */
const NAME = 'calico-typha';
/** Label every Typha object carries and selects on. */
const TYPHA_LABELS = { 'k8s-app': NAME };
/** Typha's port for Felix connections. */
const TYPHA_PORT = 5473;

/**
 * Calico Typha, the fan-out cache between the Kubernetes API and every Felix: the
 * `calico-typha` Service (port 5473), Deployment and PodDisruptionBudget of the upstream
 * manifest (`manifests/calico-typha.yaml`) of the release's line.
 *
 * Beyond upstream, the replicas follow the Tigera operator's rule when `expectedNodes` is
 * given, and the pods prefer to spread across zones and hosts.
 */
export class TyphaDeployment extends Construct {
  /**
   * The replica count the Tigera operator uses for a cluster of `expectedNodes` nodes:
   * `expectedNodes / 200 + 2` (integer division), but 1 for up to 2 nodes, 2 for 3-4 nodes,
   * and at least 3 from 5 nodes on. For example 100 nodes -> 3, 1000 -> 7, 2000 -> 12.
   * @param expectedNodes number of nodes, a whole number of at least 0
   */
  public static recommendedReplicas(expectedNodes: number): number {
    checkArguments('TyphaDeployment.recommendedReplicas', [expectedNodes]);
    if (!Number.isInteger(expectedNodes) || expectedNodes < 0) {
      throw new CalicoValidationError(`expectedNodes ${expectedNodes} is not a whole number of at least 0; give the number of nodes you expect`);
    }
    if (expectedNodes <= 2) return 1;
    if (expectedNodes <= 4) return 2;
    return Math.max(3, Math.floor(expectedNodes / 200) + 2);
  }

  /** The `calico-typha` Service: the escape hatch for `addJsonPatch`. */
  public readonly service: ApiObject;
  /** The `calico-typha` Deployment: the escape hatch for `addJsonPatch`. */
  public readonly deployment: ApiObject;
  /** The `calico-typha` PodDisruptionBudget (`maxUnavailable: 1`): the escape hatch for `addJsonPatch`. */
  public readonly podDisruptionBudget: ApiObject;
  /** Replica count of the Deployment, as resolved from `replicas` / `expectedNodes`. */
  public readonly replicas: number;
  /** Name of the Service (what calico-config's `typha_service_name` must say). */
  public readonly serviceName: string;
  /** Namespace of the Typha objects. */
  public readonly namespaceName: string;
  /** The Calico release whose Typha runs. */
  public readonly calicoVersion: CalicoVersion;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props replicas, TLS and workload options
   */
  constructor(scope: Construct, id: string, props: TyphaDeploymentProps = {}) {
    checkArguments('TyphaDeployment', [scope, id, props]);
    super(scope, id);
    const problems = typhaDeploymentProblems(props);
    if (problems.length) {
      throw new CalicoValidationError(`invalid TyphaDeployment props:\n${problems.map(p => `  - ${p}`).join('\n')}`, this);
    }
    this.namespaceName = props.namespaceName ?? 'kube-system';
    this.serviceName = props.serviceName ?? NAME;
    this.replicas = props.replicas ?? TyphaDeployment.recommendedReplicas(props.expectedNodes ?? 0);
    this.calicoVersion = props.calicoVersion ?? calicoVersionOf(this);
    const upstream = upstreamInstallOf(this.calicoVersion).kubernetes;

    const pdb = upstreamObject(upstream, 'PodDisruptionBudget', NAME);
    pdb.metadata.namespace = this.namespaceName;
    this.podDisruptionBudget = new ApiObject(this, 'PodDisruptionBudget', pdb);

    const service = upstreamObject(upstream, 'Service', NAME);
    service.metadata.name = this.serviceName;
    service.metadata.namespace = this.namespaceName;
    this.service = new ApiObject(this, 'Service', service);

    this.deployment = new ApiObject(this, 'Deployment', this.renderDeployment(upstream, props));
    this.node.defaultChild = this.deployment;
  }

  /**
   * Upstream's Deployment with the replicas, the release's image, TLS, the pod settings, and the
   * library's addition: the pods prefer to spread across zones, then hosts, so one zone or node
   * failing takes as few Typhas as it can.
   */
  private renderDeployment(upstream: readonly KubeJson[], props: TyphaDeploymentProps): KubeJson {
    const deployment = upstreamWorkload(upstream, 'Deployment', NAME);
    deployment.metadata.namespace = this.namespaceName;
    deployment.spec.replicas = this.replicas;
    let pod = deployment.spec.template.spec;
    const typha = containerNamed(pod.containers, NAME);
    if (props.tls) {
      const tls = typhaServerTls(props.tls);
      typha.env = [...(typha.env ?? []), ...tls.env];
      typha.volumeMounts = [...(typha.volumeMounts ?? []), ...tls.volumeMounts];
      pod.volumes = [...(pod.volumes ?? []), ...tls.volumes];
    }
    const spread = (weight: number, topologyKey: string): JsonFields => ({ weight, podAffinityTerm: { labelSelector: { matchLabels: { ...TYPHA_LABELS } }, topologyKey } });
    pod = withFieldAfter(pod, 'securityContext', 'affinity', {
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [spread(100, 'topology.kubernetes.io/zone'), spread(50, 'kubernetes.io/hostname')] },
    });
    deployment.spec.template.spec = withPodOverrides(pod, typha, {
      registry: props.registry ?? this.calicoVersion._data.registry,
      tag: this.calicoVersion.tag,
      resources: props.resources,
      env: props.envVariables,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
      imagePullSecrets: props.imagePullSecrets,
    });
    return deployment;
  }
}

/** Every problem in `props`, one sentence each; empty when valid. */
function typhaDeploymentProblems(props: TyphaDeploymentProps): string[] {
  const out: string[] = [];
  if (props.namespaceName !== undefined && !isDns1123Label(props.namespaceName)) {
    out.push(`namespaceName ${quote(props.namespaceName)} is not a valid namespace name (DNS-1123 label: at most 63 lower-case letters, digits and '-'); use a name like 'kube-system'`);
  }
  if (props.serviceName !== undefined && !isDns1035Label(props.serviceName)) {
    out.push(`serviceName ${quote(props.serviceName)} is not a valid Service name (DNS-1035 label: a lower-case letter, then letters, digits or '-', at most 63); use a name like 'calico-typha'`);
  }
  if (props.replicas !== undefined && !(Number.isInteger(props.replicas) && props.replicas >= 1)) {
    out.push(`replicas ${props.replicas} is not a whole number of at least 1; use 1 or more (3 or more in production)`);
  }
  if (props.expectedNodes !== undefined && !(Number.isInteger(props.expectedNodes) && props.expectedNodes >= 0)) {
    out.push(`expectedNodes ${props.expectedNodes} is not a whole number of at least 0; give the number of nodes you expect`);
  }
  if (props.replicas !== undefined && props.expectedNodes !== undefined && props.expectedNodes > 0
    && Number.isInteger(props.replicas) && props.replicas > props.expectedNodes) {
    out.push(`replicas ${props.replicas} exceeds expectedNodes ${props.expectedNodes}: Typha binds host port ${TYPHA_PORT}, so only one replica runs per node and the rest stay Pending; use at most ${props.expectedNodes} replicas`);
  }
  if (props.registry !== undefined && !isRegistry(props.registry)) {
    out.push(`registry ${quote(props.registry)} is not an image registry; give host[:port][/path] without scheme or trailing '/', e.g. 'quay.io'`);
  }
  (props.imagePullSecrets ?? []).forEach((name, i) => {
    if (!isDns1123Subdomain(name)) {
      out.push(`imagePullSecrets[${i}] ${quote(name)} is not a valid Secret name (DNS-1123 subdomain); use lower-case letters, digits, '-' and '.'`);
    }
  });
  for (const name of Object.keys(props.envVariables ?? {})) {
    if (!isEnvVarName(name)) {
      out.push(`envVariables name ${quote(name)} is not a valid environment variable name; use letters, digits, '_', '-' and '.', not starting with a digit`);
    }
  }
  if (props.tls) out.push(...typhaTlsProblems(props.tls));
  return out;
}
