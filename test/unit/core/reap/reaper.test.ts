import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startReaper } from '../../../../main/core/reap/reaper.js';

describe('startReaper without its script', () => {
  it('logs once, stays usable and reports not alive', async () => {
    const logs: string[] = [];
    const reaper = startReaper({ script: '/nonexistent/reaper.cjs', log: (m) => logs.push(m) });
    reaper.add({ pgid: 123456, pid: 123456 });
    reaper.remove(123456);
    await reaper.close();
    expect(reaper.alive).toBe(false);
    expect(reaper.pid).toBeUndefined();
    expect(logs).toEqual(['corral: the orphan reaper script is missing (/nonexistent/reaper.cjs); leftovers will be found from the ledger at next start']);
  });
});

describe('startReaper with a runtime that cannot start', () => {
  it('logs why once and keeps the supervisor going', async () => {
    const logs: string[] = [];
    const reaper = startReaper({ script: __filename, execPath: '/nonexistent/node', log: (m) => logs.push(m) });
    reaper.add({ pgid: 123456, pid: 123456 });
    await reaper.close();
    expect(reaper.alive).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^corral: the orphan reaper could not start \(spawn \/nonexistent\/node ENOENT\); leftovers will be found from the ledger at next start$/);
  });
});

describe('startReaper talking to a recording reaper', () => {
  it('sends an add at once, batches removes behind it, drops a remove the same group re-added overtakes, and strips the marker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-reaper-unit-'));
    const out = join(dir, 'stdin.txt');
    const script = join(dir, 'record.cjs');
    // Records its stdin, argv and whether it inherited CORRAL_SUPERVISOR; exits on bye like the real one.
    writeFileSync(
      script,
      `const fs = require('fs'); let all = '';
       process.stdin.setEncoding('utf8').on('data', (d) => { all += d; if (all.includes('"bye"')) {
         fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ stdin: all, argv: process.argv.slice(2), marker: process.env.CORRAL_SUPERVISOR ?? null }));
         process.exit(0); } });`,
    );
    try {
      const reaper = startReaper({ script, execPath: process.execPath, marker: '42-deadbeefcafe', env: { ...process.env, CORRAL_SUPERVISOR: '1-outer000' } });
      reaper.add({ pgid: 100, pid: 100, startTime: '7' });
      reaper.remove(100); // queued for the end of the turn…
      reaper.add({ pgid: 200, pid: 201 }); // …so this add goes out before it
      reaper.remove(300); // never added: nothing to send
      reaper.add({ pgid: 400, pid: 400 });
      reaper.remove(400);
      reaper.add({ pgid: 400, pid: 400, startTime: '9' }); // a reused group id: the queued remove must not undo it
      await reaper.close();
      const rec = JSON.parse(readFileSync(out, 'utf8')) as { stdin: string; argv: string[]; marker: string | null };
      expect(rec.stdin.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
        { op: 'add', pgid: 100, pid: 100, startTime: '7' },
        { op: 'add', pgid: 200, pid: 201 },
        { op: 'add', pgid: 400, pid: 400 },
        { op: 'add', pgid: 400, pid: 400, startTime: '9' },
        { op: 'remove', pgid: 100 },
        { op: 'bye' },
      ]);
      expect(rec.argv).toEqual(['--marker=42-deadbeefcafe']);
      expect(rec.marker).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
