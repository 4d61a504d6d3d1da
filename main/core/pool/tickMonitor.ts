import type { JobInfo, MachineSample, PoolSample, ProcessInfo, SeriesPoint, SlotSample, TaskState } from '../../contract/types.js';
import { createStuckDetector, downsample, machineSample, SeriesRing, type Sampler, type StuckDetector, type CpuTimes } from '../monitor/index.js';
import { processStartTime } from '../stop/index.js';
import { formatBytes } from '../run/bytes.js';
import { recordSampledTree } from './treeCheck.js';
import type { JobRun } from './jobRun.js';
import { detach } from '../errors.js';
import { stopAttempt } from './taskControl.js';
import type { TaskRecord } from './task.js';
import { readSwap } from '../monitor/machine.js';
import { ExitCpu, type ReapedCpu } from './exitCpu.js';

export interface TickResult {
  /** The job's state after this tick's checks (null without a job) */
  job: JobInfo | null;
  slots: SlotSample[];
  pool: PoolSample;
  machine: MachineSample;
}

export interface TickMonitorOptions {
  sampler: Sampler;
  /** Points kept per series (default 1 h at 1 s) */
  historyPoints?: number;
  changed(t: TaskRecord): void;
  stuckNotice(t: TaskRecord): void;
  /** A stop the monitor started failed: a bug to report */
  onError(err: Error): void;
  /** The spawn helper's reaped-children CPU, for the command tasks that end between samples (exitCpu.ts) */
  reapedCpu?: () => ReapedCpu | null;
}

interface TaskWatch {
  /** The sampler's key: one per attempt. The sampler carries a key's CPU total and known processes from
   * sample to sample, so a retry under the task's seq would start with its earlier attempt's CPU. */
  key: number;
  attempt: number;
  detector: StuckDetector;
  startTime: string | undefined;
  overLimitTicks: number;
  /** A command task (its tree is reaped by the spawn helper) and the CPU samples counted for it */
  command: boolean;
  sampledMs: number;
}

const LIVE_POINTS = 600;
const ENDED_POINTS = 60;
const ENDED_KEPT = 5000;

const RUNNING_LIKE: ReadonlySet<TaskState> = new Set(['running', 'suspect', 'stuck']);

/**
 * Once per tick: samples every running task's tree, updates the tasks' numbers, runs the
 * stuck rules and the memory limit, and keeps the pool and slot series (bounded rings).
 */
export class TickMonitor {
  readonly pool: SeriesRing;
  readonly slotSeries = new Map<number, SeriesRing>();
  /** Running tasks: full-resolution history (10 min at 1 s) and the last view of their tree */
  readonly #liveSeries = new Map<number, SeriesRing>();
  readonly #lastTree = new Map<number, ProcessInfo[]>();
  /** Ended tasks: a downsampled history, for the most recent ones only, so memory stays bounded */
  readonly #endedSeries = new Map<number, SeriesPoint[]>();
  #opts: TickMonitorOptions;
  #watch = new Map<number, TaskWatch>();
  #nextKey = 1;
  #cpuTimes: CpuTimes[] | undefined;
  #lastMachine: MachineSample;
  #lastSlots: SlotSample[] = [];
  #historyPoints: number;
  readonly #exitCpu = new ExitCpu();
  #lastTickAt: number | null = null;

