// Every regular expression in src/ runs in linear time on any input: each regex literal and each
// `new RegExp(...)` is found with the TypeScript compiler and checked with recheck (a ReDoS
// checker that proves, or refutes with an attack string, that backtracking stays linear). A
// pattern built at run time cannot be read from the source, so it must be listed below with the
// reason it is safe and, where the code can build it, the patterns it builds, which are checked too.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN } from '../src/validation/common';
import { PATTERNS_NOT_RUN } from '../src/validation/crd-schema';
import { CRD_LINES } from '../src/validation/private/crd-fields';
import type { CrdField } from '../src/validation/private/crd-types';
import { REPO_ROOT } from './support/util';

// checkSync runs the check in a worker thread, with recheck's native binary where the platform has
// one (its optional dependency) and its JavaScript build otherwise.
import { checkSync } from 'recheck';

const SRC = path.join(REPO_ROOT, 'src');

/** A `new RegExp(...)` whose pattern is built at run time. */
interface DynamicRegExp {
  /** File below src/. */
  readonly file: string;
  /** The expression exactly as written. */
  readonly code: string;
  /** Why it cannot backtrack badly. */
  readonly reason: string;
  /** The patterns it builds, each checked like a literal. */
  readonly builds: readonly string[];
}

/** Every pattern of the generated CRD tables the library runs, as crdPattern compiles it (without `(?i)`). */
function crdPatterns(): string[] {
  const out = new Set<string>();
  const walk = (f: CrdField | undefined): void => {
    if (!f) return;
    if (f.pattern !== undefined && !PATTERNS_NOT_RUN.has(f.pattern)) out.add(f.pattern.replace('(?i)', ''));
    Object.values(f.fields ?? {}).forEach(walk);
    walk(f.items);
    walk(f.values);
  };
  for (const line of Object.values(CRD_LINES)) for (const kind of Object.values(line.kinds)) [kind.spec, kind.status].forEach(walk);
  return [...out].sort();
}

const DYNAMIC: readonly DynamicRegExp[] = [
  {
    file: 'validation/common.ts',
    code: 'new RegExp(`^${DNS_LABEL_PATTERN}$`)',
    reason: 'built once from the exported DNS-1123 constants',
    builds: [`^${DNS_LABEL_PATTERN}$`],
  },
  {
    file: 'validation/common.ts',
    code: 'new RegExp(`^${DNS_SUBDOMAIN_PATTERN}$`)',
    reason: 'built once from the exported DNS-1123 constants',
    builds: [`^${DNS_SUBDOMAIN_PATTERN}$`],
  },
  {
    file: 'validation/policy.ts',
    code: 'new RegExp(`^(${DNS_LABEL_PATTERN}\\\\.)?${DNS_LABEL_PATTERN}$`)',
    reason: 'built once from the exported DNS-1123 constants',
    builds: [`^(${DNS_LABEL_PATTERN}\\.)?${DNS_LABEL_PATTERN}$`],
  },
  {
    file: 'validation/policy.ts',
    code: 'new RegExp(`^(${DNS_LABEL_PATTERN}(\\\\.${DNS_LABEL_PATTERN})?|(knp|ossg)\\\\.default\\\\.${DNS_SUBDOMAIN_PATTERN})$`)',
    reason: 'built once from the exported DNS-1123 constants',
    builds: [`^(${DNS_LABEL_PATTERN}(\\.${DNS_LABEL_PATTERN})?|(knp|ossg)\\.default\\.${DNS_SUBDOMAIN_PATTERN})$`],
  },
  {
    file: 'validation/crd-schema.ts',
    code: "new RegExp(source, insensitive ? 'iu' : 'u')",
    reason: 'compiles the patterns of the generated CRD tables (upstream data, fixed at build time), except PATTERNS_NOT_RUN',
    builds: crdPatterns(),
  },
  {
    file: 'validation/felix-configuration.ts',
    code: 'new RegExp(`^([A-Za-z0-9_]+=(${valueRe}),)*([A-Za-z0-9_]+=(${valueRe}))?$`)',
    reason: 'keyValueList() is called with two fixed value patterns, once each, when the module loads',
    builds: ['^([A-Za-z0-9_]+=(true|false|),)*([A-Za-z0-9_]+=(true|false|))?$', '^([A-Za-z0-9_]+=([^=,]+),)*([A-Za-z0-9_]+=([^=,]+))?$'],
  },
  {
    file: 'validation/go-syntax.ts',
    code: 'new RegExp(js)',
    reason: 'compiles a user\'s pattern (translated from Go syntax) only to learn whether it is valid; it never runs it on any text',
    builds: [],
  },
  {
    file: 'analysis/cluster-model.ts',
    code: 'new RegExp(`(^|/)${component}(:|@|$)`)',
    reason: 'component is one of two fixed image names',
    builds: ['(^|/)calico/node(:|@|$)', '(^|/)calico/typha(:|@|$)'],
  },
];

