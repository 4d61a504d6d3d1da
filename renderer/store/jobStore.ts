import type { JobInfo, Leftover, MachineSample, Settings, SlotSample, Snapshot, Tick } from '../../main/contract/types.js';
import { Value } from './emitter.js';

// The job domain: job info, the latest slot/machine samples, settings, leftovers. Each piece is its
// own small store so the header does not re-render when only the machine sample changed.

export class JobStore {
  readonly job = new Value<JobInfo | null>(null);
  readonly slots = new Value<SlotSample[]>([]);
  readonly machine = new Value<MachineSample | null>(null);
  readonly settings = new Value<Settings | null>(null);
  readonly leftovers = new Value<Leftover[]>([]);
  readonly jobText = new Value<string | null>(null);
  /** Last applied tick number and its time (epoch ms), or the snapshot's. */
  readonly clock = new Value<{ n: number; time: number; intervalMs: number }>({ n: -1, time: 0, intervalMs: 1000 });
  /** True once a snapshot has been applied: the UI shows data, not a spinner. */
  readonly ready = new Value(false);

  applySnapshot(s: Snapshot): void {
    this.job.set(s.job);
    this.slots.set(s.slots);
    this.machine.set(s.machine);
    this.settings.set(s.settings);
    this.leftovers.set(s.leftovers);
    this.jobText.set(s.jobText);
    this.clock.set({ n: s.tick, time: s.time, intervalMs: s.settings.tickMs });
    this.ready.set(true);
  }

  applyTick(t: Tick): void {
    this.job.set(t.job);
    this.slots.set(t.slots);
    this.machine.set(t.machine);
    this.clock.set({ n: t.n, time: t.time, intervalMs: t.intervalMs });
  }
}
