// Validation of BGPConfiguration and BGPPeer, mirroring libcalico-go's v3 validator (field tags,
// validateBGPConfigurationSpec, validateBGPPeerSpec). Importing this module registers both kinds.
// The AS-number, duration, secret-reference and community checks are shared with node.ts and
// bgp-filter.ts.
import {
  checkNameFormat, checkSelectorField, readArray, readBoolean, readInteger, readObject, readString, readStringList, typeIssue,
} from './common';
import { at, IssueCollector, isObject, q } from './issues';
import { isIgnoredInterface, parseAsNumber, parseCidrOrIp, parseIp, parsePeerIp } from '../net/address';
import { registerKind } from './registry';

/** The log levels BGPConfiguration.logSeverityScreen accepts. */
export const BGP_LOG_LEVELS: readonly string[] = ['Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal'];
/** BGPConfiguration.bindMode values. */
export const BGP_BIND_MODES: readonly string[] = ['None', 'NodeIP'];
/** BGPPeer.sourceAddress values. */
export const BGP_SOURCE_ADDRESSES: readonly string[] = ['UseNodeIP', 'None'];
/** BGPPeer.reversePeering values. */
export const BGP_REVERSE_PEERING: readonly string[] = ['Auto', 'Manual'];

const STANDARD_COMMUNITY = /^(\d+):(\d+)$/;
const LARGE_COMMUNITY = /^(\d+):(\d+):(\d+)$/;

// ---------------------------------------------------------------------------------------------
// Shared field checks
// ---------------------------------------------------------------------------------------------

/** Whether a manifest uses the CRD storage API (crd.projectcalico.org/v1). */
export function isCrdMode(m: Record<string, any>): boolean {
  return m.apiVersion === 'crd.projectcalico.org/v1';
}

/**
 * Checks an optional AS number field (numorstring.ASNumber: an integer 0-4294967295, or a string
 * holding one or the dotted form 'a.b'). In CRD mode the schema only takes an integer.
 * Returns the number, or undefined when absent or invalid.
 */
export function checkAsNumberField(obj: Record<string, any>, key: string, path: string, c: IssueCollector, crdMode: boolean): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  return checkAsNumber(value, at(path, key), key, c, crdMode);
}

/** Checks an optional list of AS numbers (an AS path). */
export function checkAsNumberList(obj: Record<string, any>, key: string, path: string, c: IssueCollector, crdMode: boolean): void {
  readArray(obj, key, path, c)?.forEach((v, i) => checkAsNumber(v, at(at(path, key), i), `${key}[${i}]`, c, crdMode));
}

function checkAsNumber(value: unknown, path: string, label: string, c: IssueCollector, crdMode: boolean): number | undefined {
  const n = parseAsNumber(value);
  if (n === undefined) {
    c.add(path, `${label} ${q(value)} is not an AS number; use an integer from 0 to 4294967295 (for example 64512), or the dotted form 'a.b' with each part from 0 to 65535`);
    return undefined;
  }
  if (crdMode && typeof value === 'string') {
    c.add(path, `${label} ${q(value)} must be an integer in crd.projectcalico.org/v1 (the CRD schema has no string form); write ${n}`);
  }
  return n;
}

// Go's time.ParseDuration: an optionally signed sequence of decimal numbers, each with a unit.
const DURATION_RE = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/**
 * Checks an optional duration field (a Kubernetes metav1.Duration string such as '120s' or
 * '2m30s'). Returns true when a valid duration is present.
 */
export function checkDurationField(obj: Record<string, any>, key: string, path: string, c: IssueCollector): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return false;
  const p = at(path, key);
  if (typeof value !== 'string') {
    c.add(p, `${key} must be a duration string such as '120s' or '2m', got ${q(value)}; quote it and give a unit`);
    return false;
  }
  if (value !== '0' && !DURATION_RE.test(value)) {
    c.add(p, `${key} ${q(value)} is not a duration; write a number with a unit (ns, us, ms, s, m, h), for example '120s' or '2m30s'`);
    return false;
  }
  if (value.startsWith('-')) {
    c.add(p, `${key} ${q(value)} is negative; use a positive duration such as '120s'`);
    return false;
  }
  return true;
}

