import { CalicoVersion } from '../core/calico-version';
import { ValidationIssue } from '../core/errors';
import { quote } from '../core/quote';
import { isAdminPolicyManifest, validateAdminPolicy } from './admin-network-policy';
import { checkKnownFields } from './common';
import { checkCrdConstraints } from './crd-constraints';
import { checkFieldNames, crdKindOf, isCrdKind, kindVersionNote } from './crd-schema';
import { IssueCollector, isObject, q } from './issues';
import { readJsonData } from './json-data';
import { validateMetadata } from './metadata';
import { KIND_VALIDATORS } from './registry';
import './kinds';

/** The Calico kinds `validateManifest` understands (on every supported line), in alphabetical order. */
export const SUPPORTED_KINDS: readonly string[] = [
  'BGPConfiguration', 'BGPFilter', 'BGPPeer', 'CalicoNodeStatus', 'FelixConfiguration', 'GlobalNetworkPolicy',
  'GlobalNetworkSet', 'HostEndpoint', 'IPAMConfiguration', 'IPPool', 'IPReservation', 'KubeControllersConfiguration',
  'NetworkPolicy', 'NetworkSet', 'Node', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'StagedNetworkPolicy',
  'Tier',
];

const API_VERSIONS = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];

/** The top-level fields of a Calico object (calicoctl decodes strictly, so any other is an error). */
const TOP_LEVEL_FIELDS: readonly string[] = ['apiVersion', 'kind', 'metadata', 'spec'];
const TOP_LEVEL_FIELDS_AND_STATUS: readonly string[] = [...TOP_LEVEL_FIELDS, 'status'];

/**
 * Validates one Calico resource the way calicoctl does (libcalico-go's v3 validator plus the
 * create-time checks Calico runs for IP pools), without a cluster. The Kubernetes network policy
 * kinds Calico enforces (`policy.networking.k8s.io`: ClusterNetworkPolicy on v3.32,
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy on v3.31) are checked against the CRDs and
 * rules the chosen line installs.
 *
 * It first reads the manifest as JSON data, the only shape Kubernetes can receive: other values
 * (NaN, BigInt, functions, getters, class instances, cycles, nesting deeper than 100 levels) are
 * reported where they are and left out, and a manifest larger than the 3 MiB the Kubernetes API
 * server accepts is reported and not read further. At most 100 issues are listed, then a count of
 * the rest.
 *
 * @param manifest a plain manifest object (`apiVersion: projectcalico.org/v3`, `kind`,
 * `metadata`, `spec`), for example parsed from YAML or produced by a chart's `toJson()`
 * @param version the Calico release to check for (the kinds and fields it has, the rules of its
 * line); `CalicoVersion.DEFAULT` (v3.32.1) when omitted
 * @returns every issue found, each with the `path` of the bad field and a `message`; an empty
 * array means the resource is valid. Never throws, whatever it is given.
 */
export function validateManifest(manifest: any, version?: CalicoVersion): ValidationIssue[] {
  const c = new IssueCollector(version instanceof CalicoVersion ? version : CalicoVersion.DEFAULT);
  if (version !== undefined && !(version instanceof CalicoVersion)) {
    c.add('', `the version ${quote(version)} is not a CalicoVersion; pass CalicoVersion.V3_32_1, CalicoVersion.V3_31_7 or CalicoVersion.patch('v3.32.3')`);
    return c.result();
  }
  try {
    const read = readJsonData(manifest, c);
    // Nothing to check when the manifest was too large, or was itself no data (already reported).
    if (read !== undefined && (read.data !== undefined || manifest === undefined)) checkManifest(read.data, c);
  } catch (e) {
    // A last guard: a validator bug must not surface as a crash on user input. The fuzz tests
    // check that no input reaches it.
    c.add('', `the validator could not check this manifest (${q(e instanceof Error ? e.message : e)}); please report it`);
  }
  return c.result();
}

