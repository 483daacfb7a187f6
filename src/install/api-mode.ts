import { checkArguments } from '../core/argument-check';
import { CalicoValidationError } from '../core/errors';
import { quote } from '../core/quote';
import { isDns1123Subdomain } from './private/names';

/**
 * How the cluster serves the `projectcalico.org/v3` API, and so how the Calico resources of the
 * output are applied.
 */
export enum CalicoApiMode {
  /**
   * The aggregated Calico API server (`calico-apiserver`, upstream's `apiserver.yaml`) serves
   * `projectcalico.org/v3` to kubectl and GitOps tools, with Calico's own validation and
   * defaulting, storing into the `crd.projectcalico.org` CRDs. Needs a serving certificate.
   */
  API_SERVER = 'APIServer',
  /**
   * Native `projectcalico.org/v3` CRDs, served by the Kubernetes API server itself, with the
   * `calico-webhooks` admission webhook and Calico's admission policies (Calico v3.32 and later;
   * upstream calls it a tech preview). Needs Kubernetes 1.34 or later with the
   * MutatingAdmissionPolicy API (`admissionregistration.k8s.io/v1beta1`) enabled, and a serving
   * certificate for the webhook.
   */
  NATIVE_V3_CRDS = 'NativeV3CRDs',
  /**
   * No `projectcalico.org/v3` API: the Calico resources are written as the
   * `crd.projectcalico.org/v1` storage objects Calico reads (the library validates and defaults
   * them as Calico would) and applied with kubectl. The same as `CalicoApi.use(chart,
   * CalicoApiVersion.CRD_V1)` on the cluster's chart.
   */
  STORAGE_CRDS = 'StorageCRDs',
  /**
   * No `projectcalico.org/v3` API in the cluster: the Calico resources stage is applied with
   * `calicoctl apply -f`. The only mode with the etcd datastore. calicoctl reads only
   * `projectcalico.org/v3` documents, so Kubernetes objects (a `KubernetesNamespaceOverride`'s
   * NetworkPolicy) go in a chart of their own, applied with kubectl.
   */
  CALICOCTL = 'Calicoctl',
}

/** The kind of a cert-manager issuer. */
export enum CertManagerIssuerKind {
  /** A namespaced `Issuer`, in the namespace of the component whose certificate it signs. */
  ISSUER = 'Issuer',
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
}

/**
 * The issuer cert-manager signs a serving certificate with.
 */
export interface CertManagerCertificateProps {
  /**
   * The name of an issuer of yours (an `Issuer` in the component's namespace, or a
   * `ClusterIssuer`) that signs the serving certificate.
   * @default - a private CA for Calico, made by cert-manager in the component's namespace: a
   * self-signed `Issuer` `calico-selfsigned`, the CA `Certificate` `calico-ca` and the CA `Issuer`
   * `calico-ca` that signs the serving certificate
   */
  readonly issuerName?: string;
  /**
   * The kind of `issuerName`.
   * @default CertManagerIssuerKind.CLUSTER_ISSUER
   */
  readonly issuerKind?: CertManagerIssuerKind;
}

/**
 * A serving certificate you already have: a `kubernetes.io/tls` Secret and the CA that signed it.
 */
export interface ExistingCertificateProps {
  /**
   * The `kubernetes.io/tls` Secret (keys `tls.crt` and `tls.key`) in the namespace of the
   * component it serves: `calico-apiserver` for the API server, the install namespace for the
   * webhook. Its certificate must name the component's Service (`calico-api.calico-apiserver.svc`,
   * `calico-webhooks.<namespace>.svc`). The output only mounts it.
   */
  readonly secretName: string;
  /**
   * The CA certificate(s) that signed it, PEM (`-----BEGIN CERTIFICATE-----` blocks only, never a
   * key): written, base64-encoded, as the `caBundle` the Kubernetes API server verifies the
   * component with.
   */
  readonly caBundle: string;
}

/** Longest CA bundle accepted (a bundle of a few dozen certificates). */
const MAX_CA_BUNDLE_LENGTH = 256 * 1024;
const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';
/** A PEM body: base64 text and line breaks. */
const PEM_BODY = /^[A-Za-z0-9+/=\s]+$/;

