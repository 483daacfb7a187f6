import { Construct, IConstruct } from 'constructs';
import { checkArguments } from './argument-check';
import { nextScope } from './scope-links';

/**
 * The API group and version Calico resources are written in.
 */
export enum CalicoApiVersion {
  /**
   * `projectcalico.org/v3`: what calicoctl and the Calico API server take. Calico validates and
   * defaults these resources itself when they are applied.
   */
  PROJECTCALICO_V3 = 'projectcalico.org/v3',
  /**
   * `crd.projectcalico.org/v1`: Calico's storage CRDs in Kubernetes-datastore mode, for
   * kubectl-only GitOps without the Calico API server. Nothing on the cluster validates or
   * defaults these, so the library applies Calico's validation and defaults itself. Kinds with
   * no CRD (the Calico `Node`) are refused.
   */
  CRD_V1 = 'crd.projectcalico.org/v1',
}

const SETTINGS = new WeakMap<IConstruct, CalicoApiVersion>();

/**
 * Chooses the API group for every Calico resource under a scope (an app or a chart).
 *
 * The nearest scope with a setting wins, so one chart of an app can use the CRD group while the
 * rest uses `projectcalico.org/v3`. It is read when the manifests are synthesized, so it may be
 * set before or after the resources are added.
 */
export class CalicoApi {
  /**
   * Sets the API group for every Calico resource under `scope`.
   * @param scope an App, a Chart, or any construct
   * @param apiVersion the group and version to write
   */
  public static use(scope: Construct, apiVersion: CalicoApiVersion): void {
    checkArguments('CalicoApi.use', [scope, apiVersion]);
    SETTINGS.set(scope, apiVersion);
  }

  /**
   * The API group in force for `scope`: the setting of the nearest scope that has one.
   * @param scope any construct
   * @returns the setting, `CalicoApiVersion.PROJECTCALICO_V3` when no scope sets one
   */
  public static versionOf(scope: Construct): CalicoApiVersion {
    checkArguments('CalicoApi.versionOf', [scope]);
    return apiVersionOf(scope);
  }

  private constructor() {}
}

/**
 * `CalicoApi.versionOf` for the library's own constructs (checked already): the nearest setting,
 * found walking up the scopes without copying them, as every resource asks once per synthesis.
 */
export function apiVersionOf(scope: IConstruct): CalicoApiVersion {
  for (let c: IConstruct | undefined = scope; c !== undefined; c = nextScope(c)) {
    const v = SETTINGS.get(c);
    if (v) return v;
  }
  return CalicoApiVersion.PROJECTCALICO_V3;
}
