/**
 * Run Calico on its own etcd cluster instead of the Kubernetes API (upstream's
 * `manifests/calico-etcd.yaml` of the cluster's release).
 *
 * The etcd datastore is an explicit opt-in: Calico's recommended datastore is the Kubernetes
 * API, which needs no extra cluster to run, back up and secure. Choose etcd only when you already
 * operate an etcd cluster for Calico (for example one shared with OpenStack or bare-metal hosts).
 *
 * What changes against the Kubernetes-datastore install:
 * - calico-node, the CNI plugin and calico-kube-controllers read etcd (`ETCD_ENDPOINTS`,
 *   `ETCD_CA_CERT_FILE`, `ETCD_CERT_FILE`, `ETCD_KEY_FILE` from the calico-config ConfigMap).
 * - There is no Typha: Typha fans out the Kubernetes datastore, and Felix reads etcd directly.
 * - calico-kube-controllers runs on the host network and, by default, the policy, namespace,
 *   serviceaccount, workloadendpoint, node and loadbalancer controllers (they copy Kubernetes state
 *   into etcd).
 * - The RBAC shrinks to what upstream's etcd manifest grants: calico-node and the CNI plugin get
 *   no access to Calico CRDs.
 * - Calico resources (IP pools, FelixConfiguration, policies) live in etcd, so they are applied
 *   with `calicoctl` configured for etcd (`DATASTORE_TYPE=etcdv3`), not with `kubectl`.
 *
 * TLS material is never written into the manifests. With `https` endpoints, name a Secret you
 * create yourself in the install namespace, holding the keys `etcd-ca` (CA bundle that signed the
 * etcd server certificates), `etcd-cert` (client certificate) and `etcd-key` (client private key),
 * for example:
 *
 * ```sh
 * kubectl -n kube-system create secret generic calico-etcd-secrets \
 *   --from-file=etcd-ca=ca.crt --from-file=etcd-cert=calico.crt --from-file=etcd-key=calico.key
 * ```
 *
 * It is mounted at `/calico-secrets` (mode 0400 in calico-node, 0440 in kube-controllers), where
 * the ConfigMap's `etcd_ca`, `etcd_cert` and `etcd_key` point. Upstream's manifest ships an empty
 * `calico-etcd-secrets` Secret for you to fill in; this library renders no Secret at all, so
 * applying the output can never overwrite your key material.
 */
export interface EtcdDatastoreProps {
  /**
   * Client URLs of the etcd members, each `https://<host>:<port>` (or `http://` for an etcd
   * without TLS), e.g. `['https://10.0.0.10:2379', 'https://10.0.0.11:2379']`.
   *
   * Every endpoint needs an explicit port and no path, query or credentials; all endpoints use
   * the same scheme. They are written, comma-separated, to `etcd_endpoints` in calico-config.
   */
  readonly endpoints: string[];
  /**
   * Name of an existing Secret in the install namespace with the keys `etcd-ca`, `etcd-cert` and
   * `etcd-key` (mutual TLS to etcd).
   *
   * Required when the endpoints use `https`, and not allowed with `http` (the certificates would
   * never be used). Upstream's manifest defaults to plain HTTP; this library only renders plain
   * HTTP when every endpoint says `http://`, because then etcd traffic (every policy and pod
   * address) is neither encrypted nor authenticated.
   *
   * @default - none: only valid with `http://` endpoints; no Secret is mounted
   */
  readonly tlsSecretName?: string;
}
