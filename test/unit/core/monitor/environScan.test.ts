import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processesWithEnv } from '../../../../main/core/monitor/platform/procfs.js';

// A task's daemon caught inside execve has an empty /proc/<pid>/environ for that moment (the new
// image's environment is not set up yet); the marker scan must read it again rather than miss it.

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakeProc(procs: { pid: number; ppid: number; state: string; env: string }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'corral-proc-'));
  roots.push(root);
  for (const p of procs) {
    mkdirSync(join(root, String(p.pid)));
    const rest = Array.from({ length: 20 }, (_, i) => (i === 19 ? '4242' : '0')).join(' ');
    writeFileSync(join(root, String(p.pid), 'stat'), `${p.pid} (sleep) ${p.state} ${p.ppid} ${p.pid} ${rest}\n`);
    writeFileSync(join(root, String(p.pid), 'environ'), p.env);
  }
  return root;
}

describe('processesWithEnv', () => {
  it('finds the marked processes and lists a live one with an empty environment as unsettled, not a kernel thread or a zombie', () => {
    const root = fakeProc([
      { pid: 100, ppid: 1, state: 'S', env: 'HOME=/root\0CORRAL_TASK=m:1:1\0' },
      { pid: 101, ppid: 1, state: 'S', env: 'HOME=/root\0CORRAL_TASK=m:1:10\0' }, // another task: no prefix match
      { pid: 102, ppid: 1, state: 'R', env: '' }, // inside execve
      { pid: 103, ppid: 2, state: 'I', env: '' }, // a kernel thread
      { pid: 104, ppid: 1, state: 'Z', env: '' }, // a zombie
    ]);
    const unsettled: number[] = [];
    const found = processesWithEnv(['CORRAL_TASK=m:1:1'], [100, 101, 102, 103, 104, 105], root, unsettled);
    expect((found.get('CORRAL_TASK=m:1:1') ?? []).map((p) => p.pid)).toEqual([100]);
    expect(unsettled).toEqual([102]);
    // Once its exec is through it carries the marker and is found.
    writeFileSync(join(root, '102', 'environ'), 'CORRAL_TASK=m:1:1\0');
    expect((processesWithEnv(['CORRAL_TASK=m:1:1'], unsettled, root).get('CORRAL_TASK=m:1:1') ?? []).map((p) => p.pid)).toEqual([102]);
  });
});
