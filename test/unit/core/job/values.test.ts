import { describe, expect, it } from 'vitest';
import {
  JobValueError, describeValue, parseConcurrency, parseDuration, parsePercent, parseSize, parseTimeout,
} from '../../../../main/core/job/values.js';
import { DEFAULT_KILL_SEQUENCE, parseHalt, parseKillSequence } from '../../../../main/core/job/rules.js';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(JobValueError);
    return (err as Error).message;
  }
  throw new Error('expected a JobValueError');
};

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['10s', 10_000], ['5m', 300_000], ['1h30m', 5_400_000], ['2h', 7_200_000], ['1.5s', 1500],
    ['1d', 86_400_000], ['1h 30m', 5_400_000], ['0s', 0], ['10', 10_000], [' 2.5 ', 2500], [3, 3000], [0.25, 250], [0, 0],
    ['1m30s500ms', 90_500], ['25d', 2_160_000_000], ['400d', 34_560_000_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['abc', 'expected a duration like 500ms, 10s, 5m or 1h30m, got "abc"'],
    ['10x', 'expected a duration like 500ms, 10s, 5m or 1h30m, got "10x"'],
    ['-5s', 'expected a duration like 500ms, 10s, 5m or 1h30m, got "-5s"'],
    ['', 'expected a duration like 500ms, 10s, 5m or 1h30m, got ""'],
    ['10S', 'expected a duration like 500ms, 10s, 5m or 1h30m, got "10S"'],
    [-1, 'expected a duration like 500ms, 10s, 5m or 1h30m, got -1'],
    [Number.NaN, 'expected a duration like 500ms, 10s, 5m or 1h30m, got NaN'],
    // Past 2^53 ms (285 000 years) a duration is no longer a count of milliseconds; Infinity would spin a timer.
    [`${'9'.repeat(400)}d`, `expected a duration like 500ms, 10s, 5m or 1h30m, got "${'9'.repeat(400)}d"`],
    ['9'.repeat(400), `expected a duration like 500ms, 10s, 5m or 1h30m, got "${'9'.repeat(400)}"`],
    [1e300, 'expected a duration like 500ms, 10s, 5m or 1h30m, got 1e+300'],
  ])('refuses %j', (text, expected) => {
    expect(message(() => parseDuration(text))).toBe(expected);
  });
});

