import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, startJob, trackPid, waitFor, withDeadline } from './helpers.js';

// Pause/resume errors (EPERM from kill: a task tree that setuid'd, or a hardened kernel) reach the caller
// as a contract error. They used to become an unhandled rejection that could take the supervisor down.
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

describe('pause and resume refused by the OS', () => {
  it('an EPERM from kill() is the caller’s error, never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const h = await startJob(`name: eperm\ncommand: "echo up {}; sleep 300"\ninputs:\n  list: [x]\n`);
      await waitFor('the task to run', () => h.task(1).pid !== null && h.task(1).state === 'running');
      const pgid = h.sup.run!.task(1).live!.pgid!;
      const realKill = process.kill.bind(process);
      vi.spyOn(process, 'kill').mockImplementation((pid: number, sig?: string | number) => {
        if (sig === 'SIGSTOP' || sig === 'SIGCONT') throw Object.assign(new Error(`kill EPERM`), { code: 'EPERM', errno: -1, syscall: 'kill' });
        return realKill(pid, sig);
      });
      const paused = await h.sup.call('pauseTask', { seq: 1 });
      expect(paused).toEqual({ ok: false, error: { code: 'INTERNAL', message: `cannot pause task 1: cannot send SIGSTOP to process group ${pgid}: EPERM` } });
      expect(h.task(1).state).toBe('running');
      // Let any stray rejection surface before looking.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 0));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a kill sequence that cannot end the tree', () => {
  it('ends the task anyway, reported as not verified gone (never killed), with the survivor and its state', async () => {
    const h = await startJob(`name: immortal\ncommand: "exec sleep {}"\nkill: TERM,300ms,KILL\ninputs:\n  list: [300]\n`);
    await waitFor('the task to run', () => h.task(1).pid !== null && h.task(1).state === 'running');
    const pid = h.task(1).pid!;
    trackPid(pid);
    // The signals to this tree are swallowed: what a process stuck in D state or a kernel refusing looks like.
    const realKill = process.kill.bind(process);
    vi.spyOn(process, 'kill').mockImplementation((target: number, sig?: string | number) => {
      if ((target === pid || target === -pid) && sig !== 0 && sig !== undefined) {
        return true;
      }
      return realKill(target, sig);
    });
    expect((await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the task to end although its tree lives on');
    expect(h.task(1).error).toBe(`not verified gone after KILL: pid ${pid} (state S)`);
    expect(h.task(1).outcome).not.toBe('ok');
  });
});
