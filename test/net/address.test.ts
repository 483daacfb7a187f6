import * as fc from 'fast-check';
import { IPv4 } from 'ip-num';
import {
  cidrsOverlap, findCidrOverlaps, isBgpFilterInterface, isCidrWithin, isIgnoredInterface, isInterfaceNameOrWildcard,
  isIpInCidr, MAX_ADDRESS_TEXT, parseAsNumber, parseCidr, parseCidrOrIp, parseDottedQuad, parseIp, parsePeerIp, ParsedCidr,
} from '../../src/net/address';

describe('parseIp', () => {
  test.each([
    ['10.0.0.1', 4, '10.0.0.1'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['fd00::1', 6, 'fd00::1'],
    ['FD00:0000::0001', 6, 'fd00::1'],
    ['::', 6, '::'],
    ['1:0:0:1:0:0:0:1', 6, '1:0:0:1::1'],
    ['::1.2.3.4', 6, '::102:304'],
    // An IPv4-mapped IPv6 address counts as IPv4, as Calico's cnet package reports it.
    ['::ffff:10.1.2.3', 4, '10.1.2.3'],
  ])('accepts %s as IPv%d %s', (text, version, canonical) => {
    const ip = parseIp(text);
    expect(ip?.version).toBe(version);
    expect(ip?.text).toBe(canonical);
  });

  test.each([
    '010.0.0.1', // Go rejects leading zeros in IPv4 fields
    '1.2.3', '1.2.3.4.5', '256.0.0.1', ' 1.2.3.4', '1.2.3.4 ', '0x1.2.3.4',
    'fe80::1%eth0', // zones are rejected by net.ParseIP
    '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '12345::', 'g::', ':::', '',
    '10.0.0.0/8',
  ])('rejects %p', text => {
    expect(parseIp(text)).toBeUndefined();
  });

  test.each([[undefined], [null], [42], [['10.0.0.1']], [{ ip: '10.0.0.1' }]])('rejects the non-string %p', value => {
    expect(parseIp(value)).toBeUndefined();
  });

  test('gives the numeric value of an address', () => {
    expect(parseIp('10.0.0.1')?.value).toBe(0x0a000001n);
    expect(parseIp('::1')?.value).toBe(1n);
  });
});

describe('parseCidr', () => {
  test('parses a strictly masked IPv4 CIDR', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({
      version: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn, text: '10.0.0.0/8', strict: true,
    });
  });

  test('clears host bits and records that the input was not strict', () => {
    const c = parseCidr('10.0.0.5/24');
    expect(c).toMatchObject({ text: '10.0.0.0/24', strict: false });
    expect(c?.address.text).toBe('10.0.0.5');
  });

  test('parses IPv6 and prints it compressed', () => {
    expect(parseCidr('FD00:0:0:0:0:0:0:0/48')).toMatchObject({ version: 6, prefix: 48, text: 'fd00::/48', strict: true });
  });

  test('accepts leading zeros in the prefix length, as Go does', () => {
    expect(parseCidr('10.0.0.0/08')?.text).toBe('10.0.0.0/8');
  });

  test('treats an IPv4-mapped network with a mask covering ::ffff: as IPv4', () => {
    expect(parseCidr('::ffff:10.0.0.0/104')).toMatchObject({ version: 4, prefix: 8, text: '10.0.0.0/8' });
  });

  test.each(['10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/+8', '10.0.0.0/8/8', '10.0.0.0',
    '010.0.0.0/8', 'fe80::%eth0/64', '/8', '10.0.0.0/ 8'])('rejects %p', text => {
    expect(parseCidr(text)).toBeUndefined();
  });

  test('parseCidrOrIp takes a bare address as a single-address network', () => {
    expect(parseCidrOrIp('10.0.0.1')).toMatchObject({ prefix: 32, text: '10.0.0.1/32', strict: true });
    expect(parseCidrOrIp('fd00::1')).toMatchObject({ prefix: 128, text: 'fd00::1/128' });
    expect(parseCidrOrIp('10.0.0.1/24')?.text).toBe('10.0.0.0/24');
    expect(parseCidrOrIp('nope')).toBeUndefined();
    expect(parseCidrOrIp(7)).toBeUndefined();
  });
});