describe('parseSize', () => {
  it.each([
    ['512MiB', 512 * 2 ** 20], ['1GiB', 2 ** 30], ['1GB', 1e9], ['1gb', 1e9], ['100k', 100_000], ['100kB', 100_000],
    ['2Ki', 2048], ['1.5GiB', 1.5 * 2 ** 30], ['1TiB', 2 ** 40], ['1T', 1e12], ['4096', 4096], ['10 MB', 1e7], [1024, 1024], ['7B', 7],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each([
    ['lots', 'expected a size like 512MiB, 1GiB or 1GB, got "lots"'],
    ['1XB', 'expected a size like 512MiB, 1GiB or 1GB, got "1XB"'],
    ['0', 'expected a size like 512MiB, 1GiB or 1GB, got "0"'],
    [0, 'expected a size like 512MiB, 1GiB or 1GB, got 0'],
    [-5, 'expected a size like 512MiB, 1GiB or 1GB, got -5'],
  ])('refuses %j', (text, expected) => {
    expect(message(() => parseSize(text))).toBe(expected);
  });
});

describe('parsePercent and parseTimeout', () => {
  it('reads percentages, over 100 too', () => {
    expect(parsePercent('50%')).toBe(50);
    expect(parsePercent('12.5 %')).toBe(12.5);
    expect(parsePercent('300%')).toBe(300);
  });

  it.each([['50', 'expected a percentage like 50%, got "50"'], ['0%', 'expected a percentage like 50%, got "0%"'], [50, 'expected a percentage like 50%, got 50']])(
    'refuses %j',
    (text, expected) => {
      expect(message(() => parsePercent(text))).toBe(expected);
    },
  );

  it('a timeout is a positive duration or a percentage of the median', () => {
    expect(parseTimeout('10m')).toEqual({ ms: 600_000 });
    expect(parseTimeout(30)).toEqual({ ms: 30_000 });
    expect(parseTimeout('300%')).toEqual({ percentOfMedian: 300 });
    expect(message(() => parseTimeout('0s'))).toBe('expected a duration like 10m or a percentage of the median like 300%, got "0s"');
    expect(message(() => parseTimeout('soon'))).toBe('expected a duration like 10m or a percentage of the median like 300%, got "soon"');
    expect(message(() => parseTimeout('-3%'))).toBe('expected a duration like 10m or a percentage of the median like 300%, got "-3%"');
  });
});

describe('parseConcurrency', () => {
  it('reads auto, counts and percentages', () => {
    expect(parseConcurrency('auto')).toEqual({ kind: 'auto' });
    expect(parseConcurrency(4)).toEqual({ kind: 'count', n: 4 });
    expect(parseConcurrency('8')).toEqual({ kind: 'count', n: 8 });
    expect(parseConcurrency('50%')).toEqual({ kind: 'percent', percent: 50 });
    expect(parseConcurrency('200%')).toEqual({ kind: 'percent', percent: 200 });
  });

  it.each([
    [-2, 'expected auto, a positive integer or a percentage like 50%, got -2'],
    [0, 'expected auto, a positive integer or a percentage like 50%, got 0'],
    [1.5, 'expected auto, a positive integer or a percentage like 50%, got 1.5'],
    ['lots', 'expected auto, a positive integer or a percentage like 50%, got "lots"'],
    ['0%', 'expected auto, a positive integer or a percentage like 50%, got "0%"'],
    ['AUTO', 'expected auto, a positive integer or a percentage like 50%, got "AUTO"'],
  ])('refuses %j', (value, expected) => {
    expect(message(() => parseConcurrency(value))).toBe(expected);
  });
});

describe('parseHalt', () => {
  it.each([
    ['never', { when: 'never' }],
    ['soon,fail=3', { when: 'soon', on: 'fail', count: 3 }],
    ['now,fail=10%', { when: 'now', on: 'fail', percent: 10 }],
    ['now,success=1', { when: 'now', on: 'success', count: 1 }],
    ['soon,done=50%', { when: 'soon', on: 'done', percent: 50 }],
    [' soon , fail = 2 ', { when: 'soon', on: 'fail', count: 2 }],
  ])('%j', (text, rule) => {
    expect(parseHalt(text)).toEqual(rule);
  });

  it.each(['later', 'soon', 'soon,fail', 'now,fail=0', 'now,fail=1.5', 'now,fail=150%', 'now,crash=1', 'never,fail=1'])('refuses %j', (text) => {
    expect(message(() => parseHalt(text))).toBe(`expected never or a rule like soon,fail=3 or now,fail=10%, got "${text}"`);
  });

  it('names a non-string value', () => {
    expect(message(() => parseHalt(3 as unknown as string))).toBe('expected never or a rule like soon,fail=3 or now,fail=10%, got 3');
  });
});

describe('parseKillSequence', () => {
  it('reads signals and the waits between them', () => {
    expect(parseKillSequence('TERM,10s,KILL')).toEqual([{ signal: 'TERM', waitMs: 10_000 }, { signal: 'KILL', waitMs: 0 }]);
    expect(parseKillSequence('SIGINT, 500ms, sigterm, 2s, kill')).toEqual([
      { signal: 'INT', waitMs: 500 }, { signal: 'TERM', waitMs: 2000 }, { signal: 'KILL', waitMs: 0 },
    ]);
    expect(parseKillSequence('HUP,KILL')).toEqual([{ signal: 'HUP', waitMs: 0 }, { signal: 'KILL', waitMs: 0 }]);
    expect(parseKillSequence('USR1')).toEqual([{ signal: 'USR1', waitMs: 0 }]);
    expect(parseKillSequence(['TERM', '1m', 'KILL'])).toEqual([{ signal: 'TERM', waitMs: 60_000 }, { signal: 'KILL', waitMs: 0 }]);
  });

  it('has the default TERM,10s,KILL', () => {
    expect(DEFAULT_KILL_SEQUENCE).toEqual(parseKillSequence('TERM,10s,KILL'));
  });

  it.each([
    ['TERM,10s', 'expected a kill sequence like TERM,10s,KILL, got "TERM,10s" (it must end with a signal, not a wait)'],
    ['10s,KILL', 'expected a kill sequence like TERM,10s,KILL, got "10s,KILL" (it must start with a signal)'],
    ['TERM,FOO', 'expected a kill sequence like TERM,10s,KILL, got "TERM,FOO" (unknown signal "FOO")'],
    ['TERM,1s,2s,KILL', 'expected a kill sequence like TERM,10s,KILL, got "TERM,1s,2s,KILL" (two waits in a row)'],
    ['TERM,200,KILL', 'expected a kill sequence like TERM,10s,KILL, got "TERM,200,KILL" (the wait "200" needs a unit, like 200ms or 10s)'],
    ['TERM,5x,KILL', 'expected a kill sequence like TERM,10s,KILL, got "TERM,5x,KILL" ("5x" is not a duration)'],
    ['TERM,,KILL', 'expected a kill sequence like TERM,10s,KILL, got "TERM,,KILL" (an empty step)'],
    ['', 'expected a kill sequence like TERM,10s,KILL, got "" (it is empty)'],
  ])('refuses %j', (text, expected) => {
    expect(message(() => parseKillSequence(text))).toBe(expected);
  });

  it('names a non-string value', () => {
    expect(message(() => parseKillSequence(5 as unknown as string))).toBe('expected a kill sequence like TERM,10s,KILL, got 5');
  });
});

describe('describeValue', () => {
  it('names values the way messages show them', () => {
    expect([null, undefined, 'x', -2, true, [], [1], { a: 1 }].map(describeValue)).toEqual([
      'nothing', 'nothing', '"x"', '-2', 'true', 'an empty list', 'a list', 'a mapping',
    ]);
  });
});
