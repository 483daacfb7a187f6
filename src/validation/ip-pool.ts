// Validation of IPPool: libcalico-go's v3 validator (validateIPPoolSpec and the field tags) plus
// the checks its IPPool client runs when a pool is created (`calicoctl create/apply`): defaults
// first (blockSize 26/122, modes 'Never', nodeSelector all()), then block size per family, pool
// size against the block size, strict masks, encapsulation rules, reserved ranges and the rules of
// load-balancer and namespace-selected pools. Importing this module registers the kind. Overlaps
// between pools are a rule of the whole set (manifest-set.ts).
import { checkSelectorField, readBoolean, readInteger, readStringList, typeIssue } from './common';
import { oneOf } from './field-checks';
import { at, IssueCollector, isObject, q } from './issues';
import { cidrsOverlap, parseCidr, parseIp, ParsedCidr } from '../net/address';
import { registerKind } from './registry';

/** Encapsulation modes of ipipMode and vxlanMode. */
export const ENCAPSULATION_MODES: readonly string[] = ['Always', 'CrossSubnet', 'Never'];

/** The allowed uses of a pool. */
export const IP_POOL_ALLOWED_USES: readonly string[] = ['Workload', 'Tunnel', 'LoadBalancer'];

/** How a pool hands out addresses: to any workload, or only to those that ask for it by name. */
export const ASSIGNMENT_MODES: readonly string[] = ['Automatic', 'Manual'];

/** Block size limits and defaults per IP family. */
export const BLOCK_SIZE = {
  4: { min: 20, max: 32, default: 26 },
  6: { min: 116, max: 128, default: 122 },
} as const;

/** Ranges an IP pool may not overlap. Calico itself rejects only the link-local ones. */
const RESERVED_RANGES: ReadonlyArray<{ cidr: ParsedCidr; what: string; calico: boolean }> = [
  { cidr: parseCidr('169.254.0.0/16')!, what: 'the IPv4 link-local range 169.254.0.0/16', calico: true },
  { cidr: parseCidr('fe80::/10')!, what: 'the IPv6 link-local range fe80::/10', calico: true },
  { cidr: parseCidr('127.0.0.0/8')!, what: 'the IPv4 loopback range 127.0.0.0/8', calico: false },
  { cidr: parseCidr('::1/128')!, what: 'the IPv6 loopback address ::1', calico: false },
  { cidr: parseCidr('224.0.0.0/4')!, what: 'the IPv4 multicast range 224.0.0.0/4', calico: false },
  { cidr: parseCidr('ff00::/8')!, what: 'the IPv6 multicast range ff00::/8', calico: false },
];

