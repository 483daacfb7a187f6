import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster, DefaultDenyPolicy, KubernetesNamespaceOverride, Port } from 'cdk8s-calico';

/**
 * What `addDefaultDeny` adds: the cluster-wide default deny and the override that opens org-1.
 */
export interface DefaultDenyPolicies {
  /** The GlobalNetworkPolicy `default-deny` (order 2000). */
  readonly defaultDeny: DefaultDenyPolicy;
  /** The Kubernetes NetworkPolicy `allow-http` in namespace org-1 (TCP 80 into every pod). */
  readonly org1Http: KubernetesNamespaceOverride;
}

/**
 * Adds the default deny and the org-1 override to any chart (the reference example uses it too):
 * every pod outside kube-system is denied all traffic except DNS and kube-system, then namespace
 * org-1 is opened for TCP 80 ingress from anywhere with a portable Kubernetes NetworkPolicy.
 *
 * @param scope the chart (or any construct) to add the policies to
 */
export function addDefaultDeny(scope: Construct): DefaultDenyPolicies {
  const defaultDeny = new DefaultDenyPolicy(scope, 'default-deny');
  const org1Http = new KubernetesNamespaceOverride(scope, 'org-1-http', {
    name: 'allow-http',
    namespaceName: 'org-1',
    ingress: [{ ports: [Port.tcp(80)] }],
  });
  return { defaultDeny, org1Http };
}

/**
 * A Calico install with a cluster-wide default deny, and namespace org-1 opened for HTTP.
 */
export class DefaultDenyChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The default deny and the org-1 override. */
  public readonly policies: DefaultDenyPolicies;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/22'], mtu: 1500 },
      expectedNodes: 20,
    });
    this.policies = addDefaultDeny(this);
  }
}
