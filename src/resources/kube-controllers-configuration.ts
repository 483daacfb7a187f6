import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { quote } from '../core/quote';
import * as crd from '../../imports/crd.projectcalico.org';
import { LogSeverity } from './felix-types';
import { registerCrdDefaults } from './private/crd-defaults';
import { CalicoResource, CalicoResourceProps } from './resource';
import { formatGoDuration } from '../validation/go-syntax';
import { asGenerated, enabledDisabled, mergeAdditionalFields, wholeMilliseconds } from './private/resource-util';
import '../validation/kube-controllers-configuration';
import { checkArguments } from '../core/argument-check';

/** Settings of one kube-controllers controller. */
export interface ControllerConfig {
  /**
   * Run the controller. In Kubernetes-datastore mode only the node controller does any work;
   * the others serve the etcd datastore.
   * @default true
   */
  readonly enabled?: boolean;
  /** How often the controller reconciles with the Calico datastore. @default - Calico's default, 5m */
  readonly reconcilerPeriod?: Duration;
}

/** Settings of the node controller, which cleans up after deleted nodes and garbage-collects leaked IPs. */
export interface NodeControllerConfig extends ControllerConfig {
  /** Copy Kubernetes node labels to Calico nodes (etcd datastore only). @default - Calico's default, true (Enabled) */
  readonly syncLabels?: boolean;
  /** Create a host endpoint for every node (`hostEndpoint.autoCreate`). @default - Calico's default, false (Disabled) */
  readonly hostEndpointAutoCreate?: boolean;
  /** How long an IP address may look leaked before it is released; zero disables IP garbage collection. @default - Calico's default, 15m */
  readonly leakGracePeriod?: Duration;
}

/** Which LoadBalancer Services get addresses from Calico IPAM. */
export enum LoadBalancerAssignIps {
  /** Every LoadBalancer Service. */
  ALL_SERVICES = 'AllServices',
  /** Only Services that ask for a Calico pool or address in their annotations. */
  REQUESTED_SERVICES_ONLY = 'RequestedServicesOnly',
}

/**
 * Settings of the LoadBalancer controller, which assigns LoadBalancer Service addresses from
 * pools with the LoadBalancer use. Whether it runs is decided by kube-controllers'
 * `ENABLED_CONTROLLERS`, not here.
 */
export interface LoadBalancerControllerConfig {
  /** Which LoadBalancer Services get addresses. @default - Calico's default, LoadBalancerAssignIps.ALL_SERVICES */
  readonly assignIps?: LoadBalancerAssignIps;
}

/**
 * Settings of the policy name migrator, which renames policies stored under v3.31's
 * `default.<name>` to their v3 name (Calico v3.32 and later).
 */
export interface PolicyMigrationControllerConfig {
  /** Run the migrator. @default - Calico's default, true (Enabled) */
  readonly enabled?: boolean;
}

/** Settings of the KubeControllersConfiguration. Unset fields keep Calico's defaults. */
export interface KubeControllersConfigurationProps extends CalicoResourceProps {
  /** Severity above which kube-controllers logs to stdout. @default - Calico's default, Info */
  readonly logSeverityScreen?: LogSeverity;
  /** Serve health checks. @default - Calico's default, true (Enabled) */
  readonly healthChecks?: boolean;
  /** Period between etcd v3 compactions; zero disables them (etcd datastore only). @default - Calico's default, 10m */
  readonly etcdV3CompactionPeriod?: Duration;
  /** Port of the Prometheus metrics server; 0 disables it. @default - Calico's default, 9094 */
  readonly prometheusMetricsPort?: number;
  /** Port serving CPU and memory profiles. @default - profiling disabled */
  readonly debugProfilePort?: number;
  /** The node controller. @default - enabled with Calico's defaults */
  readonly nodeController?: NodeControllerConfig;
  /** The policy controller (etcd datastore only). @default - enabled with Calico's defaults */
  readonly policyController?: ControllerConfig;
  /** The workload endpoint controller (etcd datastore only). @default - enabled with Calico's defaults */
  readonly workloadEndpointController?: ControllerConfig;
  /** The service account controller (etcd datastore only). @default - enabled with Calico's defaults */
  readonly serviceAccountController?: ControllerConfig;
  /** The namespace controller (etcd datastore only). @default - enabled with Calico's defaults */
  readonly namespaceController?: ControllerConfig;
  /** The LoadBalancer controller. @default - Calico's defaults (`controllers.loadBalancer` left out) */
  readonly loadBalancerController?: LoadBalancerControllerConfig;
  /** The policy name migrator; Calico v3.32 and later. @default - Calico's default, enabled (`controllers.policyMigration` left out) */
  readonly policyMigrationController?: PolicyMigrationControllerConfig;
  /**
   * Extra spec fields by their Calico (JSON) names, for settings without a typed prop. They are
   * validated like the typed ones and may not repeat a field a typed prop sets.
   * @default - none
   */
  readonly additionalFields?: { [key: string]: any };
}

