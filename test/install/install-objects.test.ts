import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import {
  cniNetworkConfig, InstallSettings, installSettingsProblems, renderCalicoNode, renderConfigMap, renderInstall,
  renderKubeControllers, renderRbac,
} from '../../src/install/private/install-objects';
import { formatDifferences, manifestDiff } from '../support/manifest-diff';
import { differencesFrom, envOf, idOf, REFERENCE_VERSIONS, renderInstallObjects, UPSTREAM_TYPHA, upstreamTypha } from './install-util';
import { errorOf, findAll, findObject, newChart, synth } from '../support/util';

/**
 * Where the install deliberately differs from upstream with default settings: Typha's pods prefer
 * to spread across zones and hosts (TyphaDeployment's documented addition), so a zone or node that
 * fails takes as few Typhas as it can.
 */
const DOCUMENTED_ADDITIONS = ['Deployment/calico-typha: spec.template.spec.affinity'];

/** Whether a difference line is not one of the documented additions. */
function undocumented(line: string): boolean {
  return !DOCUMENTED_ADDITIONS.some(allowed => line.startsWith(allowed));
}

/** Every difference from upstream's objects but the documented additions, one line each, naming object and field. */
function differencesFromUpstream(rendered: any[]): string[] {
  return differencesFrom(UPSTREAM_TYPHA, rendered).filter(undocumented);
}

function calicoNodeContainer(manifests: any[]): any {
  return findObject(manifests, 'DaemonSet', 'calico-node').spec.template.spec.containers[0];
}

