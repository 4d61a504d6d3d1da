import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJobText } from '../../../../main/core/job/parse.js';
import { suggestKey } from '../../../../main/core/job/locate.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs/', import.meta.url));
const opts = { file: 'job.yaml', baseDir: JOBS };

/** The issue texts of a job that must fail. */
function issues(text: string, o: { file: string | null; baseDir: string } = opts): string[] {
  const r = parseJobText(text, o);
  if (r.ok) throw new Error('expected the job to be refused');
  return r.issues.map((i) => i.text);
}

function ok(text: string, o: { file: string | null; baseDir: string } = opts) {
  const r = parseJobText(text, o);
  if (!r.ok) throw new Error(r.issues.map((i) => i.text).join('\n'));
  return r;
}

describe('parseJobText: a valid job', () => {
  it('fills every default', () => {
    const { spec, warnings } = ok('command: xz -k {}\ninputs:\n  list: [a.log]\n');
    expect(warnings).toEqual([]);
    expect(spec).toEqual({
      name: 'job',
      file: join(process.cwd(), 'job.yaml'),
      baseDir: JOBS.replace(/\/$/, ''),
      command: { kind: 'shell', template: 'xz -k {}' },
      module: null,
      python: null,
      inputs: { kind: 'list', list: ['a.log'] },
      concurrency: { kind: 'auto' },
      timeout: null,
      retries: 0,
      retryDelayMs: 0,
      delayMs: 0,
      halt: { when: 'never' },
      memoryLimit: null,
      kill: [{ signal: 'TERM', waitMs: 10_000 }, { signal: 'KILL', waitMs: 0 }],
      stuck: { cpuIdleMs: 60_000, silentMs: 120_000, overduePercent: 300, blockedMs: 60_000, action: 'warn' },
      env: {},
      cwd: JOBS.replace(/\/$/, ''),
      order: 'input',
      maxTasksPerWorker: null,
      chunksize: 1,
      maxResultSize: 16 * 1024 * 1024,
      daemons: 'kill',
    });
  });

  it('reads every key', () => {
    const { spec } = ok(`name: all
command: [xz, -9, "{}", 1]
inputs:
  range: { from: 10, to: 1, step: -3 }
concurrency: 50%
timeout: 300%
retries: 2
retryDelay: 5s
delay: 0.5
halt: now,fail=10%
memoryLimit: 1GiB
kill: INT,2s,TERM,10s,KILL
stuck:
  cpuIdle: 30s
  silent: off
  overdue: 400%
  blocked: false
  action: retry
env: { LC_ALL: C, N: 3, DEBUG: true }
cwd: data
order: longest-first
`);
    expect(spec).toMatchObject({
      name: 'all',
      command: { kind: 'argv', template: ['xz', '-9', '{}', '1'] },
      inputs: { kind: 'range', from: 10, to: 1, step: -3 },
      concurrency: { kind: 'percent', percent: 50 },
      timeout: { percentOfMedian: 300 },
      retries: 2,
      retryDelayMs: 5000,
      delayMs: 500,
      halt: { when: 'now', on: 'fail', percent: 10 },
      memoryLimit: 2 ** 30,
      kill: [{ signal: 'INT', waitMs: 2000 }, { signal: 'TERM', waitMs: 10_000 }, { signal: 'KILL', waitMs: 0 }],
      stuck: { cpuIdleMs: 30_000, silentMs: null, overduePercent: 400, blockedMs: null, action: 'retry' },
      env: { LC_ALL: 'C', N: '3', DEBUG: 'true' },
      cwd: join(JOBS, 'data'),
      order: 'longest-first',
    });
  });

  it('turns every stuck rule off with stuck: off, and timeout/memoryLimit take off', () => {
    const { spec } = ok('command: x\ninputs: { list: [a] }\nstuck: off\ntimeout: off\nmemoryLimit: off\n');
    expect(spec.stuck).toEqual({ cpuIdleMs: null, silentMs: null, overduePercent: null, blockedMs: null, action: 'warn' });
    expect(spec.timeout).toBeNull();
    expect(spec.memoryLimit).toBeNull();
  });

  it('a module job: path resolved and checked, maxTasksPerWorker allowed', () => {
    const { spec } = ok('module: ./module.mjs\ninputs: { glob: "data/*.txt" }\nmaxTasksPerWorker: 5\n');
    expect(spec.module).toBe(join(JOBS, 'module.mjs'));
    expect(spec.command).toBeNull();
    expect(spec.maxTasksPerWorker).toBe(5);
    expect(ok('module: ./module.mjs\ninputs: { list: [a] }\nmaxResultSize: 1MiB\n').spec.maxResultSize).toBe(1 << 20);
    expect(spec.inputs).toEqual({ kind: 'glob', pattern: 'data/*.txt' });
  });

  it('pasted text: name "pasted job", file null', () => {
    const { spec } = ok('command: echo\ninputs: { file: inputs.txt }\n', { file: null, baseDir: JOBS });
    expect(spec.name).toBe('pasted job');
    expect(spec.file).toBeNull();
    expect(spec.inputs).toEqual({ kind: 'file', file: join(JOBS, 'inputs.txt') });
  });

  it('JSON is read by the same parser, with positions', () => {
    const { spec } = ok('{\n\t"command": "echo {}",\n\t"inputs": {"list": [1, "b"]}\n}\n');
    expect(spec.inputs).toEqual({ kind: 'list', list: ['1', 'b'] });
    expect(issues('{\n  "command": "echo {}",\n  "inputs": {"list": ["a"]},\n  "concurrency": -2\n}')).toEqual([
      'job.yaml:4:18: concurrency: expected auto, a positive integer or a percentage like 50%, got -2',
    ]);
  });

  it('warns about a template without replacement strings and a useless retryDelay', () => {
    expect(ok('command: gzip\ninputs: { list: [a] }\nretryDelay: 2s\n').warnings).toEqual([
      'job.yaml:1:10: command: has no replacement string, so each input is appended as {} (as GNU parallel does)',
      'job.yaml:3:13: retryDelay: has no effect while retries is 0',
    ]);
  });

  it('passes on YAML warnings with their position', () => {
    expect(ok('command: !weird echo {}\ninputs: { list: [a] }\n').warnings).toEqual([
      'job.yaml:1:10: Unresolved tag: !weird',
    ]);
  });

  it('refuses an alias bomb', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\ncommand: x\ninputs: { list: *c }\n`;
    expect(issues(bomb)).toEqual(['job.yaml:1:1: Excessive alias count indicates a resource exhaustion attack']);
  });

  it('returns fresh default objects each time', () => {
    const a = ok('command: x\ninputs: { list: [a] }\n').spec;
    a.kill[0].waitMs = 1;
    a.stuck.cpuIdleMs = 1;
    const b = ok('command: x\ninputs: { list: [a] }\n').spec;
    expect(b.kill[0].waitMs).toBe(10_000);
    expect(b.stuck.cpuIdleMs).toBe(60_000);
  });
});

describe('parseJobText: errors', () => {
  it('places a bad value at its line and column', () => {
    expect(issues('name: x\ncommand: echo {}\ninputs:\n  list: [a]\n\n\nconcurrency: -2\n')).toEqual([
      'job.yaml:7:14: concurrency: expected auto, a positive integer or a percentage like 50%, got -2',
    ]);
  });

  it('unknown keys, with a did-you-mean when close', () => {
    expect(issues('inputs:\n  list: [a]\ncomand: echo {}\n')).toEqual(['job.yaml:3:1: comand: unknown key (did you mean "command"?)']);
    expect(issues('command: x\ninputs:\n  lsit: [a]\n')).toEqual(['job.yaml:3:3: inputs.lsit: unknown key (did you mean "list"?)']);
    expect(issues('command: x\ninputs: { list: [a] }\nstuck: { cpuidle: 5s }\n')).toEqual([
      'job.yaml:3:10: stuck.cpuidle: unknown key (did you mean "cpuIdle"?)',
    ]);
    expect(issues('command: x\ninputs: { list: [a] }\nconc: 2\n')).toEqual(['job.yaml:3:1: conc: unknown key (did you mean "concurrency"?)']);
    // The "missing" issue of the key a typo probably meant is left out: it would say the same thing twice.
    expect(issues('command: x\ninputs: { range: { from: 1, too: 3 } }\n')).toEqual(['job.yaml:2:29: inputs.range.too: unknown key (did you mean "to"?)']);
    expect(issues('command: x\ninputs: { range: { from: 1 } }\n')).toEqual(['job.yaml:2:18: inputs.range.to: missing; expected an integer']);
    expect(issues('command: x\ninputs: { list: [a] }\nparallelism: 2\n')).toEqual([
      'job.yaml:3:1: parallelism: unknown key (known keys: name, command, module, python, interpreter, init, inputs, concurrency, timeout, retries, retryDelay, delay, halt, memoryLimit, kill, stuck, env, cwd, order, maxTasksPerWorker, chunksize, maxResultSize, daemons)',
    ]);
  });

  it('did-you-mean: edit distance 2 or a 3-letter prefix, ignoring case', () => {
    expect(suggestKey('MaxTasksPerWorker', ['maxTasksPerWorker'])).toBe('maxTasksPerWorker');
    expect(suggestKey('retrys', ['retries', 'retryDelay'])).toBe('retries');
    expect(suggestKey('mem', ['memoryLimit'])).toBe('memoryLimit');
    expect(suggestKey('xyz', ['memoryLimit'])).toBeNull();
  });

  it('YAML syntax errors, with the yaml package position', () => {
    expect(issues('command: echo {}\ninputs:\n  list: [a, b\nretries: 1\n')).toEqual([
      'job.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(issues('command: "echo\n')).toEqual(['job.yaml:2:1: Missing closing "quote']);
  });

  it('duplicate keys', () => {
    expect(issues('command: a\ninputs: { list: [a] }\ncommand: b\n')).toEqual(['job.yaml:3:1: command: duplicate key (first on line 1)']);
    expect(issues('command: a\ninputs:\n  list: [a]\n  list: [b]\n')).toEqual([
      'job.yaml:4:3: inputs.list: duplicate key (first on line 3)',
    ]);
  });

  it('command and module: neither, both, bad shapes', () => {
    expect(issues('inputs: { list: [a] }\n')).toEqual([
      'job.yaml:1:1: command: missing; expected command (a command line or a list of arguments) or module (a path)',
    ]);
    expect(issues('command: x\nmodule: ./module.mjs\ninputs: { list: [a] }\n')).toEqual([
      'job.yaml:2:1: module: expected either command or module, got both',
    ]);
    expect(issues('command: ""\ninputs: { list: [a] }\n')).toEqual([
      'job.yaml:1:10: command: expected a command line or a list of arguments, got ""',
    ]);
    expect(issues('command: [echo, {a: 1}]\ninputs: { list: [a] }\n')).toEqual(['job.yaml:1:17: command[1]: expected a string, got a mapping']);
    expect(issues('command: []\ninputs: { list: [a] }\n')).toEqual([
      'job.yaml:1:10: command: expected a command line or a list of arguments, got an empty list',
    ]);
    expect(issues('module: ./nope.mjs\ninputs: { list: [a] }\n')).toEqual([`job.yaml:1:9: module: no such file: ${join(JOBS, 'nope.mjs')}`]);
    expect(issues('module: data\ninputs: { list: [a] }\n')).toEqual([`job.yaml:1:9: module: expected a file, got a folder: ${join(JOBS, 'data')}`]);
    expect(issues('command: x\ninputs: { list: [a] }\nmaxTasksPerWorker: 3\n')).toEqual([
      'job.yaml:3:1: maxTasksPerWorker: applies only to module jobs; this job has a command',
    ]);
    expect(issues('command: x\ninputs: { list: [a] }\nchunksize: 10\n')).toEqual([
      'job.yaml:3:1: chunksize: applies only to module jobs; this job has a command',
    ]);
  });

  it('chunksize: a positive integer for module and Python jobs', () => {
    expect(ok('module: ./module.mjs\ninputs: { list: [a] }\nchunksize: 100\n').spec.chunksize).toBe(100);
    expect(issues('module: ./module.mjs\ninputs: { list: [a] }\nchunksize: 0\n')).toEqual(['job.yaml:3:12: chunksize: expected a positive integer, got 0']);
    expect(issues('module: ./module.mjs\ninputs: { list: [a] }\nchunksize: 2.5\n')).toEqual(['job.yaml:3:12: chunksize: expected a positive integer, got 2.5']);
    expect(issues('module: ./module.mjs\ninputs: { list: [a] }\nchunksize: lots\n')).toEqual(['job.yaml:3:12: chunksize: expected a positive integer, got "lots"']);
    expect(issues('module: ./module.mjs\ninputs: { list: [a] }\nchunksize: 10001\n')).toEqual(['job.yaml:3:12: chunksize: expected at most 10000 inputs per chunk, got 10001']);
  });

  it('inputs: missing, empty, two kinds, bad items, bad range', () => {
    expect(issues('command: x\n')).toEqual(['job.yaml:1:1: inputs: missing; expected a mapping with one of list, range, file or glob']);
    expect(issues('command: x\ninputs: [a, b]\n')).toEqual([
      'job.yaml:2:9: inputs: expected a mapping with one of list, range, file or glob, got a list',
    ]);
    expect(issues('command: x\ninputs: {}\n')).toEqual(['job.yaml:2:9: inputs: expected one of list, range, file or glob, got none']);
    expect(issues('command: x\ninputs:\n  list: [a]\n  glob: "*"\n  file: f\n')).toEqual([
      'job.yaml:4:3: inputs.glob: expected one of list, range, file or glob, got list, glob and file',
    ]);
    expect(issues('command: x\ninputs:\n  file: f\n  list: [a]\n')).toEqual([
      'job.yaml:4:3: inputs.list: expected one of list, range, file or glob, got file and list',
    ]);
    expect(issues('command: x\ninputs:\n  list:\n    - a\n    - b\n    - {x: 1}\n    - true\n    -\n')).toEqual([
      'job.yaml:6:7: inputs.list[2]: expected a string or a number, got a mapping',
      'job.yaml:7:7: inputs.list[3]: expected a string or a number, got true',
      'job.yaml:8:6: inputs.list[4]: expected a string or a number, got nothing',
    ]);
    expect(issues('command: x\ninputs: { list: [] }\n')).toEqual(['job.yaml:2:17: inputs.list: expected at least one input, got an empty list']);
    expect(issues('command: x\ninputs: { list: a.log }\n')).toEqual(['job.yaml:2:17: inputs.list: expected a list of inputs, got "a.log"']);
    expect(issues('command: x\ninputs: { range: { from: 1, to: 5, step: 0 } }\n')).toEqual([
      'job.yaml:2:42: inputs.range.step: expected a non-zero integer, got 0',
    ]);
    expect(issues('command: x\ninputs: { range: { from: 1.5, to: 5 } }\n')).toEqual([
      'job.yaml:2:26: inputs.range.from: expected an integer, got 1.5',
    ]);
    expect(issues('command: x\ninputs: { range: { from: 1, to: 5, step: -1 } }\n')).toEqual([
      'job.yaml:2:42: inputs.range.step: expected a positive step to count up from 1 to 5, got -1',
    ]);
    expect(issues('command: x\ninputs: { range: { from: 5, to: 1, step: 2 } }\n')).toEqual([
      'job.yaml:2:42: inputs.range.step: expected a negative step to count down from 5 to 1, got 2',
    ]);
    expect(issues('command: x\ninputs: { range: { from: 1, to: 100000000 } }\n')).toEqual([
      'job.yaml:2:18: inputs.range: expected at most 10000000 inputs, got 100000000',
    ]);
    expect(issues('command: x\ninputs: { range: 5 }\n')).toEqual([
      'job.yaml:2:18: inputs.range: expected a mapping like { from: 1, to: 100, step: 1 }, got 5',
    ]);
    expect(issues('command: x\ninputs: { file: "" }\n')).toEqual(['job.yaml:2:17: inputs.file: expected a non-empty string, got ""']);
  });

  it('every scalar key names what it expected', () => {
    const bad = (key: string, value: string) => issues(`command: x\ninputs: { list: [a] }\n${key}: ${value}\n`)[0];
    expect(bad('name', '[a]')).toBe('job.yaml:3:7: name: expected a non-empty string, got a list');
    expect(bad('timeout', 'soon')).toBe('job.yaml:3:10: timeout: expected a duration like 10m or a percentage of the median like 300%, or off, got "soon"');
    expect(bad('retries', '-1')).toBe('job.yaml:3:10: retries: expected a non-negative integer, got -1');
    expect(bad('retryDelay', 'later')).toBe('job.yaml:3:13: retryDelay: expected a duration like 500ms, 10s, 5m or 1h30m, got "later"');
    expect(bad('delay', 'later')).toBe('job.yaml:3:8: delay: expected a duration like 500ms, 10s, 5m or 1h30m, got "later"');
    expect(bad('halt', 'soon,fail')).toBe('job.yaml:3:7: halt: expected never or a rule like soon,fail=3 or now,fail=10%, got "soon,fail"');
    expect(bad('memoryLimit', 'lots')).toBe('job.yaml:3:14: memoryLimit: expected a size like 512MiB, 1GiB or 1GB, or off, got "lots"');
    expect(bad('maxResultSize', 'lots')).toBe('job.yaml:3:16: maxResultSize: expected a size like 512MiB, 1GiB or 1GB, got "lots"');
    expect(bad('kill', 'TERM,10s')).toBe('job.yaml:3:7: kill: expected a kill sequence like TERM,10s,KILL, got "TERM,10s" (it must end with a signal, not a wait)');
    expect(bad('kill', 'TERM,5s,NOPE')).toBe('job.yaml:3:7: kill: expected a kill sequence like TERM,10s,KILL, got "TERM,5s,NOPE" (unknown signal "NOPE")');
    expect(bad('env', '[a]')).toBe('job.yaml:3:6: env: expected a mapping of names to values, got a list');
    expect(bad('env', '{ A: [1] }')).toBe('job.yaml:3:11: env.A: expected a string, got a list');
    expect(bad('cwd', 'nope')).toBe(`job.yaml:3:6: cwd: no such folder: ${join(JOBS, 'nope')}`);
    expect(bad('cwd', 'list.yaml')).toBe(`job.yaml:3:6: cwd: expected a folder, got a file: ${join(JOBS, 'list.yaml')}`);
    expect(bad('order', 'random')).toBe('job.yaml:3:8: order: expected input or longest-first, got "random"');
    expect(bad('concurrency', '')).toBe('job.yaml:3:14: concurrency: expected auto, a positive integer or a percentage like 50%, got nothing');
    expect(bad('stuck', '[a]')).toBe('job.yaml:3:8: stuck: expected a mapping of stuck rules, or off, got a list');
    expect(bad('stuck', '{ cpuIdle: 0s }')).toBe('job.yaml:3:19: stuck.cpuIdle: expected a duration like 500ms, 10s, 5m or 1h30m, or off, got "0s"');
    expect(bad('stuck', '{ overdue: 3x }')).toBe('job.yaml:3:19: stuck.overdue: expected a percentage of the median like 300%, or off, got "3x"');
    expect(bad('stuck', '{ action: panic }')).toBe('job.yaml:3:18: stuck.action: expected warn, kill or retry, got "panic"');
  });

  it('the document itself: empty, a list, a scalar', () => {
    expect(issues('')).toEqual(['job.yaml:1:1: expected a mapping of job keys, got nothing']);
    expect(issues('- a\n- b\n')).toEqual(['job.yaml:1:1: expected a mapping of job keys, got a list']);
    expect(issues('hello\n')).toEqual(['job.yaml:1:1: expected a mapping of job keys, got "hello"']);
  });

  it('reports every problem, sorted by line, with structured fields', () => {
    const r = parseJobText('comand: x\ninputs:\n  list: [a, {b: 1}]\nretries: -1\nconcurrency: 0\n', { file: null, baseDir: JOBS });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.text)).toEqual([
      '<pasted>:1:1: comand: unknown key (did you mean "command"?)',
      '<pasted>:3:13: inputs.list[1]: expected a string or a number, got a mapping',
      '<pasted>:4:10: retries: expected a non-negative integer, got -1',
      '<pasted>:5:14: concurrency: expected auto, a positive integer or a percentage like 50%, got 0',
    ]);
    expect(r.issues[1]).toEqual({
      file: '<pasted>', line: 3, column: 13, path: 'inputs.list[1]',
      message: 'expected a string or a number, got a mapping',
      text: '<pasted>:3:13: inputs.list[1]: expected a string or a number, got a mapping',
    });
  });
});
