// Reads Calico GlobalNetworkPolicy and NetworkPolicy manifests (projectcalico.org/v3 or
// crd.projectcalico.org/v1) into the evaluator's v3 shape, with the defaulting Calico applies.
import { CalicoVersion } from '../../../core/calico-version';
import { CalicoValidationError } from '../../../core/errors';
import { quote, quoteJson } from '../../../core/quote';
import { Protocol } from '../../../language/protocol';
import { ParsedCidr, parseCidrOrIp } from '../../../net/address';
import { DEFAULT_TIER, derivePolicyTypes } from '../../../validation/policy';
import { SelectorNode } from '../../../language/selector-parser';
import { parseOrThrow } from './selectors';
import { IcmpSpec, PolicyOrigin, PortSpec, V3Entity, V3Policy, V3Rule } from './types';

const ACTIONS = ['Allow', 'Deny', 'Log', 'Pass'] as const;

/** Where a value sits, for messages: `GlobalNetworkPolicy 'deny-all': spec.ingress[0].action`. */
export class Where {
  constructor(private readonly resource: string, private readonly path: string = '') {}

  /** The place of a child field. */
  public at(child: string | number): Where {
    const next = typeof child === 'number' ? `${this.path}[${child}]` : (this.path ? `${this.path}.${child}` : child);
    return new Where(this.resource, next);
  }

  /** The field path alone. */
  public get fieldPath(): string {
    return this.path;
  }

  /** Throws the library's error for a value the evaluator cannot read. */
  public fail(message: string): never {
    throw new CalicoValidationError(`${this.toString()}: ${message}`);
  }

  public toString(): string {
    return this.path ? `${this.resource}: ${this.path}` : this.resource;
  }
}

/** Whether the object is a Calico policy manifest (v3 API or CRD storage group). */
export function isCalicoGroup(apiVersion: unknown): boolean {
  return apiVersion === 'projectcalico.org/v3' || apiVersion === 'crd.projectcalico.org/v1';
}

/**
 * Reads a GlobalNetworkPolicy or Calico NetworkPolicy manifest.
 *
 * Policy types: the v3 API fills empty `types` from the rules (Ingress, plus Egress when there
 * are egress rules, or Egress alone when there are only egress rules); an object written straight
 * to the CRD keeps them empty, and Felix then applies the policy to both directions.
 */
export function readCalicoPolicy(manifest: any, origin: 'GlobalNetworkPolicy' | 'NetworkPolicy', version: CalicoVersion,
  kind: string = origin): V3Policy {
  const name = String(manifest?.metadata?.name ?? '');
  const namespace = origin === 'NetworkPolicy' ? namespaceOf(manifest, `${kind} '${name}'`) : undefined;
  const where = new Where(`${kind} ${quote(`${namespace ? `${namespace}/` : ''}${name}`)}`);
  if (!name) where.fail('metadata.name is missing; every policy needs a name');
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const crd = manifest.apiVersion === 'crd.projectcalico.org/v1';
  const ingress = readRules(spec.ingress, where.at('spec').at('ingress'));
  const egress = readRules(spec.egress, where.at('spec').at('egress'));
  const types = readTypes(spec.types, where.at('spec').at('types'));
  let ingressType: boolean;
  let egressType: boolean;
  if (types.length) {
    ingressType = types.includes('Ingress');
    egressType = types.includes('Egress');
  } else if (crd) {
    ingressType = egressType = true;
  } else {
    const derived = derivePolicyTypes(ingress.length, egress.length).map(String);
    ingressType = derived.includes('Ingress');
    egressType = derived.includes('Egress');
  }
  return {
    origin,
    name,
    namespace,
    calicoName: crd ? name : storedName(name, version),
    tier: readTierName(spec.tier, where.at('spec').at('tier')),
    order: readOrder(spec.order, where.at('spec').at('order')),
    selector: optionalSelector(spec.selector, where.at('spec').at('selector')),
    namespaceSelector: origin === 'GlobalNetworkPolicy' ? optionalSelector(spec.namespaceSelector, where.at('spec').at('namespaceSelector')) : undefined,
    serviceAccountSelector: optionalSelector(spec.serviceAccountSelector, where.at('spec').at('serviceAccountSelector')),
    ingressType,
    egressType,
    ingress,
    egress,
    hostOnly: spec.doNotTrack === true || spec.preDNAT === true,
  };
}

