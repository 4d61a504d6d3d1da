// Flags that override a job-file key go through that key's own validator, so `--jobs 50%`
// and `--timeout 300%` work as in the file and a bad value reads as the file's error would.
import { jobSchema, type ParsedJob } from '../core/job/schema.js';
import { parseDuration } from '../core/job/index.js';
import { UsageError } from './args.js';

type FlagKey = 'concurrency' | 'timeout' | 'retries' | 'retryDelay' | 'delay' | 'halt' | 'memoryLimit' | 'kill' | 'cwd';

/** Flag text as YAML would type it: "4" is the number 4, "50%" and "off" stay text. */
function asScalar(text: string): string | number {
  return /^-?\d+(?:\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

/** The value of a flag that overrides job-file key `key`, checked by that key's validator. */
export function jobKeyFlag<K extends FlagKey>(command: string, flag: string, key: K, text: string): ParsedJob[K] {
  const r = jobSchema.shape[key].safeParse(asScalar(text));
  if (!r.success) throw new UsageError(`corral ${command}: ${flag}: ${r.error.issues[0].message}`);
  return r.data as ParsedJob[K];
}

/** --tick: the sampling interval, 250ms..10s. */
export function tickFlag(command: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    throw new UsageError(`corral ${command}: --tick: ${(err as Error).message}`);
  }
  if (ms < 250 || ms > 10_000) throw new UsageError(`corral ${command}: --tick must be between 250ms and 10s`);
  return ms;
}
