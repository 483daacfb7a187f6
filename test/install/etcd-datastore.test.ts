import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { EtcdDatastoreProps } from '../../src/install/etcd-datastore';
import {
  etcdProblems, InstallSettings, installSettingsProblems, renderCalicoNode, renderConfigMap,
  renderKubeControllers, renderRbac, resolveInstallSettings,
} from '../../src/install/private/install-objects';
import {
  differencesFrom, envOf, idOf, podSpec, REFERENCE_VERSIONS, renderInstallObjects, UPSTREAM_ETCD, UPSTREAM_TYPHA, upstreamEtcd,
} from './install-util';
import { expectK8sSchemaValid } from '../support/k8s-schema';
import { errorOf, findAll, findObject, newChart } from '../support/util';

const TLS: EtcdDatastoreProps = {
  endpoints: ['https://10.0.0.10:2379', 'https://10.0.0.11:2379'],
  tlsSecretName: 'calico-etcd-secrets',
};
const PLAIN: EtcdDatastoreProps = { endpoints: ['http://10.0.0.10:2379'] };

/** Every difference from upstream's etcd manifest (of the default release, or `version`'s), one line each, naming object and field. */
function differencesFromUpstream(rendered: any[], version?: CalicoVersion): string[] {
  return differencesFrom(version ? upstreamEtcd(version) : UPSTREAM_ETCD, rendered);
}

/**
 * How the TLS install deliberately differs from upstream's etcd manifest, whatever the release:
 * upstream's empty calico-etcd-secrets Secret is left out (applying the output must never
 * overwrite the user's key material), and the etcd settings upstream leaves for the user to edit
 * are filled in.
 */
const TLS_DIFFERENCES = [
  'Secret/calico-etcd-secrets: rendered 0 times, expected once',
  'ConfigMap/calico-config: data.etcd_endpoints: expected "http://<ETCD_IP>:<ETCD_PORT>", got "https://10.0.0.10:2379,https://10.0.0.11:2379"',
  'ConfigMap/calico-config: data.etcd_ca: expected "", got "/calico-secrets/etcd-ca"',
  'ConfigMap/calico-config: data.etcd_cert: expected "", got "/calico-secrets/etcd-cert"',
  'ConfigMap/calico-config: data.etcd_key: expected "", got "/calico-secrets/etcd-key"',
];

describe.each(REFERENCE_VERSIONS.map(v => [v.tag, v]))('etcd datastore of %s', (_tag, version) => {
  test('differs from upstream\'s etcd manifest only in the Secret left out and the etcd settings', () => {
    expect(differencesFromUpstream(renderInstallObjects({ calicoVersion: version, etcd: TLS }), version)).toEqual(TLS_DIFFERENCES);
  });
});

function problemsOf(etcd: EtcdDatastoreProps): string[] {
  return installSettingsProblems({ etcd });
}

