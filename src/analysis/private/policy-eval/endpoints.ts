// Endpoints as Felix sees them: workload labels with the labels Calico adds and the labels
// inherited from the namespace and service account profiles, and network sets with theirs.
//
// A Kubernetes pod becomes a workload endpoint with (libcalico-go/lib/backend/k8s/conversion,
// the same on v3.31 and v3.32):
// - its own labels, plus projectcalico.org/namespace, projectcalico.org/orchestrator=k8s and
//   projectcalico.org/serviceaccount;
// - the namespace profile's labels: every namespace label as pcns.<key>, and
//   pcns.projectcalico.org/name (the namespace's name);
// - the service account profile's labels: pcsa.<key>, and pcsa.projectcalico.org/name.
// Its own labels win over inherited ones. Its named ports are the named ports of its containers,
// then of its init containers (v3.31 added the init containers, for sidecars; v3.28 read only
// `containers`). The API server labels every namespace with
// kubernetes.io/metadata.name, and gives a pod without serviceAccountName the `default` one.
// A namespaced NetworkSet carries its labels, projectcalico.org/namespace and the namespace
// profile's labels; a GlobalNetworkSet only its own labels.
import { quote } from '../../../core/quote';
import { ParsedIp, parseCidrOrIp, parseIp } from '../../../net/address';
import { isObject, namespaceOf, readNets, readProtocol, Where } from './calico';
import {
  LABEL_K8S_NAMESPACE_NAME, LABEL_NAME, LABEL_NAMESPACE, LABEL_ORCHESTRATOR, LABEL_SERVICE_ACCOUNT, Labels, NAMESPACE_PREFIX,
  SERVICE_ACCOUNT_PREFIX,
} from './selectors';
import { EndpointPort, NetworkSetRecord, WorkloadRecord } from './types';

/** Kinds whose pod template makes workloads, and where the template is. */
const TEMPLATE_PATHS: { [kind: string]: string[] } = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Namespaces, service accounts, network sets and workloads declared by the manifests. */
export class EndpointDirectory {
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly serviceAccountLabels = new Map<string, Labels>();
  private readonly globalSets: Array<{ description: string; labels: Labels; nets: NetworkSetRecord['nets'] }> = [];
  private readonly namespacedSets: Array<{ description: string; namespace: string; labels: Labels; nets: NetworkSetRecord['nets'] }> = [];
  private readonly workloadList: WorkloadRecord[] = [];

  /** Takes every manifest this directory understands; returns whether it took this one. */
  public add(manifest: any): boolean {
    const kind = manifest.kind;
    const meta = isObject(manifest.metadata) ? manifest.metadata : {};
    const name = String(meta.name ?? '');
    // Read only for the namespaced kinds below: other kinds' namespaces are none of the model's business.
    const namespace = (): string => namespaceOf(manifest, `${kind} '${name}'`);
    const labels = stringLabels(meta.labels);
    if (kind === 'Namespace' && manifest.apiVersion === 'v1') {
      this.namespaceLabels.set(name, labels);
      return true;
    }
    if (kind === 'ServiceAccount' && manifest.apiVersion === 'v1') {
      this.serviceAccountLabels.set(`${namespace()}/${name}`, labels);
      return true;
    }
    if ((kind === 'GlobalNetworkSet' || kind === 'NetworkSet') && isCalico(manifest.apiVersion)) {
      const setNamespace = kind === 'NetworkSet' ? namespace() : undefined;
      const where = new Where(`${kind} ${quote(`${setNamespace ? `${setNamespace}/` : ''}${name}`)}`);
      const nets = readNets(manifest.spec?.nets, where.at('spec').at('nets')) ?? [];
      if (!setNamespace) this.globalSets.push({ description: `GlobalNetworkSet ${name}`, labels, nets });
      else this.namespacedSets.push({ description: `NetworkSet ${setNamespace}/${name}`, namespace: setNamespace, labels, nets });
      return true;
    }
    if (kind === 'Pod' && manifest.apiVersion === 'v1') {
      this.workloadList.push(workloadOf('Pod', name, namespace(), manifest.spec, labels, podIp(manifest)));
      return true;
    }
    const path = TEMPLATE_PATHS[kind];
    if (path && typeof manifest.apiVersion === 'string' && /^(apps|batch|v1)/.test(manifest.apiVersion)) {
      const template = path.reduce((o: any, k) => (isObject(o) ? o[k] : undefined), manifest);
      const podLabels = stringLabels(template?.metadata?.labels);
      this.workloadList.push(workloadOf(kind, name, namespace(), template?.spec, podLabels, undefined));
      return true;
    }
    return false;
  }

  /** The workloads found, in manifest order. */
  public get workloads(): readonly WorkloadRecord[] {
    return this.workloadList;
  }

