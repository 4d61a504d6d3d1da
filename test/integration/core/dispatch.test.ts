import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import type { Supervisor } from '../../../main/core/supervisor.js';
import { argvFixture, cleanup, runJob, startJob, waitFor, yamlList } from './helpers.js';

// Dispatch, resize, replacement strings, quoting, ENOENT and retries through the supervisor, on real processes.
afterEach(cleanup);

async function output(sup: Supervisor, seq: number): Promise<string> {
  const r = await sup.call('getTaskOutput', { seq });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.text;
}

describe('dynamic dispatch', () => {
  it('keeps every slot busy while inputs remain (uneven task lengths)', async () => {
    // One long task among many short ones: the other slots take task after task meanwhile.
    const lengths = ['2.5', '0.2', '0.3', '0.2', '0.2', '0.3', '0.2', '0.2', '0.3', '0.2', '0.2', '0.3', '0.2', '0.2'];
    const h = await runJob(`name: uneven\ncommand: sleep {}\nconcurrency: 3\ninputs:\n  list: ${yamlList(lengths)}\n`);
    const tasks = h.tasks();
    expect(tasks.every((t) => t.outcome === 'ok')).toBe(true);

    // In every tick taken while tasks were queued, no slot was idle.
    const busyTicks = h.ticks.filter((t) => t.job?.state === 'running' && t.pool.queued > 0);
    expect(busyTicks.length).toBeGreaterThan(2);
    for (const t of busyTicks) {
      expect(t.slots).toHaveLength(3);
      expect(t.slots.every((s) => s.taskSeq !== null)).toBe(true);
    }

    // By order of events: while the long task ran, the other slots ran several short ones to the end.
    const long = h.task(1);
    const inside = tasks.filter((t) => t.seq !== 1 && t.startedAt! >= long.startedAt! && t.endedAt! <= long.endedAt!);
    expect(inside.length).toBeGreaterThanOrEqual(4);
    expect(new Set(inside.map((t) => t.slot))).not.toContain(long.slot);

    // Each slot runs its tasks one after another, never two at once, and a task starts no
    // earlier than the end of the one before it on its slot.
    for (const slot of [1, 2, 3]) {
      const onSlot = tasks.filter((t) => t.slot === slot).sort((a, b) => a.startedAt! - b.startedAt!);
      expect(onSlot.length).toBeGreaterThan(0);
      for (let i = 1; i < onSlot.length; i++) expect(onSlot[i].startedAt!).toBeGreaterThanOrEqual(onSlot[i - 1].endedAt!);
    }
    // Input order: tasks start in sequence order.
    const byStart = [...tasks].sort((a, b) => a.startedAt! - b.startedAt! || a.seq - b.seq).map((t) => t.seq);
    expect(byStart).toEqual(tasks.map((t) => t.seq));
  });

  it('resizes up (more at once) and down (running tasks finish) mid-run; {%} stays within the pool', async () => {
    const h = await startJob(`name: resize\ncommand: echo slot={%}; sleep 1\nconcurrency: 1\ninputs:\n  range: { from: 1, to: 14 }\n`);
    const run = h.sup.run!;
    const running = () => run.liveTasks().length;
    await waitFor('the first task', () => running() === 1);
    expect((await h.sup.call('resizePool', { size: 3 })).ok).toBe(true);
    // Growing starts the extra tasks at once (in the same call), not at the next task end.
    expect(running()).toBe(3);
    await waitFor('a task ending at size 3', () => h.tasks().filter((t) => t.outcome === 'ok').length >= 4);
    const doneBeforeShrink = new Set(h.tasks().filter((t) => t.outcome).map((t) => t.seq));
    const runningAtShrink = run.liveTasks().map((t) => t.seq).sort((a, b) => a - b);
    expect(runningAtShrink.length).toBe(3);
    expect((await h.sup.call('resizePool', { size: 1 })).ok).toBe(true);
    // Shrinking kills nothing: the three running tasks keep running.
    expect(run.liveTasks().map((t) => t.seq).sort((a, b) => a - b)).toEqual(runningAtShrink);
    await waitFor('the pool down to one running task', () => running() === 1 && run.queued > 0);
    await h.finished;
    const tasks = h.tasks();
    expect(tasks.every((t) => t.outcome === 'ok')).toBe(true);
    for (const t of tasks) {
      const slot = Number(/slot=(\d+)/.exec(await output(h.sup, t.seq))![1]);
      expect(slot).toBe(t.slot);
      expect(slot).toBeGreaterThanOrEqual(1);
      expect(slot).toBeLessThanOrEqual(3);
    }
    // Tasks started after the shrink (and after the running ones ended) use slot 1 only.
    const startedAfter = tasks.filter((t) => !doneBeforeShrink.has(t.seq) && !runningAtShrink.includes(t.seq));
    expect(startedAfter.length).toBeGreaterThan(3);
    const lastOfOld = Math.max(...runningAtShrink.map((s) => h.task(s).endedAt!));
    for (const t of startedAfter.filter((x) => x.startedAt! > lastOfOld)) expect(t.slot).toBe(1);
    // Never more than 3 at once, and never more than 1 after the shrink settled.
    expect(Math.max(...h.ticks.map((t) => t.job?.counts.running ?? 0))).toBeLessThanOrEqual(3);
  });
});

