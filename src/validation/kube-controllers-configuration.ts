// Validation of KubeControllersConfiguration (projectcalico.org/v3), following calicoctl: the
// `validate` tags of api/pkg/apis/projectcalico/v3/kubecontrollersconfig.go (v3.28: logLevel,
// oneof=Enabled Disabled), the v3.28.5 CRD schema (field list), and the create-time rule of
// libcalico-go's clientv3 that the only accepted name is `default`.
import { FieldCheck, LOG_LEVELS, checkObject, goDuration, int, oneOf } from './field-checks';
import { IssueCollector, isObject, q } from './issues';
import { registerKind } from './registry';

const KIND = 'KubeControllersConfiguration';
const ENABLED_DISABLED = oneOf(['Enabled', 'Disabled']);
const PERIOD = goDuration();

/** Fields of later Calico releases, named in the unknown-field message. */
const LATER_CONTROLLER_FIELDS: Record<string, string> = {
  loadBalancer: 'v3.29',
  policyMigration: 'v3.30',
  createDefaultHostEndpoint: 'v3.30',
  templates: 'v3.30',
};

function controller(fields: Record<string, FieldCheck>): FieldCheck {
  return (v, path, label, c) => checkObject(v, path, label, fields, KIND, c, LATER_CONTROLLER_FIELDS);
}

const RECONCILER_ONLY = controller({ reconcilerPeriod: PERIOD });

const CONTROLLERS: Record<string, FieldCheck> = {
  node: controller({
    reconcilerPeriod: PERIOD,
    syncLabels: ENABLED_DISABLED,
    hostEndpoint: controller({ autoCreate: ENABLED_DISABLED }),
    leakGracePeriod: PERIOD,
  }),
  policy: RECONCILER_ONLY,
  workloadEndpoint: RECONCILER_ONLY,
  serviceAccount: RECONCILER_ONLY,
  namespace: RECONCILER_ONLY,
};

/** Every KubeControllersConfiguration spec field of Calico v3.28.5 with its check. */
export const KUBE_CONTROLLERS_FIELDS: Record<string, FieldCheck> = {
  logSeverityScreen: oneOf(LOG_LEVELS),
  healthChecks: ENABLED_DISABLED,
  etcdV3CompactionPeriod: PERIOD,
  prometheusMetricsPort: int(0, 65535, '0 disables the metrics server'),
  debugProfilePort: int(0, 65535, 'a TCP port'),
  controllers: (v, path, label, c) => checkObject(v, path, label, CONTROLLERS, KIND, c, LATER_CONTROLLER_FIELDS),
};

/** Validates the name and spec of a KubeControllersConfiguration manifest. */
export function validateKubeControllersConfiguration(m: Record<string, any>, c: IssueCollector): void {
  const name = isObject(m.metadata) ? m.metadata.name : undefined;
  if (typeof name === 'string' && name !== 'default') {
    c.add('metadata.name', `KubeControllersConfiguration name ${q(name)} is not allowed: Calico only accepts and reads the one named 'default'; name it 'default'`);
  }
  const spec = m.spec;
  if (spec === undefined || spec === null) return;
  checkObject(spec, 'spec', '', KUBE_CONTROLLERS_FIELDS, KIND, c);
}

registerKind(KIND, validateKubeControllersConfiguration);
