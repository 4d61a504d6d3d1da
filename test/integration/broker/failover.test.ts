// Issue 12, test 2: SIGKILL one agent's whole process group mid-run. Its tasks get `lost` rows
// and run on the other agents; nothing of the dead agent is left running.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../core/helpers.js';
import { MARK, markedTasks, useCluster, descendants, finalRows, join, joblogRows, running } from './cluster.js';

/** The bound (failover under 5 s), with slack for a loaded 2-core machine. */
const FAILOVER_BOUND_MS = 3 * 5000;

describe('an agent killed mid-run', () => {
  const c = useCluster();

  it('its tasks get lost rows and finish elsewhere, failover under 5 s, none of its processes left', async () => {
    const log = join(c.dir, 'joblog.tsv');
    const marks = join(c.dir, 'marks');
    const inputs = Array.from({ length: 24 }, (_, i) => String(i + 1));
    // Each task marks its start, then runs long enough to be caught mid-run.
    const run = c.run(['--joblog', log, MARK, marks, '{}', '4', ':::', ...inputs]);
    const a1 = c.agents[0];
    const tree = await waitFor('a1 to run two tasks', () => {
      const d = descendants(a1.child.pid!).filter((p) => existsSync(`/proc/${p}`));
      return markedTasks(marks, d).length === 2 ? d : null;
    });
    const killedAt = Date.now();
    process.kill(-a1.child.pid!, 'SIGKILL');
    await a1.exited;
    const r = await run.result;
    expect(r.code).toBe(0);
    const rows = joblogRows(log);
    const final = finalRows(rows);
    expect(final.map((x) => x.seq).sort((a, b) => a - b)).toEqual(inputs.map(Number));
    expect(new Set(final.map((x) => x.outcome))).toEqual(new Set(['ok']));
    const lost = rows.filter((x) => x.outcome === 'lost');
    expect(lost.length).toBe(2);
    for (const l of lost) {
      expect(l.host).toBe('a1');
      expect([l.exitval, l.signal]).toEqual([-1, 0]);
      const again = final.find((x) => x.seq === l.seq)!;
      expect(again.host).not.toBe('a1');
      expect(again.attempt).toBe(2);
    }
    const failoverMs = Math.max(...lost.map((l) => final.find((x) => x.seq === l.seq)!.startTime * 1000 - killedAt));
    console.log(`failover: the dead agent's tasks restarted elsewhere ${Math.round(failoverMs)} ms after the SIGKILL (3 s lock, 1 s check)`);
    expect(failoverMs).toBeLessThan(FAILOVER_BOUND_MS);
    expect(r.stdout.trim().split('\n').sort()).toEqual(inputs.map((i) => `done ${i}`).sort());
    await waitFor('every process of the dead agent to be gone', () => tree.every((p) => !running(p)));
  });
});
