import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoCluster } from 'cdk8s-calico';

/**
 * A network where BGP may not run: VXLAN Always with the vxlan backend (no BIRD), workload MTU 8951.
 */
export class VxlanChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24'], mtu: 9001, bgpAllowed: false },
      expectedNodes: 30,
    });
  }
}
