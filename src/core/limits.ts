// Sizes beyond which input can never reach Calico, so the library refuses it before doing any work.

/**
 * The largest request body the Kubernetes API server reads: 3 MiB. No manifest can be larger and
 * still be applied (an etcd-datastore cluster takes at most 1.5 MiB per object by default), so no
 * field of one, such as a selector, can be either. Text is measured in UTF-16 code units, never
 * more than its UTF-8 bytes, so text longer than this is also more bytes than this.
 */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
