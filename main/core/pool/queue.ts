import { Bitset } from './bitset.js';

/** The dispatch queue: four members, like Piscina's TaskQueue, so orderings can be swapped. */
export interface TaskQueue {
  readonly size: number;
  shift(): number | undefined;
  remove(seq: number): boolean;
  push(seq: number): void;
  /** Put a task back at the front (a retry keeps its place ahead of untouched inputs). */
  unshift(seq: number): void;
  toArray(): number[];
}

/** Array-backed FIFO with a moving head; O(1) shift without Array.prototype.shift's copying. */
export class FifoQueue implements TaskQueue {
  #items: number[] = [];
  #head = 0;

  constructor(seqs: Iterable<number> = []) {
    for (const s of seqs) this.#items.push(s);
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  shift(): number | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const v = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return v;
  }

  push(seq: number): void {
    this.#items.push(seq);
  }

  unshift(seq: number): void {
    if (this.#head > 0) this.#items[--this.#head] = seq;
    else this.#items.unshift(seq);
  }

  remove(seq: number): boolean {
    const i = this.#items.indexOf(seq, this.#head);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  toArray(): number[] {
    return this.#items.slice(this.#head);
  }
}

/**
 * The dispatch queue of a job of any size, without an entry per input: a cursor over the dispatch
 * order (input order, or a Uint32Array permutation of 4 bytes per input for longest-first), a
 * bit per seq for "left the queue" (dispatched or removed), and a small FIFO in front for retries.
 * A streamed source of unknown length grows `total` as its inputs arrive (grow()).
 */
export class CursorQueue implements TaskQueue {
  readonly #front = new FifoQueue();
  readonly #back: number[] = [];
  #order: Uint32Array | null;
  #skip: Bitset | null;
  #taken: Bitset;
  #total: number;
  #cursor = 0;
  #ahead: number;

  constructor(total: number, order: Uint32Array | null = null, skip: Bitset | null = null) {
    this.#total = total;
    this.#order = order;
    this.#skip = skip;
    this.#taken = new Bitset(total);
    this.#ahead = total - (skip?.count ?? 0);
  }

  get size(): number {
    return this.#front.size + this.#ahead + this.#back.length;
  }

  /** More inputs arrived (stdin): seqs up to `total` join the back of the input order. */
  grow(total: number): void {
    if (total <= this.#total) return;
    if (this.#order || this.#skip) throw new Error('CursorQueue.grow: a streamed job has no dispatch order or skip set');
    this.#taken.grow(total);
    this.#ahead += total - this.#total;
    this.#total = total;
  }

  shift(): number | undefined {
    const f = this.#front.shift();
    if (f !== undefined) return f;
    while (this.#ahead > 0 && this.#cursor < this.#total) {
      const seq = this.#order ? this.#order[this.#cursor] : this.#cursor + 1;
      this.#cursor++;
      if (this.#skip?.has(seq) || this.#taken.has(seq)) continue;
      this.#taken.add(seq);
      this.#ahead--;
      return seq;
    }
    return this.#back.shift();
  }

  push(seq: number): void {
    this.#back.push(seq);
  }

  unshift(seq: number): void {
    this.#front.unshift(seq);
  }

  remove(seq: number): boolean {
    if (this.#front.remove(seq)) return true;
    const i = this.#back.indexOf(seq);
    if (i >= 0) {
      this.#back.splice(i, 1);
      return true;
    }
    if (seq < 1 || seq > this.#total || this.#taken.has(seq) || this.#skip?.has(seq)) return false;
    this.#taken.add(seq);
    this.#ahead--;
    return true;
  }

  /** Every queued seq in dispatch order: for tests and small queues (it allocates one entry each). */
  toArray(): number[] {
    const out = this.#front.toArray();
    for (let c = this.#cursor; c < this.#total; c++) {
      const seq = this.#order ? this.#order[c] : c + 1;
      if (!this.#skip?.has(seq) && !this.#taken.has(seq)) out.push(seq);
    }
    return out.concat(this.#back);
  }
}
