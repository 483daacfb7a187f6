// Validation of the Calico Node resource: libcalico-go's NodeSpec and NodeStatus with their field
// validators and validateNodeSpec (lib/apis/v3 on v3.31.7, lib/apis/internalapi on v3.32.1; the
// types, tags and checks are the same on both lines, so one set of checks serves both; v3.31
// added `interfaces` since v3.28): BGP addresses, AS number, route-reflector cluster ID, tunnel
// addresses, VXLAN MACs, WireGuard fields, addresses, interfaces and orchestrator references. Node
// has no CRD in Kubernetes-datastore mode: it is backed by the Kubernetes Node. Importing this
// module registers the kind.
import { checkAsNumberField } from './bgp';
import { checkKnownFields, checkNameFormat, readArray, readObject, readString, readStringList, typeIssue } from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { parseCidrOrIp, parseIp } from '../net/address';
import { registerKind } from './registry';

/** Spec fields of a Calico Node. */
export const NODE_SPEC_FIELDS: readonly string[] = [
  'bgp', 'ipv4VXLANTunnelAddr', 'vxlanTunnelMACAddr', 'ipv6VXLANTunnelAddr', 'vxlanTunnelMACAddrV6',
  'orchRefs', 'wireguard', 'addresses', 'interfaces',
];
/** Fields of a Node's spec.bgp. */
export const NODE_BGP_FIELDS: readonly string[] = ['asNumber', 'ipv4Address', 'ipv6Address', 'ipv4IPIPTunnelAddr', 'routeReflectorClusterID'];
/** Status fields of a Calico Node. */
export const NODE_STATUS_FIELDS: readonly string[] = ['wireguardPublicKey', 'wireguardPublicKeyV6', 'podCIDRs'];
/** The node address types Calico knows. */
export const NODE_ADDRESS_TYPES: readonly string[] = ['CalicoNodeIP', 'InternalIP', 'ExternalIP'];

const WIREGUARD_FIELDS: readonly string[] = ['interfaceIPv4Address', 'interfaceIPv6Address'];
const ORCH_REF_FIELDS: readonly string[] = ['nodeName', 'orchestrator'];
const ADDRESS_FIELDS: readonly string[] = ['address', 'type'];
const INTERFACE_FIELDS: readonly string[] = ['name', 'addresses'];

/** A WireGuard public key: base64 of 32 bytes. */
const WIREGUARD_KEY_RE = /^[A-Za-z0-9+/]{43}=$/;

/** Validates a Calico Node manifest (spec and status). */
export function validateNode(m: Record<string, any>, c: IssueCollector): void {
  if (m.apiVersion === 'crd.projectcalico.org/v1') {
    c.add('apiVersion', 'Node has no crd.projectcalico.org/v1 CRD: in Kubernetes-datastore mode it is backed by the Kubernetes Node; use apiVersion \'projectcalico.org/v3\' (calicoctl) or set the Kubernetes node\'s annotations');
  }
  const spec = m.spec;
  if (spec !== undefined && spec !== null) {
    if (isObject(spec)) {
      checkSpec(spec, c);
    } else {
      typeIssue(c, 'spec', 'an object', spec);
    }
  }
  const status = m.status;
  if (status !== undefined && status !== null) {
    if (isObject(status)) {
      checkStatus(status, c);
    } else {
      typeIssue(c, 'status', 'an object', status);
    }
  }
}

function checkSpec(spec: Record<string, any>, c: IssueCollector): void {
  checkKnownFields(spec, NODE_SPEC_FIELDS, 'spec', c, 'a Node spec');
  const bgp = readObject(spec, 'bgp', 'spec', c);
  if (bgp) checkBgp(bgp, c);

  checkAddress(spec, 'ipv4VXLANTunnelAddr', 'spec', 4, c);
  checkAddress(spec, 'ipv6VXLANTunnelAddr', 'spec', 6, c);
  checkMac(spec, 'vxlanTunnelMACAddr', 'spec', c);
  checkMac(spec, 'vxlanTunnelMACAddrV6', 'spec', c);

  const wireguard = readObject(spec, 'wireguard', 'spec', c);
  if (wireguard) {
    checkKnownFields(wireguard, WIREGUARD_FIELDS, 'spec.wireguard', c, 'a Node wireguard spec');
    checkAddress(wireguard, 'interfaceIPv4Address', 'spec.wireguard', 4, c);
    checkAddress(wireguard, 'interfaceIPv6Address', 'spec.wireguard', 6, c);
  }

  forEachObject(spec, 'orchRefs', c, (ref, path) => {
    checkKnownFields(ref, ORCH_REF_FIELDS, path, c, 'an orchRef');
    readString(ref, 'nodeName', path, c);
    readString(ref, 'orchestrator', path, c);
  });

  forEachObject(spec, 'addresses', c, (address, path) => {
    checkKnownFields(address, ADDRESS_FIELDS, path, c, 'a node address');
    const value = readString(address, 'address', path, c);
    if (value === '' || address.address === undefined || address.address === null) {
      c.add(at(path, 'address'), 'address is required; set the node address, for example \'10.0.0.5\' or \'10.0.0.0/24\'');
    } else if (value !== undefined) {
      const cidr = parseCidrOrIp(value);
      if (!cidr) {
        c.add(at(path, 'address'), `address ${q(value)} is not an IP address or CIDR; write it like '10.0.0.5' or '10.0.0.0/24'`);
      } else if (!cidr.strict) {
        c.add(at(path, 'address'), `address ${q(value)} has host bits set; write the address alone (${q(cidr.address.text)}) or the network ${q(cidr.text)}`);
      }
    }
    const type = readString(address, 'type', path, c);
    if (type && !NODE_ADDRESS_TYPES.includes(type)) {
      c.add(at(path, 'type'), `address type ${q(type)} is not known; use one of ${NODE_ADDRESS_TYPES.join(', ')}`);
    }
  });

  forEachObject(spec, 'interfaces', c, (iface, path) => {
    checkKnownFields(iface, INTERFACE_FIELDS, path, c, 'a node interface');
    const name = readString(iface, 'name', path, c);
    if (name) checkNameFormat(name, at(path, 'name'), c, 'interface name');
    readStringList(iface, 'addresses', path, c);
  });
}

