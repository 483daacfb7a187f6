import type { CalicoVersion } from '../../core/calico-version';

/**
 * Calico's defaulting, applied by the library when it writes crd.projectcalico.org/v1 (where
 * nothing on the cluster defaults the resources), for the Calico version the resource is written
 * in. One function a kind; each returns a new object and never changes its input.
 */
export type CrdDefaulter = (manifest: any, version: CalicoVersion) => any;

const DEFAULTERS = new Map<string, CrdDefaulter>();

/** Registers the defaulting function of a kind (by its projectcalico.org/v3 name). */
export function registerCrdDefaults(kind: string, defaulter: CrdDefaulter): void {
  DEFAULTERS.set(kind, defaulter);
}

/** Applies the registered defaults of the manifest's kind; kinds without defaults pass unchanged. */
export function applyCrdDefaults(manifest: any, version: CalicoVersion): any {
  const d = DEFAULTERS.get(manifest.kind);
  return d ? d(manifest, version) : manifest;
}
