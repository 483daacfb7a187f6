// The node settings of a cluster's topology constructs: the labels and annotations each construct
// needs on existing nodes, merged per node into one Kubernetes `v1 Node` object (metadata only)
// in the cluster's nodes stage, and the equivalent kubectl commands. Not exported from the package.
//
// Each CalicoCluster gets one NodeSettingsState. Objects are created on the first setting of a
// node, under one holder construct in the nodes stage chart; at synthesis they are ordered by node
// name, and a key that two settings give different values on one node fails the synthesis.
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { CalicoCluster } from '../../install/calico-cluster';
import { CalicoStage } from '../../install/stages';
import { addCalicoValidation, CalicoValidationError } from '../../core/errors';
import { onSynthesis } from '../../core/synthesis-hook';
import { quote, quoteJson } from '../../core/quote';
import { isResourceName, MAX_NAME_LENGTH } from '../../validation/common';
import { NodeSettingsDelivery } from '../node-settings';

/** The annotation Calico reads a node's route reflector cluster ID from (Kubernetes datastore). */
export const ROUTE_REFLECTOR_CLUSTER_ID_ANNOTATION = 'projectcalico.org/RouteReflectorClusterID';

/** What a construct wants on one node. */
export interface NodeSetting {
  /** The Kubernetes node name. */
  readonly nodeName: string;
  /** Labels, key to value. */
  readonly labels?: { readonly [key: string]: string };
  /** Annotations, key to value. */
  readonly annotations?: { readonly [key: string]: string };
}

/** One key set on one node, and by whom. */
interface SetKey {
  readonly field: 'label' | 'annotation';
  readonly key: string;
  readonly value: string;
  readonly source: IConstruct;
}

/** The node settings of one cluster. */
class NodeSettingsState {
  private holder?: Construct;
  private readonly objects = new Map<string, ApiObject>();
  private readonly keys = new Map<string, SetKey[]>();

  constructor(private readonly cluster: CalicoCluster) {}

  /**
   * Records `setting` for `source` and returns the node's object (shared with other constructs
   * that set keys on the same node). Conflicting values are reported at synthesis.
   */
  public apply(source: IConstruct, setting: NodeSetting): ApiObject {
    const name = setting.nodeName;
    let object = this.objects.get(name);
    if (!object) {
      object = new ApiObject(this.holderOf(), `Node-${name}`, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
      // Labels are what the peerings that replace the mesh select: they come before it goes off.
      if (this.cluster.bgpConfiguration) this.cluster.applyAfter(this.cluster.bgpConfiguration.apiObject, object);
      this.objects.set(name, object);
      this.keys.set(name, []);
    }
    const keys = this.keys.get(name)!;
    const add = (field: 'label' | 'annotation', map: { readonly [key: string]: string } | undefined) => {
      for (const [key, value] of Object.entries(map ?? {})) {
        const first = keys.find(k => k.field === field && k.key === key);
        if (first && first.value === value) continue;
        keys.push({ field, key, value, source });
        if (first) continue; // reported at synthesis
        if (field === 'label') object!.metadata.addLabel(key, value);
        else object!.metadata.addAnnotation(key, value);
      }
    };
    add('label', setting.labels);
    add('annotation', setting.annotations);
    return object;
  }

  /** The holder of the node objects, in the nodes stage chart (created on first use). */
  private holderOf(): Construct {
    if (this.holder) return this.holder;
    const chart = this.cluster.stageChart(CalicoStage.NODES);
    const holder = new Construct(chart, `${this.cluster.node.path.replace(/\//g, '-')}-NodeSettings`);
    addCalicoValidation(holder, () => this.conflicts());
    // Ordered by node name whatever order the constructs set them in: each node after the one
    // before it (always the later name after the earlier, so repeated runs add no cycle).
    onSynthesis(holder, () => {
      const sorted = [...this.objects.keys()].sort();
      for (let i = 1; i < sorted.length; i++) this.objects.get(sorted[i])!.addDependency(this.objects.get(sorted[i - 1])!);
    });
    this.holder = holder;
    return holder;
  }

  /** One message per node and key that two settings give different values. */
  private conflicts(): string[] {
    const out: string[] = [];
    for (const name of [...this.keys.keys()].sort()) {
      const keys = this.keys.get(name)!;
      const seen = new Set<string>();
      for (const k of keys) {
        const id = `${k.field} ${k.key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const values = keys.filter(o => o.field === k.field && o.key === k.key);
        if (values.length < 2) continue;
        const given = values.map(v => `${quoteJson(v.value)} (${v.source.node.path})`).join(' and ');
        out.push(`Node ${quote(name)}: ${k.field} ${quote(k.key)} is set to ${given}; a node has one value per key, `
          + `so give the node one ${k.field === 'label' ? 'role (rack, pool)' : 'setting'} or use another ${k.field} key`);
      }
    }
    return out;
  }
}

const STATES = new WeakMap<CalicoCluster, NodeSettingsState>();

/**
 * Sets labels and annotations on a node of `cluster` as a Kubernetes `v1 Node` object in the
 * nodes stage, merged with what other constructs set on it.
 * @returns the node's object
 */
export function setNodeKeys(cluster: CalicoCluster, source: IConstruct, setting: NodeSetting): ApiObject {
  let state = STATES.get(cluster);
  if (!state) {
    state = new NodeSettingsState(cluster);
    STATES.set(cluster, state);
  }
  return state.apply(source, setting);
}

/** Throws unless `name` can be a Kubernetes node name (a DNS-1123 subdomain). */
export function checkNodeName(name: string, what: string, scope: Construct): void {
  if (name.length > MAX_NAME_LENGTH || !isResourceName(name)) {
    throw new CalicoValidationError(`${what}: node name ${quoteJson(name)} is not a Kubernetes node name; use lower-case letters, `
      + "digits, '-' and '.', starting and ending with a letter or digit (e.g. 'node-1.example.com')", scope);
  }
}

/**
 * The delivery a construct uses: the given one, else Kubernetes Nodes in the Kubernetes
 * datastore and `etcdDefault` in the etcd datastore.
 */
export function deliveryOf(cluster: CalicoCluster, given: NodeSettingsDelivery | undefined, etcdDefault: NodeSettingsDelivery): NodeSettingsDelivery {
  if (given !== undefined) return given;
  return cluster.etcd ? etcdDefault : NodeSettingsDelivery.KUBERNETES_NODES;
}

/** The kubectl command that sets `labels` (and `annotations`) on a node. */
export function kubectlCommand(nodeName: string, labels: { readonly [key: string]: string }, annotations: { readonly [key: string]: string } = {}): string {
  const pairs = (map: { readonly [key: string]: string }) => Object.keys(map).sort().map(k => `${k}=${map[k]}`).join(' ');
  const parts = [];
  if (Object.keys(labels).length) parts.push(`kubectl label node ${nodeName} ${pairs(labels)}`);
  if (Object.keys(annotations).length) parts.push(`kubectl annotate node ${nodeName} ${pairs(annotations)}`);
  return parts.join(' && ');
}

