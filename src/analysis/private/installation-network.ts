// The Tigera operator's Installation as the cluster model reads it: what its `calicoNetwork` says
// (BGP, MTU, the pools and their encapsulation, the node address autodetection CIDRs), in the
// model's terms (backend, workload MTU, pools). Facts from the operator.tigera.io/v1 Installation
// CRD of tigera/operator v1.40 and v1.42 and the operator's defaulting.
import { SelectorNode } from '../../language/selector-ast';
import { parseSelector } from '../../language/selector-parser';
import { ParsedCidr, parseCidr } from '../../net/address';

/** A pool of the Installation; the cluster model's PoolSpec is one with the object it came from. */
export interface InstallationPool {
  readonly name: string;
  readonly cidr: ParsedCidr;
  readonly blockSize: number;
  readonly ipipMode: string;
  readonly vxlanMode: string;
  readonly disabled: boolean;
  readonly disableBgpExport: boolean;
  readonly nodeSelector: SelectorNode;
  readonly nodeSelectorText: string;
}

/** What an Installation's `calicoNetwork` configures. */
export interface InstallationNetwork {
  /** `bgp`: Enabled (the operator's default) or Disabled. */
  readonly bgp: string;
  /** `mtu`, when set (unset: calico-node detects it). */
  readonly mtu?: number;
  /** The calico-node networking backend it makes: bird with BGP, else vxlan (or none without a VXLAN pool). */
  readonly backend: string;
  /** `ipPools`, in the cluster model's terms (its PoolSpec without the source). */
  readonly pools: InstallationPool[];
  /** `nodeAddressAutodetectionV4.cidrs`. */
  readonly cidrs: string[];
}

/** Whether an object is the Tigera operator's Installation. */
export function isOperatorInstallation(m: Record<string, any>): boolean {
  return m.kind === 'Installation' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('operator.tigera.io/');
}

/** Reads an Installation's network; never throws, skips what it cannot read. */
export function readInstallation(manifest: Record<string, any>): InstallationNetwork {
  const network = isRecord(manifest.spec) && isRecord(manifest.spec.calicoNetwork) ? manifest.spec.calicoNetwork : {};
  const bgp = network.bgp === 'Disabled' ? 'Disabled' : 'Enabled';
  const pools: InstallationPool[] = [];
  for (const item of Array.isArray(network.ipPools) ? network.ipPools : []) {
    if (!isRecord(item)) continue;
    const cidr = parseCidr(item.cidr);
    const selectorText = typeof item.nodeSelector === 'string' && item.nodeSelector !== '' ? item.nodeSelector : 'all()';
    const nodeSelector = parseSelector(selectorText).node;
    if (!cidr || !nodeSelector) continue;
    // The operator's default: IP-in-IP with BGP, VXLAN without (IPv4); IPv6 pools are unencapsulated.
    const fallback = cidr.version === 6 ? 'None' : bgp === 'Enabled' ? 'IPIP' : 'VXLAN';
    const modes = MODES[typeof item.encapsulation === 'string' ? item.encapsulation : fallback] ?? MODES.None;
    pools.push({
      name: typeof item.name === 'string' ? item.name : `default-ipv${cidr.version}-ippool`,
      cidr,
      blockSize: typeof item.blockSize === 'number' && item.blockSize > 0 ? item.blockSize : (cidr.version === 4 ? 26 : 122),
      ipipMode: modes[0],
      vxlanMode: modes[1],
      disabled: item.disableNewAllocations === true,
      disableBgpExport: item.disableBGPExport === true,
      nodeSelector,
      nodeSelectorText: selectorText,
    });
  }
  const autodetect = isRecord(network.nodeAddressAutodetectionV4) ? network.nodeAddressAutodetectionV4 : {};
  const cidrs = Array.isArray(autodetect.cidrs) ? autodetect.cidrs.filter((c: unknown): c is string => typeof c === 'string') : [];
  const vxlan = pools.some(p => p.vxlanMode !== 'Never');
  return {
    bgp,
    mtu: typeof network.mtu === 'number' && network.mtu > 0 ? network.mtu : undefined,
    backend: bgp === 'Enabled' ? 'bird' : vxlan ? 'vxlan' : 'none',
    pools,
    cidrs,
  };
}

/** The IP-in-IP and VXLAN modes of each Installation `encapsulation`. */
export const MODES: Readonly<Record<string, readonly [string, string]>> = {
  IPIP: ['Always', 'Never'],
  IPIPCrossSubnet: ['CrossSubnet', 'Never'],
  VXLAN: ['Never', 'Always'],
  VXLANCrossSubnet: ['Never', 'CrossSubnet'],
  None: ['Never', 'Never'],
};

function isRecord(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
