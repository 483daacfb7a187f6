// Audits of a set of objects against the reference architecture. Shared by the architecture
// report (on the synthesized output) and `cdk8s-calico lint` (on any YAML).
import { quote } from '../core/quote';
import { evaluateSelector, SelectorNode } from '../language/selector-ast';
import { parseSelector } from '../language/selector-parser';
import { MtuOverhead } from '../install/routing';
import { TyphaDeployment } from '../install/typha-deployment';
import { checkManifestSet, DeclaredRange, DeclaredRangeKind, MANIFEST_SET_RULES } from '../validation/manifest-set';
import { validateManifest } from '../validation/validate';
import { parseCidr } from '../net/address';
import type { CalicoRelease } from './calico-release';
import type { CalicoVersion } from '../core/calico-version';
import { PolicyModel } from './policy-model';
import { auditApplyOrder } from './private/apply-order';
import { auditEmptyTiers, auditShadowedRules } from './private/policy-lint';
import { auditInstallation, INSTALLATION_RULES } from './private/installation-audit';
import { encapsulationsInUse, largestOverhead } from './private/report/capacity';
import { ClusterModel, isRecord, nameOf, objectId, SourcedObject } from './cluster-model';
import { PropagationResult, title } from './private/report/propagation';
import { Topology } from './private/report/topology';

/** The audits, by rule name, with what each checks (for help texts and docs). */
export const AUDIT_RULES: Readonly<Record<string, string>> = {
  // The whole-set rules synthesis runs on every chart (validation/manifest-set.ts).
  ...Object.fromEntries(MANIFEST_SET_RULES),
  'invalid-resource': 'a Calico object that calicoctl would reject, or a Kubernetes cluster network policy its CRD would (validateManifest, for the release checked)',
  'calico-version': 'a Calico image of an unsupported release or of no release, images of several releases, or of another line than --calico-version',
  'datastore': 'calico-node does not use the Kubernetes datastore',
  'no-typha': 'calico-node talks to the API server without Typha',
  'typha-replicas': 'fewer Typha replicas than the Tigera operator runs for --nodes (3 without --nodes), or more than nodes',
  'ipip-and-vxlan': 'IP-in-IP and VXLAN both enabled (calico-node environment, FelixConfiguration, or across pools)',
  'veth-mtu': 'veth_mtu or a Felix tunnel MTU that does not fit the encapsulation and --network-mtu',
  'bgp-mesh-size': 'the node-to-node mesh on with more than 50 nodes (--nodes) and no route reflectors',
  'route-reflectors': 'fewer than 2 route reflectors, or a node subnet without one',
  'namespace-label': 'a policy that selects namespaces by a bare `name` label, which namespaces do not carry',
  'no-default-deny': 'no policy denies workload traffic by default: no default-deny GlobalNetworkPolicy, and the policy model does not deny a new namespace\'s pods both ways (a Baseline ClusterNetworkPolicy counts); a finding about the whole input, disable it when linting part of a cluster',
  'route-propagation': 'nodes that would not learn other nodes\' pod routes over the configured BGP peerings',
  ...INSTALLATION_RULES,
  'apply-order': 'an object applied before what it needs on a new cluster: a custom resource before or with its CRD, a projectcalico.org/v3 object '
    + 'before its storage CRD or with its APIService, an object before its Namespace, the mesh turned off before the peerings that replace it '
    + '(steps: the files in the order given, or the Argo CD sync waves)',
  'shadowed-rule': 'a Calico policy rule that an earlier rule of the same policy and direction decides first, for all of its traffic or a proved part of it '
    + '(a Deny after an Allow of the same traffic never denies it); only what is proved is reported',
  'empty-tier': 'a Tier that no policy of the input names in spec.tier (a finding about the whole input; disable it when linting part of a cluster)',
};

/** One finding. */
export interface Finding {
  /** Rule name (a key of AUDIT_RULES). */
  readonly rule: string;
  /** What is wrong, the value, and the fix. */
  readonly message: string;
  /** The object it is about; undefined for a finding about the whole set. */
  readonly object?: SourcedObject;
  /** Field path inside the object. */
  readonly path?: string;
}

/** Facts the audits need beyond the objects. */
export interface AuditFacts {
  /** Node count (lint --nodes; the report: expectedNodes). */
  readonly nodes?: number;
  /** Network MTU (lint --network-mtu; the report: the cluster's). */
  readonly networkMtu?: number;
  /** Node subnets (the report: the cluster's; lint --node-subnets). */
  readonly nodeSubnets?: readonly string[];
  /** Service cluster IP ranges (the report: the cluster's; lint --service-cidrs). */
  readonly serviceCidrs?: readonly string[];
  /** The release the objects are checked for (the cluster's, lint --calico-version, or the images'). */
  readonly release: CalicoRelease;
}

