import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskInfo, Tick } from '../../../main/contract/types.js';
import { ModuleHost } from '../../../main/core/run/moduleHost.js';
import { OutputBuffer } from '../../../main/core/run/outputBuffer.js';
import { cleanup, fixtures, repoRoot, runJob, startJob, trackPid, withDeadline, yamlList } from './helpers.js';

// The numbers of module tasks in a reused host: CPU measured while user code blocks the host's
// event loop, the host's memory at start, and a stop that arrives before the host is ready.
afterEach(cleanup);

const tasks = join(fixtures, 'hostTasks.mjs');
const hostScript = join(repoRoot, 'out/workers/host.mjs');
const MiB = 1 << 20;
const job = (inputs: string[], extra = '') =>
  `name: host-numbers\nmodule: ${JSON.stringify(tasks)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n${extra}`;
const rowsOf = (ticks: Tick[], seq: number): TaskInfo[] => ticks.flatMap((t) => t.tasks.filter((x) => x.seq === seq));

describe('module task CPU (issue 9, item 1)', () => {
  it('a task blocking the host event loop shows its CPU while it runs and is never judged idle', async () => {
    const h = await runJob(job(['spin:6', 'spin:6'], 'stuck: { cpuIdle: 2s, silent: 2s, action: kill }\n'), { deadlineMs: 120_000 });
    for (const seq of [1, 2]) {
      const t = h.task(seq);
      expect(t.outcome).toBe('ok');
      const rows = rowsOf(h.ticks, seq);
      // Busy, though silent: never stuck, and not even suspect (a tree using CPU is working).
      expect(rows.filter((r) => r.stuck !== null).map((r) => r.stuck!.summary)).toEqual([]);
      expect(rows.some((r) => r.state === 'suspect' || r.state === 'stuck')).toBe(false);
      // Measured while the loop blocked the host, not only once it returned.
      const live = rows.filter((r) => r.state !== 'done' && r.cpuSeconds !== null && r.cpuSeconds > 0);
      expect(live.length).toBeGreaterThan(0);
      // The reused host's earlier task is not this one's: never more CPU than time run (plus a tick).
      for (const r of rows) if (r.cpuSeconds !== null) expect(r.cpuSeconds).toBeLessThanOrEqual(r.runtimeMs / 1000 + 0.5);
      expect(t.cpuSeconds).toBeGreaterThan(0);
      expect(t.cpuSeconds).toBeLessThanOrEqual(t.runtimeMs / 1000 + 0.5);
      console.log(`spin task ${seq}: runtime ${(t.runtimeMs / 1000).toFixed(2)} s, CPU ${t.cpuSeconds!.toFixed(2)} s`);
    }
  }, 150_000);

  it("the demo's primes tasks (busy, with progress) are never suspect", async () => {
    const demo = join(repoRoot, 'workers/examples/demo.mjs');
    const h = await runJob(
      `name: primes\nmodule: ${JSON.stringify(demo)}\nconcurrency: 1\nstuck: { cpuIdle: 2s, silent: 2s, action: kill }\ninputs:\n  list: ["primes:7000000", "primes:7000000"]\n`,
      { deadlineMs: 120_000 },
    );
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok']);
    for (const seq of [1, 2]) {
      const rows = rowsOf(h.ticks, seq);
      expect(rows.filter((r) => r.state === 'running').length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.stuck !== null)).toEqual([]);
      console.log(`primes task ${seq}: runtime ${(h.task(seq).runtimeMs / 1000).toFixed(2)} s, CPU ${h.task(seq).cpuSeconds!.toFixed(2)} s`);
    }
  }, 150_000);
});

describe('module task memory (issue 9, item 7)', () => {
  it("a reused host's memory is the host's: RSS at start, growth during the task", async () => {
    const h = await runJob(job(['hold:150', 'ok']));
    const [a, b] = [h.task(1), h.task(2)];
    expect([a.outcome, b.outcome]).toEqual(['ok', 'ok']);
    expect([a.memoryScope, b.memoryScope]).toEqual(['host', 'host']);
    expect(b.pid).toBe(a.pid);
    // The first task grew the fresh host by what it kept; the second starts with it and adds little.
    expect(a.rssAtStart).not.toBeNull();
    expect(a.peakRss! - a.rssAtStart!).toBeGreaterThanOrEqual(140 * MiB);
    expect(b.rssAtStart).toBeGreaterThanOrEqual(150 * MiB);
    expect(b.peakRss).toBeGreaterThanOrEqual(b.rssAtStart!);
    expect(b.peakRss! - b.rssAtStart!).toBeLessThan(64 * MiB);
  });
});

describe('a graceful stop before the host is ready (issue 9, item 13)', () => {
  it('ModuleHost: an abort sent before ready reaches the task (it never runs into the kill)', async () => {
    const host = new ModuleHost({ script: hostScript, env: process.env, cwd: repoRoot });
    trackPid(host.pid!);
    const ended = host.run(
      { taskId: 1, input: 'coop', module: tasks, slot: 1, attempt: 1, maxResultBytes: 16 * MiB },
      { output: new OutputBuffer(), onActivity: () => {}, onProgress: () => {} },
    );
    host.abort(1, 'stopped (user)'); // the host is still starting: nothing has been sent yet
    const r = await withDeadline(ended, 30_000, 'the aborted task to end');
    expect(r).toMatchObject({ ok: false, error: { message: 'stopped (user)' }, hostExit: null });
    expect(host.alive).toBe(true);
    host.shutdown();
  });

  it('a cooperative task stopped right after dispatch ends by ctx.signal, not by SIGKILL', async () => {
    const h = await startJob(job(['coop'], 'kill: TERM,3s,KILL\n'));
    const stopped = await h.sup.call('killTask', { seq: 1, mode: 'graceful' });
    expect(stopped.ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the job to end');
    const t = h.task(1);
    expect(t.outcome).toBe('killed');
    expect(t.signal).toBeNull();
    expect(t.error).toBe('Error: stopped (user)');
    // No step past the abort was ever shown.
    expect(rowsOf(h.ticks, 1).every((r) => r.stopping === null || r.stopping.step === 'ABORT')).toBe(true);
  });
});
