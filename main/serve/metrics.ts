import { Counter, Gauge, Registry } from 'prom-client';
import type { CorralService, JobInfo, Tick } from '../contract/index.js';

// `corral serve --metrics`: Prometheus metrics on /metrics (behind the dashboard's bearer token),
// read from the ticks the supervisors send, so a scrape never samples processes itself. Every
// live job of the process is covered, each sample labelled `job` ("job-N", as listJobs names
// it), whichever job the dashboard shows. A scraper needs a stable token: `corral serve
// --token-file F` and Prometheus's bearer_token_file: F.

export interface Metrics {
  registry: Registry;
  /** The exposition text, as Prometheus scrapes it */
  text(): Promise<string>;
  contentType: string;
  close(): void;
}

/** The live jobs (JobRegistry): each one's own supervisor, followed for its ticks. */
export interface MetricsJobs {
  list(selected: null): { jobs: { jobId: string }[] };
  get(jobId: string): { supervisor: Pick<CorralService, 'on' | 'call'> };
}

const STATES = ['queued', 'running', 'suspect', 'stuck', 'done', 'failed', 'killed', 'interrupted', 'skipped'] as const;

interface Followed {
  last: Tick | null;
  job: JobInfo | null;
  off: () => void;
}

/** `jobs`: every live job; without it, the one job `service` shows, labelled job-1. */
export function createMetrics(service: CorralService, jobs?: MetricsJobs): Metrics {
  const registry = new Registry();
  const tasks = new Gauge({ name: 'corral_tasks', help: 'Tasks by state (running includes suspect and stuck)', labelNames: ['job', 'state'], registers: [registry] });
  const attempts = new Counter({ name: 'corral_attempts_total', help: 'Ended attempts by outcome', labelNames: ['job', 'outcome'], registers: [registry] });
  const poolSize = new Gauge({ name: 'corral_pool_size', help: 'Pool size (slots)', labelNames: ['job'], registers: [registry] });
  const busy = new Gauge({ name: 'corral_pool_busy_slots', help: 'Slots running a task', labelNames: ['job'], registers: [registry] });
  const stuck = new Gauge({ name: 'corral_stuck_tasks', help: 'Tasks judged stuck now', labelNames: ['job'], registers: [registry] });
  const rate = new Gauge({ name: 'corral_tasks_per_second', help: 'Tasks ended per second over the last minute', labelNames: ['job'], registers: [registry] });
  const slotCpu = new Gauge({ name: 'corral_slot_cpu_percent', help: "CPU of a slot's process tree, % of one core", labelNames: ['job', 'slot'], registers: [registry] });
  const slotRss = new Gauge({ name: 'corral_slot_rss_bytes', help: "Resident memory of a slot's process tree", labelNames: ['job', 'slot'], registers: [registry] });
  const info = new Gauge({ name: 'corral_job_info', help: 'A live job (value 1): its name and state', labelNames: ['job', 'name', 'state'], registers: [registry] });

  const followed = new Map<string, Followed>();
  const follow = (jobId: string, source: Pick<CorralService, 'on' | 'call'>): Followed => {
    const f: Followed = { last: null, job: null, off: () => {} };
    f.off = source.on('tick', (t) => {
      f.last = t;
      if (t.job) f.job = t.job;
    });
    followed.set(jobId, f);
    return f;
  };
  /** Follows jobs that appeared since the last scrape (their figures from a snapshot until a tick comes) and drops closed ones. */
  const sync = async () => {
    if (!jobs) {
      if (!followed.has('job-1')) follow('job-1', service);
      return;
    }
    const live = new Set(jobs.list(null).jobs.map((j) => j.jobId));
    for (const [jobId, f] of followed) {
      if (live.has(jobId)) continue;
      f.off();
      followed.delete(jobId);
    }
    for (const jobId of live) {
      if (followed.has(jobId)) continue;
      const source = jobs.get(jobId).supervisor;
      const f = follow(jobId, source);
      const snap = await source.call('getSnapshot', {});
      if (snap.ok && !f.job) f.job = snap.value.job;
    }
  };

  const refresh = () => {
    for (const m of [tasks, poolSize, busy, stuck, rate, slotCpu, slotRss, info, attempts]) m.reset();
    for (const [jobId, { job, last }] of followed) {
      const l = { job: jobId };
      if (job) {
        // The supervisor counts attempts (ticks carry only a task's latest); a new job starts from 0.
        for (const [outcome, n] of Object.entries(job.attempts ?? {})) if (n) attempts.inc({ ...l, outcome }, n);
        for (const s of STATES) tasks.set({ ...l, state: s }, job.counts[s]);
        poolSize.set(l, job.poolSize);
        busy.set(l, job.counts.running);
        stuck.set(l, job.counts.stuck);
        rate.set(l, job.tasksPerSecond);
        info.set({ ...l, name: job.name, state: job.state }, 1);
      }
      for (const s of last?.slots ?? []) {
        slotCpu.set({ ...l, slot: String(s.slot) }, s.cpuPercent);
        slotRss.set({ ...l, slot: String(s.slot) }, s.rss);
      }
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    async text() {
      await sync();
      refresh();
      return registry.metrics();
    },
    close() {
      for (const f of followed.values()) f.off();
      followed.clear();
    },
  };
}
