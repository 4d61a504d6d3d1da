import type { CorralApi } from '../../main/contract/api.js';
import type { Snapshot, Tick } from '../../main/contract/types.js';
import type { JobStore } from './jobStore.js';
import type { SeriesStore } from './seriesStore.js';
import type { TasksStore } from './tasksStore.js';

// Applies the supervisor's snapshot, then its ticks, once per animation frame. Ticks carry
// consecutive numbers; a gap means the server dropped some for us, so we fetch a fresh snapshot.

export interface SyncStores {
  job: JobStore;
  tasks: TasksStore;
  series: SeriesStore;
}

export interface TickSyncOptions {
  api: Pick<CorralApi, 'getSnapshot' | 'onTick'>;
  stores: SyncStores;
  /** requestAnimationFrame in the page (it does not fire while hidden: ticks just accumulate). */
  schedule: (cb: () => void) => void;
  /** Past this many unapplied ticks (a long-hidden tab), drop them and resync instead. */
  maxPending?: number;
  onError?: (message: string) => void;
  /** Called with every snapshot applied (the event log takes its notices). */
  onSnapshot?: (s: Snapshot) => void;
}

export class TickSync {
  readonly #o: TickSyncOptions;
  #pending: Tick[] = [];
  #lastN = -1;
  #syncing: Promise<void> | null = null;
  #needResync = false;
  #scheduled = false;
  /** Snapshots fetched so far (for tests and diagnostics). */
  snapshots = 0;

  constructor(o: TickSyncOptions) {
    this.#o = o;
  }

  get lastN(): number {
    return this.#lastN;
  }

  get pending(): number {
    return this.#pending.length;
  }

  /** Subscribes to ticks; returns the unsubscribe. Call resync() on each (re)connect. */
  start(): () => void {
    return this.#o.api.onTick((t) => this.#onTick(t));
  }

  #onTick(t: Tick): void {
    this.#pending.push(t);
    if (this.#pending.length > (this.#o.maxPending ?? 600)) {
      this.#pending = [];
      this.#needResync = true;
    }
    this.#request();
  }

  #request(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#o.schedule(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  /** Fetches a snapshot and applies it; ticks that arrive meanwhile wait in the queue. */
  resync(): Promise<void> {
    if (this.#syncing) return this.#syncing;
    this.#needResync = false;
    this.#syncing = (async () => {
      try {
        const r = await this.#o.api.getSnapshot(undefined);
        if (!r.ok) {
          this.#needResync = true;
          this.#o.onError?.(`Could not load the dashboard state: ${r.error.message}`);
          return;
        }
        this.snapshots++;
        this.#applySnapshot(r.value);
      } finally {
        this.#syncing = null;
      }
      if (this.#pending.length > 0) this.#request();
    })();
    return this.#syncing;
  }

  #applySnapshot(s: Snapshot): void {
    this.#o.stores.job.applySnapshot(s);
    this.#o.stores.tasks.replaceAll(s.tasks);
    this.#o.stores.series.applySnapshot(s);
    this.#lastN = s.tick;
    this.#o.onSnapshot?.(s);
  }

  /** Applies queued ticks in order; normally called from the animation frame. */
  flush(): void {
    if (this.#syncing) return;
    if (this.#needResync) {
      void this.resync();
      return;
    }
    if (this.#lastN < 0 || this.#pending.length === 0) return;
    const { job, tasks, series } = this.#o.stores;
    let last: Tick | null = null;
    let i = 0;
    for (; i < this.#pending.length; i++) {
      const t = this.#pending[i];
      if (t.n <= this.#lastN) continue; // already in the snapshot
      if (t.n !== this.#lastN + 1) break; // gap
      tasks.upsert(t.tasks);
      series.applyTick(t);
      this.#lastN = t.n;
      last = t;
    }
    const gap = i < this.#pending.length;
    this.#pending = gap ? this.#pending.slice(i) : [];
    if (last) {
      job.applyTick(last);
      tasks.bump();
      series.bump();
    }
    if (gap) void this.resync();
  }
}
