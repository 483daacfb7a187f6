import { Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { CalicoVersion } from '../../src/core/calico-version';
import { CalicoErrors } from '../../src/core/errors';
import { felixTyphaTls } from '../../src/install/private/install-objects';
import { formatDifferences, manifestDiff } from '../support/manifest-diff';
import { TyphaDeployment, TyphaDeploymentProps } from '../../src/install/typha-deployment';
import { TyphaTlsProps } from '../../src/install/typha-tls';
import { errorOf, findObject, newChart, synth } from '../support/util';
import { REFERENCE_VERSIONS, upstreamTypha } from './install-util';

function render(props?: TyphaDeploymentProps): { chart: Chart; typha: TyphaDeployment; manifests: any[] } {
  const chart = newChart();
  const typha = new TyphaDeployment(chart, 'Typha', props);
  return { chart, typha, manifests: synth(chart) };
}

function typhaContainer(manifests: any[]): any {
  return findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.containers[0];
}

function envOf(container: any): Record<string, string> {
  return Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
}

const TLS: TyphaTlsProps = { caBundleConfigMapName: 'calico-typha-ca', serverSecretName: 'typha-server-tls', clientSecretName: 'felix-client-tls' };

describe('TyphaDeployment.recommendedReplicas', () => {
  test.each([
    [0, 1], [1, 1], [2, 1], [3, 2], [4, 2], [5, 3], [100, 3], [399, 3], [400, 4], [599, 4], [1000, 7], [2000, 12], [3600, 20],
  ])('%i nodes -> %i replicas (Tigera operator rule)', (nodes, replicas) => {
    expect(TyphaDeployment.recommendedReplicas(nodes)).toBe(replicas);
  });

  test('never asks for more replicas than there are nodes, never fewer than one, and grows with the cluster', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 0, max: 1000 }), (nodes, more) => {
      const r = TyphaDeployment.recommendedReplicas(nodes);
      return r >= 1 && r <= Math.max(1, nodes) && TyphaDeployment.recommendedReplicas(nodes + more) >= r;
    }));
  });

  test.each([-1, 2.5, NaN])('fails for %p nodes', nodes => {
    const err = errorOf(() => TyphaDeployment.recommendedReplicas(nodes));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(err.message).toContain(`expectedNodes ${nodes} is not a whole number of at least 0`);
  });
});