interface Found {
  readonly file: string;
  readonly line: number;
  /** The literal (`/.../flags`) or the `new RegExp(...)` expression. */
  readonly code: string;
  readonly source?: string;
  readonly flags?: string;
}

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  }).sort();
}

/** Every regex literal and every RegExp construction in src/. */
function findRegExps(): Found[] {
  const found: Found[] = [];
  for (const full of listSources(SRC)) {
    const file = path.relative(SRC, full).split(path.sep).join('/');
    const sf = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const slash = node.text.lastIndexOf('/');
        found.push({ file, line: lineOf(node), code: node.text, source: node.text.slice(1, slash), flags: node.text.slice(slash + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        const literal = pattern && ts.isStringLiteralLike(pattern) ? pattern.text : undefined;
        const literalFlags = flags === undefined ? '' : ts.isStringLiteralLike(flags) ? flags.text : undefined;
        found.push({ file, line: lineOf(node), code: node.getText(sf), source: literal, flags: literal !== undefined ? literalFlags : undefined });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** recheck's verdict, with the attack string when it found one. */
function verdict(source: string, flags: string): string {
  const result = checkSync(source, flags, { randomSeed: 42, timeout: 30_000 });
  if (result.status === 'safe') return 'safe';
  if (result.status === 'vulnerable') return `vulnerable (${result.complexity.type}): ${result.attack.pattern}`;
  return `${result.status}: ${JSON.stringify(result.error)}`;
}

const found = findRegExps();

describe('regular expressions in src/', () => {
  test('the checker tells a backtracking pattern from a linear one', () => {
    expect(verdict('^(\\d+).(\\d+).(\\d+).(\\d+):(\\d+)$', '')).toMatch(/^vulnerable \(polynomial\)/);
    expect(verdict('^(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+):(\\d+)$', '')).toBe('safe');
  });

  test('are found in the source (literals and RegExp constructions)', () => {
    expect(found.length).toBeGreaterThan(50);
    expect(found.some(f => f.file === 'net/address.ts' && f.code.startsWith('/^(\\d+)'))).toBe(true);
  });

  test('every literal pattern is safe', () => {
    const unsafe = found
      .filter(f => f.source !== undefined && f.flags !== undefined)
      .map(f => ({ at: `${f.file}:${f.line} ${f.code}`, verdict: verdict(f.source!, f.flags!) }))
      .filter(r => r.verdict !== 'safe');
    expect(unsafe).toEqual([]);
  }, 120_000);

  test('every pattern built at run time is listed with its reason, and what it builds is safe', () => {
    const dynamic = found.filter(f => f.source === undefined || f.flags === undefined);
    const unlisted = dynamic.filter(f => !DYNAMIC.some(d => d.file === f.file && d.code === f.code)).map(f => `${f.file}:${f.line} ${f.code}`);
    expect(unlisted).toEqual([]);
    const stale = DYNAMIC.filter(d => !dynamic.some(f => f.file === d.file && f.code === d.code)).map(d => `${d.file} ${d.code}`);
    expect(stale).toEqual([]);
    const unsafe = DYNAMIC.flatMap(d => d.builds.map(b => ({ at: `${d.file} ${b}`, verdict: verdict(b, '') }))).filter(r => r.verdict !== 'safe');
    expect(unsafe).toEqual([]);
    for (const d of DYNAMIC) expect(d.reason).not.toBe('');
  }, 60_000);
});
