// `corral run --broker`: one broker task per task, a bounded number outstanding; the run's
// lifecycle read from the broker with a cursor; the joblog written here and only here.
import type { KeyObject } from 'node:crypto';
import type { HaltRule } from '../job/types.js';
import type { JoblogRow, JoblogWriter } from '../log/joblog.js';
import { shouldHalt } from '../pool/halt.js';
import { isFailure } from '../pool/outcomes.js';
import { signTask } from './signing.js';
import type { AttemptReport, CancelMessage, LifecycleEvent, SupervisorTransport, TaskPayload } from './transport.js';

export interface BrokerTask {
  seq: number;
  /** The command as the joblog shows it */
  command: string;
  payload: TaskPayload;
}

export interface BrokerRunOptions {
  runId: string;
  transport: SupervisorTransport;
  signingKey: KeyObject;
  /** Tasks in seq order, skipped ones (--resume) left out */
  tasks: Iterable<BrokerTask>;
  joblog: JoblogWriter | null;
  /** A resumed run asks the broker for ends it missed while it was down; true for a row already in the joblog */
  resumed: { recorded(row: JoblogRow): boolean } | null;
  /** At most this many tasks added and not yet ended */
  maxOutstanding?: number;
  /** The job's retries: a failed attempt gets its row, then a new broker task after the delay */
  retries?: { count: number; delayMs: number };
  /** The job's halt rule, over `total` tasks */
  halt?: { rule: HaltRule; total: number };
  output(seq: number, bytes: Buffer): void;
  log(line: string): void;
  /** Every event the run took in (a duplicate is not), and whether its task is now over (a dashboard follows these) */
  observe?(e: LifecycleEvent, final: boolean): void;
}

export interface BrokerRunResult {
  ok: number;
  failed: number;
  killed: number;
  lost: number;
  superseded: number;
  /** Why the run halted (the job's halt rule), or null */
  halted: string | null;
}

const RECONCILE_EVERY_MS = 10_000;
const RECONCILE_MAX = 500;

export class BrokerRun {
  readonly #o: BrokerRunOptions;
  /** Open tasks as signed-to-be: a retry re-signs the payload with the attempts made so far */
  readonly #tasks = new Map<number, BrokerTask>();
  /** Failed attempts of open tasks (retries used) and the last attempt whose end was handled (an end read twice is dropped) */
  readonly #failures = new Map<number, number>();
  readonly #lastEnd = new Map<number, number>();
  readonly #starts = new Map<number, Extract<LifecycleEvent, { kind: 'start' }>>();
  readonly #open = new Set<number>();
  readonly counts: BrokerRunResult = { ok: 0, failed: 0, killed: 0, lost: 0, superseded: 0, halted: null };
  #stopping = false;

  constructor(o: BrokerRunOptions) {
    this.#o = o;
  }

  async run(): Promise<BrokerRunResult> {
    const o = this.#o;
    const max = o.maxOutstanding ?? 2000;
    let cursor = await o.transport.head(o.runId); // read from here: nothing that ends later is missed
    const it = o.tasks[Symbol.iterator]();
    let exhausted = false;
    const feed = async () => {
      const batch: TaskPayload[] = [];
      while (!exhausted && !this.#stopping && this.#open.size + batch.length < max) {
        const n = it.next();
        if (n.done) {
          exhausted = true;
          break;
        }
        const t = n.value;
        this.#tasks.set(t.seq, t);
        this.#open.add(t.seq);
        if (o.resumed) {
          const ended = await o.transport.ended(o.runId, t.seq);
          if (ended?.kind === 'end' && o.resumed.recorded(ended.report.row)) await o.transport.forget(o.runId, t.seq); // killed before: run it again
          else if (ended) {
            await this.#handle(ended); // ended while no supervisor was reading
            continue;
          }
        }
        batch.push(signTask(t.payload, o.signingKey));
      }
      if (batch.length) await o.transport.add(batch);
    };
    await feed();
    let checkedAt = Date.now();
    while (this.#open.size > 0 || (!exhausted && !this.#stopping)) {
      const r = await o.transport.read(o.runId, cursor, 1000);
      cursor = r.cursor;
      for (const e of r.events) await this.#handle(e);
      if (Date.now() - checkedAt > RECONCILE_EVERY_MS) {
        await this.#reconcile();
        checkedAt = Date.now();
      }
      await feed();
    }
    return this.counts;
  }

  /** Ends whose events were trimmed from the stream before this supervisor read them are asked for directly. */
  async #reconcile(): Promise<void> {
    for (const seq of [...this.#open].slice(0, RECONCILE_MAX)) {
      const ended = await this.#o.transport.ended(this.#o.runId, seq);
      if (ended) await this.#handle(ended);
    }
  }

  /** Stop job: tasks not yet taken are dropped, running ones are cancelled where they run (not retried). */
  stop(mode: 'graceful' | 'force'): Promise<void> {
    return this.#stopWith({ mode, reason: 'job-stop' });
  }

  /** Stop job, drain: nothing more starts, running tasks finish. */
  drain(): Promise<void> {
    return this.#stopWith(null);
  }

