import type { Result, TaskInfo, TaskPage, TaskQuery } from '../../main/contract/types.js';

// The table's rows come from the supervisor page by page (getTasks): the dashboard holds the
// pages around what is on screen, never the whole job (10 M tasks would not fit a renderer).

export type FetchPage = (q: TaskQuery) => Promise<Result<TaskPage>>;
export interface PageSpec {
  filter: NonNullable<TaskQuery['filter']>;
  sort: NonNullable<TaskQuery['sort']>;
  desc: boolean;
}

export const PAGE_ROWS = 200;
/** A shown page is asked again after this long (order and membership change as tasks run). */
export const PAGE_REFRESH_MS = 1000;
/** Pages kept per view; the farthest from the last asked one go first. */
const MAX_PAGES = 50;

interface Page {
  seqs: number[];
  at: number;
}

export class TaskPages {
  #key = '';
  #total: number | null = null;
  #pages = new Map<number, Page>();
  #inflight = new Set<number>();

  constructor(
    private readonly onRows: (rows: TaskInfo[]) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Rows matching the view, as the supervisor last said; null before its first answer. */
  total(spec: PageSpec): number | null {
    return this.#key === keyOf(spec) ? this.#total : null;
  }

  /** The seq at a row of the view, if its page has arrived. */
  seqAt(spec: PageSpec, index: number): number | undefined {
    if (this.#key !== keyOf(spec)) return undefined;
    return this.#pages.get(Math.floor(index / PAGE_ROWS))?.seqs[index % PAGE_ROWS];
  }

  /** Seqs on the pages held (the store keeps their rows). */
  heldSeqs(): Set<number> {
    const out = new Set<number>();
    for (const p of this.#pages.values()) for (const s of p.seqs) out.add(s);
    return out;
  }

  /** Forgets every page (a snapshot: perhaps another job). */
  reset(): void {
    this.#key = '';
    this.#total = null;
    this.#pages.clear();
    this.#inflight.clear();
  }

  /** Asks for the pages covering rows [start, end) that are missing or older than PAGE_REFRESH_MS. */
  ensure(fetch: FetchPage, spec: PageSpec, start: number, end: number): void {
    const key = keyOf(spec);
    if (key !== this.#key) {
      this.reset();
      this.#key = key;
    }
    const now = this.now();
    const last = Math.max(start, end - 1);
    for (let p = Math.floor(start / PAGE_ROWS); p <= Math.floor(last / PAGE_ROWS); p++) {
      const page = this.#pages.get(p);
      if (this.#inflight.has(p) || (page && now - page.at < PAGE_REFRESH_MS)) continue;
      this.#inflight.add(p);
      void fetch({ offset: p * PAGE_ROWS, limit: PAGE_ROWS, sort: spec.sort, desc: spec.desc, filter: spec.filter }).then(
        (r) => this.#arrived(key, p, r),
        () => this.#inflight.delete(p),
      );
    }
  }

  #arrived(key: string, p: number, r: Result<TaskPage>): void {
    if (key !== this.#key) return; // the view changed while it was asked
    this.#inflight.delete(p);
    if (!r.ok) return;
    this.#total = r.value.total;
    this.#pages.set(p, { seqs: r.value.tasks.map((t) => t.seq), at: this.now() });
    if (this.#pages.size > MAX_PAGES) {
      const far = [...this.#pages.keys()].sort((a, b) => Math.abs(b - p) - Math.abs(a - p));
      for (const k of far.slice(0, this.#pages.size - MAX_PAGES)) this.#pages.delete(k);
    }
    this.onRows(r.value.tasks);
  }
}

function keyOf(s: PageSpec): string {
  return `${s.filter}|${s.sort}|${s.desc}`;
}
