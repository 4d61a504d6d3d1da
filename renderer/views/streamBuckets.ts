import type { StreamBar, StreamBlock, StreamSlice } from '../../main/contract/stream.js';

// The supervisor's bucket rule for the task stream (main/core/pool/streamQuery.ts, which the
// renderer may not import), for what the renderer does with it: merging an answer of what changed
// into the answer it follows (streamSlice.ts), and the simulator's getStream (dev/mockStream.ts).
// An attempt at least a bucket long is a bar; thinner ones share per-lane buckets `bucket` wide
// counted from the stretch's start, and a bucket of more than one is a block.

export const MAX_STREAM_ITEMS = 3000;
/**
 * A merge may grow the answer to this many items, then the whole stretch is asked again: a full
 * answer that had to be widened holds ~1 500–2 500, and merging on up to 3 000 kept the stream's
 * DOM (and the soak's heap at the end) a fifth larger than asking again would.
 */
export const MAX_MERGED_ITEMS = 2000;

export interface Entry {
  block: StreamBlock;
  bar: StreamBar | null;
}

export function barEntry(bar: StreamBar): Entry {
  const o = bar.outcome;
  const block = { slot: bar.slot, from: bar.start, to: bar.end, count: 1, ok: +(o === 'ok'), failed: +(o === 'failed'), killed: +(o === 'killed'), other: +(o === 'interrupted' || o === 'skipped') };
  return { block, bar };
}

/** Bars at least `bucket` long stay; everything else merges per lane into buckets `bucket` wide. */
export function bucketed(entries: Iterable<Entry>, from: number, bucket: number): Entry[] {
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
    else if (acc.bar) lane.set(k, { block: added({ ...acc.block }, e.block), bar: null });
    else added(acc.block, e.block); // a block made here: grown in place
  }
  for (const lane of lanes.values()) for (const e of lane.values()) out.push(e);
  return out;
}

function added(a: StreamBlock, b: StreamBlock): StreamBlock {
  a.from = Math.min(a.from, b.from);
  a.to = Math.max(a.to, b.to);
  a.count += b.count;
  a.ok += b.ok;
  a.failed += b.failed;
  a.killed += b.killed;
  a.other += b.other;
  return a;
}

/** Entries as a slice's bars and blocks. */
export function split(entries: readonly Entry[]): Pick<StreamSlice, 'bars' | 'blocks'> {
  const bars: StreamBar[] = [];
  const blocks: StreamBlock[] = [];
  for (const e of entries) {
    if (e.bar) bars.push(e.bar);
    else blocks.push(e.block);
  }
  return { bars, blocks };
}

/**
 * An answer of what ended since `prev.through` (same stretch, same buckets) merged into `prev`:
 * its new attempts join the blocks or thin bars of the buckets they fall in. Null when the two do
 * not line up (the supervisor widened the buckets) or the merge outgrows MAX_MERGED_ITEMS: ask
 * for the whole stretch again. Objects of `prev` that did not change are kept (their rects skip rendering).
 */
export function mergeSlices(prev: StreamSlice, next: StreamSlice): StreamSlice | null {
  const bucket = prev.bucketMs;
  if (bucket === undefined || next.bucketMs !== bucket || next.from !== prev.from || next.to !== prev.to) return null;
  const keyOf = (slot: number, start: number) => `${slot}:${Math.floor((start - prev.from) / bucket)}`;
  const fresh = [...next.bars.map(barEntry), ...next.blocks.map((block) => ({ block, bar: null }))];
  const touched = new Set<string>();
  for (const e of fresh) if (!e.bar || e.block.to - e.block.from < bucket) touched.add(keyOf(e.block.slot, e.block.from));
  const joining: Entry[] = [];
  const bars = prev.bars.filter((b) => {
    if (b.end - b.start >= bucket || !touched.has(keyOf(b.slot, b.start))) return true;
    joining.push(barEntry(b));
    return false;
  });
  const blocks = prev.blocks.filter((b) => {
    if (!touched.has(keyOf(b.slot, b.from))) return true;
    joining.push({ block: { ...b }, bar: null });
    return false;
  });
  const merged = split(bucketed([...joining, ...fresh], prev.from, bucket));
  if (bars.length + blocks.length + merged.bars.length + merged.blocks.length > MAX_MERGED_ITEMS) return null;
  const { since: _since, ...rest } = next;
  return { ...rest, bars: bars.concat(merged.bars), blocks: blocks.concat(merged.blocks) };
}
