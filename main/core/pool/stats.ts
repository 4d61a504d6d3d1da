export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Values kept for the median: its rank error is about 0.5/√capacity (σ ≈ 0.8 points at 4096). */
const CAPACITY = 4096;

/**
 * The median of a stream in bounded memory: a uniform reservoir sample (Vitter's algorithm R),
 * kept sorted so the median is read without sorting. Exact up to `capacity` values. Chosen over
 * P², which strays far on bimodal runtimes (cache hits and misses); a sample does not care.
 */
export class StreamingMedian {
  readonly #capacity: number;
  readonly #random: () => number;
  /** The sample, ascending */
  readonly #sorted: number[] = [];
  #count = 0;

  constructor(capacity = CAPACITY, random: () => number = Math.random) {
    this.#capacity = capacity;
    this.#random = random;
  }

  get count(): number {
    return this.#count;
  }

  add(x: number): void {
    this.#count++;
    if (this.#sorted.length < this.#capacity) {
      this.#insert(x);
      return;
    }
    // Each value so far stays in the sample with the same chance, capacity / count.
    if (Math.floor(this.#random() * this.#count) >= this.#capacity) return;
    this.#sorted.splice(Math.floor(this.#random() * this.#sorted.length), 1);
    this.#insert(x);
  }

  /** NaN before the first value */
  value(): number {
    const s = this.#sorted;
    if (s.length === 0) return NaN;
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  #insert(x: number): void {
    const s = this.#sorted;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    s.splice(lo, 0, x);
  }
}
