import { describe, expect, it } from 'vitest';
import { endNote, formatGrowth, hasSamples, memoryFigures, stopReasonText } from '../../../../renderer/lib/taskFigures.js';
import { task } from '../fixtures.js';

const MiB = 1024 * 1024;

describe('memoryFigures', () => {
  it('labels a module task\'s memory as the host\'s, with the RSS at start and the growth during the task', () => {
    // The case: 217 MiB after 61 ms is the previous task's heap, not this task's.
    const t = task(2, { memoryScope: 'host', rss: 217 * MiB, peakRss: 219 * MiB, rssAtStart: 215 * MiB });
    expect(memoryFigures(t)).toEqual({ label: 'host RSS', now: '217 MiB', peak: '219 MiB', atStart: '215 MiB', growth: '+4.0 MiB' });
  });
  it('keeps "RSS" for a command task\'s own tree, with no start/growth', () => {
    const t = task(1, { rss: 3 * MiB, peakRss: 5 * MiB });
    expect(memoryFigures(t)).toEqual({ label: 'RSS', now: '3.0 MiB', peak: '5.0 MiB', atStart: null, growth: null });
  });
  it('shows "—" for figures never measured, never "0 B"', () => {
    const t = task(1, { rss: null, peakRss: null, memoryScope: 'host', rssAtStart: null });
    expect(memoryFigures(t)).toEqual({ label: 'host RSS', now: '—', peak: '—', atStart: '—', growth: '—' });
  });
});

describe('formatGrowth', () => {
  it('signs the growth and says "—" when either end is unknown', () => {
    expect(formatGrowth(12 * MiB, 10 * MiB)).toBe('+2.0 MiB');
    expect(formatGrowth(10 * MiB, 10 * MiB)).toBe('+0 B');
    expect(formatGrowth(9 * MiB, 10 * MiB)).toBe('−1.0 MiB');
    expect(formatGrowth(null, 10 * MiB)).toBe('—');
    expect(formatGrowth(10 * MiB, null)).toBe('—');
  });
});

describe('endNote', () => {
  it('shows the kill step that ended a user-killed tree, not as a failure', () => {
    const t = task(3, { state: 'killed', outcome: 'killed', signal: 'SIGTERM', error: 'killed by KILL after TERM (kill sequence)' });
    expect(endNote(t)).toEqual({ text: 'killed by KILL after TERM (kill sequence)', tone: 'neutral' });
  });
  it('marks the task\'s own failures as failures', () => {
    expect(endNote(task(4, { state: 'failed', outcome: 'failed', error: 'program not found: xz' }))).toEqual({ text: 'program not found: xz', tone: 'failed' });
    expect(endNote(task(5, { state: 'failed', outcome: 'stuck-killed', error: 'killed as stuck' }))?.tone).toBe('failed');
    expect(endNote(task(6, { state: 'interrupted', outcome: 'interrupted', error: 'interrupted by the job stop' }))?.tone).toBe('neutral');
    expect(endNote(task(7, { state: 'done', outcome: 'ok' }))).toBeNull();
  });
});

describe('stopReasonText', () => {
  it('says who or what asked for the stop', () => {
    expect(stopReasonText('user')).toBe('requested by you');
    expect(stopReasonText('job-stop')).toBe('the job is stopping');
    expect(stopReasonText('timeout')).toBe('timed out');
    expect(stopReasonText('stuck')).toBe('judged stuck');
    expect(stopReasonText('memory')).toBe('over the memory limit');
    expect(stopReasonText('halt')).toBe('the halt rule fired');
    expect(stopReasonText('quit')).toBe('Corral is quitting');
  });
});

describe('hasSamples', () => {
  it('is false for a task with no samples (a chart would draw axes of 1 B…4 B)', () => {
    expect(hasSamples([])).toBe(false);
    expect(hasSamples([{ t: 1, cpu: 0, rss: 10, procs: 1 }])).toBe(true);
  });
});
