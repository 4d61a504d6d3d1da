import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../../main/contract/types.js';
import { Sim } from '../../../../renderer/dev/mockSim.js';

// The simulator behind `?mock` must show what the real supervisor shows: suspect apart from stuck,
// killed apart from interrupted, unknown numbers for tasks too short to sample, host memory.

function run(sim: Sim, seconds: number, each?: (tasks: TaskInfo[]) => void): void {
  for (let i = 0; i < seconds; i++) {
    const tick = sim.step();
    if (each) each(tick.tasks);
  }
}

describe('mock simulation', () => {
  it('has tasks that are only suspect (and then finish) besides one that turns stuck', () => {
    const sim = new Sim(0);
    sim.load(200, 4);
    sim.start();
    const states = new Map<number, Set<string>>();
    run(sim, 400, (tasks) => {
      for (const t of tasks) states.set(t.seq, (states.get(t.seq) ?? new Set()).add(t.state));
    });
    const suspectOnly = [...states].filter(([, s]) => s.has('suspect') && !s.has('stuck') && s.has('done'));
    expect(suspectOnly.length).toBeGreaterThanOrEqual(2);
    expect([...states].filter(([, s]) => s.has('stuck')).map(([seq]) => seq)).toEqual([23]);
  });

  it('leaves the numbers of a task too short to be sampled unknown (null), not 0', () => {
    const sim = new Sim(0);
    sim.load(200, 4);
    sim.start();
    run(sim, 200);
    const short = sim.tasks.filter((t) => t.state === 'done' && t.durationMs < 1000).map((t) => sim.public(t));
    expect(short.length).toBeGreaterThan(0);
    for (const t of short) expect([t.cpuPercent, t.rss, t.peakRss, t.cpuSeconds]).toEqual([null, null, null, null]);
    const long = sim.tasks.find((t) => t.state === 'done' && t.durationMs >= 1000);
    expect(long?.peakRss).toBeGreaterThan(0);
    expect(long?.rss).toBeNull(); // ended: no current figure
  });

  it('ends a user-stopped TERM-ignoring task as killed with the kill step, and a job stop as interrupted, queued tasks not run', () => {
    const sim = new Sim(0);
    sim.load(40, 4);
    sim.start();
    run(sim, 5);
    const [victim] = sim.running;
    victim.ignoresTerm = true;
    sim.stop(victim, 'graceful', 'user');
    run(sim, 12);
    expect(sim.public(victim)).toMatchObject({ state: 'killed', outcome: 'killed', error: 'killed by KILL after TERM (kill sequence)' });
    const cut = sim.running;
    expect(cut.length).toBeGreaterThan(0);
    sim.stopJob('graceful');
    run(sim, 15);
    for (const t of cut) expect(t.state).toBe('interrupted');
    const c = sim.job!.counts;
    expect(sim.job!.state).toBe('stopped');
    expect(c.killed).toBe(1);
    expect(c.interrupted).toBeGreaterThan(0);
    expect(c.skipped).toBe(0);
    expect(c.queued).toBeGreaterThan(0); // "not run"
    expect(c.failed).toBe(sim.tasks.filter((t) => t.state === 'failed').length);
  });

  it('charges module tasks\' memory to the reused host: each starts at the host RSS the previous task left', () => {
    const sim = new Sim(0, { module: true });
    sim.load(20, 1);
    sim.start();
    run(sim, 120);
    expect(sim.job!.kind).toBe('module');
    const ended = sim.tasks.filter((t) => t.endedAt !== null && t.peakRss !== null).sort((a, b) => a.seq - b.seq);
    expect(ended.length).toBeGreaterThan(2);
    for (const t of ended) expect(t.memoryScope).toBe('host');
    for (let i = 1; i < ended.length; i++) expect(ended[i].rssAtStart).toBe(ended[i - 1].endRss);
  });
});
