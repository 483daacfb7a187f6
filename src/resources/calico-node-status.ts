import { Construct } from 'constructs';
import { CalicoNodeStatusSpec, toJson_CalicoNodeStatusSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { asGenerated } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';

/**
 * A class of status calico/node can report in a CalicoNodeStatus.
 */
export enum NodeStatusClass {
  /** The state of the BIRD daemons (`status.agent`). */
  AGENT = 'Agent',
  /** The node's BGP sessions (`status.bgp`). */
  BGP = 'BGP',
  /** The routes BIRD learnt and programmed (`status.routes`). */
  ROUTES = 'Routes',
}

/** How often calico/node refreshes the status unless told otherwise. */
const DEFAULT_UPDATE_PERIOD_SECONDS = 10;

/**
 * Properties of a `CalicoNodeStatus`.
 */
export interface CalicoNodeStatusProps extends CalicoResourceProps {
  /**
   * The node whose status calico/node reports: its name as Calico knows it (usually the
   * Kubernetes node name).
   */
  readonly node: string;
  /**
   * What to report, each class once.
   * @default - every class: Agent, BGP and Routes
   */
  readonly classes?: NodeStatusClass[];
  /**
   * How often calico/node refreshes the status, in seconds (at most 86,400, a day); 0 stops the
   * updates. Calico requires the field and has no default of its own.
   * @default 10
   */
  readonly updatePeriodSeconds?: number;
}

/**
 * A Calico `CalicoNodeStatus`: asks calico/node on one node to report its BGP daemon, BGP
 * sessions and routes in the object's `status` (read it with `kubectl get caliconodestatus -o yaml`).
 *
 * @example
 * new CalicoNodeStatus(chart, 'rr-a-status', { node: 'rr-a', classes: [NodeStatusClass.BGP] });
 */
export class CalicoNodeStatus extends CalicoResource {
  /** The node whose status is reported (the `node` prop). */
  public readonly nodeName: string;
  /** The update period in force, in seconds. */
  public readonly updatePeriodSeconds: number;
  private readonly reported: NodeStatusClass[];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the node and what to report
   */
  constructor(scope: Construct, id: string, props: CalicoNodeStatusProps) {
    checkArguments('CalicoNodeStatus', [scope, id, props]);
    super(scope, id, 'CalicoNodeStatus', props);
    this.nodeName = props.node;
    this.reported = props.classes ? [...props.classes] : [NodeStatusClass.AGENT, NodeStatusClass.BGP, NodeStatusClass.ROUTES];
    this.updatePeriodSeconds = props.updatePeriodSeconds ?? DEFAULT_UPDATE_PERIOD_SECONDS;
    this.validateNow();
  }

  /** The classes of status reported (a copy). */
  public get classes(): NodeStatusClass[] {
    return [...this.reported];
  }

  protected renderSpec(): any {
    const spec: CalicoNodeStatusSpec = {
      node: this.nodeName,
      classes: asGenerated([...this.reported]),
      updatePeriodSeconds: this.updatePeriodSeconds,
    };
    return toJson_CalicoNodeStatusSpec(spec);
  }
}
