// --json with -k: one object per ended attempt, in input order (a task's attempts together), as
// the grouped output is with -k.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, tempDir } from '../core/helpers.js';
import { runCli } from './cli.js';

afterEach(cleanup);

describe('--json --keep-order', () => {
  it('emits the objects in input order though the tasks end in reverse; a retried task\'s attempts come together', async () => {
    const dir = tempDir();
    // Task 1 sleeps longest and fails its first attempt; task 3 ends first.
    const cmd = `if [ {} = 1.5 ] && [ ! -e ${join(dir, 'once')} ]; then touch ${join(dir, 'once')}; exit 3; fi; sleep {}; echo {}`;
    const r = await runCli(['run', '--json', '-k', '-j3', '--retries', '1', cmd, ':::', '1.5', '0.7', '0'], { cwd: dir });
    expect(r.code).toBe(0);
    const objects = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq?: number; attempt?: number; stdout?: string; summary?: unknown });
    expect(objects.map((o) => (o.summary ? 'summary' : `${o.seq}:${o.attempt}`))).toEqual(['1:1', '1:2', '2:1', '3:1', 'summary']);
    expect(objects.slice(1, 4).map((o) => o.stdout)).toEqual(['1.5\n', '0.7\n', '0\n']);
  });
});
