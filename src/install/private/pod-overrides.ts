// What the library changes on every Calico pod it renders from upstream's: the images' registry and
// tag, and the user's pod settings (resources, extra env, node selector, tolerations, pull secrets).

import { k8s } from 'cdk8s-plus-28';
import { ContainerJson, JsonFields, PodSpecJson, withExtraEnv, withFieldAfter } from './kube-json';
import { retagImages } from './upstream-install';

/** The settings of one pod and its main container; what is left undefined stays upstream's. */
export interface PodOverrides {
  /** Image registry: every image becomes `<registry>/calico/<component>:<tag>`. */
  readonly registry: string;
  /** Image tag (the Calico release). */
  readonly tag: string;
  /** Resources of the main container; replace upstream's. */
  readonly resources?: k8s.ResourceRequirements;
  /** Extra environment of the main container (see withExtraEnv). */
  readonly env?: { readonly [name: string]: string };
  /** Pod node selector; replaces upstream's. */
  readonly nodeSelector?: { readonly [key: string]: string };
  /** Pod tolerations; replace upstream's. */
  readonly tolerations?: readonly k8s.Toleration[];
  /** Names of image pull Secrets; none leaves upstream's (none). */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * The pod spec with the overrides applied to it and to `container` (its main container, changed in
 * place). The pull secrets sit after `priorityClassName`, where a reader of the YAML looks for them.
 */
export function withPodOverrides(pod: PodSpecJson, container: ContainerJson, o: PodOverrides): PodSpecJson {
  retagImages(pod, o.registry, o.tag);
  if (o.resources) container.resources = k8s.toJson_ResourceRequirements(o.resources);
  if (o.env) container.env = withExtraEnv(container.env ?? [], o.env);
  let out = pod;
  if (o.nodeSelector) out.nodeSelector = { ...o.nodeSelector };
  if (o.tolerations) out.tolerations = o.tolerations.map(t => k8s.toJson_Toleration(t) as JsonFields);
  if (o.imagePullSecrets?.length) out = withFieldAfter(out, 'priorityClassName', 'imagePullSecrets', o.imagePullSecrets.map(name => ({ name })));
  return out;
}
