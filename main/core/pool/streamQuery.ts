import type { Outcome } from '../../contract/types.js';
import type { StreamBar, StreamBlock, StreamOutcome, StreamQuery, StreamSlice } from '../../contract/stream.js';
import type { TaskStore } from './taskStore.js';

// The task stream of any stretch of a run, read from the ended-task columns: a run of a million
// attempts is answered in one pass without a row object per task, and the answer is bounded by
// the pixels asked for (per lane, at most one bar or block per two pixels), not by the run.

export interface StreamAttempt {
  seq: number;
  attempt: number;
  slot: number;
  start: number;
  end: number;
  outcome: Outcome | null;
  exitCode?: number | null;
  signal?: string | null;
  /** The task's attempts so far, when more than this one */
  of?: number;
}

/** Killed (by the user) and interrupted (a job stop) are not failures; every other end that is not ok is. */
export function streamOutcome(o: Outcome | null): StreamOutcome {
  switch (o) {
    case 'ok': return 'ok';
    case 'killed': return 'killed';
    case 'interrupted': return 'interrupted';
    case 'skipped': return 'skipped';
    default: return 'failed';
  }
}

/** How an attempt ended, as its card says it: "ok", "failed, exit 3", "timeout, killed by SIGTERM". */
export function endedText(a: Pick<StreamAttempt, 'outcome' | 'exitCode' | 'signal'>): string {
  const o = a.outcome ?? 'failed';
  if (a.signal) return `${o}, killed by ${a.signal}`;
  if (o === 'failed' && a.exitCode !== null && a.exitCode !== undefined) return `${o}, exit ${a.exitCode}`;
  return o;
}

/**
 * Every ended attempt the store holds that ended after `since`, in no particular order: each
 * task's last attempt (the columns, or its record while held) and the earlier attempts of
 * retried tasks (the side table).
 */
export function* endedAttempts(store: TaskStore, since = -Infinity): Generator<StreamAttempt> {
  for (let seq = 1; seq <= store.total; seq++) {
    if (!(store.ended.endOf(seq) > since) || store.held(seq)) continue;
    const a = store.ended.streamAttempt(seq);
    if (a && a.slot > 0) yield { seq, ...a };
  }
  for (const t of store.heldRecords()) {
    const i = t.info;
    if (t.live || i.startedAt === null || i.endedAt === null || i.slot === null || i.attempt === 0 || i.endedAt <= since) continue;
    // A record waiting for its retry holds the attempt the side table kept already.
    if (t.retryTimer || i.outcome === null) continue;
    yield { seq: t.seq, attempt: i.attempt, slot: i.slot, start: i.startedAt, end: i.endedAt, outcome: i.outcome, exitCode: i.exitCode, signal: i.signal };
  }
  for (const a of store.attempts.ended(since)) yield { ...a, of: latestAttempt(store, a.seq) };
}

function latestAttempt(store: TaskStore, seq: number): number {
  return store.held(seq)?.info.attempt ?? store.ended.attemptOf(seq);
}

/** At most this many bars and blocks per answer (a DOM of a few thousand rects stays fluid): denser stretches get wider blocks. */
export const MAX_STREAM_ITEMS = 3000;

/** A bar (one attempt) or a block of several, while the slice is being built. */
interface Entry {
  block: StreamBlock;
  bar: StreamBar | null;
}

/**
 * Attempts overlapping [from, to]: one at least two pixels wide is a bar; thinner ones fall in
 * per-lane buckets two pixels wide, and a bucket holding more than one becomes a block (count,
 * outcome mix, time span). A bucket of one is still that attempt's bar: no gaps at any zoom.
 * Past MAX_STREAM_ITEMS the buckets widen (and take in the bars now thinner than them) until it fits.
 * With `since` (only what ended after it) and the earlier answer's `bucketMs`, the buckets are the
 * earlier answer's, so the asker can merge the two; never narrower than two pixels.
 */
export function streamSlice(attempts: Iterable<StreamAttempt>, q: StreamQuery, through: number, droppedAttempts = 0): StreamSlice {
  const since = q.since ?? -Infinity;
  let bucket = Math.max(1, ((q.to - q.from) / q.px) * 2, q.bucketMs ?? 0);
  let entries = bucketed(inWindow(attempts, q, since), q.from, bucket);
  while (entries.length > MAX_STREAM_ITEMS) {
    bucket *= Math.max(2, Math.ceil(entries.length / MAX_STREAM_ITEMS));
    entries = bucketed(entries, q.from, bucket);
  }
  const bars: StreamBar[] = [];
  const blocks: StreamBlock[] = [];
  for (const e of entries) {
    if (e.bar) bars.push(e.bar);
    else blocks.push(e.block);
  }
  bars.sort((x, y) => x.start - y.start || x.slot - y.slot);
  blocks.sort((x, y) => x.from - y.from || x.slot - y.slot);
  const slice: StreamSlice = { from: q.from, to: q.to, through, bars, blocks, bucketMs: bucket, droppedAttempts };
  if (q.since !== undefined) slice.since = q.since;
  return slice;
}

function* inWindow(attempts: Iterable<StreamAttempt>, q: StreamQuery, since: number): Generator<Entry> {
  for (const a of attempts) {
    if (a.end < q.from || a.start > q.to || a.end <= since) continue;
    const outcome = streamOutcome(a.outcome);
    const block = { slot: a.slot, from: a.start, to: a.end, count: 1, ok: 0, failed: 0, killed: 0, other: 0 };
    if (outcome === 'ok') block.ok = 1;
    else if (outcome === 'failed') block.failed = 1;
    else if (outcome === 'killed') block.killed = 1;
    else block.other = 1;
    const bar: StreamBar = { seq: a.seq, attempt: a.attempt, slot: a.slot, start: a.start, end: a.end, outcome };
    if (a.attempt > 1 || (a.of ?? 0) > a.attempt) bar.of = Math.max(a.attempt, a.of ?? 0);
    const ended = endedText(a);
    if (ended !== outcome) bar.ended = ended;
    yield { block, bar };
  }
}

/** Bars at least `bucket` long stay; everything else merges per lane into buckets `bucket` wide. */
function bucketed(entries: Iterable<Entry>, from: number, bucket: number): Entry[] {
  const out: Entry[] = [];
  const lanes = new Map<number, Map<number, Entry>>();
  for (const e of entries) {
    if (e.bar && e.block.to - e.block.from >= bucket) {
      out.push(e);
      continue;
    }
    let lane = lanes.get(e.block.slot);
    if (!lane) lanes.set(e.block.slot, (lane = new Map()));
    const k = Math.floor((e.block.from - from) / bucket);
    const acc = lane.get(k);
    if (!acc) lane.set(k, e);
    else if (acc.bar) lane.set(k, { block: merged({ ...acc.block }, e.block), bar: null });
    else merged(acc.block, e.block); // a block made here: grown in place
  }
  for (const lane of lanes.values()) for (const e of lane.values()) out.push(e);
  return out;
}

/** Adds b into a (a block this pass made) and returns a. */
function merged(a: StreamBlock, b: StreamBlock): StreamBlock {
  a.from = Math.min(a.from, b.from);
  a.to = Math.max(a.to, b.to);
  a.count += b.count;
  a.ok += b.ok;
  a.failed += b.failed;
  a.killed += b.killed;
  a.other += b.other;
  return a;
}
