// Validation of BGPFilter, mirroring libcalico-go's v3 validator (the rule fields' tags,
// validateBGPFilterRule, validateBGPFilterOperation) and the rule-level CEL rules of the v3.32 CRD.
// The match fields and route operations of v3.32 (peerType, communities, asPathPrefix, priority,
// operations) exist on that line only; on v3.31 the field-name pass reports them. Importing this
// module registers the kind.
import { checkAsNumberList, checkCommunityValue, checkEnumField, isAbsent, isCrdMode, optionalSpec, readObjectList } from './bgp';
import { readInteger, readObject, readString, readStringList } from './common';
import { at, IssueCollector, q } from './issues';
import { isBgpFilterInterface, parseCidrOrIp } from '../net/address';
import { registerKind } from './registry';

/** The rule lists of a BGPFilter and the IP version of each. */
export const BGP_FILTER_RULE_LISTS: ReadonlyArray<readonly [string, 4 | 6]> = [['exportV4', 4], ['importV4', 4], ['exportV6', 6], ['importV6', 6]];
/** BGPFilter rule actions. */
export const BGP_FILTER_ACTIONS: readonly string[] = ['Accept', 'Reject'];
/** BGPFilter rule match operators. */
export const BGP_FILTER_MATCH_OPERATORS: readonly string[] = ['Equal', 'NotEqual', 'In', 'NotIn'];
/** BGPFilter rule sources. */
export const BGP_FILTER_SOURCES: readonly string[] = ['RemotePeers'];
/** The operations of a BGPFilter rule (v3.32); each entry sets exactly one. */
export const BGP_FILTER_OPERATIONS: readonly string[] = ['addCommunity', 'prependASPath', 'setPriority'];

/** Validates a BGPFilter manifest (spec only). */
export function validateBgpFilter(m: Record<string, any>, c: IssueCollector): void {
  const spec = optionalSpec(m, c);
  if (!spec) return;
  for (const [key, version] of BGP_FILTER_RULE_LISTS) {
    for (const rule of readObjectList(spec, key, 'spec', c)) {
      checkFilterRule(rule.value, rule.path, version, isCrdMode(m), c);
    }
  }
}

function checkFilterRule(rule: Record<string, any>, path: string, version: 4 | 6, crdMode: boolean, c: IssueCollector): void {
  const action = isAbsent(rule.action) ? undefined : checkEnumField(rule, 'action', path, c, BGP_FILTER_ACTIONS, 'filter action');
  if (isAbsent(rule.action)) c.add(at(path, 'action'), 'action is required; use \'Accept\' or \'Reject\'');
  const cidr = readString(rule, 'cidr', path, c);
  if (cidr) checkRuleCidr(cidr, at(path, 'cidr'), version, c);
  const operator = checkEnumField(rule, 'matchOperator', path, c, BGP_FILTER_MATCH_OPERATORS, 'match operator');
  const hasOperator = typeof rule.matchOperator === 'string' && rule.matchOperator !== '';
  if (cidr && !hasOperator) {
    c.add(at(path, 'matchOperator'), `cidr ${q(cidr)} is set without matchOperator; add matchOperator ('Equal', 'NotEqual', 'In' or 'NotIn')`);
  }
  if (!cidr && hasOperator) {
    c.add(at(path, 'cidr'), `matchOperator ${q(operator ?? rule.matchOperator)} is set without cidr; add the cidr to compare routes with, or remove matchOperator`);
  }
  checkEnumField(rule, 'source', path, c, BGP_FILTER_SOURCES, 'route source');
  const iface = readString(rule, 'interface', path, c);
  if (iface && !isBgpFilterInterface(iface)) {
    c.add(at(path, 'interface'), `interface ${q(iface)} is not a valid interface name; use 1-15 letters, digits, '_', '.', '-' or '*' wildcards, for example 'eth0' or 'cali*'`);
  }
  checkPrefixLength(rule, path, version, !!cidr, c);
  checkCommunityMatch(rule, path, c);
  checkAsNumberList(rule, 'asPathPrefix', path, c, crdMode);
  const operations = readObjectList(rule, 'operations', path, c);
  operations.forEach(op => checkOperation(op.value, op.path, crdMode, c));
  if (operations.length > 0 && action === 'Reject') {
    c.add(at(path, 'operations'), 'operations change the routes a rule accepts, so a Reject rule cannot have them; set action: Accept or remove operations');
  }
}

