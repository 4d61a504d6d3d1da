import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, startJob, waitFor } from './helpers.js';

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
