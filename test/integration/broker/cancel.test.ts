// Issue 12, test 4: a cancel reaches the agent running the task, its whole tree (grandchild
// included) is gone within a second, and the task is not run again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BullmqSupervisorTransport } from '../../../main/core/broker/bullmq.js';
import { repoRoot, waitFor } from '../core/helpers.js';
import { useCluster, join, joblogRows, running } from './cluster.js';

const TREE = join(repoRoot, 'test/fixtures/broker/tree.sh');
/** The bound, with slack for a loaded 2-core machine. */
const CANCEL_BOUND_MS = 3 * 1000;

const treePids = (file: string): number[] => readFileSync(file, 'utf8').trim().split(' ').map(Number);

describe('cancelling tasks on their agents', () => {
  const c = useCluster();

  it('kill task: the tree with its grandchild is gone within 1 s, one killed row, no retry', async () => {
    const log = join(c.dir, 'cancel.tsv');
    const pidsFile = join(c.dir, 'tree-pids');
    const run = c.run(['--joblog', log, TREE, ':::', pidsFile]);
    await waitFor('the task tree to start', () => existsSync(pidsFile));
    const pids = treePids(pidsFile);
    expect(pids).toHaveLength(3);
    const runId = readFileSync(`${log}.broker-run`, 'utf8').trim();
    const t = new BullmqSupervisorTransport(c.redis.url);
    const sentAt = Date.now();
    await t.cancel({ runId, seq: 1, mode: 'graceful' });
    await waitFor('the whole tree to be gone', () => pids.every((p) => !running(p)));
    const tookMs = Date.now() - sentAt;
    await t.close();
    console.log(`cancel: tree of 3 processes gone ${tookMs} ms after the cancel was published`);
    expect(tookMs).toBeLessThan(CANCEL_BOUND_MS);
    const r = await run.result;
    expect(r.code).toBe(1);
    const rows = joblogRows(log);
    expect(rows.map((x) => [x.seq, x.outcome, x.signal])).toEqual([[1, 'killed', 15]]);
    // Not retried: the broker holds it as completed, nothing waits or runs.
    const after = new BullmqSupervisorTransport(c.redis.url);
    expect((await after.ended(runId, 1))?.kind).toBe('end');
    await after.close();
  });

  it('stop job (Ctrl-C): running tasks are cancelled where they run, waiting ones dropped; --resume runs the rest', async () => {
    const log = join(c.dir, 'stop.tsv');
    const files = Array.from({ length: 10 }, (_, i) => join(c.dir, `stop-${i + 1}`));
    const run = c.run(['--joblog', log, TREE, ':::', ...files]);
    await waitFor('six tasks to run (every slot busy)', () => files.filter((f) => existsSync(f)).length === 6);
    const pids = files.filter((f) => existsSync(f)).flatMap(treePids);
    const sentAt = Date.now();
    run.child.kill('SIGINT');
    await waitFor('every tree to be gone', () => pids.every((p) => !running(p)));
    const tookMs = Date.now() - sentAt;
    console.log(`stop job: 6 trees (18 processes) gone ${tookMs} ms after Ctrl-C`);
    expect(tookMs).toBeLessThan(CANCEL_BOUND_MS);
    const r = await run.result;
    expect(r.code).toBe(130);
    const rows = joblogRows(log);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((x) => x.outcome))).toEqual(new Set(['killed']));
    expect(files.filter((f) => existsSync(f))).toHaveLength(6); // the four waiting never started
    // --resume runs all ten again (a killed task has not ended); each its own tree this time.
    const quick = join(c.dir, 'quick.sh');
    writeFileSync(quick, '#!/bin/sh\necho "done $1"\n', { mode: 0o755 });
    const again = await c.run(['--resume', '--joblog', log, quick, ':::', ...files]).result;
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n').sort()).toEqual(files.map((f) => `done ${f}`).sort());
    const final = joblogRows(log).slice(6);
    expect(final.map((x) => x.seq).sort((a, b) => a - b)).toEqual(files.map((_, i) => i + 1));
    expect(new Set(final.map((x) => x.outcome))).toEqual(new Set(['ok']));
  });
});
