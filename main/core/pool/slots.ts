import type { KillMode } from '../../contract/types.js';
import type { TaskHost } from '../run/taskHost.js';
import type { TaskRecord } from './task.js';

export interface Slot {
  /** 1-based, the {%} replacement string */
  index: number;
  /** The running task (a module job's: the one its host began) */
  taskSeq: number | null;
  /** Module and Python jobs: the reused host process of this slot */
  host: TaskHost | null;
  /** Tasks the host began while the slot's previous task was still ending: each starts when the one before has ended */
  next: { t: TaskRecord; host: TaskHost; kill: KillMode | null }[];
  /** Slot above the pool size: takes no new task, goes away once idle */
  retiring: boolean;
}

/** Lowest-numbered free slot within the pool size: keeps {%} small and lanes stable. */
export function pickFreeSlot(slots: readonly Slot[], poolSize: number): Slot | null {
  for (const s of slots) {
    if (s.index > poolSize) break;
    if (s.taskSeq === null && !s.retiring) return s;
  }
  return null;
}

/** Grow or shrink to `size`: growing adds slots, shrinking only marks busy ones to retire. */
export function resizeSlots(slots: Slot[], size: number): { added: Slot[]; removed: Slot[] } {
  const added: Slot[] = [];
  const removed: Slot[] = [];
  for (const s of slots) s.retiring = s.index > size;
  for (let i = slots.length + 1; i <= size; i++) {
    const s: Slot = { index: i, taskSeq: null, host: null, next: [], retiring: false };
    slots.push(s);
    added.push(s);
  }
  // Idle slots above the size go now; busy ones when their task ends (see dropRetired).
  while (slots.length > size && idle(slots[slots.length - 1])) removed.push(slots.pop()!);
  return { added, removed };
}

export function dropRetired(slots: Slot[]): Slot[] {
  const removed: Slot[] = [];
  while (slots.length > 0 && slots[slots.length - 1].retiring && idle(slots[slots.length - 1])) {
    removed.push(slots.pop()!);
  }
  return removed;
}

/** No task runs or waits to start on it, and its host holds none (a retiring slot's recalled ones come back first). */
function idle(s: Slot): boolean {
  return s.taskSeq === null && s.next.length === 0 && (s.host?.outstanding ?? 0) === 0;
}
