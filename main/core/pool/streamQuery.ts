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

/** Every ended attempt the store holds (the last attempt of each task), in no particular order. */
export function* endedAttempts(store: TaskStore): Generator<StreamAttempt> {
  for (let seq = 1; seq <= store.total; seq++) {
    if (!store.ended.has(seq) || store.held(seq)) continue;
    const a = store.ended.streamAttempt(seq);
    if (a && a.slot > 0) yield { seq, ...a };
  }
  for (const t of store.heldRecords()) {
    const i = t.info;
    if (t.live || i.startedAt === null || i.endedAt === null || i.slot === null || i.attempt === 0) continue;
    yield { seq: t.seq, attempt: i.attempt, slot: i.slot, start: i.startedAt, end: i.endedAt, outcome: i.outcome };
  }
}

interface Acc {
  first: StreamAttempt;
  block: StreamBlock;
}

/**
 * Attempts overlapping [from, to]: one at least two pixels wide is a bar; thinner ones fall in
 * per-lane buckets two pixels wide, and a bucket holding more than one becomes a block (count,
 * outcome mix, time span). A bucket of one is still that attempt's bar: no gaps at any zoom.
 */
export function streamSlice(attempts: Iterable<StreamAttempt>, q: StreamQuery, through: number): StreamSlice {
  const bucket = Math.max(1, ((q.to - q.from) / q.px) * 2);
  const bars: StreamBar[] = [];
  const lanes = new Map<number, Map<number, Acc>>();
  for (const a of attempts) {
    if (a.end < q.from || a.start > q.to) continue;
    if (a.end - a.start >= bucket) {
      bars.push(barOf(a));
      continue;
    }
    let lane = lanes.get(a.slot);
    if (!lane) lanes.set(a.slot, (lane = new Map()));
    const k = Math.floor((a.start - q.from) / bucket);
    const acc = lane.get(k);
    if (!acc) lane.set(k, { first: a, block: count({ slot: a.slot, from: a.start, to: a.end, count: 0, ok: 0, failed: 0, killed: 0, other: 0 }, a) });
    else {
      acc.block.from = Math.min(acc.block.from, a.start);
      acc.block.to = Math.max(acc.block.to, a.end);
      count(acc.block, a);
    }
  }
  const blocks: StreamBlock[] = [];
  for (const lane of lanes.values()) {
    for (const { first, block } of lane.values()) {
      if (block.count === 1) bars.push(barOf(first));
      else blocks.push(block);
    }
  }
  bars.sort((x, y) => x.start - y.start || x.slot - y.slot);
  blocks.sort((x, y) => x.from - y.from || x.slot - y.slot);
  return { from: q.from, to: q.to, through, bars, blocks };
}

const barOf = (a: StreamAttempt): StreamBar => ({ seq: a.seq, attempt: a.attempt, slot: a.slot, start: a.start, end: a.end, outcome: streamOutcome(a.outcome) });

function count(b: StreamBlock, a: StreamAttempt): StreamBlock {
  b.count++;
  const o = streamOutcome(a.outcome);
  if (o === 'ok') b.ok++;
  else if (o === 'failed') b.failed++;
  else if (o === 'killed') b.killed++;
  else b.other++;
  return b;
}
