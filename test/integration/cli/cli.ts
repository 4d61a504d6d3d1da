// The CLI as tests run it, with one check on every run: stderr never shows a crash.
import { expect } from 'vitest';
import { spawnCli as spawnRaw, type CliResult } from '../core/helpers.js';

type CliOptions = Parameters<typeof spawnRaw>[1];

/** Stack frames, Node's unhandled-error banners and internal errors mean Corral crashed. */
export function expectNoCrash(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at |Unhandled|unhandled|node:internal|internal error|ERR_[A-Z_]+/);
}

export function spawnCli(args: string[], opts?: CliOptions): ReturnType<typeof spawnRaw> {
  const cli = spawnRaw(args, opts);
  const result = cli.result.then((r: CliResult) => {
    expectNoCrash(r.stderr);
    return r;
  });
  return Object.defineProperty(cli, 'result', { value: result });
}

export function runCli(args: string[], opts?: CliOptions): Promise<CliResult> {
  return spawnCli(args, opts).result;
}
