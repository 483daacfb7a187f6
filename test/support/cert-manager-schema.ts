// cert-manager's Issuer and Certificate, checked against the CRDs of the cert-manager release
// vendored in reference-data/cert-manager/ (the serving certificates of the Calico API modes).
import * as path from 'path';
import { ValidateFunction } from 'ajv';
import { closeObjects, newCrdAjv, readCrds } from './crd-schema';

/** The cert-manager release whose CRDs the tests check against. */
export const CERT_MANAGER_TAG = 'v1.21.1';

/** The vendored cert-manager CRDs (Issuer, Certificate). */
export const CERT_MANAGER_CRDS_FILE = path.join(__dirname, '..', '..', 'reference-data', 'cert-manager', CERT_MANAGER_TAG, 'crds.yaml');

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = newCrdAjv();
  validators = new Map();
  for (const crd of readCrds(CERT_MANAGER_CRDS_FILE)) {
    const served = crd.spec.versions.find((v: any) => v.name === 'v1');
    // Made strict: unknown fields are refused, as the API server would prune them.
    validators.set(`${crd.spec.group}/v1|${crd.spec.names.kind}`, ajv.compile(closeObjects(served.schema.openAPIV3Schema)));
  }
  return validators;
}

/** Whether the manifest is a cert-manager object this module checks. */
export function isCertManagerObject(m: any): boolean {
  return typeof m?.apiVersion === 'string' && m.apiVersion.startsWith('cert-manager.io/');
}

/** `Kind/name: path problem` for each schema violation of a cert-manager object. */
export function certManagerSchemaErrors(m: any): string[] {
  const id = `${m.kind}/${m.metadata?.name}`;
  const v = load().get(`${m.apiVersion}|${m.kind}`);
  if (!v) return [`${id}: ${m.apiVersion} ${m.kind} is not a cert-manager ${CERT_MANAGER_TAG} kind`];
  const { metadata: _m, status: _s, ...rest } = m;
  if (v(rest)) return [];
  return (v.errors ?? []).map(e => `${id}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
