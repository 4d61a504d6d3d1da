import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../main/contract/runs.js';
import { parseRetention, runIdOf, runsToPrune } from '../../../../main/core/runs/index.js';
import { manifestPathOf } from '../../../../main/core/runs/paths.js';

const day = 86_400_000;
const run = (id: string, startedAt: number | null, over: Partial<RunSummary> = {}): RunSummary => ({
  runId: `job/${id}`, name: 'job', file: null, joblog: `/s/joblogs/job/${id}.tsv`, startedAt, endedAt: startedAt, live: false, fromJoblog: false, pid: 1,
  counts: { ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 }, ...over,
});

describe('--keep-runs', () => {
  it('reads runs, days or both, each at most once', () => {
    expect(parseRetention('100')).toEqual({ maxRuns: 100 });
    expect(parseRetention('30d')).toEqual({ maxAgeDays: 30 });
    expect(parseRetention('5, 1.5d')).toEqual({ maxRuns: 5, maxAgeDays: 1.5 });
  });
  it('names what it expected for anything else', () => {
    for (const bad of ['0', '-1', '30x', '1,2', '3d,4d', '']) {
      expect(parseRetention(bad)).toBe(`--keep-runs expects a number of runs, a number of days like 30d, or both (100,30d), got ${JSON.stringify(bad)}`);
    }
  });
});

describe('runsToPrune', () => {
  const now = 100 * day;
  it('drops runs past the age and beyond the newest N; live and kept ones stay and count', () => {
    const runs = [run('e', now - day), run('d', now - 2 * day, { live: true }), run('c', now - 3 * day), run('b', now - 4 * day), run('a', now - 40 * day)];
    expect(runsToPrune(runs, { maxAgeDays: 30, maxRuns: 3 }, now).map((r) => r.runId)).toEqual(['job/b', 'job/a']);
    expect(runsToPrune(runs, { maxAgeDays: 30, maxRuns: 1 }, now, new Set(['/s/joblogs/job/c.tsv'])).map((r) => r.runId)).toEqual(['job/b', 'job/a']);
  });
  it('takes a run with no time at all (a joblog without a row yet) as new', () => {
    expect(runsToPrune([run('x', null)], { maxAgeDays: 1, maxRuns: 10 }, now)).toEqual([]);
  });
});

describe('run paths', () => {
  it('a run id only for a joblog directly under <state>/joblogs/<job>/', () => {
    expect(runIdOf('/s', join('/s', 'joblogs', 'job', 'T1.tsv'))).toBe('job/T1');
    expect(runIdOf('/s', '/elsewhere/log.tsv')).toBeNull();
    expect(runIdOf('/s', join('/s', 'joblogs', 'a', 'b', 'c.tsv'))).toBeNull();
    expect(manifestPathOf('/s/joblogs/job/T1.tsv')).toBe('/s/joblogs/job/T1.run.json');
  });
});
