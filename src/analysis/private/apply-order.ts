// The apply-order audit: whether applying the input the way it is laid out would fail on a fresh
// cluster, or take the node-to-node mesh down before what replaces it. The input is applied in
// steps: each file at once, the files in the order they were read (the command line's order, a
// folder's files in name order); when any object carries an Argo CD sync wave, each wave at once,
// the waves in numeric order, whatever the files. "A before B" needs A in an earlier step. Only
// what the input proves is reported: a kind is served by what the input holds, a namespace is
// created by a Namespace of the input, and nothing is assumed about the cluster beyond it being new.
import { quote } from '../../core/quote';
import { NAMESPACED_KINDS } from '../../validation/registry';
import { CALICO_API_VERSIONS, isRecord, SourcedObject } from '../cluster-model';

/** Argo CD's annotations (argo-cd.readthedocs.io, "Sync Phases and Waves" and "Sync Options"). */
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const HOOK = 'argocd.argoproj.io/hook';
/** Argo CD's wave for an object whose sync-wave is not a whole number (then 0). */
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
/** The sync option that lets a custom resource through Argo CD's dry run before its CRD exists. */
const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

/** The annotation Calico reads a Kubernetes Node's route reflector cluster ID from. */
const CLUSTER_ID_ANNOTATION = 'projectcalico.org/RouteReflectorClusterID';

