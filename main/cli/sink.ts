// Corral's stdout or stderr as the destination of task output: written directly while the reader
// keeps up, queued in a Spool (memory, then a temporary file) while it does not, so a task that
// prints gigabytes into a slow pipe never grows Corral's memory.
import { Spool } from '../core/output/spool.js';

/** How much the stream itself may buffer before writes queue in the spool. */
const HIGH_WATER = 1024 * 1024;

export class Sink {
  readonly #backlog = new Spool();
  #waiting = false;
  #closed = false;
  #idle: (() => void)[] = [];
  /** Called before bytes reach the stream (the progress line clears itself first) */
  before: (() => void) | null = null;

  constructor(private readonly stream: NodeJS.WritableStream & { writableLength?: number }) {
    stream.on('error', () => this.close()); // a reader that left: nothing more is written
  }

  write(chunk: Buffer | string): void {
    if (this.#closed) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
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
