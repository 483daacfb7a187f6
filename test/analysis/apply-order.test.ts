// The apply-order audit on minimal inputs: each finding with the smallest input that shows it and
// the same input put in an order that applies.
import { SourcedObject } from '../../src/analysis/cluster-model';
import { auditApplyOrder } from '../../src/analysis/private/apply-order';

/** An object read from `file` (objects keep the order they are given in, as the reader keeps them). */
const inFile = (file: string, manifest: Record<string, any>): SourcedObject => ({ manifest, file, line: 1 });

/** The findings of the audit, as `Kind/name: message`. */
function audit(...objects: SourcedObject[]): string[] {
  const out: string[] = [];
  auditApplyOrder(objects, (message, object) => out.push(`${object.manifest.kind}/${object.manifest.metadata?.name}: ${message}`));
  return out;
}

const annotated = (m: Record<string, any>, annotations: Record<string, string>): Record<string, any> =>
  ({ ...m, metadata: { ...m.metadata, annotations: { ...m.metadata?.annotations, ...annotations } } });
const wave = (m: Record<string, any>, w: string, options?: string) =>
  annotated(m, { 'argocd.argoproj.io/sync-wave': w, ...(options ? { 'argocd.argoproj.io/sync-options': options } : {}) });

const crd = (group: string, kind: string, scope = 'Namespaced', versions = [{ name: 'v1', served: true }]) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: `${kind.toLowerCase()}s.${group}` },
  spec: { group, scope, names: { kind, plural: `${kind.toLowerCase()}s` }, versions },
});
const WIDGET_CRD = crd('example.com', 'Widget');
const widget = (name = 'w', namespace = 'default') => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace } });

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (name: string, ns: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } });

const API_SERVICE = {
  apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v3.projectcalico.org' },
  spec: { group: 'projectcalico.org', version: 'v3', service: { name: 'calico-api', namespace: 'calico-apiserver' }, groupPriorityMinimum: 1500, versionPriority: 200 },
};
const v3 = (kind: string, name: string, spec: Record<string, any> = {}) => ({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name }, spec });
const MESH_OFF = v3('BGPConfiguration', 'default', { nodeToNodeMeshEnabled: false, asNumber: 64512 });
const PEER = v3('BGPPeer', 'rr-mesh', { nodeSelector: 'has(route-reflector)', peerSelector: 'has(route-reflector)' });

