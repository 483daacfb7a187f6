import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AsNumber, CalicoCluster, RoutableServices } from 'cdk8s-calico';

/**
 * 30 nodes in one subnet (node-to-node mesh kept), AS 63400: every node peers with the upstream
 * router 10.0.0.1 (AS 64400) and advertises the service cluster IP range 10.96.0.0/12, so clients
 * outside the cluster reach ClusterIP services directly.
 */
export class RoutableServicesChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The service advertisement and the router peering. */
  public readonly services: RoutableServices;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24'], mtu: 1500 },
      expectedNodes: 30,
      asNumber: AsNumber.of(63400),
      serviceCidrs: ['10.96.0.0/12'],
    });
    this.services = new RoutableServices(this, 'services', {
      cluster: this.calico,
      clusterIps: ['10.96.0.0/12'],
      routers: [{ ip: '10.0.0.1', asNumber: AsNumber.of(64400) }],
    });
  }
}
