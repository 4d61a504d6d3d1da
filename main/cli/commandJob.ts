// A job from `corral run`'s command line (GNU parallel's form), or a job file with the command
// line's options over its keys. Every option that maps to a job key goes through that key's
// validator (flags.ts), so a bad value reads as the file's error would.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseJobText } from '../core/job/index.js';
import type { JobSpec } from '../core/job/types.js';
import { arraySource, type InputSource } from '../core/inputs/source.js';
import { fileSource } from '../core/inputs/fileSource.js';
import { combinedSource, splitSource } from '../core/inputs/combine.js';
import { describeReadError } from '../core/job/inputs.js';
import type { LoadedSpec } from '../core/pool/jobLoader.js';
import { UsageError } from './args.js';
import { jobKeyFlag } from './flags.js';
import { JOB_FILE, type RunArgs } from './runArgs.js';


/**
 * `corral run FILE` is a job file when it is the only word, ends in .yaml, .yml or .json and no
 * `:::`/`::::`/-a source follows (a missing one is then an error, not a command); else a command.
 */
export function isJobFileArg(a: RunArgs): boolean {
  return a.words.length === 1 && a.sources.length === 0 && JOB_FILE.test(a.words[0]);
}

/** -j: parallel's +N and -N are the cores plus or minus N (at least 1); the rest is `concurrency`. */
function jobsValue(text: string, cores = availableParallelism()): string {
  const m = /^([+-])(\d+)$/.exec(text.trim());
  if (!m) return text;
  return String(Math.max(1, cores + (m[1] === '+' ? 1 : -1) * Number(m[2])));
}

/** The job keys the command line sets, each checked by its validator. */
export function jobOverrides(a: RunArgs): Partial<JobSpec> {
  const out: Partial<JobSpec> = {};
  const v = (flag: string) => a.values.get(flag);
  if (v('--jobs') !== undefined) out.concurrency = jobKeyFlag('run', '--jobs', 'concurrency', jobsValue(v('--jobs')!));
  if (v('--timeout') !== undefined) out.timeout = jobKeyFlag('run', '--timeout', 'timeout', v('--timeout')!);
  if (v('--retries') !== undefined) out.retries = jobKeyFlag('run', '--retries', 'retries', v('--retries')!);
  if (v('--retry-delay') !== undefined) out.retryDelayMs = jobKeyFlag('run', '--retry-delay', 'retryDelay', v('--retry-delay')!);
  if (v('--delay') !== undefined) out.delayMs = jobKeyFlag('run', '--delay', 'delay', v('--delay')!);
  if (v('--halt') !== undefined) out.halt = jobKeyFlag('run', '--halt', 'halt', v('--halt')!);
  if (v('--memory-limit') !== undefined) out.memoryLimit = jobKeyFlag('run', '--memory-limit', 'memoryLimit', v('--memory-limit')!);
  if (v('--termseq') !== undefined) out.kill = jobKeyFlag('run', '--termseq', 'kill', v('--termseq')!);
  if (v('--workdir') !== undefined) {
    const dir = resolve(jobKeyFlag('run', '--workdir', 'cwd', v('--workdir')!) ?? '.');
    if (!existsSync(dir)) throw new UsageError(`corral run: --workdir: no such folder: ${dir}`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`corral run: --workdir: expected a folder, got a file: ${dir}`);
    out.cwd = dir;
  }
  const env = a.repeated.get('--env');
  if (env) {
    out.env = {};
    for (const item of env) {
      const eq = item.indexOf('=');
      const name = eq < 0 ? item : item.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`corral run: --env: expected NAME or NAME=VALUE, got ${JSON.stringify(item)}`);
      // NAME alone is parallel's "send this variable": local tasks inherit it already.
      if (eq >= 0) out.env[name] = item.slice(eq + 1);
    }
  }
  return out;
}

/** The spec a command line describes: the command's words joined by spaces and run by sh, as parallel does. */
export function commandSpec(words: readonly string[], cwd = process.cwd()): JobSpec {
  const name = words[0].trim().split(/\s+/)[0].split('/').pop() || 'command';
  const text = JSON.stringify({ name, command: words.join(' '), inputs: { list: ['-'] } });
  const parsed = parseJobText(text, { file: null, baseDir: cwd });
  if (!parsed.ok) throw new UsageError(`corral run: ${parsed.issues[0].message}`);
  return parsed.spec;
}

function openFile(path: string, separator: 10 | 0): InputSource {
  try {
    return fileSource(path, separator);
  } catch (err) {
    throw new UsageError(`corral run: cannot read arguments file ${path}: ${describeReadError(err)}`);
  }
}

/** The command line's sources as one: every combination, or the i-th of each with --link; --colsep splits each. */
export async function commandInputs(a: RunArgs, stdin: StdinInputs): Promise<InputSource> {
  const separator = a.switches.has('--null') ? 0 : 10;
  const opened: InputSource[] = [];
  try {
    for (const s of a.sources) {
      if (s.kind === 'args') opened.push(arraySource('list', s.values));
      else opened.push(s.path === '-' ? await stdin(separator, false) : openFile(s.path, separator));
    }
    // stdin alone is streamed: its tasks start as its lines arrive (combined, all of it is needed first).
    if (opened.length === 0) opened.push(await stdin(separator, true));
  } catch (err) {
    for (const s of opened) s.close();
    throw err;
  }
  const colsep = a.values.get('--colsep');
  let regex: RegExp | null = null;
  if (colsep !== undefined) {
    try {
      regex = new RegExp(colsep);
    } catch (err) {
      throw new UsageError(`corral run: --colsep: not a regular expression: ${(err as Error).message}`);
    }
  }
  const sources = regex ? opened.map((s) => splitSource(s, regex)) : opened;
  return combinedSource(sources, a.switches.has('--link'));
}

/** A command-line job, ready for the supervisor. */
/** Inputs from stdin: `streamed` when the job can start before stdin ends, else read to its end first. */
export type StdinInputs = (separator: 10 | 0, streamed: boolean) => Promise<InputSource>;

export async function commandLineJob(a: RunArgs, stdin: StdinInputs): Promise<LoadedSpec> {
  const spec = { ...commandSpec(a.words), ...jobOverrides(a) };
  return { spec, inputs: await commandInputs(a, stdin), text: null };
}

/** A random dispatch order (--shuf): a permutation of the seqs, 4 bytes per input. */
export function shuffledOrder(n: number, random = Math.random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i + 1;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
