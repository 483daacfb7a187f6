// What `npm pack` puts in the published package: compiled JavaScript, declarations, the jsii
// assembly, the docs the README links to, the license; no sources, tests, examples, reference
// data or source maps; under 3.5 MB unpacked.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { REPO_ROOT } from './support/util';

interface PackEntry { readonly path: string; readonly size: number }
interface PackResult { readonly files: PackEntry[]; readonly unpackedSize: number; readonly bundled: string[] }

/** Newest modification time below `dir` of files passing `keep`. */
function newest(dir: string, keep: (file: string) => boolean): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, keep));
    else if (keep(full)) latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

/** Builds lib/ and the assembly when they are missing or older than the sources. */
function ensureBuilt(): void {
  const marker = path.join(REPO_ROOT, 'lib', 'src', 'index.js');
  const assembly = path.join(REPO_ROOT, '.jsii.gz');
  const sources = Math.max(newest(path.join(REPO_ROOT, 'src'), f => f.endsWith('.ts')), fs.statSync(path.join(REPO_ROOT, 'package.json')).mtimeMs);
  const built = fs.existsSync(marker) && fs.existsSync(assembly) ? Math.min(fs.statSync(marker).mtimeMs, fs.statSync(assembly).mtimeMs) : 0;
  if (built >= sources) return;
  try {
    execFileSync(process.execPath, [require.resolve('jsii/bin/jsii'), '--compress-assembly'], {
      cwd: REPO_ROOT, stdio: 'pipe', env: { ...process.env, JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' },
    });
  } catch (e) {
    const out = `${(e as { stdout?: Buffer }).stdout ?? ''}`.split('\n').filter(l => /error|warning/i.test(l)).slice(0, 20);
    throw new Error(`the jsii build failed:\n${out.join('\n')}`);
  }
}

function pack(): PackResult {
  const npmCli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  const args = ['pack', '--dry-run', '--json', '--ignore-scripts'];
  const out = fs.existsSync(npmCli)
    ? execFileSync(process.execPath, [npmCli, ...args], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync('npm', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out)[0];
}

/** Relative link targets of a Markdown file (no URLs, no in-page anchors), as package paths. */
function relativeLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1].split('#')[0];
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), target)));
  }
  return out;
}

describe('the npm package', () => {
  let result: PackResult;
  let files: Set<string>;
  beforeAll(() => {
    ensureBuilt();
    result = pack();
    files = new Set(result.files.map(f => f.path));
  }, 180_000);

  test('ships the compiled library, its declarations, the jsii assembly, the CLI and the license', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', '.jsii', '.jsii.gz', 'bin/cdk8s-calico',
      'lib/src/index.js', 'lib/src/index.d.ts', 'lib/imports/crd.projectcalico.org.js', 'lib/imports/crd.projectcalico.org.d.ts',
      'lib/src/cli/main.js']) {
      expect(files).toContain(f);
    }
    expect(fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  test('every entry point package.json names is in the package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const targets: string[] = [pkg.main, pkg.types, ...Object.values(pkg.bin as Record<string, string>)];
    for (const entry of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
      targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
    }
    for (const target of targets) expect(files).toContain(path.posix.normalize(target));
  });

  test('every relative link of the packaged README and docs resolves inside the package', () => {
    const markdown = [...files].filter(f => f === 'README.md' || (f.startsWith('docs/') && f.endsWith('.md')));
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
    const broken = markdown.flatMap(f => relativeLinks(f).filter(target => !files.has(target)).map(target => `${f} -> ${target}`));
    expect(broken).toEqual([]);
  });

  test('holds no TypeScript sources, tests, examples, benchmarks, reference data or source maps', () => {
    const unwanted = [...files].filter(f => !f.startsWith('node_modules/')).filter(f => /^(src|test|examples|bench|reference-data|scripts|imports)\//.test(f)
      || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.map') || f.endsWith('.tsbuildinfo') || f.endsWith('.tgz'));
    expect(unwanted).toEqual([]);
  });

  test('its JavaScript carries no inline source maps', () => {
    const inline = [...files].filter(f => f.startsWith('lib/') && f.endsWith('.js'))
      .filter(f => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8').includes('sourceMappingURL=data:'));
    expect(inline).toEqual([]);
  });

  test('bundles only its non-jsii dependencies', () => {
    // The command line's YAML reader is the copy cdk8s bundles (src/cli/yaml-module.ts).
    expect([...result.bundled].sort()).toEqual(['ip-num']);
    const modules = new Set([...files].filter(f => f.startsWith('node_modules/')).map(f => f.split('/')[1]));
    expect([...modules].sort()).toEqual(['ip-num']);
  });

  test('is under 3.5 MB unpacked (as npm counts: 3,500,000 bytes)', () => {
    expect(result.unpackedSize).toBeLessThan(3_500_000);
  });

  test('documents every public type, member and parameter, and gives every optional struct field its @default (read from the jsii assembly)', () => {
    const assembly = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(REPO_ROOT, '.jsii.gz'))).toString('utf8'));
    const undocumented: string[] = [];
    const noDefault: string[] = [];
    const documented = (docs: { summary?: string } | undefined) => typeof docs?.summary === 'string' && docs.summary.trim() !== '';
    for (const [fqn, type] of Object.entries<any>(assembly.types)) {
      if (!documented(type.docs)) undocumented.push(fqn);
      for (const p of type.properties ?? []) {
        if (!documented(p.docs)) undocumented.push(`${fqn}.${p.name}`);
        if (p.optional && type.datatype && p.docs?.default === undefined) noDefault.push(`${fqn}.${p.name}`);
      }
      for (const m of type.methods ?? []) {
        if (!documented(m.docs)) undocumented.push(`${fqn}.${m.name}()`);
        for (const a of m.parameters ?? []) if (!documented(a.docs)) undocumented.push(`${fqn}.${m.name}(${a.name})`);
      }
      for (const a of type.initializer?.parameters ?? []) if (!documented(a.docs)) undocumented.push(`${fqn} constructor(${a.name})`);
      for (const m of type.members ?? []) if (!documented(m.docs)) undocumented.push(`${fqn}.${m.name}`);
    }
    expect(undocumented).toEqual([]);
    expect(noDefault).toEqual([]);
    expect(Object.keys(assembly.types).length).toBeGreaterThan(150);
  });
});
