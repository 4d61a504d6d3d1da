import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fixtures, pidAlive, sleepers, startJob, taskOutput, trackPid, waitFor, withDeadline } from './helpers.js';

// How a command task ends: its main process exits and its tree is dealt with, whoever holds its pipes.
afterEach(cleanup);

describe('the end of a command task', () => {
  it('a background child holding the pipe is ended with the task, not waited for', async () => {
    const arg = `${300 + Math.random()}`.slice(0, 9);
    const h = await startJob(`name: bg\ncommand: "sleep ${arg} & echo started {}"\ninputs:\n  list: [x]\n`);
    // The sleep holds stdout for 300 s: only the leftover cleanup can end the task within the deadline.
    await withDeadline(h.finished, 60_000, 'the task to end while its background sleep holds the pipe');
    for (const p of sleepers(arg)) trackPid(p);
    expect(sleepers(arg)).toEqual([]);
    const t = h.task(1);
    expect(t.outcome).toBe('ok');
    expect(await taskOutput(h.sup, 1)).toMatch(/\ncorral: task 1 left pid \d+; ending them\n/);
  });

  it('a setsid daemon that keeps stdout open is ended at the timeout (daemons: kill by default)', async () => {
    const arg = `${3002 + Math.random()}`.slice(0, 10);
    const h = await startJob(`name: daemon\ncommand: "setsid nohup sleep ${arg} & echo forked {}"\ntimeout: 20s\ninputs:\n  list: [x]\n`);
    await withDeadline(h.finished, 90_000, 'the task with a daemon to end');
    for (const p of sleepers(arg)) trackPid(p);
    expect(sleepers(arg)).toEqual([]);
    expect(await taskOutput(h.sup, 1)).toContain('forked x');
  });

  it('a setsid daemon of a task too short for any tick is still found and ended', async () => {
    const arg = `${3003 + Math.random()}`.slice(0, 10);
    const h = await startJob(`name: daemon\ncommand: "setsid sleep ${arg} </dev/null >/dev/null 2>&1 & echo forked {}"\ninputs:\n  list: [x]\n`, {
      settings: { tickMs: 60_000 },
    });
    await withDeadline(h.finished, 60_000, 'the task to end');
    for (const p of sleepers(arg)) trackPid(p);
    expect(sleepers(arg)).toEqual([]);
    expect(h.task(1).outcome).toBe('ok');
  });

  it('daemons: keep leaves a setsid daemon running and names it in the task output', async () => {
    const arg = `${3004 + Math.random()}`.slice(0, 10);
    // The task waits until the daemon has left its group (the pid file is written after setsid).
    const launchDaemon = `setsid sh -c 'echo $$ > daemon.pid; exec sleep ${arg}' </dev/null >/dev/null 2>&1 &`;
    const h = await startJob(`name: keep\ncommand: "${launchDaemon} while [ ! -s daemon.pid ]; do sleep 0.05; done; echo forked {}"\ndaemons: keep\ninputs:\n  list: [x]\n`, {
      settings: { tickMs: 60_000 },
      orphanGuard: true,
    });
    await withDeadline(h.finished, 60_000, 'the task to end');
    const [daemon] = sleepers(arg);
    expect(daemon).toBeGreaterThan(0);
    trackPid(daemon);
    expect(h.task(1).outcome).toBe('ok');
    expect(await taskOutput(h.sup, 1)).toContain(`corral: task 1 leaves pid ${daemon} running outside its group (daemons: keep)`);
    // The close scan (supervisor marker) spares it too.
    await h.sup.close({ graceMs: 2_000 });
    expect(pidAlive(daemon)).toBe(true);
  });

  it('a zombie left in the group counts as gone: only the live daemon is a leftover', async () => {
    const h = await startJob(`name: zombie\ncommand: [python3, ${JSON.stringify(join(fixtures, 'zombie-in-group.py'))}, "{}"]\ninputs:\n  list: [x]\n`, {
      settings: { tickMs: 60_000 },
    });
    await withDeadline(h.finished, 60_000, 'the task to end');
    const m = /daemon (\d+) zombie (\d+)/.exec(await taskOutput(h.sup, 1));
    expect(m).not.toBeNull();
    trackPid(Number(m![1]));
    expect(h.task(1).outcome).toBe('ok');
    // kill(-pgid, 0) still succeeds for the zombie's group; it is not a process left in the group.
    expect(await taskOutput(h.sup, 1)).toContain(`corral: task 1 left pid ${m![1]} — pid ${m![1]} outside its group (daemons: kill); ending them`);
    expect(pidAlive(Number(m![1]))).toBe(false);
  });

  it('a TERM-ignoring task ended by KILL names the kill-sequence step, not the wrapper signal', async () => {
    const h = await startJob(`name: ignore\ncommand: "sh ${join(fixtures, 'ignore-term.sh')} {}"\nkill: TERM,1s,KILL\ninputs:\n  list: [x]\n`);
    await waitFor('the task to say ready', async () => (await taskOutput(h.sup, 1)).includes('ready'));
    expect((await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the task to end');
    const t = h.task(1);
    expect(t.outcome).toBe('killed');
    expect(t.error).toBe('killed by KILL after TERM (kill sequence)');
  });
});
