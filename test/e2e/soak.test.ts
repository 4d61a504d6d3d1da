import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

// The accelerated soak runs (briefly) and reports its numbers. Speed itself is proven in bench/,
// not asserted here: this machine's load would make any threshold flaky.

const out = mkdtempSync(join(tmpdir(), 'corral-soak-e2e-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('dashboard soak (accelerated, on the in-browser simulator)', () => {
  it('feeds the real renderer 64-slot ticks and reports long tasks and heap', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bench/run.mjs'), 'soak'], {
      cwd: repoRoot,
      env: { ...process.env, BENCH_RESULTS_DIR: out, BENCH_SOAK_MODE: 'accelerated', BENCH_SOAK_ACCEL_TICKS: '120', BENCH_SOAK_INTERVAL: '50' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const file = readdirSync(out).find((f) => f.startsWith('soak-'));
    expect(file).toBeDefined();
    const json = JSON.parse(readFileSync(join(out, file as string), 'utf8'));
    if (json.skipped) {
      expect(r.stdout).toContain('soak: skipped — ');
      return;
    }
    const stats = { count: expect.any(Number), p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number), perTickP99: expect.any(Number) };
    expect(json.accelerated).toMatchObject({
      params: { slots: 64, ticks: 120 },
      heapBytes: { afterWarmup: expect.any(Number), at5min: expect.any(Number), atEnd: expect.any(Number) },
      longtasks: { first5min: stats, after5min: stats, measured: stats },
      messagesPerTick: 1,
    });
    expect(json.accelerated.heapBytes.atEnd).toBeGreaterThan(0);
    // The task stream drew bars for the simulated tasks.
    expect(json.accelerated.dom.bars).toBeGreaterThan(0);
    expect(r.stdout).toContain('Dashboard soak, accelerated');
  }, 180_000);
});
