import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AsNumber, CalicoCluster, RouteReflectorPool } from 'cdk8s-calico';

/**
 * 200 nodes in two subnets, AS 63400: two dedicated route reflectors (one per subnet) replace the
 * node-to-node mesh. Every other node peers with both reflectors (BGPPeer rr-clients), the
 * reflectors peer with each other (rr-mesh), and the mesh is turned off after them.
 */
export class RouteReflectorsChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The route reflectors and their peerings. */
  public readonly reflectors: RouteReflectorPool;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/20', '10.0.16.0/20'], mtu: 1500 },
      expectedNodes: 200,
      asNumber: AsNumber.of(63400),
    });
    this.reflectors = new RouteReflectorPool(this, 'route-reflectors', {
      cluster: this.calico,
      clusterId: '244.0.0.1',
      dedicated: true,
      reflectors: [
        { nodeName: 'rr-1', ipv4Address: '10.0.0.10' },
        { nodeName: 'rr-2', ipv4Address: '10.0.16.10' },
      ],
    });
  }
}
