import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NamespaceLabel } from './default-deny-policy';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError, childPath, ValidationIssue, withConstructPath } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { NetworkPolicy, NetworkPolicyProps } from '../resources/network-policy';
import { Port } from '../language/port';
import { Protocol } from '../language/protocol';
import { CalicoResourceProps } from '../resources/resource';
import { EntityRule, PolicyRule, Rule } from '../language/rule';
import { Selector } from '../language/selector';
import { checkLabels, isNamespaceName } from '../validation/common';
import { IssueCollector } from '../validation/issues';
import { validateMetadata } from '../validation/metadata';
import { parseCidr } from '../net/address';

/** How messages name the object a `KubernetesNamespaceOverride` renders. */
const KUBERNETES_KIND = 'Kubernetes NetworkPolicy';

/** The order of a `CalicoNamespaceOverride` unless another is given. */
const CALICO_OVERRIDE_ORDER = 1500;

type PeerKind = 'sameNamespace' | 'namespaces' | 'labelledNamespaces' | 'cidr';

/**
 * The other end of the traffic a namespace override opens: pods (by namespace and labels) or
 * addresses. It means the same in both overrides: `KubernetesNamespaceOverride` writes it as a
 * Kubernetes NetworkPolicy peer, `CalicoNamespaceOverride` as a Calico rule's source or
 * destination.
 *
 * @example
 * OverridePeer.sameNamespace()                              // every pod of the override's namespace
 * OverridePeer.namespaces(['ingress-nginx'])                // every pod of namespace ingress-nginx
 * OverridePeer.namespaces(['monitoring'], { app: 'prometheus' })
 * OverridePeer.cidr('10.20.0.0/16', ['10.20.5.0/24'])
 */
export class OverridePeer {
  /**
   * Pods of the override's own namespace.
   * @param podLabels labels the pods must have
   * @default podLabels - every pod of the namespace
   */
  public static sameNamespace(podLabels?: { [key: string]: string }): OverridePeer {
    checkArguments('OverridePeer.sameNamespace', [podLabels]);
    const pods = checkedLabels(podLabels, 'OverridePeer.sameNamespace()', 'podLabels');
    return new OverridePeer('sameNamespace', pods, undefined, undefined, undefined, undefined);
  }

  /**
   * Pods of the named namespaces, matched by the `kubernetes.io/metadata.name` label that
   * Kubernetes sets on every namespace (`projectcalico.org/name` in the Calico override).
   * @param namespaceNames at least one namespace name
   * @param podLabels labels the pods must have
   * @default podLabels - every pod of those namespaces
   */
  public static namespaces(namespaceNames: string[], podLabels?: { [key: string]: string }): OverridePeer {
    checkArguments('OverridePeer.namespaces', [namespaceNames, podLabels]);
    const call = 'OverridePeer.namespaces()';
    if (namespaceNames.length === 0) {
      throw new CalicoValidationError(`${call} needs at least one namespace name, such as ['monitoring']; `
        + 'for pods of every namespace use OverridePeer.allNamespaces()');
    }
    const names: string[] = [];
    for (const ns of namespaceNames) {
      if (!isNamespaceName(ns)) {
        throw new CalicoValidationError(`${call}: ${quoteJson(ns)} is not a valid namespace name; use at most 63 `
          + 'lower-case letters, digits and \'-\', starting and ending with a letter or digit');
      }
      if (!names.includes(ns)) names.push(ns);
    }
    const pods = checkedLabels(podLabels, call, 'podLabels');
    return new OverridePeer('namespaces', pods, names, undefined, undefined, undefined);
  }

  /**
   * Pods of every namespace (not addresses outside the cluster).
   * @param podLabels labels the pods must have
   * @default podLabels - every pod
   */
  public static allNamespaces(podLabels?: { [key: string]: string }): OverridePeer {
    checkArguments('OverridePeer.allNamespaces', [podLabels]);
    const pods = checkedLabels(podLabels, 'OverridePeer.allNamespaces()', 'podLabels');
    return new OverridePeer('labelledNamespaces', pods, undefined, {}, undefined, undefined);
  }

