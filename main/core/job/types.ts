import type { Ordering, StuckAction } from '../../contract/types.js';
import type { PythonSpec } from './python.js';

/** A duration or a percentage of the median of finished tasks ("300%"). */
export type RelativeDuration = { ms: number } | { percentOfMedian: number };

export type Concurrency = { kind: 'auto' } | { kind: 'count'; n: number } | { kind: 'percent'; percent: number };

export interface HaltRule {
  when: 'never' | 'soon' | 'now';
  /** Only when when !== 'never' */
  on?: 'fail' | 'success' | 'done';
  /** Threshold: an absolute count, or a percentage of all tasks */
  count?: number;
  percent?: number;
}

export interface KillStep {
  /** A signal name without SIG ("TERM", "KILL", "INT", "HUP", "USR1" …) */
  signal: string;
  /** Wait after sending this signal before the next step (ms); 0 for the last step */
  waitMs: number;
}

export interface StuckConfig {
  cpuIdleMs: number | null; // null = rule off
  silentMs: number | null;
  overduePercent: number | null; // e.g. 300 = 3× median
  blockedMs: number | null;
  action: StuckAction;
}

export type InputsSpec =
  | { kind: 'list'; list: string[] }
  | { kind: 'range'; from: number; to: number; step: number }
  | { kind: 'file'; file: string } // resolved absolute path
  | { kind: 'glob'; pattern: string };

/** A validated job file, with relative paths resolved against the job file's folder. */
export interface JobSpec {
  name: string;
  /** Absolute path of the job file, or null for pasted text / the demo given as text */
  file: string | null;
  /** Folder relative paths resolve against */
  baseDir: string;
  /** Exactly one of command/module/python */
  command: { kind: 'shell'; template: string } | { kind: 'argv'; template: string[] } | null;
  module: string | null; // absolute path
  /** Python function tasks: run in a reused Python host per slot, like module tasks */
  python: PythonSpec | null;
  inputs: InputsSpec;
  concurrency: Concurrency;
  timeout: RelativeDuration | null;
  retries: number;
  retryDelayMs: number;
  /** GNU parallel's --delay: a task starts at least this long after the previous start */
  delayMs: number;
  halt: HaltRule;
  memoryLimit: number | null; // bytes
  kill: KillStep[];
  stuck: StuckConfig;
  env: Record<string, string>;
  cwd: string; // absolute
  order: Ordering;
  maxTasksPerWorker: number | null;
  /** Module and Python jobs: inputs sent to a host at a time (default 1; each is still its own task) */
  chunksize: number;
  /** Module jobs: largest serialised result a task may return (bytes) */
  maxResultSize: number;
  /** Processes a command task leaves outside its group (setsid daemons): ended with it, or kept and reported */
  daemons: 'kill' | 'keep';
}

/** Tasks run inside a reused host per slot (a Node module or a Python function), not as their own process. */
export function hostedJob(spec: Pick<JobSpec, 'module' | 'python'>): boolean {
  return spec.module !== null || spec.python !== null;
}
