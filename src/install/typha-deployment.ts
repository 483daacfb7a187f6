import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { kubeObject } from './private/kube-object';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isEnvVarName, isImageTag, isRegistry } from './private/names';
import { typhaServerTls, typhaTlsProblems } from './private/typha-tls-mounts';
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
   * Image registry; the image is `<registry>/calico/typha:<version>`.
   * @default 'docker.io'
   */
  readonly registry?: string;
  /**
   * Image tag.
   * @default 'v3.28.5'
   */
  readonly version?: string;
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

/** Label every Typha object carries and selects on. */
const TYPHA_LABELS = { 'k8s-app': 'calico-typha' };
/** Typha's port for Felix connections. */
const TYPHA_PORT = 5473;
/** Typha's health port (`/liveness`, `/readiness`). */
const TYPHA_HEALTH_PORT = 9098;

/**
 * Calico Typha, the fan-out cache between the Kubernetes API and every Felix: the
 * `calico-typha` Service (port 5473), Deployment and PodDisruptionBudget of the upstream
 * manifest (`manifests/calico-typha.yaml`, v3.28.5).
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

  constructor(scope: Construct, id: string, props: TyphaDeploymentProps = {}) {
    checkArguments('TyphaDeployment', [scope, id, props]);
    super(scope, id);
    const problems = typhaDeploymentProblems(props);
    if (problems.length) {
      throw new CalicoValidationError(`invalid TyphaDeployment props:\n${problems.map(p => `  - ${p}`).join('\n')}`, this);
    }
    this.namespaceName = props.namespaceName ?? 'kube-system';
    this.serviceName = props.serviceName ?? 'calico-typha';
    this.replicas = props.replicas ?? TyphaDeployment.recommendedReplicas(props.expectedNodes ?? 0);

    this.podDisruptionBudget = kubeObject(this, 'PodDisruptionBudget', k8s.KubePodDisruptionBudget, {
      metadata: { name: 'calico-typha', namespace: this.namespaceName, labels: { ...TYPHA_LABELS } },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...TYPHA_LABELS } },
      },
    });

    this.service = kubeObject(this, 'Service', k8s.KubeService, {
      metadata: { name: this.serviceName, namespace: this.namespaceName, labels: { ...TYPHA_LABELS } },
      spec: {
        ports: [{
          port: TYPHA_PORT,
          protocol: 'TCP',
          targetPort: k8s.IntOrString.fromString('calico-typha'),
          name: 'calico-typha',
        }],
        selector: { ...TYPHA_LABELS },
      },
    });

    this.deployment = kubeObject(this, 'Deployment', k8s.KubeDeployment, {
      metadata: { name: 'calico-typha', namespace: this.namespaceName, labels: { ...TYPHA_LABELS } },
      spec: this.renderDeploymentSpec(props),
    });
    this.node.defaultChild = this.deployment;
  }

  private renderDeploymentSpec(props: TyphaDeploymentProps): k8s.DeploymentSpec {
    const tls = props.tls ? typhaServerTls(props.tls) : undefined;
    const registry = props.registry ?? 'docker.io';
    const version = props.version ?? 'v3.28.5';
    const env: k8s.EnvVar[] = [
      { name: 'TYPHA_LOGSEVERITYSCREEN', value: 'info' },
      { name: 'TYPHA_LOGFILEPATH', value: 'none' },
      { name: 'TYPHA_LOGSEVERITYSYS', value: 'none' },
      { name: 'TYPHA_CONNECTIONREBALANCINGMODE', value: 'kubernetes' },
      { name: 'TYPHA_DATASTORETYPE', value: 'kubernetes' },
      { name: 'TYPHA_HEALTHENABLED', value: 'true' },
      { name: 'TYPHA_SHUTDOWNTIMEOUTSECS', value: '300' },
      ...(tls?.env ?? []),
    ];
    for (const [name, value] of Object.entries(props.envVariables ?? {})) {
      const i = env.findIndex(e => e.name === name);
      if (i >= 0) env[i] = { name, value };
      else env.push({ name, value });
    }
    const pullSecrets = props.imagePullSecrets ?? [];
    return {
      replicas: this.replicas,
      revisionHistoryLimit: 2,
      selector: { matchLabels: { ...TYPHA_LABELS } },
      strategy: {
        rollingUpdate: {
          maxSurge: k8s.IntOrString.fromString('100%'),
          maxUnavailable: k8s.IntOrString.fromNumber(1),
        },
        type: 'RollingUpdate',
      },
      template: {
        metadata: {
          labels: { ...TYPHA_LABELS },
          annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' },
        },
        spec: {
          nodeSelector: props.nodeSelector ? { ...props.nodeSelector } : { 'kubernetes.io/os': 'linux' },
          hostNetwork: true,
          terminationGracePeriodSeconds: 300,
          tolerations: props.tolerations ? [...props.tolerations] : [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { effect: 'NoSchedule', operator: 'Exists' },
            { effect: 'NoExecute', operator: 'Exists' },
          ],
          serviceAccountName: 'calico-node',
          priorityClassName: 'system-cluster-critical',
          securityContext: { fsGroup: 65534 },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { ...TYPHA_LABELS } }, topologyKey: 'topology.kubernetes.io/zone' } },
                { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { ...TYPHA_LABELS } }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          imagePullSecrets: pullSecrets.length ? pullSecrets.map(name => ({ name })) : undefined,
          volumes: tls?.volumes,
          containers: [{
            image: `${registry}/calico/typha:${version}`,
            imagePullPolicy: 'IfNotPresent',
            name: 'calico-typha',
            ports: [{ containerPort: TYPHA_PORT, name: 'calico-typha', protocol: 'TCP' }],
            envFrom: [{ configMapRef: { name: 'kubernetes-services-endpoint', optional: true } }],
            env,
            resources: props.resources,
            volumeMounts: tls?.volumeMounts,
            livenessProbe: {
              httpGet: { path: '/liveness', port: k8s.IntOrString.fromNumber(TYPHA_HEALTH_PORT), host: 'localhost' },
              periodSeconds: 30,
              initialDelaySeconds: 30,
              timeoutSeconds: 10,
            },
            securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
            readinessProbe: {
              httpGet: { path: '/readiness', port: k8s.IntOrString.fromNumber(TYPHA_HEALTH_PORT), host: 'localhost' },
              periodSeconds: 10,
              timeoutSeconds: 10,
            },
          }],
        },
      },
    };
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
  if (props.version !== undefined && !isImageTag(props.version)) {
    out.push(`version ${quote(props.version)} is not a valid image tag; use a tag like 'v3.28.5'`);
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
