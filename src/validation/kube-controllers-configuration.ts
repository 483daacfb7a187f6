// Validation of KubeControllersConfiguration (projectcalico.org/v3), following calicoctl: the
// `validate` tags of api/pkg/apis/projectcalico/v3/kubecontrollersconfig.go (logLevel, oneof=Enabled
// Disabled, assignIPs, createDefaultHostEndpoint, the host endpoint templates' name, cidrs, regexp,
// labels and selector), and the create-time rule of libcalico-go's clientv3 that the only accepted
// name is `default`. Fields with no check here get their CRD's; fields the chosen line lacks
// (loadBalancer before v3.29, policyMigration before v3.32) are reported by the field-name pass.
import { checkLabels, checkNameFormat, checkSelector } from './common';
import { FieldCheck, LOG_LEVELS, checkObject, goDuration, int, listOf, oneOf, regexpField } from './field-checks';
import { IssueCollector, isObject, q } from './issues';
import { parseCidrOrIp } from '../net/address';
import { registerKind } from './registry';

const KIND = 'KubeControllersConfiguration';
const ENABLED_DISABLED = oneOf(['Enabled', 'Disabled']);
const PERIOD = goDuration();

function controller(fields: Record<string, FieldCheck>): FieldCheck {
  return (v, path, label, c) => checkObject(v, path, label, fields, c);
}

/** A host endpoint template (v3.30+): the host endpoints kube-controllers makes for each matching node. */
const TEMPLATE = controller({
  generateName: (v, path, label, c) => {
    if (typeof v !== 'string') c.add(path, `${label} must be a string, got ${q(v)}`);
    else if (v !== '') checkNameFormat(v, path, c, label);
  },
  interfaceCIDRs: listOf((v, path, label, c) => {
    if (typeof v !== 'string' || !parseCidrOrIp(v)) c.add(path, `${label} ${q(v)} is not a CIDR or IP address; write it like '10.0.0.0/24'`);
  }),
  interfacePattern: regexpField,
  labels: (v, path, _label, c) => checkLabels(v, path, c),
  nodeSelector: (v, path, label, c) => {
    if (typeof v !== 'string') c.add(path, `${label} must be a selector string such as 'has(edge)', got ${q(v)}`);
    else checkSelector(v, path, label, c);
  },
});

const RECONCILER_ONLY = controller({ reconcilerPeriod: PERIOD });

const CONTROLLERS: Record<string, FieldCheck> = {
  node: controller({
    reconcilerPeriod: PERIOD,
    syncLabels: ENABLED_DISABLED,
    hostEndpoint: controller({ autoCreate: ENABLED_DISABLED, createDefaultHostEndpoint: ENABLED_DISABLED, templates: listOf(TEMPLATE) }),
    leakGracePeriod: PERIOD,
  }),
  loadBalancer: controller({ assignIPs: oneOf(['AllServices', 'RequestedServicesOnly']) }),
  policyMigration: controller({ enabled: ENABLED_DISABLED }),
  policy: RECONCILER_ONLY,
  workloadEndpoint: RECONCILER_ONLY,
  serviceAccount: RECONCILER_ONLY,
  namespace: RECONCILER_ONLY,
};

/** The KubeControllersConfiguration spec fields, of every supported line, with their checks. */
export const KUBE_CONTROLLERS_FIELDS: Record<string, FieldCheck> = {
  logSeverityScreen: oneOf(LOG_LEVELS),
  healthChecks: ENABLED_DISABLED,
  etcdV3CompactionPeriod: PERIOD,
  prometheusMetricsPort: int(0, 65535, '0 disables the metrics server'),
  debugProfilePort: int(0, 65535, 'a TCP port'),
  controllers: controller(CONTROLLERS),
};

/** Validates the name and spec of a KubeControllersConfiguration manifest. */
export function validateKubeControllersConfiguration(m: Record<string, any>, c: IssueCollector): void {
  const name = isObject(m.metadata) ? m.metadata.name : undefined;
  if (typeof name === 'string' && name !== 'default') {
    c.add('metadata.name', `KubeControllersConfiguration name ${q(name)} is not allowed: Calico only accepts and reads the one named 'default'; name it 'default'`);
  }
  const spec = m.spec;
  if (spec === undefined || spec === null) return;
  checkObject(spec, 'spec', '', KUBE_CONTROLLERS_FIELDS, c);
}

registerKind(KIND, validateKubeControllersConfiguration);
