import { describe, expect, it } from 'vitest';
import type { CorralApi } from '../../../../main/contract/api.js';
import type { Result, Snapshot, Tick } from '../../../../main/contract/types.js';
import { JobStore } from '../../../../renderer/store/jobStore.js';
import { SeriesStore } from '../../../../renderer/store/seriesStore.js';
import { TickSync } from '../../../../renderer/store/sync.js';
import { TasksStore } from '../../../../renderer/store/tasksStore.js';
import { snapshot, task, tick } from '../fixtures.js';

// A fake server side: hands out snapshots on request and pushes ticks; frames run when we say.
function setup(maxPending?: number, onSnapshot?: (s: Snapshot) => void) {
  let emit: (t: Tick) => void = () => {};
  const snapshots: Snapshot[] = [];
  let answer: (r: Result<Snapshot>) => void = () => {};
  const api = {
    getSnapshot: () => new Promise<Result<Snapshot>>((resolve) => (answer = resolve)),
    onTick: (cb: (t: Tick) => void) => ((emit = cb), () => {}),
  } as unknown as Pick<CorralApi, 'getSnapshot' | 'onTick'>;
  const frames: (() => void)[] = [];
  const stores = { job: new JobStore(), tasks: new TasksStore(), series: new SeriesStore() };
  const errors: string[] = [];
  const sync = new TickSync({ api, stores, schedule: (cb) => frames.push(cb), maxPending, onError: (m) => errors.push(m), onSnapshot });
  sync.start();
  const runFrames = () => {
    while (frames.length) (frames.shift() as () => void)();
  };
  const serve = async (s: Snapshot) => {
    snapshots.push(s);
    answer({ ok: true, value: s });
    await Promise.resolve();
    await Promise.resolve();
  };
  return { sync, stores, emit: (t: Tick) => emit(t), runFrames, serve, errors, fail: (message: string) => answer({ ok: false, error: { code: 'INTERNAL', message } }) };
}

describe('TickSync', () => {
  it('applies a snapshot, then consecutive ticks once per frame', async () => {
    const h = setup();
    const p = h.sync.resync();
    await h.serve(snapshot(5, { tasks: [task(1), task(2)] }));
    await p;
    expect(h.sync.lastN).toBe(5);
    expect(h.stores.job.ready.get()).toBe(true);
    const v = h.stores.tasks.version;
    h.emit(tick(6, { tasks: [task(1, { state: 'running', slot: 1, attempt: 1, startedAt: 1 })] }));
    h.emit(tick(7, { tasks: [task(2, { state: 'running', slot: 2, attempt: 1, startedAt: 1 })] }));
    expect(h.stores.tasks.get(1)?.state).toBe('queued'); // nothing before the frame
    h.runFrames();
    expect(h.sync.lastN).toBe(7);
    expect(h.stores.tasks.get(1)?.state).toBe('running');
    expect(h.stores.tasks.get(2)?.state).toBe('running');
    expect(h.stores.tasks.version).toBe(v + 1); // one notification for two ticks
    expect(h.stores.job.clock.get().n).toBe(7);
    expect(h.stores.series.pool.size).toBe(2);
  });

  it('drops ticks already contained in the snapshot', async () => {
    const h = setup();
    h.emit(tick(3));
    h.emit(tick(4));
    const p = h.sync.resync();
    h.emit(tick(5));
    h.runFrames(); // snapshot still in flight: nothing applied
    expect(h.sync.lastN).toBe(-1);
    await h.serve(snapshot(4));
    await p;
    h.runFrames();
    expect(h.sync.lastN).toBe(5);
    expect(h.stores.series.pool.size).toBe(1);
    expect(h.sync.snapshots).toBe(1);
  });

  it('fetches a fresh snapshot when a tick number is skipped', async () => {
    const h = setup();
    const p = h.sync.resync();
    await h.serve(snapshot(10));
    await p;
    h.emit(tick(11));
    h.emit(tick(13)); // 12 was dropped by the server
    h.runFrames();
    expect(h.sync.lastN).toBe(11);
    await h.serve(snapshot(13, { tasks: [task(9, { state: 'done' })] }));
    h.emit(tick(14));
    h.runFrames();
    expect(h.sync.snapshots).toBe(2);
    expect(h.sync.lastN).toBe(14);
    expect(h.stores.tasks.get(9)?.state).toBe('done');
  });

  it('resyncs instead of replaying a long backlog (hidden tab)', async () => {
    const h = setup(5);
    const p = h.sync.resync();
    await h.serve(snapshot(0));
    await p;
    for (let n = 1; n <= 7; n++) h.emit(tick(n));
    expect(h.sync.pending).toBeLessThanOrEqual(5);
    h.runFrames();
    await h.serve(snapshot(7));
    h.runFrames();
    expect(h.sync.lastN).toBe(7);
    expect(h.sync.snapshots).toBe(2);
  });

  it('reports a failed snapshot and tries again on the next tick', async () => {
    const h = setup();
    const p = h.sync.resync();
    h.fail('boom');
    await p;
    expect(h.errors).toEqual(['Could not load the dashboard state: boom']);
    h.emit(tick(1));
    h.runFrames();
    await h.serve(snapshot(1));
    expect(h.sync.lastN).toBe(1);
  });

  it('hands every applied snapshot to onSnapshot (the event log takes its notices)', async () => {
    const seen: number[] = [];
    const h = setup(undefined, (s) => seen.push(s.tick));
    const p = h.sync.resync();
    await h.serve(snapshot(5, { notices: [{ level: 'warn', kind: 'task-failed', message: 'task 1 failed: exit code 3', taskSeq: 1, time: 1 }] }));
    await p;
    expect(seen).toEqual([5]);
  });
});