/** Kinds of the Calico API that hold Calico's own state rather than configuration; not validated. */
const STATE_KINDS = new Set(['BlockAffinity', 'CalicoNodeStatus', 'ClusterInformation', 'IPAMBlock', 'IPAMConfig', 'IPAMHandle']);

/** Runs every audit. */
export function audit(model: ClusterModel, topology: Topology, propagation: PropagationResult, facts: AuditFacts): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, message: string, object?: SourcedObject, path?: string) => findings.push({ rule, message, object, path });

  // The Calico objects, and the Kubernetes cluster network policies Calico enforces (validateManifest knows both).
  const kubernetesPolicies = model.objects.filter(o => typeof o.manifest.apiVersion === 'string' && o.manifest.apiVersion.startsWith('policy.networking.k8s.io/'));
  for (const o of [...model.calicoObjects, ...kubernetesPolicies]) {
    if (STATE_KINDS.has(o.manifest.kind)) continue;
    for (const issue of validateManifest(o.manifest, facts.release.version)) add('invalid-resource', issue.message, o, issue.path);
  }
  for (const p of facts.release.problems) add('calico-version', p.message, p.object, p.path);
  const calicoSet = model.calicoObjects.length > 0 || model.install.calicoNode !== undefined || model.install.operatorInstallation !== undefined;
  if (!calicoSet) return findings;

  auditInstall(model, facts, add);
  if (model.install.operatorInstallation) auditInstallation(model.install.operatorInstallation, facts, add);
  auditEncapsulation(model, facts, add);
  auditBgp(model, topology, propagation, facts, add);
  const declared: DeclaredRange[] = [
    ...(facts.serviceCidrs ?? []).map(text => ({ kind: DeclaredRangeKind.SERVICE, cidr: text, describe: `the service range ${text}` })),
    ...(facts.nodeSubnets ?? []).map(text => ({ kind: DeclaredRangeKind.SUBNET, cidr: text, describe: `the node subnet ${text}` })),
  ];
  const objects = model.objects;
  const setIssues = checkManifestSet({
    manifests: objects.map(o => o.manifest),
    declared,
    version: facts.release.version,
    describe: i => (objects[i].file !== undefined ? `${objects[i].file}:${objects[i].line ?? 0}` : objectId(objects[i].manifest)),
  });
  for (const i of setIssues) add(i.rule, i.message, i.manifest !== undefined ? objects[i.manifest] : undefined, i.path || undefined);
  auditPolicies(model, add, facts.release.version);
  auditApplyOrder(model.objects, (message, object, path) => add('apply-order', message, object, path));
  auditShadowedRules(model.calicoObjects, (message, object, path) => add('shadowed-rule', message, object, path));
  auditEmptyTiers(model.calicoObjects, (message, object, path) => add('empty-tier', message, object, path));
  return findings;
}

type Add = (rule: string, message: string, object?: SourcedObject, path?: string) => void;

function envPath(o: SourcedObject, name: string): string | undefined {
  const containers = o.manifest.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return undefined;
  for (let c = 0; c < containers.length; c++) {
    const env = containers[c]?.env;
    if (!Array.isArray(env)) continue;
    const i = env.findIndex((e: any) => isRecord(e) && e.name === name);
    if (i >= 0) return `spec.template.spec.containers[${c}].env[${i}]`;
  }
  return undefined;
}

