// One analysis of a set of objects: the model, the BGP topology and its propagation check, pool
// capacities and the audits. The report renders it; the linter prints its findings.
import { CalicoVersion } from '../core/calico-version';
import { CalicoRelease, resolveRelease } from './calico-release';
import { audit, Finding } from './lint-rules';
import { encapsulationsInUse, PoolCapacity, poolCapacities } from './private/report/capacity';
import { ClusterModel, readCluster, SourcedObject } from './cluster-model';
import { checkPropagation, PropagationResult } from './private/report/propagation';
import { buildTopology, countSessions, DeclaredGroup, SessionCounts, Topology } from './private/report/topology';

/** What to analyse. */
export interface AnalysisInput {
  readonly objects: readonly SourcedObject[];
  /** Node count (expectedNodes, or lint --nodes). */
  readonly expectedNodes?: number;
  readonly nodeSubnets?: readonly string[];
  /** Service cluster IP ranges (the cluster's, or lint --service-cidrs). */
  readonly serviceCidrs?: readonly string[];
  readonly declaredGroups?: readonly DeclaredGroup[];
  /** Network MTU (the cluster's, or lint --network-mtu). */
  readonly networkMtu?: number;
  /** calico_backend when the caller knows it (a CalicoCluster); read from calico-config otherwise. */
  readonly backend?: string;
  /** The Calico release the objects are for (the cluster's, or lint --calico-version); read from the images otherwise. */
  readonly calicoVersion?: CalicoVersion;
  /** Node BGP addresses the caller knows beyond the objects (a RouteReflectorPool's reflectors), by node name. */
  readonly nodeAddresses?: ReadonlyMap<string, string>;
}

/** The analysis. */
export interface Analysis {
  readonly input: AnalysisInput;
  readonly model: ClusterModel;
  /** The Calico release the objects are checked for, and where it comes from. */
  readonly release: CalicoRelease;
  readonly backend?: string;
  readonly topology: Topology;
  readonly sessions: SessionCounts;
  readonly propagation: PropagationResult;
  readonly capacities: readonly PoolCapacity[];
  /** Keys of MTU_ROWS in use. */
  readonly encapsulations: ReadonlySet<string>;
  readonly findings: readonly Finding[];
}

/** Analyses a set of objects. Never throws on malformed objects. */
export function analyze(input: AnalysisInput): Analysis {
  const model = readCluster(input.objects, input.nodeAddresses);
  const release = resolveRelease(model, input.calicoVersion);
  const backend = input.backend ?? model.install.backend;
  const topology = buildTopology(model, {
    expectedNodes: input.expectedNodes,
    nodeSubnets: input.nodeSubnets ?? [],
    declaredGroups: input.declaredGroups,
  });
  const propagation = checkPropagation(model, topology, backend);
  const findings = audit(model, topology, propagation, {
    nodes: input.expectedNodes,
    networkMtu: input.networkMtu,
    nodeSubnets: input.nodeSubnets,
    serviceCidrs: input.serviceCidrs,
    release,
  });
  return {
    input,
    model,
    release,
    backend,
    topology,
    sessions: countSessions(topology),
    propagation,
    capacities: poolCapacities(model, topology),
    encapsulations: encapsulationsInUse(model),
    findings,
  };
}
