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
