// Validation of HostEndpoint: the node, the interface name or expected IPs,
// profiles and named ports. Importing this module registers the kind.
import {
  checkNameFormat, checkProtocol, portNameProblems, PROTOCOL_NAMES, protocolSupportsPorts,
  readArray, readString, readStringList, typeIssue,
} from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { parseIp } from '../net/address';
import { registerKind } from './registry';

/** A Linux interface name as Calico accepts it: 1-15 characters of letters, digits, '_', '.', '-'. */
const INTERFACE_NAME_RE = /^[a-zA-Z0-9_.-]{1,15}$/;

registerKind('HostEndpoint', validateHostEndpoint);

function validateHostEndpoint(m: Record<string, any>, c: IssueCollector): void {
  let spec: Record<string, any> = {};
  if (m.spec !== undefined && m.spec !== null) {
    if (!isObject(m.spec)) {
      typeIssue(c, 'spec', 'an object', m.spec);
      return;
    }
    spec = m.spec;
  }
  const path = 'spec';

  const node = readString(spec, 'node', path, c);
  if (node === undefined || node === '') {
    if (spec.node === undefined || spec.node === null || spec.node === '') {
      c.add(at(path, 'node'), 'node is required: name the Calico node (usually the Kubernetes node name) that owns this host endpoint');
    }
  } else {
    checkNameFormat(node, at(path, 'node'), c, 'node');
  }

  const interfaceName = readString(spec, 'interfaceName', path, c) ?? '';
  if (interfaceName !== '' && interfaceName !== '*' && !INTERFACE_NAME_RE.test(interfaceName)) {
    c.add(at(path, 'interfaceName'), `interfaceName ${q(interfaceName)} is not a valid interface name; use '*' for all interfaces or a name of 1-15 letters, digits, '_', '.' or '-' (for example 'eth0')`);
  }

  const expectedIPs = readStringList(spec, 'expectedIPs', path, c) ?? [];
  for (const ip of expectedIPs) {
    if (parseIp(ip.value) === undefined) {
      c.add(ip.path, `expectedIPs entry ${q(ip.value)} is not an IP address; write a single address such as '10.0.0.5' or 'fd00::5' (no prefix length)`);
    }
  }
  const expectedCount = Array.isArray(spec.expectedIPs) ? spec.expectedIPs.length : 0;
  if (interfaceName === '' && expectedCount === 0 && !(spec.interfaceName !== undefined && spec.interfaceName !== null && typeof spec.interfaceName !== 'string')) {
    c.add(at(path, 'interfaceName'), 'a host endpoint needs interfaceName or expectedIPs; set interfaceName (for example \'eth0\', or \'*\' for all interfaces) or list the host\'s IPs in expectedIPs');
  }

  for (const profile of readStringList(spec, 'profiles', path, c) ?? []) {
    checkNameFormat(profile.value, profile.path, c, 'profile');
  }

  const ports = readArray(spec, 'ports', path, c) ?? [];
  ports.forEach((port, i) => checkEndpointPort(port, at(at(path, 'ports'), i), c));
}

function checkEndpointPort(port: unknown, path: string, c: IssueCollector): void {
  if (!isObject(port)) {
    typeIssue(c, path, 'an object with name, protocol and port', port);
    return;
  }

  const name = readString(port, 'name', path, c);
  if (name === undefined || name === '') {
    if (port.name === undefined || port.name === null || port.name === '') {
      c.add(at(path, 'name'), 'name is required: policies refer to host endpoint ports by name; set a name such as \'http\'');
    }
  } else {
    const problems = portNameProblems(name);
    if (problems.length > 0) c.add(at(path, 'name'), `port name ${q(name)} is invalid: ${problems.join('; ')}`);
  }

  const protocolPath = at(path, 'protocol');
  if (port.protocol === undefined || port.protocol === null || port.protocol === '') {
    c.add(protocolPath, 'protocol is required; set TCP, UDP or SCTP');
  } else {
    const protocol = checkProtocol(port.protocol, protocolPath, c);
    if (protocol && !protocolSupportsPorts(protocol) && protocol.number !== 0 && (protocol.name === undefined || PROTOCOL_NAMES.includes(protocol.name))) {
      c.add(protocolPath, `protocol ${q(port.protocol)} has no ports; a host endpoint port must use TCP, UDP or SCTP`);
    }
  }

  const portPath = at(path, 'port');
  const value = port.port;
  if (value === undefined || value === null) {
    c.add(portPath, 'port is required; set the port number, from 1 to 65535');
  } else if (typeof value !== 'number' || !Number.isInteger(value)) {
    typeIssue(c, portPath, 'an integer from 1 to 65535', value);
  } else if (value < 1 || value > 65535) {
    c.add(portPath, `port ${value} is out of range; use a port number from 1 to 65535`);
  }
}
