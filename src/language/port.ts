import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { Protocol } from './protocol';

/**
 * A port match in a policy rule: one port, an inclusive range, or a named port.
 *
 * The protocol shorthands (`Port.tcp(443)`, `Port.udp(53)`, `Port.tcpRange(8080, 8085)`) also
 * set the rule's protocol: a rule without an explicit `protocol` whose ports carry one takes it,
 * so `{ action: RuleAction.ALLOW, destination: { ports: [Port.tcp(443)] } }` renders
 * `protocol: TCP`. Ports of different protocols cannot share one rule (a Calico rule matches one
 * protocol); the policy rejects such a rule and asks for one rule per protocol.
 *
 * Renders as Calico writes ports: `80`, `'8080:8085'`, `'http'`.
 */
export class Port {
  /**
   * One port number, with no protocol of its own (set the rule's `protocol`).
   * @param port an integer from 1 to 65535
   */
  public static number(port: number): Port {
    checkArguments('Port.number', [port]);
    checkPortNumber(port, () => `Port.number(${quote(port)})`);
    return new Port(port, port, undefined, undefined);
  }

  /**
   * An inclusive range of ports, rendered `'from:to'`, with no protocol of its own.
   * @param fromPort first port of the range, 1 to 65535
   * @param toPort last port of the range, from `fromPort` to 65535
   */
  public static between(fromPort: number, toPort: number): Port {
    checkArguments('Port.between', [fromPort, toPort]);
    checkRange(fromPort, toPort, 'between');
    return new Port(fromPort, toPort, undefined, undefined);
  }

  /**
   * A named port: the port a workload or host endpoint declares under this name.
   * @param name an IANA service name as Kubernetes accepts it: 1-15 lower-case letters, digits
   * and '-', with at least one letter and no leading, trailing or doubled '-'
   */
  public static named(name: string): Port {
    checkArguments('Port.named', [name]);
    const problem = portNameProblem(name);
    if (problem) {
      throw new CalicoValidationError(`Port.named(${quote(name)}): port name ${quote(name)} ${problem}; `
        + 'use the name the endpoint declares, such as \'http\' or \'metrics\'');
    }
    return new Port(undefined, undefined, name, undefined);
  }

  /**
   * One TCP port; the rule takes protocol TCP.
   * @param port an integer from 1 to 65535
   */
  public static tcp(port: number): Port {
    checkArguments('Port.tcp', [port]);
    checkPortNumber(port, () => `Port.tcp(${quote(port)})`);
    return new Port(port, port, undefined, Protocol.TCP);
  }

  /**
   * One UDP port; the rule takes protocol UDP.
   * @param port an integer from 1 to 65535
   */
  public static udp(port: number): Port {
    checkArguments('Port.udp', [port]);
    checkPortNumber(port, () => `Port.udp(${quote(port)})`);
    return new Port(port, port, undefined, Protocol.UDP);
  }

  /**
   * One SCTP port; the rule takes protocol SCTP.
   * @param port an integer from 1 to 65535
   */
  public static sctp(port: number): Port {
    checkArguments('Port.sctp', [port]);
    checkPortNumber(port, () => `Port.sctp(${quote(port)})`);
    return new Port(port, port, undefined, Protocol.SCTP);
  }

  /**
   * An inclusive range of TCP ports; the rule takes protocol TCP.
   * @param fromPort first port of the range, 1 to 65535
   * @param toPort last port of the range, from `fromPort` to 65535
   */
  public static tcpRange(fromPort: number, toPort: number): Port {
    checkArguments('Port.tcpRange', [fromPort, toPort]);
    checkRange(fromPort, toPort, 'tcpRange');
    return new Port(fromPort, toPort, undefined, Protocol.TCP);
  }

  /**
   * An inclusive range of UDP ports; the rule takes protocol UDP.
   * @param fromPort first port of the range, 1 to 65535
   * @param toPort last port of the range, from `fromPort` to 65535
   */
  public static udpRange(fromPort: number, toPort: number): Port {
    checkArguments('Port.udpRange', [fromPort, toPort]);
    checkRange(fromPort, toPort, 'udpRange');
    return new Port(fromPort, toPort, undefined, Protocol.UDP);
  }

  /**
   * An inclusive range of SCTP ports; the rule takes protocol SCTP.
   * @param fromPort first port of the range, 1 to 65535
   * @param toPort last port of the range, from `fromPort` to 65535
   */
  public static sctpRange(fromPort: number, toPort: number): Port {
    checkArguments('Port.sctpRange', [fromPort, toPort]);
    checkRange(fromPort, toPort, 'sctpRange');
    return new Port(fromPort, toPort, undefined, Protocol.SCTP);
  }

  /** First port of the match (equal to `maxPort` for one port); `undefined` for a named port. */
  public readonly minPort?: number;
  /** Last port of the match (equal to `minPort` for one port); `undefined` for a named port. */
  public readonly maxPort?: number;
  /** The port name of a named port; `undefined` for numbered ports. */
  public readonly portName?: string;
  /** The protocol this port implies for its rule (`Port.tcp` -> TCP); `undefined` for the plain forms. */
  public readonly protocol?: Protocol;

  private constructor(minPort: number | undefined, maxPort: number | undefined, portName: string | undefined, protocol: Protocol | undefined) {
    this.minPort = minPort;
    this.maxPort = maxPort;
    this.portName = portName;
    this.protocol = protocol;
  }

  /** Whether this is a single numbered port (Calico writes it as a number rather than a string). */
  public get isSinglePort(): boolean {
    return this.portName === undefined && this.minPort === this.maxPort;
  }

  /** The port as Calico writes it: `80`, `8080:8085` or `http`. */
  public toString(): string {
    if (this.portName !== undefined) return this.portName;
    return this.minPort === this.maxPort ? String(this.minPort) : `${this.minPort}:${this.maxPort}`;
  }
}

function checkPortNumber(port: number, call: () => string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CalicoValidationError(`${call()}: port ${quote(port)} is out of range; use an integer from 1 to 65535`);
  }
}

function checkRange(fromPort: number, toPort: number, method: string): void {
  const call = () => `Port.${method}(${quote(fromPort)}, ${quote(toPort)})`;
  checkPortNumber(fromPort, call);
  checkPortNumber(toPort, call);
  if (fromPort > toPort) {
    throw new CalicoValidationError(`${call()}: the range starts after it ends (${fromPort} > ${toPort}); `
      + `write the lower port first: Port.${method}(${toPort}, ${fromPort})`);
  }
}

/** Why `name` is not a valid Kubernetes port name (IANA_SVC_NAME), or undefined when it is. */
function portNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 15) return `is ${name.length} characters long; a port name has at most 15`;
  if (!/^[-a-z0-9]+$/.test(name)) return 'may contain only lower-case letters (a-z), digits (0-9) and \'-\'';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z), otherwise it reads as a port number';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}
