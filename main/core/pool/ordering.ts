import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ordering } from '../../contract/types.js';
import { readJoblog, type JoblogRow } from '../log/joblog.js';
import type { InputSource } from '../inputs/source.js';

/**
 * Dispatch order. `longest-first` puts tasks by descending runtime in earlier runs of the
 * same job (matched by expanded command); tasks without history go first, in input order,
 * because an unknown task may be a long one. Returns null for input order (nothing stored),
 * else a permutation of the seqs: 4 bytes per input, the one per-input cost of this ordering.
 */
export function orderSeqs(
  ordering: Ordering,
  inputs: Pick<InputSource, 'length' | 'get'>,
  display: (input: string, seq: number) => string,
  history: readonly JoblogRow[],
): Uint32Array | null {
  if (ordering !== 'longest-first' || history.length === 0) return null;
  const byCommand = new Map<string, number>();
  for (const r of history) if (r.outcome === 'ok' || r.outcome === 'failed') byCommand.set(r.command, Math.max(byCommand.get(r.command) ?? 0, r.runtime));
  const n = inputs.length;
  const order = new Uint32Array(n);
  const known: { seq: number; runtime: number }[] = []; // as many as the history has rows, at most
  let u = 0;
  for (let seq = 1; seq <= n; seq++) {
    const runtime = byCommand.get(display(inputs.get(seq - 1), seq));
    if (runtime === undefined) order[u++] = seq;
    else known.push({ seq, runtime });
  }
  known.sort((a, b) => b.runtime - a.runtime || a.seq - b.seq);
  for (const k of known) order[u++] = k.seq;
  return order;
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
