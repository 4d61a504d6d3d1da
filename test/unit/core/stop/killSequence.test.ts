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
    expect(res).toEqual({ endedBy: 'TERM', stepsSent: ['TERM'], gone: true, failures: [] });
    expect(steps).toEqual([{ step: 'TERM', next: 'KILL', nextAt: 11_000 }]);
  });

  it('escalates to KILL after the grace and reports the step that ended it', async () => {
    const w = world(null, { goneAfterSignal: 'KILL' });
    const steps: KillStepProgress[] = [];
    const res = await runKillSequence({ steps: termseq, ...w, onStep: (s) => steps.push(s) });
    expect(res).toEqual({ endedBy: 'KILL', stepsSent: ['TERM', 'KILL'], gone: true, failures: [] });
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
    expect(res).toEqual({ endedBy: null, stepsSent: ['TERM', 'KILL'], gone: false, failures: [] });
    expect(w.now()).toBe(16_000);
    const late = world(13_000);
    expect((await runKillSequence({ steps: termseq, ...late })).gone).toBe(true);
  });

  it('goes on to the next step at once when a step cannot be sent, and says why', async () => {
    const w = world(null, { goneAfterSignal: 'KILL' });
    const send = (sig: string) => {
      if (sig === 'INFO') throw new Error('unknown signal: INFO');
      w.send(sig);
    };
    const res = await runKillSequence({ steps: [{ signal: 'INFO', waitMs: 10_000 }, { signal: 'KILL', waitMs: 0 }], ...w, send });
    expect(res).toEqual({ endedBy: 'KILL', stepsSent: ['INFO', 'KILL'], gone: true, failures: ['INFO: unknown signal: INFO'] });
    expect(w.log).toEqual(['1000 KILL']); // no 10 s wait after the step that never went out
  });

  it('sends nothing when the tree is already gone', async () => {
    const w = world(0);
    expect(await runKillSequence({ steps: termseq, ...w })).toEqual({ endedBy: null, stepsSent: [], gone: true, failures: [] });
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
    expect(res).toEqual({ endedBy: null, stepsSent: ['TERM'], gone: false, failures: [] });
  });
});
