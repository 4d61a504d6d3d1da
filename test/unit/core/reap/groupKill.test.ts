import { describe, expect, it } from 'vitest';
import { groupKiller, taskkillArgs } from '../../../../main/core/reap/groupKill.js';

describe('groupKiller on Windows', () => {
  it('runs taskkill /T for TERM and /T /F for KILL on the root pid', () => {
    const runs: Array<[string, string[]]> = [];
    const k = groupKiller({ platform: 'win32', run: (file, args) => runs.push([file, args]) });
    k.signal(4321, 'TERM');
    k.signal(4321, 'KILL');
    expect(runs).toEqual([
      ['taskkill', ['/T', '/PID', '4321']],
      ['taskkill', ['/T', '/F', '/PID', '4321']],
    ]);
    expect(taskkillArgs(9, 'KILL')).toEqual(['/T', '/F', '/PID', '9']);
  });
});

describe('groupKiller on POSIX', () => {
  const esrch = (): never => {
    throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
  };

  it('signals the negative pgid and swallows ESRCH', () => {
    const sent: Array<[number, NodeJS.Signals | 0]> = [];
    const k = groupKiller({
      platform: 'darwin',
      kill: (pid, sig) => {
        sent.push([pid, sig]);
        if (pid === -2) esrch();
      },
    });
    k.signal(1, 'TERM');
    k.signal(1, 'KILL');
    expect(() => k.signal(2, 'KILL')).not.toThrow();
    expect(sent).toEqual([
      [-1, 'SIGTERM'],
      [-1, 'SIGKILL'],
      [-2, 'SIGKILL'],
    ]);
  });

  it('reports groups that exist (EPERM counts as existing) on macOS', () => {
    const k = groupKiller({
      platform: 'darwin',
      kill: (pid) => {
        if (pid === -3) esrch();
        if (pid === -4) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      },
    });
    expect([...k.liveGroups([2, 3, 4])]).toEqual([2, 4]);
  });
});
