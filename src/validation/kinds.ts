// Imports every per-kind validator module so each registers itself in KIND_VALIDATORS.
import { registerKind } from './registry';
for (const k of ['BGPConfiguration', 'BGPFilter', 'BGPPeer', 'FelixConfiguration', 'GlobalNetworkPolicy',
  'GlobalNetworkSet', 'HostEndpoint', 'IPPool', 'IPReservation', 'KubeControllersConfiguration',
  'NetworkPolicy', 'NetworkSet', 'Node']) {
  registerKind(k, () => undefined); // PLACEHOLDER until the per-kind modules land
}
