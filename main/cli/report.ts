// Corral's own report of a CLI run: the progress line (a TTY on stderr only), one line per ended
// task (job files; a command line reports only failures, as parallel says nothing), the summary.
import type { Outcome, TaskInfo, TaskState, Tick } from '../contract/types.js';
import type { JobRun } from '../core/pool/jobRun.js';
import { ENDED_STATES } from '../core/pool/task.js';
import { Bitset } from '../core/pool/bitset.js';
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

export class Report {
  // An ended attempt can reach two ticks (its slot freed, then its row on disk): print it once. A
  // first attempt (nearly every task) is one bit by seq: as keys in a Set, a minute of 12 000 no-op
  // module tasks a second was ~1.4 M strings, 70 MB of heap that V8 then let grow 3× (issue 9, item
  // 22). Later attempts' keys live two generations of a minute, so they follow the retries now.
  #printedFirst = new Bitset(1024);
  #printed = new Set<string>();
  #printedBefore = new Set<string>();
  #generationAt = Date.now();
  #lineShown = false;
  #silent = false;
  constructor(private readonly o: ReportOptions) {}

  /** Nothing more is printed (the reader of a command line's output left: Corral ends quietly). */
  silence(): void {
    this.clearLine();
    this.#silent = true;
  }

  /** Whether tick() reads the row of a task in this state (the supervisor builds only those). */
  wants(state: TaskState): boolean {
    if (this.o.json || !ENDED_STATES.has(state) || state === 'skipped') return false;
    return state !== 'done' || (!this.o.progress && this.o.everyTask);
  }

  tick(t: Tick): void {
    if (this.#silent) return;
    if (t.time - this.#generationAt > 60_000) {
      this.#printedBefore = this.#printed;
      this.#printed = new Set();
      this.#generationAt = t.time;
    }
    // Tasks that ended within one tick print in the order they ended.
    const byEnd = [...t.tasks].sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0) || a.seq - b.seq);
    let out = ''; // one write per tick, however many tasks ended
    for (const task of byEnd) {
      if (!this.wants(task.state)) continue;
      if (this.#seen(task)) continue;
      if (this.o.progress || (!this.o.everyTask && task.state === 'done')) {
        if (task.state !== 'done') this.message(taskLine(task));
      } else {
        out += taskLine(task) + '\n';
      }
    }
    if (out) this.write(out);
    if (this.o.progress && t.job) {
      const c = t.job.counts;
      const doneN = c.done + c.failed + c.killed + c.interrupted + c.skipped;
      const width = Math.max(10, Math.min(30, (this.o.progress.columns ?? 80) - 70));
      const line = `${bar(c.total ? doneN / c.total : 1, width)} ${doneN}/${c.total}  ok ${c.done}  failed ${c.failed}${c.killed ? `  killed ${c.killed}` : ''}${c.interrupted ? `  interrupted ${c.interrupted}` : ''}  running ${c.running}  queued ${c.queued}${c.stuck ? `  stuck ${c.stuck}` : ''}${c.suspect ? `  suspect ${c.suspect}` : ''}  ${t.job.tasksPerSecond.toFixed(1)}/s  ETA ${t.job.etaMs === null ? '—' : fmtDuration(t.job.etaMs)}`;
      this.o.progress.write(`\r\x1b[2K${line}`);
      this.#lineShown = true;
    }
  }

  /** Whether this attempt's line was printed already; marks it printed. */
  #seen(task: TaskInfo): boolean {
    if (task.attempt <= 1) {
      this.#printedFirst.grow(task.seq);
      if (this.#printedFirst.has(task.seq)) return true;
      this.#printedFirst.add(task.seq);
      return false;
    }
    const key = `${task.seq}:${task.attempt}`;
    if (this.#printed.has(key) || this.#printedBefore.has(key)) return true;
    this.#printed.add(key);
    return false;
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
