import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AsNumber, CalicoCluster, RoutablePodPool, RouteReflectorPool } from 'cdk8s-calico';

/**
 * Pods with addresses the data centre routes, next to pods it does not, AS 63400. Nodes labelled
 * network-type=routable take pod addresses from 10.70.0.0/20 (no encapsulation) and advertise them
 * to the router 192.168.1.1 (AS 64400); the others keep the default pool 100.64.0.0/16 (NAT to the
 * node address), restricted to network-type=non-routable and never exported to the router. Two
 * route reflectors replace the node-to-node mesh. The labels of the listed nodes (the reflectors
 * get the route reflector label, cluster ID annotation and network-type=non-routable on one Node
 * object each) are the nodes stage, applied with server-side apply.
 */
export class RoutablePodsChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The route reflectors that replace the mesh. */
  public readonly reflectors: RouteReflectorPool;
  /** The routable pool, its router peering and export filter. */
  public readonly routable: RoutablePodPool;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['192.168.1.0/24'], mtu: 1500 },
      expectedNodes: 60,
      asNumber: AsNumber.of(63400),
      podCidr: '100.64.0.0/16',
    });
    this.reflectors = new RouteReflectorPool(this, 'route-reflectors', {
      cluster: this.calico,
      reflectors: [
        { nodeName: 'rr-1', ipv4Address: '192.168.1.10' },
        { nodeName: 'rr-2', ipv4Address: '192.168.1.11' },
      ],
    });
    this.routable = new RoutablePodPool(this, 'routable', {
      cluster: this.calico,
      cidr: '10.70.0.0/20',
      router: { ip: '192.168.1.1', asNumber: AsNumber.of(64400) },
      maxRoutableNodes: 20,
      routableNodes: ['edge-1', 'edge-2'],
      nonRoutableNodes: ['rr-1', 'rr-2'],
    });
  }
}
