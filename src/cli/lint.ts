// `cdk8s-calico lint`: every Calico object through validateManifest, and the set audited against
// the reference architecture (the same analysis the architecture report runs).
import type { CalicoVersion } from '../core/calico-version';
import { analyze, Analysis } from '../analysis/analyze';
import { Finding } from '../analysis/lint-rules';
import { objectId } from '../analysis/cluster-model';
import { InputError, ReadResult } from './input';

/** Exit code: nothing found. */
export const EXIT_CLEAN = 0;
/** Exit code: findings. */
export const EXIT_FINDINGS = 1;
/** Exit code: unreadable input or bad arguments. */
export const EXIT_UNREADABLE = 2;

/** One finding, located. */
export interface LintFinding {
  /** The file; '' for a finding about the whole input (no-default-deny, for one). */
  readonly file: string;
  /** 1-based line (0 for a finding about the whole input). */
  readonly line: number;
  /** `Kind/name` or `Kind/namespace/name`; '-' for the whole input. */
  readonly object: string;
  readonly rule: string;
  readonly message: string;
}

/** The outcome of a lint run. */
export interface LintResult {
  readonly findings: LintFinding[];
  readonly errors: InputError[];
  readonly files: number;
  readonly objects: number;
  /** 0 clean, 1 findings, 2 unreadable input. */
  readonly exitCode: number;
  /** The Calico release the objects were checked for (e.g. `v3.32.1`). */
  readonly calicoVersion: string;
}

/** Facts the audits need that the YAML does not hold, and the rules to skip. */
export interface LintFacts {
  readonly nodes?: number;
  readonly networkMtu?: number;
  readonly nodeSubnets?: readonly string[];
  readonly serviceCidrs?: readonly string[];
  /** The release the objects are for (--calico-version); read from the images otherwise. */
  readonly calicoVersion?: CalicoVersion;
  /** Rule names not to report (--disable). */
  readonly disabledRules?: readonly string[];
}

/** Lints what was read. */
export function lint(input: ReadResult, facts: LintFacts): LintResult {
  const errors = [...input.errors];
  if (input.objects.length === 0 && errors.length === 0) {
    errors.push({ file: input.files[0] ?? '-', message: 'no Kubernetes objects in the input; nothing to lint' });
  }
  const analysis: Analysis = analyze({
    objects: input.objects, expectedNodes: facts.nodes, networkMtu: facts.networkMtu, nodeSubnets: facts.nodeSubnets, serviceCidrs: facts.serviceCidrs,
    calicoVersion: facts.calicoVersion,
  });
  const disabled = new Set(facts.disabledRules ?? []);
  const fallbackFile = input.files[0] ?? '';
  const findings = analysis.findings.filter(f => !disabled.has(f.rule)).map(f => locate(f, fallbackFile)).sort(byPosition);
  const exitCode = errors.length > 0 ? EXIT_UNREADABLE : findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
  return { findings, errors, files: input.files.length, objects: input.objects.length, exitCode, calicoVersion: analysis.release.version.tag };
}

function locate(f: Finding, fallbackFile: string): LintFinding {
  const o = f.object;
  if (!o) return { file: '', line: 0, object: '-', rule: f.rule, message: f.message };
  const line = (f.path ? o.lineOf?.(f.path) : undefined) ?? o.line ?? 0;
  return { file: o.file ?? fallbackFile, line, object: objectId(o.manifest), rule: f.rule, message: f.path && f.rule === 'invalid-resource' ? `${f.path}: ${f.message}` : f.message };
}

/** File order, then line; findings about the whole input come last. */
function byPosition(a: LintFinding, b: LintFinding): number {
  if ((a.file === '') !== (b.file === '')) return a.file === '' ? 1 : -1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

/** One line per finding: `file:line: object [rule] message`, or `(input): [rule] message` for the whole input. */
export function formatText(r: LintResult): { out: string; err: string } {
  const out = r.findings.map(f => (f.file === '' ? `(input): [${f.rule}] ${f.message}\n` : `${f.file}:${f.line}: ${f.object} [${f.rule}] ${f.message}\n`)).join('');
  const errLines = r.errors.map(e => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: error: ${e.message}\n`);
  const counts = `${r.objects} object${r.objects === 1 ? '' : 's'} in ${r.files} file${r.files === 1 ? '' : 's'}, checked for Calico ${r.calicoVersion}`;
  const summary = r.exitCode === 0
    ? `cdk8s-calico lint: no findings (${counts})\n`
    : `cdk8s-calico lint: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`
      + `${r.errors.length > 0 ? `, ${r.errors.length} unreadable input${r.errors.length === 1 ? '' : 's'}` : ''} (${counts})\n`;
  return { out, err: errLines.join('') + summary };
}

/** The whole result as one JSON document. */
export function formatJson(r: LintResult): string {
  return `${JSON.stringify({
    findings: r.findings.map(f => (f.file === '' ? { ...f, file: null, line: null, object: null } : f)),
    errors: r.errors.map(e => ({ file: e.file, line: e.line ?? null, message: e.message })),
    summary: { files: r.files, objects: r.objects, findings: r.findings.length, errors: r.errors.length, exitCode: r.exitCode, calicoVersion: r.calicoVersion },
  }, null, 2)}\n`;
}
