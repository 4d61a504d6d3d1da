import { describe, expect, it } from 'vitest';
import { runExitCode, type RunEnd } from '../../../main/cli/exitCode.js';
import { internalErrorLine } from '../../../main/cli/processIo.js';

const end = (over: Partial<RunEnd>): RunEnd => ({ stop: null, state: 'finished', failed: 0, halt: { when: 'never' }, haltTrigger: null, ...over });

describe('runExitCode', () => {
  it('0 when all ok, 1 when one failed', () => {
    expect([runExitCode(end({})), runExitCode(end({ failed: 2 }))]).toEqual([0, 1]);
  });
  it('a halt exits like GNU parallel: success 0 even after failures, fail 1, done as its trigger', () => {
    const halted = (on: 'fail' | 'success' | 'done', haltTrigger: 'ok' | 'failed', failed: number) =>
      runExitCode(end({ state: 'halted', halt: { when: 'now', on, count: 1 }, haltTrigger, failed }));
    expect(halted('success', 'ok', 3)).toBe(0);
    expect(halted('fail', 'failed', 1)).toBe(1);
    expect(halted('done', 'ok', 2)).toBe(0);
    expect(halted('done', 'failed', 1)).toBe(1);
  });
  it('1 when a dashboard attached to the run stopped it, though no task failed', () => {
    expect(runExitCode(end({ state: 'stopped', failed: 0 }))).toBe(1);
  });
  it('a stop by signal or closed stdout is 128 + the signal number, whatever the tasks did', () => {
    expect((['SIGHUP', 'SIGINT', 'stdout-closed', 'SIGTERM'] as const).map((stop) => runExitCode(end({ stop, failed: 1 })))).toEqual([129, 130, 141, 143]);
  });
});

describe('internalErrorLine', () => {
  it('is one line without the stack, unless debugging', () => {
    const err = new Error('boom\nsecond line');
    expect(internalErrorLine(err, false)).toBe('corral: internal error: boom\n');
    expect(internalErrorLine('plain', false)).toBe('corral: internal error: plain\n');
    expect(internalErrorLine(err, true)).toContain('\n    at ');
  });
});
