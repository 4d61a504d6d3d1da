import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, sleepers, spawnCli, tempDir, trackPid, waitFor, withDeadline } from './helpers.js';

// The case users reported, through `corral run`: a task whose daemon keeps the task's stdout open
// was still running after 655 s with `timeout: 20s`. The task ends when its shell has exited.
afterEach(cleanup);

describe('corral run with a daemon holding the task output', () => {
  it('finishes and leaves no daemon behind', async () => {
    const arg = `${3002 + Math.random()}`.slice(0, 10);
    const dir = tempDir();
    const file = join(dir, 'daemon.yaml');
    writeFileSync(file, `name: daemon\ncommand: "setsid nohup sleep ${arg} & echo forked {}"\ntimeout: 20s\ninputs:\n  list: [a, b]\n`);
    const r = await runCli(['run', file], { cwd: dir, timeoutMs: 60_000 });
    for (const p of sleepers(arg)) trackPid(p);
    expect([r.code, r.signal]).toEqual([0, null]);
    expect(sleepers(arg)).toEqual([]);
  });

  it('a SIGTERM to corral ends a running task whose daemon left the group', async () => {
    const arg = `${3006 + Math.random()}`.slice(0, 10);
    const main = `${3007 + Math.random()}`.slice(0, 10);
    const dir = tempDir();
    const file = join(dir, 'daemon.yaml');
    writeFileSync(file, `name: daemon\ncommand: "setsid nohup sleep ${arg} & echo forked {}; exec sleep ${main}"\ninputs:\n  list: [a]\n`);
    const cli = spawnCli(['run', file, '--tick', '10s'], { cwd: dir, timeoutMs: 90_000 });
    await waitFor('the daemon and the main sleep', () => sleepers(arg).length === 1 && sleepers(main).length === 1);
    for (const p of [...sleepers(arg), ...sleepers(main)]) trackPid(p);
    cli.child.kill('SIGTERM');
    const r = await withDeadline(cli.result, 60_000, 'corral to exit after SIGTERM');
    expect(r.signal).toBeNull();
    expect([...sleepers(arg), ...sleepers(main)]).toEqual([]);
  });
});
