import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCpu } from '../../../../main/core/pool/exitCpu.js';
import { reapedChildrenCpuMs } from '../../../../main/core/monitor/childCpu.js';

describe('ExitCpu: CPU of tasks that ended between samples', () => {
  it('adds the growth of reaped CPU to the tick, less what samples already counted for the ended tasks', () => {
    const e = new ExitCpu();
    expect(e.take({ pid: 7, ms: 1000 }, 0)).toBe(0); // the baseline
    expect(e.take({ pid: 7, ms: 1300 }, 0)).toBe(300); // three sub-tick tasks of 100 ms
    expect(e.take({ pid: 7, ms: 1800 }, 400)).toBe(100); // a task sampled at 400 ms ended at 500
    expect(e.take({ pid: 7, ms: 1800 }, 0)).toBe(0);
  });

  it('carries sampled CPU over when a task is seen ended before its reaping is read, never going below zero', () => {
    const e = new ExitCpu();
    e.take({ pid: 7, ms: 0 }, 0);
    expect(e.take({ pid: 7, ms: 0 }, 250)).toBe(0);
    expect(e.take({ pid: 7, ms: 400 }, 0)).toBe(150);
  });

  it('starts over when the helper is new (another pid, or a counter that went back) or gone', () => {
    const e = new ExitCpu();
    e.take({ pid: 7, ms: 5000 }, 0);
    expect(e.take({ pid: 8, ms: 9000 }, 100)).toBe(0);
    expect(e.take({ pid: 8, ms: 9500 }, 0)).toBe(500);
    expect(e.take(null, 0)).toBe(0);
    expect(e.take({ pid: 8, ms: 9900 }, 0)).toBe(0);
    expect(e.take({ pid: 8, ms: 9950 }, 0)).toBe(50);
  });
});

describe('reapedChildrenCpuMs', () => {
  const root = mkdtempSync(join(tmpdir(), 'corral-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads cutime + cstime (fields 16 and 17) after a comm with spaces and parentheses', () => {
    mkdirSync(join(root, '42'));
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    writeFileSync(join(root, '42/stat'), '42 (a (b) c) S 1 42 42 0 -1 4194304 10 20 0 0 5 6 123 77 20 0 1 0 100 0 0\n');
    expect(reapedChildrenCpuMs(42, 100, root)).toBe(2000);
    expect(reapedChildrenCpuMs(43, 100, root)).toBeNull();
  });
});
