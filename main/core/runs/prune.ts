import { promises as fsp } from 'node:fs';
import type { RunSummary } from '../../contract/runs.js';
import { forgetIndex } from './joblogStream.js';
import { forgetCounts, listRuns } from './history.js';
import { manifestPathOf } from './paths.js';

export interface Retention {
  maxAgeDays: number;
  maxRuns: number;
}

/** Keeps a month and a hundred runs: enough to compare and resume, bounded so the state dir does not grow forever. */
export const retentionDefaults: Readonly<Retention> = Object.freeze({ maxAgeDays: 30, maxRuns: 100 });

/** Which runs go: older than maxAgeDays, or beyond the newest maxRuns; never a live one or `keep`. */
export function runsToPrune(runs: readonly RunSummary[], r: Retention, now: number, keep: ReadonlySet<string> = new Set()): RunSummary[] {
  const cutoff = now - r.maxAgeDays * 86_400_000;
  const gone: RunSummary[] = [];
  let kept = 0;
  for (const run of runs) {
    // runs come newest first
    if (run.live || keep.has(run.joblog)) {
      kept++;
      continue;
    }
    // A run with no time at all (a joblog just created, no row yet) is taken as new.
    const when = run.endedAt ?? run.startedAt ?? now;
    if (when < cutoff || kept >= r.maxRuns) gone.push(run);
    else kept++;
  }
  return gone;
}

export async function pruneRuns(stateDir: string, r: Retention, keep: ReadonlySet<string> = new Set(), now = Date.now()): Promise<string[]> {
  const gone = runsToPrune(await listRuns(stateDir), r, now, keep);
  for (const run of gone) {
    await fsp.rm(run.joblog, { force: true });
    await fsp.rm(manifestPathOf(run.joblog), { force: true });
    forgetIndex(run.joblog);
    forgetCounts(run.joblog);
  }
  return gone.map((g) => g.runId);
}
