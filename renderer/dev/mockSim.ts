import type {
  JobInfo, MachineSample, PoolSample, SeriesPoint, SlotSample, StopProgress, TaskInfo, Tick,
} from '../../main/contract/types.js';

// A simulated supervisor for `?mock`: a log-compression job on a small pool, stepping once per
// second of its own clock. Deterministic (seeded) so screenshots are repeatable.

export interface SimTask extends TaskInfo {
  durationMs: number; // how long this attempt will run
  willFail: boolean;
  hang: boolean; // never finishes, goes idle and silent (the stuck one)
  ioWait: boolean; // idle and silent for a while (waits on I/O), then finishes: suspect, never stuck
  ignoresTerm: boolean;
  endRss: number | null; // RSS at the last sample of the attempt (a module host keeps it)
  history: SeriesPoint[];
  output: string;
}

export const cores = 8;
const mib = 1024 * 1024;
const termSeq = { step: 'TERM', next: 'KILL', waitMs: 10_000 };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SimOptions {
  /** How long attempt 1 of task `seq` runs (ms of simulated time); default: 6–46 s, skewed short. */
  durationMs?: (seq: number, r: number) => number;
  /** Keep no output text or per-task history (long soaks: the simulator's own heap stays flat). */
  lean?: boolean;
  /** A module job: tasks run in a reused host per slot, so memory figures are the host's. */
  module?: boolean;
}

// Tasks that wait on I/O long enough to look suspect; every 19th task is too short to be sampled.
const ioWaitSeqs = new Set([27, 29]);
const shortMs = 400;
const hostBaseRss = 42 * mib;

export class Sim {
  readonly rand = rng(42);
  readonly #o: SimOptions;
  #queuedFrom = 0; // no queued task before this index
  tasks: SimTask[] = [];
  job: JobInfo | null = null;
  poolHistory: PoolSample[] = [];
  slotHistory = new Map<number, SeriesPoint[]>();
  slotSamples: SlotSample[] = [];
  n = 0;
  now: number;
  changed = new Set<number>();
  finishedTimes: number[] = [];
  readonly #hostRss = new Map<number, number>(); // slot → RSS its module host was left with

  constructor(start: number, o: SimOptions = {}) {
    this.now = start;
    this.#o = o;
  }

  load(total: number, poolSize: number): void {
    this.tasks = Array.from({ length: total }, (_, i) => this.#newTask(i + 1));
    this.#live.clear();
    this.#queuedFrom = 0;
    this.job = {
      name: this.#o.module ? 'thumbnails' : 'compress-logs', file: this.#o.module ? 'jobs/thumbnails.yaml' : 'jobs/compress-logs.yaml',
      state: 'ready', kind: this.#o.module ? 'module' : 'command', ordering: 'input',
      poolSize, dispatchPaused: false, counts: this.#counts(), startedAt: null, endedAt: null,
      tasksPerSecond: 0, etaMs: null, haltReason: null, joblog: 'corral-joblog.tsv',
    };
    this.slotHistory.clear();
    this.#hostRss.clear();
    this.changed = new Set(this.tasks.map((t) => t.seq));
  }

  #newTask(seq: number): SimTask {
    const day = String(1 + (seq % 28)).padStart(2, '0');
    const input = `logs/2024-05-${day}/app-${String(seq).padStart(4, '0')}.log`;
    const r = this.rand();
    return {
      seq, input, command: this.#o.module ? `thumbnail(${input})` : `xz -9 -k '${input}'`, state: 'queued', outcome: null, slot: null, attempt: 0, pid: null, pids: [],
      startedAt: null, endedAt: null, exitCode: null, signal: null, error: null, cpuPercent: null, rss: null, peakRss: null,
      cpuSeconds: null, memoryScope: this.#o.module ? 'host' : 'tree', rssAtStart: null, runtimeMs: 0, progress: null, stuck: null, stopping: null, lastActivityAt: null,
      durationMs: this.#duration(seq, r), willFail: this.rand() < 0.07, hang: seq === 23, ioWait: ioWaitSeqs.has(seq),
      ignoresTerm: seq === 41, endRss: null, history: [], output: '',
    };
  }

