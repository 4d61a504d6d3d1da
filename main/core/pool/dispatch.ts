import type { KillMode } from '../../contract/types.js';
import type { JobSpec } from '../job/types.js';
import { hostedJob } from '../job/types.js';
import type { TaskHost } from '../run/taskHost.js';
import type { AttemptEnv } from './attempt.js';
import { newHost } from './hostedAttempt.js';
import type { CursorQueue } from './queue.js';
import { type Slot, dropRetired, pickFreeSlot } from './slots.js';
import type { TaskRecord } from './task.js';
import type { TaskStore } from './taskStore.js';

/**
 * Starts a host holds beyond its running task (beyond its chunk): enough queued work to cover
 * the round trip to the supervisor and back, so the host never waits for its next start. One for
 * tasks of PREFETCH_COVER_MS or more; tiny tasks up to MAX_PREFETCH (their tail imbalance is tiny too).
 */
export const PREFETCH_COVER_MS = 4;
export const MAX_PREFETCH = 64;
/** Ended records held beyond the prefetched ones before dispatch compacts them (the tick does it too) */
const COMPACT_AFTER = 256;

/** Tasks this long gain nothing from a start sent ahead (the round trip is a rounding error): none. */
export const NO_PREFETCH_FROM_MS = 100;

export function prefetchFor(medianRuntimeMs: number | null): number {
  if (medianRuntimeMs === null) return 1;
  if (medianRuntimeMs >= NO_PREFETCH_FROM_MS) return 0;
  return Math.max(1, Math.min(MAX_PREFETCH, Math.floor(PREFETCH_COVER_MS / Math.max(medianRuntimeMs, PREFETCH_COVER_MS / MAX_PREFETCH))));
}

export interface DispatchDeps {
  spec: JobSpec;
  env: AttemptEnv;
  slots: Slot[];
  queue: CursorQueue;
  store: TaskStore;
  poolSize(): number;
  /** Median runtime of the tasks that ended ok so far (null: too few yet) */
  medianRuntimeMs(): number | null;
  /** Dispatch may start tasks now (not paused, stopped or before the start) */
  open(): boolean;
  /** --delay: asked before each start (or each send to a host), told after it; null without a delay */
  gate: { open(): boolean; started(): void } | null;
  /** Starts an attempt of `t` on the slot (a hosted one: `host` has begun it) */
  start(t: TaskRecord, slot: Slot, host?: TaskHost): void;
  releaseHost(slot: Slot): void;
  /** A prefetched task the user killed came back unbegun: it ends killed, never run */
  killedUnbegun(t: TaskRecord): void;
  /** The host began a task the user killed before the recall reached it */
  killBegun(t: TaskRecord, mode: KillMode): void;
}

/**
 * Dispatch: command tasks go to free slots; module and Python tasks are sent to slot hosts in
 * chunks, where they wait (queued, not running) until the host begins them. Begun tasks start
 * their attempt; recalled or orphaned ones go back to the front of the queue, no attempt used.
 */
export class Dispatcher {
  readonly #d: DispatchDeps;
  /** Sent to a host, not begun by the supervisor yet: seq → the slot */
  readonly #sent = new Map<number, Slot>();
  /** Prefetched tasks the user killed: ended when they come back, killed if begun meanwhile */
  readonly #killOnReturn = new Map<number, KillMode>();
  #stealing = false;

  constructor(deps: DispatchDeps) {
    this.#d = deps;
  }

  /** Tasks sent to hosts and not begun: queued in every count, but not in the queue. */
  get prefetched(): number {
    return this.#sent.size;
  }

  /** A task is sent to a host and not started yet (prefetched, or begun while its slot's last task ends). */
  get inFlight(): boolean {
    return this.#sent.size > 0 || this.#d.slots.some((s) => s.next.length > 0);
  }

