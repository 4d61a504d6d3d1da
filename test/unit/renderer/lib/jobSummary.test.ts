import { describe, expect, it } from 'vitest';
import type { JobCounts } from '../../../../main/contract/types.js';
import { etaText, headerCounts, progressOf, progressSegments } from '../../../../renderer/lib/jobSummary.js';
import { job } from '../fixtures.js';

const counts = (over: Partial<JobCounts>): JobCounts => ({
  total: 0, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0, ...over,
});
const shown = (c: Partial<JobCounts>, state: Parameters<typeof job>[0] = {}) =>
  headerCounts(job({ counts: counts(c), ...state })).map((i) => `${i.label} ${i.value} ${i.tone}`);

describe('headerCounts', () => {
  it('keeps tasks the user stopped out of "failed": killed and interrupted have their own, non-red counts', () => {
    // The case: 7 tasks stopped or killed by the user, none failed on its own.
    const items = shown({ total: 7, killed: 3, interrupted: 4 }, { state: 'stopped' });
    expect(items).toContain('failed 0 plain');
    expect(items).toContain('killed 3 killed');
    expect(items).toContain('interrupted 4 interrupted');
    expect(items.filter((i) => i.endsWith(' failed'))).toEqual([]);
  });

  it('paints failed red only when a task failed on its own', () => {
    expect(shown({ total: 2, failed: 1, done: 1 })).toContain('failed 1 failed');
    expect(shown({ total: 2, done: 2 })).toContain('failed 0 plain');
  });

  it('counts suspect apart from stuck: a quiet hint beside the verdict, each in its own tone', () => {
    const items = shown({ total: 10, running: 4, suspect: 3, stuck: 1, queued: 6 });
    expect(items).toContain('stuck 1 stuck');
    expect(items).toContain('suspect 3 suspect');
    // No suspect: no hint at all; no stuck: stuck stays, uncoloured.
    const calm = shown({ total: 10, running: 4, queued: 6 });
    expect(calm.some((i) => i.startsWith('suspect'))).toBe(false);
    expect(calm).toContain('stuck 0 plain');
  });

  it('says "not run" instead of "queued" once the job is over', () => {
    expect(shown({ total: 5, done: 2, queued: 3 })).toContain('queued 3 queued');
    for (const state of ['stopped', 'halted', 'finished'] as const) expect(shown({ total: 5, done: 2, queued: 3 }, { state })).toContain('not run 3 queued');
  });

  it('shows skipped only when there are any, and always the total', () => {
    expect(shown({ total: 4, skipped: 2, done: 2 })).toContain('skipped 2 skipped');
    expect(shown({ total: 4, done: 4 }).some((i) => i.startsWith('skipped'))).toBe(false);
    expect(shown({ total: 4, done: 4 })).toContain('total 4 plain');
  });
});

describe('progressOf', () => {
  it('counts every ended task (ok, failed, killed, interrupted, skipped) as progress', () => {
    const p = progressOf(job({ counts: counts({ total: 10, done: 2, failed: 1, killed: 1, interrupted: 1, skipped: 1, queued: 4 }) }));
    expect(p).toEqual({ ended: 6, total: 10, percent: 60 });
    expect(progressOf(null)).toEqual({ ended: 0, total: 0, percent: 0 });
  });
  it('splits the bar by outcome: only real failures in the failed segment', () => {
    const segs = progressSegments(job({ counts: counts({ total: 10, done: 5, failed: 1, killed: 2, interrupted: 1, skipped: 1 }) }));
    expect(segs).toEqual([
      { tone: 'ok', fraction: 0.5 },
      { tone: 'failed', fraction: 0.1 },
      { tone: 'killed', fraction: 0.3 },
      { tone: 'skipped', fraction: 0.1 },
    ]);
  });
});

describe('etaText', () => {
  it('shows the ETA only while the job runs with dispatch on', () => {
    expect(etaText(job({ state: 'running', etaMs: 20_000 }))).toBe('20 s');
    expect(etaText(job({ state: 'running', etaMs: null }))).toBe('—');
  });
  it('hides it while paused, draining, stopping and once stopped, halted or finished', () => {
    expect(etaText(job({ state: 'running', dispatchPaused: true, etaMs: 20_000 }))).toBe('—');
    for (const state of ['paused', 'draining', 'stopping', 'stopped', 'halted', 'finished', 'ready'] as const) {
      expect(etaText(job({ state, etaMs: 20_000 })), state).toBe('—');
    }
    expect(etaText(null)).toBe('—');
  });
});
