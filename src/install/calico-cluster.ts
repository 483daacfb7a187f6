import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AsNumber, BgpConfiguration, BgpLogSeverity } from '../resources/bgp-configuration';
import { CalicoApi, CalicoApiVersion } from '../core/api-group';
import { CalicoVersion } from '../core/calico-version';
import { checkArguments } from '../core/argument-check';
import { addCalicoValidation, CalicoValidationError } from '../core/errors';
import { applyAfter } from '../core/apply-order';
import { quote } from '../core/quote';
import { EtcdDatastoreProps } from './etcd-datastore';
import { FelixConfiguration } from '../resources/felix-configuration';
import { IpipMode, IpPool, VxlanMode } from '../resources/ip-pool';
import { DecisionRecord, checkedRouting, checkServiceCidrs, chooseRouting, resolveFacts, vethMtu } from './private/decide';
import { InstallSettings, renderInstall, resolveInstallSettings } from './private/install-objects';
import { CalicoBackend, Encapsulation, MtuOverhead } from './routing';
import { Selector } from '../language/selector';
import { chartCheckOf } from '../resources/chart-check';
import { checkManifestSet, DeclaredRange, DeclaredRangeKind } from '../validation/manifest-set';
import { StageCharts } from './private/stage-charts';
import { renderCrdStage } from './private/crd-stage';
import { chooseApiMode } from './private/api-mode-choice';
import { API_SERVER_NAMESPACE, CERT_MANAGER_NAMESPACE, CERT_MANAGER_RELEASE, renderApiServing } from './private/api-serving';
import { applySteps, calicoctlStageProblems } from './private/apply-steps';
import { CalicoApiMode } from './api-mode';
import { CalicoStage, StageChartInfo } from './stages';
import { TyphaDeployment } from './typha-deployment';
import { Advisory, ApplyStep, Decision, ManualStep } from './cluster-records';
import { CrdSource } from './crd-source';
import { CalicoClusterProps } from './calico-cluster-props';
import { registerCluster } from '../core/cluster-registry';
import { InstallMode } from './install-mode';
import { apiGroupProblems, checkExpectedNodes, checkPodCidrsGiven, chooseTypha, workloadSettings } from './private/cluster-checks';
import { installModeProblems, OPERATOR_CALICO_NAMESPACE, OPERATOR_NAMESPACE, operatorStatuses, renderOperatorInstall } from './private/operator-install';

/**
 * A complete Kubernetes-datastore Calico install with Typha, configured from facts about the network.
 *
 * Renders upstream's manifest-mode object set of its Calico release (`calicoVersion`: RBAC,
 * calico-config, calico-node, calico-kube-controllers, Typha), the FelixConfiguration `default`
 * and the default IP pool(s), choosing the routing mode and MTU from `network` and recording every
 * decision with its reason.
 */
