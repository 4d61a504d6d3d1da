import os from 'node:os';
import pidusageModule from 'pidusage';
import { listLinuxFrom, listProcesses, resolveTrees, type TreeRoot } from './processTable.js';
import type { ProcRow } from './types.js';

export interface ProcessSample {
  pid: number;
  ppid: number;
  name: string;
  state: string;
  cpuPercent: number; // % of one core since this sampler's previous sample
  rss: number; // bytes
}

export interface TreeSample {
  pids: number[];
  /** Start time of each of `pids` (same order): the kill path's pid-reuse guard */
  startTimes: string[];
  procs: ProcessSample[];
  /** % of one core for the whole tree since the previous sample of that key (0 on the first) */
  cpuPercent: number;
  /** Cumulative tree CPU seconds, exited descendants included as last seen; never decreases */
  cpuSeconds: number;
  rss: number;
  /** Pids in D state (uninterruptible wait) */
  blocked: number[];
}

export type SampleRoot = Omit<TreeRoot<number>, 'known'>;

/** The slice of pidusage we use: one batched call per sample. */
export type PidUsage = (pids: number[]) => Promise<Record<string, { ctime: number; memory: number } | undefined>>;

export interface SamplerOptions {
  platform?: NodeJS.Platform;
  listProcesses?: () => Promise<ProcRow[]>;
  /**
   * The processes reachable from these pids (Linux: listLinuxFrom). Between full scans (one every
   * `fullScanEvery` samples) the sampler reads only the trees; default: on Linux unless
   * listProcesses is given.
   */
  listFrom?: (seeds: number[]) => Promise<ProcRow[]>;
  /** A full process-table scan every N samples (default 10): it finds what left a tree unseen */
  fullScanEvery?: number;
  pidusage?: PidUsage;
  /**
   * Ask pidusage for CPU time and memory. Default: on everywhere but Linux, where the one
   * /proc scan already read utime+stime and rss from /proc/<pid>/stat (the same file
   * pidusage would read), so a second pass only costs time — see the measurements in
   * test/integration/monitor/accuracy.test.ts. When on under Linux, pidusage is told to use
   * `ps`: its /proc path caches one open fd per pid that clear() never closes.
   */
  usePidusage?: boolean;
  /** Monotonic ms clock for CPU % */
  now?: () => number;
}

export interface Sampler {
  sample(roots: readonly SampleRoot[]): Promise<Map<number, TreeSample>>;
  close(): void;
}

interface ProcMemo {
  startTime: string;
  cpuMs: number;
}

interface KeyState {
  at: number;
  /** Processes of the tree at this sample. Exited ones live on only inside cpuMsTotal,
   * so memory stays bounded for tasks that spawn millions of short processes. */
  live: Map<number, ProcMemo>;
  cpuMsTotal: number;
}

const defaultPidusage: PidUsage = (pids) =>
  pidusageModule(pids, { usePs: process.platform === 'linux' }) as ReturnType<PidUsage>;

