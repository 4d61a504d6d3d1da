// Turning a job's `inputs` into a lazy InputSource (main/core/inputs): no string per input.
import { globPaths } from './glob.js';
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