export class CalicoCluster extends Construct {
  /** The charts of the staged output, or undefined with `stagedOutput: false`. */
  private readonly stages?: StageCharts;
  /** The Calico release installed (its line's objects, kinds and fields, its image tags). */
  public readonly calicoVersion: CalicoVersion;
  /** The routing mode in use. */
  public readonly encapsulation: Encapsulation;
  /** calico-node's networking backend. */
  public readonly backend: CalicoBackend;
  /** The workload (veth) MTU; 0 when auto-detected. */
  public readonly vethMtu: number;
  /** The network MTU the workload MTU is derived from. */
  public readonly networkMtu: number;
  /** Node subnets as stated. */
  public readonly nodeSubnets: string[];
  /** Expected node count, when stated. */
  public readonly expectedNodes?: number;
  /**
   * Who runs Calico's components: the output (`MANIFESTS`) or the Tigera operator (`OPERATOR`,
   * which then owns calico-node, Typha, calico-kube-controllers and the default pools).
   */
  public readonly installMode: InstallMode;
  /** The Typha deployment (escape hatch to its objects); undefined with the etcd datastore or the operator. */
  public readonly typha?: TyphaDeployment;
  /** The etcd datastore settings, when the cluster uses etcd instead of the Kubernetes API. */
  public readonly etcd?: EtcdDatastoreProps;
  /** How the projectcalico.org/v3 API is served, and so how the Calico resources are applied. */
  public readonly apiMode: CalicoApiMode;
  /** FelixConfiguration `default`. */
  public readonly felixConfiguration: FelixConfiguration;
  /**
   * IPPool `default-ipv4-ippool`. With the operator it is the model of the Installation's first
   * pool (`calicoNetwork.ipPools`), never rendered as an IPPool object of its own.
   */
  public readonly defaultIpv4Pool: IpPool;
  /** IPPool `default-ipv6-ippool`, for dual stack (with the operator, a pool of the Installation). */
  public readonly defaultIpv6Pool?: IpPool;
  /** Namespace of the install. */
  public readonly namespaceName: string;
  /** Whether advisories are errors. */
  public readonly strict: boolean;
  // ---- BGP (route distribution) ----
  /** The cluster's BGP AS number. */
  public readonly asNumber: AsNumber;
  /** The declared service cluster IP ranges (see `CalicoClusterProps.serviceCidrs`). */
  public readonly serviceCidrs: string[];
  /**
   * The BGPConfiguration `default` (AS number, log severity, node-to-node mesh), present when
   * calico-node runs BGP (the bird backend); undefined with VXLAN or policy-only networking.
   */
  public readonly bgpConfiguration?: BgpConfiguration;
  // ---- end BGP ----
  private readonly installObjects: ApiObject[];
  private readonly operatorOptions: { readonly goldmane: boolean; readonly whisker: boolean };
  private readonly decisionList: DecisionRecord[] = [];
  private readonly advisoryList: Advisory[] = [];
  private readonly manualStepList: ManualStep[] = [];
  private advisoriesPrinted = false;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the network facts and the choices that override the defaults
   */
  constructor(scope: Construct, id: string, props: CalicoClusterProps = {}) {
    checkArguments('CalicoCluster', [scope, id, props]);
    super(scope, id);
    // First: every Calico resource of the chart (the cluster's own included) is checked for it.
    this.calicoVersion = props.calicoVersion ?? CalicoVersion.DEFAULT;
    CalicoVersion.use(Chart.of(this), this.calicoVersion);
    if (props.argoCdSyncWaves && props.stagedOutput === false) {
      throw new CalicoValidationError('CalicoCluster: argoCdSyncWaves annotates the stages of a staged output; leave stagedOutput on (its default) or drop argoCdSyncWaves', this);
    }
    this.stages = props.stagedOutput === false ? undefined : new StageCharts(Chart.of(this), props.argoCdSyncWaves ?? false);
    const outputType = (App.of(this) as App).yamlOutputType;
    if (this.stages && !props.argoCdSyncWaves && (outputType === YamlOutputType.FILE_PER_APP || outputType === YamlOutputType.FILE_PER_RESOURCE)) {
      this.advise('output-order', `the app writes ${outputType === YamlOutputType.FILE_PER_APP ? 'one file for all charts' : 'one file per resource, named by kind'}, `
        + 'so the stages lose their apply order (kubectl cannot apply a CRD and its resources from one file); create the App with '
        + 'YamlOutputType.FILE_PER_CHART (the default) or FOLDER_PER_CHART_FILE_PER_RESOURCE, or set argoCdSyncWaves');
    }
    checkPodCidrsGiven(this, props);
    const modeProblems = installModeProblems(props);
    if (modeProblems.length) throw new CalicoValidationError(modeProblems.map(p => `CalicoCluster: ${p}`).join('\n'), this);
    this.installMode = props.installMode ?? InstallMode.MANIFESTS;
    const operator = this.installMode === InstallMode.OPERATOR;
    this.operatorOptions = { goldmane: props.operatorOptions?.goldmane ?? false, whisker: props.operatorOptions?.whisker ?? false };
    const network = props.network ?? {};
    const facts = resolveFacts(this, network, props.ipv6PodCidr !== undefined, props.wireguard ?? false);
    this.nodeSubnets = [...facts.nodeSubnets];
    this.networkMtu = facts.networkMtu;
    this.namespaceName = operator ? OPERATOR_CALICO_NAMESPACE : props.namespaceName ?? 'kube-system';
    this.strict = props.strict ?? false;
    checkExpectedNodes(this, props.expectedNodes);
    this.expectedNodes = props.expectedNodes;

    // Routing mode.
    const routing = props.encapsulation === undefined ? chooseRouting(facts) : checkedRouting(props.encapsulation, facts);
    if (typeof routing === 'string') {
      throw new CalicoValidationError(`CalicoCluster: encapsulation ${props.encapsulation} does not fit the network facts: ${routing}`, this);
    }
    this.encapsulation = routing.encapsulation;
    this.backend = routing.backend;
    this.decide('routing', routing.encapsulation, operator ? `${routing.reason} (the encapsulation of the Installation's pools)` : routing.reason);
    this.decide('backend', routing.backend, routing.backend === CalicoBackend.BIRD
      ? 'BIRD runs BGP to distribute pod routes (native or IP-in-IP)'
      : 'VXLAN needs no BGP: Felix programs the routes, so BIRD and its probes are left out');
    if (facts.nodeSubnets.length === 0 && props.encapsulation === undefined) {
      this.advise('node-subnets', 'network.nodeSubnets is not stated, so IP-in-IP Always is used everywhere; state the node subnets to get native routing (one subnet) or CrossSubnet (several)');
    }

    // MTU.
    const mtu = vethMtu(facts, this.encapsulation);
    const minimum = facts.ipv6 ? MtuOverhead.MIN_IPV6_MTU : MtuOverhead.MIN_IPV4_MTU;
    if (mtu.mtu < minimum) {
      throw new CalicoValidationError(`CalicoCluster: network.mtu ${facts.networkMtu} leaves a workload MTU of ${mtu.mtu} after ${mtu.overhead} bytes of overhead, below the ${facts.ipv6 ? 'IPv6' : 'IPv4'} minimum of ${minimum}; raise network.mtu to at least ${minimum + mtu.overhead}`, this);
    }
    const autoMtu = props.autoDetectMtu ?? false;
    this.vethMtu = autoMtu ? 0 : mtu.mtu;
    this.decide('mtu', autoMtu ? 'auto-detect' : String(mtu.mtu), autoMtu
      ? 'autoDetectMtu: true, so Felix picks the smallest MTU over the enabled encapsulations (unused ones are disabled in FelixConfiguration)'
      : operator ? `${mtu.reason}; the Installation's calicoNetwork.mtu` : mtu.reason);

    // Datastore.
    this.etcd = props.etcd;
    if (props.etcd) {
      if (props.typha !== undefined) {
        throw new CalicoValidationError('CalicoCluster: typha is set, but Typha serves the Kubernetes datastore only; with etcd, Felix reads etcd directly, so remove typha (or remove etcd to use the Kubernetes datastore)', this);
      }
      if (props.crds !== undefined && props.crds.mode !== 'separate') {
        throw new CalicoValidationError('CalicoCluster: crds are included, but with the etcd datastore Calico reads no CRDs; remove crds (or remove etcd)', this);
      }
      this.decide('datastore', 'etcd', 'etcd set explicitly; Typha is not rendered because it serves the Kubernetes datastore only');
    } else {
      this.decide('datastore', 'kubernetes', `the Kubernetes API is the datastore, fronted by Typha${operator ? ', which the operator runs,' : ','} as the reference architecture recommends`);
    }
    if (operator) {
      this.decide('install-mode', this.installMode, `the Tigera operator (${this.calicoVersion._data.operatorTag}, upstream's for Calico ${this.calicoVersion.line}) runs calico-node, `
        + `Typha and calico-kube-controllers in ${OPERATOR_CALICO_NAMESPACE} and owns the default pools, from the Installation default that carries these decisions`);
    }

    // How the projectcalico.org/v3 API is served.
    const api = chooseApiMode(this, props, this.calicoVersion);
    this.apiMode = api.mode;
    this.decide('api', api.mode, operator && api.mode === CalicoApiMode.API_SERVER ? `${api.reason}; the operator runs it (APIServer default)` : api.reason);
    if (operator && api.mode === CalicoApiMode.API_SERVER) {
      this.decide('api-certificates', 'the operator', 'the Tigera operator issues, mounts and rotates the Calico API server\'s serving certificate itself');
    } else if (api.certificatesChoice !== undefined) this.decide('api-certificates', api.certificatesChoice, api.certificatesReason ?? '');
    if (api.mode === CalicoApiMode.STORAGE_CRDS) CalicoApi.use(Chart.of(this), CalicoApiVersion.CRD_V1);

    // Typha.
    const production = props.production ?? true;
    const typha = chooseTypha(props, this.installMode === InstallMode.OPERATOR);
    const replicas = typha.replicas;
    if (typha.decision) this.decide('typha-replicas', typha.decision.choice, typha.decision.reason);
    for (const message of typha.advisories) this.advise('typha-replicas', message);
    if (this.backend === CalicoBackend.BIRD && props.expectedNodes !== undefined && props.expectedNodes > 50) {
      this.advise('bgp-mesh', `${props.expectedNodes} expected nodes on a full node-to-node mesh means ${props.expectedNodes * (props.expectedNodes - 1) / 2} BGP sessions; above ~50 nodes use route reflectors`);
    }

    // Pools.
    const ipv4Cidr = props.podCidr ?? '192.168.0.0/16';
    const ipipMode = this.encapsulation === Encapsulation.IPIP ? IpipMode.ALWAYS
      : this.encapsulation === Encapsulation.IPIP_CROSS_SUBNET ? IpipMode.CROSS_SUBNET : IpipMode.NEVER;
    const vxlanMode = this.encapsulation === Encapsulation.VXLAN ? VxlanMode.ALWAYS
      : this.encapsulation === Encapsulation.VXLAN_CROSS_SUBNET ? VxlanMode.CROSS_SUBNET : VxlanMode.NEVER;

    // CRDs first: objects synthesize in creation order, and the Calico resources below need them.
    const crdStage = renderCrdStage(this, () => this.stageScope(CalicoStage.CRDS), props.crds ?? CrdSource.bundled(), this.calicoVersion, api.mode, props.etcd !== undefined, operator);
    if (crdStage.decision) this.decide('crds', crdStage.decision.choice, crdStage.decision.reason);
    if (crdStage.manualStep) this.manualStepList.push(crdStage.manualStep);

    // The install objects (upstream's set, or the operator's and its Installation).
    const installScope = this.stageScope(CalicoStage.INSTALL);
    const installSettings: InstallSettings = {
      namespace: this.namespaceName,
      calicoVersion: this.calicoVersion,
      registry: props.registry,
      imagePullSecrets: props.imagePullSecrets,
      calicoBackend: this.backend,
      vethMtu: String(this.vethMtu),
      ipv4Pool: { cidr: ipv4Cidr, ipipMode, vxlanMode, blockSize: props.blockSize },
      ipv6Pool: props.ipv6PodCidr ? { cidr: props.ipv6PodCidr, vxlanMode: vxlanMode } : undefined,
      calicoNode: workloadSettings(props.calicoNode),
      typha: props.etcd ? undefined : { ...workloadSettings(props.typha), replicas, expectedNodes: props.expectedNodes, tls: props.typha?.tls },
      etcd: props.etcd,
      kubeControllers: { ...workloadSettings(props.kubeControllers), enabledControllers: props.kubeControllers?.enabledControllers },
    };
    // Checked here, so that a bad setting names the cluster, not the install stage's chart.
    const resolved = resolveInstallSettings(this, installSettings);
    this.installObjects = operator ? renderOperatorInstall(installScope, {
      calicoVersion: this.calicoVersion, registry: props.registry, imagePullSecrets: props.imagePullSecrets ?? [], backend: this.backend,
      vethMtu: this.vethMtu, nodeSubnets: this.nodeSubnets, calicoNode: props.calicoNode, typha: props.typha, kubeControllers: props.kubeControllers,
      pools: () => [this.defaultIpv4Pool, this.defaultIpv6Pool].filter((p): p is IpPool => p !== undefined),
      apiMode: api.mode, ...this.operatorOptions,
    }) : renderInstall(installScope, installSettings);
    if (api.certificates && !operator) {
      this.installObjects.push(...renderApiServing(installScope, resolved, { mode: api.mode, certificates: api.certificates, production }));
      if (api.certificates.mode === 'cert-manager') this.manualStepList.push(CERT_MANAGER_STEP);
    }
    this.typha = props.etcd || operator ? undefined : installScope.node.findChild('Typha') as TyphaDeployment;

    // Felix: unused encapsulations disabled, MTUs set (with the operator, the Installation's MTU
    // reaches Felix as calico-node's FELIX_*MTU variables, which outrank the FelixConfiguration).
    const ipip = ipipMode !== IpipMode.NEVER;
    const vxlan = vxlanMode !== VxlanMode.NEVER;
    const wireguard = props.wireguard ?? false;
    const mtuValue = autoMtu || operator ? undefined : this.vethMtu;
    this.felixConfiguration = new FelixConfiguration(this, 'FelixConfiguration', {
      ipipEnabled: ipip,
      vxlanEnabled: vxlan,
      wireguardEnabled: wireguard,
      wireguardEnabledV6: wireguard && facts.ipv6 ? true : undefined,
      ipipMtu: ipip ? mtuValue : undefined,
      vxlanMtu: vxlan ? mtuValue : undefined,
      vxlanMtuV6: vxlan && facts.ipv6 ? mtuValue : undefined,
      wireguardMtu: wireguard ? mtuValue : undefined,
      wireguardMtuV6: wireguard && facts.ipv6 ? mtuValue : undefined,
    });

    this.defaultIpv4Pool = new IpPool(this, 'DefaultIpv4Pool', {
      name: 'default-ipv4-ippool',
      cidr: ipv4Cidr,
      blockSize: props.blockSize ?? 26,
      ipipMode,
      vxlanMode,
      natOutgoing: props.natOutgoing ?? true,
      nodeSelector: Selector.all(),
    });
    if (props.ipv6PodCidr) {
      this.defaultIpv6Pool = new IpPool(this, 'DefaultIpv6Pool', {
        name: 'default-ipv6-ippool',
        cidr: props.ipv6PodCidr,
        blockSize: 122,
        ipipMode: IpipMode.NEVER,
        vxlanMode,
        natOutgoing: false,
        nodeSelector: Selector.all(),
      });
      if (ipipMode !== IpipMode.NEVER && (facts.sourceDestinationCheck || facts.nodeSubnets.length > 1)) {
        this.advise('ipv6-unencapsulated', `IP-in-IP is IPv4 only, so IPv6 pod traffic in ${props.ipv6PodCidr} travels unencapsulated, which `
          + (facts.sourceDestinationCheck ? 'a fabric with source/destination checks drops' : `cannot cross the ${facts.nodeSubnets.length} node subnets unless the routers learn pod routes`)
          + '; use Encapsulation.VXLAN (or VXLAN_CROSS_SUBNET) for dual stack on this network');
      }
    }
    if (operator) {
      // The operator owns the default pools (the Installation's ipPools): they stay models the
      // chart's checks hold the other pools against, never IPPool objects of the output.
      const pools = [this.defaultIpv4Pool, this.defaultIpv6Pool].filter((p): p is IpPool => p !== undefined);
      for (const pool of pools) this.node.tryRemoveChild(pool.node.id);
      chartCheckOf(this).contribute({ resources: () => pools });
    }

    if (props.etcd) {
      if (props.etcd.tlsSecretName) {
        this.manualStepList.push({
          description: `the etcd client certificates, as Secret '${props.etcd.tlsSecretName}' in ${this.namespaceName} with keys etcd-ca, etcd-cert and etcd-key (the output never holds key material)`,
          command: `kubectl -n ${this.namespaceName} create secret generic ${props.etcd.tlsSecretName} --from-file=etcd-ca=ca.crt --from-file=etcd-cert=client.crt --from-file=etcd-key=client.key`,
        });
      }
    }

    // ---- BGP (route distribution): the BGPConfiguration `default` ----
    this.asNumber = props.asNumber ?? AsNumber.of(64512);
    this.serviceCidrs = checkServiceCidrs(this, props.serviceCidrs ?? ['10.96.0.0/12']);
    // The facts the chart's whole-set rules hold every pool against (resources/chart-check.ts),
    // checked here first against the default pools: all of them arrived in these props.
    const ranges = [
      ...this.serviceCidrs.map(text => ({ kind: DeclaredRangeKind.SERVICE, cidr: text, describe: `the service range ${text}`, scope: this })),
      ...this.nodeSubnets.map(text => ({ kind: DeclaredRangeKind.SUBNET, cidr: text, describe: `the node subnet ${text}`, scope: this })),
    ];
    this.checkDefaultRanges(ranges, props.podCidr === undefined);
    chartCheckOf(this).contribute({ ranges: () => ranges });
    if (this.backend === CalicoBackend.BIRD) {
      this.bgpConfiguration = new BgpConfiguration(this.stageScope(CalicoStage.BGP), 'BgpConfiguration', {
        name: 'default',
        asNumber: this.asNumber,
        logSeverityScreen: props.bgpLogSeverity ?? BgpLogSeverity.INFO,
        nodeToNodeMeshEnabled: true,
      });
    }
    // ---- end BGP ----

    addCalicoValidation(this, () => this.checkAdvisories());
    addCalicoValidation(this, () => apiGroupProblems(CalicoApi.versionOf(this), this.apiMode, this.etcd !== undefined));
    addCalicoValidation(this, () => calicoctlStageProblems(this.stages?.stages ?? [], this.apiMode));
    this.decide('calico-version', this.calicoVersion.tag, `Calico ${this.calicoVersion.line}, one of the supported lines (${CalicoVersion.supportedLines().join(', ')})`);
    registerCluster(this);
  }

