import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, runCli as runRaw, tempDir, waitFor, withDeadline } from '../core/helpers.js';
import { expectNoCrash, runCli, spawnCli } from './cli.js';

// `corral run` as a user runs it: a real CLI process, exit codes, messages, joblog, resume, Ctrl-C.
afterEach(cleanup);

describe('corral run: bad job files', () => {
  const cases: [string, string, string][] = [
    ['YAML syntax', 'command: echo {}\ninputs:\n  list: [a, b\nretries: 1\n', 'bad.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['unknown key', 'comand: echo {}\ninputs:\n  list: [a]\n', 'bad.yaml:1:1: comand: unknown key (did you mean "command"?)'],
    ['bad value', 'command: echo {}\ninputs:\n  list: [a]\nconcurrency: -2\n', 'bad.yaml:4:14: concurrency: expected auto, a positive integer or a percentage like 50%, got -2'],
    ['both command and module', 'command: echo {}\nmodule: ./m.mjs\ninputs:\n  list: [a]\n', 'bad.yaml:2:1: module: expected either command or module, got both'],
    ['missing inputs', 'command: echo {}\n', 'bad.yaml:1:1: inputs: missing; expected a mapping with one of list, range, file or glob'],
    ['missing inputs file', 'command: echo {}\ninputs:\n  file: nope.txt\n', 'bad.yaml:3:9: inputs.file: cannot read inputs file DIR/nope.txt: no such file'],
    ['glob matching nothing', 'command: echo {}\ninputs:\n  glob: "*.nomatch"\n', 'bad.yaml:3:9: inputs.glob: glob "*.nomatch" matched nothing in DIR'],
    ['empty file', '', 'bad.yaml:1:1: expected a mapping of job keys, got nothing'],
    ['bad kill sequence', 'command: echo {}\ninputs:\n  list: [a]\nkill: TERM,10s\n', 'bad.yaml:4:7: kill: expected a kill sequence like TERM,10s,KILL, got "TERM,10s" (it must end with a signal, not a wait)'],
  ];
  it.each(cases)('%s: exits 2 with one located line', async (_, text, expected) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), text);
    writeFileSync(join(dir, 'm.mjs'), 'export default () => 1;\n'); // so only the named problem is reported
    const r = await runCli(['run', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`corral: ${expected.replace('DIR', dir)}\n`);
  });

  it('a JSON job file and a missing job file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{"command": "echo {}", "inputs": {"list": ["a"]}, "retries": -1}\n');
    const j = await runCli(['run', 'bad.json'], { cwd: dir });
    expect([j.code, j.stderr]).toEqual([2, 'corral: bad.json:1:62: retries: expected a non-negative integer, got -1\n']);
    const m = await runCli(['run', 'nothere.yaml'], { cwd: dir });
    expect([m.code, m.stderr]).toEqual([2, 'corral: nothere.yaml: cannot read job file: no such file\n']);
  });
});

