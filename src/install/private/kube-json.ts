// The Kubernetes objects of the install as plain JSON: the shapes the renderers read and change
// (every other field passes through as upstream wrote it), and the list edits they make.
//
// The install objects are written as plain ApiObjects holding their final JSON, never through
// cdk8s-plus's generated L1 classes: those re-run their props converter on the JSON after
// `addJsonPatch` has been applied and read IntOrString and Quantity fields as objects, so a patch
// that writes a plain number or string there (`/spec/maxUnavailable` -> 2) would be dropped.

/** Any field of an object the renderers do not name. */
export interface JsonFields {
  [field: string]: unknown;
}

/** `metadata` of an object. */
export interface MetadataJson extends JsonFields {
  name: string;
  namespace?: string;
  labels?: { [key: string]: string };
}

/** A Kubernetes object. */
export interface KubeJson extends JsonFields {
  apiVersion: string;
  kind: string;
  metadata: MetadataJson;
}

/** An item of a list Kubernetes merges by name (env, volumes, volume mounts, containers). */
export interface NamedJson extends JsonFields {
  name: string;
}

/** A container environment variable. */
export interface EnvVarJson extends NamedJson {
  value?: string;
  valueFrom?: JsonFields;
}

/** A container. */
export interface ContainerJson extends NamedJson {
  image: string;
  env?: EnvVarJson[];
  volumeMounts?: NamedJson[];
  resources?: JsonFields;
  livenessProbe?: { exec?: { command: string[] } } & JsonFields;
  readinessProbe?: { exec?: { command: string[] } } & JsonFields;
}

/** A pod spec. */
export interface PodSpecJson extends JsonFields {
  containers: ContainerJson[];
  initContainers?: ContainerJson[];
  volumes?: NamedJson[];
  nodeSelector?: { [key: string]: string };
  tolerations?: JsonFields[];
  imagePullSecrets?: Array<{ name: string }>;
}

/** A DaemonSet or Deployment. */
export interface WorkloadJson extends KubeJson {
  spec: JsonFields & {
    replicas?: number;
    template: { metadata: Partial<MetadataJson> & JsonFields; spec: PodSpecJson };
  };
}

/** A ConfigMap. */
export interface ConfigMapJson extends KubeJson {
  data: { [key: string]: string };
}

/** A ClusterRoleBinding or RoleBinding. */
export interface BindingJson extends KubeJson {
  subjects: Array<{ kind: string; name: string; namespace?: string } & JsonFields>;
}

/** One line's upstream install: both datastore variants, every object as upstream writes it. */
export interface UpstreamInstall {
  /** The release the objects come from, e.g. `v3.32.1`. */
  readonly tag: string;
  /** The Kubernetes-datastore install with Typha (calico-typha.yaml, CRDs left out), in upstream's order. */
  readonly kubernetes: readonly KubeJson[];
  /** The etcd-datastore install (calico-etcd.yaml), in upstream's order. */
  readonly etcd: readonly KubeJson[];
  /** The aggregated Calico API server (apiserver.yaml), in upstream's order. */
  readonly apiServer: readonly KubeJson[];
  /**
   * The objects upstream's install on native v3 CRDs has beyond the Typha install (the
   * calico-webhooks workload and webhook, the admission policies); undefined before v3.32.
   */
  readonly nativeV3?: readonly KubeJson[];
  /** The CRDs (crds.yaml, descriptions left out) as gzip-compressed JSON in base64: read with `upstreamCrds`. */
  readonly crds: string;
  /** The native projectcalico.org/v3 CRDs (v3-crds.yaml), the same way; undefined before v3.32. */
  readonly v3Crds?: string;
  /**
   * The Tigera operator's own objects (tigera-operator.yaml without its CRDs: namespace, RBAC,
   * Deployment), in upstream's order, the same way: read with `upstreamOperator`.
   */
  readonly operator: string;
  /** The operator.tigera.io CRDs (operator-crds.yaml's, descriptions left out), the same way. */
  readonly operatorCrds: string;
}

/** The item of `list` named `name`, or undefined. */
export function named<T extends NamedJson>(list: readonly T[] | undefined, name: string): T | undefined {
  return list?.find(item => item.name === name);
}

/**
 * `list` with `items` inserted right after the item named `anchor` (`where: 'after'`) or right
 * before it (`'before'`); undefined when there is no such item, so the caller can say which
 * upstream fact went missing.
 */
export function insertedAt<T extends NamedJson>(list: readonly T[], anchor: string, where: 'before' | 'after', items: readonly T[]): T[] | undefined {
  const at = list.findIndex(item => item.name === anchor);
  if (at < 0) return undefined;
  const cut = where === 'after' ? at + 1 : at;
  return [...list.slice(0, cut), ...items, ...list.slice(cut)];
}

/** `list` without the items named in `names`. */
export function without<T extends NamedJson>(list: readonly T[], names: readonly string[]): T[] {
  return list.filter(item => !names.includes(item.name));
}

/**
 * Extra environment on a container's env: a variable of the same name is replaced in place (so
 * the order stays upstream's), any other is appended in the order given.
 */
export function withExtraEnv(env: readonly EnvVarJson[], extra: { readonly [name: string]: string }): EnvVarJson[] {
  const out = [...env];
  for (const [name, value] of Object.entries(extra)) {
    const i = out.findIndex(e => e.name === name);
    if (i >= 0) out[i] = { name, value };
    else out.push({ name, value });
  }
  return out;
}

/**
 * A copy of `object` with `key` set to `value` right after the key `after` (or last when `after`
 * is absent), so fields the library adds appear where a reader of the YAML looks for them; the
 * key is dropped when `value` is undefined.
 */
export function withFieldAfter<T extends JsonFields>(object: T, after: string, key: string, value: unknown): T {
  const out: JsonFields = {};
  const entries = Object.entries(object).filter(([k]) => k !== key);
  const at = entries.findIndex(([k]) => k === after);
  entries.splice(at < 0 ? entries.length : at + 1, 0, [key, value]);
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out as T;
}