  /**
   * Pods of the namespaces that carry all of `namespaceLabels`. A bare `name` label is refused:
   * Kubernetes does not set one, so it would match no namespace; use `namespaces([...])` to
   * select namespaces by name.
   * @param namespaceLabels labels the namespaces must have (at least one)
   * @param podLabels labels the pods must have
   * @default podLabels - every pod of those namespaces
   */
  public static labelledNamespaces(namespaceLabels: { [key: string]: string }, podLabels?: { [key: string]: string }): OverridePeer {
    checkArguments('OverridePeer.labelledNamespaces', [namespaceLabels, podLabels]);
    const call = 'OverridePeer.labelledNamespaces()';
    const namespaces = checkedLabels(namespaceLabels, call, 'namespaceLabels');
    if (!namespaces || Object.keys(namespaces).length === 0) {
      throw new CalicoValidationError(`${call} needs at least one namespace label, such as { team: 'payments' }; `
        + 'for pods of every namespace use OverridePeer.allNamespaces()');
    }
    if ('name' in namespaces) {
      throw new CalicoValidationError(`${call}: the namespace label 'name' is not one Kubernetes sets, so it matches no `
        + `namespace on a stock cluster; select namespaces by name with OverridePeer.namespaces([${quote(namespaces.name)}])`);
    }
    const pods = checkedLabels(podLabels, call, 'podLabels');
    return new OverridePeer('labelledNamespaces', pods, undefined, namespaces, undefined, undefined);
  }

  /**
   * Addresses in a CIDR, optionally minus some sub-ranges (a Kubernetes `ipBlock`).
   * @param cidr an IPv4 or IPv6 CIDR without host bits, such as '10.20.0.0/16'
   * @param exceptCidrs CIDRs inside `cidr` to leave out (the ipBlock's `except`; the word itself is reserved in Python)
   * @default exceptCidrs - nothing left out
   */
  public static cidr(cidr: string, exceptCidrs?: string[]): OverridePeer {
    checkArguments('OverridePeer.cidr', [cidr, exceptCidrs]);
    const call = `OverridePeer.cidr(${quoteJson(cidr)})`;
    const outer = parseCidr(cidr);
    if (!outer) {
      throw new CalicoValidationError(`${call}: ${quoteJson(cidr)} is not a CIDR; write it as address/prefix, `
        + 'such as \'10.20.0.0/16\' or \'192.0.2.10/32\' for one address');
    }
    if (!outer.strict) {
      throw new CalicoValidationError(`${call}: ${cidr} has host bits set; write the network address: '${outer.text}'`);
    }
    const excluded = exceptCidrs === undefined ? undefined : [...exceptCidrs];
    for (const e of excluded ?? []) {
      const inner = parseCidr(e);
      if (!inner || !inner.strict) {
        throw new CalicoValidationError(`${call}: except entry ${quoteJson(e)} is not a CIDR without host bits; `
          + `write it as a network inside ${cidr}, such as '${outer.text.split('/')[0]}/${Math.min(outer.prefix + 8, outer.version === 4 ? 32 : 128)}'`);
      }
      if (inner.version !== outer.version || inner.first < outer.first || inner.last > outer.last || inner.prefix <= outer.prefix) {
        throw new CalicoValidationError(`${call}: except entry ${e} is not strictly inside ${cidr}; `
          + 'list only smaller ranges of the same family that lie inside the CIDR');
      }
    }
    return new OverridePeer('cidr', undefined, undefined, undefined, outer.text, excluded);
  }

  private constructor(
    private readonly peerKind: PeerKind,
    private readonly podLabels: { [key: string]: string } | undefined,
    private readonly namespaceNames: string[] | undefined,
    private readonly namespaceLabels: { [key: string]: string } | undefined,
    private readonly network: string | undefined,
    private readonly excluded: string[] | undefined,
  ) {}

