import type { TaskInfo, TaskPage, TaskQuery, TaskState } from '../../main/contract/types.js';
import { Emitter } from './emitter.js';
import { TaskPages, type FetchPage, type PageSpec } from './taskPages.js';

/** Rows held at most; past it the oldest ended or queued rows that no held page shows go. */
export const MAX_ROWS = 20_000;

// Tasks by seq in one Map — the live ones, the table's pages (taskPages.ts) and recent changes,
// at most MAX_ROWS: a job of 10 M tasks is paged from the supervisor, not held here. Local views
// (view()) are computed lazily and cached per version.

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
    // Unknown (null) sorts below every measured value.
    case 'cpuPercent': return t.cpuPercent === null ? -1 : Math.round(Math.max(0, t.cpuPercent) * 10);
    case 'rss': return t.rss === null ? -1 : Math.round(Math.max(0, t.rss) / 1024);
    case 'cpuSeconds': return t.cpuSeconds === null ? -1 : Math.round(Math.max(0, t.cpuSeconds) * 100);
    case 'runtimeMs': return Math.round(Math.max(0, t.runtimeMs));
    case 'attempt': return t.attempt;
    case 'input': return 0; // strings: sorted separately
  }
}

const indexBits = 2 ** 20;

/** Columns whose values change on every tick; sorting by them re-sorts at most every `liveSortMs`. */
export const liveSortKeys: ReadonlySet<SortKey> = new Set(['cpuPercent', 'rss', 'cpuSeconds', 'runtimeMs', 'pids']);

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

/** One page of rows, filtered and sorted as the supervisor's getTasks does (the dev mock's getTasks). */
export function pageRows(all: readonly TaskInfo[], q: TaskQuery): TaskPage {
  const filter = q.filter ?? 'all';
  let rows = all.filter((t) => matches(t, filter)).sort((a, b) => a.seq - b.seq);
  const sort = q.sort ?? 'seq';
  if (sort === 'input') rows.sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : a.seq - b.seq));
  else if (sort !== 'seq') rows = sortRowsBy(rows, sort);
  if (q.desc) rows.reverse();
  return { total: rows.length, offset: q.offset, tasks: rows.slice(q.offset, q.offset + q.limit) };
}

export interface TasksStoreOptions {
  /** Least time between two full sorts on a live column (ms); in between rows keep their order. */
  liveSortMs?: number;
  now?: () => number;
}

interface CachedView {
  version: number;
  key: string;
  rows: TaskInfo[];
  sortedAt: number;
  /** Row index by seq, from the last full sort (live columns only). */
  pos: Map<number, number> | null;
}

export class TasksStore extends Emitter {
  readonly #liveSortMs: number;
  readonly #now: () => number;
  #tasks = new Map<number, TaskInfo>();
  #stuck = new Set<number>();
  // Records in seq order plus each seq's index: an update replaces one slot in place; only a new
  // seq forces a rebuild (lazily, on the next read).
  #ordered: TaskInfo[] = [];
  #pos = new Map<number, number>();
  #orderDirty = false;
  #view: CachedView | null = null;
  #stuckView: { version: number; rows: TaskInfo[] } | null = null;
  readonly pages: TaskPages;

  constructor(o: TasksStoreOptions = {}) {
    super();
    this.#liveSortMs = o.liveSortMs ?? 2000;
    this.#now = o.now ?? (() => performance.now());
    this.pages = new TaskPages((rows) => {
      this.upsert(rows);
      this.bump();
    }, this.#now);
  }

  /** Rows of the paged view: the supervisor's count, or the local rows' until it answers. */
  rowCount(spec: PageSpec): number {
    return this.pages.total(spec) ?? this.view(spec).length;
  }

  /** Row `index` of the paged view (the freshest record of its seq), or undefined while it loads. */
  rowAt(spec: PageSpec, index: number): TaskInfo | undefined {
    const seq = this.pages.seqAt(spec, index);
    if (seq !== undefined) return this.#tasks.get(seq);
    return this.pages.total(spec) === null ? this.view(spec)[index] : undefined;
  }

  /** Asks the supervisor for the rows [start, end) of the view (the ones on screen). */
  ensureRows(fetch: FetchPage, spec: PageSpec, start: number, end: number): void {
    this.pages.ensure(fetch, spec, start, end);
  }

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
    this.pages.reset();
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
    if (this.#tasks.size > MAX_ROWS) this.#evict();
  }

  /** Drops the oldest rows that are not live, not stuck and on no held page, down to 80 % of MAX_ROWS. */
  #evict(): void {
    const keep = this.pages.heldSeqs();
    for (const [seq, t] of this.#tasks) {
      if (this.#tasks.size <= MAX_ROWS * 0.8) break;
      if (liveStates.has(t.state) || keep.has(seq)) continue;
      this.#tasks.delete(seq);
      this.#stuck.delete(seq);
    }
    this.#orderDirty = true;
  }

  #put(t: TaskInfo): void {
    this.#tasks.delete(t.seq); // re-inserted last: the Map's order is the order of change, for #evict
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

  /**
   * The rows for the table, filtered and sorted; cached until the next change. On a live column
   * (CPU, RSS, …) rows keep their last sorted order, with fresh records, for `liveSortMs`:
   * re-sorting 100 000 rows on every tick would cost more than the tick, and rows would jump.
   */
  view(spec: TaskViewSpec): TaskInfo[] {
    const key = `${spec.filter}|${spec.sort}|${spec.desc}`;
    const cached = this.#view;
    if (cached && cached.version === this.version && cached.key === key) return cached.rows;
    const ordered = this.#inSeqOrder();
    let rows = spec.filter === 'all' ? ordered.slice() : ordered.filter((t) => matches(t, spec.filter));
    const now = this.#now();
    if (cached?.pos && cached.key === key && now - cached.sortedAt < this.#liveSortMs) {
      this.#view = { ...cached, version: this.version, rows: keepOrder(rows, cached.pos) };
      return this.#view.rows;
    }
    if (spec.sort === 'input') {
      rows.sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : a.seq - b.seq));
    } else if (spec.sort !== 'seq') {
      rows = sortRowsBy(rows, spec.sort);
    }
    if (spec.desc) rows.reverse();
    const pos = liveSortKeys.has(spec.sort) ? new Map(rows.map((t, i) => [t.seq, i])) : null;
    this.#view = { version: this.version, key, rows, sortedAt: now, pos };
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

/** `rows` in the order `pos` gives (a previous sort), rows it does not know at the end in seq order. */
function keepOrder(rows: readonly TaskInfo[], pos: Map<number, number>): TaskInfo[] {
  const placed = new Array<TaskInfo | undefined>(pos.size);
  const extra: TaskInfo[] = [];
  for (const t of rows) {
    const i = pos.get(t.seq);
    if (i === undefined) extra.push(t);
    else placed[i] = t;
  }
  const out: TaskInfo[] = [];
  for (const t of placed) if (t) out.push(t);
  for (const t of extra) out.push(t);
  return out;
}