describe('corral run: usage errors', () => {
  it.each([
    [['run', '--jobs', '0', 'job.yaml'], 'corral run: --jobs: expected auto, a positive integer or a percentage like 50%, got 0'],
    [['run', '--timeout', '0', 'job.yaml'], 'corral run: --timeout: expected a duration like 10m or a percentage of the median like 300%, or off, got 0'],
    [['run', '--retries', '-1', 'job.yaml'], 'corral run: --retries: expected a non-negative integer, got -1'],
    [['run', '--jobs', 'job.yaml'], 'corral run: --jobs: expected auto, a positive integer or a percentage like 50%, got "job.yaml"'],
    [['run', '--bogus', 'job.yaml'], 'corral run: unknown option --bogus (see corral run --help)'],
    [['run'], 'corral run: missing command or job file (or --demo); see corral run --help'],
    [['run', ':::', 'a'], 'corral run: missing command before :::'],
    [['run', '--demo', 'echo'], 'corral run: give a job file, a command or --demo, not both'],
    [['run', '--resume', 'job.yaml'], 'corral run: --resume needs --joblog FILE'],
    [['run', '--tick', '10ms', 'job.yaml'], 'corral run: --tick must be between 250ms and 10s'],
    [['frobnicate'], 'corral: unknown command "frobnicate"; commands are run, serve, reap, agent'],
    [['serve', 'a.yaml', 'b.yaml'], 'corral serve: give at most one job file'],
    [['serve', '--demo', 'a.yaml'], 'corral serve: give a job file or --demo, not both'],
    [['serve', '--port', '70000'], 'corral serve: --port expects 0..65535, got "70000"'],
    [['serve', '--jobs', '-1'], 'corral serve: --jobs: expected auto, a positive integer or a percentage like 50%, got -1'],
    [['serve', '--jobs', '0%'], 'corral serve: --jobs: expected auto, a positive integer or a percentage like 50%, got "0%"'],
    [['serve', '--tick', '20s'], 'corral serve: --tick must be between 250ms and 10s'],
    [['serve', '--nope'], 'corral serve: unknown option --nope (see corral serve --help)'],
  ])('%j exits 2 with the exact message', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
  });

  it('corral serve on a port in use exits 2 and suggests --port 0', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = await runCli(['serve', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`corral: cannot listen on 127.0.0.1:${port}: EADDRINUSE (try --port 0 for a free port)\n`);
    } finally {
      taken.close();
    }
  });
});

