/**
 * Entries by seq in one fixed arena outside V8's heap: a Buffer of the budget's size used as a
 * ring (each entry written at the head; the oldest evicted when the head wraps onto them) and an
 * open-addressing hash seq → offset in typed arrays. A kept entry costs no JS object, so V8's
 * growing factor (old space up to ~3× the live set) has nothing of it to multiply (issue 9, item
 * 22: the two budgets of ended tasks were ~900 000 small objects, strings and Map entries).
 *
 * In the arena an entry is [seq u32][payload length u32][payload], padded to 8 bytes and at least
 * MIN_ENTRY long: that bounds the number of entries (budget / MIN_ENTRY), so the hash stays at
 * most 16 bytes per possible entry (its load is kept ≤ 1/2). A dropped or replaced entry leaves
 * its bytes behind until the head passes over them (counted in `used`, not in `held`).
 */
const HEADER = 8;
/**
 * Smallest room an entry takes in the arena: 32 MiB hold at most 256 K entries (as many tiny ones as
 * the heap-object budget kept: 136 bytes each), so the index is at most 4 MiB (64: 8 MiB).
 */
export const MIN_ENTRY = 128;
const MIN_SLOTS = 1024;

export class ByteRing {
  readonly #arena: Buffer;
  #keys = new Uint32Array(MIN_SLOTS); // seq, 0 = empty (seqs start at 1)
  #offsets = new Uint32Array(MIN_SLOTS);
  #count = 0;
  #held = 0;
  // Entries lie in [tail, head) or, once wrapped, in [tail, limit) then [0, head).
  #head = 0;
  #tail = 0;
  #limit = 0;
  #wrapped = false;
  #inRing = 0; // entries in the arena, live or not

  /** size: the arena's bytes (the budget), allocated at once; its pages become resident as they are written. */
  constructor(readonly size: number) {
    this.#arena = Buffer.allocUnsafeSlow(Math.max(0, size));
  }

  /** Live entries. */
  get count(): number {
    return this.#count;
  }

  /** Arena bytes the live entries take (headers and padding included). */
  get held(): number {
    return this.#held;
  }

  /** Slots of the hash (a test checks it stays bounded). */
  get indexSlots(): number {
    return this.#keys.length;
  }

  /** Room an entry with this payload takes in the arena. */
  static footprint(payloadBytes: number): number {
    return Math.max(MIN_ENTRY, (HEADER + payloadBytes + 7) & ~7);
  }

  has(seq: number): boolean {
    return this.#find(seq) >= 0;
  }

  /** The entry's payload as a view into the arena (valid until the next put), or null. */
  get(seq: number): Buffer | null {
    const i = this.#find(seq);
    if (i < 0) return null;
    const at = this.#offsets[i];
    return this.#arena.subarray(at + HEADER, at + HEADER + this.#arena.readUInt32LE(at + 4));
  }

  /**
   * Writes an entry of `length` payload bytes for seq (replacing any earlier one) and returns the
   * payload's view for the caller to fill, evicting the oldest entries it needs the room of; null
   * (and nothing kept for seq) when one entry is larger than the whole arena.
   */
  put(seq: number, length: number): Buffer | null {
    this.delete(seq);
    const n = ByteRing.footprint(length);
    if (n > this.size) return null;
    const at = this.#alloc(n);
    this.#arena.writeUInt32LE(seq, at);
    this.#arena.writeUInt32LE(length, at + 4);
    this.#insert(seq, at);
    this.#held += n;
    this.#inRing++;
    return this.#arena.subarray(at + HEADER, at + HEADER + length);
  }

  delete(seq: number): boolean {
    const i = this.#find(seq);
    if (i < 0) return false;
    this.#held -= ByteRing.footprint(this.#arena.readUInt32LE(this.#offsets[i] + 4));
    this.#removeSlot(i);
    return true;
  }

  /** Drops every entry. */
  clear(): void {
    this.#keys.fill(0);
    this.#count = this.#held = this.#inRing = 0;
    this.#head = this.#tail = this.#limit = 0;
    this.#wrapped = false;
  }

  /** Live entries oldest first, payloads as views (do not put while iterating). */
  *entries(): Generator<[number, Buffer]> {
    let at = this.#tail;
    let wrapped = this.#wrapped;
    for (let k = 0; k < this.#inRing; k++) {
      if (wrapped && at === this.#limit) {
        at = 0;
        wrapped = false;
      }
      const seq = this.#arena.readUInt32LE(at);
      const length = this.#arena.readUInt32LE(at + 4);
      const i = this.#find(seq);
      if (i >= 0 && this.#offsets[i] === at) yield [seq, this.#arena.subarray(at + HEADER, at + HEADER + length)];
      at += ByteRing.footprint(length);
    }
  }

  #alloc(n: number): number {
    for (;;) {
      if (this.#inRing === 0) this.#head = this.#tail = 0;
      if (!this.#wrapped) {
        if (this.#head + n <= this.size) break;
        // Not enough room before the end: start again at 0, over the oldest entries.
        this.#limit = this.#head;
        this.#head = 0;
        this.#wrapped = true;
      } else if (this.#head + n <= this.#tail) break;
      else this.#evictOldest();
    }
    const at = this.#head;
    this.#head += n;
    return at;
  }

  #evictOldest(): void {
    const at = this.#tail;
    const seq = this.#arena.readUInt32LE(at);
    const length = this.#arena.readUInt32LE(at + 4);
    const i = this.#find(seq);
    if (i >= 0 && this.#offsets[i] === at) {
      this.#held -= ByteRing.footprint(length);
      this.#removeSlot(i);
    }
    this.#inRing--;
    this.#tail = at + ByteRing.footprint(length);
    if (this.#tail === this.#limit && this.#wrapped) {
      this.#tail = 0;
      this.#wrapped = false;
    }
  }

  #slot(seq: number): number {
    // Fibonacci hashing: consecutive seqs spread over the table.
    return Math.imul(seq, 0x9e3779b1) >>> 0 & (this.#keys.length - 1);
  }

  #find(seq: number): number {
    const mask = this.#keys.length - 1;
    for (let i = this.#slot(seq); ; i = (i + 1) & mask) {
      const k = this.#keys[i];
      if (k === seq) return i;
      if (k === 0) return -1;
    }
  }

  #insert(seq: number, at: number): void {
    if ((this.#count + 1) * 2 > this.#keys.length) this.#resize(this.#keys.length * 2);
    const mask = this.#keys.length - 1;
    let i = this.#slot(seq);
    while (this.#keys[i] !== 0) i = (i + 1) & mask;
    this.#keys[i] = seq;
    this.#offsets[i] = at;
    this.#count++;
  }

  #resize(slots: number): void {
    const keys = this.#keys;
    const offsets = this.#offsets;
    this.#keys = new Uint32Array(slots);
    this.#offsets = new Uint32Array(slots);
    this.#count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.#insert(keys[i], offsets[i]);
  }

  /** Linear-probing delete with backward shift: no tombstones, so lookups stay short. */
  #removeSlot(i: number): void {
    const mask = this.#keys.length - 1;
    let hole = i;
    for (let j = (i + 1) & mask; this.#keys[j] !== 0; j = (j + 1) & mask) {
      const home = this.#slot(this.#keys[j]);
      // j's entry may move into the hole if its home is not within (hole, j] cyclically.
      if ((j > hole && (home <= hole || home > j)) || (j < hole && home <= hole && home > j)) {
        this.#keys[hole] = this.#keys[j];
        this.#offsets[hole] = this.#offsets[j];
        hole = j;
      }
    }
    this.#keys[hole] = 0;
    this.#count--;
  }
}