describe('range checks', () => {
  const c = (text: string) => parseCidr(text)!;

  test('cidrsOverlap is true for nested and equal ranges and false for disjoint ones', () => {
    expect(cidrsOverlap(c('10.0.0.0/8'), c('10.1.0.0/16'))).toBe(true);
    expect(cidrsOverlap(c('10.1.0.0/16'), c('10.0.0.0/8'))).toBe(true);
    expect(cidrsOverlap(c('10.0.0.0/8'), c('10.0.0.0/8'))).toBe(true);
    expect(cidrsOverlap(c('10.0.0.0/8'), c('11.0.0.0/8'))).toBe(false);
  });

  test('cidrsOverlap never matches across families', () => {
    expect(cidrsOverlap(c('0.0.0.0/0'), c('::/0'))).toBe(false);
  });

  test('isIpInCidr checks family and range', () => {
    expect(isIpInCidr(parseIp('10.1.2.3')!, c('10.0.0.0/8'))).toBe(true);
    expect(isIpInCidr(parseIp('11.0.0.0')!, c('10.0.0.0/8'))).toBe(false);
    expect(isIpInCidr(parseIp('::a00:1')!, c('10.0.0.0/8'))).toBe(false);
  });

  test('isCidrWithin checks containment', () => {
    expect(isCidrWithin(c('10.1.0.0/16'), c('10.0.0.0/8'))).toBe(true);
    expect(isCidrWithin(c('10.0.0.0/8'), c('10.1.0.0/16'))).toBe(false);
  });
});

describe('findCidrOverlaps', () => {
  const list = (...texts: string[]) => texts.map(t => parseCidr(t)!);

  test('finds nested, duplicate and no overlaps', () => {
    expect(findCidrOverlaps(list('10.0.0.0/8', '11.0.0.0/8', '10.1.0.0/16', '10.0.0.0/8'))).toEqual([
      { index: 2, otherIndex: 0 },
      { index: 3, otherIndex: 0 },
    ]);
    expect(findCidrOverlaps(list('10.0.0.0/16', '10.1.0.0/16', 'fd00::/64', 'fd00:0:0:1::/64'))).toEqual([]);
    expect(findCidrOverlaps([])).toEqual([]);
  });

  test('pairs a CIDR with the wider one even when the wider one comes later', () => {
    expect(findCidrOverlaps(list('10.1.0.0/16', '10.0.0.0/8'))).toEqual([{ index: 0, otherIndex: 1 }]);
  });

  test('handles thousands of pools quickly', () => {
    const pools: ParsedCidr[] = [];
    for (let i = 0; i < 20000; i++) pools.push(parseCidr(`10.${i >> 8}.${i & 255}.0/24`)!);
    pools.push(parseCidr('10.5.0.0/16')!);
    const start = Date.now();
    const overlaps = findCidrOverlaps(pools);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(overlaps).toHaveLength(256);
    expect(overlaps.every(o => o.otherIndex === 20000)).toBe(true);
  });
});

describe('parseAsNumber', () => {
  test.each([
    [0, 0], [64512, 64512], [4294967295, 4294967295], ['64512', 64512], ['0064512', 64512],
    ['1.10', 65546], ['65535.65535', 4294967295], ['0.0', 0],
  ])('accepts %p as %d', (value, expected) => {
    expect(parseAsNumber(value)).toBe(expected);
  });

  test.each([[-1], [4294967296], [1.5], ['4294967296'], ['65536.0'], ['1.65536'], ['1.2.3'], ['a'], [''], [' 1'],
    ['-1'], ['+1'], [null], [true], [[1]]])('rejects %p', value => {
    expect(parseAsNumber(value)).toBeUndefined();
  });
});