  /**
   * The chart a stage's objects belong in: a chart of its own beside the cluster's chart in a
   * staged output (created on first use), the cluster's chart for the resources stage or when the
   * output is not staged. For constructs that extend the cluster (node settings, say).
   * @param stage the stage
   */
  public stageChart(stage: CalicoStage): Chart {
    checkArguments('CalicoCluster.stageChart', [stage], { scope: this });
    return this.stages ? this.stages.chartOf(stage) : Chart.of(this);
  }

  /**
   * Makes `source` apply after each of `targets` (for constructs that extend the cluster): a cdk8s
   * dependency, left out where the stages order the two (cdk8s expands a chart dependency to all objects).
   * @param source what must come later
   * @param targets what must come first
   */
  public applyAfter(source: IConstruct, ...targets: IConstruct[]): void {
    checkArguments('CalicoCluster.applyAfter', [source, ...targets], { scope: this });
    for (const target of targets) applyAfter(source, target);
  }

  /**
   * The stages of the output that have objects' charts, in apply order (empty when the output is
   * not staged).
   */
  public get stageCharts(): StageChartInfo[] {
    return (this.stages?.stages ?? []).map(s => ({ stage: s.stage, chartId: s.chart.node.id }));
  }

  /** Where the cluster puts its own objects of a stage: the stage's chart, or the cluster itself. */
  private stageScope(stage: CalicoStage): Construct {
    return this.stages && stage !== CalicoStage.RESOURCES ? this.stages.chartOf(stage) : this;
  }

