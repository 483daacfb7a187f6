import { Chart } from 'cdk8s';
import { checkArguments, copyPlainData } from '../core/argument-check';
import { CalicoVersion } from '../core/calico-version';
import { CalicoValidationError } from '../core/errors';
import { isObject, readNamespace, Where } from './private/policy-eval/calico';
import { EndpointDirectory } from './private/policy-eval/endpoints';
import { DirectionOutcome, evaluateDirection, MatchContext, protocolName } from './private/policy-eval/evaluate';
import { describeFlow, describeValue, findWorkload, resolveFlow } from './private/policy-eval/flows';
import { PolicySet } from './private/policy-eval/policy-set';
import { FelixPolicy, WorkloadRecord } from './private/policy-eval/types';
import { PolicyType, RuleAction } from '../language/rule';
import { StagedAction } from '../resources/policy-base';

/**
 * A named container port of a workload, which rules that name the port (`Port.named('http')`,
 * a Kubernetes NetworkPolicy `port: http`) resolve to.
 */
export interface NamedPort {
  /** The port's name, as in the container's `ports[].name`. */
  readonly name: string;
  /** The port number. */
  readonly port: number;
  /**
   * The port's protocol: `TCP`, `UDP` or `SCTP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

/**
 * One end of a flow: a workload (a pod, by namespace, labels and service account) or an address
 * outside the cluster's workloads (only `ip` set).
 *
 * @example
 * { namespaceName: 'org-1', labels: { app: 'web' }, serviceAccount: 'web', ip: '10.0.1.5' } // a workload
 * { ip: '203.0.113.7' }                                                                        // an address
 * { namespaceName: 'org-1', workloadName: 'web' }  // the model's Deployment/Pod 'web' in org-1
 */
export interface FlowEnd {
  /**
   * Name of a workload of the model (a Pod, or a Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * Job or CronJob, standing for its pods) in `namespaceName`: its pod labels, service account,
   * named ports and address are used for whatever this end does not set. The model must have it.
   * @default - an ad-hoc workload described by the other fields
   */
  readonly workloadName?: string;
  /**
   * The workload's namespace (an empty name means `default`, as calicoctl reads it).
   * @default 'default' (for a workload end)
   */
  readonly namespaceName?: string;
  /**
   * The pod's labels (without the labels Calico adds; those are added as in a cluster).
   * @default - the labels of `workloadName`, or none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The pod's service account.
   * @default - the service account of `workloadName`, otherwise 'default' (as Kubernetes assigns)
   */
  readonly serviceAccount?: string;
  /**
   * The address; it fixes the flow's IP family (IPv4 when neither end has one). A workload
   * without an address is in a rule's nets only when a net holds every address of the family
   * (`0.0.0.0/0`, `::/0`), and is in no network set.
   * @default - the address of `workloadName` when its Pod manifest has one, otherwise none
   */
  readonly ip?: string;
  /**
   * The workload's named container ports.
   * @default - the ports of `workloadName`; for an ad-hoc workload with labels, the named ports
   * of every model workload in the namespace whose labels include all of them
   */
  readonly namedPorts?: NamedPort[];
}

/**
 * A connection to evaluate: from `source` to `destination` on a protocol and port.
 */
export interface Flow {
  /** Where the connection starts (egress policy is checked here). */
  readonly source: FlowEnd;
  /** Where the connection goes (ingress policy is checked here). */
  readonly destination: FlowEnd;
  /**
   * The IP protocol: `TCP`, `UDP`, `SCTP`, `ICMP`, `ICMPv6`, `UDPLite` (any case) or a number.
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * The destination port; required for TCP, UDP and SCTP, not allowed for other protocols.
   * @default - none (only for protocols without ports)
   */
  readonly port?: number;
  /**
   * The source port.
   * @default - an ephemeral port that no rule names: rules with source `ports` do not match,
   * source `notPorts` do not exclude it
   */
  readonly sourcePort?: number;
  /**
   * The ICMP type (ICMP and ICMPv6 only), e.g. 8 for echo request.
   * @default - none: rules with `icmp` do not match, `notICMP` does not exclude
   */
  readonly icmpType?: number;
  /**
   * The ICMP code (ICMP and ICMPv6 only).
   * @default - none
   */
  readonly icmpCode?: number;
}

/**
 * Which kind of manifest a policy came from.
 */
export enum PolicyKind {
  /** A Calico GlobalNetworkPolicy. */
  GLOBAL_NETWORK_POLICY = 'GlobalNetworkPolicy',
  /** A Calico (namespaced) NetworkPolicy. */
  NETWORK_POLICY = 'NetworkPolicy',
  /** A Kubernetes NetworkPolicy (networking.k8s.io/v1), which Calico v3.31 runs as `knp.default.<name>`. */
  KUBERNETES_NETWORK_POLICY = 'KubernetesNetworkPolicy',
  /** A Calico StagedGlobalNetworkPolicy (only evaluated with `enforceStaged`). */
  STAGED_GLOBAL_NETWORK_POLICY = 'StagedGlobalNetworkPolicy',
  /** A Calico StagedNetworkPolicy (only evaluated with `enforceStaged`). */
  STAGED_NETWORK_POLICY = 'StagedNetworkPolicy',
  /** A Calico StagedKubernetesNetworkPolicy (only evaluated with `enforceStaged`). */
  STAGED_KUBERNETES_NETWORK_POLICY = 'StagedKubernetesNetworkPolicy',
  /** A Kubernetes ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2; Calico v3.32), in tier kube-admin or kube-baseline. */
  CLUSTER_NETWORK_POLICY = 'ClusterNetworkPolicy',
  /** A Kubernetes AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1; Calico v3.31), in tier adminnetworkpolicy. */
  ADMIN_NETWORK_POLICY = 'AdminNetworkPolicy',
  /** A Kubernetes BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1; Calico v3.31), in tier baselineadminnetworkpolicy. */
  BASELINE_ADMIN_NETWORK_POLICY = 'BaselineAdminNetworkPolicy',
}

/**
 * What decided a direction of a flow.
 */
export enum DecisionBasis {
  /** A rule's Allow or Deny (see `action`, `tier`). */
  RULE = 'Rule',
  /**
   * Every tier that selected the endpoint passed the traffic on, the last one (`tier`) by a Pass
   * rule (see `action`); after the last tier the namespace profile allowed the traffic.
   */
  PASS = 'Pass',
  /**
   * Every tier that selected the endpoint passed the traffic on, the last one (`tier`) by its
   * default action Pass (no rule of its policies decided); the namespace profile then allowed it.
   */
  TIER_DEFAULT_ACTION = 'TierDefaultAction',
  /**
   * Policies of a tier (`tier`) selected the endpoint for this direction but no rule of theirs
   * decided, and the tier's default action Deny dropped the traffic.
   */
  END_OF_TIER = 'EndOfTier',
  /** No policy of any tier selects the endpoint for this direction: the namespace profile allows. */
  NO_POLICY = 'NoPolicy',
  /** The end is an address, not a Calico workload: nothing is checked there. */
  NOT_AN_ENDPOINT = 'NotAnEndpoint',
}

/**
 * The verdict for one direction of a flow: egress at the source or ingress at the destination.
 */
export interface DirectionVerdict {
  /** The direction: Egress (checked at the source) or Ingress (checked at the destination). */
  readonly direction: PolicyType;
  /** Whether this direction lets the traffic through. */
  readonly allowed: boolean;
  /** What decided it. */
  readonly decidedBy: DecisionBasis;
  /** One sentence saying what decided it, naming the policy, rule index and action. */
  readonly reason: string;
  /** The end this direction is checked at, as messages name it. */
  readonly endpoint: string;
  /**
   * The tier that decided: the deciding rule's tier (RULE), the tier whose default action Deny
   * dropped the traffic (END_OF_TIER), or the last tier that passed it on (PASS,
   * TIER_DEFAULT_ACTION).
   * @default - none (NO_POLICY, NOT_AN_ENDPOINT)
   */
  readonly tier?: string;
  /**
   * The deciding policy's name as written in its manifest. For END_OF_TIER and
   * TIER_DEFAULT_ACTION, the last policy of the tier that selected the endpoint (the one whose end
   * the traffic fell off).
   * @default - none (NO_POLICY, NOT_AN_ENDPOINT)
   */
  readonly policyName?: string;
  /**
   * The deciding policy's kind.
   * @default - none (no deciding policy)
   */
  readonly policyKind?: PolicyKind;
  /**
   * The deciding policy's namespace.
   * @default - none (a GlobalNetworkPolicy, or no deciding policy)
   */
  readonly policyNamespace?: string;
  /**
   * The name Calico runs the deciding policy under (`default.<name>`, `knp.default.<name>`).
   * @default - none (no deciding policy)
   */
  readonly calicoPolicyName?: string;
  /**
   * Index of the deciding rule in the policy's rule list for this direction (for a Kubernetes
   * NetworkPolicy, in Calico's translation: one rule per peer and protocol).
   * @default - none (no deciding rule)
   */
  readonly ruleIndex?: number;
  /**
   * Where the deciding rule is in the manifest, e.g. `spec.ingress[0]` or `spec.ingress[1].from[0]`.
   * @default - none (no deciding rule)
   */
  readonly rulePath?: string;
  /**
   * The deciding rule's action.
   * @default - none (no deciding rule)
   */
  readonly action?: RuleAction;
  /** The policies that selected the endpoint for this direction in the tiers consulted, in evaluation order. */
  readonly policies: string[];
  /** Every rule looked at, in order, with why it did or did not match. */
  readonly trace: string[];
  /** The Log rules that matched on the way. */
  readonly logged: string[];
}

/**
 * The verdict on a flow.
 */
export interface FlowVerdict {
  /** Whether the connection is allowed: egress at the source and ingress at the destination both allow it. */
  readonly allowed: boolean;
  /** Egress at the source. */
  readonly egress: DirectionVerdict;
  /** Ingress at the destination. */
  readonly ingress: DirectionVerdict;
  /** The flow as messages name it, e.g. `TCP org-1/web -> org-2 {app=api} port 80`. */
  readonly flow: string;
  /** A few lines: the flow, the verdict, and what decided each direction. */
  readonly summary: string;
  /** What the model could not evaluate exactly (Service matches, HTTP criteria). */
  readonly warnings: string[];
}

/**
 * A policy of the model, in evaluation order.
 */
export interface PolicyInfo {
  /** The name as written in the manifest. */
  readonly name: string;
  /** The kind of manifest. */
  readonly kind: PolicyKind;
  /** The tier it is in (`default` for a Kubernetes NetworkPolicy; the built-in admin or baseline tier for a cluster network policy). */
  readonly tier: string;
  /** Whether it is a staged policy, evaluated only with `enforceStaged`. */
  readonly staged: boolean;
  /**
   * A staged policy's action once enforced.
   * @default - none (an enforced policy)
   */
  readonly stagedAction?: StagedAction;
  /**
   * The namespace.
   * @default - none (a GlobalNetworkPolicy)
   */
  readonly namespaceName?: string;
  /**
   * The name Felix knows it by: on v3.31 the stored name (`default.<name>` for a default-tier name
   * without a dot, `knp.default.<name>` for a Kubernetes NetworkPolicy); on v3.32 the name as written.
   */
  readonly calicoName: string;
  /**
   * The order.
   * @default - unset: evaluated after every policy with an order
   */
  readonly order?: number;
  /** The directions it governs. */
  readonly policyTypes: PolicyType[];
}

/**
 * Options of one evaluation.
 */
export interface EvaluateOptions {
  /**
   * Answer as if every staged policy were enforced: a staged policy with stagedAction Set (or
   * Learn, Ignore) replaces the enforced policy it stages (same kind, name, namespace and tier) or
   * is added when there is none; one with Delete removes that policy.
   * @default false - the enforced verdict: Felix enforces no staged policy
   */
  readonly enforceStaged?: boolean;
}

/**
 * Options of a policy model.
 */
export interface PolicyModelOptions {
  /**
   * The Calico release whose semantics the model follows. The supported lines evaluate alike;
   * they differ in the names policies run under and so in how policies of equal order are ordered
   * (see `PolicyModel`).
   * @default - `CalicoVersion.DEFAULT` (v3.32.1) for `fromManifests`; the chart's version
   *            (`CalicoVersion.of(chart)`) for `fromChart`
   */
  readonly calicoVersion?: CalicoVersion;
}

/**
 * An offline model of a cluster's network policy: answers "is this flow allowed, and by which
 * tier, policy and rule?" from the manifests alone, with the semantics of Calico v3.31 and v3.32
 * (checked against libcalico-go's conversions and update processors and Felix's policy sorter and
 * rule rendering at v3.31.7 and v3.32.1).
 *
 * It reads Calico Tier, GlobalNetworkPolicy, NetworkPolicy, their staged forms
 * (StagedGlobalNetworkPolicy, StagedNetworkPolicy, StagedKubernetesNetworkPolicy), GlobalNetworkSet
 * and NetworkSet (`projectcalico.org/v3` or `crd.projectcalico.org/v1`), Kubernetes NetworkPolicy
 * (translated as Calico does: tier default, order 1000, named `knp.default.<name>` on v3.31), the
 * Kubernetes cluster network policies of the model's line (v3.32 ClusterNetworkPolicy; v3.31
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy; another line's kind is an error), Namespaces,
 * ServiceAccounts and workloads (Pods and the pod templates of Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, Jobs, CronJobs). Other objects are ignored. Namespaces carry
 * `projectcalico.org/name` and `kubernetes.io/metadata.name` as in a cluster, whether or not a
 * Namespace manifest declares them. An object of a namespaced kind without `metadata.namespace`, or
 * with an empty one, is in `default` (as calicoctl and kubectl read it); a namespace that is not
 * text is an error.
 *
 * Semantics, per direction at a workload: the tiers run in order (the line's built-in tiers and the
 * Tier manifests; unset order last, ties by name), and a tier counts only when one of its policies
 * selects the endpoint for the direction. Within a tier policies run in `order` (unset last), ties
 * by the key Felix gives them: on v3.31 `<namespace>/<stored name>` (`<ns>/default.<name>`,
 * `<ns>/knp.default.<name>`) or the stored name of a global policy; on v3.32
 * `<name>/<namespace>/<kind>`, with the name as written. The first matching Allow or Deny decides;
 * Pass goes on to the next tier; Log goes on. A tier whose policies decide nothing applies its
 * default action: Deny (a Tier's default, and the `default` tier's unless a Tier manifest named
 * `default` says Pass) drops, Pass goes on to the next tier (the built-in admin and baseline tiers).
 * Traffic that every tier selecting the endpoint passed on, or that no tier selected, is allowed
 * by the namespace profile. Cluster network policies run in their tiers at order `priority`
 * (a BaselineAdminNetworkPolicy at 1000). Staged policies are not enforced by Calico, so
 * `evaluate(flow)` ignores them; `evaluate(flow, { enforceStaged: true })` previews them as
 * enforced. Host endpoints, Service matches and HTTP criteria are not modelled (the verdict's
 * `warnings` say when they were met).
 *
 * @example
 * const model = PolicyModel.fromChart(chart);
 * const verdict = model.evaluate({
 *   source: { namespaceName: 'org-1', labels: { app: 'web' } },
 *   destination: { namespaceName: 'org-2', labels: { app: 'api' } },
 *   protocol: 'TCP',
 *   port: 80,
 * });
 * verdict.allowed;        // false
 * verdict.ingress.reason; // 'denied: the policy selecting org-2 {app=api} for ingress ...'
 */
export class PolicyModel {
  /**
   * A model of these manifests: plain objects, such as a chart's synthesized output
   * (`Testing.synth(chart)`) or parsed YAML documents.
   * @param manifests the objects; kinds the model does not read are ignored
   * @param options the Calico release to follow
   * @throws CalicoValidationError when a policy, network set or workload cannot be read (a
   *         selector, CIDR or port Calico or Kubernetes would reject), naming the object and field
   */
  public static fromManifests(manifests: any[], options: PolicyModelOptions = {}): PolicyModel {
    if (!Array.isArray(manifests)) {
      throw new CalicoValidationError(`PolicyModel.fromManifests() needs a list of manifest objects, got ${describeValue(manifests)}; `
        + 'pass e.g. Testing.synth(chart) or the documents of a parsed YAML file');
    }
    checkArguments('PolicyModel.fromManifests', [manifests, options]);
    // Read once, here: the model then works on plain data that runs none of the caller's code.
    const version = options.calicoVersion ?? CalicoVersion.DEFAULT;
    return new PolicyModel(copyPlainData(manifests, 'PolicyModel.fromManifests()', 'manifests') as any[], version);
  }