  constructor(opts: TickMonitorOptions) {
    this.#opts = opts;
    this.#historyPoints = opts.historyPoints ?? 3600;
    this.pool = new SeriesRing(this.#historyPoints);
    const m = machineSample();
    this.#cpuTimes = m.cpuTimes;
    this.#lastMachine = { cores: m.cores, perCore: m.perCore, loadAvg: m.loadAvg, freeMem: m.freeMem, totalMem: m.totalMem, swap: readSwap() };
  }

  get machine(): MachineSample {
    return this.#lastMachine;
  }

  get slots(): SlotSample[] {
    return this.#lastSlots;
  }

  /** Forget per-job state (a new job was loaded). */
  reset(): void {
    this.#watch.clear();
    this.slotSeries.clear();
    this.#liveSeries.clear();
    this.#lastTree.clear();
    this.#endedSeries.clear();
    this.pool.clear();
    this.#lastSlots = [];
    this.#exitCpu.reset();
  }

  async tick(run: JobRun | null, now = Date.now()): Promise<TickResult> {
    const m = machineSample(this.#cpuTimes);
    this.#cpuTimes = m.cpuTimes;
    const machine: MachineSample = { cores: m.cores, perCore: m.perCore, loadAvg: m.loadAvg, freeMem: m.freeMem, totalMem: m.totalMem, swap: readSwap() };
    this.#lastMachine = machine;
    if (!run) {
      const pool: PoolSample = { time: now, cpuPercent: 0, machinePercent: 0, rss: 0, procs: 0, queued: 0, running: 0 };
      return { slots: [], pool, machine, job: null };
    }
    // The running tasks are the slots' tasks: no scan over every task of the job.
    const live: TaskRecord[] = [];
    for (const s of run.slots) {
      const t = s.taskSeq === null ? undefined : run.held(s.taskSeq);
      if (t?.live && t.live.pid !== null) live.push(t);
    }
    for (const t of live) {
      const w = this.#watch.get(t.seq);
      if (!w || w.attempt !== t.live!.n) {
        this.#watch.set(t.seq, {
          key: this.#nextKey++,
          attempt: t.live!.n,
          detector: createStuckDetector(run.spec.stuck),
          startTime: processStartTime(t.live!.pid!),
          overLimitTicks: 0,
          command: t.live!.kind === 'command',
          sampledMs: 0,
        });
      }
    }
    const samples = await this.#opts.sampler.sample(
      live.map((t) => ({ key: this.#watch.get(t.seq)!.key, pid: t.live!.pid!, pgid: t.live!.pgid, startTime: this.#watch.get(t.seq)!.startTime })),
    );
    const median = run.medianRuntimeMs();
    const bySlot = new Map<number, SlotSample>();
    for (const t of live) {
      if (!t.live) continue; // ended while we sampled
      const s = samples.get(this.#watch.get(t.seq)!.key);
      const info = t.info;
      const l = t.live;
      info.runtimeMs = now - l.startedAt - l.pausedMs - (l.paused && l.pausedAt ? now - l.pausedAt : 0);
      if (s) {
        info.cpuPercent = s.cpuPercent;
        info.rss = s.rss;
        info.peakRss = Math.max(info.peakRss ?? 0, s.rss);
        if (!Number.isNaN(l.cpuBaselineS)) info.cpuSeconds = Math.max(0, s.cpuSeconds - l.cpuBaselineS);
        info.pids = s.pids;
        t.treeProcs = recordSampledTree(t.treeProcs, s.pids, s.startTimes);
      }
      // Series points are measurements: a tick without a sample of this tree adds none.
      if (s) this.#series(this.#liveSeries, t.seq, { t: now, cpu: s.cpuPercent, rss: s.rss, procs: s.pids.length }, LIVE_POINTS);
      if (s) this.#lastTree.set(t.seq, s.procs);
      const w = this.#watch.get(t.seq)!;
      if (s) w.sampledMs = (info.cpuSeconds ?? 0) * 1000;
      bySlot.set(l.slot, { slot: l.slot, taskSeq: t.seq, cpuPercent: info.cpuPercent ?? 0, rss: info.rss ?? 0, procs: info.pids.length });
      this.#memoryLimit(run, t, w);
      this.#stuck(run, t, w, s?.blocked ?? [], median, now);
      this.#opts.changed(t);
    }
    let sampledEndedMs = 0;
    for (const [seq, w] of this.#watch) {
      if (run.held(seq)?.live) continue;
      if (w.command) sampledEndedMs += w.sampledMs;
      this.#watch.delete(seq);
      this.#retire(seq);
    }
    run.checkRelativeTimeouts(now);

    const slots: SlotSample[] = run.slots.map(
      (s) => bySlot.get(s.index) ?? { slot: s.index, taskSeq: s.taskSeq, cpuPercent: 0, rss: 0, procs: 0 },
    );
    for (const s of slots) this.#series(this.slotSeries, s.slot, { t: now, cpu: s.cpuPercent, rss: s.rss, procs: s.procs }, this.#historyPoints);
    this.#lastSlots = slots;
    // Tasks that ended since the last tick: their CPU measured at exit, spread over the interval.
    const exitMs = this.#exitCpu.take(this.#opts.reapedCpu?.() ?? null, sampledEndedMs);
    const dt = this.#lastTickAt === null ? 0 : now - this.#lastTickAt;
    this.#lastTickAt = now;
    const cpu = slots.reduce((a, s) => a + s.cpuPercent, 0) + (dt > 0 ? (exitMs / dt) * 100 : 0);
    const rss = slots.reduce((a, s) => a + s.rss, 0);
    const procs = slots.reduce((a, s) => a + s.procs, 0);
    const info = run.info();
    const pool: PoolSample = {
      time: now,
      cpuPercent: cpu,
      machinePercent: cpu / Math.max(1, machine.cores),
      rss,
      procs,
      queued: info.counts.queued,
      running: info.counts.running,
    };
    this.pool.push({ t: now, cpu, rss, procs });
    this.#poolQueue.push(pool.queued);
    if (this.#poolQueue.length > this.#historyPoints) this.#poolQueue.shift();
    return { slots, pool, machine, job: info };
  }

  /** Queue depth per pool point, parallel to `pool` */
  #poolQueue: number[] = [];

  poolHistory(): PoolSample[] {
    const pts = this.pool.toArray();
    const q = this.#poolQueue.slice(-pts.length);
    const cores = Math.max(1, this.#lastMachine.cores);
    return pts.map((p, i) => ({ time: p.t, cpuPercent: p.cpu, machinePercent: p.cpu / cores, rss: p.rss, procs: p.procs, queued: q[i] ?? 0, running: 0 }));
  }

  /** CPU/RSS history of a task: live at full resolution, or the downsampled one kept after it ended. */
  taskHistory(seq: number): SeriesPoint[] {
    return this.#liveSeries.get(seq)?.toArray() ?? this.#endedSeries.get(seq)?.slice() ?? [];
  }

  /** The task's process tree as of the last tick (empty once it ended). */
  taskTree(seq: number): ProcessInfo[] {
    return this.#lastTree.get(seq)?.map((p) => ({ ...p })) ?? [];
  }

  #retire(seq: number): void {
    const ring = this.#liveSeries.get(seq);
    this.#liveSeries.delete(seq);
    this.#lastTree.delete(seq);
    if (!ring) return;
    this.#endedSeries.delete(seq); // a retried task's newest attempt goes to the back
    this.#endedSeries.set(seq, downsample(ring.toArray(), ENDED_POINTS));
    if (this.#endedSeries.size > ENDED_KEPT) this.#endedSeries.delete(this.#endedSeries.keys().next().value!);
  }

  #series(map: Map<number, SeriesRing>, key: number, p: SeriesPoint, cap: number): void {
    let ring = map.get(key);
    if (!ring) map.set(key, (ring = new SeriesRing(cap)));
    ring.push(p);
  }

  /** Over the limit for two consecutive ticks → kill sequence, outcome memory-killed. */
  #memoryLimit(run: JobRun, t: TaskRecord, w: TaskWatch): void {
    const limit = run.spec.memoryLimit;
    if (limit === null || !t.live || t.live.stopReason) return;
    const rss = t.info.rss ?? 0;
    w.overLimitTicks = rss > limit ? w.overLimitTicks + 1 : 0;
    if (w.overLimitTicks >= 2) {
      t.live.stopMessage = `memory limit exceeded: ${formatBytes(rss)} > ${formatBytes(limit)}`;
      t.info.error = t.live.stopMessage;
      detach(stopAttempt(t, 'graceful', 'memory', run.spec, this.#opts.changed), this.#opts.onError);
    }
  }

  #stuck(run: JobRun, t: TaskRecord, w: TaskWatch, blocked: number[], median: number | null, now: number): void {
    const l = t.live!;
    const evidence = w.detector.update({
      now,
      startedAt: l.startedAt,
      cpuSeconds: t.info.cpuSeconds,
      lastActivityAt: t.info.lastActivityAt,
      blockedPids: blocked,
      paused: l.paused,
      medianRuntimeMs: median,
    });
    if (l.stopReason || l.paused) {
      t.info.stuck = null;
      return;
    }
    const was = t.info.stuck?.state ?? null;
    t.info.stuck = evidence;
    if (RUNNING_LIKE.has(t.info.state)) t.info.state = evidence ? evidence.state : 'running';
    if (evidence?.state === 'stuck' && was !== 'stuck') {
      this.#opts.stuckNotice(t);
      const action = run.spec.stuck.action;
      if (action === 'kill' || action === 'retry') {
        t.live!.stopMessage = `stuck: ${evidence.summary}`;
        detach(stopAttempt(t, 'graceful', 'stuck', run.spec, this.#opts.changed), this.#opts.onError);
      }
    }
  }
}
