import * as fc from 'fast-check';
import { CalicoErrors } from '../../src/core/errors';
import { GlobalNetworkPolicy } from '../../src/resources/global-network-policy';
import { NetworkPolicy } from '../../src/resources/network-policy';
import { Port } from '../../src/language/port';
import { Protocol } from '../../src/language/protocol';
import { IpVersion, PolicyRule, Rule, RuleAction } from '../../src/language/rule';
import { Selector } from '../../src/language/selector';
import { errorOf, expectCrdSchemaValid, findObject, newChart, synth } from '../support/util';

// Synthesis prints the shadowed-rule warnings some of these policies draw; keep the log quiet.
const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

/** Synthesizes one GlobalNetworkPolicy with the given ingress rules and returns its first rendered rule list. */
function renderIngress(...rules: PolicyRule[]): any[] {
  const chart = newChart();
  new GlobalNetworkPolicy(chart, 'p', { ingress: rules });
  const manifests = synth(chart);
  expectCrdSchemaValid(manifests);
  return findObject(manifests, 'GlobalNetworkPolicy', 'p').spec.ingress;
}

describe('Protocol', () => {
  test('named protocols render as Calico spells them', () => {
    expect([Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.SCTP, Protocol.UDPLITE].map(p => p.toString()))
      .toEqual(['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite']);
  });

  test('named protocols carry their IANA numbers', () => {
    expect([Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.SCTP, Protocol.UDPLITE].map(p => p.protocolNumber))
      .toEqual([6, 17, 1, 58, 132, 136]);
  });

  test('Protocol.named matches any letter case and returns the canonical protocol', () => {
    expect(Protocol.named('icmpv6')).toBe(Protocol.ICMPV6);
    expect(Protocol.named('udplite').toString()).toBe('UDPLite');
    expect(Protocol.named('TCP')).toBe(Protocol.TCP);
  });

  test('Protocol.named rejects a name Calico does not know and lists the known ones', () => {
    expect(() => Protocol.named('GRE')).toThrow(/protocol name 'GRE' is not one Calico knows; use one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite/);
  });

  test('Protocol.named points a number given as text to Protocol.of', () => {
    expect(() => Protocol.named('47')).toThrow(/Protocol\.of\(47\)/);
  });

  test('Protocol.of keeps the number and has no name', () => {
    const gre = Protocol.of(47);
    expect(gre.name).toBeUndefined();
    expect(gre.protocolNumber).toBe(47);
    expect(gre.toString()).toBe('47');
  });

  test.each([0, 256, -1, 6.5])('Protocol.of rejects %p', n => {
    const e = errorOf(() => Protocol.of(n));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(new RegExp(`protocol number ${n} is out of range; use an integer from 1 to 255`));
  });

  test('only TCP, UDP and SCTP support ports, by name or by number', () => {
    expect([Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.of(6), Protocol.of(17), Protocol.of(132)].every(p => p.supportsPorts)).toBe(true);
    expect([Protocol.ICMP, Protocol.ICMPV6, Protocol.UDPLITE, Protocol.of(47)].some(p => p.supportsPorts)).toBe(false);
  });

  test('a protocol by number is the same protocol as its name', () => {
    expect(Protocol.of(6).sameProtocolAs(Protocol.TCP)).toBe(true);
    expect(Protocol.of(17).sameProtocolAs(Protocol.TCP)).toBe(false);
  });
});

