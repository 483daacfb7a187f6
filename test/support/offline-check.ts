// The offline check of synthesized output: what the API server would refuse on create, found
// without a cluster.
//
// - An object of a CRD given in `crds` (Calico's crd.projectcalico.org/v1 storage CRDs, the native
//   projectcalico.org/v3 CRDs, or any other) is checked against that CRD; a projectcalico.org/v3
//   object, when no v3 CRDs are given, against the storage CRD of its kind: its openAPIV3Schema made
//   strict (closeObjects: an unknown field is an error, not pruned), its CEL rules
//   (x-kubernetes-validations at any depth, cel-rules.ts), its list types, its name.
// - Any other object is checked against the Kubernetes 1.34 schema (k8s-schema.ts). The CEL
//   expressions of admission policies and webhook match conditions are compiled, as the API
//   server compiles them when the object is created.

import { ValidateFunction } from 'ajv';
import { Environment } from '@marcbachmann/cel-js';
import { CEL_LIMITS, celRuleErrors, compileCrdRules, compileExpression, CompiledCrdRules } from './cel-rules';
import { closeObjects, newCrdAjv } from './crd-schema';
import { k8sSchemaErrors } from './k8s-schema';

export interface OfflineCheckOptions {
  /** The CustomResourceDefinitions the objects are created against (parsed YAML documents). */
  readonly crds: readonly any[];
}

export interface OfflineReport {
  /** `Kind/name: path: problem`, one per problem; empty when every object would be accepted. */
  readonly errors: string[];
  /** Objects checked against a CRD, and against the Kubernetes schema. */
  readonly crdObjects: number;
  readonly kubernetesObjects: number;
  /** CEL rule evaluations, and admission expressions compiled. */
  readonly ruleEvaluations: number;
  readonly admissionExpressions: number;
  /** What is not checked, `Kind/name: what`: admission expressions cel-js cannot read (see admissionExpressionErrors), Calico Nodes. */
  readonly notCompiled: string[];
}

interface CrdVersion {
  readonly validate: ValidateFunction;
  readonly rules: CompiledCrdRules;
}

// Compiled per CRD document: the same parsed CRDs are passed again and again.
const compiledCrds = new WeakMap<object, Map<string, CrdVersion>>();

function compileCrd(crd: any): Map<string, CrdVersion> {
  const known = compiledCrds.get(crd);
  if (known) return known;
  const ajv = newCrdAjv();
  const versions = new Map<string, CrdVersion>();
  for (const v of crd.spec.versions) {
    if (v.served === false) continue;
    const rules = compileCrdRules(crd, v.name);
    if (rules.compileErrors.length > 0) {
      throw new Error(`CRD ${crd.metadata.name} ${v.name}: rules that do not compile:\n${rules.compileErrors.join('\n')}`);
    }
    versions.set(v.name, { validate: ajv.compile(closeObjects(v.schema.openAPIV3Schema)), rules });
  }
  compiledCrds.set(crd, versions);
  return versions;
}

