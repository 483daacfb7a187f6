// The calico-kube-controllers Deployment and its PodDisruptionBudget.

import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CALICO_CONFIG_NAME } from './config-map';
import { etcdCertsMounts, etcdCertsVolumes, etcdClientEnv, ETCD_SECRET_MODE } from './etcd';
import { kubeObject } from './kube-object';
import { imageOf, imagePullSecretsOf, InstallSettings, resolveInstallSettings, withExtraEnv } from './settings';

const NAME = 'calico-kube-controllers';
const LABELS = { 'k8s-app': NAME };

/**
 * The calico-kube-controllers Deployment (one active instance) and its PodDisruptionBudget. With
 * the etcd datastore it runs on the host network (so no network policy can cut it off from etcd),
 * reads ETCD_* and mounts the TLS Secret, as upstream's etcd manifest.
 */
export function renderKubeControllers(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const w = s.kubeControllers;
  const etcd = s.etcd;
  const enabledControllers: k8s.EnvVar = { name: 'ENABLED_CONTROLLERS', value: w.enabledControllers.join(',') };
  const env: k8s.EnvVar[] = etcd
    ? [...etcdClientEnv(CALICO_CONFIG_NAME), enabledControllers]
    : [enabledControllers, { name: 'DATASTORE_TYPE', value: 'kubernetes' }];
  const mounts = etcd ? etcdCertsMounts(etcd) : [];
  const volumes = etcd ? etcdCertsVolumes(etcd, ETCD_SECRET_MODE.kubeControllers) : [];
  const pdb = kubeObject(scope, 'KubeControllersPodDisruptionBudget', k8s.KubePodDisruptionBudget, {
    metadata: { name: NAME, namespace: s.namespace, labels: { ...LABELS } },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: { ...LABELS } },
    },
  });
  const deployment = kubeObject(scope, 'KubeControllersDeployment', k8s.KubeDeployment, {
    metadata: { name: NAME, namespace: s.namespace, labels: { ...LABELS } },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { ...LABELS } },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { name: NAME, namespace: s.namespace, labels: { ...LABELS } },
        spec: {
          nodeSelector: w.nodeSelector ? { ...w.nodeSelector } : { 'kubernetes.io/os': 'linux' },
          tolerations: w.tolerations ? [...w.tolerations] : [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          serviceAccountName: NAME,
          priorityClassName: 'system-cluster-critical',
          hostNetwork: etcd ? true : undefined,
          imagePullSecrets: imagePullSecretsOf(s),
          containers: [{
            name: NAME,
            image: imageOf(s, 'kube-controllers'),
            imagePullPolicy: 'IfNotPresent',
            env: withExtraEnv(env, w.env),
            volumeMounts: mounts.length ? mounts : undefined,
            resources: w.resources,
            livenessProbe: {
              exec: { command: ['/usr/bin/check-status', '-l'] },
              periodSeconds: 10,
              initialDelaySeconds: 10,
              failureThreshold: 6,
              timeoutSeconds: 10,
            },
            readinessProbe: {
              exec: { command: ['/usr/bin/check-status', '-r'] },
              periodSeconds: 10,
            },
          }],
          volumes: volumes.length ? volumes : undefined,
        },
      },
    },
  });
  return [deployment, pdb];
}
