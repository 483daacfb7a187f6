import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AsNumber, CalicoCluster, TopOfRackPeering } from 'cdk8s-calico';

/**
 * Two racks on a BGP fabric, AS 63400: the nodes of rack a (labelled rack=a) peer with their
 * top-of-rack router 192.168.1.1 (AS 64400), those of rack b with 192.168.2.1 (AS 64401), and the
 * node-to-node mesh is turned off after those peerings. Pods use 10.48.0.0/16, away from the rack
 * subnets. The rack labels of the listed nodes are Kubernetes Node objects in the nodes stage,
 * applied with `kubectl apply --server-side --field-manager=cdk8s-calico -f <nodes stage file>`.
 */
export class TorPeeringChart extends Chart {
  /** The Calico install. */
  public readonly calico: CalicoCluster;
  /** The per-rack router peerings. */
  public readonly tor: TopOfRackPeering;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.calico = new CalicoCluster(this, 'calico', {
      network: { nodeSubnets: ['192.168.1.0/24', '192.168.2.0/24'], mtu: 1500 },
      expectedNodes: 80,
      asNumber: AsNumber.of(63400),
      podCidr: '10.48.0.0/16',
    });
    this.tor = new TopOfRackPeering(this, 'top-of-rack', {
      cluster: this.calico,
      racks: [
        { rack: 'a', ip: '192.168.1.1', asNumber: AsNumber.of(64400), nodeNames: ['node-a1', 'node-a2'] },
        { rack: 'b', ip: '192.168.2.1', asNumber: AsNumber.of(64401), nodeNames: ['node-b1', 'node-b2'] },
      ],
    });
  }
}
