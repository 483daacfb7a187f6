// Guards the layout described in docs/architecture.md: one folder per concept, layers that import
// only downwards, no circles, no reach into another folder's private/, an index that only re-exports.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT } from './support/util';

const SRC = path.join(REPO_ROOT, 'src');

/** The layers, bottom first; folders on one line share a layer and may not import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['net'],
  ['language'],
  ['validation'],
  ['resources'],
  ['install', 'policy'],
  ['topology'],
  ['analysis'],
  ['cli'],
];
const LAYER_OF = new Map<string, number>();
LAYERS.forEach((folders, i) => folders.forEach(f => LAYER_OF.set(f, i)));

interface SourceFile {
  /** Path below src/, with '/' separators. */
  readonly name: string;
  /** The concept folder ('' for src/index.ts). */
  readonly folder: string;
  readonly imports: readonly string[];
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

/** Resolves a relative specifier to a path below src/ (or `imports/...` for the generated layer). */
function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // a package
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return path.relative(SRC, candidate).split(path.sep).join('/');
  }
  throw new Error(`${path.relative(SRC, fromFile)}: cannot resolve '${spec}'`);
}

function readSources(): SourceFile[] {
  return listSources(SRC).map(file => {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const name = path.relative(SRC, file).split(path.sep).join('/');
    return {
      name,
      folder: name.includes('/') ? name.split('/')[0] : '',
      imports: info.importedFiles.map(i => resolveSpecifier(file, i.fileName)).filter((x): x is string => x !== undefined),
    };
  });
}

/** Every rule the layout keeps, as one message per broken import. */
export function layoutViolations(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.folder === '') continue; // src/index.ts, checked on its own
    const from = LAYER_OF.get(f.folder);
    if (from === undefined) {
      out.push(`${f.name}: folder '${f.folder}' is not a layer of docs/architecture.md`);
      continue;
    }
    for (const target of f.imports) {
      if (target.startsWith('../imports/')) {
        if (f.folder !== 'resources') out.push(`${f.name} -> ${target}: only resources/ renders through the generated layer`);
        continue;
      }
      const folder = target.split('/')[0];
      if (folder === f.folder) continue;
      if (!target.includes('/')) {
        out.push(`${f.name} -> ${target}: only src/index.ts may sit at the top of src/`);
        continue;
      }
      const to = LAYER_OF.get(folder);
      if (to === undefined) continue; // reported for the target's own file
      if (to > from) out.push(`${f.name} -> ${target}: '${f.folder}' (layer ${from + 1}) imports up from '${folder}' (layer ${to + 1})`);
      else if (to === from) out.push(`${f.name} -> ${target}: '${f.folder}' and '${folder}' share layer ${from + 1} and may not import each other`);
      if (target.split('/').includes('private')) out.push(`${f.name} -> ${target}: reaches into another folder's private/`);
    }
  }
  return out;
}

/** Every import circle among the files, as one path each (Tarjan's strongly connected components). */
export function importCircles(files: readonly SourceFile[]): string[][] {
  const edges = new Map(files.map(f => [f.name, f.imports.filter(t => !t.startsWith('../'))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) circles.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f.name)) visit(f.name);
  return circles;
}

describe('the source tree', () => {
  const files = readSources();

  test('imports point down a layer or stay in their folder, never into another folder\'s private/', () => {
    expect(layoutViolations(files)).toEqual([]);
  });

  test('has no import circle', () => {
    expect(importCircles(files)).toEqual([]);
  });

  test('src/index.ts only re-exports', () => {
    const text = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
    const statements = text.split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('//'));
    for (const line of statements) expect(line).toMatch(/^export (\*|(type )?\{[^}]*\}) from '\.\/[a-z-]+\/[a-z-]+';$/);
  });

  test('every synth-time check throws the library\'s error: node.addValidation only through addCalicoValidation or the chart check', () => {
    const allowed = new Set(['core/errors.ts', 'core/synthesis-hook.ts', 'resources/chart-check.ts']);
    const offenders = listSources(SRC)
      .map(f => path.relative(SRC, f).split(path.sep).join('/'))
      .filter(f => !allowed.has(f) && fs.readFileSync(path.join(SRC, f), 'utf8').includes('.addValidation('));
    expect(offenders).toEqual([]);
  });

  test('keeps every source file under 600 lines', () => {
    const long = listSources(SRC)
      .map(f => ({ f: path.relative(SRC, f), lines: fs.readFileSync(f, 'utf8').split('\n').length }))
      .filter(x => x.lines > 600);
    expect(long).toEqual([]);
  });
});

describe('the layout checks themselves', () => {
  const file = (name: string, ...imports: string[]): SourceFile => ({ name, folder: name.split('/')[0], imports });

  test('an upward import is reported', () => {
    expect(layoutViolations([file('net/address.ts', 'install/routing.ts')]))
      .toEqual(["net/address.ts -> install/routing.ts: 'net' (layer 2) imports up from 'install' (layer 6)"]);
  });

  test('an import between two folders of one layer is reported', () => {
    expect(layoutViolations([file('policy/a.ts', 'install/b.ts')])[0]).toMatch(/share layer 6/);
  });

  test('an import into another folder\'s private/ is reported', () => {
    expect(layoutViolations([file('analysis/a.ts', 'resources/private/b.ts')])[0]).toMatch(/private/);
  });

  test('a downward import and an import inside a folder pass', () => {
    expect(layoutViolations([file('install/a.ts', 'core/errors.ts', 'install/private/b.ts')])).toEqual([]);
  });

  test('a circle of three files is found', () => {
    expect(importCircles([file('core/a.ts', 'core/b.ts'), file('core/b.ts', 'core/c.ts'), file('core/c.ts', 'core/a.ts')]))
      .toEqual([['core/a.ts', 'core/b.ts', 'core/c.ts']]);
  });
});
