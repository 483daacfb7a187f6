import { CalicoVersion } from '../core/calico-version';
import { AsNumber, BgpLogSeverity } from '../resources/bgp-configuration';
import { CalicoApiMode, ServingCertificates } from './api-mode';
import { CrdSource } from './crd-source';
import { EtcdDatastoreProps } from './etcd-datastore';
import { InstallMode, OperatorOptions } from './install-mode';
import { NetworkFacts } from './network-facts';
import { Encapsulation } from './routing';
import { CalicoTyphaOptions, CalicoWorkloadOptions, KubeControllersOptions } from './workload-options';

/**
 * Props of a CalicoCluster.
 */
export interface CalicoClusterProps {
  /**
   * Facts about the node network.
   * @default - every NetworkFacts default
   */
  readonly network?: NetworkFacts;
  /**
   * How many nodes the cluster is expected to reach (a whole number, at least 1). Drives Typha's
   * replica count and the full-mesh advisory.
   * @default - unknown: Typha gets the production minimum of 3
   */
  readonly expectedNodes?: number;
  /**
   * Force an encapsulation instead of deriving it from the network facts. It is still checked
   * against the facts (for example NONE with BGP blocked is an error).
   * @default - chosen from `network`
   */
  readonly encapsulation?: Encapsulation;
  /**
   * Leave the workload MTU to Calico's auto-detection (`veth_mtu: "0"`).
   * @default false - the MTU is computed from `network.mtu`, so it is visible and reviewable
   */
  readonly autoDetectMtu?: boolean;
  /**
   * Encrypt pod traffic with WireGuard (its overhead then sizes the MTU).
   * @default false
   */
  readonly wireguard?: boolean;
  /**
   * IPv4 pod CIDR of the default pool `default-ipv4-ippool`.
   * @default '192.168.0.0/16' (upstream's CALICO_IPV4POOL_CIDR default)
   */
  readonly podCidr?: string;
  /**
   * IPv6 pod CIDR: adds `default-ipv6-ippool` and makes the install dual stack. (An empty one is
   * refused: leave the prop out for IPv4 only.)
   * @default - IPv4 only
   */
  readonly ipv6PodCidr?: string;
  /**
   * Block size of the default IPv4 pool.
   * @default 26
   */
  readonly blockSize?: number;
  /**
   * Whether pods' traffic leaving the pool is masqueraded to the node address.
   * @default true (Calico's default pool does the same)
   */
  readonly natOutgoing?: boolean;
  /**
   * Who runs Calico's components: the output itself (upstream's manifests) or the Tigera operator
   * (upstream's tigera-operator.yaml of the line, and an Installation that carries the library's
   * decisions). See the README, "Manifests or the Tigera operator".
   * @default InstallMode.MANIFESTS - every object of the install is in the output, where it can be
   *          reviewed and diffed; the reference architecture's own form
   */
  readonly installMode?: InstallMode;
  /**
   * What the Tigera operator runs beside Calico's components (Goldmane, Whisker); only with
   * `installMode: InstallMode.OPERATOR`.
   * @default - neither Goldmane nor Whisker
   */
  readonly operatorOptions?: OperatorOptions;
  /**
   * Namespace of the install (manifest mode; the operator runs Calico in `calico-system`).
   * @default 'kube-system'
   */
  readonly namespaceName?: string;
  /**
   * The Calico release to install: a supported line's objects, kinds and fields, and the
   * release's image tags. The cluster sets it on its chart (`CalicoVersion.use`), so the Calico
   * resources there are validated for it and written in its form.
   * @default CalicoVersion.V3_32_1 (CalicoVersion.DEFAULT)
   */
  readonly calicoVersion?: CalicoVersion;
  /**
   * Image registry, for a mirror (images are `<registry>/calico/<component>:<tag>`, the tag being
   * `calicoVersion`'s).
   * @default - the release's registry, 'quay.io' (where upstream publishes its images since v3.31)
   */
  readonly registry?: string;
  /**
   * Names of image pull Secrets for every Calico pod.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Typha options.
   * @default - replicas from expectedNodes (at least 3), no TLS
   */
  readonly typha?: CalicoTyphaOptions;
  /**
   * calico-node pod settings (resources, extra env, node selector, tolerations).
   * @default - upstream's
   */
  readonly calicoNode?: CalicoWorkloadOptions;
  /**
   * calico-kube-controllers pod settings and the controllers it runs.
   * @default - upstream's: one replica running the node controller
   */
  readonly kubeControllers?: KubeControllersOptions;
  /**
   * Whether this is a production cluster: Typha then runs at least 3 replicas (one per node on a
   * cluster of 1 or 2 expected nodes, with an advisory: Typha binds a host port, so a node runs one).
   * @default true
   */
  readonly production?: boolean;
  /**
   * Turn advisories (broken recommendations) into synthesis errors.
   * @default false - advisories are printed and recorded
   */
  readonly strict?: boolean;
  /**
   * Write the output in stages, each a chart (a file after `cdk8s synth`) of its own, numbered in
   * apply order: the CRDs, the install, the Calico resources (this cluster's chart), node labels
   * and annotations, and the BGPConfiguration last (see `CalicoStage`). Each stage can be applied
   * at once (`kubectl apply -f`, one Argo CD wave, one Flux Kustomization) after the ones before it.
   * @default true
   */
  readonly stagedOutput?: boolean;
  /**
   * Give every object of the cluster's stages Argo CD's `argocd.argoproj.io/sync-wave` of its stage
   * (0 for the CRDs up to 4 for the BGPConfiguration), and the sync options an object needs:
   * `SkipDryRunOnMissingResource=true` on custom resources whose CRD comes in the same sync,
   * `ServerSideApply=true,Prune=false,Delete=false` on the node settings. Needs `stagedOutput`.
   * @default false - the annotations are left out (kubectl and Flux do not read them)
   */
  readonly argoCdSyncWaves?: boolean;
  /**
   * How the cluster serves the `projectcalico.org/v3` API, and so how the Calico resources are
   * applied: by the Calico API server (installed with the cluster), by native v3 CRDs (Calico
   * v3.32+, Kubernetes 1.34+), as `crd.projectcalico.org/v1` storage objects, or with calicoctl.
   * @default CalicoApiMode.API_SERVER - kubectl and GitOps tools apply every stage, on every
   * supported Kubernetes version; `CalicoApiMode.STORAGE_CRDS` when the chart writes
   * `crd.projectcalico.org/v1` (CalicoApi.use), `CalicoApiMode.CALICOCTL` with the etcd datastore
   */
  readonly apiMode?: CalicoApiMode;
  /**
   * The serving certificate of the Calico API server (`API_SERVER`) or of the calico-webhooks
   * webhook (`NATIVE_V3_CRDS`); only for those modes.
   * @default ServingCertificates.certManager() - cert-manager (installed in the cluster first)
   * issues it from a private CA it makes for Calico, and injects the CA
   */
  readonly apiCertificates?: ServingCertificates;
  /**
   * The Kubernetes version of the cluster (`1.34`, `v1.34.2`), checked against what the API mode
   * needs: native v3 CRDs need 1.34 or later, every mode's CRDs 1.25 or later.
   * @default - not checked
   */
  readonly kubernetesVersion?: string;
  /**
   * Where the Calico CRDs come from.
   * @default CrdSource.bundled() - the release's CRDs, shipped with the library, are the first
   * stage of the output (offline); `CrdSource.separate()` leaves them to a manual step
   */
  readonly crds?: CrdSource;
  /**
   * Use an etcd cluster as Calico's datastore (upstream's calico-etcd.yaml) instead of the
   * Kubernetes API. An explicit opt-in: no Typha is rendered (Typha serves the Kubernetes datastore
   * only), so `typha` must be left unset; Calico resources are then applied with calicoctl
   * configured for etcd, and no CRDs are involved.
   * @default - the Kubernetes datastore with Typha, as the reference architecture recommends
   */
  readonly etcd?: EtcdDatastoreProps;

  // ---- BGP (route distribution): see docs/bgp-topologies.md ----

  /**
   * The cluster's BGP AS number, written to the BGPConfiguration `default` (bird backend only).
   * Route reflectors, top-of-rack peerings and routable pools peer from this AS.
   * @default AsNumber.of(64512) - Calico's own default, written out so the output shows it
   */
  readonly asNumber?: AsNumber;
  /**
   * Log severity of the BGP daemon (BIRD), written to the BGPConfiguration `default`.
   * @default BgpLogSeverity.INFO (Calico's default)
   */
  readonly bgpLogSeverity?: BgpLogSeverity;
  /**
   * The Kubernetes service cluster IP ranges (kube-apiserver `--service-cluster-ip-range`), at
   * most one per IP family. Calico does not read them; the library checks that IP pools do not
   * overlap them and that advertised service ranges lie inside them.
   * @default ['10.96.0.0/12'] - kubeadm's default `serviceSubnet`, the most common setting; state
   *          yours (and the IPv6 range of a dual-stack cluster) so the checks match the cluster
   */
  readonly serviceCidrs?: string[];
}
