import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findLeftovers, killLeftovers } from '../../../main/core/reap/ledger.js';
import { processesWithEnv, readProcStat } from '../../../main/core/monitor/platform/procfs.js';
import { probeProcess } from '../../../main/core/stop/index.js';
import {
  buildFakeSupervisor,
  catchesSignals,
  ensureReaperBundle,
  isAlive,
  killTracked,
  reaperBundle,
  startFakeSupervisor,
  treePids,
  waitFor,
  type FakeSupervisor,
  type Ready,
  type TrackedPid,
} from './helpers.js';

const probeGroup = (pid: number) => readProcStat(pid)?.pgid;

// Real process groups, real signals, Linux /proc: this is the platform verified here.
describe.runIf(process.platform === 'linux')('orphan reaper and ledger on real processes', () => {
  let script: string;
  let ledgerDir: string;
  let sup: FakeSupervisor | undefined;
  let tracked: TrackedPid[];

  beforeAll(async () => {
    ensureReaperBundle();
    script = await buildFakeSupervisor();
  });
  beforeEach(() => {
    ledgerDir = mkdtempSync(join(tmpdir(), 'corral-reap-'));
    tracked = [];
  });
  afterEach(() => {
    killTracked(tracked);
    if (sup && sup.child.exitCode === null && sup.child.signalCode === null) sup.child.kill('SIGKILL');
    sup = undefined;
    rmSync(ledgerDir, { recursive: true, force: true });
  });

  /** Starts the fake supervisor and tracks every pid it and its task trees own, for cleanup. */
  async function start(extra: string[] = []): Promise<{ ready: Ready; trees: TrackedPid[]; reaper: TrackedPid }> {
    sup = startFakeSupervisor(script, ledgerDir, extra);
    const ready = await sup.next<Ready>((m) => m.event === 'ready');
    const reaper = { pid: ready.reaper, startTime: probeProcess(ready.reaper).startTime };
    tracked.push(reaper, ...ready.tasks.map((t) => ({ pid: t.pid, startTime: t.startTime })));
    const trees = await treePids(ready.tasks);
    tracked.push(...trees);
    expect(ready.tasks).toHaveLength(8);
    expect(trees.length).toBe(7 * 3 + 2);
    expect(trees.every(isAlive)).toBe(true);
    return { ready, trees, reaper };
  }

  it('kills every task tree, TERM-ignoring one included, when the supervisor is SIGKILLed', async () => {
    const { trees, reaper } = await start();
    // A terminal's Ctrl-C or hangup must not take the reaper down with it (once it has booted).
    await waitFor('the reaper to install its signal handlers', () => catchesSignals(reaper.pid, [1, 2])); // HUP, INT
    process.kill(reaper.pid, 'SIGINT');
    process.kill(reaper.pid, 'SIGHUP');
    sup!.child.kill('SIGKILL');
    await sup!.exited;
    await waitFor('every task pid to be gone', () => !trees.some(isAlive));
    await waitFor('the reaper to exit', () => !isAlive(reaper));
    expect(sup!.stderr()).toContain('reaping 8 task group(s)');
    expect(sup!.stderr()).not.toContain('could not kill');
  });

  it('does not keep the supervisor alive, and reaps when it exits without close()', async () => {
    const { trees } = await start(['--idle-exit']);
    sup!.child.stdin!.write('exit\n');
    expect(await sup!.exited).toBe(0);
    await waitFor('every task pid to be gone', () => !trees.some(isAlive));
    expect(sup!.stderr()).toContain('reaping 8 task group(s)');
  });

  it('leaves registered groups alone after bye, and the ledger file is removed', async () => {
    const { trees, reaper } = await start();
    sup!.child.stdin!.write('bye\n');
    const closed = await sup!.next<{ reaperAlive: boolean }>((m) => m.event === 'closed');
    expect(closed.reaperAlive).toBe(false);
    expect(await sup!.exited).toBe(0);
    // close() resolves only after the reaper exited, so nothing can still be about to kill.
    expect(isAlive(reaper)).toBe(false);
    expect(trees.filter((p) => !isAlive(p))).toEqual([]);
    expect(readdirSync(ledgerDir)).toEqual([]);
  });

  it('restarts a SIGKILLed reaper, logs it once, and the new one still reaps', async () => {
    const { trees, reaper } = await start();
    process.kill(reaper.pid, 'SIGKILL');
    const restarted = await sup!.next<{ message: string; reaper: number }>((m) => m.event === 'log');
    expect(restarted.message).toBe('corral: the orphan reaper exited (SIGKILL); leftovers will be found from the ledger at next start');
    expect(restarted.reaper).not.toBe(reaper.pid);
    tracked.push({ pid: restarted.reaper, startTime: probeProcess(restarted.reaper).startTime });
    sup!.child.kill('SIGKILL');
    await sup!.exited;
    await waitFor('every task pid to be gone', () => !trees.some(isAlive));
  });

  it('speaks the stdin protocol directly: skips malformed lines, reaps a group added without start time', async () => {
    const tree = spawn('sh', ['-c', 'sleep 300 & sleep 300; wait'], { detached: true, stdio: 'ignore' });
    const pgid = tree.pid!;
    tracked.push({ pid: pgid, startTime: probeProcess(pgid).startTime });
    const members = await treePids([{ pid: pgid, pgid, startTime: '', command: '&' }]);
    tracked.push(...members);
    const reaper = spawn(process.execPath, [reaperBundle, '--grace-ms=200'], { stdio: ['pipe', 'ignore', 'pipe'] });
    tracked.push({ pid: reaper.pid!, startTime: probeProcess(reaper.pid!).startTime });
    let err = '';
    reaper.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => reaper.once('exit', (code) => resolve(code)));
    reaper.stdin.end(`garbage\n{"op":"add","pgid":${pgid},"pid":${pgid}}\n`);
    expect(await exited).toBe(0);
    expect(err).toContain('ignoring malformed command: garbage');
    expect(err).toContain('supervisor pipe closed without bye; reaping 1 task group(s)');
    expect(members.filter(isAlive)).toEqual([]);
  });

  it('also reaps what carries its supervisor\'s marker but was never added, escaped groups included, and nothing else', async () => {
    const marker = `${process.pid}-feedc0ffee`;
    /** A sh that backgrounds `setsid sleep` (its own group) and a sleep, in a group of its own. */
    const startTree = (env: NodeJS.ProcessEnv) => {
      const sh = spawn('sh', ['-c', 'setsid sleep 300 & sleep 300; wait'], { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
      tracked.push({ pid: sh.pid!, startTime: probeProcess(sh.pid!).startTime });
      return sh.pid!;
    };
    const marked = startTree({ CORRAL_SUPERVISOR: marker });
    const foreign = startTree({ CORRAL_SUPERVISOR: `${process.pid}-0ther0ne` });
    /** Every process carrying that environment entry: the sh, its sleep, and the setsid sleep. */
    const carrying = async (entry: string) => {
      let found: TrackedPid[] = [];
      await waitFor(`three processes with ${entry}`, () => {
        found = (processesWithEnv([entry]).get(entry) ?? []).map((p) => ({ pid: p.pid, startTime: p.startTime }));
        // Three, and the setsid one already in its own group (a fork not yet through setsid() carries the entry too).
        return found.length === 3 && new Set(found.map((p) => probeGroup(p.pid))).size === 2;
      });
      tracked.push(...found);
      return found;
    };
    const mine = await carrying(`CORRAL_SUPERVISOR=${marker}`);
    const theirs = await carrying(`CORRAL_SUPERVISOR=${process.pid}-0ther0ne`);
    expect(new Set(mine.map((p) => probeGroup(p.pid))).size).toBe(2); // the setsid sleep left the task's group
    expect(mine.map((p) => p.pid)).toContain(marked);
    expect(theirs.map((p) => p.pid)).toContain(foreign);

    const reaper = spawn(process.execPath, [reaperBundle, '--grace-ms=200', `--marker=${marker}`], { stdio: ['pipe', 'ignore', 'pipe'] });
    tracked.push({ pid: reaper.pid!, startTime: probeProcess(reaper.pid!).startTime });
    let err = '';
    reaper.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => reaper.once('exit', (code) => resolve(code)));
    reaper.stdin.end(); // the supervisor died before telling it about any task
    expect(await exited).toBe(0);
    expect(err).toContain('supervisor pipe closed without bye; reaping 0 task group(s) and 2 more found by CORRAL_SUPERVISOR');
    expect(mine.filter(isAlive)).toEqual([]);
    expect(theirs.filter(isAlive)).toEqual(theirs);
  });

  it('finds and kills leftovers from the ledger when supervisor and reaper both died', async () => {
    const { ready, trees, reaper } = await start();
    // Stop the reaper first so it cannot act on the closed pipe, then kill both.
    process.kill(reaper.pid, 'SIGSTOP');
    sup!.child.kill('SIGKILL');
    await sup!.exited;
    process.kill(reaper.pid, 'SIGKILL');
    await waitFor('the reaper to be gone', () => !isAlive(reaper));
    expect(trees.filter((p) => !isAlive(p))).toEqual([]);

    const leftovers = await findLeftovers({ dir: ledgerDir });
    expect(leftovers.map((l) => l.pgid).sort()).toEqual(ready.tasks.map((t) => t.pgid).sort());
    expect(leftovers.every((l) => l.alive && l.job === 'fixture')).toBe(true);

    const killed = await killLeftovers(leftovers, { dir: ledgerDir, graceMs: 500 });
    expect(killed).toBe(8);
    expect(trees.filter(isAlive)).toEqual([]);
    expect(readdirSync(ledgerDir)).toEqual([]);
    expect(await findLeftovers({ dir: ledgerDir })).toEqual([]);
  });
});
