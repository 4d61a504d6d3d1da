// The data that crosses between the supervisor and any UI. Plain data only:
// everything here must survive structuredClone and JSON.
import type { HostInfo } from './hosts.js';

export type TaskState =
  | 'queued'
  | 'running'
  | 'suspect'
  | 'stuck'
  | 'stopping'
  | 'paused'
  | 'done'
  | 'failed'
  | 'killed'
  | 'timeout'
  | 'memory-killed'
  | 'interrupted'
  | 'skipped';

/**
 * How a finished attempt ended; the joblog's Outcome column. `killed`: the user killed this task;
 * `interrupted`: a job stop, halt or quit ended it. Neither is final: `--resume` runs both again.
 */
export type Outcome = 'ok' | 'failed' | 'timeout' | 'killed' | 'stuck-killed' | 'memory-killed' | 'interrupted' | 'skipped';

export type JobState =
  | 'empty' // nothing loaded
  | 'ready' // loaded, not started
  | 'running'
  | 'paused' // dispatch paused, running tasks go on
  | 'draining' // no new tasks, running ones finish
  | 'stopping' // kill sequence on running tasks
  | 'finished' // every task ended
  | 'halted' // stopped by the halt rule
  | 'stopped'; // stopped by the user

export type StopMode = 'drain' | 'graceful' | 'force';
export type KillMode = 'graceful' | 'force';
export type StuckRule = 'cpuIdle' | 'silent' | 'overdue' | 'blocked';
export type StuckAction = 'warn' | 'kill' | 'retry';
export type Ordering = 'input' | 'longest-first';

export interface CorralError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type ErrorCode =
  | 'INVALID_ARGUMENT' // payload failed validation
  | 'JOB_INVALID' // job file failed to parse/validate; details: JobFileIssue[]
  | 'JOB_NOT_LOADED'
  | 'JOB_RUNNING' // e.g. loadJob while a job runs
  | 'NOT_FOUND' // unknown task id, slot, file
  | 'BAD_STATE' // e.g. resume a task that is not paused
  | 'UNSUPPORTED' // not possible on this platform
  | 'FORBIDDEN' // sender/origin/token refused
  | 'INTERNAL';

/** One located problem in a job file. */
export interface JobFileIssue {
  file: string; // path, or '<pasted>'
  line: number; // 1-based, 0 when unknown
  column: number; // 1-based, 0 when unknown
  path: string; // key path, e.g. "stuck.cpuIdle" or "inputs.list[2]"
  message: string; // "expected …, got …"
  /** file:line:column: path: message */
  text: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CorralError };

export interface StuckEvidence {
  state: 'suspect' | 'stuck';
  rules: StuckRule[]; // rules firing now
  since: number; // epoch ms when the first firing rule began
  /** One clause per firing rule: "CPU 0.0 s in 60 s", "no output for 143 s", "4.1× median", "pid 812 in D state for 60 s" */
  reasons: string[];
  /** The whole evidence in words, clauses joined by "; " */
  summary: string;
}

export interface StopProgress {
  mode: KillMode;
  /** Current step (signal just sent), e.g. "TERM" */
  step: string;
  /** Next step, e.g. "KILL", or null when the last step was sent */
  next: string | null;
  /** Epoch ms when the next step fires, or null */
  nextAt: number | null;
  startedAt: number;
  reason: 'user' | 'timeout' | 'stuck' | 'memory' | 'halt' | 'job-stop' | 'quit';
}

export interface TaskProgress {
  fraction: number; // 0..1
  message?: string;
  at: number;
}

export interface TaskInfo {
  seq: number; // sequence number ({#}), 1-based, also the task id
  input: string;
  command: string; // expanded command line as shown to users (module tasks: "module(input)")
  state: TaskState;
  outcome: Outcome | null;
  slot: number | null; // 1-based ({%}) while running, last slot when ended
  attempt: number; // 1-based; 0 while never started
  pid: number | null;
  pids: number[]; // live pids of the tree at the last sample
  startedAt: number | null; // epoch ms of the current/last attempt
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  error: string | null; // short, human: "program not found: xz", "host exited with code 3"
  // The numbers below are null until measured (a task too short to be sampled): unknown, not zero.
  cpuPercent: number | null; // % of one core, last tick (may exceed 100)
  rss: number | null; // bytes, whole tree (module tasks: the host's), last tick
  peakRss: number | null; // bytes, whole tree (module tasks: the host's), this attempt
  cpuSeconds: number | null; // whole tree, this attempt
  /** 'tree': the task's own process tree; 'host': a reused module host, shared with earlier tasks */
  memoryScope: 'tree' | 'host';
  /** Module tasks: the host's RSS when this attempt began (growth = peakRss - rssAtStart); else null */
  rssAtStart: number | null;
  runtimeMs: number;
  progress: TaskProgress | null;
  stuck: StuckEvidence | null;
  stopping: StopProgress | null;
  lastActivityAt: number | null; // last output byte, progress or heartbeat
  /** A broker run: the agent running (or that ran) this attempt; absent for local runs */
  host?: string;
}

/**
 * Every task is in exactly one of queued, running, done, failed, killed, interrupted, skipped
 * (they add up to total); suspect and stuck are subsets of running. running == busy slots.
 */
export interface JobCounts {
  total: number;
  queued: number; // not started yet, or waiting for a retry; "not run" once the job is over
  running: number; // holds a slot: running, paused, stopping, suspect, stuck
  suspect: number; // running, one stuck rule fires: a hint
  stuck: number; // running, judged stuck: a verdict
  done: number; // outcome ok
  failed: number; // failed, timeout, memory-killed, stuck-killed: the task's own failure
  killed: number; // killed by the user
  interrupted: number; // ended by a job stop, halt or quit; --resume runs them again
  skipped: number; // done in an earlier run (--resume)
}

