import type { TaskFilter, TaskInfo, TaskPage, TaskQuery, TaskSortKey, TaskState } from '../../contract/types.js';
import { SNAPSHOT_PAGE } from '../../contract/types.js';
import type { TaskStore } from './taskStore.js';

// getTasks: one page of the table, filtered and sorted here so the dashboard never holds every
// task. Seq order with no filter is direct (no scan). Anything else builds the matching seqs in
// a Uint32Array (4 bytes per match) and keeps it for CACHE_MS, so scrolling reads pages of one
// ordering instead of sorting again; a sort over millions of rows costs ~1 s once, not per page.

const LIVE: ReadonlySet<TaskState> = new Set(['running', 'suspect', 'stuck', 'stopping', 'paused']);
const STATE_ORDER: readonly TaskState[] = [
  'queued', 'running', 'suspect', 'stuck', 'stopping', 'paused', 'done', 'failed', 'killed', 'timeout', 'memory-killed', 'interrupted', 'skipped',
];
const CACHE_MS = 2000;
const SEQ_BITS = 2 ** 24; // seqs up to 16.7 M fit beside the key in one double
/** Keys spanning fewer values than this (state, slot, attempt, …) sort by counting: O(n), no n log n. */
const COUNTING_RANGE = 1 << 20;

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/;

/** Input order: two plain numbers compare as numbers (a range sorts 2 before 10), else as strings. */
export function compareInputs(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function matchesFilter(state: TaskState, f: TaskFilter): boolean {
  if (f === 'all') return true;
  if (f === 'active') return LIVE.has(state);
  if (f === 'ended') return !LIVE.has(state) && state !== 'queued';
  return state === f;
}

/** An integer key per column (the renderer's quantisation); unknown (null) sorts below every value. */
export function taskSortKey(t: TaskInfo, key: Exclude<TaskSortKey, 'seq' | 'input'>): number {
  switch (key) {
    case 'state': return STATE_ORDER.indexOf(t.state);
    case 'slot': return t.slot ?? 65_535;
    case 'pids': return t.pids.length;
    case 'cpuPercent': return t.cpuPercent === null ? -1 : Math.round(Math.max(0, t.cpuPercent) * 10);
    case 'rss': {
      const rss = t.pids.length ? t.rss : t.peakRss; // the table's RSS column: the peak once ended
      return rss === null ? -1 : Math.round(Math.max(0, rss) / 1024);
    }
    case 'cpuSeconds': return t.cpuSeconds === null ? -1 : Math.round(Math.max(0, t.cpuSeconds) * 100);
    case 'runtimeMs': return Math.round(Math.max(0, t.runtimeMs));
    case 'attempt': return t.attempt;
  }
}

interface Ordering {
  key: string;
  at: number;
  seqs: Uint32Array;
}

export class TaskQueries {
  #cached: Ordering | null = null;

  constructor(private readonly store: TaskStore, private readonly now: () => number = Date.now) {}

  /** Forget the cached ordering (a new job, or a test that wants fresh figures). */
  reset(): void {
    this.#cached = null;
  }

  page(q: TaskQuery): TaskPage {
    const sort = q.sort ?? 'seq';
    const filter = q.filter ?? 'all';
    const total = this.store.total;
    if (filter === 'all' && (sort === 'seq' || (sort === 'input' && this.store.source.kind === 'range'))) {
      // A range's inputs are numbers in seq order already (reversed for a negative step).
      const desc = sort === 'input' && Number(this.store.source.get(0)) > Number(this.store.source.get(total - 1)) ? !q.desc : q.desc;
      const tasks: TaskInfo[] = [];
      for (let i = q.offset; i < Math.min(total, q.offset + q.limit); i++) tasks.push(this.store.info(desc ? total - i : i + 1));
      return { total, offset: q.offset, tasks };
    }
    const seqs = this.#ordered(sort, filter, q.desc ?? false);
    const tasks: TaskInfo[] = [];
    for (let i = q.offset; i < Math.min(seqs.length, q.offset + q.limit); i++) tasks.push(this.store.info(seqs[i]));
    return { total: seqs.length, offset: q.offset, tasks };
  }

  #ordered(sort: TaskSortKey, filter: TaskFilter, desc: boolean): Uint32Array {
    const key = `${sort}|${filter}|${desc}`;
    if (this.#cached && this.#cached.key === key && this.now() - this.#cached.at < CACHE_MS) return this.#cached.seqs;
    let seqs = this.#matching(filter);
    if (sort === 'input') seqs = this.#byInput(seqs);
    else if (sort !== 'seq') seqs = this.#byKey(seqs, sort);
    if (desc) seqs.reverse();
    this.#cached = { key, at: this.now(), seqs }; // from when it was ready: a slow sort still serves the next pages
    return seqs;
  }

  #matching(filter: TaskFilter): Uint32Array {
    const s = this.store;
    let out = new Uint32Array(filter === 'all' ? s.total : 1024);
    let n = 0;
    for (let seq = 1; seq <= s.total; seq++) {
      if (!matchesFilter(s.stateOf(seq), filter)) continue;
      if (n === out.length) {
        const grown = new Uint32Array(n * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = seq;
    }
    return out.slice(0, n);
  }

  #byKey(seqs: Uint32Array, sort: Exclude<TaskSortKey, 'seq' | 'input'>): Uint32Array {
    if (seqs.length === 0) return seqs;
    const keys = new Int32Array(seqs.length); // keys are integers in -1..2^28
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < seqs.length; i++) {
      const k = Math.min(this.#key(seqs[i], sort), 2 ** 28);
      keys[i] = k;
      if (k < min) min = k;
      if (k > max) max = k;
    }
    if (max - min < COUNTING_RANGE) return countingSort(seqs, keys, min, max);
    if (this.store.total >= SEQ_BITS) return this.#byComparator(seqs, (a, b) => this.#key(a, sort) - this.#key(b, sort));
    // Stable numeric sort: pack (key, seq) into one double and use the typed array's native sort.
    const packed = new Float64Array(seqs.length);
    for (let i = 0; i < seqs.length; i++) packed[i] = (keys[i] + 1) * SEQ_BITS + seqs[i];
    packed.sort();
    const out = new Uint32Array(seqs.length);
    for (let i = 0; i < packed.length; i++) out[i] = packed[i] % SEQ_BITS;
    return out;
  }

  #key(seq: number, sort: Exclude<TaskSortKey, 'seq' | 'input'>): number {
    const s = this.store;
    const t = s.held(seq)?.info;
    if (t) return taskSortKey(t, sort);
    if (s.ended.has(seq)) return s.ended.sortKey(seq, sort);
    return sort === 'state' ? 0 : sort === 'slot' ? 65_535 : sort === 'cpuPercent' || sort === 'rss' || sort === 'cpuSeconds' ? -1 : 0;
  }

  /** Decodes each matching input once (a file source reads from disk): transient, one string per row. */
  #byInput(seqs: Uint32Array): Uint32Array {
    const inputs = Array.from(seqs, (seq) => this.store.source.get(seq - 1));
    const idx = Array.from(seqs, (_, i) => i);
    idx.sort((a, b) => compareInputs(inputs[a], inputs[b]) || seqs[a] - seqs[b]);
    return Uint32Array.from(idx, (i) => seqs[i]);
  }

  #byComparator(seqs: Uint32Array, cmp: (a: number, b: number) => number): Uint32Array {
    return seqs.sort((a, b) => cmp(a, b) || a - b);
  }
}

