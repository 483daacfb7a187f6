// A run-time check of synthesized Kubernetes objects against the Kubernetes API schema of 1.28
// (the oldest release the library supports) or 1.34 (which has the admission policies the native
// v3 CRD install applies).
//
// No OpenAPI document ships in node_modules, but cdk8s-plus-28 and cdk8s-plus-34 ship the
// generated L1 layer (lib/imports/k8s.d.ts), which is that release's schema written as TypeScript: one interface per
// schema definition, `?` on optional fields, and a `@schema io.k8s...#jsonName` tag on every
// field that gives its JSON name. This module reads those declarations with the TypeScript
// parser and walks each manifest through them, so it catches what the compile-time types cannot
// once an object has been patched (`addJsonPatch`) or included from YAML:
// unknown fields, missing required fields, wrong JSON types, and a few rules the API server
// enforces beyond the schema (object names, selector vs template labels, volume mounts that
// name no volume, duplicate container and volume names).

import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { certManagerSchemaErrors, isCertManagerObject } from './cert-manager-schema';

interface Field {
  readonly optional: boolean;
  readonly type: ts.TypeNode;
}

interface Schema {
  /** Interface name -> JSON field name -> field. */
  readonly interfaces: Map<string, Map<string, Field>>;
  /** Names of string enums (their values are JSON strings). */
  readonly enums: Set<string>;
  /** `apiVersion|kind` -> name of the L1 props interface. */
  readonly kinds: Map<string, string>;
}

/** The Kubernetes releases whose schema the checks read, each from its cdk8s-plus package. */
export type KubernetesRelease = '1.28' | '1.34';

const PACKAGES: Record<KubernetesRelease, string> = { '1.28': 'cdk8s-plus-28', '1.34': 'cdk8s-plus-34' };

const cached = new Map<KubernetesRelease, Schema>();

function jsonNameOf(member: ts.PropertySignature): string {
  for (const tag of ts.getJSDocTags(member)) {
    if (tag.tagName.text !== 'schema' || typeof tag.comment !== 'string') continue;
    const hash = tag.comment.lastIndexOf('#');
    if (hash >= 0) return tag.comment.slice(hash + 1).trim();
  }
  return (member.name as ts.Identifier).text;
}

function loadSchema(release: KubernetesRelease): Schema {
  const loaded = cached.get(release);
  if (loaded) return loaded;
  const pkg = PACKAGES[release];
  const file = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'imports', 'k8s.d.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, Map<string, Field>>();
  const enums = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const fields = new Map<string, Field>();
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        fields.set(jsonNameOf(member), { optional: member.questionToken !== undefined, type: member.type });
      }
      interfaces.set(statement.name.text, fields);
    } else if (ts.isEnumDeclaration(statement)) {
      enums.add(statement.name.text);
    }
  }
  const kinds = new Map<string, string>();
  const k8s: Record<string, unknown> = require(pkg).k8s;
  for (const [className, value] of Object.entries(k8s)) {
    const gvk = (value as any)?.GVK;
    if (gvk && typeof gvk.kind === 'string' && interfaces.has(`${className}Props`)) {
      kinds.set(`${gvk.apiVersion}|${gvk.kind}`, `${className}Props`);
    }
  }
  const schema = { interfaces, enums, kinds };
  cached.set(release, schema);
  return schema;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
}

