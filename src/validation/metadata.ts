// Validation of `metadata` shared by every Calico kind, mirroring what calicoctl checks before
// it writes a resource: the name format and length, label and annotation keys and values, and
// the namespace rules of `calicoctl apply` (namespaced kinds default to the 'default'
// namespace; cluster-scoped kinds must not name one).
import {
  byteLength, checkAnnotations, checkKnownFields, checkLabels, isNamespaceName, isResourceName,
  MAX_LABEL_LENGTH, MAX_NAME_LENGTH, typeIssue,
} from './common';
import { at, IssueCollector, q } from './issues';
import { NAMESPACED_KINDS } from './registry';

/** Fields of Kubernetes ObjectMeta. */
export const OBJECT_META_FIELDS: readonly string[] = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations',
  'ownerReferences', 'finalizers', 'managedFields',
];

/**
 * Validates metadata.name, namespace, labels and annotations of any Calico manifest.
 *
 * @param m the whole manifest; `m.metadata` is known to be an object
 * @param c collects the issues
 */
export function validateMetadata(m: Record<string, any>, c: IssueCollector): void {
  const meta = m.metadata as Record<string, any>;
  const kind = typeof m.kind === 'string' ? m.kind : 'resource';
  checkKnownFields(meta, OBJECT_META_FIELDS, 'metadata', c, 'metadata');
  checkName(meta.name, c);
  checkNamespace(meta.namespace, kind, c);
  checkLabels(meta.labels, 'metadata.labels', c);
  checkAnnotations(meta.annotations, 'metadata.annotations', c);
}

function checkName(name: unknown, c: IssueCollector): void {
  const path = 'metadata.name';
  if (name === undefined || name === null || name === '') {
    c.add(path, 'metadata.name is required; give the resource a lower-case name such as \'my-resource\'');
    return;
  }
  if (typeof name !== 'string') {
    typeIssue(c, path, 'a string', name);
    return;
  }
  const length = byteLength(name);
  if (length > MAX_NAME_LENGTH) {
    c.add(path, `name ${q(name)} is ${length} characters, ${length - MAX_NAME_LENGTH} over the limit; use at most ${MAX_NAME_LENGTH}`);
  }
  if (!isResourceName(name)) {
    const lower = name.toLowerCase().replace(/[^-a-z0-9.]/g, '-');
    c.add(path, `name ${q(name)} is not a valid resource name; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (for example ${q(lower)})`);
  }
}

function checkNamespace(namespace: unknown, kind: string, c: IssueCollector): void {
  const path = 'metadata.namespace';
  if (namespace === undefined || namespace === null || namespace === '') return;
  if (typeof namespace !== 'string') {
    typeIssue(c, path, 'a string', namespace);
    return;
  }
  if (!NAMESPACED_KINDS.has(kind)) {
    c.add(path, `${kind} is cluster-scoped, so it must not have a namespace (got ${q(namespace)}); remove metadata.namespace`);
    return;
  }
  if (!isNamespaceName(namespace)) {
    c.add(path, `namespace ${q(namespace)} is not a valid namespace name; use at most ${MAX_LABEL_LENGTH} lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** The issue path of one label, for validators that add kind-specific label rules. */
export function labelPath(key: string): string {
  return at('metadata.labels', key);
}
