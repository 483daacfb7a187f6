// Runs an example app the way `npm run examples` does: its main.ts, with cdk8s writing into a
// fresh output directory (CDK8S_OUTDIR), in an isolated module registry so it can run again.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs examples/<name>/main.ts; returns the directory it wrote into (the caller removes it). */
export function runExampleMain(name: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => require(`../../examples/${name}/main`));
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
  return outdir;
}
