import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadJobFile } from '../../../../main/core/job/parse.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs/', import.meta.url));

describe('loadJobFile', () => {
  it('loads the sample jobs, resolving paths against their folder', async () => {
    for (const f of ['list.yaml', 'range.yaml', 'file.yaml', 'glob.yaml', 'module.yaml', 'job.json']) {
      const r = await loadJobFile(join(JOBS, f));
      expect(r.ok, f).toBe(true);
      if (r.ok) expect(r.spec.cwd).toBe(dirname(join(JOBS, f)));
    }
    const r = await loadJobFile(join(JOBS, 'range.yaml'));
    expect(r.ok && r.spec.name).toBe('range');
  });

  it('the bad samples fail with located issues', async () => {
    const r = await loadJobFile(join(JOBS, 'bad-values.yaml'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toHaveLength(9);
    const typo = await loadJobFile(join(JOBS, 'bad-typo.yaml'));
    expect(typo.ok ? [] : typo.issues.map((i) => i.text)).toEqual([`${join(JOBS, 'bad-typo.yaml')}:1:1: comand: unknown key (did you mean "command"?)`]);
  });

  it('read errors: missing, a folder, unreadable', async () => {
    const texts = async (path: string) => {
      const r = await loadJobFile(path);
      return r.ok ? [] : r.issues.map((i) => [i.line, i.column, i.text]);
    };
    expect(await texts('/nope/job.yaml')).toEqual([[0, 0, '/nope/job.yaml: cannot read job file: no such file']]);
    expect(await texts(JOBS)).toEqual([[0, 0, `${JOBS}: cannot read job file: it is a folder`]]);
    if (process.getuid?.() !== 0) {
      const dir = await mkdtemp(join(tmpdir(), 'corral-job-'));
      const file = join(dir, 'locked.yaml');
      await writeFile(file, 'command: x\n');
      await chmod(file, 0o000);
      expect(await texts(file)).toEqual([[0, 0, `${file}: cannot read job file: permission denied`]]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
