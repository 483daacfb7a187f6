import { Construct } from 'constructs';
import { IpamConfigSpec, toJson_IpamConfigSpec } from '../../imports/crd.projectcalico.org';
import { checkArguments } from '../core/argument-check';
import { IPAM_CONFIGURATION_NAME } from '../validation/ipam-configuration';
import { registerCrdDefaults } from './private/crd-defaults';
import { asGenerated, sortedKeys } from './private/resource-util';
import { CalicoResource, CalicoResourceProps } from './resource';

/**
 * Whether KubeVirt virtual machines keep their IP addresses when their pods are recreated.
 */
export enum VmAddressPersistence {
  /** VMs keep their addresses across reboots, migrations and evictions (Calico's default). */
  ENABLED = 'Enabled',
  /** VMs get new addresses whenever their pods are recreated; live migration is not supported. */
  DISABLED = 'Disabled',
}

/**
 * Properties of an `IpamConfiguration`.
 */
export interface IpamConfigurationProps extends CalicoResourceProps {
  /**
   * Forbid a node to borrow addresses from blocks affine to other nodes (needed, for example,
   * when routes are not aggregated per block).
   * @default false
   */
  readonly strictAffinity?: boolean;
  /**
   * The most address blocks one node may hold; 0 means no limit.
   * @default - no limit
   */
  readonly maxBlocksPerHost?: number;
  /**
   * Whether KubeVirt virtual machines keep their IP addresses when their pods are recreated.
   * Calico v3.32 and later.
   * @default - Calico's default, VmAddressPersistence.ENABLED
   */
  readonly kubeVirtVmAddressPersistence?: VmAddressPersistence;
}

/**
 * Calico's IPAM configuration (`IPAMConfiguration`, stored as the `IPAMConfig` named `default`):
 * strict block affinity, the blocks per node, KubeVirt address persistence. Calico reads only the
 * object named `default`, so that is its name.
 *
 * @example
 * new IpamConfiguration(chart, 'ipam', { strictAffinity: true, maxBlocksPerHost: 4 });
 */
export class IpamConfiguration extends CalicoResource {
  /** Whether strict affinity is on. */
  public readonly strictAffinity: boolean;
  /** The most blocks a node may hold; 0 for no limit. */
  public readonly maxBlocksPerHost: number;
  private readonly given: IpamConfigurationProps;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param props the configuration; `name` defaults to `default`, the only name Calico reads
   */
  constructor(scope: Construct, id: string, props: IpamConfigurationProps = {}) {
    checkArguments('IpamConfiguration', [scope, id, props]);
    super(scope, id, 'IPAMConfiguration', { ...props, name: props.name ?? IPAM_CONFIGURATION_NAME });
    this.given = { maxBlocksPerHost: props.maxBlocksPerHost, kubeVirtVmAddressPersistence: props.kubeVirtVmAddressPersistence };
    this.strictAffinity = props.strictAffinity ?? false;
    this.maxBlocksPerHost = props.maxBlocksPerHost ?? 0;
    this.validateNow();
  }

  protected renderSpec(): any {
    // strictAffinity is written even when false: Calico's v3 type always carries it (no omitempty).
    // autoAllocateBlocks is left out: the Calico API server sets it (to true) itself.
    const spec = {
      strictAffinity: this.strictAffinity,
      maxBlocksPerHost: this.given.maxBlocksPerHost,
      kubeVirtVmAddressPersistence: asGenerated(this.given.kubeVirtVmAddressPersistence),
    } as IpamConfigSpec;
    const json: Record<string, any> = { ...toJson_IpamConfigSpec(spec) };
    delete json.autoAllocateBlocks;
    return json;
  }
}

// How Calico stores an IPAMConfiguration (the same on v3.31 and v3.32): as kind IPAMConfig, with
// autoAllocateBlocks, a field the CRD requires and the API server always sets to true
// (apiserver/pkg/storage/calico/ipamconfig_storage.go, IPAMConfigConverter.convertToLibcalico).
registerCrdDefaults('IPAMConfiguration', (manifest: any) => {
  const spec: Record<string, any> = { autoAllocateBlocks: true, strictAffinity: false, ...(manifest.spec ?? {}) };
  return { ...manifest, kind: 'IPAMConfig', spec: sortedKeys(spec) };
});
