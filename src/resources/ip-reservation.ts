import { Construct } from 'constructs';
import { IpReservationSpec, toJson_IpReservationSpec } from '../../imports/crd.projectcalico.org';
import { checkAdded } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';
import { checkArguments } from '../core/argument-check';

/**
 * Properties of an `IpReservation`.
 */
export interface IpReservationProps extends CalicoResourceProps {
  /**
   * Addresses or CIDRs that Calico IPAM must never assign automatically, e.g. addresses inside a
   * pool that are used by routers or appliances. Add more with `addReservedCidr()`.
   * @default - none
   */
  readonly reservedCidrs?: string[];
}

/**
 * A Calico IP reservation (`IPReservation`): addresses inside IP pools that Calico IPAM keeps
 * out of automatic assignment. Addresses already assigned stay assigned.
 *
 * @example
 * new IpReservation(chart, 'appliances', { reservedCidrs: ['10.244.0.0/28', '10.244.255.254'] });
 */
export class IpReservation extends CalicoResource {
  private readonly cidrs: string[];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the reserved ranges
   */
  constructor(scope: Construct, id: string, props: IpReservationProps = {}) {
    checkArguments('IpReservation', [scope, id, props]);
    super(scope, id, 'IPReservation', props);
    this.cidrs = [...(props.reservedCidrs ?? [])];
    this.validateNow();
  }

  /** The reserved addresses and CIDRs (a copy). */
  public get reservedCidrs(): string[] {
    return [...this.cidrs];
  }

  /**
   * Reserves one more address or CIDR. Throws, and adds nothing, when it is not a valid one.
   * @param cidr an IP address or CIDR, e.g. `10.244.0.0/28`
   */
  public addReservedCidr(cidr: string): void {
    checkArguments('IpReservation.addReservedCidr', [cidr], { scope: this });
    this.cidrs.push(cidr);
    checkAdded(this, `spec.reservedCIDRs[${this.cidrs.length - 1}]`, () => this.cidrs.pop());
  }

  protected renderSpec(): any {
    const spec: IpReservationSpec = { reservedCidRs: this.cidrs.length ? [...this.cidrs] : undefined };
    return toJson_IpReservationSpec(spec);
  }
}
