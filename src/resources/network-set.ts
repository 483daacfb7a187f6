import { Construct } from 'constructs';
import { GlobalNetworkSetSpec, NetworkSetSpec, toJson_GlobalNetworkSetSpec, toJson_NetworkSetSpec } from '../../imports/crd.projectcalico.org';
import { CalicoResource, CalicoResourceProps } from './resource';
import { resourceNamespace } from './private/resource-util';
import { checkArguments } from '../core/argument-check';

/** The props both set kinds share. */
interface NetworkSetBaseProps extends CalicoResourceProps {
  readonly nets?: string[];
}

/**
 * What `GlobalNetworkSet` and `NetworkSet` share: the nets, kept in the order given and appended
 * all or nothing. Not exported: jsii copies its members into both classes.
 */
abstract class NetworkSetBase extends CalicoResource {
  private readonly networks: string[];

  protected constructor(scope: Construct, id: string, kind: string, props: NetworkSetBaseProps, namespaceName?: string) {
    super(scope, id, kind, props, namespaceName);
    this.networks = [...(props.nets ?? [])];
    this.validateNow();
  }

  /** The networks of the set, in the order given (a copy). */
  public get nets(): string[] {
    return [...this.networks];
  }

  /**
   * Appends networks to the set. They are checked at once; when one is bad, none is added.
   * @param nets CIDRs or single addresses
   */
  public addNets(...nets: string[]): void {
    checkArguments('NetworkSetBase.addNets', nets, { scope: this });
    const before = this.networks.length;
    this.networks.push(...nets);
    try {
      this.validateNow();
    } catch (e) {
      this.networks.splice(before);
      throw e;
    }
  }
}

/**
 * Properties of a `GlobalNetworkSet`.
 */
export interface GlobalNetworkSetProps extends CalicoResourceProps {
  /**
   * The IP networks of the set, as CIDRs or single addresses (IPv4 and IPv6 may be mixed).
   * Policies select the set by its `labels`.
   * @default - none; add more with `addNets`
   */
  readonly nets?: string[];
}

/**
 * A Calico `GlobalNetworkSet`: a labelled list of IP networks that policies in any namespace
 * can match with a selector, e.g. the addresses of an external service.
 *
 * Give it labels, and match them with `source`/`destination` selectors of policy rules.
 *
 * @example
 * new GlobalNetworkSet(chart, 'corp-vpn', {
 *   labels: { 'network': 'corp-vpn' },
 *   nets: ['10.8.0.0/16', '192.0.2.10'],
 * });
 */
export class GlobalNetworkSet extends NetworkSetBase {
  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the set
   */
  constructor(scope: Construct, id: string, props: GlobalNetworkSetProps = {}) {
    checkArguments('GlobalNetworkSet', [scope, id, props]);
    super(scope, id, 'GlobalNetworkSet', props);
  }

  protected renderSpec(): any {
    const nets = this.nets;
    const spec: GlobalNetworkSetSpec = { nets: nets.length ? nets : undefined };
    return toJson_GlobalNetworkSetSpec(spec);
  }
}

/**
 * Properties of a `NetworkSet`.
 */
export interface NetworkSetProps extends CalicoResourceProps {
  /**
   * The namespace of the set; policies in that namespace match it by its labels.
   * @default - the chart's namespace when it has one, else 'default' (what calicoctl fills in)
   */
  readonly namespaceName?: string;
  /**
   * The IP networks of the set, as CIDRs or single addresses (IPv4 and IPv6 may be mixed).
   * @default - none; add more with `addNets`
   */
  readonly nets?: string[];
}

/**
 * A Calico `NetworkSet`: a labelled list of IP networks in one namespace, which the namespace's
 * NetworkPolicies (and GlobalNetworkPolicies selecting that namespace) match by label.
 *
 * @example
 * new NetworkSet(chart, 'partners', {
 *   namespaceName: 'shop',
 *   labels: { 'role': 'partner' },
 *   nets: ['198.51.100.0/24'],
 * });
 */
export class NetworkSet extends NetworkSetBase {
  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the set
   */
  constructor(scope: Construct, id: string, props: NetworkSetProps = {}) {
    checkArguments('NetworkSet', [scope, id, props]);
    super(scope, id, 'NetworkSet', props, resourceNamespace(scope, id, 'NetworkSet', props.namespaceName));
  }

  protected renderSpec(): any {
    const nets = this.nets;
    const spec: NetworkSetSpec = { nets: nets.length ? nets : undefined };
    return toJson_NetworkSetSpec(spec);
  }
}
