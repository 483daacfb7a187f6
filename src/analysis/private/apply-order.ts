// The apply-order audit: whether applying the input the way it is laid out would fail on a fresh
// cluster, or take the node-to-node mesh down before what replaces it. The input is applied in
// steps. Without Argo CD sync waves, each file is one `kubectl apply -f`, the files in the order
// they were read (the command line's order, a folder's files in name order): kubectl resolves the
// kind of every object of a file before it applies any, then applies them in document order. When
// any object carries an Argo CD sync wave, the input is one sync: the PreSync hooks, then the
// waves in numeric order, then the PostSync hooks; within a wave Argo CD applies Namespaces first
// and CRDs before custom resources (waiting until they are established), but dry-runs every
// object of the sync before the first wave. Only what the input proves is reported: a kind is
// served by what the input holds, a namespace is created by a Namespace of the input, and nothing
// is assumed about the cluster beyond it being new.
import { quote } from '../../core/quote';
import { NAMESPACED_KINDS } from '../../validation/registry';
import { CALICO_API_VERSIONS, isRecord, SourcedObject } from '../cluster-model';

/** Argo CD's annotations (argo-cd.readthedocs.io, "Sync Phases and Waves", "Resource Hooks" and "Sync Options"). */
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const HOOK = 'argocd.argoproj.io/hook';
/** Helm's hook annotations, which Argo CD maps onto its own when an object has no Argo CD hook. */
const HELM_HOOK = 'helm.sh/hook';
/** Argo CD's wave for an object whose sync-wave is absent or not a whole number (else 0). */
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
/** The sync option that lets an object of an unknown kind through Argo CD's dry run. */
const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

/** The sync phases an Argo CD hook runs in, by hook type (Skip, SyncFail and PostDelete hooks are not applied by a sync that succeeds). */
const ARGO_HOOK_PHASES: ReadonlyMap<string, number> = new Map([['PreSync', -1], ['Sync', 0], ['PostSync', 1]]);
/** The phases of the Helm hooks Argo CD maps (pre-install and pre-upgrade to PreSync, post-install and post-upgrade to PostSync). */
const HELM_HOOK_PHASES: ReadonlyMap<string, number> = new Map([['pre-install', -1], ['pre-upgrade', -1], ['post-install', 1], ['post-upgrade', 1]]);
/** The Helm hook Argo CD treats as an ordinary object (a CRD of Helm 2). */
const HELM_CRD_INSTALL = 'crd-install';

/** The annotation Calico reads a Kubernetes Node's route reflector cluster ID from. */
const CLUSTER_ID_ANNOTATION = 'projectcalico.org/RouteReflectorClusterID';

/** The Calico API served by calicoctl or the Calico API server, which store its objects as custom resources of CALICO_STORAGE_GROUP. */
const CALICO_V3 = 'projectcalico.org/v3';
const CALICO_STORAGE_GROUP = 'crd.projectcalico.org';
/** The storage kinds whose names differ from their projectcalico.org/v3 kinds. */
const V3_STORAGE_KINDS: ReadonlyMap<string, string> = new Map([['IPAMConfiguration', 'IPAMConfig']]);

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
  /** Its position in the input (document order within a file). */
  readonly index: number;
  /** Its Argo CD sync phase: -1 PreSync, 0 Sync (every object of a file-by-file apply), 1 PostSync. */
  readonly phase: number;
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
 * order). Without sync waves, objects read from no file have no place in the apply and are left out.
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
    if (crd) keepFirst(crds, crd.key, crd.crd, c => c.placed);
    const served = aggregatedApiOf(m);
    if (served !== undefined) keepFirst(apiServices, served, p, x => x);
    if (m.apiVersion === 'v1' && m.kind === 'Namespace' && typeof m.metadata?.name === 'string') keepFirst(namespaces, m.metadata.name, p, x => x);
  }
  for (const p of placed) {
    const m = p.object.manifest;
    const group = groupOf(m.apiVersion);
    const apiService = apiServices.get(m.apiVersion);
    const crd = crds.get(`${group}/${m.kind}`);
    if (apiService !== undefined) checkApiService(p, apiService, order, add);
    else if (crd !== undefined) checkCustomResource(p, crd, order, add);
    else if (m.apiVersion === CALICO_V3) {
      const storage = crds.get(`${CALICO_STORAGE_GROUP}/${V3_STORAGE_KINDS.get(m.kind) ?? m.kind}`);
      if (storage !== undefined) checkStorage(p, storage, order, add);
    }
    const namespace = m.metadata?.namespace;
    const created = typeof namespace === 'string' ? namespaces.get(namespace) : undefined;
    if (created && !BUILT_IN_NAMESPACES.has(namespace) && isNamespaced(m, group, crd) && !namespaceFirst(created, p, order)) {
      const fix = order.waves ? 'give the Namespace an earlier or the same sync wave' : 'put the Namespace before it (earlier in the file, or in a file applied before this one)';
      add(`${describe(m)} is in namespace ${quote(namespace)}, whose Namespace (${where(created, order)}) is ${relation(p, created, order)}: `
        + `the namespace does not exist yet, so the ${kindOf(m)} is refused (namespaces not found); ${fix}`, p.object, 'metadata.namespace');
    }
  }
  checkMesh(placed, order, add);
}

