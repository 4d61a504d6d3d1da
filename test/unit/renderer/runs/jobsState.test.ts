import { describe, expect, it } from 'vitest';
import type { LiveJobSummary, LiveJobs } from '../../../../main/contract/runs.js';
import type { Result, Tick } from '../../../../main/contract/types.js';
import { JobsState, canClose, jobCountsText, overcommitText } from '../../../../renderer/views/runs/jobsState.js';

const job = (over: Partial<LiveJobSummary>): LiveJobSummary => ({ jobId: 'job-1', name: 'a', state: 'running', done: 0, failed: 0, total: 4, running: 2, busy: 2, poolSize: 2, selected: true, ...over });
const all = (over: Partial<LiveJobs>): LiveJobs => ({ jobs: [], busy: 0, pools: 0, cores: 2, machineCpuPercent: null, ...over });

describe('the jobs of this dashboard', () => {
  it('a job that runs nothing can be closed, except the one empty job left', () => {
    expect(canClose(job({ state: 'running' }), [job({})])).toBe(false);
    expect(canClose(job({ state: 'stopping' }), [job({})])).toBe(false);
    expect(canClose(job({ state: 'finished' }), [job({})])).toBe(true);
    expect(canClose(job({ state: 'empty' }), [job({ state: 'empty' })])).toBe(false);
    expect(canClose(job({ state: 'empty' }), [job({}), job({ state: 'empty', jobId: 'job-2' })])).toBe(true);
  });
  it('counts say done of total, failures when some, busy slots', () => {
    expect(jobCountsText(job({ done: 3, total: 20, busy: 2 }))).toBe('3/20 done · 2 busy');
    expect(jobCountsText(job({ done: 3, failed: 1, total: 20, busy: 0 }))).toBe('3/20 done · 1 failed · 0 busy');
  });
  it('a notice only when the live pools exceed the cores', () => {
    expect(overcommitText(all({ pools: 2, cores: 2 }))).toBeNull();
    expect(overcommitText(all({ pools: 3, cores: 2 }))).toBe("The live jobs' pools total 3 slots on 2 cores: their tasks share the CPU.");
    expect(overcommitText(all({ pools: 2, cores: 1 }))).toBe("The live jobs' pools total 2 slots on 1 core: their tasks share the CPU.");
  });
  it('refreshes once per tick, with at most one call on the wire and one queued behind it', async () => {
    let onTick: ((t: Tick) => void) | null = null;
    const answers: ((r: Result<LiveJobs>) => void)[] = [];
    const state = new JobsState({
      listJobs: () => new Promise((r) => answers.push(r)),
      newJob: () => Promise.reject(new Error('unused')),
      selectJob: () => Promise.reject(new Error('unused')),
      closeJob: () => Promise.reject(new Error('unused')),
      onTick: (cb) => ((onTick = cb), () => (onTick = null)),
    });
    const stop = state.watch();
    for (let i = 0; i < 5; i++) onTick!({} as Tick);
    expect(answers).toHaveLength(1);
    answers[0]({ ok: true, value: all({ busy: 1 }) });
    await new Promise((r) => setTimeout(r, 0));
    expect(answers).toHaveLength(2);
    answers[1]({ ok: false, error: { code: 'BAD_STATE', message: 'gone' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(state.jobs.get()?.busy).toBe(1);
    expect(state.error.get()).toBe('Could not list jobs: gone');
    stop();
    expect(onTick).toBeNull();
  });
});