describe('custom resources and their CRDs', () => {
  test('a custom resource in a file after its CRD\'s applies', () => {
    expect(audit(inFile('0-crds.yaml', WIDGET_CRD), inFile('1-widgets.yaml', widget()))).toEqual([]);
  });

  test('fails when the CRD is in the same file: kubectl resolves every kind of a file first', () => {
    for (const objects of [[WIDGET_CRD, widget()], [widget(), WIDGET_CRD]]) {
      const found = audit(...objects.map(m => inFile('all.yaml', m)));
      expect(found).toEqual([expect.stringMatching(/^Widget\/w: Widget 'w' needs its CustomResourceDefinition 'widgets\.example\.com' \(all\.yaml:1\), which is (earlier|later) in the same file: kubectl looks up the kind of every object of a file before it applies any.*move the CRD to a file applied before this one$/)]);
    }
  });

  test('fails when the CRD comes in a later file', () => {
    expect(audit(inFile('a.yaml', widget()), inFile('b.yaml', WIDGET_CRD))).toEqual([
      expect.stringMatching(/^Widget\/w: .*which is in a later file: the API server does not know the kind until the CRD is established.*apply the CRD in a file before this one$/),
    ]);
  });

  test('fails when the version written is one the CRD does not serve', () => {
    const twoVersions = crd('example.com', 'Widget', 'Namespaced', [{ name: 'v1', served: false }, { name: 'v2', served: true }]);
    expect(audit(inFile('0.yaml', twoVersions), inFile('1.yaml', widget()))).toEqual([
      expect.stringMatching(/^Widget\/w: Widget 'w' is written as 'example\.com\/v1', a version its CustomResourceDefinition .* does not serve \(it serves 'v2'\).*write apiVersion 'example\.com\/v2'$/),
    ]);
    expect(audit(inFile('0.yaml', twoVersions), inFile('1.yaml', { ...widget(), apiVersion: 'example.com/v2' }))).toEqual([]);
  });

  test('in native v3 mode the projectcalico.org CRDs are ordinary CRDs', () => {
    const pool = v3('IPPool', 'p', { cidr: '10.0.0.0/16' });
    const poolCrd = crd('projectcalico.org', 'IPPool', 'Cluster', [{ name: 'v3', served: true }]);
    expect(audit(inFile('all.yaml', poolCrd), inFile('all.yaml', pool))).toEqual([expect.stringMatching(/^IPPool\/p: IPPool 'p' needs its CustomResourceDefinition 'ippools\.projectcalico\.org'/)]);
    expect(audit(inFile('0.yaml', poolCrd), inFile('1.yaml', pool))).toEqual([]);
  });

  test('a projectcalico.org/v3 object comes after the crd.projectcalico.org CRD that stores it', () => {
    const pool = v3('IPPool', 'p', { cidr: '10.0.0.0/16' });
    const storage = crd('crd.projectcalico.org', 'IPPool', 'Cluster');
    expect(audit(inFile('all.yaml', storage), inFile('all.yaml', pool))).toEqual([
      expect.stringMatching(/^IPPool\/p: IPPool 'p' is stored by the CustomResourceDefinition 'ippools\.crd\.projectcalico\.org' \(all\.yaml:1\), which is earlier in the same file: calicoctl or the Calico API server writes the IPPool as a crd\.projectcalico\.org object/),
    ]);
    expect(audit(inFile('0.yaml', storage), inFile('1.yaml', pool))).toEqual([]);
    // IPAMConfiguration is stored as IPAMConfig.
    expect(audit(inFile('all.yaml', crd('crd.projectcalico.org', 'IPAMConfig', 'Cluster')), inFile('all.yaml', v3('IPAMConfiguration', 'default')))).toHaveLength(1);
  });

  test('nothing is reported about a custom resource whose CRD the input does not hold', () => {
    expect(audit(inFile('a.yaml', widget()), inFile('a.yaml', v3('IPPool', 'p')))).toEqual([]);
  });
});

describe('objects of an aggregated API and its APIService', () => {
  const policy = v3('GlobalNetworkPolicy', 'deny');

  test('a projectcalico.org/v3 object in a file after the APIService\'s applies', () => {
    expect(audit(inFile('0.yaml', API_SERVICE), inFile('1.yaml', policy))).toEqual([]);
  });

  test('fails in the same file or before it', () => {
    for (const objects of [[inFile('a.yaml', API_SERVICE), inFile('a.yaml', policy)], [inFile('a.yaml', policy), inFile('b.yaml', API_SERVICE)]]) {
      expect(audit(...objects)).toEqual([
        expect.stringMatching(/^GlobalNetworkPolicy\/deny: GlobalNetworkPolicy 'deny' is 'projectcalico\.org\/v3', served by APIService 'v3\.projectcalico\.org' .*the API is not served until the APIService is registered and the server behind it runs.*apply the 'projectcalico\.org\/v3' objects in a file after the one with the APIService$/),
      ]);
    }
  });

  test('with Argo CD: a later wave and SkipDryRunOnMissingResource, since the dry run comes before the first wave', () => {
    const skip = 'SkipDryRunOnMissingResource=true';
    expect(audit(inFile('a.yaml', wave(API_SERVICE, '1')), inFile('a.yaml', wave(policy, '2', skip)))).toEqual([]);
    expect(audit(inFile('a.yaml', wave(API_SERVICE, '1')), inFile('a.yaml', wave(policy, '2')))).toEqual([
      expect.stringMatching(/which no server serves when Argo CD dry-runs the sync, before its first wave.*annotate the GlobalNetworkPolicy argocd\.argoproj\.io\/sync-options: SkipDryRunOnMissingResource=true/),
    ]);
    expect(audit(inFile('a.yaml', wave(API_SERVICE, '1')), inFile('a.yaml', wave(policy, '1', skip)))).toEqual([
      expect.stringMatching(/which is in the same sync wave 1: .*give the 'projectcalico\.org\/v3' objects a later sync wave than the APIService$/),
    ]);
  });

  test('an APIService without a service (served by the API server itself) serves nothing of the input', () => {
    const local = { ...API_SERVICE, spec: { group: 'projectcalico.org', version: 'v3' } };
    expect(audit(inFile('a.yaml', policy), inFile('a.yaml', local))).toEqual([]);
  });
});