/** The objects with their steps, in input order (objects no step applies left out). */
function place(objects: readonly SourcedObject[], order: Order): Placed[] {
  const out: Placed[] = [];
  const files = new Map<string, bigint>();
  objects.forEach((object, index) => {
    if (typeof object.manifest.apiVersion !== 'string' || typeof object.manifest.kind !== 'string') return;
    if (order.waves) {
      const phase = syncPhaseOf(object.manifest);
      if (phase !== undefined) out.push({ object, index, phase, step: waveOf(object.manifest) });
    } else if (object.file !== undefined) {
      if (!files.has(object.file)) files.set(object.file, BigInt(files.size));
      out.push({ object, index, phase: 0, step: files.get(object.file)! });
    }
  });
  return out;
}

/**
 * The sync phase Argo CD applies an object in: the earliest of its hook types (an Argo CD hook, or
 * else a Helm hook Argo CD maps), 0 for an object that is no hook, undefined for a hook that a
 * successful sync does not apply (Skip, SyncFail, PostDelete, unmapped Helm hooks).
 */
function syncPhaseOf(m: Record<string, any>): number | undefined {
  const annotations = annotationsOf(m);
  const argo = annotations[HOOK];
  const helm = annotations[HELM_HOOK];
  if (argo === undefined && (helm === undefined || (typeof helm === 'string' && helm.trim() === HELM_CRD_INSTALL))) return 0;
  const phases = [...hookTypes(argo)].map(t => ARGO_HOOK_PHASES.get(t)).filter((x): x is number => x !== undefined);
  const known = [...hookTypes(argo)].some(t => ARGO_HOOK_PHASES.has(t) || t === 'Skip' || t === 'SyncFail' || t === 'PostDelete');
  if (!known) phases.push(...[...hookTypes(helm)].map(t => HELM_HOOK_PHASES.get(t)).filter((x): x is number => x !== undefined));
  return phases.length > 0 ? Math.min(...phases) : undefined;
}

/** The comma-separated types of a hook annotation, trimmed. */
function hookTypes(value: unknown): Set<string> {
  return new Set(typeof value === 'string' ? value.split(',').map(t => t.trim()) : []);
}

