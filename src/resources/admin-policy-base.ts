import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkArguments } from '../core/argument-check';
import { CalicoVersion, calicoVersionOf } from '../core/calico-version';
import { throwIssues, ValidationIssue } from '../core/errors';
import { quote } from '../core/quote';
import { Port } from '../language/port';
import { Protocol } from '../language/protocol';
import { validateRenderedManifest } from '../validation/validate';
import { chartCheckOf, ChartMember, markCalicoResource, noteResourceChange } from './chart-check';

/**
 * What a rule of a Kubernetes admin policy does with the traffic it matches.
 */
export enum AdminPolicyAction {
  /**
   * Allow it, and stop: no later policy or tier is consulted. Written `Accept` in a
   * ClusterNetworkPolicy and `Allow` in an AdminNetworkPolicy or BaselineAdminNetworkPolicy.
   */
  ACCEPT = 'Accept',
  /** Drop it, and stop. */
  DENY = 'Deny',
  /**
   * Skip the remaining admin rules and hand the decision on: to the NetworkPolicies and Calico
   * policies of the `default` tier, then to the baseline (not in a baseline policy).
   */
  PASS = 'Pass',
}

/**
 * The pods a Kubernetes admin policy applies to: every pod of the selected namespaces, or the
 * selected pods.
 *
 * @example
 * AdminPolicySubject.namespaces({ matchLabels: { tenant: 'a' } })
 * AdminPolicySubject.pods({ matchLabels: { app: 'web' } }, { matchLabels: { env: 'prod' } })
 */
export class AdminPolicySubject {
  /**
   * Every pod of the namespaces whose labels match (`{}` selects every namespace).
   * @param namespaceSelector the namespaces
   */
  public static namespaces(namespaceSelector: k8s.LabelSelector): AdminPolicySubject {
    checkArguments('AdminPolicySubject.namespaces', [namespaceSelector]);
    return new AdminPolicySubject({ namespaces: k8s.toJson_LabelSelector(namespaceSelector) });
  }

  /**
   * The pods whose labels match, in the namespaces whose labels match.
   * @param podSelector the pods (`{}` selects every pod)
   * @param namespaceSelector the namespaces; every namespace when omitted
   */
  public static pods(podSelector: k8s.LabelSelector, namespaceSelector?: k8s.LabelSelector): AdminPolicySubject {
    checkArguments('AdminPolicySubject.pods', [podSelector, namespaceSelector]);
    return new AdminPolicySubject({ pods: podsJson(podSelector, namespaceSelector) });
  }

  private constructor(private readonly json: Record<string, any>) {}

  /**
   * The subject as written in a manifest of the given API version (`v1alpha1` names every
   * namespace with `{}`).
   * @internal
   */
  public _render(v1alpha1: boolean): Record<string, any> {
    return renderPods(this.json, v1alpha1);
  }
}

/**
 * The other side of a rule of a Kubernetes admin policy: namespaces, pods, and for egress networks
 * (CIDRs) and, in AdminNetworkPolicy and BaselineAdminNetworkPolicy, nodes.
 */
export class AdminPolicyPeer {
  /**
   * Every pod of the namespaces whose labels match (`{}` selects every namespace).
   * @param namespaceSelector the namespaces
   */
  public static namespaces(namespaceSelector: k8s.LabelSelector): AdminPolicyPeer {
    checkArguments('AdminPolicyPeer.namespaces', [namespaceSelector]);
    return new AdminPolicyPeer({ namespaces: k8s.toJson_LabelSelector(namespaceSelector) });
  }

  /**
   * The pods whose labels match, in the namespaces whose labels match.
   * @param podSelector the pods (`{}` selects every pod)
   * @param namespaceSelector the namespaces; every namespace when omitted
   */
  public static pods(podSelector: k8s.LabelSelector, namespaceSelector?: k8s.LabelSelector): AdminPolicyPeer {
    checkArguments('AdminPolicyPeer.pods', [podSelector, namespaceSelector]);
    return new AdminPolicyPeer({ pods: podsJson(podSelector, namespaceSelector) });
  }

  /**
   * Addresses outside the cluster's pods, as CIDRs (egress only; 1 to 25 of them).
   * @param cidrs CIDRs such as `'10.0.0.0/8'` or `'2001:db8::/32'`
   */
  public static networks(cidrs: string[]): AdminPolicyPeer {
    checkArguments('AdminPolicyPeer.networks', [cidrs]);
    return new AdminPolicyPeer({ networks: [...cidrs] });
  }

  /**
   * The nodes whose labels match (egress only; AdminNetworkPolicy and BaselineAdminNetworkPolicy,
   * whose v1alpha1 API has this peer, not ClusterNetworkPolicy).
   * @param nodeSelector the nodes
   */
  public static nodes(nodeSelector: k8s.LabelSelector): AdminPolicyPeer {
    checkArguments('AdminPolicyPeer.nodes', [nodeSelector]);
    return new AdminPolicyPeer({ nodes: k8s.toJson_LabelSelector(nodeSelector) });
  }