describe('namespaced objects and their Namespace', () => {
  test('fails when the Namespace comes in a later file, or later in the same file', () => {
    const message = /^ConfigMap\/c: ConfigMap 'c' is in namespace 'app', whose Namespace \(.*\) is (in a later file|later in the same file): the namespace does not exist yet/;
    expect(audit(inFile('a.yaml', configMap('c', 'app')), inFile('b.yaml', namespace('app')))).toEqual([expect.stringMatching(message)]);
    expect(audit(inFile('a.yaml', configMap('c', 'app')), inFile('a.yaml', namespace('app')))).toEqual([expect.stringMatching(message)]);
  });

  test('applies when the Namespace comes first: kubectl applies a file in document order', () => {
    expect(audit(inFile('a.yaml', namespace('app')), inFile('a.yaml', configMap('c', 'app')))).toEqual([]);
    expect(audit(inFile('a.yaml', namespace('app')), inFile('b.yaml', configMap('c', 'app')))).toEqual([]);
  });

  test('only namespaced kinds the audit knows, in namespaces the input creates, are checked', () => {
    const clusterScoped = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'app' } };
    expect(audit(inFile('a.yaml', clusterScoped), inFile('b.yaml', namespace('app')))).toEqual([]);
    expect(audit(inFile('a.yaml', configMap('c', 'elsewhere')), inFile('b.yaml', namespace('app')))).toEqual([]);
    expect(audit(inFile('a.yaml', configMap('c', 'kube-system')), inFile('b.yaml', namespace('kube-system')))).toEqual([]);
    // A custom resource is namespaced when its CRD says so.
    const clusterCrd = crd('example.com', 'Widget', 'Cluster');
    expect(audit(inFile('0.yaml', clusterCrd), inFile('1.yaml', widget('w', 'app')), inFile('2.yaml', namespace('app')))).toEqual([]);
    expect(audit(inFile('0.yaml', WIDGET_CRD), inFile('1.yaml', widget('w', 'app')), inFile('2.yaml', namespace('app')))).toHaveLength(1);
    // A namespaced Calico kind.
    expect(audit(inFile('a.yaml', { ...v3('NetworkPolicy', 'np'), metadata: { name: 'np', namespace: 'app' } }), inFile('b.yaml', namespace('app')))).toHaveLength(1);
  });

  test('with Argo CD the Namespace may share the wave (Argo CD applies Namespaces first), not come after it', () => {
    expect(audit(inFile('a.yaml', wave(configMap('c', 'app'), '1')), inFile('a.yaml', wave(namespace('app'), '1')))).toEqual([]);
    expect(audit(inFile('a.yaml', wave(configMap('c', 'app'), '1')), inFile('a.yaml', wave(namespace('app'), '2')))).toEqual([
      expect.stringMatching(/whose Namespace \(a\.yaml:1, sync wave 2\) is in sync wave 2, after this object's sync wave 1: .*give the Namespace an earlier or the same sync wave$/),
    ]);
  });
});

