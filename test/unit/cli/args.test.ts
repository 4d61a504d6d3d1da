import { describe, expect, it } from 'vitest';
import { nonNegativeInt, parseArgs, positiveInt } from '../../../main/cli/args.js';
import { bar, fmtBytes, fmtDuration } from '../../../main/cli/format.js';

const spec = { values: ['--jobs', '--joblog'], switches: ['--json'] };

describe('parseArgs', () => {
  it('splits positionals, values (both forms) and switches', () => {
    const a = parseArgs('run', ['job.yaml', '--jobs', '3', '--joblog=x.tsv', '--json', '--', '--not-a-flag'], spec);
    expect(a.positionals).toEqual(['job.yaml', '--not-a-flag']);
    expect([...a.values]).toEqual([['--jobs', '3'], ['--joblog', 'x.tsv']]);
    expect([...a.switches]).toEqual(['--json']);
  });
  it.each([
    [['--bogus'], 'corral run: unknown option --bogus (see corral run --help)'],
    [['--jobs'], 'corral run: --jobs needs a value'],
    [['--jobs', '--json'], 'corral run: --jobs needs a value'],
    [['--json=1'], 'corral run: --json takes no value'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs('run', argv, spec)).toThrow(message);
  });
  it('checks integers with exact messages', () => {
    expect(positiveInt('run', '--jobs', '4')).toBe(4);
    expect(() => positiveInt('run', '--jobs', '0')).toThrow('corral run: --jobs expects a positive integer, got "0"');
    expect(() => positiveInt('run', '--jobs', '2.5')).toThrow('corral run: --jobs expects a positive integer, got "2.5"');
    expect(nonNegativeInt('run', '--retries', '0')).toBe(0);
    expect(() => nonNegativeInt('run', '--retries', '-1')).toThrow('corral run: --retries expects a non-negative integer, got "-1"');
  });
});

describe('format', () => {
  it('durations, sizes and the bar', () => {
    expect([fmtDuration(null), fmtDuration(4_400), fmtDuration(61_000), fmtDuration(3_720_000)]).toEqual(['--', '4s', '1m01s', '1h02m']);
    expect([fmtBytes(10), fmtBytes(2048), fmtBytes(3 * 2 ** 20), fmtBytes(2 ** 31)]).toEqual(['10 B', '2.0 KiB', '3.0 MiB', '2.00 GiB']);
    expect(bar(0.5, 4)).toBe('██░░');
  });
});
