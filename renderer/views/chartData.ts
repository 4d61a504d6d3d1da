import type { PoolSample, SeriesPoint } from '../../main/contract/types.js';
import { bucketRows, minMaxBuckets } from '../lib/downsample.js';
import type { Ring } from '../lib/ring.js';

// Turns ring buffers into recharts rows, downsampled to the chart's width.

export const maxSlotLines = 16;

export interface PoolRow {
  t: number;
  cpu: number;
  rss: number;
  queued: number;
  running: number;
}

export function poolRows(pool: Ring<PoolSample>, width: number, by: keyof PoolRow = 'cpu', since = 0): PoolRow[] {
  const rows: PoolRow[] = [];
  for (let i = 0; i < pool.size; i++) {
    const p = pool.at(i) as PoolSample;
    if (p.time >= since) rows.push({ t: p.time, cpu: p.cpuPercent, rss: p.rss, queued: p.queued, running: p.running });
  }
  return minMaxBuckets(rows, Math.max(1, Math.floor(width / 2)), (r) => r[by]);
}

export type SlotRow = { t: number } & Record<string, number>;

/**
 * One row per tick with a column per slot (`s1`, `s2`, …) of `field`; past `maxSlotLines` slots
 * the rest are summed into `other` so the chart stays legible at 64 slots.
 */
export function slotRows(
  slots: Map<number, Ring<SeriesPoint>>,
  field: 'cpu' | 'rss',
  width: number,
): { rows: SlotRow[]; keys: string[] } {
  const ids = [...slots.keys()].sort((a, b) => a - b);
  const shown = ids.length > maxSlotLines ? ids.slice(0, maxSlotLines - 1) : ids;
  const shownSet = new Set(shown);
  const byTime = new Map<number, SlotRow>();
  for (const id of ids) {
    const ring = slots.get(id) as Ring<SeriesPoint>;
    const key = shownSet.has(id) ? `s${id}` : 'other';
    for (let i = 0; i < ring.size; i++) {
      const p = ring.at(i) as SeriesPoint;
      let row = byTime.get(p.t);
      if (!row) byTime.set(p.t, (row = { t: p.t } as SlotRow));
      row[key] = (row[key] ?? 0) + p[field];
    }
  }
  const rows = [...byTime.values()].sort((a, b) => a.t - b.t);
  const keys = shown.map((id) => `s${id}`);
  if (ids.length > shown.length) keys.push('other');
  // Missing samples (a slot added mid-way) read as 0 so stacks stay continuous.
  for (const r of rows) for (const k of keys) r[k] ??= 0;
  return { rows: bucketRows(rows, Math.max(1, Math.floor(width / 2))), keys };
}

/** Per-slot values stacked into columns of one pixel each, ready for a canvas. */
export interface SlotStack {
  /** Time of each column that has data, ascending. */
  times: number[];
  keys: string[];
  /** tops[k][i]: the stack's height after key k at column i (cumulative). */
  tops: Float64Array[];
  t0: number;
  t1: number;
  max: number;
}

/**
 * Stacks each slot's `field` (first `maxSlotLines - 1` slots by id, the rest summed as `other`)
 * into at most `cols` columns between the oldest and newest sample: one point per pixel, whatever
 * the history length. A slot without a sample in a column counts 0 there.
 */
