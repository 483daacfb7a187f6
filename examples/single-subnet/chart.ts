import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from 'cdk8s-calico';

/**
 * Every node in one subnet: no encapsulation, workload MTU 1500.
 */
export class SingleSubnetChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24'], mtu: 1500 },
      expectedNodes: 30,
    });
  }
}