describe('commands', () => {
  it('substitutes every replacement string', async () => {
    const inputs = ['dir.x/sub/file.tar.gz', 'plain'];
    const h = await runJob(
      `name: repl\ncommand: "printf '%s|' {} {.} {/} {//} {/.} {#} {%}"\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n`,
    );
    expect(await output(h.sup, 1)).toBe('dir.x/sub/file.tar.gz|dir.x/sub/file.tar|file.tar.gz|dir.x/sub|file.tar|1|1|');
    expect(await output(h.sup, 2)).toBe('plain|plain|plain|.|plain|2|1|');
  });

  const nasty = `a b; rm -rf ~ $(x) 'q"`;
  it.each([
    ['a string command (through the shell)', `command: node ${JSON.stringify(argvFixture)} {}`],
    ['an array command (no shell)', `command: [node, ${JSON.stringify(argvFixture)}, "{}"]`],
  ])('passes a hostile input as one literal argument to %s', async (_, command) => {
    const h = await runJob(`name: quoting\n${command}\ninputs:\n  list: ${yamlList([nasty])}\n`);
    expect(h.task(1).outcome).toBe('ok');
    expect(JSON.parse(await output(h.sup, 1))).toEqual([nasty]);
  });

  it.each([
    ['an array command', 'command: [nosuchprog, "{}"]'],
    ['a string command (shell exit 127)', 'command: nosuchprog {}'],
  ])('fails only the task whose program is missing, for %s', async (_, command) => {
    const h = await runJob(`name: enoent\n${command}\ninputs:\n  list: [a, b]\n`);
    for (const t of h.tasks()) {
      expect(t.outcome).toBe('failed');
      expect(t.error).toBe('program not found: nosuchprog');
    }
    // The batch goes on: a job mixing a missing program with a good one runs both.
    const mixed = await runJob(`name: enoent-mixed\ncommand: "{}"\nconcurrency: 1\ninputs:\n  list: [nosuchprog, "true"]\n`);
    expect(mixed.task(1).error).toBe('program not found: nosuchprog');
    expect(mixed.task(2).outcome).toBe('ok');
  });

  it('retries a failing task and counts the attempt on the same sequence number', async () => {
    const h = await startJob(
      // Fails the first time (no marker yet), succeeds the second.
      `name: flaky\ncommand: "if [ -e {}.seen ]; then echo second; else touch {}.seen; echo first; exit 4; fi"\nretries: 2\nretryDelay: 100ms\ninputs:\n  list: [m1]\ncwd: .\n`,
      { joblog: undefined },
    );
    await h.finished;
    const t = h.task(1);
    expect(t.outcome).toBe('ok');
    expect(t.attempt).toBe(2);
    expect(await output(h.sup, 1)).toContain('--- attempt 2 ---');
    const rows = parseJoblog(readFileSync(h.sup.run!.info().joblog!, 'utf8'));
    expect(rows.map((r) => [r.seq, r.attempt, r.exitval, r.outcome])).toEqual([
      [1, 1, 4, 'failed'],
      [1, 2, 0, 'ok'],
    ]);
    // The retry is announced, with why and which attempt comes next.
    expect(h.notices.map((n) => n.message)).toContain('task 1 failed: exit code 4 — retrying in 0.1 s (attempt 2 of 3)');
  });
});
