import { promises as fsp, openSync, closeSync, writeSync, fsyncSync, existsSync, statSync, fstatSync, mkdirSync, write, fsync } from 'node:fs';
import { dirname } from 'node:path';
import type { Outcome } from '../../contract/types.js';

/** GNU parallel's nine columns, then Corral's four. */
export const JOBLOG_COLUMNS = [
  'Seq', 'Host', 'Starttime', 'JobRuntime', 'Send', 'Receive', 'Exitval', 'Signal', 'Command',
  'Attempt', 'PeakRSS', 'CPUSeconds', 'Outcome',
] as const;

export interface JoblogRow {
  seq: number;
  host: string; // ":" = this machine, as GNU parallel writes it
  startTime: number; // epoch seconds
  runtime: number; // seconds
  send: number;
  receive: number;
  exitval: number;
  signal: number;
  command: string;
  attempt: number;
  peakRss: number;
  cpuSeconds: number;
  outcome: Outcome | BrokerOutcome;
}

/**
 * Rows only a broker run writes, never final: `lost` (the agent died or was cut off holding the
 * task; it runs again, Exitval -1, Signal 0) and `superseded` (a late result the lock rejected;
 * Exitval and Signal as the agent saw them). --resume looks past both.
 */
export type BrokerOutcome = 'lost' | 'superseded';
export const NOT_FINAL: ReadonlySet<string> = new Set<BrokerOutcome>(['lost', 'superseded']);

/** A row that ends its attempt for good (every row of a local run). */
export function isFinalRow(r: JoblogRow): r is JoblogRow & { outcome: Outcome } {
  return !NOT_FINAL.has(r.outcome);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** Tabs and newlines in a command would tear the row; GNU parallel writes them as is, we escape them. */
function cell(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s; // the common case: one scan, no copies
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function unescapeCell(s: string): string {
  return s.replace(/\\([\\tnr])/g, (_, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

/**
 * x.toFixed(3) for a whole number of milliseconds (start times and runtimes are), without V8's
 * general decimal conversion (~0.8 µs a call, three per row); anything else goes to toFixed.
 */
export function fixed3(x: number): string {
  const ms = Math.round(x * 1000);
  if (ms < 0 || !Number.isSafeInteger(ms) || Math.abs(ms - x * 1000) > 1e-6) return x.toFixed(3);
  const whole = Math.floor(ms / 1000);
  const frac = ms - whole * 1000;
  return `${whole}${frac < 10 ? '.00' : frac < 100 ? '.0' : '.'}${frac}`;
}

export function formatRow(r: JoblogRow): string {
  // One template rather than an array joined: a row is made for every attempt.
  return `${r.seq}\t${r.host}\t${fixed3(r.startTime)}\t${fixed3(r.runtime)}\t${r.send}\t${r.receive}\t${r.exitval}\t${r.signal}\t${cell(r.command)}\t${r.attempt}\t${Math.round(r.peakRss)}\t${r.cpuSeconds.toFixed(3)}\t${r.outcome}\n`;
}

export function parseJoblog(text: string): JoblogRow[] {
  const rows: JoblogRow[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('Seq\t')) continue;
    const f = line.split('\t');
    if (f.length < 9) continue; // a torn or foreign line: skip, never fail the resume
    const seq = Number(f[0]);
    if (!Number.isInteger(seq) || seq < 1) continue;
    const exitval = Number(f[6]);
    const signal = Number(f[7]);
    rows.push({
      seq,
      host: f[1],
      startTime: Number(f[2]),
      runtime: Number(f[3]),
      send: Number(f[4]),
      receive: Number(f[5]),
      exitval,
      signal,
      command: unescapeCell(f[8]),
      attempt: f.length > 9 ? Number(f[9]) : 1,
      peakRss: f.length > 10 ? Number(f[10]) : 0,
      cpuSeconds: f.length > 11 ? Number(f[11]) : 0,
      // Rows from GNU parallel have no Outcome: derive it the way parallel's --resume-failed does.
      outcome: (f.length > 12 ? f[12] : exitval === 0 && signal === 0 ? 'ok' : 'failed') as JoblogRow['outcome'],
    });
  }
  return rows;
}

export async function readJoblog(path: string): Promise<JoblogRow[]> {
  try {
    return parseJoblog(await fsp.readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Which sequence numbers a resumed run skips. --resume: every seq whose last row ended (ok or
 * the task's own failure). --resume-failed: only those whose last row is ok; failed ones run
 * again. Neither skips a task the user killed or a stop, halt or quit interrupted: it has not
 * ended (GNU parallel writes no row for such a job; Corral writes one for every attempt).
 */
export function seqsToSkip(rows: JoblogRow[], mode: 'resume' | 'resume-failed'): Set<number> {
  const last = new Map<number, JoblogRow>();
  for (const r of rows) if (isFinalRow(r)) last.set(r.seq, r);
  const skip = new Set<number>();
  for (const [seq, r] of last) {
    if (r.outcome === 'killed' || r.outcome === 'interrupted') continue;
    if (mode === 'resume' || r.outcome === 'ok' || r.outcome === 'skipped') skip.add(seq);
  }
  return skip;
}

/**
 * Appends rows with O_APPEND, one write() per batch of whole lines, then fsync; a row's promise
 * resolves only once it is on disk. Rows finishing together share one fsync (group commit).
 */
export class JoblogWriter {
  readonly path: string;
  #fd: number;
  #pending: { line: string; done: (err: Error | null) => void }[] = [];
  #flushing = false;
  #closed = false;
  /** Only a regular file can be fsynced: /dev/null, a FIFO or a terminal refuse it (EINVAL) */
  readonly #durable: boolean;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    const fresh = !existsSync(path) || statSync(path).size === 0;
    this.#fd = openSync(path, 'a');
    this.#durable = fstatSync(this.#fd).isFile();
    if (fresh) {
      writeSync(this.#fd, JOBLOG_COLUMNS.join('\t') + '\n');
      if (this.#durable) fsyncSync(this.#fd);
    }
  }

  append(row: JoblogRow): Promise<void> {
    return new Promise((resolve, reject) => this.add(row, (err) => (err ? reject(err) : resolve())));
  }

  /** `append` without a promise: `done` is called once the row is on disk (or failed to get there). */
  add(row: JoblogRow, done: (err: Error | null) => void): void {
    if (this.#closed) {
      const err = new Error(`joblog ${this.path} is closed`);
      queueMicrotask(() => done(err));
      return;
    }
    this.#pending.push({ line: formatRow(row), done });
    if (!this.#flushing) setImmediate(() => this.#flush());
    this.#flushing = true;
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) {
      this.#flushing = false;
      return;
    }
    let text = '';
    for (const b of batch) text += b.line;
    const buf = Buffer.from(text);
    const done = (err: Error | null) => {
      for (const b of batch) {
        try {
          b.done(err);
        } catch (e) {
          queueMicrotask(() => { throw e; }); // a caller's bug surfaces; the rows after it still get written
        }
      }
      this.#flush();
    };
    // One write of whole lines: with O_APPEND a concurrent reader never sees half a row.
    write(this.#fd, buf, 0, buf.length, null, (werr) => {
      if (werr) return done(werr);
      if (this.#durable) fsync(this.#fd, (ferr) => done(ferr));
      else done(null);
    });
  }

  async close(): Promise<void> {
    while (this.#flushing || this.#pending.length) await new Promise((r) => setTimeout(r, 5));
    if (!this.#closed) {
      this.#closed = true;
      closeSync(this.#fd);
    }
  }
}