function checkRuleCidr(cidr: string, path: string, version: 4 | 6, c: IssueCollector): void {
  const parsed = parseCidrOrIp(cidr);
  const example = version === 4 ? '10.0.0.0/8' : 'fd00::/8';
  if (!parsed) {
    c.add(path, `cidr ${q(cidr)} is not a valid IPv${version} CIDR; write it like '${example}'`);
  } else if (parsed.version !== version) {
    c.add(path, `cidr ${q(cidr)} is IPv${parsed.version} in an IPv${version} rule list; move the rule to the ${version === 4 ? 'V6' : 'V4'} list or use an IPv${version} CIDR like '${example}'`);
  } else if (!parsed.strict) {
    c.add(path, `cidr ${q(cidr)} has host bits set; use the network address ${q(parsed.text)}`);
  }
}

function checkPrefixLength(rule: Record<string, any>, path: string, version: 4 | 6, hasCidr: boolean, c: IssueCollector): void {
  const prefixLength = readObject(rule, 'prefixLength', path, c);
  if (!prefixLength) return;
  const p = at(path, 'prefixLength');
  if (!hasCidr) {
    c.add(p, 'prefixLength is set without cidr; add the cidr whose sub-prefixes it limits, or remove prefixLength');
  }
  const bits = version === 4 ? 32 : 128;
  const bounds: Record<string, number | undefined> = {};
  for (const key of ['min', 'max']) {
    const v = readInteger(prefixLength, key, p, c);
    if (v !== undefined && (v < 0 || v > bits)) {
      c.add(at(p, key), `prefixLength ${key} ${v} is out of range for IPv${version}; use a value from 0 to ${bits}`);
    } else {
      bounds[key] = v;
    }
  }
  if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) {
    c.add(p, `prefixLength min ${bounds.min} is above max ${bounds.max}; swap them`);
  }
}

/** communities: `{values: [one community]}` (v3.32). */
function checkCommunityMatch(rule: Record<string, any>, path: string, c: IssueCollector): void {
  const match = readObject(rule, 'communities', path, c);
  if (!match) return;
  const p = at(path, 'communities');
  if (match.values === undefined || match.values === null) {
    c.add(at(p, 'values'), 'communities.values is required; list the community to match, e.g. [\'65001:100\']');
  }
  for (const { value, path: vp } of readStringList(match, 'values', p, c) ?? []) checkCommunity(value, vp, c);
}

function checkCommunity(value: string, path: string, c: IssueCollector): void {
  if (!checkCommunityValue(value, path, c, 'community')) {
    c.add(path, `community ${q(value)} is not a BGP community; write 'aa:nn' (standard, 16-bit parts) or 'aa:nn:mm' (large, 32-bit parts)`);
  }
}

/** One entry of operations: exactly one of addCommunity, prependASPath, setPriority, each with its value. */
function checkOperation(op: Record<string, any>, path: string, crdMode: boolean, c: IssueCollector): void {
  const set = BGP_FILTER_OPERATIONS.filter(k => op[k] !== undefined && op[k] !== null);
  if (set.length !== 1) {
    const have = set.length === 0 ? 'sets none' : `sets ${set.join(' and ')}`;
    c.add(path, `an operation ${have}; each entry of operations sets exactly one of ${BGP_FILTER_OPERATIONS.join(', ')} (use one entry per operation)`);
  }
  const add = readObject(op, 'addCommunity', path, c);
  if (add) {
    const value = readString(add, 'value', at(path, 'addCommunity'), c);
    if (isAbsent(add.value)) c.add(at(at(path, 'addCommunity'), 'value'), 'addCommunity.value is required; set the community to add, e.g. \'65001:100\'');
    else if (value !== undefined) checkCommunity(value, at(at(path, 'addCommunity'), 'value'), c);
  }
  const prepend = readObject(op, 'prependASPath', path, c);
  if (prepend) {
    const p = at(path, 'prependASPath');
    if (isAbsent(prepend.prefix) || (Array.isArray(prepend.prefix) && prepend.prefix.length === 0)) {
      c.add(at(p, 'prefix'), 'prependASPath.prefix is required; list the AS numbers to prepend, e.g. [65001]');
    }
    checkAsNumberList(prepend, 'prefix', p, c, crdMode);
  }
  const priority = readObject(op, 'setPriority', path, c);
  if (priority && (priority.value === undefined || priority.value === null)) {
    c.add(at(at(path, 'setPriority'), 'value'), 'setPriority.value is required; set the route priority, from 1 to 2147483646');
  } else if (priority) {
    readInteger(priority, 'value', at(path, 'setPriority'), c);
  }
}

registerKind('BGPFilter', validateBgpFilter);
