import { describe, expect, it } from 'vitest';
import { pauseTree, resumeTree, signalTree, toSignal } from '../../../../main/core/stop/signalTree.js';
import type { RunCommand } from '../../../../main/core/monitor/types.js';

function fakeKill(missing: number[] = [], fail: Record<number, string> = {}) {
  const sent: string[] = [];
  const kill = (pid: number, sig: NodeJS.Signals) => {
    if (fail[pid]) throw Object.assign(new Error(fail[pid]), { code: fail[pid] });
    if (missing.includes(pid)) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    sent.push(`${pid} ${sig}`);
  };
  return { kill, sent };
}

describe('signalTree on POSIX', () => {
  it('signals the group, then the extra pids that left it', async () => {
    const k = fakeKill();
    await signalTree({ pid: 100, pgid: 100, extraPids: [300, 100] }, 'TERM', 'linux', { kill: k.kill });
    expect(k.sent).toEqual(['-100 SIGTERM', '300 SIGTERM']);
  });

  it('falls back to the pid when the group is gone or absent, and shrugs at ESRCH', async () => {
    const k = fakeKill([-100, 300]);
    await signalTree({ pid: 100, pgid: 100, extraPids: [300] }, 'SIGKILL', 'darwin', { kill: k.kill });
    expect(k.sent).toEqual(['100 SIGKILL']);
    const k2 = fakeKill();
    await signalTree({ pid: 7, pgid: null }, 'int', 'linux', { kill: k2.kill });
    expect(k2.sent).toEqual(['7 SIGINT']);
  });

  it('passes on errors other than ESRCH', async () => {
    const k = fakeKill([], { [-100]: 'EPERM' });
    await expect(signalTree({ pid: 100, pgid: 100 }, 'TERM', 'linux', { kill: k.kill })).rejects.toThrow('EPERM');
  });

  it('refuses unknown signals in words', async () => {
    expect(() => toSignal('BOGUS')).toThrow('unknown signal: BOGUS');
    await expect(signalTree({ pid: 1, pgid: 1 }, 'BOGUS', 'linux', { kill: fakeKill().kill })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'unknown signal: BOGUS',
    });
  });

  it('pauses and resumes the group with STOP and CONT', async () => {
    const k = fakeKill();
    await pauseTree({ pid: 5, pgid: 5 }, 'linux', { kill: k.kill });
    await resumeTree({ pid: 5, pgid: 5 }, 'linux', { kill: k.kill });
    expect(k.sent).toEqual(['-5 SIGSTOP', '-5 SIGCONT']);
  });
});

describe('signalTree on Windows', () => {
  function fakeRun(code = 0) {
    const calls: string[] = [];
    const run: RunCommand = (file, args) => {
      calls.push([file, ...args].join(' '));
      return Promise.resolve({ stdout: '', stderr: 'ERROR: access denied', code });
    };
    return { run, calls };
  }

  it('asks gracefully with taskkill /T and forces with /F', async () => {
    const r = fakeRun();
    await signalTree({ pid: 40, pgid: null, extraPids: [41] }, 'TERM', 'win32', { run: r.run });
    await signalTree({ pid: 40, pgid: null }, 'KILL', 'win32', { run: r.run });
    expect(r.calls).toEqual(['taskkill /T /PID 40', 'taskkill /T /PID 41', 'taskkill /F /T /PID 40']);
  });

  it('accepts "not found" and a refused graceful close, reports a failed force', async () => {
    await signalTree({ pid: 40, pgid: null }, 'KILL', 'win32', { run: fakeRun(128).run });
    await signalTree({ pid: 40, pgid: null }, 'TERM', 'win32', { run: fakeRun(1).run });
    await expect(signalTree({ pid: 40, pgid: null }, 'KILL', 'win32', { run: fakeRun(1).run })).rejects.toThrow(
      'taskkill /F /T /PID 40 failed (exit 1): ERROR: access denied',
    );
  });

  it('cannot pause or resume', async () => {
    const r = fakeRun();
    await expect(pauseTree({ pid: 40, pgid: null }, 'win32', { run: r.run })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'pausing a task is not supported on Windows',
    });
    await expect(resumeTree({ pid: 40, pgid: null }, 'win32', { run: r.run })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(r.calls).toEqual([]);
  });
});
