import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listProcesses } from '../../../main/core/monitor/processTable.js';
import { createSampler } from '../../../main/core/monitor/sampler.js';
import { pauseTree, processStartTime, resumeTree, runKillSequence, signalTree } from '../../../main/core/stop/index.js';
import { killAllSpawned, spawnGroup, trackPid, waitFor, type Spawned } from './helpers.js';

const LOOP = 'while :; do sleep 0.1; done';

/** Wires the sampler and signalTree the way the supervisor does: every sampled process with its start time. */
async function stopTree(t: Spawned, steps: { signal: string; waitMs: number }[]) {
  const sampler = createSampler();
  const root = { key: 1, pid: t.pid, pgid: t.pgid, startTime: processStartTime(t.pid) };
  let last = (await sampler.sample([root])).get(1)!;
  const known = () => last.pids.map((pid, i) => ({ pid, startTime: last.startTimes[i] }));
  const result = await runKillSequence({
    steps,
    pollMs: 100,
    send: (signal) => signalTree({ pgid: t.pgid, known: known() }, signal),
    isGone: async () => {
      last = (await sampler.sample([root])).get(1)!;
      return last.pids.length === 0;
    },
  });
  sampler.close();
  return result;
}

async function treePids(t: Spawned, count: number) {
  const sampler = createSampler();
  const root = { key: 1, pid: t.pid, pgid: t.pgid };
  const s = await waitFor(`${count} processes in the tree`, async () => {
    const x = (await sampler.sample([root])).get(1)!;
    return x.pids.length >= count ? x : null;
  });
  sampler.close();
  return s;
}

describe.runIf(process.platform === 'linux')('tree kill on real processes', () => {
  afterEach(killAllSpawned);

  it('lets a TERM trap finish its cleanup inside the grace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-kill-'));
    const F = join(dir, 'bye');
    const t = spawnGroup('sh', ['-c', `trap "echo bye > $F; exit 0" TERM; echo ready; ${LOOP}`], { F });
    await t.firstLine;
    const exited = new Promise((r) => t.child.once('exit', (code, signal) => r({ code, signal })));
    const res = await stopTree(t, [
      { signal: 'TERM', waitMs: 30_000 },
      { signal: 'KILL', waitMs: 0 },
    ]);
    expect(res).toEqual({ endedBy: 'TERM', stepsSent: ['TERM'], gone: true, failures: [] });
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(F, 'utf8')).toBe('bye\n');
  });

  it('KILLs a TERM-ignoring task after the grace', async () => {
    const t = spawnGroup('sh', ['-c', `trap "" TERM; echo ready; ${LOOP}`]);
    await t.firstLine;
    const exited = new Promise((r) => t.child.once('exit', (_code, signal) => r(signal)));
    const res = await stopTree(t, [
      { signal: 'TERM', waitMs: 1000 },
      { signal: 'KILL', waitMs: 0 },
    ]);
    expect(res).toEqual({ endedBy: 'KILL', stepsSent: ['TERM', 'KILL'], gone: true, failures: [] });
    expect(await exited).toBe('SIGKILL');
  });

  it('leaves no pid of a tree whose grandchild ignores TERM', async () => {
    const t = spawnGroup('sh', ['-c', `sh -c 'trap "" TERM; ${LOOP}' & echo ready; ${LOOP}`]);
    await t.firstLine;
    const before = await treePids(t, 3);
    const res = await stopTree(t, [
      { signal: 'TERM', waitMs: 1000 },
      { signal: 'KILL', waitMs: 0 },
    ]);
    expect(res).toMatchObject({ endedBy: 'KILL', stepsSent: ['TERM', 'KILL'], gone: true });
    const alive = new Set((await listProcesses()).filter((r) => r.state !== 'Z').map((r) => `${r.pid}:${r.startTime}`));
    const startTimes = await Promise.all(before.pids.map(async (pid) => `${pid}:${processStartTime(pid)}`));
    expect(startTimes.filter((id) => alive.has(id))).toEqual([]);
  });

  it('follows a grandchild that setsid()s out of the group and is orphaned, and kills it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-setsid-'));
    const P = join(dir, 'pid');
    // The escapee ignores TERM and lives in its own session; the root dies on TERM, orphaning it.
    const t = spawnGroup('sh', ['-c', `setsid sh -c 'echo $$ > ${P}; trap "" TERM; ${LOOP}' & echo ready; ${LOOP}`]);
    await t.firstLine;
    const escapee = Number(await waitFor('escapee pid', () => existsSync(P) && readFileSync(P, 'utf8').trim()));
    trackPid(escapee);
    const seen = await treePids(t, 3);
    expect(seen.pids).toContain(escapee);
    const rows = await listProcesses();
    expect(rows.find((r) => r.pid === escapee)?.pgid).not.toBe(t.pgid);

    const res = await stopTree(t, [
      { signal: 'TERM', waitMs: 1500 },
      { signal: 'KILL', waitMs: 0 },
    ]);
    expect(res).toMatchObject({ endedBy: 'KILL', stepsSent: ['TERM', 'KILL'], gone: true });
    const after = await listProcesses();
    expect(after.find((r) => r.pid === escapee && r.state !== 'Z')).toBeUndefined();
  });

  it('pauses a whole group with STOP and resumes it with CONT', async () => {
    const t = spawnGroup('sh', ['-c', `echo ready; ${LOOP}`]);
    await t.firstLine;
    const group = async () => (await listProcesses()).filter((r) => r.pgid === t.pgid);
    pauseTree({ pgid: t.pgid, known: [{ pid: t.pid, startTime: processStartTime(t.pid) }] });
    // Stopped: every member is T, except a shell caught in vfork() waiting for its stopped child,
    // which the kernel shows as D (seen here in about 1 run in 3).
    const paused = await waitFor('the group stopped', async () => {
      const g = await group();
      return g.length > 0 && g.every((r) => r.state === 'T' || r.state === 'D') && g.some((r) => r.state === 'T') ? g : null;
    });
    // A stopped loop starts no new `sleep`: the set of pids stays the same.
    await new Promise((r) => setTimeout(r, 600));
    expect((await group()).map((r) => r.pid).sort()).toEqual(paused.map((r) => r.pid).sort());
    resumeTree({ pgid: t.pgid, known: [{ pid: t.pid, startTime: processStartTime(t.pid) }] });
    const before = new Set(paused.map((r) => r.pid));
    await waitFor('the loop to run again (a new sleep)', async () => (await group()).some((r) => !before.has(r.pid)));
  });
});
