import { describe, expect, it } from 'vitest';
import {
  listLinuxFrom,
  listProcesses,
  parseCimDate,
  parseCimJson,
  parseDarwinPs,
  parseProcStat,
  parsePsTime,
  procRow,
  resolveTrees,
  type ProcRow,
} from '../../../../main/core/monitor/processTable.js';
import type { RunCommand } from '../../../../main/core/monitor/types.js';

const units = { clockTicks: 100, pageSize: 4096 };

const parseRow = (line: string, u: typeof units) => {
  const stat = parseProcStat(line);
  return stat ? procRow(stat, u) : null;
};

describe('parseProcStat + procRow', () => {
  it('reads state, ppid, pgrp, cpu, starttime and rss', () => {
    const line = '7101 (cat) R 7094 7094 4589 0 -1 4194304 100 0 0 0 150 50 0 0 20 0 1 0 43322 3133440 411 18446744073709551615 0';
    expect(parseRow(line, units)).toEqual({
      pid: 7101,
      ppid: 7094,
      pgid: 7094,
      state: 'R',
      startTime: '43322',
      name: 'cat',
      cpuTimeMs: 2000,
      rss: 411 * 4096,
    });
  });

  it('takes the last ")" when comm holds spaces and parentheses', () => {
    const line = '42 (a) b (c) ) D 1 42 42 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 999 0 10 0';
    const row = parseRow(line, units);
    expect(row?.name).toBe('a) b (c) ');
    expect(row?.state).toBe('D');
    expect(row?.cpuTimeMs).toBe(100);
  });

  it('refuses text that is not a stat line', () => {
    expect(parseRow('', units)).toBeNull();
    expect(parseRow('12 (x) S 1', units)).toBeNull();
  });
});

describe('listProcesses on linux', () => {
  it('scans every numeric entry once and skips processes that vanish mid-scan', async () => {
    const files: Record<string, string> = {
      '/p/1/stat': '1 (init) S 0 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 100 0',
      '/p/7/stat': '7 (sh) S 1 7 7 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 50 0 100 0',
    };
    const reads: string[] = [];
    const rows = await listProcesses('linux', {
      units,
      procRoot: '/p',
      readdir: () => ['1', 'self', '7', '9', 'cpuinfo'],
      readFile: (f) => {
        reads.push(f);
        const text = files[f];
        if (!text) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
        return text;
      },
    });
    expect(rows.map((r) => r.pid)).toEqual([1, 7]);
    expect(reads.sort()).toEqual(['/p/1/stat', '/p/7/stat', '/p/9/stat']);
  });

  it('listLinuxFrom reads only the seeds and their descendants (through task/<pid>/children), each once', async () => {
    const stat = (pid: number, ppid: number) => `${pid} (p${pid}) S ${ppid} 7 7 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 ${pid} 0 100 0`;
    const files: Record<string, string> = {
      '/p/7/stat': stat(7, 1),
      '/p/7/task/7/children': '8 9 ',
      '/p/8/stat': stat(8, 7),
      '/p/8/task/8/children': '',
      '/p/9/stat': stat(9, 7),
      '/p/9/task/9/children': '8 ', // as if reparented meanwhile: still read once
      '/p/50/stat': stat(50, 1), // another process on the machine: never read
    };
    const reads: string[] = [];
    const readFile = (f: string) => {
      reads.push(f);
      const text = files[f];
      if (text === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      return text;
    };
    const rows = await listLinuxFrom([7, 12, 7], { units, procRoot: '/p', readFile });
    expect(rows.map((r) => [r.pid, r.ppid])).toEqual([[7, 1], [8, 7], [9, 7]]);
    expect(reads.filter((f) => f.endsWith('/stat'))).toEqual(['/p/7/stat', '/p/12/stat', '/p/8/stat', '/p/9/stat']);
  });

  it('says which platform it cannot list', async () => {
    await expect(listProcesses('aix')).rejects.toThrow('listing processes is not supported on aix');
  });
});

describe('darwin ps', () => {
  const out = [
    '    1     0     1 Ss   Mon Jan  6 10:00:00 2025  13520   1:23.45 /sbin/launchd',
    '  812     1   812 U    Tue Feb 11 09:05:07 2025   2048   0:00.02 /Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '  900   812   812 I+   Tue Feb 11 09:05:08 2025      0 1-02:03:04.50 (sh) worker',
    'garbage line',
  ].join('\n');

  it('parses pid, group, state, start, rss, time and a name with spaces', () => {
    const rows = parseDarwinPs(out);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ pid: 1, ppid: 0, pgid: 1, state: 'S', name: 'launchd', rss: 13520 * 1024, cpuTimeMs: 83450 });
    expect(rows[1]).toMatchObject({ pid: 812, state: 'D', name: 'Google Chrome' });
    expect(rows[2]).toMatchObject({ pid: 900, ppid: 812, state: 'S', cpuTimeMs: (86400 + 2 * 3600 + 3 * 60 + 4.5) * 1000 });
    expect(Number(rows[1].startTime)).toBe(new Date(2025, 1, 11, 9, 5, 7).getTime());
  });

  it('parses ps TIME forms', () => {
    expect(parsePsTime('0:00.02')).toBe(20);
    expect(parsePsTime('12:34')).toBe(754_000);
    expect(parsePsTime('2-00:00:01')).toBe(172_801_000);
  });

  it('runs ps once with LC_ALL=C and fails on a bad exit', async () => {
    const calls: string[] = [];
    const run: RunCommand = (file, args, opts) => {
      calls.push(`${opts?.env?.LC_ALL} ${file} ${args.join(' ')}`);
      return Promise.resolve({ stdout: out, code: 0 });
    };
    expect(await listProcesses('darwin', { run })).toHaveLength(3);
    expect(calls).toEqual(['C ps -A -o pid=,ppid=,pgid=,stat=,lstart=,rss=,time=,comm=']);
    const bad: RunCommand = () => Promise.resolve({ stdout: '', code: 1 });
    await expect(listProcesses('darwin', { run: bad })).rejects.toThrow('ps exited with code 1');
  });
});

