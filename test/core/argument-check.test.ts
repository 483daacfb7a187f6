// The one runtime checker at the public boundary, on its own: what it accepts, what it reports
// and how, and that it never throws anything but our error nor reads a value twice.
import { Duration } from 'cdk8s';
import { checkArguments, copyPlainData, describeValue } from '../../src/core/argument-check';
import { CalicoErrors } from '../../src/core/errors';
import { AsNumber, Port, Selector } from '../../src';
import { errorOf, newChart } from '../support/util';

/** The message of the error checkArguments throws, asserting it is ours. */
function refusal(callable: string, args: unknown[], options?: Parameters<typeof checkArguments>[2]): string {
  const e = errorOf(() => checkArguments(callable, args, options));
  expect(CalicoErrors.isValidationError(e)).toBe(true);
  return e.message;
}

describe('checkArguments', () => {
  const chart = newChart();

  test('accepts arguments of the described types, omitted optional ones included', () => {
    expect(() => checkArguments('CalicoCluster', [chart, 'calico', undefined])).not.toThrow();
    expect(() => checkArguments('CalicoCluster', [chart, 'calico', {
      network: { nodeSubnets: ['10.0.0.0/24'], mtu: 9000 },
      asNumber: AsNumber.of(64512),
      calicoNode: { env: { A: 'b' }, tolerations: [{ operator: 'Exists' }] },
    }])).not.toThrow();
    expect(() => checkArguments('BgpConfiguration', [chart, 'bgp', { nodeMeshMaxRestartTime: Duration.seconds(90) }])).not.toThrow();
  });

  test('names the construct path, the constructor, the field path, the value and the type expected', () => {
    expect(refusal('CalicoCluster', [chart, 'calico', { network: { nodeSubnets: ['10.0.0.0/24', 7] } }]))
      .toBe('[test/calico] CalicoCluster: props.network.nodeSubnets[1] 7 is not a string');
  });

  test('names a method with its parentheses and takes the construct path from the scope given', () => {
    expect(refusal('CalicoCluster.decide', ['topic', 'choice', 5], { scope: chart })).toBe('[test] CalicoCluster.decide(): reason 5 is not a string');
    expect(refusal('AsNumber.of', ['64512'])).toBe('AsNumber.of(): value "64512" is not a number');
  });

  test('says a required field is required, and what to give', () => {
    expect(refusal('IpPool', [chart, 'pool', {}])).toBe('[test/pool] IpPool: props.cidr is required; give a string');
    expect(refusal('IpPool', [chart, 'pool'])).toBe('[test/pool] IpPool: props is required; give an IpPoolProps object');
  });

  test('lists the values of an enum', () => {
    expect(refusal('CalicoCluster', [chart, 'c', { bgpLogSeverity: 'Verbose' }]))
      .toContain("props.bgpLogSeverity \"Verbose\" is not one of 'Debug', 'Info', 'Warning', 'Error' or 'Fatal' (a BgpLogSeverity)");
    expect(refusal('Rule.allow', [{ ipVersion: 5 }])).toContain('options.ipVersion 5 is not one of 4 or 6 (an IpVersion)');
  });

  test('names the calls that make a class instance', () => {
    expect(refusal('IpPool', [chart, 'p', { cidr: '10.0.0.0/16', nodeSelector: 'all()' }]))
      .toContain('props.nodeSelector "all()" is not a Selector (Selector.all(), Selector.globalResources(), Selector.has(), ...)');
    expect(refusal('BgpConfiguration', [chart, 'b', { nodeMeshMaxRestartTime: 90 }]))
      .toContain('props.nodeMeshMaxRestartTime 90 is not a Duration (Duration.millis(), Duration.seconds(), Duration.minutes(), ...)');
  });

  test('admits instances of subclasses and of classes from other packages by class name', () => {
    expect(() => checkArguments('PolicyModel.fromChart', [chart])).not.toThrow();
    expect(() => checkArguments('CalicoApi.use', [chart.node.scope, 'projectcalico.org/v3'])).not.toThrow();
    class Port { } // a class of the same name elsewhere is admitted here; the policy checks use instanceof
    expect(() => checkArguments('Port.named', ['http'])).not.toThrow();
    expect(refusal('HostEndpoint.addExpectedIps', ['10.0.0.1', new Port()], { scope: chart })).toContain('ips[1] a Port is not a string');
  });

  test('checks every argument of a rest parameter', () => {
    expect(() => checkArguments('Selector.allOf', [Selector.all(), Selector.has('a')])).not.toThrow();
    expect(refusal('Selector.allOf', [Selector.all(), 'has(a)'])).toContain('Selector.allOf(): selectors[1] "has(a)" is not a Selector');
  });

  test('refuses null for an optional field, saying to leave it out', () => {
    expect(refusal('CalicoCluster', [chart, 'c', { podCidr: null }])).toContain('props.podCidr null is not a string; leave the field out');
  });

  test('names the map key of a bad map value', () => {
    expect(refusal('IpPool', [chart, 'p', { cidr: '10.0.0.0/16', labels: { 'app.kubernetes.io/name': 1 } }]))
      .toContain('props.labels["app.kubernetes.io/name"] 1 is not a string');
  });

  test('leaves the types a caller reports itself, but checks what is inside a struct it leaves', () => {
    const leave = ['Port', 'PolicyRule'];
    expect(() => checkArguments('PolicyBase.addIngressRule', [{ action: 'Allow', destination: { ports: [80] } }], { leave })).not.toThrow();
    expect(() => checkArguments('PolicyBase.addIngressRule', [undefined], { leave })).not.toThrow();
    expect(refusal('PolicyBase.addIngressRule', [{ action: 'Allow', destination: { nets: '10.0.0.0/8' } }], { leave }))
      .toContain('rule.destination.nets "10.0.0.0/8" is not an array of strings');
    expect(refusal('PolicyBase.addIngressRule', [{ action: 'Allow', destination: { ports: [80] } }]))
      .toContain('rule.destination.ports[0] 80 is not a Port');
  });

  test('quotes at most about 60 characters of a bad value', () => {
    const message = refusal('Selector.has', ['x'.repeat(5000).split('')]);
    expect(message.length).toBeLessThan(200);
    expect(message).toContain('...');
    expect(describeValue('y'.repeat(1000))).toBe(`"${'y'.repeat(59)}...`);
  });

  test('reads each field once: a getter is called once, and never to quote a value', () => {
    let reads = 0;
    const props = { get network() { reads++; return { nodeSubnets: 'one' }; } };
    expect(refusal('CalicoCluster', [chart, 'c', props])).toContain('props.network.nodeSubnets "one" is not an array');
    expect(reads).toBe(1);
    let quoted = 0;
    const value = { get secret() { quoted++; return 's'; } };
    expect(refusal('CalicoCluster', [chart, 'c', { podCidr: value }])).toContain('props.podCidr {"secret": (getter)} is not a string');
    expect(quoted).toBe(0);
  });

  test('turns a throwing getter, a hostile proxy or a revoked proxy into our error', () => {
    const throwing = { get network(): never { throw new Error('boom'); } };
    expect(refusal('CalicoCluster', [chart, 'c', throwing])).toContain('reading props.network threw "boom"');
    const trap = new Proxy({}, { ownKeys() { throw new Error('no keys'); } });
    expect(refusal('IpPool', [chart, 'p', { cidr: '10.0.0.0/16', labels: trap }])).toContain('threw "no keys"');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(refusal('CalicoCluster', [chart, 'c', proxy])).toContain('reading props threw');
    const weird = { get network(): never { throw { toString(): never { throw new Error('worse'); } }; } };
    expect(refusal('CalicoCluster', [chart, 'c', weird])).toContain('reading props.network threw');
  });

  test('checks the properties of a behavioural interface, and reads the data of another package\'s struct once', () => {
    expect(refusal('BgpPeer.addFilter', [{ nom: 'f' }], { scope: chart })).toContain('filter.name is required; give a string');
    expect(refusal('CalicoCluster.disableNodeToNodeMesh', ['why', [{}]], { scope: chart })).toContain('replacements[0].node is required; give a Node');
    let reads = 0;
    const toleration = { operator: 'Exists', get effect() { reads++; throw new Error('no effect'); } };
    expect(refusal('CalicoCluster', [chart, 'c', { calicoNode: { tolerations: [toleration] } }]))
      .toContain('reading props.calicoNode.tolerations[0].effect threw "no effect"');
    expect(reads).toBe(1);
  });

  test('renders values of every kind without throwing', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue([1, 'a', [2], {}, 5])).toBe('[1, "a", [2], {}, ...]');
    expect(describeValue(Port.tcp(80))).toBe('a Port');
    expect(describeValue(Object.create(null))).toBe('{}');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeValue(proxy)).toBe('a value that cannot be read');
  });

  test('a call the descriptions do not know is a bug in the library, not bad input', () => {
    expect(() => checkArguments('Nothing.here', [])).toThrow(/'Nothing.here' is not a public callable/);
  });
});

