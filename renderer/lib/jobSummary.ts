import type { JobCounts, JobInfo, JobState } from '../../main/contract/types.js';
import { formatDuration } from './format.js';

// The job at a glance, in words the header shows. Only the task's own failures are "failed"
// (red); suspect is a hint beside the stuck verdict; tasks never started are "not run" once over.

export type CountTone = 'running' | 'suspect' | 'stuck' | 'ok' | 'failed' | 'killed' | 'interrupted' | 'skipped' | 'queued' | 'plain';

export interface CountItem {
  key: keyof JobCounts;
  label: string;
  value: number;
  tone: CountTone;
  title: string;
}

const overStates: ReadonlySet<JobState> = new Set(['finished', 'halted', 'stopped']);

/** True once no task will run any more (queued tasks are then "not run"). */
export function jobOver(job: JobInfo): boolean {
  return overStates.has(job.state);
}

/** The header's counts, in reading order; optional ones appear only when non-zero. */
export function headerCounts(job: JobInfo): CountItem[] {
  const c = job.counts;
  const items: CountItem[] = [];
  const add = (key: keyof JobCounts, label: string, tone: CountTone, title: string, optional = false) => {
    if (!optional || c[key] > 0) items.push({ key, label, value: c[key], tone, title });
  };
  add('running', 'running', 'running', 'Tasks holding a slot (running, paused or stopping)');
  add('suspect', 'suspect', 'suspect', 'Running tasks where one stuck rule fires: a hint, not a verdict', true);
  add('stuck', 'stuck', c.stuck > 0 ? 'stuck' : 'plain', 'Running tasks judged stuck');
  add('done', 'ok', 'ok', 'Tasks that succeeded');
  add('failed', 'failed', c.failed > 0 ? 'failed' : 'plain', "The task's own failures: exit status, timeout, memory limit, killed as stuck");
  add('killed', 'killed', 'killed', 'Killed by you', true);
  add('interrupted', 'interrupted', 'interrupted', 'Ended by a job stop, halt or quit; --resume runs them again', true);
  add('skipped', 'skipped', 'skipped', 'Done in an earlier run (--resume)', true);
  const over = jobOver(job);
  add('queued', over ? 'not run' : 'queued', 'queued', over ? 'Never started: the job ended first' : 'Waiting for a slot (or for a retry)');
  add('total', 'total', 'plain', 'All tasks of the job');
  return items;
}

/** Ended tasks (any outcome) over all tasks. */
export function progressOf(job: JobInfo | null): { ended: number; total: number; percent: number } {
  if (!job || job.counts.total === 0) return { ended: 0, total: 0, percent: 0 };
  const c = job.counts;
  const ended = c.done + c.failed + c.killed + c.interrupted + c.skipped;
  return { ended, total: c.total, percent: Math.floor((ended / c.total) * 1000) / 10 };
}

/** The progress bar's segments by outcome; stopped (killed or interrupted) tasks are not failures. */
export function progressSegments(job: JobInfo | null): { tone: CountTone; fraction: number }[] {
  if (!job || job.counts.total === 0) return [];
  const c = job.counts;
  const segs: [CountTone, number][] = [['ok', c.done], ['failed', c.failed], ['killed', c.killed + c.interrupted], ['skipped', c.skipped]];
  return segs.filter(([, n]) => n > 0).map(([tone, n]) => ({ tone, fraction: n / c.total }));
}

/** An ETA means something only while tasks are being dispatched. */
export function etaText(job: JobInfo | null): string {
  if (!job || job.state !== 'running' || job.dispatchPaused || job.etaMs === null) return '—';
  return formatDuration(job.etaMs);
}
