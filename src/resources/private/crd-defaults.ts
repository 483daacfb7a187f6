/**
 * Calico's defaulting, applied by the library when it writes crd.projectcalico.org/v1 (where
 * nothing on the cluster defaults the resources). One function a kind; each returns a new object.
 */
const DEFAULTERS: Record<string, (manifest: any) => any> = {};

/** Registers the defaulting function of a kind. */
export function registerCrdDefaults(kind: string, defaulter: (manifest: any) => any): void {
  DEFAULTERS[kind] = defaulter;
}

/** Applies the registered defaults of the manifest's kind; kinds without defaults pass unchanged. */
export function applyCrdDefaults(manifest: any): any {
  const d = DEFAULTERS[manifest.kind];
  return d ? d(manifest) : manifest;
}
