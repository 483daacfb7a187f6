import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';

/** IANA numbers of the protocols whose packets carry ports Calico can match (TCP, UDP, SCTP). */
const PORT_PROTOCOL_NUMBERS = new Set([6, 17, 132]);

/**
 * An IP protocol a policy rule matches: one of Calico's named protocols or an IANA protocol number.
 *
 * Named protocols render as Calico's names (`TCP`, `ICMPv6`), numbered ones as numbers
 * (`protocol: 47`), exactly as calicoctl writes them.
 *
 * @example
 * Protocol.TCP
 * Protocol.of(47) // GRE
 * Protocol.named('icmpv6') // same as Protocol.ICMPV6
 */
export class Protocol {
  /** Transmission Control Protocol (6). */
  public static readonly TCP = new Protocol('TCP', 6);
  /** User Datagram Protocol (17). */
  public static readonly UDP = new Protocol('UDP', 17);
  /** Internet Control Message Protocol for IPv4 (1). */
  public static readonly ICMP = new Protocol('ICMP', 1);
  /** Internet Control Message Protocol for IPv6 (58), written `ICMPv6`. */
  public static readonly ICMPV6 = new Protocol('ICMPv6', 58);
  /** Stream Control Transmission Protocol (132). */
  public static readonly SCTP = new Protocol('SCTP', 132);
  /** Lightweight UDP (136), written `UDPLite`. Calico cannot match ports on it. */
  public static readonly UDPLITE = new Protocol('UDPLite', 136);

  /**
   * A protocol by its IANA number, rendered as a number.
   * @param protocolNumber an integer from 1 to 255 (0 is not a protocol Calico accepts)
   */
  public static of(protocolNumber: number): Protocol {
    checkArguments('Protocol.of', [protocolNumber]);
    if (!Number.isInteger(protocolNumber) || protocolNumber < 1 || protocolNumber > 255) {
      throw new CalicoValidationError(`protocol number ${quote(protocolNumber)} is out of range; use an integer from 1 to 255, `
        + 'or one of the named protocols (Protocol.TCP, Protocol.UDP, ...)');
    }
    return new Protocol(undefined, protocolNumber);
  }

  /**
   * A protocol by Calico's name, in any letter case: `TCP`, `UDP`, `ICMP`, `ICMPv6`, `SCTP` or `UDPLite`.
   * @param name the protocol name; it renders in Calico's spelling (`icmpv6` becomes `ICMPv6`)
   */
  public static named(name: string): Protocol {
    checkArguments('Protocol.named', [name]);
    const known = [Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.SCTP, Protocol.UDPLITE];
    const found = typeof name === 'string' ? known.find(p => p.name!.toLowerCase() === name.toLowerCase()) : undefined;
    if (!found) {
      const hint = typeof name === 'string' && /^\d+$/.test(name) ? `for a protocol number use Protocol.of(${quote(Number(name))})` : 'for any other protocol use Protocol.of(number)';
      throw new CalicoValidationError(`protocol name ${quote(name)} is not one Calico knows; use one of `
        + `${known.map(p => p.name).join(', ')}, or ${hint}`);
    }
    return found;
  }

  /** Calico's name of the protocol (`TCP`, `ICMPv6`), or `undefined` for a protocol given by number. */
  public readonly name?: string;
  /** The IANA protocol number (6 for TCP, also for `Protocol.TCP`). */
  public readonly protocolNumber: number;

  private constructor(name: string | undefined, protocolNumber: number) {
    this.name = name;
    this.protocolNumber = protocolNumber;
  }

  /** Whether Calico can match ports on this protocol: TCP, UDP and SCTP, by name or number. */
  public get supportsPorts(): boolean {
    return PORT_PROTOCOL_NUMBERS.has(this.protocolNumber);
  }

  /**
   * Whether both denote the same IP protocol (`Protocol.TCP` and `Protocol.of(6)` do).
   * @param other the protocol to compare with
   */
  public sameProtocolAs(other: Protocol): boolean {
    checkArguments('Protocol.sameProtocolAs', [other]);
    return this.protocolNumber === other.protocolNumber;
  }

  /** The protocol as Calico writes it: the name, or the number as text. */
  public toString(): string {
    return this.name ?? String(this.protocolNumber);
  }
}
