import { z } from 'zod';
import type {
  LoadJobArgs,
  LoadedJob,
  Notice,
  Settings,
  Snapshot,
  StopMode,
  KillMode,
  TaskDetail,
  TaskOutput,
  Tick,
  Leftover,
  TaskQuery,
  TaskPage,
  TaskSearch,
  TaskSearchResult,
} from './types.js';
import { MAX_TASK_PAGE } from './types.js';
import type { LiveJobSummary, LiveJobs, RunQuery, RunSummary, RunTaskPage, SupervisorEntry } from './runs.js';
import type { StreamQuery, StreamSlice } from './stream.js';

// The one API between the supervisor and any UI. Every method is async and
// resolves to a Result (never rejects across a transport).

/** Method name → [argument, return value]. The single source for every transport. */
export interface CorralMethods {
  loadJob: [LoadJobArgs, LoadedJob];
  startJob: [Record<string, never> | undefined, null];
  pauseDispatch: [Record<string, never> | undefined, null];
  resumeDispatch: [Record<string, never> | undefined, null];
  stopJob: [{ mode: StopMode }, null];
  killTask: [{ seq: number; mode: KillMode }, null];
  killSlot: [{ slot: number; mode: KillMode }, null];
  pauseTask: [{ seq: number }, null];
  resumeTask: [{ seq: number }, null];
  retryTask: [{ seq: number }, null];
  resizePool: [{ size: number }, null];
  setSettings: [Partial<Settings>, Settings];
  getSnapshot: [Record<string, never> | undefined, Snapshot];
  getTaskOutput: [{ seq: number; offset?: number; length?: number }, TaskOutput];
  getTaskDetail: [{ seq: number }, TaskDetail];
  getTasks: [TaskQuery, TaskPage];
  exportJoblog: [Record<string, never> | undefined, { text: string; path: string | null }];
  listLeftovers: [Record<string, never> | undefined, Leftover[]];
  killLeftovers: [Record<string, never> | undefined, { killed: number }];
  /** Runs in the state directory's joblogs, newest first */
  listRuns: [Record<string, never> | undefined, RunSummary[]];
  /** One page of an earlier run's joblog rows, streamed from the file */
  getRunTasks: [RunQuery, RunTaskPage];
  /** Removes runs older than maxAgeDays or beyond the newest maxRuns (defaults: the supervisor's) */
  pruneRuns: [{ maxAgeDays?: number; maxRuns?: number } | undefined, { removed: string[] }];
  /** Loads the run's job file again and starts it, skipping what the run's joblog has as done */
  resumeRun: [{ runId: string; mode: 'resume' | 'resume-failed' }, LoadedJob];
  /** Live supervisors on this machine (their control sockets); stale sockets are removed */
  listSupervisors: [Record<string, never> | undefined, SupervisorEntry[]];
  /** Watch and steer another supervisor: every other call and event goes to it until detach */
  attachSupervisor: [{ pid: number }, SupervisorEntry];
  detachSupervisor: [Record<string, never> | undefined, null];
  searchTasks: [TaskSearch, TaskSearchResult];
  startRemaining: [Record<string, never> | undefined, null];
  /** The task stream of [from, to]: ended attempts as bars, or per-lane blocks where thinner than a pixel */
  getStream: [StreamQuery, StreamSlice];
  /** The live jobs of this process (not of an attached supervisor), with the machine's total */
  listJobs: [Record<string, never> | undefined, LiveJobs];
  /** A fresh supervisor with its own pool, selected; the others keep running */
  newJob: [Record<string, never> | undefined, LiveJobSummary];
  /** Every other call and event goes to this job (and away from an attached supervisor) */
  selectJob: [{ jobId: string }, LiveJobSummary];
  /** Removes a job that has nothing running; the last one is replaced by a fresh one */
  closeJob: [{ jobId: string }, null];
}

export type MethodName = keyof CorralMethods;
export type MethodArgs<M extends MethodName> = CorralMethods[M][0];
export type MethodValue<M extends MethodName> = CorralMethods[M][1];

export interface CorralEvents {
  tick: Tick;
  notice: Notice;
}
export type EventName = keyof CorralEvents;

const empty = z.union([z.object({}).strict(), z.undefined(), z.null()]);
const seq = z.number().int().positive();
/** "<job dir>/<run>": two plain name segments, never a path that climbs out of the joblogs dir */
const runSegment = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/, 'expected a run id from listRuns');
const runId = z.string().max(401).refine((s) => {
  const parts = s.split('/');
  return parts.length === 2 && parts.every((p) => runSegment.safeParse(p).success);
}, 'expected a run id from listRuns, "<job>/<run>"');

const jobId = z.string().regex(/^job-[1-9][0-9]{0,8}$/, 'expected a job id from listJobs, "job-N"');

