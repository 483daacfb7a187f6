import { CalicoVersion } from '../core/calico-version';
import { ValidationIssue } from '../core/errors';
import { quote } from '../core/quote';
import { checkKnownFields } from './common';
import { IssueCollector, isObject, q } from './issues';
import { readJsonData } from './json-data';
import { validateMetadata } from './metadata';
import { KIND_VALIDATORS } from './registry';
import './kinds';

/** The Calico kinds `validateManifest` understands, in alphabetical order. */
export const SUPPORTED_KINDS: readonly string[] = [
  'BGPConfiguration', 'BGPFilter', 'BGPPeer', 'FelixConfiguration', 'GlobalNetworkPolicy',
  'GlobalNetworkSet', 'HostEndpoint', 'IPPool', 'IPReservation', 'KubeControllersConfiguration',
  'NetworkPolicy', 'NetworkSet', 'Node',
];

const API_VERSIONS = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];

/** The top-level fields of a Calico object (calicoctl decodes strictly, so any other is an error). */
const TOP_LEVEL_FIELDS: readonly string[] = ['apiVersion', 'kind', 'metadata', 'spec'];
/**
 * The kinds whose Calico v3.28 type also has a status (calico/node and kube-controllers write it;
 * calicoctl reads it back without complaint). No other kind has one: not its v3 type, not its CRD.
 */
const KINDS_WITH_STATUS = new Set(['Node', 'KubeControllersConfiguration']);
const TOP_LEVEL_FIELDS_AND_STATUS: readonly string[] = [...TOP_LEVEL_FIELDS, 'status'];

/**
 * Validates one Calico resource the way calicoctl does (libcalico-go's v3 validator plus the
 * create-time checks Calico runs for IP pools), without a cluster.
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
  if (typeof m.apiVersion !== 'string' || !API_VERSIONS.includes(m.apiVersion)) {
    c.add('apiVersion', `apiVersion ${q(m.apiVersion)} is not a Calico API version; use 'projectcalico.org/v3'`);
  }
  const kind = m.kind;
  const validator = typeof kind === 'string' ? KIND_VALIDATORS.get(kind) : undefined;
  if (!validator) {
    c.add('kind', `kind ${q(kind)} is not a Calico resource kind this library validates; use one of ${SUPPORTED_KINDS.join(', ')}`);
    return;
  }
  checkTopLevelFields(m, kind, c);
  if (!isObject(m.metadata)) {
    c.add('metadata', `metadata must be an object with at least a name, got ${q(m.metadata)}`);
    return;
  }
  validateMetadata(m, c);
  validator(m, c);
}

function checkTopLevelFields(m: Record<string, any>, kind: string, c: IssueCollector): void {
  if (!KINDS_WITH_STATUS.has(kind) && m.status !== undefined) {
    c.add('status', `${kind} objects have no status (Calico writes one only for Node and KubeControllersConfiguration); remove it`);
  }
  // status is reported above when the kind has none; the message names it only when it has one.
  checkKnownFields(m, TOP_LEVEL_FIELDS_AND_STATUS, '', c, 'the manifest', KINDS_WITH_STATUS.has(kind) ? TOP_LEVEL_FIELDS_AND_STATUS : TOP_LEVEL_FIELDS);
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
