import { homedir, tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseJobText, relativePastedPathMessage } from '../../../../main/core/job/parse.js';
import { loadSpec } from '../../../../main/core/pool/jobLoader.js';

// Issue 14, item 13: pasted text in the app has no folder (the app's working folder is often /).
// Relative paths are refused with a message that says what to do; absolute ones work.
const pasted = (text: string) => parseJobText(text, { file: null, baseDir: null });
const texts = (r: ReturnType<typeof pasted>) => (r.ok ? [] : r.issues.map((i) => i.text));

describe('pasted job text without a folder', () => {
  it('refuses a relative module, cwd, inputs file and glob, each at its line', () => {
    const r = pasted('name: p\nmodule: ./jobs/thumb.mjs\ncwd: data\ninputs:\n  file: inputs.txt\n');
    expect(texts(r)).toEqual([
      `<pasted>:2:9: module: ${relativePastedPathMessage('./jobs/thumb.mjs')}`,
      `<pasted>:3:6: cwd: ${relativePastedPathMessage('data')}`,
      `<pasted>:5:9: inputs.file: ${relativePastedPathMessage('inputs.txt')}`,
    ]);
    expect(texts(pasted('command: echo {}\ninputs:\n  glob: "logs/*.log"\n'))).toEqual([`<pasted>:3:9: inputs.glob: ${relativePastedPathMessage('logs/*.log')}`]);
  });

  it('the message says why and what to do', () => {
    expect(relativePastedPathMessage('./a.mjs')).toBe(
      '"./a.mjs" is a relative path, and pasted text has no folder to resolve it against; use an absolute path, or save the job as a file and open it (its paths then resolve against its folder)',
    );
  });

  it('takes absolute paths, and runs tasks in the home folder when cwd is not given', () => {
    const r = pasted(`command: echo {}\ncwd: ${tmpdir()}\ninputs:\n  list: [a]\n`);
    expect(r.ok && r.spec.cwd).toBe(tmpdir());
    const h = pasted('command: echo {}\ninputs:\n  list: [a, ../b]\n'); // inputs are data, not paths Corral opens
    expect(h.ok && h.spec.cwd).toBe(homedir());
  });

  it('with a folder (corral serve: its working folder), relative paths still resolve against it', () => {
    const r = parseJobText('command: echo {}\ncwd: .\ninputs:\n  list: [a]\n', { file: null, baseDir: tmpdir() });
    expect(r.ok && r.spec.cwd).toBe(tmpdir());
  });

  it('loadSpec passes null through (the app’s supervisor) and refuses with JOB_INVALID', async () => {
    await expect(loadSpec({ text: 'command: echo {}\ncwd: data\ninputs:\n  list: [a]\n', baseDir: null })).rejects.toMatchObject({
      code: 'JOB_INVALID',
      message: `<pasted>:2:6: cwd: ${relativePastedPathMessage('data')}`,
    });
  });
});
