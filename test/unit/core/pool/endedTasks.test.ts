import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../../main/contract/types.js';
import { EndedTasks, HOST_FIGURE_CHUNKS } from '../../../../main/core/pool/endedTasks.js';

// What an ended task costs (issue 9, item 22: 10 M ended tasks in a 300 MB supervisor).

const T0 = 1_800_000_000_000;

function ended(seq: number, over: Partial<TaskInfo>): TaskInfo {
  return {
    seq, input: '', command: '', state: 'done', outcome: 'ok', slot: (seq % 4) + 1, attempt: 1,
    pid: 100_000 + seq * 2, pids: [], startedAt: T0 + seq * 2, endedAt: T0 + seq * 2 + 3, exitCode: 0,
    signal: null, error: null, cpuPercent: null, rss: null, peakRss: null, cpuSeconds: null,
    memoryScope: 'tree', rssAtStart: null, runtimeMs: 3, progress: null, stuck: null, stopping: null,
    lastActivityAt: null, ...over,
  };
}

describe('EndedTasks', () => {
  it('keeps an ended command task in ≤ 9 bytes, every field read back as given', () => {
    const e = new EndedTasks();
    const n = 200_000;
    for (let seq = 1; seq <= n; seq++) e.put(ended(seq, seq % 997 === 0 ? { peakRss: 4096 * seq, cpuSeconds: 0.01 } : {}));
    expect(e.bytes / n).toBeLessThanOrEqual(9);
    expect(e.info(1994, '', '')).toEqual(ended(1994, { peakRss: 4096 * 1994, cpuSeconds: 0.01 }));
    expect(e.info(150_001, '', '')).toEqual(ended(150_001, {}));
  });

  it('keeps an ended module task, with its host figures, in ≤ 18 bytes', () => {
    const e = new EndedTasks({ hosted: true });
    const n = 200_000;
    const host = (seq: number): Partial<TaskInfo> => ({
      pid: 4242 + (seq % 4), memoryScope: 'host', peakRss: 52_002_816 + (seq % 300) * 4096,
      rssAtStart: 51_998_720 + (seq % 200) * 4096, cpuSeconds: (40 + (seq % 900)) / 1e6,
    });
    for (let seq = 1; seq <= n; seq++) e.put(ended(seq, host(seq)));
    expect(e.bytes / n).toBeLessThanOrEqual(18);
    expect(e.info(77_777, '', '')).toEqual(ended(77_777, host(77_777)));
  });

  it('keeps times exactly however far apart (a task ending 60 days after the first started)', () => {
    const e = new EndedTasks();
    const late = ended(2, { startedAt: T0 + 60 * 86_400_000, endedAt: T0 + 61 * 86_400_000 + 5, runtimeMs: 86_400_005 });
    e.put(ended(1, {}));
    e.put(late);
    e.put(ended(3, { startedAt: null, endedAt: T0 + 9, runtimeMs: 0, outcome: 'interrupted', state: 'interrupted' }));
    expect(e.info(2, '', '')).toEqual(late);
    expect(e.info(1, '', '')).toEqual(ended(1, {}));
    expect(e.info(3, '', '')?.endedAt).toBe(T0 + 9);
    expect(e.info(3, '', '')?.startedAt).toBeNull();
  });

  it("a module job keeps the host's figures for the newest ~1 M tasks only: older rows read them unknown, all else exact", () => {
    const e = new EndedTasks({ hosted: true });
    const window = HOST_FIGURE_CHUNKS * 4096;
    const n = window + 3 * 4096 - 1; // blocks 0 .. 258 written: 259
    const host = (seq: number): Partial<TaskInfo> => ({ pid: 4242, memoryScope: 'host', peakRss: 52_002_816 + (seq % 300) * 4096, rssAtStart: 51_998_720, cpuSeconds: (40 + (seq % 900)) / 1e6 });
    for (let seq = 1; seq <= n; seq++) e.put(ended(seq, host(seq)));
    // The first three blocks (seqs 1..12 287) were written least recently: dropped; from block 3 on, kept.
    expect(e.info(5, '', '')).toEqual(ended(5, { ...host(5), peakRss: null, rssAtStart: null, cpuSeconds: null }));
    expect(e.info(3 * 4096 - 1, '', '')?.peakRss).toBeNull();
    expect(e.info(3 * 4096, '', '')).toEqual(ended(3 * 4096, host(3 * 4096)));
    expect(e.info(n, '', '')).toEqual(ended(n, host(n)));
    // Bytes stop growing with the tasks: the same at 3 blocks over the window as at the window.
    const atWindow = new EndedTasks({ hosted: true });
    for (let seq = 1; seq <= window; seq++) atWindow.put(ended(seq, host(seq)));
    expect(e.bytes - atWindow.bytes).toBeLessThanOrEqual(3 * 4096 * 9);
    // A command job keeps every sampled figure.
    const cmd = new EndedTasks();
    for (let seq = 1; seq <= n; seq += 97) cmd.put(ended(seq, { peakRss: 4096 * seq, cpuSeconds: 0.5 }));
    expect(cmd.info(1, '', '')?.peakRss).toBe(4096);
  });

  it('a task without an exit code (killed by a signal, never run) costs a byte for it, not eight; -1 is an exit code', () => {
    const e = new EndedTasks();
    const n = 100_000;
    const killed = (seq: number): Partial<TaskInfo> => (seq % 3 ? { state: 'killed', outcome: 'killed', exitCode: null, signal: 'SIGKILL' } : { exitCode: 2, state: 'failed', outcome: 'failed' });
    for (let seq = 1; seq <= n; seq++) e.put(ended(seq, killed(seq)));
    expect(e.bytes / n).toBeLessThanOrEqual(12); // 17.4 with the null stored as NaN
    expect(e.info(1, '', '')).toEqual(ended(1, killed(1)));
    expect(e.info(3, '', '')).toEqual(ended(3, killed(3)));
    expect(e.streamAttempt(1)?.exitCode).toBeNull();
    expect(e.streamAttempt(3)?.exitCode).toBe(2);
    e.put(ended(4, { exitCode: -1, state: 'failed', outcome: 'failed' }));
    expect(e.info(4, '', '')?.exitCode).toBe(-1);
  });
});
