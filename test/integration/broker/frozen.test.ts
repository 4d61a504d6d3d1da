// Issue 12, test 3: SIGSTOP one agent for 10 s, then SIGCONT. Its tasks were given to other
// agents meanwhile; its late results are rejected by the lock (superseded rows), and its own
// fencing kills the trees it was still running.
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../core/helpers.js';
import { MARK, markedTasks, useCluster, descendants, finalRows, join, joblogRows, running } from './cluster.js';

describe('an agent frozen for 10 s', () => {
  const c = useCluster();

  it('its tasks run elsewhere, its late results are superseded, its fencing kills its trees', async () => {
    const log = join(c.dir, 'joblog.tsv');
    const marks = join(c.dir, 'marks');
    const inputs = Array.from({ length: 6 }, (_, i) => String(i + 1));
    // 30 s: far longer than the freeze, so the trees end by fencing, never on their own first under load.
    const run = c.run(['--joblog', log, MARK, marks, '{}', '30', ':::', ...inputs]);
    const a1 = c.agents[0];
    const tree = await waitFor('a1 to run two tasks', () => {
      // The task trees only (the agent's reaper is its child too, and lives on).
      const roots = markedTasks(marks, descendants(a1.child.pid!));
      return roots.length === 2 ? [...roots, ...roots.flatMap((p) => descendants(p))] : null;
    });
    process.kill(-a1.child.pid!, 'SIGSTOP');
    // The tasks are their own process groups: they run on while the agent is frozen.
    await sleep(10_000);
    expect(tree.some((p) => running(p))).toBe(true);
    process.kill(-a1.child.pid!, 'SIGCONT');
    await waitFor('a1 to fence its trees', () => tree.every((p) => !running(p)));
    // The agent writes why before it kills; its stderr reaches this process through a pipe and may
    // arrive after the trees are seen gone in /proc.
    const fenced = /corral agent: task \d+: broker unreachable for \d+ ms, longer than the 3000 ms lock; killing its tree|corral agent: task \d+: lock renewal refused/;
    await waitFor('a1 to say why it fenced', () => fenced.test(a1.stderr()));
    const r = await run.result;
    expect(r.code).toBe(0);
    const rows = joblogRows(log);
    const final = finalRows(rows);
    expect(final.map((x) => x.seq).sort((a, b) => a - b)).toEqual(inputs.map(Number));
    expect(new Set(final.map((x) => x.outcome))).toEqual(new Set(['ok']));
    const superseded = rows.filter((x) => x.outcome === 'superseded');
    expect(superseded.map((x) => x.host)).toEqual(['a1', 'a1']);
    // Each ran again under a new lock (on whichever agent had a free slot, a1 too once awake).
    for (const s of superseded) expect(final.find((x) => x.seq === s.seq)!.attempt).toBeGreaterThan(s.attempt);
    // The broker had given them away while a1 was frozen: a lost row each, before the late result.
    const lost = rows.filter((x) => x.outcome === 'lost');
    expect(lost.map((x) => x.seq).sort()).toEqual(superseded.map((x) => x.seq).sort());
    expect(r.stdout.trim().split('\n').sort()).toEqual(inputs.map((i) => `done ${i}`).sort());
  });
});
