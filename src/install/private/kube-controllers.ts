// The calico-kube-controllers Deployment and its PodDisruptionBudget: upstream's of the release's
// line and datastore, with the controllers, replicas and pod settings the install chose.

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withEtcdCertificates } from './etcd';
import { EnvVarJson } from './kube-json';
import { withPodOverrides } from './pod-overrides';
import { InstallSettings, podOverridesOf, resolveInstallSettings } from './settings';
import { containerNamed, upstreamObject, upstreamWorkload } from './upstream-install';

const NAME = 'calico-kube-controllers';

/**
 * The calico-kube-controllers Deployment (one active instance) and its PodDisruptionBudget. With
 * the etcd datastore it is upstream's etcd Deployment: on the host network (so no network policy
 * can cut it off from etcd), reading ETCD_* and mounting the TLS Secret.
 */
export function renderKubeControllers(scope: Construct, settings: InstallSettings = {}): ApiObject[] {
  const s = resolveInstallSettings(scope, settings);
  const w = s.kubeControllers;
  const pdb = upstreamObject(s.upstream, 'PodDisruptionBudget', NAME);
  pdb.metadata.namespace = s.namespace;
  // Created (and so synthesized) before the Deployment it protects.
  const pdbObject = new ApiObject(scope, 'KubeControllersPodDisruptionBudget', pdb);
  const deployment = upstreamWorkload(s.upstream, 'Deployment', NAME);
  deployment.metadata.namespace = s.namespace;
  deployment.spec.replicas = w.replicas;
  deployment.spec.template.metadata.namespace = s.namespace;
  let pod = deployment.spec.template.spec;
  if (s.etcd) pod = withEtcdCertificates(pod, s.etcd);
  const container = containerNamed(pod.containers, NAME);
  container.env = (container.env ?? []).map((e): EnvVarJson => (e.name === 'ENABLED_CONTROLLERS' ? { name: e.name, value: w.enabledControllers.join(',') } : e));
  deployment.spec.template.spec = withPodOverrides(pod, container, podOverridesOf(s, w));
  return [new ApiObject(scope, 'KubeControllersDeployment', deployment), pdbObject];
}
