import type { Outcome, PoolSample, SeriesPoint, Snapshot, TaskInfo, Tick } from '../../main/contract/types.js';
import { Ring } from '../lib/ring.js';
import { Emitter } from './emitter.js';
import { liveStates } from './tasksStore.js';

// Time series in bounded ring buffers, plus the task-stream bars of the last few minutes.
// Memory stays flat however long the job runs.

export type BarStatus = 'running' | 'suspect' | 'stuck' | 'stopping' | 'ok' | 'failed' | 'killed' | 'interrupted' | 'skipped';

export interface Bar {
  key: string; // `${seq}:${attempt}`
  seq: number;
  attempt: number;
  slot: number;
  start: number;
  end: number | null; // null while running
  status: BarStatus;
  /** The task's attempts so far, when more than one */
  of?: number;
  /** How it ended ("failed, exit 3"), when not plainly ok */
  ended?: string;
}

export interface SeriesLimits {
  poolPoints: number; // pool history length (ticks)
  slotPoints: number; // per-slot history length (ticks)
  barWindowMs: number; // task stream time window
  maxBars: number; // hard cap on bars kept
}

export const defaultSeriesLimits: SeriesLimits = {
  poolPoints: 1800, // 30 min at 1 Hz
  slotPoints: 600, // 10 min at 1 Hz
  barWindowMs: 5 * 60_000,
  maxBars: 6000,
};

// Killed (by the user) and interrupted (a job stop) are not the task's failures: not red.
function outcomeStatus(o: Outcome | null): BarStatus {
  switch (o) {
    case 'ok': return 'ok';
    case 'killed': return 'killed';
    case 'interrupted': return 'interrupted';
    case 'skipped': return 'skipped';
    default: return 'failed';
  }
}

/** The bar for a task's current/last attempt, or null if it never ran. */
export function barFromTask(t: TaskInfo, now: number): Bar | null {
  if (t.startedAt === null || t.slot === null || t.attempt === 0) return null;
  const live = liveStates.has(t.state);
  let status: BarStatus;
  if (!live) status = outcomeStatus(t.outcome);
  else if (t.state === 'suspect' || t.state === 'stuck') status = t.state;
  else if (t.state === 'stopping') status = 'stopping';
  else status = 'running';
  const bar: Bar = {
    key: `${t.seq}:${t.attempt}`,
    seq: t.seq,
    attempt: t.attempt,
    slot: t.slot,
    start: t.startedAt,
    end: live ? null : (t.endedAt ?? now),
    status,
  };
  if (t.attempt > 1) bar.of = t.attempt;
  const ended = live ? status : endedText(t.outcome, t.exitCode, t.signal);
  if (ended !== status) bar.ended = ended;
  return bar;
}

/** How an attempt ended, as the supervisor words it for the stream (streamQuery.ts endedText). */
export function endedText(outcome: Outcome | null, exitCode: number | null, signal: string | null): string {
  const o = outcome ?? 'failed';
  if (signal) return `${o}, killed by ${signal}`;
  if (o === 'failed' && exitCode !== null) return `${o}, exit ${exitCode}`;
  return o;
}

/** Ended bars are grouped by start time into chunks this long, so a tick re-renders only the chunks it touched. */
export const barChunkMs = 30_000;
const chunkOf = (b: Bar) => Math.floor(b.start / barChunkMs);

export interface BarLayers {
  /** Bars still growing (end === null). */
  running: Bar[];
  /** Ended bars by chunk (start time / barChunkMs), oldest first; an unchanged chunk keeps its array. */
  chunks: [number, Bar[]][];
}

function sameBar(a: Bar, b: Bar): boolean {
  return a.end === b.end && a.status === b.status && a.slot === b.slot && a.start === b.start;
}

const exitPoint = (p: PoolSample, slotCpu: number): SeriesPoint => ({ t: p.time, cpu: Math.max(0, p.cpuPercent - slotCpu), rss: 0, procs: 0 });

export class SeriesStore extends Emitter {
  readonly pool: Ring<PoolSample>;
  readonly slots = new Map<number, Ring<SeriesPoint>>();
  /** Pool CPU no slot sample holds: tasks that ended between samples, measured at exit (pool minus the slots' sum) */
  readonly exitCpu: Ring<SeriesPoint>;
  readonly #bars = new Map<string, Bar>();
  #barsBySlot: { version: number; map: Map<number, Bar[]> } | null = null;
  #layers: { version: number; value: BarLayers } | null = null;
  readonly #chunks = new Map<number, Bar[]>();
  readonly #dirty = new Set<number>();

  constructor(readonly limits: SeriesLimits = defaultSeriesLimits) {
    super();
    this.pool = new Ring(limits.poolPoints);
    this.exitCpu = new Ring(limits.slotPoints);
  }

  get barCount(): number {
    return this.#bars.size;
  }

