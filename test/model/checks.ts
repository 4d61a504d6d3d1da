import type { JobInfo, SlotSample, TaskInfo } from '../../main/contract/types.js';
import { parseJoblog, type JoblogRow } from '../../main/core/log/joblog.js';
import { FAILED_STATES, HOLDS_SLOT, INTERRUPTED_OUTCOMES, OUTCOMES, bucketSum, isFinalOutcome, outcomeDisagreements } from './shape.js';
import type { Violations } from './violations.js';

// The invariants, as checks over what the supervisor shows (ticks, snapshots) and writes (joblog).

/** Counts add up, match the tasks' states, and a failed count holds only failures. */
export function checkCounts(v: Violations, job: JobInfo, tasks: readonly TaskInfo[], where: string): void {
  const c = job.counts;
  v.expect('counts-add-up', bucketSum(c) === c.total && c.total === tasks.length, () => `${where}: ${JSON.stringify(c)} for ${tasks.length} tasks`);
  const n = (pred: (t: TaskInfo) => boolean) => tasks.filter(pred).length;
  const holding = n((t) => HOLDS_SLOT.has(t.state));
  v.expect('counts-match-states', c.running === holding && c.queued === n((t) => t.state === 'queued') && c.done === n((t) => t.state === 'done'),
    () => `${where}: counts ${JSON.stringify(c)}, states ${states(tasks)}`);
  v.expect('user-stopped-not-failed', c.failed === n((t) => FAILED_STATES.has(t.state)), () => `${where}: failed=${c.failed}, states ${states(tasks)}`);
}

/** Running tasks = busy slots, one task per slot. */
export function checkSlots(v: Violations, job: JobInfo, slots: readonly SlotSample[], tasks: readonly TaskInfo[], where: string): void {
  const busy = slots.filter((s) => s.taskSeq !== null);
  v.expect('running-equals-busy-slots', job.counts.running === busy.length,
    () => `${where}: counts.running=${job.counts.running}, busy slots ${busy.map((s) => `${s.slot}:${s.taskSeq}`).join(' ')}, states ${states(tasks)}`);
  const onSlot = new Map<number, number[]>();
  for (const t of tasks) if (HOLDS_SLOT.has(t.state) && t.slot !== null) onSlot.set(t.slot, [...(onSlot.get(t.slot) ?? []), t.seq]);
  const shared = [...onSlot].filter(([, seqs]) => seqs.length > 1);
  const seqsOnSlots = busy.map((s) => s.taskSeq);
  v.expect('no-two-tasks-on-one-slot', shared.length === 0 && new Set(seqsOnSlots).size === seqsOnSlots.length,
    () => `${where}: ${shared.map(([s, seqs]) => `slot ${s} holds tasks ${seqs.join(',')}`).join('; ') || `slots ${seqsOnSlots.join(',')}`}`);
}

/**
 * Prefetched tasks (sent to a slot's host, not begun) are queued in every way: state queued, no
 * pid, on no slot, held by one host only; and running never exceeds the pool (retiring slots included).
 */
export function checkPrefetched(v: Violations, job: JobInfo, slots: readonly SlotSample[], prefetched: readonly TaskInfo[], where: string): void {
  v.expect('running-within-pool', job.counts.running <= Math.max(job.poolSize, slots.length),
    () => `${where}: ${job.counts.running} running on a pool of ${job.poolSize} (${slots.length} slots)`);
  const onSlot = new Set(slots.map((s) => s.taskSeq).filter((x) => x !== null));
  const seqs = prefetched.map((t) => t.seq);
  v.expect('prefetched-is-queued', prefetched.every((t) => t.state === 'queued' && t.pids.length === 0 && !onSlot.has(t.seq)) && new Set(seqs).size === seqs.length,
    () => `${where}: prefetched ${prefetched.map((t) => `${t.seq}:${t.state}${onSlot.has(t.seq) ? '(on a slot)' : ''}`).join(' ')}`);
}

const states = (tasks: readonly TaskInfo[]) => tasks.map((t) => `${t.seq}:${t.state}`).join(' ');

