import { describe, expect, it } from 'vitest';
import { reapGroups } from '../../../../main/core/reap/reapGroups.js';
import { FakeProcesses } from './fakes.js';

describe('reapGroups', () => {
  it('TERMs every group, KILLs only the stubborn ones, and skips reused pids', async () => {
    const fake = new FakeProcesses();
    fake.spawn(10);
    fake.spawn(11, { pgid: 10 });
    fake.spawn(20, { stubborn: true });
    fake.spawn(30, { startTime: 'new' }); // pid 30 now belongs to another process
    const r = await reapGroups(
      [
        { pgid: 10, pid: 10, startTime: 'st-10' },
        { pgid: 20, pid: 20 },
        { pgid: 30, pid: 30, startTime: 'old' },
      ],
      { graceMs: 30, verifyMs: 30, pollMs: 5, killer: fake.killer, lister: fake.lister },
    );
    expect(r).toEqual({ killed: [10, 20], forced: [20], skipped: [30], survivors: [] });
    expect(fake.signals).toEqual([
      [10, 'TERM'],
      [20, 'TERM'],
      [20, 'KILL'],
    ]);
    expect(fake.lister(30).alive).toBe(true);
  });

  it('still kills a group whose leader already exited', async () => {
    const fake = new FakeProcesses();
    fake.spawn(41, { pgid: 40 }); // leader 40 is gone, its child lives on in the group
    const r = await reapGroups([{ pgid: 40, pid: 40, startTime: 'st-40' }], { graceMs: 10, pollMs: 5, killer: fake.killer, lister: fake.lister });
    expect(r.killed).toEqual([40]);
  });

  it('reports survivors that outlive KILL', async () => {
    const fake = new FakeProcesses();
    fake.spawn(50);
    const immortal = { ...fake.killer, signal: () => undefined };
    const r = await reapGroups([{ pgid: 50, pid: 50 }], { graceMs: 10, verifyMs: 10, pollMs: 5, killer: immortal, lister: fake.lister });
    expect(r).toEqual({ killed: [], forced: [], skipped: [], survivors: [50] });
  });
});