describe.each(REFERENCE_VERSIONS.map(v => [v.tag, v]))('TyphaDeployment of %s', (_tag, version) => {
  test('renders upstream\'s Service, Deployment and PodDisruptionBudget, adding only the pod anti-affinity', () => {
    const { manifests } = render({ calicoVersion: version });
    const upstream = upstreamTypha(version);
    for (const kind of ['Service', 'Deployment', 'PodDisruptionBudget']) {
      const lines = formatDifferences(`${kind}/calico-typha: `,
        manifestDiff(findObject(upstream, kind, 'calico-typha'), findObject(manifests, kind, 'calico-typha')));
      expect(lines.filter(l => !l.startsWith('Deployment/calico-typha: spec.template.spec.affinity'))).toEqual([]);
    }
    expect(manifests.map(m => m.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
  });
});

describe('TyphaDeployment defaults', () => {
  const { typha, manifests } = render();

  test('calicoVersion: the scope\'s, else the default, with upstream\'s registry', () => {
    expect(typha.calicoVersion).toBe(CalicoVersion.DEFAULT);
    expect(typhaContainer(manifests).image).toBe('quay.io/calico/typha:v3.32.1');
    const chart = newChart();
    CalicoVersion.use(chart, CalicoVersion.V3_31_7);
    const scoped = new TyphaDeployment(chart, 'Typha');
    expect(scoped.calicoVersion).toBe(CalicoVersion.V3_31_7);
    expect(typhaContainer(synth(chart)).image).toBe('quay.io/calico/typha:v3.31.7');
  });

  test('the pods keep upstream\'s security context: fsGroup and the runtime\'s default seccomp profile', () => {
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.securityContext)
      .toEqual({ fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('one replica, as upstream, when the cluster size is unknown', () => {
    expect(typha.replicas).toBe(1);
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.replicas).toBe(1);
  });

  test('prefers to spread replicas across zones first, then hosts', () => {
    const affinity = findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.affinity;
    const selector = { matchLabels: { 'k8s-app': 'calico-typha' } };
    expect(affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: selector, topologyKey: 'topology.kubernetes.io/zone' } },
          { weight: 50, podAffinityTerm: { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    });
  });

  test('Service exposes port 5473 named calico-typha; probes use health port 9098', () => {
    const service = findObject(manifests, 'Service', 'calico-typha');
    expect(service.spec.ports).toEqual([{ port: 5473, protocol: 'TCP', targetPort: 'calico-typha', name: 'calico-typha' }]);
    const container = typhaContainer(manifests);
    expect([container.livenessProbe.httpGet.port, container.readinessProbe.httpGet.port]).toEqual([9098, 9098]);
  });

  test('PodDisruptionBudget allows one replica down', () => {
    expect(findObject(manifests, 'PodDisruptionBudget', 'calico-typha').spec.maxUnavailable).toBe(1);
  });

  test('exposes resolved values', () => {
    expect([typha.serviceName, typha.namespaceName]).toEqual(['calico-typha', 'kube-system']);
  });
});

describe('TyphaDeployment replicas', () => {
  test('expectedNodes sets the replicas with the operator rule', () => {
    const { typha, manifests } = render({ expectedNodes: 2000 });
    expect(typha.replicas).toBe(12);
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.replicas).toBe(12);
  });

  test('an explicit replicas wins over expectedNodes', () => {
    expect(render({ expectedNodes: 2000, replicas: 5 }).typha.replicas).toBe(5);
  });

  test('fails when replicas exceed the expected nodes (one replica per host port)', () => {
    const err = errorOf(() => render({ expectedNodes: 2, replicas: 3 }));
    expect(err.message).toContain('replicas 3 exceeds expectedNodes 2');
  });
});

describe('TyphaDeployment options', () => {
  test('namespace and service name', () => {
    const { manifests } = render({ namespaceName: 'calico-system', serviceName: 'typha' });
    expect(findObject(manifests, 'Service', 'typha').metadata.namespace).toBe('calico-system');
    expect(findObject(manifests, 'Deployment', 'calico-typha').metadata.namespace).toBe('calico-system');
    expect(findObject(manifests, 'PodDisruptionBudget', 'calico-typha').metadata.namespace).toBe('calico-system');
  });

  test('registry, release and pull secrets', () => {
    const { typha, manifests } = render({ registry: 'registry.example.com', calicoVersion: CalicoVersion.patch('v3.32.3'), imagePullSecrets: ['pull'] });
    expect(typha.calicoVersion.tag).toBe('v3.32.3');
    expect(typhaContainer(manifests).image).toBe('registry.example.com/calico/typha:v3.32.3');
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.imagePullSecrets).toEqual([{ name: 'pull' }]);
  });

  test('resources, extra env, node selector and tolerations', () => {
    const { manifests } = render({
      resources: { requests: { cpu: k8s.Quantity.fromString('100m') } },
      envVariables: { TYPHA_LOGSEVERITYSCREEN: 'debug', TYPHA_MAXCONNECTIONSLOWERLIMIT: '100' },
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
      tolerations: [{ key: 'infra', operator: 'Exists' }],
    });
    const container = typhaContainer(manifests);
    expect(container.resources).toEqual({ requests: { cpu: '100m' } });
    expect(container.env[0]).toEqual({ name: 'TYPHA_LOGSEVERITYSCREEN', value: 'debug' });
    expect(container.env[container.env.length - 1]).toEqual({ name: 'TYPHA_MAXCONNECTIONSLOWERLIMIT', value: '100' });
    const pod = findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/infra': '' });
    expect(pod.tolerations).toEqual([{ key: 'infra', operator: 'Exists' }]);
  });
});

describe('TyphaDeployment TLS', () => {
  test('no TLS env or volumes by default', () => {
    const { manifests } = render();
    expect(Object.keys(envOf(typhaContainer(manifests))).filter(n => /CAFILE|CERTFILE|KEYFILE|CLIENTCN/.test(n))).toEqual([]);
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.volumes).toBeUndefined();
  });

  test('mounts the CA bundle and server certificate and requires the client CN', () => {
    const { manifests } = render({ tls: TLS });
    const container = typhaContainer(manifests);
    expect(envOf(container)).toMatchObject({
      TYPHA_CAFILE: '/typha-ca/ca.crt',
      TYPHA_SERVERCERTFILE: '/typha-certs/tls.crt',
      TYPHA_SERVERKEYFILE: '/typha-certs/tls.key',
      TYPHA_CLIENTCN: 'typha-client',
    });
    expect(container.volumeMounts).toEqual([
      { name: 'typha-ca', mountPath: '/typha-ca', readOnly: true },
      { name: 'typha-certs', mountPath: '/typha-certs', readOnly: true },
    ]);
    expect(findObject(manifests, 'Deployment', 'calico-typha').spec.template.spec.volumes).toEqual([
      { name: 'typha-ca', configMap: { name: 'calico-typha-ca' } },
      { name: 'typha-certs', secret: { secretName: 'typha-server-tls' } },
    ]);
  });

  test('custom CNs: Typha requires the client CN, Felix requires the server CN', () => {
    const tls = { ...TLS, serverCommonName: 'typha.example', clientCommonName: 'felix.example' };
    expect(envOf(typhaContainer(render({ tls }).manifests)).TYPHA_CLIENTCN).toBe('felix.example');
    expect(felixTyphaTls(tls).env).toContainEqual({ name: 'FELIX_TYPHACN', value: 'typha.example' });
  });

  test('both sides share the CA volume and differ only in their own certificate', () => {
    const felix = felixTyphaTls(TLS);
    expect(felix.env.map(e => e.name)).toEqual(['FELIX_TYPHACAFILE', 'FELIX_TYPHACERTFILE', 'FELIX_TYPHAKEYFILE', 'FELIX_TYPHACN']);
    expect(felix.volumes).toEqual([
      { name: 'typha-ca', configMap: { name: 'calico-typha-ca' } },
      { name: 'felix-certs', secret: { secretName: 'felix-client-tls' } },
    ]);
  });
});