  private constructor(private readonly json: Record<string, any>) {}

  /**
   * The peer as written in a manifest of the given API version.
   * @internal
   */
  public _render(v1alpha1: boolean): Record<string, any> {
    return renderPods(this.json, v1alpha1);
  }
}

/**
 * A rule of a Kubernetes admin policy: traffic from (ingress) or to (egress) its peers, on its
 * ports, gets its action. Rules are evaluated in order; the first that matches decides.
 */
export interface AdminPolicyRule {
  /**
   * The rule's name, shown in the policy's status (at most 100 characters).
   * @default - no name
   */
  readonly name?: string;
  /** What the rule does with the traffic it matches. */
  readonly action: AdminPolicyAction;
  /** The peers: sources for ingress, destinations for egress (at least one). */
  readonly peers: AdminPolicyPeer[];
  /**
   * The destination ports: `Port.tcp(443)`, `Port.udpRange(5000, 5010)`, `Port.named('http')`. A
   * port without a protocol (`Port.number(80)`) is TCP, as the v1alpha1 CRD defaults it.
   * @default - every port
   */
  readonly ports?: Port[];
}

/**
 * Properties every Kubernetes admin policy kind shares.
 */
export interface AdminPolicyBaseProps {
  /**
   * Labels of the policy.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the policy.
   * @default - no annotations
   */
  readonly annotations?: { [key: string]: string };
  /** The pods the policy applies to. */
  readonly subject: AdminPolicySubject;
  /**
   * Rules for traffic into the subject's pods, in order.
   * @default - none; add more with `addIngressRule`
   */
  readonly ingress?: AdminPolicyRule[];
  /**
   * Rules for traffic out of the subject's pods, in order.
   * @default - none; add more with `addEgressRule`
   */
  readonly egress?: AdminPolicyRule[];
}

/**
 * Base class of the Kubernetes admin policy constructs Calico enforces (`ClusterNetworkPolicy`,
 * `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy`, of the `policy.networking.k8s.io` API
 * group): the subject and the ordered ingress and egress rules. The object is checked against its
 * CRD and the CRD's rules where it arrives, and again at synthesis for the chart's Calico line,
 * which must be one that has the kind.
 */