describe('the mesh turned off before what replaces it', () => {
  const reflectorNode = v3('Node', 'rr-a', { bgp: { ipv4Address: '10.0.0.10/24', routeReflectorClusterID: '244.0.0.1' } });
  const kubernetesReflector = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'rr-b', annotations: { 'projectcalico.org/RouteReflectorClusterID': '244.0.0.1' } } };

  test('fails when the BGPConfiguration comes in a file before the peerings', () => {
    expect(audit(inFile('0-bgp.yaml', MESH_OFF), inFile('1-peers.yaml', PEER))).toEqual([
      expect.stringMatching(/^BGPConfiguration\/default: BGPConfiguration 'default' turns the node-to-node mesh off, but BGPPeer 'rr-mesh' \(1-peers\.yaml:1\), which replaces it, is in a later file: nodes lose their mesh sessions.*until the peering is applied/),
    ]);
  });

  test('fails when it comes before them in the same file; applies after them', () => {
    expect(audit(inFile('a.yaml', MESH_OFF), inFile('a.yaml', PEER))).toEqual([expect.stringMatching(/which replaces it, is later in the same file/)]);
    expect(audit(inFile('a.yaml', PEER), inFile('a.yaml', MESH_OFF))).toEqual([]);
    expect(audit(inFile('0.yaml', PEER), inFile('1.yaml', MESH_OFF))).toEqual([]);
  });

  test('route reflector nodes replace the mesh too: Calico Nodes with a cluster ID, Kubernetes Nodes with its annotation', () => {
    expect(audit(inFile('0.yaml', PEER), inFile('1.yaml', MESH_OFF), inFile('2.yaml', reflectorNode), inFile('2.yaml', kubernetesReflector))).toEqual([
      expect.stringMatching(/but Node 'rr-b' \(2\.yaml:1\) and 1 more peering or reflector, which replace it, are in a later file: .*until the route reflector is applied/),
    ]);
    expect(audit(inFile('0.yaml', reflectorNode), inFile('0.yaml', kubernetesReflector), inFile('1.yaml', MESH_OFF))).toEqual([]);
    // A node without a cluster ID is no reflector.
    expect(audit(inFile('0.yaml', MESH_OFF), inFile('1.yaml', v3('Node', 'n', { bgp: { ipv4Address: '10.0.0.11/24' } })))).toEqual([]);
  });

  test('the mesh left on is never reported', () => {
    const meshOn = v3('BGPConfiguration', 'default', { nodeToNodeMeshEnabled: true });
    expect(audit(inFile('0.yaml', meshOn), inFile('1.yaml', PEER))).toEqual([]);
    expect(audit(inFile('0.yaml', v3('BGPConfiguration', 'other', { nodeToNodeMeshEnabled: false })), inFile('1.yaml', PEER))).toEqual([]);
  });

  test('with Argo CD the BGPConfiguration needs a later wave: a wave has no order to rely on', () => {
    expect(audit(inFile('a.yaml', wave(PEER, '3')), inFile('a.yaml', wave(MESH_OFF, '4')))).toEqual([]);
    expect(audit(inFile('a.yaml', wave(PEER, '3')), inFile('a.yaml', wave(MESH_OFF, '3')))).toEqual([
      expect.stringMatching(/is in the same sync wave 3: Argo CD applies a wave's objects by kind and name, without waiting for BGP sessions.*give the BGPConfiguration a later sync wave/),
    ]);
  });
});