describe('copyPlainData', () => {
  test('copies objects and arrays, reading each field once', () => {
    let reads = 0;
    const given = { a: [1, { b: 'c' }], get d() { reads++; return 'e'; } };
    const copy = copyPlainData(given, 'X.y()', 'data') as any;
    expect(copy).toEqual({ a: [1, { b: 'c' }], d: 'e' });
    expect(copy.a).not.toBe(given.a);
    expect(Object.getOwnPropertyDescriptor(copy, 'd')!.get).toBeUndefined();
    expect(reads).toBe(1);
  });

  test('keeps a __proto__ key of parsed JSON as a field, never as the prototype', () => {
    const copy = copyPlainData(JSON.parse('{"__proto__": {"polluted": true}}'), 'X.y()', 'data') as any;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy.polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__']);
  });

  test('turns a throwing read, a revoked proxy and a cycle into our error naming the path', () => {
    const throwing = { spec: { get ingress(): never { throw new Error('boom'); } } };
    const e1 = errorOf(() => copyPlainData([throwing], 'PolicyModel.fromManifests()', 'manifests'));
    expect(CalicoErrors.isValidationError(e1)).toBe(true);
    expect(e1.message).toBe('PolicyModel.fromManifests(): reading manifests[0].spec.ingress threw "boom"; pass plain data');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(CalicoErrors.isValidationError(errorOf(() => copyPlainData({ a: proxy }, 'X.y()', 'data')))).toBe(true);
    const cycle: any = { name: 'loop' };
    cycle.self = cycle;
    expect(errorOf(() => copyPlainData(cycle, 'X.y()', 'data')).message).toContain('is nested more than 64 levels deep (is it circular?)');
  });
});
