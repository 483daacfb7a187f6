// Upstream's manifest install of each supported Calico line, as data: the objects the renderers
// start from. The data itself is generated (upstream/, `npm run gen:install-data`) from the
// vendored references of each line; everything here only reads it.

import { gunzipSync } from 'zlib';
import type { CalicoVersion } from '../../core/calico-version';
import { CalicoValidationError } from '../../core/errors';
import { ContainerJson, KubeJson, named, PodSpecJson, UpstreamInstall, WorkloadJson } from './kube-json';
import { UPSTREAM_INSTALLS } from './upstream/installs';

/** The upstream install of `version`'s line. */
export function upstreamInstallOf(version: CalicoVersion): UpstreamInstall {
  const install = UPSTREAM_INSTALLS[version.line];
  if (!install) throw installDefect(`no install data for Calico ${version.line} (run npm run gen:install-data)`);
  return install;
}

/**
 * The CustomResourceDefinitions of `version`'s line, in upstream's order (fresh objects on each
 * call): the crd.projectcalico.org/v1 storage CRDs, or with `native` the projectcalico.org/v3 CRDs.
 */
export function upstreamCrds(version: CalicoVersion, native = false): KubeJson[] {
  const install = upstreamInstallOf(version);
  const packed = native ? install.v3Crds : install.crds;
  if (packed === undefined) throw installDefect(`Calico ${version.line} has no native v3 CRDs`);
  return unpack(packed);
}

/**
 * The Tigera operator's install of `version`'s line (fresh objects on each call): its own objects
 * (tigera-operator.yaml without CRDs: namespace, RBAC, Deployment) and its operator.tigera.io CRDs.
 */
export function upstreamOperator(version: CalicoVersion): { readonly objects: KubeJson[]; readonly crds: KubeJson[] } {
  const install = upstreamInstallOf(version);
  return { objects: unpack(install.operator), crds: unpack(install.operatorCrds) };
}

/** The objects of a bundle: gzip-compressed JSON in base64. */
function unpack(packed: string): KubeJson[] {
  return JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8'));
}

/** A deep copy of the object of this kind and name, for a renderer to change. */
export function upstreamObject<T extends KubeJson = KubeJson>(objects: readonly KubeJson[], kind: string, name: string): T {
  const found = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!found) throw installDefect(`upstream's install has no ${kind} ${name}`);
  return structuredClone(found) as T;
}

/** A deep copy of a DaemonSet or Deployment. */
export function upstreamWorkload(objects: readonly KubeJson[], kind: 'DaemonSet' | 'Deployment', name: string): WorkloadJson {
  return upstreamObject<WorkloadJson>(objects, kind, name);
}

/** Deep copies of every object of a kind, in upstream's order. */
export function upstreamObjectsOf(objects: readonly KubeJson[], kind: string): KubeJson[] {
  return objects.filter(o => o.kind === kind).map(o => structuredClone(o));
}

/** The container named `name` of a pod's containers, or a defect when upstream's data has none. */
export function containerNamed(containers: readonly ContainerJson[], name: string): ContainerJson {
  const found = named(containers, name);
  if (!found) throw installDefect(`upstream's pod has no container ${name}`);
  return found;
}

/** `<registry>/calico/<component>:<tag>` of an upstream image (`quay.io/calico/node:v3.32.1`). */
const UPSTREAM_IMAGE = /^[^/]+(?:\/[^/]+)*\/calico\/([a-z0-9-]+):[A-Za-z0-9_.-]+$/;

/** Every container of the pod (init containers too) runs `<registry>/calico/<component>:<tag>`. */
export function retagImages(pod: PodSpecJson, registry: string, tag: string): void {
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    const m = UPSTREAM_IMAGE.exec(container.image);
    if (!m) throw installDefect(`upstream image ${container.image} is not <registry>/calico/<component>:<tag>`);
    container.image = `${registry}/calico/${m[1]}:${tag}`;
  }
}

/**
 * An upstream fact the renderers rely on is missing from a line's data: a defect of the library
 * (found by the install tests when a line is added), never of the user's input.
 */
export function installDefect(what: string): CalicoValidationError {
  return new CalicoValidationError(`cdk8s-calico install data: ${what}; this is a defect of the library, please report it`);
}
