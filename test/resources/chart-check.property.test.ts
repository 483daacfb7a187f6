// Property: whatever pools and policies a chart holds beside a CalicoCluster, it either
// synthesizes output that keeps the cross-object invariants (checked here by brute force, not by
// the library's own sweep), or fails with the library's error. Never anything else.
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CalicoCluster, CalicoErrors, GlobalNetworkPolicy, IpPool, Selector } from '../../src';
import { cidrsOverlap, parseCidr } from '../../src/net/address';
import { synth } from '../support/util';

const NAMES = ['a', 'b', 'c', 'default-ipv4-ippool'];
const pool = fc.record({
  name: fc.constantFrom(...NAMES),
  cidr: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 12, max: 28 }))
    .map(([n, p]) => parseCidr(`10.${n}.0.0/${p}`)!.text),
});
const cluster = fc.record({
  podCidr: fc.constantFrom('10.244.0.0/16', '10.0.0.0/8', '192.168.0.0/16'),
  subnet: fc.constantFrom('10.0.0.0/24', '10.20.0.0/16', '192.168.1.0/24', '172.16.0.0/16'),
  service: fc.constantFrom('10.96.0.0/12', '10.0.0.0/12', '172.16.0.0/12'),
});

describe('cross-object invariants of a synthesized chart', () => {
  test('unique names, no overlapping pools, pools clear of node subnets and service ranges — or our error', () => {
    const outcomes = { synthesized: 0, refused: 0 };
    fc.assert(fc.property(cluster, fc.array(pool, { maxLength: 5 }), fc.array(fc.constantFrom('deny', 'allow'), { maxLength: 3 }), (c, pools, policies) => {
      const chart = new Chart(Testing.app(), 'chart');
      let manifests: any[];
      try {
        new CalicoCluster(chart, 'calico', { network: { nodeSubnets: [c.subnet] }, podCidr: c.podCidr, serviceCidrs: [c.service] });
        pools.forEach((p, i) => new IpPool(chart, `pool-${i}`, p));
        policies.forEach((name, i) => new GlobalNetworkPolicy(chart, `policy-${i}`, { name, selector: Selector.all() }));
        manifests = synth(chart);
      } catch (e) {
        expect(CalicoErrors.isValidationError(e)).toBe(true);
        outcomes.refused++;
        return;
      }
      outcomes.synthesized++;
      const calico = manifests.filter(m => m.apiVersion === 'projectcalico.org/v3');
      const keys = calico.map(m => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      const cidrs = calico.filter(m => m.kind === 'IPPool').map(m => parseCidr(m.spec.cidr)!);
      const facts = [parseCidr(c.subnet)!, parseCidr(c.service)!];
      cidrs.forEach((a, i) => {
        cidrs.forEach((b, j) => expect(i === j || !cidrsOverlap(a, b)).toBe(true));
        facts.forEach(f => expect(cidrsOverlap(a, f)).toBe(false));
      });
      expect(cidrsOverlap(facts[0], facts[1])).toBe(false);
    }), { numRuns: 150, seed: 42 });
    // Both outcomes occur, so neither branch of the property is vacuous.
    expect(outcomes.synthesized).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  });
});
