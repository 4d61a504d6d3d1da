import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_HELP } from '../../../main/cli/agent.js';
import { cleanup } from '../core/helpers.js';
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
});
