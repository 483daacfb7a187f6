/**
 * Mutual TLS between Felix and Typha.
 *
 * Typha presents the certificate in `serverSecretName` and accepts only clients whose
 * certificate carries `clientCommonName`; Felix presents the certificate in `clientSecretName`
 * and accepts only a Typha whose certificate carries `serverCommonName`. Both certificates are
 * checked against the one CA bundle. Key material is mounted from the named Secrets and
 * ConfigMaps, never written into the manifests: create them (for example with cert-manager) in
 * the install namespace.
 */
export interface TyphaTlsProps {
  /**
   * Name of the ConfigMap that holds the CA bundle. Give exactly one of this and `caBundleSecretName`.
   * @default - none; the CA bundle comes from `caBundleSecretName`
   */
  readonly caBundleConfigMapName?: string;
  /**
   * Name of the Secret that holds the CA bundle. Give exactly one of this and `caBundleConfigMapName`.
   * @default - none; the CA bundle comes from `caBundleConfigMapName`
   */
  readonly caBundleSecretName?: string;
  /**
   * Key of the CA bundle in that ConfigMap or Secret.
   * @default 'ca.crt'
   */
  readonly caBundleKey?: string;
  /** Name of the Secret with Typha's server certificate and private key. */
  readonly serverSecretName: string;
  /** Name of the Secret with Felix's client certificate and private key. */
  readonly clientSecretName: string;
  /**
   * Key of the certificate in both certificate Secrets (the `kubernetes.io/tls` layout).
   * @default 'tls.crt'
   */
  readonly certificateKey?: string;
  /**
   * Key of the private key in both certificate Secrets (the `kubernetes.io/tls` layout).
   * @default 'tls.key'
   */
  readonly privateKeyKey?: string;
  /**
   * Common Name of Typha's server certificate, which Felix requires (`FELIX_TYPHACN`).
   * @default 'typha-server'
   */
  readonly serverCommonName?: string;
  /**
   * Common Name of Felix's client certificate, which Typha requires (`TYPHA_CLIENTCN`).
   * @default 'typha-client'
   */
  readonly clientCommonName?: string;
}