describe('parsePeerIp', () => {
  test.each([
    ['10.0.0.1', '10.0.0.1', undefined],
    ['fd00::1', 'fd00::1', undefined],
    ['10.0.0.1:179', '10.0.0.1', 179],
    ['[fd00::1]:1790', 'fd00::1', 1790],
    ['10.0.0.1:65535', '10.0.0.1', 65535],
  ])('accepts %s', (text, ip, port) => {
    const p = parsePeerIp(text);
    expect(p?.ip.text).toBe(ip);
    expect(p?.port).toBe(port);
  });

  test.each(['10.0.0.1:0', '10.0.0.1:65536', 'fd00::1:179:', '[fd00::1]', '[fd00::1]:', '[10.0.0.1]:179x',
    '1:2:3:4:5', 'fd00::1%eth0', '', 'host:179', '010.0.0.1:179'])('rejects %p', text => {
    expect(parsePeerIp(text)).toBeUndefined();
  });

  test('reads dots as dots: a host with other separators is not an address with a port', () => {
    expect(parsePeerIp('10x0x0x1:179')).toBeUndefined();
    expect(parsePeerIp('1.2.3.4x179')).toBeUndefined();
  });

  test('answers a 5,000-digit peer address (it is not one) and reads leading zeros of a port as Go does', () => {
    expect(parsePeerIp('1'.repeat(5000))).toBeUndefined();
    expect(parsePeerIp(`10.0.0.1:${'1'.repeat(5000)}`)).toBeUndefined();
    expect(parsePeerIp(`${'1.'.repeat(2500)}1:179`)).toBeUndefined();
    expect(parsePeerIp(`10.0.0.1:${'0'.repeat(500)}179`)).toEqual({ ip: expect.objectContaining({ text: '10.0.0.1' }), port: 179 });
  });
});

describe('text longer than any address', () => {
  test(`is refused by every parser (more than ${MAX_ADDRESS_TEXT} characters)`, () => {
    const longest = `10.0.0.0/${'0'.repeat(MAX_ADDRESS_TEXT - 10)}8`;
    expect(parseCidr(longest)?.text).toBe('10.0.0.0/8');
    const long = `10.0.0.0/0${longest.slice('10.0.0.0/'.length)}`;
    expect(parseCidr(long)).toBeUndefined();
    expect(parseCidrOrIp(long)).toBeUndefined();
    expect(parseIp(' '.repeat(MAX_ADDRESS_TEXT + 1))).toBeUndefined();
    expect(parsePeerIp(`10.0.0.1:${'0'.repeat(MAX_ADDRESS_TEXT)}`)).toBeUndefined();
  });
});

