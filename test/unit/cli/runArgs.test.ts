import { describe, expect, it } from 'vitest';
import { parseRunArgs, REFUSED } from '../../../main/cli/runArgs.js';
import { UsageError } from '../../../main/cli/args.js';
import { isJobFileArg, jobOverrides, shuffledOrder } from '../../../main/cli/commandJob.js';

const usage = (argv: string[]) => {
  try {
    parseRunArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  return null;
};

describe('parseRunArgs', () => {
  it('options until the first word, then the command, then ::: and :::: sources in order', () => {
    const a = parseRunArgs(['-j4', '-k', '--tag', 'gzip', '-9', '{}', ':::', 'a', 'b', '::::', 'f1', 'f2', ':::', '-x']);
    expect([...a.values]).toEqual([['--jobs', '4']]);
    expect([...a.switches]).toEqual(['--keep-order', '--tag']);
    expect(a.words).toEqual(['gzip', '-9', '{}']);
    expect(a.sources).toEqual([{ kind: 'args', values: ['a', 'b'] }, { kind: 'file', path: 'f1' }, { kind: 'file', path: 'f2' }, { kind: 'args', values: ['-x'] }]);
  });
  it('short switches bundle (-k0), values attach (-j2) or follow (-j 2), --x=v, aliases, repeated -a and --env', () => {
    const a = parseRunArgs(['-k0', '-j', '2', '--timeout=5', '--max-procs', '3', '--lb', '-a', 'x', '-a', 'y', '--env', 'A=1', '--env', 'B', 'cmd']);
    expect([...a.switches].sort()).toEqual(['--keep-order', '--line-buffer', '--null']);
    expect(a.values.get('--jobs')).toBe('3');
    expect(a.values.get('--timeout')).toBe('5');
    expect(a.repeated.get('--env')).toEqual(['A=1', 'B']);
    expect(a.sources).toEqual([{ kind: 'file', path: 'x' }, { kind: 'file', path: 'y' }]);
  });
  it('-- ends the options: a command may start with a dash', () => {
    expect(parseRunArgs(['--', '-weird', '{}']).words).toEqual(['-weird', '{}']);
  });
  it.each([
    [['--bogus', 'x'], 'corral run: unknown option --bogus (see corral run --help)'],
    [['-Z', 'x'], 'corral run: unknown option -Z (see corral run --help)'],
    [['--jobs'], 'corral run: --jobs needs a value'],
    [['-j', ':::', 'a'], 'corral run: -j needs a value'],
    [['--tag=yes', 'x'], 'corral run: --tag takes no value'],
    [['echo', '::::'], 'corral run: :::: needs at least one file'],
    [['-S', 'host', 'echo'], "corral run: -S is GNU parallel's option for remote hosts, which Corral does not do"],
    [['--pipe', 'wc'], "corral run: --pipe is GNU parallel's option for input on stdin of the tasks, which Corral does not do"],
    [['-X', 'echo'], "corral run: -X is GNU parallel's option for several arguments per command, which Corral does not do"],
    [['-I', '{}', 'echo'], "corral run: -I is GNU parallel's option for custom replacement strings, which Corral does not do"],
    [['--load', '80%', 'echo'], "corral run: --load is GNU parallel's option for load limits, which Corral does not do"],
  ])('%j: %s', (argv, message) => {
    expect(usage(argv)).toBe(message);
  });
  // Every refused option, by its own name (a long option also as --name=value).
  it.each(Object.entries(REFUSED))('refuses %s naming it (%s)', (name, what) => {
    const message = `corral run: ${name} is GNU parallel's option for ${what}, which Corral does not do`;
    expect(usage([name, 'echo'])).toBe(message);
    if (name.startsWith('--')) expect(usage([`${name}=1`, 'echo'])).toBe(message);
  });
});

describe('job file or command', () => {
  it('one word ending in .yaml, .yml or .json with no source is a job file; anything else is a command', () => {
    expect(isJobFileArg(parseRunArgs(['job.yaml']))).toBe(true);
    expect(isJobFileArg(parseRunArgs(['x.JSON']))).toBe(true);
    expect(isJobFileArg(parseRunArgs(['job.yaml', ':::', 'a']))).toBe(false);
    expect(isJobFileArg(parseRunArgs(['cat', 'job.yaml']))).toBe(false);
    expect(isJobFileArg(parseRunArgs(['-a', 'in.txt', 'job.yaml']))).toBe(false);
    expect(isJobFileArg(parseRunArgs(['gzip']))).toBe(false);
  });
});

describe('jobOverrides', () => {
  const over = (...argv: string[]) => jobOverrides(parseRunArgs([...argv, 'cmd']));
  it('maps each option to its job key through the key validator', () => {
    expect(over('-j', '3', '--timeout', '2', '--retries', '1', '--retry-delay', '1s', '--delay', '0.5', '--halt', 'now,fail=1', '--memory-limit', '1GiB', '--termseq', 'INT,1s,KILL')).toEqual({
      concurrency: { kind: 'count', n: 3 },
      timeout: { ms: 2000 },
      retries: 1,
      retryDelayMs: 1000,
      delayMs: 500,
      halt: { when: 'now', on: 'fail', count: 1 },
      memoryLimit: 1024 ** 3,
      kill: [{ signal: 'INT', waitMs: 1000 }, { signal: 'KILL', waitMs: 0 }],
    });
    expect(over('--env', 'A=1', '--env', 'PATH').env).toEqual({ A: '1' });
  });
  it('-j +N and -N are the cores plus or minus N, at least 1', () => {
    const c = over('-j', '-1000').concurrency;
    expect(c).toEqual({ kind: 'count', n: 1 });
  });
  it.each([
    [['--halt', 'sometimes'], 'corral run: --halt: expected never or a rule like soon,fail=3 or now,fail=10%, got "sometimes"'],
    [['--timeout', '0'], 'corral run: --timeout: expected a duration like 10m or a percentage of the median like 300%, or off, got 0'],
    [['--retry-delay', 'soon'], 'corral run: --retry-delay: expected a duration like 500ms, 10s, 5m or 1h30m, got "soon"'],
    [['--delay', 'soon'], 'corral run: --delay: expected a duration like 500ms, 10s, 5m or 1h30m, got "soon"'],
    [['--delay', '-1'], 'corral run: --delay: expected a duration like 500ms, 10s, 5m or 1h30m, got -1'],
    [['--memory-limit', 'lots'], 'corral run: --memory-limit: expected a size like 512MiB, 1GiB or 1GB, or off, got "lots"'],
    [['--termseq', 'TERM,10s'], 'corral run: --termseq: expected a kill sequence like TERM,10s,KILL, got "TERM,10s" (it must end with a signal, not a wait)'],
    [['--workdir', '/no/such/folder'], 'corral run: --workdir: no such folder: /no/such/folder'],
    [['--env', '1X=2'], 'corral run: --env: expected NAME or NAME=VALUE, got "1X=2"'],
  ])('%j is refused with the job key\'s message', (argv, message) => {
    let got = '';
    try {
      over(...argv);
    } catch (err) {
      got = (err as Error).message;
    }
    expect(got).toBe(message);
  });
});

describe('shuffledOrder', () => {
  it('is a permutation of 1..n', () => {
    const order = shuffledOrder(1000);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });
});
