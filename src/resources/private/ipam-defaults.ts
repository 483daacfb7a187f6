// Calico's create-time defaulting of IP pools, applied when the library writes
// crd.projectcalico.org/v1 (where no Calico API server or calicoctl fills them in).
//
// Upstream (libcalico-go/lib/clientv3/ippool.go validateAndSetDefaults, the same on v3.31 and
// v3.32): blockSize 26 (IPv4) / 122 (IPv6), ipipMode and vxlanMode "Never", nodeSelector "all()",
// allowedUses [Workload, Tunnel], assignmentMode "Automatic". IPReservation, BGPConfiguration,
// BGPPeer and BGPFilter have no create-time defaulting on either line, so they are written as given.
import { registerCrdDefaults } from './crd-defaults';
import { sortedKeys } from './resource-util';

/** Calico's default block size for a pool of this IP version. */
export function defaultBlockSize(ipVersion: number): number {
  return ipVersion === 6 ? 122 : 26;
}

/** The IP version of a CIDR's text: IPv6 text always contains ':', IPv4 text never does. */
export function ipVersionOfCidr(cidr: string): number {
  return cidr.includes(':') ? 6 : 4;
}

/** Calico's defaults for an IPPool manifest; returns a new manifest, never changes the input. */
export function defaultIpPoolManifest(manifest: any): any {
  const spec: { [key: string]: any } = { ...(manifest.spec ?? {}) };
  if (!spec.blockSize && typeof spec.cidr === 'string') spec.blockSize = defaultBlockSize(ipVersionOfCidr(spec.cidr));
  if (!spec.ipipMode) spec.ipipMode = 'Never';
  if (!spec.vxlanMode) spec.vxlanMode = 'Never';
  if (!spec.nodeSelector) spec.nodeSelector = 'all()';
  if (!Array.isArray(spec.allowedUses) || spec.allowedUses.length === 0) spec.allowedUses = ['Workload', 'Tunnel'];
  if (!spec.assignmentMode) spec.assignmentMode = 'Automatic';
  return { ...manifest, spec: sortedKeys(spec) };
}

registerCrdDefaults('IPPool', defaultIpPoolManifest);
