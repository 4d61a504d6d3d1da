import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relativePastedPathMessage } from '../../../main/core/job/parse.js';
import { createSupervisor, type Supervisor } from '../../../main/core/supervisor.js';
import { tempDir } from './helpers.js';

// Issue 14, item 13, through the supervisor the app creates (pastedBaseDir: null) and the default one.
const sups: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(sups.splice(0).map((s) => s.close()));
});
const make = (pastedBaseDir?: string | null) => {
  const s = createSupervisor({ stateDir: join(tempDir(), 'state'), joblog: null, orphanGuard: false, ...(pastedBaseDir === undefined ? {} : { pastedBaseDir }) });
  sups.push(s);
  return s;
};
const text = 'name: p\ncommand: echo {}\ncwd: data\ninputs:\n  list: [a]\n';

describe('pasted job text', () => {
  it('the app’s supervisor refuses a relative path with the message that says what to do', async () => {
    const r = await make(null).call('loadJob', { text });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toBe(`<pasted>:3:6: cwd: ${relativePastedPathMessage('data')}`);
  });

  it('a supervisor given a folder resolves against it', async () => {
    const dir = tempDir();
    const r = await make(dir).call('loadJob', { text: text.replace('cwd: data', 'cwd: .') });
    expect(r.ok).toBe(true);
  });
});
