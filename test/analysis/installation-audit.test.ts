// `cdk8s-calico lint` reads the Tigera operator's Installation and checks it against the
// architecture: BGP for the encapsulations that need it, the MTU for the encapsulation, and
// CrossSubnet only where nodes span subnets.
import { lint, LintFacts } from '../../src/cli/lint';
import { readCluster } from '../../src/analysis/cluster-model';
import { AUDIT_RULES } from '../../src/analysis/lint-rules';

/** An Installation with one IPv4 pool. */
function installation(network: Record<string, unknown>, encapsulation?: string): any {
  return {
    apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: { name: 'default' },
    spec: { calicoNetwork: { ...network, ipPools: [{ name: 'default-ipv4-ippool', cidr: '10.244.0.0/16', ...(encapsulation ? { encapsulation } : {}) }] } },
  };
}

/** The installation-* findings of linting `manifests`. */
function findings(manifests: any[], facts: LintFacts = {}): Array<{ rule: string; message: string }> {
  return lint({ objects: manifests.map(manifest => ({ manifest })), errors: [], files: [] }, facts).findings
    .filter(f => f.rule.startsWith('installation-')).map(f => ({ rule: f.rule, message: f.message }));
}

test('the rules are listed with the other audits', () => {
  expect(Object.keys(AUDIT_RULES)).toEqual(expect.arrayContaining(['installation-bgp', 'installation-mtu', 'installation-cross-subnet']));
});

test('the cluster model reads the Installation\'s pools, MTU and backend', () => {
  const model = readCluster([{ manifest: installation({ bgp: 'Disabled', mtu: 8951 }, 'VXLANCrossSubnet') }]);
  expect(model.pools.map(p => [p.name, p.cidr.text, p.ipipMode, p.vxlanMode])).toEqual([['default-ipv4-ippool', '10.244.0.0/16', 'Never', 'CrossSubnet']]);
  expect(model.install).toMatchObject({ backend: 'vxlan', vethMtu: 8951 });
  expect(model.install.vethMtuSource).toBeUndefined();
});

test('an IPIP pool without encapsulation written is the operator\'s default, IP-in-IP', () => {
  expect(readCluster([{ manifest: installation({}) }]).pools[0].ipipMode).toBe('Always');
});

describe('installation-bgp', () => {
  test.each(['IPIP', 'IPIPCrossSubnet', 'None'])('BGP Disabled with %s', encapsulation => {
    expect(findings([installation({ bgp: 'Disabled' }, encapsulation)])).toEqual([{
      rule: 'installation-bgp',
      message: expect.stringMatching(new RegExp(`^Installation pool 'default-ipv4-ippool' uses ${encapsulation}, whose pod routes are distributed by BGP, but calicoNetwork.bgp is Disabled`)),
    }]);
  });

  test('VXLAN with BGP Enabled or Disabled is fine', () => {
    expect(findings([installation({ bgp: 'Enabled' }, 'VXLAN')])).toEqual([]);
    expect(findings([installation({ bgp: 'Disabled' }, 'VXLAN')])).toEqual([]);
  });
});

describe('installation-mtu', () => {
  test('an MTU too large for the encapsulation on the stated network', () => {
    expect(findings([installation({ mtu: 1500 }, 'IPIPCrossSubnet')], { networkMtu: 1500 })).toEqual([{
      rule: 'installation-mtu',
      message: 'Installation calicoNetwork.mtu 1500 does not fit IP-in-IP on a 1500-byte network: packets larger than 1480 bytes are fragmented or dropped; set it to 1480 (1500 - 20)',
    }]);
  });

  test('an MTU smaller than needed wastes bytes', () => {
    expect(findings([installation({ mtu: 1400 }, 'VXLAN')], { networkMtu: 1500 })[0].message).toContain('every packet wastes 50 bytes; set it to 1450 (1500 - 50)');
  });

  test('the right MTU, an unset MTU (auto-detected), or no stated network MTU within bounds are fine', () => {
    expect(findings([installation({ mtu: 1450 }, 'VXLAN')], { networkMtu: 1500 })).toEqual([]);
    expect(findings([installation({}, 'VXLAN')], { networkMtu: 1500 })).toEqual([]);
    expect(findings([installation({ mtu: 1480 }, 'IPIP')])).toEqual([]);
  });

  test('without --network-mtu, an MTU beyond the largest network minus the overhead', () => {
    expect(findings([installation({ mtu: 9200 }, 'VXLAN')])[0]).toMatchObject({ rule: 'installation-mtu' });
    expect(findings([installation({ mtu: 9166 }, 'VXLAN')])).toEqual([]);
  });
});

describe('installation-cross-subnet', () => {
  test('CrossSubnet with one node subnet (from the autodetection CIDRs)', () => {
    expect(findings([installation({ nodeAddressAutodetectionV4: { cidrs: ['10.0.0.0/24'] } }, 'IPIPCrossSubnet')])).toEqual([{
      rule: 'installation-cross-subnet',
      message: 'Installation pool \'default-ipv4-ippool\' uses IPIPCrossSubnet, but every node is in 10.0.0.0/24, so no packet crosses a subnet and the tunnel is '
        + 'never used; use None: BGP routes reach every node of one subnet directly',
    }]);
  });

  test('--node-subnets wins over the autodetection CIDRs', () => {
    const manifest = installation({ nodeAddressAutodetectionV4: { cidrs: ['10.0.0.0/24'] } }, 'VXLANCrossSubnet');
    expect(findings([manifest], { nodeSubnets: ['10.0.0.0/24', '10.0.1.0/24'] })).toEqual([]);
    expect(findings([manifest])[0].message).toContain('use VXLAN (or None with bgp Enabled)');
  });
});
