import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, runJob } from './helpers.js';

afterAll(cleanup);

// 200 command tasks that each burn a few tens of ms of CPU end between two samples: before, the
// pool's CPU series read 0 on every tick. Their CPU, measured when the spawn helper reaps them,
// now lands in the tick they ended in.
describe('pool CPU of tasks shorter than a tick', () => {
  it('shows the CPU of 200 tiny CPU-busy commands in the pool series', async () => {
    const busy = 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done';
    const h = await runJob(`name: tiny-busy\ncommand: [sh, -c, "${busy}"]\ninputs:\n  range: { from: 1, to: 200 }\nconcurrency: 4\n`, { settings: { tickMs: 1000 } });
    expect(h.tasks().every((t) => t.state === 'done')).toBe(true);
    const pool = h.ticks.map((t) => t.pool);
    const busyTicks = pool.filter((p) => p.cpuPercent > 0);
    expect(busyTicks.length).toBeGreaterThan(0);
    // Honest, not inflated: no tick shows more than the machine's cores could give.
    const cores = h.ticks[0].machine?.cores ?? 1;
    for (const p of pool) expect(p.cpuPercent).toBeLessThanOrEqual(cores * 100 * 1.5);
    // And the history a page opened later reads has it too.
    const snap = await h.sup.call('getSnapshot', {});
    expect(snap.ok && snap.value.pool.some((p) => p.cpuPercent > 0)).toBe(true);
  });
});
