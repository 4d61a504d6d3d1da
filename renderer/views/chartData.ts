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