describe('Port', () => {
  test('Port.number is one port with no protocol', () => {
    const p = Port.number(80);
    expect([p.minPort, p.maxPort, p.portName, p.protocol, p.toString()]).toEqual([80, 80, undefined, undefined, '80']);
  });

  test('Port.range prints as from:to', () => {
    expect(Port.between(8080, 8085).toString()).toBe('8080:8085');
  });

  test('a range of one port prints as that port', () => {
    expect(Port.between(443, 443).toString()).toBe('443');
    expect(Port.between(443, 443).isSinglePort).toBe(true);
  });

  test('Port.named keeps the name', () => {
    expect(Port.named('http').portName).toBe('http');
    expect(Port.named('http').toString()).toBe('http');
  });

  test('protocol shorthands carry their protocol', () => {
    expect([Port.tcp(1), Port.udp(1), Port.sctp(1), Port.tcpRange(1, 2), Port.udpRange(1, 2), Port.sctpRange(1, 2)]
      .map(p => p.protocol)).toEqual([Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.TCP, Protocol.UDP, Protocol.SCTP]);
  });

  test.each([0, 65536, 1.5, -80])('Port.number rejects %p', n => {
    expect(() => Port.number(n)).toThrow(new RegExp(`Port.number\\(${n}\\): port ${n} is out of range; use an integer from 1 to 65535`));
  });

  test('Port.tcp rejects port 0 naming the call', () => {
    expect(() => Port.tcp(0)).toThrow(/Port\.tcp\(0\): port 0 is out of range/);
  });

  test('a range that starts after it ends is rejected with the fix', () => {
    expect(() => Port.between(90, 80)).toThrow(/Port\.between\(90, 80\): the range starts after it ends \(90 > 80\); write the lower port first: Port\.between\(80, 90\)/);
  });

  test('a range with an end out of range is rejected', () => {
    expect(() => Port.udpRange(1, 70000)).toThrow(/Port\.udpRange\(1, 70000\): port 70000 is out of range/);
  });

  test.each([
    ['HTTP', /may contain only lower-case letters/],
    ['', /is empty/],
    ['a-very-long-port-name', /is 21 characters long; a port name has at most 15/],
    ['8080', /must contain at least one letter/],
    ['web--ui', /must not contain consecutive hyphens/],
    ['-web', /must not begin or end with a hyphen/],
    ['web_ui', /may contain only lower-case letters/],
  ])('Port.named rejects %p', (name, reason) => {
    expect(() => Port.named(name)).toThrow(reason);
  });

  test('every valid port number prints as itself and ranges print as from:to', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(Port.number(a).toString()).toBe(String(a));
      const range = Port.between(lo, hi);
      expect(range.toString()).toBe(lo === hi ? String(lo) : `${lo}:${hi}`);
      expect([range.minPort, range.maxPort]).toEqual([lo, hi]);
    }));
  });

  test('port numbers outside 1-65535 always fail with the library error', () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 })), n => {
      expect(CalicoErrors.isValidationError(errorOf(() => Port.number(n)))).toBe(true);
    }));
  });
});

describe('Rule helpers', () => {
  test('each helper sets its action and keeps the options', () => {
    const source = { nets: ['10.0.0.0/8'] };
    expect(Rule.allow({ source })).toEqual({ action: RuleAction.ALLOW, source });
    expect(Rule.deny().action).toBe('Deny');
    expect(Rule.log().action).toBe('Log');
    expect(Rule.passOn().action).toBe('Pass');
  });
});

