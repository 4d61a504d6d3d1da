import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../main/cli/args.js';
import { jobKeyFlag, tickFlag } from '../../../main/cli/flags.js';
import { bar, fmtBytes, fmtDuration } from '../../../main/cli/format.js';

const spec = { values: ['--jobs', '--joblog'], switches: ['--json', '--help'] };

describe('parseArgs', () => {
  it('splits positionals, values (both forms) and switches', () => {
    const a = parseArgs('run', ['job.yaml', '--jobs', '3', '--joblog=x.tsv', '--json', '--', '--not-a-flag'], spec);
    expect(a.positionals).toEqual(['job.yaml', '--not-a-flag']);
    expect([...a.values]).toEqual([['--jobs', '3'], ['--joblog', 'x.tsv']]);
    expect([...a.switches]).toEqual(['--json']);
  });
  it('-h is --help; a value may start with one dash, or with two after =', () => {
    expect([...parseArgs('run', ['-h'], spec).switches]).toEqual(['--help']);
    expect(parseArgs('run', ['--jobs', '-1'], spec).values.get('--jobs')).toBe('-1');
    expect(parseArgs('run', ['--joblog=--odd'], spec).values.get('--joblog')).toBe('--odd');
  });
  it.each([
    [['--bogus'], 'corral run: unknown option --bogus (see corral run --help)'],
    [['--bogus=1'], 'corral run: unknown option --bogus (see corral run --help)'],
    [['-x'], 'corral run: unknown option -x (see corral run --help)'],
    [['--jobs'], 'corral run: --jobs needs a value'],
    [['--jobs', '--json'], 'corral run: --jobs needs a value'],
    [['--json=1'], 'corral run: --json takes no value'],
    [['-hx'], 'corral run: unknown option -x (see corral run --help)'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs('run', argv, spec)).toThrow(message);
  });
});

describe('flags that override job-file keys use the key\'s validator and words', () => {
  it('--jobs takes what concurrency takes', () => {
    expect(jobKeyFlag('run', '--jobs', 'concurrency', '4')).toEqual({ kind: 'count', n: 4 });
    expect(jobKeyFlag('run', '--jobs', 'concurrency', '50%')).toEqual({ kind: 'percent', percent: 50 });
    expect(jobKeyFlag('run', '--jobs', 'concurrency', 'auto')).toEqual({ kind: 'auto' });
  });
  it('--timeout takes what timeout takes, 300% and off included', () => {
    expect(jobKeyFlag('run', '--timeout', 'timeout', '300%')).toEqual({ percentOfMedian: 300 });
    expect(jobKeyFlag('run', '--timeout', 'timeout', '25d')).toEqual({ ms: 25 * 86_400_000 });
    expect(jobKeyFlag('run', '--timeout', 'timeout', '90')).toEqual({ ms: 90_000 });
    expect(jobKeyFlag('run', '--timeout', 'timeout', 'off')).toBeNull();
  });
  it('--retries takes what retries takes', () => {
    expect(jobKeyFlag('run', '--retries', 'retries', '0')).toBe(0);
    expect(jobKeyFlag('run', '--retries', 'retries', '3')).toBe(3);
  });
  it.each([
    ['--jobs', 'concurrency', '0', 'corral run: --jobs: expected auto, a positive integer or a percentage like 50%, got 0'],
    ['--jobs', 'concurrency', '2.5', 'corral run: --jobs: expected auto, a positive integer or a percentage like 50%, got 2.5'],
    ['--jobs', 'concurrency', 'many', 'corral run: --jobs: expected auto, a positive integer or a percentage like 50%, got "many"'],
    ['--timeout', 'timeout', '0', 'corral run: --timeout: expected a duration like 10m or a percentage of the median like 300%, or off, got 0'],
    ['--timeout', 'timeout', '0s', 'corral run: --timeout: expected a duration like 10m or a percentage of the median like 300%, or off, got "0s"'],
    ['--timeout', 'timeout', '0%', 'corral run: --timeout: expected a duration like 10m or a percentage of the median like 300%, or off, got "0%"'],
    ['--retries', 'retries', '-1', 'corral run: --retries: expected a non-negative integer, got -1'],
    ['--retries', 'retries', 'two', 'corral run: --retries: expected a non-negative integer, got "two"'],
  ] as const)('%s %s %j: the job file\'s message', (flag, key, text, message) => {
    expect(() => jobKeyFlag('run', flag, key, text)).toThrow(message);
  });
  it('--tick is a duration between 250ms and 10s', () => {
    expect([tickFlag('run', undefined), tickFlag('run', '250ms'), tickFlag('serve', '10s')]).toEqual([undefined, 250, 10_000]);
    expect(() => tickFlag('run', '10ms')).toThrow('corral run: --tick must be between 250ms and 10s');
    expect(() => tickFlag('serve', 'soon')).toThrow('corral serve: --tick: expected a duration like 500ms, 10s, 5m or 1h30m, got "soon"');
  });
});

describe('format', () => {
  it('durations, sizes and the bar', () => {
    expect([fmtDuration(null), fmtDuration(4_400), fmtDuration(61_000), fmtDuration(3_720_000)]).toEqual(['--', '4s', '1m01s', '1h02m']);
    expect([fmtBytes(10), fmtBytes(2048), fmtBytes(3 * 2 ** 20), fmtBytes(2 ** 31)]).toEqual(['10 B', '2.0 KiB', '3.0 MiB', '2.00 GiB']);
    expect(bar(0.5, 4)).toBe('██░░');
  });
});