  /** How the peer reads, for messages: `OverridePeer.namespaces(['monitoring'])`. */
  public toString(): string {
    const labels = this.podLabels ? `, ${JSON.stringify(this.podLabels)}` : '';
    switch (this.peerKind) {
      case 'sameNamespace': return `OverridePeer.sameNamespace(${this.podLabels ? JSON.stringify(this.podLabels) : ''})`;
      case 'namespaces': return `OverridePeer.namespaces(${JSON.stringify(this.namespaceNames)}${labels})`;
      case 'labelledNamespaces': return Object.keys(this.namespaceLabels!).length
        ? `OverridePeer.labelledNamespaces(${JSON.stringify(this.namespaceLabels)}${labels})`
        : `OverridePeer.allNamespaces(${this.podLabels ? JSON.stringify(this.podLabels) : ''})`;
      default: return `OverridePeer.cidr(${JSON.stringify(this.network)}${this.excluded ? `, ${JSON.stringify(this.excluded)}` : ''})`;
    }
  }

  /**
   * The peer as a Kubernetes NetworkPolicy peer.
   * @internal
   */
  public _toKubernetes(): k8s.NetworkPolicyPeer {
    switch (this.peerKind) {
      case 'sameNamespace':
        return { podSelector: { matchLabels: copyLabels(this.podLabels) } };
      case 'namespaces':
        return {
          namespaceSelector: {
            matchExpressions: [{ key: NamespaceLabel.KUBERNETES_NAME, operator: 'In', values: [...this.namespaceNames!] }],
          },
          podSelector: this.podLabels ? { matchLabels: copyLabels(this.podLabels) } : undefined,
        };
      case 'labelledNamespaces':
        return {
          namespaceSelector: { matchLabels: copyLabels(this.namespaceLabels) },
          podSelector: this.podLabels ? { matchLabels: copyLabels(this.podLabels) } : undefined,
        };
      default:
        return { ipBlock: { cidr: this.network!, except: this.excluded ? [...this.excluded] : undefined } };
    }
  }

  /**
   * The peer as the source (ingress) or destination (egress) of a Calico NetworkPolicy rule.
   * @internal
   */
  public _toCalico(): EntityRule {
    switch (this.peerKind) {
      case 'sameNamespace':
        // In a namespaced Calico policy, a rule selector without a namespaceSelector matches pods
        // of the policy's own namespace only.
        return { selector: labelSelector(this.podLabels) ?? Selector.all() };
      case 'namespaces':
        return { namespaceSelector: Selector.isIn(NamespaceLabel.CALICO_NAME, this.namespaceNames!), selector: labelSelector(this.podLabels) };
      case 'labelledNamespaces':
        return { namespaceSelector: labelSelector(this.namespaceLabels) ?? Selector.all(), selector: labelSelector(this.podLabels) };
      default:
        return { nets: [this.network!], notNets: this.excluded ? [...this.excluded] : undefined };
    }
  }
}

/**
 * What a namespace override opens in one direction: traffic on these ports, to or from these
 * peers. The semantics are those of a Kubernetes NetworkPolicy rule, in both overrides.
 */
export interface OverrideRule {
  /**
   * Ports to open. A port without a protocol (`Port.number(80)`, `Port.between(...)`,
   * `Port.named('http')`) is TCP, as in Kubernetes; use `Port.udp(53)` and friends for others.
   * @default - every port of every protocol
   */
  readonly ports?: Port[];
  /**
   * Where the traffic may come from (ingress) or go to (egress); any one of them matches.
   * @default - any source or destination, inside or outside the cluster
   */
  readonly peers?: OverridePeer[];
}

/**
 * Properties shared by `KubernetesNamespaceOverride` and `CalicoNamespaceOverride`.
 */
export interface NamespaceOverrideProps extends CalicoResourceProps {
  /** The namespace to open (the policy lives there and applies to its pods only). */
  readonly namespaceName: string;
  /**
   * Labels the pods to open must have.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Traffic into the pods to allow.
   * @default - none; add more with `allowIngress`
   */
  readonly ingress?: OverrideRule[];
  /**
   * Traffic out of the pods to allow.
   * @default - none; add more with `allowEgress`
   */
  readonly egress?: OverrideRule[];
}

