import { ValidationIssue } from '../core/errors';
import { IssueCollector, isObject, q } from './issues';
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

/**
 * Validates one Calico resource the way calicoctl does (libcalico-go's v3 validator plus the
 * create-time checks Calico runs for IP pools), without a cluster.
 *
 * @param manifest a plain manifest object (`apiVersion: projectcalico.org/v3`, `kind`,
 * `metadata`, `spec`), for example parsed from YAML or produced by a chart's `toJson()`
 * @returns every issue found, each with the `path` of the bad field and a `message`; an empty
 * array means the resource is valid. Never throws, whatever it is given.
 */
export function validateManifest(manifest: any): ValidationIssue[] {
  const c = new IssueCollector();
  try {
    checkManifest(manifest, c);
  } catch (e) {
    // A validator bug must not surface as a crash on user input; report it as an issue instead.
    c.add('', `the validator could not check this manifest (${e instanceof Error ? e.message : String(e)}); please report it`);
  }
  return c.issues;
}

function checkManifest(m: any, c: IssueCollector): void {
  if (!isObject(m)) {
    c.add('', `a manifest must be an object with apiVersion, kind, metadata and spec, got ${q(m)}`);
    return;
  }
  if (typeof m.apiVersion !== 'string' || !API_VERSIONS.includes(m.apiVersion)) {
    c.add('apiVersion', `apiVersion ${q(m.apiVersion)} is not a Calico API version; use 'projectcalico.org/v3'`);
  }
  const kind = m.kind;
  const validator = typeof kind === 'string' ? KIND_VALIDATORS[kind] : undefined;
  if (!validator) {
    c.add('kind', `kind ${q(kind)} is not a Calico resource kind this library validates; use one of ${SUPPORTED_KINDS.join(', ')}`);
    return;
  }
  if (!isObject(m.metadata)) {
    c.add('metadata', `metadata must be an object with at least a name, got ${q(m.metadata)}`);
    return;
  }
  validateMetadata(m, c);
  validator(m, c);
}

/**
 * `validateManifest` for every jsii language (Python, Java, Go, .NET have no free functions).
 */
export class ManifestValidator {
  /**
   * Validates one Calico resource the way calicoctl does; see `validateManifest`.
   * @param manifest a plain manifest object
   * @returns every issue found; empty when the resource is valid
   */
  public static validate(manifest: any): ValidationIssue[] {
    return validateManifest(manifest);
  }

  private constructor() {}
}