  // ---- BGP (route distribution) ----

  /** Whether the node-to-node BGP mesh is on (false without BGP). */
  public get nodeToNodeMeshEnabled(): boolean {
    return this.bgpConfiguration?.nodeToNodeMeshEnabled ?? false;
  }

  /**
   * Turns the node-to-node mesh off in the BGPConfiguration `default`, after the peerings that
   * replace it: each replacement is synthesized before the configuration, so applying the output
   * in order never leaves nodes without BGP sessions. Route reflector pools and top-of-rack
   * peerings call it; call it yourself for peerings you build by hand.
   *
   * @param reason why the mesh can go (recorded in `decisions`)
   * @param replacements the BgpPeers (and reflector CalicoNodes) that replace the mesh
   */
  public disableNodeToNodeMesh(reason: string, replacements: IConstruct[]): void {
    checkArguments('CalicoCluster.disableNodeToNodeMesh', [reason, replacements], { scope: this });
    const bgp = this.requireBgp('disableNodeToNodeMesh()');
    bgp.disableNodeToNodeMesh(replacements);
    this.decide('bgp-mesh', 'disabled', reason);
    // The mesh-size advisory no longer applies once the mesh is off.
    for (let i = this.advisoryList.length - 1; i >= 0; i--) {
      if (this.advisoryList[i].code === 'bgp-mesh') this.advisoryList.splice(i, 1);
    }
  }

