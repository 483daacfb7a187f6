#!/usr/bin/env node
// Synthesizes every example app (examples/<name>/main.ts) into dist/examples/<name>/, the way a user's
// `cdk8s synth` runs it: the compiled library (lib/) with the app run by tsx.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const only = process.argv.slice(2);
const names = fs.readdirSync(path.join(root, 'examples'))
  .filter(n => fs.existsSync(path.join(root, 'examples', n, 'main.ts')))
  .filter(n => only.length === 0 || only.includes(n))
  .sort();
const tsx = require.resolve('tsx/cli');
for (const name of names) {
  const outdir = path.join(root, 'dist', 'examples', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  execFileSync(process.execPath, [tsx, path.join('examples', name, 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CDK8S_OUTDIR: outdir },
  });
  const files = fs.readdirSync(outdir).sort();
  console.log(`examples/${name} -> dist/examples/${name}/ (${files.join(', ')})`);
}
