// `corral run --broker`: one broker task per task, a bounded number outstanding; the run's
// lifecycle read from the broker with a cursor; the joblog written here and only here.
import type { KeyObject } from 'node:crypto';
import type { JoblogRow, JoblogWriter } from '../log/joblog.js';
import { signTask } from './signing.js';
import type { AttemptReport, LifecycleEvent, SupervisorTransport, TaskPayload } from './transport.js';

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
  output(seq: number, bytes: Buffer): void;
  log(line: string): void;
}

export interface BrokerRunResult {
  ok: number;
  failed: number;
  killed: number;
  lost: number;
  superseded: number;
}

const RECONCILE_EVERY_MS = 10_000;
const RECONCILE_MAX = 500;

export class BrokerRun {
  readonly #o: BrokerRunOptions;
  readonly #commands = new Map<number, string>();
  readonly #starts = new Map<number, Extract<LifecycleEvent, { kind: 'start' }>>();
  readonly #open = new Set<number>();
  readonly counts: BrokerRunResult = { ok: 0, failed: 0, killed: 0, lost: 0, superseded: 0 };
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
        this.#commands.set(t.seq, t.command);
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
  async stop(mode: 'graceful' | 'force'): Promise<void> {
    this.#stopping = true;
    const o = this.#o;
    await o.transport.cancel({ runId: o.runId, seq: null, mode });
    const waiting = [...this.#open].filter((s) => !this.#starts.has(s));
    await o.transport.drain(o.runId, waiting);
    // A dropped task never ends on the broker: it is interrupted here (not final: --resume runs it).
    for (const seq of waiting) {
      if (!this.#open.has(seq) || this.#starts.has(seq)) continue;
      if (await o.transport.ended(o.runId, seq)) continue; // it ended meanwhile: its event is on the way
      this.#open.delete(seq);
    }
  }

  async cancelTask(seq: number, mode: 'graceful' | 'force'): Promise<void> {
    await this.#o.transport.cancel({ runId: this.#o.runId, seq, mode });
  }

  async #handle(e: LifecycleEvent): Promise<void> {
    if (e.kind === 'start') {
      this.#starts.set(e.seq, e);
      return;
    }
    if (e.kind === 'end') {
      if (!this.#open.has(e.seq)) return; // already final (a resumed run read it twice)
      this.#open.delete(e.seq);
      await this.#write(e.report.row);
      this.#ended(e.seq);
      this.#o.output(e.seq, Buffer.from(e.report.output, 'base64'));
      const o = e.report.row.outcome;
      if (o === 'ok') this.counts.ok++;
      else if (o === 'killed') this.counts.killed++;
      else this.counts.failed++;
    } else if (e.kind === 'superseded') {
      this.counts.superseded++;
      await this.#write(e.report.row);
      this.#o.log(`corral: task ${e.seq}: a late result from ${e.report.row.host} was rejected by the lock (superseded row)`);
    } else if (e.kind === 'lost') {
      const s = this.#starts.get(e.seq);
      this.counts.lost++;
      await this.#write(this.#lostRow(e.seq, s));
      this.#o.log(`corral: task ${e.seq}: lost with ${s?.host ?? 'its agent'}; it runs again`);
    } else if (e.kind === 'failed') {
      if (!this.#open.has(e.seq)) return;
      this.#open.delete(e.seq);
      this.counts.failed++;
      this.#o.log(`corral: task ${e.seq}: ${e.reason}`);
      await this.#write({ ...this.#lostRow(e.seq, this.#starts.get(e.seq)), outcome: 'failed' });
      this.#ended(e.seq);
    }
  }

  /** An ended task keeps nothing here: memory follows the tasks outstanding, not the inputs. */
  #ended(seq: number): void {
    this.#commands.delete(seq);
    this.#starts.delete(seq);
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
    await this.#o.joblog?.append({ ...row, command: this.#commands.get(row.seq) ?? row.command });
  }
}

export type { AttemptReport };
