import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from 'cdk8s-calico';

/**
 * Nodes in three AWS subnets with jumbo frames: IP-in-IP CrossSubnet, workload MTU 8981.
 */
export class MultiSubnetChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'], mtu: 9001 },
      expectedNodes: 40,
    });
  }
}