describe('rule rendering', () => {
  test('a bare rule renders only its action', () => {
    expect(renderIngress(Rule.allow())).toEqual([{ action: 'Allow' }]);
  });

  test('every action renders with Calico\'s spelling', () => {
    expect(renderIngress(Rule.allow(), Rule.deny(), Rule.log(), Rule.passOn()).map(r => r.action))
      .toEqual(['Allow', 'Deny', 'Log', 'Pass']);
  });

  test('named protocols render as strings and numbered ones as numbers', () => {
    const rules = renderIngress(
      Rule.allow({ protocol: Protocol.TCP }),
      Rule.allow({ protocol: Protocol.ICMPV6 }),
      Rule.allow({ protocol: Protocol.of(47) }),
      Rule.allow({ notProtocol: Protocol.UDPLITE }),
      Rule.allow({ notProtocol: Protocol.of(132) }),
    );
    expect(rules.map(r => r.protocol ?? r.notProtocol)).toEqual(['TCP', 'ICMPv6', 47, 'UDPLite', 132]);
  });

  test('single ports render as numbers, ranges and names as strings', () => {
    const [rule] = renderIngress(Rule.allow({
      protocol: Protocol.TCP,
      destination: { ports: [Port.number(80), Port.between(8080, 8085), Port.named('http'), Port.between(9000, 9000)] },
    }));
    expect(rule.destination.ports).toEqual([80, '8080:8085', 'http', 9000]);
  });

  test('notPorts and source ports render the same way', () => {
    const [rule] = renderIngress(Rule.allow({
      protocol: Protocol.UDP,
      source: { ports: [Port.number(53)], notPorts: [Port.between(1, 1023)] },
      destination: { notPorts: [Port.named('dns')] },
    }));
    expect(rule.source).toEqual({ ports: [53], notPorts: ['1:1023'] });
    expect(rule.destination).toEqual({ notPorts: ['dns'] });
  });

  test('Port.tcp sets the rule protocol to TCP', () => {
    const [rule] = renderIngress(Rule.allow({ destination: { ports: [Port.tcp(443)] } }));
    expect(rule).toEqual({ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } });
  });

  test.each([
    [Port.udp(53), 'UDP'],
    [Port.sctp(9899), 'SCTP'],
    [Port.tcpRange(8080, 8085), 'TCP'],
    [Port.udpRange(30000, 32767), 'UDP'],
    [Port.sctpRange(1, 2), 'SCTP'],
  ])('%s sets the rule protocol to %s', (port, protocol) => {
    expect(renderIngress(Rule.allow({ destination: { ports: [port] } }))[0].protocol).toBe(protocol);
  });

  test('a source port with a protocol also sets the rule protocol', () => {
    expect(renderIngress(Rule.allow({ source: { ports: [Port.udp(68)] } }))[0].protocol).toBe('UDP');
  });

  test('plain ports next to a protocol-carrying port take its protocol', () => {
    const [rule] = renderIngress(Rule.allow({ destination: { ports: [Port.number(80), Port.tcp(443)] } }));
    expect(rule.protocol).toBe('TCP');
    expect(rule.destination.ports).toEqual([80, 443]);
  });

  test('an explicit protocol that agrees with the ports is kept as written', () => {
    expect(renderIngress(Rule.allow({ protocol: Protocol.of(6), destination: { ports: [Port.tcp(22)] } }))[0].protocol).toBe(6);
  });

  test('the inferred protocol is visible on the policy\'s rules', () => {
    const policy = new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.allow({ destination: { ports: [Port.udp(53)] } })] });
    expect(policy.ingressRules[0].protocol).toBe(Protocol.UDP);
  });

  test('ICMP type and code render as type and code, notICMP too', () => {
    const [rule] = renderIngress(Rule.allow({
      protocol: Protocol.ICMP,
      icmp: { icmpType: 8, code: 0 },
      notIcmp: { icmpType: 3 },
    }));
    expect(rule.icmp).toEqual({ type: 8, code: 0 });
    expect(rule.notICMP).toEqual({ type: 3 });
  });

  test('ipVersion renders as 4 or 6', () => {
    expect(renderIngress(Rule.allow({ ipVersion: IpVersion.IPV4 }), Rule.allow({ ipVersion: IpVersion.IPV6 })).map(r => r.ipVersion))
      .toEqual([4, 6]);
  });

  test('selectors, nets and service accounts render on both sides', () => {
    const web = Selector.parse("app == 'web'");
    const team = Selector.eq('team', 'shop');
    const [rule] = renderIngress(Rule.allow({
      source: {
        selector: web,
        notSelector: Selector.has('quarantine'),
        namespaceSelector: team,
        nets: ['10.0.0.0/8'],
        notNets: ['10.1.0.0/16'],
        serviceAccounts: { names: ['web'], selector: Selector.has('trusted') },
      },
      destination: { selector: Selector.all() },
    }));
    expect(rule.source).toEqual({
      selector: web.toString(),
      notSelector: 'has(quarantine)',
      namespaceSelector: team.toString(),
      nets: ['10.0.0.0/8'],
      notNets: ['10.1.0.0/16'],
      serviceAccounts: { names: ['web'], selector: 'has(trusted)' },
    });
    expect(rule.destination).toEqual({ selector: 'all()' });
  });

  test('a service match renders name and namespace', () => {
    const [rule] = renderIngress(Rule.allow({ source: { services: { name: 'frontend', namespaceName: 'shop' } } }));
    expect(rule.source).toEqual({ services: { name: 'frontend', namespace: 'shop' } });
  });

  test('HTTP matches and rule metadata render as given', () => {
    const [rule] = renderIngress(Rule.allow({
      http: { methods: ['GET', 'HEAD'], paths: [{ exact: '/healthz' }, { prefix: '/api/' }] },
      metadata: { annotations: { owner: 'shop-team' } },
    }));
    expect(rule.http).toEqual({ methods: ['GET', 'HEAD'], paths: [{ exact: '/healthz' }, { prefix: '/api/' }] });
    expect(rule.metadata).toEqual({ annotations: { owner: 'shop-team' } });
  });

  test('an empty source or destination is left out', () => {
    expect(renderIngress(Rule.allow({ source: {}, destination: { ports: [] } }))[0]).toEqual({ action: 'Allow', destination: { ports: [] } });
  });

  test('rules keep the order they were given in', () => {
    const nets = ['10.0.0.3/32', '10.0.0.1/32', '10.0.0.2/32'];
    expect(renderIngress(...nets.map(n => Rule.deny({ source: { nets: [n] } }))).map(r => r.source.nets[0])).toEqual(nets);
  });

  test('changing the caller\'s arrays after adding a rule does not change the policy', () => {
    const ports = [Port.tcp(80)];
    const nets = ['10.0.0.0/8'];
    const chart = newChart();
    new GlobalNetworkPolicy(chart, 'p', { ingress: [Rule.allow({ source: { nets }, destination: { ports } })] });
    ports.push(Port.udp(53));
    nets.push('not-a-cidr');
    const rule = findObject(synth(chart), 'GlobalNetworkPolicy', 'p').spec.ingress[0];
    expect(rule.destination.ports).toEqual([80]);
    expect(rule.source.nets).toEqual(['10.0.0.0/8']);
  });

  test('rendering twice gives the same output', () => {
    const chart = newChart();
    new GlobalNetworkPolicy(chart, 'p', { ingress: [Rule.allow({ destination: { ports: [Port.tcp(443)] } })] });
    expect(synth(chart)).toEqual(synth(chart));
  });
});

