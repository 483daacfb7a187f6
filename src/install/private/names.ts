// Kubernetes name rules used to check install settings before they reach a manifest
// (apimachinery pkg/util/validation, as of Kubernetes 1.28). The DNS-1123 rules are the
// validator's own (src/validation/common.ts).

import { MAX_NAME_LENGTH, isNamespaceName, isResourceName } from '../../validation/common';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A DNS-1123 label: namespace names (at most 63 characters, lower case, digits and '-'). */
export function isDns1123Label(value: string): boolean {
  return isNamespaceName(value);
}

/** A DNS-1123 subdomain: names of Secrets, ConfigMaps and most other objects. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH && isResourceName(value);
}

/** A DNS-1035 label: Service names (must start with a letter). */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/** A key of a ConfigMap or Secret. */
export function isConfigMapKey(value: string): boolean {
  return value.length <= 253 && CONFIG_MAP_KEY.test(value) && value !== '.' && value !== '..';
}

/** A container environment variable name. */
export function isEnvVarName(value: string): boolean {
  return ENV_VAR_NAME.test(value);
}

/** An image registry (host[:port] with an optional path), without scheme or trailing slash. */
export function isRegistry(value: string): boolean {
  return /^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(value);
}
