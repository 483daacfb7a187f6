// What serves the projectcalico.org/v3 API in the install stage: the aggregated Calico API server
// (upstream's apiserver.yaml) or, on native v3 CRDs, the calico-webhooks workload, its webhook and
// Calico's admission policies (the objects of upstream's calico-v3-crds.yaml beyond the Typha
// install); with their serving certificates (cert-manager objects, or the user's Secret and CA).

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoApiMode, CertManagerIssuerKind, ServingCertificates } from '../api-mode';
import { BindingJson, JsonFields, KubeJson, WorkloadJson } from './kube-json';
import { withPodOverrides } from './pod-overrides';
import { ResolvedInstallSettings } from './settings';
import { containerNamed, installDefect, upstreamInstallOf } from './upstream-install';

/** The namespace upstream's API server runs in (its Service name is part of the APIService). */
export const API_SERVER_NAMESPACE = 'calico-apiserver';
/** The cert-manager release the manual step installs (the one whose CRDs the tests check the output against). */
export const CERT_MANAGER_RELEASE = 'v1.21.1';
/** The namespace cert-manager's release manifest installs it in. */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
/** cert-manager's annotation that makes its CA injector fill in a caBundle from a Certificate. */
export const INJECT_CA_ANNOTATION = 'cert-manager.io/inject-ca-from';

/** What the API serving objects need beyond the install's settings. */
export interface ApiServingSettings {
  readonly mode: CalicoApiMode;
  readonly certificates: ServingCertificates;
  /** Two replicas with a PodDisruptionBudget, spread over nodes, updated one at a time. */
  readonly production: boolean;
}

/** One served component: its workload, Service, namespace and certificate Secret. */
interface Served {
  readonly name: string;
  readonly namespace: string;
  readonly service: string;
  /** The Secret upstream mounts (and a cert-manager Certificate writes). */
  readonly secretName: string;
  /** Where the Secret's keys go: upstream's API server reads apiserver.crt/.key, the webhook tls.crt/.key. */
  readonly keyPaths?: { readonly crt: string; readonly key: string };
}

const API_SERVER: Omit<Served, 'namespace'> = {
  name: 'calico-apiserver', service: 'calico-api', secretName: 'calico-apiserver-certs',
  keyPaths: { crt: 'apiserver.crt', key: 'apiserver.key' },
};
const WEBHOOKS: Omit<Served, 'namespace'> = { name: 'calico-webhooks', service: 'calico-webhooks', secretName: 'calico-webhooks-tls' };

/**
 * The objects that serve the v3 API in `serving.mode`, created in apply order (namespace and
 * identities, certificates, workload, then the registration that routes requests to it); none
 * for the storage-CRD and calicoctl modes.
 */
export function renderApiServing(scope: Construct, s: ResolvedInstallSettings, serving: ApiServingSettings): ApiObject[] {
  const upstream = upstreamInstallOf(s.calicoVersion);
  if (serving.mode === CalicoApiMode.API_SERVER) {
    return renderServed(scope, s, serving, { ...API_SERVER, namespace: API_SERVER_NAMESPACE }, upstream.apiServer);
  }
  if (serving.mode === CalicoApiMode.NATIVE_V3_CRDS) {
    if (!upstream.nativeV3) throw installDefect(`Calico ${s.calicoVersion.line} has no native v3 install`);
    return renderServed(scope, s, serving, { ...WEBHOOKS, namespace: s.namespace }, upstream.nativeV3);
  }
  return [];
}

/** Upstream's objects of the component, retargeted and certified, in apply order. */
function renderServed(scope: Construct, s: ResolvedInstallSettings, serving: ApiServingSettings, served: Served, objects: readonly KubeJson[]): ApiObject[] {
  const copies = objects.map(o => structuredClone(o));
  const namespaced = (o: KubeJson) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'APIService'].includes(o.kind)
    && !o.kind.endsWith('AdmissionPolicy') && !o.kind.endsWith('AdmissionPolicyBinding') && !o.kind.endsWith('WebhookConfiguration');
  for (const o of copies) {
    if (namespaced(o)) o.metadata.namespace = served.namespace;
    if (o.kind === 'Namespace') delete o.spec;
    if (o.kind === 'ClusterRoleBinding') {
      for (const subject of (o as BindingJson).subjects) if (subject.kind === 'ServiceAccount') subject.namespace = served.namespace;
    }
  }
  const secretName = serving.certificates.secretName ?? served.secretName;
  const deployment = copies.find(o => o.kind === 'Deployment' && o.metadata.name === served.name) as WorkloadJson | undefined;
  if (!deployment) throw installDefect(`upstream's ${served.name} objects have no Deployment ${served.name}`);
  configureWorkload(deployment, s, serving, served, secretName);
  const registration = copies.filter(o => o.kind === 'APIService' || o.kind === 'ValidatingWebhookConfiguration');
  for (const o of registration) trustServingCa(o, serving.certificates, served);

  const first = copies.filter(o => o.kind === 'Namespace' || o.kind === 'ServiceAccount');
  const last = [deployment, ...registration];
  const middle = copies.filter(o => !first.includes(o) && !last.includes(o));
  const out: ApiObject[] = first.map(o => objectOf(scope, o));
  out.push(...certificateObjects(scope, serving.certificates, served));
  out.push(...middle.map(o => objectOf(scope, o)));
  out.push(objectOf(scope, deployment));
  if (serving.production) out.push(new ApiObject(scope, `${served.name}-pdb`, disruptionBudget(served)));
  out.push(...registration.map(o => objectOf(scope, o)));
  return out;
}

