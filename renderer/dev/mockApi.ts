import { mockStream } from './mockStream.js';
import type { CorralApi, MethodArgs, MethodName, MethodValue } from '../../main/contract/api.js';
import type { JobFileIssue, Notice, Result, Snapshot, TaskInfo, TaskPage } from '../../main/contract/types.js';
import { apiEvents } from '../api/events.js';
import { Sim, type SimTask } from './mockSim.js';
import { pageRows } from '../store/tasksStore.js';

// An in-browser CorralApi for development and screenshots (`?mock`; `?mock=empty` starts on the
// welcome screen; `?mock=module` runs a module job, whose memory figures are the reused host's). Ticks at 1 Hz; starts with three minutes of history already simulated.
// `?mock=soak&slots=64&ticks=1800&interval=50&tasks=30000` is the accelerated soak (bench/soak.mjs):
// a fresh job of `sleep 1..8`-like tasks on 64 slots, one simulated second per `interval` ms of
// real time, stopping after `ticks`; window.__corralSoak reports progress and can pause it.

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const err = (code: 'NOT_FOUND' | 'BAD_STATE' | 'JOB_INVALID' | 'JOB_RUNNING', message: string, details?: unknown): Result<never> => ({
  ok: false, error: { code, message, details },
});

const demoText = `name: compress-logs
command: xz -9 -k {}
inputs:
  glob: "logs/**/*.log"
concurrency: 4
timeout: 300%
retries: 1
kill: TERM,10s,KILL
stuck:
  cpuIdle: 30s
  silent: 60s
  action: warn
`;

/** The accelerated soak's parameters, read from the page's query string. */
export interface SoakParams {
  slots: number;
  ticks: number;
  intervalMs: number;
  tasks: number;
}

export function soakParams(search: string): SoakParams | null {
  const q = new URLSearchParams(search);
  if (q.get('mock') !== 'soak') return null;
  const num = (k: string, d: number, min: number) => {
    const v = Number(q.get(k) ?? d);
    return Number.isFinite(v) && v >= min ? Math.floor(v) : d;
  };
  return { slots: num('slots', 64, 1), ticks: num('ticks', 1800, 1), intervalMs: num('interval', 50, 1), tasks: num('tasks', 30_000, 1) };
}

/** What the soak exposes on window for the benchmark: ticks sent so far, and a pause switch. */
export interface SoakControl {
  n: number;
  done: boolean;
  paused: boolean;
}

