// Same input, byte-identical output: every example app, run twice the way `npm run examples` runs it
// (its main.ts, into a fresh output directory), writes the same files with the same bytes —
// manifests, the architecture report and its reachability heat map.
import * as fs from 'fs';
import * as path from 'path';
import { runExampleMain } from '../support/examples';

const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterAll(() => stderr.mockRestore());

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter(n => fs.existsSync(path.join(EXAMPLES_DIR, n, 'main.ts'))).sort();

/** Runs an example's main.ts into a fresh directory: file name -> content. */
function runExample(name: string): Map<string, string> {
  const outdir = runExampleMain(name);
  const files = new Map(fs.readdirSync(outdir).sort().map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  fs.rmSync(outdir, { recursive: true, force: true });
  return files;
}

test('every example is covered', () => {
  expect(EXAMPLES).toEqual(expect.arrayContaining(['reference', 'gitops', 'operator', 'tiers']));
});

test.each(EXAMPLES)('examples/%s writes byte-identical files on a second run', name => {
  const first = runExample(name);
  const second = runExample(name);
  expect([...second.keys()]).toEqual([...first.keys()]);
  expect(first.size).toBeGreaterThanOrEqual(4);
  for (const [file, text] of first) {
    expect(text.length).toBeGreaterThan(0);
    if (second.get(file) !== text) throw new Error(`examples/${name}: ${file} differs between two runs`);
  }
});
