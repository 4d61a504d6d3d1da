import { describe, expect, it } from 'vitest';
import { BrokerDashboard } from '../../../../main/core/broker/dashboard.js';
import type { JoblogRow } from '../../../../main/core/log/joblog.js';

const view = () =>
  new BrokerDashboard({ name: 'j', file: null, total: 5, skipped: 1, joblog: null, slotsOf: (h) => (h === 'a1' ? 2 : 3), commandOf: (s) => `cmd ${s}`, inputOf: (s) => `in ${s}` });

const row = (seq: number, host: string, outcome: JoblogRow['outcome'], attempt = 1): JoblogRow => ({
  seq, host, startTime: 1, runtime: 0.5, send: 0, receive: 0, exitval: outcome === 'ok' ? 0 : 1, signal: 0, command: '', attempt, peakRss: 1e6, cpuSeconds: 0.25, outcome,
});

describe('a broker run as the dashboard sees it', () => {
  it('each host its own lanes; a task runs, ends, and its row numbers reach the table', () => {
    const v = view();
    v.observe({ kind: 'start', seq: 1, host: 'a1', pid: 10, at: 1000, attempt: 1, slot: 2 }, false);
    v.observe({ kind: 'start', seq: 2, host: 'a2', pid: 11, at: 1000, attempt: 1, slot: 1 }, false);
    expect(v.slots().map((s) => [s.slot, s.taskSeq])).toEqual([[1, null], [2, 1], [3, 2], [4, null], [5, null]]);
    expect(v.task(2)).toMatchObject({ state: 'running', host: 'a2', slot: 3, input: 'in 2', command: 'cmd 2' });
    v.observe({ kind: 'end', seq: 1, report: { row: row(1, 'a1', 'ok'), output: Buffer.from('hi').toString('base64') } }, true);
    expect(v.task(1)).toMatchObject({ state: 'done', outcome: 'ok', cpuSeconds: 0.25, peakRss: 1e6 });
    expect(v.output(1)?.toString()).toBe('hi');
    expect(v.counts()).toMatchObject({ total: 5, skipped: 1, done: 1, running: 1, queued: 2 });
    expect(v.stream(0, Date.now() + 1).bars.map((b) => [b.seq, b.slot, b.outcome])).toEqual([[1, 2, 'ok']]);
  });

  it('a task lost with its host goes back to the queue, saying so; a failed attempt with retries left waits again', () => {
    const v = view();
    v.observe({ kind: 'start', seq: 3, host: 'a2', pid: 12, at: 1000, attempt: 1, slot: 2 }, false);
    v.observe({ kind: 'lost', seq: 3 }, false);
    expect(v.task(3)).toMatchObject({ state: 'queued', error: 'lost with a2; requeued' });
    expect(v.slots().every((s) => s.taskSeq === null)).toBe(true);
    v.observe({ kind: 'start', seq: 3, host: 'a1', pid: 13, at: 2000, attempt: 2, slot: 1 }, false);
    v.observe({ kind: 'end', seq: 3, report: { row: row(3, 'a1', 'failed', 2), output: '' } }, false);
    expect(v.task(3)).toMatchObject({ state: 'queued', outcome: 'failed', error: 'attempt 2 failed; retrying' });
    expect(v.takeChanged().map((t) => t.seq)).toEqual([3]);
    expect(v.takeChanged()).toEqual([]);
  });
});

describe('a long broker run in the dashboard', () => {
  it('keeps the newest 20 000 ended tasks for the table; the counts still cover every task', () => {
    const n = 20_010;
    const v = new BrokerDashboard({ name: 'j', file: null, total: n + 5, skipped: 0, joblog: null, slotsOf: () => 2, commandOf: (s) => `cmd ${s}`, inputOf: (s) => `in ${s}` });
    for (let seq = 1; seq <= n; seq++) {
      v.observe({ kind: 'start', seq, host: 'a1', pid: seq, at: 1000, attempt: 1, slot: 1 }, false);
      v.observe({ kind: 'end', seq, report: { row: row(seq, 'a1', seq % 10 === 0 ? 'failed' : 'ok'), output: '' } }, true);
      if (seq % 1000 === 0) v.takeChanged();
    }
    v.takeChanged();
    expect(v.task(1)).toBeNull();
    expect(v.task(n)).not.toBeNull();
    expect(v.tasks().length).toBeLessThanOrEqual(20_000);
    expect(v.counts()).toMatchObject({ total: 20_015, done: 18_009, failed: 2001, queued: 5, running: 0 });
  });
});
