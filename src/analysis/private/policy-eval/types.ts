// Internal shapes of the policy evaluator. Two layers, as in Calico itself:
// - V3*: a policy as the user wrote it (Calico v3 NetworkPolicy/GlobalNetworkPolicy, or a
//   Kubernetes NetworkPolicy already translated to one), selectors parsed to trees;
// - Felix*: the same policy after the syncer's rewriting (namespaces, service accounts and
//   notSelector folded into one selector per side), which is what the evaluator runs.
import { ParsedCidr, ParsedIp } from '../../../net/address';
import { SelectorNode } from '../../../language/selector-parser';
import { Labels } from './selectors';

/** A rule direction. */
export type Direction = 'ingress' | 'egress';

/**
 * Which kind of policy a policy is once enforced (a staged policy has the kind it stages:
 * StagedGlobalNetworkPolicy -> GlobalNetworkPolicy).
 */
export type PolicyOrigin = 'GlobalNetworkPolicy' | 'NetworkPolicy' | 'KubernetesNetworkPolicy'
| 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** A staged policy's `stagedAction`. */
export type StagedActionValue = 'Set' | 'Delete' | 'Learn' | 'Ignore';

/** A tier as Felix orders it. */
export interface TierRecord {
  readonly name: string;
  /** Unset: after every tier with an order. */
  readonly order?: number;
  /** What the tier does with traffic of an endpoint it selects when no rule decides. */
  readonly defaultAction: 'Deny' | 'Pass';
  /** Whether a Tier manifest declared it (or it is one of the line's built-in tiers). */
  readonly declaredBy: 'builtin' | 'manifest';
}

/** A port match: a numeric range, or a named port. */
export interface PortSpec {
  readonly min?: number;
  readonly max?: number;
  readonly name?: string;
  /** As written: `80`, `8080:8090`, `http`. */
  readonly text: string;
}

/** An ICMP type/code match. */
export interface IcmpSpec {
  readonly type?: number;
  readonly code?: number;
}

/** One side of a v3 rule. Absent fields are `undefined` (an empty selector text counts as absent). */
export interface V3Entity {
  readonly selector?: SelectorNode;
  readonly notSelector?: SelectorNode;
  readonly namespaceSelector?: SelectorNode;
  readonly nets?: ParsedCidr[];
  readonly notNets?: ParsedCidr[];
  readonly ports?: PortSpec[];
  readonly notPorts?: PortSpec[];
  readonly serviceAccountNames?: string[];
  readonly serviceAccountSelector?: SelectorNode;
  /** `namespace/name` of a Kubernetes Service match. */
  readonly service?: string;
}

/** A v3 rule. */
export interface V3Rule {
  readonly action: 'Allow' | 'Deny' | 'Log' | 'Pass';
  readonly protocol?: number;
  readonly notProtocol?: number;
  readonly icmp?: IcmpSpec;
  readonly notIcmp?: IcmpSpec;
  readonly ipVersion?: 4 | 6;
  readonly source: V3Entity;
  readonly destination: V3Entity;
  /** Whether the rule has HTTP criteria (only enforced with application layer policy). */
  readonly http: boolean;
  /** Where the rule came from in its manifest: `spec.ingress[2]`, `spec.ingress[0].from[1]`. */
  readonly path: string;
}

/** A v3 policy, namespaced or global, with its rules. */
export interface V3Policy {
  readonly origin: PolicyOrigin;
  /** The name as written in the manifest. */
  readonly name: string;
  /** Namespace of a NetworkPolicy; undefined for a GlobalNetworkPolicy. */
  readonly namespace?: string;
  /** The name Felix knows it by: v3.31 `default.x`, `knp.default.x`; v3.32 the name as written. */
  readonly calicoName: string;
  /** The tier's name. */
  readonly tier: string;
  /** The stagedAction of a staged policy; undefined for an enforced one. */
  readonly staged?: StagedActionValue;
  /** The kind Felix keys the policy with, when it is not `origin` (v3.32 `KubernetesClusterNetworkPolicy`). */
  readonly keyKind?: string;
  readonly order?: number;
  readonly selector?: SelectorNode;
  readonly namespaceSelector?: SelectorNode;
  readonly serviceAccountSelector?: SelectorNode;
  readonly ingressType: boolean;
  readonly egressType: boolean;
  readonly ingress: V3Rule[];
  readonly egress: V3Rule[];
  /** doNotTrack / preDNAT policies apply to host endpoints only. */
  readonly hostOnly: boolean;
}

