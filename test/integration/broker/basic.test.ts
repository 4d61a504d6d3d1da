// Issue 12, test 1: 300 tasks over three agents with two slots each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup } from '../core/helpers.js';
import { Cluster, finalRows, join, joblogRows } from './cluster.js';

describe('corral run --broker over three agents', () => {
  const c = new Cluster();
  beforeAll(() => c.start(3, 2));
  afterAll(async () => {
    await c.dispose();
    await cleanup();
  });

  it('runs 300 tasks: exactly 300 final rows, every host used, output right', async () => {
    const log = join(c.dir, 'joblog.tsv');
    const inputs = Array.from({ length: 300 }, (_, i) => `in-${i + 1}`);
    const r = await c.run(['--joblog', log, 'echo', 'out-{}', ':::', ...inputs]).result;
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(inputs.map((s) => `out-${s}`).sort());
    const rows = joblogRows(log);
    expect(rows).toHaveLength(300);
    expect(finalRows(rows).map((x) => x.seq).sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i + 1));
    expect(new Set(rows.map((x) => x.outcome))).toEqual(new Set(['ok']));
    expect(new Set(rows.map((x) => x.host))).toEqual(new Set(['a1', 'a2', 'a3']));
    expect(rows.find((x) => x.seq === 7)!.command).toBe('echo out-in-7');
    expect(r.stderr).toContain('corral: 300 ok, 0 failed, 0 killed; 0 lost and 0 superseded attempt(s)');
  });
});
