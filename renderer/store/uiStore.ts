import type { JobFileIssue, Notice } from '../../main/contract/types.js';
import { Value } from './emitter.js';
import { classifyNotice, needsAttention, type EventCategory, type LoggedEvent } from '../lib/eventLog.js';
import type { TaskViewSpec } from './tasksStore.js';

// The UI domain: what the user is looking at, dialogs, the event log and its one toast,
// connection state.

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'no-token' | 'refused';
export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the last successful open. */
  attempts: number;
  /** Epoch ms of the next reconnect attempt while closed. */
  retryAt: number | null;
  /** True once any connection opened in this page's life. */
  everOpened: boolean;
}

export interface Toast extends Notice {
  id: number;
}

export type Dialog = 'kill-all' | 'stop-all' | 'drain' | 'shortcuts' | null;

/** One toast at a time: the newest thing that needs attention replaces the last. */
const maxToasts = 1;
/** The event log keeps this many entries (a long run's failures are also in the joblog). */
export const maxEvents = 2000;

export class UiStore {
  readonly selected = new Value<number | null>(null);
  readonly view = new Value<TaskViewSpec>({ filter: 'all', sort: 'seq', desc: false });
  readonly dialog = new Value<Dialog>(null);
  readonly toasts = new Value<Toast[]>([]);
  readonly connection = new Value<ConnectionStatus>({ state: 'connecting', attempts: 0, retryAt: null, everOpened: false });
  /** Located problems of the last job file that failed to load. */
  readonly jobIssues = new Value<JobFileIssue[]>([]);
  readonly events = new Value<LoggedEvent[]>([]);
  /** Tasks ticked in the table for a bulk action. */
  readonly checked = new Value<ReadonlySet<number>>(new Set());
  /** Called for a notice that needs attention (the page wires desktop notifications here). */
  onAttention: ((n: Notice) => void) | null = null;
  #nextToast = 1;
  #nextEvent = 1;

  /** Logs a notice; one that needs attention also becomes the toast. Returns the event's id. */
  notify(n: Notice): number {
    const { category, reason, taskSeq } = classifyNotice(n);
    const id = this.#log({ time: n.time, level: n.level, category, reason, message: n.message, taskSeq, source: 'supervisor' });
    if (needsAttention(n)) {
      this.toasts.update((list) => [...list, { ...n, id: this.#nextToast++ }].slice(-maxToasts));
      this.onAttention?.(n);
    }
    return id;
  }

  /** Logs what the user did (kills, resizes), grouped like the supervisor's notices. */
  logAction(category: EventCategory, reason: string, message: string, taskSeq: number | null = null): number {
    return this.#log({ time: Date.now(), level: 'info', category, reason, message, taskSeq, source: 'you' });
  }

  /** Replaces the supervisor's part of the log with a snapshot's notices (no toasts: they are old news). */
  restoreNotices(notices: readonly Notice[]): void {
    const mine = this.events.get().filter((e) => e.source === 'you');
    const theirs = notices.map((n) => ({ ...classifyNotice(n), time: n.time, level: n.level, message: n.message, source: 'supervisor' as const, id: this.#nextEvent++ }));
    this.events.set([...theirs, ...mine].sort((a, b) => a.time - b.time || a.id - b.id).slice(-maxEvents));
  }

  toggleChecked(seq: number, on: boolean): void {
    this.checked.update((prev) => {
      const next = new Set(prev);
      if (on) next.add(seq);
      else next.delete(seq);
      return next;
    });
  }

  clearEvents(): void {
    this.events.set([]);
  }

  #log(e: Omit<LoggedEvent, 'id'>): number {
    const id = this.#nextEvent++;
    this.events.update((list) => (list.length >= maxEvents ? [...list.slice(list.length - maxEvents + 1), { ...e, id }] : [...list, { ...e, id }]));
    return id;
  }

  dismiss(id: number): void {
    this.toasts.update((list) => list.filter((t) => t.id !== id));
  }
}
