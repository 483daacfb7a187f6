// Random arguments for the public API, driven by the generated descriptions
// (src/core/private/api-shapes.ts): mostly well typed, from pools of values that reach synthesis,
// sometimes of any type at all (null, '', NaN, objects, arrays, text where a number belongs), so
// the fuzz tests see both what the checks refuse and what the constructs render.
import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as api from '../../src';
import { ENUMS, STRUCTS } from '../../src/core/private/api-shapes';
import { INTERFACE_SAMPLES } from './api-samples';
import { synth } from './util';

/**
 * How fast-check runs the fuzz tests: bounded, and the same runs every time. To explore further,
 * set FUZZ_RUNS and FUZZ_SEED (e.g. `FUZZ_RUNS=3000 FUZZ_SEED=7 npx jest test/policy`).
 */
export const FUZZ_RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 120), seed: Number(process.env.FUZZ_SEED ?? 20260101) };

export interface FuzzOptions {
  /** Arbitraries for fields of this name (in any struct), instead of the generic ones (absent values included). */
  readonly fields?: { readonly [field: string]: fc.Arbitrary<unknown> };
  /** Texts a string field takes (besides, rarely, any text). */
  readonly strings?: readonly string[];
  /** How many times absent an optional field is for each time it is present. */
  readonly absent?: number;
}

/**
 * An object whose every field read throws (its conversions to text still work, so fast-check can
 * print it). A revoked proxy, which throws on every operation, is in
 * test/core/argument-check.test.ts: fast-check itself cannot carry one.
 */
const HOSTILE = [new Proxy({}, {
  get: (target, key) => {
    if (typeof key === 'symbol' || key === 'toString' || key === 'constructor') return Reflect.get(target, key);
    throw new Error(`read trap: ${key}`);
  },
})];

/** Absent two times in three, else one of `values` (put a few wrong ones among them). */
export function absentOr(...values: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, fc.constantFrom(...values));
}

/** Values of the wrong type, or no value at all, or values that throw when read. */
export const ANYTHING: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, '', 0, -1, NaN, Infinity, true, {}, [], '10.0.0.0/24', 'Always', ...HOSTILE),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);

const NUMBERS = [0, 1, 2, 3, -1, 1.5, 20, 26, 32, 122, 128, 179, 443, 1000, 1480, 1500, 9000, 9216, 65535, 64512, 4294967296, NaN];

const STRINGS = [
  '', 'x', 'default', 'kube-system', 'org-1', 'app', 'web', 'eth0', 'node-1', 'Bad_Name', 'a b',
  '10.0.0.0/16', '10.0.0.0/24', '10.96.0.0/12', '10.0.0.1', '10.0.0.1/24', '192.168.0.0/16', 'fd00:10:244::/56', 'fd00::1', 'not-a-cidr',
  'has(app)', 'all()', 'v3.28.5', 'docker.io', 'https://10.0.0.10:2379', 'http://etcd:2379',
];

/** Instances of each class, made fresh for each use. */
const CLASS_POOLS: { readonly [className: string]: () => unknown[] } = {
  AdminPolicyPeer: () => [api.AdminPolicyPeer.namespaces({}), api.AdminPolicyPeer.pods({ matchLabels: { app: 'web' } }),
    api.AdminPolicyPeer.networks(['10.0.0.0/8']), api.AdminPolicyPeer.nodes({}), api.AdminPolicyPeer.networks(['10.0.0.1'])],
  AdminPolicySubject: () => [api.AdminPolicySubject.namespaces({}), api.AdminPolicySubject.pods({}, { matchLabels: { env: 'prod' } })],
  AsNumber: () => [api.AsNumber.of(64512), api.AsNumber.of(65001), api.AsNumber.dotted(1, 10)],
  ClusterDns: () => [api.ClusterDns.kubeDns(), api.ClusterDns.none(), api.ClusterDns.addresses(['169.254.20.10'])],
  CrdSource: () => [api.CrdSource.separate()],
  Duration: () => [Duration.seconds(1), Duration.millis(1500), Duration.minutes(2), Duration.millis(0.5)],
  FailsafePort: () => [api.FailsafePort.tcp(22), api.FailsafePort.udp(68, '0.0.0.0/0')],
  OverridePeer: () => [api.OverridePeer.sameNamespace(), api.OverridePeer.namespaces(['monitoring']), api.OverridePeer.cidr('10.20.0.0/16')],
  Port: () => [api.Port.tcp(80), api.Port.udp(53), api.Port.number(8080), api.Port.named('http'), api.Port.between(1000, 2000)],
  PortRange: () => [api.PortRange.single(80), api.PortRange.between(30000, 32767)],
  Protocol: () => [api.Protocol.TCP, api.Protocol.UDP, api.Protocol.ICMP, api.Protocol.of(47)],
  Selector: () => [api.Selector.all(), api.Selector.has('rack'), api.Selector.eq('app', 'web'), api.Selector.parse('!has(x)')],
};

