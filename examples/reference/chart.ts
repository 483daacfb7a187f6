import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from 'cdk8s-calico';

/**
 * The reference architecture: Kubernetes datastore with Typha, nodes in three subnets.
 */
export class ReferenceChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/22', '10.0.4.0/22', '10.0.8.0/22'], mtu: 1500 },
      expectedNodes: 200,
    });
  }
}
