import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ordering } from '../../contract/types.js';
import { readJoblog, type JoblogRow } from '../log/joblog.js';

/**
 * Dispatch order. `longest-first` puts tasks by descending runtime in earlier runs of the
 * same job (matched by expanded command, then by input); tasks without history go first,
 * in input order, because an unknown task may be a long one.
 */
export function orderSeqs(
  ordering: Ordering,
  inputs: readonly string[],
  display: (input: string, seq: number) => string,
  history: readonly JoblogRow[],
): number[] {
  const seqs = inputs.map((_, i) => i + 1);
  if (ordering !== 'longest-first' || history.length === 0) return seqs;
  const byCommand = new Map<string, number>();
  for (const r of history) if (r.outcome === 'ok' || r.outcome === 'failed') byCommand.set(r.command, Math.max(byCommand.get(r.command) ?? 0, r.runtime));
  const known: { seq: number; runtime: number }[] = [];
  const unknown: number[] = [];
  for (const seq of seqs) {
    const runtime = byCommand.get(display(inputs[seq - 1], seq));
    if (runtime === undefined) unknown.push(seq);
    else known.push({ seq, runtime });
  }
  known.sort((a, b) => b.runtime - a.runtime || a.seq - b.seq);
  return [...unknown, ...known.map((k) => k.seq)];
}

/** Rows of every earlier joblog of this job under the state dir (and the given log). */
export async function listJoblogs(stateDir: string, jobName: string, extra: string | null): Promise<JoblogRow[]> {
  const safe = jobName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'job';
  const dir = join(stateDir, 'joblogs', safe);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.tsv')).map((f) => join(dir, f));
  if (extra && !files.includes(extra)) files.push(extra);
  const rows: JoblogRow[] = [];
  for (const f of files.sort().slice(-20)) rows.push(...(await readJoblog(f).catch(() => [])));
  return rows;
}
