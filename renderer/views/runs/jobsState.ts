import type { CorralApi } from '../../../main/contract/api.js';
import type { LiveJobSummary, LiveJobs } from '../../../main/contract/runs.js';
import { Value } from '../../store/emitter.js';

// The live jobs of this process (the sidebar's rows, the header's machine total). Refreshed once per
// tick of the job on show: one short list per interval, so the other jobs' rows move too without
// their ticks (their task rows, samples) ever crossing the transport.

type JobsApi = Pick<CorralApi, 'listJobs' | 'newJob' | 'selectJob' | 'closeJob' | 'onTick'>;

export class JobsState {
  readonly jobs = new Value<LiveJobs | null>(null);
  readonly error = new Value<string | null>(null);
  #inFlight = false;
  #again = false;
  #users = 0;
  #off: (() => void) | null = null;

  constructor(private api: JobsApi) {}

  async refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true; // at most one call on the wire, one queued behind it
      return;
    }
    this.#inFlight = true;
    try {
      const r = await this.api.listJobs(undefined);
      if (r.ok) this.jobs.set(r.value);
      this.error.set(r.ok ? null : `Could not list jobs: ${r.error.message}`);
    } finally {
      this.#inFlight = false;
    }
    if (this.#again) {
      this.#again = false;
      await this.refresh();
    }
  }

  /** Refreshes on every tick while at least one view shows the jobs. */
  watch(): () => void {
    if (this.#users++ === 0) {
      void this.refresh();
      this.#off = this.api.onTick(() => void this.refresh());
    }
    return () => {
      if (--this.#users === 0) this.#off?.();
    };
  }
}

const states = new WeakMap<object, JobsState>();

export function jobsStateFor(api: JobsApi): JobsState {
  let s = states.get(api);
  if (!s) states.set(api, (s = new JobsState(api)));
  return s;
}

const activeStates = new Set(['running', 'paused', 'draining', 'stopping']);

/** A job that runs nothing can be closed, unless it is the one empty job left (closing would only replace it). */
export function canClose(job: LiveJobSummary, all: readonly LiveJobSummary[]): boolean {
  if (activeStates.has(job.state)) return false;
  return !(job.state === 'empty' && all.length === 1);
}

/** "3/20 done · 2 busy" — with the failures when there are some. */
export function jobCountsText(j: LiveJobSummary): string {
  const failed = j.failed ? ` · ${j.failed} failed` : '';
  return `${j.done}/${j.total} done${failed} · ${j.busy} busy`;
}

/** The header's notice when the live pools together ask for more slots than the machine has cores. */
export function overcommitText(all: LiveJobs): string | null {
  if (all.pools <= all.cores) return null;
  return `The live jobs' pools total ${all.pools} slots on ${all.cores} ${all.cores === 1 ? 'core' : 'cores'}: their tasks share the CPU.`;
}
