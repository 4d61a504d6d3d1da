import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { JobCounts, TaskState } from '../../../../main/contract/types.js';
import type { AttemptResult } from '../../../../main/core/pool/attempt.js';
import { countState, endingStop, exitvalOf, isFailure, outcomeOf, signalNumber } from '../../../../main/core/pool/outcomes.js';

const result = (over: Partial<AttemptResult> = {}): AttemptResult => ({
  ok: false, exitCode: null, signal: null, error: null, recycleHost: false, endedBy: null, treeGone: true, ...over,
});

describe('outcomeOf', () => {
  it('names a stop by who asked: the user kills, a job stop, halt or quit interrupts', () => {
    const killedByTerm = result({ signal: 'SIGTERM', error: 'killed by SIGTERM' });
    expect(outcomeOf('user', killedByTerm)).toBe('killed');
    for (const r of ['job-stop', 'halt', 'quit'] as const) expect(outcomeOf(r, killedByTerm)).toBe('interrupted');
    expect(outcomeOf('timeout', killedByTerm)).toBe('timeout');
    expect(outcomeOf('stuck', killedByTerm)).toBe('stuck-killed');
    expect(outcomeOf('memory', killedByTerm)).toBe('memory-killed');
  });

  it('without a stop the exit decides', () => {
    expect(outcomeOf(null, result({ ok: true, exitCode: 0 }))).toBe('ok');
    expect(outcomeOf(null, result({ exitCode: 3 }))).toBe('failed');
    expect(outcomeOf(null, result({ signal: 'SIGSEGV' }))).toBe('failed');
  });

  it('a tree not verified gone is a failure, never a verified kill', () => {
    const r = { ...result({ signal: 'SIGKILL', error: 'not verified gone after KILL: pid 7' }), treeGone: false };
    expect(outcomeOf('user', r)).toBe('failed');
    expect(outcomeOf('job-stop', r)).toBe('failed');
  });
});

describe('endingStop', () => {
  it('is the stop in force when the main process exited; a later stop does not count', () => {
    expect(endingStop({ exitedAt: null, stopReason: 'timeout', stopBeforeExit: null })).toBe('timeout');
    expect(endingStop({ exitedAt: 5, stopReason: 'timeout', stopBeforeExit: null })).toBeNull();
    expect(endingStop({ exitedAt: 5, stopReason: 'user', stopBeforeExit: 'user' })).toBe('user');
  });
});

describe('isFailure', () => {
  it("counts only the task's own failures", () => {
    expect(['failed', 'timeout', 'memory-killed', 'stuck-killed'].every((o) => isFailure(o as never))).toBe(true);
    expect(['ok', 'killed', 'interrupted', 'skipped'].some((o) => isFailure(o as never))).toBe(false);
  });
});

describe('joblog Exitval and Signal (GNU parallel conventions)', () => {
  it('signal numbers come from the OS table, including SIGSYS and SIGPROF', () => {
    for (const s of ['SIGSYS', 'SIGPROF', 'SIGWINCH', 'SIGTERM', 'SIGKILL'] as const) expect(signalNumber(s)).toBe(constants.signals[s]);
    expect(signalNumber(null)).toBe(0);
  });

  it('an exit code is written as is; a signal death on its own is 0; a death Corral caused is -1', () => {
    expect(exitvalOf(result({ exitCode: 3 }), false)).toBe(3);
    expect(exitvalOf(result({ ok: true, exitCode: 0 }), false)).toBe(0);
    expect(exitvalOf(result({ signal: 'SIGSEGV' }), false)).toBe(0);
    expect(exitvalOf(result({ signal: 'SIGTERM' }), true)).toBe(-1);
    // Like parallel's --timeout: a non-zero exit after the stop is the task's own status; 0 is not.
    expect(exitvalOf(result({ exitCode: 7 }), true)).toBe(7);
    expect(exitvalOf(result({ ok: true, exitCode: 0 }), true)).toBe(-1);
    // Never ran (program missing without a shell, an input no command can carry): no status of its own.
    expect(exitvalOf(result({ error: 'program not found: nosuchprog' }), false)).toBe(-1);
  });
});

describe('countState', () => {
  it('puts every state in one bucket; suspect and stuck are also running', () => {
    const states: TaskState[] = ['queued', 'running', 'suspect', 'stuck', 'stopping', 'paused', 'done', 'failed', 'killed', 'timeout', 'memory-killed', 'interrupted', 'skipped'];
    const c: JobCounts = { total: states.length, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
    for (const s of states) countState(c, s);
    expect(c).toEqual({ total: 13, queued: 1, running: 5, suspect: 1, stuck: 1, done: 1, failed: 3, killed: 1, interrupted: 1, skipped: 1 });
    expect(c.queued + c.running + c.done + c.failed + c.killed + c.interrupted + c.skipped).toBe(c.total);
  });
});
