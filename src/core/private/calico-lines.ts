// The Calico minor lines the library supports, as data: one entry per line, read through
// CalicoVersion. Adding a line (v3.33) is its reference data in reference-data/calico/<tag>/, the
// tables generated from it (npm run gen:calico: the install objects and the kinds and fields),
// and one entry here; nothing else in the code names a version. Facts from the upstream release at the tag named in `referenceTag`.

/** A tier Calico creates itself on this line. */
export interface BuiltinTierData {
  readonly name: string;
  readonly order: number;
  /** What happens to traffic of an endpoint a policy of the tier selects that no rule of the tier decides. */
  readonly defaultAction: 'Deny' | 'Pass';
  /**
   * What the tier is for: `admin` holds the Kubernetes admin policies (evaluated before every other
   * tier), `default` the policies that name no tier, `baseline` the Kubernetes baseline policies
   * (evaluated after every other tier).
   */
  readonly role: 'admin' | 'default' | 'baseline';
}

/**
 * A Kubernetes cluster-scoped network policy kind (policy.networking.k8s.io) that Calico runs on
 * this line as a GlobalNetworkPolicy in one of its built-in tiers
 * (libcalico-go/lib/backend/k8s/conversion).
 */
export interface ClusterPolicyKindData {
  /** `ClusterNetworkPolicy`. */
  readonly kind: string;
  /** `policy.networking.k8s.io/v1alpha2`. */
  readonly apiVersion: string;
  /** The Calico tier by the value of `spec.tier`; a kind without `spec.tier` lists its one tier under `''`. */
  readonly tiers: { readonly [specTier: string]: string };
  /** The prefix of the name the converted policy runs under (v3.31 `kanp.adminnetworkpolicy.`; v3.32 none). */
  readonly namePrefix: string;
  /** The order of every converted policy, or undefined when the order is `spec.priority`. */
  readonly fixedOrder?: number;
  /** The kind Felix keys the converted policy with (ties of equal order on `name-namespace-kind` lines). */
  readonly keyKind: string;
  /** The rule actions of the kind and the Calico action each becomes. */
  readonly actions: { readonly [action: string]: 'Allow' | 'Deny' | 'Pass' };
  /** Where a rule lists its ports: `protocols` (v1alpha2: tcp/udp/sctp, destinationNamedPort) or `ports` (v1alpha1: portNumber, portRange, namedPort). */
  readonly portField: 'protocols' | 'ports';
}

/** What the library knows of one supported Calico minor line. */
export interface CalicoLineData {
  /** `v3.32`. */
  readonly line: string;
  /** The minor number: 32. */
  readonly minor: number;
  /** The release whose reference data the library's tables come from: `v3.32.1`. */
  readonly referenceTag: string;
  /** Registry of the Calico images (`<registry>/calico/<component>:<tag>`). */
  readonly registry: string;
  /** The Tigera operator release that installs this Calico release (`quay.io/tigera/operator:<tag>`). */
  readonly operatorTag: string;
  /** The tiers Calico creates, lowest order first. */
  readonly builtinTiers: readonly BuiltinTierData[];
  /**
   * How a policy's v3 name is stored as a crd.projectcalico.org/v1 object: `tier-prefixed` (the
   * backend name `<tier>.<name>`, `default.` for the default tier; v3.31 and earlier) or `as-given`
   * (the v3 name itself; v3.32 and later, which reads an old `default.` name back without it).
   */
  readonly policyStorageNames: 'tier-prefixed' | 'as-given';
  /**
   * Whether a policy in a tier other than `default` must be named `<tier>.<name>` (v3.29 to v3.31)
   * or may have any name (v3.32 and later).
   */
  readonly tierPrefixRequired: boolean;
  /**
   * How Felix keys a policy, which breaks ties between policies of equal order
   * (felix/calc/policy_sorter.go, PolKVLess): `v1-name` (v3.31 and earlier) keys it by one name,
   * `<namespace>/<stored name>` for a namespaced policy, and runs a Kubernetes NetworkPolicy as
   * `knp.default.<name>`; `name-namespace-kind` (v3.32 and later) keys it by name, namespace and
   * kind (`KubernetesNetworkPolicy` for a Kubernetes one, which keeps its own name) and compares
   * `<name>/<namespace>/<kind>`.
   */
  readonly policyKeys: 'v1-name' | 'name-namespace-kind';
  /** The Kubernetes cluster network policy kinds Calico runs on this line. */
  readonly clusterPolicyKinds: readonly ClusterPolicyKindData[];
  /**
   * The Kubernetes network policy kinds (policy.networking.k8s.io) whose CRDs this line installs
   * and enforces, with their API version: `ClusterNetworkPolicy` (v1alpha2) from v3.32,
   * `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy` (v1alpha1) up to v3.31.
   */
  readonly kubernetesPolicyKinds: { readonly [kind: string]: string };
  /** The controllers calico-kube-controllers accepts in `ENABLED_CONTROLLERS` (kube-controllers/pkg/config). */
  readonly kubeControllers: readonly string[];
}

