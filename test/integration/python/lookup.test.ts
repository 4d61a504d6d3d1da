import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor } from '../../../main/core/supervisor.js';
import { cleanup, runJob, taskOutput, tempDir } from '../core/helpers.js';
import { behave, pyFixtures, pyJob } from './helpers.js';

// Python function lookup: every way the function cannot be found is a located message at load.
afterEach(cleanup);

async function loadError(text: string): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'job.yaml');
  writeFileSync(file, text);
  const sup = createSupervisor({ stateDir: join(dir, 'state'), joblog: null, orphanGuard: false });
  try {
    const r = await sup.call('loadJob', { path: file });
    if (r.ok) throw new Error('the job loaded');
    return r.error.message.replaceAll(file, 'JOB');
  } finally {
    await sup.close({ graceMs: 1000 });
  }
}

describe('python function lookup at load', () => {
  it('a missing file is named with its resolved path, at the python key', async () => {
    const msg = await loadError('python: ./nope.py:f\ninputs: { list: [a] }\n');
    expect(msg).toMatch(/^JOB:1:9: python: no such file: \/.*\/nope\.py$/);
  });

  it('a missing function', async () => {
    expect(await loadError(pyJob(['a'], '', `${behave}:no_such`))).toBe(`JOB:2:9: python: ${behave} has no function "no_such"`);
  });

  it('a name that is not callable', async () => {
    expect(await loadError(pyJob(['a'], '', `${behave}:NOT_A_FUNCTION`))).toBe(`JOB:2:9: python: ${behave}: "NOT_A_FUNCTION" is not callable (it is an int)`);
  });

  it('a missing init function is located at init', async () => {
    expect(await loadError(pyJob(['a'], 'init: no_setup\n'))).toBe(`JOB:6:7: init: ${behave} has no function "no_setup"`);
  });

  it('an import error carries the import\'s traceback', async () => {
    const msg = await loadError(pyJob(['a'], '', `${join(pyFixtures, 'broken_import.py')}:task`));
    expect(msg).toContain(`JOB:2:9: python: importing ${join(pyFixtures, 'broken_import.py')} failed:\nTraceback (most recent call last):\n`);
    expect(msg).toContain('line 2, in <module>\n');
    expect(msg).toMatch(/ModuleNotFoundError: No module named 'corral_no_such_module'$/);
  });

  it('an importable module path (pkg.mod:func) resolves from the job file\'s folder', async () => {
    expect(await loadError('python: corral_nowhere.mod:f\ninputs: { list: [a] }\n')).toMatch(
      /^JOB:1:9: python: importing module corral_nowhere\.mod failed:\nTraceback[\s\S]*ModuleNotFoundError: No module named 'corral_nowhere'$/,
    );
  });

  it('a malformed target and a missing interpreter', async () => {
    expect(await loadError('python: thumbs.py\ninputs: { list: [a] }\n')).toBe(
      'JOB:1:9: python: expected a file or module and a function, like ./thumbs.py:make_thumbnail or thumbs.images:make_thumbnail, got "thumbs.py"',
    );
    expect(await loadError(pyJob(['a'], 'interpreter: corral-no-such-python\n'))).toBe('JOB:6:14: interpreter: cannot run the Python interpreter "corral-no-such-python": not found');
  });

  it('python with command is refused; interpreter without python too', async () => {
    expect(await loadError(`${pyJob(['a'])}command: echo\n`)).toBe('JOB:2:1: python: expected either command or python, got both');
    expect(await loadError('command: echo\ninit: setup\ninputs: { list: [a] }\n')).toBe('JOB:2:1: init: applies only to python jobs; this job has no python key');
  });

  it('an init that raises fails each task with its error and traceback; the job does not hang', async () => {
    const h = await runJob(pyJob(['a', 'b'], 'init: bad_setup\nretries: 1\n'));
    for (const seq of [1, 2]) {
      expect(h.task(seq)).toMatchObject({ outcome: 'failed', attempt: 2, error: 'init bad_setup() failed: RuntimeError: the model file is missing' });
    }
    expect(await taskOutput(h.sup, 1)).toMatch(/Traceback \(most recent call last\):[\s\S]*in bad_setup\n[\s\S]*RuntimeError: the model file is missing/);
  });

  it('a function that loads at the check but not in the host fails each task with the host\'s traceback', async () => {
    const flags = tempDir();
    const h = await runJob(pyJob(['a', 'b'], `env: { CORRAL_TEST_FLAGDIR: ${JSON.stringify(flags)} }\n`, `${join(pyFixtures, 'fails_in_host.py')}:task`));
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.error).toBe(`loading ${join(pyFixtures, 'fails_in_host.py')}:task failed: ImportError: second import refused`);
    expect(await taskOutput(h.sup, 1)).toMatch(/Traceback \(most recent call last\):[\s\S]*ImportError: second import refused/);
    expect(h.task(2).outcome).toBe('failed');
  });
});