describe('invalid rule combinations', () => {
  test('ports of two protocols in one rule are rejected with the fix', () => {
    const e = errorOf(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ destination: { ports: [Port.tcp(53), Port.udp(53)] } })],
    }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/spec\.ingress\[0\]\.destination\.ports\[1\]: Port\.udp\(53\) carries protocol UDP but destination\.ports\[0\] \(Port\.tcp\(53\)\) carries TCP; a Calico rule matches one protocol, so write one rule per protocol/);
  });

  test('a source port of another protocol than the destination ports is rejected', () => {
    expect(() => new NetworkPolicy(newChart(), 'p', {
      egress: [Rule.allow({ source: { ports: [Port.udp(68)] }, destination: { ports: [Port.tcp(80)] } })],
    })).toThrow(/spec\.egress\[0\]\.destination\.ports\[0\]: Port\.tcp\(80\) carries protocol TCP but source\.ports\[0\]/);
  });

  test('a port whose protocol disagrees with the rule protocol is rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ protocol: Protocol.TCP, destination: { notPorts: [Port.udpRange(1, 100)] } })],
    })).toThrow(/spec\.ingress\[0\]\.destination\.notPorts\[0\]: Port\.udpRange\(1, 100\) carries protocol UDP but the rule's protocol is TCP; drop the rule's protocol so the port's applies, or write the port as Port\.between\(1, 100\)/);
  });

  test('a protocol-carrying port with an ICMP rule protocol is rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ protocol: Protocol.ICMP, destination: { ports: [Port.tcp(80)] } })],
    })).toThrow(/destination\.ports\[0\]: Port\.tcp\(80\) carries protocol TCP but the rule's protocol is ICMP; protocol ICMP has no ports, so remove the ports or the rule's protocol/);
  });

  test('a plain number where a Port belongs is rejected with the Port to use', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [{ action: RuleAction.ALLOW, protocol: Protocol.TCP, destination: { ports: [80 as any] } }],
    })).toThrow(/spec\.ingress\[0\]\.destination\.ports\[0\]: 80 is not a Port; use Port\.number\(80\) or Port\.tcp\(80\)/);
  });

  test('selector text where a Selector belongs is rejected with the call to use', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ source: { selector: "app == 'web'" as any } })],
    })).toThrow(/spec\.ingress\[0\]\.source\.selector: "app == 'web'" is not a Selector; use Selector\.parse/);
  });

  test('a protocol given as text is rejected with the Protocol to use', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [{ action: RuleAction.ALLOW, protocol: 'TCP' as any }] }))
      .toThrow(/spec\.ingress\[0\]\.protocol: protocol "TCP" is not a Protocol; use Protocol\.TCP/);
  });

  test('a missing rule is rejected instead of crashing', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { egress: [undefined as any] }))
      .toThrow(/spec\.egress\[0\]: a rule must be an object with an action, got undefined/);
  });

  // The verdicts below come from the policy validator (calicoctl's rules).
  test('ports without a protocol are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.allow({ destination: { ports: [Port.number(80)] } })] }))
      .toThrow(/spec\.ingress\[0\]\.destination\.ports/);
  });

  test('ports with protocol ICMP are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ protocol: Protocol.ICMP, destination: { ports: [Port.number(80)] } })],
    })).toThrow(/spec\.ingress\[0\]\.destination\.ports/);
  });

  test('ports with protocol UDPLite are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ protocol: Protocol.UDPLITE, source: { notPorts: [Port.number(80)] } })],
    })).toThrow(/spec\.ingress\[0\]\.source\.notPorts/);
  });

  test('ICMP fields without protocol ICMP are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.allow({ protocol: Protocol.TCP, icmp: { icmpType: 8 } })] }))
      .toThrow(/spec\.ingress\[0\]\.icmp/);
  });

  test('an ICMP code without a type is rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.allow({ protocol: Protocol.ICMP, icmp: { code: 0 } })] }))
      .toThrow(/spec\.ingress\[0\]\.icmp\.code/);
  });

  test('protocol ICMPv6 with ipVersion 4 is rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.allow({ protocol: Protocol.ICMPV6, ipVersion: IpVersion.IPV4 })] }))
      .toThrow(/spec\.ingress\[0\]\.ipVersion/);
  });

  test('IPv4 and IPv6 nets in one rule are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      ingress: [Rule.allow({ source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/8'] } })],
    })).toThrow(/spec\.ingress\[0\]\.destination\.nets/);
  });

  test('an invalid CIDR in nets is rejected with the value', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.deny({ source: { nets: ['10.0.0.0/33'] } })] }))
      .toThrow(/spec\.ingress\[0\]\.source\.nets\[0\].*10\.0\.0\.0\/33/);
  });

  test('HTTP matches on a Deny rule are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', { ingress: [Rule.deny({ http: { methods: ['GET'] } })] }))
      .toThrow(/spec\.ingress\[0\]\.http/);
  });

  test('services together with ports in the destination are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      egress: [Rule.allow({ protocol: Protocol.TCP, destination: { services: { name: 'api', namespaceName: 'shop' }, ports: [Port.number(80)] } })],
    })).toThrow(/spec\.egress\[0\]\.destination\.ports/);
  });

  test('services together with a selector are rejected', () => {
    expect(() => new GlobalNetworkPolicy(newChart(), 'p', {
      egress: [Rule.allow({ destination: { services: { name: 'api', namespaceName: 'shop' }, selector: Selector.has('x') } })],
    })).toThrow(/spec\.egress\[0\]\.destination\.selector/);
  });
});