describe.each(REFERENCE_VERSIONS.map(v => [v.tag, v]))('default install of %s (bird backend)', (_tag, version) => {
  const rendered = renderInstallObjects({ calicoVersion: version });
  const upstream = upstreamTypha(version);

  test('renders exactly upstream\'s objects: same kinds and names, nothing more', () => {
    expect(rendered.map(idOf).sort()).toEqual(upstream.map(idOf).sort());
  });

  test.each(upstream.map(o => [idOf(o), o]))('%s matches upstream field for field', (_id, expected) => {
    const actual = findObject(rendered, expected.kind, expected.metadata.name);
    const lines = formatDifferences(`${idOf(expected)}: `, manifestDiff(expected, actual)).filter(undocumented);
    expect(lines).toEqual([]);
  });

  test('the only addition to upstream is Typha\'s pod anti-affinity', () => {
    const typha = findObject(rendered, 'Deployment', 'calico-typha');
    expect(formatDifferences('', manifestDiff(findObject(upstream, 'Deployment', 'calico-typha'), typha)).map(l => l.split(':')[0]))
      .toEqual(['spec.template.spec.affinity']);
  });

  test('the CNI network configuration is upstream\'s text and valid JSON once install-cni fills in the MTU', () => {
    const config = findObject(rendered, 'ConfigMap', 'calico-config').data.cni_network_config;
    expect(config).toBe(findObject(upstream, 'ConfigMap', 'calico-config').data.cni_network_config);
    const conflist = JSON.parse(config.replace('__CNI_MTU__', '1500'));
    // The bandwidth plugin left upstream's configuration in v3.30.
    expect(conflist.plugins.map((p: any) => p.type)).toEqual(['calico', 'portmap']);
    expect(conflist.plugins[0]).toMatchObject({ datastore_type: 'kubernetes', mtu: 1500, ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' } });
  });

  test('every image is upstream\'s: quay.io/calico/<component> at the release', () => {
    const pods = [...findAll(rendered, 'DaemonSet'), ...findAll(rendered, 'Deployment')].map(o => o.spec.template.spec);
    const images = pods.flatMap(p => [...(p.initContainers ?? []), ...p.containers]).map((c: any) => c.image);
    expect([...new Set(images)].sort()).toEqual(['cni', 'kube-controllers', 'node', 'typha'].map(c => `quay.io/calico/${c}:${version.tag}`));
  });
});

describe('default install', () => {
  const rendered = renderInstallObjects();

  test('the comparison names the object and field of a difference', () => {
    const tampered = JSON.parse(JSON.stringify(rendered));
    const role = tampered.find((o: any) => o.kind === 'ClusterRole' && o.metadata.name === 'calico-cni-plugin');
    role.rules[1].verbs = ['patch', 'update'];
    const node = calicoNodeContainer(tampered);
    node.env.find((e: any) => e.name === 'FELIX_HEALTHENABLED').value = 'false';
    expect(differencesFromUpstream(tampered)).toEqual([
      'ClusterRole/calico-cni-plugin: rules[1].verbs[1]: expected (missing), got "update"',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].env[FELIX_HEALTHENABLED].value: expected "true", got "false"',
    ]);
  });

  test('synthesizes identities and configuration before the workloads that use them', () => {
    const order = rendered.map(idOf);
    const lastSetup = Math.max(...['ServiceAccount/calico-node', 'ServiceAccount/calico-kube-controllers', 'ConfigMap/calico-config',
      'ClusterRoleBinding/calico-node'].map(id => order.indexOf(id)));
    const firstWorkload = Math.min(...['DaemonSet/calico-node', 'Deployment/calico-typha', 'Deployment/calico-kube-controllers'].map(id => order.indexOf(id)));
    expect(lastSetup).toBeLessThan(firstWorkload);
  });

  test('each render function renders its own share of the objects', () => {
    const chart = newChart();
    expect(renderRbac(chart).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/calico-kube-controllers', 'ServiceAccount/calico-node', 'ServiceAccount/calico-cni-plugin',
      'ClusterRole/calico-kube-controllers', 'ClusterRole/calico-node', 'ClusterRole/calico-cni-plugin', 'ClusterRole/calico-tier-getter',
      'ClusterRoleBinding/calico-kube-controllers', 'ClusterRoleBinding/calico-node', 'ClusterRoleBinding/calico-cni-plugin',
      'ClusterRoleBinding/calico-tier-getter',
    ]);
    expect(renderConfigMap(chart).map(o => o.kind)).toEqual(['ConfigMap']);
    expect(renderCalicoNode(chart).map(o => o.kind)).toEqual(['DaemonSet']);
    expect(renderKubeControllers(chart).map(o => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
  });
});

describe('VXLAN backend', () => {
  test('differs from the BGP manifest in exactly the documented fields', () => {
    expect(differencesFromUpstream(renderInstallObjects({ calicoBackend: 'vxlan' }))).toEqual([
      'ConfigMap/calico-config: data.calico_backend: expected "bird", got "vxlan"',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].env[CALICO_IPV4POOL_IPIP].value: expected "Always", got "Never"',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].env[CALICO_IPV4POOL_VXLAN].value: expected "Never", got "CrossSubnet"',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].env[CALICO_IPV6POOL_VXLAN].value: expected "Never", got "CrossSubnet"',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].livenessProbe.exec.command[2]: expected "-bird-live", got (missing)',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].readinessProbe.exec.command[2]: expected "-bird-ready", got (missing)',
    ]);
  });

  test('an explicit vxlanMode Always replaces the CrossSubnet default', () => {
    const env = envOf(calicoNodeContainer(renderInstallObjects({ calicoBackend: 'vxlan', ipv4Pool: { vxlanMode: 'Always' } })));
    expect(env.CALICO_IPV4POOL_VXLAN).toBe('Always');
    expect(env.CALICO_IPV4POOL_IPIP).toBe('Never');
  });
});

