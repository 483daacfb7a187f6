// CRD openAPIV3Schema as a JSON Schema for ajv, shared by the spec check of util.ts and the
// whole-object check of offline-check.ts.

import * as fs from 'fs';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { parseCidr } from '../../src/net/address';

/** The CustomResourceDefinitions of a YAML file (other documents are left out). */
export function readCrds(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(d => d && d.kind === 'CustomResourceDefinition');
}

/**
 * A CRD schema made strict: every object schema that lists properties gets
 * additionalProperties: false (the API server prunes unknown fields; we reject them, since a
 * pruned field is a setting that silently does nothing), int-or-string becomes anyOf, and Go's
 * inline `(?i)` becomes the patternCaseInsensitive keyword of newCrdAjv().
 */
export function closeObjects(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'x-kubernetes-int-or-string') continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, closeObjects(pv)]));
    } else {
      out[k] = closeObjects(v);
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (out.format === 'int32' || out.format === 'int64') delete out.format;
  if (typeof out.pattern === 'string' && out.pattern.includes('(?i)')) {
    // Go's inline case-insensitive flag: JavaScript needs it as a RegExp flag instead.
    out.patternCaseInsensitive = out.pattern.replace('(?i)', '');
    delete out.pattern;
  }
  return out;
}

/** An ajv instance that knows the formats and keywords of closeObjects() schemas. */
export function newCrdAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', true);
  // base64 (the operator CRDs' certificates).
  ajv.addFormat('byte', (text: string) => /^[A-Za-z0-9+/]*=?=?$/.test(text));
  ajv.addFormat('cidr', (text: string) => parseCidr(text) !== undefined);
  ajv.addKeyword({
    keyword: 'patternCaseInsensitive',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern, 'i').test(data),
  });
  return ajv;
}
