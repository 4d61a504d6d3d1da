// The agent's tick: samples the trees of the tasks it runs (the same sampler a local run uses),
// so their rows carry peak RSS and CPU seconds, enforces the job's memory limit there, and sums
// what the host table shows for this agent.
import type { JobSpec } from '../job/types.js';
import { createSampler, type Sampler } from '../monitor/index.js';
import { formatBytes } from '../run/bytes.js';
import { stopAttempt } from '../pool/taskControl.js';
import type { TaskRecord } from '../pool/task.js';
import { recordSampledTree } from '../pool/treeCheck.js';
import { processStartTime } from '../stop/index.js';
import { detach } from '../errors.js';

export interface MonitoredTask {
  t: TaskRecord;
  spec: JobSpec;
}

interface Watch {
  /** The sampler's key for this attempt: its own for the attempt's whole life. The sampler keeps a key's
   * processes and CPU between samples, so a key reused by another task would hand it this one's tree. */
  key: number;
  attempt: number;
  startTime: string | undefined;
  overLimitTicks: number;
}

/** The agent's tasks right now, summed: the host table's CPU and memory. */
export interface AgentLoad {
  cpuPercent: number;
  rss: number;
}

export class AgentMonitor {
  readonly #sampler: Sampler;
  readonly #watch = new WeakMap<TaskRecord, Watch>();
  readonly #onError: (err: Error) => void;
  #nextKey = 1;
  load: AgentLoad = { cpuPercent: 0, rss: 0 };

  constructor(onError: (err: Error) => void, sampler: Sampler = createSampler()) {
    this.#sampler = sampler;
    this.#onError = onError;
  }

  async tick(tasks: readonly MonitoredTask[]): Promise<void> {
    const live = tasks.filter(({ t }) => t.live && t.live.pid !== null && !t.live.ended);
    for (const { t } of live) {
      const w = this.#watch.get(t);
      if (!w || w.attempt !== t.live!.n) this.#watch.set(t, { key: this.#nextKey++, attempt: t.live!.n, startTime: processStartTime(t.live!.pid!), overLimitTicks: 0 });
    }
    const keys = live.map(({ t }) => this.#watch.get(t)!);
    const samples = await this.#sampler.sample(live.map(({ t }, i) => ({ key: keys[i].key, pid: t.live!.pid!, pgid: t.live!.pgid, startTime: keys[i].startTime })));
    const load: AgentLoad = { cpuPercent: 0, rss: 0 };
    live.forEach(({ t, spec }, i) => {
      const s = samples.get(keys[i].key);
      if (!s || !t.live) return;
      const info = t.info;
      info.cpuPercent = s.cpuPercent;
      info.rss = s.rss;
      info.peakRss = Math.max(info.peakRss ?? 0, s.rss);
      info.cpuSeconds = Math.max(info.cpuSeconds ?? 0, s.cpuSeconds);
      info.pids = s.pids;
      t.treeProcs = recordSampledTree(t.treeProcs, s.pids, s.startTimes);
      load.cpuPercent += s.cpuPercent;
      load.rss += s.rss;
      this.#memoryLimit(t, spec);
    });
    this.load = load;
  }

  /** As a local run: over the limit for two consecutive ticks → the kill sequence, outcome memory-killed. */
  #memoryLimit(t: TaskRecord, spec: JobSpec): void {
    const limit = spec.memoryLimit;
    const w = this.#watch.get(t);
    if (limit === null || !t.live || t.live.stopReason || !w) return;
    const rss = t.info.rss ?? 0;
    w.overLimitTicks = rss > limit ? w.overLimitTicks + 1 : 0;
    if (w.overLimitTicks < 2) return;
    t.live.stopMessage = `memory limit exceeded: ${formatBytes(rss)} > ${formatBytes(limit)}`;
    t.info.error = t.live.stopMessage;
    detach(stopAttempt(t, 'graceful', 'memory', spec, () => {}), this.#onError);
  }

  close(): void {
    this.#sampler.close();
  }
}
