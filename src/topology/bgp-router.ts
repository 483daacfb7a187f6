import { AsNumber } from '../resources/bgp-configuration';

/**
 * A BGP router outside the cluster that nodes peer with.
 */
export interface BgpRouter {
  /** The router's address, without prefix or port, e.g. `'192.168.1.1'`. */
  readonly ip: string;
  /**
   * The router's AS number: `AsNumber.of(64400)`, or dotted with `AsNumber.parse('1.10')`.
   */
  readonly asNumber: AsNumber;
}
