// What the dashboard shows of a broker run: a task record per task that started (host, attempt,
// outcome, CPU and RSS from its agent), one lane per agent slot (each host's lanes together), the
// bars of ended attempts, and the job's counts — built from the run's lifecycle events.
import type { JobCounts, JobInfo, JobState, SlotSample, TaskInfo, TaskState } from '../../contract/types.js';
import type { StreamBar, StreamSlice } from '../../contract/stream.js';
import { countState, stateOf } from '../pool/outcomes.js';
import { attemptFields, ENDED_STATES } from '../pool/task.js';
import type { LifecycleEvent } from './transport.js';

/** Ended attempts kept for the task stream, ended tasks kept for the table, and tasks whose output is kept */
const BARS_KEPT = 50_000;
const ENDED_KEPT = 20_000;
const OUTPUTS_KEPT = 2000;
/** Lanes a host gets when its slot count is not known yet */
const DEFAULT_HOST_LANES = 8;

export interface BrokerDashboardOptions {
  name: string;
  file: string | null;
  total: number;
  skipped: number;
  joblog: string | null;
  /** The host's slot count, from its registration */
  slotsOf(host: string): number | null;
  commandOf(seq: number): string;
  inputOf(seq: number): string;
}

export class BrokerDashboard {
  readonly #o: BrokerDashboardOptions;
  readonly #tasks = new Map<number, TaskInfo>();
  readonly #changed = new Set<number>();
  readonly #outputs = new Map<number, Buffer>();
  readonly #bars: StreamBar[] = [];
  /** First lane of each host, in the order hosts were first seen */
  readonly #laneBase = new Map<string, { base: number; slots: number }>();
  #lanes = 0;
  readonly #laneTask = new Map<number, number>();
  readonly #ended: number[] = [];
  /** Tasks per state, forgotten ones included (counts do not need the records) */
  readonly #tally = new Map<TaskState, number>();
  /** Ended tasks in the order they ended: the oldest are forgotten past ENDED_KEPT */
  readonly #endedSeqs: number[] = [];
  readonly startedAt = Date.now();
  endedAt: number | null = null;
  state: JobState = 'running';
  haltReason: string | null = null;

  constructor(o: BrokerDashboardOptions) {
    this.#o = o;
  }

  /** A lifecycle event the run took in; `final`: the task is over. */
  observe(e: LifecycleEvent, final: boolean): void {
    if (e.kind === 'superseded' && !this.#tasks.has(e.seq)) return; // a late result of a task already forgotten
    const t = this.#task(e.seq);
    const before = t.state;
    if (e.kind === 'start') {
      const lane = this.#lane(e.host, e.slot ?? 1);
      Object.assign(t, attemptFields(e.at), { state: 'running', attempt: e.attempt, pid: e.pid, host: e.host, slot: lane } satisfies Partial<TaskInfo>);
      this.#laneTask.set(lane, e.seq);
    } else if (e.kind === 'end') {
      const row = e.report.row;
      const outcome = row.outcome === 'lost' || row.outcome === 'superseded' ? 'failed' : row.outcome;
      this.#release(t);
      Object.assign(t, {
        state: final ? stateOf(outcome) : 'queued', outcome, attempt: row.attempt, host: row.host, exitCode: row.exitval, endedAt: Date.now(),
        runtimeMs: Math.round(row.runtime * 1000), cpuSeconds: row.cpuSeconds, peakRss: row.peakRss, pid: null, cpuPercent: null, rss: null,
        error: final ? null : `attempt ${row.attempt} ${outcome}; retrying`,
      } satisfies Partial<TaskInfo>);
      this.#bar(t, outcome === 'ok' ? 'ok' : outcome === 'killed' ? 'killed' : outcome === 'interrupted' ? 'interrupted' : 'failed');
      this.#keepOutput(e.seq, Buffer.from(e.report.output, 'base64'));
      if (final) this.#ended.push(Date.now());
    } else if (e.kind === 'lost') {
      this.#bar(t, 'interrupted');
      this.#release(t);
      Object.assign(t, { state: 'queued', pid: null, cpuPercent: null, rss: null, error: `lost with ${t.host ?? 'its agent'}; requeued` } satisfies Partial<TaskInfo>);
    } else if (e.kind === 'superseded') {
      t.error = `attempt ${e.report.row.attempt} on ${e.report.row.host} ran on after its lock was lost: a duplicate run, superseded`;
    } else if (e.kind === 'failed') {
      this.#release(t);
      Object.assign(t, { state: 'failed', outcome: 'failed', endedAt: Date.now(), pid: null, error: e.reason } satisfies Partial<TaskInfo>);
      this.#ended.push(Date.now());
    }
    this.#changed.add(e.seq);
    this.#count(before, -1);
    this.#count(t.state, 1);
    if (!ENDED_STATES.has(before) && ENDED_STATES.has(t.state)) this.#forgetOld(e.seq);
  }

  #count(s: TaskState, n: number): void {
    this.#tally.set(s, (this.#tally.get(s) ?? 0) + n);
  }

