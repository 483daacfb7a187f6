// `cdk8s-calico lint` of the Tigera operator's Installation: its network (read by
// installation-network.ts) checked against the reference architecture's decision table: BGP for
// the encapsulations that need it, the MTU for the encapsulation, CrossSubnet only across subnets.
import { quote } from '../../core/quote';
import { MtuOverhead } from '../../install/routing';
import { isRecord, SourcedObject } from '../cluster-model';
import { InstallationPool, MODES, readInstallation } from './installation-network';

/** The audits of an Installation, by rule name (part of AUDIT_RULES). */
export const INSTALLATION_RULES: Readonly<Record<string, string>> = {
  'installation-bgp': 'an operator Installation with BGP Disabled and a pool whose routes need BGP (IPIP, IPIPCrossSubnet or None)',
  'installation-mtu': 'an operator Installation whose calicoNetwork.mtu does not fit its pools\' encapsulation and --network-mtu',
  'installation-cross-subnet': 'an operator Installation with a CrossSubnet pool while every node is in one subnet (--node-subnets, or its autodetection CIDRs)',
};

/** What the audit needs of the facts. */
export interface InstallationFacts {
  readonly networkMtu?: number;
  readonly nodeSubnets?: readonly string[];
}

/** Audits an Installation; `add` records a finding (rule, message, object, path). */
export function auditInstallation(o: SourcedObject, facts: InstallationFacts,
  add: (rule: string, message: string, object?: SourcedObject, path?: string) => void): void {
  const net = readInstallation(o.manifest);
  const pools = Array.isArray(o.manifest.spec?.calicoNetwork?.ipPools) ? o.manifest.spec.calicoNetwork.ipPools : [];
  const encapsulationOf = (p: InstallationPool) => Object.keys(MODES).find(k => MODES[k][0] === p.ipipMode && MODES[k][1] === p.vxlanMode) ?? 'None';
  const pathOf = (p: InstallationPool) => `spec.calicoNetwork.ipPools[${Math.max(0, pools.findIndex((x: any) => isRecord(x) && x.name === p.name))}].encapsulation`;

  if (net.bgp === 'Disabled') {
    for (const p of net.pools.filter(x => x.cidr.version === 4 && x.vxlanMode === 'Never')) {
      const e = encapsulationOf(p);
      add('installation-bgp', `Installation pool ${quote(p.name)} uses ${e}, whose pod routes are distributed by BGP, but calicoNetwork.bgp is Disabled `
        + `(${e === 'None' ? 'nodes would have no routes to other nodes\' pods' : 'the operator refuses IP-in-IP without BGP'}); `
        + 'set bgp to Enabled, or use VXLAN or VXLANCrossSubnet, which need no BGP', o, pathOf(p));
    }
  }

  const worst = net.pools.filter(p => !p.disabled).reduce((w, p) => Math.max(w, overheadOf(p)), 0);
  const label = worst === 0 ? 'unencapsulated traffic' : worst === MtuOverhead.IPIP ? 'IP-in-IP' : 'VXLAN';
  if (net.mtu !== undefined) {
    if (facts.networkMtu !== undefined && net.mtu !== facts.networkMtu - worst) {
      const expected = facts.networkMtu - worst;
      const effect = net.mtu > expected ? `packets larger than ${expected} bytes are fragmented or dropped` : `every packet wastes ${expected - net.mtu} bytes`;
      add('installation-mtu', `Installation calicoNetwork.mtu ${net.mtu} does not fit ${label} on a ${facts.networkMtu}-byte network: ${effect}; `
        + `set it to ${expected} (${facts.networkMtu} - ${worst})`, o, 'spec.calicoNetwork.mtu');
    } else if (facts.networkMtu === undefined && net.mtu > MtuOverhead.MAX_NETWORK_MTU - worst) {
      add('installation-mtu', `Installation calicoNetwork.mtu ${net.mtu} exceeds the largest network MTU (${MtuOverhead.MAX_NETWORK_MTU}) minus the `
        + `${worst}-byte overhead of ${label}; set it to the network MTU minus ${worst}`, o, 'spec.calicoNetwork.mtu');
    }
  }

  const subnets = facts.nodeSubnets ?? net.cidrs;
  if (subnets.length === 1) {
    for (const p of net.pools.filter(x => x.ipipMode === 'CrossSubnet' || x.vxlanMode === 'CrossSubnet')) {
      const ipip = p.ipipMode === 'CrossSubnet';
      add('installation-cross-subnet', `Installation pool ${quote(p.name)} uses ${encapsulationOf(p)}, but every node is in ${subnets[0]}, so no packet crosses a subnet `
        + `and the tunnel is never used; ${ipip ? 'use None: BGP routes reach every node of one subnet directly' : 'use VXLAN (or None with bgp Enabled), as the architecture does for one subnet'}`,
      o, pathOf(p));
    }
  }
}

/** The per-packet overhead of a pool's encapsulation (IPv6 VXLAN is larger). */
function overheadOf(p: InstallationPool): number {
  if (p.vxlanMode !== 'Never') return p.cidr.version === 6 ? MtuOverhead.VXLAN_IPV6 : MtuOverhead.VXLAN_IPV4;
  return p.ipipMode !== 'Never' ? MtuOverhead.IPIP : 0;
}
