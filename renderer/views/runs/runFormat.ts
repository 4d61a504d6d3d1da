import type { RunSummary } from '../../../main/contract/runs.js';
import { formatDuration } from '../../lib/format.js';

/** "3 ok, 1 failed, 2 killed" — zeros left out except ok. */
export function runCountsText(c: RunSummary['counts']): string {
  const parts = [`${c.ok} ok`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.killed) parts.push(`${c.killed} killed`);
  if (c.interrupted) parts.push(`${c.interrupted} interrupted`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

/** Local date and time to the minute: runs are told apart by when they started. */
export function runStartText(ms: number | null): string {
  if (ms === null) return 'start unknown';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function runDurationText(r: Pick<RunSummary, 'startedAt' | 'endedAt' | 'live'>): string {
  if (r.live) return 'running';
  if (r.startedAt === null || r.endedAt === null) return 'duration unknown';
  return formatDuration(r.endedAt - r.startedAt);
}

/** Runtime change against the previous run: "+12 %", "−40 %", "new" or "—". */
export function runtimeChange(now: number, before: number | null): string {
  if (before === null) return 'new';
  if (before <= 0) return '—';
  const pct = Math.round(((now - before) / before) * 100);
  return pct === 0 ? '±0 %' : pct > 0 ? `+${pct} %` : `−${-pct} %`;
}
