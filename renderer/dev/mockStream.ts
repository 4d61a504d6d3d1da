import type { StreamBar, StreamQuery, StreamSlice } from '../../main/contract/stream.js';
import type { TaskInfo } from '../../main/contract/types.js';
import { barEntry, bucketed, MAX_STREAM_ITEMS, split } from '../views/streamBuckets.js';

// getStream for the simulator, by the supervisor's rule (main/core/pool/streamQuery.ts, which the
// renderer may not import; the bucket rule is views/streamBuckets.ts): attempts at least two
// pixels wide are bars, thinner ones gather in per-lane blocks, a block of one is its bar, past
// 3 000 items the blocks widen; `since` and `bucketMs` answer only what ended since, on the
// earlier answer's buckets. The soak then measures the stream's real DOM.

const outcomeOf = (o: TaskInfo['outcome']): StreamBar['outcome'] => (o === 'ok' || o === 'killed' || o === 'interrupted' || o === 'skipped' ? o : 'failed');

export function mockStream(tasks: readonly TaskInfo[], q: StreamQuery, through: number): StreamSlice {
  const since = q.since ?? -Infinity;
  const found = [];
  for (const t of tasks) {
    if (t.startedAt === null || t.endedAt === null || t.slot === null || t.endedAt < q.from || t.startedAt > q.to || t.endedAt <= since) continue;
    found.push(barEntry({ seq: t.seq, attempt: t.attempt, slot: t.slot, start: t.startedAt, end: t.endedAt, outcome: outcomeOf(t.outcome) }));
  }
  let bucket = Math.max(1, ((q.to - q.from) / q.px) * 2, q.bucketMs ?? 0);
  let entries = bucketed(found, q.from, bucket);
  while (entries.length > MAX_STREAM_ITEMS) {
    bucket *= Math.max(2, Math.ceil(entries.length / MAX_STREAM_ITEMS));
    entries = bucketed(entries, q.from, bucket);
  }
  return { from: q.from, to: q.to, through, ...split(entries), bucketMs: bucket, droppedAttempts: 0, ...(q.since === undefined ? {} : { since: q.since }) };
}