  /**
   * The BGPConfiguration `default`, or a CalicoValidationError naming `feature` when the cluster
   * runs no BGP (VXLAN or policy-only networking).
   * @param feature what needs BGP, for the message
   */
  public requireBgp(feature: string): BgpConfiguration {
    checkArguments('CalicoCluster.requireBgp', [feature], { scope: this });
    if (!this.bgpConfiguration) {
      throw new CalicoValidationError(`${feature} needs BGP, but this cluster uses the ${quote(this.backend)} backend `
        + `(routing ${this.encapsulation}), which runs no BGP daemon; allow BGP (network.bgpAllowed) and choose an `
        + 'encapsulation other than VXLAN to use route reflectors, router peerings or service advertisement', this);
    }
    return this.bgpConfiguration;
  }

  /**
   * Restricts the default pool of one IP family to the nodes `nodeSelector` selects (for example
   * `network-type == "non-routable"` when a routable pool serves the other nodes), with
   * `IpPool.restrictNodeSelector`. A default pool is restricted once: restricting it again to the
   * same selector changes nothing, and to another selector throws.
   *
   * @param ipVersion 4 or 6
   * @param nodeSelector the nodes that may take addresses from the default pool
   * @param reason why (recorded in `decisions`)
   */
  public restrictDefaultPool(ipVersion: number, nodeSelector: Selector, reason: string): void {
    checkArguments('CalicoCluster.restrictDefaultPool', [ipVersion, nodeSelector, reason], { scope: this });
    const pool = this.defaultPoolOf(ipVersion);
    if (!pool) {
      throw new CalicoValidationError(`CalicoCluster has no default IPv${ipVersion} pool to restrict`
        + (ipVersion === 6 ? '; set ipv6PodCidr to add one' : '; ipVersion must be 4 or 6'), this);
    }
    const current = pool.nodeSelector;
    if (!current.isAll()) {
      if (current.sameAs(nodeSelector)) return;
      throw new CalicoValidationError(`IPPool ${quote(pool.name)} is already restricted to ${quote(current.toString())}; it cannot also be `
        + `restricted to ${quote(nodeSelector.toString())}. Use one node label scheme for every pool of IPv${ipVersion}`, this);
    }
    pool.restrictNodeSelector(nodeSelector);
    this.decide(`default-ipv${ipVersion}-pool-nodes`, nodeSelector.toString(), reason);
  }