  /**
   * A model of a chart's manifests (`chart.toJson()`), for the chart's Calico version unless
   * `options` name another.
   * @param chart the chart
   * @param options the Calico release to follow
   */
  public static fromChart(chart: Chart, options: PolicyModelOptions = {}): PolicyModel {
    checkArguments('PolicyModel.fromChart', [chart, options]);
    return PolicyModel.fromManifests(chart.toJson(), { calicoVersion: options.calicoVersion ?? CalicoVersion.of(chart) });
  }

  private readonly directory = new EndpointDirectory();
  private readonly policySet: PolicySet;
  private readonly context: MatchContext;

  private constructor(manifests: any[], version: CalicoVersion) {
    this.policySet = new PolicySet(version);
    manifests.forEach((m, i) => {
      if (!isObject(m)) {
        throw new CalicoValidationError(`PolicyModel: manifest ${i} is not an object (got ${describeValue(m)}); pass Kubernetes objects with apiVersion and kind`);
      }
      if (!this.policySet.add(m)) this.directory.add(m);
    });
    // Both layouts now, so that a policy in a tier that does not exist fails here, not at evaluate().
    this.policySet.layout(false);
    this.policySet.layout(true);
    this.context = {
      networkSets: this.directory.networkSets(),
      addressedWorkloads: this.directory.workloads
        .filter(w => w.ip && !w.hostNetwork)
        .map(w => ({ record: w, labels: this.directory.endpointLabels(w.namespace, w.labels, w.serviceAccount) })),
    };
  }

