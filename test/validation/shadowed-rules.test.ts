// The shadowed-rule proofs: hand cases for every dimension (covered and not), the partial-shadow
// heuristics, and properties that no reported cover or overlap is false (checked against a small
// packet matcher of our own over the dimensions the generated rules use).
import * as fc from 'fast-check';
import { evaluateSelector } from '../../src/language/selector-ast';
import { parseSelector } from '../../src/language/selector-parser';
import { isIpInCidr, parseCidrOrIp, parseIp } from '../../src/net/address';
import { covers, overlap, readCoverRule } from '../../src/validation/rule-cover';
import { findShadowedRules } from '../../src/validation/shadowed-rules';

const rule = (r: any) => {
  const read = readCoverRule(r);
  if (!read) throw new Error(`unreadable test rule ${JSON.stringify(r)}`);
  return read;
};
const covered = (earlier: any, later: any) => covers(rule({ action: 'Allow', ...earlier }), rule({ action: 'Deny', ...later }));

describe('covers: every packet of the later rule matches the earlier one', () => {
  test.each<[string, any, any, boolean]>([
    ['an empty rule covers anything', {}, { protocol: 'TCP', destination: { nets: ['10.0.0.0/8'], ports: [443] } }, true],
    ['a protocol covers the same protocol', { protocol: 'TCP' }, { protocol: 6 }, true],
    ['a protocol does not cover another', { protocol: 'TCP' }, { protocol: 'UDP' }, false],
    ['a protocol does not cover any protocol', { protocol: 'TCP' }, {}, false],
    ['notProtocol covers a rule with the same notProtocol', { notProtocol: 'UDP' }, { notProtocol: 'UDP' }, true],
    ['notProtocol covers a rule of another protocol', { notProtocol: 'UDP' }, { protocol: 'TCP' }, true],
    ['notProtocol does not cover its own protocol', { notProtocol: 'UDP' }, { protocol: 'UDP' }, false],
    ['notProtocol does not cover any protocol', { notProtocol: 'UDP' }, {}, false],
    ['ipVersion covers the same version', { ipVersion: 4 }, { ipVersion: 4 }, true],
    ['ipVersion covers a rule whose nets are all of that version', { ipVersion: 4 }, { destination: { nets: ['10.0.0.0/8'] } }, true],
    ['ipVersion does not cover a rule of both versions', { ipVersion: 4 }, {}, false],
    ['ipVersion does not cover the other version', { ipVersion: 6 }, { destination: { nets: ['10.0.0.0/8'] } }, false],
    ['nets cover nets inside them', { destination: { nets: ['10.0.0.0/8'] } }, { destination: { nets: ['10.1.0.0/16', '10.2.3.4'] } }, true],
    ['nets do not cover nets partly outside', { destination: { nets: ['10.0.0.0/8'] } }, { destination: { nets: ['10.1.0.0/16', '11.0.0.0/8'] } }, false],
    ['nets do not cover a rule without nets', { destination: { nets: ['0.0.0.0/0'] } }, {}, false],
    ['nets of the source do not cover nets of the destination', { source: { nets: ['10.0.0.0/8'] } }, { destination: { nets: ['10.0.0.0/8'] } }, false],
    ['two nets whose union covers are not combined (conservative)', { destination: { nets: ['10.0.0.0/9', '10.128.0.0/9'] } }, { destination: { nets: ['10.0.0.0/8'] } }, false],
    ['notNets cover a rule that excludes a wider range', { destination: { notNets: ['10.1.0.0/16'] } }, { destination: { notNets: ['10.0.0.0/8'] } }, true],
    ['notNets cover a rule whose nets are outside them', { destination: { notNets: ['10.0.0.0/8'] } }, { destination: { nets: ['192.168.0.0/16'] } }, true],
    ['notNets do not cover a rule whose nets reach into them', { destination: { notNets: ['10.0.0.0/8'] } }, { destination: { nets: ['10.1.0.0/16'] } }, false],
    ['notNets do not cover a rule without exclusions', { destination: { notNets: ['10.0.0.0/8'] } }, {}, false],
    ['ports cover ports inside them', { protocol: 'TCP', destination: { ports: ['1000:2000', 443] } }, { protocol: 'TCP', destination: { ports: [443, '1500:1600'] } }, true],
    ['ports do not cover a port outside', { protocol: 'TCP', destination: { ports: ['1000:2000'] } }, { protocol: 'TCP', destination: { ports: ['1500:2001'] } }, false],
    ['ports do not cover any port', { protocol: 'TCP', destination: { ports: [443] } }, { protocol: 'TCP' }, false],
    ['a named port covers the same name', { protocol: 'TCP', destination: { ports: ['http'] } }, { protocol: 'TCP', destination: { ports: ['http'] } }, true],
    ['a named port does not cover a number', { protocol: 'TCP', destination: { ports: ['http'] } }, { protocol: 'TCP', destination: { ports: [80] } }, false],
    ['notPorts cover a rule whose ports avoid them', { protocol: 'TCP', destination: { notPorts: [22] } }, { protocol: 'TCP', destination: { ports: [443] } }, true],
    ['notPorts do not cover a rule whose ports include them', { protocol: 'TCP', destination: { notPorts: [22] } }, { protocol: 'TCP', destination: { ports: ['20:30'] } }, false],
    ['notPorts cover a rule excluding a wider range', { protocol: 'TCP', destination: { notPorts: [22] } }, { protocol: 'TCP', destination: { notPorts: ['20:30'] } }, true],
    ['an identical selector covers', { source: { selector: "app == 'web'" } }, { source: { selector: 'app=="web"', nets: ['10.0.0.0/8'] } }, true],
    ['a different selector does not cover, even a wider one', { source: { selector: 'has(app)' } }, { source: { selector: "app == 'web'" } }, false],
    ['a selector does not cover a rule without one', { source: { selector: 'all()' } }, {}, false],
    ['a selector does not cover the same selector in other namespaces',
      { source: { selector: "app == 'web'" } }, { source: { selector: "app == 'web'", namespaceSelector: 'all()' } }, false],
    ['no selector covers a selector, a namespace selector and service accounts',
      {}, { source: { selector: 'a == "b"', namespaceSelector: 'c == "d"', serviceAccounts: { names: ['x'] } } }, true],
    ['identical service accounts cover', { source: { serviceAccounts: { names: ['x'], selector: 'a == "b"' } } }, { source: { serviceAccounts: { selector: 'a == "b"', names: ['x'] } } }, true],
    ['different service accounts do not cover', { source: { serviceAccounts: { names: ['x'] } } }, { source: { serviceAccounts: { names: ['y'] } } }, false],
    ['a Service match covers the same Service', { destination: { services: { name: 's', namespace: 'n' } } }, { destination: { services: { namespace: 'n', name: 's' } } }, true],
    ['an ICMP type covers the same type and any code', { protocol: 'ICMP', icmp: { type: 8 } }, { protocol: 'ICMP', icmp: { type: 8, code: 0 } }, true],
    ['an ICMP type and code do not cover the type alone', { protocol: 'ICMP', icmp: { type: 8, code: 0 } }, { protocol: 'ICMP', icmp: { type: 8 } }, false],
    ['an ICMP type does not cover any ICMP', { protocol: 'ICMP', icmp: { type: 8 } }, { protocol: 'ICMP' }, false],
    ['notICMP covers another ICMP type', { protocol: 'ICMP', notICMP: { type: 8 } }, { protocol: 'ICMP', icmp: { type: 3 } }, true],
    ['notICMP does not cover its own type', { protocol: 'ICMP', notICMP: { type: 8 } }, { protocol: 'ICMP', icmp: { type: 8, code: 1 } }, false],
    ['an HTTP match covers the same match', { http: { methods: ['GET'] } }, { http: { methods: ['GET'] } }, true],
    ['an HTTP match does not cover a rule without one', { http: { methods: ['GET'] } }, {}, false],
    ['a rule with an HTTP match is covered by a rule without one', {}, { http: { methods: ['GET'] } }, true],
  ])('%s', (_name, earlier, later, expected) => {
    expect(covered(earlier, later)).toBe(expected);
  });

  test('rules the proofs cannot read take part in nothing', () => {
    expect(readCoverRule({ action: 'Allow', futureField: 1 })).toBeUndefined();
    expect(readCoverRule({ action: 'Allow', destination: { nets: ['not-a-net'] } })).toBeUndefined();
    expect(readCoverRule({ action: 'Allow', destination: { ports: [80] } })).toBeUndefined(); // ports without a protocol
    expect(readCoverRule({ action: 'Allow', source: { selector: 'a ==' } })).toBeUndefined();
    expect(findShadowedRules({ ingress: [{ action: 'Allow' }, { action: 'Deny', bogus: true }] })).toEqual([]);
  });
});

