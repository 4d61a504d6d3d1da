import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait.js';
import { cliBin, repoRoot, tempDir } from '../core/helpers.js';
import { spawnCli } from './cli.js';

// The machine's /usr/bin/node is Node 20 (end of life): the one real older Node at hand.
const OLD_NODE = '/usr/bin/node';

describe('bin/corral.cjs on a Node older than package.json engines', () => {
  it('says which Node it needs and which it got, exit 2, no stack trace', () => {
    const version = spawnSync(OLD_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    expect(Number(version.split('.')[0])).toBeLessThan(22); // the premise of this test
    expect(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).engines.node).toBe('>=22.17.0');
    const r = spawnSync(OLD_NODE, [cliBin, 'run', '--demo'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `corral: needs Node.js 22.17.0 or newer; this is Node.js ${version} (${OLD_NODE})\n`]);
  });

  it('runs on this Node', () => {
    const r = spawnSync(process.execPath, [cliBin, '--version'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^corral \d+\.\d+\.\d+\n$/);
  });
});

describe('bin/corral.cjs sizing the supervisor\'s young generation', () => {
  const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

  async function supervisorArgs(env: NodeJS.ProcessEnv): Promise<string[]> {
    const dir = tempDir('corral-semispace-');
    const started = join(dir, 'started');
    const job = join(dir, 'job.yaml');
    writeFileSync(job, `command: sh -c 'touch ${started}; sleep 30'\ninputs: { list: [a] }\n`);
    const cli = spawnCli(['run', job], { env });
    await waitFor('the task to start', () => existsSync(started));
    const args = cmdline(cli.child.pid!); // the same pid: re-exec keeps it, so kills and the reaper still find it
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(r.code).toBe(130);
    return args;
  }

  it('runs `corral run` under --max-semi-space-size=8 in the process it started as', async () => {
    const args = await supervisorArgs({});
    expect(args).toContain('--max-semi-space-size=8');
    expect(args.slice(-2)).toEqual(['run', expect.stringMatching(/job\.yaml$/)]);
  });

  it('leaves V8\'s default when CORRAL_NODE_FLAGS=0', async () => {
    const args = await supervisorArgs({ CORRAL_NODE_FLAGS: '0' });
    expect(args.some((a) => a.startsWith('--max-semi-space-size'))).toBe(false);
  });
});
