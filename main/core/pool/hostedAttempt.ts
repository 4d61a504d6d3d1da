// One attempt of a module or Python function task, on the task's slot host, which has begun it.
import type { JobSpec } from '../job/types.js';
import { ModuleHost } from '../run/moduleHost.js';
import { PythonHost } from '../run/pythonHost.js';
import { pythonHostScript } from '../run/pythonAttempt.js';
import type { ModuleAttemptEnd, TaskHost } from '../run/taskHost.js';
import type { AttemptEnv, AttemptHooks, AttemptResult } from './attempt.js';
import { mainEnded } from './mainExit.js';
import type { LiveAttempt, TaskRecord } from './task.js';
import { stopResult } from './taskControl.js';

/** Jobs already warned that a result crossed as its repr(): once per job, not per task. */
const reprWarned = new WeakSet<JobSpec>();

/** A fresh host for a slot of a module or Python job. */
export function newHost(spec: JobSpec, env: AttemptEnv): TaskHost {
  const py = spec.python;
  if (!py) return new ModuleHost({ script: env.hostScript, execPath: env.execPath, env: env.taskEnv, cwd: spec.cwd });
  return new PythonHost({
    interpreter: py.interpreter,
    script: pythonHostScript(env.hostScript),
    target: py.target,
    init: py.init,
    baseDir: spec.baseDir,
    env: env.taskEnv,
    cwd: spec.cwd,
  });
}

/**
 * Runs the attempt on the host that began it; `done` is told its result as the host's message
 * carrying the end is read (a batch of ends in one turn, no promise per task), or once a stop in
 * progress has settled. `fail`: a bug while ending it.
 */
export function runHostedAttempt(
  t: TaskRecord,
  live: LiveAttempt,
  host: TaskHost,
  spec: JobSpec,
  env: AttemptEnv,
  hooks: AttemptHooks,
  onActivity: (stdoutBytes?: number) => void,
  done: (r: AttemptResult) => void,
  fail: (err: Error) => void,
): void {
  live.pid = host.pid;
  live.pgid = process.platform === 'win32' ? null : host.pid;
  t.info.pid = host.pid;
  // A reused host is one process group for all its tasks: the reaper and ledger learn it once.
  if (host.pid !== null && !host.registered) {
    hooks.groupStarted(host.pid, live.pgid);
    host.registered = true;
  }
  live.abortModule = (reason) => host.abort(t.seq, reason);
  // The host's tree is shared by all its tasks: memory is the host's, shown with its RSS at start.
  t.info.memoryScope = 'host';
  const info = t.info;
  host.attachThen(
    t.seq,
    {
      output: t.output,
      onActivity,
      onProgress: (fraction, message) => {
        info.progress = { fraction, message, at: Date.now() };
      },
      // Told by the host while idle, so it holds even when user code never yields the event loop.
      onStart: (idle) => {
        if (!idle) return;
        live.cpuBaselineS = idle.cpuMs / 1000;
        info.rssAtStart = idle.rss;
      },
    },
    (r) => {
      try {
        mainEnded(live);
        if (r.usage) {
          // The host measured the task itself; the tree sample adds any child processes it ran.
          // whole µs over 1e6: the ended-task column stores such a figure in 2-4 bytes, not 8
          info.cpuSeconds = Math.max(info.cpuSeconds ?? 0, Math.round(r.usage.cpuMs * 1000) / 1e6);
          info.peakRss = Math.max(info.peakRss ?? 0, r.usage.rss);
        }
        if (!live.stopDone) return done(hostedResult(t, live, host, spec, env, r));
        stopSettled(live).then(() => done(hostedResult(t, live, host, spec, env, r)), fail);
      } catch (err) {
        fail(err as Error);
      }
    },
  );
}

/** The attempt's result from the host's end (after any stop has settled). */
function hostedResult(t: TaskRecord, live: LiveAttempt, host: TaskHost, spec: JobSpec, env: AttemptEnv, r: ModuleAttemptEnd): AttemptResult {
  const recycle = !host.alive || (spec.maxTasksPerWorker !== null && host.tasksRun >= spec.maxTasksPerWorker);
  // Returned after a stop (an abort it did not honour in time): the stop's step is still named.
  const endedBy = stopResult(live)?.endedBy ?? null;
  if (r.ok) {
    if (r.repr && !reprWarned.has(spec)) {
      reprWarned.add(spec);
      t.output.push(Buffer.from(`corral: warning: the result is not JSON (${r.repr}); results of this job that are not cross as their repr()\n`), 'stderr');
    }
    env.results.keep(t.seq, r.value, r.bytes);
    t.output.push(Buffer.from(`=> ${formatResult(r.value)}\n`), 'stdout'); // the task's output on the CLI too
    return { ok: true, exitCode: 0, signal: null, error: null, recycleHost: recycle, endedBy, treeGone: true };
  }
  // One line for the CLI and the table; the full traceback is the task's output.
  const error = r.error.name === 'HostExited' || r.error.byHost ? r.error.message : `${r.error.name}: ${r.error.message}`;
  if (r.hostExit) {
    if (r.error.stack) t.output.push(Buffer.from(`${r.error.stack}\n`), 'stderr');
    // A host that exits 0 before the task returned still failed the task: its row must not read as a
    // clean exit (--resume-failed would skip it). The error text keeps the host's own code.
    const exitCode = r.hostExit.code === 0 ? 1 : r.hostExit.code;
    return { ok: false, exitCode, signal: r.hostExit.signal, error, recycleHost: true, endedBy, treeGone: true };
  }
  t.output.push(Buffer.from(`${r.error.stack ?? error}\n`), 'stderr');
  return { ok: false, exitCode: 1, signal: null, error, recycleHost: recycle, endedBy, treeGone: true };
}

function formatResult(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
  } catch {
    return String(v);
  }
}

/**
 * Waits for the stop in progress, and for any that took over from it while waiting (a force
 * kill aborts a graceful sequence early: the attempt must wait for the force to verify).
 */
export async function stopSettled(live: Pick<LiveAttempt, 'stopDone'>): Promise<void> {
  let awaited: Promise<void> | null = null;
  while (live.stopDone && live.stopDone !== awaited) {
    awaited = live.stopDone;
    await awaited;
  }
}
