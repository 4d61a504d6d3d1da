import type { JobCounts, Outcome, TaskState } from '../../main/contract/types.js';

// The one place that knows the contract's shape of counts, states and outcomes. The counts are
// growing (suspect, killed, interrupted buckets; an 'interrupted' state and outcome): update here.

/** States of a task that holds a slot. */
export const HOLDS_SLOT: ReadonlySet<string> = new Set<TaskState | 'interrupted'>(['running', 'suspect', 'stuck', 'stopping', 'paused']);

/** States counted in JobCounts.failed: the task failed by itself, not stopped by a user or the job. */
export const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'timeout', 'memory-killed']);

/** Outcomes that are not final: a job stop, halt or quit (interrupted) or the user (killed) ended the attempt; --resume reruns them. */
export const INTERRUPTED_OUTCOMES: ReadonlySet<string> = new Set(['interrupted', 'killed']);

/** Every Outcome a joblog row may carry. */
export const OUTCOMES: ReadonlySet<string> = new Set<Outcome | 'interrupted'>([
  'ok', 'failed', 'timeout', 'killed', 'stuck-killed', 'memory-killed', 'skipped', 'interrupted',
]);

/** Count keys that are a subset of another bucket (or the total), not a bucket of their own. */
const NOT_BUCKETS: ReadonlySet<string> = new Set(['total', 'stuck', 'suspect']);

/** Sum of the disjoint buckets, whatever buckets the counts have. */
export function bucketSum(c: JobCounts): number {
  let sum = 0;
  for (const [k, v] of Object.entries(c)) if (!NOT_BUCKETS.has(k) && typeof v === 'number') sum += v;
  return sum;
}

export const isFinalOutcome = (o: string): boolean => !INTERRUPTED_OUTCOMES.has(o);

/**
 * How a row's Outcome must agree with its Exitval and Signal: each broken rule by its invariant
 * name. Outcomes of a stop (killed, timeout…) may carry any exit: a trap may exit 0 on TERM.
 */
export function outcomeDisagreements(r: { outcome: string; exitval: number; signal: number }): [string, string][] {
  const clean = r.exitval === 0 && r.signal === 0;
  const out: [string, string][] = [];
  if (r.outcome === 'ok' && !clean) out.push(['ok-means-clean-exit', `ok with Exitval ${r.exitval} Signal ${r.signal}`]);
  if (r.outcome === 'failed' && clean) out.push(['failed-means-unclean-exit', 'failed with Exitval 0 and no signal']);
  // GNU parallel's Exitval -1 means "killed by a signal": the signal must be named.
  if (r.exitval === -1 && r.signal === 0) out.push(['signal-exit-names-signal', 'Exitval -1 (a signal) with Signal 0']);
  return out;
}
