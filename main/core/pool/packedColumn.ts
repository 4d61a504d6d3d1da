const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
/** Values a chunk keeps in a Map before it becomes an array (a Map entry costs ~40 bytes). */
const SPARSE_MAX = 64;

type Narrow = Uint8Array | Uint16Array | Uint32Array;
const NARROW: readonly (new (n: number) => Narrow)[] = [Uint8Array, Uint16Array, Uint32Array];

/**
 * A dense chunk: integers stored as `value × scale - base` in the narrowest unsigned array their
 * spread needs, the array's largest value meaning "the column's default"; or, once a value is no
 * integer once scaled (or the spread needs more than 32 bits), every value raw in a
 * Float64Array.
 */
interface Dense {
  arr: Narrow | Float64Array;
  base: number;
  /** smallest and largest stored value × scale so far (narrow chunks only) */
  lo: number;
  hi: number;
}

/**
 * One number per seq, exact, at a cost that follows what the numbers are: in chunks of 4 096
 * seqs, a chunk where every value is the default costs nothing, one with a few others keeps them
 * in a Map, and a full one stores each value's offset from the chunk's smallest in 1, 2 or 4
 * bytes (8 when a value scaled is not an integer). So times of tasks started close
 * together cost 2 bytes each, not 8; a slot 1; a host's RSS in pages 2 — and a column nobody
 * sets (no task failed) nothing.
 */
export class PackedColumn {
  readonly #dense: (Dense | undefined)[] = [];
  readonly #sparse: (Map<number, number> | undefined)[] = [];
  readonly #dflt: number;
  readonly #scale: number;
  readonly #maxChunks: number;
  /** Chunks holding values (dense or sparse), and when each was last written (counted only with a maxChunks) */
  #chunks = 0;
  readonly #written: number[] = [];
  #clock = 0;

  /**
   * `scale`: what makes the usual value an integer (1 / 4 096 for RSS in pages, 1e6 for CPU
   * seconds measured in µs); a value is stored scaled only when dividing back gives it exactly.
   * `maxChunks`: at most this many chunks hold values; a new one drops the chunk written least
   * recently (its values read as the default again). For figures worth keeping only for the
   * newest tasks: the memory of a column then stops growing with the job.
   */
  constructor(dflt: number, scale = 1, maxChunks = Infinity) {
    this.#dflt = dflt;
    this.#scale = scale;
    this.#maxChunks = maxChunks;
  }

  /** Seqs per chunk. */
  static readonly CHUNK = CHUNK;

  get(i: number): number {
    const ci = i >>> CHUNK_BITS;
    const d = this.#dense[ci];
    if (!d) return this.#sparse[ci]?.get(i) ?? this.#dflt;
    const v = d.arr[i & (CHUNK - 1)];
    if (d.arr instanceof Float64Array) return v;
    return v === sentinel(d.arr) ? this.#dflt : (v + d.base) / this.#scale;
  }

  set(i: number, v: number): void {
    const ci = i >>> CHUNK_BITS;
    if (this.#maxChunks !== Infinity) this.#written[ci] = ++this.#clock;
    const d = this.#dense[ci];
    if (d) {
      this.#store(d, i & (CHUNK - 1), v);
      return;
    }
    let m = this.#sparse[ci];
    if (Object.is(v, this.#dflt)) {
      m?.delete(i);
      return;
    }
    if (!m) {
      if (this.#chunks >= this.#maxChunks) this.#dropOldest(ci);
      m = this.#sparse[ci] = new Map();
      this.#chunks++;
    }
    m.set(i, v);
    if (m.size > SPARSE_MAX) {
      this.#sparse[ci] = undefined;
      const nd: Dense = { arr: new Uint8Array(CHUNK).fill(0xff), base: 0, lo: Infinity, hi: -Infinity };
      this.#dense[ci] = nd;
      for (const [k, x] of m) this.#store(nd, k & (CHUNK - 1), x);
    }
  }

  /** Bytes the column holds (a Map's values counted at ~40 bytes each). */
  get bytes(): number {
    let n = 0;
    for (const d of this.#dense) n += d?.arr.byteLength ?? 0;
    for (const m of this.#sparse) n += (m?.size ?? 0) * 40;
    return n;
  }

  /** Forgets the values of the chunk written least recently (not `keep`, the one being made). */
  #dropOldest(keep: number): void {
    let oldest = -1;
    for (let ci = 0; ci < this.#written.length; ci++) {
      if (ci === keep || (!this.#dense[ci] && !this.#sparse[ci])) continue;
      if (oldest < 0 || this.#written[ci] < this.#written[oldest]) oldest = ci;
    }
    if (oldest < 0) return;
    this.#dense[oldest] = undefined;
    this.#sparse[oldest] = undefined;
    this.#chunks--;
  }

  #store(d: Dense, j: number, v: number): void {
    if (d.arr instanceof Float64Array) {
      d.arr[j] = v;
      return;
    }
    if (Object.is(v, this.#dflt)) {
      d.arr[j] = sentinel(d.arr);
      return;
    }
    const n = Math.round(v * this.#scale);
    if (!Number.isSafeInteger(n) || n / this.#scale !== v) {
      this.#toFloat(d);
      d.arr[j] = v;
      return;
    }
    const lo = Math.min(d.lo, n);
    const hi = Math.max(d.hi, n);
    if (lo === d.lo && hi - lo < sentinel(d.arr)) d.hi = hi; // fits as stored: the usual case
    else this.#refit(d, lo, hi);
    const arr: Narrow | Float64Array = d.arr; // #refit may have made it raw
    arr[j] = arr instanceof Float64Array ? v : n - d.base;
  }

  /** Re-encodes a narrow chunk for a wider spread of values: a new base, a wider array if needed. */
  #refit(d: Dense, lo: number, hi: number): void {
    const old = d.arr as Narrow;
    const ctor = NARROW.find((c) => hi - lo < sentinel(new c(0)));
    if (!ctor) {
      this.#toFloat(d);
      return;
    }
    const arr = ctor === old.constructor ? old : new ctor(CHUNK);
    const was = sentinel(old);
    const none = sentinel(arr);
    for (let j = 0; j < CHUNK; j++) arr[j] = old[j] === was ? none : old[j] + d.base - lo;
    d.arr = arr;
    d.base = lo;
    d.lo = lo;
    d.hi = hi;
  }

  #toFloat(d: Dense): void {
    if (d.arr instanceof Float64Array) return;
    const old = d.arr;
    const was = sentinel(old);
    const arr = new Float64Array(CHUNK);
    for (let j = 0; j < CHUNK; j++) arr[j] = old[j] === was ? this.#dflt : (old[j] + d.base) / this.#scale;
    d.arr = arr;
  }
}

/** The largest value of an unsigned array's element: marks "the default" in a narrow chunk. */
function sentinel(a: Narrow): number {
  return a instanceof Uint8Array ? 0xff : a instanceof Uint16Array ? 0xffff : 0xffff_ffff;
}
