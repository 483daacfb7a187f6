// Field-by-field comparison of two plain manifests, naming every difference by its path.
// Used to hold the rendered install against upstream's manifest.

/** One difference: where, and what each side holds there. */
export interface ManifestDifference {
  /** Path like `spec.template.spec.containers[calico-node].env[IP].value`; list items with a `name` are addressed by it. */
  readonly path: string;
  /** What the expected side holds (undefined when the field is missing there). */
  readonly expected: unknown;
  /** What the actual side holds (undefined when the field is missing there). */
  readonly actual: unknown;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The `name` of every item when each item is an object with a unique string name; else undefined. */
function namesOf(list: unknown[]): string[] | undefined {
  const names = list.map(item => (isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some(n => n === undefined)) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Every difference between `expected` and `actual`. Lists of named items (containers, env,
 * volumes, ports) are matched by name, and a different order is reported once at the list;
 * other lists are matched by index.
 */
export function manifestDiff(expected: unknown, actual: unknown, path = ''): ManifestDifference[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const en = namesOf(expected);
    const an = namesOf(actual);
    const out: ManifestDifference[] = [];
    if (en && an) {
      const common = en.filter(n => an.includes(n));
      const actualOrder = an.filter(n => en.includes(n));
      if (common.join('\n') !== actualOrder.join('\n')) {
        out.push({ path: `${path} (order)`, expected: common, actual: actualOrder });
      }
      for (const name of en) {
        const a = actual[an.indexOf(name)];
        out.push(...manifestDiff(expected[en.indexOf(name)], an.includes(name) ? a : undefined, `${path}[${name}]`));
      }
      for (const name of an) {
        if (!en.includes(name)) out.push({ path: `${path}[${name}]`, expected: undefined, actual: actual[an.indexOf(name)] });
      }
      return out;
    }
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) out.push(...manifestDiff(expected[i], actual[i], `${path}[${i}]`));
    return out;
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const out: ManifestDifference[] = [];
    const keys = [...Object.keys(expected), ...Object.keys(actual).filter(k => !(k in expected))];
    for (const key of keys) out.push(...manifestDiff(expected[key], actual[key], join(path, key)));
    return out;
  }
  if (expected === actual) return [];
  return [{ path, expected, actual }];
}

/** One line per difference: `path: expected <json>, got <json>`. */
export function formatDifferences(prefix: string, differences: ManifestDifference[]): string[] {
  const show = (v: unknown) => (v === undefined ? '(missing)' : JSON.stringify(v));
  return differences.map(d => `${prefix}${d.path}: expected ${show(d.expected)}, got ${show(d.actual)}`);
}