export function slotStack(slots: Map<number, Ring<SeriesPoint>>, field: 'cpu' | 'rss', cols: number, ended?: Ring<SeriesPoint>): SlotStack {
  const slotIds = [...slots.keys()].sort((a, b) => a - b);
  const shown = slotIds.length > maxSlotLines ? slotIds.slice(0, maxSlotLines - 1) : slotIds;
  const keys = shown.map((id) => `s${id}`);
  if (slotIds.length > shown.length) keys.push('other');
  // CPU of tasks that ended between samples: a band of its own on top, only where there is some.
  const withEnded = ended !== undefined && ended.size > 0 && someAbove0(ended);
  const ids: (number | 'ended')[] = withEnded ? [...slotIds, 'ended'] : slotIds;
  if (withEnded) keys.push('ended');
  const ringOf = (id: number | 'ended') => (id === 'ended' ? ended! : slots.get(id)!);
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const ring of slots.values()) {
    if (ring.size === 0) continue;
    t0 = Math.min(t0, (ring.at(0) as SeriesPoint).t);
    t1 = Math.max(t1, (ring.last() as SeriesPoint).t);
  }
  const n = Math.max(1, Math.floor(cols));
  if (t0 > t1) return { times: [], keys, tops: keys.map(() => new Float64Array(0)), t0: 0, t1: 0, max: 0 };
  const span = t1 - t0;
  const col = (t: number) => (span > 0 ? Math.min(n - 1, Math.max(0, Math.round(((t - t0) / span) * (n - 1)))) : 0);
  const sums = keys.map(() => new Float64Array(n));
  const colTime = new Float64Array(n).fill(NaN);
  const last = new Float64Array(n);
  const seen = new Uint8Array(n);
  ids.forEach((id, i) => {
    const ring = ringOf(id);
    seen.fill(0);
    // The last sample in each column stands for it (decimation, as bucketRows does).
    for (let j = 0; j < ring.size; j++) {
      const p = ring.at(j) as SeriesPoint;
      const c = col(p.t);
      last[c] = p[field];
      seen[c] = 1;
      if (!(colTime[c] >= p.t)) colTime[c] = p.t;
    }
    const sum = sums[id === 'ended' ? keys.length - 1 : Math.min(i, keys.length - (withEnded ? 2 : 1))];
    for (let c = 0; c < n; c++) if (seen[c]) sum[c] += last[c];
  });
  const used: number[] = [];
  for (let c = 0; c < n; c++) if (!Number.isNaN(colTime[c])) used.push(c);
  const tops = keys.map(() => new Float64Array(used.length));
  let max = 0;
  used.forEach((c, i) => {
    let acc = 0;
    for (let k = 0; k < keys.length; k++) {
      acc += sums[k][c];
      tops[k][i] = acc;
    }
    if (acc > max) max = acc;
  });
  return { times: used.map((c) => colTime[c]), keys, tops, t0, t1, max };
}

function someAbove0(ring: Ring<SeriesPoint>): boolean {
  for (let i = 0; i < ring.size; i++) if ((ring.at(i) as SeriesPoint).cpu > 0) return true;
  return false;
}

/** A round axis top at or above `v` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/**
 * The top of a value axis: a round number at or above the data, never below `floor`. recharts'
 * own domain stretches an all-zero series to 0…4, which reads as "1 B…4 B" of real memory.
 */
export function axisTop(max: number, floor: number): number {
  return niceCeil(Number.isFinite(max) ? Math.max(max, floor) : floor);
}

/** About `count` time ticks on whole minutes (or seconds for short spans) between t0 and t1. */
export function timeTicks(t0: number, t1: number, count = 5): number[] {
  if (!(t1 > t0)) return [t0];
  const steps = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);
  const step = steps.find((s) => (t1 - t0) / s <= count) ?? 3_600_000;
  const out: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
  return out.length ? out : [t0, t1];
}

/**
 * Ticks from 0 to a round top at or above max(max, floor), at most five intervals of 1, 2, 2.5 or
 * 5 × 10^k. With base 1024 the steps are round in the value's binary unit (100 MiB, not 95.4 MiB).
 */
export function valueTicks(max: number, floor: number, base: 1 | 1024): number[] {
  const v = Number.isFinite(max) ? Math.max(max, floor) : floor;
  if (!(v > 0)) return [0, 1];
  const unit = base === 1 ? 1 : base ** Math.max(0, Math.floor(Math.log(v) / Math.log(base)));
  const raw = v / unit / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * p >= raw * (1 - 1e-12)) ?? 10) * p;
  const n = Math.ceil((v / unit / step) * (1 - 1e-12));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)) * unit);
}