/** Namespaces every new cluster has: objects in them need no Namespace of the input. */
const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Built-in namespaced kinds, as `group/kind` (the core group is ''). Other built-in kinds are cluster-scoped or not read. */
const NAMESPACED_BUILT_INS: ReadonlySet<string> = new Set([
  ...['ConfigMap', 'Endpoints', 'LimitRange', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount']
    .map(kind => `/${kind}`),
  ...['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'].map(kind => `apps/${kind}`),
  'autoscaling/HorizontalPodAutoscaler', 'batch/CronJob', 'batch/Job', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice',
  'networking.k8s.io/Ingress', 'networking.k8s.io/NetworkPolicy', 'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding',
]);

/** Reports one finding on `object`. */
export type AddApplyOrderFinding = (message: string, object: SourcedObject, path?: string) => void;

/** An object and the step of the apply it is in. */
interface Placed {
  readonly object: SourcedObject;
  /** The position of its file in the apply order, or its Argo CD sync wave. */
  readonly step: bigint;
}

/** How the input is applied: file by file, or Argo CD wave by wave. */
interface Order {
  readonly waves: boolean;
}

/** A CustomResourceDefinition of the input. */
interface Crd {
  readonly placed: Placed;
  readonly name: string;
  readonly namespaced: boolean;
  /** The versions it serves; undefined when the CRD does not say in a form this audit reads. */
  readonly served?: readonly string[];
}

/**
 * Audits the order of `objects`, which come in the order they were read (the files in apply
 * order). Objects read from no file have no place in a file-by-file apply and are left out.
 */
export function auditApplyOrder(objects: readonly SourcedObject[], add: AddApplyOrderFinding): void {
  const order: Order = { waves: objects.some(o => typeof annotationsOf(o.manifest)[SYNC_WAVE] === 'string') };
  const placed = place(objects, order);
  const crds = new Map<string, Crd>();
  const apiServices = new Map<string, Placed>();
  const namespaces = new Map<string, Placed>();
  for (const p of placed) {
    const m = p.object.manifest;
    const crd = readCrd(p);
    if (crd) keepEarliest(crds, crd.key, crd.crd, c => c.placed);
    const served = aggregatedApiOf(m);
    if (served !== undefined) keepEarliest(apiServices, served, p, x => x);
    if (m.apiVersion === 'v1' && m.kind === 'Namespace' && typeof m.metadata?.name === 'string') keepEarliest(namespaces, m.metadata.name, p, x => x);
  }
  for (const p of placed) {
    const m = p.object.manifest;
    const group = groupOf(m.apiVersion);
    const apiService = apiServices.get(m.apiVersion);
    const crd = crds.get(`${group}/${m.kind}`);
    if (apiService !== undefined) checkApiService(p, apiService, order, add);
    else if (crd !== undefined) checkCustomResource(p, crd, order, add);
    const namespace = m.metadata?.namespace;
    const created = typeof namespace === 'string' ? namespaces.get(namespace) : undefined;
    if (created && !BUILT_IN_NAMESPACES.has(namespace) && isNamespaced(m, group, crd) && created.step > p.step) {
      add(`${describe(m)} is in namespace ${quote(namespace)}, whose Namespace (${where(created, order)}) is ${relation(p, created, order)}: `
        + `the namespace does not exist yet, so the ${kindOf(m)} is refused (namespaces not found); ${earlier(order, 'the Namespace')}`, p.object, 'metadata.namespace');
    }
  }
  checkMesh(placed, order, add);
}

/** The objects with their steps, in input order. */
function place(objects: readonly SourcedObject[], order: Order): Placed[] {
  const out: Placed[] = [];
  const files = new Map<string, bigint>();
  for (const object of objects) {
    if (typeof object.manifest.apiVersion !== 'string' || typeof object.manifest.kind !== 'string') continue;
    if (order.waves) {
      // A hook runs in a phase of its own (PreSync, PostSync), outside the waves of the sync.
      if (annotationsOf(object.manifest)[HOOK] === undefined) out.push({ object, step: waveOf(object.manifest) });
    } else if (object.file !== undefined) {
      if (!files.has(object.file)) files.set(object.file, BigInt(files.size));
      out.push({ object, step: files.get(object.file)! });
    }
  }
  return out;
}

/** Argo CD's wave of an object: its sync-wave, else its Helm hook weight, else 0 (each read as Go's strconv.Atoi reads it). */
function waveOf(m: Record<string, any>): bigint {
  const annotations = annotationsOf(m);
  return wholeNumber(annotations[SYNC_WAVE]) ?? wholeNumber(annotations[HELM_HOOK_WEIGHT]) ?? 0n;
}

const INT64_MAX = 2n ** 63n - 1n;

/** A 64-bit integer written in decimal with an optional sign, or undefined. */
function wholeNumber(text: unknown): bigint | undefined {
  if (typeof text !== 'string' || !/^[+-]?[0-9]+$/.test(text)) return undefined;
  const negative = text.startsWith('-');
  let first = text[0] === '+' || negative ? 1 : 0;
  while (first < text.length - 1 && text[first] === '0') first++;
  if (text.length - first > 19) return undefined; // past 2^63: also out of range, and never parsed
  const value = BigInt(text.slice(first));
  if (value > INT64_MAX + (negative ? 1n : 0n)) return undefined;
  return negative ? -value : value;
}

/** The CRD a manifest is (indexed by `group/kind`), or undefined. */
function readCrd(p: Placed): { key: string; crd: Crd } | undefined {
  const m = p.object.manifest;
  if (m.kind !== 'CustomResourceDefinition' || groupOf(m.apiVersion) !== 'apiextensions.k8s.io' || !isRecord(m.spec)) return undefined;
  const group = m.spec.group;
  const kind = isRecord(m.spec.names) ? m.spec.names.kind : undefined;
  if (typeof group !== 'string' || typeof kind !== 'string') return undefined;
  return { key: `${group}/${kind}`, crd: { placed: p, name: nameOf(m), namespaced: m.spec.scope === 'Namespaced', served: servedVersions(m.spec) } };
}

/** The versions a CRD's spec serves (apiextensions.k8s.io/v1 `versions`, or v1beta1's single `version`). */
function servedVersions(spec: Record<string, any>): string[] | undefined {
  if (!Array.isArray(spec.versions)) return typeof spec.version === 'string' ? [spec.version] : undefined;
  const out: string[] = [];
  for (const v of spec.versions) {
    if (!isRecord(v) || typeof v.name !== 'string' || typeof v.served !== 'boolean') return undefined;
    if (v.served) out.push(v.name);
  }
  return out;
}

/** The `group/version` an APIService hands to an aggregated API server (one with a service), or undefined. */
function aggregatedApiOf(m: Record<string, any>): string | undefined {
  if (m.kind !== 'APIService' || groupOf(m.apiVersion) !== 'apiregistration.k8s.io' || !isRecord(m.spec) || !isRecord(m.spec.service)) return undefined;
  const { group, version } = m.spec;
  return typeof group === 'string' && typeof version === 'string' ? `${group}/${version}` : undefined;
}

/** A custom resource: its CRD comes first (in an earlier step, or in its Argo CD wave with SkipDryRunOnMissingResource), and serves its version. */
function checkCustomResource(p: Placed, crd: Crd, order: Order, add: AddApplyOrderFinding): void {
  const m = p.object.manifest;
  const kind = kindOf(m);
  const version = versionOf(m.apiVersion);
  if (crd.served !== undefined && !crd.served.includes(version)) {
    const fix = crd.served.length > 0 ? `write apiVersion ${quote(`${groupOf(m.apiVersion)}/${crd.served[0]}`)}` : 'serve a version in the CRD and write that one';
    add(`${describe(m)} is written as ${quote(m.apiVersion)}, a version its CustomResourceDefinition ${quote(crd.name)} (${where(crd.placed, order)}) does not serve `
      + `(it serves ${crd.served.length > 0 ? crd.served.map(v => quote(v)).join(', ') : 'none'}), so the ${kind} is refused; ${fix}`, p.object, 'apiVersion');
    return;
  }
  if (crd.placed.step < p.step) return;
  const needs = `${describe(m)} needs its CustomResourceDefinition ${quote(crd.name)} (${where(crd.placed, order)}), which is ${relation(p, crd.placed, order)}: `;
  if (crd.placed.step > p.step) {
    add(`${needs}the API server does not know the kind until the CRD is established, so the ${kind} is refused; ${earlier(order, 'the CRD')}`, p.object);
  } else if (!order.waves) {
    add(`${needs}kubectl looks up the kind of every object of a file before it applies the CRD, so the ${kind} is refused (no matches for kind); `
      + 'move the CRD to a file applied before this one', p.object);
  } else if (!syncOptionsOf(m).includes(SKIP_DRY_RUN)) {
    add(`${needs}Argo CD dry-runs the sync first, and the dry run refuses a kind the cluster does not know yet; give the CRD an earlier sync wave, `
      + `or annotate the ${kind} ${SYNC_OPTIONS}: ${SKIP_DRY_RUN}`, p.object);
  }
}

/** An object of an aggregated API: the APIService that serves it comes in an earlier step. */
function checkApiService(p: Placed, apiService: Placed, order: Order, add: AddApplyOrderFinding): void {
  if (apiService.step < p.step) return;
  const m = p.object.manifest;
  add(`${describe(m)} is ${quote(m.apiVersion)}, served by APIService ${quote(nameOf(apiService.object.manifest))} (${where(apiService, order)}), `
    + `which is ${relation(p, apiService, order)}: the API is not served until the APIService is registered and the server behind it runs, `
    + `so the ${kindOf(m)} is refused; ${later(order, `the ${quote(m.apiVersion)} objects`, 'the APIService')}`, p.object);
}

/**
 * The BGPConfiguration `default` that turns the node-to-node mesh off comes after everything that
 * replaces the mesh: the BGPPeers, and the route reflectors (Calico Nodes with a cluster ID,
 * Kubernetes Nodes with its annotation). In the same step, nothing orders them.
 */
function checkMesh(placed: readonly Placed[], order: Order, add: AddApplyOrderFinding): void {
  // The first configuration of each API group that turns the mesh off (a second is a duplicate-name finding).
  const meshOff = new Map<string, Placed>();
  for (const p of placed) {
    const m = p.object.manifest;
    if (isCalico(m) && m.kind === 'BGPConfiguration' && nameOf(m) === 'default' && m.spec?.nodeToNodeMeshEnabled === false) keepEarliest(meshOff, m.apiVersion, p, x => x);
  }
  if (meshOff.size === 0) return;
  const replacements = placed.filter(p => replacesMesh(p.object.manifest));
  for (const off of meshOff.values()) {
    const late = replacements.filter(r => r.step >= off.step);
    if (late.length === 0) continue;
    const last = late.reduce((a, b) => (b.step > a.step ? b : a));
    const more = late.length > 1 ? ` and ${late.length - 1} more peering${late.length > 2 ? 's or reflectors' : ' or reflector'}` : '';
    const fix = order.waves
      ? 'give the BGPConfiguration a later sync wave than the peerings and route reflector nodes'
      : 'apply the BGPConfiguration in a file after the peerings and route reflector nodes (the library writes it last, as NNNN-<chart>-bgp.k8s.yaml)';
    const effect = last.step === off.step
      ? `${order.waves ? 'a sync wave' : 'a file'} is applied at once, in no order the mesh can rely on, so nodes may lose their mesh sessions, and with them their pod routes, before ${replacementWord(last)} exists`
      : `nodes lose their mesh sessions, and with them their pod routes, until ${replacementWord(last)} is applied`;
    add(`${describe(off.object.manifest)} turns the node-to-node mesh off, but ${describe(last.object.manifest)} (${where(last, order)})${more}, which replaces it, `
      + `is ${relation(off, last, order)}: ${effect}; ${fix}`, off.object, 'spec.nodeToNodeMeshEnabled');
  }
}

function replacesMesh(m: Record<string, any>): boolean {
  if (isCalico(m) && m.kind === 'BGPPeer') return true;
  if (m.kind !== 'Node') return false;
  const clusterId = isCalico(m) ? (isRecord(m.spec) && isRecord(m.spec.bgp) ? m.spec.bgp.routeReflectorClusterID : undefined)
    : m.apiVersion === 'v1' ? annotationsOf(m)[CLUSTER_ID_ANNOTATION] : undefined;
  return typeof clusterId === 'string' && clusterId !== '';
}

function replacementWord(p: Placed): string {
  return p.object.manifest.kind === 'BGPPeer' ? 'the peering' : 'the route reflector';
}

/** Whether an object is namespaced for certain: a built-in namespaced kind, a namespaced Calico kind, or its CRD says so. */
function isNamespaced(m: Record<string, any>, group: string, crd: Crd | undefined): boolean {
  if (crd) return crd.namespaced;
  if (isCalico(m)) return NAMESPACED_KINDS.has(m.kind);
  return NAMESPACED_BUILT_INS.has(`${group}/${m.kind}`);
}

/** Where `other` is, seen from `self`: 'in the same file', 'in a later file', 'in the same sync wave (2)', 'in sync wave 3, after this object's wave 1'. */
function relation(self: Placed, other: Placed, order: Order): string {
  if (!order.waves) return other.step === self.step ? 'in the same file' : 'in a later file';
  return other.step === self.step ? `in the same sync wave (${self.step})` : `in sync wave ${other.step}, after this object's wave ${self.step}`;
}

/** `file:line`, with the sync wave when the input has waves. */
function where(p: Placed, order: Order): string {
  const o = p.object;
  const file = o.file !== undefined ? `${o.file}:${o.line ?? 0}` : undefined;
  if (!order.waves) return file ?? '';
  return file !== undefined ? `${file}, sync wave ${p.step}` : `sync wave ${p.step}`;
}

/** The fix that moves a dependency before this object. */
function earlier(order: Order, what: string): string {
  return order.waves ? `give ${what} an earlier sync wave than this object's` : `apply ${what} in a file before this one`;
}

/** The fix that moves this object after a dependency. */
function later(order: Order, what: string, after: string): string {
  return order.waves ? `give ${what} a later sync wave than ${after}` : `apply ${what} in a file after the one with ${after}`;
}

/** Keeps the entry of the earliest step for a key (the first one read among equals). */
function keepEarliest<T>(map: Map<string, T>, key: string, value: T, placedOf: (t: T) => Placed): void {
  const kept = map.get(key);
  if (kept === undefined || placedOf(value).step < placedOf(kept).step) map.set(key, value);
}

function annotationsOf(m: Record<string, any>): Record<string, unknown> {
  return isRecord(m.metadata) && isRecord(m.metadata.annotations) ? m.metadata.annotations : {};
}

function syncOptionsOf(m: Record<string, any>): string[] {
  const options = annotationsOf(m)[SYNC_OPTIONS];
  return typeof options === 'string' ? options.split(',').map(o => o.trim()) : [];
}

function isCalico(m: Record<string, any>): boolean {
  return CALICO_API_VERSIONS.includes(m.apiVersion);
}

/** The group of an apiVersion ('' for the core group's 'v1'). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
}

function nameOf(m: Record<string, any>): string {
  return isRecord(m.metadata) && typeof m.metadata.name === 'string' ? m.metadata.name : '';
}

/** A kind as messages show it: as written when it is a plain kind name (letters and digits, as Kubernetes allows), quoted otherwise. */
function kindOf(m: Record<string, any>): string {
  return /^[A-Za-z][A-Za-z0-9]{0,62}$/.test(m.kind) ? m.kind : quote(m.kind);
}

/** `Kind 'name'`. */
function describe(m: Record<string, any>): string {
  return `${kindOf(m)} ${quote(nameOf(m))}`;
}
