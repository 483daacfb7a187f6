import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CalicoApiMode, CalicoCluster, DefaultDenyPolicy, KubernetesNamespaceOverride, Port, RouteReflectorPool, ServingCertificates,
} from 'cdk8s-calico';

/**
 * The reference architecture for a GitOps pipeline (Argo CD), on a Kubernetes 1.34 cluster:
 * - the projectcalico.org/v3 API served by native v3 CRDs (Calico v3.32, tech preview), guarded by
 *   Calico's admission webhook and admission policies, with Typha as the architecture requires;
 * - the webhook's serving certificate issued by cert-manager from a private CA the output makes, its
 *   CA injected by cert-manager: the sync completes with no hand work and no key in git;
 * - every object carries its stage's Argo CD sync wave (CRDs 0, install 1, resources 2, nodes 3,
 *   BGP 4), and the custom resources skip the dry run their CRDs are not yet there for;
 * - otherwise as `reference`: three subnets (IP-in-IP CrossSubnet, MTU 1480), 200 nodes, route
 *   reflectors, a cluster-wide default deny with namespace org-1 opened for HTTP.
 */
export class GitOpsChart extends Chart {
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
      network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'], mtu: 1500 },
      expectedNodes: 200,
      apiMode: CalicoApiMode.NATIVE_V3_CRDS,
      apiCertificates: ServingCertificates.certManager(),
      kubernetesVersion: '1.34',
      argoCdSyncWaves: true,
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
