/** One bit per sequence number (1-based): 10 M seqs cost 1.25 MB, where a Set<number> costs hundreds. */
export class Bitset {
  readonly #words: Uint32Array;
  #count = 0;

  constructor(readonly size: number) {
    this.#words = new Uint32Array(Math.ceil((size + 1) / 32));
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
