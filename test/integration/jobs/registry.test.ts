import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo, LiveJobs, Tick } from '../../../main/contract/index.js';
import { JobRegistry, createJobView, type JobView } from '../../../main/core/jobs/index.js';
import { connectControl, startControlServer } from '../../../main/core/control/index.js';
import { parseLedger, ledgerFileName } from '../../../main/core/reap/ledgerFile.js';
import { cleanup, fixtures, pidAlive, sleepers, tempDir, trackPid, waitFor, withDeadline } from '../core/helpers.js';

// Several jobs in one process (the app, `corral serve`): each its own supervisor and pool; one
// job's stop never reaches another's processes; quitting stops them all.

const registries: JobRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.closeAll({ graceMs: 2_000 })));
  await cleanup();
});

function registry() {
  const state = tempDir();
  const reg = new JobRegistry({ stateDir: state, joblog: null, settings: { tickMs: 250 } });
  registries.push(reg);
  return { reg, state, view: createJobView(reg) };
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function loadAndStart(view: JobView, text: string): Promise<void> {
  await ok(view.call('loadJob', { text }));
  await ok(view.call('startJob', {}));
}

const sleepJob = (name: string, secs: string[]) => `name: ${name}\ncommand: sleep {}\nconcurrency: 2\ninputs:\n  list: [${secs.join(', ')}]\n`;
const jobOf = (reg: JobRegistry, jobId: string): JobInfo => reg.get(jobId).supervisor.run!.info();
/** The pid of each running task (its group leader; the tree under it comes and goes) */
const livePids = (reg: JobRegistry, jobId: string) => reg.get(jobId).supervisor.run!.liveTasks().flatMap((t) => (t.info.pid === null ? [] : [t.info.pid]));

describe('JobRegistry: several jobs at once', () => {
  it('a kill-all on one job leaves the other running; its tasks finish ok', async () => {
    const { reg, view } = registry();
    await loadAndStart(view, sleepJob('doomed', ['331.1', '331.2']));
    const a = view.jobId;
    const b = (await ok(view.call('newJob', {}))).jobId;
    expect(view.jobId).toBe(b);
    // The keeper's tasks run until the test creates their file: nothing ends them early but a kill.
    const go = join(tempDir(), 'go');
    await loadAndStart(view, `name: keeper\ncommand: [sh, -c, 'while [ ! -e "$0" ]; do sleep 0.1; done', '{}']\nconcurrency: 2\ninputs:\n  list: [${JSON.stringify(go)}, ${JSON.stringify(go)}]\n`);
    await waitFor('both jobs to run two tasks each', () => sleepers('331.1').length + sleepers('331.2').length === 2 && livePids(reg, b).length >= 2, 60_000);
    const keeperPids = livePids(reg, b);
    keeperPids.forEach(trackPid);
    livePids(reg, a).forEach(trackPid);

    await ok(view.call('selectJob', { jobId: a }));
    await ok(view.call('stopJob', { mode: 'force' }));
    await withDeadline(reg.get(a).supervisor.finished(), 60_000, 'the killed job to end');
    expect(jobOf(reg, a).counts, JSON.stringify(jobOf(reg, a))).toMatchObject({ running: 0, done: 0, interrupted: 2 });
    expect(sleepers('331.1').concat(sleepers('331.2'))).toEqual([]);
    // The other job's processes were not touched: still alive, still running.
    expect(jobOf(reg, b)).toMatchObject({ state: 'running', counts: { running: 2 } });
    expect(keeperPids.filter(pidAlive)).toEqual(keeperPids);

    writeFileSync(go, '');
    await withDeadline(reg.get(b).supervisor.finished(), 60_000, 'the other job to finish');
    expect(jobOf(reg, b)).toMatchObject({ state: 'finished', counts: { done: 2, failed: 0, interrupted: 0, killed: 0 } });
  });

  it('a ledger per job: closing a finished job leaves the running job\'s ledger and tasks', async () => {
    const { reg, view, state } = registry();
    await loadAndStart(view, sleepJob('short', ['0.1']));
    const a = view.jobId;
    await withDeadline(reg.get(a).supervisor.finished(), 60_000, 'the short job to end');
    const b = (await ok(view.call('newJob', {}))).jobId;
    await loadAndStart(view, sleepJob('long', ['332.1']));
    await waitFor('the long sleep to run', () => sleepers('332.1').length === 1, 60_000);
    livePids(reg, b).forEach(trackPid);

    await ok(view.call('closeJob', { jobId: a }));
    expect(existsSync(join(state, ledgerFileName(process.pid)))).toBe(false);
    const ledger = join(state, ledgerFileName(process.pid, b));
    const commands = [...parseLedger(readFileSync(ledger, 'utf8')).entries.values()].map((e) => e.command);
    expect(commands).toEqual(['sleep 332.1']);
    expect(sleepers('332.1')).toHaveLength(1);
    expect((await ok(view.call('listJobs', {}))).jobs.map((j) => j.jobId)).toEqual([b]);
  });

  it('closing the process stops every live job with its kill sequence, then removes the ledger', async () => {
    const { reg, view, state } = registry();
    const stubborn = `name: stubborn\ncommand: [sh, ${JSON.stringify(join(fixtures, 'ignore-term.sh'))}]\nkill: TERM,1s,KILL\ninputs:\n  list: [x]\n`;
    await loadAndStart(view, stubborn);
    const a = view.jobId;
    await ok(view.call('newJob', {}));
    const b = view.jobId;
    await loadAndStart(view, sleepJob('plain', ['333.1', '333.2']));
    await waitFor('every task to run', () => livePids(reg, a).length > 0 && sleepers('333.1').length + sleepers('333.2').length === 2, 60_000);
    const pids = [...livePids(reg, a), ...livePids(reg, b)];
    pids.forEach(trackPid);
    expect(reg.hasRunningTasks()).toBe(true);

    await withDeadline(reg.closeAll({ graceMs: 10_000 }), 60_000, 'every job to stop');
    expect(pids.filter(pidAlive)).toEqual([]);
    expect(jobOf(reg, a).counts).toMatchObject({ running: 0, interrupted: 1 });
    expect(jobOf(reg, b).counts).toMatchObject({ running: 0, interrupted: 2 });
    expect(existsSync(join(state, ledgerFileName(process.pid)))).toBe(false);
    expect(existsSync(join(state, ledgerFileName(process.pid, b)))).toBe(false);
    expect((await view.call('getSnapshot', {})).ok).toBe(false);
  });

  it('switching jobs: ticks jump a number, the list has each job\'s counts, refusals say why', async () => {
    const { reg, view } = registry();
    await loadAndStart(view, sleepJob('first', ['334.1']));
    const a = view.jobId;
    const ticks: Tick[] = [];
    view.on('tick', (t) => ticks.push(t));
    await waitFor('a tick of the first job', () => ticks.length > 0);
    await ok(view.call('newJob', {}));
    await loadAndStart(view, sleepJob('second', ['0.1', '0.2', '0.3']));
    const b = view.jobId;
    await withDeadline(reg.get(b).supervisor.finished(), 60_000, 'the second job to end');
    await waitFor('a tick of the second job', () => ticks.some((t) => t.job?.name === 'second'));
    const firstSecond = ticks.findIndex((t) => t.job?.name === 'second' || t.job === null);
    expect(ticks.slice(firstSecond).every((t) => t.job?.name !== 'first')).toBe(true);
    expect(ticks[firstSecond].n).toBe(ticks[firstSecond - 1].n + 2);

    const list: LiveJobs = await waitFor('the list to show the finished job', async () => {
      const l = await ok(view.call('listJobs', {}));
      return l.jobs.find((j) => j.jobId === b)?.state === 'finished' && l.jobs.find((j) => j.jobId === a)?.busy === 1 ? l : null;
    });
    expect(list.jobs).toEqual([
      { jobId: a, name: 'first', state: 'running', done: 0, failed: 0, total: 1, running: 1, busy: 1, poolSize: 2, selected: false },
      { jobId: b, name: 'second', state: 'finished', done: 3, failed: 0, total: 3, running: 0, busy: 0, poolSize: 2, selected: true },
    ]);
    expect(list).toMatchObject({ busy: 1, pools: 2 });
    expect(list.cores).toBeGreaterThan(0);

    expect(await view.call('closeJob', { jobId: a })).toEqual({ ok: false, error: { code: 'JOB_RUNNING', message: 'job first is running; stop it before closing it' } });
    expect(await view.call('selectJob', { jobId: 'job-99' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no live job job-99' } });
    expect(await view.call('selectJob', { jobId: '../x' })).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'selectJob: expected a job id from listJobs, "job-N"' } });
    // Closing the job on show moves the view to the newest one left.
    await ok(view.call('closeJob', { jobId: b }));
    expect(view.jobId).toBe(a);
    const snap = await ok(view.call('getSnapshot', {}));
    expect(snap.job?.name).toBe('first');
  });

  it('refuses a job beyond maxJobs, and says how many', async () => {
    const reg = new JobRegistry({ stateDir: tempDir(), joblog: null, maxJobs: 2 });
    registries.push(reg);
    const view = createJobView(reg);
    await ok(view.call('newJob', {}));
    expect(await view.call('newJob', {})).toEqual({ ok: false, error: { code: 'BAD_STATE', message: 'at most 2 jobs live at once; close a finished one first' } });
    expect(view.jobId).toBe('job-2');
  });

  it('a bare supervisor (corral run) holds one job and says so', async () => {
    const { reg } = registry();
    const sup = reg.newest().supervisor;
    expect(await sup.call('newJob', {})).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: 'this supervisor runs one job; several jobs live in corral serve or the app' } });
  });
});

describe('the control socket of a process with several jobs', () => {
  it('gives each connection its own selection: one switching does not move another or the page', async () => {
    const { reg, view, state } = registry();
    await loadAndStart(view, sleepJob('alpha', ['0.1']));
    const a = view.jobId;
    const b = (await ok(view.call('newJob', {}))).jobId;
    await ok(view.call('loadJob', { text: sleepJob('beta', ['0.1']) }));
    const server = await startControlServer({ service: createJobView(reg), session: () => createJobView(reg), stateDir: state });
    const one = await connectControl(server.socket);
    const two = await connectControl(server.socket);
    try {
      // A new connection watches the newest job; the list is the process's.
      expect((await ok(one.call('getSnapshot', {}))).job?.name).toBe('beta');
      expect((await ok(one.call('listJobs', {}))).jobs.map((j) => [j.jobId, j.selected])).toEqual([[a, false], [b, true]]);
      await ok(one.call('selectJob', { jobId: a }));
      expect((await ok(one.call('getSnapshot', {}))).job?.name).toBe('alpha');
      expect((await ok(two.call('getSnapshot', {}))).job?.name).toBe('beta');
      expect(view.jobId).toBe(b);
    } finally {
      one.close();
      two.close();
      await server.close();
    }
  });
});