export function createMockApi(opts: { empty?: boolean; warmupSeconds?: number } = {}): CorralApi {
  const search = globalThis.location?.search ?? '';
  const soak = soakParams(search);
  const mode = new URLSearchParams(search).get('mock');
  const empty = opts.empty ?? mode === 'empty';
  const warmup = soak ? 0 : (opts.warmupSeconds ?? 180);
  // Soak durations follow the real-server soak's job: 1..8 s per task, fixed by sequence number.
  const sim = soak
    ? new Sim(Date.now(), { lean: true, durationMs: (seq) => (1 + ((seq * 7919) % 8)) * 1000 })
    : new Sim(Date.now() - warmup * 1000, { module: mode === 'module' });
  const events = apiEvents();
  let jobText: string | null = null;
  let leftovers = empty || soak ? [] : [{ pid: 31337, pgid: 31337, startTime: '2024-05-30T09:12:44Z', job: 'resize-images', seq: 88, command: "convert 'img/0088.png' -resize 50% out/0088.png", alive: true }];
  const notice = (n: Omit<Notice, 'time'>) => {
    events.emitNotice({ ...n, time: sim.now });
  };

  if (soak) {
    sim.load(soak.tasks, soak.slots);
    // Like the real soak's `sleep` tasks: all succeed, none hangs.
    for (const t of sim.tasks) Object.assign(t, { willFail: false, hang: false, ioWait: false, ignoresTerm: false });
    jobText = demoText;
    sim.start();
  } else if (!empty) {
    sim.load(200, 4);
    jobText = demoText;
    sim.start();
    for (let i = 0; i < warmup; i++) sim.step();
    // One task that ignores TERM, stopped by the user a moment ago: shows the kill countdown.
    const victim = sim.running.find((t) => t.state === 'running' && !t.hang);
    if (victim) {
      victim.ignoresTerm = true;
      sim.stop(victim, 'graceful', 'user');
    }
  }

  const control: SoakControl = { n: 0, done: false, paused: false };
  if (soak) (globalThis as unknown as { __corralSoak?: SoakControl }).__corralSoak = control;
  const timer = setInterval(() => {
    if (control.paused) return;
    if (soak && control.n >= soak.ticks) {
      control.done = true;
      clearInterval(timer);
      return;
    }
    control.n++;
    const before = new Set(sim.running.filter((t) => t.state === 'stuck').map((t) => t.seq)); // stuck tasks are running ones
    const tick = sim.step();
    for (const t of tick.tasks) {
      if (t.state === 'stuck' && !before.has(t.seq)) notice({ level: 'warn', kind: 'task-stuck', message: `Task ${t.seq} looks stuck: ${t.stuck?.summary}`, taskSeq: t.seq });
      if (t.state === 'failed' && t.endedAt === sim.now) notice({ level: 'warn', kind: 'task-failed', message: `Task ${t.seq} failed: ${t.error ?? `exit ${t.exitCode}`}`, taskSeq: t.seq });
    }
    if (tick.job?.state === 'finished' && tick.job.endedAt === sim.now) notice({ level: 'info', kind: 'job-finished', message: `Job ${tick.job.name} finished.` });
    events.emitTick(tick);
  }, soak?.intervalMs ?? 1000);

  const task = (seq: number): SimTask | undefined => sim.tasks[seq - 1];
  const live = (t: SimTask) => ['running', 'suspect', 'stuck', 'stopping', 'paused'].includes(t.state);

  const handlers: { [M in MethodName]: (args: MethodArgs<M>) => Result<MethodValue<M>> } = {
    loadJob(a) {
      if (sim.job && ['running', 'paused', 'draining', 'stopping'].includes(sim.job.state)) return err('JOB_RUNNING', 'A job is running; stop it before loading another.');
      if (a.text !== undefined) {
        const issues = validate(a.text);
        if (issues.length) return err('JOB_INVALID', `The job file has ${issues.length} problem${issues.length > 1 ? 's' : ''}.`, issues);
        jobText = a.text;
      } else jobText = demoText;
      sim.load(200, 4);
      return ok({ job: { ...sim.job! } });
    },
    startJob() {
      if (!sim.job) return err('BAD_STATE', 'No job loaded.');
      sim.start();
      return ok(null);
    },
    pauseDispatch() {
      if (sim.job) sim.job.dispatchPaused = true;
      if (sim.job?.state === 'running') sim.job.state = 'paused';
      return ok(null);
    },
    resumeDispatch() {
      if (sim.job) sim.job.dispatchPaused = false;
      if (sim.job?.state === 'paused') sim.job.state = 'running';
      return ok(null);
    },
    stopJob(a) {
      if (!sim.job) return err('BAD_STATE', 'No job loaded.');
      sim.stopJob(a.mode);
      return ok(null);
    },
    killTask(a) {
      const t = task(a.seq);
      if (!t) return err('NOT_FOUND', `No task ${a.seq}.`);
      if (!live(t)) return err('BAD_STATE', `Task ${a.seq} is not running.`);
      sim.stop(t, a.mode, 'user');
      return ok(null);
    },
    killSlot(a) {
      const t = sim.running.find((r) => r.slot === a.slot);
      if (t) sim.stop(t, a.mode, 'user');
      return ok(null);
    },
    pauseTask(a) {
      const t = task(a.seq);
      if (!t || !live(t)) return err('BAD_STATE', `Task ${a.seq} is not running.`);
      t.state = 'paused';
      sim.changed.add(t.seq);
      return ok(null);
    },
    resumeTask(a) {
      const t = task(a.seq);
      if (!t || t.state !== 'paused') return err('BAD_STATE', `Task ${a.seq} is not paused.`);
      t.state = 'running';
      sim.changed.add(t.seq);
      return ok(null);
    },
    retryTask(a) {
      const t = task(a.seq);
      if (!t || live(t) || t.state === 'queued') return err('BAD_STATE', `Task ${a.seq} has not ended.`);
      sim.retry(t);
      return ok(null);
    },
    resizePool(a) {
      if (sim.job) sim.job.poolSize = a.size;
      return ok(null);
    },
    setSettings: () => ok({ tickMs: 1000 }),
    getSnapshot(): Result<Snapshot> {
      return ok({
        tick: sim.n, time: sim.now, job: sim.job ? { ...sim.job } : null, settings: { tickMs: 1000 },
        tasks: sim.tasks.map((t) => sim.public(t)), slots: sim.slotSamples, pool: [...sim.poolHistory],
        slotHistory: Object.fromEntries([...sim.slotHistory].map(([k, v]) => [k, [...v]])), machine: sim.machine(),
        leftovers, jobText,
      });
    },
    getTaskOutput(a) {
      const t = task(a.seq);
      if (!t) return err('NOT_FOUND', `No task ${a.seq}.`);
      const from = Math.min(a.offset ?? 0, t.output.length);
      return ok({ seq: a.seq, offset: from, total: t.output.length, text: t.output.slice(from), truncated: false });
    },
    getTaskDetail(a) {
      const t = task(a.seq);
      if (!t) return err('NOT_FOUND', `No task ${a.seq}.`);
      // A module task runs inside its slot's host: one process, whose RSS is the host's.
      const host = t.memoryScope === 'host' && t.pid !== null;
      const tree = host
        ? [{ pid: t.pid as number, ppid: 1200, name: 'node', state: (t.cpuPercent ?? 0) > 1 ? 'R' : 'S', cpuPercent: t.cpuPercent ?? 0, rss: t.rss ?? 0 }]
        : t.pids.length
        ? [
            { pid: t.pids[0], ppid: 1200, name: 'sh', state: 'S', cpuPercent: 0, rss: 3 * 1024 * 1024 },
            { pid: t.pids[1], ppid: t.pids[0], name: 'xz', state: t.state === 'paused' ? 'T' : (t.cpuPercent ?? 0) > 1 ? 'R' : 'S', cpuPercent: t.cpuPercent ?? 0, rss: (t.rss ?? 0) - 3 * 1024 * 1024 },
          ]
        : [];
      return ok({ task: sim.public(t), tree, history: [...t.history] });
    },
    getTasks: (a) => (sim.job ? ok(simPage(sim, a)) : err('BAD_STATE', 'No job loaded.')),
    exportJoblog: () => ok({ text: 'Seq\tHost\tStarttime\n', path: null }),
    searchTasks(a) {
      if (!sim.job) return err('BAD_STATE', 'No job loaded.');
      const needle = a.text.toLowerCase();
      const hits = sim.tasks.filter((t) => (a.in === 'input' ? t.input : t.output).toLowerCase().includes(needle));
      const limit = a.limit ?? 200;
      return ok({ tasks: hits.slice(0, limit).map((t) => sim.public(t)), more: hits.length > limit });
    },
    startRemaining() {
      if (!sim.job || !['draining', 'stopping', 'stopped'].includes(sim.job.state)) return err('BAD_STATE', 'Start remaining works after a drain or a stop.');
      sim.start();
      return ok(null);
    },
    getStream: (q) => ok(mockStream(sim.tasks, q, sim.now)),
    listLeftovers: () => ok(leftovers),
    killLeftovers() {
      const killed = leftovers.length;
      leftovers = [];
      return ok({ killed });
    },
    // Run history and attach need a state directory and other processes: the simulator has neither.
    listRuns: () => ok([]),
    getRunTasks: (a) => err('NOT_FOUND', `no run ${a.runId}`),
    pruneRuns: () => ok({ removed: [] }),
    resumeRun: (a) => err('NOT_FOUND', `no run ${a.runId}`),
    listSupervisors: () => ok([]),
    attachSupervisor: (a) => err('NOT_FOUND', `no live supervisor with pid ${a.pid} on this machine`),
    detachSupervisor: () => ok(null),
    // One simulated job: the simulator has no second pool.
    listJobs: () => ok({ jobs: [], busy: 0, pools: 0, cores: 1, machineCpuPercent: null }),
    newJob: () => err('BAD_STATE', 'the simulator runs one job'),
    selectJob: (a) => err('NOT_FOUND', `no live job ${a.jobId}`),
    closeJob: (a) => err('NOT_FOUND', `no live job ${a.jobId}`),
  };

  const api = Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [name, async (args: unknown) => (fn as (a: unknown) => unknown)(args ?? {})]),
  );
  return { ...api, onTick: events.onTick, onNotice: events.onNotice } as unknown as CorralApi;
}

