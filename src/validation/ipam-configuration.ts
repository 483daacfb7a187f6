// Validation of IPAMConfiguration (projectcalico.org/v3), stored as the crd.projectcalico.org/v1 kind
// IPAMConfig: the cluster's IPAM settings (strictAffinity, autoAllocateBlocks, maxBlocksPerHost and,
// from v3.32, kubeVirtVMAddressPersistence). libcalico-go's IPAM configuration client accepts only
// the object named `default`, and validateIPAMConfigSpec refuses a negative maxBlocksPerHost; the
// CRD-constraints pass checks the rest (in crd.projectcalico.org/v1 form, strictAffinity and
// autoAllocateBlocks are required). Importing this module registers both kind names.
import { readBoolean, readInteger, typeIssue } from './common';
import { IssueCollector, isObject, q } from './issues';
import { registerKind } from './registry';

/** The one name Calico accepts for its IPAM configuration. */
export const IPAM_CONFIGURATION_NAME = 'default';

const V3_API = 'projectcalico.org/v3';
const CRD_API = 'crd.projectcalico.org/v1';

function validateIpamConfiguration(m: Record<string, any>, c: IssueCollector, kind: 'IPAMConfiguration' | 'IPAMConfig'): void {
  if (kind === 'IPAMConfiguration' && m.apiVersion === CRD_API) {
    c.add('kind', `crd.projectcalico.org/v1 has no kind IPAMConfiguration: Calico stores it as kind IPAMConfig; write kind: IPAMConfig, or apiVersion: ${V3_API}`);
  } else if (kind === 'IPAMConfig' && m.apiVersion === V3_API) {
    c.add('kind', `IPAMConfig is the storage kind (crd.projectcalico.org/v1); in ${V3_API} write kind: IPAMConfiguration`);
  }
  const name = m.metadata.name;
  if (typeof name === 'string' && name !== IPAM_CONFIGURATION_NAME) {
    c.add('metadata.name', `${kind} name ${q(name)} is not allowed: Calico reads only the one named '${IPAM_CONFIGURATION_NAME}'; name it '${IPAM_CONFIGURATION_NAME}'`);
  }
  const spec = m.spec;
  if (spec === undefined || spec === null) return;
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return;
  }
  readBoolean(spec, 'strictAffinity', 'spec', c);
  readBoolean(spec, 'autoAllocateBlocks', 'spec', c);
  const max = readInteger(spec, 'maxBlocksPerHost', 'spec', c);
  if (max !== undefined && max < 0) {
    c.add('spec.maxBlocksPerHost', `maxBlocksPerHost ${max} is negative; use 0 for no limit or the most blocks one node may hold, e.g. 4`);
  }
}

registerKind('IPAMConfiguration', (m, c) => validateIpamConfiguration(m, c, 'IPAMConfiguration'));
registerKind('IPAMConfig', (m, c) => validateIpamConfiguration(m, c, 'IPAMConfig'));