/**
 * `validateManifest` for a manifest the library rendered itself from typed, boundary-checked props:
 * plain JSON data by construction, so the first pass that reads hostile input as data is skipped
 * (it is a fifth of the constructors' cost at scale). Never give it user-supplied objects.
 */
export function validateRenderedManifest(manifest: Record<string, unknown>, version: CalicoVersion): ValidationIssue[] {
  const c = new IssueCollector(version);
  try {
    checkManifest(manifest, c);
  } catch (e) {
    c.add('', `the validator could not check this manifest (${q(e instanceof Error ? e.message : e)}); please report it`);
  }
  return c.result();
}

function checkManifest(m: unknown, c: IssueCollector): void {
  if (!isObject(m)) {
    c.add('', `a manifest must be an object with apiVersion, kind, metadata and spec, got ${q(m)}`);
    return;
  }
  if (isAdminPolicyManifest(m)) {
    // ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy: Kubernetes kinds Calico enforces.
    validateAdminPolicy(m, c);
    return;
  }
  if (typeof m.apiVersion !== 'string' || !API_VERSIONS.includes(m.apiVersion)) {
    c.add('apiVersion', `apiVersion ${q(m.apiVersion)} is not a Calico API version; use 'projectcalico.org/v3'`);
  }
  const kind = m.kind;
  const validator = typeof kind === 'string' ? KIND_VALIDATORS.get(kind) : undefined;
  if (!validator) {
    const kinds = SUPPORTED_KINDS.filter(k => !isCrdKind(k) || crdKindOf(k, c.version) !== undefined);
    c.add('kind', `kind ${q(kind)} is not a Calico resource kind this library validates; use one of ${kinds.join(', ')}`);
    return;
  }
  const versionNote = kindVersionNote(kind, c.version);
  if (versionNote !== undefined) {
    c.add('kind', versionNote);
    return;
  }
  checkTopLevelFields(m, kind, c);
  if (!isObject(m.metadata)) {
    c.add('metadata', `metadata must be an object with at least a name, got ${q(m.metadata)}`);
    return;
  }
  validateMetadata(m, c);
  checkFieldNames(m, kind, c);
  validator(m, c);
  checkCrdConstraints(m, kind, c);
}

/**
 * Whether objects of `kind` have a status on the chosen line (Calico writes it: calico/node,
 * kube-controllers; calicoctl reads it back without complaint). Node has no CRD; its v3 type has one.
 */
function hasStatus(kind: string, c: IssueCollector): boolean {
  return kind === 'Node' || crdKindOf(kind, c.version)?.status !== undefined;
}

function checkTopLevelFields(m: Record<string, any>, kind: string, c: IssueCollector): void {
  const withStatus = hasStatus(kind, c);
  if (!withStatus && m.status !== undefined) {
    const kinds = ['Node', ...SUPPORTED_KINDS.filter(k => crdKindOf(k, c.version)?.status !== undefined)].join(', ');
    c.add('status', `${kind} objects have no status (Calico ${c.version.line} writes one only for ${kinds}); remove it`);
  }
  // status is reported above when the kind has none; the message names it only when it has one.
  checkKnownFields(m, TOP_LEVEL_FIELDS_AND_STATUS, '', c, 'the manifest', withStatus ? TOP_LEVEL_FIELDS_AND_STATUS : TOP_LEVEL_FIELDS);
}

/**
 * `validateManifest` for every jsii language (Python, Java, Go, .NET have no free functions).
 */
export class ManifestValidator {
  /**
   * Validates one Calico resource the way calicoctl does; see `validateManifest`.
   * @param manifest a plain manifest object
   * @param version the Calico release to check for; `CalicoVersion.DEFAULT` when omitted
   * @returns every issue found; empty when the resource is valid
   */
  public static validate(manifest: any, version?: CalicoVersion): ValidationIssue[] {
    return validateManifest(manifest, version);
  }

  private constructor() {}
}
