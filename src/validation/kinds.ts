// Imports every per-kind validator module; each registers itself in KIND_VALIDATORS on import.
import './bgp';
import './bgp-filter';
import './calico-node-status';
import './felix-configuration';
import './host-endpoint';
import './ip-pool';
import './ip-reservation';
import './ipam-configuration';
import './kube-controllers-configuration';
import './network-set';
import './node';
import './policy';
import './staged-kubernetes-network-policy';
import './tier';
