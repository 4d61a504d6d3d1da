import type { StreamBlock, StreamOutcome, StreamQuery, StreamSlice } from '../../main/contract/stream.js';
import type { TaskInfo } from '../../main/contract/types.js';

// getStream for the simulator, by the supervisor's rule (main/core/pool/streamQuery.ts, which the
// renderer may not import): attempts at least two pixels wide are bars, thinner ones gather in
// per-lane blocks two pixels wide, a block of one is its bar. Lets the soak measure the same DOM.

const outcomeOf = (o: TaskInfo['outcome']): StreamOutcome => (o === 'ok' || o === 'killed' || o === 'interrupted' || o === 'skipped' ? o : 'failed');

export function mockStream(tasks: readonly TaskInfo[], q: StreamQuery, through: number): StreamSlice {
  const bucket = Math.max(1, ((q.to - q.from) / q.px) * 2);
  const out: StreamSlice = { from: q.from, to: q.to, through, bars: [], blocks: [] };
  const buckets = new Map<string, { first: TaskInfo; block: StreamBlock }>();
  for (const t of tasks) {
    if (t.startedAt === null || t.endedAt === null || t.slot === null || t.endedAt < q.from || t.startedAt > q.to) continue;
    const bar = { seq: t.seq, attempt: t.attempt, slot: t.slot, start: t.startedAt, end: t.endedAt, outcome: outcomeOf(t.outcome) };
    if (t.endedAt - t.startedAt >= bucket) {
      out.bars.push(bar);
      continue;
    }
    const key = `${t.slot}:${Math.floor((t.startedAt - q.from) / bucket)}`;
    const b = buckets.get(key)?.block ?? { slot: t.slot, from: t.startedAt, to: t.endedAt, count: 0, ok: 0, failed: 0, killed: 0, other: 0 };
    if (!buckets.has(key)) buckets.set(key, { first: t, block: b });
    b.from = Math.min(b.from, t.startedAt);
    b.to = Math.max(b.to, t.endedAt);
    b.count++;
    if (bar.outcome === 'ok') b.ok++;
    else if (bar.outcome === 'failed') b.failed++;
    else if (bar.outcome === 'killed') b.killed++;
    else b.other++;
  }
  for (const { first, block } of buckets.values()) {
    if (block.count > 1) out.blocks.push(block);
    else out.bars.push({ seq: first.seq, attempt: first.attempt, slot: first.slot!, start: first.startedAt!, end: first.endedAt!, outcome: outcomeOf(first.outcome) });
  }
  return out;
}
