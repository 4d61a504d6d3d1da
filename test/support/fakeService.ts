import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { isMethodName, methodArgs, settingsDefaults } from '../../main/contract/index.js';
import type {
  CorralEvents,
  CorralService,
  EventName,
  JobInfo,
  MethodName,
  MethodValue,
  Notice,
  Result,
  Settings,
  Snapshot,
  TaskInfo,
  TaskQuery,
  Tick,
} from '../../main/contract/index.js';
import { pageOfRows } from '../../main/core/pool/taskQuery.js';

// An in-memory CorralService for transport tests: it validates with methodArgs exactly like the
// supervisor, keeps task/job state, and emits one tick per tick() call (or per interval).
// Tasks move queued → running → done after `ticksPerTask` ticks; a graceful kill takes one tick.

export interface FakeServiceOptions {
  ticksPerTask?: number;
  clock?: () => number;
}

export interface FakeService extends CorralService {
  /** Advance one sampling interval and emit the tick. */
  tick(): Tick;
  /** Emit ticks every intervalMs until close(). */
  autoTick(intervalMs: number): void;
  emitNotice(notice: Notice): void;
  /** Make the next call of `method` throw (not resolve an error): transports must survive it. */
  throwOnNext(method: MethodName, error: unknown): void;
  listenerCount(event: EventName): number;
  readonly calls: Array<{ method: string; args: unknown }>;
  hasRunningTasks(): boolean;
  close(): Promise<void>;
}

type Handler = (args: never) => Result<unknown>;
const live = new Set(['running', 'suspect', 'stuck', 'stopping', 'paused']);

function fail(code: import('../../main/contract/index.js').ErrorCode, message: string, details?: unknown) {
  return { ok: false as const, error: { code, message, ...(details === undefined ? {} : { details }) } };
}
function ok<T>(value: T) {
  return { ok: true as const, value };
}

function newTask(seq: number, input: string, command: string): TaskInfo {
  return {
    seq, input, command: command.replace('{}', input), state: 'queued', outcome: null, slot: null, attempt: 0,
    pid: null, pids: [], startedAt: null, endedAt: null, exitCode: null, signal: null, error: null,
    cpuPercent: null, rss: null, peakRss: null, cpuSeconds: null, memoryScope: 'tree', rssAtStart: null, runtimeMs: 0, progress: null, stuck: null,
    stopping: null, lastActivityAt: null,
  };
}

/** Parses the subset of the job file the fake understands: name, command, inputs.list|range, concurrency. */
function parseJob(text: string, file: string | null): { name: string; inputs: string[]; command: string; pool: number } | string {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return (err as Error).message;
  }
  if (typeof doc !== 'object' || doc === null) return 'expected a mapping at the top level';
  const d = doc as Record<string, unknown>;
  if (typeof d.name !== 'string') return 'name: expected a string';
  if (typeof d.command !== 'string') return 'command: expected a string';
  const inp = d.inputs as { list?: unknown[]; range?: { from: number; to: number } } | undefined;
  let inputs: string[];
  if (Array.isArray(inp?.list)) inputs = inp.list.map(String);
  else if (inp?.range) inputs = Array.from({ length: inp.range.to - inp.range.from + 1 }, (_, i) => String(inp.range!.from + i));
  else return 'inputs: expected list or range';
  const pool = typeof d.concurrency === 'number' ? d.concurrency : 2;
  void file;
  return { name: d.name, inputs, command: d.command, pool };
}