  pump(): void {
    const d = this.#d;
    for (const s of dropRetired(d.slots)) d.releaseHost(s);
    // Not on every end: with hosts holding prefetched records, a full pass per task would cost O(prefetch).
    if (d.store.heldCount > this.#sent.size + COMPACT_AFTER) d.store.compactEnded();
    if (!d.open()) return;
    if (!hostedJob(d.spec)) {
      for (let slot = pickFreeSlot(d.slots, d.poolSize()); slot && d.queue.size > 0 && (d.gate?.open() ?? true); slot = pickFreeSlot(d.slots, d.poolSize())) {
        d.start(d.store.open(d.queue.shift()!), slot);
        d.gate?.started();
      }
      return;
    }
    // With a delay, one task is on its way at a time, to an idle host; its begin restarts the
    // delay, so begins (the joblog's start times) are the delay apart, whatever a host's start-up.
    if (d.gate) {
      if (this.#sent.size > 0) return;
      for (const s of d.slots) {
        if (d.queue.size === 0 || s.index > d.poolSize()) break;
        if (s.retiring || s.taskSeq !== null || s.next.length > 0 || (s.host?.outstanding ?? 0) > 0) continue;
        if (!d.gate.open()) break;
        this.#feed(s, 0, 1);
        d.gate.started();
        break;
      }
      return;
    }
    // Every idle slot gets its first chunk before any slot is topped up.
    const chunk = Math.max(1, d.spec.chunksize);
    const prefetch = prefetchFor(d.medianRuntimeMs());
    for (const pass of ['first', 'top-up'] as const) {
      for (const s of d.slots) {
        if (d.queue.size === 0 || s.index > d.poolSize()) break;
        if (!s.retiring) this.#feed(s, pass === 'first' ? 0 : prefetch, chunk);
      }
    }
    if (d.queue.size === 0) this.#steal();
  }

  /**
   * The queue is empty and a slot idles while another host holds starts it has not begun: take
   * one back (it returns to the queue and goes to the idle slot), so the last tasks do not wait
   * behind a long one while a core is free.
   */
  #steal(): void {
    // A start given back at once (still unsent) re-enters pump: one steal per outer call, never a loop.
    if (this.#stealing) return;
    this.#stealing = true;
    try {
      const d = this.#d;
      for (const s of d.slots) {
        if (s.index > d.poolSize()) break;
        if (s.retiring || s.taskSeq !== null || s.next.length > 0 || (s.host?.outstanding ?? 0) > 0) continue;
        if (d.spec.maxTasksPerWorker !== null && s.host && s.host.sent >= d.spec.maxTasksPerWorker) continue; // takes nothing more
        // Only from behind a running task: a host between tasks begins its start as soon as anyone could.
        const donor = d.slots.find((o) => o !== s && o.taskSeq !== null && (o.host?.waitingIds().length ?? 0) > 0);
        if (!donor) return;
        donor.host!.recall([donor.host!.waitingIds().at(-1)!]);
      }
    } finally {
      this.#stealing = false;
    }
  }

  /**
   * Fills the slot's host up to chunk + prefetch tasks once it holds no more than `low` (half the
   * prefetch, so refills go out in batches), a whole number of chunks at a time.
   */
  #feed(slot: Slot, prefetch: number, chunk: number): void {
    const d = this.#d;
    if (slot.host && !slot.host.alive) {
      if (slot.taskSeq !== null || slot.next.length > 0) return; // its task is still ending: the slot gets a fresh host after
      d.releaseHost(slot);
    }
    const load = (slot.host?.outstanding ?? 0) + slot.next.length;
    if (load > (prefetch <= 1 ? prefetch : Math.ceil(prefetch / 2))) return;
    const host = (slot.host ??= newHost(d.spec, d.env));
    let room = prefetch === 0 ? chunk : Math.max(chunk, Math.floor((chunk + prefetch - load) / chunk) * chunk);
    // A host takes no more than it will run: maxTasksPerWorker counts begun tasks.
    if (d.spec.maxTasksPerWorker !== null) room = Math.min(room, d.spec.maxTasksPerWorker - host.sent);
    for (let i = 0; i < room && d.queue.size > 0 && host.alive; i++) this.#send(slot, host, d.store.open(d.queue.shift()!));
  }

  #send(slot: Slot, host: TaskHost, t: TaskRecord): void {
    const d = this.#d;
    this.#sent.set(t.seq, slot);
    host.send(
      { taskId: t.seq, input: t.info.input, module: d.spec.module ?? undefined, slot: slot.index, attempt: t.info.attempt + 1, maxResultBytes: d.spec.maxResultSize },
      { begun: () => this.#begun(t, slot, host), returned: () => this.#returned(t) },
    );
  }

  #begun(t: TaskRecord, slot: Slot, host: TaskHost): void {
    this.#sent.delete(t.seq);
    this.#d.gate?.started();
    // The slot's previous task is still ending (a stop settling): this one starts when it has.
    const mode = this.#killOnReturn.get(t.seq);
    this.#killOnReturn.delete(t.seq);
    if (slot.taskSeq !== null || slot.next.length > 0) slot.next.push({ t, host, kill: mode ?? null });
    else this.#start(slot, { t, host, kill: mode ?? null });
  }

  #start(slot: Slot, next: Slot['next'][number]): void {
    this.#d.start(next.t, slot, next.host);
    if (next.kill) this.#d.killBegun(next.t, next.kill);
  }

  #returned(t: TaskRecord): void {
    this.#sent.delete(t.seq);
    if (this.#killOnReturn.delete(t.seq)) return this.#d.killedUnbegun(t);
    this.#d.queue.unshift(t.seq);
    this.pump();
  }

  /** The slot's task has ended: a task its host began meanwhile starts now. */
  slotFreed(slot: Slot): void {
    const next = slot.next.shift();
    if (next) this.#start(slot, next);
  }

  /** Takes back every prefetched task (pause, stop, halt), or those of the given slots (resize, kill slot). */
  recall(slots: readonly Slot[] = this.#d.slots): void {
    for (const s of slots) s.host?.recall();
  }

  /** Kills a prefetched task: it never runs if its host gives it back; false if it is not prefetched. */
  killPrefetched(seq: number, mode: KillMode): boolean {
    const slot = this.#sent.get(seq);
    if (!slot) return false;
    this.#killOnReturn.set(seq, mode);
    slot.host?.recall([seq]);
    return true;
  }
}