  /**
   * The policies, enforced and staged, in the order Calico evaluates them: by tier, then within a
   * tier by order (unset last), then by Felix's key. A staged policy is where it would run enforced.
   */
  public get policies(): PolicyInfo[] {
    return this.policySet.all().map(p => ({
      name: p.name,
      kind: kindOf(p),
      tier: p.tier,
      staged: p.staged !== undefined,
      stagedAction: p.staged as StagedAction | undefined,
      namespaceName: p.namespace,
      calicoName: p.calicoName,
      order: p.order,
      policyTypes: [
        ...(p.ingress !== undefined ? [PolicyType.INGRESS] : []),
        ...(p.egress !== undefined ? [PolicyType.EGRESS] : []),
      ],
    }));
  }

  /**
   * Every workload of the model (host-network pods excluded: Calico does not police them), as
   * flow ends ready to use.
   */
  public get workloads(): FlowEnd[] {
    return this.directory.workloads.filter(w => !w.hostNetwork).map(endOfRecord);
  }

  /**
   * The flow end of a workload of the model: its namespace, pod labels, service account, named
   * ports and (for a Pod that records one) address.
   * @param namespaceName the workload's namespace
   * @param name the name of the Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob
   * @throws CalicoValidationError when the model has no such workload
   */
  public workload(namespaceName: string, name: string): FlowEnd {
    checkArguments('PolicyModel.workload', [namespaceName, name]);
    const namespace = readNamespace(namespaceName, new Where('PolicyModel.workload()', 'namespaceName'));
    return endOfRecord(findWorkload(this.directory, namespace, name, 'PolicyModel.workload()'));
  }