describe('windows CIM', () => {
  it('parses an array with PowerShell 5.1 dates and 100 ns times', () => {
    const json = JSON.stringify([
      { ProcessId: 4, ParentProcessId: 0, CreationDate: '/Date(1700000000000)/', Name: 'System', WorkingSetSize: 1000, KernelModeTime: 20_000_000, UserModeTime: 10_000 },
      { ProcessId: 500, ParentProcessId: 4, CreationDate: null, Name: null, WorkingSetSize: null, KernelModeTime: null, UserModeTime: null },
    ]);
    const rows = parseCimJson(json);
    expect(rows[0]).toEqual({ pid: 4, ppid: 0, pgid: 4, state: '?', startTime: '1700000000000', name: 'System', cpuTimeMs: 2001, rss: 1000 });
    expect(rows[1]).toMatchObject({ pid: 500, ppid: 4, name: '', cpuTimeMs: 0, rss: 0 });
  });

  it('parses a single object, ISO and wrapped dates, and empty output', () => {
    const rows = parseCimJson(JSON.stringify({ ProcessId: 9, ParentProcessId: 1, CreationDate: '2024-01-02T03:04:05.678+00:00', Name: 'a.exe' }));
    expect(rows[0].startTime).toBe(String(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
    expect(parseCimDate({ value: '/Date(42)/' })).toBe('42');
    expect(parseCimJson('  ')).toEqual([]);
  });

  it('spawns one powershell per listing', async () => {
    const calls: string[][] = [];
    const run: RunCommand = (file, args) => {
      calls.push([file, ...args]);
      return Promise.resolve({ stdout: '[]', code: 0 });
    };
    await listProcesses('win32', { run });
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe('powershell.exe');
    expect(calls[0].at(-1)).toContain('Get-CimInstance Win32_Process');
    await expect(listProcesses('win32', { run: () => Promise.resolve({ stdout: '', code: 5 }) })).rejects.toThrow(
      'powershell exited with code 5',
    );
  });
});

const row = (pid: number, ppid: number, pgid: number, start: number, state = 'S'): ProcRow => ({
  pid,
  ppid,
  pgid,
  state,
  startTime: String(start),
  name: `p${pid}`,
});

describe('resolveTrees', () => {
  const table = [
    row(1, 0, 1, 1),
    row(100, 1, 100, 10), // task root
    row(101, 100, 100, 11), // child in group
    row(102, 101, 102, 12), // grandchild that setsid()ed: descendant by ppid
    row(103, 102, 102, 13), // its child
    row(104, 100, 100, 14, 'Z'), // zombie: excluded
    row(105, 1, 100, 15), // group member reparented to init: in by group
    row(200, 1, 200, 20), // another task
  ];

  it('takes the group plus all descendants, without zombies', () => {
    const trees = resolveTrees(table, [
      { key: 'a', pid: 100, pgid: 100, startTime: '10' },
      { key: 'b', pid: 200, pgid: 200 },
    ]);
    expect(trees.get('a')?.map((r) => r.pid).sort()).toEqual([100, 101, 102, 103, 105]);
    expect(trees.get('b')?.map((r) => r.pid)).toEqual([200]);
  });

  it('treats a reused root pid as gone but keeps group members started after the root', () => {
    const reused = [row(100, 1, 300, 99), row(101, 1, 100, 11), row(150, 100, 300, 100), row(106, 1, 100, 5)];
    const trees = resolveTrees(reused, [{ key: 1, pid: 100, pgid: 100, startTime: '10' }]);
    expect(trees.get(1)?.map((r) => r.pid)).toEqual([101]);
  });

  it('walks only ppid on Windows (pgid null) and ignores children older than their parent', () => {
    const win = [row(10, 1, 10, 100), row(11, 10, 11, 101), row(12, 10, 12, 50)];
    const trees = resolveTrees(win, [{ key: 0, pid: 10, pgid: null, startTime: '100' }]);
    expect(trees.get(0)?.map((r) => r.pid)).toEqual([10, 11]);
  });

  it('keeps known pids that left both group and ancestry, when their startTime matches', () => {
    const t = [row(100, 1, 100, 10), row(300, 1, 300, 30), row(301, 300, 300, 31), row(400, 1, 400, 40)];
    const known = new Map([
      [300, '30'],
      [400, '39'], // pid reused since: not ours
    ]);
    const trees = resolveTrees(t, [{ key: 0, pid: 100, pgid: 100, startTime: '10', known }]);
    expect(trees.get(0)?.map((r) => r.pid)).toEqual([100, 300, 301]);
  });

  it('returns an empty tree for a root that is gone', () => {
    expect(resolveTrees(table, [{ key: 0, pid: 999, pgid: 999 }]).get(0)).toEqual([]);
  });
});