/** Validates an IPPool manifest (spec only; metadata is checked elsewhere). */
export function validateIpPool(m: Record<string, any>, c: IssueCollector): void {
  const spec = m.spec;
  if (spec === undefined || spec === null) {
    c.add('spec', 'an IPPool needs a spec with at least cidr; add spec.cidr, for example \'10.244.0.0/16\'');
    return;
  }
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return;
  }

  const cidr = checkPoolCidr(spec, c);
  const version = cidr?.version;
  const disabled = readBoolean(spec, 'disabled', 'spec', c) ?? false;
  readBoolean(spec, 'natOutgoing', 'spec', c);
  const disableBGPExport = readBoolean(spec, 'disableBGPExport', 'spec', c) ?? false;
  const nodeSelector = checkPoolSelector(spec, 'nodeSelector', c);
  const namespaceSelector = checkPoolSelector(spec, 'namespaceSelector', c);
  const assignmentMode = spec.assignmentMode;
  if (assignmentMode !== undefined && assignmentMode !== null) {
    oneOf(ASSIGNMENT_MODES, { emptyAllowed: false })(assignmentMode, 'spec.assignmentMode', 'assignmentMode', c);
  }

  // Block size: 0 or absent means the family default, as the IPPool client sets it.
  const blockSizeRaw = readInteger(spec, 'blockSize', 'spec', c);
  let blockSize: number | undefined;
  if (version !== undefined) {
    const limits = BLOCK_SIZE[version];
    blockSize = blockSizeRaw === undefined || blockSizeRaw === 0 ? limits.default : blockSizeRaw;
    if (blockSize < limits.min || blockSize > limits.max) {
      c.add('spec.blockSize', `blockSize ${blockSize} is out of range for IPv${version} (${limits.min}-${limits.max}); use a value from ${limits.min} to ${limits.max} (default ${limits.default})`);
      blockSize = undefined;
    }
  } else if (blockSizeRaw !== undefined && (blockSizeRaw < 0 || blockSizeRaw > 128)) {
    c.add('spec.blockSize', `blockSize ${blockSizeRaw} is out of range; use 20-32 for an IPv4 pool or 116-128 for an IPv6 pool`);
  }

  // Calico IPAM hands out whole blocks, so an enabled pool must hold at least one.
  if (cidr && blockSize !== undefined && !disabled && cidr.prefix > blockSize) {
    c.add('spec.cidr', `cidr ${q(spec.cidr)} (/${cidr.prefix}) is smaller than one allocation block (/${blockSize}); use a prefix of /${blockSize} or shorter, raise blockSize to at least ${cidr.prefix}, or set disabled: true`);
  }

  // Encapsulation: unset modes default to 'Never'.
  const ipipMode = checkMode(spec, 'ipipMode', c);
  const vxlanMode = checkMode(spec, 'vxlanMode', c);
  const ipipOn = ipipMode !== undefined && ipipMode !== 'Never';
  const vxlanOn = vxlanMode !== undefined && vxlanMode !== 'Never';
  if (ipipOn && vxlanOn) {
    c.add('spec.vxlanMode', `ipipMode ${q(ipipMode)} and vxlanMode ${q(vxlanMode)} are both enabled; a pool uses one encapsulation, so set one of them to 'Never'`);
  }
  if (ipipOn && version === 6) {
    c.add('spec.ipipMode', `ipipMode ${q(ipipMode)} is not supported on the IPv6 pool ${q(spec.cidr)} (IP-in-IP carries IPv4 only); set ipipMode to 'Never' and use vxlanMode for IPv6 encapsulation`);
  }

  checkDeprecatedFields(spec, c);
  const uses = checkAllowedUses(spec, c);
  if (uses.has('LoadBalancer')) {
    checkLoadBalancerPool(spec, uses, { ipipOn, vxlanOn, disableBGPExport, nodeSelector }, c);
  }
  if (uses.has('Tunnel') && namespaceSelector) {
    const why = Array.isArray(spec.allowedUses) && spec.allowedUses.length > 0 ? 'allowedUses lists \'Tunnel\'' : 'allowedUses defaults to Workload and Tunnel';
    c.add('spec.namespaceSelector', `namespaceSelector ${q(namespaceSelector)} cannot be set on a pool that serves tunnel addresses (${why}), `
      + 'which belong to nodes, not namespaces; set allowedUses: [Workload]');
  }
}

/** nodeSelector or namespaceSelector: a selector, where global() has no meaning. Returns it when set. */
function checkPoolSelector(spec: Record<string, any>, key: 'nodeSelector' | 'namespaceSelector', c: IssueCollector): string | undefined {
  const selector = checkSelectorField(spec, key, 'spec', c);
  if (selector && selector.includes('global(')) {
    c.add(at('spec', key), `${key} ${q(selector)} uses global(), which means nothing for an IP pool; use all() to select every ${key === 'nodeSelector' ? 'node' : 'namespace'}`);
  }
  return selector || undefined;
}

/** What a load-balancer pool must not have: encapsulation, Workload or Tunnel uses, no BGP export, a node selector other than all(). */
function checkLoadBalancerPool(spec: Record<string, any>, uses: ReadonlySet<string>,
  pool: { ipipOn: boolean; vxlanOn: boolean; disableBGPExport: boolean; nodeSelector: string | undefined }, c: IssueCollector): void {
  for (const other of ['Workload', 'Tunnel']) {
    if (uses.has(other)) {
      c.add('spec.allowedUses', `allowedUses 'LoadBalancer' cannot be combined with '${other}': a pool either serves load-balancer addresses or pods and tunnels; use two pools`);
    }
  }
  if (pool.ipipOn || pool.vxlanOn) {
    const key = pool.ipipOn ? 'ipipMode' : 'vxlanMode';
    c.add(at('spec', key), `${key} ${q(spec[key])} cannot be enabled on a LoadBalancer pool (service addresses are not encapsulated); set it to 'Never'`);
  }
  if (pool.disableBGPExport) {
    c.add('spec.disableBGPExport', 'disableBGPExport cannot be true on a LoadBalancer pool: its addresses reach the network only by BGP; remove it');
  }
  if (pool.nodeSelector !== undefined && pool.nodeSelector !== 'all()') {
    c.add('spec.nodeSelector', `nodeSelector ${q(pool.nodeSelector)} cannot be set on a LoadBalancer pool, which serves every node; remove it or write 'all()'`);
  }
}

