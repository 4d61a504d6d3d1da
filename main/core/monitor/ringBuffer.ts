import type { SeriesPoint } from '../../contract/types.js';

/**
 * A fixed-capacity series (time, cpu, rss, procs) in typed arrays: pushing never allocates,
 * and the oldest point is overwritten once full.
 */
export class SeriesRing {
  readonly capacity: number;
  #t: Float64Array;
  #cpu: Float64Array;
  #rss: Float64Array;
  #procs: Uint32Array;
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
    this.#t = new Float64Array(capacity);
    this.#cpu = new Float64Array(capacity);
    this.#rss = new Float64Array(capacity);
    this.#procs = new Uint32Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  push(p: SeriesPoint): void {
    const i = (this.#start + this.#length) % this.capacity;
    this.#t[i] = p.t;
    this.#cpu[i] = p.cpu;
    this.#rss[i] = p.rss;
    this.#procs[i] = p.procs;
    if (this.#length < this.capacity) this.#length++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  #at(k: number): SeriesPoint {
    const i = (this.#start + k) % this.capacity;
    return { t: this.#t[i], cpu: this.#cpu[i], rss: this.#rss[i], procs: this.#procs[i] };
  }

  last(): SeriesPoint | undefined {
    return this.#length === 0 ? undefined : this.#at(this.#length - 1);
  }

  /** Oldest first */
  toArray(): SeriesPoint[] {
    const out: SeriesPoint[] = new Array(this.#length);
    for (let k = 0; k < this.#length; k++) out[k] = this.#at(k);
    return out;
  }

  clear(): void {
    this.#start = 0;
    this.#length = 0;
  }
}

/**
 * Shrinks a series to at most maxPoints keeping each bucket's min and max CPU (so spikes and
 * dips survive), in time order; first and last points are always kept.
 */
export function downsample(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  if (maxPoints < 1) return [];
  if (points.length <= maxPoints) return points.slice();
  if (maxPoints < 4) {
    return maxPoints === 1 ? [points[points.length - 1]] : [points[0], points[points.length - 1]].slice(0, maxPoints);
  }
  const inner = points.length - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: SeriesPoint[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (points[i].cpu < points[lo].cpu) lo = i;
      if (points[i].cpu > points[hi].cpu) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  out.push(points[points.length - 1]);
  return out;
}
