// The rules of libcalico-go's validator (and of the CRD rules calicoctl runs) that differ between
// the supported Calico lines, each with the first line that has it. A validator asks
// `since(c, 'namedPortsWithoutProtocol')`; a line that changes a rule adds one entry here. Fields
// and kinds a line adds or removes need no entry: the generated tables say which line has them.
import { IssueCollector } from '../issues';

const RULE_CHANGES = {
  /** A rule whose ports are all named may leave out the protocol (validateRule, AllPortsAreNamed). */
  namedPortsWithoutProtocol: 'v3.32',
  /** The built-in tiers must keep their default actions (the Tier CRD's CEL rules). */
  builtinTierDefaultActions: 'v3.32',
  /** FelixConfiguration.bpfKubeProxyHealthzPort may be 0 (validate tag gte=0; v3.31: gte=1). */
  bpfKubeProxyHealthzPortZero: 'v3.32',
} as const;

/** Whether the line `c` checks for has the rule. */
export function since(c: IssueCollector, rule: keyof typeof RULE_CHANGES): boolean {
  return c.version.isAtLeast(RULE_CHANGES[rule]);
}
