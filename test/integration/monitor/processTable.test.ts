import { afterEach, describe, expect, it } from 'vitest';
import { listProcesses, resolveTrees } from '../../../main/core/monitor/processTable.js';
import { processStartTime } from '../../../main/core/stop/index.js';
import { killAllSpawned, spawnGroup, waitFor } from './helpers.js';

const linux = process.platform === 'linux';

describe.runIf(linux)('process table on Linux', () => {
  afterEach(killAllSpawned);

  it('lists this process with its parent, group and a stable start time', async () => {
    const rows = await listProcesses();
    const me = rows.find((r) => r.pid === process.pid);
    expect(me).toMatchObject({ ppid: process.ppid, state: expect.stringMatching(/^[RS]$/) });
    expect(me?.cpuTimeMs).toBeGreaterThan(0);
    expect(me?.rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(processStartTime(process.pid)).toBe(me?.startTime);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
  });

  it('resolves a detached shell with two sleeps into one tree of three', async () => {
    const t = spawnGroup('sh', ['-c', 'sleep 600 & sleep 600; wait']);
    const startTime = processStartTime(t.pid);
    const tree = await waitFor('two sleeps', async () => {
      const trees = resolveTrees(await listProcesses(), [{ key: 1, pid: t.pid, pgid: t.pgid, startTime: startTime ?? undefined }]);
      const pids = trees.get(1) ?? [];
      return pids.filter((p) => p.name === 'sleep').length === 2 ? pids : null;
    });
    expect(tree.map((p) => p.name).sort()).toEqual(['sh', 'sleep', 'sleep']);
    expect(new Set(tree.map((p) => p.pgid))).toEqual(new Set([t.pgid]));
    // The same pid with another start time is a reused pid: its own process no longer counts.
    const reused = resolveTrees(await listProcesses(), [{ key: 1, pid: t.pid, pgid: null, startTime: 'other' }]);
    expect(reused.get(1)).toEqual([]);
  });
});
