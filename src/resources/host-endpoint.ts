import { Construct } from 'constructs';
import { HostEndpointSpec, HostEndpointSpecPortsProtocol, toJson_HostEndpointSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments, POLICY_RULE_TYPES } from '../core/argument-check';
import { throwIssues, ValidationIssue } from '../core/errors';
import { quote, quoteJson } from '../core/quote';
import { Protocol } from '../language/protocol';
import { CalicoResource, CalicoResourceProps } from './resource';

/**
 * A named port of a host endpoint, which policy rules can match with `Port.named(name)`.
 */
export interface EndpointPort {
  /** The port's name: 1-15 lower-case letters, digits and '-', with at least one letter. */
  readonly name: string;
  /** The port's protocol: TCP, UDP or SCTP. */
  readonly protocol: Protocol;
  /** The port number, 1 to 65535. */
  readonly port: number;
}

/**
 * Properties of a `HostEndpoint`.
 */
export interface HostEndpointProps extends CalicoResourceProps {
  /** The Calico node name of the host (usually its Kubernetes node name). */
  readonly node: string;
  /**
   * The host interface whose traffic the endpoint governs (`eth0`), or `*` for every interface
   * of the host's default network namespace. Set this, `expectedIps`, or both.
   * @default - the interface that holds one of `expectedIps`
   */
  readonly interfaceName?: string;
  /**
   * The addresses of the interface. Policies that select this endpoint match these addresses,
   * so list them whenever other policies refer to the host by selector.
   * @default - none
   */
  readonly expectedIps?: string[];
  /**
   * Security profiles applied to the endpoint after its policies, in order.
   * @default - none
   */
  readonly profiles?: string[];
  /**
   * Named ports of the endpoint.
   * @default - none; add more with `addPort`
   */
  readonly ports?: EndpointPort[];
}

/**
 * A Calico `HostEndpoint`: a host interface (or every interface of the host) that Calico
 * protects with policy, selected by the endpoint's labels.
 *
 * Careful: once a host has an endpoint, traffic to and from it is denied unless a policy or
 * Calico's failsafe ports allow it. Add the allowing policies first.
 *
 * @example
 * new HostEndpoint(chart, 'node1-eth0', {
 *   node: 'node1',
 *   interfaceName: 'eth0',
 *   expectedIps: ['192.0.2.11'],
 *   labels: { 'host-endpoint': 'ingress' },
 * });
 */
export class HostEndpoint extends CalicoResource {
  /** The Calico node name of the endpoint's host (`spec.node`; `node` is the construct tree node). */
  public readonly nodeName: string;
  /** The interface given, or `undefined`. */
  public readonly interfaceName?: string;
  private readonly ips: string[];
  private readonly profileNames: string[];
  private readonly namedPorts: EndpointPort[];

  /**
   * @param scope parent construct
   * @param id construct id (also the default name)
   * @param props the endpoint
   */
  constructor(scope: Construct, id: string, props: HostEndpointProps) {
    checkArguments('HostEndpoint', [scope, id, props], { leave: POLICY_RULE_TYPES });
    super(scope, id, 'HostEndpoint', props);
    this.nodeName = props.node;
    this.interfaceName = props.interfaceName;
    this.ips = [...(props.expectedIps ?? [])];
    this.profileNames = [...(props.profiles ?? [])];
    this.namedPorts = [];
    const issues: ValidationIssue[] = [];
    (props.ports ?? []).forEach((p, i) => {
      checkPortType(p, `spec.ports[${i}]`, issues);
      this.namedPorts.push({ ...p });
    });
    if (issues.length) throwIssues(this, `HostEndpoint ${quote(this.name)}`, issues);
    this.validateNow();
  }

  /** The expected IPs, in the order given (a copy). */
  public get expectedIps(): string[] {
    return [...this.ips];
  }

  /** The profiles, in order (a copy). */
  public get profiles(): string[] {
    return [...this.profileNames];
  }

  /** The named ports, in order (copies). */
  public get ports(): EndpointPort[] {
    return this.namedPorts.map(p => ({ ...p }));
  }

  /**
   * Adds a named port. It is checked at once; a bad port throws and is not added.
   * @param port the port
   */
  public addPort(port: EndpointPort): void {
    checkArguments('HostEndpoint.addPort', [port], { scope: this, leave: POLICY_RULE_TYPES });
    const issues: ValidationIssue[] = [];
    checkPortType(port, `spec.ports[${this.namedPorts.length}]`, issues);
    if (issues.length) throwIssues(this, `HostEndpoint ${quote(this.name)}`, issues);
    this.namedPorts.push({ ...port });
    this.revalidate(() => this.namedPorts.pop());
  }

  /**
   * Adds expected IPs of the interface. They are checked at once; when one is bad, none is added.
   * @param ips IPv4 or IPv6 addresses
   */
  public addExpectedIps(...ips: string[]): void {
    checkArguments('HostEndpoint.addExpectedIps', ips, { scope: this });
    const before = this.ips.length;
    this.ips.push(...ips);
    this.revalidate(() => this.ips.splice(before));
  }

  protected renderSpec(): any {
    const spec: HostEndpointSpec = {
      node: this.nodeName,
      interfaceName: this.interfaceName,
      expectedIPs: this.ips.length ? [...this.ips] : undefined,
      profiles: this.profileNames.length ? [...this.profileNames] : undefined,
      ports: this.namedPorts.length ? this.namedPorts.map(p => ({
        name: p.name,
        protocol: p.protocol.name !== undefined
          ? HostEndpointSpecPortsProtocol.fromString(p.protocol.name)
          : HostEndpointSpecPortsProtocol.fromNumber(p.protocol.protocolNumber),
        port: p.port,
      })) : undefined,
    };
    return toJson_HostEndpointSpec(spec);
  }

  private revalidate(undo: () => void): void {
    try {
      this.validateNow();
    } catch (e) {
      undo();
      throw e;
    }
  }
}

/** Reports a port whose protocol is not a `Protocol` (e.g. the text 'TCP' from an untyped caller). */
function checkPortType(port: EndpointPort, path: string, issues: ValidationIssue[]): void {
  const protocol: unknown = port.protocol;
  if (!(protocol instanceof Protocol)) {
    issues.push({
      path: `${path}.protocol`,
      message: `protocol ${quoteJson(protocol)} is not a Protocol; use Protocol.TCP, Protocol.UDP or Protocol.SCTP`,
    });
  }
}
