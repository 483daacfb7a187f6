// Scale check of the BGP topology constructs (a script, not a test; run `npx tsx bench/topology-scale.ts`).
//
// Describes a 5,000-node cluster: 4 node subnets with one route reflector each, 100 racks with
// their own top-of-rack router and AS, a routable pod pool for 500 nodes and advertised services,
// then synthesizes it and prints the time of each phase. The same cluster with 2x, 4x, 8x and 16x
// the racks shows how the cost grows with the objects the topology renders (nodes themselves are
// no objects; they only size the pools): roughly doubling per step means no quadratic work
// (overlap checks sort and sweep; names and addresses go through maps).
import { performance } from 'perf_hooks';
import { Chart, Testing, Yaml } from 'cdk8s';
import { AsNumber, CalicoCluster } from '../src';
import { RoutablePodPool } from '../src/topology/routable-pod-pool';
import { RoutableServices } from '../src/topology/routable-services';
import { RouteReflectorPool } from '../src/topology/route-reflector-pool';
import { TopOfRackPeering } from '../src/topology/tor-peering';
import { findCidrOverlaps, parseCidr } from '../src/net/address';

const SUBNETS = ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20'];

/** Address `offset` inside subnet `s` (the subnets are /20s starting at 10.0.16*s.0). */
function hostIn(s: number, offset: number): string {
  return `10.0.${16 * s + Math.floor(offset / 256)}.${offset % 256}`;
}

interface Timing { racks: number; nodes: number; objects: number; construct: number; synth: number; yaml: number; total: number }

const NODES = 5000;

function run(racks: number): Timing {
  const nodes = NODES;
  const t0 = performance.now();
  const chart = new Chart(Testing.app(), 'scale');
  const cluster = new CalicoCluster(chart, 'calico', {
    network: { nodeSubnets: SUBNETS, mtu: 9000 },
    expectedNodes: nodes,
    asNumber: AsNumber.of(63400),
    podCidr: '100.64.0.0/10',
  });
  new RouteReflectorPool(chart, 'reflectors', {
    cluster,
    dedicated: true,
    reflectors: SUBNETS.map((_, s) => ({ nodeName: `rr-${s + 1}`, ipv4Address: hostIn(s, 4000) })),
  });
  const tor = new TopOfRackPeering(chart, 'tor', { cluster });
  for (let i = 0; i < racks; i++) {
    // Rack i sits in subnet i % 4; its router takes the next low address there. Every fourth
    // rack's AS is written dotted, to exercise both forms.
    const s = i % 4;
    const asNumber = i % 4 === 3 ? AsNumber.parse(`1.${i}`) : AsNumber.of(64400 + i);
    tor.addRack({ rack: `r${i}`, ip: hostIn(s, Math.floor(i / 4) + 1), asNumber });
  }
  new RoutablePodPool(chart, 'routable', {
    cluster,
    cidr: '10.128.0.0/16',
    router: { ip: hostIn(0, 4090), asNumber: AsNumber.of(65000) },
    maxRoutableNodes: 500,
    maxNonRoutableNodes: nodes - 500,
  });
  new RoutableServices(chart, 'services', { cluster, routers: [{ ip: hostIn(1, 4090), asNumber: AsNumber.of(65000) }] });
  const t1 = performance.now();
  const manifests = Testing.synth(chart);
  const t2 = performance.now();
  const text = Yaml.stringify(...manifests);
  const t3 = performance.now();
  if (text.length === 0) throw new Error('empty output');
  return { racks, nodes, objects: manifests.length, construct: t1 - t0, synth: t2 - t1, yaml: t3 - t2, total: t3 - t0 };
}

function overlapSweep(n: number): number {
  // n disjoint /28s plus one overlapping pair, through the same sweep the topology check uses.
  const cidrs = [];
  for (let i = 0; i < n; i++) {
    const v = i * 16;
    cidrs.push(parseCidr(`10.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}/28`)!);
  }
  cidrs.push(parseCidr('10.0.0.0/24')!);
  const t0 = performance.now();
  const found = findCidrOverlaps(cidrs);
  const t1 = performance.now();
  if (found.length !== 16) throw new Error(`expected 16 overlaps, found ${found.length}`);
  return t1 - t0;
}

const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(11);

/** The median of `times` runs (timings are noisy: garbage collection, JIT). */
function median(racks: number, times: number): Timing {
  const runs = Array.from({ length: times }, () => run(racks)).sort((a, b) => a.total - b.total);
  return runs[Math.floor(times / 2)];
}

run(20); // warm up the module loading and JIT
console.log(`BGP topology scale (${NODES} nodes, 4 subnets, 4 reflectors, a routable pool, advertised services)`);
console.log('median of 5 runs each');
console.log('   racks   nodes objects   construct       synth        yaml       total');
let previous: Timing | undefined;
for (const racks of [100, 200, 400, 800, 1600]) {
  const t = median(racks, 5);
  const growth = previous ? `  x${(t.total / previous.total).toFixed(2)} for x2 racks` : '';
  console.log(`${String(t.racks).padStart(8)}${String(t.nodes).padStart(8)}${String(t.objects).padStart(8)}${ms(t.construct)} ${ms(t.synth)} ${ms(t.yaml)} ${ms(t.total)}${growth}`);
  previous = t;
}
console.log('\nOverlap sweep (findCidrOverlaps) over n ranges');
for (const n of [10_000, 100_000, 1_000_000]) {
  console.log(`${String(n).padStart(9)} ranges: ${ms(overlapSweep(n))}`);
}
