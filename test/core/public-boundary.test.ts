// Every public constructor, method and static factory, driven from the generated descriptions:
// for each parameter and each field reachable from it (struct fields, array elements, map
// values, nested as deep as the types go), a wrongly typed value on its own, with otherwise
// well-typed arguments, must be refused with our error naming that field and the type expected:
// never a TypeError, never success. A new prop or parameter is covered as soon as the
// descriptions are regenerated (test/core/api-shapes.test.ts makes sure they are).
import * as api from '../../src';
import { CALLABLES, CLASSES, ENUMS, STRUCTS } from '../../src/core/private/api-shapes';
import { CLASS_SAMPLES, INTERFACE_SAMPLES } from '../support/api-samples';
import { errorOf, newChart } from '../support/util';

/** Calls the descriptions list but that deliberately do not run the check, and why. */
const NOT_CHECKED: { [callable: string]: string } = {
  'CalicoErrors.isValidationError': 'recognises any value; it never throws',
  'CalicoErrors.constructPathOf': 'recognises any value; it never throws',
  'ManifestValidator.validate': 'takes any value and reports issues; it never throws',
  'PolicyModel.fromManifests': 'takes a list of anything; its own check says what it needs ("needs a list of manifest objects")',
  'ReachabilityMatrix.fromManifests': 'takes a list of anything; its own check says what it needs ("needs a list of manifest objects")',
  'Selector.sameAs': 'a comparison: anything that is not a Selector is simply not the same one (false)',
  'Selector.andAlso': 'hands both selectors to Selector.allOf, which checks them and names itself',
  'Selector.orElse': 'hands both selectors to Selector.anyOf, which checks them and names itself',
};

/**
 * Structs no call takes as they are: the ones the library only returns (records and verdicts), and
 * the bases other props extend (their fields are reached through those).
 */
const NEVER_PASSED = [
  'AdminPolicyBaseProps', 'Advisory', 'ApplyStep', 'CalicoResourceProps', 'Decision', 'DirectionVerdict', 'FlowVerdict', 'PolicyBaseProps', 'PolicyInfo',
  'ReachabilityCell', 'ReachabilityEndpoint', 'ReachabilityPort', 'StageChartInfo', 'ValidationIssue',
];

/** An instance to call each class's instance methods on (by the class that declares them). */
const INSTANCES: { [className: string]: () => any } = {
  AdminPolicyBase: () => new api.ClusterNetworkPolicy(newChart(), 'cnp', {
    tier: api.ClusterNetworkPolicyTier.ADMIN, priority: 1, subject: api.AdminPolicySubject.namespaces({}),
  }),
  BgpConfiguration: () => new api.BgpConfiguration(newChart(), 'bgp'),
  CalicoVersion: () => api.CalicoVersion.V3_32_1,
  BgpFilter: () => new api.BgpFilter(newChart(), 'filter'),
  BgpPeer: () => new api.BgpPeer(newChart(), 'peer', { peerIp: '10.0.0.1', asNumber: api.AsNumber.of(64513) }),
  CalicoCluster: () => new api.CalicoCluster(newChart(), 'calico'),
  CrdSource: () => api.CrdSource.upstreamRelease(),
  CalicoNamespaceOverride: () => new api.CalicoNamespaceOverride(newChart(), 'override', { namespaceName: 'org-1' }),
  DefaultDenyPolicy: () => new api.DefaultDenyPolicy(newChart(), 'deny'),
  HostEndpoint: () => new api.HostEndpoint(newChart(), 'host', { node: 'node-1', interfaceName: 'eth0' }),
  IpPool: () => new api.IpPool(newChart(), 'pool', { cidr: '10.0.0.0/16' }),
  IpReservation: () => new api.IpReservation(newChart(), 'reservation'),
  KubernetesNamespaceOverride: () => new api.KubernetesNamespaceOverride(newChart(), 'override', { namespaceName: 'org-1' }),
  NetworkSetBase: () => new api.GlobalNetworkSet(newChart(), 'set'),
  PolicyBase: () => new api.GlobalNetworkPolicy(newChart(), 'policy'),
  PolicyModel: () => api.PolicyModel.fromManifests([]),
  Protocol: () => api.Protocol.TCP,
  ReachabilityMatrix: () => api.ReachabilityMatrix.fromManifests([]),
  RouteReflectorPool: () => {
    const chart = newChart();
    return new api.RouteReflectorPool(chart, 'reflectors', { cluster: new api.CalicoCluster(chart, 'calico') });
  },
  Selector: () => api.Selector.all(),
  StagedKubernetesNetworkPolicy: () => new api.StagedKubernetesNetworkPolicy(newChart(), 'policy'),
  TopOfRackPeering: () => {
    const chart = newChart();
    return new api.TopOfRackPeering(chart, 'tor', { cluster: new api.CalicoCluster(chart, 'calico') });
  },
};

