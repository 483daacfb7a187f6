// Which workloads a cluster-wide pod policy selects, shared by DefaultDenyPolicy, PlatformGuardrails
// and BaselineDefaultDeny: every pod outside the system namespaces, namespaces matched by a label every
// namespace carries; the system namespaces' default (kube-system and the app's CalicoClusters'
// own); and the DNS egress allowance.
import { ValidationIssue } from '../../core/errors';
import { quoteJson } from '../../core/quote';
import { Port } from '../../language/port';
import { EntityRule, PolicyRule, Rule } from '../../language/rule';
import { Selector } from '../../language/selector';
import { parseCidrOrIp } from '../../net/address';
import { isNamespaceName } from '../../validation/common';

/** Where the cluster DNS answers (the shape of `ClusterDns`). */
export interface DnsTarget {
  readonly selector?: Selector;
  readonly namespaceName?: string;
  readonly nets?: string[];
}

/** The namespace selectors of a pod policy: the system namespaces, and the namespaces it selects. */
export interface WorkloadNamespaces {
  /** The system namespaces. */
  readonly system: Selector;
  /** The namespaces the policy applies to: every other namespace that carries the label. */
  readonly selected: Selector;
}

/**
 * The namespace selectors for `systemNamespaces` by `namespaceLabel`. `has()` is what keeps host
 * endpoints out: Calico matches a policy's namespaceSelector against the labels of the endpoint's
 * namespace, host endpoints have none, and `not in` alone also matches an absent label.
 */
export function workloadNamespaces(namespaceLabel: string, systemNamespaces: string[], includeHostEndpoints: boolean): WorkloadNamespaces {
  const outsideSystem = Selector.notIn(namespaceLabel, systemNamespaces);
  return {
    system: Selector.isIn(namespaceLabel, systemNamespaces),
    selected: includeHostEndpoints ? outsideSystem : Selector.has(namespaceLabel).andAlso(outsideSystem),
  };
}

/**
 * The DNS egress rules: one for UDP and one for TCP (DNS retries over TCP when an answer does not
 * fit in a UDP datagram). DNS servers given by address get a pair per IP version, since a Calico
 * rule matches one IP version.
 */
export function dnsRules(dns: DnsTarget, namespaceLabel: string): PolicyRule[] {
  const destinations: EntityRule[] = [];
  if (dns.selector) {
    destinations.push({ selector: dns.selector, namespaceSelector: Selector.eq(namespaceLabel, dns.namespaceName!) });
  } else if (dns.nets) {
    for (const version of [4, 6]) {
      const nets = dns.nets.filter(n => parseCidrOrIp(n)?.version === version);
      if (nets.length) destinations.push({ nets });
    }
  }
  return destinations.flatMap(destination => [
    Rule.allow({ destination: { ...destination, ports: [Port.udp(53)] } }),
    Rule.allow({ destination: { ...destination, ports: [Port.tcp(53)] } }),
  ]);
}

/**
 * The system namespaces in force: the ones given (checked: valid names, `kube-system` among
 * them), or `kube-system` and `defaults`.
 * @param consequence what leaving out kube-system would do, for the message
 */
export function checkSystemNamespaces(given: string[] | undefined, defaults: readonly string[], issues: ValidationIssue[], consequence: string): string[] {
  const path = 'spec.namespaceSelector';
  if (given === undefined) return [...new Set(['kube-system', ...defaults])];
  const out: string[] = [];
  for (const ns of given) {
    if (!isNamespaceName(ns)) {
      issues.push({
        path,
        message: `system namespace ${quoteJson(ns)} is not a valid namespace name; use at most 63 lower-case `
          + 'letters, digits and \'-\', starting and ending with a letter or digit',
      });
    } else if (!out.includes(ns)) {
      out.push(ns);
    }
  }
  if (!given.includes('kube-system')) {
    issues.push({ path, message: `systemNamespaces ${quoteJson(given)} leaves out 'kube-system'; ${consequence}, so add 'kube-system' to the list` });
  }
  return out;
}
