// Module-task host: one per pool slot, reused across tasks. Loads the user's module
// (ESM or CommonJS) and runs `default(input, ctx)` for each `start` message.
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { FromHost, HostIdle, ToHost } from '../../main/core/run/hostMessages.js';
import { toPlainError } from '../../main/core/run/hostMessages.js';
import { stripElectronEnv } from '../../main/core/run/taskEnv.js';
import { sizeResult } from './result.js';

// This host needed ELECTRON_RUN_AS_NODE to start as Node; the user's module and its children must not inherit it.
stripElectronEnv(process.env);

type TaskFn = (input: string, ctx: TaskContext) => unknown;

interface TaskContext {
  taskId: number;
  slot: number;
  attempt: number;
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
  heartbeat(): void;
  log(...args: unknown[]): void;
}

type Start = Extract<ToHost, { type: 'start' }>;

const modules = new Map<string, Promise<TaskFn>>();
/** The running task; its AbortController is made when ctx.signal is read or an abort comes (most tasks never need one) */
let current: { taskId: number; abort: AbortController | null } | null = null;

/** Aborts the running task's ctx.signal (made now if nobody has read it yet, so a later read sees it aborted). */
function abortCurrent(reason: string): void {
  if (current) (current.abort ??= new AbortController()).abort(new Error(reason));
}
/** Starts sent ahead (prefetched), in order; an abort for one of them is kept until it begins */
const starts: { msg: Start; abortReason: string | null }[] = [];
let looping = false;

// Messages leave in batches. Quick tasks run back to back in one event-loop turn (a streak) and
// their begins and ends leave in one write when the streak ends: after STREAK_MS, after a task
// that ran QUICK_MS or more (so a long task's end never waits behind the next), or when no start
// is left. An end therefore waits at most STREAK_MS plus the run of the one task begun after it.
// Outside a streak the batch is written before the next task's code runs, or at the end of the turn.
let outbox: FromHost[] = [];
let flushQueued = false;
/** A task that ran this long (ms) ends its streak: its end leaves before the next task begins. */
const QUICK_MS = 0.5;
/** A streak lasts at most this long (ms) before its ends leave and incoming messages are read. */
const STREAK_MS = 1;

function flush(): void {
  flushQueued = false;
  if (outbox.length === 0) return;
  // A supervisor that went away leaves nobody to talk to: exit instead of running on.
  if (!process.connected) process.exit(70);
  const batch = outbox;
  outbox = [];
  process.send?.(batch);
}

function send(msg: FromHost): void {
  outbox.push(msg);
  if (flushQueued) return;
  flushQueued = true;
  setImmediate(flush);
}

function loadTaskFn(path: string): Promise<TaskFn> {
  let p = modules.get(path);
  if (!p) {
    p = import(pathToFileURL(path).href).then((m: Record<string, unknown>) => {
      const fn = m.default ?? (m as { 'module.exports'?: unknown })['module.exports'];
      const resolved = typeof fn === 'function' ? fn : (fn as { default?: unknown } | undefined)?.default;
      if (typeof resolved !== 'function') {
        throw new TypeError(`${path} must export a function as default (export default async (input, ctx) => result)`);
      }
      return resolved as TaskFn;
    });
    modules.set(path, p);
  }
  return p;
}

// User code's console output is the task's output: route it to the supervisor with the task id.
function routeConsole(): void {
  const route = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => {
    if (current) send({ type: 'log', taskId: current.taskId, stream, text: format(...args) + '\n' });
    else process[stream].write(format(...args) + '\n');
  };
  console.log = route('stdout');
  console.info = route('stdout');
  console.debug = route('stdout');
  console.warn = route('stderr');
  console.error = route('stderr');
  // Direct writes of text too: they travel with the task id, so they never land in the next task's output.
  for (const stream of ['stdout', 'stderr'] as const) {
    const write = process[stream].write.bind(process[stream]) as (...args: unknown[]) => boolean;
    process[stream].write = ((chunk: unknown, ...rest: unknown[]) => {
      // Bytes keep the pipe (a log message carries text, which would mangle what is not UTF-8).
      if (!current) return write(chunk, ...rest);
      if (typeof chunk !== 'string') {
        flush(); // the task's begin (held in a streak) reaches the supervisor before its bytes
        return write(chunk, ...rest);
      }
      send({ type: 'log', taskId: current.taskId, stream, text: chunk });
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      if (cb) queueMicrotask(cb);
      return true;
    }) as typeof process.stdout.write;
  }
}

/**
 * Runs one task; returns whether it was quick (its end may wait in the outbox for the streak).
 * `idleNow`: the host's state while idle, when the task before it just measured it (in a streak).
 */
