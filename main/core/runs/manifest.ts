import { promises as fsp } from 'node:fs';
import type { JobInfo } from '../../contract/types.js';
import type { RunSummary } from '../../contract/runs.js';
import { manifestPathOf } from './paths.js';

/** What a supervisor writes beside its joblog as a run starts and ends (the joblog has no job name or file). */
export interface RunManifest {
  version: 1;
  name: string;
  file: string | null;
  joblog: string;
  pid: number;
  /** The supervisor's process start time: a reused pid is not this run's supervisor */
  pidStart: string | null;
  startedAt: number | null;
  endedAt: number | null;
  counts: RunSummary['counts'] | null;
}

export function countsOf(job: JobInfo): RunSummary['counts'] {
  const c = job.counts;
  return { ok: c.done, failed: c.failed, killed: c.killed, interrupted: c.interrupted, skipped: c.skipped };
}

/** Written whole to a temp file and renamed: a reader never sees half a manifest. */
export async function writeManifest(m: RunManifest): Promise<void> {
  const path = manifestPathOf(m.joblog);
  const tmp = `${path}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(m) + '\n', { mode: 0o600 });
  await fsp.rename(tmp, path);
}

/** The manifest beside a joblog, or null when it is missing or unreadable (a foreign or torn one). */
export async function readManifest(joblog: string): Promise<RunManifest | null> {
  try {
    const m = JSON.parse(await fsp.readFile(manifestPathOf(joblog), 'utf8')) as Partial<RunManifest>;
    if (m.version !== 1 || typeof m.name !== 'string' || typeof m.pid !== 'number') return null;
    return { ...m, joblog } as RunManifest;
  } catch {
    return null;
  }
}
