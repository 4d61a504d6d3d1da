import type { TaskInfo, TaskState } from '../../main/contract/types.js';
import { Emitter } from './emitter.js';

// Tasks by seq in one Map; sorted/filtered views are computed lazily and cached per version, so
// 100 000 tasks cost one pass when the table asks, not on every tick.

export const taskStates: readonly TaskState[] = [
  'queued', 'running', 'suspect', 'stuck', 'stopping', 'paused',
  'done', 'failed', 'killed', 'timeout', 'memory-killed', 'skipped',
];

export const liveStates: ReadonlySet<TaskState> = new Set(['running', 'suspect', 'stuck', 'stopping', 'paused']);

export type TaskFilter = TaskState | 'all' | 'active' | 'ended';
export type SortKey = 'seq' | 'input' | 'state' | 'slot' | 'pids' | 'cpuPercent' | 'rss' | 'cpuSeconds' | 'runtimeMs' | 'attempt';
export interface TaskViewSpec {
  filter: TaskFilter;
  sort: SortKey;
  desc: boolean;
}

const stateOrder = new Map(taskStates.map((s, i) => [s, i]));

function matches(t: TaskInfo, f: TaskFilter): boolean {
  if (f === 'all') return true;
  if (f === 'active') return liveStates.has(t.state);
  if (f === 'ended') return !liveStates.has(t.state) && t.state !== 'queued';
  return t.state === f;
}

function sortValue(t: TaskInfo, key: SortKey): number {
  switch (key) {
    case 'seq': return t.seq;
    case 'state': return stateOrder.get(t.state) ?? 99;
    case 'slot': return t.slot ?? Number.MAX_SAFE_INTEGER;
    case 'pids': return t.pids.length;
    case 'input': return 0; // strings: handled separately
    default: return t[key];
  }
}

export class TasksStore extends Emitter {
  #tasks = new Map<number, TaskInfo>();
  #stuck = new Set<number>();
  // Bumped when the set of seqs changes; the seq order is cached against it.
  #structure = 0;
  #seqOrder: { structure: number; seqs: number[] } | null = null;
  #view: { version: number; key: string; rows: TaskInfo[] } | null = null;
  #stuckView: { version: number; rows: TaskInfo[] } | null = null;

  get size(): number {
    return this.#tasks.size;
  }

  get(seq: number): TaskInfo | undefined {
    return this.#tasks.get(seq);
  }

  /** Replaces every task (a snapshot). Notifies once. */
  replaceAll(tasks: readonly TaskInfo[]): void {
    this.#tasks.clear();
    this.#stuck.clear();
    this.#structure++;
    for (const t of tasks) this.#put(t);
    this.bump();
  }

  /** Applies changed records without notifying; the caller bumps once per frame. */
  upsert(tasks: readonly TaskInfo[]): void {
    for (const t of tasks) {
      if (!this.#tasks.has(t.seq)) this.#structure++;
      this.#put(t);
    }
  }

  #put(t: TaskInfo): void {
    this.#tasks.set(t.seq, t);
    if (t.state === 'suspect' || t.state === 'stuck') this.#stuck.add(t.seq);
    else this.#stuck.delete(t.seq);
  }

  #seqs(): number[] {
    if (this.#seqOrder?.structure !== this.#structure) {
      const seqs = [...this.#tasks.keys()].sort((a, b) => a - b);
      this.#seqOrder = { structure: this.#structure, seqs };
    }
    return this.#seqOrder.seqs;
  }

  /** The rows for the table, filtered and sorted; cached until the next change. */
  view(spec: TaskViewSpec): TaskInfo[] {
    const key = `${spec.filter}|${spec.sort}|${spec.desc}`;
    if (this.#view && this.#view.version === this.version && this.#view.key === key) return this.#view.rows;
    let rows: TaskInfo[] = [];
    for (const seq of this.#seqs()) {
      const t = this.#tasks.get(seq) as TaskInfo;
      if (matches(t, spec.filter)) rows.push(t);
    }
    if (spec.sort === 'input') {
      rows.sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : a.seq - b.seq));
    } else if (spec.sort !== 'seq') {
      // Decorate-sort-undecorate: read each key once, not n·log n times.
      const keys = new Float64Array(rows.length);
      const idx = new Uint32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        keys[i] = sortValue(rows[i], spec.sort);
        idx[i] = i;
      }
      idx.sort((a, b) => keys[a] - keys[b] || a - b);
      const unsorted = rows;
      rows = Array.from(idx, (i) => unsorted[i]);
    }
    if (spec.desc) rows.reverse();
    this.#view = { version: this.version, key, rows };
    return rows;
  }

  /** Suspect and stuck tasks, longest-stuck first. */
  stuckTasks(): TaskInfo[] {
    if (this.#stuckView?.version === this.version) return this.#stuckView.rows;
    const rows = [...this.#stuck].map((s) => this.#tasks.get(s) as TaskInfo);
    rows.sort((a, b) => (a.stuck?.since ?? 0) - (b.stuck?.since ?? 0) || a.seq - b.seq);
    this.#stuckView = { version: this.version, rows };
    return rows;
  }
}
