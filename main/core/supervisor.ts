import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import type { CorralEvents, CorralService, EventName, MethodName, MethodValue } from '../contract/api.js';
import { methodArgs } from '../contract/api.js';
import { settingsDefaults } from '../contract/defaults.js';
import type { Notice, Result, Settings, Snapshot, Tick, TaskDetail, TaskOutput, TaskPage, TaskQuery, TaskSearch, TaskSearchResult, Leftover } from '../contract/types.js';
import { CorralFailure, detach, toCorralError } from './errors.js';
import { JoblogWriter, readJoblog, seqsToSkip } from './log/joblog.js';
import { createSampler, type Sampler } from './monitor/index.js';
import { corralResources, type CorralResources } from './platform/resources.js';
import { JobRun } from './pool/jobRun.js';
import { loadSpec, poolSizeFor, commandExpander, displayCommand, defaultJoblogPath, taskEnv, type LoadedSpec } from './pool/jobLoader.js';
import { listJoblogs, orderSeqs } from './pool/ordering.js';
import type { TaskOutputHooks } from './pool/jobRun.js';
import { TickMonitor } from './pool/tickMonitor.js';
import { TaskQueries, searchInputs, searchOutputs, snapshotTasks } from './pool/taskQuery.js';
import { Bitset } from './pool/bitset.js';
import { OrphanGuard } from './pool/orphanGuard.js';
import type { Concurrency, RelativeDuration } from './job/types.js';
import { hostedJob } from './job/types.js';
/** The Python demo, beside the embedded one (workers/examples/) */
const PYTHON_DEMO = 'python_demo.yaml';
import { ResultStore } from './pool/results.js';
import { commandSpawner, spawnerScript, spawnMode, type SpawnMode } from './run/spawnHelper.js';
import { outputText } from './run/outputBuffer.js';
import { reapedCpuOf } from './monitor/childCpu.js';
import { endedAttempts, streamSlice } from './pool/streamQuery.js';
import type { StreamQuery, StreamSlice } from '../contract/stream.js';
import { findLeftovers, killLeftovers, stateDir as defaultStateDir } from './reap/index.js';
import { RunRecorder, pruneRuns, retentionDefaults, runHandlers, type Retention } from './runs/index.js';
import { supervisorListHandlers } from './control/index.js';

export interface SupervisorOptions {
  /** Environment tasks inherit (default process.env; the app passes the login shell's) */
  env?: NodeJS.ProcessEnv;
  /** Folder relative paths in pasted job text resolve against (default: the working folder); null refuses them (the app) */
  pastedBaseDir?: string | null;
  resources?: CorralResources;
  /** Binary that runs the module host and the reaper (Electron's, with ELECTRON_RUN_AS_NODE) */
  execPath?: string;
  stateDir?: string;
  settings?: Partial<Settings>;
  /** Overrides of the job file (CLI flags), parsed by the job file's own validators */
  concurrency?: Concurrency;
  timeout?: RelativeDuration | null;
  retries?: number;
  /** Joblog path; default <stateDir>/joblogs/<job>/<time>.tsv; null: none */
  joblog?: string | null;
  resume?: 'resume' | 'resume-failed' | null;
  /** Start the orphan reaper and keep the ledger (default true) */
  orphanGuard?: boolean;
  /** Names this supervisor's ledger file beside others of the same process (JobRegistry's later jobs) */
  ledgerPart?: string;
  /** Prune old runs and announce leftovers at creation (default true; a process's later jobs skip it) */
  startupChores?: boolean;
  sampler?: Sampler;
  /** Run history kept in the state directory; older runs are pruned at startup */
  keepRuns?: Partial<Retention>;
  /** Who forks command tasks: the spawn helper (default, not on Windows) or this process; default CORRAL_SPAWN */
  spawn?: SpawnMode;
  /** What command tasks write, as it arrives, and each attempt's end (the CLI prints task output) */
  taskOutput?: TaskOutputHooks;
  /**
   * 'always' (default): every tick carries the rows of the tasks that changed since the last one.
   * 'when-read': only while a reader is registered with readTickRows (`corral run`: its report
   * takes each task's line as it ends; a dashboard or an attached client may come and go).
   */
  tickRows?: 'always' | 'when-read';
}

