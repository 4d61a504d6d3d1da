import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorralApi, Notice, Result, TaskInfo, Tick } from '../../main/contract/index.js';
import type { TransportHarness } from './transports.js';

// One API suite for every transport: run it through IPC and the WebSocket, against the fake
// service or the real supervisor (pass `advance` only when the service ticks on demand).

export interface ContractSuiteOptions {
  makeHarness: () => Promise<TransportHarness>;
  /** Drives one tick (the fake service); omit when the service ticks on its own. */
  advance?: () => void;
  deadlineMs?: number;
}

/** Three long sleeps on two slots: tasks 1 and 2 run, 3 waits (sleep gets its input appended, like GNU parallel). */
export const contractJob = 'name: contract\ncommand: sleep {}\ninputs:\n  list: ["30", "31", "32"]\nconcurrency: 2\nkill: TERM,2s,KILL\n';

/** Plain data only: survives JSON unchanged, no class instances anywhere. */
function expectPlain(value: unknown) {
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      expect([Object.prototype, Array.prototype, null]).toContain(Object.getPrototypeOf(v));
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
}

function expectError(r: Result<unknown>, code: string) {
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe(code);
    expect(typeof r.error.message).toBe('string');
  }
  expectPlain(r);
}

export function contractSuite(name: string, opts: ContractSuiteOptions): void {
  const deadlineMs = opts.deadlineMs ?? 30_000;
  describe(`contract over ${name}`, () => {
    let h: TransportHarness;
    let api: CorralApi;
    const ticks: Tick[] = [];
    const notices: Notice[] = [];
    const latest = new Map<number, TaskInfo>();
    let offTick: () => void;

    const until = async <T>(what: string, probe: () => T | undefined | null | false): Promise<T> => {
      const end = Date.now() + deadlineMs;
      for (;;) {
        const v = probe();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        opts.advance?.();
        await new Promise((r) => setTimeout(r, opts.advance ? 5 : 50));
      }
    };

    beforeAll(async () => {
      h = await opts.makeHarness();
      api = h.api;
      offTick = api.onTick((t) => {
        ticks.push(t);
        for (const task of t.tasks) latest.set(task.seq, task);
      });
      api.onNotice((n) => notices.push(n));
    });
    afterAll(async () => {
      await api?.stopJob({ mode: 'force' });
      await h?.close();
    });

    it('loads a job from text', async () => {
      const r = await api.loadJob({ text: contractJob });
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.value.job.name).toBe('contract');
        expect(r.value.job.counts.total).toBe(3);
      }
      expectPlain(r);
    });

    it('refuses an invalid job file as JOB_INVALID with located issues', async () => {
      const r = await api.loadJob({ text: 'name: [unterminated' });
      expectError(r, 'JOB_INVALID');
      if (!r.ok) expect(Array.isArray(r.error.details)).toBe(true);
    });

    it('starts the job and reports it in the snapshot', async () => {
      expect(await api.startJob(undefined)).toEqual({ ok: true, value: null });
      const snap = await api.getSnapshot(undefined);
      expect(snap.ok).toBe(true);
      if (snap.ok) {
        expect(snap.value.job?.name).toBe('contract');
        expect(['running', 'finished']).toContain(snap.value.job?.state);
        expect(snap.value.tasks.map((t) => t.seq)).toEqual([1, 2, 3]);
      }
      expectPlain(snap);
    });

    it('delivers ticks with consecutive numbers and running tasks', async () => {
      await until('task 1 running', () => latest.get(1)?.state === 'running');
      await until('three ticks', () => ticks.length >= 3);
      const ns = ticks.map((t) => t.n);
      for (let i = 1; i < ns.length; i++) expect(ns[i]).toBeGreaterThan(ns[i - 1]);
      expectPlain(ticks[ticks.length - 1]);
    });

    it('kills a task and the tick says killed', async () => {
      expect(await api.killTask({ seq: 1, mode: 'force' })).toEqual({ ok: true, value: null });
      const t = await until('task 1 killed', () => (latest.get(1)?.state === 'killed' ? latest.get(1) : null));
      expect(t.outcome).toBe('killed');
    });

    it('answers an invalid payload with INVALID_ARGUMENT and where it was wrong', async () => {
      const r = await api.killTask({ seq: -1, mode: 'force' });
      expectError(r, 'INVALID_ARGUMENT');
      if (!r.ok) expect(JSON.stringify(r.error.details)).toContain('seq');
      expectError(await h.rawCall('killTask', { seq: 2, mode: 'sideways' }) as Result<unknown>, 'INVALID_ARGUMENT');
      expectError(await h.rawCall('resizePool', 'twelve') as Result<unknown>, 'INVALID_ARGUMENT');
    });

    it('refuses an unknown method', async () => {
      if (h.unknownMethod === 'rejects') {
        await expect(h.rawCall('formatDisk', {})).rejects.toThrow("No handler registered for 'corral:formatDisk'");
      } else {
        const r = (await h.rawCall('formatDisk', {})) as Result<unknown>;
        expectError(r, 'INVALID_ARGUMENT');
        if (!r.ok) expect(r.error.message).toBe('unknown method: formatDisk');
      }
    });

    it('returns service errors as plain data', async () => {
      const r = await api.killTask({ seq: 999, mode: 'graceful' });
      expectError(r, 'NOT_FOUND');
      const out = await api.getTaskOutput({ seq: 2 });
      expect(out.ok).toBe(true);
      expectPlain(out);
    });

    it('stops delivering ticks after unsubscribe', async () => {
      offTick();
      let after = 0;
      const off = api.onTick(() => after++);
      await until('one more tick', () => after > 0);
      const count = ticks.length;
      off();
      const seen = after;
      // wait for two more ticks on a fresh listener, then check the removed ones saw none
      let more = 0;
      const off2 = api.onTick(() => more++);
      await until('two more ticks', () => more >= 2);
      off2();
      expect(ticks.length).toBe(count);
      expect(after).toBe(seen);
    });
  });
}
