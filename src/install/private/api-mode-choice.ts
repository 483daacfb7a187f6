// Which way the cluster serves the projectcalico.org/v3 API (CalicoClusterProps.apiMode), its
// serving certificate, and the Kubernetes version each way needs: chosen once, at construction,
// with the reason recorded as a decision.

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { apiVersionOf, CalicoApiVersion } from '../../core/api-group';
import type { CalicoVersion } from '../../core/calico-version';
import { CalicoValidationError } from '../../core/errors';
import { quote } from '../../core/quote';
import { CalicoApiMode, ServingCertificates } from '../api-mode';
import type { CalicoClusterProps } from '../calico-cluster-props';
import { upstreamInstallOf } from './upstream-install';

/** The mode, its certificate (for the modes that serve an API) and the decisions' text. */
export interface ApiModeChoice {
  readonly mode: CalicoApiMode;
  readonly reason: string;
  readonly certificates?: ServingCertificates;
  readonly certificatesChoice?: string;
  readonly certificatesReason?: string;
}

/** A Kubernetes minor version, `1.34`, `v1.34` or `v1.34.2`. */
const KUBERNETES_VERSION = /^v?1\.([0-9]{1,3})(\.[0-9]{1,4})?$/;
/** CRD validation rules (x-kubernetes-validations), which every line's CRDs carry, are served from 1.25. */
const MIN_MINOR_CEL_CRDS = 25;
/** Native v3 CRDs need the MutatingAdmissionPolicy API (admissionregistration.k8s.io/v1beta1), from 1.34. */
const MIN_MINOR_NATIVE = 34;

/** The Kubernetes minor version stated in props, checked, or undefined. */
export function kubernetesMinorOf(scope: Construct, version: string | undefined): number | undefined {
  if (version === undefined) return undefined;
  const m = KUBERNETES_VERSION.exec(version);
  if (!m) {
    throw new CalicoValidationError(`CalicoCluster: kubernetesVersion ${quote(version)} is not a Kubernetes version; write it as '1.34' (or 'v1.34.2')`, scope);
  }
  return Number(m[1]);
}