/**
 * The name of the object Calico stores a v3 policy as, which is the name Felix knows it by: on
 * v3.31, `default.<name>` for a name without a dot (libcalico-go names.TieredPolicyName; a dotted
 * name is already `<tier>.<name>`); on v3.32, the name as given. A crd.projectcalico.org/v1
 * manifest is that object already, so its name is used as written.
 */
function storedName(name: string, version: CalicoVersion): string {
  if (version._data.policyStorageNames === 'as-given' || name.includes('.')) return name;
  return `default.${name}`;
}

/** A policy's `spec.tier`: absent or empty is `default` (the API's default). */
export function readTierName(value: unknown, where: Where): string {
  if (value === undefined || value === null || value === '') return DEFAULT_TIER;
  if (typeof value !== 'string') where.fail(`${quoteJson(value)} is not a tier name; write it as text, such as 'security'`);
  return value;
}

function readTypes(value: unknown, where: Where): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) where.fail(`must be a list such as [Ingress, Egress], got ${quoteJson(value)}`);
  return value.map((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') where.at(i).fail(`${quoteJson(t)} is not a policy type; use Ingress or Egress`);
    return t;
  });
}

function readOrder(value: unknown, where: Where): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) where.fail(`${quoteJson(value)} is not a number; use e.g. 1000`);
  return value;
}

function readRules(value: unknown, where: Where): V3Rule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) where.fail(`must be a list of rules, got ${quoteJson(value)}`);
  return value.map((r, i) => readRule(r, where.at(i)));
}

/** Reads one Calico rule. */
export function readRule(rule: any, where: Where): V3Rule {
  if (!isObject(rule)) where.fail(`a rule must be an object with an action, got ${quoteJson(rule)}`);
  if (!ACTIONS.includes(rule.action)) {
    where.at('action').fail(`${quoteJson(rule.action)} is not a rule action; use Allow, Deny, Log or Pass`);
  }
  const ipVersion = rule.ipVersion;
  if (ipVersion !== undefined && ipVersion !== null && ipVersion !== 4 && ipVersion !== 6) {
    where.at('ipVersion').fail(`${quoteJson(ipVersion)} is not an IP version; use 4 or 6`);
  }
  return {
    action: rule.action,
    protocol: readProtocol(rule.protocol, where.at('protocol')),
    notProtocol: readProtocol(rule.notProtocol, where.at('notProtocol')),
    icmp: readIcmp(rule.icmp, where.at('icmp')),
    notIcmp: readIcmp(rule.notICMP, where.at('notICMP')),
    ipVersion: ipVersion ?? undefined,
    source: readEntity(rule.source, where.at('source')),
    destination: readEntity(rule.destination, where.at('destination')),
    http: isObject(rule.http),
    path: where.fieldPath,
  };
}

/** Reads a protocol name (any case) or number to its IANA number. */
export function readProtocol(value: unknown, where: Where): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value))) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 255) where.fail(`protocol number ${value} is out of range; use 1 to 255`);
    return n;
  }
  try {
    return Protocol.named(String(value)).protocolNumber;
  } catch (e) {
    return where.fail((e as Error).message);
  }
}

function readIcmp(value: any, where: Where): IcmpSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) where.fail(`must be an object with type and code, got ${quoteJson(value)}`);
  const read = (field: 'type' | 'code'): number | undefined => {
    const v = value[field];
    if (v === undefined || v === null) return undefined;
    if (!Number.isInteger(v) || v < 0 || v > 255) where.at(field).fail(`${quoteJson(v)} is not an ICMP ${field}; use 0 to 255`);
    return v;
  };
  return { type: read('type'), code: read('code') };
}