  /**
   * Whether the flow is allowed (`evaluate(flow, options).allowed`).
   * @param flow the connection
   * @param options whether to preview staged policies as enforced
   */
  public allows(flow: Flow, options: EvaluateOptions = {}): boolean {
    checkArguments('PolicyModel.allows', [flow, options]);
    return this.evaluate(flow, options).allowed;
  }

  /**
   * Evaluates a flow: egress at the source (when it is a workload), ingress at the destination
   * (when it is a workload), each with the deciding tier, policy and rule or the reason nothing
   * matched.
   * @param flow the connection
   * @param options whether to preview staged policies as enforced
   * @throws CalicoValidationError when the flow is incomplete or inconsistent (no port for TCP,
   *         an unknown `workloadName`, addresses of two IP families)
   */
  public evaluate(flow: Flow, options: EvaluateOptions = {}): FlowVerdict {
    checkArguments('PolicyModel.evaluate', [flow, options]);
    const resolved = resolveFlow(copyPlainData(flow, 'PolicyModel.evaluate()', 'flow') as Flow, this.directory);
    const tiers = this.policySet.layout(options.enforceStaged === true);
    const egress = evaluateDirection('egress', resolved, tiers, this.context);
    const ingress = evaluateDirection('ingress', resolved, tiers, this.context);
    const allowed = egress.allowed && ingress.allowed;
    const text = describeFlow(resolved);
    const egressVerdict = toVerdict(PolicyType.EGRESS, egress);
    const ingressVerdict = toVerdict(PolicyType.INGRESS, ingress);
    const summary = [
      `${text}: ${allowed ? 'allowed' : 'denied'}`,
      `  egress at ${egress.endpoint}: ${egress.reason}`,
      `  ingress at ${ingress.endpoint}: ${ingress.reason}`,
    ].join('\n');
    return {
      allowed,
      egress: egressVerdict,
      ingress: ingressVerdict,
      flow: text,
      summary,
      warnings: [...new Set([...egress.warnings, ...ingress.warnings])],
    };
  }
}

/** The public kind of a policy: its manifest's kind (`Staged...` for a staged policy). */
function kindOf(p: FelixPolicy): PolicyKind {
  return (p.staged !== undefined ? `Staged${p.origin}` : p.origin) as PolicyKind;
}

function endOfRecord(w: WorkloadRecord): FlowEnd {
  return {
    workloadName: w.name,
    namespaceName: w.namespace,
    labels: { ...w.labels },
    serviceAccount: w.serviceAccount,
    ip: w.ip?.text,
    namedPorts: w.ports.map(p => ({ name: p.name, port: p.port, protocol: protocolName(p.protocol) })),
  };
}

function toVerdict(direction: PolicyType, outcome: DirectionOutcome): DirectionVerdict {
  const p = outcome.policy;
  return {
    direction,
    allowed: outcome.allowed,
    decidedBy: outcome.basis as DecisionBasis,
    reason: outcome.reason,
    endpoint: outcome.endpoint,
    tier: outcome.tier,
    policyName: p?.name,
    policyKind: p ? kindOf(p) : undefined,
    policyNamespace: p?.namespace,
    calicoPolicyName: p?.calicoName,
    ruleIndex: outcome.rule?.index,
    rulePath: outcome.rule?.path,
    action: outcome.rule?.action as RuleAction | undefined,
    policies: [...outcome.policies],
    trace: [...outcome.trace],
    logged: [...outcome.logged],
  };
}

