// Checks and decisions of CalicoCluster's props that need no more than the props: the pod CIDRs,
// the expected node count, Typha's replicas, the workload settings of the install.

import { Construct } from 'constructs';
import { CalicoApiVersion } from '../../core/api-group';
import { CalicoValidationError } from '../../core/errors';
import { CalicoApiMode } from '../api-mode';
import type { CalicoClusterProps } from '../calico-cluster-props';
import { TyphaDeployment } from '../typha-deployment';
import type { CalicoWorkloadOptions } from '../workload-options';
import type { WorkloadSettings } from './settings';

/** Typha's replica count and what the cluster records about it. */
export interface TyphaChoice {
  /** The replicas rendered (manifest mode); the operator's own count is not known here. */
  readonly replicas: number;
  /** The decision's choice and reason; undefined with etcd (no Typha). */
  readonly decision?: { readonly choice: string; readonly reason: string };
  /** The advisories' messages (code `typha-replicas`). */
  readonly advisories: string[];
}

/**
 * Typha's replicas from the props: explicit, or the Tigera operator's rule for the expected nodes
 * (at least 3 in production, capped by a known node count since Typha binds a host port). With
 * the operator (`operator: true`) the operator sizes Typha itself: the decision says so and there
 * is nothing to advise.
 */
export function chooseTypha(props: CalicoClusterProps, operator: boolean): TyphaChoice {
  const production = props.production ?? true;
  const nodes = props.expectedNodes;
  const recommended = TyphaDeployment.recommendedReplicas(nodes ?? 0);
  if (operator) {
    return {
      replicas: recommended,
      advisories: [],
      decision: {
        choice: 'sized by the operator',
        reason: `the Tigera operator scales Typha with the node count itself (its rule gives ${recommended} for ${nodes ?? 'an unknown number of'} nodes); `
          + 'the Installation sets no replica count',
      },
    };
  }
  // Typha binds host port 5473 (one replica per node), so a known node count caps the production minimum.
  const productionMinimum = nodes ? Math.min(3, nodes) : 3;
  const replicas = props.typha?.replicas ?? (production ? Math.max(productionMinimum, recommended) : Math.max(1, recommended));
  if (props.etcd) return { replicas, advisories: [] };
  const advisories: string[] = [];
  if (production && replicas < 3) {
    advisories.push(nodes !== undefined && nodes < 3 && replicas === nodes
      ? `Typha runs ${replicas} replica(s), one per expected node (it binds host port 5473, so a node holds one); production clusters run at least 3 `
        + 'so one can fail during an upgrade, which needs at least 3 nodes: plan for 3 nodes, or set production: false'
      : `Typha runs ${replicas} replica(s); production clusters should run at least 3 so one can fail during an upgrade; raise typha.replicas or set production: false`);
  }
  if (nodes !== undefined && replicas < recommended) {
    advisories.push(`Typha runs ${replicas} replica(s), fewer than the ${recommended} the Tigera operator runs for ${nodes} nodes`);
  }
  return {
    replicas,
    advisories,
    decision: {
      choice: String(replicas),
      reason: props.typha?.replicas !== undefined
        ? 'set explicitly (typha.replicas)'
        : `Tigera operator rule for ${nodes ?? 'an unknown number of'} nodes gives ${recommended}${replicas > recommended ? `; raised to ${replicas}, the production minimum${replicas < 3 ? ' for one replica per node' : ''}` : ''}`,
    },
  };
}

/** An empty pod CIDR is a mistake, not a way to leave the pool out (an empty ipv6PodCidr made half a dual-stack install). */
export function checkPodCidrsGiven(scope: Construct, props: CalicoClusterProps): void {
  if (props.podCidr === '') {
    throw new CalicoValidationError('CalicoCluster: podCidr is empty; give the IPv4 pod CIDR, e.g. \'10.244.0.0/16\', '
      + 'or leave podCidr out for upstream\'s \'192.168.0.0/16\'', scope);
  }
  if (props.ipv6PodCidr === '') {
    throw new CalicoValidationError('CalicoCluster: ipv6PodCidr is empty; give the IPv6 pod CIDR, e.g. \'fd00:10:244::/48\', '
      + 'or leave ipv6PodCidr out for an IPv4-only cluster', scope);
  }
}

/** The expected node count, when given, is a whole number of at least one (a cluster has a node). */
export function checkExpectedNodes(scope: Construct, expectedNodes: number | undefined): void {
  if (expectedNodes === 0) {
    throw new CalicoValidationError('CalicoCluster: expectedNodes 0 says the cluster has no nodes, but a cluster has at least '
      + 'one; give the number of nodes it will reach, or leave expectedNodes out when it is not known', scope);
  }
  if (expectedNodes !== undefined && (!Number.isInteger(expectedNodes) || expectedNodes < 1)) {
    throw new CalicoValidationError(`CalicoCluster: expectedNodes ${expectedNodes} must be a whole number >= 1 (the nodes the cluster will reach)`, scope);
  }
}

/** A public workload option struct as the install settings take it. */
export function workloadSettings(o: CalicoWorkloadOptions | undefined): WorkloadSettings {
  return { resources: o?.resources, env: o?.env, nodeSelector: o?.nodeSelector, tolerations: o?.tolerations };
}

/**
 * The chart's API group (CalicoApi.use may come after the cluster) must be the one the API mode
 * applies: crd.projectcalico.org/v1 only in STORAGE_CRDS mode, never with etcd.
 */
export function apiGroupProblems(group: CalicoApiVersion, mode: CalicoApiMode, etcd: boolean): string[] {
  if (group !== CalicoApiVersion.CRD_V1 || mode === CalicoApiMode.STORAGE_CRDS) return [];
  if (etcd) {
    return ['CalicoCluster: the etcd datastore reads no CRDs, so crd.projectcalico.org/v1 output would be stored where Calico never looks; write this chart as projectcalico.org/v3 and apply it with calicoctl configured for etcd'];
  }
  return [`CalicoCluster: the chart writes crd.projectcalico.org/v1 (CalicoApi.use after the cluster was created), but apiMode ${mode} `
    + 'applies projectcalico.org/v3; set apiMode: CalicoApiMode.STORAGE_CRDS (the cluster then writes crd.projectcalico.org/v1 itself), or drop CalicoApi.use'];
}