describe('policy-only backend (none)', () => {
  test('drops the BIRD probes and every encapsulation', () => {
    const rendered = renderInstallObjects({ calicoBackend: 'none' });
    const node = calicoNodeContainer(rendered);
    expect(node.livenessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-live']);
    expect(node.readinessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-ready']);
    const env = envOf(node);
    expect([env.CALICO_IPV4POOL_IPIP, env.CALICO_IPV4POOL_VXLAN, env.CALICO_IPV6POOL_VXLAN]).toEqual(['Never', 'Never', 'Never']);
    expect(findObject(rendered, 'ConfigMap', 'calico-config').data.calico_backend).toBe('none');
  });
});

describe('default pools', () => {
  test('pool CIDR and block size are unset by default, as upstream leaves them commented out', () => {
    const env = envOf(calicoNodeContainer(renderInstallObjects()));
    expect(Object.keys(env).filter(n => /POOL_(CIDR|BLOCK_SIZE)$/.test(n))).toEqual([]);
  });

  test('an IPv4 CIDR and block size become CALICO_IPV4POOL_CIDR and CALICO_IPV4POOL_BLOCK_SIZE before CALICO_DISABLE_FILE_LOGGING', () => {
    const node = calicoNodeContainer(renderInstallObjects({ ipv4Pool: { cidr: '10.244.0.0/16', blockSize: 24 } }));
    const names = node.env.map((e: any) => e.name);
    expect(envOf(node)).toMatchObject({ CALICO_IPV4POOL_CIDR: '10.244.0.0/16', CALICO_IPV4POOL_BLOCK_SIZE: '24' });
    expect(names.indexOf('CALICO_IPV4POOL_CIDR')).toBe(names.indexOf('FELIX_WIREGUARDMTU') + 1);
    expect(names.indexOf('CALICO_DISABLE_FILE_LOGGING')).toBe(names.indexOf('CALICO_IPV4POOL_BLOCK_SIZE') + 1);
  });

  test('ipipMode CrossSubnet on bird is passed through', () => {
    expect(envOf(calicoNodeContainer(renderInstallObjects({ ipv4Pool: { ipipMode: 'CrossSubnet' } }))).CALICO_IPV4POOL_IPIP).toBe('CrossSubnet');
  });
});

describe('dual stack', () => {
  const rendered = renderInstallObjects({ ipv4Pool: { cidr: '10.244.0.0/16' }, ipv6Pool: { cidr: 'fd00:10:244::/56', blockSize: 120 } });
  const node = calicoNodeContainer(rendered);
  const env = envOf(node);

  test('autodetects both node addresses and enables IPv6 in Felix', () => {
    expect(env).toMatchObject({ IP: 'autodetect', IP6: 'autodetect', FELIX_IPV6SUPPORT: 'true' });
  });

  test('sets the IPv6 pool env and the IPv6 tunnel MTUs from veth_mtu', () => {
    expect(env).toMatchObject({ CALICO_IPV6POOL_CIDR: 'fd00:10:244::/56', CALICO_IPV6POOL_BLOCK_SIZE: '120', CALICO_IPV6POOL_VXLAN: 'Never' });
    const fromMtu = { configMapKeyRef: { name: 'calico-config', key: 'veth_mtu' } };
    expect(env.FELIX_VXLANMTUV6).toEqual(fromMtu);
    expect(env.FELIX_WIREGUARDMTUV6).toEqual(fromMtu);
  });

  test('asks the CNI IPAM for both address families', () => {
    const config = findObject(rendered, 'ConfigMap', 'calico-config').data.cni_network_config;
    expect(JSON.parse(config.replace('__CNI_MTU__', '0')).plugins[0].ipam).toEqual({ type: 'calico-ipam', assign_ipv4: 'true', assign_ipv6: 'true' });
    expect(config).toBe(cniNetworkConfig(findObject(UPSTREAM_TYPHA, 'ConfigMap', 'calico-config').data.cni_network_config, true));
    expect(config.split('\n').filter((l: string) => /assign_ipv/.test(l))).toEqual(['          "assign_ipv4": "true",', '          "assign_ipv6": "true"']);
  });

  test('single stack keeps IPv6 off', () => {
    const single = envOf(calicoNodeContainer(renderInstallObjects()));
    expect(single.FELIX_IPV6SUPPORT).toBe('false');
    expect(single.IP6).toBeUndefined();
    expect(single.FELIX_VXLANMTUV6).toBeUndefined();
  });
});

describe('Typha TLS on the Felix side', () => {
  const tls = { caBundleConfigMapName: 'calico-typha-ca', serverSecretName: 'typha-server-tls', clientSecretName: 'felix-client-tls' };

  test('mounts the CA bundle and the client certificate and points Felix at them', () => {
    const rendered = renderInstallObjects({ typha: { tls } });
    const ds = findObject(rendered, 'DaemonSet', 'calico-node');
    const node = ds.spec.template.spec.containers[0];
    expect(envOf(node)).toMatchObject({
      FELIX_TYPHACAFILE: '/typha-ca/ca.crt',
      FELIX_TYPHACERTFILE: '/felix-certs/tls.crt',
      FELIX_TYPHAKEYFILE: '/felix-certs/tls.key',
      FELIX_TYPHACN: 'typha-server',
    });
    expect(ds.spec.template.spec.volumes).toEqual(expect.arrayContaining([
      { name: 'typha-ca', configMap: { name: 'calico-typha-ca' } },
      { name: 'felix-certs', secret: { secretName: 'felix-client-tls' } },
    ]));
    expect(node.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'typha-ca', mountPath: '/typha-ca', readOnly: true },
      { name: 'felix-certs', mountPath: '/felix-certs', readOnly: true },
    ]));
  });

  test('custom keys and server CN reach the Felix env; no key material is inlined', () => {
    const rendered = renderInstallObjects({
      typha: { tls: { ...tls, caBundleConfigMapName: undefined, caBundleSecretName: 'ca', caBundleKey: 'bundle.pem', certificateKey: 'cert.pem', privateKeyKey: 'key.pem', serverCommonName: 'typha.example' } },
    });
    const ds = findObject(rendered, 'DaemonSet', 'calico-node');
    expect(envOf(ds.spec.template.spec.containers[0])).toMatchObject({
      FELIX_TYPHACAFILE: '/typha-ca/bundle.pem', FELIX_TYPHACERTFILE: '/felix-certs/cert.pem',
      FELIX_TYPHAKEYFILE: '/felix-certs/key.pem', FELIX_TYPHACN: 'typha.example',
    });
    expect(ds.spec.template.spec.volumes).toContainEqual({ name: 'typha-ca', secret: { secretName: 'ca' } });
    expect(JSON.stringify(rendered)).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY)/);
  });

  test('Typha gets the server side of the same settings', () => {
    const typha = findObject(renderInstallObjects({ typha: { tls } }), 'Deployment', 'calico-typha');
    expect(envOf(typha.spec.template.spec.containers[0])).toMatchObject({
      TYPHA_CAFILE: '/typha-ca/ca.crt', TYPHA_SERVERCERTFILE: '/typha-certs/tls.crt',
      TYPHA_SERVERKEYFILE: '/typha-certs/tls.key', TYPHA_CLIENTCN: 'typha-client',
    });
  });
});