/**
 * Opens traffic in one namespace on top of a `DefaultDenyPolicy`, with a Kubernetes
 * `networking.k8s.io/v1` NetworkPolicy (cdk8s-plus-28's typed layer). Portable: every CNI that
 * enforces NetworkPolicy reads it, and namespace teams can own it with plain `kubectl`.
 *
 * Calico evaluates Kubernetes NetworkPolicies at order 1000, before the default deny (2000).
 * The policy lists in `policyTypes` only the directions it opens, so it never isolates the other
 * direction by accident (Kubernetes assumes Ingress when `policyTypes` is left out).
 *
 * @example
 * new KubernetesNamespaceOverride(chart, 'org-1-http', {
 *   namespaceName: 'org-1',
 *   ingress: [{ ports: [Port.tcp(80)] }],
 * });
 */
export class KubernetesNamespaceOverride extends Construct {
  /** `metadata.name` of the NetworkPolicy. */
  public readonly name: string;
  /** The namespace the policy opens. */
  public readonly namespaceName: string;
  /** The rendered Kubernetes NetworkPolicy: the escape hatch for `addJsonPatch`. */
  public readonly apiObject: ApiObject;
  private readonly podLabels?: { [key: string]: string };
  private readonly ingressList: OverrideRule[] = [];
  private readonly egressList: OverrideRule[] = [];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the namespace and what to open
   */
  constructor(scope: Construct, id: string, props: NamespaceOverrideProps) {
    checkArguments('KubernetesNamespaceOverride', [scope, id, props], { leave: POLICY_RULE_TYPES });
    super(scope, id);
    this.name = props.name ?? id;
    this.namespaceName = props.namespaceName;
    const issues = metadataIssues(this.name, props);
    const c = new IssueCollector();
    this.podLabels = checkLabelMap(props.podLabels, 'spec.podSelector.matchLabels', c);
    issues.push(...c.issues);
    issues.push(...ruleListIssues(props.ingress, 'ingress'), ...ruleListIssues(props.egress, 'egress'));
    if (issues.length) throwOverrideIssues(this, KUBERNETES_KIND, this.name, issues);
    this.ingressList.push(...(props.ingress ?? []).map(copyOverrideRule));
    this.egressList.push(...(props.egress ?? []).map(copyOverrideRule));
    this.apiObject = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: props.labels && Object.keys(props.labels).length ? { ...props.labels } : undefined,
        annotations: props.annotations && Object.keys(props.annotations).length ? { ...props.annotations } : undefined,
      },
      spec: Lazy.any({ produce: () => this.renderSpec() }) as any,
    });
    this.node.defaultChild = this.apiObject;
    addCalicoValidation(this, () => opensNothing(KUBERNETES_KIND, this.name, this.namespaceName, this.ingressList.length + this.egressList.length));
  }

  /** The ingress rules (copies). */
  public get ingressRules(): OverrideRule[] {
    return this.ingressList.map(copyOverrideRule);
  }

  /** The egress rules (copies). */
  public get egressRules(): OverrideRule[] {
    return this.egressList.map(copyOverrideRule);
  }

  /**
   * Opens more traffic into the pods. Checked at once; a bad rule throws and is not added.
   * @param rule ports and peers, e.g. `{ ports: [Port.tcp(80)] }`
   */
  public allowIngress(rule: OverrideRule): void {
    checkArguments('KubernetesNamespaceOverride.allowIngress', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    const issues = overrideRuleIssues(rule, `spec.ingress[${this.ingressList.length}]`);
    if (issues.length) throwOverrideIssues(this, KUBERNETES_KIND, this.name, issues);
    this.ingressList.push(copyOverrideRule(rule));
  }

  /**
   * Opens more traffic out of the pods. Checked at once; a bad rule throws and is not added.
   * @param rule ports and peers, e.g. `{ peers: [OverridePeer.cidr('10.20.0.0/16')], ports: [Port.tcp(5432)] }`
   */
  public allowEgress(rule: OverrideRule): void {
    checkArguments('KubernetesNamespaceOverride.allowEgress', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    const issues = overrideRuleIssues(rule, `spec.egress[${this.egressList.length}]`);
    if (issues.length) throwOverrideIssues(this, KUBERNETES_KIND, this.name, issues);
    this.egressList.push(copyOverrideRule(rule));
  }

  /** The spec in the typed layer's shape. Pure. */
  private renderSpec(): k8s.NetworkPolicySpec {
    const policyTypes: string[] = [];
    if (this.ingressList.length) policyTypes.push('Ingress');
    if (this.egressList.length) policyTypes.push('Egress');
    return {
      podSelector: { matchLabels: copyLabels(this.podLabels) },
      policyTypes: policyTypes.length ? policyTypes : undefined,
      ingress: this.ingressList.length ? this.ingressList.map(r => ({ from: kubernetesPeers(r), ports: kubernetesPorts(r) })) : undefined,
      egress: this.egressList.length ? this.egressList.map(r => ({ to: kubernetesPeers(r), ports: kubernetesPorts(r) })) : undefined,
    };
  }
}

/**
 * Properties of a `CalicoNamespaceOverride`.
 */
export interface CalicoNamespaceOverrideProps extends NamespaceOverrideProps {
  /**
   * Where the policy sits among all policies. Keep it below the default deny's order (2000) so
   * any Deny rules you add are consulted before the deny's allowances.
   * @default 1500 - after Kubernetes NetworkPolicies (1000), before the default deny (2000)
   */
  readonly order?: number;
}

/**
 * Opens traffic in one namespace on top of a `DefaultDenyPolicy`, with a Calico
 * `projectcalico.org/v3` NetworkPolicy. It takes the same `OverrideRule`s as
 * `KubernetesNamespaceOverride`, and, being a `NetworkPolicy`, any Calico rule through
 * `addIngressRule` / `addEgressRule`: Deny and Log actions, an explicit order, ICMP, service
 * accounts, Services, network sets, `notNets`, HTTP matches.
 *
 * Each `OverrideRule` becomes one Allow rule per peer and protocol (a Calico rule matches one
 * protocol). The policy's `types` are left for Calico to derive, which gives exactly the
 * directions that have rules.
 *
 * @example
 * const override = new CalicoNamespaceOverride(chart, 'org-2-https', {
 *   namespaceName: 'org-2',
 *   ingress: [{ ports: [Port.tcp(443)] }],
 * });
 * override.addEgressRule(Rule.deny({ destination: { nets: ['169.254.169.254/32'] } }));
 */
export class CalicoNamespaceOverride extends NetworkPolicy {
  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the namespace and what to open
   */
  constructor(scope: Construct, id: string, props: CalicoNamespaceOverrideProps) {
    checkArguments('CalicoNamespaceOverride', [scope, id, props], { leave: POLICY_RULE_TYPES });
    const plan = withConstructPath(childPath(scope, id), () => planCalicoOverride(props));
    // Before `super`: the base class would refuse an unplanned policy with a vaguer message.
    if (plan.issues.length) throwOverrideIssues(childPath(scope, id), 'NetworkPolicy', props.name ?? id, plan.issues);
    super(scope, id, plan.policy);
    addCalicoValidation(this, () => opensNothing('NetworkPolicy', this.name, this.namespaceName!, this._ruleCount));
  }

  /**
   * Opens more traffic into the pods: one Allow rule per peer and protocol. Checked at once; a
   * bad rule throws and nothing is added.
   * @param rule ports and peers, e.g. `{ ports: [Port.tcp(80)] }`
   */
  public allowIngress(rule: OverrideRule): void {
    checkArguments('CalicoNamespaceOverride.allowIngress', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    const issues = overrideRuleIssues(rule, `spec.ingress[${this.ingressRules.length}]`);
    if (issues.length) throwOverrideIssues(this, 'NetworkPolicy', this.name, issues);
    for (const r of calicoRules(rule, 'ingress')) this.addIngressRule(r);
  }

  /**
   * Opens more traffic out of the pods: one Allow rule per peer and protocol. Checked at once; a
   * bad rule throws and nothing is added.
   * @param rule ports and peers, e.g. `{ peers: [OverridePeer.cidr('10.20.0.0/16')], ports: [Port.tcp(5432)] }`
   */
  public allowEgress(rule: OverrideRule): void {
    checkArguments('CalicoNamespaceOverride.allowEgress', [rule], { scope: this, leave: POLICY_RULE_TYPES });
    const issues = overrideRuleIssues(rule, `spec.egress[${this.egressRules.length}]`);
    if (issues.length) throwOverrideIssues(this, 'NetworkPolicy', this.name, issues);
    for (const r of calicoRules(rule, 'egress')) this.addEgressRule(r);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks shared by both overrides.
// ---------------------------------------------------------------------------------------------

function throwOverrideIssues(scope: Construct | string, kind: string, name: string, issues: ValidationIssue[]): never {
  const lines = issues.map(i => `${kind} ${quote(name)}: ${i.path}: ${i.message}`);
  throw new CalicoValidationError(lines.join('\n'), scope, issues);
}

function opensNothing(kind: string, name: string, namespaceName: string, ruleCount: number): string[] {
  if (ruleCount > 0) return [];
  return [`${kind} ${quote(name)} in namespace ${quote(namespaceName)} opens nothing: it has no ingress or egress rules; `
    + 'add one with allowIngress() or allowEgress(), or remove the override'];
}

/** Issues of the metadata (name, namespace, labels, annotations), with the checks calicoctl runs. */
function metadataIssues(name: string, props: NamespaceOverrideProps): ValidationIssue[] {
  const c = new IssueCollector();
  checkNamespaceGiven(props, c);
  validateMetadata({ kind: 'NetworkPolicy', metadata: { name, namespace: props.namespaceName, labels: props.labels, annotations: props.annotations } }, c);
  return c.issues;
}

/** An override opens one namespace: an empty name (which kubectl would read as its current namespace) is a mistake. */
function checkNamespaceGiven(props: NamespaceOverrideProps, c: IssueCollector): void {
  if (props.namespaceName === '') c.add('metadata.namespace', 'namespaceName is empty; name the namespace to open, e.g. namespaceName: \'org-1\'');
}

function checkLabelMap(labels: unknown, path: string, c: IssueCollector): { [key: string]: string } | undefined {
  if (labels === undefined) return undefined;
  const before = c.issues.length;
  const out = checkLabels(labels, path, c);
  return c.issues.length === before ? out : undefined;
}

/** A label map checked as Kubernetes checks labels; throws at the call that received it. */
function checkedLabels(labels: { [key: string]: string } | undefined, call: string, field: string): { [key: string]: string } | undefined {
  if (labels === undefined) return undefined;
  const c = new IssueCollector();
  const out = checkLabels(labels, field, c);
  if (c.issues.length) {
    throw new CalicoValidationError(`${call}: ${c.issues.map(i => `${i.path}: ${i.message}`).join('; ')}`);
  }
  return { ...out };
}

function ruleListIssues(rules: OverrideRule[] | undefined, direction: 'ingress' | 'egress'): ValidationIssue[] {
  return (rules ?? []).flatMap((r, i) => overrideRuleIssues(r, `spec.${direction}[${i}]`));
}

/** Reports values that are not the library's types (from untyped callers). */
function overrideRuleIssues(rule: OverrideRule, path: string): ValidationIssue[] {
  if (typeof rule !== 'object' || rule === null) {
    return [{ path, message: `a rule must be an object with ports and/or peers, got ${quoteJson(rule)}; use { ports: [Port.tcp(80)] }` }];
  }
  const issues: ValidationIssue[] = [];
  (rule.ports ?? []).forEach((port: unknown, i) => {
    if (!(port instanceof Port)) {
      const example = typeof port === 'number' ? `Port.tcp(${port})` : 'Port.tcp(80), Port.udp(53) or Port.named(\'http\')';
      issues.push({ path: `${path}.ports[${i}]`, message: `${quoteJson(port)} is not a Port; use ${example}` });
    }
  });
  (rule.peers ?? []).forEach((peer: unknown, i) => {
    if (!(peer instanceof OverridePeer)) {
      issues.push({
        path: `${path}.peers[${i}]`,
        message: `${quoteJson(peer)} is not an OverridePeer; use OverridePeer.sameNamespace(), OverridePeer.namespaces([...]) or OverridePeer.cidr(...)`,
      });
    }
  });
  return issues;
}

function copyOverrideRule(rule: OverrideRule): OverrideRule {
  return { ports: rule.ports ? [...rule.ports] : undefined, peers: rule.peers ? [...rule.peers] : undefined };
}

function copyLabels(labels: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  return labels && Object.keys(labels).length ? { ...labels } : undefined;
}

/** `(k1 == "v1" && k2 == "v2")` for a label map, or undefined for no labels. */
function labelSelector(labels: { [key: string]: string } | undefined): Selector | undefined {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return undefined;
  return Selector.allOf(...keys.map(k => Selector.eq(k, labels![k])));
}

/** The protocol a port opens: its own, or TCP (the Kubernetes default). */
function portProtocol(port: Port): Protocol {
  return port.protocol ?? Protocol.TCP;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes rendering.
// ---------------------------------------------------------------------------------------------

function kubernetesPeers(rule: OverrideRule): k8s.NetworkPolicyPeer[] | undefined {
  return rule.peers?.length ? rule.peers.map(p => p._toKubernetes()) : undefined;
}

function kubernetesPorts(rule: OverrideRule): k8s.NetworkPolicyPort[] | undefined {
  if (!rule.ports?.length) return undefined;
  return rule.ports.map(p => ({
    protocol: portProtocol(p).toString(),
    port: p.portName !== undefined ? k8s.IntOrString.fromString(p.portName) : k8s.IntOrString.fromNumber(p.minPort!),
    endPort: p.portName === undefined && p.maxPort !== p.minPort ? p.maxPort : undefined,
  }));
}

// ---------------------------------------------------------------------------------------------
// Calico rendering.
// ---------------------------------------------------------------------------------------------

interface CalicoOverridePlan {
  readonly policy: NetworkPolicyProps;
  readonly issues: ValidationIssue[];
}

function planCalicoOverride(props: CalicoNamespaceOverrideProps): CalicoOverridePlan {
  const issues: ValidationIssue[] = [];
  const c = new IssueCollector();
  checkNamespaceGiven(props, c);
  const podLabels = checkLabelMap(props.podLabels, 'spec.selector', c);
  issues.push(...c.issues);
  issues.push(...ruleListIssues(props.ingress, 'ingress'), ...ruleListIssues(props.egress, 'egress'));
  const base: NetworkPolicyProps = { name: props.name, labels: props.labels, annotations: props.annotations, namespaceName: props.namespaceName };
  if (issues.length) return { policy: base, issues };
  return {
    policy: {
      ...base,
      order: props.order ?? CALICO_OVERRIDE_ORDER,
      selector: labelSelector(podLabels),
      ingress: (props.ingress ?? []).flatMap(r => calicoRules(r, 'ingress')),
      egress: (props.egress ?? []).flatMap(r => calicoRules(r, 'egress')),
    },
    issues,
  };
}

/** One Allow rule per peer and protocol, in the order given. */
function calicoRules(rule: OverrideRule, direction: 'ingress' | 'egress'): PolicyRule[] {
  const peers: Array<EntityRule | undefined> = rule.peers?.length ? rule.peers.map(p => p._toCalico()) : [undefined];
  const groups: Array<{ protocol?: Protocol; ports?: Port[] }> = [];
  for (const port of rule.ports ?? []) {
    const protocol = portProtocol(port);
    const group = groups.find(g => g.protocol!.sameProtocolAs(protocol));
    if (group) group.ports!.push(port);
    else groups.push({ protocol, ports: [port] });
  }
  if (!groups.length) groups.push({});
  const out: PolicyRule[] = [];
  for (const peer of peers) {
    for (const group of groups) {
      const peerEntity = peer ? withoutUndefined(peer) : undefined;
      if (direction === 'ingress') {
        out.push(Rule.allow({
          protocol: group.protocol,
          source: peerEntity,
          destination: group.ports ? { ports: group.ports } : undefined,
        }));
      } else {
        const destination = { ...(peerEntity ?? {}), ...(group.ports ? { ports: group.ports } : {}) };
        out.push(Rule.allow({ protocol: group.protocol, destination: Object.keys(destination).length ? destination : undefined }));
      }
    }
  }
  return out;
}

function withoutUndefined(e: EntityRule): EntityRule {
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(e)) if (v !== undefined) out[k] = v;
  return out as EntityRule;
}