/**
 * Where the serving certificate of the Calico API server (`CalicoApiMode.API_SERVER`) or of the
 * calico-webhooks webhook (`CalicoApiMode.NATIVE_V3_CRDS`) comes from. The output never holds a
 * private key: cert-manager writes the Secret in the cluster, or it exists already.
 */
export class ServingCertificates {
  /**
   * cert-manager issues the certificate (a `Certificate` in the output) and injects its CA into
   * the `APIService` or webhook configuration (the `cert-manager.io/inject-ca-from` annotation),
   * so that an apply or a GitOps sync completes with no hand work. cert-manager must be installed
   * in the cluster first.
   * @param props the issuer
   */
  public static certManager(props: CertManagerCertificateProps = {}): ServingCertificates {
    checkArguments('ServingCertificates.certManager', [props]);
    if (props.issuerName !== undefined && !isDns1123Subdomain(props.issuerName)) {
      throw new CalicoValidationError(`ServingCertificates.certManager: issuerName ${quote(props.issuerName)} is not a valid issuer name (DNS-1123 subdomain); use lower-case letters, digits, '-' and '.'`);
    }
    if (props.issuerKind !== undefined && props.issuerName === undefined) {
      throw new CalicoValidationError('ServingCertificates.certManager: issuerKind is set without issuerName; name your issuer, or drop issuerKind to let the library make a private CA');
    }
    return new ServingCertificates('cert-manager', props.issuerName,
      props.issuerName === undefined ? undefined : props.issuerKind ?? CertManagerIssuerKind.CLUSTER_ISSUER, undefined, undefined);
  }

  /**
   * A certificate you manage: the output mounts your Secret and writes your CA bundle.
   * @param props the Secret and the CA bundle
   */
  public static fromSecret(props: ExistingCertificateProps): ServingCertificates {
    checkArguments('ServingCertificates.fromSecret', [props]);
    if (!isDns1123Subdomain(props.secretName)) {
      throw new CalicoValidationError(`ServingCertificates.fromSecret: secretName ${quote(props.secretName)} is not a valid Secret name (DNS-1123 subdomain); use lower-case letters, digits, '-' and '.'`);
    }
    const problem = caBundleProblem(props.caBundle);
    if (problem) throw new CalicoValidationError(`ServingCertificates.fromSecret: caBundle ${problem}`);
    return new ServingCertificates('secret', undefined, undefined, props.secretName, `${props.caBundle.trim()}\n`);
  }

  private constructor(
    /** 'cert-manager' or 'secret'. */
    public readonly mode: string,
    /** The cert-manager issuer named; undefined when the library makes a private CA, or for a Secret. */
    public readonly issuerName: string | undefined,
    /** The kind of `issuerName`; undefined without one. */
    public readonly issuerKind: CertManagerIssuerKind | undefined,
    /** The Secret of `fromSecret`; undefined with cert-manager (the Secret is the Certificate's). */
    public readonly secretName: string | undefined,
    /** The PEM CA bundle of `fromSecret`; undefined with cert-manager (it injects the CA). */
    public readonly caBundle: string | undefined,
  ) {}
}

/** Why `text` is not a PEM bundle of certificates, or undefined when it is one. Linear. */
function caBundleProblem(text: string): string | undefined {
  if (text.length > MAX_CA_BUNDLE_LENGTH) return `is ${text.length} characters long, more than the ${MAX_CA_BUNDLE_LENGTH} a CA bundle needs`;
  if (text.includes('PRIVATE KEY')) return 'holds a private key; give the CA certificate(s) only (the output never carries key material)';
  const trimmed = text.trim();
  if (!trimmed.startsWith(PEM_BEGIN)) return `${quote(trimmed)} is not PEM: it must start with ${PEM_BEGIN}`;
  let at = 0;
  let count = 0;
  while (at < trimmed.length) {
    if (!trimmed.startsWith(PEM_BEGIN, at)) return `has text outside its certificate blocks at character ${at}; give PEM certificates only`;
    const end = trimmed.indexOf(PEM_END, at + PEM_BEGIN.length);
    if (end < 0) return `has a certificate block without ${PEM_END}`;
    const body = trimmed.slice(at + PEM_BEGIN.length, end);
    if (!PEM_BODY.test(body)) return `certificate ${count + 1} is not base64 between its PEM markers`;
    count++;
    at = end + PEM_END.length;
    while (at < trimmed.length && /\s/.test(trimmed[at])) at++;
  }
  return undefined;
}