export function createFakeService(opts: FakeServiceOptions = {}): FakeService {
  const clock = opts.clock ?? Date.now;
  const ticksPerTask = opts.ticksPerTask ?? 2;
  const listeners: { [E in EventName]: Set<(p: CorralEvents[E]) => void> } = { tick: new Set(), notice: new Set() };
  const calls: Array<{ method: string; args: unknown }> = [];
  const throws = new Map<MethodName, unknown>();
  let job: JobInfo | null = null;
  let jobText: string | null = null;
  let tasks: TaskInfo[] = [];
  let settings: Settings = { ...settingsDefaults };
  let n = 0;
  const changed = new Set<number>();
  const age = new Map<number, number>();
  let timer: NodeJS.Timeout | null = null;

  const emit = <E extends EventName>(event: E, payload: CorralEvents[E]) => {
    for (const cb of listeners[event]) (cb as (p: CorralEvents[E]) => void)(payload);
  };
  const touch = (t: TaskInfo, patch: Partial<TaskInfo>) => {
    Object.assign(t, patch);
    changed.add(t.seq);
  };
  const counts = () => {
    const c = { total: tasks.length, queued: 0, running: 0, suspect: 0, stuck: 0, done: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 };
    for (const t of tasks) {
      if (t.state === 'queued') c.queued++;
      else if (live.has(t.state)) c.running++;
      else if (t.state === 'done') c.done++;
      else if (t.state === 'skipped') c.skipped++;
      else if (t.state === 'killed') c.killed++;
      else if (t.state === 'interrupted') c.interrupted++;
      else c.failed++;
    }
    return c;
  };
  const jobInfo = (): JobInfo | null => (job ? { ...job, counts: counts() } : null);
  const task = (seq: number) => tasks.find((t) => t.seq === seq);
  const pool = (time: number) => {
    const c = counts();
    return { time, cpuPercent: 0, machinePercent: 0, rss: 0, procs: c.running, queued: c.queued, running: c.running };
  };
  const machine = { cores: 2, perCore: [0, 0], loadAvg: [0, 0, 0] as [number, number, number], freeMem: 1, totalMem: 2 };
  const slots = () =>
    Array.from({ length: job?.poolSize ?? 0 }, (_, i) => {
      const t = tasks.find((x) => x.slot === i + 1 && live.has(x.state));
      return { slot: i + 1, taskSeq: t?.seq ?? null, cpuPercent: 0, rss: 0, procs: t ? 1 : 0 };
    });
  const end = (t: TaskInfo, state: 'done' | 'killed', now: number) =>
    touch(t, { state, outcome: state === 'done' ? 'ok' : 'killed', endedAt: now, pids: [], stopping: null, exitCode: state === 'done' ? 0 : null, signal: state === 'killed' ? 'SIGKILL' : null });

  const needJob = () => (job ? null : fail('JOB_NOT_LOADED', 'no job is loaded'));
  const needTask = (seq: number) => (task(seq) ? null : fail('NOT_FOUND', `no task ${seq}`));

  const handlers: { [M in MethodName]: (args: never) => Result<MethodValue<M>> } = {
    loadJob: (a: { text?: string; path?: string; demo?: boolean }) => {
      if (job && ['running', 'paused', 'draining', 'stopping'].includes(job.state)) return fail('JOB_RUNNING', 'a job is running');
      let text = a.text ?? 'name: demo\ncommand: demo {}\ninputs: { range: { from: 1, to: 6 } }\nconcurrency: 2\n';
      if (a.path !== undefined) {
        try {
          text = readFileSync(a.path, 'utf8');
        } catch {
          return fail('NOT_FOUND', `no such job file: ${a.path}`);
        }
      }
      const file = a.path ?? (a.text !== undefined ? '<pasted>' : '<demo>');
      const parsed = parseJob(text, a.path ?? null);
      if (typeof parsed === 'string') {
        const issue = { file, line: 0, column: 0, path: '', message: parsed, text: `${file}:0:0: ${parsed}` };
        return fail('JOB_INVALID', `${file}: ${parsed}`, [issue]);
      }
      tasks = parsed.inputs.map((input, i) => newTask(i + 1, input, parsed.command));
      tasks.forEach((t) => changed.add(t.seq));
      jobText = text;
      job = {
        name: parsed.name, file: a.path ?? null, state: 'ready', kind: 'command', ordering: 'input', poolSize: parsed.pool,
        dispatchPaused: false, counts: counts(), startedAt: null, endedAt: null, tasksPerSecond: 0, etaMs: null, haltReason: null, joblog: null,
      };
      return ok({ job: jobInfo()! });
    },
    startJob: () => needJob() ?? (job!.state !== 'ready' ? fail('BAD_STATE', `job is ${job!.state}`) : (Object.assign(job!, { state: 'running', startedAt: clock() }), ok(null))),
    pauseDispatch: () => needJob() ?? (Object.assign(job!, { dispatchPaused: true }), ok(null)),
    resumeDispatch: () => needJob() ?? (Object.assign(job!, { dispatchPaused: false }), ok(null)),
    stopJob: (a: { mode: 'drain' | 'graceful' | 'force' }) => {
      const err = needJob();
      if (err) return err;
      job!.state = a.mode === 'drain' ? 'draining' : 'stopping';
      if (a.mode !== 'drain') for (const t of tasks) if (live.has(t.state)) touch(t, { state: 'stopping' });
      return ok(null);
    },
    killTask: (a: { seq: number; mode: 'graceful' | 'force' }) => {
      const err = needTask(a.seq);
      if (err) return err;
      const t = task(a.seq)!;
      if (!live.has(t.state)) return fail('BAD_STATE', `task ${a.seq} is ${t.state}, not running`);
      const now = clock();
      if (a.mode === 'force') end(t, 'killed', now);
      else touch(t, { state: 'stopping', stopping: { mode: 'graceful', step: 'TERM', next: 'KILL', nextAt: now + 10_000, startedAt: now, reason: 'user' } });
      return ok(null);
    },
    killSlot: (a: { slot: number; mode: 'graceful' | 'force' }) => {
      const t = tasks.find((x) => x.slot === a.slot && live.has(x.state));
      return t ? handlers.killTask({ seq: t.seq, mode: a.mode } as never) : fail('NOT_FOUND', `no task runs on slot ${a.slot}`);
    },
    pauseTask: (a: { seq: number }) => needTask(a.seq) ?? (task(a.seq)!.state !== 'running' ? fail('BAD_STATE', `task ${a.seq} is not running`) : (touch(task(a.seq)!, { state: 'paused' }), ok(null))),
    resumeTask: (a: { seq: number }) => needTask(a.seq) ?? (task(a.seq)!.state !== 'paused' ? fail('BAD_STATE', `task ${a.seq} is not paused`) : (touch(task(a.seq)!, { state: 'running' }), ok(null))),
    retryTask: (a: { seq: number }) => needTask(a.seq) ?? (live.has(task(a.seq)!.state) || task(a.seq)!.state === 'queued' ? fail('BAD_STATE', `task ${a.seq} has not ended`) : (touch(task(a.seq)!, { state: 'queued', outcome: null }), ok(null))),
    resizePool: (a: { size: number }) => needJob() ?? (Object.assign(job!, { poolSize: a.size }), ok(null)),
    setSettings: (a: Partial<Settings>) => ok((settings = { ...settings, ...a })),
    getSnapshot: (): Result<Snapshot> => {
      const time = clock();
      return ok({ tick: n, time, job: jobInfo(), settings, tasks: tasks.map((t) => ({ ...t })), slots: slots(), pool: [pool(time)], slotHistory: {}, machine, leftovers: [], jobText });
    },
    getTaskOutput: (a: { seq: number; offset?: number }) => {
      const err = needTask(a.seq);
      if (err) return err;
      const text = `output of task ${a.seq}\n`;
      return ok({ seq: a.seq, offset: 0, total: text.length, text: text.slice(a.offset ?? 0), truncated: false });
    },
    getTaskDetail: (a: { seq: number }) => needTask(a.seq) ?? ok({ task: { ...task(a.seq)! }, tree: [], history: [] }),
    getTasks: (a: TaskQuery) => needJob() ?? ok(pageOfRows(tasks, a)),
    exportJoblog: () => ok({ text: 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n', path: null }),
    listLeftovers: () => ok([]),
    killLeftovers: () => ok({ killed: 0 }),
    listRuns: () => ok([]),
    getRunTasks: (a: { runId: string }) => fail('NOT_FOUND', `no run ${a.runId}`),
    pruneRuns: () => ok({ removed: [] }),
    resumeRun: (a: { runId: string }) => fail('NOT_FOUND', `no run ${a.runId}`),
    listSupervisors: () => ok([]),
    attachSupervisor: (a: { pid: number }) => fail('NOT_FOUND', `no live supervisor with pid ${a.pid} on this machine`),
    detachSupervisor: () => ok(null),
    searchTasks: (a: { text: string; in: 'input' | 'output' }) =>
      needJob() ?? ok({ tasks: tasks.filter((t) => (a.in === 'input' ? t.input : `output of task ${t.seq}\n`).toLowerCase().includes(a.text.toLowerCase())), more: false }),
    startRemaining: () => needJob() ?? (Object.assign(job!, { state: 'running' }), ok(null)),
    // Every ended attempt as a bar (the real one aggregates: main/core/pool/streamQuery.ts).
    getStream: (q: { from: number; to: number }) =>
      ok({
        from: q.from,
        to: q.to,
        through: Date.now(),
        blocks: [],
        bars: tasks
          .filter((t) => t.startedAt !== null && t.endedAt !== null && t.slot !== null && t.endedAt >= q.from && t.startedAt <= q.to)
          .map((t) => ({ seq: t.seq, attempt: t.attempt, slot: t.slot!, start: t.startedAt!, end: t.endedAt!, outcome: t.outcome === 'ok' ? ('ok' as const) : t.outcome === 'killed' ? ('killed' as const) : ('failed' as const) })),
      }),
    listJobs: () => ok({ jobs: [], busy: 0, pools: 0, cores: 1, machineCpuPercent: null }),
    newJob: () => fail('UNSUPPORTED', 'the fake service holds one job'),
    selectJob: (a: { jobId: string }) => fail('NOT_FOUND', `no live job ${a.jobId}`),
    closeJob: (a: { jobId: string }) => fail('NOT_FOUND', `no live job ${a.jobId}`),
  };

  const service: FakeService = {
    calls,
    async call<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>>> {
      calls.push({ method, args });
      await Promise.resolve(); // never answer synchronously, like the supervisor
      if (!isMethodName(method)) return fail('INVALID_ARGUMENT', `unknown method: ${String(method)}`);
      if (throws.has(method)) {
        const e = throws.get(method);
        throws.delete(method);
        throw e;
      }
      const parsed = methodArgs[method].safeParse(args);
      if (!parsed.success) return fail('INVALID_ARGUMENT', `invalid arguments for ${method}`, parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
      return (handlers[method] as Handler)((parsed.data ?? {}) as never) as Result<MethodValue<M>>;
    },
    on(event, cb) {
      const set = listeners[event] as Set<typeof cb>;
      set.add(cb);
      return () => void set.delete(cb);
    },
    tick() {
      const now = clock();
      if (job && ['running', 'draining', 'stopping'].includes(job.state)) {
        for (const t of tasks) {
          if (t.state === 'stopping') end(t, 'killed', now);
          else if (t.state === 'running' && (age.get(t.seq) ?? 0) + 1 >= ticksPerTask) end(t, 'done', now);
          else if (t.state === 'running') age.set(t.seq, (age.get(t.seq) ?? 0) + 1);
        }
        const free = () => Array.from({ length: job!.poolSize }, (_, i) => i + 1).filter((s) => !tasks.some((t) => t.slot === s && live.has(t.state)));
        if (job.state === 'running' && !job.dispatchPaused) {
          for (const t of tasks.filter((x) => x.state === 'queued')) {
            const [slot] = free();
            if (slot === undefined) break;
            touch(t, { state: 'running', slot, attempt: t.attempt + 1, pid: 1000 + t.seq, pids: [1000 + t.seq], startedAt: now });
            age.set(t.seq, 0);
          }
        }
        if (!tasks.some((t) => live.has(t.state) || (t.state === 'queued' && job!.state === 'running'))) {
          Object.assign(job, { state: job.state === 'running' ? 'finished' : 'stopped', endedAt: now });
          emit('notice', { level: 'info', kind: 'job-finished', message: `job ${job.name} finished`, time: now });
        }
      }
      const tick: Tick = {
        n: ++n, time: now, intervalMs: settings.tickMs, job: jobInfo(),
        tasks: [...changed].map((s) => ({ ...task(s)! })), slots: slots(), pool: pool(now), machine,
      };
      changed.clear();
      emit('tick', tick);
      return tick;
    },
    autoTick(intervalMs) {
      if (timer) clearInterval(timer);
      timer = setInterval(() => service.tick(), intervalMs);
    },
    emitNotice: (notice) => emit('notice', notice),
    throwOnNext: (method, error) => void throws.set(method, error),
    listenerCount: (event) => listeners[event].size,
    hasRunningTasks: () => tasks.some((t) => live.has(t.state)),
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return service;
}
