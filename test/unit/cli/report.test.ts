import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TaskInfo, Tick } from '../../../main/contract/types.js';
import { LINES_FLUSH_AT, Report, type ReportOptions } from '../../../main/cli/report.js';

// The CLI's task lines come from each task's end (the supervisor's taskEnded), not from the ticks'
// rows: `corral run` builds no rows for itself (issue 9, item 22). They wait for the tick and go
// out in one write, in the order the tasks ended.

const task = (seq: number, attempt: number, state: TaskInfo['state'] = 'done'): TaskInfo =>
  ({ seq, input: String(seq), command: `echo ${seq}`, state, attempt, runtimeMs: 5, peakRss: null, error: state === 'failed' ? 'exit 1' : null, endedAt: seq }) as TaskInfo;
const tick = { time: 0, tasks: [], job: null } as unknown as Tick;

function report(over: Partial<ReportOptions> = {}) {
  const writes: string[] = [];
  const out = Object.assign(new Writable({ write: (c, _e, cb) => (writes.push(String(c)), cb()) }), { isTTY: false });
  const r = new Report({ out, progress: null, everyTask: true, json: false, ...over });
  const lines = () => writes.join('').split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' ') + (l.includes('(attempt 2)') ? ' #2' : ''));
  return { r, writes, lines };
}

describe('Report', () => {
  it('writes the lines of the tasks that ended since the last tick at the tick, in one write, in the order they ended', () => {
    const { r, writes, lines } = report();
    r.ended(task(2, 1));
    r.ended(task(1, 1, 'failed'));
    expect(writes).toEqual([]);
    r.tick(tick);
    expect(writes.length).toBe(1);
    r.tick(tick); // nothing new: nothing written
    expect(writes.length).toBe(1);
    r.ended(task(1, 2)); // the same task run again is a new line
    r.ended(task(3, 1, 'skipped')); // skipped by --resume: not a line
    r.tick(tick);
    expect(lines()).toEqual(['[2] ok', '[1] failed', '[1] ok #2']);
  });

  it('a command line, and a run with the progress line, report only what did not end ok; --json none', () => {
    for (const over of [{ everyTask: false }, { progress: Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: true }) }]) {
      const { r, lines } = report(over);
      r.ended(task(1, 1));
      r.ended(task(2, 1, 'timeout'));
      r.tick(tick);
      expect(lines()).toEqual(['[2] timeout']);
    }
    const { r, writes } = report({ json: true });
    r.ended(task(2, 1, 'failed'));
    r.tick(tick);
    expect(writes).toEqual([]);
  });

  it('the summary comes after every waiting line; silenced, waiting lines are dropped; 64 KiB of lines are written before the tick', () => {
    const { r, lines } = report();
    r.ended(task(1, 1));
    r.summary({ name: 'j', state: 'finished', counts: { done: 1, total: 1, queued: 0 }, startedAt: 0, endedAt: 5, haltReason: null, joblog: null } as never, new Map());
    expect(lines()).toEqual(['[1] ok', 'j: finished']);
    const quiet = report();
    quiet.r.ended(task(1, 1));
    quiet.r.silence();
    quiet.r.tick(tick);
    expect(quiet.writes).toEqual([]);
    const flood = report();
    for (let seq = 1; flood.writes.length === 0 && seq < 100_000; seq++) flood.r.ended(task(seq, 1));
    expect(flood.writes.length).toBe(1);
    expect(flood.writes[0].length).toBeGreaterThanOrEqual(LINES_FLUSH_AT);
    expect(flood.writes[0].length).toBeLessThan(LINES_FLUSH_AT + 200);
  });
});
