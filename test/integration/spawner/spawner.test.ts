import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, pidAlive, runCli, runJob, sleepers, startJob, taskOutput, tempDir, trackPid, waitFor, withDeadline } from '../core/helpers.js';

afterEach(cleanup);

const ppidOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};
const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');

describe.skipIf(process.platform === 'win32')('spawn helper', () => {
  it('forks command tasks (their parent is the helper, not the supervisor); CORRAL_SPAWN=direct forks from the supervisor', async () => {
    const job = 'name: parent\ncommand: echo parent=$PPID\ninputs: {list: [a]}\n';
    const viaHelper = await runJob(job);
    const helperPid = Number(/parent=(\d+)/.exec(await taskOutput(viaHelper.sup, 1))?.[1]);
    expect(helperPid).not.toBe(process.pid);
    expect(ppidOf(helperPid)).toBe(process.pid);
    expect(cmdline(helperPid)).toContain('spawner.cjs');

    const direct = await runJob(job, { spawn: 'direct' });
    expect(await taskOutput(direct.sup, 1)).toContain(`parent=${process.pid}`);
  });

  it('keeps exit codes, signals, output bytes and spawn errors exactly as the direct path does', async () => {
    const job = (command: string) => `name: same\ncommand: ${command}\ninputs: {list: ['1', '2', '3']}\nconcurrency: 2\n`;
    const shell = job(JSON.stringify("printf 'out {}\\377\\n'; printf 'err {}\\n' >&2; [ {} = 3 ] && kill -USR1 $$; exit {}"));
    const missing = job('[no-such-program-s15, "{}"]');
    for (const text of [shell, missing]) {
      const a = await runJob(text);
      const b = await runJob(text, { spawn: 'direct' });
      const view = async (h: typeof a) =>
        Promise.all(h.tasks().map(async (t) => [t.outcome, t.exitCode, t.signal, t.error, await taskOutput(h.sup, t.seq)]));
      expect(await view(a)).toEqual(await view(b));
    }
  });

  it('a killed helper fails its running tasks with an error naming it, kills their trees, and a new helper runs the next task', async () => {
    const job = `name: helper-dies\ncommand: "if [ {} = 3 ]; then echo third=$PPID; else sleep 1015{}; fi"\ninputs: {list: ['1', '2', '3']}\nconcurrency: 2\n`;
    const h = await startJob(job);
    const [a, b] = await waitFor('two sleeping tasks', () => (sleepers('10151').length + sleepers('10152').length === 2 ? [h.task(1).pid, h.task(2).pid] : null), 60_000);
    trackPid(a!);
    trackPid(b!);
    const helper = ppidOf(a!);
    expect(ppidOf(b!)).toBe(helper);
    process.kill(helper, 'SIGKILL');
    await withDeadline(h.finished, 60_000, 'the job to finish');
    for (const seq of [1, 2]) {
      const t = h.task(seq);
      expect(t.outcome).toBe('failed');
      expect(t.error).toBe(`the spawn helper (pid ${helper}) exited (SIGKILL) while the task ran; its output and exit status are lost`);
    }
    expect([a!, b!, ...sleepers('10151'), ...sleepers('10152')].filter(pidAlive)).toEqual([]);
    expect(h.task(3).outcome).toBe('ok');
    const third = Number(/third=(\d+)/.exec(await taskOutput(h.sup, 3))?.[1]);
    expect(third).not.toBe(helper);
    expect(ppidOf(third)).toBe(process.pid);
  });

  it('a task failed by a dead helper is retried (retries apply)', async () => {
    const dir = tempDir();
    const job = `name: helper-retry\ncommand: "x={}; if [ -e ${dir}/once ]; then echo second; else touch ${dir}/once; sleep 10160; fi"\ninputs: {list: ['1']}\nretries: 1\n`;
    const h = await startJob(job);
    const pid = await waitFor('the sleeping task', () => (sleepers('10160').length === 1 ? h.task(1).pid : null), 60_000);
    trackPid(pid);
    process.kill(ppidOf(pid), 'SIGKILL');
    await withDeadline(h.finished, 60_000, 'the job to finish');
    expect(h.task(1).outcome).toBe('ok');
    expect(h.task(1).attempt).toBe(2);
    expect(await taskOutput(h.sup, 1)).toContain('second');
  });

  it('a force stop right after the start, before the helper told any pid, still kills every task', async () => {
    const job = 'name: early-stop\ncommand: sleep 1017{}\ninputs: {range: {from: 1, to: 4}}\nconcurrency: 4\n';
    const h = await startJob(job);
    const r = await h.sup.call('stopJob', { mode: 'force' });
    expect(r.ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the job to finish');
    expect(h.tasks().map((t) => t.outcome)).toEqual(['interrupted', 'interrupted', 'interrupted', 'interrupted']);
    expect([1, 2, 3, 4].flatMap((i) => sleepers(`1017${i}`))).toEqual([]);
  });

  it('a stopped (hung) helper is killed after CORRAL_SPAWN_HUNG_S without an answer: its tasks fail naming why, their trees die, a new helper runs the rest', async () => {
    const job = `name: helper-hangs\ncommand: "if [ {} = 3 ]; then echo third=$PPID; else sleep 1018{}; fi"\ninputs: {list: ['1', '2', '3']}\nconcurrency: 2\n`;
    process.env.CORRAL_SPAWN_HUNG_S = '2';
    let h: Awaited<ReturnType<typeof startJob>>;
    try {
      h = await startJob(job);
    } finally {
      delete process.env.CORRAL_SPAWN_HUNG_S;
    }
    const [a, b] = await waitFor('two sleeping tasks', () => (sleepers('10181').length + sleepers('10182').length === 2 ? [h.task(1).pid, h.task(2).pid] : null), 60_000);
    trackPid(a!);
    trackPid(b!);
    const helper = ppidOf(a!);
    trackPid(helper);
    process.kill(helper, 'SIGSTOP');
    await withDeadline(h.finished, 60_000, 'the job to finish');
    for (const seq of [1, 2]) {
      const t = h.task(seq);
      expect(t.outcome).toBe('failed');
      expect(t.error).toMatch(new RegExp(`^the spawn helper \\(pid ${helper}\\) did not answer for \\d+ s \\(stopped\\) and was killed while the task ran; its output and exit status are lost$`));
    }
    expect([helper, a!, b!, ...sleepers('10181'), ...sleepers('10182')].filter(pidAlive)).toEqual([]);
    expect(h.task(3).outcome).toBe('ok');
    const third = Number(/third=(\d+)/.exec(await taskOutput(h.sup, 3))?.[1]);
    expect(third).not.toBe(helper);
    expect(ppidOf(third)).toBe(process.pid);
  });

  it('a busy helper (one task printing without pause) is never declared hung', async () => {
    process.env.CORRAL_SPAWN_HUNG_S = '1';
    let h: Awaited<ReturnType<typeof startJob>>;
    try {
      h = await startJob('name: busy-helper\ncommand: "i=0; while [ $i -lt 4000 ]; do echo line $i; i=$((i+1)); done; sleep 3; echo {}"\ninputs: {list: [a, b]}\nconcurrency: 2\n');
    } finally {
      delete process.env.CORRAL_SPAWN_HUNG_S;
    }
    await withDeadline(h.finished, 120_000, 'the job to finish');
    expect(h.tasks().map((t) => [t.outcome, t.error])).toEqual([['ok', null], ['ok', null]]);
  });

  it('a bad CORRAL_SPAWN_HUNG_S is a usage error naming the variable', async () => {
    const r = await runCli(['run', '--demo'], { cwd: tempDir(), env: { CORRAL_SPAWN_HUNG_S: '0' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('corral run: CORRAL_SPAWN_HUNG_S must be a number of seconds above 0, not "0"\n');
  });

  it('a bad CORRAL_SPAWN is a usage error naming the variable', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--demo'], { cwd: dir, env: { CORRAL_SPAWN: 'fork' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('corral run: CORRAL_SPAWN must be "helper" or "direct", not "fork"\n');
  });
});
