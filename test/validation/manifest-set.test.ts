import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { cidrsOverlap, parseCidr } from '../../src/net/address';
import { checkManifestSet, DeclaredRange, DeclaredRangeKind, MANIFEST_SET_RULES, SetIssue } from '../../src/validation/manifest-set';

function pool(name: string, cidr: string, apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind: 'IPPool', metadata: { name }, spec: { cidr } };
}
function obj(kind: string, name: string, extra: Record<string, unknown> = {}, apiVersion = 'projectcalico.org/v3'): any {
  return { apiVersion, kind, metadata: { name, ...extra } };
}
const subnet = (cidr: string): DeclaredRange => ({ kind: DeclaredRangeKind.SUBNET, cidr, describe: `the node subnet ${cidr}` });
const service = (cidr: string): DeclaredRange => ({ kind: DeclaredRangeKind.SERVICE, cidr, describe: `the service range ${cidr}` });
const router = (ip: string): DeclaredRange => ({ kind: DeclaredRangeKind.ROUTER, cidr: `${ip}/32`, describe: `router ${ip}` });
const advertised = (cidr: string): DeclaredRange => ({ kind: DeclaredRangeKind.ADVERTISED, cidr, describe: `advertised ${cidr}` });
const rules = (issues: SetIssue[]) => issues.map(i => i.rule);

describe('duplicate-name', () => {
  test('reports the second of two objects of one kind with one name, naming the first', () => {
    const issues = checkManifestSet({ manifests: [obj('GlobalNetworkPolicy', 'deny'), obj('GlobalNetworkPolicy', 'deny')], describe: i => `#${i}` });
    expect(issues).toEqual([{
      rule: 'duplicate-name', manifest: 1, otherManifest: 0, path: 'metadata.name',
      message: "GlobalNetworkPolicy name 'deny' is already used by #0; Calico keeps one GlobalNetworkPolicy per name, so one would overwrite the other. Give each its own name",
    }]);
  });

  test('keeps kinds, namespaces and API groups apart, and reads a missing namespace of a namespaced Calico kind as default', () => {
    expect(checkManifestSet({ manifests: [obj('IPPool', 'a'), obj('BGPPeer', 'a'), obj('NetworkPolicy', 'a', { namespace: 'x' }), obj('NetworkPolicy', 'a', { namespace: 'y' })] })).toEqual([]);
    expect(rules(checkManifestSet({ manifests: [obj('NetworkPolicy', 'a'), obj('NetworkPolicy', 'a', { namespace: 'default' })] }))).toEqual(['duplicate-name']);
    expect(checkManifestSet({ manifests: [obj('NetworkPolicy', 'a', {}, 'networking.k8s.io/v1'), obj('NetworkPolicy', 'a')] })).toEqual([]);
  });

  test('treats both Calico API groups as one (they store the same objects)', () => {
    expect(rules(checkManifestSet({ manifests: [pool('a', '10.0.0.0/16'), pool('a', '10.1.0.0/16', 'crd.projectcalico.org/v1')] }))).toEqual(['duplicate-name']);
  });

  test('a cluster-scoped Calico kind ignores a namespace the manifest gives it', () => {
    expect(rules(checkManifestSet({ manifests: [obj('IPPool', 'a', { namespace: 'x' }), obj('IPPool', 'a')] }))).toEqual(['duplicate-name']);
  });

  test('three namesakes are one finding, at the second, counting them all', () => {
    const issues = checkManifestSet({ manifests: [obj('IPPool', 'p'), obj('IPPool', 'p'), obj('IPPool', 'p')], describe: i => `#${i}` });
    expect(issues).toEqual([expect.objectContaining({ manifest: 1, otherManifest: 0 })]);
    expect(issues[0].message).toMatch(/^IPPool name 'p' is already used by #0 \(3 objects share this name\); Calico keeps one IPPool per name/);
  });

  test('answers "constructor" and "__proto__" names like any other', () => {
    expect(rules(checkManifestSet({ manifests: [obj('constructor', '__proto__'), obj('constructor', '__proto__')] }))).toEqual(['duplicate-name']);
  });
});

describe('pool-overlap', () => {
  test('reports a pool inside another, blaming the inner one and naming both', () => {
    const issues = checkManifestSet({ manifests: [pool('wide', '10.0.0.0/8'), pool('other', '192.168.0.0/16'), pool('narrow', '10.1.0.0/16')] });
    expect(issues).toEqual([{
      rule: 'pool-overlap', manifest: 2, declared: undefined, otherManifest: 0, path: 'spec.cidr',
      message: "IPPool 'narrow' (10.1.0.0/16) overlaps IPPool 'wide' (10.0.0.0/8); Calico refuses overlapping pools, so give each pool a disjoint range",
    }]);
  });

  test('finds nothing for disjoint pools of both families, and skips other kinds and bad CIDRs', () => {
    expect(checkManifestSet({
      manifests: [
        pool('a', '10.0.0.0/16'), pool('b', '10.1.0.0/16'), pool('c', 'fd00::/64'), pool('d', 'fd00:0:0:1::/64'),
        { kind: 'IPReservation', metadata: { name: 'r' }, spec: { reservedCIDRs: ['10.0.0.0/8'] } },
        pool('e', 'garbage'), { kind: 'IPPool', metadata: { name: 'f' }, spec: null }, null, 42,
      ],
    })).toEqual([]);
  });

  test('a repeated name counts once in the overlap rule (the name rule reports it)', () => {
    expect(rules(checkManifestSet({ manifests: [pool('a', '10.0.0.0/16'), pool('a', '10.0.0.0/16')] }))).toEqual(['duplicate-name']);
    expect(rules(checkManifestSet({ manifests: [pool('a', '10.0.0.0/16'), pool('b', '10.0.0.0/16')] }))).toEqual(['pool-overlap']);
  });

  test('10,000 pools and one that covers 256 of them: exactly those 256 are reported', () => {
    const manifests = Array.from({ length: 10000 }, (_, i) => pool(`p${i}`, `10.${i >> 8}.${i & 255}.0/24`));
    manifests.push(pool('overlapping', '10.7.0.0/16'));
    const issues = checkManifestSet({ manifests });
    expect(issues).toHaveLength(256);
    expect(issues.every(i => i.otherManifest === 10000)).toBe(true);
  });

  test('flags exactly the pools a brute-force pairwise check flags', () => {
    const cidr = fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 18, max: 26 }))
      .map(([n, p]) => parseCidr(`10.0.${n * 4}.0/${p}`)!.text);
    fc.assert(fc.property(fc.array(cidr, { maxLength: 15 }), cidrs => {
      const issues = checkManifestSet({ manifests: cidrs.map((text, i) => pool(`p${i}`, text)) });
      const flagged = new Set(issues.flatMap(i => [i.manifest!, i.otherManifest!]));
      const parsed = cidrs.map(t => parseCidr(t)!);
      const brute = new Set<number>();
      parsed.forEach((a, i) => parsed.forEach((b, j) => {
        if (i !== j && cidrsOverlap(a, b)) brute.add(i);
      }));
      expect([...flagged].sort()).toEqual([...brute].sort());
    }), { numRuns: 200, seed: 12 });
  });
});

