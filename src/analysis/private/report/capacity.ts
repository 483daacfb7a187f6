// The MTU table and the IPAM capacity of each pool.
import { evaluateSelector } from '../../../language/selector-ast';
import { MtuOverhead } from '../../../install/routing';
import { ClusterModel, PoolSpec } from '../../cluster-model';
import { Topology } from './topology';

/** An encapsulation (or its absence) and its per-packet overhead. */
export interface MtuRow {
  readonly key: string;
  readonly label: string;
  readonly overhead: number;
}

/** Every row of the MTU table, in order. */
export const MTU_ROWS: readonly MtuRow[] = [
  { key: 'none', label: 'No encapsulation', overhead: 0 },
  { key: 'ipip', label: 'IP-in-IP', overhead: MtuOverhead.IPIP },
  { key: 'vxlan4', label: 'VXLAN (IPv4)', overhead: MtuOverhead.VXLAN_IPV4 },
  { key: 'vxlan6', label: 'VXLAN (IPv6)', overhead: MtuOverhead.VXLAN_IPV6 },
  { key: 'wireguard4', label: 'WireGuard (IPv4)', overhead: MtuOverhead.WIREGUARD_IPV4 },
  { key: 'wireguard6', label: 'WireGuard (IPv6)', overhead: MtuOverhead.WIREGUARD_IPV6 },
];

/** The encapsulations the set uses (keys of MTU_ROWS), from the pools and FelixConfiguration. */
export function encapsulationsInUse(model: ClusterModel): Set<string> {
  const used = new Set<string>();
  const pools = model.pools.filter(p => !p.disabled);
  for (const p of pools) {
    if (p.ipipMode !== 'Never' && p.cidr.version === 4) used.add('ipip');
    if (p.vxlanMode !== 'Never') used.add(p.cidr.version === 4 ? 'vxlan4' : 'vxlan6');
  }
  if (pools.some(p => p.ipipMode === 'Never' && p.vxlanMode === 'Never')) used.add('none');
  if (model.felix?.wireguardEnabled) used.add('wireguard4');
  if (model.felix?.wireguardEnabledV6) used.add('wireguard6');
  return used;
}

/** The largest overhead among the encapsulations in use, and which one it is. */
export function largestOverhead(used: ReadonlySet<string>): MtuRow {
  return MTU_ROWS.filter(r => used.has(r.key)).reduce((a, b) => (b.overhead > a.overhead ? b : a), MTU_ROWS[0]);
}

/** What one pool holds. */
export interface PoolCapacity {
  readonly pool: PoolSpec;
  /** Addresses in the pool. */
  readonly addresses: bigint;
  /** Blocks of `blockSize` in the pool: the most nodes that can each hold one block. */
  readonly blocks: bigint;
  /** Addresses per block. */
  readonly perBlock: bigint;
  /** Nodes whose labels the pool's nodeSelector matches (undefined when a count is unknown). */
  readonly nodes?: number;
  /** Addresses each of those nodes gets when the blocks are shared evenly. */
  readonly podsPerNode?: bigint;
}

/** Capacity of every pool, with the nodes that may use it. */
export function poolCapacities(model: ClusterModel, topology: Topology): PoolCapacity[] {
  return model.pools.map(pool => {
    const bits = pool.cidr.version === 4 ? 32 : 128;
    const blockBits = Math.max(0, pool.blockSize - pool.cidr.prefix);
    const addresses = 1n << BigInt(bits - pool.cidr.prefix);
    const blocks = 1n << BigInt(blockBits);
    const perBlock = 1n << BigInt(Math.max(0, bits - pool.blockSize));
    const users = topology.groups.filter(g => evaluateSelector(pool.nodeSelector, g.labels));
    const nodes = users.every(g => g.count !== undefined) ? users.reduce((s, g) => s + g.count!, 0) : undefined;
    const podsPerNode = nodes !== undefined && nodes > 0 ? (blocks / BigInt(nodes)) * perBlock : undefined;
    return { pool, addresses, blocks, perBlock, nodes, podsPerNode };
  });
}

/** A count for people: exact up to a trillion, as a power of two beyond. */
export function formatCount(n: bigint): string {
  if (n < 1_000_000_000_000n) return n.toLocaleString('en-US');
  return `2^${n.toString(2).length - 1}`;
}
