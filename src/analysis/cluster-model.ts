// The Calico-relevant facts of a set of Kubernetes objects, read from plain manifests (a chart's
// `toJson()` or YAML a user already runs). Both the architecture report and `cdk8s-calico lint`
// start here, so they see the same cluster.
import { parseSelector } from '../language/selector-parser';
import { SelectorNode } from '../language/selector-ast';
import { parseAsNumber, parseCidr, parseCidrOrIp, parsePeerIp } from '../net/address';
import { ownValue } from '../validation/issues';
import { InstallationPool, isOperatorInstallation, readInstallation } from './private/installation-network';

/** Calico's API groups (the user-facing v3 API and the CRD storage API). */
export const CALICO_API_VERSIONS: readonly string[] = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];

/** Calico's default BGP AS number. */
export const DEFAULT_AS_NUMBER = 64512;

/** One object of the input, with where it came from (for lint output). */
export interface SourcedObject {
  /** The object as plain data. */
  readonly manifest: Record<string, any>;
  /** File it was read from, when read from a file. */
  readonly file?: string;
  /** 1-based line where the object starts in `file`. */
  readonly line?: number;
  /** 1-based line of a field path (`spec.cidr`, `spec.ingress[0].action`) inside the object, when known. */
  readonly lineOf?: (path: string) => number | undefined;
}

/** A BGP peering as Calico reads it from a BGPPeer. */
export interface PeerSpec {
  readonly source: SourcedObject;
  readonly name: string;
  /** `spec.node`: the one node the peering is configured on. */
  readonly node?: string;
  /** `spec.nodeSelector`: the nodes the peering is configured on. */
  readonly nodeSelector?: SelectorNode;
  /** `spec.peerSelector`: the Calico nodes to peer with. */
  readonly peerSelector?: SelectorNode;
  /** `spec.peerIP` without a port. */
  readonly peerIp?: string;
  /** `spec.asNumber`. */
  readonly asNumber?: number;
  /** `spec.numAllowedLocalASNumbers`. */
  readonly numAllowedLocalAs: number;
}

/** A node the input describes (a Calico Node, or a Kubernetes Node with Calico annotations). */
export interface NodeSpec {
  readonly source: SourcedObject;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly asNumber?: number;
  readonly clusterId?: string;
  /** The node's BGP IPv4 address (no prefix). */
  readonly address?: string;
}

/** An IP pool. */
export interface PoolSpec extends InstallationPool {
  /** Undefined for the pool calico-node creates from its environment when none exists. */
  readonly source?: SourcedObject;
}

/** What the manifest-mode install (calico-node, calico-config, Typha) configures. */
export interface InstallModel {
  /** The calico-node DaemonSet. */
  readonly calicoNode?: SourcedObject;
  /** The calico-config ConfigMap. */
  readonly configMap?: SourcedObject;
  /** calico-node's environment, with ConfigMap references resolved (undefined when unresolvable). */
  readonly env: ReadonlyMap<string, string | undefined>;
  /** `calico_backend`: bird, vxlan or none. */
  readonly backend?: string;
  /** `veth_mtu` (0: auto-detect). */
  readonly vethMtu?: number;
  /** Where veth_mtu is set. */
  readonly vethMtuSource?: SourcedObject;
  /** DATASTORE_TYPE of calico-node (calico-node's own default is etcdv3). */
  readonly datastore?: string;
  /** The Typha Deployment. */
  readonly typha?: SourcedObject;
  /** Its replica count (Kubernetes' default 1 when unset). */
  readonly typhaReplicas?: number;
  /** Whether calico-node is pointed at Typha. */
  readonly felixUsesTypha: boolean;
  /** The calico-kube-controllers Deployment. */
  readonly kubeControllers?: SourcedObject;
  /** The Tigera operator's Installation, when the set is an operator install. */
  readonly operatorInstallation?: SourcedObject;
}

/** The FelixConfiguration `default`. */
export interface FelixModel {
  readonly source: SourcedObject;
  readonly ipipEnabled?: boolean;
  readonly vxlanEnabled?: boolean;
  readonly wireguardEnabled?: boolean;
  readonly wireguardEnabledV6?: boolean;
  /** Tunnel MTU fields that are set (name -> value). */
  readonly mtus: ReadonlyMap<string, number>;
}