describe('range-overlap', () => {
  test('a pool over a node subnet (the default pod CIDR over 192.168.1.0/24)', () => {
    const issues = checkManifestSet({ manifests: [pool('default-ipv4-ippool', '192.168.0.0/16')], declared: [subnet('192.168.1.0/24')] });
    expect(issues).toEqual([expect.objectContaining({
      rule: 'range-overlap', manifest: 0, path: 'spec.cidr',
      message: "IPPool 'default-ipv4-ippool' (192.168.0.0/16) overlaps the node subnet 192.168.1.0/24; pods would get node addresses, so choose a pool range outside it",
    })]);
  });

  test('a pool over the service range', () => {
    const issues = checkManifestSet({ manifests: [pool('p', '10.96.0.0/16')], declared: [service('10.96.0.0/12')] });
    expect(issues[0].message).toBe("IPPool 'p' (10.96.0.0/16) overlaps the service range 10.96.0.0/12; pods would get service addresses, so choose a pool range outside it");
  });

  test('a service range over a node subnet is blamed on the service range', () => {
    const issues = checkManifestSet({ manifests: [], declared: [subnet('10.0.0.0/16'), service('10.0.0.0/12')] });
    expect(issues).toEqual([expect.objectContaining({ rule: 'range-overlap', declared: 1, path: '' })]);
    expect(issues[0].message).toMatch(/^the service range 10\.0\.0\.0\/12 overlaps the node subnet 10\.0\.0\.0\/16; service cluster IPs would collide with node addresses/);
  });

  test('routers may sit in node subnets, not in pools; advertised ranges may not overlap pools', () => {
    expect(checkManifestSet({ manifests: [], declared: [subnet('10.0.0.0/24'), router('10.0.0.1')] })).toEqual([]);
    const inPool = checkManifestSet({ manifests: [pool('p', '10.244.0.0/16')], declared: [router('10.244.0.1')] });
    expect(inPool[0]).toEqual(expect.objectContaining({ declared: 0, message: expect.stringMatching(/^router 10\.244\.0\.1 lies inside IPPool 'p' \(10\.244\.0\.0\/16\)/) }));
    const adv = checkManifestSet({ manifests: [pool('p', '10.244.0.0/16')], declared: [advertised('10.244.1.0/24')] });
    expect(adv[0].message).toMatch(/external and load-balancer addresses must stay out of pod pools/);
    expect(checkManifestSet({ manifests: [], declared: [subnet('10.0.0.0/16'), advertised('10.0.1.0/24')] })).toEqual([]);
  });

  test('node subnets among themselves and service ranges among themselves are left to their owners', () => {
    expect(checkManifestSet({ manifests: [], declared: [subnet('10.0.0.0/16'), subnet('10.0.0.0/24'), service('10.96.0.0/12'), service('10.96.0.0/16')] })).toEqual([]);
  });
});

