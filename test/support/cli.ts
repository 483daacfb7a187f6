import { main } from '../../src/cli/main';

/** A run of the command line: exit code and what it wrote. */
export interface Run { readonly code: number; readonly out: string; readonly err: string }

/** Runs the command line in-process with captured output. */
export function run(...argv: string[]): Run {
  let out = '';
  let err = '';
  const code = main(argv, { stdout: t => { out += t; }, stderr: t => { err += t; } });
  return { code, out, err };
}