  /**
   * The node selector the default pool of an IP family is written with (its `nodeSelector`).
   * @param ipVersion 4 or 6
   * @returns `all()` unless `restrictDefaultPool` narrowed it, or when the cluster has no such pool
   */
  public defaultPoolNodeSelector(ipVersion: number): Selector {
    checkArguments('CalicoCluster.defaultPoolNodeSelector', [ipVersion], { scope: this });
    return this.defaultPoolOf(ipVersion)?.nodeSelector ?? Selector.all();
  }

  /**
   * Records a step the user must take outside the synthesized manifests (for example tainting
   * dedicated route reflector nodes). Listed in `manualSteps`.
   * @param step what it is for, and the exact command
   */
  public addManualStep(step: ManualStep): void {
    checkArguments('CalicoCluster.addManualStep', [step], { scope: this });
    this.manualStepList.push({ description: step.description, command: step.command });
  }

  // ---- end BGP ----

  /** Every decision the library took, with its reason, in the order taken. */
  public get decisions(): Decision[] {
    return this.decisionList.map(d => ({ ...d }));
  }

  /** Recommendations the configuration does not follow. */
  public get advisories(): Advisory[] {
    return this.advisoryList.map(a => ({ ...a }));
  }

  /** What the user must do outside the output's stages (see `applySteps`), with the commands. */
  public get manualSteps(): ManualStep[] {
    const steps = this.manualStepList.map(s => ({ ...s }));
    // A staged output's calicoctl stages are apply steps; one file of everything has to be split by kind.
    if (this.apiMode === CalicoApiMode.CALICOCTL && !this.stages) {
      steps.push({
        description: 'The Calico resources (projectcalico.org/v3) are applied with calicoctl, after the Kubernetes objects '
          + (this.etcd ? '(calicoctl pointed at etcd)' : 'once calico-node runs'),
        command: `${this.calicoctlEnv}calicoctl apply -f <file with only the projectcalico.org/v3 documents>`,
      });
    }
    return steps;
  }

