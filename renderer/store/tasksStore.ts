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

// Integer sort keys, quantised per column so key·2^20 + row index stays an exact double.
function sortKey(t: TaskInfo, key: SortKey): number {
  switch (key) {
    case 'seq': return t.seq;
    case 'state': return stateOrder.get(t.state) ?? 99;
    case 'slot': return t.slot ?? 2 ** 31;
    case 'pids': return t.pids.length;
    case 'cpuPercent': return Math.round(Math.max(0, t.cpuPercent) * 10);
    case 'rss': return Math.round(Math.max(0, t.rss) / 1024);
    case 'cpuSeconds': return Math.round(Math.max(0, t.cpuSeconds) * 100);
    case 'runtimeMs': return Math.round(Math.max(0, t.runtimeMs));
    case 'attempt': return t.attempt;
    case 'input': return 0; // strings: sorted separately
  }
}

const indexBits = 2 ** 20;

/**
 * Stable numeric sort of 100 000 rows within a frame: pack (key, index) into one double and use
 * the typed array's native sort, several times faster than a comparator sort.
 */
export function sortRowsBy(rows: TaskInfo[], key: SortKey): TaskInfo[] {
  if (rows.length >= indexBits) {
    return rows.slice().sort((a, b) => sortKey(a, key) - sortKey(b, key) || a.seq - b.seq);
  }
  const packed = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) packed[i] = Math.min(sortKey(rows[i], key), 2 ** 32) * indexBits + i;
  packed.sort();
  const out = new Array<TaskInfo>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[packed[i] % indexBits];
  return out;
}

export class TasksStore extends Emitter {
  #tasks = new Map<number, TaskInfo>();
  #stuck = new Set<number>();
  // Records in seq order plus each seq's index: an update replaces one slot in place; only a new
  // seq forces a rebuild (lazily, on the next read).
  #ordered: TaskInfo[] = [];
  #pos = new Map<number, number>();
  #orderDirty = false;
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
    for (const t of tasks) this.#put(t);
    this.#orderDirty = true;
    this.bump();
  }

  /** Applies changed records without notifying; the caller bumps once per frame. */
  upsert(tasks: readonly TaskInfo[]): void {
    for (const t of tasks) {
      const i = this.#orderDirty ? undefined : this.#pos.get(t.seq);
      if (i !== undefined) this.#ordered[i] = t;
      else if (!this.#tasks.has(t.seq)) this.#orderDirty = true;
      this.#put(t);
    }
  }

  #put(t: TaskInfo): void {
    this.#tasks.set(t.seq, t);
    if (t.state === 'suspect' || t.state === 'stuck') this.#stuck.add(t.seq);
    else this.#stuck.delete(t.seq);
  }

  #inSeqOrder(): TaskInfo[] {
    if (this.#orderDirty) {
      this.#ordered = [...this.#tasks.values()].sort((a, b) => a.seq - b.seq);
      this.#pos = new Map(this.#ordered.map((t, i) => [t.seq, i]));
      this.#orderDirty = false;
    }
    return this.#ordered;
  }

  /** The rows for the table, filtered and sorted; cached until the next change. */
  view(spec: TaskViewSpec): TaskInfo[] {
    const key = `${spec.filter}|${spec.sort}|${spec.desc}`;
    if (this.#view && this.#view.version === this.version && this.#view.key === key) return this.#view.rows;
    const ordered = this.#inSeqOrder();
    let rows = spec.filter === 'all' ? ordered.slice() : ordered.filter((t) => matches(t, spec.filter));
    if (spec.sort === 'input') {
      rows.sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : a.seq - b.seq));
    } else if (spec.sort !== 'seq') {
      rows = sortRowsBy(rows, spec.sort);
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
