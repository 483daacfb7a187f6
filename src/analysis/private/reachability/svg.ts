// The reachability matrix as an SVG 1.1 heat map, written as text: rows are sources, columns
// destinations; a cell's colour is the share of the checked ports that are allowed, its number how
// many, its tooltip which. Every coordinate is a whole number and every label escaped, so the same
// matrix gives the same bytes and no name can break the document.
import { cellText, MatrixView, plural, portsSentence, shortLabel } from './view';

const CELL = 28;
const FONT = 12;
/** Width of a character of the 12px sans-serif labels, generously estimated. */
const CHAR_WIDTH = 7;
const MARGIN = 16;
/** Colour of no port allowed and of every port allowed; shares in between are mixed linearly. */
const NONE: readonly number[] = [0xf4, 0xf1, 0xee];
const ALL: readonly number[] = [0x1a, 0x98, 0x50];
const LEGEND_STEPS = [0, 0.25, 0.5, 0.75, 1];

/** Renders the heat map. */
export function matrixSvg(view: MatrixView): string {
  const n = view.ends.length;
  if (n === 0) return messageSvg('No workload or namespace is known, so there is no matrix to draw.');
  const labels = view.ends.map((l, i) => `${i + 1} ${shortLabel(l)}`);
  const longest = Math.max(12, ...labels.map(l => Array.from(l).length));
  const labelWidth = longest * CHAR_WIDTH;
  const left = MARGIN + labelWidth + 8;
  // Column labels run up and to the right at 45 degrees: they need labelWidth / sqrt(2) of height.
  const top = MARGIN + 28 + Math.ceil(labelWidth * 0.7072) + 8;
  const gridEnd = top + n * CELL;
  const width = Math.max(left + n * CELL + MARGIN + Math.ceil(labelWidth * 0.7072), 560);
  const legendTop = gridEnd + 24;
  const height = legendTop + 64;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" `
    + `font-family="sans-serif" font-size="${FONT}">`);
  out.push('<title>Who may reach whom</title>');
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN}" y="${MARGIN + 12}" font-size="14" font-weight="bold">Who may reach whom: rows are sources, columns destinations</text>`);
  view.ends.forEach((_, i) => {
    const y = top + i * CELL + CELL / 2 + 4;
    out.push(`<text x="${left - 8}" y="${y}" text-anchor="end">${xmlText(labels[i])}</text>`);
    const x = left + i * CELL + CELL / 2 + 4;
    out.push(`<text x="${x}" y="${top - 6}" transform="rotate(-45 ${x} ${top - 6})">${xmlText(labels[i])}</text>`);
  });
  const total = view.ports.length;
  view.ends.forEach((source, s) => view.ends.forEach((destination, d) => {
    const count = view.allowed[s][d].filter(a => a).length;
    const share = total === 0 ? 0 : count / total;
    const x = left + d * CELL;
    const y = top + s * CELL;
    out.push(`<g><title>${xmlText(`${shortLabel(source)} to ${shortLabel(destination)}: ${cellText(view, s, d)} (${count} of ${plural(total, 'port')})`)}</title>`
      + `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${colour(share)}" stroke="#ffffff"/>`
      + `<text x="${x + CELL / 2}" y="${y + CELL / 2 + 4}" text-anchor="middle" fill="${share > 0.5 ? '#ffffff' : '#333333'}">${count}</text></g>`);
  }));
  out.push(`<text x="${MARGIN}" y="${legendTop}">A cell's number is how many of the ${plural(total, 'port')} checked the flow is allowed on:</text>`);
  LEGEND_STEPS.forEach((step, i) => {
    const x = MARGIN + i * 96;
    out.push(`<rect x="${x}" y="${legendTop + 10}" width="${CELL}" height="${CELL / 2}" fill="${colour(step)}" stroke="#999999"/>`);
    out.push(`<text x="${x + CELL + 6}" y="${legendTop + 22}">${step === 0 ? 'none' : step === 1 ? 'all' : `${step * 100}%`}</text>`);
  });
  out.push(`<text x="${MARGIN}" y="${legendTop + 48}">${xmlText(`Ports: ${portsSentence(view)}`)}</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

/** An SVG that only says why there is no heat map (the message shortened to a line). */
export function messageSvg(message: string): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="560" height="72" viewBox="0 0 560 72" font-family="sans-serif" font-size="${FONT}">`,
    '<title>Who may reach whom</title>',
    '<rect x="0" y="0" width="560" height="72" fill="#ffffff"/>',
    `<text x="${MARGIN}" y="${MARGIN + 12}" font-size="14" font-weight="bold">Who may reach whom</text>`,
    `<text x="${MARGIN}" y="${MARGIN + 36}">${xmlText(message)}</text>`,
    '</svg>', ''].join('\n');
}

/** The heat map's colour for a share from 0 to 1. */
export function colour(share: number): string {
  return `#${NONE.map((from, i) => Math.round(from + (ALL[i] - from) * share).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Text as XML character data or an attribute value: the five special characters as entities,
 * and characters XML 1.0 does not allow (most control characters, unpaired surrogates, U+FFFE,
 * U+FFFF) as U+FFFD.
 */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