/**
 * Checks an optional BGP password (`{secretKeyRef: {name, key}}`): a reference to a key of a
 * Secret in calico-node's namespace. Returns true when a password is present.
 */
export function checkBgpPassword(obj: Record<string, any>, key: string, path: string, c: IssueCollector): boolean {
  const password = readObject(obj, key, path, c);
  if (!password) return false;
  const p = at(path, key);
  const ref = readObject(password, 'secretKeyRef', p, c);
  if (!ref) {
    if (password.secretKeyRef === undefined || password.secretKeyRef === null) {
      c.add(p, `${key} has no secretKeyRef; set secretKeyRef.name and secretKeyRef.key to a Secret key, or remove ${key}`);
    }
    return true;
  }
  const refPath = at(p, 'secretKeyRef');
  readString(ref, 'name', refPath, c);
  readString(ref, 'key', refPath, c);
  readBoolean(ref, 'optional', refPath, c);
  if (isAbsent(ref.name)) {
    c.add(at(refPath, 'name'), 'secretKeyRef.name is required; set it to the name of the Secret holding the password (in calico-node\'s namespace)');
  }
  if (isAbsent(ref.key)) {
    c.add(at(refPath, 'key'), 'secretKeyRef.key is required; set it to the key of the password inside the Secret');
  }
  return true;
}

/** Checks an optional enum-valued string field with a case-sensitivity hint. */
export function checkEnumField(obj: Record<string, any>, key: string, path: string, c: IssueCollector, allowed: readonly string[], what: string): string | undefined {
  const value = readString(obj, key, path, c);
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value)) {
    const fixed = allowed.find(a => a.toLowerCase() === value.toLowerCase());
    const fix = fixed ? `write '${fixed}' (${what} values are case-sensitive)` : `use one of ${allowed.map(a => `'${a}'`).join(', ')}`;
    c.add(at(path, key), `${key} ${q(value)} is not a valid ${what}; ${fix}`);
    return undefined;
  }
  return value;
}

/** Whether a field is missing, null or the empty string (Go's zero value for a string). */
export function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** Reads the spec of a kind whose spec fields are all optional. */
export function optionalSpec(m: Record<string, any>, c: IssueCollector): Record<string, any> | undefined {
  const spec = m.spec;
  if (spec === undefined || spec === null) return undefined;
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return undefined;
  }
  return spec;
}

