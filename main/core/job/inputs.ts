// Turning a job's `inputs` into a lazy InputSource (main/core/inputs): no string per input.
import { glob, lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { JobSpec } from './types.js';
import { arraySource, rangeCount, rangeSource, sourceToArray, type InputSource } from '../inputs/source.js';
import { fileSource } from '../inputs/fileSource.js';

export { rangeCount };

/** Inputs that cannot be produced (missing inputs file, glob without matches). Message is for users. */
export class JobInputError extends Error {
  override name = 'JobInputError';
}

/** The most tasks one job may have; a range past this is refused at validation time. */
export const MAX_INPUTS = 10_000_000;

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}

/** Lines of an inputs text: "\n" or "\r\n", empty lines skipped, a leading BOM dropped. */
export function splitInputLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line !== '');
}

/**
 * Paths matching `pattern` under `baseDir`, sorted, as written ("../x", "/abs/x" stay so).
 * Node's glob (stable since 22.17): `**`, `*`, `?`, `[abc]`, `{a,b}`; dotfiles only when the
 * pattern names them; `**` does not descend into symlinked folders. "." is never an input.
 */
export async function globPaths(pattern: string, baseDir: string): Promise<string[]> {
  const found = new Set<string>();
  for await (const path of glob(pattern, { cwd: baseDir })) found.add(path);
  found.delete('.');
  found.delete('');
  return [...found].sort();
}

/**
 * Names that are not UTF-8 come back from glob with U+FFFD in place of their bytes: no task could
 * open them, so the job is refused at load rather than every such task failing on a wrong path.
 */
async function refuseMangledNames(pattern: string, baseDir: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    if (!path.includes('\uFFFD')) continue;
    const exists = await lstat(resolve(baseDir, path)).then(() => true, () => false);
    if (!exists) throw new JobInputError(`glob "${pattern}" matched a file name that is not UTF-8 (${JSON.stringify(path)}); Corral passes inputs as text, so rename it`);
  }
}

/** The job's inputs as a lazy source, in input order. Throws JobInputError with a message for the user. */
export async function openInputs(spec: JobSpec): Promise<InputSource> {
  const inputs = spec.inputs;
  switch (inputs.kind) {
    case 'list':
      return arraySource('list', inputs.list);
    case 'range':
      return rangeSource(inputs.from, inputs.to, inputs.step);
    case 'file': {
      let src: InputSource;
      try {
        src = fileSource(inputs.file);
      } catch (err) {
        throw new JobInputError(`cannot read inputs file ${inputs.file}: ${readError(err)}`);
      }
      if (src.length === 0 || src.length > MAX_INPUTS) src.close();
      if (src.length === 0) throw new JobInputError(`inputs file ${inputs.file} has no inputs (every line is empty)`);
      if (src.length > MAX_INPUTS) throw new JobInputError(`inputs file ${inputs.file} has ${src.length} inputs; at most ${MAX_INPUTS} are allowed`);
      return src;
    }
    case 'glob': {
      const paths = await globPaths(inputs.pattern, spec.baseDir);
      if (paths.length === 0) throw new JobInputError(`glob "${inputs.pattern}" matched nothing in ${spec.baseDir}`);
      await refuseMangledNames(inputs.pattern, spec.baseDir, paths);
      return arraySource('glob', paths);
    }
  }
}

/** Every task input of the job as strings (small jobs, tests); the supervisor uses openInputs. */
export async function expandInputs(spec: JobSpec): Promise<string[]> {
  const src = await openInputs(spec);
  try {
    return sourceToArray(src);
  } finally {
    src.close();
  }
}

export { readError as describeReadError };
