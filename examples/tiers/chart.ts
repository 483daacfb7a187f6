import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CalicoCluster, CalicoNamespaceOverride, DefaultDenyPolicy, KubernetesNamespaceOverride, OverridePeer, PlatformGuardrails, Port,
} from 'cdk8s-calico';

/**
 * Guardrails a namespace cannot override, and a default deny rolled out staged:
 * - the `platform` tier (order 10,000: after Calico's admin tier, before `default`) denies every
 *   workload egress to the cloud metadata service, always allows DNS, and passes the rest on;
 * - the cluster-wide default deny is a StagedGlobalNetworkPolicy: Calico reports what it would deny,
 *   nothing is enforced yet (flip `staged` off to enforce it);
 * - namespace org-1 calls out on HTTPS anywhere (egress to 0.0.0.0/0 on TCP 443) and takes HTTP in;
 *   the metadata service stays out of its reach because the guardrail's tier decides first.
 */
export class TiersChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The platform tier and its guardrail policy. */
  public readonly guardrails: PlatformGuardrails;
  /** The default deny, staged. */
  public readonly defaultDeny: DefaultDenyPolicy;
  /** org-1's HTTPS egress to anywhere. */
  public readonly org1Https: CalicoNamespaceOverride;
  /** org-1's HTTP ingress. */
  public readonly org1Http: KubernetesNamespaceOverride;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24'], mtu: 1500 },
      expectedNodes: 20,
    });
    this.guardrails = new PlatformGuardrails(this, 'guardrails', {
      denyEgressTo: PlatformGuardrails.cloudMetadataNets(),
    });
    this.defaultDeny = new DefaultDenyPolicy(this, 'default-deny', { staged: true });
    this.org1Https = new CalicoNamespaceOverride(this, 'org-1-https', {
      namespaceName: 'org-1',
      egress: [{ peers: [OverridePeer.cidr('0.0.0.0/0')], ports: [Port.tcp(443)] }],
    });
    this.org1Http = new KubernetesNamespaceOverride(this, 'org-1-http', {
      name: 'allow-http',
      namespaceName: 'org-1',
      ingress: [{ ports: [Port.tcp(80)] }],
    });
  }
}
