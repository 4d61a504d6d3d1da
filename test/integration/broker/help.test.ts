import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_HELP } from '../../../main/cli/agent.js';
import { BROKER_REFUSED_FLAGS } from '../../../main/core/broker/refused.js';
import { cleanup, tempDir } from '../core/helpers.js';
import { freePort } from '../../support/redis.js';
import { runCli } from '../cli/cli.js';

afterAll(cleanup);

describe('corral agent on the command line', () => {
  it('--help prints its usage; corral --help lists it', async () => {
    const r = await runCli(['agent', '--help']);
    expect([r.code, r.stdout]).toEqual([0, AGENT_HELP + '\n']);
    const all = await runCli(['--help']);
    expect(all.stdout).toContain('agent --broker URL  run tasks of `corral run --broker URL` on this host');
  });

  it.each([
    [['agent'], 'corral agent: --broker URL is required (see corral agent --help)'],
    [['agent', '--broker', 'redis://h', '--slots', '0', '--allow-root'], 'corral agent: --slots expects a positive integer, got "0"'],
    [['agent', '--broker', 'redis://h', '--lock', 'soon', '--allow-root'], 'corral agent: --lock expects a duration like 3s or 500ms, got "soon"'],
    [['agent', '--broker', 'redis://h', '--max-stalls', '-1', '--allow-root'], 'corral agent: --max-stalls expects a positive integer, got "-1"'],
    [['agent', '--bogus'], 'corral agent: unknown option --bogus (see corral agent --help)'],
  ])('%j: usage error, exit 2', async (args, message) => {
    const r = await runCli(args);
    expect([r.code, r.stderr]).toEqual([2, message + '\n']);
  });

  it('run --broker refuses a module job', async () => {
    const r = await runCli(['run', '--broker', 'redis://127.0.0.1:1', '--demo']);
    expect([r.code, r.stderr]).toEqual([2, 'corral run: --broker runs command jobs only (module and Python jobs run locally)\n']);
  });

  // Refused before the broker is reached: the port here is closed.
  const broker = ['run', '--broker', 'redis://127.0.0.1:1'];

  it.each([
    [['--timeout', '300%'], 'timeout: 300% of the median cannot run over a broker yet; give a duration such as 10m'],
    [['-j', '50%'], "concurrency: 50% of the cores cannot run over a broker (the agents' --slots decide); give a number or leave it out"],
    [['--delay', '1s'], 'delay: cannot run over a broker yet (tasks start on several hosts)'],
  ])('run --broker %j: refused by name, exit 2', async (flags, message) => {
    const r = await runCli([...broker, ...flags, 'echo', ':::', 'x']);
    expect([r.code, r.stderr]).toEqual([2, `corral run: ${message}\n`]);
  });

  it.each([
    ['order: longest-first', 'order: longest-first cannot run over a broker yet; leave it out'],
    ['stuck: { action: kill }', 'stuck.action: kill cannot run over a broker yet (agents do not run the stuck detector); use warn or run locally'],
    ['stuck: { action: retry }', 'stuck.action: retry cannot run over a broker yet (agents do not run the stuck detector); use warn or run locally'],
  ])('run --broker of a job file with %s: refused by name, exit 2', async (line, message) => {
    const file = join(tempDir('corral-broker-job-'), 'job.yaml');
    writeFileSync(file, `command: echo {}\ninputs: { list: [a] }\n${line}\n`);
    const r = await runCli([...broker, file]);
    expect([r.code, r.stderr]).toEqual([2, `corral run: ${message}\n`]);
  });

  const VALUES: Record<string, string> = { '--results': 'out', '--tagstring': 'x', '--tick': '1s' };
  it.each(BROKER_REFUSED_FLAGS)('run --broker %s: refused by name, exit 2', async (flag) => {
    const r = await runCli([...broker, flag, ...(flag in VALUES ? [VALUES[flag]] : []), 'echo', ':::', 'x']);
    expect([r.code, r.stderr]).toEqual([2, `corral run: ${flag} cannot be used with --broker yet\n`]);
  });

  const jobFile = (extra = '') => {
    const file = join(tempDir('corral-broker-serve-'), 'job.yaml');
    writeFileSync(file, `command: echo {}\ninputs: { list: [a] }\n${extra}`);
    return file;
  };

  it.each([
    [[], 'corral serve: --broker needs a job file (module and Python jobs, and the demo, run locally)'],
    [['--demo'], 'corral serve: --demo cannot be used with --broker yet'],
    [['--paused', 'job.yaml'], 'corral serve: --paused cannot be used with --broker yet'],
    [['--jobs', '4', 'job.yaml'], 'corral serve: --jobs cannot be used with --broker yet'],
  ])('serve --broker %j: usage error, exit 2', async (args, message) => {
    const r = await runCli(['serve', '--broker', 'redis://127.0.0.1:1', ...args]);
    expect([r.code, r.stderr]).toEqual([2, message + '\n']);
  });

  it('serve --broker refuses a job key it cannot run, by name, exit 2', async () => {
    const r = await runCli(['serve', '--broker', 'redis://127.0.0.1:1', jobFile('timeout: 300%\n')]);
    expect([r.code, r.stderr]).toEqual([2, 'corral serve: timeout: 300% of the median cannot run over a broker yet; give a duration such as 10m\n']);
  });

  it('serve --broker with an unreachable broker: one line, exit 1', async () => {
    const port = await freePort();
    const r = await runCli(['serve', '--broker', `redis://127.0.0.1:${port}`, jobFile()]);
    expect([r.code, r.stderr]).toEqual([1, `corral serve: cannot reach the broker at redis://127.0.0.1:${port}: connection refused\n`]);
  });
});
