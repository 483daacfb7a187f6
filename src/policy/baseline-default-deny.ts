import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkArguments } from '../core/argument-check';
import { calicoVersionOf } from '../core/calico-version';
import { registeredClusters } from '../core/cluster-registry';
import { CalicoValidationError, ValidationIssue } from '../core/errors';
import { quoteJson } from '../core/quote';
import { checkSystemNamespaces } from './private/workload-scope';
import { Port } from '../language/port';
import { BaselineAdminNetworkPolicy } from '../resources/admin-network-policy';
import { AdminPolicyAction, AdminPolicyBase, AdminPolicyPeer, AdminPolicyRule, AdminPolicySubject } from '../resources/admin-policy-base';
import { ClusterNetworkPolicy, ClusterNetworkPolicyTier } from '../resources/cluster-network-policy';

/** The namespace label the API server sets on every namespace. */
const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The priority of the Baseline ClusterNetworkPolicy unless another is given: after every other baseline policy. */
const BASELINE_DENY_PRIORITY = 1000;

/**
 * Properties of a `BaselineDefaultDeny`.
 */
export interface BaselineDefaultDenyProps {
  /**
   * Namespaces the default deny leaves alone: their pods are not selected, and the selected pods
   * may send traffic to them and receive traffic from them. Must include `kube-system`.
   * @default - `kube-system` and the `systemNamespaces` of the CalicoClusters in the chart
   */
  readonly systemNamespaces?: string[];
  /**
   * Where the selected pods may send DNS queries (UDP and TCP port 53). An empty list allows no
   * DNS.
   * @default - the kube-dns pods (`k8s-app: kube-dns`) in `kube-system`
   */
  readonly dnsPeers?: AdminPolicyPeer[];
  /**
   * Priority of the ClusterNetworkPolicy among the Baseline ones (Calico v3.32; a
   * BaselineAdminNetworkPolicy has none).
   * @default 1000 - after every other Baseline policy
   */
  readonly priority?: number;
  /**
   * Further traffic into every selected pod to allow, evaluated before the deny.
   * @default - none
   */
  readonly ingressAllowances?: AdminPolicyRule[];
  /**
   * Further traffic out of every selected pod to allow, evaluated before the deny.
   * @default - none
   */
  readonly egressAllowances?: AdminPolicyRule[];
}

/**
 * A cluster-wide default deny for pods written in the portable Kubernetes API instead of Calico's:
 * a Baseline `ClusterNetworkPolicy` on Calico v3.32, the `BaselineAdminNetworkPolicy` on v3.31 (the
 * kind is chosen from the chart's Calico version when the construct is made; set the version, or
 * add the CalicoCluster, first). Baseline policies are evaluated after every NetworkPolicy, so a
 * namespace's own NetworkPolicies override the deny, as with `DefaultDenyPolicy`.
 *
 * It selects every namespace outside the system namespaces (by `kubernetes.io/metadata.name`) and
 * accepts, in order: the allowances, traffic from and to the system namespaces, DNS to the
 * cluster DNS; then denies all other traffic of pods, and egress to any address.
 *
 * @example
 * new BaselineDefaultDeny(chart, 'default-deny', { systemNamespaces: ['kube-system', 'calico-system'] });
 */
export class BaselineDefaultDeny extends Construct {
  /** The policy rendered: a ClusterNetworkPolicy (v3.32) or the BaselineAdminNetworkPolicy (v3.31). */
  public readonly policy: AdminPolicyBase;
  private readonly systemNamespaceList: string[];

  /**
   * @param scope parent construct
   * @param id construct id (also the ClusterNetworkPolicy's name)
   * @param props the default deny
   */
  constructor(scope: Construct, id: string, props: BaselineDefaultDenyProps = {}) {
    checkArguments('BaselineDefaultDeny', [scope, id, props]);
    super(scope, id);
    const clusters = registeredClusters(Chart.of(scope));
    const issues: ValidationIssue[] = [];
    this.systemNamespaceList = checkSystemNamespaces(props.systemNamespaces, clusters.flatMap(c => c.systemNamespaces), issues,
      'the default deny would cut off CoreDNS and the controllers there');
    if (issues.length) throw new CalicoValidationError(issues.map(i => `BaselineDefaultDeny: ${i.message}`).join('\n'), this, issues);
    const system = { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: this.systemNamespaceList }] };
    const everyNamespace = AdminPolicyPeer.namespaces({});
    const dns = props.dnsPeers ?? [AdminPolicyPeer.pods({ matchLabels: { 'k8s-app': 'kube-dns' } }, { matchLabels: { [NAME_LABEL]: 'kube-system' } })];
    const ingress: AdminPolicyRule[] = [
      ...(props.ingressAllowances ?? []),
      { name: 'from-system-namespaces', action: AdminPolicyAction.ACCEPT, peers: [AdminPolicyPeer.namespaces(system)] },
      { name: 'default-deny', action: AdminPolicyAction.DENY, peers: [everyNamespace] },
    ];
    const egress: AdminPolicyRule[] = [
      ...(props.egressAllowances ?? []),
      ...(dns.length ? [{ name: 'dns', action: AdminPolicyAction.ACCEPT, peers: dns, ports: [Port.udp(53), Port.tcp(53)] }] : []),
      { name: 'to-system-namespaces', action: AdminPolicyAction.ACCEPT, peers: [AdminPolicyPeer.namespaces(system)] },
      { name: 'default-deny', action: AdminPolicyAction.DENY, peers: [everyNamespace, AdminPolicyPeer.networks(['0.0.0.0/0', '::/0'])] },
    ];
    const subject = AdminPolicySubject.namespaces({ matchExpressions: [{ key: NAME_LABEL, operator: 'NotIn', values: this.systemNamespaceList }] });
    const version = calicoVersionOf(this);
    if (version._data.kubernetesPolicyKinds.ClusterNetworkPolicy !== undefined) {
      this.policy = new ClusterNetworkPolicy(this, 'Resource', {
        name: id, tier: ClusterNetworkPolicyTier.BASELINE, priority: props.priority ?? BASELINE_DENY_PRIORITY, subject, ingress, egress,
      });
    } else {
      if (props.priority !== undefined) {
        throw new CalicoValidationError(`BaselineDefaultDeny: priority ${quoteJson(props.priority)} has no effect on Calico ${version.line}, whose BaselineAdminNetworkPolicy has no priority; remove it`, this);
      }
      this.policy = new BaselineAdminNetworkPolicy(this, 'Resource', { subject, ingress, egress });
    }
  }

  /** The system namespaces the policy leaves alone (a copy). */
  public get systemNamespaces(): string[] {
    return [...this.systemNamespaceList];
  }
}