describe('findShadowedRules', () => {
  const egress = (...rules: any[]) => findShadowedRules({ egress: rules });

  test('the motivating case: a metadata Deny after an Allow of TCP 443 everywhere is partly shadowed, naming both rules', () => {
    const found = egress(
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [443] } },
      { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
    );
    expect(found).toEqual([{
      direction: 'egress', index: 1, byIndex: 0, complete: false, path: 'spec.egress[1]',
      message: 'egress rule 1 (Deny to 169.254.169.254/32) does not decide TCP to 169.254.169.254/32 port 443: rule 0 (Allow TCP to 0.0.0.0/0 port 443) '
        + 'allows that traffic first; move rule 1 before rule 0; a deny that must hold whatever a namespace allows belongs in a tier evaluated before '
        + 'the default one (PlatformGuardrails)',
    }]);
  });

  test('a rule covered entirely can never match; the first covering rule is named', () => {
    const found = egress(
      { action: 'Log' },
      { action: 'Pass', destination: { nets: ['10.0.0.0/8'] } },
      { action: 'Allow', destination: { nets: ['0.0.0.0/0'] } },
      { action: 'Deny', protocol: 'UDP', destination: { nets: ['10.1.0.0/16'] } },
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 3, byIndex: 1, complete: true });
    expect(found[0].message).toBe('egress rule 3 (Deny UDP to 10.1.0.0/16) can never match: rule 1 (Pass to 10.0.0.0/8) already passes on all its traffic; '
      + 'move rule 3 before rule 1, or remove it; a deny that must hold whatever a namespace allows belongs in a tier evaluated before the default one (PlatformGuardrails)');
  });

  test('a Log rule does not decide: what follows it is not shadowed by it, but a Log after a deciding rule can be', () => {
    expect(egress({ action: 'Log' }, { action: 'Deny' })).toEqual([]);
    expect(egress({ action: 'Deny' }, { action: 'Log', protocol: 'TCP' })).toMatchObject([{ index: 1, byIndex: 0, complete: true }]);
  });

  test('the common orders are clean: carve-out first, allow-these-deny-the-rest, the same action twice', () => {
    expect(egress(
      { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [443] } },
    )).toEqual([]);
    expect(egress(
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['10.0.0.0/8'], ports: [443] } },
      { action: 'Deny', destination: { nets: ['10.0.0.0/8'] } },
      { action: 'Deny' },
    )).toEqual([]);
    expect(egress(
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['10.0.0.0/8'], ports: [443] } },
      { action: 'Allow', destination: { nets: ['10.1.0.0/16'] } },
    )).toEqual([]);
  });

  test('rules of disjoint traffic are clean: other ports, other nets, other IP versions', () => {
    expect(egress(
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [443] } },
      { action: 'Deny', protocol: 'TCP', destination: { nets: ['10.0.0.0/8'], ports: [22] } },
      { action: 'Deny', protocol: 'UDP', destination: { nets: ['10.0.0.0/8'] } },
      { action: 'Deny', destination: { nets: ['fd00::/8'] } },
    )).toEqual([]);
  });

  test('selectors that differ are never claimed, in either direction of the proof', () => {
    expect(findShadowedRules({
      ingress: [
        { action: 'Allow', source: { selector: 'has(app)' } },
        { action: 'Deny', source: { selector: "app == 'web'" } },
      ],
    })).toEqual([]);
  });

  test('ingress and egress are checked separately, each with its own path', () => {
    const found = findShadowedRules({ ingress: [{ action: 'Deny' }, { action: 'Allow' }], egress: [{ action: 'Allow' }, { action: 'Allow' }] });
    expect(found.map(f => f.path)).toEqual(['spec.ingress[1]', 'spec.egress[1]']);
  });

  test('a long selector is quoted by its prefix only', () => {
    const long = `app == '${'x'.repeat(5000)}'`;
    const found = findShadowedRules({ ingress: [{ action: 'Deny' }, { action: 'Allow', source: { selector: long } }] });
    expect(found).toHaveLength(1);
    expect(found[0].message.length).toBeLessThan(400);
  });

  test('input that is not a spec has no findings', () => {
    for (const spec of [undefined, null, 'x', 3, { egress: 'x' }, { egress: [null, 1, 'a'] }]) expect(findShadowedRules(spec)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: no false cover, no false overlap.
// ---------------------------------------------------------------------------------------------

const NETS = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '192.168.0.0/16', '::/0', 'fd00::/8', 'fd00:ec2::254/128'];
const ADDRESSES = ['10.1.2.3', '10.1.2.4', '10.1.9.9', '10.200.0.1', '192.168.1.1', '8.8.8.8', 'fd00::1', 'fd00:ec2::254', '2001:db8::1'];
const SELECTORS = ["app == 'web'", 'has(app)', "app == 'db'"];
const LABELS: Array<Record<string, string>> = [{}, { app: 'web' }, { app: 'db' }];
const PORTS = [22, 53, 443, '400:500', '1:1024'];
const PORT_VALUES = [22, 53, 443, 450, 8080];
const PROTOCOLS = ['TCP', 'UDP', 'ICMP'];

interface Packet {
  protocol: number;
  version: 4 | 6;
  source: { ip: string; port: number; labels: Record<string, string> };
  destination: { ip: string; port: number; labels: Record<string, string> };
  icmpType: number;
}

/** A field that is mostly absent, as in real rules (and so that covers and overlaps are found often). */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
const subset = <T>(values: T[]) => fc.subarray(values, { minLength: 1, maxLength: 3 });

const sideArb = (withPorts: boolean) => fc.record({
  nets: maybe(subset(NETS)),
  notNets: maybe(subset(NETS)),
  ports: withPorts ? maybe(subset(PORTS)) : fc.constant(undefined),
  notPorts: withPorts ? maybe(subset(PORTS)) : fc.constant(undefined),
  selector: maybe(fc.constantFrom(...SELECTORS)),
}, { requiredKeys: [] });

const ruleArb = fc.record({
  action: fc.constantFrom('Allow', 'Deny', 'Pass'),
  protocol: maybe(fc.constantFrom(...PROTOCOLS)),
  notProtocol: maybe(fc.constantFrom(...PROTOCOLS)),
  ipVersion: maybe(fc.constantFrom(4, 6)),
  icmpType: maybe(fc.constantFrom(0, 3, 8)),
  notIcmpType: maybe(fc.constantFrom(0, 3, 8)),
}).chain(base => {
  const ports = base.protocol === 'TCP' || base.protocol === 'UDP';
  const icmp = base.protocol === 'ICMP';
  return fc.record({ source: sideArb(ports), destination: sideArb(ports) }).map(sides => clean({
    action: base.action,
    protocol: base.protocol,
    notProtocol: base.notProtocol,
    ipVersion: base.ipVersion,
    icmp: icmp && base.icmpType !== undefined ? { type: base.icmpType } : undefined,
    notICMP: icmp && base.notIcmpType !== undefined ? { type: base.notIcmpType } : undefined,
    source: sides.source,
    destination: sides.destination,
  }));
});

/** Drops undefined fields, as a manifest would not have them. */
function clean(x: any): any {
  if (Array.isArray(x) || typeof x !== 'object' || x === null) return x;
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, clean(v)]));
}