/**
 * Well-typed values the construct's own (later) checks need where a caller reports a type itself
 * (`leave`): the rest of the props must then be good enough to reach that check.
 */
const BASE_ARGUMENTS: { [callable: string]: unknown[] } = {
  HostEndpoint: [undefined, 'host', { node: 'node-1', interfaceName: 'eth0' }],
  NetworkPolicy: [undefined, 'policy', { namespaceName: 'org-1' }],
  KubernetesNamespaceOverride: [undefined, 'override', { namespaceName: 'org-1' }],
  CalicoNamespaceOverride: [undefined, 'override', { namespaceName: 'org-1' }],
};

const phraseOf = (phrase: string) => phrase.replace(/^optional /, '');

/** A well-typed value of a type phrase: required struct fields filled, collections empty. */
function sample(phrase: string): unknown {
  const [word, ...rest] = phraseOf(phrase).split(' ');
  const name = rest.join(' ');
  switch (word) {
    case 'string': return 'x';
    case 'number': return 1;
    case 'boolean': return true;
    case 'any': return {};
    case 'enum': return ENUMS[name][0];
    case 'class': return CLASS_SAMPLES[name]();
    case 'struct': return sampleStruct(name);
    case 'interface': return INTERFACE_SAMPLES[name]();
    case 'external': return {};
    case 'array': return [];
    case 'map': return {};
    default: throw new Error(`no sample for '${phrase}'`);
  }
}

function sampleStruct(name: string): { [field: string]: unknown } {
  const out: { [field: string]: unknown } = {};
  for (const [field, phrase] of Object.entries(STRUCTS[name])) if (!phrase.startsWith('optional ')) out[field] = sample(phrase);
  return out;
}

/** A value of the wrong type for a type phrase, and words the refusal must contain. */
function wrongFor(phrase: string): { value: unknown; expected: string[] } | undefined {
  const [word, ...rest] = phraseOf(phrase).split(' ');
  const name = rest.join(' ');
  switch (word) {
    case 'string': return { value: 5, expected: ['string'] };
    case 'number': return { value: '5', expected: ['number'] };
    case 'boolean': return { value: 'yes', expected: ['true or false'] };
    case 'enum': return { value: 'Bogus', expected: [name, `'${ENUMS[name][0]}'`, String(ENUMS[name][0])] };
    case 'class': return { value: { not: 'an instance' }, expected: [name] };
    case 'struct': return { value: 'text', expected: [name, 'object'] };
    case 'interface':
    case 'external': return { value: 'text', expected: [name] };
    case 'array': return { value: 'text', expected: ['array'] };
    case 'map': return { value: 'text', expected: ['object whose values'] };
    default: return undefined; // any
  }
}

/** One wrongly typed value at one place. */
interface Case {
  readonly callable: string;
  /** `props.network.nodeSubnets[0]`. */
  readonly where: string;
  /** The field name the message must contain. */
  readonly field: string;
  readonly args: () => unknown[];
  readonly expected: string[];
}

/** Steps from a parameter down to the place a wrong value goes. */
type Step = { field: string; struct: string } | { index: true } | { key: true };

/** Every place below a type phrase where a wrongly typed value can go, as step lists. */
function places(phrase: string, seen: readonly string[] = []): Array<{ steps: Step[]; phrase: string }> {
  const bare = phraseOf(phrase);
  const out: Array<{ steps: Step[]; phrase: string }> = [{ steps: [], phrase: bare }];
  if (bare.startsWith('struct ')) {
    const struct = bare.slice('struct '.length);
    if (seen.includes(struct)) return out;
    for (const [field, fieldPhrase] of Object.entries(STRUCTS[struct])) {
      for (const p of places(fieldPhrase, [...seen, struct])) out.push({ steps: [{ field, struct }, ...p.steps], phrase: p.phrase });
    }
  } else if (bare.startsWith('array of ')) {
    for (const p of places(bare.slice('array of '.length), seen)) out.push({ steps: [{ index: true }, ...p.steps], phrase: p.phrase });
  } else if (bare.startsWith('map of ')) {
    for (const p of places(bare.slice('map of '.length), seen)) out.push({ steps: [{ key: true }, ...p.steps], phrase: p.phrase });
  }
  return out;
}

