import type { ModuleHost } from '../run/moduleHost.js';
import type { PythonHost } from '../run/pythonHost.js';

export interface Slot {
  /** 1-based, the {%} replacement string */
  index: number;
  taskSeq: number | null;
  /** Module jobs: the reused host process of this slot */
  host: ModuleHost | PythonHost | null;
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
    const s: Slot = { index: i, taskSeq: null, host: null, retiring: false };
    slots.push(s);
    added.push(s);
  }
  // Idle slots above the size go now; busy ones when their task ends (see dropRetired).
  while (slots.length > size && slots[slots.length - 1].taskSeq === null) removed.push(slots.pop()!);
  return { added, removed };
}

export function dropRetired(slots: Slot[]): Slot[] {
  const removed: Slot[] = [];
  while (slots.length > 0 && slots[slots.length - 1].retiring && slots[slots.length - 1].taskSeq === null) {
    removed.push(slots.pop()!);
  }
  return removed;
}
