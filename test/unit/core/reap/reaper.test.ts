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