  applySnapshot(s: Snapshot): void {
    this.pool.clear();
    for (const p of s.pool.slice(-this.limits.poolPoints)) this.pool.push(p);
    this.slots.clear();
    for (const [slot, points] of Object.entries(s.slotHistory)) {
      const ring = new Ring<SeriesPoint>(this.limits.slotPoints);
      for (const p of points.slice(-this.limits.slotPoints)) ring.push(p);
      this.slots.set(Number(slot), ring);
    }
    this.exitCpu.clear();
    const slotCpu = new Map<number, number>();
    for (const points of Object.values(s.slotHistory)) for (const p of points) slotCpu.set(p.t, (slotCpu.get(p.t) ?? 0) + p.cpu);
    for (const p of s.pool.slice(-this.limits.slotPoints)) this.exitCpu.push(exitPoint(p, slotCpu.get(p.time) ?? 0));
    this.#bars.clear();
    this.#chunks.clear();
    this.#dirty.clear();
    const sorted = s.tasks.filter((t) => t.startedAt !== null).sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    this.#addBars(sorted, s.time);
    this.#prune(s.time);
    this.bump();
  }

  /** Applies one tick without notifying; the caller bumps once per frame. */
  applyTick(t: Tick): void {
    this.pool.push(t.pool);
    const present = new Set<number>();
    let slotCpu = 0;
    for (const s of t.slots) {
      slotCpu += s.cpuPercent;
      present.add(s.slot);
      let ring = this.slots.get(s.slot);
      if (!ring) {
        ring = new Ring(this.limits.slotPoints);
        this.slots.set(s.slot, ring);
      }
      ring.push({ t: t.time, cpu: s.cpuPercent, rss: s.rss, procs: s.procs });
    }
    this.exitCpu.push(exitPoint(t.pool, slotCpu));
    // A slot gone from the pool (resized down) takes its history with it.
    for (const slot of [...this.slots.keys()]) if (!present.has(slot)) this.slots.delete(slot);
    this.#addBars(t.tasks, t.time);
    this.#prune(t.time);
  }

  #addBars(tasks: readonly TaskInfo[], now: number): void {
    for (const task of tasks) {
      const bar = barFromTask(task, now);
      if (!bar) continue;
      // A new attempt closes the previous one's bar if we never saw it end.
      const prev = this.#bars.get(`${task.seq}:${task.attempt - 1}`);
      if (prev && prev.end === null) this.#setBar({ ...prev, end: bar.start, status: 'failed', of: task.attempt });
      this.#setBar(bar);
    }
  }

  #setBar(bar: Bar): void {
    const prev = this.#bars.get(bar.key);
    if (prev && prev.end !== null && sameBar(prev, bar)) return; // an ended bar sent again
    if (prev && prev.end !== null) this.#dirty.add(chunkOf(prev));
    if (bar.end !== null) this.#dirty.add(chunkOf(bar));
    this.#bars.set(bar.key, bar);
  }

  #deleteBar(key: string): void {
    const bar = this.#bars.get(key);
    if (bar && bar.end !== null) this.#dirty.add(chunkOf(bar));
    this.#bars.delete(key);
  }

  #prune(now: number): void {
    const cutoff = now - this.limits.barWindowMs;
    for (const [key, bar] of this.#bars) if (bar.end !== null && bar.end < cutoff) this.#deleteBar(key);
    // Map iteration is insertion order: the oldest bars go first.
    if (this.#bars.size > this.limits.maxBars) {
      let excess = this.#bars.size - this.limits.maxBars;
      for (const key of this.#bars.keys()) {
        if (excess-- <= 0) break;
        this.#deleteBar(key);
      }
    }
  }

  /** Bars grouped by slot, cached per version. */
  barsBySlot(): Map<number, Bar[]> {
    if (this.#barsBySlot?.version === this.version) return this.#barsBySlot.map;
    const map = new Map<number, Bar[]>();
    for (const bar of this.#bars.values()) {
      let lane = map.get(bar.slot);
      if (!lane) map.set(bar.slot, (lane = []));
      lane.push(bar);
    }
    this.#barsBySlot = { version: this.version, map };
    return map;
  }

  /** Running bars, and ended bars in chunks whose arrays change only when one of their bars did. */
  barLayers(): BarLayers {
    if (this.#layers?.version === this.version) return this.#layers.value;
    const running: Bar[] = [];
    const rebuilt = new Map<number, Bar[]>();
    for (const key of this.#dirty) rebuilt.set(key, []);
    for (const bar of this.#bars.values()) {
      if (bar.end === null) running.push(bar);
      else rebuilt.get(chunkOf(bar))?.push(bar);
    }
    for (const [key, bars] of rebuilt) {
      if (bars.length) this.#chunks.set(key, bars);
      else this.#chunks.delete(key);
    }
    this.#dirty.clear();
    const value = { running, chunks: [...this.#chunks].sort((a, b) => a[0] - b[0]) };
    this.#layers = { version: this.version, value };
    return value;
  }
}
