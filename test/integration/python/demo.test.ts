import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, tempDir } from '../core/helpers.js';

// The Python demo: `corral run --demo python`, and --demo with any other file is still refused.
afterEach(cleanup);

describe('corral run --demo python', () => {
  it('runs the Python demo: CPU-bound tasks, one exception, one os._exit, init state', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--demo', 'python', '--joblog', join(dir, 'log.tsv')], { timeoutMs: 170_000 });
    expect(r.code).toBe(1); // two tasks fail on purpose
    expect(r.stdout).toMatch(/\] failed .*python_demo\.py:work\("raise:bad input"\) — ValueError: bad input\n/);
    expect(r.stdout).toMatch(/\] failed .*python_demo\.py:work\("crash"\) — host exited with code 3\n/);
    expect(r.stdout).toMatch(/\ncorral-python-demo: finished — 12 ok, 2 failed of 14 in \d+s\n/);
  });

  it('--demo with a job file other than "python" is still refused', async () => {
    const r = await runCli(['run', '--demo', 'pythons']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('corral run: give a job file, a command or --demo, not both');
  });
});
