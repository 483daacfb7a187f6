// Validation of GlobalNetworkSet and NetworkSet: `nets` holds IP addresses or
// CIDRs (host bits allowed), and the label projectcalico.org/namespace is reserved. Importing
// this module registers both kinds.
import { readStringList, typeIssue } from './common';
import { IssueCollector, isObject, q } from './issues';
import { labelPath } from './metadata';
import { parseCidrOrIp } from '../net/address';
import { registerKind } from './registry';

/** A label Calico reserves for its own namespace mapping; network sets may not carry it. */
export const RESERVED_NAMESPACE_LABEL = 'projectcalico.org/namespace';

registerKind('GlobalNetworkSet', (m, c) => validateNetworkSet(m, c, 'GlobalNetworkSet'));
registerKind('NetworkSet', (m, c) => validateNetworkSet(m, c, 'NetworkSet'));

function validateNetworkSet(m: Record<string, any>, c: IssueCollector, kind: string): void {
  const labels = m.metadata?.labels;
  if (isObject(labels) && Object.prototype.hasOwnProperty.call(labels, RESERVED_NAMESPACE_LABEL)) {
    c.add(labelPath(RESERVED_NAMESPACE_LABEL), `label '${RESERVED_NAMESPACE_LABEL}' is reserved for Calico's own use and cannot be set on a ${kind}; use a different label key`);
  }

  if (m.spec === undefined || m.spec === null) return;
  if (!isObject(m.spec)) {
    typeIssue(c, 'spec', 'an object', m.spec);
    return;
  }
  for (const entry of readStringList(m.spec, 'nets', 'spec', c) ?? []) {
    if (parseCidrOrIp(entry.value) === undefined) {
      c.add(entry.path, `nets entry ${q(entry.value)} is not an IP address or CIDR; write an address such as '10.0.0.1' or a CIDR such as '10.0.0.0/8' or 'fd00::/64'`);
    }
  }
}
