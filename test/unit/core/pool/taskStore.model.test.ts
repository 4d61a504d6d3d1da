import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobCounts, Outcome, TaskInfo, TaskQuery } from '../../../../main/contract/types.js';
import { rangeSource } from '../../../../main/core/inputs/source.js';
import { Bitset } from '../../../../main/core/pool/bitset.js';
import { countState, stateOf } from '../../../../main/core/pool/outcomes.js';
import { TaskQueries, pageOfRows } from '../../../../main/core/pool/taskQuery.js';
import { TaskStore } from '../../../../main/core/pool/taskStore.js';
import { TaskRecord } from '../../../../main/core/pool/task.js';

// The compact store against the plain model it replaces: an array of TaskInfo, one per input.

const N = 12;
const T0 = Date.now(); // tasks start after their run is made (endedTasks.ts keeps times from a day before it)
const display = (input: string, seq: number) => `work ${input} #${seq}`;

type Op =
  | { kind: 'start'; seq: number; slot: number; pid: number; at: number }
  | { kind: 'end'; seq: number; outcome: Outcome; exitCode: number | null; signal: string | null; error: string | null; peakRss: number | null; cpuSeconds: number | null; ranMs: number; pausedMs: number }
  | { kind: 'retry'; seq: number }
  | { kind: 'compact' }
  | { kind: 'page'; q: TaskQuery };

const seqArb = fc.integer({ min: 1, max: N });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('start' as const), seq: seqArb, slot: fc.integer({ min: 1, max: 1024 }), pid: fc.integer({ min: 1, max: 4_000_000 }), at: fc.integer({ min: 0, max: 40 * 86_400_000 }) }),
  fc.record({
    kind: fc.constant('end' as const),
    seq: seqArb,
    outcome: fc.constantFrom<Outcome>('ok', 'failed', 'timeout', 'killed', 'stuck-killed', 'memory-killed', 'interrupted'),
    exitCode: fc.option(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant(3_221_225_477), fc.constant(-1))),
    signal: fc.option(fc.constantFrom('SIGTERM', 'SIGKILL', 'SIGSEGV')),
    error: fc.option(fc.string({ maxLength: 12 })),
    peakRss: fc.option(fc.integer({ min: 0, max: 2 ** 40 })),
    cpuSeconds: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
    ranMs: fc.integer({ min: 0, max: 86_400_000 }),
    pausedMs: fc.integer({ min: 0, max: 10_000 }),
  }),
  fc.record({ kind: fc.constant('retry' as const), seq: seqArb }),
  fc.constant({ kind: 'compact' as const }),
  fc.record({
    kind: fc.constant('page' as const),
    q: fc.record({
      offset: fc.integer({ min: 0, max: N }),
      limit: fc.integer({ min: 1, max: N }),
      sort: fc.constantFrom('seq', 'input', 'state', 'slot', 'pids', 'cpuPercent', 'rss', 'cpuSeconds', 'runtimeMs', 'attempt'),
      desc: fc.boolean(),
      filter: fc.constantFrom('all', 'active', 'ended', 'queued', 'running', 'done', 'failed', 'killed', 'skipped'),
    }),
  }),
);

function countsOf(rows: TaskInfo[]): JobCounts {
  const c: JobCounts = { total: rows.length, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
  for (const t of rows) countState(c, t.state);
  return c;
}

describe('TaskStore (model: a plain array of TaskInfo)', () => {
  it('answers every seq, the counts and every page as the array would, under random runs', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.subarray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), (ops, skipped) => {
        const skip = Bitset.from(skipped, N);
        const store = new TaskStore(rangeSource(1, N, 1), display, skip);
        const queries = new TaskQueries(store, () => 0); // one ordering per query: the cache is reset below
        const model: TaskInfo[] = Array.from({ length: N }, (_, i) => new TaskRecord(i + 1, String(i + 1), display(String(i + 1), i + 1)).info);
        for (const s of skipped) Object.assign(model[s - 1], { state: 'skipped', outcome: 'skipped' });
        for (const op of ops) {
          if (op.kind === 'start') {
            if (model[op.seq - 1].state !== 'queued') continue;
            const t = store.open(op.seq);
            const patch = { state: 'running' as const, attempt: t.info.attempt + 1, slot: op.slot, pid: op.pid, startedAt: T0 + op.at, endedAt: null, outcome: null, error: null };
            Object.assign(t.info, patch);
            t.live = {} as TaskRecord['live'];
            Object.assign(model[op.seq - 1], patch);
          } else if (op.kind === 'end') {
            const t = store.held(op.seq);
            if (!t?.live) continue;
            t.live = null;
            const m = model[op.seq - 1];
            const patch = {
              state: stateOf(op.outcome), outcome: op.outcome, exitCode: op.exitCode, signal: op.signal, error: op.error, peakRss: op.peakRss,
              cpuSeconds: op.cpuSeconds, endedAt: m.startedAt! + op.ranMs + op.pausedMs, runtimeMs: op.ranMs, pids: [], cpuPercent: null, rss: null,
            };
            Object.assign(t.info, patch);
            Object.assign(m, patch);
          } else if (op.kind === 'retry') {
            const m = model[op.seq - 1];
            if (m.state === 'queued' || m.state === 'running' || m.state === 'done') continue;
            const t = store.open(op.seq);
            Object.assign(t.info, { state: 'queued', outcome: null, error: null });
            Object.assign(m, { state: 'queued', outcome: null, error: null });
          } else if (op.kind === 'compact') {
            store.compactEnded();
            // What compaction drops, by design (see endedTasks.ts): progress and last activity.
            for (const m of model) if (m.state !== 'queued' && m.state !== 'running') Object.assign(m, { progress: null, lastActivityAt: null });
          } else {
            queries.reset();
            const got = queries.page(op.q);
            const want = pageOfRows(model.map(compactView(store)), op.q);
            expect({ total: got.total, seqs: got.tasks.map((t) => t.seq) }).toEqual({ total: want.total, seqs: want.tasks.map((t) => t.seq) });
          }
        }
        const view = compactView(store);
        for (let seq = 1; seq <= N; seq++) expect(store.info(seq)).toEqual(view(model[seq - 1]));
        expect(store.counts()).toEqual(countsOf(model));
      }),
      { numRuns: 300 },
    );
  });
});

/** A held record shows everything; a compacted row has no progress or last activity. */
function compactView(store: TaskStore) {
  return (m: TaskInfo): TaskInfo => (store.held(m.seq) || m.state === 'queued' ? { ...m } : { ...m, progress: null, lastActivityAt: null });
}
