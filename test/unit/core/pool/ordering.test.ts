import { describe, expect, it } from 'vitest';
import { orderSeqs } from '../../../../main/core/pool/ordering.js';
import type { JoblogRow } from '../../../../main/core/log/joblog.js';
import { arraySource } from '../../../../main/core/inputs/source.js';

const list = (items: string[]) => arraySource('list', items);
const order = (...a: Parameters<typeof orderSeqs>) => {
  const o = orderSeqs(...a);
  return o ? [...o] : null;
};

const row = (command: string, runtime: number, outcome: JoblogRow['outcome'] = 'ok'): JoblogRow => ({
  seq: 1, host: ':', startTime: 0, runtime, send: 0, receive: 0, exitval: 0, signal: 0, command, attempt: 1, peakRss: 0, cpuSeconds: 0, outcome,
});
const display = (input: string) => `work ${input}`;

describe('orderSeqs', () => {
  it('keeps input order (no permutation stored) for `input` and when there is no history', () => {
    expect(order('input', list(['a', 'b', 'c']), display, [row('work c', 9)])).toBeNull();
    expect(order('longest-first', list(['a', 'b', 'c']), display, [])).toBeNull();
  });

  it('puts tasks without history first (in input order), then known ones longest first', () => {
    const history = [row('work a', 1), row('work c', 5), row('work d', 3), row('work zz', 100)];
    expect(order('longest-first', list(['a', 'b', 'c', 'd', 'e']), display, history)).toEqual([2, 5, 3, 4, 1]);
  });

  it('takes the longest of several earlier runtimes, and ignores killed or skipped rows', () => {
    const history = [row('work a', 1), row('work a', 8), row('work b', 4), row('work b', 50, 'killed'), row('work c', 60, 'skipped')];
    // c has no usable history: it goes first; then a (8 s) before b (4 s).
    expect(order('longest-first', list(['a', 'b', 'c']), display, history)).toEqual([3, 1, 2]);
  });
});
