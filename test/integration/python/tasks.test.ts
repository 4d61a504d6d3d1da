import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runJob, taskOutput } from '../core/helpers.js';
import { behave, pyJob } from './helpers.js';

// Python function tasks in the reused host: init state, ctx, output capture, exceptions, results.
afterEach(cleanup);

interface Ok {
  value: string;
  pid: number;
  slot: number;
  attempt: number;
  task_id: number;
}

describe('python tasks', () => {
  it('init runs once per host and its value reaches every task as ctx.state', async () => {
    const h = await runJob(pyJob(['state:', 'state:', 'ok:x'], 'init: setup\n'));
    const [a, b] = [h.sup.taskResult(1), h.sup.taskResult(2)] as { state: { loaded_by: number; model: string }; pid: number }[];
    expect(a.state).toEqual({ loaded_by: a.pid, model: 'weights-v1' });
    expect(b).toEqual(a); // same host, same state: init ran once
    expect(h.sup.taskResult(3)).toMatchObject({ value: 'x', slot: 1, attempt: 1, task_id: 3, pid: a.pid } satisfies Partial<Ok>);
  });

  it('a one-argument function gets no ctx', async () => {
    const h = await runJob(pyJob(['abc'], '', `${behave}:plain`));
    expect(h.sup.taskResult(1)).toBe('ABC');
    expect(h.task(1).command).toBe('behave.py:plain("abc")');
  });

  it('print(), fd 2 and a C-level write(1) are the task\'s output, in order, before its result', async () => {
    const h = await runJob(pyJob(['print:one', 'print:two']));
    for (const [seq, arg] of [[1, 'one'], [2, 'two']] as const) {
      const out = await taskOutput(h.sup, seq);
      expect(out).toContain(`print line ${arg}\n`);
      expect(out).toContain('fd 2 line\n');
      expect(out).toContain('C write line\n');
      expect(out.indexOf('C write line')).toBeLessThan(out.indexOf(`ctx log ${arg}`));
      expect(out.trimEnd().endsWith(`=> "${arg}"`)).toBe(true);
      expect(out).not.toContain(seq === 1 ? 'two' : 'one');
    }
  });

  it('ctx.progress and ctx.heartbeat reach the task', async () => {
    const h = await runJob(pyJob(['progress:']));
    expect(h.task(1).outcome).toBe('ok');
    const seen = h.ticks.flatMap((t) => t.tasks.filter((x) => x.seq === 1 && x.progress).map((x) => x.progress!));
    expect(seen.at(-1)).toMatchObject({ fraction: 0.5, message: 'half' });
    expect(h.ticks.some((t) => t.tasks.some((x) => x.seq === 1 && x.lastActivityAt !== null))).toBe(true);
  });

  it('heartbeats keep a silent task from being flagged stuck', async () => {
    const h = await runJob(pyJob(['quiet:4'], 'stuck: { silent: 2s, cpuIdle: 2s, action: kill }\n'));
    expect(h.task(1).outcome).toBe('ok');
    expect(h.notices.filter((n) => n.kind === 'task-stuck')).toEqual([]);
  });

  it('without heartbeats the same quiet task is stuck-killed (the rule above is live)', async () => {
    const h = await runJob(pyJob(['hang:/dev/null'], 'stuck: { silent: 2s, cpuIdle: 2s, action: kill }\nkill: TERM,1s,KILL\n'));
    expect(h.task(1).outcome).toBe('stuck-killed');
  });

  it('an exception fails only its task: type and message in one line, the full traceback in the output', async () => {
    const h = await runJob(pyJob(['throw:bad input', 'ok:next']));
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.exitCode).toBe(1);
    expect(t.error).toBe('ValueError: bad input');
    const out = await taskOutput(h.sup, 1);
    expect(out).toMatch(/Traceback \(most recent call last\):\n[\s\S]*in behave\n[\s\S]*in fail_deep\n[\s\S]*ValueError: bad input\n/);
    expect(h.task(2).outcome).toBe('ok');
    expect((h.sup.taskResult(2) as Ok).pid).toBe(t.pid); // the host lived on
  });

  it('a result that is not JSON crosses as its repr(), with one warning for the job', async () => {
    const h = await runJob(pyJob(['repr:', 'repr:']));
    expect(h.sup.taskResult(1)).toBe('{1, 2}');
    expect(h.sup.taskResult(2)).toBe('{1, 2}');
    expect(await taskOutput(h.sup, 1)).toContain(
      'corral: warning: the result is not JSON (TypeError: Object of type set is not JSON serializable); results of this job that are not cross as their repr()\n',
    );
    expect(await taskOutput(h.sup, 2)).not.toContain('warning');
  });

  it('hostile output: a line of garbage on the message pipe and bytes that are not UTF-8 on fd 1 cost nothing', async () => {
    const h = await runJob(pyJob(['fd4:', 'bytes:x', 'ok:next']));
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(h.sup.taskResult(1)).toBe('after');
    expect(await taskOutput(h.sup, 2)).toContain('\ufffd\ufffd bad bytes\n');
  });

  it('the host reports its own CPU time and RSS for a task shorter than a tick', async () => {
    const h = await runJob(pyJob(['cpu:0.3']), { settings: { tickMs: 5000 } });
    const t = h.task(1);
    expect(t.cpuSeconds).toBeGreaterThanOrEqual(0.3);
    expect(t.peakRss).toBeGreaterThan(1024 * 1024);
    expect(t.memoryScope).toBe('host');
    expect(t.rssAtStart).toBeGreaterThan(0);
  });
});
