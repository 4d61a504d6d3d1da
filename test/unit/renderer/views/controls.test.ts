import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../main/contract/types.js';
import { joblogFileName, joblogToCsv } from '../../../../renderer/lib/joblogExport.js';
import { canStartRemaining, poolSizeError } from '../../../../renderer/views/Header.js';
import { loadText, swapText } from '../../../../renderer/views/MachinePanel.js';
import { rowMove } from '../../../../renderer/views/rowKeys.js';
import { processName } from '../../../../renderer/views/TaskDetail.js';
import { shortcutFor } from '../../../../renderer/app/shortcuts.js';

const counts = { total: 10, queued: 4, running: 0, suspect: 0, stuck: 0, done: 6, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
const job = (over: Partial<JobInfo>): JobInfo => ({
  name: 'j', file: null, state: 'stopped', kind: 'command', ordering: 'input', poolSize: 2, dispatchPaused: false, counts,
  startedAt: 1, endedAt: 2, tasksPerSecond: 0, etaMs: null, haltReason: null, joblog: null, ...over,
});

describe('pool size field', () => {
  it('refuses 0, −3, 2000 and 2.5 with a message naming the value', () => {
    expect(poolSizeError('0')).toBe('Pool size must be at least 1 (got 0).');
    expect(poolSizeError('-3')).toBe('Pool size must be at least 1 (got -3).');
    expect(poolSizeError('2000')).toBe('Pool size must be at most 1024 (got 2000).');
    expect(poolSizeError('2.5')).toBe('Pool size must be a whole number of slots (got 2.5).');
    expect(poolSizeError('')).toBe('Pool size: enter a number of slots from 1 to 1024.');
    expect(poolSizeError('1e9')).toBe('Pool size must be at most 1024 (got 1e9).');
    expect(poolSizeError('8')).toBeNull();
  });
});

describe('Start remaining', () => {
  it('is offered after a drain or a stop with tasks queued, never after a halt or a finish', () => {
    expect(canStartRemaining(job({ state: 'stopped' }))).toBe(true);
    expect(canStartRemaining(job({ state: 'draining' }))).toBe(true);
    expect(canStartRemaining(job({ state: 'stopped', counts: { ...counts, queued: 0 } }))).toBe(false);
    expect(canStartRemaining(job({ state: 'halted', haltReason: 'fail=1' }))).toBe(false);
    expect(canStartRemaining(job({ state: 'finished' }))).toBe(false);
    expect(canStartRemaining(job({ state: 'running' }))).toBe(false);
    expect(canStartRemaining(null)).toBe(false);
  });
});

describe('joblog export', () => {
  it('turns TSV into CSV, quoting fields with commas, quotes or line breaks', () => {
    const tsv = 'Seq\tHost\tCommand\n1\t:\techo a,b\n2\t:\techo "hi"\n';
    expect(joblogToCsv(tsv)).toBe('Seq,Host,Command\r\n1,:,"echo a,b"\r\n2,:,"echo ""hi"""\r\n');
    expect(joblogToCsv('')).toBe('');
  });
  it('names the file after the job, safely', () => {
    expect(joblogFileName('compress logs/2024', 'csv')).toBe('compress_logs_2024.joblog.csv');
    expect(joblogFileName('../..', 'tsv')).toBe('job.joblog.tsv');
  });
});

describe('machine figures', () => {
  it('reads load against the cores and says when swap is not sampled', () => {
    expect(loadText(3.2, 2)).toBe('3.20 on 2 cores (160 %)');
    expect(swapText(null)).toBe('not sampled');
    expect(swapText(undefined)).toBe('not sampled');
    expect(swapText({ total: 0, used: 0 })).toBe('none configured');
    expect(swapText({ total: 2 * 1024 ** 3, used: 1024 ** 3 })).toBe('1.00 GiB of 2.00 GiB');
  });
});

describe('row keys and shortcuts', () => {
  it('moves j/k within the rows', () => {
    expect(rowMove('j', 0, 3)).toBe(1);
    expect(rowMove('j', 2, 3)).toBe(2);
    expect(rowMove('k', 0, 3)).toBe(0);
    expect(rowMove('End', 0, 3)).toBe(2);
    expect(rowMove('x', 0, 3)).toBeNull();
    expect(rowMove('j', 0, 0)).toBeNull();
  });
  it('maps / to search and j/k outside the table to the rows', () => {
    expect(shortcutFor('/', { tagName: 'DIV' })).toBe('search');
    expect(shortcutFor('j', { tagName: 'DIV' })).toBe('rows');
    expect(shortcutFor('/', { tagName: 'INPUT' })).toBeNull();
  });
});

describe('process names', () => {
  it('calls a Node module host node, not MainThread', () => {
    expect(processName('MainThread')).toBe('node');
    expect(processName('sleep')).toBe('sleep');
  });
});
