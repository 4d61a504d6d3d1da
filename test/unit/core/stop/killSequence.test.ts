import { describe, expect, it } from 'vitest';
import { runKillSequence, type KillStepProgress } from '../../../../main/core/stop/killSequence.js';

/** A fake clock: sleep advances time; the tree goes away at `goneAt` (or never). */
function world(goneAt: number | null, opts: { goneAfterSignal?: string } = {}) {
  let t = 1000;
  const log: string[] = [];
  let gone = false;
  return {
    log,
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
    send: (sig: string) => {
      log.push(`${t} ${sig}`);
      if (opts.goneAfterSignal === sig) gone = true;
    },
    isGone: () => gone || (goneAt !== null && t >= goneAt),
  };
}

const termseq = [
  { signal: 'TERM', waitMs: 10_000 },
  { signal: 'KILL', waitMs: 0 },
];

describe('runKillSequence', () => {
  it('stops after the first step when the tree exits within the grace', async () => {
    const w = world(3000);
    const steps: KillStepProgress[] = [];
    const res = await runKillSequence({ steps: termseq, ...w, onStep: (s) => steps.push(s) });
    expect(res).toEqual({ forced: false, stepsSent: ['TERM'], gone: true });
    expect(steps).toEqual([{ step: 'TERM', next: 'KILL', nextAt: 11_000 }]);
  });

  it('escalates to KILL after the grace and reports it forced', async () => {
    const w = world(null, { goneAfterSignal: 'KILL' });
    const steps: KillStepProgress[] = [];
    const res = await runKillSequence({ steps: termseq, ...w, onStep: (s) => steps.push(s) });
    expect(res).toEqual({ forced: true, stepsSent: ['TERM', 'KILL'], gone: true });
    expect(w.log).toEqual(['1000 TERM', '11000 KILL']);
    expect(steps.at(-1)).toEqual({ step: 'KILL', next: null, nextAt: null });
  });

  it('walks a three-step sequence in order', async () => {
    const w = world(null, { goneAfterSignal: 'KILL' });
    const res = await runKillSequence({
      steps: [
        { signal: 'INT', waitMs: 500 },
        { signal: 'TERM', waitMs: 2000 },
        { signal: 'KILL', waitMs: 0 },
      ],
      ...w,
    });
    expect(w.log).toEqual(['1000 INT', '1500 TERM', '3500 KILL']);
    expect(res.stepsSent).toEqual(['INT', 'TERM', 'KILL']);
  });

  it('keeps checking after the last step, bounded, then reports not gone', async () => {
    const w = world(null);
    const res = await runKillSequence({ steps: termseq, ...w, finalWaitMs: 5000 });
    expect(res).toEqual({ forced: true, stepsSent: ['TERM', 'KILL'], gone: false });
    expect(w.now()).toBe(16_000);
    const late = world(13_000);
    expect((await runKillSequence({ steps: termseq, ...late })).gone).toBe(true);
  });

  it('sends nothing when the tree is already gone', async () => {
    const w = world(0);
    expect(await runKillSequence({ steps: termseq, ...w })).toEqual({ forced: false, stepsSent: [], gone: true });
    expect(w.log).toEqual([]);
  });

  it('stops escalating when aborted', async () => {
    const w = world(null);
    const ac = new AbortController();
    const res = await runKillSequence({
      steps: termseq,
      ...w,
      signal: ac.signal,
      sleep: (ms) => {
        ac.abort();
        return w.sleep(ms);
      },
    });
    expect(res).toEqual({ forced: false, stepsSent: ['TERM'], gone: false });
  });
});
