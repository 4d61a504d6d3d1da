import type { StreamBlock, StreamSlice } from '../../main/contract/stream.js';
import { formatClock } from '../lib/format.js';
import type { Bar, BarStatus } from '../store/seriesStore.js';

// What the task stream draws: the supervisor's slice of the shown stretch (ended attempts as
// bars, or blocks where they are thinner than a pixel), plus from the ticks the running bars and
// the ones that ended after the slice was read.

/** A bar, or a block of attempts standing in for the bars too thin to draw (seq 0). */
export interface StreamItem extends Bar {
  block?: StreamBlock;
}

export function blockStatus(b: StreamBlock): BarStatus {
  if (b.failed > 0) return 'failed';
  if (b.killed > 0) return 'killed';
  if (b.ok > 0) return 'ok';
  return 'interrupted';
}

export function blockItem(b: StreamBlock): StreamItem {
  return { key: `block:${b.slot}:${b.from}:${b.to}`, seq: 0, attempt: 0, slot: b.slot, start: b.from, end: b.to, status: blockStatus(b), block: b };
}

/** "312 attempts, 3 failed, 10:02:11–10:02:40" (outcomes other than ok named only when present). */
export function blockLabel(b: StreamBlock): string {
  const parts = [`${b.count} attempts`];
  if (b.failed) parts.push(`${b.failed} failed`);
  if (b.killed) parts.push(`${b.killed} killed`);
  if (b.other) parts.push(`${b.other} interrupted or skipped`);
  return `${parts.join(', ')}, ${formatClock(b.from)}–${formatClock(b.to)}`;
}

/** The slice's bars and blocks as stream items. */
export function sliceItems(slice: StreamSlice): StreamItem[] {
  const bars: StreamItem[] = slice.bars.map((b) => {
    const item: StreamItem = { key: `${b.seq}:${b.attempt}`, seq: b.seq, attempt: b.attempt, slot: b.slot, start: b.start, end: b.end, status: b.outcome };
    if (b.of !== undefined) item.of = b.of;
    if (b.ended !== undefined) item.ended = b.ended;
    return item;
  });
  return bars.concat(slice.blocks.map(blockItem));
}

/** Ended bars from ticks that the slice does not hold: those that ended after it was read. */
export function endedAfter(bars: readonly Bar[], through: number): Bar[] {
  let all = true;
  for (const b of bars) if (b.end === null || b.end <= through) all = false;
  return all ? (bars as Bar[]) : bars.filter((b) => b.end !== null && b.end > through);
}

const sameItem = (a: StreamItem, b: StreamItem) =>
  a.start === b.start && a.end === b.end && a.slot === b.slot && a.status === b.status && a.of === b.of && a.block?.count === b.block?.count && a.block?.failed === b.block?.failed;

/** "attempt 1 of 3: failed, exit 3"; a task's only attempt "attempt 1 · ok" */
export function attemptText(b: Bar): string {
  const of = b.of !== undefined && b.of > 1 ? ` of ${b.of}` : '';
  return of ? `attempt ${b.attempt}${of}: ${b.ended ?? b.status}` : `attempt ${b.attempt} · ${b.ended ?? b.status}`;
}

/** The new items, reusing the previous object of each unchanged one (its memoised rect then skips rendering). */
export function keepUnchanged(next: StreamItem[], prev: ReadonlyMap<string, StreamItem>): StreamItem[] {
  return next.map((item) => {
    const old = prev.get(item.key);
    return old && sameItem(old, item) ? old : item;
  });
}

/**
 * Items in groups by start time (16 across the stretch), a group kept as the same array while it
 * holds the same objects: a merged answer re-renders only the groups it touched, not every rect.
 */
export function groupItems(items: readonly StreamItem[], from: number, to: number, prev: readonly (readonly StreamItem[])[]): StreamItem[][] {
  const n = 16;
  const w = Math.max(1, (to - from) / n);
  const groups: StreamItem[][] = Array.from({ length: n }, () => []);
  for (const i of items) groups[Math.min(n - 1, Math.max(0, Math.floor((i.start - from) / w)))].push(i);
  return groups.map((g, k) => {
    const p = prev[k];
    return p && p.length === g.length && p.every((x, j) => x === g[j]) ? (p as StreamItem[]) : g;
  });
}
