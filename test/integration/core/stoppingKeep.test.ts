import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, pidAlive, sleepers, spawnCli, tempDir, trackPid, waitFor, withDeadline } from './helpers.js';

// `daemons: keep` holds when corral itself is killed: its reaper ends the running tasks but spares the
// kept daemon, which carries the supervisor's marker like everything the tasks started.
afterEach(cleanup);

describe.runIf(process.platform === 'linux')('kill -9 of corral run with daemons: keep', () => {
  it('the reaper ends the running task and spares the kept daemon', async () => {
    const kept = `${3008 + Math.random()}`.slice(0, 10);
    const running = `${3009 + Math.random()}`.slice(0, 10);
    const dir = tempDir();
    // Input "d" starts a daemon and waits until it has left the group; input "r" keeps the run going.
    const daemon = `setsid sh -c 'echo $$ > daemon.pid; exec sleep ${kept}' </dev/null >/dev/null 2>&1 & while [ ! -s daemon.pid ]; do sleep 0.05; done`;
    writeFileSync(
      join(dir, 'job.yaml'),
      `name: keep\ncommand: [sh, -c, "if [ {} = d ]; then ${daemon.replace(/"/g, '\\"')}; else exec sleep ${running}; fi"]\ndaemons: keep\nconcurrency: 2\ninputs:\n  list: [d, r]\n`,
    );
    const cli = spawnCli(['run', 'job.yaml', '--tick', '250ms'], { cwd: dir });
    await waitFor('task 1 to end with its daemon kept', () => cli.stdout.includes('[1] ok'), 60_000);
    const [daemonPid] = sleepers(kept);
    const [runningPid] = await waitFor('the running task', () => (sleepers(running).length > 0 ? sleepers(running) : null));
    trackPid(daemonPid);
    trackPid(runningPid);
    cli.child.kill('SIGKILL');
    await withDeadline(cli.result, 30_000, 'corral to die');
    await waitFor('the reaper to end the running task', () => !pidAlive(runningPid), 60_000);
    expect(pidAlive(daemonPid)).toBe(true);
  });
});