/** Validators for inbound payloads, one per method. Main validates every call with these. */
export const methodArgs = {
  loadJob: z
    .object({
      text: z.string().max(4 * 1024 * 1024).optional(),
      path: z.string().min(1).max(4096).optional(),
      demo: z.union([z.boolean(), z.literal('python')]).optional(),
    })
    .strict()
    .refine((a) => [a.text !== undefined, a.path !== undefined, a.demo === true || a.demo === 'python'].filter(Boolean).length === 1, {
      message: 'give exactly one of text, path or demo',
    }),
  startJob: empty,
  pauseDispatch: empty,
  resumeDispatch: empty,
  stopJob: z.object({ mode: z.enum(['drain', 'graceful', 'force']) }).strict(),
  killTask: z.object({ seq, mode: z.enum(['graceful', 'force']) }).strict(),
  killSlot: z.object({ slot: z.number().int().positive(), mode: z.enum(['graceful', 'force']) }).strict(),
  pauseTask: z.object({ seq }).strict(),
  resumeTask: z.object({ seq }).strict(),
  retryTask: z.object({ seq }).strict(),
  resizePool: z.object({ size: z.number().int().min(1).max(1024) }).strict(),
  setSettings: z.object({ tickMs: z.number().int().min(250).max(10_000).optional() }).strict(),
  getSnapshot: empty,
  getTaskOutput: z
    .object({
      seq,
      offset: z.number().int().nonnegative().optional(),
      length: z.number().int().positive().max(1024 * 1024).optional(),
    })
    .strict(),
  getTaskDetail: z.object({ seq }).strict(),
  getTasks: z
    .object({
      offset: z.number().int().nonnegative(),
      limit: z.number().int().positive().max(MAX_TASK_PAGE),
      sort: z.enum(['seq', 'input', 'state', 'slot', 'pids', 'cpuPercent', 'rss', 'cpuSeconds', 'runtimeMs', 'attempt']).optional(),
      desc: z.boolean().optional(),
      filter: z
        .enum(['all', 'active', 'ended', 'queued', 'running', 'suspect', 'stuck', 'stopping', 'paused', 'done', 'failed', 'killed', 'timeout', 'memory-killed', 'interrupted', 'skipped'])
        .optional(),
    })
    .strict(),
  exportJoblog: empty,
  listLeftovers: empty,
  killLeftovers: empty,
  listRuns: empty,
  getRunTasks: z.object({ runId, offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(MAX_TASK_PAGE) }).strict(),
  pruneRuns: z.union([
    z.object({ maxAgeDays: z.number().positive().max(36_500).optional(), maxRuns: z.number().int().positive().max(1_000_000).optional() }).strict(),
    z.undefined(),
    z.null(),
  ]),
  resumeRun: z.object({ runId, mode: z.enum(['resume', 'resume-failed']) }).strict(),
  listSupervisors: empty,
  attachSupervisor: z.object({ pid: z.number().int().positive() }).strict(),
  detachSupervisor: empty,
  searchTasks: z
    .object({ text: z.string().min(1).max(1000), in: z.enum(['input', 'output']), limit: z.number().int().positive().max(MAX_TASK_PAGE).optional() })
    .strict(),
  startRemaining: empty,
  getStream: z
    .object({
      from: z.number().finite(),
      to: z.number().finite(),
      px: z.number().int().min(1).max(10_000),
      since: z.number().finite().optional(),
      bucketMs: z.number().finite().positive().optional(),
    })
    .strict()
    .refine((q) => q.to > q.from, 'expected to after from'),
  listJobs: empty,
  newJob: empty,
  selectJob: z.object({ jobId }).strict(),
  closeJob: z.object({ jobId }).strict(),
} satisfies Record<MethodName, z.ZodType>;

export const methodNames = Object.keys(methodArgs) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methodArgs, name);
}

/** The api object a UI talks to: the preload's `corral` global in Electron, the WebSocket client in a browser. */
export type CorralApi = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<import('./types.js').Result<MethodValue<M>>>;
} & {
  onTick(cb: (tick: Tick) => void): () => void;
  onNotice(cb: (notice: Notice) => void): () => void;
};

/** What a transport needs from the supervisor: one validated entry point. */
export interface CorralService {
  call<M extends MethodName>(method: M, args: unknown): Promise<import('./types.js').Result<MethodValue<M>>>;
  on<E extends EventName>(event: E, cb: (payload: CorralEvents[E]) => void): () => void;
  /**
   * Present on a supervisor that leaves the ticks' task rows out while nobody reads them (`corral
   * run`: 45 000 rows a second that no one reads cost memory). A transport calls it as its first
   * client connects and calls what it returns as its last one leaves. Absent: every tick has them.
   */
  readTickRows?(): () => void;
}

/** Electron IPC channel names (prefixed), derived from method names. */
export const ipcChannel = {
  invoke: (m: MethodName) => `corral:${m}`,
  tick: 'corral:event:tick',
  notice: 'corral:event:notice',
} as const;

/** WebSocket frames. */
export type WsClientFrame = { id: number; method: MethodName; args?: unknown };
export type WsServerFrame =
  | { id: number; result: import('./types.js').Result<unknown> }
  | { event: 'tick'; payload: Tick }
  | { event: 'notice'; payload: Notice };