/** The mode of a cluster's props: explicit, implied by the datastore or the chart's API group, or the default. */
export function chooseApiMode(scope: Construct, props: CalicoClusterProps, version: CalicoVersion): ApiModeChoice {
  const minor = kubernetesMinorOf(scope, props.kubernetesVersion);
  const given = props.apiMode;
  const fail = (message: string) => new CalicoValidationError(`CalicoCluster: ${message}`, scope);
  if (props.etcd) {
    if (given !== undefined && given !== CalicoApiMode.CALICOCTL) {
      throw fail(`apiMode ${given} serves the Calico resources from the Kubernetes API, but with the etcd datastore Calico reads them from etcd, where only calicoctl writes them; drop apiMode (or set it to CalicoApiMode.CALICOCTL)`);
    }
    noCertificates(props, CalicoApiMode.CALICOCTL, fail);
    return { mode: CalicoApiMode.CALICOCTL, reason: 'the etcd datastore: calicoctl writes the Calico resources to etcd' };
  }
  if (minor !== undefined && minor < MIN_MINOR_CEL_CRDS) {
    throw fail(`kubernetesVersion ${props.kubernetesVersion} is too old: the Calico ${version.line} CRDs carry validation rules (x-kubernetes-validations), which Kubernetes serves from 1.${MIN_MINOR_CEL_CRDS}`);
  }
  const chartApi = apiVersionOf(Chart.of(scope));
  if (chartApi === CalicoApiVersion.CRD_V1 && given !== undefined && given !== CalicoApiMode.STORAGE_CRDS) {
    throw fail(`apiMode ${given} applies projectcalico.org/v3 resources, but the chart writes crd.projectcalico.org/v1 (CalicoApi.use); `
      + 'drop CalicoApi.use, or set apiMode to CalicoApiMode.STORAGE_CRDS');
  }
  const mode = given ?? (chartApi === CalicoApiVersion.CRD_V1 ? CalicoApiMode.STORAGE_CRDS : CalicoApiMode.API_SERVER);
  if (mode === CalicoApiMode.NATIVE_V3_CRDS) {
    if (!upstreamInstallOf(version).nativeV3) {
      throw fail(`apiMode NativeV3CRDs needs Calico v3.32 or later (native v3 CRDs arrived in v3.32), but the cluster installs ${version.tag}; use CalicoApiMode.API_SERVER or calicoVersion CalicoVersion.V3_32_1`);
    }
    if (minor !== undefined && minor < MIN_MINOR_NATIVE) {
      throw fail(`apiMode NativeV3CRDs needs Kubernetes 1.${MIN_MINOR_NATIVE} or later (its admission policies use the MutatingAdmissionPolicy API), but kubernetesVersion is ${props.kubernetesVersion}; use CalicoApiMode.API_SERVER`);
    }
  }
  const reason = given !== undefined ? `set explicitly (apiMode); ${MODE_NOTES[mode]}`
    : chartApi === CalicoApiVersion.CRD_V1 ? `the chart writes crd.projectcalico.org/v1 (CalicoApi.use); ${MODE_NOTES[mode]}`
      : `the default: ${MODE_NOTES[mode]}; native v3 CRDs are a tech preview that needs Kubernetes 1.${MIN_MINOR_NATIVE}+`;
  if (mode !== CalicoApiMode.API_SERVER && mode !== CalicoApiMode.NATIVE_V3_CRDS) {
    noCertificates(props, mode, fail);
    return { mode, reason };
  }
  const certificates = props.apiCertificates ?? ServingCertificates.certManager();
  const served = mode === CalicoApiMode.API_SERVER ? 'the Calico API server' : 'the calico-webhooks webhook';
  if (certificates.mode === 'secret') {
    return {
      mode, reason, certificates, certificatesChoice: `Secret ${certificates.secretName}`,
      certificatesReason: `set explicitly (apiCertificates): ${served} mounts your certificate; its CA bundle is written where Kubernetes verifies it`,
    };
  }
  const issuer = certificates.issuerName === undefined ? 'a private CA (Issuer calico-ca)' : `${certificates.issuerKind} ${certificates.issuerName}`;
  return {
    mode, reason, certificates, certificatesChoice: `cert-manager, ${issuer}`,
    certificatesReason: `${props.apiCertificates ? 'set explicitly (apiCertificates)' : 'the default'}: cert-manager issues ${served}'s serving certificate and injects its CA, `
      + 'so an apply or a GitOps sync completes with no hand work and no key in the output (cert-manager must be installed first)',
  };
}

/** Why each mode, for the decision. */
const MODE_NOTES: Record<CalicoApiMode, string> = {
  [CalicoApiMode.API_SERVER]: 'the Calico API server serves projectcalico.org/v3 to kubectl and GitOps tools on every supported Kubernetes, with Calico\'s own validation and defaulting',
  [CalicoApiMode.NATIVE_V3_CRDS]: 'the Kubernetes API server serves projectcalico.org/v3 from native CRDs (Calico v3.32+, tech preview; Kubernetes 1.34+ with the MutatingAdmissionPolicy API enabled)',
  [CalicoApiMode.STORAGE_CRDS]: 'the Calico resources are written as the crd.projectcalico.org/v1 objects Calico stores, validated and defaulted by the library, and applied with kubectl',
  [CalicoApiMode.CALICOCTL]: 'calicoctl applies the projectcalico.org/v3 stages',
};

function noCertificates(props: CalicoClusterProps, mode: CalicoApiMode, fail: (m: string) => Error): void {
  if (props.apiCertificates !== undefined) {
    throw fail(`apiCertificates are the serving certificate of the Calico API server or of the native-v3 webhook, but apiMode ${mode} runs neither; drop apiCertificates`);
  }
}