const PROTOCOL_NUMBERS: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1 };

const packetArb: fc.Arbitrary<Packet> = fc.record({
  protocol: fc.constantFrom(6, 17, 1),
  version: fc.constantFrom<4 | 6>(4, 6),
  sourceIp: fc.nat(ADDRESSES.length - 1),
  destinationIp: fc.nat(ADDRESSES.length - 1),
  sourcePort: fc.constantFrom(...PORT_VALUES),
  destinationPort: fc.constantFrom(...PORT_VALUES),
  sourceLabels: fc.constantFrom(...LABELS),
  destinationLabels: fc.constantFrom(...LABELS),
  icmpType: fc.constantFrom(0, 3, 8),
}).map(p => {
  const ofVersion = ADDRESSES.filter(a => parseIp(a)!.version === p.version);
  return {
    protocol: p.protocol,
    version: p.version,
    source: { ip: ofVersion[p.sourceIp % ofVersion.length], port: p.sourcePort, labels: p.sourceLabels },
    destination: { ip: ofVersion[p.destinationIp % ofVersion.length], port: p.destinationPort, labels: p.destinationLabels },
    icmpType: p.icmpType,
  };
});

/** Our own matcher over the generated dimensions (selectors match endpoint labels; an absent selector any address). */
function matches(r: any, p: Packet): boolean {
  if (r.protocol !== undefined && PROTOCOL_NUMBERS[r.protocol] !== p.protocol) return false;
  if (r.notProtocol !== undefined && PROTOCOL_NUMBERS[r.notProtocol] === p.protocol) return false;
  if (r.ipVersion !== undefined && r.ipVersion !== p.version) return false;
  if (r.icmp !== undefined && (p.protocol !== 1 || r.icmp.type !== p.icmpType)) return false;
  if (r.notICMP !== undefined && p.protocol === 1 && r.notICMP.type === p.icmpType) return false;
  const nets = [...(r.source?.nets ?? []), ...(r.destination?.nets ?? [])];
  if (nets.length && r.ipVersion === undefined && nets.every((n: string) => parseCidrOrIp(n)!.version !== p.version)) return false;
  return sideMatches(r.source, p.source) && sideMatches(r.destination, p.destination);
}