/**
 * Text search (case-insensitive) over inputs, or over outputs given as (seq, bytes) pairs: the
 * first `limit` matching seqs in ascending order, and whether the scan stopped at the limit.
 * Inputs are read one at a time from the source: nothing is kept per task.
 */
export function searchInputs(store: TaskStore, text: string, limit: number): { seqs: number[]; more: boolean } {
  const needle = text.toLowerCase();
  const seqs: number[] = [];
  for (let seq = 1; seq <= store.total; seq++) {
    if (!store.source.get(seq - 1).toLowerCase().includes(needle)) continue;
    if (seqs.length === limit) return { seqs, more: true };
    seqs.push(seq);
  }
  return { seqs, more: false };
}

export function searchOutputs(outputs: Iterable<[number, Buffer]>, text: string, limit: number): { seqs: number[]; more: boolean } {
  const needle = text.toLowerCase();
  const found = new Set<number>();
  let more = false;
  for (const [seq, bytes] of outputs) {
    if (found.has(seq) || !bytes.toString('utf8').toLowerCase().includes(needle)) continue;
    if (found.size === limit) {
      more = true;
      break;
    }
    found.add(seq);
  }
  return { seqs: [...found].sort((a, b) => a - b), more };
}

/** A snapshot's tasks: every held record (running, retry waiting) and the first page by seq. */
export function snapshotTasks(store: TaskStore): TaskInfo[] {
  const bySeq = new Map<number, TaskInfo>();
  for (let seq = 1; seq <= Math.min(store.total, SNAPSHOT_PAGE); seq++) bySeq.set(seq, store.info(seq));
  for (const t of store.heldRecords()) bySeq.set(t.seq, { ...t.info, pids: [...t.info.pids] });
  return [...bySeq.values()];
}

/** Stable counting sort of seqs (ascending) by small integer keys. */
function countingSort(seqs: Uint32Array, keys: Int32Array, min: number, max: number): Uint32Array {
  const starts = new Uint32Array(max - min + 2);
  for (let i = 0; i < keys.length; i++) starts[keys[i] - min + 1]++;
  for (let k = 1; k < starts.length; k++) starts[k] += starts[k - 1];
  const out = new Uint32Array(seqs.length);
  for (let i = 0; i < seqs.length; i++) out[starts[keys[i] - min]++] = seqs[i];
  return out;
}

/** The same page over a plain array of rows (test doubles, and the model the store is checked against). */
export function pageOfRows(rows: readonly TaskInfo[], q: TaskQuery): TaskPage {
  const sort = q.sort ?? 'seq';
  const matching = rows.filter((t) => matchesFilter(t.state, q.filter ?? 'all'));
  const key = (t: TaskInfo) => (sort === 'seq' ? t.seq : sort === 'input' ? 0 : taskSortKey(t, sort));
  matching.sort((a, b) => (sort === 'input' ? compareInputs(a.input, b.input) : key(a) - key(b)) || a.seq - b.seq);
  if (q.desc) matching.reverse();
  return { total: matching.length, offset: q.offset, tasks: matching.slice(q.offset, q.offset + q.limit) };
}