/** A well-typed value of `phrase` (or `base`) with `wrong` at the end of `steps`. */
function build(phrase: string, steps: readonly Step[], wrong: unknown, base?: unknown): unknown {
  if (!steps.length) return wrong;
  const [step, ...rest] = steps;
  const bare = phraseOf(phrase);
  if ('index' in step) return [build(bare.slice('array of '.length), rest, wrong)];
  if ('key' in step) return { key: build(bare.slice('map of '.length), rest, wrong) };
  const struct = bare.slice('struct '.length);
  const fields = { ...sampleStruct(struct), ...(base as object ?? {}) };
  return { ...fields, [step.field]: build(STRUCTS[struct][step.field], rest, wrong) };
}

function describe_(name: string, steps: readonly Step[]): { where: string; field: string } {
  let where = name;
  let field = name;
  for (const s of steps) {
    if ('field' in s) {
      where += `.${s.field}`;
      field = s.field;
    } else if ('index' in s) {
      where += '[0]';
    } else {
      where += '.key';
      field = 'key';
    }
  }
  return { where, field };
}

/**
 * Calls `callable`. A rule built by `Rule.allow()` and friends is a plain value whose Ports,
 * Protocols and Selectors the policy that takes it checks (with the manifest path), so a Rule call
 * is made inside a policy.
 */
function invoke(callable: string, args: unknown[]): unknown {
  const [className, method] = callable.split('.');
  if (className === 'Rule') return new api.GlobalNetworkPolicy(newChart(), 'policy', { ingress: [(api.Rule as any)[method](...args)] });
  const cls = (api as any)[className];
  if (!method) return new cls(...args);
  if (cls && typeof cls[method] === 'function') return cls[method](...args);
  const instance = INSTANCES[className]();
  return instance[method](...args);
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [callable, params] of Object.entries(CALLABLES)) {
    if (NOT_CHECKED[callable]) continue;
    params.forEach(([rawName, phrase], i) => {
      const rest = rawName.startsWith('...');
      const name = rawName.replace(/^\.\.\./, '');
      for (const place of places(phrase)) {
        const wrong = wrongFor(place.phrase);
        if (!wrong) continue;
        const { where, field } = describe_(rest ? `${name}[0]` : name, place.steps);
        out.push({
          callable,
          where,
          field,
          expected: wrong.expected,
          args: () => {
            const base = BASE_ARGUMENTS[callable];
            const args = params.map(([p, t], j) => (j === 0 && p === 'scope' ? newChart()
              : base?.[j] ?? (t.startsWith('optional ') || p.startsWith('...') ? undefined : sample(t))));
            args[i] = build(phrase, place.steps, wrong.value, base?.[i]);
            return args;
          },
        });
      }
    });
  }
  return out;
}

const CASES = cases();

describe('every public call refuses a wrongly typed value with our error naming the field', () => {
  test.each(CASES.map(c => [c.callable, c.where, c] as const))('%s: %s', (_callable, _where, c) => {
    const e = errorOf(() => invoke(c.callable, c.args()));
    expect(e).not.toBeInstanceOf(TypeError);
    expect([c.where, api.CalicoErrors.isValidationError(e)]).toEqual([c.where, true]);
    expect(e.message).toContain(c.field);
    expect(c.expected.some(word => e.message.includes(word))).toBe(true);
  });
});

describe('the coverage of the table above', () => {
  test('reaches every constructor and method the descriptions list, except the few that say why not', () => {
    const covered = new Set(CASES.map(c => c.callable));
    const untyped = Object.entries(CALLABLES).filter(([, params]) => params.every(([, t]) => wrongFor(t) === undefined)).map(([c]) => c);
    const missing = Object.keys(CALLABLES).filter(c => !covered.has(c) && !NOT_CHECKED[c] && !untyped.includes(c));
    expect(missing).toEqual([]);
    expect(CASES.length).toBeGreaterThan(1000);
  });

  test('reaches every struct a caller can pass; the others are only returned', () => {
    const reached = new Set<string>();
    const visit = (phrase: string): void => {
      for (const m of phraseOf(phrase).matchAll(/struct (\w+)/g)) {
        if (reached.has(m[1])) continue;
        reached.add(m[1]);
        Object.values(STRUCTS[m[1]]).forEach(visit);
      }
    };
    Object.values(CALLABLES).forEach(params => params.forEach(([, t]) => visit(t)));
    expect(Object.keys(STRUCTS).filter(s => !reached.has(s)).sort()).toEqual(NEVER_PASSED);
  });

  test('has a sample of every class and interface the descriptions name', () => {
    expect(Object.keys(CLASSES).filter(c => !CLASS_SAMPLES[c])).toEqual([]);
    const interfaces = new Set(JSON.stringify({ STRUCTS, CALLABLES }).match(/interface \w+/g)!.map(m => m.slice('interface '.length)));
    expect([...interfaces].filter(i => !INTERFACE_SAMPLES[i])).toEqual([]);
  });
});
