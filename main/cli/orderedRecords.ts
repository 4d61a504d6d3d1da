// --keep-order for whole records (--json objects): a task's records wait until every earlier
// task has ended. What waits is held in memory up to a budget shared by all waiting tasks and in
// one temporary file beyond it, so a slow first task does not grow Corral's memory.
import { SPOOL_MEMORY_BYTES, SpillFile } from '../core/output/spool.js';

/** A record held in memory, or where it is in the spill file. */
type Held = Buffer | { at: number; length: number };

interface Waiting {
  records: Held[];
  ended: boolean;
}

export class OrderedRecords {
  /** The task whose records are written as they come; later tasks' wait */
  #next = 1;
  readonly #waiting = new Map<number, Waiting>();
  #inMemory = 0;
  #file: SpillFile | null = null;
  /** Records in the file not written yet: at none, the file starts over */
  #inFile = 0;

  constructor(
    private readonly emit: (record: Buffer) => void,
    /** A seq that never runs (skipped by --resume): the order goes past it */
    private readonly skipped: (seq: number) => boolean,
    private readonly memoryBytes = SPOOL_MEMORY_BYTES,
  ) {}

  /** One record of task `seq` (an attempt); `last`: the task has no attempt left. */
  add(seq: number, record: Buffer, last: boolean): void {
    // The due task's earlier records went out as it became due (#advance): it writes as it comes.
    if (seq === this.#next) this.emit(record);
    else this.#hold(seq, record);
    if (!last) return;
    this.#entry(seq).ended = true;
    this.#advance();
  }

  /** The run ended: whatever still waits (tasks that never ran left gaps) is written in order. */
  flush(): void {
    for (const seq of [...this.#waiting.keys()].sort((a, b) => a - b)) this.#write(seq);
  }

  /** Records held now (for tests). */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Bytes held in memory now (for tests). */
  get inMemory(): number {
    return this.#inMemory;
  }

  #hold(seq: number, record: Buffer): void {
    const w = this.#entry(seq);
    if (this.#inMemory + record.length <= this.memoryBytes) {
      w.records.push(record);
      this.#inMemory += record.length;
    } else {
      this.#file ??= new SpillFile();
      w.records.push({ at: this.#file.append(record), length: record.length });
      this.#inFile++;
    }
  }

  #entry(seq: number): Waiting {
    let w = this.#waiting.get(seq);
    if (!w) this.#waiting.set(seq, (w = { records: [], ended: false }));
    return w;
  }

  #advance(): void {
    for (;;) {
      while (this.skipped(this.#next)) this.#next++;
      const w = this.#waiting.get(this.#next);
      if (!w?.ended) {
        // The task now due writes as it comes: what it held already goes first.
        if (w) this.#writeHeld(w);
        return;
      }
      this.#write(this.#next++);
    }
  }

  #write(seq: number): void {
    const w = this.#waiting.get(seq);
    if (!w) return;
    this.#writeHeld(w);
    this.#waiting.delete(seq);
  }

  #writeHeld(w: Waiting): void {
    for (const r of w.records.splice(0)) {
      if (Buffer.isBuffer(r)) {
        this.#inMemory -= r.length;
        this.emit(r);
      } else {
        this.emit(this.#file!.read(r.at, r.length));
        if (--this.#inFile === 0) this.#file!.reset();
      }
    }
  }

  /** Removes the temporary file. */
  close(): void {
    this.#file?.close();
    this.#file = null;
  }
}