  /**
   * The namespaces whose pods the cluster needs to reach and be reached: the install's, the
   * Calico API server's (`calico-apiserver`) and cert-manager's when it issues the API's
   * certificate. A `DefaultDenyPolicy` leaves them alone.
   */
  public get systemNamespaces(): string[] {
    const out = [this.namespaceName];
    if (this.installMode === InstallMode.OPERATOR) out.push(OPERATOR_NAMESPACE);
    if (this.apiMode === CalicoApiMode.API_SERVER) out.push(API_SERVER_NAMESPACE);
    if (this.manualStepList.includes(CERT_MANAGER_STEP)) out.push(CERT_MANAGER_NAMESPACE);
    return out;
  }

  /**
   * The exact commands that apply the output, one per stage in apply order, each with what to wait
   * for before the next (empty with `stagedOutput: false`). Read once every chart of the app exists:
   * the file names are numbered over all of them.
   */
  public get applySteps(): ApplyStep[] {
    return applySteps(this.stages?.stages ?? [], {
      mode: this.apiMode, namespace: this.namespaceName, etcd: this.etcd !== undefined, calicoctlEnv: this.calicoctlEnv,
      operatorStatuses: this.installMode === InstallMode.OPERATOR ? operatorStatuses({ apiMode: this.apiMode, ...this.operatorOptions }) : undefined,
    });
  }

  /** The environment calicoctl needs to reach the datastore. */
  private get calicoctlEnv(): string {
    if (!this.etcd) return 'DATASTORE_TYPE=kubernetes ';
    const tls = this.etcd.tlsSecretName ? ' ETCD_CA_CERT_FILE=ca.crt ETCD_CERT_FILE=client.crt ETCD_KEY_FILE=client.key' : '';
    return `DATASTORE_TYPE=etcdv3 ETCD_ENDPOINTS=${this.etcd.endpoints.join(',')}${tls} `;
  }

