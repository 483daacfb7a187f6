// Reading a flow as users write it (PolicyModel.evaluate's argument) into the evaluator's shape:
// its ends resolved against the model's workloads, its protocol, ports and ICMP fields checked.
import { CalicoValidationError } from '../../../core/errors';
import { quote, quoteJson } from '../../../core/quote';
import { ParsedIp, parseIp } from '../../../net/address';
import { ownValue } from '../../../validation/issues';
import { isObject, readNamespace, readProtocol, Where } from './calico';
import { EndpointDirectory, stringLabels } from './endpoints';
import { protocolName, ResolvedFlow } from './evaluate';
import { EndpointPort, ResolvedEnd, WorkloadRecord } from './types';

/** A named port as users give it. */
export interface NamedPortInput {
  readonly name: string;
  readonly port: number;
  readonly protocol?: string;
}

/** A flow end as users give it (the public FlowEnd). */
export interface EndInput {
  readonly workloadName?: string;
  readonly namespaceName?: string;
  readonly labels?: { [key: string]: string };
  readonly serviceAccount?: string;
  readonly ip?: string;
  readonly namedPorts?: NamedPortInput[];
}

/** A flow as users give it (the public Flow). */
export interface FlowInput {
  readonly source: EndInput;
  readonly destination: EndInput;
  readonly protocol?: string;
  readonly port?: number;
  readonly sourcePort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

const FLOW_FIELDS = ['source', 'destination', 'protocol', 'port', 'sourcePort', 'icmpType', 'icmpCode'];
const END_FIELDS = ['workloadName', 'namespaceName', 'labels', 'serviceAccount', 'ip', 'namedPorts'];
const FIELD_HINTS: { [field: string]: string } = {
  namespace: 'namespaceName',
  name: 'workloadName',
  workload: 'workloadName',
  ports: 'namedPorts',
  serviceAccountName: 'serviceAccount',
  dport: 'port',
  destinationPort: 'port',
};

/** The workload of the directory with this name in this namespace, or an error saying what there is. */
export function findWorkload(directory: EndpointDirectory, namespace: string, name: string, caller: string): WorkloadRecord {
  const found = directory.workloads.find(w => w.namespace === namespace && w.name === name);
  if (!found) {
    const known = directory.workloads.map(w => `${w.namespace}/${w.name}`);
    throw new CalicoValidationError(`${caller}: the model has no workload ${quote(name)} in namespace ${quote(namespace)}; `
      + (known.length ? `it has ${known.join(', ')}` : 'it has no workloads (add Pods or Deployments to the manifests, or describe the end by labels)'));
  }
  if (found.hostNetwork) {
    throw new CalicoValidationError(`${caller}: ${found.kind} ${quote(`${namespace}/${name}`)} uses the host network, so Calico does not police it `
      + 'as a workload; describe its traffic by the node\'s address ({ ip: ... }) instead');
  }
  return found;
}

/** Checks a flow and resolves its ends. */
export function resolveFlow(flow: FlowInput, directory: EndpointDirectory): ResolvedFlow {
  if (!isObject(flow)) {
    throw new CalicoValidationError(`PolicyModel.evaluate() needs a flow { source, destination, protocol, port }, got ${describeValue(flow)}`);
  }
  checkFields(flow, FLOW_FIELDS, 'flow');
  const source = resolveEnd(flow.source, 'source', directory);
  const destination = resolveEnd(flow.destination, 'destination', directory);
  if (source.ip && destination.ip && source.ip.version !== destination.ip.version) {
    throw new CalicoValidationError(`flow: source ${source.ip.text} is IPv${source.ip.version} but destination ${destination.ip.text} `
      + `is IPv${destination.ip.version}; give both ends addresses of one family`);
  }
  const protocol = readProtocol(flow.protocol ?? 'TCP', new Where('flow', 'protocol'))!;
  const name = protocolName(protocol);
  const hasPorts = protocol === 6 || protocol === 17 || protocol === 132;
  const isIcmp = protocol === 1 || protocol === 58;
  if (hasPorts && flow.port === undefined) {
    throw new CalicoValidationError(`flow.port is missing; a ${name} flow needs its destination port, e.g. port: 443`);
  }
  if (!hasPorts && (flow.port !== undefined || flow.sourcePort !== undefined)) {
    throw new CalicoValidationError(`flow: ${name} has no ports; remove port/sourcePort or use TCP, UDP or SCTP`);
  }
  checkNumber(flow.port, 'port', 1, 65535);
  checkNumber(flow.sourcePort, 'sourcePort', 1, 65535);
  if (!isIcmp && (flow.icmpType !== undefined || flow.icmpCode !== undefined)) {
    throw new CalicoValidationError(`flow: icmpType/icmpCode need protocol ICMP or ICMPv6, but the protocol is ${name}`);
  }
  checkNumber(flow.icmpType, 'icmpType', 0, 255);
  checkNumber(flow.icmpCode, 'icmpCode', 0, 255);
  if (flow.icmpCode !== undefined && flow.icmpType === undefined) {
    throw new CalicoValidationError('flow: icmpCode needs icmpType; set both, e.g. icmpType: 3, icmpCode: 4');
  }
  return {
    source,
    destination,
    protocol,
    protocolName: name,
    port: flow.port,
    sourcePort: flow.sourcePort,
    icmpType: flow.icmpType,
    icmpCode: flow.icmpCode,
    family: source.ip?.version ?? destination.ip?.version ?? 4,
  };
}

/**
 * Resolves one end: an address when only `ip` is set, otherwise a workload whose unset fields
 * come from `workloadName` (or, for named ports, from the model's workloads with those labels).
 */
function resolveEnd(end: EndInput, role: 'source' | 'destination', directory: EndpointDirectory): ResolvedEnd {
  if (!isObject(end)) {
    throw new CalicoValidationError(`flow.${role} must be an object such as { namespaceName: 'org-1', labels: { app: 'web' } } `
      + `or { ip: '203.0.113.7' }, got ${describeValue(end)}`);
  }
  checkFields(end, END_FIELDS, `flow.${role}`);
  let ip: ParsedIp | undefined;
  if (end.ip !== undefined) {
    ip = parseIp(end.ip);
    if (!ip) throw new CalicoValidationError(`flow.${role}.ip ${quoteJson(end.ip)} is not an IP address; use e.g. '10.0.1.5' or 'fd00::5'`);
  }
  const workloadFields = [end.workloadName, end.namespaceName, end.labels, end.serviceAccount, end.namedPorts];
  if (workloadFields.every(f => f === undefined)) {
    if (!ip) {
      throw new CalicoValidationError(`flow.${role} is empty; describe a workload (namespaceName, labels, workloadName) or an address (ip)`);
    }
    return { workload: false, description: ip.text, labels: {}, ip, ports: [] };
  }
  const namespace = readNamespace(end.namespaceName, new Where('flow', `${role}.namespaceName`));
  const record = end.workloadName !== undefined ? findWorkload(directory, namespace, end.workloadName, `flow.${role}.workloadName`) : undefined;
  if (end.labels !== undefined && (!isObject(end.labels) || Object.values(end.labels).some(v => typeof v !== 'string'))) {
    throw new CalicoValidationError(`flow.${role}.labels must map label keys to string values, got ${describeValue(end.labels)}`);
  }
  const podLabels = end.labels !== undefined ? stringLabels(end.labels) : (record?.labels ?? {});
  const serviceAccount = end.serviceAccount ?? record?.serviceAccount ?? 'default';
  const ports = end.namedPorts !== undefined ? readNamedPorts(end.namedPorts, role)
    : record ? record.ports : portsOfMatchingWorkloads(directory, namespace, podLabels);
  ip = ip ?? record?.ip;
  const labelText = Object.entries(podLabels).map(([k, v]) => `${k}=${v}`).join(',');
  const name = record ? `${namespace}/${record.name}` : `${namespace} {${labelText}}`;
  return {
    workload: true,
    description: ip ? `${name} (${ip.text})` : name,
    labels: directory.endpointLabels(namespace, podLabels, serviceAccount),
    ip,
    ports,
  };
}

/** The named ports of the model's workloads in the namespace whose labels include every given label. */
function portsOfMatchingWorkloads(directory: EndpointDirectory, namespace: string, labels: { [key: string]: string }): EndpointPort[] {
  if (!Object.keys(labels).length) return [];
  return directory.workloads
    .filter(w => w.namespace === namespace && !w.hostNetwork && Object.entries(labels).every(([k, v]) => w.labels[k] === v))
    .flatMap(w => w.ports);
}

function readNamedPorts(ports: NamedPortInput[], role: string): EndpointPort[] {
  if (!Array.isArray(ports)) {
    throw new CalicoValidationError(`flow.${role}.namedPorts must be a list such as [{ name: 'http', port: 8080 }], got ${describeValue(ports)}`);
  }
  return ports.map((p, i) => {
    const where = new Where('flow', `${role}.namedPorts[${i}]`);
    if (!isObject(p) || typeof p.name !== 'string' || !p.name) where.fail(`needs a name, got ${describeValue(p)}`);
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) where.at('port').fail(`${describeValue(p.port)} is not a port; use 1 to 65535`);
    return { name: p.name, port: p.port, protocol: readProtocol(p.protocol ?? 'TCP', where.at('protocol'))! };
  });
}

/** Refuses fields the flow does not have, so a misspelt field is not silently ignored. */
function checkFields(value: { [key: string]: any }, known: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key) || value[key] === undefined) continue;
    const hinted = ownValue(FIELD_HINTS, key);
    const hint = hinted ? `did you mean ${hinted}?` : `use ${known.join(', ')}`;
    throw new CalicoValidationError(`${where} has no field ${quote(key)}; ${hint}`);
  }
}

function checkNumber(value: number | undefined, field: string, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw new CalicoValidationError(`flow.${field} ${describeValue(value)} is out of range; use an integer from ${min} to ${max}`);
  }
}

/** The flow as messages name it: `TCP org-1/web -> org-2 {app=api} port 80`. */
export function describeFlow(flow: ResolvedFlow): string {
  const icmp = flow.icmpType !== undefined ? ` type ${flow.icmpType}${flow.icmpCode !== undefined ? ` code ${flow.icmpCode}` : ''}` : '';
  const port = flow.port !== undefined ? ` port ${flow.port}` : '';
  return `${flow.protocolName}${icmp} ${flow.source.description} -> ${flow.destination.description}${port}`;
}

/** A value as JSON for messages (or its text when it has none). */
export function describeValue(value: unknown): string {
  return quoteJson(value);
}
