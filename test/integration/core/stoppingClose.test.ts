import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fixtures, sleepers, startJob, trackPid, waitFor, withDeadline } from './helpers.js';

// The marker scan runs at close too: a daemon no task end could find (a module task's) is ended then.
afterEach(cleanup);

describe.runIf(process.platform === 'linux')('close', () => {
  it("ends a module task's setsid daemon that carries the supervisor's marker", async () => {
    const arg = `${3005 + Math.random()}`.slice(0, 10);
    const h = await startJob(`name: close\nmodule: ${JSON.stringify(join(fixtures, 'daemonize.mjs'))}\ninputs:\n  list: [${JSON.stringify(arg)}]\n`, {
      orphanGuard: true,
    });
    await withDeadline(h.finished, 60_000, 'the module task to end');
    const [daemon] = await waitFor('the daemon to run', () => (sleepers(arg).length > 0 ? sleepers(arg) : null));
    trackPid(daemon);
    await h.sup.close({ graceMs: 2_000 });
    expect(sleepers(arg)).toEqual([]);
  });
});