describe('corral run: exit codes, joblog and resume', () => {
  it('exits 0 when every task is ok, 1 when one failed, one line per task and a summary', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.yaml'), 'name: fine\ncommand: "true {}"\ninputs:\n  list: [a, b]\n');
    writeFileSync(join(dir, 'fail.yaml'), 'name: mixed\ncommand: [sh, -c, "{}"]\nconcurrency: 1\ninputs:\n  list: ["true", "exit 3"]\n');
    const ok = await runCli(['run', 'ok.yaml', '--joblog', 'ok.tsv'], { cwd: dir });
    expect(ok.code).toBe(0);
    const lines = ok.stdout.split('\n');
    // Tasks ending in the same tick print in any order.
    expect(lines.slice(0, 2).sort()).toEqual([expect.stringMatching(/^\[1\] ok \d+s .* true a$/), expect.stringMatching(/^\[2\] ok \d+s .* true b$/)]);
    expect(lines.slice(2).join('\n')).toMatch(/^fine: finished — 2 ok of 2 in \d+s\njoblog: .*ok\.tsv\n$/);
    const fail = await runCli(['run', 'fail.yaml', '--joblog', 'fail.tsv'], { cwd: dir });
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('[2] failed ');
    expect(fail.stdout).toContain(' — exit code 3\n');
    expect(fail.stdout).toMatch(/mixed: finished — 1 ok, 1 failed of 2 in \d+s\n/);
  });

  it('--resume and --resume-failed run exactly the expected sequences; joblog rows parse and match', async () => {
    const dir = tempDir();
    // Inputs 2 and 5 fail until the file "fixed" exists; every run appends its {#} to ran.txt.
    writeFileSync(
      join(dir, 'job.yaml'),
      'name: resumable\ncommand: "echo {#} >> ran.txt; case {} in 2|5) test -e fixed || exit 1;; esac"\nconcurrency: 1\ninputs:\n  range: { from: 1, to: 6 }\n',
    );
    const ran = () => readFileSync(join(dir, 'ran.txt'), 'utf8').split('\n').filter(Boolean).map(Number);
    const log = join(dir, 'log.tsv');
    const first = await runCli(['run', 'job.yaml', '--joblog', 'log.tsv'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(ran()).toEqual([1, 2, 3, 4, 5, 6]);

    const text = readFileSync(log, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    expect(lines[0]).toBe('Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tAttempt\tPeakRSS\tCPUSeconds\tOutcome');
    for (const l of lines) expect(l.split('\t')).toHaveLength(13);
    const rows = parseJoblog(text);
    expect(rows.map((r) => [r.seq, r.exitval, r.outcome, r.attempt])).toEqual([
      [1, 0, 'ok', 1], [2, 1, 'failed', 1], [3, 0, 'ok', 1], [4, 0, 'ok', 1], [5, 1, 'failed', 1], [6, 0, 'ok', 1],
    ]);
    for (const r of rows) {
      expect(r.host).toBe(':');
      expect(r.signal).toBe(0);
      expect(r.command).toBe(`echo ${r.seq} >> ran.txt; case ${r.seq} in 2|5) test -e fixed || exit 1;; esac`);
      expect(r.startTime).toBeGreaterThan(1.6e9);
      expect(r.runtime).toBeGreaterThanOrEqual(0);
    }

    // --resume with a log holding only tasks 1-3: runs 4, 5, 6.
    writeFileSync(join(dir, 'partial.tsv'), lines.slice(0, 4).join('\n') + '\n');
    writeFileSync(join(dir, 'ran.txt'), '');
    expect((await runCli(['run', 'job.yaml', '--joblog', 'partial.tsv', '--resume'], { cwd: dir })).code).toBe(1);
    expect(ran()).toEqual([4, 5, 6]);

    // --resume-failed on the full log: only the failed 2 and 5 run again (and now pass).
    writeFileSync(join(dir, 'fixed'), '');
    writeFileSync(join(dir, 'ran.txt'), '');
    const again = await runCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--resume-failed'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(ran()).toEqual([2, 5]);
    expect(again.stdout).toMatch(/resumable: finished — 2 ok, 4 skipped of 6/);

    // --resume now: everything has ended, nothing runs.
    writeFileSync(join(dir, 'ran.txt'), '');
    expect((await runCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--resume'], { cwd: dir })).code).toBe(0);
    expect(ran()).toEqual([]);
  });

  it('SIGINT stops running tasks gracefully, the joblog is complete for every finished task, exit 130', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'job.yaml'),
      'name: interrupted\ncommand: sleep {}\nconcurrency: 2\nkill: TERM,2s,KILL\ninputs:\n  list: [0.1, 0.1, 0.1, 60, 60, 60, 60]\n',
    );
    const cli = spawnCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--tick', '250ms'], { cwd: dir });
    await waitFor('three tasks to finish', () => /\[3\] ok/.test(cli.stdout) && /\[1\] ok/.test(cli.stdout) && /\[2\] ok/.test(cli.stdout));
    cli.child.kill('SIGINT');
    const r = await withDeadline(cli.result, 30_000, 'the CLI to exit');
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('corral: interrupted — stopping running tasks gracefully (Ctrl-C again to kill them)');
    expect(r.stdout).toMatch(/interrupted: stopped — 3 ok, 2 interrupted, 2 not run of 7/);
    const rows = parseJoblog(readFileSync(join(dir, 'log.tsv'), 'utf8'));
    expect(rows.map((x) => [x.seq, x.outcome]).sort()).toEqual([[1, 'ok'], [2, 'ok'], [3, 'ok'], [4, 'interrupted'], [5, 'interrupted']]);
  });
});

describe('corral run --demo', () => {
  it('completes and prints the summary', { timeout: 180_000 }, async () => {
    const r = await runRaw(['run', '--demo'], { timeoutMs: 170_000 });
    // The demo has one task that always fails, and one that fails its first attempt: their errors'
    // stacks are the tasks' stderr, printed as a command task's would be; anything else is a crash.
    expect(r.stderr).toContain('Error: this task always fails\n    at ');
    expectNoCrash(r.stderr.replace(/^Error: (this task always fails|flaky: first attempt fails on purpose)\n(\s+at .*\n)+/gm, ''));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\ncorral-demo: finished — \d+ ok, .*1 failed.* of 20 in \d+s\njoblog: .*\.tsv\n$/);
    expect(r.stdout).toContain('looks stuck: CPU 0.0 s in 5 s; no output for');
  });
});