describe('overrides', () => {
  test('namespace moves every namespaced object and the ServiceAccount subjects of the bindings', () => {
    const rendered = renderInstallObjects({ namespace: 'calico-system' });
    const namespaced = rendered.filter(o => !o.kind.startsWith('Cluster'));
    expect(namespaced.map(o => o.metadata.namespace)).toEqual(namespaced.map(() => 'calico-system'));
    for (const binding of findAll(rendered, 'ClusterRoleBinding').filter(b => b.metadata.name !== 'calico-tier-getter')) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: binding.metadata.name, namespace: 'calico-system' }]);
    }
    // kube-controller-manager reads tiers through calico-tier-getter: a user, in no namespace.
    expect(findObject(rendered, 'ClusterRoleBinding', 'calico-tier-getter').subjects)
      .toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-controller-manager' }]);
    expect(findObject(rendered, 'Deployment', 'calico-kube-controllers').spec.template.metadata.namespace).toBe('calico-system');
  });

  test('registry, release and pull secrets apply to every Calico image', () => {
    const rendered = renderInstallObjects({ registry: 'registry.example.com:5000/mirror', calicoVersion: CalicoVersion.patch('v3.32.3'), imagePullSecrets: ['mirror-pull'] });
    const pods = [...findAll(rendered, 'DaemonSet'), ...findAll(rendered, 'Deployment')].map(o => o.spec.template.spec);
    const images = pods.flatMap(p => [...(p.initContainers ?? []), ...p.containers]).map((c: any) => c.image);
    expect(images.sort()).toEqual(['cni', 'cni', 'kube-controllers', 'node', 'node', 'typha'].map(c => `registry.example.com:5000/mirror/calico/${c}:v3.32.3`));
    for (const pod of pods) expect(pod.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });

  test('a patch release changes only the image tags', () => {
    const reference = renderInstallObjects({ calicoVersion: CalicoVersion.V3_32_1 });
    const patched = renderInstallObjects({ calicoVersion: CalicoVersion.patch('v3.32.3') });
    const changed = formatDifferences('', manifestDiff(reference, patched));
    expect(changed.length).toBe(6);
    for (const line of changed) expect(line).toMatch(/\.image: expected "quay\.io\/calico\/[a-z-]+:v3\.32\.1", got "quay\.io\/calico\/[a-z-]+:v3\.32\.3"$/);
  });

  test('the install follows the version of its scope unless one is given', () => {
    const chart = newChart();
    CalicoVersion.use(chart, CalicoVersion.V3_31_7);
    renderInstall(chart);
    const node = findObject(synth(chart), 'DaemonSet', 'calico-node').spec.template.spec.containers[0];
    expect(node.image).toBe('quay.io/calico/node:v3.31.7');
  });

  test('no pull secrets by default', () => {
    const pods = renderInstallObjects().filter(o => o.spec?.template).map(o => o.spec.template.spec);
    expect(pods.map(p => p.imagePullSecrets)).toEqual([undefined, undefined, undefined]);
  });

  test('vethMtu and typha service name reach calico-config', () => {
    const data = findObject(renderInstallObjects({ vethMtu: '1450', typha: { serviceName: 'typha' } }), 'ConfigMap', 'calico-config').data;
    expect(data).toMatchObject({ veth_mtu: '1450', typha_service_name: 'typha' });
  });

  test('calico-node resources replace the upstream cpu request', () => {
    const resources = { requests: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') }, limits: { memory: k8s.Quantity.fromString('512Mi') } };
    expect(calicoNodeContainer(renderInstallObjects({ calicoNode: { resources } })).resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '512Mi' } });
  });

  test('extra env replaces an upstream variable in place and appends new ones', () => {
    const node = calicoNodeContainer(renderInstallObjects({ calicoNode: { env: { FELIX_DEFAULTENDPOINTTOHOSTACTION: 'DROP', FELIX_LOGSEVERITYSCREEN: 'debug' } } }));
    const names = node.env.map((e: any) => e.name);
    const upstreamNames = calicoNodeContainer(UPSTREAM_TYPHA).env.map((e: any) => e.name);
    expect(names).toEqual([...upstreamNames, 'FELIX_LOGSEVERITYSCREEN']);
    expect(envOf(node)).toMatchObject({ FELIX_DEFAULTENDPOINTTOHOSTACTION: 'DROP', FELIX_LOGSEVERITYSCREEN: 'debug' });
  });

  test('node selector and tolerations replace upstream\'s per component', () => {
    const rendered = renderInstallObjects({
      calicoNode: { nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'calico' }, tolerations: [{ operator: 'Exists' }] },
      kubeControllers: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } },
    });
    const node = findObject(rendered, 'DaemonSet', 'calico-node').spec.template.spec;
    expect(node.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'pool': 'calico' });
    expect(node.tolerations).toEqual([{ operator: 'Exists' }]);
    const kc = findObject(rendered, 'Deployment', 'calico-kube-controllers').spec.template.spec;
    expect(kc.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(kc.tolerations).toEqual(findObject(UPSTREAM_TYPHA, 'Deployment', 'calico-kube-controllers').spec.template.spec.tolerations);
  });

  test('kube-controllers runs the listed controllers and may be stopped with 0 replicas', () => {
    const kc = findObject(renderInstallObjects({ kubeControllers: { replicas: 0, enabledControllers: ['node', 'policy'] } }), 'Deployment', 'calico-kube-controllers');
    expect(kc.spec.replicas).toBe(0);
    expect(envOf(kc.spec.template.spec.containers[0]).ENABLED_CONTROLLERS).toBe('node,policy');
  });

  test('typha replicas and expected nodes reach the Typha Deployment', () => {
    expect(findObject(renderInstallObjects({ typha: { expectedNodes: 1000 } }), 'Deployment', 'calico-typha').spec.replicas).toBe(7);
    expect(findObject(renderInstallObjects({ typha: { replicas: 4 } }), 'Deployment', 'calico-typha').spec.replicas).toBe(4);
  });

  test('rendering is pure: the settings object is left as given', () => {
    const settings: InstallSettings = { calicoNode: { env: { A: 'b' } }, kubeControllers: { enabledControllers: ['node'] } };
    const before = JSON.stringify(settings);
    renderInstallObjects(settings);
    renderInstallObjects(settings);
    expect(JSON.stringify(settings)).toBe(before);
  });
});