/** One side of a rule as Felix matches it. */
export interface FelixEntity {
  /** The one positive selector (namespace, service accounts, selector and notSelector folded in). */
  readonly positive?: SelectorNode;
  /** A notSelector that could not be folded in (no positive selector): excludes what it selects. */
  readonly negative?: SelectorNode;
  readonly nets?: ParsedCidr[];
  readonly notNets?: ParsedCidr[];
  readonly ports?: PortSpec[];
  readonly notPorts?: PortSpec[];
  readonly service?: string;
}

/** A rule as Felix matches it. */
export interface FelixRule {
  readonly action: 'Allow' | 'Deny' | 'Log' | 'Pass';
  readonly protocol?: number;
  readonly notProtocol?: number;
  readonly icmp?: IcmpSpec;
  readonly notIcmp?: IcmpSpec;
  readonly ipVersion?: 4 | 6;
  readonly source: FelixEntity;
  readonly destination: FelixEntity;
  /** The protocol named ports are looked up with: the rule's UDP or SCTP, otherwise TCP. */
  readonly namedPortProtocol: number;
  readonly http: boolean;
  readonly path: string;
  /** Index of the rule in its direction's list. */
  readonly index: number;
}

/** A policy as Felix evaluates it. */
export interface FelixPolicy {
  readonly origin: PolicyOrigin;
  readonly name: string;
  readonly namespace?: string;
  readonly calicoName: string;
  readonly tier: string;
  /** The stagedAction of a staged policy; undefined for an enforced one. */
  readonly staged?: StagedActionValue;
  /** The key Felix sorts ties by (v3.31 `namespace/name` or `name`; v3.32 `name/namespace/kind`). */
  readonly sortKey: string;
  readonly order?: number;
  /** Which endpoints the policy applies to. */
  readonly selector: SelectorNode;
  /** Ingress rules, or undefined when the policy does not govern ingress. */
  readonly ingress?: FelixRule[];
  /** Egress rules, or undefined when the policy does not govern egress. */
  readonly egress?: FelixRule[];
  readonly hostOnly: boolean;
}

/** A tier with the policies in it, in evaluation order. */
export interface TierPolicies {
  readonly tier: TierRecord;
  readonly policies: readonly FelixPolicy[];
}

/** A named container port. */
export interface EndpointPort {
  readonly name: string;
  readonly protocol: number;
  readonly port: number;
}

/** A workload as the manifests declare it. */
export interface WorkloadRecord {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly serviceAccount: string;
  readonly ports: EndpointPort[];
  readonly ip?: ParsedIp;
  readonly hostNetwork: boolean;
}

/** A network set with the labels Felix sees on it. */
export interface NetworkSetRecord {
  readonly description: string;
  readonly labels: Labels;
  readonly nets: ParsedCidr[];
}

/** One end of a flow, resolved. */
export interface ResolvedEnd {
  /** Whether the end is a Calico workload endpoint (it has policy of its own). */
  readonly workload: boolean;
  /** For messages: `org-1/web`, `org-1 {app=web}`, `203.0.113.7`. */
  readonly description: string;
  /** The full label set Felix sees on a workload (own labels and inherited profile labels). */
  readonly labels: Labels;
  readonly ip?: ParsedIp;
  readonly ports: EndpointPort[];
}