describe('TyphaDeployment validation', () => {
  test.each<[string, TyphaDeploymentProps, string]>([
    ['replicas 0', { replicas: 0 }, 'replicas 0 is not a whole number of at least 1'],
    ['fractional replicas', { replicas: 1.5 }, 'replicas 1.5 is not a whole number of at least 1'],
    ['negative expectedNodes', { expectedNodes: -3 }, 'expectedNodes -3 is not a whole number of at least 0'],
    ['fractional expectedNodes', { expectedNodes: 10.5 }, 'expectedNodes 10.5 is not a whole number of at least 0'],
    ['a bad namespace', { namespaceName: 'Calico' }, "namespaceName 'Calico' is not a valid namespace name"],
    ['a Service name starting with a digit', { serviceName: '1typha' }, "serviceName '1typha' is not a valid Service name"],
    ['a bad env name', { envVariables: { 'A=B': 'x' } }, "envVariables name 'A=B' is not a valid environment variable name"],
    ['a bad server Secret name', { tls: { ...TLS, serverSecretName: 'Typha_Certs' } }, "tls.serverSecretName 'Typha_Certs' is not a valid Secret name"],
    ['a bad client Secret name', { tls: { ...TLS, clientSecretName: '-felix' } }, "tls.clientSecretName '-felix' is not a valid Secret name"],
    ['a bad CA ConfigMap name', { tls: { ...TLS, caBundleConfigMapName: 'CA' } }, "tls.caBundleConfigMapName 'CA' is not a valid ConfigMap name"],
    ['two CA sources', { tls: { ...TLS, caBundleSecretName: 'ca' } }, 'tls needs exactly one of caBundleConfigMapName and caBundleSecretName (got both)'],
    ['no CA source', { tls: { ...TLS, caBundleConfigMapName: undefined } }, 'tls needs exactly one of caBundleConfigMapName and caBundleSecretName (got neither)'],
    ['one Secret for both sides', { tls: { ...TLS, clientSecretName: 'typha-server-tls' } }, "tls.serverSecretName and tls.clientSecretName are both 'typha-server-tls'"],
    ['a bad key', { tls: { ...TLS, caBundleKey: 'ca/crt' } }, "tls.caBundleKey 'ca/crt' is not a valid Secret/ConfigMap key"],
    ['the same key for certificate and private key', { tls: { ...TLS, certificateKey: 'tls.key' } }, "tls.certificateKey and tls.privateKeyKey are both 'tls.key'"],
    ['an empty server CN', { tls: { ...TLS, serverCommonName: ' ' } }, 'tls.serverCommonName is empty'],
  ])('fails for %s, naming the construct', (_what, props, message) => {
    const chart = newChart();
    const err = errorOf(() => new TyphaDeployment(chart, 'Typha', props));
    expect(CalicoErrors.isValidationError(err)).toBe(true);
    expect(CalicoErrors.constructPathOf(err)).toBe('test/Typha');
    expect(err.message).toContain(message);
  });

  test('lists every problem at once', () => {
    const err = errorOf(() => new TyphaDeployment(newChart(), 'Typha', { replicas: 0, namespaceName: 'X' }));
    expect(err.message.split('\n').filter(l => l.startsWith('  - '))).toHaveLength(2);
  });
});

describe('TyphaDeployment escape hatches', () => {
  test('addJsonPatch on the exposed ApiObjects changes the output', () => {
    const chart = newChart();
    const typha = new TyphaDeployment(chart, 'Typha');
    typha.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'TYPHA_LOGSEVERITYSCREEN', value: 'debug' }));
    typha.service.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'service.kubernetes.io/topology-mode': 'Auto' }));
    typha.podDisruptionBudget.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', 2));
    const manifests = synth(chart);
    expect(typhaContainer(manifests).env.slice(-1)).toEqual([{ name: 'TYPHA_LOGSEVERITYSCREEN', value: 'debug' }]);
    expect(findObject(manifests, 'Service', 'calico-typha').metadata.annotations).toEqual({ 'service.kubernetes.io/topology-mode': 'Auto' });
    expect(findObject(manifests, 'PodDisruptionBudget', 'calico-typha').spec.maxUnavailable).toBe(2);
  });

  test('the Deployment is the default child', () => {
    const { typha } = render();
    expect(typha.node.defaultChild).toBe(typha.deployment);
  });
});
