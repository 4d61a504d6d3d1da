import { Counter, Gauge, Registry } from 'prom-client';
import type { CorralService, JobInfo, Tick } from '../contract/index.js';

// `corral serve --metrics`: Prometheus metrics on /metrics (behind the dashboard's bearer token),
// read from the ticks the dashboard gets, so a scrape never samples processes itself. A scraper
// needs a stable token: `corral serve --token-file F` and Prometheus's bearer_token_file: F.

export interface Metrics {
  registry: Registry;
  /** The exposition text, as Prometheus scrapes it */
  text(): Promise<string>;
  contentType: string;
  close(): void;
}

const STATES = ['queued', 'running', 'suspect', 'stuck', 'done', 'failed', 'killed', 'interrupted', 'skipped'] as const;

export function createMetrics(service: CorralService): Metrics {
  const registry = new Registry();
  let last: Tick | null = null;
  let job: JobInfo | null = null;
  const tasks = new Gauge({ name: 'corral_tasks', help: 'Tasks by state (running includes suspect and stuck)', labelNames: ['state'], registers: [registry] });
  const attempts = new Counter({ name: 'corral_attempts_total', help: 'Ended attempts by outcome', labelNames: ['outcome'], registers: [registry] });
  const poolSize = new Gauge({ name: 'corral_pool_size', help: 'Pool size (slots)', registers: [registry] });
  const busy = new Gauge({ name: 'corral_pool_busy_slots', help: 'Slots running a task', registers: [registry] });
  const stuck = new Gauge({ name: 'corral_stuck_tasks', help: 'Tasks judged stuck now', registers: [registry] });
  const rate = new Gauge({ name: 'corral_tasks_per_second', help: 'Tasks ended per second over the last minute', registers: [registry] });
  const slotCpu = new Gauge({ name: 'corral_slot_cpu_percent', help: "CPU of a slot's process tree, % of one core", labelNames: ['slot'], registers: [registry] });
  const slotRss = new Gauge({ name: 'corral_slot_rss_bytes', help: "Resident memory of a slot's process tree", labelNames: ['slot'], registers: [registry] });
  const info = new Gauge({ name: 'corral_job_info', help: 'The job being watched (value 1)', labelNames: ['name', 'state'], registers: [registry] });

  const onTick = (t: Tick) => {
    last = t;
    if (t.job) job = t.job;
  };
  const off = service.on('tick', onTick);

  const refresh = () => {
    tasks.reset();
    slotCpu.reset();
    slotRss.reset();
    info.reset();
    attempts.reset(); // the supervisor counts them (ticks carry only a task's latest attempt); a new job starts from 0
    if (job) {
      for (const [outcome, n] of Object.entries(job.attempts ?? {})) if (n) attempts.inc({ outcome }, n);
      for (const s of STATES) tasks.set({ state: s }, job.counts[s]);
      poolSize.set(job.poolSize);
      busy.set(job.counts.running);
      stuck.set(job.counts.stuck);
      rate.set(job.tasksPerSecond);
      info.set({ name: job.name, state: job.state }, 1);
    }
    for (const s of last?.slots ?? []) {
      slotCpu.set({ slot: String(s.slot) }, s.cpuPercent);
      slotRss.set({ slot: String(s.slot) }, s.rss);
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    async text() {
      refresh();
      return registry.metrics();
    },
    close: off,
  };
}