export function createSampler(opts: SamplerOptions = {}): Sampler {
  const platform = opts.platform ?? process.platform;
  const list = opts.listProcesses ?? (() => listProcesses(platform));
  const listFrom = opts.listFrom ?? (!opts.listProcesses && platform === 'linux' ? (seeds: number[]) => listLinuxFrom(seeds) : null);
  const fullScanEvery = opts.fullScanEvery ?? 10;
  let samples = 0;
  const usePidusage = opts.usePidusage ?? platform !== 'linux';
  const pidusage = opts.pidusage ?? defaultPidusage;
  const now = opts.now ?? (() => performance.now());
  const states = new Map<number, KeyState>();
  let closed = false;

  async function usage(pids: number[]): Promise<Map<number, { cpuMs: number; rss: number }>> {
    const out = new Map<number, { cpuMs: number; rss: number }>();
    if (!usePidusage || pids.length === 0) return out;
    try {
      const stats = await pidusage(pids);
      for (const pid of pids) {
        const s = stats[String(pid)];
        if (s) out.set(pid, { cpuMs: s.ctime, rss: s.memory });
      }
    } catch {
      // A batch fails whole when ps finds none of the pids; the table's own values stand in.
    }
    return out;
  }

  async function sample(roots: readonly SampleRoot[]): Promise<Map<number, TreeSample>> {
    if (closed) throw new Error('sampler is closed');
    const withKnown = roots.map((r) => {
      const st = states.get(r.key);
      const known = st ? new Map([...st.live].map(([pid, m]) => [pid, m.startTime])) : undefined;
      return { ...r, known };
    });
    // With 1 000 other processes on the machine a full scan costs ~10× the trees' own reads.
    const full = !listFrom || samples++ % fullScanEvery === 0;
    const rows = full ? await list() : await listFrom(withKnown.flatMap((r) => [r.pid, ...(r.known?.keys() ?? [])]));
    const t = now();
    const trees = resolveTrees(rows, withKnown);
    const allPids = [...new Set([...trees.values()].flatMap((tree) => tree.map((p) => p.pid)))];
    const extra = await usage(allPids);

    const result = new Map<number, TreeSample>();
    for (const root of roots) {
      const tree = trees.get(root.key) ?? [];
      const prev = states.get(root.key);
      const dtMs = prev ? t - prev.at : 0;
      const st: KeyState = { at: t, live: new Map(), cpuMsTotal: prev?.cpuMsTotal ?? 0 };
      const procs: ProcessSample[] = [];
      const blocked: number[] = [];
      let rss = 0;
      for (const p of tree) {
        const u = extra.get(p.pid);
        const cpuMs = u?.cpuMs ?? p.cpuTimeMs ?? 0;
        const mem = u?.rss ?? p.rss ?? 0;
        const old = prev?.live.get(p.pid);
        const before = old && old.startTime === p.startTime ? old.cpuMs : undefined;
        // A process's CPU time never shrinks; clamp readings that jitter between sources.
        const cpuNow = before === undefined ? cpuMs : Math.max(before, cpuMs);
        st.cpuMsTotal += cpuNow - (before ?? 0);
        st.live.set(p.pid, { startTime: p.startTime, cpuMs: cpuNow });
        const procDelta = before === undefined ? 0 : cpuNow - before;
        procs.push({
          pid: p.pid,
          ppid: p.ppid,
          name: p.name,
          state: p.state,
          cpuPercent: dtMs > 0 ? (procDelta / dtMs) * 100 : 0,
          rss: mem,
        });
        rss += mem;
        if (p.state === 'D') blocked.push(p.pid);
      }
      const treeDelta = st.cpuMsTotal - (prev?.cpuMsTotal ?? 0);
      states.set(root.key, st);
      result.set(root.key, {
        pids: procs.map((p) => p.pid),
        startTimes: tree.map((p) => p.startTime),
        procs,
        cpuPercent: prev && dtMs > 0 ? (treeDelta / dtMs) * 100 : 0,
        cpuSeconds: st.cpuMsTotal / 1000,
        rss,
        blocked,
      });
    }
    // Keys not asked for any more are finished tasks: drop their memory.
    const asked = new Set(roots.map((r) => r.key));
    for (const key of [...states.keys()]) if (!asked.has(key)) states.delete(key);
    return result;
  }

  return {
    sample,
    close() {
      closed = true;
      states.clear();
      // Our pidusage path never opens /proc fds (ps on Linux), so clear() is all there is to release.
      if (usePidusage && !opts.pidusage) pidusageModule.clear();
    },
  };
}

export interface CpuTimes {
  idle: number;
  total: number;
}

export interface MachineReading {
  cores: number;
  perCore: number[]; // % busy per core since prev (0 without prev)
  loadAvg: [number, number, number];
  freeMem: number;
  totalMem: number;
  /** Pass back as `prev` next time */
  cpuTimes: CpuTimes[];
}

export interface MachineDeps {
  cpus: () => os.CpuInfo[];
  loadavg: () => number[];
  freemem: () => number;
  totalmem: () => number;
}

/** Machine-wide CPU per core from os.cpus() deltas, load average and memory. */
export function machineSample(prev?: readonly CpuTimes[], deps: MachineDeps = os): MachineReading {
  const cpuTimes = deps.cpus().map(({ times }) => ({
    idle: times.idle,
    total: times.user + times.nice + times.sys + times.idle + times.irq,
  }));
  const perCore = cpuTimes.map((c, i) => {
    const p = prev?.[i];
    const total = p ? c.total - p.total : 0;
    return total > 0 && p ? Math.min(100, Math.max(0, (1 - (c.idle - p.idle) / total) * 100)) : 0;
  });
  const [a = 0, b = 0, c = 0] = deps.loadavg();
  return { cores: cpuTimes.length, perCore, loadAvg: [a, b, c], freeMem: deps.freemem(), totalMem: deps.totalmem(), cpuTimes };
}