/** A random argument of a type phrase. */
export function arbitraryOf(phrase: string, options: FuzzOptions = {}, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 40, arbitrary: typed(phrase.replace(/^optional /, ''), options, depth) }, { weight: 1, arbitrary: ANYTHING });
}

function typed(phrase: string, options: FuzzOptions, depth: number): fc.Arbitrary<unknown> {
  const [word, ...rest] = phrase.split(' ');
  const name = rest.join(' ');
  switch (word) {
    case 'string': return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...(options.strings ?? STRINGS)) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });
    case 'number': return fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -5, max: 70000 }));
    case 'boolean': return fc.boolean();
    case 'any': return fc.jsonValue({ maxDepth: 2 });
    case 'enum': return fc.constantFrom(...ENUMS[name]);
    case 'class': return CLASS_POOLS[name] ? fc.nat().map(i => pick(CLASS_POOLS[name](), i)) : fc.constant(undefined);
    case 'struct': return structOf(name, options, depth + 1);
    case 'interface': return fc.constant(null).map(() => INTERFACE_SAMPLES[name]());
    case 'external': return fc.constantFrom({}, { operator: 'Exists' }, { requests: { cpu: '250m' } });
    case 'array': return fc.array(arbitraryOf(phrase.slice('array of '.length), options, depth + 1), { maxLength: depth > 2 ? 1 : 3 });
    case 'map': return fc.dictionary(fc.constantFrom('app', 'rack', 'LOG_LEVEL', 'a/b'), arbitraryOf(phrase.slice('map of '.length), options, depth + 1), { maxKeys: 2 });
    default: throw new Error(`cannot fuzz '${phrase}'`);
  }
}

/** A struct with each optional field present now and then (one time in three), and every field now and then mistyped. */
export function structOf(name: string, options: FuzzOptions = {}, depth = 0): fc.Arbitrary<{ [field: string]: unknown }> {
  const record: { [field: string]: fc.Arbitrary<unknown> } = {};
  const required: string[] = [];
  for (const [field, phrase] of Object.entries(STRUCTS[name])) {
    const optional = phrase.startsWith('optional ');
    if (!optional) required.push(field);
    const given = options.fields?.[field];
    if (given) record[field] = given; // it says itself how often the field is absent
    else if (depth > 4) record[field] = fc.constant(undefined);
    else if (!optional) record[field] = arbitraryOf(phrase, options, depth);
    else record[field] = fc.oneof({ weight: options.absent ?? 2, arbitrary: fc.constant(undefined) }, arbitraryOf(phrase, options, depth));
  }
  return fc.record(record, { requiredKeys: required }) as fc.Arbitrary<{ [field: string]: unknown }>;
}

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length];
}

/** What came of building a chart from random arguments. */
export interface Outcome {
  /** The synthesized manifests, when the chart was built and passed its checks. */
  readonly manifests?: any[];
  /** Why it was refused: our error's message, or the messages of the whole-tree checks. */
  readonly refusal?: string;
}

/**
 * Builds into a fresh chart, runs the construct validations an app runs at synthesis, and
 * synthesizes. Anything thrown that is not our error escapes, and so fails the property.
 */
export function attempt(build: (chart: Chart) => void): Outcome {
  const chart = new Chart(Testing.app(), 'fuzz');
  // Random constructs draw the warnings and advisories synthesis prints (empty tiers, shadowed
  // rules, ...); they are expected here, so they stay out of the test log.
  const write = process.stderr.write;
  process.stderr.write = ((text: string | Uint8Array, ...rest: any[]) =>
    (typeof text === 'string' && /^\[[^\]]*\] (warning \[|CalicoCluster advisory)/.test(text) ? true : (write as any).call(process.stderr, text, ...rest))) as typeof write;
  try {
    build(chart);
    // The construct validations app.synth() runs (cdk8s would wrap their messages in its own error).
    const problems = chart.node.findAll().flatMap(c => c.node.validate());
    if (problems.length) return { refusal: problems.join('\n') };
    return { manifests: synth(chart) };
  } catch (e) {
    if (!api.CalicoErrors.isValidationError(e)) throw e;
    return { refusal: (e as Error).message };
  } finally {
    process.stderr.write = write;
  }
}

/**
 * The fuzz property of the constructs: building into a chart from each value of `arbitrary` is
 * either refused with our error, or synthesizes manifests that pass `check`; and enough values
 * synthesize for the property to mean something.
 */
export function expectSynthesisOrOurError<T>(arbitrary: fc.Arbitrary<T>, build: (chart: Chart, value: T) => void,
  check: (manifests: any[]) => void, runs: Parameters<typeof fc.assert>[1] = FUZZ_RUNS): void {
  let synthesized = 0;
  fc.assert(fc.property(arbitrary, value => {
    const outcome = attempt(chart => build(chart, value));
    if (!outcome.manifests) return;
    synthesized++;
    check(outcome.manifests);
  }), runs);
  expect(synthesized).toBeGreaterThan(5);
}
