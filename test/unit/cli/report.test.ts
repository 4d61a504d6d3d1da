import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TaskInfo, Tick } from '../../../main/contract/types.js';
import { Report } from '../../../main/cli/report.js';

const task = (seq: number, attempt: number, state: TaskInfo['state'] = 'done'): TaskInfo =>
  ({ seq, input: String(seq), command: `echo ${seq}`, state, attempt, runtimeMs: 5, peakRss: null, error: null, endedAt: seq }) as TaskInfo;
const tick = (time: number, tasks: TaskInfo[]) => ({ time, tasks, job: null }) as unknown as Tick;

describe('Report', () => {
  it('prints an ended attempt once however many ticks carry it, and a retry of it again', () => {
    let text = '';
    const out = Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), { isTTY: false });
    const r = new Report({ out, progress: null, everyTask: true, json: false });
    const t0 = Date.now();
    r.tick(tick(t0, [task(1, 1), task(5000, 1)])); // a seq past the bitset's first words
    r.tick(tick(t0 + 100, [task(1, 1), task(5000, 1), task(2, 1)])); // slot freed, then the row on disk
    r.tick(tick(t0 + 200, [task(1, 2, 'failed'), task(1, 2, 'failed')]));
    // Minutes later (two generations of retries' keys gone): a first attempt is still one bit, remembered.
    r.tick(tick(t0 + 70_000, []));
    r.tick(tick(t0 + 140_000, [task(1, 1), task(2, 1)]));
    expect(text.split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' ') + (l.includes('attempt 2') ? ' #2' : ''))).toEqual(['[1] ok', '[5000] ok', '[2] ok', '[1] failed #2']);
  });
});
