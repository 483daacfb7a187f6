import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every TypeScript example in README.md and docs/*.md must compile against the library's source.
const ROOT = path.resolve(__dirname, '..');

function markdownFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  const files = [path.join(ROOT, 'README.md')];
  if (fs.existsSync(docs)) {
    for (const f of fs.readdirSync(docs).sort()) if (f.endsWith('.md')) files.push(path.join(docs, f));
  }
  return files;
}

interface Snippet { readonly file: string; readonly line: number; readonly code: string }

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const file of markdownFiles()) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const start = i + 1;
      let j = start;
      while (j < lines.length && !lines[j].startsWith('```')) j++;
      out.push({ file: path.relative(ROOT, file), line: start + 1, code: lines.slice(start, j).join('\n') });
      i = j;
    }
  }
  return out;
}

describe('documentation examples', () => {
  const all = snippets();

  test('the README has TypeScript examples to check', () => {
    expect(all.filter(s => s.file === 'README.md').length).toBeGreaterThan(0);
  });

  test('every TypeScript example compiles', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.doc-snippets-'));
    try {
      const names = all.map((s, i) => {
        const name = path.join(dir, `snippet${i}.ts`);
        // Each snippet is its own module so top-level names do not collide.
        fs.writeFileSync(name, `${s.code}\nexport {};\n`);
        return name;
      });
      const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.dev.json'), {}, {
        ...ts.sys, onUnRecoverableConfigFileDiagnostic: d => { throw new Error(String(d.messageText)); },
      })!;
      const program = ts.createProgram(names, { ...config.options, noEmit: true, noUnusedLocals: false });
      const problems = ts.getPreEmitDiagnostics(program)
        .filter(d => d.file && names.includes(path.resolve(d.file.fileName)))
        .map(d => {
          const index = names.indexOf(path.resolve(d.file!.fileName));
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
          const s = all[index];
          return `${s.file}:${s.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
