import type { CorralApi } from '../../../main/contract/api.js';
import type { RunSummary, SupervisorEntry } from '../../../main/contract/runs.js';
import { Value } from '../../store/emitter.js';

// The Runs sidebar's state: live supervisors and earlier runs, refreshed every few seconds (a short
// list, not per task), and the earlier run open read-only, if any.

export class RunsState {
  readonly supervisors = new Value<SupervisorEntry[]>([]);
  readonly runs = new Value<RunSummary[]>([]);
  readonly open = new Value<RunSummary | null>(null);
  readonly error = new Value<string | null>(null);
  /** Folded by default: the dashboard keeps its width until the operator asks for the runs */
  readonly expanded = new Value(false);
  #timer: ReturnType<typeof setInterval> | null = null;
  #users = 0;

  constructor(private api: Pick<CorralApi, 'listSupervisors' | 'listRuns'>) {}

  async refresh(): Promise<void> {
    const [sups, runs] = await Promise.all([this.api.listSupervisors(undefined), this.api.listRuns(undefined)]);
    if (sups.ok) this.supervisors.set(sups.value);
    if (runs.ok) this.runs.set(runs.value);
    const failed = !sups.ok ? sups : !runs.ok ? runs : null;
    this.error.set(failed && !failed.ok ? `Could not list runs: ${failed.error.message}` : null);
  }

  /** Refreshes while at least one view shows the lists. */
  watch(): () => void {
    if (this.#users++ === 0) {
      void this.refresh();
      this.#timer = setInterval(() => void this.refresh(), 3000);
    }
    return () => {
      if (--this.#users === 0 && this.#timer) clearInterval(this.#timer);
    };
  }
}

const states = new WeakMap<object, RunsState>();

/** One RunsState per api object (the app has one api). */
export function runsStateFor(api: Pick<CorralApi, 'listSupervisors' | 'listRuns'>): RunsState {
  let s = states.get(api);
  if (!s) states.set(api, (s = new RunsState(api)));
  return s;
}
