import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobInputError, MAX_INPUTS, describeReadError, expandInputs, globPaths, splitInputLines } from '../../../../main/core/job/inputs.js';
import { parseJobText } from '../../../../main/core/job/parse.js';
import type { JobSpec } from '../../../../main/core/job/types.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'corral-inputs-'));
  for (const d of ['a/b', '.hid', 'c', 'sub dir']) await mkdir(join(dir, d), { recursive: true });
  for (const f of ['x.log', '.dot.log', 'a/y.log', 'a/b/z.log', '.hid/h.log', 'c/w.txt', 'sub dir/s p.log', 'x2.log', 'x10.log']) {
    await writeFile(join(dir, f), f);
  }
  await symlink('../a', join(dir, 'c/link'));
  await writeFile(join(dir, 'crlf.txt'), '\uFEFFone\r\ntwo\n\n\r\nthree four \nlast');
  await writeFile(join(dir, 'blank.txt'), '\n\r\n\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function spec(inputsYaml: string): JobSpec {
  const r = parseJobText(`command: echo {}\ninputs:\n  ${inputsYaml}\n`, { file: null, baseDir: dir });
  if (!r.ok) throw new Error(r.issues.map((i) => i.text).join('\n'));
  return r.spec;
}

async function inputError(s: JobSpec): Promise<string> {
  const err = await expandInputs(s).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(JobInputError);
  return (err as Error).message;
}

describe('expandInputs', () => {
  it('list: strings and numbers, as strings', async () => {
    expect(await expandInputs(spec('list: [a, "b c", 3, 2.5, ""]'))).toEqual(['a', 'b c', '3', '2.5', '']);
  });

  it('range: up, down, with steps that do not land on `to`', async () => {
    expect(await expandInputs(spec('range: { from: 1, to: 5 }'))).toEqual(['1', '2', '3', '4', '5']);
    expect(await expandInputs(spec('range: { from: 0, to: 10, step: 4 }'))).toEqual(['0', '4', '8']);
    expect(await expandInputs(spec('range: { from: 3, to: -3, step: -3 }'))).toEqual(['3', '0', '-3']);
    expect(await expandInputs(spec('range: { from: 5, to: 3 }'))).toEqual(['5', '4', '3']);
    expect(await expandInputs(spec('range: { from: 7, to: 7 }'))).toEqual(['7']);
  });

  it('file: one input per line, \\r\\n accepted, empty lines skipped, BOM dropped', async () => {
    expect(await expandInputs(spec('file: crlf.txt'))).toEqual(['one', 'two', 'three four ', 'last']);
    expect(splitInputLines('a\r\n\r\nb\r\n')).toEqual(['a', 'b']);
  });

  it('file: a missing file, a folder, an empty file', async () => {
    expect(await inputError(spec('file: nope.txt'))).toBe(`cannot read inputs file ${join(dir, 'nope.txt')}: no such file`);
    expect(await inputError(spec('file: c'))).toBe(`cannot read inputs file ${join(dir, 'c')}: it is a folder`);
    expect(await inputError(spec('file: blank.txt'))).toBe(`inputs file ${join(dir, 'blank.txt')} has no inputs (every line is empty)`);
    // One line past the documented maximum (a range is refused at validation; a file when indexed).
    const own = await mkdtemp(join(tmpdir(), 'corral-huge-')); // not in `dir`: the glob cases list it
    const huge = join(own, 'huge.txt');
    await writeFile(huge, Buffer.alloc(2 * (MAX_INPUTS + 1), '1\n'));
    expect(await inputError(spec(`file: ${huge}`))).toBe(`inputs file ${huge} has 10000001 inputs; at most 10000000 are allowed`);
    await rm(own, { recursive: true, force: true });
  });

  it('names read errors in words (permission denied cannot be produced as root, so the errno is injected)', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(['ENOENT', 'EISDIR', 'EACCES', 'EPERM', 'EIO'].map((c) => describeReadError(errno(c)))).toEqual([
      'no such file', 'it is a folder', 'permission denied', 'permission denied', 'EIO: raw',
    ]);
  });

  it('glob: sorted paths relative to the job folder', async () => {
    expect(await expandInputs(spec('glob: "**/*.log"'))).toEqual(['a/b/z.log', 'a/y.log', 'sub dir/s p.log', 'x.log', 'x10.log', 'x2.log']);
  });

  it('glob: no match is an error that names the pattern and the folder', async () => {
    expect(await inputError(spec('glob: "*.nothing"'))).toBe(`glob "*.nothing" matched nothing in ${dir}`);
  });
});

// The job-file semantics of globs, on Node's fs.promises.glob.
const patterns: [string, string[]][] = [
  ['**/*.log', ['a/b/z.log', 'a/y.log', 'sub dir/s p.log', 'x.log', 'x10.log', 'x2.log']],
  ['*', ['a', 'blank.txt', 'c', 'crlf.txt', 'sub dir', 'x.log', 'x10.log', 'x2.log']],
  ['a/**', ['a', 'a/b', 'a/b/z.log', 'a/y.log']],
  ['c/**', ['c', 'c/link', 'c/w.txt']],
  ['{a,c}/*', ['a/b', 'a/y.log', 'c/link', 'c/w.txt']],
  ['**/*.{log,txt}', ['a/b/z.log', 'a/y.log', 'blank.txt', 'c/w.txt', 'crlf.txt', 'sub dir/s p.log', 'x.log', 'x10.log', 'x2.log']],
  ['a/**/z.log', ['a/b/z.log']],
  ['x?.log', ['x2.log']],
  ['x[0-9]*.log', ['x10.log', 'x2.log']],
  ['x[!0-9].log', []],
  ['.*', ['.dot.log', '.hid']],
  ['.hid/*', ['.hid/h.log']],
  ['c/link/*.log', ['c/link/y.log']],
  ['./a/*.log', ['a/y.log']],
  ['x.log', ['x.log']],
  ['nope.log', []],
  ['**/', ['a', 'a/b', 'c', 'sub dir']],
  ['sub dir/*', ['sub dir/s p.log']],
];

describe('globPaths', () => {
  it.each(patterns)('%s', async (pattern, expected) => {
    expect(await globPaths(pattern, dir)).toEqual(expected);
  });

  it('keeps a ../ or absolute head as written', async () => {
    const base = join(dir, 'a');
    expect(await globPaths('../c/*.txt', base)).toEqual(['../c/w.txt']);
    expect(await globPaths(`${dir}/a/*.log`, '/')).toEqual([`${dir}/a/y.log`]);
  });

  it('a name that is not UTF-8 is refused with its mangled form, a real U+FFFD in a name is fine', async () => {
    const odd = await mkdtemp(join(tmpdir(), 'corral-bytes-'));
    try {
      await writeFile(join(odd, '\uFFFDreal.log'), '');
      expect(await expandInputs({ ...spec('glob: "*.log"'), baseDir: odd })).toEqual(['\uFFFDreal.log']);
      await writeFile(Buffer.concat([Buffer.from(`${odd}/`), Buffer.from([0xff]), Buffer.from('bad.log')]), '');
      expect(await inputError({ ...spec('glob: "*.log"'), baseDir: odd })).toBe(
        'glob "*.log" matched a file name that is not UTF-8 ("\uFFFDbad.log"); Corral passes inputs as text, so rename it',
      );
    } finally {
      await rm(odd, { recursive: true, force: true });
    }
  });

  it('brace sets nest', async () => {
    expect(await globPaths('{x,a/{b,y}}.log', dir)).toEqual(['a/y.log', 'x.log']);
  });
});
