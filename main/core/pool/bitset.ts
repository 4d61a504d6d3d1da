/** One bit per sequence number (1-based): 10 M seqs cost 1.25 MB, where a Set<number> costs hundreds. */
export class Bitset {
  #words: Uint32Array;
  #count = 0;
  #size: number;

  constructor(size: number) {
    this.#size = size;
    this.#words = new Uint32Array(Math.ceil((size + 1) / 32));
  }

  get size(): number {
    return this.#size;
  }

  /** Room for seqs up to `size` (a streamed job's inputs keep arriving); capacity doubles, so growing is amortised O(1). */
  grow(size: number): void {
    if (size <= this.#size) return;
    this.#size = size;
    const need = Math.ceil((size + 1) / 32);
    if (need <= this.#words.length) return;
    const words = new Uint32Array(Math.max(need, this.#words.length * 2));
    words.set(this.#words);
    this.#words = words;
  }

  static from(seqs: Iterable<number>, size: number): Bitset {
    const b = new Bitset(size);
    for (const s of seqs) if (s >= 1 && s <= size) b.add(s);
    return b;
  }

  /** How many bits are set. */
  get count(): number {
    return this.#count;
  }

  has(seq: number): boolean {
    return (this.#words[seq >>> 5] & (1 << (seq & 31))) !== 0;
  }

  add(seq: number): void {
    if (this.has(seq)) return;
    this.#words[seq >>> 5] |= 1 << (seq & 31);
    this.#count++;
  }

  delete(seq: number): void {
    if (!this.has(seq)) return;
    this.#words[seq >>> 5] &= ~(1 << (seq & 31));
    this.#count--;
  }
}