function objectOf(scope: Construct, o: KubeJson): ApiObject {
  return new ApiObject(scope, `${o.kind}-${o.metadata.name}`, o as any);
}

/** The release's images from the registry, the Secret mounted with the keys where upstream reads them, production replicas. */
function configureWorkload(deployment: WorkloadJson, s: ResolvedInstallSettings, serving: ApiServingSettings, served: Served, secretName: string): void {
  const pod = deployment.spec.template.spec;
  const container = containerNamed(pod.containers, served.name);
  const volume = (pod.volumes ?? []).find(v => (v.secret as JsonFields | undefined) !== undefined);
  if (!volume) throw installDefect(`upstream's ${served.name} mounts no Secret`);
  volume.secret = {
    secretName,
    ...(served.keyPaths ? { items: [{ key: 'tls.crt', path: served.keyPaths.crt }, { key: 'tls.key', path: served.keyPaths.key }] } : {}),
  };
  deployment.spec.template.spec = withPodOverrides(pod, container, {
    registry: s.registry, tag: s.calicoVersion.tag, imagePullSecrets: s.imagePullSecrets,
  });
  if (serving.production) {
    deployment.spec.replicas = 2;
    deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    deployment.spec.template.spec.affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { ...selectorOf(deployment) } }, topologyKey: 'kubernetes.io/hostname' },
        }],
      },
    };
  }
}

function selectorOf(deployment: WorkloadJson): { [key: string]: string } {
  const labels = (deployment.spec.selector as { matchLabels?: { [key: string]: string } } | undefined)?.matchLabels;
  if (!labels) throw installDefect(`upstream's ${deployment.metadata.name} has no matchLabels selector`);
  return labels;
}

function disruptionBudget(served: Served): KubeJson {
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
    metadata: { name: served.name, namespace: served.namespace },
    spec: { maxUnavailable: 1, selector: { matchLabels: served.name === API_SERVER.name ? { apiserver: 'true' } : { 'k8s-app': served.name } } },
  };
}

/** The APIService or webhook trusts the serving CA: cert-manager injects it, or the user's bundle is written. */
function trustServingCa(o: KubeJson, certificates: ServingCertificates, served: Served): void {
  const bundle = certificates.caBundle === undefined ? undefined : Buffer.from(certificates.caBundle, 'utf8').toString('base64');
  if (bundle === undefined) o.metadata.annotations = { [INJECT_CA_ANNOTATION]: `${served.namespace}/${served.name}` };
  if (o.kind === 'APIService') {
    const spec = o.spec as JsonFields;
    if (bundle !== undefined) spec.caBundle = bundle;
    return;
  }
  for (const webhook of (o.webhooks as Array<{ clientConfig: JsonFields & { service?: JsonFields } }>)) {
    delete webhook.clientConfig.caBundle;
    if (bundle !== undefined) webhook.clientConfig.caBundle = bundle;
    if (webhook.clientConfig.service) webhook.clientConfig.service.namespace = served.namespace;
  }
}

/** The Service's DNS names the certificate must carry (the API server connects to `<service>.<namespace>.svc`). */
export function servingDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`];
}

/** The cert-manager objects of the serving certificate (none for the user's Secret). */
function certificateObjects(scope: Construct, certificates: ServingCertificates, served: Served): ApiObject[] {
  if (certificates.mode !== 'cert-manager') return [];
  const meta = (name: string) => ({ name, namespace: served.namespace });
  const objects: KubeJson[] = [];
  let issuerRef = { name: certificates.issuerName ?? 'calico-ca', kind: certificates.issuerKind ?? CertManagerIssuerKind.ISSUER, group: 'cert-manager.io' };
  if (certificates.issuerName === undefined) {
    objects.push(
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta('calico-selfsigned'), spec: { selfSigned: {} } },
      {
        apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('calico-ca'),
        spec: {
          isCA: true, commonName: 'calico-ca', secretName: 'calico-ca', duration: '87600h',
          privateKey: { algorithm: 'ECDSA', size: 256 },
          issuerRef: { name: 'calico-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
        },
      },
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta('calico-ca'), spec: { ca: { secretName: 'calico-ca' } } },
    );
    issuerRef = { name: 'calico-ca', kind: CertManagerIssuerKind.ISSUER, group: 'cert-manager.io' };
  }
  objects.push({
    apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta(served.name),
    spec: {
      secretName: served.secretName,
      dnsNames: servingDnsNames(served.service, served.namespace),
      usages: ['digital signature', 'server auth'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef,
    },
  });
  return objects.map(o => objectOf(scope, o));
}