/** Rows of the joblog text, checking that none is torn. */
export function checkJoblogText(v: Violations, text: string): JoblogRow[] {
  v.expect('no-torn-row', text === '' || text.endsWith('\n'), () => `the joblog ends mid-row: ${JSON.stringify(text.slice(-80))}`);
  const lines = text.split('\n').filter(Boolean);
  v.expect('no-torn-row', lines.filter((l) => l.startsWith('Seq\t')).length <= 1, () => 'more than one header line');
  for (const line of lines.filter((l) => !l.startsWith('Seq\t'))) {
    const f = line.split('\t');
    const numeric = [0, 2, 3, 4, 5, 6, 7, 9, 10, 11].every((i) => f[i] !== undefined && f[i] !== '' && Number.isFinite(Number(f[i])));
    v.expect('no-torn-row', f.length === 13 && numeric && OUTCOMES.has(f[12]), () => `torn row: ${JSON.stringify(line)}`);
  }
  return parseJoblog(text);
}

export type AttemptKey = `${number}:${number}`;
export const attemptKey = (seq: number, attempt: number): AttemptKey => `${seq}:${attempt}`;

/**
 * One session's rows against its tasks: exactly one row per attempt, outcomes that agree with
 * Exitval/Signal and with the task, and interrupted attempts not written as final.
 */
export function checkSessionRows(v: Violations, rows: readonly JoblogRow[], tasks: readonly TaskInfo[], interrupted: ReadonlyMap<AttemptKey, string>, label: string): void {
  const expected = new Map<AttemptKey, number>();
  for (const t of tasks) for (let a = 1; a <= t.attempt; a++) expected.set(attemptKey(t.seq, a), 0);
  const byAttempt = new Map<AttemptKey, JoblogRow>();
  for (const r of rows) {
    const k = attemptKey(r.seq, r.attempt);
    v.expect('one-row-per-attempt', expected.has(k), () => `${label}: row for task ${r.seq} attempt ${r.attempt}, which never ran`);
    v.expect('one-row-per-attempt', !byAttempt.has(k), () => `${label}: two rows for task ${r.seq} attempt ${r.attempt}`);
    byAttempt.set(k, r);
    for (const [name, why] of outcomeDisagreements(r)) v.expect(name, false, () => `${label}: task ${r.seq} attempt ${r.attempt} (${r.command}): ${why}`);
    const why = interrupted.get(k);
    if (why) {
      const clean = r.exitval === 0 && r.signal === 0;
      const ok = INTERRUPTED_OUTCOMES.has(r.outcome) || (r.outcome === 'ok' && clean) || (r.outcome === 'failed' && r.signal === 0);
      v.expect('interrupted-not-final', ok, () => `${label}: task ${r.seq} attempt ${r.attempt} stopped by ${why} has final Outcome ${r.outcome} (Exitval ${r.exitval}, Signal ${r.signal})`);
    }
  }
  for (const k of expected.keys()) v.expect('one-row-per-attempt', byAttempt.has(k), () => `${label}: no row for task ${k.replace(':', ' attempt ')}`);
  for (const t of tasks) {
    const last = byAttempt.get(attemptKey(t.seq, t.attempt));
    if (!last || t.outcome === null || t.state === 'queued') continue;
    v.expect('row-matches-task', last.outcome === t.outcome, () => `${label}: task ${t.seq} ended ${t.outcome}, its last row says ${last.outcome}`);
  }
}

/** What a --resume / --resume-failed run must run, from every row so far: no final row, or (resume-failed) a failed one. */
export function expectedResumed(rows: readonly JoblogRow[], total: number, mode: 'resume' | 'resume-failed'): number[] {
  const last = new Map<number, JoblogRow>();
  for (const r of rows) last.set(r.seq, r);
  const out: number[] = [];
  for (let seq = 1; seq <= total; seq++) {
    const r = last.get(seq);
    const again = !r || !isFinalOutcome(r.outcome) || (mode === 'resume-failed' && r.outcome !== 'ok' && r.outcome !== 'skipped');
    if (again) out.push(seq);
  }
  return out;
}