function checkType(schema: Schema, value: unknown, type: ts.TypeNode, at: string, out: string[]): void {
  switch (type.kind) {
    case ts.SyntaxKind.AnyKeyword:
      return;
    case ts.SyntaxKind.StringKeyword:
      if (typeof value !== 'string') out.push(`${at}: expected a string, got ${describe(value)}`);
      return;
    case ts.SyntaxKind.NumberKeyword:
      if (typeof value !== 'number' || !Number.isFinite(value)) out.push(`${at}: expected a number, got ${describe(value)}`);
      return;
    case ts.SyntaxKind.BooleanKeyword:
      if (typeof value !== 'boolean') out.push(`${at}: expected a boolean, got ${describe(value)}`);
      return;
  }
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) {
      out.push(`${at}: expected an array, got ${describe(value)}`);
      return;
    }
    value.forEach((item, i) => checkType(schema, item, type.elementType, `${at}[${i}]`, out));
    return;
  }
  if (ts.isUnionTypeNode(type)) {
    const fits = type.types.some(t => {
      const probe: string[] = [];
      checkType(schema, value, t, at, probe);
      return probe.length === 0;
    });
    if (!fits) out.push(`${at}: expected ${type.getText()}, got ${describe(value)}`);
    return;
  }
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    if (!index) throw new Error(`k8s-schema: unsupported type literal at ${at}: ${type.getText()}`);
    if (!isPlainObject(value)) {
      out.push(`${at}: expected a map, got ${describe(value)}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) checkType(schema, v, index.type, `${at}.${k}`, out);
    return;
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (name === 'IntOrString') {
      const ok = (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'string';
      if (!ok) out.push(`${at}: expected an integer or a string, got ${describe(value)}`);
      return;
    }
    if (name === 'Quantity') {
      const ok = (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$/.test(value));
      if (!ok) out.push(`${at}: expected a quantity such as '250m' or '1Gi', got ${describe(value)}`);
      return;
    }
    if (name === 'Date' || schema.enums.has(name)) {
      if (typeof value !== 'string') out.push(`${at}: expected a string, got ${describe(value)}`);
      return;
    }
    if (schema.interfaces.has(name)) {
      checkObject(schema, value, name, at, out);
      return;
    }
  }
  throw new Error(`k8s-schema: unsupported type at ${at}: ${type.getText()}`);
}

function checkObject(schema: Schema, value: unknown, interfaceName: string, at: string, out: string[]): void {
  if (!isPlainObject(value)) {
    out.push(`${at}: expected an object (${interfaceName}), got ${describe(value)}`);
    return;
  }
  const fields = schema.interfaces.get(interfaceName)!;
  for (const [key, v] of Object.entries(value)) {
    const field = fields.get(key);
    const where = at ? `${at}.${key}` : key;
    if (!field) {
      out.push(`${where}: unknown field (${interfaceName} has ${[...fields.keys()].join(', ')})`);
      continue;
    }
    // Kubernetes decodes null as "not set" (e.g. `creationTimestamp: null` in published YAML).
    if (v === null && field.optional) continue;
    checkType(schema, v, field.type, where, out);
  }
  for (const [key, field] of fields) {
    if (!field.optional && !(key in value)) out.push(`${at ? `${at}.` : ''}${key}: required field is missing`);
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every(part => DNS1123_LABEL.test(part));
}

/** Pod template spec of a workload kind, or undefined for other kinds. */
function podTemplateOf(m: any): any {
  if (['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job'].includes(m.kind)) return m.spec?.template;
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template;
  if (m.kind === 'Pod') return { metadata: m.metadata, spec: m.spec };
  return undefined;
}

/** Rules the API server applies beyond the schema, for the fields Calico's install uses. */
function apiServerRules(m: any, out: string[]): void {
  const name = m.metadata?.name;
  if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
    out.push(`metadata.name: ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  }
  const ns = m.metadata?.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || ns.length > 63 || !DNS1123_LABEL.test(ns))) {
    out.push(`metadata.namespace: ${JSON.stringify(ns)} is not a DNS-1123 label`);
  }
  const template = podTemplateOf(m);
  if (!template) return;
  const selector = m.spec?.selector?.matchLabels;
  if (selector && m.kind !== 'Pod') {
    const labels = template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(selector)) {
      if (labels[k] !== v) out.push(`spec.selector.matchLabels.${k}: '${v}' does not match the template's labels`);
    }
  }
  const spec = template.spec ?? {};
  const volumes: string[] = (spec.volumes ?? []).map((v: any) => v.name);
  for (const dup of volumes.filter((v, i) => volumes.indexOf(v) !== i)) out.push(`spec.volumes: '${dup}' is declared twice`);
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const names = containers.map(c => c.name);
  for (const dup of names.filter((n, i) => names.indexOf(n) !== i)) out.push(`containers: '${dup}' is declared twice`);
  for (const c of containers) {
    for (const mount of c.volumeMounts ?? []) {
      if (!volumes.includes(mount.name)) out.push(`containers[${c.name}].volumeMounts: '${mount.name}' names no volume of the pod`);
    }
  }
}

/**
 * Checks every Kubernetes object (anything outside the projectcalico.org groups) against the
 * schema of a Kubernetes release (default 1.28). Returns `Kind/name: path: problem` strings.
 */
export function k8sSchemaErrors(manifests: any[], release: KubernetesRelease = '1.28'): string[] {
  const schema = loadSchema(release);
  const errors: string[] = [];
  for (const m of manifests) {
    if (typeof m?.apiVersion === 'string' && /(^|\.)projectcalico\.org\//.test(m.apiVersion)) continue;
    if (isCertManagerObject(m)) {
      errors.push(...certManagerSchemaErrors(m));
      continue;
    }
    const id = `${m?.kind}/${m?.metadata?.name}`;
    const props = schema.kinds.get(`${m?.apiVersion}|${m?.kind}`);
    if (!props) {
      errors.push(`${id}: ${m?.apiVersion} ${m?.kind} is not a Kubernetes ${release} kind`);
      continue;
    }
    // `status` is written by the cluster; the API server ignores it on create, so published
    // manifests (such as Calico's CRDs) may carry it.
    const { apiVersion: _a, kind: _k, status: _s, ...rest } = m;
    const out: string[] = [];
    checkObject(schema, rest, props, '', out);
    apiServerRules(m, out);
    errors.push(...out.map(e => `${id}: ${e}`));
  }
  return errors;
}

/** Jest-friendly: expects every Kubernetes object to pass the schema of a release (default 1.28). */
export function expectK8sSchemaValid(manifests: any[], release: KubernetesRelease = '1.28'): void {
  expect(k8sSchemaErrors(manifests, release)).toEqual([]);
}
