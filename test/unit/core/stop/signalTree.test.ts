import { describe, expect, it } from 'vitest';
import { pauseTree, resumeTree, signalTree, toSignal } from '../../../../main/core/stop/signalTree.js';
import { treeTable } from '../../../support/treeTable.js';
import type { RunCommand } from '../../../../main/core/monitor/types.js';

const table = treeTable;

function fakeKill(fail: Record<number, string> = {}) {
  const sent: string[] = [];
  const kill = (pid: number, sig: NodeJS.Signals) => {
    if (fail[pid]) throw Object.assign(new Error(`kill ${fail[pid]}`), { code: fail[pid] });
    sent.push(`${pid} ${sig}`);
  };
  return { kill, sent };
}

describe('signalTree on POSIX', () => {
  it('signals the group, then recorded pids that left it, each checked against its start time', async () => {
    const k = fakeKill();
    const tree = table({ 100: [100, 't100'], 101: [100, 't101'], 300: [300, 't300'], 400: [400, 'reused'] });
    const known = [
      { pid: 100, startTime: 't100' },
      { pid: 300, startTime: 't300' },
      { pid: 400, startTime: 't400' }, // pid 400 now belongs to another process
    ];
    await signalTree({ pgid: 100, known }, 'TERM', 'linux', { kill: k.kill, tree });
    expect(k.sent).toEqual(['-100 SIGTERM', '300 SIGTERM']);
  });

  it('never sends kill(-pgid) to a group whose id now names an unrelated session leader', async () => {
    const k = fakeKill();
    // The task's leader 100 died; pid 100 went to a `setsid` process that leads its own group now.
    const tree = table({ 100: [100, 'foreign'], 105: [100, 'foreign-child'] });
    await signalTree({ pgid: 100, known: [{ pid: 100, startTime: 'ours' }] }, 'KILL', 'linux', { kill: k.kill, tree });
    expect(k.sent).toEqual([]);
  });

  it('still signals a group that lost its leader but holds a process it recorded, or no leader at all', async () => {
    const k = fakeKill();
    await signalTree({ pgid: 100, known: [{ pid: 101, startTime: 't101' }] }, 'KILL', 'linux', { kill: k.kill, tree: table({ 101: [100, 't101'] }) });
    await signalTree({ pgid: 200, known: [{ pid: 200, startTime: 't200' }] }, 'KILL', 'linux', { kill: k.kill, tree: table({ 201: [200, 'x'] }) });
    expect(k.sent).toEqual(['-100 SIGKILL', '-200 SIGKILL']);
  });

  it('signals the listed members one by one when the group emptied between listing and kill (they left with setsid)', async () => {
    const k = fakeKill({ [-100]: 'ESRCH' });
    await signalTree({ pgid: 100, known: [{ pid: 100, startTime: 't' }] }, 'TERM', 'linux', { kill: k.kill, tree: table({ 101: [100, 't101'] }) });
    expect(k.sent).toEqual(['101 SIGTERM']);
  });

  it('sends nothing to a group of zombies', async () => {
    const k = fakeKill();
    await signalTree({ pgid: 100, known: [{ pid: 100, startTime: 't' }] }, 'KILL', 'linux', { kill: k.kill, tree: table({ 100: [100, 't', 'Z'] }) });
    expect(k.sent).toEqual([]);
  });

  it('names the target and the errno of a refused signal', async () => {
    const k = fakeKill({ [-100]: 'EPERM' });
    await expect(signalTree({ pgid: 100, known: [{ pid: 100, startTime: 't' }] }, 'TERM', 'linux', { kill: k.kill, tree: table({ 100: [100, 't'] }) })).rejects.toThrow(
      'cannot send SIGTERM to process group 100: EPERM',
    );
  });

  it('refuses unknown signals in words', async () => {
    expect(() => toSignal('BOGUS')).toThrow('unknown signal: BOGUS');
    await expect(signalTree({ pgid: 1, known: [] }, 'BOGUS', 'linux', { kill: fakeKill().kill, tree: table({}) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'unknown signal: BOGUS',
    });
  });

  it('pauses and resumes the group with STOP and CONT, synchronously', () => {
    const k = fakeKill();
    const tree = table({ 5: [5, 't5'] });
    pauseTree({ pgid: 5, known: [{ pid: 5, startTime: 't5' }] }, 'linux', { kill: k.kill, tree });
    resumeTree({ pgid: 5, known: [{ pid: 5, startTime: 't5' }] }, 'linux', { kill: k.kill, tree });
    expect(k.sent).toEqual(['-5 SIGSTOP', '-5 SIGCONT']);
  });
});

describe('signalTree on Windows', () => {
  const cim = (rows: Array<[number, number]>) => JSON.stringify(rows.map(([pid, ms]) => ({ ProcessId: pid, ParentProcessId: 1, CreationDate: `/Date(${ms})/`, Name: 'x' })));
  function fakeRun(code = 0, procs: Array<[number, number]> = [[40, 1000], [41, 2000]]) {
    const calls: string[] = [];
    const run: RunCommand = (file, args) => {
      if (file === 'powershell.exe') return Promise.resolve({ stdout: cim(procs), code: 0 });
      calls.push([file, ...args].join(' '));
      return Promise.resolve({ stdout: '', stderr: 'ERROR: access denied', code });
    };
    return { run, calls };
  }
  const known = [
    { pid: 40, startTime: '1000' },
    { pid: 41, startTime: '2000' },
  ];

  it('asks gracefully with taskkill /T and forces with /F, only pids whose creation time matches', async () => {
    const r = fakeRun();
    await signalTree({ pgid: null, known }, 'TERM', 'win32', { run: r.run });
    await signalTree({ pgid: null, known: [{ pid: 40, startTime: '1000' }, { pid: 41, startTime: '999' }] }, 'KILL', 'win32', { run: r.run });
    expect(r.calls).toEqual(['taskkill /T /PID 40', 'taskkill /T /PID 41', 'taskkill /F /T /PID 40']);
  });

  it('accepts "not found" and a refused graceful close, reports a failed force', async () => {
    await signalTree({ pgid: null, known }, 'KILL', 'win32', { run: fakeRun(128).run });
    await signalTree({ pgid: null, known }, 'TERM', 'win32', { run: fakeRun(1).run });
    await expect(signalTree({ pgid: null, known }, 'KILL', 'win32', { run: fakeRun(1).run })).rejects.toThrow(
      'taskkill /F /T /PID 40 failed (exit 1): ERROR: access denied',
    );
  });

  it('cannot pause or resume', () => {
    expect(() => pauseTree({ pgid: null, known }, 'win32')).toThrow('pausing a task is not supported on Windows');
    expect(() => resumeTree({ pgid: null, known }, 'win32')).toThrow('resuming a task is not supported on Windows');
  });
});
