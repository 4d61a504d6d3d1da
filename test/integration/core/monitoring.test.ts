import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskInfo, Tick } from '../../../main/contract/types.js';
import { cleanup, fixtures, repoRoot, startJob, waitFor, withDeadline, yamlList } from './helpers.js';

// The sampler and the stuck rules seen through the supervisor's ticks, on real process trees.
afterEach(cleanup);

/** utime+stime of one pid, in clock ticks. */
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
}

function safeTicks(pid: number): number {
  try {
    return cpuTicks(pid);
  } catch {
    return 0;
  }
}

const seenStates = (ticks: Tick[], seq: number): Set<TaskInfo['state']> =>
  new Set(ticks.flatMap((t) => t.tasks.filter((x) => x.seq === seq).map((x) => x.state)));

describe('tree sampling', () => {
  it("reports a multiprocessing.Pool's grandchildren CPU while the task's own pid is idle", async () => {
    const script = join(repoRoot, 'test/fixtures/monitor/pool_busy.py');
    const h = await startJob(`name: pool\ncommand: [python3, ${JSON.stringify(script)}, "{}"]\ninputs:\n  list: ["40"]\n`, { settings: { tickMs: 500 } });
    await waitFor('the pool workers', () => h.task(1).pids.length >= 3, 30_000);
    const pid = h.task(1).pid!;
    // Ground truth from /proc, read as each tick is emitted: the tree's and the root's own CPU.
    const marks: { at: number; reported: number; tree: number; own: number; pids: number[] }[] = [];
    const off = h.sup.on('tick', (t) => {
      const x = t.tasks.find((y) => y.seq === 1);
      if (!x || x.pids.length < 3) return;
      const tree = x.pids.reduce((a, p) => a + safeTicks(p), 0);
      marks.push({ at: t.time, reported: x.cpuSeconds ?? 0, tree, own: safeTicks(pid), pids: x.pids });
    });
    await waitFor('ten sampled ticks', () => marks.length >= 10, 60_000);
    off();
    const a = marks[1];
    const b = marks[marks.length - 1];
    const span = (b.at - a.at) / 1000;
    const truth = (b.tree - a.tree) / 100; // clock ticks are 1/100 s
    const reported = b.reported - a.reported;
    const own = (b.own - a.own) / 100;
    // The tree's CPU is its grandchildren's: the reported seconds match /proc within 15 %.
    expect(Math.abs(reported - truth)).toBeLessThan(0.15 * truth + 0.05);
    expect(own).toBeLessThan(0.05 * truth);
    // Near two cores: over 150 % whenever the machine gave the workers that much (it is shared).
    const truthPercent = (truth / span) * 100;
    const peak = Math.max(...h.ticks.flatMap((t) => t.tasks.filter((x) => x.seq === 1).map((x) => x.cpuPercent ?? 0)));
    expect(truth).toBeGreaterThan(0.5); // the workers did run (on a loaded machine maybe well under 2 cores)
    expect(peak).toBeGreaterThan(Math.min(150, truthPercent * 0.85));
    expect((await h.sup.call('killTask', { seq: 1, mode: 'force' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the task to end');
  });
});

describe('stuck detection', () => {
  it('flags `sleep 1000` stuck with cpuIdle + silent evidence within the window + 2 ticks', async () => {
    const h = await startJob(`name: sleeper\ncommand: sleep {}\nstuck: { cpuIdle: 3s, silent: 3s }\ninputs:\n  list: ["1000"]\n`, { settings: { tickMs: 500 } });
    const first = await waitFor('the first sampled tick', () => h.ticks.find((t) => t.tasks.some((x) => x.seq === 1 && x.pids.length > 0)));
    const stuckTick = await waitFor('the stuck flag', () => h.ticks.find((t) => t.tasks.some((x) => x.seq === 1 && x.state === 'stuck')), 30_000);
    // 3 s window at 500 ms ticks = 6 ticks, plus 2, plus one for where the start fell in its tick.
    expect(stuckTick.n - first.n).toBeLessThanOrEqual(6 + 2 + 1);
    const ev = stuckTick.tasks.find((x) => x.seq === 1)!.stuck!;
    expect(ev.state).toBe('stuck');
    expect([...ev.rules].sort()).toEqual(['cpuIdle', 'silent']);
    expect(ev.reasons[0]).toBe('CPU 0.0 s in 3 s');
    expect(ev.reasons[1]).toMatch(/^no output for \d+ s$/);
    expect(ev.summary).toBe(ev.reasons.join('; '));
    expect(h.notices.some((n) => n.kind === 'task-stuck' && n.taskSeq === 1 && n.message.startsWith('task 1 looks stuck: CPU 0.0 s in 3 s; no output for'))).toBe(true);
    await h.sup.call('killTask', { seq: 1, mode: 'force' });
    await withDeadline(h.finished, 30_000, 'the task to end');
  });

  it('never flags a busy loop, a task printing every 2 s, or a module task sending heartbeats', async () => {
    const cmd = await startJob(
      `name: busy\ncommand: [sh, -c, "{}"]\nconcurrency: 2\nstuck: { cpuIdle: 3s, silent: 3s }\ninputs:\n  list: ${yamlList(['yes > /dev/null', 'for i in 1 2 3 4 5; do echo tick $i; sleep 2; done'])}\n`,
      { settings: { tickMs: 500 } },
    );
    const mod = await startJob(`name: beats\nmodule: ${JSON.stringify(join(fixtures, 'behave.mjs'))}\nstuck: { cpuIdle: 3s, silent: 3s }\ninputs:\n  list: ["heartbeat:9"]\n`, {
      settings: { tickMs: 500 },
    });
    await withDeadline(mod.finished, 60_000, 'the heartbeat task');
    await waitFor('the printing task', () => cmd.task(2).outcome, 60_000);
    expect(cmd.task(2).outcome).toBe('ok');
    expect(mod.task(1).outcome).toBe('ok');
    await cmd.sup.call('killTask', { seq: 1, mode: 'force' });
    await withDeadline(cmd.finished, 30_000, 'the busy loop to end');
    // Enough ticks to have judged a 3 s window several times over.
    expect(cmd.ticks.length).toBeGreaterThan(14);
    expect(seenStates(cmd.ticks, 1)).not.toContain('stuck');
    // `yes > /dev/null` prints nothing we see but burns CPU: busy, so not even suspect.
    const yesRules = new Set(cmd.ticks.flatMap((t) => t.tasks.filter((x) => x.seq === 1).flatMap((x) => x.stuck?.rules ?? [])));
    expect([...yesRules]).toEqual([]);
    expect(seenStates(cmd.ticks, 1)).not.toContain('suspect');
    expect(seenStates(cmd.ticks, 2)).not.toContain('stuck');
    expect(seenStates(mod.ticks, 1)).not.toContain('stuck');
    expect([...cmd.notices, ...mod.notices].filter((n) => n.kind === 'task-stuck')).toEqual([]);
  });

  it('flags a task overdue against the median of ≥5 finished tasks', async () => {
    const h = await startJob(
      `name: overdue\ncommand: sleep {}\nconcurrency: 1\nstuck: { cpuIdle: off, silent: off, overdue: 300% }\ninputs:\n  list: [0.2, 0.2, 0.2, 0.2, 0.2, 30]\n`,
      { settings: { tickMs: 250 } },
    );
    const t = await waitFor('the slow task flagged', () => h.ticks.flatMap((x) => x.tasks).find((x) => x.seq === 6 && x.state === 'stuck'), 30_000);
    expect(t.stuck!.rules).toEqual(['overdue']);
    expect(t.stuck!.reasons[0]).toMatch(/^\d+\.\d× median \(0\.\d s\)$/);
    // None of the fast ones was ever flagged, and there was no median before five had finished.
    for (const seq of [1, 2, 3, 4, 5]) expect(seenStates(h.ticks, seq)).not.toContain('stuck');
    await h.sup.call('killTask', { seq: 6, mode: 'force' });
    await withDeadline(h.finished, 30_000, 'the job to end');
  });
});
