import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tick } from '../../../main/contract/types.js';
import { cleanup, fixtures, groupPids, pidAlive, runJob, startJob, taskOutput, waitFor, withDeadline, yamlList } from './helpers.js';

// Timeouts, kill sequences, pause/resume, memory limit and halt, through the supervisor.
afterEach(cleanup);

const steps = (ticks: Tick[], seq: number) => {
  const out: string[] = [];
  for (const t of ticks) {
    for (const x of t.tasks) {
      if (x.seq !== seq || !x.stopping) continue;
      const s = `${x.stopping.step}->${x.stopping.next ?? '-'}`;
      if (out[out.length - 1] !== s) out.push(s);
    }
  }
  return out;
};

describe('timeout and kill sequences', () => {
  it("timeout kills a `sleep 100 & sleep 100; wait` tree completely", async () => {
    const h = await startJob(`name: timeout\ncommand: "sh -c 'sleep 100 & sleep 100; wait'"\ntimeout: 2s\nkill: TERM,1s,KILL\ninputs:\n  list: [x]\n`);
    // The tree is sampled first: the shell and both sleeps.
    await waitFor('three pids in the tree', () => h.seenPids.size >= 3);
    const pgid = h.sup.run!.task(1).live!.pgid!;
    const all = new Set([...h.seenPids, ...groupPids(pgid)]);
    await withDeadline(h.finished, 30_000, 'the timeout to end the task');
    expect(h.task(1).outcome).toBe('timeout');
    expect(h.task(1).state).toBe('timeout');
    // The error says why it ended, not which signal ended it.
    expect(h.task(1).error).toMatch(/^timed out after \d+\.\d s$/);
    expect([...all].filter(pidAlive)).toEqual([]);
    expect(groupPids(pgid)).toEqual([]);
  });

  it('a task trapping TERM finishes its cleanup inside the grace', async () => {
    const h = await startJob(`name: trap\ncommand: [sh, ${JSON.stringify(join(fixtures, 'trap-term.sh'))}, "{}"]\nkill: TERM,10s,KILL\ninputs:\n  list: [marker]\n`);
    await waitFor('the task to say ready', async () => (await taskOutput(h.sup, 1)).includes('ready'));
    expect((await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).ok).toBe(true);
    // The cleanup takes a moment, so the TERM step and the KILL deadline are seen first.
    const stopping = await waitFor('the TERM step with its deadline', () => (h.task(1).stopping?.nextAt ? h.task(1).stopping : null));
    expect(stopping).toMatchObject({ step: 'TERM', next: 'KILL', reason: 'user', mode: 'graceful' });
    await withDeadline(h.finished, 30_000, 'the task to end');
    expect(readFileSync(join(h.dir, 'marker'), 'utf8')).toBe('cleaned\n');
    const t = h.task(1);
    expect(t.outcome).toBe('killed');
    // TERM was enough: the trap's own exit 0 ended it before the KILL step was due.
    expect([t.exitCode, t.signal]).toEqual([0, null]);
    expect(t.endedAt!).toBeLessThan(stopping.nextAt!);
    expect(steps(h.ticks, 1)).not.toContain('KILL->-');
  });

  it('a task ignoring TERM is KILLed at the grace', async () => {
    const h = await startJob(`name: ignore\ncommand: [sh, ${JSON.stringify(join(fixtures, 'ignore-term.sh'))}]\nkill: TERM,1500ms,KILL\ninputs:\n  list: [x]\n`);
    await waitFor('the task to say ready', async () => (await taskOutput(h.sup, 1)).includes('ready'));
    const pid = h.task(1).pid!;
    expect((await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).ok).toBe(true);
    const term = await waitFor('the TERM step with its deadline', () => (h.task(1).stopping?.nextAt ? h.task(1).stopping : null));
    expect(term).toMatchObject({ step: 'TERM', next: 'KILL' });
    await withDeadline(h.finished, 30_000, 'the task to end');
    // Ticks show TERM first; the KILL step may end the task within one tick, so it need not appear.
    expect(['TERM->KILL', 'TERM->KILL,KILL->-']).toContain(steps(h.ticks, 1).join(','));
    const t = h.task(1);
    expect(t.outcome).toBe('killed');
    expect(t.signal).toBe('SIGKILL');
    expect(t.endedAt!).toBeGreaterThanOrEqual(term.nextAt!); // TERM did nothing: it lived to the grace
    expect(pidAlive(pid)).toBe(false);
  });

  it('a task whose grandchild ignores TERM ends with no pid of its tree left', async () => {
    const h = await startJob(`name: grandchild\ncommand: [sh, ${JSON.stringify(join(fixtures, 'grandchild-ignores-term.sh'))}]\nkill: TERM,1s,KILL\ninputs:\n  list: [x]\n`);
    await waitFor('the tree (sh, sh, sleep) in a tick', () => h.seenPids.size >= 3);
    const pgid = h.sup.run!.task(1).live!.pgid!;
    const all = new Set([...h.seenPids, ...groupPids(pgid)]);
    expect((await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the task to end');
    expect(h.task(1).outcome).toBe('killed');
    expect([...all].filter(pidAlive)).toEqual([]);
    expect(groupPids(pgid)).toEqual([]);
  });

  it('pause then resume continues the task to a normal end', async () => {
    const h = await startJob(`name: pause\ncommand: "for i in 1 2 3 4 5 6; do echo step $i {}; sleep 0.3; done"\ninputs:\n  list: [x]\n`);
    await waitFor('the first step', async () => (await taskOutput(h.sup, 1)).includes('step 1'));
    expect((await h.sup.call('pauseTask', { seq: 1 })).ok).toBe(true);
    expect(h.task(1).state).toBe('paused');
    const pid = h.task(1).pid!;
    await waitFor('the shell to be stopped (T)', () => /^T/.test(procState(pid)));
    const before = await taskOutput(h.sup, 1);
    // Two ticks later it has written nothing more.
    const n = h.ticks.length;
    await waitFor('two more ticks', () => h.ticks.length >= n + 2);
    expect(await taskOutput(h.sup, 1)).toBe(before);
    expect(h.task(1).stuck).toBeNull();
    expect((await h.sup.call('resumeTask', { seq: 1 })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the task to end');
    expect(h.task(1).outcome).toBe('ok');
    expect(await taskOutput(h.sup, 1)).toContain('step 6');
  });

  it('a task growing past memoryLimit is memory-killed', async () => {
    const h = await runJob(`name: grow\ncommand: [node, ${JSON.stringify(join(fixtures, 'grow.cjs'))}]\nmemoryLimit: 100MiB\nkill: TERM,1s,KILL\ninputs:\n  list: [x]\n`);
    const t = h.task(1);
    expect(t.outcome).toBe('memory-killed');
    expect(t.state).toBe('memory-killed');
    expect(t.error).toMatch(/^memory limit exceeded: \d+\.\d MiB > 100\.0 MiB$/);
    expect(t.peakRss).toBeGreaterThan(100 * 1024 * 1024);
  });
});

describe('halt', () => {
  const job = (halt: string) =>
    `name: halt\ncommand: [sh, -c, "{}"]\nconcurrency: 2\nhalt: ${halt}\nkill: TERM,1s,KILL\ninputs:\n  list: ${yamlList(['sleep 0.5; exit 1', 'sleep 4; echo survived', 'true', 'true'])}\n`;

  it('soon,fail=1 lets running tasks finish and starts no new ones', async () => {
    const h = await runJob(job('soon,fail=1'));
    const [t1, t2, t3, t4] = h.tasks();
    expect(t1.outcome).toBe('failed');
    expect(t2.outcome).toBe('ok');
    expect([t3.attempt, t4.attempt]).toEqual([0, 0]);
    expect([t3.state, t4.state]).toEqual(['queued', 'queued']);
    const info = h.sup.run!.info();
    expect(info.state).toBe('halted');
    expect(info.haltReason).not.toBeNull();
  });

  it('now,fail=1 interrupts running tasks and starts no new ones', async () => {
    const h = await runJob(job('now,fail=1'));
    const [t1, t2, t3, t4] = h.tasks();
    expect(t1.outcome).toBe('failed');
    // Not the task's failure, not the user's kill: the halt interrupted it, --resume runs it again.
    expect([t2.outcome, t2.state]).toEqual(['interrupted', 'interrupted']);
    expect(h.sup.run!.info().counts).toMatchObject({ failed: 1, interrupted: 1, killed: 0, queued: 2 });
    expect(await taskOutput(h.sup, 2)).not.toContain('survived');
    expect([t3.attempt, t4.attempt]).toEqual([0, 0]);
    expect(h.sup.run!.info().state).toBe('halted');
  });
});

function procState(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
  } catch {
    return existsSync(`/proc/${pid}`) ? '?' : '';
  }
}
