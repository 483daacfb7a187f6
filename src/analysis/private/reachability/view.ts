// What the Markdown and SVG renderings of a reachability matrix read: plain, already ordered data.

/** A port column. */
export interface ViewPort {
  readonly protocol: string;
  readonly port: number;
  readonly label: string;
  readonly namedByPolicy: boolean;
}

/** A reachability matrix, ready to render. */
export interface MatrixView {
  /** Labels of the sources and destinations, in order. */
  readonly ends: readonly string[];
  /** The ports checked, in order. */
  readonly ports: readonly ViewPort[];
  /** allowed[source][destination][port]. */
  readonly allowed: readonly (readonly (readonly boolean[])[])[];
  readonly omittedEnds: readonly string[];
  readonly omittedPorts: readonly string[];
  readonly unresolved: readonly string[];
  readonly warnings: readonly string[];
  readonly evaluations: number;
}

/** Most characters of a label shown; a longer one is cut and ends in '…'. */
export const MAX_LABEL_CHARACTERS = 48;

/** A label cut to at most MAX_LABEL_CHARACTERS code points (never inside a surrogate pair). */
export function shortLabel(label: string): string {
  if (label.length <= MAX_LABEL_CHARACTERS) return label;
  const points = Array.from(label.slice(0, MAX_LABEL_CHARACTERS * 2));
  return points.length <= MAX_LABEL_CHARACTERS && label.length <= MAX_LABEL_CHARACTERS * 2 ? label : `${points.slice(0, MAX_LABEL_CHARACTERS - 1).join('')}…`;
}

/** Which ports a cell allows, as the table and the tooltips write it: `all`, `—` or `80, 443`. */
export function cellText(view: MatrixView, s: number, d: number): string {
  const row = view.allowed[s][d];
  const labels = view.ports.filter((_, p) => row[p]).map(p => p.label);
  if (labels.length === 0) return '—';
  if (labels.length === view.ports.length) return 'all';
  return labels.join(', ');
}

/** The ports line: `80, 443, 53/UDP and other (TCP 65535, a port no policy names)`. */
export function portsSentence(view: MatrixView): string {
  const named = view.ports.filter(p => p.namedByPolicy).map(p => p.label);
  const other = view.ports.find(p => !p.namedByPolicy);
  const parts = [...named, ...(other ? [`other (TCP ${other.port}, a port no policy names)`] : [])];
  return parts.length <= 1 ? (parts[0] ?? 'none') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** A count and a noun: `1 workload`, `3 workloads`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