function auditInstall(model: ClusterModel, facts: AuditFacts, add: Add): void {
  const install = model.install;
  if (install.operatorInstallation || !install.calicoNode) return;
  const node = install.calicoNode;
  if (install.datastore !== 'kubernetes') {
    const unset = !install.env.has('DATASTORE_TYPE');
    add('datastore', `calico-node uses the ${quote(install.datastore)} datastore${unset ? ' (DATASTORE_TYPE is not set, and calico-node then defaults to etcdv3)' : ''}; `
      + 'the reference architecture keeps Calico\'s data in the Kubernetes API: set DATASTORE_TYPE to \'kubernetes\' (the calico-typha.yaml install)',
    node, envPath(node, 'DATASTORE_TYPE'));
    return;
  }
  if (!install.typha || !install.felixUsesTypha) {
    const why = !install.typha ? 'there is no calico-typha Deployment' : 'FELIX_TYPHAK8SSERVICENAME does not name the Typha Service';
    add('no-typha', `calico-node runs without Typha (${why}), so every node's Felix watches the Kubernetes API server directly; `
      + 'Typha is recommended above 50 nodes and essential above 100: install from calico-typha.yaml (or CalicoCluster)',
    node, envPath(node, 'FELIX_TYPHAK8SSERVICENAME'));
    return;
  }
  const replicas = install.typhaReplicas!;
  if (facts.nodes !== undefined) {
    const wanted = TyphaDeployment.recommendedReplicas(facts.nodes);
    if (replicas < wanted) {
      add('typha-replicas', `Typha runs ${replicas} replica(s), fewer than the ${wanted} the Tigera operator runs for ${facts.nodes} nodes `
        + `(nodes/200 + 2, at least 3 from 5 nodes on); set spec.replicas to ${wanted}`, install.typha, 'spec.replicas');
    } else if (facts.nodes > 0 && replicas > facts.nodes) {
      add('typha-replicas', `Typha runs ${replicas} replicas on ${facts.nodes} nodes, but it binds host port 5473, so at most one runs per node `
        + `and the rest stay Pending; set spec.replicas to ${wanted}`, install.typha, 'spec.replicas');
    }
  } else if (replicas < 3) {
    add('typha-replicas', `Typha runs ${replicas} replica(s); production clusters run at least 3 so that one can fail during an upgrade `
      + '(give the node count to check against the Tigera operator\'s rule); set spec.replicas to 3', install.typha, 'spec.replicas');
  }
}

function auditEncapsulation(model: ClusterModel, facts: AuditFacts, add: Add): void {
  const install = model.install;
  const env = install.env;
  if (install.calicoNode) {
    const ipip = env.get('CALICO_IPV4POOL_IPIP') ?? (env.has('CALICO_IPV4POOL_IPIP') ? undefined : 'Always');
    const vxlan = env.get('CALICO_IPV4POOL_VXLAN');
    if (on(ipip) && on(vxlan)) {
      add('ipip-and-vxlan', `calico-node's default pool would use IP-in-IP (CALICO_IPV4POOL_IPIP ${quote(ipip)}) and VXLAN (CALICO_IPV4POOL_VXLAN ${quote(vxlan)}) at once, `
        + 'which Calico refuses; set one of them to \'Never\'', install.calicoNode, envPath(install.calicoNode, 'CALICO_IPV4POOL_VXLAN'));
    }
  }
  const felix = model.felix;
  if (felix && felix.ipipEnabled === true && felix.vxlanEnabled === true) {
    add('ipip-and-vxlan', 'FelixConfiguration enables both IP-in-IP (ipipEnabled) and VXLAN (vxlanEnabled); Felix then sizes the workload MTU for the larger '
      + 'overhead and keeps both tunnel devices up: disable the encapsulation your pools do not use', felix.source, 'spec.vxlanEnabled');
  }
  const pools = model.pools.filter(p => !p.disabled);
  const ipipPool = pools.find(p => on(p.ipipMode) && !on(p.vxlanMode));
  const vxlanPool = pools.find(p => on(p.vxlanMode) && !on(p.ipipMode));
  if (ipipPool && vxlanPool) {
    const later = [ipipPool, vxlanPool].find(p => p.source) ?? ipipPool;
    add('ipip-and-vxlan', `IPPool ${quote(ipipPool.name)} uses IP-in-IP and IPPool ${quote(vxlanPool.name)} uses VXLAN; mixing them runs both tunnels and sizes every `
      + 'workload MTU for VXLAN\'s larger overhead: use one encapsulation for every pool', later.source, 'spec');
  }

  // MTU.
  const used = encapsulationsInUse(model);
  const worst = largestOverhead(used);
  const veth = install.vethMtu;
  if (veth !== undefined && veth > 0 && install.vethMtuSource) {
    if (facts.networkMtu !== undefined) {
      const expected = facts.networkMtu - worst.overhead;
      if (veth !== expected) {
        const effect = veth > expected
          ? `packets larger than ${expected} bytes are fragmented or dropped`
          : `every packet wastes ${expected - veth} bytes`;
        add('veth-mtu', `veth_mtu ${veth} does not fit ${worst.key === 'none' ? 'unencapsulated traffic' : worst.label} on a ${facts.networkMtu}-byte network: `
          + `${effect}; set veth_mtu to ${expected} (${facts.networkMtu} - ${worst.overhead})`, install.vethMtuSource, 'data.veth_mtu');
      }
    } else if (veth > MtuOverhead.MAX_NETWORK_MTU - worst.overhead) {
      add('veth-mtu', `veth_mtu ${veth} exceeds the largest network MTU (${MtuOverhead.MAX_NETWORK_MTU}) minus the ${worst.overhead}-byte overhead of `
        + `${worst.label}; set it to the network MTU minus ${worst.overhead}`, install.vethMtuSource, 'data.veth_mtu');
    }
  }
  if (felix) {
    const expected = facts.networkMtu !== undefined ? facts.networkMtu - worst.overhead : (veth !== undefined && veth > 0 ? veth : undefined);
    if (expected !== undefined) {
      for (const [field, value] of felix.mtus) {
        if (value === expected) continue;
        const basis = facts.networkMtu !== undefined ? `the ${expected} that a ${facts.networkMtu}-byte network leaves after ${worst.label}` : `veth_mtu ${expected}`;
        add('veth-mtu', `FelixConfiguration ${field} ${value} differs from ${basis}; set it to ${expected}`, felix.source, `spec.${field}`);
      }
    }
  }
}

