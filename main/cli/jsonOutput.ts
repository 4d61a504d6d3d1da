// --json: one object per ended attempt, with what the attempt wrote on stdout and stderr (at most
// JSON_OUTPUT_BYTES of each, then `truncated`; --results keeps all of it, and its folder is named).
// With --keep-order the objects come in input order, a task's attempts together (OrderedRecords).
import type { Outcome } from '../contract/types.js';
import type { TaskRecord } from '../core/pool/task.js';
import { stateOf } from '../core/pool/outcomes.js';
import { taskJson } from './report.js';
import type { Sink } from './sink.js';
import { OrderedRecords } from './orderedRecords.js';

export const JSON_OUTPUT_BYTES = 1024 * 1024;

interface Captured {
  stdout: Buffer[];
  stderr: Buffer[];
  bytes: { stdout: number; stderr: number };
}

export class JsonOutput {
  readonly #live = new Map<number, Captured>();
  readonly #ordered: OrderedRecords | null;

  constructor(
    private readonly sink: Sink,
    private readonly result: (seq: number) => unknown,
    private readonly resultsDir: (t: TaskRecord) => string | null,
    /** --keep-order: `skipped` tells a seq that never runs (--resume) */
    keepOrder: { skipped: (seq: number) => boolean } | null = null,
  ) {
    this.#ordered = keepOrder && new OrderedRecords((b) => sink.write(b), keepOrder.skipped);
  }

  output(t: TaskRecord, stream: 'stdout' | 'stderr', chunk: Buffer): void {
    let c = this.#live.get(t.seq);
    if (!c) this.#live.set(t.seq, (c = { stdout: [], stderr: [], bytes: { stdout: 0, stderr: 0 } }));
    const room = JSON_OUTPUT_BYTES - c.bytes[stream];
    if (room > 0) c[stream].push(Buffer.from(chunk.subarray(0, room)));
    c.bytes[stream] += chunk.length;
  }

  attemptEnded(t: TaskRecord, outcome: Outcome, willRetry: boolean): void {
    const c = this.#live.get(t.seq);
    this.#live.delete(t.seq);
    const text = (s: 'stdout' | 'stderr') => (c ? Buffer.concat(c[s]).toString('utf8') : '');
    const truncated = c ? c.bytes.stdout > JSON_OUTPUT_BYTES || c.bytes.stderr > JSON_OUTPUT_BYTES : false;
    const record = {
      ...taskJson(t.info),
      outcome,
      state: willRetry ? 'queued' : stateOf(outcome),
      willRetry,
      result: this.result(t.seq) ?? null,
      stdout: text('stdout'),
      stderr: text('stderr'),
      ...(truncated ? { truncated: true } : {}),
      results: this.resultsDir(t),
    };
    const line = Buffer.from(JSON.stringify(record) + '\n');
    if (this.#ordered) this.#ordered.add(t.seq, line, !willRetry);
    else this.sink.write(line);
  }

  /** The run ended: objects still waiting for their turn under --keep-order are written. */
  flush(): void {
    this.#ordered?.flush();
    this.#ordered?.close();
  }
}
