// The cases of the boundary-checks issue, for CalicoCluster: callers without TypeScript get our
// error naming the field, the type expected and the value, never a TypeError and never a silent
// drop or a half install.
import { CalicoCluster, CalicoClusterProps, CalicoErrors } from '../../src';
import { errorOf, newChart } from '../support/util';

/** The error building a cluster with these (untyped) props throws. */
function refusal(props: unknown): Error {
  const e = errorOf(() => new CalicoCluster(newChart(), 'calico', props as CalicoClusterProps));
  expect(e).not.toBeInstanceOf(TypeError);
  expect(CalicoErrors.isValidationError(e)).toBe(true);
  expect(CalicoErrors.constructPathOf(e)).toBe('test/calico');
  return e;
}

describe('CalicoCluster props from callers without TypeScript', () => {
  test('asNumber given as a plain number fails naming the field and the AsNumber to build, instead of being dropped', () => {
    expect(refusal({ asNumber: 64512 }).message)
      .toBe('[test/calico] CalicoCluster: props.asNumber 64512 is not an AsNumber (AsNumber.of(), AsNumber.dotted(), AsNumber.parse())');
  });

  test('nodeSubnets given as one string fails as our error, not with subnets.map is not a function', () => {
    expect(refusal({ network: { nodeSubnets: '10.0.0.0/24' } }).message)
      .toBe('[test/calico] CalicoCluster: props.network.nodeSubnets "10.0.0.0/24" is not an array of strings');
  });

  test('an encapsulation outside the enum fails, instead of BIRD without encapsulation when autoDetectMtu is set', () => {
    expect(refusal({ encapsulation: 'bogus', autoDetectMtu: true }).message).toContain(
      "props.encapsulation \"bogus\" is not one of 'None', 'IPIPCrossSubnet', 'IPIP', 'VXLANCrossSubnet' or 'VXLAN' (an Encapsulation)");
  });

  test("ipv6PodCidr '' fails, instead of half a dual-stack install (IPv6 MTU and Felix fields, no IPv6 pool)", () => {
    expect(refusal({ ipv6PodCidr: '' }).message).toContain('CalicoCluster: ipv6PodCidr is empty; give the IPv6 pod CIDR');
  });

  test("podCidr '' fails naming the field", () => {
    expect(refusal({ podCidr: '' }).message).toContain('CalicoCluster: podCidr is empty; give the IPv4 pod CIDR');
  });

  test('expectedNodes 0 fails: a cluster has at least one node', () => {
    expect(refusal({ expectedNodes: 0 }).message).toContain('expectedNodes 0 says the cluster has no nodes, but a cluster has at least one');
  });

  test.each([2.5, -3])('expectedNodes %p fails: it is a whole number of at least 1', nodes => {
    expect(refusal({ expectedNodes: nodes }).message).toContain(`expectedNodes ${nodes} must be a whole number >= 1`);
  });

  test('expectedNodes given as text fails naming the type', () => {
    expect(refusal({ expectedNodes: '200' }).message).toContain('props.expectedNodes "200" is not a number');
  });

  test('null for an optional prop fails, saying to leave the prop out', () => {
    expect(refusal({ ipv6PodCidr: null }).message)
      .toContain('props.ipv6PodCidr null is not a string; leave the field out (undefined) for its default');
  });

  test('a wrongly typed value deep inside a workload option names its whole path', () => {
    expect(refusal({ kubeControllers: { env: { LOG_LEVEL: 3 } } }).message).toContain('props.kubeControllers.env.LOG_LEVEL 3 is not a string');
  });
});
