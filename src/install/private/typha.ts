// Typha for a settings-driven install: maps InstallSettings onto the public TyphaDeployment.

import { Construct } from 'constructs';
import { TyphaDeployment } from '../typha-deployment';
import { InstallSettings, resolveInstallSettings } from './settings';

/** The TyphaDeployment (Service, Deployment, PodDisruptionBudget) of the install, with construct id 'Typha'. */
export function renderTypha(scope: Construct, settings: InstallSettings = {}): TyphaDeployment {
  const s = resolveInstallSettings(scope, settings);
  const t = s.typha;
  return new TyphaDeployment(scope, 'Typha', {
    namespaceName: s.namespace,
    serviceName: t.serviceName,
    replicas: t.replicas,
    expectedNodes: t.expectedNodes,
    calicoVersion: s.calicoVersion,
    registry: s.registry,
    imagePullSecrets: s.imagePullSecrets.length ? [...s.imagePullSecrets] : undefined,
    tls: t.tls,
    resources: t.resources,
    envVariables: Object.keys(t.env).length ? { ...t.env } : undefined,
    nodeSelector: t.nodeSelector ? { ...t.nodeSelector } : undefined,
    tolerations: t.tolerations ? [...t.tolerations] : undefined,
  });
}