/** Checks spec.cidr; returns the parsed CIDR when it is usable for the other checks. */
function checkPoolCidr(spec: Record<string, any>, c: IssueCollector): ParsedCidr | undefined {
  const path = 'spec.cidr';
  const value = spec.cidr;
  if (value === undefined || value === null || value === '') {
    c.add(path, 'cidr is required; set the range the pool allocates from, for example \'10.244.0.0/16\' or \'fd00:10:244::/56\'');
    return undefined;
  }
  if (typeof value !== 'string') {
    typeIssue(c, path, 'a string such as \'10.244.0.0/16\'', value);
    return undefined;
  }
  if (!value.includes('/')) {
    const ip = parseIp(value);
    const fix = ip ? `write it with a prefix length, for example '${ip.text}/${ip.version === 4 ? 24 : 120}'` : 'write it as \'a.b.c.d/n\' (IPv4) or \'x::/n\' (IPv6)';
    c.add(path, `cidr ${q(value)} is not a CIDR (it has no prefix length); ${fix}`);
    return undefined;
  }
  const cidr = parseCidr(value);
  if (!cidr) {
    c.add(path, `cidr ${q(value)} is not a valid IPv4 or IPv6 CIDR; write it as 'a.b.c.d/n' with n from 0 to 32, or 'x::/n' with n from 0 to 128`);
    return undefined;
  }
  if (!cidr.strict) {
    c.add(path, `cidr ${q(value)} has host bits set; use the network address ${q(cidr.text)}`);
  }
  for (const r of RESERVED_RANGES) {
    if (cidrsOverlap(cidr, r.cidr)) {
      const why = r.calico ? 'Calico rejects such pools' : 'addresses there cannot be routed to pods';
      c.add(path, `cidr ${q(value)} overlaps ${r.what} (${why}); choose a range outside it`);
    }
  }
  return cidr;
}

function checkMode(spec: Record<string, any>, key: 'ipipMode' | 'vxlanMode', c: IssueCollector): string | undefined {
  const value = spec[key];
  if (value === undefined || value === null || value === '') return 'Never';
  if (typeof value !== 'string') {
    typeIssue(c, at('spec', key), `one of ${ENCAPSULATION_MODES.join(', ')}`, value);
    return undefined;
  }
  if (!ENCAPSULATION_MODES.includes(value)) {
    const fixed = ENCAPSULATION_MODES.find(mode => mode.toLowerCase() === value.toLowerCase().replace(/[-_ ]/g, ''));
    const fix = fixed ? `write '${fixed}' (modes are case-sensitive)` : `use one of ${ENCAPSULATION_MODES.join(', ')}`;
    c.add(at('spec', key), `${key} ${q(value)} is not a valid mode; ${fix}`);
    return undefined;
  }
  return value;
}

/** The APIv1 compatibility fields (v3.31; v3.32 removed them): Calico rejects any use of them in v3. */
function checkDeprecatedFields(spec: Record<string, any>, c: IssueCollector): void {
  if (spec.ipip !== undefined && spec.ipip !== null) {
    c.add('spec.ipip', `ipip ${q(spec.ipip)} is the deprecated APIv1 field and may not be set; remove it and use ipipMode ('Always', 'CrossSubnet' or 'Never')`);
  }
  const natV1 = readBoolean(spec, 'nat-outgoing', 'spec', c);
  if (natV1 === true) {
    c.add('spec.nat-outgoing', '\'nat-outgoing\' is the deprecated APIv1 field and may not be true; remove it and set natOutgoing: true instead');
  }
}

/** The valid uses listed (Workload and Tunnel when none is). */
function checkAllowedUses(spec: Record<string, any>, c: IssueCollector): Set<string> {
  const uses = new Set<string>();
  for (const { value, path } of readStringList(spec, 'allowedUses', 'spec', c) ?? []) {
    if (IP_POOL_ALLOWED_USES.includes(value)) {
      uses.add(value);
      continue;
    }
    const fixed = IP_POOL_ALLOWED_USES.find(u => u.toLowerCase() === value.toLowerCase());
    const fix = fixed ? `write '${fixed}' (uses are case-sensitive)` : `use ${IP_POOL_ALLOWED_USES.map(u => `'${u}'`).join(', ')}`;
    c.add(path, `allowedUses entry ${q(value)} is not a pool use; ${fix}`);
  }
  return Array.isArray(spec.allowedUses) && spec.allowedUses.length > 0 ? uses : new Set(['Workload', 'Tunnel']);
}

// ---------------------------------------------------------------------------------------------
// Whole-set check: overlapping pools
// ---------------------------------------------------------------------------------------------

registerKind('IPPool', validateIpPool);
