// The calico-kube-controllers Deployment and its PodDisruptionBudget.

import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { kubeObject } from './kube-object';
import { imageOf, imagePullSecretsOf, InstallSettings, resolveInstallSettings, withExtraEnv } from './settings';

const NAME = 'calico-kube-controllers';
const LABELS = { 'k8s-app': NAME };

/** The calico-kube-controllers Deployment (one active instance) and its PodDisruptionBudget. */
export function renderKubeControllers(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const w = s.kubeControllers;
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
          imagePullSecrets: imagePullSecretsOf(s),
          containers: [{
            name: NAME,
            image: imageOf(s, 'kube-controllers'),
            imagePullPolicy: 'IfNotPresent',
            env: withExtraEnv([
              { name: 'ENABLED_CONTROLLERS', value: w.enabledControllers.join(',') },
              { name: 'DATASTORE_TYPE', value: 'kubernetes' },
            ], w.env),
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
        },
      },
    },
  });
  return [deployment, pdb];
}