/**
 * A page of the simulator's tasks. The table's usual view (all tasks by seq) is sliced from the
 * seq-ordered list: copying all 30 000 tasks for 200 rows, once a second, was the simulator's
 * cost in the soak (~15 ms and a minor GC on the page's thread), not the dashboard's.
 */
function simPage(sim: Sim, q: MethodArgs<'getTasks'>): TaskPage {
  if ((q.filter ?? 'all') !== 'all' || (q.sort ?? 'seq') !== 'seq') return pageRows(sim.tasks.map((t) => sim.public(t)), q);
  const n = sim.tasks.length;
  const rows: TaskInfo[] = [];
  for (let i = q.offset; i < Math.min(n, q.offset + q.limit); i++) rows.push(sim.public(sim.tasks[q.desc ? n - 1 - i : i]));
  return { total: n, offset: q.offset, tasks: rows };
}

// Just enough validation to exercise the editor's located errors.
function validate(text: string): JobFileIssue[] {
  const issues: JobFileIssue[] = [];
  const lines = text.split('\n');
  const issue = (line: number, path: string, message: string) =>
    issues.push({ file: '<pasted>', line, column: 1, path, message, text: `<pasted>:${line}:1: ${path}: ${message}` });
  lines.forEach((l, i) => {
    if (/^\S[^:]*$/.test(l.trim()) && !l.startsWith(' ') && l.trim() && !l.trim().startsWith('#')) issue(i + 1, l.trim(), 'expected "key: value"');
  });
  if (!/^(command|module):/m.test(text)) issue(0, 'command', 'expected one of command or module');
  if (!/^inputs:/m.test(text)) issue(0, 'inputs', 'expected inputs (list, range, file or glob)');
  return issues;
}