export interface JobInfo {
  name: string;
  file: string | null;
  state: JobState;
  kind: 'command' | 'module';
  ordering: Ordering;
  poolSize: number;
  dispatchPaused: boolean;
  counts: JobCounts;
  startedAt: number | null;
  endedAt: number | null;
  tasksPerSecond: number; // over the last minute
  etaMs: number | null;
  haltReason: string | null;
  joblog: string | null;
  /** Ended attempts by outcome, retries included (what corral serve --metrics counts) */
  attempts?: Partial<Record<Outcome, number>>;
}

export interface SlotSample {
  slot: number; // 1-based
  taskSeq: number | null;
  cpuPercent: number; // % of one core, tree
  rss: number;
  procs: number;
}

export interface PoolSample {
  time: number;
  cpuPercent: number; // sum over slots, % of one core
  machinePercent: number; // cpuPercent / cores
  rss: number;
  procs: number;
  queued: number;
  running: number;
}

export interface MachineSample {
  cores: number;
  perCore: number[]; // % busy per core
  loadAvg: [number, number, number];
  freeMem: number; // available to programs (Linux: MemAvailable)
  totalMem: number;
  /** Swap in bytes; null where it is not sampled (not Linux), absent from older supervisors. */
  swap?: { total: number; used: number } | null;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  name: string;
  state: string; // R S D T Z …
  cpuPercent: number;
  rss: number;
}

export interface Settings {
  tickMs: number; // 250..10000
}

export interface Leftover {
  pid: number;
  pgid: number;
  startTime: string;
  job: string;
  seq: number;
  command: string;
  alive: boolean;
}

export interface Notice {
  level: 'info' | 'warn' | 'error';
  kind: 'job-finished' | 'task-stuck' | 'task-failed' | 'error' | 'leftovers' | 'info';
  message: string;
  taskSeq?: number;
  time: number;
}

/** One per sampling interval; carries everything that changed since the previous tick. */
export interface Tick {
  n: number; // tick counter, consecutive
  time: number; // epoch ms
  intervalMs: number;
  job: JobInfo | null;
  /** Tasks whose record changed since the previous tick (whole records). */
  tasks: TaskInfo[];
  slots: SlotSample[];
  pool: PoolSample;
  machine: MachineSample;
  /** A broker run's agents, every tick (absent for local runs) */
  hosts?: HostInfo[];
}

export interface SeriesPoint {
  t: number;
  cpu: number; // % of one core
  rss: number;
  procs: number;
}

export interface Snapshot {
  tick: number;
  time: number;
  job: JobInfo | null;
  settings: Settings;
  /**
   * Not every task: the live ones (holding a slot or waiting for a retry) and the first page in
   * seq order (SNAPSHOT_PAGE rows). The rest come from getTasks, page by page; job.counts.total
   * says how many there are.
   */
  tasks: TaskInfo[];
  slots: SlotSample[];
  pool: PoolSample[]; // history, oldest first
  slotHistory: Record<number, SeriesPoint[]>;
  machine: MachineSample;
  leftovers: Leftover[];
  jobText: string | null; // the loaded job file text, for the editor
  /** The latest notices (at most 500), oldest first: the event log of a page that opens late. */
  notices?: Notice[];
  /** A broker run's agents (absent for local runs) */
  hosts?: HostInfo[];
}

export interface TaskOutput {
  seq: number;
  /** Offset of text[0] in the task's whole output stream (older bytes dropped). */
  offset: number;
  /** Total bytes the task has written so far (stdout+stderr interleaved). */
  total: number;
  text: string;
  truncated: boolean;
  /** Offset just after the last byte returned (text.length in bytes can differ: bytes that are not UTF-8). */
  end?: number;
  /** [from, to) indexes into `text` of what the task wrote to stderr, ascending; absent from older supervisors. */
  stderr?: [number, number][];
}

export interface TaskDetail {
  task: TaskInfo;
  tree: ProcessInfo[];
  history: SeriesPoint[];
}

export interface LoadJobArgs {
  /** Job file text (YAML or JSON) */
  text?: string;
  /** Path of a job file */
  path?: string;
  /** Load the embedded demo (true), or the Python one ('python') */
  demo?: boolean | 'python';
}

export interface LoadedJob {
  job: JobInfo;
}

/** Which tasks a page holds: one state, the live ones, the ended ones, or all. */
export type TaskFilter = TaskState | 'all' | 'active' | 'ended';
/** The table's sortable columns; `rss` of an ended task is its peak. */
export type TaskSortKey = 'seq' | 'input' | 'state' | 'slot' | 'pids' | 'cpuPercent' | 'rss' | 'cpuSeconds' | 'runtimeMs' | 'attempt';

/** getTasks: rows [offset, offset + limit) of the tasks matching `filter`, sorted by `sort`. */
export interface TaskQuery {
  offset: number;
  limit: number;
  sort?: TaskSortKey; // default seq
  desc?: boolean;
  filter?: TaskFilter; // default all
}

export interface TaskPage {
  /** Tasks matching the filter (the table's row count) */
  total: number;
  offset: number;
  tasks: TaskInfo[];
}

/** Rows of the first page a snapshot carries, and the most one getTasks call returns. */
export const SNAPSHOT_PAGE = 200;
export const MAX_TASK_PAGE = 2000;

/** Text search over the tasks' inputs or their output (case-insensitive; output as far as it is kept). */
export interface TaskSearch {
  text: string;
  in: 'input' | 'output';
  /** At most this many matches (default 200). */
  limit?: number;
}

export interface TaskSearchResult {
  /** Matching tasks in seq order. */
  tasks: TaskInfo[];
  /** More tasks match than were returned. */
  more: boolean;
}