async function run(msg: Start, abortReason: string | null, idleNow: HostIdle | null): Promise<boolean> {
  const cur: NonNullable<typeof current> = { taskId: msg.taskId, abort: null };
  current = cur;
  if (abortReason !== null) abortCurrent(abortReason);
  send({ type: 'begin', taskId: msg.taskId, idle: idleNow ?? idle() });
  // Outside a streak the end of the task before and this begin leave now, before user code can block.
  if (idleNow === null) flush();
  const ctx: TaskContext = {
    taskId: msg.taskId,
    slot: msg.slot,
    attempt: msg.attempt,
    get signal() {
      return (cur.abort ??= new AbortController()).signal;
    },
    progress: (fraction, message) =>
      send({ type: 'progress', taskId: msg.taskId, fraction: Math.max(0, Math.min(1, Number(fraction) || 0)), message }),
    heartbeat: () => send({ type: 'heartbeat', taskId: msg.taskId }),
    log: (...args) => send({ type: 'log', taskId: msg.taskId, stream: 'stdout', text: format(...args) + '\n' }),
  };
  const t0 = performance.now();
  // In a streak the task before just read the CPU clock: its end is this task's start (one read a task).
  const cpu0 = idleNow && lastCpu ? lastCpu : process.cpuUsage();
  const usage = () => {
    const c = (lastCpu = process.cpuUsage());
    const rss = process.memoryUsage.rss();
    lastIdle = { cpuMs: (c.user + c.system) / 1000, rss };
    return { cpuMs: (c.user + c.system - cpu0.user - cpu0.system) / 1000, rss, idle: lastIdle };
  };
  try {
    const fn = await loadTaskFn(msg.module);
    // A stop that came while the module loaded: a listener added now would never fire.
    if (cur.abort?.signal.aborted) throw cur.abort.signal.reason;
    const sized = sizeResult(await fn(msg.input, ctx), msg.maxResultBytes);
    if (sized.ok) send({ type: 'result', taskId: msg.taskId, value: sized.value, bytes: sized.bytes, usage: usage() });
    else send({ type: 'error', taskId: msg.taskId, error: sized.error, usage: usage() });
  } catch (err) {
    send({ type: 'error', taskId: msg.taskId, error: toPlainError(err), usage: usage() });
  } finally {
    current = null;
  }
  return performance.now() - t0 < QUICK_MS;
}

/** The host's state measured at the last task's end (the next task of a streak begins from it). */
let lastIdle: HostIdle | null = null;
let lastCpu: NodeJS.CpuUsage | null = null;

/** Runs the sent starts one after another. Each turn of the event loop reads what arrived
 * meanwhile (a recall, an abort), then runs one streak; a start the supervisor recalled while a
 * streak ran may still be begun, which the supervisor handles (a begun task runs, however late
 * its recall). */
async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    for (;;) {
      await new Promise<void>((r) => setImmediate(r)); // a recall or abort that came in is read first
      const streakStart = performance.now();
      let quick = false;
      for (let next = starts.shift(); next; next = starts.shift()) {
        quick = await run(next.msg, next.abortReason, quick ? lastIdle : null);
        if (!quick || starts.length === 0 || performance.now() - streakStart >= STREAK_MS) break;
      }
      flush(); // the streak's ends leave now
      if (starts.length === 0) break;
    }
  } finally {
    looping = false;
    flush(); // the last end leaves now
  }
}

function recall(taskIds: number[]): void {
  const ids = new Set(taskIds);
  const dropped: number[] = [];
  for (let i = starts.length - 1; i >= 0; i--) {
    if (!ids.has(starts[i].msg.taskId)) continue;
    dropped.push(starts[i].msg.taskId);
    starts.splice(i, 1);
  }
  send({ type: 'recalled', taskIds: dropped.reverse() });
}

function idle(rss = process.memoryUsage.rss()): HostIdle {
  const c = process.cpuUsage();
  return { cpuMs: (c.user + c.system) / 1000, rss };
}

function onMessage(msg: ToHost): void {
  // run() reports every task error itself; if even that fails (the channel is gone), the host ends
  // and the supervisor sees a host exit for the task.
  if (msg.type === 'start') {
    starts.push({ msg, abortReason: null });
    loop().catch(() => process.exit(70));
  } else if (msg.type === 'recall') recall(msg.taskIds);
  else if (msg.type === 'abort') {
    if (current?.taskId === msg.taskId) abortCurrent(msg.reason);
    else {
      const queued = starts.find((s) => s.msg.taskId === msg.taskId);
      if (queued) queued.abortReason ??= msg.reason;
    }
  } else if (msg.type === 'shutdown') {
    abortCurrent('host shutting down');
    flush();
    process.disconnect?.();
    setImmediate(() => process.exit(0));
  }
}

process.on('message', (batch: ToHost[] | ToHost) => {
  for (const m of Array.isArray(batch) ? batch : [batch]) onMessage(m);
});
process.on('disconnect', () => process.exit(0));
// A rejection the user's function forgot to await must not take other tasks down silently.
process.on('unhandledRejection', (reason) => {
  if (current) send({ type: 'log', taskId: current.taskId, stream: 'stderr', text: `unhandled rejection: ${format(reason)}\n` });
});
routeConsole();
send({ type: 'ready', pid: process.pid, idle: idle() });
flush();
