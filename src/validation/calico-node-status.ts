// Validation of CalicoNodeStatus (the CalicoNodeStatusSpec tags of libcalico-go's v3 API): the node
// whose status calico/node reports, the classes of status it reports (at least one, each once), and
// how often (0 to 86400 seconds; 0 stops the updates). calico/node writes the status; the
// field-name and CRD passes check one given back. Importing this module registers the kind.
import { checkNameFormat, readInteger, readString, readStringList, typeIssue } from './common';
import { IssueCollector, isObject, q } from './issues';
import { registerKind } from './registry';

/** The classes of status calico/node can report. */
export const NODE_STATUS_CLASSES: readonly string[] = ['Agent', 'BGP', 'Routes'];
/** Longest update period: one day. */
export const MAX_UPDATE_PERIOD_SECONDS = 86_400;

/** Validates a CalicoNodeStatus manifest (spec). */
export function validateCalicoNodeStatus(m: Record<string, any>, c: IssueCollector): void {
  const spec = m.spec;
  if (spec === undefined || spec === null) {
    c.add('spec', 'a CalicoNodeStatus needs a spec with node, classes and updatePeriodSeconds; add spec.node, for example');
    return;
  }
  if (!isObject(spec)) {
    typeIssue(c, 'spec', 'an object', spec);
    return;
  }
  const node = readString(spec, 'node', 'spec', c);
  if (node) checkNameFormat(node, 'spec.node', c, 'node');
  else if (spec.node === undefined || spec.node === null || spec.node === '') {
    c.add('spec.node', 'node is required: name the node (as calico/node knows it, usually the Kubernetes node name) whose status to report');
  }
  checkClasses(spec, c);
  const period = readInteger(spec, 'updatePeriodSeconds', 'spec', c);
  if (spec.updatePeriodSeconds === undefined || spec.updatePeriodSeconds === null) {
    c.add('spec.updatePeriodSeconds', `updatePeriodSeconds is required; set how often calico/node refreshes the status, from 1 to ${MAX_UPDATE_PERIOD_SECONDS} seconds (0 stops it)`);
  } else if (period !== undefined && (period < 0 || period > MAX_UPDATE_PERIOD_SECONDS)) {
    c.add('spec.updatePeriodSeconds', `updatePeriodSeconds ${period} is out of range; use 0 (no updates) to ${MAX_UPDATE_PERIOD_SECONDS} (one day)`);
  }
}

function checkClasses(spec: Record<string, any>, c: IssueCollector): void {
  const classes = readStringList(spec, 'classes', 'spec', c);
  if (spec.classes === undefined || spec.classes === null || (Array.isArray(spec.classes) && spec.classes.length === 0)) {
    c.add('spec.classes', `classes is required; list what to report: ${NODE_STATUS_CLASSES.join(', ')}`);
    return;
  }
  const seen = new Set<string>();
  for (const { value, path } of classes ?? []) {
    if (!NODE_STATUS_CLASSES.includes(value)) {
      const fixed = NODE_STATUS_CLASSES.find(k => k.toLowerCase() === value.toLowerCase());
      c.add(path, `classes entry ${q(value)} is not a status class; ${fixed ? `write '${fixed}' (case-sensitive)` : `use ${NODE_STATUS_CLASSES.join(', ')}`}`);
    } else if (seen.has(value)) {
      c.add(path, `classes lists ${q(value)} more than once; list each class once`);
    }
    seen.add(value);
  }
}

registerKind('CalicoNodeStatus', validateCalicoNodeStatus);
