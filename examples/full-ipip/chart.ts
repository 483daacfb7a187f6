import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from 'cdk8s-calico';

/**
 * One subnet on a fabric that enforces source/destination checks: IP-in-IP Always, workload MTU 1480.
 */
export class FullIpipChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24'], mtu: 1500, sourceDestinationCheck: true },
      expectedNodes: 30,
    });
  }
}