/** Argo CD's wave of an object: its sync-wave, else its Helm hook weight, else 0 (each read as Go's strconv.Atoi reads it). */
function waveOf(m: Record<string, any>): bigint {
  const annotations = annotationsOf(m);
  return parseSyncWave(annotations[SYNC_WAVE]) ?? parseSyncWave(annotations[HELM_HOOK_WEIGHT]) ?? 0n;
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * A sync wave as Argo CD reads it (Go's strconv.Atoi on a 64-bit build): a decimal whole number
 * with an optional sign, from -2^63 to 2^63-1; undefined for anything else (no spaces, no
 * underscores, no other bases), which Argo CD then treats as not given.
 */
export function parseSyncWave(text: unknown): bigint | undefined {
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

/**
 * A custom resource: its CRD serves its version and comes first. Kubectl needs the CRD in an
 * earlier file; Argo CD in an earlier wave or the same one (it applies CRDs first within a wave and
 * skips the dry run of a custom resource whose CRD is part of the sync).
 */
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
  const c = compareSteps(crd.placed, p);
  if (c < 0 || (c === 0 && order.waves)) return;
  const needs = `${describe(m)} needs its CustomResourceDefinition ${quote(crd.name)} (${where(crd.placed, order)}), which is ${relation(p, crd.placed, order)}: `;
  if (c > 0) {
    add(`${needs}the API server does not know the kind until the CRD is established, so the ${kind} is refused; ${earlier(order, 'the CRD')}`, p.object);
  } else {
    add(`${needs}kubectl looks up the kind of every object of a file before it applies any, so the ${kind} is refused (no matches for kind); `
      + 'move the CRD to a file applied before this one', p.object);
  }
}

/**
 * A projectcalico.org/v3 object whose storage CRD (crd.projectcalico.org) the input holds, and no
 * CRD or APIService of its own API: calicoctl or the Calico API server writes it as a custom
 * resource of that CRD, so the CRD is applied, by kubectl, in an earlier step (an earlier wave).
 */
function checkStorage(p: Placed, crd: Crd, order: Order, add: AddApplyOrderFinding): void {
  if (compareSteps(crd.placed, p) < 0) return;
  const m = p.object.manifest;
  add(`${describe(m)} is stored by the CustomResourceDefinition ${quote(crd.name)} (${where(crd.placed, order)}), which is ${relation(p, crd.placed, order)}: `
    + `calicoctl or the Calico API server writes the ${kindOf(m)} as a ${CALICO_STORAGE_GROUP} object, which is refused until the CRD is applied and established; `
    + `${earlier(order, 'the CRD')}`, p.object);
}

/**
 * An object of an aggregated API: the APIService that serves it (and the server behind it) comes
 * in an earlier step. With Argo CD it also needs SkipDryRunOnMissingResource: the dry run of the
 * whole sync comes before the first wave, when nothing serves the API yet.
 */
function checkApiService(p: Placed, apiService: Placed, order: Order, add: AddApplyOrderFinding): void {
  const m = p.object.manifest;
  const served = `${describe(m)} is ${quote(m.apiVersion)}, served by APIService ${quote(nameOf(apiService.object.manifest))} (${where(apiService, order)}), `;
  if (compareSteps(apiService, p) >= 0) {
    add(`${served}which is ${relation(p, apiService, order)}: the API is not served until the APIService is registered and the server behind it runs, `
      + `so the ${kindOf(m)} is refused; ${later(order, `the ${quote(m.apiVersion)} objects`, 'the APIService')}`, p.object);
  } else if (order.waves && !syncOptionsOf(m).includes(SKIP_DRY_RUN)) {
    add(`${served}which no server serves when Argo CD dry-runs the sync, before its first wave: on a new cluster the dry run refuses the unknown kind `
      + `and the sync fails; annotate the ${kindOf(m)} ${SYNC_OPTIONS}: ${SKIP_DRY_RUN} (or set it in the Application's syncOptions)`, p.object);
  }
}

/** Whether a Namespace is created in time for an object in it: before it (kubectl), or in its wave or an earlier one (Argo CD applies Namespaces first). */
function namespaceFirst(namespace: Placed, p: Placed, order: Order): boolean {
  const c = compareSteps(namespace, p);
  return c < 0 || (c === 0 && (order.waves || namespace.index < p.index));
}

/**
 * The BGPConfiguration `default` that turns the node-to-node mesh off comes after everything that
 * replaces the mesh: the BGPPeers, and the route reflectors (Calico Nodes with a cluster ID,
 * Kubernetes Nodes with its annotation). Kubectl applies a file's objects in document order; an
 * Argo CD wave has no order to rely on (by kind, then name, without waiting for BGP sessions).
 */
function checkMesh(placed: readonly Placed[], order: Order, add: AddApplyOrderFinding): void {
  // The first configuration of each API group that turns the mesh off (a second is a duplicate-name finding).
  const meshOff = new Map<string, Placed>();
  for (const p of placed) {
    const m = p.object.manifest;
    if (isCalico(m) && m.kind === 'BGPConfiguration' && nameOf(m) === 'default' && m.spec?.nodeToNodeMeshEnabled === false) keepFirst(meshOff, m.apiVersion, p, x => x);
  }
  if (meshOff.size === 0) return;
  const replacements = placed.filter(p => replacesMesh(p.object.manifest));
  for (const off of meshOff.values()) {
    const late = replacements.filter(r => {
      const c = compareSteps(r, off);
      return c > 0 || (c === 0 && (order.waves || r.index > off.index));
    });
    if (late.length === 0) continue;
    const last = late.reduce((a, b) => (compareSteps(b, a) >= 0 ? b : a));
    const more = late.length > 1 ? ` and ${late.length - 1} more peering${late.length > 2 ? 's or reflectors' : ' or reflector'}, which replace it, are`
      : ', which replaces it, is';
    const fix = order.waves
      ? 'give the BGPConfiguration a later sync wave than the peerings and route reflector nodes'
      : 'apply the BGPConfiguration after the peerings and route reflector nodes, later in the file or in a file after theirs '
        + '(the library writes it last, as NNNN-<chart>-bgp.k8s.yaml)';
    const sameStep = compareSteps(last, off) === 0;
    const effect = sameStep && order.waves
      ? 'Argo CD applies a wave\'s objects by kind and name, without waiting for BGP sessions, so nodes may lose their mesh sessions, '
        + `and with them their pod routes, before ${replacementWord(last)} exists`
      : `nodes lose their mesh sessions, and with them their pod routes, until ${replacementWord(last)} is applied`;
    add(`${describe(off.object.manifest)} turns the node-to-node mesh off, but ${describe(last.object.manifest)} (${where(last, order)})${more} `
      + `${relation(off, last, order)}: ${effect}; ${fix}`, off.object, 'spec.nodeToNodeMeshEnabled');
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

/** The order of two steps: negative when `a` comes first, 0 for the same step (phase, then file or wave). */
function compareSteps(a: Placed, b: Placed): number {
  if (a.phase !== b.phase) return a.phase - b.phase;
  return a.step < b.step ? -1 : a.step > b.step ? 1 : 0;
}

/** A step as messages name it: 'sync wave 2', 'PreSync hook wave 0'. */
function stepName(p: Placed): string {
  const phase = p.phase < 0 ? 'PreSync hook wave' : p.phase > 0 ? 'PostSync hook wave' : 'sync wave';
  return `${phase} ${p.step}`;
}

/**
 * Where `other` is, seen from `self`: 'in a later file', 'later in the same file', 'in the same
 * sync wave 2', 'in sync wave 3, after this object's sync wave 1'.
 */
function relation(self: Placed, other: Placed, order: Order): string {
  const c = compareSteps(other, self);
  if (!order.waves) {
    if (c !== 0) return c > 0 ? 'in a later file' : 'in an earlier file';
    return other.index > self.index ? 'later in the same file' : 'earlier in the same file';
  }
  return c === 0 ? `in the same ${stepName(self)}` : `in ${stepName(other)}, ${c > 0 ? 'after' : 'before'} this object's ${stepName(self)}`;
}

/** `file:line`, with the sync wave when the input has waves. */
function where(p: Placed, order: Order): string {
  const o = p.object;
  const file = o.file !== undefined ? `${o.file}:${o.line ?? 0}` : undefined;
  if (!order.waves) return file ?? '';
  return file !== undefined ? `${file}, ${stepName(p)}` : stepName(p);
}

/** The fix that moves a dependency before this object. */
function earlier(order: Order, what: string): string {
  return order.waves ? `give ${what} an earlier sync wave than this object's` : `apply ${what} in a file before this one`;
}

/** The fix that moves this object after a dependency. */
function later(order: Order, what: string, after: string): string {
  return order.waves ? `give ${what} a later sync wave than ${after}` : `apply ${what} in a file after the one with ${after}`;
}

/** Keeps the entry of the first step for a key, and of those the first one read. */
function keepFirst<T>(map: Map<string, T>, key: string, value: T, placedOf: (t: T) => Placed): void {
  const kept = map.get(key);
  if (kept === undefined || compareSteps(placedOf(value), placedOf(kept)) < 0) map.set(key, value);
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