export abstract class AdminPolicyBase extends ApiObject implements ChartMember {
  /** The pods the policy applies to. */
  public readonly subject: AdminPolicySubject;
  private readonly ingress: AdminPolicyRule[];
  private readonly egress: AdminPolicyRule[];
  private readonly policyLabels: { [key: string]: string };
  private readonly policyAnnotations: { [key: string]: string };
  private checkedVersion?: CalicoVersion;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param kind the kind, e.g. `ClusterNetworkPolicy`
   * @param apiVersion the API version, e.g. `policy.networking.k8s.io/v1alpha2`
   * @param name `metadata.name`
   * @param props the shared props
   */
  protected constructor(scope: Construct, id: string, kind: string, apiVersion: string, name: string, props: AdminPolicyBaseProps) {
    const late: { self?: AdminPolicyBase } = {};
    const labels = { ...(props.labels ?? {}) };
    const annotations = { ...(props.annotations ?? {}) };
    super(scope, id, {
      apiVersion,
      kind,
      metadata: {
        name,
        labels: Object.keys(labels).length ? labels : undefined,
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      spec: Lazy.any({ produce: () => late.self!.renderSpec() }),
    });
    late.self = this;
    this.subject = props.subject;
    this.ingress = [...(props.ingress ?? [])];
    this.egress = [...(props.egress ?? [])];
    this.policyLabels = labels;
    this.policyAnnotations = annotations;
    markCalicoResource(this);
    chartCheckOf(this);
  }

  /** The Calico version of the policy's scope: the line must have the kind. */
  public get calicoVersion(): CalicoVersion {
    return calicoVersionOf(this);
  }

  /** The ingress rules, in order (a copy). */
  public get ingressRules(): AdminPolicyRule[] {
    return [...this.ingress];
  }

  /** The egress rules, in order (a copy). */
  public get egressRules(): AdminPolicyRule[] {
    return [...this.egress];
  }

  /**
   * Appends a rule for traffic into the subject's pods. It is checked at once; a bad rule throws
   * and is not added.
   * @param rule the rule
   */
  public addIngressRule(rule: AdminPolicyRule): void {
    checkArguments('AdminPolicyBase.addIngressRule', [rule], { scope: this });
    this.addRule(this.ingress, rule);
  }

  /**
   * Appends a rule for traffic out of the subject's pods. It is checked at once; a bad rule throws
   * and is not added.
   * @param rule the rule
   */
  public addEgressRule(rule: AdminPolicyRule): void {
    checkArguments('AdminPolicyBase.addEgressRule', [rule], { scope: this });
    this.addRule(this.egress, rule);
  }

  /** The manifest as synthesized: cluster-scoped, so without the chart's namespace. */
  public toJson(): any {
    const json = super.toJson();
    if (json.metadata?.namespace === undefined) return json;
    const { namespace: _namespace, ...metadata } = json.metadata;
    return { ...json, metadata };
  }

  /** The policy as a plain manifest, as `validateManifest` takes it. Pure. */
  public toManifest(): any {
    const metadata: { [key: string]: any } = { name: this.name };
    if (Object.keys(this.policyLabels).length) metadata.labels = { ...this.policyLabels };
    if (Object.keys(this.policyAnnotations).length) metadata.annotations = { ...this.policyAnnotations };
    return { apiVersion: this.apiVersion, kind: this.kind, metadata, spec: this.renderSpec() };
  }

  /** @internal */
  public _problemsAtSynth(): ValidationIssue[] {
    const version = this.calicoVersion;
    return this.checkedVersion === version ? [] : validateRenderedManifest(this.toManifest(), version);
  }

  /** @internal */
  public _setManifest(withSpec: boolean): any {
    return { ...this.toManifest(), spec: withSpec ? this.renderSpec() : undefined };
  }

  /** @internal */
  public _externalReferences(): string[] {
    return [];
  }

  /**
   * Checks the policy as it stands and throws naming every issue. Subclasses call it at the end
   * of their constructor.
   * @internal
   */
  protected _validateNow(): void {
    noteResourceChange();
    this.checkedVersion = undefined;
    const version = this.calicoVersion;
    const issues = validateRenderedManifest(this.toManifest(), version);
    if (issues.length) throwIssues(this, `${this.kind} ${quote(this.name)}`, issues);
    this.checkedVersion = version;
  }

  /**
   * The kind's own spec fields (priority, tier), rendered; none by default.
   * @internal
   */
  protected _kindFields(): { [key: string]: any } {
    return {};
  }

  private addRule(list: AdminPolicyRule[], rule: AdminPolicyRule): void {
    list.push(rule);
    try {
      this._validateNow();
    } catch (e) {
      list.pop();
      this.checkedVersion = undefined;
      throw e;
    }
  }

  private get v1alpha1(): boolean {
    return this.apiVersion.endsWith('/v1alpha1');
  }

  private renderSpec(): any {
    const v1 = this.v1alpha1;
    const spec: Record<string, any> = { ...this._kindFields(), subject: this.subject._render(v1) };
    if (this.ingress.length) spec.ingress = this.ingress.map(r => renderRule(r, 'from', v1));
    if (this.egress.length) spec.egress = this.egress.map(r => renderRule(r, 'to', v1));
    return spec;
  }
}

function podsJson(podSelector: k8s.LabelSelector, namespaceSelector?: k8s.LabelSelector): Record<string, any> {
  const pods: Record<string, any> = { podSelector: k8s.toJson_LabelSelector(podSelector) ?? {} };
  if (namespaceSelector !== undefined) pods.namespaceSelector = k8s.toJson_LabelSelector(namespaceSelector) ?? {};
  return pods;
}

/** v1alpha1 requires a pods peer's namespaceSelector; every namespace is `{}`. */
function renderPods(json: Record<string, any>, v1alpha1: boolean): Record<string, any> {
  if (!json.pods || !v1alpha1 || json.pods.namespaceSelector !== undefined) return structuredClone(json);
  return { pods: { namespaceSelector: {}, ...structuredClone(json.pods) } };
}

function renderRule(rule: AdminPolicyRule, peersField: 'from' | 'to', v1alpha1: boolean): Record<string, any> {
  const out: Record<string, any> = {};
  if (rule.name !== undefined) out.name = rule.name;
  out.action = v1alpha1 && rule.action === AdminPolicyAction.ACCEPT ? 'Allow' : rule.action;
  out[peersField] = (rule.peers ?? []).map(p => (p instanceof AdminPolicyPeer ? p._render(v1alpha1) : p));
  if (rule.ports !== undefined) out[v1alpha1 ? 'ports' : 'protocols'] = rule.ports.map(p => renderPort(p, v1alpha1));
  return out;
}

/** A port: a v1alpha2 `protocols` entry or a v1alpha1 `ports` entry. */
function renderPort(port: Port, v1alpha1: boolean): Record<string, any> {
  if (!(port instanceof Port)) return port;
  if (port.portName !== undefined) return v1alpha1 ? { namedPort: port.portName } : { destinationNamedPort: port.portName };
  const protocol = (port.protocol ?? Protocol.TCP).toString();
  const single = port.minPort === port.maxPort;
  if (v1alpha1) {
    return single ? { portNumber: { port: port.minPort, protocol } } : { portRange: { start: port.minPort, end: port.maxPort, protocol } };
  }
  const destinationPort = single ? { number: port.minPort } : { range: { start: port.minPort, end: port.maxPort } };
  return { [protocol.toLowerCase()]: { destinationPort } };
}
