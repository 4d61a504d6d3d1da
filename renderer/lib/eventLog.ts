import type { Notice } from '../../main/contract/types.js';

// The event log: every notice and every user command, grouped so twenty failures with the same
// reason read as one line ("20 tasks failed: exit 3") instead of twenty toasts.

export type EventCategory = 'failure' | 'retry' | 'stuck' | 'kill' | 'resize' | 'notice';
export const eventCategories: readonly EventCategory[] = ['failure', 'retry', 'stuck', 'kill', 'resize', 'notice'];

export interface LoggedEvent {
  id: number;
  time: number;
  level: Notice['level'];
  category: EventCategory;
  /** What the grouped line says after the count ("failed: exit 3"). */
  reason: string;
  message: string;
  taskSeq: number | null;
  /** A supervisor notice, or a command the user gave here. */
  source: 'supervisor' | 'you';
}

export interface EventGroup {
  key: string;
  category: EventCategory;
  level: Notice['level'];
  reason: string;
  /** Events in this group, newest last. */
  count: number;
  seqs: number[];
  first: number;
  last: number;
  /** The single message when the group holds one event. */
  message: string;
}

const taskMessage = /^task (\d+) (.+)$/is;

/** Sorts a notice into a category and the reason it shares with its kind. */
export function classifyNotice(n: Notice): { category: EventCategory; reason: string; taskSeq: number | null } {
  const m = taskMessage.exec(n.message);
  const seq = n.taskSeq ?? (m ? Number(m[1]) : null);
  const rest = m ? m[2] : n.message;
  if (n.kind === 'task-stuck') return { category: 'stuck', reason: 'judged stuck', taskSeq: seq };
  if (n.kind === 'task-failed') return { category: 'failure', reason: rest, taskSeq: seq };
  const retry = rest.indexOf(' — retrying');
  if (m && retry > 0) return { category: 'retry', reason: `${rest.slice(0, retry)} — retried`, taskSeq: seq };
  return { category: 'notice', reason: n.message, taskSeq: seq };
}

/** Groups events by category and reason, the most recent group first. */
export function groupEvents(events: readonly LoggedEvent[], only: EventCategory | 'all' = 'all'): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  for (const e of events) {
    if (only !== 'all' && e.category !== only) continue;
    // Task events group by reason; other notices stay one line each.
    const key = e.taskSeq !== null ? `${e.category}\u0000${e.reason}` : `#${e.id}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, category: e.category, level: e.level, reason: e.reason, count: 0, seqs: [], first: e.time, last: e.time, message: e.message }));
    g.count++;
    g.last = e.time;
    if (e.taskSeq !== null && !g.seqs.includes(e.taskSeq)) g.seqs.push(e.taskSeq);
    if (e.level === 'error' || (e.level === 'warn' && g.level === 'info')) g.level = e.level;
  }
  return [...groups.values()].sort((a, b) => b.last - a.last);
}

/** The grouped line: "20 tasks failed: exit 3", or the one message itself. */
export function groupTitle(g: EventGroup): string {
  if (g.count === 1 || g.seqs.length === 0) return g.message;
  const n = g.seqs.length;
  const times = g.count > n ? ` (${g.count} times)` : '';
  return `${n} ${n === 1 ? 'task' : 'tasks'} ${g.reason}${times}`;
}

/** Notices that deserve the one toast (and a desktop notification when the window is hidden). */
export function needsAttention(n: Notice): boolean {
  return n.kind === 'job-finished' || n.kind === 'task-stuck' || n.kind === 'error';
}