/** The supported lines, newest first. The first is the default. */
export const CALICO_LINES: readonly CalicoLineData[] = [
  {
    line: 'v3.32',
    minor: 32,
    referenceTag: 'v3.32.1',
    registry: 'quay.io',
    operatorTag: 'v1.42.3',
    builtinTiers: [
      { name: 'kube-admin', order: 1_000, defaultAction: 'Pass', role: 'admin' },
      { name: 'default', order: 1_000_000, defaultAction: 'Deny', role: 'default' },
      { name: 'kube-baseline', order: 10_000_000, defaultAction: 'Pass', role: 'baseline' },
    ],
    policyStorageNames: 'as-given',
    tierPrefixRequired: false,
    policyKeys: 'name-namespace-kind',
    clusterPolicyKinds: [{
      kind: 'ClusterNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      tiers: { Admin: 'kube-admin', Baseline: 'kube-baseline' },
      namePrefix: '',
      keyKind: 'KubernetesClusterNetworkPolicy',
      actions: { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' },
      portField: 'protocols',
    }],
    kubernetesPolicyKinds: { ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2' },
    kubeControllers: ['node', 'policy', 'namespace', 'serviceaccount', 'workloadendpoint', 'loadbalancer'],
  },
  {
    line: 'v3.31',
    minor: 31,
    referenceTag: 'v3.31.7',
    registry: 'quay.io',
    operatorTag: 'v1.40.15',
    builtinTiers: [
      { name: 'adminnetworkpolicy', order: 1_000, defaultAction: 'Pass', role: 'admin' },
      { name: 'default', order: 1_000_000, defaultAction: 'Deny', role: 'default' },
      { name: 'baselineadminnetworkpolicy', order: 10_000_000, defaultAction: 'Pass', role: 'baseline' },
    ],
    policyStorageNames: 'tier-prefixed',
    tierPrefixRequired: true,
    policyKeys: 'v1-name',
    clusterPolicyKinds: [
      {
        kind: 'AdminNetworkPolicy',
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        tiers: { '': 'adminnetworkpolicy' },
        namePrefix: 'kanp.adminnetworkpolicy.',
        keyKind: 'GlobalNetworkPolicy',
        actions: { Allow: 'Allow', Deny: 'Deny', Pass: 'Pass' },
        portField: 'ports',
      },
      {
        kind: 'BaselineAdminNetworkPolicy',
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        tiers: { '': 'baselineadminnetworkpolicy' },
        namePrefix: 'kbanp.baselineadminnetworkpolicy.',
        fixedOrder: 1000,
        keyKind: 'GlobalNetworkPolicy',
        actions: { Allow: 'Allow', Deny: 'Deny' },
        portField: 'ports',
      },
    ],
    kubernetesPolicyKinds: {
      AdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
      BaselineAdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
    },
    kubeControllers: ['node', 'policy', 'namespace', 'serviceaccount', 'workloadendpoint', 'loadbalancer'],
  },
];

/** The lines by name. */
export const LINES_BY_NAME: ReadonlyMap<string, CalicoLineData> = new Map(CALICO_LINES.map(l => [l.line, l]));
