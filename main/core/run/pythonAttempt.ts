// One attempt of a Python function task: runModuleAttempt's counterpart, on the slot's Python host.
import { dirname, join } from 'node:path';
import type { JobSpec } from '../job/types.js';
import type { AttemptEnv, AttemptHooks, AttemptResult } from '../pool/attempt.js';
import { stopSettled } from '../pool/attempt.js';
import { mainEnded } from '../pool/mainExit.js';
import type { Slot } from '../pool/slots.js';
import type { LiveAttempt, TaskRecord } from '../pool/task.js';
import { stopResult } from '../pool/taskControl.js';
import { PythonHost } from './pythonHost.js';

/** The Python host ships beside the Node host (out/workers/pyhost/, unpacked like it in an app). */
export function pythonHostScript(nodeHostScript: string): string {
  return join(dirname(nodeHostScript), 'pyhost', 'corral_host.py');
}

/** Jobs already warned that a result crossed as its repr(): once per job, not per task. */
const reprWarned = new WeakSet<JobSpec>();

export async function runPythonAttempt(
  t: TaskRecord,
  live: LiveAttempt,
  slot: Slot,
  spec: JobSpec,
  env: AttemptEnv,
  hooks: AttemptHooks,
  onActivity: (stdoutBytes?: number) => void,
): Promise<AttemptResult> {
  const py = spec.python!;
  if (!(slot.host instanceof PythonHost) || !slot.host.alive) {
    if (slot.host?.registered) hooks.groupEnded(slot.host.pid); // died while idle
    slot.host = new PythonHost({
      interpreter: py.interpreter,
      script: pythonHostScript(env.hostScript),
      target: py.target,
      init: py.init,
      baseDir: spec.baseDir,
      env: env.taskEnv,
      cwd: spec.cwd,
    });
  }
  const host = slot.host;
  live.pid = host.pid;
  live.pgid = process.platform === 'win32' ? null : host.pid;
  t.info.pid = host.pid;
  if (host.pid !== null && !host.registered) {
    hooks.groupStarted(host.pid, live.pgid);
    host.registered = true;
  }
  live.abortModule = (reason) => host.abort(t.seq, reason);
  t.info.memoryScope = 'host';
  hooks.changed(t);
  const r = await host.run(
    { taskId: t.seq, input: t.info.input, slot: slot.index, attempt: live.n, maxResultBytes: spec.maxResultSize },
    {
      output: t.output,
      onActivity,
      onProgress: (fraction, message) => {
        t.info.progress = { fraction, message, at: Date.now() };
      },
      onStart: (idle) => {
        if (!idle) return;
        live.cpuBaselineS = idle.cpuMs / 1000;
        t.info.rssAtStart = idle.rss;
      },
    },
  );
  mainEnded(live);
  if (r.usage) {
    t.info.cpuSeconds = Math.max(t.info.cpuSeconds ?? 0, r.usage.cpuMs / 1000);
    t.info.peakRss = Math.max(t.info.peakRss ?? 0, r.usage.rss);
  }
  await stopSettled(live);
  const recycle = !host.alive || (spec.maxTasksPerWorker !== null && host.tasksRun >= spec.maxTasksPerWorker);
  const endedBy = stopResult(live)?.endedBy ?? null;
  if (r.ok) {
    if (r.repr && !reprWarned.has(spec)) {
      reprWarned.add(spec);
      t.output.push(Buffer.from(`corral: warning: the result is not JSON (${r.repr}); results of this job that are not cross as their repr()\n`));
    }
    env.results.keep(t.seq, r.value, r.bytes);
    const shown = JSON.stringify(r.value);
    t.output.push(Buffer.from(`=> ${shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown}\n`), 'stdout'); // the task's output on the CLI too
    return { ok: true, exitCode: 0, signal: null, error: null, recycleHost: recycle, endedBy, treeGone: true };
  }
  if (r.hostExit) {
    if (r.error.stack) t.output.push(Buffer.from(`${r.error.stack}\n`), 'stderr');
    const exitCode = r.hostExit.code === 0 ? 1 : r.hostExit.code;
    const error = r.error.name === 'HostExited' || r.error.byHost ? r.error.message : `${r.error.name}: ${r.error.message}`;
    return { ok: false, exitCode, signal: r.hostExit.signal, error, recycleHost: true, endedBy, treeGone: true };
  }
  // One line for the CLI and the table; the full traceback is the task's output.
  const error = r.error.byHost ? r.error.message : `${r.error.name}: ${r.error.message}`;
  t.output.push(Buffer.from(`${r.error.stack ?? error}\n`), 'stderr');
  return { ok: false, exitCode: 1, signal: null, error, recycleHost: recycle, endedBy, treeGone: true };
}