/** CEL rule counts of a list of CRDs (every served version), compiling them; throws on a rule that does not compile. */
export function crdRuleCounts(crds: readonly any[]): { compiled: number; transition: number } {
  let compiled = 0;
  let transition = 0;
  for (const crd of crds) {
    for (const v of compileCrd(crd).values()) {
      compiled += v.rules.compiled;
      transition += v.rules.transition;
    }
  }
  return { compiled, transition };
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks objects as the API server would on create: see the file header. */
export function checkOffline(objects: readonly any[], options: OfflineCheckOptions): OfflineReport {
  const byGroupKind = new Map<string, any>();
  for (const crd of options.crds) byGroupKind.set(`${crd.spec.group}|${crd.spec.names.kind}`, crd);
  const errors: string[] = [];
  const kubernetesObjects: any[] = [];
  const notCompiled: string[] = [];
  let crdObjects = 0;
  let ruleEvaluations = 0;
  let admissionExpressions = 0;
  for (const m of objects) {
    const id = `${m?.kind}/${m?.metadata?.name}`;
    const target = crdTarget(m, byGroupKind);
    if (!target) {
      if (/(^|\.)projectcalico\.org\//.test(String(m?.apiVersion))) {
        // A Calico Node is stored in the Kubernetes Node; no CRD describes it.
        if (m.kind === 'Node') notCompiled.push(`${id}: a projectcalico.org Node (no CRD)`);
        else errors.push(`${id}: no CRD given for ${m.apiVersion} ${m.kind}`);
        continue;
      }
      kubernetesObjects.push(m);
      const admission = admissionExpressionErrors(m);
      admissionExpressions += admission.compiled;
      errors.push(...admission.errors.map(e => `${id}: ${e}`));
      notCompiled.push(...admission.notCompiled.map(e => `${id}: ${e}`));
      continue;
    }
    const { crd, version } = target;
    crdObjects++;
    const compiled = compileCrd(crd).get(version);
    if (!compiled) {
      errors.push(`${id}: ${crd.metadata.name} serves no version ${version}`);
      continue;
    }
    const out: string[] = [];
    const name = m.metadata?.name;
    if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) out.push(`metadata.name: ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
    // `status` is written by the cluster and ignored on create.
    const { status: _status, ...object } = target.object;
    if (!compiled.validate(object)) {
      for (const e of compiled.validate.errors ?? []) out.push(`${e.instancePath.slice(1).replace(/\//g, '.') || '<root>'}: ${e.message} ${JSON.stringify(e.params)}`);
    } else {
      // Rules read the object as the schema types it: run them on objects that fit the schema.
      out.push(...celRuleErrors(compiled.rules, object));
      ruleEvaluations += compiled.rules.compiled;
    }
    errors.push(...out.map(e => `${id}: ${e}`));
  }
  errors.push(...k8sSchemaErrors(kubernetesObjects, '1.34'));
  return { errors, crdObjects, kubernetesObjects: kubernetesObjects.length, ruleEvaluations, admissionExpressions, notCompiled };
}

/** Storage kinds whose projectcalico.org/v3 name differs. */
const STORAGE_KINDS: Record<string, string> = { IPAMConfiguration: 'IPAMConfig' };

/**
 * The CRD an object is created against: its own group's, or for a projectcalico.org/v3 object
 * with no v3 CRD given, the crd.projectcalico.org/v1 storage CRD of its kind, the object read in
 * that form (the API server or calicoctl stores it so; the fields are the same).
 */
function crdTarget(m: any, byGroupKind: Map<string, any>): { crd: any; version: string; object: any } | undefined {
  const apiVersion = String(m?.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const own = byGroupKind.get(`${group}|${m?.kind}`);
  if (own) return { crd: own, version, object: m };
  if (group !== 'projectcalico.org') return undefined;
  const kind = STORAGE_KINDS[m.kind] ?? m.kind;
  const storage = byGroupKind.get(`crd.projectcalico.org|${kind}`);
  return storage && { crd: storage, version: 'v1', object: { ...m, apiVersion: 'crd.projectcalico.org/v1', kind } };
}

const ADMISSION_KINDS = new Set([
  'ValidatingAdmissionPolicy', 'MutatingAdmissionPolicy', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
]);

/**
 * Compiles the CEL of an admission object as the API server does when it is created: match
 * conditions, variables, validations (bool) with their messageExpressions (string), audit
 * annotations, each against `object`, `oldObject`, `request`, `params`, `namespaceObject` and
 * `authorizer` (dyn) and the policy's own `variables` (so an undeclared variable fails).
 *
 * Mutations (JSONPatch and ApplyConfiguration expressions) are listed in `notCompiled`: they build
 * messages (`JSONPatch{op: ...}`), syntax cel-js does not read.
 */
export function admissionExpressionErrors(m: any): { errors: string[]; compiled: number; notCompiled: string[] } {
  const errors: string[] = [];
  const notCompiled: string[] = [];
  let compiled = 0;
  if (!ADMISSION_KINDS.has(m?.kind) || !String(m?.apiVersion).startsWith('admissionregistration.k8s.io/')) return { errors, compiled, notCompiled };
  const spec = m.spec ?? {};
  const variableNames: Record<string, string> = {};
  for (const v of spec.variables ?? []) variableNames[v.name] = 'dyn';
  const env = new Environment({ limits: CEL_LIMITS, homogeneousAggregateLiterals: false })
    .registerType('Variables', { fields: variableNames });
  for (const name of ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'authorizer']) env.registerVariable(name, 'dyn');
  env.registerVariable('variables', 'Variables');
  const compile = (source: unknown, type: string, where: string) => {
    if (typeof source !== 'string') return;
    compiled++;
    compileExpression(env, source, type, where, errors);
  };
  const matchConditions = (list: any[] | undefined, at: string) =>
    (list ?? []).forEach((c, i) => compile(c.expression, 'bool', `${at}.matchConditions[${i}].expression`));
  if (m.kind.endsWith('WebhookConfiguration')) {
    (m.webhooks ?? []).forEach((w: any, i: number) => matchConditions(w.matchConditions, `webhooks[${i}]`));
    return { errors, compiled, notCompiled };
  }
  matchConditions(spec.matchConditions, 'spec');
  (spec.variables ?? []).forEach((v: any, i: number) => compile(v.expression, 'dyn', `spec.variables[${i}].expression`));
  (spec.validations ?? []).forEach((v: any, i: number) => {
    compile(v.expression, 'bool', `spec.validations[${i}].expression`);
    compile(v.messageExpression, 'string', `spec.validations[${i}].messageExpression`);
  });
  (spec.auditAnnotations ?? []).forEach((a: any, i: number) => compile(a.valueExpression, 'string', `spec.auditAnnotations[${i}].valueExpression`));
  (spec.mutations ?? []).forEach((mu: any, i: number) => {
    if (mu.jsonPatch?.expression !== undefined) notCompiled.push(`spec.mutations[${i}].jsonPatch.expression`);
    if (mu.applyConfiguration?.expression !== undefined) notCompiled.push(`spec.mutations[${i}].applyConfiguration.expression`);
  });
  return { errors, compiled, notCompiled };
}
