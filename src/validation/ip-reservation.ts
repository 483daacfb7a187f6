// Validation of IPReservation: every reserved entry is a CIDR or a single address,
// IPv4 or IPv6. Importing this module registers the kind.
import { readStringList, typeIssue } from './common';
import { IssueCollector, isObject, q } from './issues';
import { parseCidrOrIp } from '../net/address';
import { registerKind } from './registry';

/** Validates an IPReservation manifest (spec only). */
export function validateIpReservation(m: Record<string, any>, c: IssueCollector): void {
  const spec = m.spec;
  if (spec === undefined || spec === null) return;
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return;
  }
  for (const { value, path } of readStringList(spec, 'reservedCIDRs', 'spec', c) ?? []) {
    if (!parseCidrOrIp(value)) {
      c.add(path, `reservedCIDRs entry ${q(value)} is neither a CIDR nor an IP address; write a range such as '10.0.1.0/24' or a single address such as '10.0.0.1'`);
    }
  }
}

registerKind('IPReservation', validateIpReservation);
