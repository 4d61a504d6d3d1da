import type { SeriesPoint, StopProgress, TaskInfo, TaskState } from '../../main/contract/types.js';
import { formatBytes } from './format.js';

// A task's figures in words for the detail view: unknown is "—", a module task's memory is its
// reused host's (so "host RSS" with the RSS at start and the growth), and how it ended.

export interface MemoryFigures {
  label: 'RSS' | 'host RSS';
  now: string;
  peak: string;
  /** Host RSS when the attempt began (module tasks only). */
  atStart: string | null;
  /** Peak minus RSS at start (module tasks only). */
  growth: string | null;
}

export function memoryFigures(t: TaskInfo): MemoryFigures {
  const host = t.memoryScope === 'host';
  return {
    label: host ? 'host RSS' : 'RSS',
    now: formatBytes(t.rss),
    peak: formatBytes(t.peakRss),
    atStart: host ? formatBytes(t.rssAtStart) : null,
    growth: host ? formatGrowth(t.peakRss, t.rssAtStart) : null,
  };
}

/** "+2.0 MiB", "−1.0 MiB" (the host freed memory), "—" when either end is unknown. */
export function formatGrowth(peak: number | null, atStart: number | null): string {
  if (peak === null || atStart === null) return '—';
  const d = peak - atStart;
  return d < 0 ? `−${formatBytes(-d)}` : `+${formatBytes(d)}`;
}

const ownFailures: ReadonlySet<TaskState> = new Set(['failed', 'timeout', 'memory-killed']);

/** Why the task ended, toned as a failure only when it is the task's own. */
export function endNote(t: TaskInfo): { text: string; tone: 'failed' | 'neutral' } | null {
  if (!t.error) return null;
  return { text: t.error, tone: ownFailures.has(t.state) ? 'failed' : 'neutral' };
}

const reasons: Record<StopProgress['reason'], string> = {
  user: 'requested by you',
  'job-stop': 'the job is stopping',
  timeout: 'timed out',
  stuck: 'judged stuck',
  memory: 'over the memory limit',
  halt: 'the halt rule fired',
  quit: 'Corral is quitting',
};

export function stopReasonText(reason: StopProgress['reason']): string {
  return reasons[reason];
}

/** Charts of a task never sampled would invent axes (1 B…4 B); callers say "no samples yet". */
export function hasSamples(points: readonly SeriesPoint[]): boolean {
  return points.length > 0;
}