/**
 * The configuration of Calico's kube-controllers. Calico reads only the resource named
 * `default`, so that is the name it gets.
 *
 * Every controller is enabled unless you set `enabled: false`, as in the configuration
 * kube-controllers creates for itself.
 *
 * @example
 * new KubeControllersConfiguration(chart, 'kcc', {
 *   nodeController: { leakGracePeriod: Duration.minutes(30) },
 *   prometheusMetricsPort: 9094,
 * });
 */
export class KubeControllersConfiguration extends CalicoResource {
  private readonly spec: Record<string, any>;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the controllers and their settings
   */
  constructor(scope: Construct, id: string, props: KubeControllersConfigurationProps = {}) {
    checkArguments('KubeControllersConfiguration', [scope, id, props]);
    super(scope, id, 'KubeControllersConfiguration', { ...props, name: props.name ?? 'default' });
    this.spec = renderKubeControllersSpec(this, `KubeControllersConfiguration ${quote(this.name)}`, props);
    this.validateNow();
  }

  protected renderSpec(): any {
    return JSON.parse(JSON.stringify(this.spec));
  }
}

function renderKubeControllersSpec(scope: Construct, where: string, p: KubeControllersConfigurationProps): Record<string, any> {
  const duration = (label: string, d: Duration | undefined): string | undefined =>
    d === undefined ? undefined : formatGoDuration(BigInt(wholeMilliseconds(scope, where, label, d)) * 1_000_000n);
  const enabled = (c: ControllerConfig | undefined) => c?.enabled !== false;
  const reconciler = (label: string, c: ControllerConfig | undefined) =>
    (enabled(c) ? { reconcilerPeriod: duration(`${label}.reconcilerPeriod`, c?.reconcilerPeriod) } : undefined);
  const node = p.nodeController;
  const spec: crd.KubeControllersConfigurationSpec = {
    logSeverityScreen: asGenerated(p.logSeverityScreen),
    healthChecks: asGenerated(enabledDisabled(p.healthChecks)),
    etcdV3CompactionPeriod: duration('etcdV3CompactionPeriod', p.etcdV3CompactionPeriod),
    prometheusMetricsPort: p.prometheusMetricsPort,
    debugProfilePort: p.debugProfilePort,
    controllers: {
      node: enabled(node) ? asGenerated({
        reconcilerPeriod: duration('nodeController.reconcilerPeriod', node?.reconcilerPeriod),
        syncLabels: enabledDisabled(node?.syncLabels),
        hostEndpoint: node?.hostEndpointAutoCreate === undefined ? undefined : { autoCreate: enabledDisabled(node.hostEndpointAutoCreate) },
        leakGracePeriod: duration('nodeController.leakGracePeriod', node?.leakGracePeriod),
      }) : undefined,
      policy: reconciler('policyController', p.policyController),
      workloadEndpoint: reconciler('workloadEndpointController', p.workloadEndpointController),
      serviceAccount: reconciler('serviceAccountController', p.serviceAccountController),
      namespace: reconciler('namespaceController', p.namespaceController),
      loadBalancer: p.loadBalancerController ? { assignIPs: asGenerated(p.loadBalancerController.assignIps) } : undefined,
      policyMigration: p.policyMigrationController ? { enabled: asGenerated(enabledDisabled(p.policyMigrationController.enabled)) } : undefined,
    },
  };
  const typed = crd.toJson_KubeControllersConfigurationSpec(spec) ?? {};
  return mergeAdditionalFields(scope, where, typed, p.additionalFields);
}


// Calico's defaulting (libcalico-go/lib/clientv3/kubecontrollersconfig.go validateAndFillDefaults,
// the same on v3.31 and v3.32), for CRD mode. The CRD requires `controllers`, which the v3 API
// serializes even when empty.
registerCrdDefaults('KubeControllersConfiguration', (manifest: any) => {
  const spec: Record<string, any> = { ...(manifest.spec ?? {}) };
  spec.prometheusMetricsPort ??= 9094;
  const controllers: Record<string, any> = { ...(spec.controllers ?? {}) };
  if (controllers.node) controllers.node = { leakGracePeriod: '15m0s', ...controllers.node };
  if (controllers.loadBalancer) controllers.loadBalancer = { assignIPs: 'AllServices', ...controllers.loadBalancer };
  spec.controllers = controllers;
  return { ...manifest, spec };
});
