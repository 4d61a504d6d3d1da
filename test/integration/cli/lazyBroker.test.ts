import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, repoRoot, tempDir, waitFor } from '../core/helpers.js';
import { runCli, spawnCli } from './cli.js';

// The broker's packages (bullmq, ioredis: ~240 files) load only for broker commands: `corral serve`
// imported them statically for --broker, so every run and serve paid their start-up and heap.

afterEach(cleanup);

const watcher = join(repoRoot, 'test/fixtures/cli/loadWatch.cjs');

function watchedEnv() {
  const dir = tempDir('corral-lazy-');
  const log = join(dir, 'loads.txt');
  return { dir, log, env: { NODE_OPTIONS: `--require ${watcher}`, CORRAL_LOAD_WATCH: log } };
}
const loads = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8') : '');

describe("the broker's packages load only for broker commands", () => {
  it('corral run of a command job and of a module job loads neither bullmq nor ioredis', async () => {
    const { dir, log, env } = watchedEnv();
    writeFileSync(join(dir, 'double.mjs'), 'export default async (x) => Number(x) * 2;\n');
    writeFileSync(join(dir, 'cmd.yaml'), 'name: lazy-cmd\ncommand: [echo, "{}"]\ninputs: { list: [a, b] }\n');
    writeFileSync(join(dir, 'mod.yaml'), `name: lazy-mod\nmodule: ${JSON.stringify(join(dir, 'double.mjs'))}\ninputs: { list: [1, 2] }\n`);
    for (const f of ['cmd.yaml', 'mod.yaml']) {
      const r = await runCli(['run', join(dir, f)], { env });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(loads(log)).toBe('');
  });

  it('corral serve loads neither; corral serve --broker does (the watch sees them)', async () => {
    const { dir, log, env } = watchedEnv();
    const serve = spawnCli(['serve', '--demo', '--port', '0', '--paused'], { env });
    await waitFor('the dashboard URL', () => /http:\/\/127\.0\.0\.1:\d+/.test(serve.stdout), 60_000);
    serve.child.kill('SIGINT');
    await serve.result;
    expect(loads(log)).toBe('');
    writeFileSync(join(dir, 'job.yaml'), 'name: lazy-broker\ncommand: [echo, "{}"]\ninputs: { list: [a] }\n');
    // Nothing listens on port 1: the command fails to reach the broker, after loading its client.
    await runCli(['serve', '--broker', 'redis://127.0.0.1:1', '--port', '0', join(dir, 'job.yaml')], { env, timeoutMs: 60_000 }).catch(() => null);
    expect(loads(log)).toMatch(/ (bullmq|ioredis)\n/);
  });
});