describe('unresolved-reference', () => {
  const peer = (filters: unknown[]) => ({ apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'tor' }, spec: { filters } });

  test('a BGPPeer filter that names no BGPFilter', () => {
    expect(checkManifestSet({ manifests: [peer(['ok', 'missing']), obj('BGPFilter', 'ok')] })).toEqual([{
      rule: 'unresolved-reference', manifest: 0, path: 'spec.filters[1]',
      message: "BGPPeer 'tor' applies BGPFilter 'missing', which is not defined, so the peering would not be filtered as intended; "
        + 'define the BGPFilter beside the peer, or (when it is applied separately) reference it with BgpFilter.fromFilterName',
    }]);
  });

  test('a filter declared external resolves; non-string entries are the per-resource validator\'s', () => {
    expect(checkManifestSet({ manifests: [peer(['shared', 7])], external: new Set(['BGPFilter/shared']) })).toEqual([]);
  });

  const policy = (kind: string, name: string, tier?: unknown, apiVersion = 'projectcalico.org/v3') =>
    ({ apiVersion, kind, metadata: { name }, spec: { selector: 'all()', ...(tier === undefined ? {} : { tier }) } });

  test('a policy in a tier that no Tier of the set defines and the line does not create', () => {
    const issues = checkManifestSet({ manifests: [policy('GlobalNetworkPolicy', 'security.block', 'security'), obj('Tier', 'platform')] });
    expect(issues).toEqual([{
      rule: 'unresolved-reference', manifest: 0, path: 'spec.tier',
      message: expect.stringContaining("GlobalNetworkPolicy 'security.block' is in tier 'security', which is not defined: no Tier of the set has that name"),
    }]);
    expect(issues[0].message).toContain("Calico v3.32 does not create it (the known tiers are 'kube-admin', 'default', 'kube-baseline', 'platform')");
    expect(issues[0].message).toMatch(/Calico refuses a policy whose tier does not exist, so define the Tier \(applied before the policy\) or correct spec.tier$/);
  });

  test.each(['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy'])('%s: every way a tier exists', kind => {
    const manifests = [
      policy(kind, 'a', 'security'), obj('Tier', 'security'), // a Tier of the set
      policy(kind, 'b', 'shared'), // declared outside the set
      policy(kind, 'c', 'default'), policy(kind, 'd', ''), policy(kind, 'e'), // the default tier
      policy(kind, 'f', 'kube-admin'), // built into v3.32
      policy(kind, 'g', 'security', 'crd.projectcalico.org/v1'), // the storage form too
    ];
    expect(checkManifestSet({ manifests, external: new Set(['Tier/shared']) })).toEqual([]);
    expect(rules(checkManifestSet({ manifests: [policy(kind, 'x', 'nowhere', 'crd.projectcalico.org/v1')] }))).toEqual(['unresolved-reference']);
  });

  test('the built-in tiers follow the Calico line; kinds without tiers are left alone', () => {
    // v3.31 names its built-in admin tiers adminnetworkpolicy and baselineadminnetworkpolicy; v3.32 kube-admin and kube-baseline.
    expect(rules(checkManifestSet({ manifests: [policy('GlobalNetworkPolicy', 'a', 'kube-admin')], version: CalicoVersion.V3_31_7 }))).toEqual(['unresolved-reference']);
    expect(checkManifestSet({ manifests: [policy('GlobalNetworkPolicy', 'a', 'adminnetworkpolicy')], version: CalicoVersion.V3_31_7 })).toEqual([]);
    expect(rules(checkManifestSet({ manifests: [policy('GlobalNetworkPolicy', 'a', 'adminnetworkpolicy')] }))).toEqual(['unresolved-reference']);
    expect(checkManifestSet({ manifests: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'k' }, spec: { tier: 'x' } }] })).toEqual([]);
    expect(checkManifestSet({ manifests: [{ ...policy('GlobalNetworkPolicy', 'n', 5) }] })).toEqual([]); // not a string: the per-resource validator's
  });
});

describe('the rule set', () => {
  test('lists every rule it can report', () => {
    expect([...MANIFEST_SET_RULES.keys()].sort()).toEqual(['duplicate-name', 'pool-overlap', 'range-overlap', 'unresolved-reference']);
  });

  test('never throws on arbitrary input, and every issue names a known rule and a manifest or declared range', () => {
    fc.assert(fc.property(fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 8 }), fc.array(fc.string(), { maxLength: 3 }), (manifests, cidrs) => {
      const issues = checkManifestSet({ manifests, declared: cidrs.map(subnet) });
      for (const i of issues) {
        expect(MANIFEST_SET_RULES.has(i.rule)).toBe(true);
        expect((i.manifest === undefined) !== (i.declared === undefined)).toBe(true);
      }
    }), { numRuns: 300, seed: 7 });
  });
});
