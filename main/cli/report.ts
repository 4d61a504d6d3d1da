// Corral's own report of a CLI run: the progress line (a TTY on stderr only), one line per ended
// task (job files; a command line reports only failures, as parallel says nothing), the summary.
import type { Outcome, TaskInfo, Tick } from '../contract/types.js';
import type { JobRun } from '../core/pool/jobRun.js';
import { inputText } from '../core/job/columns.js';
import { bar, fmtBytes, fmtDuration } from './format.js';

type Out = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ReportOptions {
  /** Where task lines, messages and the summary go (stdout for a job file, stderr for a command line) */
  out: Out;
  /** The progress line's terminal (stderr), or null when it is not one */
  progress: Out | null;
  /** Print a line for every ended task (job files), or only for those that did not end ok */
  everyTask: boolean;
  /** --json: no task lines here (JsonOutput prints each attempt) */
  json: boolean;
  /** Hands over task output still waiting for the end of the turn, before the report writes */
  flushFirst?: () => void;
}

/** Task lines wait for the tick up to this many characters. */
export const LINES_FLUSH_AT = 64 * 1024;

export class Report {
  /** Lines of the tasks that ended since the last write: written at the tick, or at LINES_FLUSH_AT */
  #lines = '';
  #lineShown = false;
  #silent = false;
  constructor(private readonly o: ReportOptions) {}

  /** Nothing more is printed (the reader of a command line's output left: Corral ends quietly). */
  silence(): void {
    this.clearLine();
    this.#lines = '';
    this.#silent = true;
  }

  /**
   * A task ended for good (the supervisor's taskEnded, once per run of it, in the order they end):
   * its line waits for the next tick (or the next 64 KiB of lines). From the task's own record as
   * it ends, not the tick's rows: a fast run ends 45 000 tasks a second, and rows built for them all
   * at once outlived the young generation (issue 9, item 22).
   */
  ended(task: TaskInfo): void {
    if (this.#silent || this.o.json || task.state === 'skipped') return;
    // A command line (and the progress line) reports only what did not end ok.
    if (task.state === 'done' && (this.o.progress || !this.o.everyTask)) return;
    this.#lines += taskLine(task) + '\n';
    // Past 64 KiB they go out at once: held for a whole tick, 45 000 lines a second of short
    // strings outlived the young generation (a fifth of a 1 M-task run's heap growth).
    if (this.#lines.length >= LINES_FLUSH_AT) this.#flush();
  }

  tick(t: Tick): void {
    if (this.#silent) return;
    this.#flush();
    if (this.o.progress && t.job) {
      const c = t.job.counts;
      const doneN = c.done + c.failed + c.killed + c.interrupted + c.skipped;
      const width = Math.max(10, Math.min(30, (this.o.progress.columns ?? 80) - 70));
      const line = `${bar(c.total ? doneN / c.total : 1, width)} ${doneN}/${c.total}  ok ${c.done}  failed ${c.failed}${c.killed ? `  killed ${c.killed}` : ''}${c.interrupted ? `  interrupted ${c.interrupted}` : ''}  running ${c.running}  queued ${c.queued}${c.stuck ? `  stuck ${c.stuck}` : ''}${c.suspect ? `  suspect ${c.suspect}` : ''}  ${t.job.tasksPerSecond.toFixed(1)}/s  ETA ${t.job.etaMs === null ? '—' : fmtDuration(t.job.etaMs)}`;
      this.o.progress.write(`\r\x1b[2K${line}`);
      this.#lineShown = true;
    }
  }

  /** Writes the waiting task lines (one write however many tasks ended). */
  #flush(): void {
    if (!this.#lines) return;
    const text = this.#lines;
    this.#lines = '';
    this.write(text);
  }

  /** Clears the progress line so that other output starts at column 0; the next tick redraws it. */
  clearLine(): void {
    if (this.#lineShown) this.o.progress?.write('\r\x1b[2K');
    this.#lineShown = false;
  }

  write(text: string): void {
    if (this.#silent) return;
    this.o.flushFirst?.();
    this.clearLine();
    this.o.out.write(text);
  }

  message(text: string): void {
    this.write(text + '\n');
  }

  summary(job: ReturnType<JobRun['info']>, byOutcome: Map<Outcome, number>): void {
    if (this.#silent) return;
    this.#flush();
    this.o.flushFirst?.();
    this.clearLine();
    const c = job.counts;
    const wall = (job.endedAt ?? Date.now()) - (job.startedAt ?? Date.now());
    // A command line that ran every task ok says nothing more, as parallel.
    if (!this.o.everyTask && job.state === 'finished' && c.done === c.total) return;
    const parts = [...byOutcome].filter(([o]) => o !== 'ok').map(([o, n]) => `${n} ${o}`);
    this.o.out.write(
      `${job.name}: ${job.state} — ${c.done} ok${parts.length ? ', ' + parts.join(', ') : ''}${c.queued ? `, ${c.queued} not run` : ''} of ${c.total} in ${fmtDuration(wall)}${job.haltReason ? ` (halt: ${job.haltReason})` : ''}\n`,
    );
    if (job.joblog) this.o.out.write(`joblog: ${job.joblog}\n`);
  }
}

export function taskLine(t: TaskInfo): string {
  const status = t.state === 'done' ? 'ok' : t.state;
  const extra = t.error && t.state !== 'done' ? ` — ${t.error}` : '';
  const attempt = t.attempt > 1 ? ` (attempt ${t.attempt})` : '';
  return `[${t.seq}] ${status} ${fmtDuration(t.runtimeMs)} ${t.peakRss === null ? '—' : fmtBytes(t.peakRss)} ${t.command}${attempt}${extra}`;
}

export function taskJson(t: TaskInfo) {
  return {
    seq: t.seq,
    input: inputText(t.input),
    command: t.command,
    outcome: t.outcome,
    state: t.state,
    attempt: t.attempt,
    exitCode: t.exitCode,
    signal: t.signal,
    error: t.error,
    runtimeSeconds: t.runtimeMs / 1000,
    peakRss: t.peakRss,
    cpuSeconds: t.cpuSeconds,
    slot: t.slot,
  };
}
