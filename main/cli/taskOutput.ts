// Task output on Corral's stdout and stderr, as GNU parallel prints it: grouped (each task's
// whole output when it ends), --line-buffer (whole lines as they come), --ungroup (as it comes),
// --tag/--tagstring (a prefix on every line), --keep-order (in input order). A task's output that
// waits is held in a Spool, so it costs bounded memory however large.
import type { Outcome } from '../contract/types.js';
import type { TaskRecord } from '../core/pool/task.js';
import { Spool } from '../core/output/spool.js';
import type { Sink } from './sink.js';

export type OutputMode = 'group' | 'line-buffer' | 'ungroup';
type Stream = 'stdout' | 'stderr';

export interface TaskOutputOptions {
  mode: OutputMode;
  keepOrder: boolean;
  /** The prefix of every line of a task (with its tab), or null without --tag/--tagstring */
  tag: ((t: TaskRecord) => string) | null;
  /** A seq that never runs (skipped by --resume): keep-order goes past it */
  skipped: (seq: number) => boolean;
}

interface Pending {
  out: Spool;
  err: Spool;
  /** Partial last line per stream (line-buffer and tag modes) */
  partial: Record<Stream, Buffer | null>;
  /** The last bytes written did not end a line (a long line written in pieces): no tag before the next */
  midLine: Record<Stream, boolean>;
  tag: Buffer | null;
  ended: boolean;
}

/** A line longer than this is written in pieces rather than held whole (memory stays bounded). */
const LONGEST_HELD_LINE = 1024 * 1024;

export class TaskOutput {
  readonly #pending = new Map<number, Pending>();
  /** Next seq to print under --keep-order */
  #next = 1;

  constructor(
    private readonly sinks: Record<Stream, Sink>,
    private readonly opts: TaskOutputOptions,
  ) {}

  output(t: TaskRecord, stream: Stream, chunk: Buffer): void {
    const p = this.#entry(t);
    const live = this.opts.mode !== 'group' && (!this.opts.keepOrder || t.seq === this.#next);
    if (!live) {
      (stream === 'stdout' ? p.out : p.err).append(chunk);
      return;
    }
    if (this.opts.mode === 'ungroup' && !this.opts.tag) {
      this.sinks[stream].write(chunk);
      return;
    }
    this.#lines(p, stream, chunk, false);
  }

  /** An attempt ended: its output is printed now, or when its turn comes under --keep-order. */
  attemptEnded(t: TaskRecord, _outcome: Outcome, willRetry: boolean): void {
    // A retried task's attempts are printed together, once it has no attempt left.
    if (willRetry) return;
    const p = this.#entry(t);
    p.ended = true;
    if (!this.opts.keepOrder) this.#print(t.seq, p);
    else this.#advance();
  }

  /** The job ended: whatever keep-order still holds is printed in order. */
  flush(): void {
    for (const seq of [...this.#pending.keys()].sort((a, b) => a - b)) this.#print(seq, this.#pending.get(seq)!);
  }

  #advance(): void {
    for (;;) {
      while (this.opts.skipped(this.#next)) this.#next++;
      const p = this.#pending.get(this.#next);
      if (!p?.ended) return;
      this.#print(this.#next++, p);
    }
  }

  #print(seq: number, p: Pending): void {
    for (const [stream, spool] of [['stdout', p.out], ['stderr', p.err]] as const) {
      for (let buf = spool.take(); buf; buf = spool.take()) {
        if (p.tag || this.opts.mode !== 'group') this.#lines(p, stream, buf, false);
        else this.sinks[stream].write(buf);
      }
      if (p.tag || this.opts.mode !== 'group') this.#lines(p, stream, Buffer.alloc(0), true);
    }
    this.#drop(seq, p);
  }

  #drop(seq: number, p: Pending): void {
    p.out.close();
    p.err.close();
    this.#pending.delete(seq);
  }

  /** Whole lines to the sink, each with the tag; `end` also writes the last partial line. */
  #lines(p: Pending, stream: Stream, chunk: Buffer, end: boolean): void {
    const prev = p.partial[stream];
    const data = prev ? Buffer.concat([prev, chunk]) : chunk;
    const cut = end || data.length > LONGEST_HELD_LINE ? data.length : data.lastIndexOf(10) + 1;
    p.partial[stream] = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
    if (cut === 0) return;
    const whole = data.subarray(0, cut);
    if (!p.tag) {
      this.sinks[stream].write(whole);
      return;
    }
    const parts: Buffer[] = [];
    for (let at = 0; at < whole.length; ) {
      const nl = whole.indexOf(10, at);
      const stop = nl < 0 ? whole.length : nl + 1;
      if (!p.midLine[stream]) parts.push(p.tag);
      parts.push(whole.subarray(at, stop));
      p.midLine[stream] = nl < 0;
      at = stop;
    }
    this.sinks[stream].write(Buffer.concat(parts));
  }

  #entry(t: TaskRecord): Pending {
    let p = this.#pending.get(t.seq);
    if (!p) {
      const tag = this.opts.tag ? Buffer.from(this.opts.tag(t)) : null;
      p = { out: new Spool(), err: new Spool(), partial: { stdout: null, stderr: null }, midLine: { stdout: false, stderr: false }, tag, ended: false };
      this.#pending.set(t.seq, p);
    }
    return p;
  }
}
