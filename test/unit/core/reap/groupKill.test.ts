import { describe, expect, it } from 'vitest';
import { groupKiller, taskkillArgs } from '../../../../main/core/reap/groupKill.js';
import { treeTable } from '../../../support/treeTable.js';

const table = treeTable;

describe('groupKiller on Windows', () => {
  it('runs taskkill /T for TERM and /T /F for KILL on a root pid that still exists', () => {
    const runs: Array<[string, string[]]> = [];
    const k = groupKiller({ platform: 'win32', run: (file, args) => runs.push([file, args]), tree: table({ 4321: [4321, 'x'] }) });
    k.signal({ pgid: 4321, pid: 4321 }, 'TERM');
    k.signal({ pgid: 4321, pid: 4321 }, 'KILL');
    k.signal({ pgid: 9, pid: 9 }, 'KILL'); // gone: nothing to run
    expect(runs).toEqual([
      ['taskkill', ['/T', '/PID', '4321']],
      ['taskkill', ['/T', '/F', '/PID', '4321']],
    ]);
    expect(taskkillArgs(9, 'KILL')).toEqual(['/T', '/F', '/PID', '9']);
  });
});

describe('groupKiller on POSIX', () => {
  it('signals the negative pgid of a group it owns and swallows ESRCH', () => {
    const sent: Array<[number, NodeJS.Signals]> = [];
    const k = groupKiller({
      platform: 'darwin',
      tree: table({ 1: [1, 't1'], 2: [2, 't2'] }),
      kill: (pid, sig) => {
        sent.push([pid, sig]);
        if (pid === -2) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      },
    });
    k.signal({ pgid: 1, pid: 1, startTime: 't1' }, 'TERM');
    k.signal({ pgid: 1, pid: 1, startTime: 't1' }, 'KILL');
    expect(() => k.signal({ pgid: 2, pid: 2, startTime: 't2' }, 'KILL')).not.toThrow();
    expect(sent).toEqual([
      [-1, 'SIGTERM'],
      [-1, 'SIGKILL'],
      [-2, 'SIGKILL'],
      [2, 'SIGKILL'], // the group had emptied since it was listed: its listed member is signalled itself
    ]);
  });

  it('leaves alone a group id that a reused pid leads now', () => {
    const sent: number[] = [];
    const k = groupKiller({ platform: 'linux', tree: table({ 7: [7, 'foreign'] }), kill: (pid) => sent.push(pid) });
    k.signal({ pgid: 7, pid: 7, startTime: 'ours' }, 'KILL');
    expect(sent).toEqual([]);
    expect([...k.liveGroups([{ pgid: 7, pid: 7, startTime: 'ours' }])]).toEqual([]);
  });

  it('reports groups with a live member, not those left with zombies only', () => {
    const k = groupKiller({ platform: 'linux', tree: table({ 2: [2, 'a'], 4: [4, 'b', 'Z'], 5: [4, 'c', 'Z'] }) });
    expect([...k.liveGroups([2, 3, 4].map((g) => ({ pgid: g, pid: g })))]).toEqual([2]);
  });
});