function sideMatches(side: any, end: Packet['source']): boolean {
  if (!side) return true;
  const ip = parseIp(end.ip)!;
  const inNets = (nets: string[]) => nets.some(n => isIpInCidr(ip, parseCidrOrIp(n)!));
  const inPorts = (ports: Array<number | string>) => ports.some(q => {
    const [min, max] = String(q).split(':').map(Number);
    return end.port >= min && end.port <= (max ?? min);
  });
  if (side.nets && !inNets(side.nets)) return false;
  if (side.notNets && inNets(side.notNets)) return false;
  if (side.ports && !inPorts(side.ports)) return false;
  if (side.notPorts && inPorts(side.notPorts)) return false;
  if (side.selector && !evaluateSelector(parseSelector(side.selector).node!, end.labels)) return false;
  return true;
}

describe('properties', () => {
  test('no false cover: every sampled packet the later rule matches, a covering earlier rule matches too', () => {
    let claims = 0;
    fc.assert(fc.property(ruleArb, ruleArb, fc.array(packetArb, { minLength: 40, maxLength: 40 }), (r1, r2, packets) => {
      const a = readCoverRule(r1);
      const b = readCoverRule(r2);
      if (!a || !b || !covers(a, b)) return;
      claims++;
      for (const p of packets) if (matches(r2, p)) expect(matches(r1, p)).toBe(true);
    }), { numRuns: 3000 });
    expect(claims).toBeGreaterThan(30); // the generator reaches the claims it checks
  });

  test('a rule always covers itself', () => {
    fc.assert(fc.property(ruleArb, r => {
      const read = readCoverRule(r);
      if (read) expect(covers(read, read)).toBe(true);
    }), { numRuns: 500 });
  });

  test('no false overlap: the packet found matches both rules', () => {
    let claims = 0;
    fc.assert(fc.property(ruleArb, ruleArb, (r1, r2) => {
      const a = readCoverRule(r1);
      const b = readCoverRule(r2);
      const found = a && b ? overlap(a, b) : undefined;
      if (!found) return;
      claims++;
      const version = (found.ipVersion ?? found.sourceNet?.version ?? found.destinationNet?.version ?? 4) as 4 | 6;
      const end = (net: typeof found.sourceNet, ports: typeof found.sourcePorts) => ({
        ip: net ? firstAddress(net) : (version === 4 ? '8.8.8.8' : '2001:db8::1'),
        port: ports?.min ?? 8080,
        labels: {},
      });
      const packet: Packet = {
        protocol: found.protocol ?? 6,
        version,
        source: end(found.sourceNet, found.sourcePorts),
        destination: end(found.destinationNet, found.destinationPorts),
        icmpType: 0,
      };
      expect(matches(r1, packet)).toBe(true);
      expect(matches(r2, packet)).toBe(true);
    }), { numRuns: 5000 });
    expect(claims).toBeGreaterThan(30);
  });

  test('findShadowedRules never throws and reports each rule at most once', () => {
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 8 }), rules => {
      const found = findShadowedRules({ egress: rules });
      expect(new Set(found.map(f => f.index)).size).toBe(found.length);
      for (const f of found) expect(f.byIndex).toBeLessThan(f.index);
    }), { numRuns: 300 });
  });
});

/** The first address of a parsed CIDR as text. */
function firstAddress(net: { first: bigint; version: number }): string {
  if (net.version === 4) return [24n, 16n, 8n, 0n].map(s => String((net.first >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((net.first >> s) & 0xffffn).toString(16));
  return groups.join(':');
}
