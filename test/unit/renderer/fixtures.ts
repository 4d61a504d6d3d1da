import type { JobInfo, PoolSample, Snapshot, TaskInfo, Tick } from '../../../main/contract/types.js';

// Builders for contract records with sensible defaults, overridable per test.

export function task(seq: number, over: Partial<TaskInfo> = {}): TaskInfo {
  return {
    seq, input: `in-${seq}`, command: `echo in-${seq}`, state: 'queued', outcome: null, slot: null, attempt: 0, pid: null, pids: [],
    startedAt: null, endedAt: null, exitCode: null, signal: null, error: null, cpuPercent: 0, rss: 0, peakRss: 0, cpuSeconds: 0,
    memoryScope: 'tree', rssAtStart: null, runtimeMs: 0, progress: null, stuck: null, stopping: null, lastActivityAt: null, ...over,
  };
}

export function job(over: Partial<JobInfo> = {}): JobInfo {
  return {
    name: 'j', file: null, state: 'running', kind: 'command', ordering: 'input', poolSize: 2, dispatchPaused: false,
    counts: { total: 10, queued: 8, running: 2, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 }, startedAt: 0, endedAt: null,
    tasksPerSecond: 0, etaMs: null, haltReason: null, joblog: null, ...over,
  };
}

export function pool(time: number, over: Partial<PoolSample> = {}): PoolSample {
  return { time, cpuPercent: 0, machinePercent: 0, rss: 0, procs: 0, queued: 0, running: 0, ...over };
}

export function tick(n: number, over: Partial<Tick> = {}): Tick {
  const time = 1_000_000 + n * 1000;
  return {
    n, time, intervalMs: 1000, job: job(), tasks: [],
    slots: [
      { slot: 1, taskSeq: null, cpuPercent: 10, rss: 100, procs: 1 },
      { slot: 2, taskSeq: null, cpuPercent: 20, rss: 200, procs: 1 },
    ],
    pool: pool(time), machine: { cores: 2, perCore: [0, 0], loadAvg: [0, 0, 0], freeMem: 1, totalMem: 2 }, ...over,
  };
}

export function snapshot(n: number, over: Partial<Snapshot> = {}): Snapshot {
  return {
    tick: n, time: 1_000_000 + n * 1000, job: job(), settings: { tickMs: 1000 }, tasks: [], slots: [], pool: [], slotHistory: {},
    machine: { cores: 2, perCore: [0, 0], loadAvg: [0, 0, 0], freeMem: 1, totalMem: 2 }, leftovers: [], jobText: null, ...over,
  };
}