/** The one entry the transports use: a validated call() plus tick and notice events. */
export interface Supervisor extends CorralService {
  readonly run: JobRun | null;
  hasRunningTasks(): boolean;
  /** Graceful stop of running tasks with a bounded total, then force; stops ticking. */
  close(opts?: { graceMs?: number }): Promise<void>;
  /** Resolves when the loaded job has ended */
  finished(): Promise<void>;
  taskResult(seq: number): unknown;
  /** While registered, the ticks carry the changed tasks' rows (with `tickRows: 'when-read'`; else they always do). */
  readTickRows(): () => void;
  /** Loads a job the caller built (the CLI's command line) as loadJob loads a file; `order` as orderSeqs */
  loadPrepared(loaded: LoadedSpec, order?: Uint32Array | null): Promise<{ job: ReturnType<JobRun['info']> }>;
}

type Handlers = { [M in MethodName]: (args: never) => Promise<MethodValue<M>> | MethodValue<M> };

export function createSupervisor(opts: SupervisorOptions = {}): Supervisor {
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const resources = opts.resources ?? corralResources();
  const state = opts.stateDir ?? defaultStateDir();
  const baseEnv = opts.env ?? process.env;
  const settings: Settings = { ...settingsDefaults, ...opts.settings };
  const sampler = opts.sampler ?? createSampler();
  // Its own guard (reaper, ledger, marker) per supervisor: a task's marker is the guard's plus seq and
  // attempt, so two jobs sharing one would take each other's tasks for their own leftovers.
  const guard = opts.orphanGuard === false ? null : new OrphanGuard({ resources, execPath: opts.execPath, stateDir: state, ledgerPart: opts.ledgerPart });
  const spawner = commandSpawner({ script: spawnerScript(resources), execPath: opts.execPath, mode: opts.spawn ?? spawnMode(process.env) });
  const monitor = new TickMonitor({
    sampler,
    historyPoints: Math.round(3_600_000 / settings.tickMs),
    changed: (t) => dirty.add(t.seq),
    stuckNotice: (t) =>
      notice({ level: 'warn', kind: 'task-stuck', taskSeq: t.seq, message: `task ${t.seq} looks stuck: ${t.info.stuck?.summary ?? ''}` }),
    onError: (err) => internalNotice(err),
    reapedCpu: () => (spawner?.pid === undefined ? null : reapedCpuOf(spawner.pid)),
  });
  // Seqs, not records: a record compacted before the tick (dispatch compacts ended records long before
  // a 1 s tick at 10 000 tasks/s) is not kept alive with its output ring until then; its row is read
  // from the ended columns, as a page of the table reads it.
  const dirty = new Set<number>();
  /** Rows in the ticks: always, or (tickRows 'when-read') while someone reads them (see readTickRows). */
  const rowsAlways = opts.tickRows !== 'when-read';
  let rowReaders = 0;
  let run: JobRun | null = null;
  /** The loaded job's module results (a new job starts a new budget) */
  let results = new ResultStore();
  let loaded: LoadedSpec | null = null;
  let queries: TaskQueries | null = null;
  let joblog: JoblogWriter | null = null;
  let tickN = 0;
  let ticking = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  let recorder: RunRecorder | null = null;
  const retention: Retention = { ...retentionDefaults, ...opts.keepRuns };
  /** The latest notices, so a page that opens (or reconnects) late still reads the event log. */
  const recentNotices: Notice[] = [];
  const notice = (n: Omit<Notice, 'time'>) => {
    // The manifest's end is written as the job ends (a retry after that reopens the job, and the manifest).
    if (n.kind === 'job-finished' && run) detach(recorder?.record(run.info()) ?? Promise.resolve(), internalNotice);
    const full: Notice = { ...n, time: Date.now() };
    recentNotices.push(full);
    if (recentNotices.length > maxRecentNotices + 100) recentNotices.splice(0, 100);
    events.emit('notice', full);
  };
  /** Work nobody awaits failed: a bug, told as an error notice rather than an unhandled rejection. */
  const internalNotice = (err: Error) => notice({ level: 'error', kind: 'error', message: `internal error: ${err.message}` });

  const schedule = () => {
    if (timer) clearInterval(timer);
    timer = setInterval(() => detach(tick(), internalNotice), settings.tickMs);
    timer.unref?.();
  };

  async function tick(): Promise<void> {
    if (ticking || closed) return; // a slow sample skips a beat rather than piling up
    ticking = true;
    try {
      const r = await monitor.tick(run);
      const t: Tick = {
        n: ++tickN,
        time: Date.now(),
        intervalMs: settings.tickMs,
        job: r.job,
        tasks: run && (rowsAlways || rowReaders > 0) ? [...dirty].map((seq) => run!.taskInfo(seq)) : [],
        slots: r.slots,
        pool: r.pool,
        machine: r.machine,
      };
      dirty.clear();
      run?.compactEnded(); // after the tick took their rows: ended records become compact rows
      events.emit('tick', t);
    } catch (err) {
      notice({ level: 'error', kind: 'error', message: `sampling failed: ${(err as Error).message}` });
    } finally {
      ticking = false;
    }
  }

  function startJob(): null {
    const r = requireRun();
    r.start();
    detach(recorder?.record(r.info()) ?? Promise.resolve(), internalNotice);
    detach(tick(), internalNotice);
    return null;
  }

  function requireRun(): JobRun {
    if (!run) throw new CorralFailure('JOB_NOT_LOADED', 'no job is loaded');
    return run;
  }

  async function loadJob(args: { text?: string; path?: string; demo?: boolean | 'python' }, from?: { joblog: string; mode: 'resume' | 'resume-failed' }) {
    // A retry waiting out its delay is part of the running job: it would run under the new one.
    if (run?.hasWorkInFlight()) throw new CorralFailure('JOB_RUNNING', 'a job is running; stop it before loading another');
    const src = args.demo === 'python' ? { path: join(dirname(resources.demoJob), PYTHON_DEMO) } : args.demo ? { path: resources.demoJob } : args.text !== undefined ? { text: args.text, baseDir: opts.pastedBaseDir } : args;
    return install(await loadSpec(src), undefined, from);
  }

  async function install(spec: LoadedSpec, order?: Uint32Array | null, from?: { joblog: string; mode: 'resume' | 'resume-failed' }) {
    if (run?.hasWorkInFlight()) throw new CorralFailure('JOB_RUNNING', 'a job is running; stop it before loading another');
    run?.releaseIdleHosts();
    if (opts.concurrency !== undefined) spec.spec.concurrency = opts.concurrency;
    if (opts.timeout !== undefined) spec.spec.timeout = opts.timeout;
    if (opts.retries !== undefined) spec.spec.retries = opts.retries;
    await joblog?.close();
    joblog = null;
    const logPath = opts.joblog === null ? null : (opts.joblog ?? defaultJoblogPath(state, spec.spec));
    // A bit per input, not a Set of millions; the joblog's Set lives only while loading.
    const resumeFrom = from ?? (opts.resume && logPath ? { joblog: logPath, mode: opts.resume } : null);
    const skip = resumeFrom ? Bitset.from(seqsToSkip(await readJoblog(resumeFrom.joblog), resumeFrom.mode), spec.inputs.length) : null;
    const history = spec.spec.order === 'longest-first' ? await listJoblogs(state, spec.spec.name, logPath) : [];
    if (logPath) joblog = new JoblogWriter(logPath);
    loaded?.inputs.close();
    loaded = spec;
    monitor.reset();
    dirty.clear();
    const display = displayCommand(spec.spec);
    const env = taskEnv(baseEnv, spec.spec, guard?.marker);
    results = new ResultStore();
    run = new JobRun({
      spec: spec.spec,
      inputs: spec.inputs,
      poolSize: poolSizeFor(spec.spec.concurrency),
      joblog,
      skip,
      order: order ?? orderSeqs(spec.spec.order, spec.inputs, display, history),
      env: {
        taskEnv: env,
        hostScript: resources.hostScript,
        results,
        spawnCommand: spawner?.spawn,
        execPath: opts.execPath,
        expand: spec.spec.command ? commandExpander(spec.spec, env) : () => {
          throw new Error('module job');
        },
      },
      display,
      hooks: {
        changed: (t) => dirty.add(t.seq),
        notice,
        groupStarted: (t, pid, pgid, startTime) => guard?.started(spec.spec.name, t, pid, pgid, startTime),
        groupEnded: (pgid) => guard?.ended(pgid),
        ...opts.taskOutput,
      },
    });
    // No task is marked changed: a client takes the new job's rows from getSnapshot/getTasks.
    queries = new TaskQueries(run.store);
    recorder = RunRecorder.for(state, logPath, { name: spec.spec.name, file: spec.spec.file });
    return { job: run.info() };
  }

  const handlers: Handlers = {
    loadJob: (a: { text?: string; path?: string; demo?: boolean | 'python' }) => loadJob(a),
    startJob: () => startJob(),
    pauseDispatch: () => (requireRun().pauseDispatch(), null),
    resumeDispatch: () => (requireRun().resumeDispatch(), null),
    stopJob: (a: { mode: 'drain' | 'graceful' | 'force' }) => (requireRun().stop(a.mode), null),
    // Bad ids and states throw here; the kill sequence itself goes on after the reply.
    killTask: (a: { seq: number; mode: 'graceful' | 'force' }) => {
      requireRun().killTask(a.seq, a.mode).catch(() => {});
      return null;
    },
    killSlot: (a: { slot: number; mode: 'graceful' | 'force' }) => {
      requireRun().killSlot(a.slot, a.mode).catch(() => {});
      return null;
    },
    pauseTask: (a: { seq: number }) => (requireRun().pauseTask(a.seq), null),
    resumeTask: (a: { seq: number }) => (requireRun().resumeTask(a.seq), null),
    retryTask: (a: { seq: number }) => (requireRun().retryTask(a.seq), null),
    resizePool: (a: { size: number }) => (requireRun().resize(a.size), null),
    setSettings: (a: Partial<Settings>) => {
      Object.assign(settings, a);
      schedule();
      return { ...settings };
    },
    getSnapshot: (): Snapshot => ({
      tick: tickN,
      time: Date.now(),
      job: run?.info() ?? null,
      settings: { ...settings },
      tasks: run ? snapshotTasks(run.store) : [],
      slots: monitor.slots,
      pool: monitor.poolHistory(),
      slotHistory: Object.fromEntries([...monitor.slotSeries].map(([k, v]) => [k, v.toArray()])),
      machine: monitor.machine,
      leftovers: lastLeftovers,
      jobText: loaded?.text ?? null,
      notices: recentNotices.slice(-maxRecentNotices),
    }),
    getTaskOutput: (a: { seq: number; offset?: number; length?: number }): TaskOutput => {
      const r = requireRun().output(a.seq, a.offset, a.length);
      const { text, stderr } = outputText(r.offset, r.bytes, r.stderr ?? []);
      return { seq: a.seq, offset: r.offset, total: r.total, text, truncated: r.truncated, end: r.offset + r.bytes.length, stderr };
    },
    getTaskDetail: (a: { seq: number }): TaskDetail => {
      const r = requireRun();
      const task = r.taskInfo(a.seq);
      // From the last tick: sampling here would reset the shared sampler's CPU deltas for every task.
      return { task, tree: r.held(a.seq)?.live ? monitor.taskTree(a.seq) : [], history: monitor.taskHistory(a.seq) };
    },
    getTasks: (a: TaskQuery): TaskPage => {
      requireRun();
      return queries!.page(a);
    },
    exportJoblog: async () => {
      requireRun();
      const path = joblog?.path ?? null;
      if (!path) throw new CorralFailure('NOT_FOUND', 'this run keeps no joblog');
      const { readFile } = await import('node:fs/promises');
      return { text: await readFile(path, 'utf8'), path };
    },
    ...runHandlers({
      stateDir: state,
      retention,
      currentJoblog: () => joblog?.path ?? null,
      rerun: async (file, from) => {
        const loadedJob = await loadJob({ path: file }, from);
        startJob();
        return loadedJob;
      },
    }),
    ...supervisorListHandlers(state),
    searchTasks: (a: TaskSearch): TaskSearchResult => {
      const r = requireRun();
      const limit = a.limit ?? 200;
      const found = a.in === 'input' ? searchInputs(r.store, a.text, limit) : searchOutputs(r.outputs(), a.text, limit);
      return { tasks: found.seqs.map((seq) => r.taskInfo(seq)), more: found.more };
    },
    startRemaining: () => (requireRun().startRemaining(), null),
    getStream: (q: StreamQuery): StreamSlice => {
      const { store } = requireRun();
      return streamSlice(endedAttempts(store, q.since), q, Date.now(), store.attempts.dropped);
    },
    listLeftovers: async () => (lastLeftovers = await findLeftovers({ dir: state })),
    killLeftovers: async () => {
      const found = await findLeftovers({ dir: state });
      const killed = await killLeftovers(found, { dir: state });
      lastLeftovers = await findLeftovers({ dir: state });
      return { killed };
    },
  };
  let lastLeftovers: Leftover[] = [];
  void findLeftovers({ dir: state }).then(
    (l) => {
      lastLeftovers = l;
      if (l.length && opts.startupChores !== false) notice({ level: 'warn', kind: 'leftovers', message: `${l.length} process group(s) left from an earlier run are still alive` });
    },
    () => {},
  );

  if (opts.startupChores !== false) {
    detach(
      pruneRuns(state, retention).then(() => {}),
      (err) => notice({ level: 'warn', kind: 'info', message: `could not prune old runs in ${state}: ${err.message}` }),
    );
  }
  schedule();

  const supervisor: Supervisor = {
    get run() {
      return run;
    },
    async call<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>>> {
      try {
        if (closed) throw new CorralFailure('BAD_STATE', 'the supervisor is shut down');
        const validator = methodArgs[method];
        if (!validator) throw new CorralFailure('INVALID_ARGUMENT', `unknown method: ${String(method)}`);
        const parsed = validator.safeParse(args);
        if (!parsed.success) {
          const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ');
          throw new CorralFailure('INVALID_ARGUMENT', `${method}: ${msg}`);
        }
        const value = await (handlers[method] as (a: unknown) => unknown)(parsed.data ?? {});
        return { ok: true, value: value as MethodValue<M> };
      } catch (err) {
        return { ok: false, error: toCorralError(err) };
      }
    },
    on<E extends EventName>(event: E, cb: (payload: CorralEvents[E]) => void): () => void {
      events.on(event, cb);
      return () => events.off(event, cb);
    },
    readTickRows() {
      if (rowsAlways) return () => {};
      rowReaders++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rowReaders--;
      };
    },
    hasRunningTasks: () => run?.hasRunningTasks() ?? false,
    loadPrepared: (l, order) => install(l, order),
    finished: () => run?.finished ?? Promise.resolve(),
    taskResult: (seq) => {
      if (!run) return undefined;
      // Only a module task that ended ok had a result: for it, a missing one was dropped.
      return results.answer(seq, hostedJob(run.spec) && run.taskInfo(seq).outcome === 'ok');
    },
    async close({ graceMs = 10_000 } = {}) {
      if (closed) return;
      if (run?.hasWorkInFlight()) {
        run.stop('graceful', 'quit');
        const graceful = await Promise.race([run.finished.then(() => true), sleep(graceMs).then(() => false)]);
        if (!graceful) {
          run.stop('force', 'quit');
          for (const t of run.liveTasks()) void run.killTask(t.seq, 'force', 'quit').catch(() => {});
          await Promise.race([run.finished, sleep(15_000)]);
        }
      }
      run?.releaseIdleHosts(); // a paused job's hosts idle in their slots
      while (ticking) await sleep(10);
      await tick(); // the last changes reach the listeners
      closed = true;
      if (timer) clearInterval(timer);
      await joblog?.close();
      await recorder?.flushed();
      loaded?.inputs.close();
      sampler.close();
      await spawner?.close();
      await guard?.close();
    },
  };
  return supervisor;
}

const maxRecentNotices = 500;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());