describe('escape hatches', () => {
  test('addJsonPatch on a rendered object writes plain JSON values, including quantities and int-or-strings', () => {
    const chart = newChart();
    const [daemonSet] = renderCalicoNode(chart);
    daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits', { memory: '1Gi' }));
    daemonSet.addJsonPatch(JsonPatch.replace('/spec/updateStrategy/rollingUpdate/maxUnavailable', '10%'));
    const ds = findObject(synth(chart), 'DaemonSet', 'calico-node');
    expect(ds.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m' }, limits: { memory: '1Gi' } });
    expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('10%');
  });
});

describe('validation', () => {
  const problemCases: Array<[string, InstallSettings, string]> = [
    ['a bad namespace', { namespace: 'Kube_System' }, "namespace 'Kube_System' is not a valid namespace name"],
    ['a registry with a scheme', { registry: 'https://quay.io' }, "registry 'https://quay.io' is not an image registry"],
    ['a bad pull secret name', { imagePullSecrets: ['Pull_Secret'] }, "imagePullSecrets[0] 'Pull_Secret' is not a valid Secret name"],
    ['an unknown backend', { calicoBackend: 'bgp' as any }, "calicoBackend 'bgp' is not a Calico backend"],
    ['an MTU below 68', { vethMtu: '40' }, "vethMtu '40' is not an MTU"],
    ['a non-numeric MTU', { vethMtu: 'auto' }, "vethMtu 'auto' is not an MTU"],
    ['an unknown encapsulation', { ipv4Pool: { ipipMode: 'Sometimes' as any } }, "ipv4Pool.ipipMode 'Sometimes' is not an encapsulation mode"],
    ['IP-in-IP without BGP', { calicoBackend: 'vxlan', ipv4Pool: { ipipMode: 'Always', vxlanMode: 'Never' } }, "ipv4Pool.ipipMode 'Always' needs BGP, but calicoBackend is 'vxlan'"],
    ['IP-in-IP and VXLAN on one pool', { ipv4Pool: { ipipMode: 'Always', vxlanMode: 'CrossSubnet' } }, 'ipv4Pool enables both IP-in-IP'],
    ['no encapsulation on the vxlan backend', { calicoBackend: 'vxlan', ipv4Pool: { vxlanMode: 'Never' } }, 'ipv4Pool has no encapsulation'],
    ['no IPv6 encapsulation on the vxlan backend', { calicoBackend: 'vxlan', ipv6Pool: { vxlanMode: 'Never' } }, 'ipv6Pool has no encapsulation'],
    ['an IPv4 block size of 33', { ipv4Pool: { blockSize: 33 } }, 'ipv4Pool.blockSize 33 is out of range for IPv4 (20-32)'],
    ['an IPv6 block size of 64', { ipv6Pool: { blockSize: 64 } }, 'ipv6Pool.blockSize 64 is out of range for IPv6 (116-128)'],
    ['a bad env name', { calicoNode: { env: { '1BAD': 'x' } } }, "calicoNode.env name '1BAD' is not a valid environment variable name"],
    ['a bad Typha service name', { typha: { serviceName: '9typha' } }, "typha.serviceName '9typha' is not a valid Service name"],
    ['zero Typha replicas', { typha: { replicas: 0 } }, 'typha.replicas 0 is not a whole number of at least 1'],
    ['negative expected nodes', { typha: { expectedNodes: -1 } }, 'typha.expectedNodes -1 is not a whole number of at least 0'],
    ['bad Typha TLS', { typha: { tls: { serverSecretName: 's', clientSecretName: 'c' } } }, 'typha.tls needs exactly one of caBundleConfigMapName and caBundleSecretName'],
    ['two kube-controllers replicas', { kubeControllers: { replicas: 2 } }, 'kubeControllers.replicas 2 is not supported'],
    ['no controllers', { kubeControllers: { enabledControllers: [] } }, 'kubeControllers.enabledControllers is empty'],
    ['an unknown controller', { kubeControllers: { enabledControllers: ['node', 'flannelmigration'] } }, "kubeControllers.enabledControllers[1] 'flannelmigration' is not a controller of calico-kube-controllers v3.32; use one of 'node', 'policy', 'namespace', 'serviceaccount', 'workloadendpoint', 'loadbalancer'"],
    ['a repeated controller', { kubeControllers: { enabledControllers: ['node', 'node'] } }, "kubeControllers.enabledControllers[1] 'node' is listed twice"],
  ];

  test.each(problemCases)('rejects %s', (_what, settings, message) => {
    expect(installSettingsProblems(settings)).toEqual([expect.stringContaining(message)]);
  });

  test('accepts upstream\'s defaults and the documented VXLAN and dual-stack variants', () => {
    expect(installSettingsProblems({})).toEqual([]);
    expect(installSettingsProblems({ calicoBackend: 'vxlan' })).toEqual([]);
    expect(installSettingsProblems({ calicoBackend: 'vxlan', ipv6Pool: {} })).toEqual([]);
    expect(installSettingsProblems({ vethMtu: '8951', ipv4Pool: { ipipMode: 'Never', vxlanMode: 'Always' } })).toEqual([]);
  });

  test('render functions throw a CalicoValidationError for the calling construct, listing every problem', () => {
    const chart = newChart();
    const err = errorOf(() => renderInstall(chart, { vethMtu: 'auto', kubeControllers: { replicas: 3 } }));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(CalicoErrors.constructPathOf(err)).toBe(chart.node.path);
    expect(err.message).toContain("vethMtu 'auto' is not an MTU");
    expect(err.message).toContain('kubeControllers.replicas 3 is not supported');
  });
});

describe('pool CIDR validation (needs the address primitives of src/validation/net.ts)', () => {
  test.each<[string, InstallSettings, string]>([
    ['a malformed CIDR', { ipv4Pool: { cidr: '10.0.0.0/33' } }, "ipv4Pool.cidr '10.0.0.0/33' is not a CIDR"],
    ['an IPv6 CIDR for the IPv4 pool', { ipv4Pool: { cidr: 'fd00::/48' } }, "ipv4Pool.cidr 'fd00::/48' is an IPv6 CIDR"],
    ['host bits', { ipv4Pool: { cidr: '10.244.1.0/16' } }, "ipv4Pool.cidr '10.244.1.0/16' has host bits set; use the network address '10.244.0.0/16'"],
    ['a pool smaller than a block', { ipv4Pool: { cidr: '10.244.0.0/28' } }, "ipv4Pool.cidr '10.244.0.0/28' is smaller than one IPAM block (/26)"],
    ['an IPv6 pool smaller than its block', { ipv6Pool: { cidr: 'fd00::/124', blockSize: 120 } }, "ipv6Pool.cidr 'fd00::/124' is smaller than one IPAM block (/120)"],
  ])('rejects %s', (_what, settings, message) => {
    expect(installSettingsProblems(settings)).toEqual([expect.stringContaining(message)]);
  });

  test('accepts well-formed pool CIDRs', () => {
    expect(installSettingsProblems({ ipv4Pool: { cidr: '10.244.0.0/16', blockSize: 24 }, ipv6Pool: { cidr: 'fd00:10:244::/56' } })).toEqual([]);
  });
});
