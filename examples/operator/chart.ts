import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CalicoCluster, DefaultDenyPolicy, InstallMode, KubernetesNamespaceOverride, Port, RouteReflectorPool,
} from 'cdk8s-calico';

/**
 * The reference architecture's facts (examples/reference) installed by the Tigera operator:
 * - the operator of the Calico line (namespace tigera-operator, its RBAC and Deployment) and the
 *   Installation `default`, which carries the decisions: IP-in-IP CrossSubnet for nodes in three
 *   subnets of a 1500-byte network, MTU 1480, BGP on, node addresses from the three subnets; the
 *   operator runs calico-node, Typha (sized for the nodes itself) and kube-controllers in
 *   calico-system, and the Calico API server (APIServer `default`);
 * - global route reflection (one reflector per subnet) and a cluster-wide default deny, with
 *   namespace org-1 opened for HTTP: the same Calico resources as in manifest mode.
 */
export class OperatorChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The route reflectors and their peerings. */
  public readonly reflectors: RouteReflectorPool;
  /** The cluster-wide default deny. */
  public readonly defaultDeny: DefaultDenyPolicy;
  /** The override that opens TCP 80 into every pod of org-1. */
  public readonly org1Http: KubernetesNamespaceOverride;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      installMode: InstallMode.OPERATOR,
      network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'], mtu: 1500 },
      expectedNodes: 200,
    });
    this.reflectors = new RouteReflectorPool(this, 'route-reflectors', {
      cluster: this.calico,
      clusterId: '244.0.0.1',
      dedicated: true,
      reflectors: [
        { nodeName: 'rr-a', ipv4Address: '10.0.0.10' },
        { nodeName: 'rr-b', ipv4Address: '10.0.4.10' },
        { nodeName: 'rr-c', ipv4Address: '10.0.8.10' },
      ],
    });
    this.defaultDeny = new DefaultDenyPolicy(this, 'default-deny');
    this.org1Http = new KubernetesNamespaceOverride(this, 'org-1-http', {
      name: 'allow-http',
      namespaceName: 'org-1',
      ingress: [{ ports: [Port.tcp(80)] }],
    });
  }
}