  /**
   * The rendered Kubernetes object of the install with this kind and name (escape hatch).
   * @param kind Kubernetes kind, e.g. `DaemonSet`
   * @param name metadata.name, e.g. `calico-node`
   */
  public installObject(kind: string, name: string): ApiObject {
    checkArguments('CalicoCluster.installObject', [kind, name], { scope: this });
    const found = this.installObjects.find(o => o.kind === kind && o.metadata.name === name);
    if (!found) {
      const have = this.installObjects.map(o => `${o.kind}/${o.metadata.name}`).join(', ');
      throw new CalicoValidationError(`CalicoCluster has no ${kind} ${quote(name)}; it renders ${have}`, this);
    }
    return found;
  }

  /**
   * Records a decision (for constructs that extend the cluster, such as route reflection).
   * @param topic what was decided
   * @param choice the value chosen
   * @param reason why
   */
  public decide(topic: string, choice: string, reason: string): void {
    checkArguments('CalicoCluster.decide', [topic, choice, reason], { scope: this });
    this.decisionList.push({ topic, choice, reason });
  }

  /**
   * Records an advisory: printed at synthesis, and an error when `strict` is true.
   * @param code short stable identifier
   * @param message what is off and what to do
   */
  public advise(code: string, message: string): void {
    checkArguments('CalicoCluster.advise', [code, message], { scope: this });
    this.advisoryList.push({ code, message });
  }

  /**
   * The whole-set range rules over the default pools, the service ranges and the node subnets,
   * at construction (where those values arrived), with the prop to change in each message.
   */
  private checkDefaultRanges(ranges: readonly DeclaredRange[], defaultPodCidr: boolean): void {
    const pools = [this.defaultIpv4Pool, this.defaultIpv6Pool].filter((p): p is IpPool => p !== undefined);
    const issues = checkManifestSet({ manifests: pools.map(p => p._setManifest(true)), declared: ranges });
    if (issues.length === 0) return;
    const lines = issues.map(i => {
      const other = i.otherDeclared !== undefined ? ranges[i.otherDeclared] : undefined;
      if (i.manifest === undefined || other === undefined) return `CalicoCluster: ${i.message}`;
      const pool = pools[i.manifest];
      const prop = pool === this.defaultIpv6Pool ? 'ipv6PodCidr' : 'podCidr';
      const given = prop === 'podCidr' && defaultPodCidr ? ' (the default, as podCidr is not given)' : '';
      const what = other.kind === DeclaredRangeKind.SERVICE ? 'service addresses' : 'node addresses';
      return `CalicoCluster: ${prop} ${pool.cidr}${given} overlaps ${other.describe}; pods would get ${what}, `
        + `so set ${prop} to a range clear of the node subnets and the service ranges`;
    });
    throw new CalicoValidationError(lines.join('\n'), this);
  }

  /** The default pool of an IP family, or `undefined` when the cluster has none. */
  private defaultPoolOf(ipVersion: number): IpPool | undefined {
    return ipVersion === 4 ? this.defaultIpv4Pool : ipVersion === 6 ? this.defaultIpv6Pool : undefined;
  }

  private checkAdvisories(): string[] {
    const lines = this.advisoryList.map(a => `CalicoCluster advisory [${a.code}]: ${a.message}`);
    if (this.strict) return lines;
    // Validation can run more than once per synthesis; print each advisory once, with the path
    // of the cluster it is about (stderr: `cdk8s synth` shows it, stdout it keeps to itself).
    if (!this.advisoriesPrinted) {
      for (const line of lines) process.stderr.write(`[${this.node.path}] ${line}\n`);
      this.advisoriesPrinted = true;
    }
    return [];
  }
}

/** cert-manager issues the API's serving certificate: it runs before the install stage. */
const CERT_MANAGER_STEP: ManualStep = {
  description: 'cert-manager, before the install stage (it issues the serving certificate of the Calico API and injects its CA); '
    + 'skip this when the cluster runs cert-manager already',
  command: `kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/${CERT_MANAGER_RELEASE}/cert-manager.yaml `
    + `&& kubectl -n ${CERT_MANAGER_NAMESPACE} rollout status deployment/cert-manager-webhook --timeout=10m`,
};
