import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import type { Outcome } from '../../contract/types.js';
import type { RunSummary, RunTaskPage, RunTaskRow } from '../../contract/runs.js';
import { CorralFailure } from '../errors.js';
import { supervisorAlive } from '../stop/liveness.js';
import { readManifest } from './manifest.js';
import { joblogOfRun, joblogsRoot, runIdOf } from './paths.js';
import { streamRows } from './joblogStream.js';
import { isFinalRow } from '../log/joblog.js';

/** Every run joblog under the state directory, newest first within a job (names are start times). */
export async function runJoblogs(stateDir: string): Promise<string[]> {
  const root = joblogsRoot(stateDir);
  const jobs = await fsp.readdir(root, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const j of jobs) {
    if (!j.isDirectory()) continue;
    const files = await fsp.readdir(join(root, j.name)).catch(() => [] as string[]);
    for (const f of files) if (f.endsWith('.tsv') && runIdOf(stateDir, join(root, j.name, f))) out.push(join(root, j.name, f));
  }
  return out;
}


const FAILED = new Set<Outcome>(['failed', 'timeout', 'stuck-killed', 'memory-killed']);
const CODE: Record<string, number> = { ok: 1, failed: 2, killed: 3, interrupted: 4, skipped: 5 };
const bucket = (o: Outcome) => (FAILED.has(o) ? 'failed' : (o as 'ok' | 'killed' | 'interrupted' | 'skipped'));

/** Counts of each task's last attempt, read from the joblog: one byte per seq, never a row object kept. */
async function countsFromJoblog(path: string): Promise<{ counts: RunSummary['counts']; start: number | null; end: number | null }> {
  let last = new Uint8Array(1024);
  let maxSeq = 0;
  let start: number | null = null;
  let end: number | null = null;
  await streamRows(path, (r) => {
    if (!isFinalRow(r)) return; // a broker run's lost/superseded rows: the task's final row follows
    if (r.seq >= last.length) {
      const grown = new Uint8Array(Math.max(last.length * 2, r.seq + 1));
      grown.set(last);
      last = grown;
    }
    last[r.seq] = CODE[bucket(r.outcome)] ?? 2;
    maxSeq = Math.max(maxSeq, r.seq);
    if (Number.isFinite(r.startTime)) {
      start = Math.min(start ?? r.startTime, r.startTime);
      end = Math.max(end ?? 0, r.startTime + (Number.isFinite(r.runtime) ? r.runtime : 0));
    }
  });
  const counts = { ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
  const names = ['', 'ok', 'failed', 'killed', 'interrupted', 'skipped'] as const;
  for (let s = 1; s <= maxSeq; s++) if (last[s]) counts[names[last[s]] as keyof typeof counts]++;
  return { counts, start: start === null ? null : start * 1000, end: end === null ? null : end * 1000 };
}

/** Joblog counts by path and size: a finished run's joblog no longer changes, so the sidebar's refresh is free. */
const counted = new Map<string, { size: number; value: Awaited<ReturnType<typeof countsFromJoblog>> }>();
async function countedJoblog(path: string) {
  const size = (await fsp.stat(path)).size;
  const hit = counted.get(path);
  if (hit && hit.size === size) return hit.value;
  const value = await countsFromJoblog(path);
  counted.set(path, { size, value });
  return value;
}

export function forgetCounts(path: string): void {
  counted.delete(path);
}

export async function summariseRun(stateDir: string, joblog: string): Promise<RunSummary> {
  const m = await readManifest(joblog);
  const live = m !== null && m.endedAt === null && supervisorAlive(m);
  const runId = runIdOf(stateDir, joblog)!;
  if (m && m.counts && !live) {
    return { runId, name: m.name, file: m.file, joblog, startedAt: m.startedAt, endedAt: m.endedAt, counts: m.counts, pid: m.pid, live, fromJoblog: false };
  }
  const zero = { ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
  if (live) {
    // Its supervisor has the counts (watch it); reading a growing joblog on every refresh would not scale.
    return { runId, name: m.name, file: m.file, joblog, startedAt: m.startedAt, endedAt: null, counts: zero, pid: m.pid, live, fromJoblog: false };
  }
  // No manifest (an older Corral), or one whose supervisor died (kill -9): the joblog says.
  const d = await countedJoblog(joblog);
  return {
    runId,
    name: m?.name ?? basename(join(joblog, '..')),
    file: m?.file ?? null,
    joblog,
    startedAt: m?.startedAt ?? d.start,
    endedAt: m?.endedAt ?? d.end,
    counts: d.counts,
    pid: m?.pid ?? null,
    live: false,
    fromJoblog: true,
  };
}

/** Runs newest first (by start, then run id). */
export async function listRuns(stateDir: string): Promise<RunSummary[]> {
  const runs = await Promise.all((await runJoblogs(stateDir)).map((j) => summariseRun(stateDir, j)));
  return runs.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0) || (a.runId < b.runId ? 1 : -1));
}

/** The run of the same job directory just before this one (names are ISO start times, so they sort). */
async function previousJoblog(joblog: string): Promise<string | null> {
  const dir = join(joblog, '..');
  const names = (await fsp.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.tsv')).sort();
  const i = names.indexOf(basename(joblog));
  return i > 0 ? join(dir, names[i - 1]) : null;
}

/** Rows [offset, offset + limit) of a run's joblog, each with its command's runtime in the previous run. */
export async function runTasks(stateDir: string, q: { runId: string; offset: number; limit: number }): Promise<RunTaskPage> {
  const path = joblogOfRun(stateDir, q.runId);
  const st = await fsp.stat(path).catch(() => null);
  if (!st) throw new CorralFailure('NOT_FOUND', `no run ${q.runId} in ${joblogsRoot(stateDir)}`);
  const rows: RunTaskRow[] = [];
  let more = false;
  await streamRows(
    path,
    (r) => {
      if (rows.length === q.limit) return (more = true), false;
      if (!isFinalRow(r)) return; // lost/superseded rows have no Outcome in the contract yet
      const { seq, attempt, command, startTime, runtime, exitval, signal, peakRss, cpuSeconds, outcome } = r;
      rows.push({ seq, attempt, command, startTime, runtime, exitval, signal, peakRss, cpuSeconds, outcome, previousRuntime: null });
    },
    { from: q.offset, size: st.size },
  );
  const prev = await previousJoblog(path);
  if (prev && rows.length) {
    // Matched by command, as longest-first ordering does: a seq may name another input in another run.
    const wanted = new Map<string, number | null>(rows.map((r) => [r.command, null]));
    await streamRows(prev, (r) => {
      if (r.outcome === 'ok' && wanted.has(r.command)) wanted.set(r.command, r.runtime);
    });
    for (const r of rows) r.previousRuntime = wanted.get(r.command) ?? null;
  }
  return { runId: q.runId, offset: q.offset, rows, more, previousRunId: prev ? runIdOf(stateDir, prev) : null };
}