function checkBgp(bgp: Record<string, any>, c: IssueCollector): void {
  const path = 'spec.bgp';
  checkKnownFields(bgp, NODE_BGP_FIELDS, path, c, 'a Node bgp spec');
  const empty = NODE_BGP_FIELDS.every(k => bgp[k] === undefined || bgp[k] === null || bgp[k] === '');
  if (empty) {
    c.add(path, 'bgp is empty; set at least ipv4Address or ipv6Address (the node\'s BGP address with its subnet, for example \'10.0.0.5/24\'), or remove bgp');
    return;
  }
  checkAsNumberField(bgp, 'asNumber', path, c, false);
  checkNodeCidr(bgp, 'ipv4Address', 4, c);
  checkNodeCidr(bgp, 'ipv6Address', 6, c);
  checkAddress(bgp, 'ipv4IPIPTunnelAddr', path, 4, c);
  const clusterId = readString(bgp, 'routeReflectorClusterID', path, c);
  if (clusterId) {
    const ip = parseIp(clusterId);
    if (!ip || ip.version !== 4) {
      c.add(at(path, 'routeReflectorClusterID'), `routeReflectorClusterID ${q(clusterId)} must be written as an IPv4 address (any 32-bit value, for example '244.0.0.1'); it is an identifier, not a reachable address`);
    }
  }
}

/** spec.bgp.ipv4Address / ipv6Address: the node's address with its subnet ('10.0.0.5/24'), or a bare address. */
function checkNodeCidr(bgp: Record<string, any>, key: string, version: 4 | 6, c: IssueCollector): void {
  const value = readString(bgp, key, 'spec.bgp', c);
  if (!value) return;
  const path = at('spec.bgp', key);
  const example = version === 4 ? '10.0.0.5/24' : 'fd00::5/64';
  const cidr = parseCidrOrIp(value);
  if (!cidr) {
    c.add(path, `${key} ${q(value)} is not an IPv${version} address; write the node's address with its subnet, for example '${example}'`);
  } else if (cidr.address.version !== version) {
    c.add(path, `${key} ${q(value)} is an IPv${cidr.address.version} address; ${key} takes IPv${version}, for example '${example}'${version === 4 ? ' (put IPv6 addresses in ipv6Address)' : ' (put IPv4 addresses in ipv4Address)'}`);
  }
}

/** A plain address of one family (Go net.ParseIP; IPv4-mapped IPv6 counts as IPv4). */
function checkAddress(obj: Record<string, any>, key: string, path: string, version: 4 | 6, c: IssueCollector): void {
  const value = readString(obj, key, path, c);
  if (!value) return;
  const ip = parseIp(value);
  const example = version === 4 ? '10.0.0.1' : 'fd00::1';
  if (!ip) {
    const hint = value.includes('/') ? ' without a prefix length' : '';
    c.add(at(path, key), `${key} ${q(value)} is not an IP address; write a single IPv${version} address${hint}, for example '${example}'`);
  } else if (ip.version !== version) {
    c.add(at(path, key), `${key} ${q(value)} is an IPv${ip.version} address; ${key} takes IPv${version}, for example '${example}'`);
  }
}

/** A MAC address as Go's net.ParseMAC reads it (6, 8 or 20 bytes; ':'/'-' pairs or '.' quads). */
export function isMacAddress(s: string): boolean {
  const pairs = /^[0-9a-fA-F]{2}([:-])/.exec(s);
  if (pairs) {
    const groups = s.split(pairs[1]);
    return [6, 8, 20].includes(groups.length) && groups.every(g => /^[0-9a-fA-F]{2}$/.test(g));
  }
  const quads = s.split('.');
  return [3, 4, 10].includes(quads.length) && quads.every(g => /^[0-9a-fA-F]{4}$/.test(g));
}

function checkMac(obj: Record<string, any>, key: string, path: string, c: IssueCollector): void {
  const value = readString(obj, key, path, c);
  if (value && !isMacAddress(value)) {
    c.add(at(path, key), `${key} ${q(value)} is not a MAC address; write six hex pairs such as '66:d7:3a:1f:00:01'`);
  }
}

function checkStatus(status: Record<string, any>, c: IssueCollector): void {
  checkKnownFields(status, NODE_STATUS_FIELDS, 'status', c, 'a Node status');
  for (const key of ['wireguardPublicKey', 'wireguardPublicKeyV6']) {
    const value = readString(status, key, 'status', c);
    if (value && !WIREGUARD_KEY_RE.test(value)) {
      c.add(at('status', key), `${key} ${q(value)} is not a WireGuard public key; use the 44-character base64 key that 'wg pubkey' prints`);
    }
  }
  readStringList(status, 'podCIDRs', 'status', c);
}

function forEachObject(obj: Record<string, any>, key: string, c: IssueCollector, fn: (value: Record<string, any>, path: string) => void): void {
  readArray(obj, key, 'spec', c)?.forEach((v, i) => {
    const path = at(at('spec', key), i);
    if (isObject(v)) {
      fn(v, path);
    } else {
      typeIssue(c, path, 'an object', v);
    }
  });
}

registerKind('Node', validateNode);
