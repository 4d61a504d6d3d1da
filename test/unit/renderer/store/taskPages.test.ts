import { describe, expect, it } from 'vitest';
import type { Result, TaskPage, TaskQuery } from '../../../../main/contract/types.js';
import { PAGE_REFRESH_MS, PAGE_ROWS } from '../../../../renderer/store/taskPages.js';
import { MAX_ROWS, TasksStore } from '../../../../renderer/store/tasksStore.js';
import { task } from '../fixtures.js';

// A fake supervisor of `total` queued tasks: answers getTasks in seq order, or descending.
function supervisor(total: number) {
  const asked: TaskQuery[] = [];
  const fetch = (q: TaskQuery): Promise<Result<TaskPage>> => {
    asked.push(q);
    const seqs = Array.from({ length: Math.max(0, Math.min(q.limit, total - q.offset)) }, (_, i) => (q.desc ? total - q.offset - i : q.offset + i + 1));
    return Promise.resolve({ ok: true, value: { total, offset: q.offset, tasks: seqs.map((s) => task(s)) } });
  };
  return { asked, fetch };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const all = { filter: 'all', sort: 'seq', desc: false } as const;

describe('TasksStore pages (getTasks)', () => {
  it('asks only the pages on screen, then shows their rows and the supervisor\'s count', async () => {
    let now = 0;
    const store = new TasksStore({ now: () => now });
    const sup = supervisor(10_000_000);
    store.ensureRows(sup.fetch, all, 9_999_990, 10_000_000);
    expect(sup.asked).toEqual([{ offset: 9_999_800, limit: PAGE_ROWS, sort: 'seq', desc: false, filter: 'all' }]);
    expect(store.rowAt(all, 9_999_999)).toBeUndefined(); // loading
    const v = store.version;
    await flush();
    expect(store.version).toBe(v + 1);
    expect(store.rowCount(all)).toBe(10_000_000);
    expect(store.rowAt(all, 9_999_999)?.seq).toBe(10_000_000);
    // Fresh pages are not asked again; stale ones are.
    store.ensureRows(sup.fetch, all, 9_999_990, 10_000_000);
    expect(sup.asked).toHaveLength(1);
    now += PAGE_REFRESH_MS;
    store.ensureRows(sup.fetch, all, 9_999_990, 10_000_000);
    expect(sup.asked).toHaveLength(2);
  });

  it('a new sort forgets the old pages, and a late answer for the old view is ignored', async () => {
    const store = new TasksStore();
    const sup = supervisor(1000);
    store.ensureRows(sup.fetch, all, 0, 10);
    const desc = { ...all, desc: true };
    store.ensureRows(sup.fetch, desc, 0, 10);
    await flush();
    expect(store.rowAt(desc, 0)?.seq).toBe(1000);
    expect(store.rowCount(desc)).toBe(1000);
    expect(store.pages.seqAt(all, 0)).toBeUndefined();
  });

  it('holds at most MAX_ROWS rows however many ticks pass through, keeping live ones and shown pages', async () => {
    const store = new TasksStore();
    const sup = supervisor(100_000);
    store.ensureRows(sup.fetch, all, 0, 50);
    await flush();
    store.upsert([task(99_999, { state: 'running' })]);
    for (let seq = 1000; seq < 60_000; seq++) store.upsert([task(seq, { state: 'done' })]);
    expect(store.size).toBeLessThanOrEqual(MAX_ROWS);
    expect(store.get(99_999)?.state).toBe('running');
    expect(store.rowAt(all, 0)?.seq).toBe(1);
    expect(store.get(59_999)?.state).toBe('done'); // the newest stay
  });
});
