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

const modules = new Map<string, Promise<TaskFn>>();
let current: { taskId: number; abort: AbortController } | null = null;

function send(msg: FromHost): void {
  // A supervisor that went away leaves nobody to talk to: exit instead of running on.
  if (!process.connected) process.exit(70);
  process.send?.(msg);
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
}

async function run(msg: Extract<ToHost, { type: 'start' }>): Promise<void> {
  const abort = new AbortController();
  current = { taskId: msg.taskId, abort };
  const ctx: TaskContext = {
    taskId: msg.taskId,
    slot: msg.slot,
    attempt: msg.attempt,
    signal: abort.signal,
    progress: (fraction, message) =>
      send({ type: 'progress', taskId: msg.taskId, fraction: Math.max(0, Math.min(1, Number(fraction) || 0)), message }),
    heartbeat: () => send({ type: 'heartbeat', taskId: msg.taskId }),
    log: (...args) => send({ type: 'log', taskId: msg.taskId, stream: 'stdout', text: format(...args) + '\n' }),
  };
  const cpu0 = process.cpuUsage();
  const usage = () => {
    const d = process.cpuUsage(cpu0);
    const rss = process.memoryUsage.rss();
    return { cpuMs: (d.user + d.system) / 1000, rss, idle: idle(rss) };
  };
  try {
    const fn = await loadTaskFn(msg.module);
    // A stop that came while the module loaded: a listener added now would never fire.
    if (abort.signal.aborted) throw abort.signal.reason;
    const sized = sizeResult(await fn(msg.input, ctx), msg.maxResultBytes);
    if (sized.ok) send({ type: 'result', taskId: msg.taskId, value: sized.value, bytes: sized.bytes, usage: usage() });
    else send({ type: 'error', taskId: msg.taskId, error: sized.error, usage: usage() });
  } catch (err) {
    send({ type: 'error', taskId: msg.taskId, error: toPlainError(err), usage: usage() });
  } finally {
    current = null;
  }
}

function idle(rss = process.memoryUsage.rss()): HostIdle {
  const c = process.cpuUsage();
  return { cpuMs: (c.user + c.system) / 1000, rss };
}

process.on('message', (msg: ToHost) => {
  // run() reports every task error itself; if even that fails (the channel is gone), the host ends
  // and the supervisor sees a host exit for the task.
  if (msg.type === 'start') run(msg).catch(() => process.exit(70));
  else if (msg.type === 'abort') {
    if (current?.taskId === msg.taskId) current.abort.abort(new Error(msg.reason));
  } else if (msg.type === 'shutdown') {
    current?.abort.abort(new Error('host shutting down'));
    process.disconnect?.();
    setImmediate(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
// A rejection the user's function forgot to await must not take other tasks down silently.
process.on('unhandledRejection', (reason) => {
  if (current) send({ type: 'log', taskId: current.taskId, stream: 'stderr', text: `unhandled rejection: ${format(reason)}\n` });
});
routeConsole();
send({ type: 'ready', pid: process.pid, idle: idle() });
