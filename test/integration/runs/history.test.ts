import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../main/contract/index.js';
import { createSupervisor } from '../../../main/core/supervisor.js';
import { cleanup, runJob, startJob, tempDir, waitFor } from '../core/helpers.js';

// Run history: each run's joblog in the state directory, a manifest beside it, read back page by page.

afterEach(cleanup);

const job = (name: string, list: string) =>
  `name: ${name}\ncommand: [sh, -c, 'sleep 0.05; exit $0', '{}']\nconcurrency: 2\ninputs:\n  list: [${list}]\n`;

const okJob = (name: string, list: string) => `name: ${name}\ncommand: [sh, -c, 'sleep 0.05', '{}']\nconcurrency: 2\ninputs:\n  list: [${list}]\n`;

async function runs(state: string): Promise<RunSummary[]> {
  const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
  try {
    const r = await sup.call('listRuns', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  } finally {
    await sup.close();
  }
}

describe('run history', () => {
  it('lists a finished run with its name, file, start, end and outcome counts from its manifest', async () => {
    const state = tempDir();
    const h = await runJob(job('history-a', '0, 0, 3, 0'), { stateDir: state, joblog: undefined });
    await h.sup.close();
    const [run] = await runs(state);
    expect(run).toMatchObject({ name: 'history-a', live: false, fromJoblog: false, pid: process.pid, counts: { ok: 3, failed: 1, killed: 0, interrupted: 0, skipped: 0 } });
    expect(run.file).toBe(join(h.dir, 'job.yaml'));
    expect(run.runId).toMatch(/^history-a\/\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(run.endedAt!).toBeGreaterThanOrEqual(run.startedAt!);
  });

  it('lists a run still going as live, its counts left to its supervisor', async () => {
    const state = tempDir();
    const h = await startJob(`name: going\ncommand: sleep {}\ninputs:\n  list: [316.1]\n`, { stateDir: state, joblog: undefined });
    const r = await waitFor('the manifest of the running job', async () => {
      const l = await h.sup.call('listRuns', {});
      return l.ok && l.value[0]?.startedAt ? l.value[0] : null;
    });
    expect(r).toMatchObject({ name: 'going', live: true, endedAt: null, pid: process.pid, counts: { ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 } });
    const prune = await h.sup.call('pruneRuns', { maxRuns: 1, maxAgeDays: 0.000001 });
    expect(prune).toEqual({ ok: true, value: { removed: [] } });
    await h.sup.call('stopJob', { mode: 'force' });
  });

  it('pages a run back from its joblog and compares each runtime with the previous run of the job', async () => {
    const state = tempDir();
    const first = await runJob(okJob('history-b', '1, 2, 3, 4, 5'), { stateDir: state, joblog: undefined });
    await first.sup.close();
    const second = await runJob(okJob('history-b', '1, 2, 3, 4, 5, 6'), { stateDir: state, joblog: undefined });
    const list = (await second.sup.call('listRuns', {})) as { ok: true; value: RunSummary[] };
    expect(list.value.map((r) => r.name)).toEqual(['history-b', 'history-b']);
    const [newest, older] = list.value;
    const page1 = await second.sup.call('getRunTasks', { runId: newest.runId, offset: 0, limit: 4 });
    if (!page1.ok) throw new Error(page1.error.message);
    expect(page1.value.previousRunId).toBe(older.runId);
    expect(page1.value.rows).toHaveLength(4);
    expect(page1.value.more).toBe(true);
    const page2 = await second.sup.call('getRunTasks', { runId: newest.runId, offset: 4, limit: 4 });
    if (!page2.ok) throw new Error(page2.error.message);
    expect(page2.value.more).toBe(false);
    const rows = [...page1.value.rows, ...page2.value.rows];
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    // The five commands of the first run have a previous runtime; the sixth input is new.
    for (const r of rows) {
      if (r.seq <= 5) expect(r.previousRuntime).toBeGreaterThan(0);
      else expect(r.previousRuntime).toBeNull();
    }
  });

  it('refuses a run id that climbs out of the joblogs directory, and names an unknown one', async () => {
    const state = tempDir();
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
    try {
      const bad = await sup.call('getRunTasks', { runId: '../../etc/passwd', offset: 0, limit: 10 });
      expect(bad).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'getRunTasks: runId: expected a run id from listRuns, "<job>/<run>"' } });
      const missing = await sup.call('getRunTasks', { runId: 'nojob/norun', offset: 0, limit: 10 });
      expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: `no run nojob/norun in ${join(state, 'joblogs')}` } });
    } finally {
      await sup.close();
    }
  });

  it('counts a run whose supervisor died by kill -9 from its joblog, not from its unfinished manifest', async () => {
    const state = tempDir();
    const dir = join(state, 'joblogs', 'crashed');
    mkdirSync(dir, { recursive: true });
    const victim = spawn('sleep', ['300']);
    await new Promise((r) => victim.once('spawn', r));
    const pid = victim.pid!;
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    const log = join(dir, '2026-01-01T00-00-00-000Z.tsv');
    const head = 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tAttempt\tPeakRSS\tCPUSeconds\tOutcome\n';
    const row = (seq: number, attempt: number, exit: number, outcome: string) => `${seq}\t:\t1767225600.000\t1.500\t0\t0\t${exit}\t0\tcmd ${seq}\t${attempt}\t0\t0.000\t${outcome}\n`;
    // Task 2 failed, then its retry succeeded: its last attempt counts. The torn last line does not.
    writeFileSync(log, head + row(1, 1, 0, 'ok') + row(2, 1, 1, 'failed') + row(3, 1, 1, 'failed') + row(2, 2, 0, 'ok') + '4\t:\t17672');
    writeFileSync(log.replace('.tsv', '.run.json'), JSON.stringify({ version: 1, name: 'crashed', file: null, joblog: log, pid, pidStart: null, startedAt: 1767225600000, endedAt: null, counts: null }));
    const [run] = await runs(state);
    expect(run).toMatchObject({ name: 'crashed', live: false, fromJoblog: true, counts: { ok: 2, failed: 1, killed: 0, interrupted: 0, skipped: 0 } });
    expect(run.endedAt).toBe(1767225601500);
  });

  it("counts a broker run by its final rows: lost and superseded rows neither count nor replace a task's final row", async () => {
    const state = tempDir();
    const dir = join(state, 'joblogs', 'broker');
    mkdirSync(dir, { recursive: true });
    const log = join(dir, '2026-01-01T00-00-00-000Z.tsv');
    const head = 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tAttempt\tPeakRSS\tCPUSeconds\tOutcome\n';
    const row = (seq: number, host: string, attempt: number, exit: number, outcome: string) => `${seq}\t${host}\t1767225600.000\t1.500\t0\t0\t${exit}\t0\tcmd ${seq}\t${attempt}\t0\t0.000\t${outcome}\n`;
    // Task 1: lost with a1, ok on a2, then a1's late result (superseded). Task 2: failed.
    writeFileSync(log, head + row(1, 'a1', 1, -1, 'lost') + row(1, 'a2', 2, 0, 'ok') + row(1, 'a1', 1, 0, 'superseded') + row(2, 'a3', 1, 1, 'failed'));
    writeFileSync(log.replace('.tsv', '.run.json'), JSON.stringify({ version: 1, name: 'broker', file: null, joblog: log, pid: 1, pidStart: 'x', startedAt: 1767225600000, endedAt: null, counts: null }));
    const [run] = await runs(state);
    expect(run).toMatchObject({ name: 'broker', fromJoblog: true, counts: { ok: 1, failed: 1, killed: 0, interrupted: 0, skipped: 0 } });
  });

  it('reads a joblog of 50 000 rows a page at a time, the same rows whether or not its row index is warm', async () => {
    const state = tempDir();
    const dir = join(state, 'joblogs', 'big');
    mkdirSync(dir, { recursive: true });
    const log = join(dir, '2026-01-02T00-00-00-000Z.tsv');
    const lines = ['Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tAttempt\tPeakRSS\tCPUSeconds\tOutcome'];
    for (let s = 1; s <= 50_000; s++) lines.push(`${s}\t:\t1767312000.000\t0.010\t0\t0\t0\t0\techo \u00e9t\u00e9 ${s}\t1\t0\t0.000\tok`);
    writeFileSync(log, lines.join('\n') + '\n');
    // A command whose bytes are not UTF-8 reads as U+FFFD, never an error.
    writeFileSync(log, Buffer.concat([readFileSync(log), Buffer.from('50001\t:\t1767312000.000\t0.010\t0\t0\t0\t0\tcat \xff\xfe\t1\t0\t0.000\tok\n', 'latin1')]));
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
    try {
      const cold = await sup.call('getRunTasks', { runId: 'big/2026-01-02T00-00-00-000Z', offset: 41_000, limit: 3 });
      const warm = await sup.call('getRunTasks', { runId: 'big/2026-01-02T00-00-00-000Z', offset: 41_000, limit: 3 });
      if (!cold.ok || !warm.ok) throw new Error('page failed');
      expect(cold.value.rows.map((r) => [r.seq, r.command])).toEqual([[41_001, 'echo été 41001'], [41_002, 'echo été 41002'], [41_003, 'echo été 41003']]);
      expect(warm.value).toEqual(cold.value);
      const last = await sup.call('getRunTasks', { runId: 'big/2026-01-02T00-00-00-000Z', offset: 49_999, limit: 10 });
      if (!last.ok) throw new Error(last.error.message);
      expect(last.value.rows.map((r) => r.command)).toEqual(['echo été 50000', 'cat \ufffd\ufffd']);
      expect(last.value.more).toBe(false);
    } finally {
      await sup.close();
    }
  });

  it('Retry failed starts a new run of the same job file that runs only the failed tasks again', async () => {
    const state = tempDir();
    const h = await runJob(job('history-c', '0, 3, 0, 4'), { stateDir: state, joblog: undefined });
    const [run] = ((await h.sup.call('listRuns', {})) as { ok: true; value: RunSummary[] }).value;
    writeFileSync(join(h.dir, 'job.yaml'), job('history-c', '0, 0, 0, 0'));
    const r = await h.sup.call('resumeRun', { runId: run.runId, mode: 'resume-failed' });
    if (!r.ok) throw new Error(r.error.message);
    await waitFor('the rerun to finish', () => h.sup.run!.info().state === 'finished');
    const counts = h.sup.run!.info().counts;
    expect(counts).toMatchObject({ done: 2, skipped: 2, failed: 0 });
    const newJoblog = h.sup.run!.info().joblog!;
    expect(newJoblog).not.toBe(run.joblog);
    await waitFor('the rerun manifest', () => JSON.parse(readFileSync(newJoblog.replace('.tsv', '.run.json'), 'utf8')).endedAt);
    const list = ((await h.sup.call('listRuns', {})) as { ok: true; value: RunSummary[] }).value;
    expect(list).toHaveLength(2);
    expect(list[0].counts).toEqual({ ok: 2, failed: 0, killed: 0, interrupted: 0, skipped: 2 });
  });

  it('Resume of a pasted job says what to do instead', async () => {
    const state = tempDir();
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, settings: { tickMs: 250 } });
    try {
      const loaded = await sup.call('loadJob', { text: job('pasted', '0') });
      if (!loaded.ok) throw new Error(loaded.error.message);
      await sup.call('startJob', {});
      await sup.finished();
      const [run] = ((await sup.call('listRuns', {})) as { ok: true; value: RunSummary[] }).value;
      await waitFor('the manifest end', async () => (await sup.call('listRuns', {})).ok && existsSync(run.joblog.replace('.tsv', '.run.json')));
      const r = await sup.call('resumeRun', { runId: run.runId, mode: 'resume' });
      expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: `run ${run.runId} has no job file on record (a pasted job, or an older Corral); load the job again` } });
    } finally {
      await sup.close();
    }
  });

  it('prunes at startup runs older than the retention and beyond its count, keeping the newest', async () => {
    const state = tempDir();
    const dir = join(state, 'joblogs', 'old');
    mkdirSync(dir, { recursive: true });
    const day = 86_400_000;
    const now = Date.now();
    const make = (name: string, startedAt: number) => {
      const log = join(dir, `${name}.tsv`);
      writeFileSync(log, 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n');
      writeFileSync(log.replace('.tsv', '.run.json'), JSON.stringify({ version: 1, name: 'old', file: null, joblog: log, pid: 1, pidStart: 'x', startedAt, endedAt: startedAt + 1000, counts: { ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 } }));
    };
    make('2025-01-01T00-00-00-000Z', now - 40 * day); // older than 30 days
    make('2026-11-01T00-00-00-000Z', now - 3 * day);
    make('2026-11-02T00-00-00-000Z', now - 2 * day);
    make('2026-11-03T00-00-00-000Z', now - 1 * day);
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null, keepRuns: { maxRuns: 2 } });
    try {
      await waitFor('the startup prune', () => readdirSync(dir).length === 4);
      expect(readdirSync(dir).sort()).toEqual(['2026-11-02T00-00-00-000Z.run.json', '2026-11-02T00-00-00-000Z.tsv', '2026-11-03T00-00-00-000Z.run.json', '2026-11-03T00-00-00-000Z.tsv']);
      const again = await sup.call('pruneRuns', { maxRuns: 1 });
      expect(again).toEqual({ ok: true, value: { removed: ['old/2026-11-02T00-00-00-000Z'] } });
    } finally {
      await sup.close();
    }
  });
});
