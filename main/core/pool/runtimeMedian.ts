/** Finished runtimes kept exactly up to this many; then a histogram (the sort per tick stops growing). */
const EXACT = 10_000;
/** Bucket width of the histogram: 1 % of the runtime, 2 300 buckets up to ~100 days. */
const RATIO = Math.log(1.01);
const BUCKETS = 2300;

/**
 * The median runtime of finished tasks (the stuck rule's "overdue" and `timeout: 300%` read it
 * every tick). An array of every runtime sorted per tick grew and slowed a long run (issue 9,
 * item 24); this is exact for the first 10 000 and within 1 % after, in a fixed 9 KB.
 */
export class RuntimeMedian {
  #exact: number[] | null = [];
  #sorted: Float64Array | null = null;
  readonly #hist = new Uint32Array(BUCKETS);
  #count = 0;

  get length(): number {
    return this.#count;
  }

  push(ms: number): void {
    this.#count++;
    if (this.#exact) {
      this.#exact.push(ms);
      this.#sorted = null;
      if (this.#exact.length <= EXACT) return;
      for (const v of this.#exact) this.#hist[bucketOf(v)]++;
      this.#exact = null;
      return;
    }
    this.#hist[bucketOf(ms)]++;
  }

  median(): number {
    if (this.#count === 0) return NaN;
    if (this.#exact) {
      const s = (this.#sorted ??= Float64Array.from(this.#exact).sort());
      const m = s.length >> 1;
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
    const half = this.#count / 2;
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.#hist[b];
      if (seen >= half) return Math.exp((b + 0.5) * RATIO) - 1;
    }
    return Math.exp(BUCKETS * RATIO) - 1;
  }
}

function bucketOf(ms: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor(Math.log1p(Math.max(0, ms)) / RATIO)));
}