  /** `cancel` null: running tasks finish (halt soon, drain) */
  async #stopWith(cancel: Pick<CancelMessage, 'mode' | 'reason'> | null): Promise<void> {
    this.#stopping = true;
    const o = this.#o;
    if (cancel) await o.transport.cancel({ runId: o.runId, seq: null, ...cancel });
    const waiting = [...this.#open].filter((s) => !this.#starts.has(s));
    await o.transport.drain(o.runId, waiting);
    // A dropped task never ends on the broker: it is interrupted here (not final: --resume runs it).
    for (const seq of waiting) {
      if (!this.#open.has(seq) || this.#starts.has(seq)) continue;
      if (await o.transport.ended(o.runId, seq)) continue; // it ended meanwhile: its event is on the way
      this.#open.delete(seq);
      this.#ended(seq);
    }
  }

  async cancelTask(seq: number, mode: 'graceful' | 'force'): Promise<void> {
    await this.#o.transport.cancel({ runId: this.#o.runId, seq, mode });
  }

  async #handle(e: LifecycleEvent): Promise<void> {
    if (e.kind === 'start') {
      this.#starts.set(e.seq, e);
      this.#o.observe?.(e, false);
      return;
    }
    if (e.kind === 'end') {
      const row = e.report.row;
      if (!this.#open.has(e.seq) || row.attempt <= (this.#lastEnd.get(e.seq) ?? 0)) return; // already handled (read twice)
      this.#lastEnd.set(e.seq, row.attempt);
      await this.#write(row);
      this.#o.output(e.seq, Buffer.from(e.report.output, 'base64'));
      if (row.outcome !== 'lost' && row.outcome !== 'superseded' && isFailure(row.outcome) && (await this.#retry(e.seq, row))) return;
      this.#open.delete(e.seq);
      this.#ended(e.seq);
      const o = row.outcome;
      if (o === 'ok') this.counts.ok++;
      else if (o === 'killed' || o === 'interrupted') this.counts.killed++;
      else this.counts.failed++;
      this.#o.observe?.(e, true);
      await this.#checkHalt();
    } else if (e.kind === 'superseded') {
      this.counts.superseded++;
      await this.#write(e.report.row);
      this.#o.log(`corral: task ${e.seq}: a late result from ${e.report.row.host} was rejected by the lock (superseded row)`);
      this.#o.observe?.(e, false);
    } else if (e.kind === 'lost') {
      const s = this.#starts.get(e.seq);
      this.counts.lost++;
      await this.#write(this.#lostRow(e.seq, s));
      this.#o.log(`corral: task ${e.seq}: lost with ${s?.host ?? 'its agent'}; it runs again`);
      this.#o.observe?.(e, false);
    } else if (e.kind === 'failed') {
      if (!this.#open.has(e.seq)) return;
      this.#open.delete(e.seq);
      this.counts.failed++;
      this.#o.log(`corral: task ${e.seq}: ${e.reason}`);
      await this.#write({ ...this.#lostRow(e.seq, this.#starts.get(e.seq)), outcome: 'failed' });
      this.#ended(e.seq);
      this.#o.observe?.(e, true);
      await this.#checkHalt();
    }
  }

  /** A failed attempt with retries left: its broker task is added again (a new id), signed with the attempts so far. */
  async #retry(seq: number, row: JoblogRow): Promise<boolean> {
    const r = this.#o.retries;
    const used = this.#failures.get(seq) ?? 0;
    const t = this.#tasks.get(seq);
    if (!r || used >= r.count || !t || this.#stopping) return false;
    this.#failures.set(seq, used + 1);
    this.#starts.delete(seq);
    const payload = signTask({ ...t.payload, attemptBase: row.attempt }, this.#o.signingKey);
    await this.#o.transport.add([payload], { n: used + 1, delayMs: r.delayMs });
    return true;
  }

  /** The halt rule over the tasks ended so far: soon stops adding and drops waiting tasks; now cancels running ones too. */
  async #checkHalt(): Promise<void> {
    const h = this.#o.halt;
    if (!h || this.counts.halted) return;
    const why = shouldHalt(h.rule, { failed: this.counts.failed, ok: this.counts.ok, total: h.total });
    if (!why) return;
    this.counts.halted = why;
    this.#o.log(`corral: halting: ${why}`);
    await this.#stopWith(h.rule.when === 'now' ? { mode: 'force', reason: 'halt' } : null);
  }

  /** An ended task keeps nothing here: memory follows the tasks outstanding, not the inputs. */
  #ended(seq: number): void {
    this.#tasks.delete(seq);
    this.#starts.delete(seq);
    this.#failures.delete(seq);
    this.#lastEnd.delete(seq);
  }

  #lostRow(seq: number, s: Extract<LifecycleEvent, { kind: 'start' }> | undefined): JoblogRow {
    const at = s?.at ?? Date.now();
    return {
      seq, host: s?.host ?? ':', startTime: at / 1000, runtime: (Date.now() - at) / 1000, send: 0, receive: 0,
      exitval: -1, signal: 0, command: '', attempt: s?.attempt ?? 0, peakRss: 0, cpuSeconds: 0, outcome: 'lost',
    };
  }

  async #write(row: JoblogRow): Promise<void> {
    // The command as the supervisor expanded and signed it (a late superseded row: as the agent ran it).
    await this.#o.joblog?.append({ ...row, command: this.#tasks.get(row.seq)?.command ?? row.command });
  }
}

export type { AttemptReport };
