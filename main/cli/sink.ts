// Corral's stdout or stderr as the destination of task output: written directly while the reader
// keeps up, queued in a Spool (memory, then a temporary file) while it does not, so a task that
// prints gigabytes into a slow pipe never grows Corral's memory.
import { Spool } from '../core/output/spool.js';

/** How much the stream itself may buffer before writes queue in the spool. */
const HIGH_WATER = 1024 * 1024;

/**
 * The writes of one event-loop turn to several sinks, handed to their streams at the end of the
 * turn in the order they were made, consecutive chunks for one sink as one write: a batch of
 * tasks that end together costs one write, not one per task. `flush` hands them over now (before
 * anything else is written to the same streams, so order holds).
 */
export class TurnBatch {
  #sinks: Sink[] = [];
  #bufs: Buffer[] = [];
  #scheduled = false;

  add(sink: Sink, buf: Buffer): void {
    this.#sinks.push(sink);
    this.#bufs.push(buf);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.#scheduled = false;
    const sinks = this.#sinks;
    const bufs = this.#bufs;
    if (bufs.length === 0) return;
    this.#sinks = [];
    this.#bufs = [];
    for (let i = 0; i < bufs.length; ) {
      let j = i + 1;
      while (j < bufs.length && sinks[j] === sinks[i]) j++;
      sinks[i].writeNow(j === i + 1 ? bufs[i] : Buffer.concat(bufs.slice(i, j)));
      i = j;
    }
  }
}

export class Sink {
  readonly #backlog = new Spool();
  #waiting = false;
  #closed = false;
  #idle: (() => void)[] = [];
  /** Called before bytes reach the stream (the progress line clears itself first) */
  before: (() => void) | null = null;

  /** `batch`: writes wait for the end of the turn, with the other sinks' of the same batch */
  constructor(
    private readonly stream: NodeJS.WritableStream & { writableLength?: number },
    private readonly batch: TurnBatch | null = null,
  ) {
    stream.on('error', () => this.close()); // a reader that left: nothing more is written
  }

  write(chunk: Buffer | string): void {
    if (this.#closed) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.batch) this.batch.add(this, buf);
    else this.writeNow(buf);
  }

  /** Hands the bytes to the stream now, or to the backlog while the reader lags. */
  writeNow(buf: Buffer): void {
    if (this.#closed) return;
    if (this.#backlog.size === 0 && !this.#waiting && (this.stream.writableLength ?? 0) < HIGH_WATER) {
      this.before?.();
      if (!this.stream.write(buf)) this.#wait();
      return;
    }
    this.#backlog.append(buf);
    if (!this.#waiting) this.#wait();
  }

  /** Resolves once everything written so far has been handed to the stream (or the stream closed). */
  idle(): Promise<void> {
    this.batch?.flush();
    if (this.#closed || (this.#backlog.size === 0 && !this.#waiting)) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    this.#closed = true;
    this.#backlog.close();
    for (const r of this.#idle.splice(0)) r();
  }

  #wait(): void {
    this.#waiting = true;
    this.stream.once('drain', () => {
      this.#waiting = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#closed) return;
    for (let buf = this.#backlog.take(); buf; buf = this.#backlog.take()) {
      this.before?.();
      if (!this.stream.write(buf)) {
        this.#wait();
        return;
      }
    }
    for (const r of this.#idle.splice(0)) r();
  }
}