function on(mode: string | undefined): boolean {
  return mode !== undefined && mode !== '' && mode !== 'Never';
}

function auditBgp(model: ClusterModel, topology: Topology, propagation: PropagationResult, facts: AuditFacts, add: Add): void {
  const backend = model.install.backend;
  const bgpInUse = backend === 'bird' || (backend === undefined && (model.bgpConfiguration !== undefined || model.peers.length > 0));
  if (!bgpInUse) return;
  const anchor = model.bgpConfiguration ?? model.install.calicoNode ?? model.peers[0]?.source;
  const reflectors = model.nodes.filter(n => n.clusterId !== undefined);
  const n = facts.nodes;
  if (model.meshEnabled && n !== undefined && n > 50 && reflectors.length === 0) {
    add('bgp-mesh-size', `the node-to-node mesh is on for ${n} nodes: ${n * (n - 1) / 2} BGP sessions, ${n - 1} on every node; `
      + 'above ~50 nodes use route reflectors (at least 2, peered with every node and each other), then set nodeToNodeMeshEnabled: false',
    anchor, model.bgpConfiguration ? 'spec.nodeToNodeMeshEnabled' : undefined);
  }
  if (reflectors.length === 1) {
    add('route-reflectors', `${quote(reflectors[0].name)} is the only route reflector: while it restarts, its clients lose every route it reflects; `
      + 'run at least 2 reflectors with the same routeReflectorClusterID', reflectors[0].source, 'spec.bgp.routeReflectorClusterID');
  }
  // Which subnet a reflector is in is known only from its address; without every address, a subnet's coverage is not proved either way.
  if (reflectors.length > 0 && (facts.nodeSubnets ?? []).length > 1 && reflectors.every(r => r.address !== undefined)) {
    const covered = new Set(topology.groups.filter(g => g.clusterId !== undefined && g.subnet).map(g => g.subnet!));
    for (const subnet of facts.nodeSubnets!) {
      if (!covered.has(parseCidr(subnet)?.text ?? subnet)) {
        add('route-reflectors', `node subnet ${subnet} has no route reflector; run at least one reflector in each node subnet `
          + 'so that a subnet keeps its routes when the links between subnets fail', reflectors[0].source);
      }
    }
  }
  if (propagation.applicable) {
    for (const f of propagation.failures) {
      if (f.isolated) {
        add('route-propagation', f.why, anchor);
        continue;
      }
      const names = f.targets.map(i => title(topology.groups[i]));
      const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ` and ${names.length - 4} more` : '');
      add('route-propagation', `${shown} would not learn the pod routes of ${title(topology.groups[f.origin])}: ${f.why}`, anchor);
    }
    if (propagation.truncated) {
      add('route-propagation', 'the BGP topology is too large to follow every path; the route-propagation check is incomplete', anchor);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------------------------

/** A stock workload in an ordinary namespace, for deciding whether a policy is a default deny. */
const PROBE_NAMESPACE = 'app';
const PROBE_ENDPOINT = {
  'projectcalico.org/namespace': PROBE_NAMESPACE,
  'projectcalico.org/orchestrator': 'k8s',
  'projectcalico.org/serviceaccount': 'default',
};
const PROBE_NAMESPACE_LABELS = {
  'projectcalico.org/name': PROBE_NAMESPACE,
  'kubernetes.io/metadata.name': PROBE_NAMESPACE,
};

function auditPolicies(model: ClusterModel, add: Add, version: CalicoVersion): void {
  const namespaces = model.objects.filter(o => o.manifest.apiVersion === 'v1' && o.manifest.kind === 'Namespace');
  const nameLabelCarried = namespaces.length > 0 && namespaces.every(o => typeof o.manifest.metadata?.labels?.name === 'string');
  if (!nameLabelCarried) {
    for (const o of model.calicoObjects) {
      if (o.manifest.kind !== 'GlobalNetworkPolicy' && o.manifest.kind !== 'NetworkPolicy') continue;
      for (const { path, text } of calicoNamespaceSelectors(o.manifest)) {
        const node = parseSelector(text).node;
        if (node && usesKey(node, 'name')) add('namespace-label', bareNameMessage(`namespaceSelector ${quote(text)}`, matchesAbsent(node)), o, path);
      }
    }
    for (const o of model.objects) {
      if (o.manifest.kind !== 'NetworkPolicy' || o.manifest.apiVersion !== 'networking.k8s.io/v1') continue;
      for (const path of kubernetesNameSelectors(o.manifest)) {
        add('namespace-label', bareNameMessage('namespaceSelector', path.endsWith('matchExpressions')), o, path);
      }
    }
  }
  const denies = model.calicoObjects.filter(o => o.manifest.kind === 'GlobalNetworkPolicy' && isDefaultDeny(o.manifest));
  const staged = model.calicoObjects.find(o => o.manifest.kind === 'StagedGlobalNetworkPolicy' && o.manifest.spec?.stagedAction !== 'Delete'
    && isDefaultDeny(o.manifest));
  if (denies.length === 0 && deniesByDefault(model, version)) return;
  if (denies.length === 0 && staged) {
    add('no-default-deny', `no GlobalNetworkPolicy denies traffic by default yet: the default deny ${quote(nameOf(staged.manifest))} is staged, so Calico `
      + 'reports what it would deny and enforces nothing; once its flow logs show only what should be denied, enforce it (DefaultDenyPolicy without staged)', staged);
  } else if (denies.length === 0) {
    add('no-default-deny', 'no GlobalNetworkPolicy denies traffic by default, so every pod accepts and sends whatever no policy denies; '
      + 'add a default deny: a GlobalNetworkPolicy at order 2000 (after Kubernetes NetworkPolicies), types Ingress and Egress, selecting workloads '
      + 'outside the system namespaces by projectcalico.org/name, with DNS egress allowed (DefaultDenyPolicy renders one)');
  }
}

/**
 * Whether the policies deny a new namespace's pods by default in both directions, whatever kinds
 * and tiers do it (a Baseline ClusterNetworkPolicy or BaselineAdminNetworkPolicy, a tiered
 * GlobalNetworkPolicy): the policy model evaluates egress from a pod of a namespace the input does
 * not know to an outside address, and ingress into it from another such namespace. An input the
 * model cannot read proves nothing.
 */
function deniesByDefault(model: ClusterModel, version: CalicoVersion): boolean {
  // Only cluster network policies and global policies outside the default tier can deny by default
  // where no default-deny GlobalNetworkPolicy of the default tier is (a namespaced policy never
  // covers a namespace the input does not know): without them, no model is built.
  const candidate = model.objects.some(o => {
    const m = o.manifest;
    if (typeof m.apiVersion === 'string' && m.apiVersion.startsWith('policy.networking.k8s.io/')) return true;
    return m.kind === 'GlobalNetworkPolicy' && isRecord(m.spec) && typeof m.spec.tier === 'string' && m.spec.tier !== '' && m.spec.tier !== 'default';
  });
  if (!candidate) return false;
  let policies: PolicyModel;
  try {
    policies = PolicyModel.fromManifests(model.objects.map(o => o.manifest), { calicoVersion: version });
  } catch {
    return false;
  }
  const probe = { namespaceName: PROBE_NAMESPACE, labels: { app: 'probe' } };
  const other = { namespaceName: `${PROBE_NAMESPACE}-peer`, labels: { app: 'probe' } };
  try {
    return !policies.allows({ source: probe, destination: { ip: '203.0.113.1' }, port: 40000 })
      && !policies.allows({ source: other, destination: probe, port: 40000 });
  } catch {
    return false;
  }
}

function bareNameMessage(what: string, matchesAbsent: boolean): string {
  return `${what} tests the label 'name', which namespaces do not carry (Kubernetes sets kubernetes.io/metadata.name, Calico projectcalico.org/name), `
    + `so it matches no namespace by that label${matchesAbsent ? ', and its != / not in matches every namespace, kube-system included' : ''}; `
    + 'select namespaces by projectcalico.org/name (Calico) or kubernetes.io/metadata.name';
}

function calicoNamespaceSelectors(m: Record<string, any>): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const spec = isRecord(m.spec) ? m.spec : {};
  if (typeof spec.namespaceSelector === 'string') out.push({ path: 'spec.namespaceSelector', text: spec.namespaceSelector });
  for (const direction of ['ingress', 'egress']) {
    const rules = Array.isArray(spec[direction]) ? spec[direction] : [];
    rules.forEach((rule: any, i: number) => {
      for (const side of ['source', 'destination']) {
        const text = rule?.[side]?.namespaceSelector;
        if (typeof text === 'string') out.push({ path: `spec.${direction}[${i}].${side}.namespaceSelector`, text });
      }
    });
  }
  return out;
}

function kubernetesNameSelectors(m: Record<string, any>): string[] {
  const out: string[] = [];
  const spec = isRecord(m.spec) ? m.spec : {};
  for (const [direction, peersKey] of [['ingress', 'from'], ['egress', 'to']]) {
    const rules = Array.isArray(spec[direction]) ? spec[direction] : [];
    rules.forEach((rule: any, i: number) => {
      const peers = Array.isArray(rule?.[peersKey]) ? rule[peersKey] : [];
      peers.forEach((peer: any, j: number) => {
        const ns = peer?.namespaceSelector;
        if (!isRecord(ns)) return;
        const base = `spec.${direction}[${i}].${peersKey}[${j}].namespaceSelector`;
        if (isRecord(ns.matchLabels) && 'name' in ns.matchLabels) out.push(`${base}.matchLabels`);
        if (Array.isArray(ns.matchExpressions) && ns.matchExpressions.some((e: any) => e?.key === 'name')) out.push(`${base}.matchExpressions`);
      });
    });
  }
  return out;
}

function usesKey(node: SelectorNode, key: string): boolean {
  switch (node.kind) {
    case 'all': case 'global': return false;
    case 'not': return usesKey(node.operand, key);
    case 'and': case 'or': return node.operands.some(o => usesKey(o, key));
    default: return node.key === key;
  }
}

/** Whether the selector matches a namespace that lacks every label it tests. */
function matchesAbsent(node: SelectorNode): boolean {
  return evaluateSelector(node, {});
}

/** Whether a GlobalNetworkPolicy denies, by default, some direction of a stock workload's traffic. */
function isDefaultDeny(m: Record<string, any>): boolean {
  const spec = isRecord(m.spec) ? m.spec : {};
  if (spec.doNotTrack === true || spec.preDNAT === true || spec.serviceAccountSelector) return false;
  const selector = parseSelector(typeof spec.selector === 'string' ? spec.selector : '').node;
  if (!selector || !evaluateSelector(selector, PROBE_ENDPOINT)) return false;
  if (typeof spec.namespaceSelector === 'string' && spec.namespaceSelector !== '') {
    const ns = parseSelector(spec.namespaceSelector).node;
    if (!ns || !evaluateSelector(ns, PROBE_NAMESPACE_LABELS)) return false;
  }
  const ingress = Array.isArray(spec.ingress) ? spec.ingress : [];
  const egress = Array.isArray(spec.egress) ? spec.egress : [];
  let types: string[] = Array.isArray(spec.types) ? spec.types : [];
  if (types.length === 0) types = egress.length > 0 && ingress.length === 0 ? ['Egress'] : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const deniesByDefault = (rules: any[]) => !rules.some(isBlanketPass);
  return (types.includes('Ingress') && deniesByDefault(ingress)) || (types.includes('Egress') && deniesByDefault(egress));
}

/** A rule that allows (or passes) everything: no protocol, no source or destination match. */
function isBlanketPass(rule: any): boolean {
  if (!isRecord(rule) || (rule.action !== 'Allow' && rule.action !== 'Pass')) return false;
  const empty = (x: unknown) => x === undefined || x === null || (isRecord(x) && Object.keys(x).length === 0);
  return rule.protocol === undefined && rule.notProtocol === undefined && rule.icmp === undefined && rule.http === undefined
    && empty(rule.source) && empty(rule.destination);
}