describe('apply steps', () => {
  test('without sync waves, objects read from no file have no place in the apply', () => {
    expect(audit({ manifest: widget() }, { manifest: WIDGET_CRD })).toEqual([]);
  });

  test('one sync-wave annotation makes the input an Argo CD sync: objects without one are in wave 0, whatever their files', () => {
    // CRD and custom resource in the same wave: Argo CD applies CRDs first and skips the dry run of the custom resource.
    expect(audit(inFile('a.yaml', widget()), inFile('a.yaml', WIDGET_CRD), inFile('b.yaml', wave(namespace('x'), '5')))).toEqual([]);
    expect(audit(inFile('a.yaml', widget()), inFile('b.yaml', wave(WIDGET_CRD, '1')))).toEqual([
      expect.stringMatching(/^Widget\/w: .*\(b\.yaml:1, sync wave 1\), which is in sync wave 1, after this object's sync wave 0: .*give the CRD an earlier sync wave than this object's$/),
    ]);
    expect(audit({ manifest: wave(widget(), '-1') }, { manifest: wave(WIDGET_CRD, '0') })).toEqual([expect.stringMatching(/\(sync wave 0\), which is in sync wave 0, after this object's sync wave -1/)]);
  });

  test('a sync wave that is no whole number counts as 0, or as the Helm hook weight', () => {
    for (const bad of ['1.5', 'one', ' 1', '0x1', '1_0', '', '9223372036854775808']) {
      expect(audit(inFile('a.yaml', wave(widget(), bad)), inFile('a.yaml', wave(WIDGET_CRD, '1')))).toHaveLength(1);
      expect(audit(inFile('a.yaml', wave(widget(), bad)), inFile('a.yaml', wave(WIDGET_CRD, '0')))).toEqual([]);
    }
    const weighted = annotated(wave(widget(), 'x'), { 'helm.sh/hook-weight': '2' });
    expect(audit(inFile('a.yaml', weighted), inFile('a.yaml', wave(WIDGET_CRD, '1')))).toEqual([]);
    expect(audit(inFile('a.yaml', wave(widget(), '+02')), inFile('a.yaml', wave(WIDGET_CRD, '1')))).toEqual([]);
    expect(audit(inFile('a.yaml', wave(widget(), '-9223372036854775808')), inFile('a.yaml', wave(WIDGET_CRD, '9223372036854775807')))).toHaveLength(1);
  });

  test('hooks run in their phase: PreSync before every wave, PostSync after; Skip and SyncFail hooks are not applied', () => {
    const hook = (m: Record<string, any>, type: string) => annotated(m, { 'argocd.argoproj.io/hook': type });
    const crdLate = inFile('a.yaml', wave(WIDGET_CRD, '10'));
    expect(audit(inFile('a.yaml', hook(wave(widget(), '20'), 'PreSync')), crdLate)).toEqual([
      expect.stringMatching(/which is in sync wave 10, after this object's PreSync hook wave 20/),
    ]);
    expect(audit(inFile('a.yaml', hook(wave(widget(), '-20'), 'PostSync')), crdLate)).toEqual([]);
    expect(audit(inFile('a.yaml', hook(widget(), 'Skip')), crdLate)).toEqual([]);
    expect(audit(inFile('a.yaml', hook(widget(), 'SyncFail')), crdLate)).toEqual([]);
    expect(audit(inFile('a.yaml', hook(widget(), 'PostSync, PreSync')), crdLate)).toHaveLength(1);
    // Helm's hooks as Argo CD maps them; crd-install is an ordinary object.
    const helm = (m: Record<string, any>, type: string) => annotated(m, { 'helm.sh/hook': type });
    expect(audit(inFile('a.yaml', helm(widget(), 'pre-install')), crdLate)).toHaveLength(1);
    expect(audit(inFile('a.yaml', helm(widget(), 'post-upgrade')), crdLate)).toEqual([]);
    expect(audit(inFile('a.yaml', helm(widget(), 'crd-install')), crdLate)).toHaveLength(1);
    expect(audit(inFile('a.yaml', helm(widget(), 'pre-delete')), crdLate)).toEqual([]);
  });

  test('messages quote a long kind, name or namespace by a short prefix', () => {
    const long = 'x'.repeat(5000);
    const found = audit(inFile('a.yaml', { ...configMap(long, long) }), inFile('b.yaml', namespace(long)));
    expect(found).toHaveLength(1);
    expect(found[0].length).toBeLessThan(5000 + 1000); // the test's own prefix holds the name once
    expect(found[0].slice(5000)).toContain("(5000 characters)");
  });
});