describe('etcd datastore with TLS (https endpoints and a Secret the user names)', () => {
  const rendered = renderInstallObjects({ etcd: TLS });

  test('renders upstream\'s etcd objects except the empty calico-etcd-secrets Secret, and nothing of Typha', () => {
    expect(rendered.map(idOf).sort()).toEqual(UPSTREAM_ETCD.map(idOf).filter(id => id !== 'Secret/calico-etcd-secrets').sort());
    expect(rendered.filter(o => /typha/.test(o.metadata.name))).toEqual([]);
  });

  test('differs from upstream only in the Secret left out and the etcd settings upstream leaves for the user to edit', () => {
    expect(differencesFromUpstream(rendered)).toEqual(TLS_DIFFERENCES);
  });

  test('renders no Secret at all, so no key material is ever written', () => {
    expect(findAll(rendered, 'Secret')).toEqual([]);
    const text = JSON.stringify(rendered);
    expect(text).not.toMatch(/BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)/);
  });

  test('mounts the named Secret at /calico-secrets: mode 0400 in calico-node and install-cni, 0440 in kube-controllers', () => {
    const m = renderInstallObjects({ etcd: { ...TLS, tlsSecretName: 'my-etcd-client' } });
    const node = podSpec(m, 'DaemonSet', 'calico-node');
    expect(node.volumes.find((v: any) => v.name === 'etcd-certs')).toEqual({ name: 'etcd-certs', secret: { secretName: 'my-etcd-client', defaultMode: 0o400 } });
    const installCni = node.initContainers.find((c: any) => c.name === 'install-cni');
    expect(installCni.volumeMounts).toContainEqual({ mountPath: '/calico-secrets', name: 'etcd-certs' });
    expect(node.containers[0].volumeMounts).toContainEqual({ mountPath: '/calico-secrets', name: 'etcd-certs' });
    const kc = podSpec(m, 'Deployment', 'calico-kube-controllers');
    expect(kc.volumes).toEqual([{ name: 'etcd-certs', secret: { secretName: 'my-etcd-client', defaultMode: 0o440 } }]);
    expect(kc.containers[0].volumeMounts).toEqual([{ mountPath: '/calico-secrets', name: 'etcd-certs' }]);
  });

  test('calico-node reads etcd and names no Kubernetes datastore or Typha', () => {
    const env = envOf(podSpec(rendered, 'DaemonSet', 'calico-node').containers[0]);
    expect(env.ETCD_ENDPOINTS).toEqual({ configMapKeyRef: { name: 'calico-config', key: 'etcd_endpoints' } });
    expect(env.ETCD_CA_CERT_FILE).toEqual({ configMapKeyRef: { name: 'calico-config', key: 'etcd_ca' } });
    expect(env.ETCD_KEY_FILE).toEqual({ configMapKeyRef: { name: 'calico-config', key: 'etcd_key' } });
    expect(env.ETCD_CERT_FILE).toEqual({ configMapKeyRef: { name: 'calico-config', key: 'etcd_cert' } });
    expect(env.CALICO_K8S_NODE_REF).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    for (const name of ['DATASTORE_TYPE', 'FELIX_TYPHAK8SSERVICENAME', 'WAIT_FOR_DATASTORE', 'NODENAME']) expect(env[name]).toBeUndefined();
    expect(Object.keys(env).filter(name => /TYPHA/.test(name))).toEqual([]);
  });

  test('calico-node has no upgrade-ipam init container and no host-local-net-dir volume (Kubernetes datastore only)', () => {
    const node = podSpec(rendered, 'DaemonSet', 'calico-node');
    expect(node.initContainers.map((c: any) => c.name)).toEqual(['install-cni', 'ebpf-bootstrap']);
    expect(node.volumes.map((v: any) => v.name)).not.toContain('host-local-net-dir');
    const kddNode = podSpec(UPSTREAM_TYPHA, 'DaemonSet', 'calico-node');
    expect(kddNode.initContainers.map((c: any) => c.name)).toContain('upgrade-ipam');
  });

  test('kube-controllers runs upstream\'s etcd controllers on the host network', () => {
    const spec = podSpec(rendered, 'Deployment', 'calico-kube-controllers');
    expect(spec.hostNetwork).toBe(true);
    const env = envOf(spec.containers[0]);
    expect(env.ENABLED_CONTROLLERS).toBe('policy,namespace,serviceaccount,workloadendpoint,node,loadbalancer');
    expect(env.DATASTORE_TYPE).toBeUndefined();
    expect(Object.keys(env)).toEqual(['ETCD_ENDPOINTS', 'ETCD_CA_CERT_FILE', 'ETCD_KEY_FILE', 'ETCD_CERT_FILE', 'ENABLED_CONTROLLERS']);
  });

  test('grants exactly upstream\'s etcd RBAC: calico-node and the CNI plugin read no Calico CRDs, nothing goes beyond the Kubernetes-datastore roles', () => {
    for (const name of ['calico-kube-controllers', 'calico-node', 'calico-cni-plugin', 'calico-tier-getter']) {
      expect(findObject(rendered, 'ClusterRole', name).rules).toEqual(findObject(UPSTREAM_ETCD, 'ClusterRole', name).rules);
    }
    for (const name of ['calico-node', 'calico-cni-plugin']) {
      expect(findObject(rendered, 'ClusterRole', name).rules.flatMap((r: any) => r.apiGroups)).not.toContain('crd.projectcalico.org');
    }
    // Every (group, resource, verb) of calico-node and the CNI plugin is also granted by the
    // Kubernetes-datastore role of the same name: the etcd variant only takes away.
    const grants = (rules: any[]) => new Set(rules.flatMap((r: any) => r.apiGroups.flatMap((g: string) =>
      r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${g}|${res}|${v}|${(r.resourceNames ?? []).join(',')}`)))));
    for (const name of ['calico-node', 'calico-cni-plugin']) {
      const kdd = grants(findObject(UPSTREAM_TYPHA, 'ClusterRole', name).rules);
      expect([...grants(findObject(rendered, 'ClusterRole', name).rules)].filter(g => !kdd.has(g))).toEqual([]);
    }
  });

  test('the CNI network configuration is upstream\'s etcd text and valid JSON once install-cni fills it in', () => {
    const config = findObject(rendered, 'ConfigMap', 'calico-config').data.cni_network_config;
    expect(config).toBe(findObject(UPSTREAM_ETCD, 'ConfigMap', 'calico-config').data.cni_network_config);
    const filled = config.replace('__CNI_MTU__', '1440').replace('__ETCD_ENDPOINTS__', 'https://10.0.0.10:2379')
      .replace('__ETCD_KEY_FILE__', '/etc/cni/net.d/calico-tls/etcd-key').replace('__ETCD_CERT_FILE__', '/etc/cni/net.d/calico-tls/etcd-cert')
      .replace('__ETCD_CA_CERT_FILE__', '/etc/cni/net.d/calico-tls/etcd-ca');
    const calico = JSON.parse(filled).plugins[0];
    expect(calico).toMatchObject({ type: 'calico', mtu: 1440, etcd_endpoints: 'https://10.0.0.10:2379', etcd_ca_cert_file: '/etc/cni/net.d/calico-tls/etcd-ca' });
    expect(calico.datastore_type).toBeUndefined();
    expect(calico.nodename).toBeUndefined();
  });

  test('the ConfigMap names no Typha Service', () => {
    expect(findObject(rendered, 'ConfigMap', 'calico-config').data.typha_service_name).toBe('none');
  });

  test('passes the Kubernetes 1.28 schema', () => {
    expectK8sSchemaValid(rendered);
  });
});

describe('etcd datastore over plain HTTP', () => {
  const rendered = renderInstallObjects({ etcd: PLAIN });

  test('differs from upstream\'s default in the endpoint and in mounting no Secret at all', () => {
    expect(differencesFromUpstream(rendered)).toEqual([
      'Secret/calico-etcd-secrets: rendered 0 times, expected once',
      'ConfigMap/calico-config: data.etcd_endpoints: expected "http://<ETCD_IP>:<ETCD_PORT>", got "http://10.0.0.10:2379"',
      'DaemonSet/calico-node: spec.template.spec.initContainers[install-cni].volumeMounts[etcd-certs]: expected {"mountPath":"/calico-secrets","name":"etcd-certs"}, got (missing)',
      'DaemonSet/calico-node: spec.template.spec.containers[calico-node].volumeMounts[etcd-certs]: expected {"mountPath":"/calico-secrets","name":"etcd-certs"}, got (missing)',
      'DaemonSet/calico-node: spec.template.spec.volumes[etcd-certs]: expected {"name":"etcd-certs","secret":{"secretName":"calico-etcd-secrets","defaultMode":256}}, got (missing)',
      'Deployment/calico-kube-controllers: spec.template.spec.containers[calico-kube-controllers].volumeMounts: expected [{"mountPath":"/calico-secrets","name":"etcd-certs"}], got (missing)',
      'Deployment/calico-kube-controllers: spec.template.spec.volumes: expected [{"name":"etcd-certs","secret":{"secretName":"calico-etcd-secrets","defaultMode":288}}], got (missing)',
    ]);
  });

  test('leaves the TLS file paths empty, as upstream does without TLS', () => {
    const data = findObject(rendered, 'ConfigMap', 'calico-config').data;
    expect([data.etcd_ca, data.etcd_cert, data.etcd_key]).toEqual(['', '', '']);
  });

  test('passes the Kubernetes 1.28 schema', () => {
    expectK8sSchemaValid(rendered);
  });
});

describe('etcd datastore with the other install settings', () => {
  test('keeps the VXLAN backend\'s pool modes and probes', () => {
    const m = renderInstallObjects({ etcd: TLS, calicoBackend: 'vxlan' });
    const node = podSpec(m, 'DaemonSet', 'calico-node').containers[0];
    expect(envOf(node).CALICO_IPV4POOL_VXLAN).toBe('CrossSubnet');
    expect(node.livenessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-live']);
    expect(findObject(m, 'ConfigMap', 'calico-config').data.calico_backend).toBe('vxlan');
  });

  test('dual stack adds IP6 and the IPv6 IPAM switch to the etcd CNI configuration', () => {
    const m = renderInstallObjects({ etcd: TLS, ipv6Pool: { cidr: 'fd00:10:244::/56' } });
    expect(envOf(podSpec(m, 'DaemonSet', 'calico-node').containers[0]).IP6).toBe('autodetect');
    const conf = JSON.parse(findObject(m, 'ConfigMap', 'calico-config').data.cni_network_config
      .replace('__CNI_MTU__', '1500'));
    expect(conf.plugins[0].ipam).toEqual({ type: 'calico-ipam', assign_ipv4: 'true', assign_ipv6: 'true' });
    expect(conf.plugins[0].etcd_endpoints).toBe('__ETCD_ENDPOINTS__');
  });

  test('an explicit enabledControllers replaces the etcd default', () => {
    const m = renderInstallObjects({ etcd: TLS, kubeControllers: { enabledControllers: ['node', 'policy'] } });
    expect(envOf(podSpec(m, 'Deployment', 'calico-kube-controllers').containers[0]).ENABLED_CONTROLLERS).toBe('node,policy');
  });

  test('extra env replaces an etcd variable in place', () => {
    const m = renderInstallObjects({ etcd: TLS, calicoNode: { env: { CALICO_K8S_NODE_REF: 'fixed', FELIX_LOGSEVERITYSCREEN: 'debug' } } });
    const names = podSpec(m, 'DaemonSet', 'calico-node').containers[0].env.map((e: any) => e.name);
    expect(names.indexOf('CALICO_K8S_NODE_REF')).toBe(4);
    expect(names[names.length - 1]).toBe('FELIX_LOGSEVERITYSCREEN');
  });

  test('puts every namespaced object and binding subject in the install namespace', () => {
    const m = renderInstallObjects({ etcd: TLS, namespace: 'calico' });
    for (const o of m.filter(x => !x.kind.startsWith('Cluster'))) expect(o.metadata.namespace).toBe('calico');
    for (const b of findAll(m, 'ClusterRoleBinding').filter(x => x.subjects[0].kind === 'ServiceAccount')) expect(b.subjects[0].namespace).toBe('calico');
    expect(findAll(m, 'ClusterRoleBinding').filter(x => x.subjects[0].kind === 'ServiceAccount')).toHaveLength(3);
  });

  test('the default etcd kube-controllers list is resolved only when etcd is set', () => {
    const chart = newChart();
    expect(resolveInstallSettings(chart, { etcd: TLS }).kubeControllers.enabledControllers)
      .toEqual(['policy', 'namespace', 'serviceaccount', 'workloadendpoint', 'node', 'loadbalancer']);
    expect(resolveInstallSettings(chart, {}).kubeControllers.enabledControllers).toEqual(['node', 'loadbalancer']);
  });

  test('each render function renders its etcd share', () => {
    const chart = newChart();
    const s: InstallSettings = { etcd: TLS };
    expect(renderRbac(chart, s)).toHaveLength(11);
    expect(renderConfigMap(chart, s)[0].toJson().data.etcd_endpoints).toBe('https://10.0.0.10:2379,https://10.0.0.11:2379');
    expect(renderCalicoNode(chart, s).map(o => o.kind)).toEqual(['DaemonSet']);
    expect(renderKubeControllers(chart, s).map(o => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
  });

  test('without etcd the install is the Kubernetes datastore with Typha', () => {
    const m = renderInstallObjects({});
    expect(findObject(m, 'Deployment', 'calico-typha')).toBeDefined();
    expect(envOf(podSpec(m, 'DaemonSet', 'calico-node').containers[0]).ETCD_ENDPOINTS).toBeUndefined();
    expect(findObject(m, 'ConfigMap', 'calico-config').data.cni_network_config).toContain('"datastore_type": "kubernetes"');
  });
});

describe('etcd settings validation', () => {
  test('refuses Typha with the etcd datastore', () => {
    const e = errorOf(() => renderInstallObjects({ etcd: TLS, typha: { replicas: 3 } }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toContain('typha is set, but Typha serves the Kubernetes datastore only');
  });

  test('refuses even an empty typha block with etcd', () => {
    expect(installSettingsProblems({ etcd: TLS, typha: {} }).join('\n')).toMatch(/Typha serves the Kubernetes datastore/);
  });

  test('accepts https endpoints with a Secret, http without one, names and IPv6 addresses', () => {
    expect(problemsOf(TLS)).toEqual([]);
    expect(problemsOf(PLAIN)).toEqual([]);
    expect(problemsOf({ endpoints: ['https://etcd-0.example.com:2379', 'https://[fd00::10]:2379/'], tlsSecretName: 'etcd' })).toEqual([]);
  });

  test.each([
    ['no endpoints', { endpoints: [] }, 'etcd.endpoints is empty'],
    ['no port', { endpoints: ['https://etcd-0:'], tlsSecretName: 's' }, "etcd.endpoints[0] 'https://etcd-0:' has no port; add the etcd client port, e.g. 'https://etcd-0:2379'"],
    ['port missing entirely', { endpoints: ['https://10.0.0.1'], tlsSecretName: 's' }, "'https://10.0.0.1' has no port"],
    ['port out of range', { endpoints: ['https://10.0.0.1:65536'], tlsSecretName: 's' }, "has port '65536', which is not a port number"],
    ['port zero', { endpoints: ['https://10.0.0.1:0'], tlsSecretName: 's' }, "has port '0'"],
    ['scheme unix', { endpoints: ['unix:///run/etcd.sock'] }, "uses scheme 'unix'; use 'https'"],
    ['an upper-case scheme', { endpoints: ['HTTPS://etcd:2379'], tlsSecretName: 's' }, "uses scheme 'HTTPS'; use 'https'"],
    ['no scheme', { endpoints: ['10.0.0.1:2379'] }, "etcd.endpoints[0] '10.0.0.1:2379' is not an etcd client URL"],
    ['two URLs in one entry', { endpoints: ['https://a:2379,https://b:2379'], tlsSecretName: 's' }, 'write one URL per entry'],
    ['a path', { endpoints: ['https://etcd:2379/v3'], tlsSecretName: 's' }, "has a path, query or fragment ('/v3')"],
    ['credentials', { endpoints: ['https://root:pw@etcd:2379'], tlsSecretName: 's' }, 'carries credentials'],
    ['a bad IPv4 address', { endpoints: ['https://10.0.0.256:2379'], tlsSecretName: 's' }, "'10.0.0.256' as host, which is not an IPv4 address"],
    ['an unbracketed IPv6 address', { endpoints: ['https://fd00::10:2379'], tlsSecretName: 's' }, 'no valid host'],
    ['a bad bracketed address', { endpoints: ['https://[10.0.0.1]:2379'], tlsSecretName: 's' }, 'which is not an IPv6 address'],
    ['a bad host name', { endpoints: ['https://etcd_0:2379'], tlsSecretName: 's' }, "'etcd_0' as host, which is not a DNS name or IP address"],
    ['a duplicate', { endpoints: ['https://etcd:2379', 'https://etcd:2379/'], tlsSecretName: 's' }, "etcd.endpoints[1] 'https://etcd:2379/' is listed twice"],
    ['mixed schemes', { endpoints: ['https://a:2379', 'http://b:2379'], tlsSecretName: 's' }, 'etcd.endpoints mix http and https'],
    ['https without a Secret', { endpoints: ['https://a:2379'] }, 'etcd.tlsSecretName is required with https endpoints'],
    ['http with a Secret', { endpoints: ['http://a:2379'], tlsSecretName: 's' }, "etcd.tlsSecretName 's' is set, but the endpoints use http"],
    ['a bad Secret name', { endpoints: ['https://a:2379'], tlsSecretName: 'Etcd_Certs' }, "etcd.tlsSecretName 'Etcd_Certs' is not a valid Secret name"],
  ] as Array<[string, EtcdDatastoreProps, string]>)('rejects %s', (_name, etcd, message) => {
    const problems = etcdProblems(etcd);
    expect(problems.join('\n')).toContain(message);
    const e = errorOf(() => renderInstallObjects({ etcd }));
    expect(CalicoErrors.isValidationError(e)).toBe(true);
    expect(e.message).toContain(message);
  });

  test('lists every problem at once', () => {
    expect(etcdProblems({ endpoints: ['https://a', 'ftp://b:1'], tlsSecretName: 'X' })).toHaveLength(3);
  });

  test('random endpoint lists either render or fail with the library\'s error, never crash', () => {
    const part = fc.constantFrom('https://', 'http://', 'HTTPS://', 'unix://', '', '10.0.0.1', 'etcd-0.example.com', '[fd00::1]',
      ':2379', ':0', ':99999', '/', '/v3', '@', ',', ' ', 'a');
    const endpoint = fc.array(part, { maxLength: 5 }).map(parts => parts.join(''));
    fc.assert(fc.property(fc.array(endpoint, { maxLength: 4 }), fc.option(fc.constantFrom('calico-etcd-secrets', 'Bad_Name'), { nil: undefined }),
      (endpoints, tlsSecretName) => {
        try {
          const m = renderInstallObjects({ etcd: { endpoints, tlsSecretName } });
          expect(findObject(m, 'ConfigMap', 'calico-config').data.etcd_endpoints).toBe(endpoints.join(','));
        } catch (e) {
          expect(CalicoErrors.isValidationError(e)).toBe(true);
        }
      }), { numRuns: 300 });
  });

  test('well-formed https endpoints with a Secret are always accepted', () => {
    const host = fc.oneof(
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map(o => o.join('.')),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9](\.[a-z][a-z0-9]{0,5})*$/),
    );
    const url = fc.tuple(host, fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `https://${h}:${p}`);
    fc.assert(fc.property(fc.uniqueArray(url, { minLength: 1, maxLength: 5 }), endpoints => {
      expect(etcdProblems({ endpoints, tlsSecretName: 'calico-etcd-secrets' })).toEqual([]);
    }));
  });
});
