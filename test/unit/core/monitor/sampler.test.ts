import { describe, expect, it } from 'vitest';
import { createSampler, machineSample, type PidUsage } from '../../../../main/core/monitor/sampler.js';
import type { ProcRow } from '../../../../main/core/monitor/types.js';

const proc = (pid: number, ppid: number, cpuTimeMs: number, extra: Partial<ProcRow> = {}): ProcRow => ({
  pid,
  ppid,
  pgid: 10,
  state: 'S',
  startTime: String(pid),
  name: `p${pid}`,
  cpuTimeMs,
  rss: 1000,
  ...extra,
});

/** A fake clock and process table that tests advance by hand. */
function rig(opts: { platform?: NodeJS.Platform; pidusage?: PidUsage } = {}) {
  let table: ProcRow[] = [];
  let clock = 0;
  const sampler = createSampler({
    platform: opts.platform ?? 'linux',
    listProcesses: () => Promise.resolve(table),
    now: () => clock,
    pidusage: opts.pidusage,
  });
  return {
    sampler,
    set(rows: ProcRow[], at: number) {
      table = rows;
      clock = at;
    },
  };
}

const root = [{ key: 1, pid: 10, pgid: 10, startTime: '10' }];

describe('createSampler', () => {
  it('computes tree and per-process CPU % from its own deltas, 0 on the first sample', async () => {
    const r = rig();
    r.set([proc(10, 1, 0), proc(11, 10, 1000)], 0);
    const first = (await r.sampler.sample(root)).get(1)!;
    expect(first.cpuPercent).toBe(0);
    expect(first.procs.map((p) => p.cpuPercent)).toEqual([0, 0]);
    expect(first.cpuSeconds).toBe(1);
    expect(first.rss).toBe(2000);

    r.set([proc(10, 1, 0), proc(11, 10, 2000), proc(12, 11, 500)], 1000);
    const second = (await r.sampler.sample(root)).get(1)!;
    expect(second.pids).toEqual([10, 11, 12]);
    expect(second.procs.find((p) => p.pid === 11)?.cpuPercent).toBe(100);
    expect(second.cpuPercent).toBe(150); // 1000 ms from 11 + 500 ms from the new 12
    expect(second.cpuSeconds).toBe(2.5);
  });

  it('never lets tree CPU go backwards when a busy descendant exits', async () => {
    const r = rig();
    r.set([proc(10, 1, 0), proc(11, 10, 5000)], 0);
    await r.sampler.sample(root);
    r.set([proc(10, 1, 100)], 1000);
    const after = (await r.sampler.sample(root)).get(1)!;
    expect(after.cpuSeconds).toBe(5.1);
    expect(after.cpuPercent).toBe(10);
  });

  it('lists D-state pids as blocked and leaves zombies out', async () => {
    const r = rig();
    r.set([proc(10, 1, 0, { state: 'D' }), proc(11, 10, 0, { state: 'Z' })], 0);
    const s = (await r.sampler.sample(root)).get(1)!;
    expect(s.blocked).toEqual([10]);
    expect(s.pids).toEqual([10]);
  });

  it('on macOS/Windows asks pidusage once per sample for all pids of all trees', async () => {
    const calls: number[][] = [];
    const pidusage: PidUsage = (pids) => {
      calls.push([...pids]);
      return Promise.resolve(Object.fromEntries(pids.map((p) => [String(p), { ctime: p * 10, memory: p }])));
    };
    const r = rig({ platform: 'darwin', pidusage });
    r.set([proc(10, 1, 0), proc(11, 10, 0), proc(20, 1, 0, { pgid: 20 })], 0);
    const out = await r.sampler.sample([...root, { key: 2, pid: 20, pgid: 20, startTime: '20' }]);
    expect(calls).toEqual([[10, 11, 20]]);
    expect(out.get(1)?.rss).toBe(21);
    expect(out.get(2)?.cpuSeconds).toBe(0.2);
  });

  it('falls back to the table values when the pidusage batch fails', async () => {
    const r = rig({ platform: 'win32', pidusage: () => Promise.reject(new Error('No matching pid found')) });
    r.set([proc(10, 1, 300)], 0);
    expect((await r.sampler.sample([{ key: 1, pid: 10, pgid: null }])).get(1)?.cpuSeconds).toBe(0.3);
  });

  it('does not call pidusage on Linux by default', async () => {
    let called = false;
    const r = rig({ pidusage: () => ((called = true), Promise.resolve({})) });
    r.set([proc(10, 1, 0)], 0);
    await r.sampler.sample(root);
    expect(called).toBe(false);
  });

  it('forgets keys that are no longer sampled and refuses to sample after close', async () => {
    const r = rig();
    r.set([proc(10, 1, 1000)], 0);
    await r.sampler.sample(root);
    await r.sampler.sample([]);
    r.set([proc(10, 1, 2000)], 1000);
    expect((await r.sampler.sample(root)).get(1)?.cpuPercent).toBe(0);
    r.sampler.close();
    await expect(r.sampler.sample(root)).rejects.toThrow('sampler is closed');
  });
});

describe('machineSample', () => {
  const times = (user: number, idle: number) => ({ model: '', speed: 0, times: { user, nice: 0, sys: 0, idle, irq: 0 } });
  it('gives per-core busy % from deltas against the previous reading', () => {
    const deps = (u: number, i: number) => ({
      cpus: () => [times(u, i), times(0, i + u)],
      loadavg: () => [1, 2, 3],
      freemem: () => 5,
      totalmem: () => 10,
    });
    const a = machineSample(undefined, deps(0, 0));
    expect(a.perCore).toEqual([0, 0]);
    const b = machineSample(a.cpuTimes, deps(75, 25));
    expect(b.perCore).toEqual([75, 0]);
    expect(b).toMatchObject({ cores: 2, loadAvg: [1, 2, 3], freeMem: 5, totalMem: 10 });
  });
});

describe('createSampler between full scans', () => {
  it('reads only the trees (roots and their known pids) and scans the whole table every Nth sample', async () => {
    const calls: string[] = [];
    let table: ProcRow[] = [proc(10, 1, 0), proc(11, 10, 0), proc(99, 1, 0, { pgid: 99 })];
    const sampler = createSampler({
      platform: 'linux',
      now: () => 0,
      fullScanEvery: 3,
      listProcesses: () => {
        calls.push('full');
        return Promise.resolve(table);
      },
      listFrom: (seeds) => {
        calls.push(`from ${[...new Set(seeds)].sort((a, b) => a - b).join(',')}`);
        return Promise.resolve(table.filter((r) => r.pid === 10 || r.pid === 11)); // what a walk from 10 reaches
      },
    });
    expect([...(await sampler.sample(root)).get(1)!.pids]).toEqual([10, 11]);
    // 12 left the tree (reparented to 1, still in the group) between scans: the next full scan finds it.
    table = [proc(10, 1, 0), proc(11, 10, 0), proc(12, 1, 0), proc(99, 1, 0, { pgid: 99 })];
    const between = await sampler.sample(root);
    await sampler.sample(root);
    const next = await sampler.sample(root);
    expect(calls).toEqual(['full', 'from 10,11', 'from 10,11', 'full']);
    expect(between.get(1)!.pids).toEqual([10, 11]);
    expect(next.get(1)!.pids).toEqual([10, 11, 12]);
  });
});