  #duration(seq: number, r: number): number {
    if (this.#o.durationMs) return this.#o.durationMs(seq, r);
    if (ioWaitSeqs.has(seq)) return 75_000;
    if (seq % 19 === 0) return shortMs;
    return 6_000 + Math.floor(r * r * 40_000);
  }

  /** Tasks started and not ended: what `running` looks through (not all 30 000 of a soak, several times a tick). */
  readonly #live = new Set<SimTask>();

  get running(): SimTask[] {
    return [...this.#live].filter((t) => t.slot !== null && ['running', 'suspect', 'stuck', 'stopping', 'paused'].includes(t.state));
  }

  /** Advances the simulation by one second and returns the tick. */
  step(): Tick {
    this.now += 1000;
    this.n++;
    const job = this.job;
    if (job && ['running', 'paused', 'draining', 'stopping'].includes(job.state)) {
      for (const t of this.running) this.#advance(t);
      if (job.state === 'running' && !job.dispatchPaused) this.#dispatch();
      if (this.running.length === 0 && (job.state !== 'running' || !this.tasks.some((t) => t.state === 'queued'))) {
        job.state = job.state === 'running' ? 'finished' : 'stopped';
        job.endedAt = this.now;
      }
    }
    return this.#tick();
  }

  #dispatch(): void {
    const job = this.job as JobInfo;
    const busy = new Set(this.running.map((t) => t.slot));
    for (let slot = 1; slot <= job.poolSize; slot++) {
      if (busy.has(slot)) continue;
      while (this.#queuedFrom < this.tasks.length && this.tasks[this.#queuedFrom].state !== 'queued') this.#queuedFrom++;
      const next = this.tasks[this.#queuedFrom];
      if (!next) return;
      this.#start(next, slot);
    }
  }

  #start(t: SimTask, slot: number): void {
    const pid = 4000 + t.seq * 3 + t.attempt * 1000;
    Object.assign(t, {
      state: 'running', outcome: null, slot, attempt: t.attempt + 1, pid, pids: this.#o.module ? [pid] : [pid, pid + 1], startedAt: this.now,
      endedAt: null, exitCode: null, signal: null, error: null, cpuPercent: null, rss: null, cpuSeconds: null, runtimeMs: 0, peakRss: null,
      lastActivityAt: this.now, stuck: null, stopping: null, history: [], endRss: null,
      rssAtStart: this.#o.module ? (this.#hostRss.get(slot) ?? hostBaseRss) : null,
    });
    if (!this.#o.lean) t.output += `+ xz -9 -k '${t.input}'\n`;
    this.#live.add(t);
    this.changed.add(t.seq);
  }

  #advance(t: SimTask): void {
    this.changed.add(t.seq);
    t.runtimeMs = this.now - (t.startedAt ?? this.now);
    // Ends between two samples: never measured, so its numbers stay unknown.
    if (t.state === 'running' && t.durationMs < 1000) {
      this.#end(t, 'done', 0, null);
      t.endedAt = (t.startedAt ?? this.now) + t.durationMs;
      t.runtimeMs = t.durationMs;
      return;
    }
    const waiting = t.ioWait && t.runtimeMs > 4_000 && t.runtimeMs < 50_000;
    if (t.ioWait && !waiting && t.state === 'suspect') Object.assign(t, { state: 'running', stuck: null, lastActivityAt: this.now });
    if (t.state === 'paused') {
      t.cpuPercent = 0;
    } else if ((t.hang && t.runtimeMs > 4_000) || waiting) {
      t.cpuPercent = 0.1 * this.rand();
      const idle = this.now - (t.lastActivityAt ?? this.now);
      if (idle > 30_000) {
        const stuck = idle > 60_000 && t.hang;
        t.state = t.state === 'stopping' ? 'stopping' : stuck ? 'stuck' : 'suspect';
        const since = (t.lastActivityAt ?? this.now) + 30_000;
        const reasons = [`CPU ${(idle / 1000 * 0.0005).toFixed(1)} s in ${Math.round(idle / 1000)} s`, `no output for ${Math.round(idle / 1000)} s`];
        t.stuck = { state: stuck ? 'stuck' : 'suspect', rules: ['cpuIdle', 'silent'], since, reasons, summary: reasons.join('; ') };
      }
    } else {
      t.cpuPercent = Math.max(2, 88 + (this.rand() - 0.5) * 10 + ((t.seq * 13) % 9) - (t.state === 'stopping' ? 60 : 0));
      if (this.rand() < 0.5) {
        if (!this.#o.lean) t.output += `${t.input}: ${Math.min(100, Math.round((t.runtimeMs / t.durationMs) * 100))}% done, ${(t.runtimeMs / 1000 * 3.1).toFixed(1)} MiB in\n`;
        t.lastActivityAt = this.now;
      }
    }
    t.cpuSeconds = (t.cpuSeconds ?? 0) + (t.cpuPercent ?? 0) / 100;
    const own = Math.round((18 + Math.min(160, t.runtimeMs / 250) * (0.6 + 0.4 * ((t.seq * 7) % 10) / 10)) * mib);
    // A module host keeps what earlier tasks left (GC returns only part of it).
    t.rss = t.state === 'paused' ? (t.rss ?? 0) : t.rssAtStart !== null ? t.rssAtStart + Math.round(own / 4) : own;
    t.endRss = t.rss;
    t.peakRss = Math.max(t.peakRss ?? 0, t.rss);
    if (!this.#o.lean) t.history.push({ t: this.now, cpu: t.cpuPercent ?? 0, rss: t.rss, procs: t.pids.length });
    if (t.history.length > 300) t.history.shift();

    if (t.state === 'stopping' && t.stopping) {
      const s = t.stopping;
      const state = s.reason === 'user' ? 'killed' : 'interrupted';
      if (s.nextAt !== null && this.now >= s.nextAt) this.#end(t, state, null, 'SIGKILL', `killed by ${s.next} after ${s.step} (kill sequence)`);
      else if (!t.ignoresTerm && this.now - s.startedAt >= 2000) this.#end(t, state, null, 'SIGTERM', `ended by ${s.step} (kill sequence)`);
      return;
    }
    if (!t.hang && t.state === 'running' && t.runtimeMs >= t.durationMs) {
      if (t.willFail && t.attempt === 1) this.#end(t, 'failed', 1, null, 'xz: File format not recognized');
      else this.#end(t, 'done', 0, null);
    }
  }

  #end(t: SimTask, state: 'done' | 'failed' | 'killed' | 'interrupted', exitCode: number | null, signal: string | null, error: string | null = null): void {
    Object.assign(t, {
      state, outcome: state === 'done' ? 'ok' : state, endedAt: this.now, exitCode, signal, error, pids: [], pid: null,
      cpuPercent: null, rss: null, stopping: null, stuck: null,
    });
    this.#live.delete(t);
    if (t.rssAtStart !== null && t.slot !== null && t.endRss !== null) this.#hostRss.set(t.slot, t.endRss);
    if (error && !this.#o.lean) t.output += `${error}\n`;
    this.finishedTimes.push(this.now);
    this.changed.add(t.seq);
  }

  stop(t: SimTask, mode: 'graceful' | 'force', reason: StopProgress['reason']): void {
    if (mode === 'force') return this.#end(t, reason === 'user' ? 'killed' : 'interrupted', null, 'SIGKILL', 'killed by KILL (force)');
    t.state = 'stopping';
    t.stopping = { mode, step: termSeq.step, next: termSeq.next, nextAt: this.now + termSeq.waitMs, startedAt: this.now, reason };
    this.changed.add(t.seq);
  }

  /** A job stop: running tasks end as interrupted (not the user's kill); queued ones are "not run". */
  stopJob(mode: 'drain' | 'graceful' | 'force'): void {
    if (!this.job) return;
    this.job.state = mode === 'drain' ? 'draining' : 'stopping';
    if (mode !== 'drain') for (const t of this.running) if (t.state !== 'stopping') this.stop(t, mode, 'job-stop');
  }

  start(): void {
    if (!this.job) return;
    this.job.state = 'running';
    this.job.startedAt = this.now;
    this.#dispatch();
  }

  retry(t: SimTask): void {
    Object.assign(t, { state: 'queued', outcome: null, willFail: false, endedAt: null });
    this.#queuedFrom = Math.min(this.#queuedFrom, t.seq - 1);
    this.changed.add(t.seq);
  }

  #counts(): JobInfo['counts'] {
    const c = { total: this.tasks.length, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
    for (const t of this.tasks) {
      if (t.state === 'queued') c.queued++;
      else if (t.state === 'done') c.done++;
      else if (t.state === 'skipped') c.skipped++;
      else if (t.state === 'killed') c.killed++;
      else if (t.state === 'interrupted') c.interrupted++;
      else if (['failed', 'timeout', 'memory-killed'].includes(t.state)) c.failed++;
      else c.running++;
      if (t.state === 'suspect') c.suspect++;
      if (t.state === 'stuck') c.stuck++;
    }
    return c;
  }

  #tick(): Tick {
    const job = this.job;
    const slots: SlotSample[] = [];
    const size = job?.poolSize ?? 0;
    const running = this.running;
    for (let s = 1; s <= size; s++) {
      const t = running.find((r) => r.slot === s);
      const sample = { slot: s, taskSeq: t?.seq ?? null, cpuPercent: t?.cpuPercent ?? 0, rss: t?.rss ?? 0, procs: t?.pids.length ?? 0 };
      slots.push(sample);
      const h = this.slotHistory.get(s) ?? [];
      h.push({ t: this.now, cpu: sample.cpuPercent, rss: sample.rss, procs: sample.procs });
      if (h.length > 600) h.shift();
      this.slotHistory.set(s, h);
    }
    this.slotSamples = slots;
    if (job) {
      job.counts = this.#counts();
      this.finishedTimes = this.finishedTimes.filter((x) => x > this.now - 60_000);
      const span = Math.min(60, Math.max(1, (this.now - (job.startedAt ?? this.now)) / 1000));
      job.tasksPerSecond = job.startedAt ? this.finishedTimes.length / span : 0;
      job.etaMs = job.tasksPerSecond > 0 && job.state === 'running' ? ((job.counts.queued + job.counts.running) / job.tasksPerSecond) * 1000 : null;
    }
    const cpu = slots.reduce((a, s) => a + s.cpuPercent, 0);
    const pool: PoolSample = {
      time: this.now, cpuPercent: cpu, machinePercent: cpu / cores, rss: slots.reduce((a, s) => a + s.rss, 0),
      procs: slots.reduce((a, s) => a + s.procs, 0), queued: job?.counts.queued ?? 0, running: job?.counts.running ?? 0,
    };
    this.poolHistory.push(pool);
    if (this.poolHistory.length > 1800) this.poolHistory.shift();
    const changed = [...this.changed].map((seq) => this.public(this.tasks[seq - 1]));
    this.changed.clear();
    return { n: this.n, time: this.now, intervalMs: 1000, job: job ? { ...job } : null, tasks: changed, slots, pool, machine: this.machine(cpu) };
  }

  machine(poolCpu = 0): MachineSample {
    const base = poolCpu / cores;
    return {
      cores, perCore: Array.from({ length: cores }, () => Math.min(100, base + this.rand() * 8)),
      loadAvg: [poolCpu / 100 + 0.3, poolCpu / 100 + 0.2, poolCpu / 100], freeMem: 9.2 * 1024 * mib, totalMem: 16 * 1024 * mib,
    };
  }

  /** The contract's view of a task (no simulation fields). */
  public(t: SimTask): TaskInfo {
    const { durationMs: _d, willFail: _w, hang: _h, ioWait: _io, ignoresTerm: _i, endRss: _e, history: _hi, output: _o, ...info } = t;
    return { ...info, pids: [...info.pids] };
  }
}