  /** The namespace's labels as the API server has them (with kubernetes.io/metadata.name). */
  public labelsOfNamespace(namespace: string): Labels {
    return { ...(this.namespaceLabels.get(namespace) ?? {}), [LABEL_K8S_NAMESPACE_NAME]: namespace };
  }

  /** Whether a Namespace manifest declared this namespace. */
  public declaresNamespace(namespace: string): boolean {
    return this.namespaceLabels.has(namespace);
  }

  /**
   * The labels Felix sees on a workload endpoint in `namespace` with these pod labels and service
   * account: inherited profile labels first, the endpoint's own labels over them.
   */
  public endpointLabels(namespace: string, podLabels: Labels, serviceAccount: string): Labels {
    const out: { [key: string]: string } = {};
    for (const [k, v] of Object.entries(this.labelsOfNamespace(namespace))) out[NAMESPACE_PREFIX + k] = v;
    out[NAMESPACE_PREFIX + LABEL_NAME] = namespace;
    if (serviceAccount) {
      for (const [k, v] of Object.entries(this.serviceAccountLabels.get(`${namespace}/${serviceAccount}`) ?? {})) {
        out[SERVICE_ACCOUNT_PREFIX + k] = v;
      }
      out[SERVICE_ACCOUNT_PREFIX + LABEL_NAME] = serviceAccount;
    }
    Object.assign(out, podLabels);
    out[LABEL_NAMESPACE] = namespace;
    out[LABEL_ORCHESTRATOR] = 'k8s';
    if (serviceAccount) out[LABEL_SERVICE_ACCOUNT] = serviceAccount;
    return out;
  }

  /** Every network set with the labels Felix sees on it. */
  public networkSets(): NetworkSetRecord[] {
    const out: NetworkSetRecord[] = this.globalSets.map(s => ({ description: s.description, labels: s.labels, nets: s.nets }));
    for (const s of this.namespacedSets) {
      const labels: { [key: string]: string } = {};
      for (const [k, v] of Object.entries(this.labelsOfNamespace(s.namespace))) labels[NAMESPACE_PREFIX + k] = v;
      labels[NAMESPACE_PREFIX + LABEL_NAME] = s.namespace;
      Object.assign(labels, s.labels);
      labels[LABEL_NAMESPACE] = s.namespace;
      out.push({ description: s.description, labels, nets: s.nets });
    }
    return out;
  }
}

function isCalico(apiVersion: unknown): boolean {
  return apiVersion === 'projectcalico.org/v3' || apiVersion === 'crd.projectcalico.org/v1';
}

/** Labels as a string map (values that are not strings are printed, as YAML would give them). */
export function stringLabels(value: unknown): Labels {
  if (!isObject(value)) return {};
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

function workloadOf(kind: string, name: string, namespace: string, podSpec: any, labels: Labels, ip: ParsedIp | undefined): WorkloadRecord {
  const spec = isObject(podSpec) ? podSpec : {};
  const where = new Where(`${kind} ${quote(`${namespace}/${name}`)}`);
  return {
    kind,
    name,
    namespace,
    labels,
    serviceAccount: String(spec.serviceAccountName ?? spec.serviceAccount ?? 'default'),
    ports: containerPorts(spec, where),
    ip,
    hostNetwork: spec.hostNetwork === true,
  };
}

/** The named ports of the pod's containers, then of its init containers (as Calico v3.31 and v3.32 read them). */
function containerPorts(spec: any, where: Where): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const field of ['containers', 'initContainers']) {
    const containers = Array.isArray(spec[field]) ? spec[field] : [];
    containers.forEach((c: any, i: number) => {
      const ports = isObject(c) && Array.isArray(c.ports) ? c.ports : [];
      ports.forEach((p: any, j: number) => {
        if (!isObject(p) || typeof p.name !== 'string' || !p.name || !p.containerPort) return;
        const at = where.at(field).at(i).at('ports').at(j);
        const protocol = readProtocol(p.protocol ?? 'TCP', at.at('protocol'))!;
        out.push({ name: p.name, protocol, port: Number(p.containerPort) });
      });
    });
  }
  return out;
}

/** A pod's address: status.podIPs, status.podIP, or Calico's podIP annotation. */
function podIp(pod: any): ParsedIp | undefined {
  const status = isObject(pod.status) ? pod.status : {};
  const candidates: unknown[] = [];
  if (Array.isArray(status.podIPs)) candidates.push(...status.podIPs.map((p: any) => p?.ip));
  candidates.push(status.podIP, pod.metadata?.annotations?.['cni.projectcalico.org/podIP']);
  for (const c of candidates) {
    if (typeof c !== 'string' || !c) continue;
    const ip = parseIp(c) ?? parseCidrOrIp(c)?.address;
    if (ip) return ip;
  }
  return undefined;
}
