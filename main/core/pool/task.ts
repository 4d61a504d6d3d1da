import type { StopProgress, TaskInfo, TaskState } from '../../contract/types.js';
import { OutputBuffer } from '../run/outputBuffer.js';
import type { TaskProcess } from './treeCheck.js';

/** What the supervisor holds for one running attempt. */
export interface LiveAttempt {
  n: number;
  kind: 'command' | 'module';
  slot: number;
  startedAt: number;
  pid: number | null;
  pgid: number | null;
  /** Set when a stop was requested: decides the outcome whatever the exit code */
  stopReason: StopProgress['reason'] | null;
  /** Why the supervisor stopped it, in words ("memory limit exceeded: …"); the task's error */
  stopMessage: string | null;
  stopAbort: AbortController | null;
  timeoutTimer: NodeJS.Timeout | null;
  /** ms left on the timeout while paused */
  timeoutLeftMs: number | null;
  paused: boolean;
  pausedAt: number | null;
  pausedMs: number;
  /** Module tasks: ask the host to abort ctx.signal */
  abortModule: ((reason: string) => void) | null;
  /** Tree CPU seconds that predate this attempt (a reused module host's earlier tasks) */
  cpuBaselineS: number;
  /** The attempt's main process (or the module call) has ended */
  ended: boolean;
  /** When the main process was seen (or found) to have exited; see noteMainExit */
  exitedAt: number | null;
  /** The stop in force when the main process exited: the one that ended it, if any */
  stopBeforeExit: StopProgress['reason'] | null;
  /** Bytes the task wrote to stdout this attempt (the joblog's Receive) */
  receive: number;
  /** Resolves when a stop's kill sequence has verified the tree gone */
  stopDone: Promise<void> | null;
  /** Pending while the spawn helper forks the process: a stop meanwhile waits for the pid */
  starting?: Promise<unknown>;
}

export class TaskRecord {
  readonly info: TaskInfo;
  readonly output = new OutputBuffer();
  live: LiveAttempt | null = null;
  /** A retry is waiting for its delay */
  retryTimer: NodeJS.Timeout | null = null;
  /** The tree's processes with start times (last tick's view + pinned ones): what the kill path may signal */
  treeProcs: TaskProcess[] = [];

  constructor(seq: number, input: string, command: string) {
    this.info = { seq, input, command, state: 'queued', slot: null, attempt: 0, pid: null, pids: [], memoryScope: 'tree', ...attemptFields(null) };
  }

  get seq(): number {
    return this.info.seq;
  }

  get state(): TaskState {
    return this.info.state;
  }
}

/** What every attempt starts from (and a never-started task shows). */
export function attemptFields(startedAt: number | null) {
  return {
    outcome: null,
    startedAt,
    endedAt: null,
    exitCode: null,
    signal: null,
    error: null,
    cpuPercent: null,
    rss: null,
    peakRss: null,
    cpuSeconds: null,
    rssAtStart: null,
    runtimeMs: 0,
    progress: null,
    stuck: null,
    stopping: null,
    lastActivityAt: startedAt,
  } satisfies Partial<TaskInfo>;
}

export const ENDED_STATES: ReadonlySet<TaskState> = new Set(['done', 'failed', 'killed', 'timeout', 'memory-killed', 'interrupted', 'skipped']);
