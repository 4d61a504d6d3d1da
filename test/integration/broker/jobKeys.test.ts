// Job keys over the broker as a local run has them: CPU and RSS in the rows, timeout, memory
// limit, retries (a row per attempt, attempts numbered on), halt, and {%} as the agent's slot.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../core/helpers.js';
import { finalRows, join, joblogRows, useCluster } from './cluster.js';

const fixture = (name: string) => join(repoRoot, 'test/fixtures', name);

describe('job keys over the broker', () => {
  const c = useCluster(2, 2);

  it('a CPU-busy task has its CPU seconds and peak RSS in its row', async () => {
    const log = join(c.dir, 'cpu.tsv');
    const r = await c.run(['--joblog', log, process.execPath, fixture('broker/busy.cjs'), ':::', '2500']).result;
    expect(r.code).toBe(0);
    const [row] = joblogRows(log);
    expect(row.outcome).toBe('ok');
    expect(row.cpuSeconds).toBeGreaterThan(0);
    expect(row.peakRss).toBeGreaterThan(1024 * 1024);
  });

  it('timeout: the agent runs the kill sequence, the row says timeout (-1, TERM)', async () => {
    const log = join(c.dir, 'timeout.tsv');
    const r = await c.run(['--joblog', log, '--timeout', '1s', 'sleep', ':::', '60']).result;
    expect(r.code).toBe(1);
    expect(joblogRows(log).map((x) => [x.outcome, x.exitval, x.signal])).toEqual([['timeout', -1, 15]]);
  });

  it('memoryLimit: a tree over it is memory-killed on its agent', async () => {
    const log = join(c.dir, 'memory.tsv');
    const r = await c.run(['--joblog', log, '--memory-limit', '100MiB', process.execPath, fixture('core/grow.cjs'), ':::', 'x']).result;
    expect(r.code).toBe(1);
    const [row] = joblogRows(log);
    expect(row.outcome).toBe('memory-killed');
    expect(row.peakRss).toBeGreaterThan(100 * 1024 * 1024);
  });

  it('retries: a row per failed attempt, attempts numbered 1, 2, 3; a task that succeeds on its second attempt ends ok', async () => {
    const log = join(c.dir, 'retries.tsv');
    const flag = join(c.dir, 'second-time');
    const r = await c.run(['--joblog', log, '--retries', '2', fixture('broker/flaky.sh'), flag, ':::', 'fail', 'flaky']).result;
    expect(r.code).toBe(1);
    const rows = joblogRows(log);
    expect(rows.filter((x) => x.seq === 1).map((x) => [x.attempt, x.outcome, x.exitval])).toEqual([[1, 'failed', 3], [2, 'failed', 3], [3, 'failed', 3]]);
    expect(rows.filter((x) => x.seq === 2).map((x) => [x.attempt, x.outcome, x.exitval])).toEqual([[1, 'failed', 4], [2, 'ok', 0]]);
    expect(r.stderr).toContain('corral: 1 ok, 1 failed, 0 killed');
  });

  it('halt now,fail=1: the first failure cancels the running tasks and drops the rest', async () => {
    const log = join(c.dir, 'halt-now.tsv');
    const inputs = Array.from({ length: 12 }, (_, i) => String(i + 1));
    const marks = join(c.dir, 'halt-now');
    const r = await c.run(['--joblog', log, '--halt', 'now,fail=1', fixture('broker/halting.sh'), marks, '{}', '120', ':::', ...inputs]).result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('corral: halting: 1 task failed (halt now,fail=1)\n');
    const rows = finalRows(joblogRows(log));
    expect(rows.find((x) => x.seq === 1)?.outcome).toBe('failed');
    expect(rows.filter((x) => x.seq !== 1).every((x) => x.outcome === 'interrupted')).toBe(true);
    expect(inputs.filter((i) => existsSync(join(marks, i))).length).toBeLessThan(12);
  });

  it('halt soon,fail=1: running tasks finish, waiting ones are dropped', async () => {
    const log = join(c.dir, 'halt-soon.tsv');
    const inputs = Array.from({ length: 20 }, (_, i) => String(i + 1));
    const r = await c.run(['--joblog', log, '--halt', 'soon,fail=1', fixture('broker/halting.sh'), join(c.dir, 'halt-soon'), '{}', '3', ':::', ...inputs]).result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('corral: halting: 1 task failed (halt soon,fail=1)\n');
    const rows = finalRows(joblogRows(log));
    expect(rows.filter((x) => x.seq !== 1).every((x) => x.outcome === 'ok')).toBe(true);
    expect(rows.length).toBeLessThan(20);
  });

  it('{%} is the slot on the agent that runs the task; the joblog shows the command as given', async () => {
    const log = join(c.dir, 'slot.tsv');
    const inputs = Array.from({ length: 8 }, (_, i) => String(i + 1));
    const r = await c.run(['--joblog', log, 'echo', '{}-slot-{%}', ':::', ...inputs]).result;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const l of lines) expect(l).toMatch(/^\d+-slot-[12]$/);
    expect(joblogRows(log).find((x) => x.seq === 3)!.command).toBe('echo 3-slot-{%}');
  });
});