/** Everything the report and the linter read from a set of objects. */
export interface ClusterModel {
  readonly objects: readonly SourcedObject[];
  /** Objects of the Calico API groups. */
  readonly calicoObjects: readonly SourcedObject[];
  readonly bgpConfiguration?: SourcedObject;
  /** nodeToNodeMeshEnabled of the BGPConfiguration `default` (Calico's default: true). */
  readonly meshEnabled: boolean;
  /** The global AS number. */
  readonly asNumber: number;
  readonly peers: readonly PeerSpec[];
  readonly nodes: readonly NodeSpec[];
  readonly pools: readonly PoolSpec[];
  readonly felix?: FelixModel;
  readonly install: InstallModel;
  /** Every selector of the BGP and IPAM objects (BGPPeer node/peer selectors, IPPool node selectors). */
  readonly selectors: readonly SelectorNode[];
}

/** `Kind/name` or `Kind/namespace/name` of a manifest. */
export function objectId(m: Record<string, any>): string {
  const kind = typeof m?.kind === 'string' ? m.kind : '(no kind)';
  const meta = isRecord(m?.metadata) ? m.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '(no name)';
  return typeof meta.namespace === 'string' ? `${kind}/${meta.namespace}/${name}` : `${kind}/${name}`;
}

/** Whether a manifest belongs to one of Calico's API groups. */
export function isCalicoObject(m: Record<string, any>): boolean {
  return typeof m.apiVersion === 'string' && CALICO_API_VERSIONS.includes(m.apiVersion);
}

