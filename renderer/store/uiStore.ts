import type { JobFileIssue, Notice } from '../../main/contract/types.js';
import { Value } from './emitter.js';
import type { TaskViewSpec } from './tasksStore.js';

// The UI domain: what the user is looking at, dialogs, toasts, connection state.

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

export type Dialog = 'kill-all' | 'shortcuts' | null;

const maxToasts = 5;

export class UiStore {
  readonly selected = new Value<number | null>(null);
  readonly view = new Value<TaskViewSpec>({ filter: 'all', sort: 'seq', desc: false });
  readonly dialog = new Value<Dialog>(null);
  readonly toasts = new Value<Toast[]>([]);
  readonly connection = new Value<ConnectionStatus>({ state: 'connecting', attempts: 0, retryAt: null, everOpened: false });
  /** Located problems of the last job file that failed to load. */
  readonly jobIssues = new Value<JobFileIssue[]>([]);
  #nextToast = 1;

  /** Adds a toast; the oldest go when there are too many. Returns its id. */
  notify(n: Notice): number {
    const id = this.#nextToast++;
    this.toasts.update((list) => [...list, { ...n, id }].slice(-maxToasts));
    return id;
  }

  dismiss(id: number): void {
    this.toasts.update((list) => list.filter((t) => t.id !== id));
  }
}