describe('interface names', () => {
  test('accepts names and * and rejects long or odd names', () => {
    expect(isInterfaceNameOrWildcard('eth0')).toBe(true);
    expect(isInterfaceNameOrWildcard('*')).toBe(true);
    expect(isInterfaceNameOrWildcard('eth*')).toBe(false);
    expect(isInterfaceNameOrWildcard('a234567890123456')).toBe(false);
    expect(isInterfaceNameOrWildcard('')).toBe(false);
  });

  test('BGPFilter interfaces and ignored interfaces allow wildcards, ignored ones not a bare *', () => {
    expect(isBgpFilterInterface('cali*')).toBe(true);
    expect(isBgpFilterInterface('*')).toBe(true);
    expect(isIgnoredInterface('cali*')).toBe(true);
    expect(isIgnoredInterface('*')).toBe(false);
    expect(isIgnoredInterface('eth 0')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

const v4Cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([n, p]) => ({ text: `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${p}`, value: BigInt(n), prefix: p }));

const v6Cidr = fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 }))
  .map(([groups, p]) => ({ text: `${groups.map(g => g.toString(16)).join(':')}/${p}`, groups, prefix: p }));

describe('properties', () => {
  test('dotted-quad IPv4 is read exactly as ip-num reads it', () => {
    const ipNum = (text: string) => {
      try {
        return IPv4.fromString(text).getValue();
      } catch {
        return undefined;
      }
    };
    const fieldArb = fc.oneof(fc.nat(300).map(String), fc.constantFrom('', '0', '00', '01', '255', '256', ' 1', '1a', '+1', '-1', '1e2'));
    const textArb = fc.oneof(
      fc.array(fieldArb, { minLength: 1, maxLength: 6 }).map(fields => fields.join('.')),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', ' ', 'x'), maxLength: 20 }),
    );
    fc.assert(fc.property(textArb, text => {
      expect(parseDottedQuad(text)).toBe(ipNum(text));
    }), { seed: 17, numRuns: 5000 });
  });

  test('IPv4 networks and mapped addresses print as ip-num prints them', () => {
    fc.assert(fc.property(fc.nat(0xffffffff), fc.nat(32), (value, prefix) => {
      const text = new IPv4(BigInt(value)).toString();
      expect(parseIp(`::ffff:${text}`)?.text).toBe(text);
      const cidr = parseCidr(`${text}/${prefix}`)!;
      expect(cidr.text).toBe(`${new IPv4(cidr.first).toString()}/${prefix}`);
    }), { seed: 18, numRuns: 2000 });
  });

  test('IPv4 CIDRs print and re-parse to the same network', () => {
    fc.assert(fc.property(v4Cidr, ({ text, value, prefix }) => {
      const c = parseCidr(text)!;
      expect(c.version).toBe(4);
      expect(c.prefix).toBe(prefix);
      expect(parseCidr(c.text)).toEqual({ ...c, strict: true, address: parseIp(c.text.split('/')[0]) });
      expect(c.first <= value && value <= c.last).toBe(true);
      expect(c.last - c.first + 1n).toBe(1n << BigInt(32 - prefix));
      expect(c.strict).toBe(c.first === value);
    }));
  });

  test('IPv6 CIDRs print and re-parse to the same network', () => {
    fc.assert(fc.property(v6Cidr, ({ text, prefix }) => {
      const c = parseCidr(text)!;
      expect(c).toBeDefined();
      const again = parseCidr(c.text)!;
      expect(again.text).toBe(c.text);
      expect(again.first).toBe(c.first);
      expect(again.last).toBe(c.last);
      expect(again.strict).toBe(true);
      if (c.version === 6) expect(c.last - c.first + 1n).toBe(1n << BigInt(128 - prefix));
    }));
  });

  test('the overlap finder agrees with a brute-force check on random small sets', () => {
    const small = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 20, max: 32 })).map(([n, p]) => `10.0.${n}.0/${p}`),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 16, max: 24 })).map(([n, p]) => `10.${n}.0.0/${p}`),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 112, max: 128 })).map(([n, p]) => `fd00::${n.toString(16)}00/${p}`),
    );
    fc.assert(fc.property(fc.array(small, { maxLength: 12 }), texts => {
      const cidrs = texts.map(t => parseCidr(t)!);
      const found = findCidrOverlaps(cidrs);
      const involved = new Set<number>();
      for (const o of found) {
        expect(o.index).not.toBe(o.otherIndex);
        expect(cidrsOverlap(cidrs[o.index], cidrs[o.otherIndex])).toBe(true);
        involved.add(o.index);
        involved.add(o.otherIndex);
      }
      const brute = new Set<number>();
      for (let i = 0; i < cidrs.length; i++) {
        for (let j = i + 1; j < cidrs.length; j++) {
          if (cidrsOverlap(cidrs[i], cidrs[j])) {
            brute.add(i);
            brute.add(j);
          }
        }
      }
      expect([...involved].sort()).toEqual([...brute].sort());
      expect(new Set(found.map(o => o.index)).size).toBe(found.length);
    }));
  });

  test('parseIp and parseCidr never throw on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), value => {
      parseIp(value);
      parseCidr(value);
      parseCidrOrIp(value);
      parsePeerIp(value);
      parseAsNumber(value);
      return true;
    }));
    fc.assert(fc.property(fc.string(), s => {
      const ip = parseIp(s);
      if (ip) expect(parseIp(ip.text)).toEqual(ip);
      return true;
    }));
  });
});
