// The reachability matrix as Markdown: one sentence on what was checked, a table whose rows are
// sources and columns destinations (numbered, the names on the rows), and what the limits left out.
import { cellText, MatrixView, plural, portsSentence, shortLabel } from './view';

/** Most names a "left out" line lists before it says how many more there are. */
const MAX_LISTED = 10;

/** Renders the matrix (no heading). */
export function matrixMarkdown(view: MatrixView): string {
  const out: string[] = [];
  if (view.ends.length === 0) {
    return 'No workload or namespace is known, so there is nothing to draw: pass `workloads` (on CalicoReport or '
      + 'ReachabilityMatrix) to describe the pods the policies will meet.\n';
  }
  out.push(`Each cell says on which ports the row's workload may open a connection to the column's, as the policy model evaluates the policies: `
    + `**all** (every port checked), **—** (none), or the ports allowed. Ports checked: ${markdownText(portsSentence(view))}. `
    + '`<namespace>/*` is a pod without labels in a namespace with no known workload; the ends carry no address, so rules that match by nets '
    + 'narrower than 0.0.0.0/0 do not match them.', '');
  out.push(`| From \\ to | ${view.ends.map((_, i) => i + 1).join(' | ')} |`, `| --- | ${view.ends.map(() => '---').join(' | ')} |`);
  view.ends.forEach((label, s) => {
    out.push(`| **${s + 1}** ${markdownText(shortLabel(label))} | ${view.ends.map((__, d) => cellText(view, s, d)).join(' | ')} |`);
  });
  out.push('');
  const notes: string[] = [];
  if (view.omittedEnds.length > 0) notes.push(`Left out by the limits: ${plural(view.omittedEnds.length, 'workload')} (${listed(view.omittedEnds)}).`);
  if (view.omittedPorts.length > 0) notes.push(`Ports the policies name that the limits left out (named by the fewest rules): ${listed(view.omittedPorts)}.`);
  if (view.unresolved.length > 0) notes.push(`Named ports no known workload has, so no column checks them: ${listed(view.unresolved)}.`);
  for (const w of view.warnings) notes.push(`Not modelled exactly: ${markdownText(w)}`);
  notes.push(`${plural(view.evaluations, 'flow')} evaluated.`);
  out.push(...notes.map(n => `- ${n}`), '');
  return out.join('\n');
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).map(i => markdownText(shortLabel(i))).join(', ');
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
}

/**
 * Text shown as itself in Markdown (inside a table cell too): Markdown's punctuation escaped,
 * HTML's special characters as entities, line breaks and other control characters as spaces.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#~]/g, c => `\\${c}`);
}
