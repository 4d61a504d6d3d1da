import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { JobFileIssue } from '../../contract/types.js';
import { parseDocument, LineCounter } from 'yaml';
import { parseJobText, loadJobFile, openInputs, expandCommand, PASTED_FILE } from '../job/index.js';
import { inputLiteral } from '../job/bytes.js';
import type { InputSource } from '../inputs/source.js';
import { Locator, makeIssue } from '../job/locate.js';
import type { Concurrency, JobSpec } from '../job/types.js';
import { CorralFailure } from '../errors.js';
import type { CommandLaunch } from '../run/commandRunner.js';
import { MARKER_ENV } from '../reap/protocol.js';

export interface LoadSource {
  text?: string;
  path?: string;
  /** Folder relative paths in pasted text resolve against (default: the working folder); null: refuse them */
  baseDir?: string | null;
}

export interface LoadedSpec {
  spec: JobSpec;
  /** Lazy: an input is read when its task is dispatched or shown; close() it when the job is replaced */
  inputs: InputSource;
  text: string | null;
}

/** Parses and validates a job, then expands its inputs; every problem is a JOB_INVALID failure. */
export async function loadSpec(src: LoadSource): Promise<LoadedSpec> {
  const parsed =
    src.path !== undefined
      ? await loadJobFile(src.path)
      : parseJobText(src.text ?? '', { file: null, baseDir: src.baseDir === undefined ? process.cwd() : src.baseDir });
  if (!parsed.ok) throw invalid(parsed.issues);
  let text: string | null = src.text ?? null;
  if (text === null && src.path !== undefined) {
    const { readFile } = await import('node:fs/promises');
    text = await readFile(src.path, 'utf8').catch(() => null);
  }
  let inputs: InputSource;
  try {
    inputs = await openInputs(parsed.spec);
  } catch (err) {
    throw invalid([inputsIssue(text, parsed.spec, (err as Error).message)]);
  }
  return { spec: parsed.spec, inputs, text };
}

/** A missing inputs file or an empty glob, located at the inputs source in the job text. */
function inputsIssue(text: string | null, spec: JobSpec, message: string): JobFileIssue {
  const file = spec.file ?? PASTED_FILE;
  const path = ['inputs', spec.inputs.kind];
  if (text === null) return makeIssue(file, 0, 0, path, message);
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: false });
  return new Locator(doc, lines, file).issue(path, message);
}

function invalid(issues: JobFileIssue[]): CorralFailure {
  const first = issues[0]?.text ?? 'invalid job file';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new CorralFailure('JOB_INVALID', first + more, issues);
}

/** auto = available cores; N; N% of the cores (at least 1). */
export function poolSizeFor(c: Concurrency, cores = availableParallelism()): number {
  if (c.kind === 'count') return c.n;
  if (c.kind === 'percent') return Math.max(1, Math.floor((cores * c.percent) / 100));
  return cores;
}

/**
 * The environment every task of a job gets, command or module: the supervisor's (or the login
 * shell's), the job's `env:` over it, and the supervisor's marker last (the reaper finds tasks by it).
 */
export function taskEnv(baseEnv: NodeJS.ProcessEnv, spec: JobSpec, marker?: string): NodeJS.ProcessEnv {
  return marker ? { ...baseEnv, ...spec.env, [MARKER_ENV]: marker } : { ...baseEnv, ...spec.env };
}

export function commandExpander(spec: JobSpec, env: NodeJS.ProcessEnv): (input: string, seq: number, slot: number) => CommandLaunch {
  return (input, seq, slot) => {
    const e = expandCommand(spec.command, { input, seq, slot });
    return { file: e.file, args: e.args, cwd: spec.cwd, env, windowsVerbatimArguments: e.windowsVerbatimArguments };
  };
}

export function displayCommand(spec: JobSpec): (input: string, seq: number, slot?: number) => string {
  if (spec.python) {
    const fn = spec.python.target.split(/[\\/]/).pop();
    return (input) => `${fn}(${inputLiteral(input)})`;
  }
  if (spec.module) {
    const name = spec.module.split(/[\\/]/).pop();
    return (input) => `${name}(${inputLiteral(input)})`;
  }
  // {%} is known at dispatch (the run renders the command again then); before, it shows as slot 1.
  // An input no command can carry (a NUL byte) still gets a row: its attempt fails with expandCommand's message.
  return (input, seq, slot = 1) => {
    try {
      return expandCommand(spec.command, { input, seq, slot }).display;
    } catch {
      return `${inputLiteral(input)} (cannot be expanded)`;
    }
  };
}

/** Default joblog of a run: <stateDir>/joblogs/<job name>/<start time>.tsv */
export function defaultJoblogPath(stateDir: string, spec: JobSpec, now = new Date()): string {
  const safe = spec.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'job';
  return join(stateDir, 'joblogs', safe, `${now.toISOString().replace(/[:.]/g, '-')}.tsv`);
}
