// Issue 12, tests 5 and 7: the broker SIGKILLed and restarted on its data; a task that kills
// every agent that runs it.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { cleanup, repoRoot, sleep, waitFor } from '../core/helpers.js';
import { Cluster, finalRows, join, joblogRows } from './cluster.js';

const MARK = join(repoRoot, 'test/fixtures/broker/mark.sh');
const KILL_AGENT = join(repoRoot, 'test/fixtures/broker/killAgent.sh');

afterAll(cleanup);

describe('the broker killed mid-run', () => {
  const c = new Cluster();
  afterEach(() => c.dispose());

  it('kill -9 Redis and restart it on the same data: nothing lost, no duplicate final rows', async () => {
    await c.start(3, 2);
    const log = join(c.dir, 'joblog.tsv');
    const inputs = Array.from({ length: 60 }, (_, i) => String(i + 1));
    const run = c.run(['--joblog', log, MARK, join(c.dir, 'marks'), '{}', '0.5', ':::', ...inputs]);
    await waitFor('fifteen rows', () => existsSync(log) && joblogRows(log).length >= 15);
    await c.redis.stop(true);
    await sleep(1000);
    await c.redis.start();
    const r = await run.result;
    expect(r.code).toBe(0);
    const final = finalRows(joblogRows(log));
    expect(final.map((x) => x.seq).sort((a, b) => a - b)).toEqual(inputs.map(Number));
    expect(new Set(final.map((x) => x.outcome))).toEqual(new Set(['ok']));
    expect(r.stdout.trim().split('\n').sort()).toEqual(inputs.map((i) => `done ${i}`).sort());
  });
});

describe('a task that kills its agent', () => {
  const c = new Cluster();
  afterEach(() => c.dispose());

  it('fails after the stall limit instead of looping', async () => {
    await c.start(3, 1, ['--max-stalls', '1']);
    const log = join(c.dir, 'joblog.tsv');
    const r = await c.run(['--joblog', log, KILL_AGENT, ':::', 'x']).result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('corral: task 1: job stalled more than allowable limit\n');
    const rows = joblogRows(log);
    // Two agents died holding it (a lost row each); the third fails it without running it.
    expect(rows.map((x) => x.outcome)).toEqual(['lost', 'lost', 'failed']);
    expect(rows[0].host).not.toBe(rows[1].host);
    const survivor = c.agents.find((a) => a.child.exitCode === null && a.child.signalCode === null)!;
    await waitFor('the survivor to say why', () => survivor.stderr().includes('corral agent: task 1 of run '));
    expect(survivor.stderr()).toMatch(/corral agent: task 1 of run [0-9a-f]+: job stalled more than allowable limit; not run again\n/);
    const dead = await Promise.all(c.agents.map((a) => Promise.race([a.exited.then(() => true), sleep(100).then(() => false)])));
    expect(dead.filter(Boolean)).toHaveLength(2);
  });
});