/** A plain object (not null, not an array). */
export function isRecord(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function nameOf(m: Record<string, any>): string {
  return isRecord(m.metadata) && typeof m.metadata.name === 'string' ? m.metadata.name : '';
}

function stringLabels(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(x)) return out;
  for (const [k, v] of Object.entries(x)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Parses selector text; undefined for text Calico would reject (the validator reports that). */
export function selectorOf(text: unknown): SelectorNode | undefined {
  if (text === undefined || text === null || text === '') return { kind: 'all' };
  if (typeof text !== 'string') return undefined;
  return parseSelector(text).node;
}

/** Reads the model from a set of objects. Never throws on malformed objects: it skips what it cannot read. */
export function readCluster(objects: readonly SourcedObject[], knownAddresses: ReadonlyMap<string, string> = new Map()): ClusterModel {
  const calicoObjects = objects.filter(o => isCalicoObject(o.manifest));
  const ofKind = (kind: string) => calicoObjects.filter(o => o.manifest.kind === kind);

  const bgpConfiguration = ofKind('BGPConfiguration').find(o => nameOf(o.manifest) === 'default');
  const bgpSpec = isRecord(bgpConfiguration?.manifest.spec) ? bgpConfiguration!.manifest.spec : {};
  const meshEnabled = bgpSpec.nodeToNodeMeshEnabled !== false;
  const asNumber = parseAsNumber(bgpSpec.asNumber) ?? DEFAULT_AS_NUMBER;

  const selectors: SelectorNode[] = [];
  const peers: PeerSpec[] = [];
  for (const o of ofKind('BGPPeer')) {
    const spec = isRecord(o.manifest.spec) ? o.manifest.spec : {};
    const nodeSelector = spec.nodeSelector ? selectorOf(spec.nodeSelector) : undefined;
    const peerSelector = spec.peerSelector ? selectorOf(spec.peerSelector) : undefined;
    if ((spec.nodeSelector && !nodeSelector) || (spec.peerSelector && !peerSelector)) continue;
    if (nodeSelector) selectors.push(nodeSelector);
    if (peerSelector) selectors.push(peerSelector);
    const peerIp = typeof spec.peerIP === 'string' ? hostOf(spec.peerIP) : undefined;
    if (!peerSelector && !peerIp) continue;
    peers.push({
      source: o,
      name: nameOf(o.manifest),
      node: typeof spec.node === 'string' && spec.node !== '' ? spec.node : undefined,
      nodeSelector,
      peerSelector,
      peerIp,
      asNumber: parseAsNumber(spec.asNumber),
      numAllowedLocalAs: typeof spec.numAllowedLocalASNumbers === 'number' ? spec.numAllowedLocalASNumbers : 0,
    });
  }

  const nodes: NodeSpec[] = [];
  for (const o of ofKind('Node')) {
    const bgp = isRecord(o.manifest.spec) && isRecord(o.manifest.spec.bgp) ? o.manifest.spec.bgp : {};
    nodes.push({
      source: o,
      name: nameOf(o.manifest),
      labels: stringLabels(o.manifest.metadata?.labels),
      asNumber: parseAsNumber(bgp.asNumber),
      clusterId: typeof bgp.routeReflectorClusterID === 'string' && bgp.routeReflectorClusterID !== '' ? bgp.routeReflectorClusterID : undefined,
      address: parseCidrOrIp(bgp.ipv4Address)?.address.text ?? knownAddresses.get(nameOf(o.manifest)),
    });
  }
  // Kubernetes Nodes: in Kubernetes-datastore mode the Calico Node is backed by them.
  const calicoNodeNames = new Set(nodes.map(n => n.name));
  for (const o of objects) {
    const m = o.manifest;
    if (m.apiVersion !== 'v1' || m.kind !== 'Node' || calicoNodeNames.has(nameOf(m))) continue;
    const annotations = stringLabels(m.metadata?.annotations);
    nodes.push({
      source: o,
      name: nameOf(m),
      labels: stringLabels(m.metadata?.labels),
      asNumber: parseAsNumber(annotations['projectcalico.org/ASNumber']),
      clusterId: annotations['projectcalico.org/RouteReflectorClusterID'] || undefined,
      // calico-node writes the annotation itself; a declared address (a RouteReflectorPool's) stands in before it runs.
      address: parseCidrOrIp(annotations['projectcalico.org/IPv4Address'])?.address.text ?? knownAddresses.get(nameOf(m)),
    });
  }

  const install = readInstall(objects);
  const pools = readPools(ofKind('IPPool'), install);
  // The operator creates the Installation's pools (those no IPPool object of the set names).
  const installation = install.operatorInstallation;
  if (installation) {
    const extra = readInstallation(installation.manifest).pools.filter(p => !pools.some(q => q.name === p.name));
    pools.push(...extra.map(p => ({ ...p, source: installation })));
    pools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  for (const p of pools) selectors.push(p.nodeSelector);
  const felix = readFelix(ofKind('FelixConfiguration').find(o => nameOf(o.manifest) === 'default'));

  return { objects, calicoObjects, bgpConfiguration, meshEnabled, asNumber, peers, nodes, pools, felix, install, selectors };
}

/** The address part of a peerIP ('10.0.0.1:179' -> '10.0.0.1', '[fd00::1]:179' -> 'fd00::1'). */
function hostOf(peerIp: string): string | undefined {
  return parsePeerIp(peerIp)?.ip.text;
}

function readPools(poolObjects: readonly SourcedObject[], install: InstallModel): PoolSpec[] {
  const pools: PoolSpec[] = [];
  for (const o of poolObjects) {
    const spec = isRecord(o.manifest.spec) ? o.manifest.spec : {};
    const cidr = parseCidr(spec.cidr);
    const nodeSelector = selectorOf(spec.nodeSelector);
    if (!cidr || !nodeSelector) continue;
    const blockSize = typeof spec.blockSize === 'number' && spec.blockSize > 0 ? spec.blockSize : (cidr.version === 4 ? 26 : 122);
    pools.push({
      source: o,
      name: nameOf(o.manifest),
      cidr,
      blockSize,
      ipipMode: modeOf(spec.ipipMode),
      vxlanMode: modeOf(spec.vxlanMode),
      disabled: spec.disabled === true,
      disableBgpExport: spec.disableBGPExport === true,
      nodeSelector,
      nodeSelectorText: typeof spec.nodeSelector === 'string' && spec.nodeSelector !== '' ? spec.nodeSelector : 'all()',
    });
  }
  // With no IPv4 pool in the set, calico-node creates one from its environment at first start.
  if (install.calicoNode && !pools.some(p => p.cidr.version === 4)) {
    const env = install.env;
    const cidr = parseCidr(env.get('CALICO_IPV4POOL_CIDR') ?? '192.168.0.0/16');
    const selectorText = env.get('CALICO_IPV4POOL_NODE_SELECTOR') ?? 'all()';
    const nodeSelector = selectorOf(selectorText);
    const blockSize = Number(env.get('CALICO_IPV4POOL_BLOCK_SIZE') ?? 26);
    if (cidr && nodeSelector && Number.isInteger(blockSize)) {
      pools.push({
        name: 'default-ipv4-ippool',
        cidr,
        blockSize,
        ipipMode: modeOf(env.has('CALICO_IPV4POOL_IPIP') ? env.get('CALICO_IPV4POOL_IPIP') : 'Always'),
        vxlanMode: modeOf(env.get('CALICO_IPV4POOL_VXLAN')),
        disabled: false,
        disableBgpExport: false,
        nodeSelector,
        nodeSelectorText: selectorText,
      });
    }
  }
  return pools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** An encapsulation mode as Calico reads it: unset means Never; 'Off'/'false' style values count as Never. */
function modeOf(x: unknown): string {
  if (typeof x !== 'string' || x === '') return 'Never';
  const lower = x.toLowerCase();
  if (lower === 'always') return 'Always';
  if (lower === 'crosssubnet') return 'CrossSubnet';
  return 'Never';
}

function readFelix(o: SourcedObject | undefined): FelixModel | undefined {
  if (!o) return undefined;
  const spec = isRecord(o.manifest.spec) ? o.manifest.spec : {};
  const bool = (k: string) => (typeof spec[k] === 'boolean' ? spec[k] as boolean : undefined);
  const mtus = new Map<string, number>();
  for (const k of ['ipipMTU', 'vxlanMTU', 'vxlanMTUV6', 'wireguardMTU', 'wireguardMTUV6']) {
    if (typeof spec[k] === 'number' && spec[k] > 0) mtus.set(k, spec[k]);
  }
  return {
    source: o,
    ipipEnabled: bool('ipipEnabled'),
    vxlanEnabled: bool('vxlanEnabled'),
    wireguardEnabled: bool('wireguardEnabled'),
    wireguardEnabledV6: bool('wireguardEnabledV6'),
    mtus,
  };
}

/** The containers of a workload (Deployment, DaemonSet) manifest. */
function containersOf(m: Record<string, any>): Record<string, any>[] {
  const containers = m.spec?.template?.spec?.containers;
  return Array.isArray(containers) ? containers.filter(isRecord) : [];
}

function usesImage(m: Record<string, any>, component: string): boolean {
  return containersOf(m).some(c => typeof c.image === 'string' && new RegExp(`(^|/)${component}(:|@|$)`).test(c.image));
}

function readInstall(objects: readonly SourcedObject[]): InstallModel {
  const find = (kind: string, name: string, image: string) => objects.find(o => o.manifest.kind === kind
    && (nameOf(o.manifest) === name || usesImage(o.manifest, image)));
  const calicoNode = find('DaemonSet', 'calico-node', 'calico/node');
  const configMap = objects.find(o => o.manifest.kind === 'ConfigMap' && nameOf(o.manifest) === 'calico-config');
  const data = isRecord(configMap?.manifest.data) ? configMap!.manifest.data : {};
  const typha = find('Deployment', 'calico-typha', 'calico/typha');
  const kubeControllers = find('Deployment', 'calico-kube-controllers', 'calico/kube-controllers');
  const operatorInstallation = objects.find(o => isOperatorInstallation(o.manifest));
  // An operator install: its calico-node is the operator's, configured by the Installation.
  const operatorNetwork = operatorInstallation && !calicoNode ? readInstallation(operatorInstallation.manifest) : undefined;

  const env = new Map<string, string | undefined>();
  if (calicoNode) {
    const container = containersOf(calicoNode.manifest).find(c => c.name === 'calico-node') ?? containersOf(calicoNode.manifest)[0];
    for (const e of Array.isArray(container?.env) ? container!.env : []) {
      if (!isRecord(e) || typeof e.name !== 'string') continue;
      if (typeof e.value === 'string') env.set(e.name, e.value);
      else if (typeof e.value === 'number' || typeof e.value === 'boolean') env.set(e.name, String(e.value));
      else {
        const ref = e.valueFrom?.configMapKeyRef;
        const value = isRecord(ref) && ref.name === 'calico-config' && typeof ref.key === 'string' ? ownValue(data, ref.key) : undefined;
        const fromMap = typeof value === 'string' ? value : undefined;
        env.set(e.name, fromMap);
      }
    }
  }
  const backend = typeof data.calico_backend === 'string' ? data.calico_backend
    : (calicoNode ? env.get('CALICO_NETWORKING_BACKEND') ?? 'bird' : operatorNetwork?.backend);
  const vethText = data.veth_mtu;
  const vethMtu = typeof vethText === 'string' && /^[0-9]+$/.test(vethText) ? Number(vethText)
    : (typeof vethText === 'number' ? vethText : operatorNetwork ? operatorNetwork.mtu ?? 0 : undefined);
  const replicas = typha?.manifest.spec?.replicas;
  return {
    calicoNode,
    configMap,
    env,
    backend,
    vethMtu,
    vethMtuSource: vethMtu !== undefined && !operatorNetwork ? configMap : undefined,
    datastore: calicoNode ? env.get('DATASTORE_TYPE') ?? 'etcdv3' : undefined,
    typha,
    typhaReplicas: typha ? (typeof replicas === 'number' ? replicas : 1) : undefined,
    felixUsesTypha: env.get('FELIX_TYPHAK8SSERVICENAME') !== undefined && env.get('FELIX_TYPHAK8SSERVICENAME') !== 'none',
    kubeControllers,
    operatorInstallation,
  };
}
