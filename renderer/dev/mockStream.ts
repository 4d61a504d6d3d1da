import type { StreamBar, StreamBlock, StreamOutcome, StreamQuery, StreamSlice } from '../../main/contract/stream.js';
import type { TaskInfo } from '../../main/contract/types.js';

// getStream for the simulator, by the supervisor's rule (main/core/pool/streamQuery.ts, which the
// renderer may not import): attempts at least two pixels wide are bars, thinner ones gather in
// per-lane blocks, a block of one is its bar, and past 3 000 items the blocks widen. The soak
// then measures the stream's real DOM.

const maxItems = 3000; // MAX_STREAM_ITEMS

const outcomeOf = (o: TaskInfo['outcome']): StreamOutcome => (o === 'ok' || o === 'killed' || o === 'interrupted' || o === 'skipped' ? o : 'failed');

type Entry = { block: StreamBlock; bar: StreamBar | null };

export function mockStream(tasks: readonly TaskInfo[], q: StreamQuery, through: number): StreamSlice {
  let entries: Entry[] = [];
  for (const t of tasks) {
    if (t.startedAt === null || t.endedAt === null || t.slot === null || t.endedAt < q.from || t.startedAt > q.to) continue;
    const outcome = outcomeOf(t.outcome);
    const block = { slot: t.slot, from: t.startedAt, to: t.endedAt, count: 1, ok: +(outcome === 'ok'), failed: +(outcome === 'failed'), killed: +(outcome === 'killed'), other: 0 };
    block.other = 1 - block.ok - block.failed - block.killed;
    entries.push({ block, bar: { seq: t.seq, attempt: t.attempt, slot: t.slot, start: t.startedAt, end: t.endedAt, outcome } });
  }
  let bucket = Math.max(1, ((q.to - q.from) / q.px) * 2);
  entries = rebucket(entries, q.from, bucket);
  while (entries.length > maxItems) {
    bucket *= Math.max(2, Math.ceil(entries.length / maxItems));
    entries = rebucket(entries, q.from, bucket);
  }
  return { from: q.from, to: q.to, through, bars: entries.flatMap((e) => (e.bar ? [e.bar] : [])), blocks: entries.flatMap((e) => (e.bar ? [] : [e.block])) };
}

function rebucket(entries: readonly Entry[], from: number, bucket: number): Entry[] {
  const long = entries.filter((e) => e.bar && e.block.to - e.block.from >= bucket);
  const byKey = new Map<string, Entry>();
  for (const e of entries) {
    if (e.bar && e.block.to - e.block.from >= bucket) continue;
    const key = `${e.block.slot}:${Math.floor((e.block.from - from) / bucket)}`;
    const acc = byKey.get(key);
    if (!acc) {
      byKey.set(key, e);
      continue;
    }
    const b = acc.bar ? { ...acc.block } : acc.block;
    b.from = Math.min(b.from, e.block.from);
    b.to = Math.max(b.to, e.block.to);
    b.count += e.block.count;
    b.ok += e.block.ok;
    b.failed += e.block.failed;
    b.killed += e.block.killed;
    b.other += e.block.other;
    byKey.set(key, { block: b, bar: null });
  }
  return long.concat([...byKey.values()]);
}