  /** Memory follows the tasks kept for the table, not the job: the oldest ended ones go. */
  #forgetOld(seq: number): void {
    this.#endedSeqs.push(seq);
    while (this.#endedSeqs.length > ENDED_KEPT) {
      const old = this.#endedSeqs.shift()!;
      if (this.#changed.has(old) || !ENDED_STATES.has(this.#tasks.get(old)?.state ?? 'queued')) continue;
      this.#tasks.delete(old);
      this.#outputs.delete(old);
    }
  }

  /** Tasks changed since the last call (whole records); running ones always, their runtime grows. */
  takeChanged(now = Date.now()): TaskInfo[] {
    for (const seq of this.#laneTask.values()) {
      const t = this.#tasks.get(seq)!;
      if (t.state === 'running' && t.startedAt !== null) t.runtimeMs = now - t.startedAt;
      this.#changed.add(seq);
    }
    const out = [...this.#changed].map((s) => ({ ...this.#tasks.get(s)! }));
    this.#changed.clear();
    return out;
  }

  tasks(): TaskInfo[] {
    return [...this.#tasks.values()].sort((a, b) => a.seq - b.seq);
  }

  task(seq: number): TaskInfo | null {
    return this.#tasks.get(seq) ?? null;
  }

  output(seq: number): Buffer | null {
    return this.#outputs.get(seq) ?? null;
  }

  slots(): SlotSample[] {
    return Array.from({ length: this.#lanes }, (_, i) => ({ slot: i + 1, taskSeq: this.#laneTask.get(i + 1) ?? null, cpuPercent: 0, rss: 0, procs: 0 }));
  }

  stream(from: number, to: number): StreamSlice {
    return { from, to, through: Date.now(), bars: this.#bars.filter((b) => b.end >= from && b.start <= to), blocks: [] };
  }

  counts(): JobCounts {
    const c: JobCounts = { total: this.#o.total, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: this.#o.skipped };
    let seen = 0;
    for (const [state, n] of this.#tally) {
      const one = { ...c, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
      countState(one, state);
      for (const k of ['queued', 'running', 'done', 'failed', 'killed', 'interrupted'] as const) c[k] += one[k] * n;
      seen += n;
    }
    c.queued += this.#o.total - this.#o.skipped - seen;
    return c;
  }

  info(): JobInfo {
    const now = Date.now();
    while (this.#ended.length && now - this.#ended[0] > 60_000) this.#ended.shift();
    const windowS = Math.min(60, Math.max(1, (now - this.startedAt) / 1000));
    return {
      name: this.#o.name, file: this.#o.file, state: this.state, kind: 'command', ordering: 'input', poolSize: this.#lanes, dispatchPaused: false,
      counts: this.counts(), startedAt: this.startedAt, endedAt: this.endedAt, tasksPerSecond: this.#ended.length / windowS, etaMs: null,
      haltReason: this.haltReason, joblog: this.#o.joblog,
    };
  }

  #task(seq: number): TaskInfo {
    let t = this.#tasks.get(seq);
    if (!t) {
      t = { seq, input: this.#o.inputOf(seq), command: this.#o.commandOf(seq), state: 'queued', slot: null, attempt: 0, pid: null, pids: [], memoryScope: 'tree', ...attemptFields(null) };
      this.#tasks.set(seq, t);
      this.#count('queued', 1);
    }
    return t;
  }

  /** Each host's lanes together: slot s of host h is lane base(h) + s. */
  #lane(host: string, slot: number): number {
    let l = this.#laneBase.get(host);
    if (!l) {
      l = { base: this.#lanes, slots: this.#o.slotsOf(host) ?? DEFAULT_HOST_LANES };
      this.#laneBase.set(host, l);
      this.#lanes += l.slots;
    }
    return l.base + Math.min(slot, l.slots);
  }

  #release(t: TaskInfo): void {
    if (t.slot !== null && this.#laneTask.get(t.slot) === t.seq) this.#laneTask.delete(t.slot);
  }

  #bar(t: TaskInfo, outcome: StreamBar['outcome']): void {
    if (t.startedAt === null || t.slot === null) return;
    this.#bars.push({ seq: t.seq, attempt: t.attempt, slot: t.slot, start: t.startedAt, end: Date.now(), outcome });
    if (this.#bars.length > BARS_KEPT) this.#bars.splice(0, this.#bars.length - BARS_KEPT);
  }

  #keepOutput(seq: number, bytes: Buffer): void {
    this.#outputs.delete(seq);
    this.#outputs.set(seq, bytes);
    if (this.#outputs.size > OUTPUTS_KEPT) this.#outputs.delete(this.#outputs.keys().next().value!);
  }
}