/** Reads a list of objects; reports non-object entries. */
export function readObjectList(obj: Record<string, any>, key: string, path: string, c: IssueCollector): Array<{ value: Record<string, any>; path: string }> {
  const list = readArray(obj, key, path, c);
  const out: Array<{ value: Record<string, any>; path: string }> = [];
  list?.forEach((v, i) => {
    const p = at(at(path, key), i);
    if (isObject(v)) {
      out.push({ value: v, path: p });
    } else {
      typeIssue(c, p, 'an object', v);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// BGPConfiguration
// ---------------------------------------------------------------------------------------------

/** Validates a BGPConfiguration manifest (spec only). */
export function validateBgpConfiguration(m: Record<string, any>, c: IssueCollector): void {
  const spec = optionalSpec(m, c);
  if (!spec) return;

  checkEnumField(spec, 'logSeverityScreen', 'spec', c, BGP_LOG_LEVELS, 'log level');
  const meshEnabled = readBoolean(spec, 'nodeToNodeMeshEnabled', 'spec', c);
  checkAsNumberField(spec, 'asNumber', 'spec', c, isCrdMode(m));

  for (const key of ['serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs']) {
    for (const block of readObjectList(spec, key, 'spec', c)) {
      const cidr = readString(block.value, 'cidr', block.path, c);
      if (cidr) checkNetwork(cidr, at(block.path, 'cidr'), c, `${key} cidr`);
    }
  }

  const port = readInteger(spec, 'listenPort', 'spec', c);
  if (port !== undefined && (port < 1 || port > 65535)) {
    c.add('spec.listenPort', `listenPort ${port} is not a TCP port; use a value from 1 to 65535 (BGP's default is 179)`);
  }

  const hasPassword = checkBgpPassword(spec, 'nodeMeshPassword', 'spec', c);
  const hasRestartTime = spec.nodeMeshMaxRestartTime !== undefined && spec.nodeMeshMaxRestartTime !== null;
  checkDurationField(spec, 'nodeMeshMaxRestartTime', 'spec', c);
  if (meshEnabled === false && hasPassword) {
    c.add('spec.nodeMeshPassword', 'nodeMeshPassword is set while nodeToNodeMeshEnabled is false; the password applies to the node-to-node mesh only, so remove it or enable the mesh');
  }
  if (meshEnabled === false && hasRestartTime) {
    c.add('spec.nodeMeshMaxRestartTime', 'nodeMeshMaxRestartTime is set while nodeToNodeMeshEnabled is false; it applies to the node-to-node mesh only, so remove it or enable the mesh');
  }

  checkEnumField(spec, 'bindMode', 'spec', c, BGP_BIND_MODES, 'bind mode');

  for (const { value, path } of readStringList(spec, 'ignoredInterfaces', 'spec', c) ?? []) {
    if (!isIgnoredInterface(value)) {
      const fix = value === '*' ? 'a bare \'*\' would ignore every interface; name interfaces, optionally with \'*\' wildcards such as \'cali*\''
        : 'use 1-15 letters, digits, \'_\', \'.\', \'-\' or \'*\' wildcards, for example \'eth1\' or \'cali*\'';
      c.add(path, `ignoredInterfaces entry ${q(value)} is not a valid interface name; ${fix}`);
    }
  }

  checkCommunities(spec, c);
  checkAddressField(spec, 'localWorkloadPeeringIPV4', 4, c);
  checkAddressField(spec, 'localWorkloadPeeringIPV6', 6, c);
}

/** An optional address of one IP family ('ipv4', 'ipv6' tags). */
function checkAddressField(spec: Record<string, any>, key: string, version: 4 | 6, c: IssueCollector): void {
  const value = readString(spec, key, 'spec', c);
  if (!value) return;
  const ip = parseIp(value);
  if (!ip || ip.version !== version) {
    c.add(at('spec', key), `${key} ${q(value)} is not an IPv${version} address; write one address such as '${version === 4 ? '169.254.0.179' : 'fe80::179'}'`);
  }
}

/** Checks a CIDR-or-address field that Calico requires to be strictly masked ('net'). */
function checkNetwork(value: string, path: string, c: IssueCollector, field: string): void {
  const cidr = parseCidrOrIp(value);
  if (!cidr) {
    c.add(path, `${field} ${q(value)} is not a valid CIDR or IP address; write it as 'a.b.c.d/n', 'x::/n' or a single address`);
  } else if (!cidr.strict) {
    c.add(path, `${field} ${q(value)} has host bits set; use the network address ${q(cidr.text)}`);
  }
}

/** Whether a community value is well formed; reports parts that are out of range. */
export function checkCommunityValue(value: string, path: string, c: IssueCollector, field: string): boolean {
  const standard = STANDARD_COMMUNITY.exec(value);
  const large = standard ? null : LARGE_COMMUNITY.exec(value);
  if (!standard && !large) return false;
  const parts = (standard ?? large)!.slice(1);
  const max = standard ? 65535 : 4294967295;
  if (parts.some(part => Number(part) > max)) {
    const form = standard ? 'a standard community \'aa:nn\' takes two 16-bit numbers (0-65535)' : 'a large community \'aa:nn:mm\' takes three 32-bit numbers (0-4294967295)';
    c.add(path, `${field} ${q(value)} is out of range: ${form}`);
  }
  return true;
}

function checkCommunities(spec: Record<string, any>, c: IssueCollector): void {
  const communities = readObjectList(spec, 'communities', 'spec', c);
  const names = new Set<string>();
  for (const { value: community, path } of communities) {
    const name = readString(community, 'name', path, c);
    const value = readString(community, 'value', path, c);
    if (isAbsent(community.name)) {
      c.add(at(path, 'name'), 'community name is required; give the community a lower-case name such as \'no-export\' to use in prefixAdvertisements');
    } else if (name && checkNameFormat(name, at(path, 'name'), c, 'community name')) {
      names.add(name);
    }
    if (isAbsent(community.value)) {
      c.add(at(path, 'value'), 'community value is required; write \'aa:nn\' (standard) or \'aa:nn:mm\' (large), for example \'65001:100\'');
    } else if (value && !checkCommunityValue(value, at(path, 'value'), c, 'community value')) {
      c.add(at(path, 'value'), `community value ${q(value)} is not a BGP community; write 'aa:nn' (standard, 16-bit parts) or 'aa:nn:mm' (large, 32-bit parts)`);
    }
  }

  const advertisements = readObjectList(spec, 'prefixAdvertisements', 'spec', c);
  if (communities.length > 0 && advertisements.length === 0) {
    c.add('spec.communities', 'communities are defined but no prefixAdvertisements use them; add prefixAdvertisements that reference them, or remove communities');
  }
  for (const { value: ad, path } of advertisements) {
    const cidr = readString(ad, 'cidr', path, c);
    if (isAbsent(ad.cidr)) {
      c.add(at(path, 'cidr'), 'prefixAdvertisements cidr is required; set the prefix to tag, for example \'192.168.10.0/28\'');
    } else if (cidr) {
      checkNetwork(cidr, at(path, 'cidr'), c, 'prefixAdvertisements cidr');
    }
    if (ad.communities === undefined || ad.communities === null) {
      c.add(at(path, 'communities'), 'prefixAdvertisements communities is required; list community values (\'aa:nn\', \'aa:nn:mm\') or names defined in spec.communities');
    }
    for (const { value, path: p } of readStringList(ad, 'communities', path, c) ?? []) {
      if (!checkCommunityValue(value, p, c, 'community') && !names.has(value)) {
        c.add(p, `community ${q(value)} is neither a community value ('aa:nn' or 'aa:nn:mm') nor a name defined in spec.communities; define it there or write the value`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// BGPPeer
// ---------------------------------------------------------------------------------------------

/** Validates a BGPPeer manifest (spec only). */
export function validateBgpPeer(m: Record<string, any>, c: IssueCollector): void {
  const spec = optionalSpec(m, c);
  if (!spec) return;

  const node = readString(spec, 'node', 'spec', c);
  if (node) checkNameFormat(node, 'spec.node', c, 'node');
  const nodeSelector = checkSelectorField(spec, 'nodeSelector', 'spec', c);
  const peerSelector = checkSelectorField(spec, 'peerSelector', 'spec', c);

  const peerIpText = readString(spec, 'peerIP', 'spec', c);
  const peer = peerIpText ? parsePeerIp(peerIpText) : undefined;
  if (peerIpText && !peer) {
    c.add('spec.peerIP', `peerIP ${q(peerIpText)} is not a valid peer address; write an IP ('10.0.0.1', 'fd00::1'), an IPv4 address with a port ('10.0.0.1:179') or a bracketed IPv6 address with a port ('[fd00::1]:179'), ports 1-65535`);
  }
  const asNumber = checkAsNumberField(spec, 'asNumber', 'spec', c, isCrdMode(m));
  checkAsNumberField(spec, 'localASNumber', 'spec', c, isCrdMode(m));
  const localWorkloadSelector = checkSelectorField(spec, 'localWorkloadSelector', 'spec', c);

  if (node && nodeSelector) {
    c.add('spec.node', `node ${q(node)} and nodeSelector are both set; use node for one node or nodeSelector for a set of nodes, not both`);
  }
  if (peerIpText && peerSelector) {
    c.add('spec.peerIP', `peerIP ${q(peerIpText)} and peerSelector are both set; peer either with one address (peerIP and asNumber) or with the Calico nodes that peerSelector selects`);
  }
  if (asNumber !== undefined && asNumber !== 0 && peerSelector) {
    c.add('spec.asNumber', `asNumber ${q(spec.asNumber)} is set together with peerSelector; selected nodes use their own AS numbers, so remove asNumber`);
  }

  if (localWorkloadSelector) checkLocalWorkloadPeer(spec, localWorkloadSelector, asNumber, c);

  const keepOriginalNextHop = readBoolean(spec, 'keepOriginalNextHop', 'spec', c);
  if (keepOriginalNextHop === true && !isAbsent(spec.nextHopMode)) {
    c.add('spec.keepOriginalNextHop', `keepOriginalNextHop is deprecated and cannot be true while nextHopMode ${q(spec.nextHopMode)} is set; remove it (nextHopMode 'Keep' does the same)`);
  }
  checkBgpPassword(spec, 'password', 'spec', c);
  checkEnumField(spec, 'sourceAddress', 'spec', c, BGP_SOURCE_ADDRESSES, 'source address mode');
  checkEnumField(spec, 'reversePeering', 'spec', c, BGP_REVERSE_PEERING, 'reverse peering mode');
  checkDurationField(spec, 'maxRestartTime', 'spec', c);
  checkDurationField(spec, 'keepaliveTime', 'spec', c);

  const allowed = readInteger(spec, 'numAllowedLocalASNumbers', 'spec', c);
  if (allowed !== undefined && (allowed < 0 || allowed > 2147483647)) {
    c.add('spec.numAllowedLocalASNumbers', `numAllowedLocalASNumbers ${allowed} is out of range; use a small non-negative count such as 1 (it relaxes BGP loop prevention)`);
  }
  const ttl = readInteger(spec, 'ttlSecurity', 'spec', c);
  if (ttl !== undefined && (ttl < 0 || ttl > 255)) {
    c.add('spec.ttlSecurity', `ttlSecurity ${ttl} is out of range; use a hop count from 0 to 255 (1 for a directly connected peer)`);
  }

  const reachableBy = readString(spec, 'reachableBy', 'spec', c);
  if (reachableBy) {
    const gateway = parseIp(reachableBy);
    if (!gateway) {
      c.add('spec.reachableBy', `reachableBy ${q(reachableBy)} is not an IP address; set it to the address of the gateway that reaches the peer, for example '10.0.0.1'`);
    } else if (!peerIpText) {
      c.add('spec.reachableBy', `reachableBy ${q(reachableBy)} needs peerIP; set peerIP to the peer's address or remove reachableBy`);
    } else if (peer && peer.ip.version !== gateway.version) {
      c.add('spec.reachableBy', `reachableBy ${q(reachableBy)} is IPv${gateway.version} but peerIP ${q(peerIpText)} is IPv${peer.ip.version}; use a gateway of the same family`);
    }
  }

  for (const { value, path } of readStringList(spec, 'filters', 'spec', c) ?? []) {
    checkNameFormat(value, path, c, 'filters entry (a BGPFilter name)');
  }
}

/** A peering with workloads of the node (localWorkloadSelector): no peerIP or peerSelector, and an AS number. */
function checkLocalWorkloadPeer(spec: Record<string, any>, selector: string, asNumber: number | undefined, c: IssueCollector): void {
  for (const key of ['peerIP', 'peerSelector']) {
    if (!isAbsent(spec[key])) {
      c.add(at('spec', key), `${key} ${q(spec[key])} cannot be set together with localWorkloadSelector, which selects the peers itself; remove ${key}`);
    }
  }
  if (asNumber === undefined || asNumber === 0) {
    if (isAbsent(spec.asNumber) || asNumber === 0) {
      c.add('spec.asNumber', `asNumber is required with localWorkloadSelector ${q(selector)}: it is the AS number of the selected workloads; set it, e.g. 65001`);
    }
  }
}

registerKind('BGPConfiguration', validateBgpConfiguration);
registerKind('BGPPeer', validateBgpPeer);
