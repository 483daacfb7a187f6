// Kubernetes objects typed against the 1.28 schema (cdk8s-plus-28's generated L1 props) but
// stored as a plain ApiObject holding the final JSON.
//
// Why not `new k8s.KubeDeployment(...)` directly: the generated classes re-run their props
// converter on the JSON after `addJsonPatch` has been applied, and that converter reads
// IntOrString and Quantity fields as objects (`value.value`). A patch that writes a plain
// number or string there (`/spec/maxUnavailable` -> 2, `.../resources/limits/cpu` -> '1') is
// silently dropped. Holding the converted JSON keeps every escape-hatch patch exact.

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** A generated L1 class: its static `manifest()` converts typed props to Kubernetes JSON. */
export interface KubeKind<P> {
  readonly manifest: (props: P) => any;
}

/** A plain ApiObject with the JSON of `kind.manifest(props)` (apiVersion and kind included). */
export function kubeObject<P>(scope: Construct, id: string, kind: KubeKind<P>, props: NoInfer<P>): ApiObject {
  return new ApiObject(scope, id, kind.manifest(props));
}