function readEntity(value: any, where: Where): V3Entity {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) where.fail(`must be an object, got ${quoteJson(value)}`);
  const sa = isObject(value.serviceAccounts) ? value.serviceAccounts : undefined;
  const services = isObject(value.services) ? value.services : undefined;
  return {
    selector: optionalSelector(value.selector, where.at('selector')),
    notSelector: optionalSelector(value.notSelector, where.at('notSelector')),
    namespaceSelector: optionalSelector(value.namespaceSelector, where.at('namespaceSelector')),
    nets: readNets(value.nets, where.at('nets')),
    notNets: readNets(value.notNets, where.at('notNets')),
    ports: readPorts(value.ports, where.at('ports')),
    notPorts: readPorts(value.notPorts, where.at('notPorts')),
    serviceAccountNames: sa && Array.isArray(sa.names) && sa.names.length ? sa.names.map(String) : undefined,
    serviceAccountSelector: sa ? optionalSelector(sa.selector, where.at('serviceAccounts').at('selector')) : undefined,
    service: services ? `${services.namespace ?? ''}/${services.name ?? ''}` : undefined,
  };
}

/** Parses selector text; empty text counts as absent (Calico tests the text against ""). */
export function optionalSelector(value: unknown, where: Where): SelectorNode | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') where.fail(`a selector must be text such as "app == 'web'", got ${quoteJson(value)}`);
  return parseOrThrow(value, where.toString());
}

/** Parses a list of CIDRs (or bare addresses). */
export function readNets(value: unknown, where: Where): ParsedCidr[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) where.fail(`must be a list of CIDRs, got ${quoteJson(value)}`);
  if (!value.length) return undefined;
  return value.map((text, i): ParsedCidr => {
    const cidr = parseCidrOrIp(text);
    return cidr ?? where.at(i).fail(`${quoteJson(text)} is not a CIDR or IP address; use e.g. "10.0.0.0/8"`);
  });
}

function readPorts(value: unknown, where: Where): PortSpec[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) where.fail(`must be a list of ports, got ${quoteJson(value)}`);
  if (!value.length) return undefined;
  return value.map((p, i) => readPort(p, where.at(i)));
}

/** Reads a Calico port: `80`, `'8080:8090'` or a port name. */
export function readPort(value: unknown, where: Where): PortSpec {
  const text = String(value);
  if (typeof value === 'number' || /^[0-9]+$/.test(text)) {
    const n = Number(text);
    checkPortNumber(n, text, where);
    return { min: n, max: n, text };
  }
  if (typeof value !== 'string' || !value) where.fail(`${quoteJson(value)} is not a port; use 80, "8080:8090" or a port name`);
  const range = /^([0-9]+):([0-9]+)$/.exec(text);
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    checkPortNumber(min, text, where);
    checkPortNumber(max, text, where);
    if (min > max) where.fail(`port range ${text} starts after it ends; write the lower port first`);
    return { min, max, text };
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) || !/[a-z]/.test(text)) {
    where.fail(`${quoteJson(text)} is not a port, range or port name; use 80, "8080:8090" or a name such as "http"`);
  }
  return { name: text, text };
}

function checkPortNumber(n: number, text: string, where: Where): void {
  if (!Number.isInteger(n) || n < 1 || n > 65535) where.fail(`port ${text} is out of range; use 1 to 65535`);
}

/**
 * A namespace as calicoctl and kubectl read it: absent or empty is `default` (calicoctl's
 * handleNamespace sets "default" when neither the resource nor `-n` names one); a value that is
 * not a string is refused, as calicoctl cannot decode it into the object's metadata.
 */
export function readNamespace(value: unknown, where: Where): string {
  if (value === undefined || value === null || value === '') return 'default';
  if (typeof value !== 'string') where.fail(`${quote(value)} is not a namespace name; write it as text, such as 'default' or 'org-1'`);
  return value;
}

/** `metadata.namespace` of a manifest of a namespaced kind (see `readNamespace`). */
export function namespaceOf(manifest: any, resource: string): string {
  const metadata = isObject(manifest?.metadata) ? manifest.metadata : {};
  return readNamespace(metadata.namespace, new Where(resource, 'metadata.namespace'));
}

/** Whether a value is a plain object. */
export function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a policy reads in messages: `GlobalNetworkPolicy default-deny`, `NetworkPolicy org-1/allow-web`. */
export function policyTitle(origin: PolicyOrigin, name: string, namespace?: string, staged = false): string {
  const enforced = origin === 'KubernetesNetworkPolicy' ? 'Kubernetes NetworkPolicy' : origin;
  const kind = staged ? `Staged${origin}` : enforced;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
