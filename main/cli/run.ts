import { resolve } from 'node:path';
import type { JobFileIssue, Outcome, TaskInfo, Tick } from '../contract/types.js';
import { createSupervisor } from '../core/supervisor.js';
import { spawnMode } from '../core/run/spawnHelper.js';
import { ENDED_STATES } from '../core/pool/task.js';
import { detach } from '../core/errors.js';
import { internalErrorLine } from './processIo.js';
import { parseArgs, UsageError } from './args.js';
import { jobKeyFlag, tickFlag } from './flags.js';
import { runExitCode, type StopCause } from './exitCode.js';
import { bar, fmtBytes, fmtDuration } from './format.js';
import { startControlOrWarn } from '../core/control/index.js';
import { stateDir } from '../core/reap/index.js';

export const RUN_HELP = `usage: corral run FILE|--demo [options]

Runs a job file (YAML or JSON) on a pool of processes and waits for it to end.

options:
  --jobs N|50%|auto   pool size (overrides the job's concurrency; same values)
  --joblog FILE       write the joblog here (default: the state directory)
  --resume            skip tasks the joblog already has as ended (ok or failed)
  --resume-failed     skip tasks the joblog has as ok; run failed ones again
  --timeout D|300%|off  per-task timeout, e.g. 30s, 5m, 300% of the median (overrides the job's)
  --retries N         retries per failed task (overrides the job's)
  --tick D            sampling interval, 250ms..10s (default 1s)
  --json              one JSON object per finished task, then a summary object
  --demo [python]     run the embedded demo job (or the Python one)

exit codes: 0 all tasks ok (or halted by success=…), 1 some failed, 2 bad job file or usage,
129 hangup, 130 interrupted (Ctrl-C), 141 stdout closed (e.g. | head), 143 terminated (SIGTERM),
70 internal error`;


/** What each stop cause says as it starts stopping; a closed stdout stops quietly. */
const STOPPING: Readonly<Record<StopCause, string | null>> = {
  SIGINT: 'corral: interrupted — stopping running tasks gracefully (Ctrl-C again to kill them)',
  SIGTERM: 'corral: terminated — stopping running tasks gracefully (SIGTERM again to kill them)',
  SIGHUP: 'corral: hangup — stopping running tasks gracefully',
  'stdout-closed': null,
};

export interface RunIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  /** Registers the handler of signals and of a closed stdout; returns an unregister function */
  onInterrupt(cb: (cause: StopCause) => void): () => void;
}

export async function runCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const a = parseArgs('run', argv, {
    values: ['--jobs', '--joblog', '--timeout', '--retries', '--tick'],
    switches: ['--resume', '--resume-failed', '--json', '--demo', '--help'],
  });
  if (a.switches.has('--help')) {
    io.stdout.write(RUN_HELP + '\n');
    return 0;
  }
  // Flag values first: in "--jobs job.yaml" the value is what is wrong, not the missing file.
  const flag = <K extends 'concurrency' | 'timeout' | 'retries'>(name: string, key: K) => {
    const text = a.values.get(name);
    return text === undefined ? undefined : jobKeyFlag('run', name, key, text);
  };
  const overrides = { concurrency: flag('--jobs', 'concurrency'), timeout: flag('--timeout', 'timeout'), retries: flag('--retries', 'retries') };
  const tickMs = tickFlag('run', a.values.get('--tick'));
  // `--demo python`: the Python demo; a job file named python needs ./python.
  const pythonDemo = a.switches.has('--demo') && a.positionals.length === 1 && a.positionals[0] === 'python';
  if (pythonDemo) a.positionals.pop();
  const demo = a.switches.has('--demo');
  if (demo && a.positionals.length) throw new UsageError('corral run: give a job file or --demo, not both');
  if (!demo && a.positionals.length !== 1) {
    throw new UsageError(a.positionals.length ? 'corral run: give exactly one job file' : 'corral run: missing job file (or --demo); see corral run --help');
  }
  if (a.switches.has('--resume') && a.switches.has('--resume-failed')) {
    throw new UsageError('corral run: --resume and --resume-failed cannot be used together');
  }
  const resume = a.switches.has('--resume') ? 'resume' : a.switches.has('--resume-failed') ? 'resume-failed' : null;
  if (resume && !a.values.has('--joblog')) throw new UsageError(`corral run: --${resume} needs --joblog FILE`);
  const json = a.switches.has('--json');
  const spawn = envSetting(() => spawnMode(process.env));

  const sup = createSupervisor({
    ...overrides,
    spawn,
    joblog: a.values.has('--joblog') ? resolve(a.values.get('--joblog')!) : undefined,
    resume,
    settings: tickMs ? { tickMs } : undefined,
  });
  const loaded = await sup.call('loadJob', demo ? { demo: pythonDemo ? 'python' : true } : { path: resolve(a.positionals[0]) });
  if (!loaded.ok) {
    await sup.close();
    if (loaded.error.code === 'JOB_INVALID') {
      // Name the file as the user typed it, not the absolute path the loader resolved.
      const given = a.positionals[0];
      const abs = given === undefined ? null : resolve(given);
      const shown = (text: string) => (abs && given && text.startsWith(`${abs}:`) ? given + text.slice(abs.length) : text);
      for (const issue of loaded.error.details as JobFileIssue[]) io.stderr.write(`corral: ${shown(issue.text)}\n`);
      return 2;
    }
    throw new UsageError(`corral run: ${loaded.error.message}`);
  }
  const leftovers = await sup.call('listLeftovers', {});
  if (leftovers.ok && leftovers.value.length) {
    io.stderr.write(
      `corral: ${leftovers.value.length} process group(s) from an earlier run that did not end cleanly are still alive (pids ${leftovers.value.map((l) => l.pid).join(', ')}); run \`corral reap\` to kill them\n`,
    );
  }

  if (loaded.value.job.ordering === 'longest-first') {
    io.stderr.write('corral: dispatching longest first, by the runtimes in earlier joblogs of this job (tasks without history go first)\n');
  }
  const tty = !json && io.stdout.isTTY === true;
  const printer = new Progress(io, tty, json, (seq) => sup.taskResult(seq));
  const off = sup.on('tick', (t) => printer.tick(t));
  let haltTrigger: Outcome | null = null;
  const offNotice = sup.on('notice', (n) => {
    // The halt notice comes as the triggering task ends, before the halt stops any other.
    if (n.kind === 'info' && n.message.startsWith('halting:') && n.taskSeq !== undefined) haltTrigger = sup.run!.taskInfo(n.taskSeq).outcome;
    if (n.kind === 'task-stuck' || n.kind === 'error' || (n.kind === 'info' && n.level !== 'info')) printer.message(`corral: ${n.message}`);
  });
  let stop: StopCause | null = null;
  const offInt = io.onInterrupt((cause) => {
    if (stop === null) {
      stop = cause;
      const text = STOPPING[cause];
      if (text) printer.message(text);
      detach(sup.call('stopJob', { mode: 'graceful' }), (err) => io.stderr.write(internalErrorLine(err)));
    } else if (cause === 'SIGINT' || cause === 'SIGTERM') {
      // A hangup or a closed stdout arrives once per event; only a repeated Ctrl-C or TERM escalates.
      printer.message('corral: killing running tasks');
      detach(sup.call('stopJob', { mode: 'force' }), (err) => io.stderr.write(internalErrorLine(err)));
    }
  });
  // `corral serve` and the app can attach to this run through its control socket.
  const control = await startControlOrWarn(sup, stateDir(), (l) => io.stderr.write(l + '\n'));
  const started = await sup.call('startJob', {});
  if (!started.ok) throw new UsageError(`corral run: ${started.error.message}`);
  await sup.finished();
  await sup.close();
  await control?.close();
  off();
  offNotice();
  offInt();
  const snap = sup.run!.info();
  printer.summary(snap, sup.run!.store.outcomeCounts());
  // Killed by the user is not the task's failure, but not "all tasks ok" either.
  return runExitCode({ stop, state: snap.state, failed: snap.counts.failed + snap.counts.killed, halt: sup.run!.spec.halt, haltTrigger });
}

/** TTY: one live line. Elsewhere: one line per finished task. --json: one object per task. */
class Progress {
  // An ended attempt can reach two ticks (its slot freed, then its row on disk): print it once. The
  // keys live two generations of a minute, so memory follows the tasks ending now, not the job.
  #printed = new Set<string>();
  #printedBefore = new Set<string>();
  #generationAt = Date.now();
  #lineShown = false;
  constructor(
    private io: RunIo,
    private tty: boolean,
    private json: boolean,
    private result: (seq: number) => unknown,
  ) {}

  tick(t: Tick): void {
    if (t.time - this.#generationAt > 60_000) {
      this.#printedBefore = this.#printed;
      this.#printed = new Set();
      this.#generationAt = t.time;
    }
    // Tasks that ended within one tick print in the order they ended.
    const byEnd = [...t.tasks].sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0) || a.seq - b.seq);
    let out = ''; // one write per tick, however many tasks ended
    for (const task of byEnd) {
      if (!ENDED_STATES.has(task.state) || task.state === 'skipped') continue;
      const key = `${task.seq}:${task.attempt}`;
      if (this.#printed.has(key) || this.#printedBefore.has(key)) continue;
      this.#printed.add(key);
      if (this.json) out += JSON.stringify({ ...taskJson(task), result: this.result(task.seq) ?? null }) + '\n';
      else if (!this.tty) out += taskLine(task) + '\n';
      else if (task.state !== 'done') this.message(taskLine(task));
    }
    if (out) this.io.stdout.write(out);
    if (this.tty && t.job) {
      const c = t.job.counts;
      const doneN = c.done + c.failed + c.killed + c.interrupted + c.skipped;
      const width = Math.max(10, Math.min(30, (this.io.stdout.columns ?? 80) - 70));
      const line = `${bar(c.total ? doneN / c.total : 1, width)} ${doneN}/${c.total}  ok ${c.done}  failed ${c.failed}${c.killed ? `  killed ${c.killed}` : ''}${c.interrupted ? `  interrupted ${c.interrupted}` : ''}  running ${c.running}  queued ${c.queued}${c.stuck ? `  stuck ${c.stuck}` : ''}${c.suspect ? `  suspect ${c.suspect}` : ''}  ${t.job.tasksPerSecond.toFixed(1)}/s  ETA ${t.job.etaMs === null ? '—' : fmtDuration(t.job.etaMs)}`;
      this.io.stdout.write(`\r\x1b[2K${line}`);
      this.#lineShown = true;
    }
  }

  message(text: string): void {
    if (this.#lineShown) this.io.stdout.write('\r\x1b[2K');
    this.#lineShown = false;
    (this.json ? this.io.stderr : this.io.stdout).write(text + '\n');
  }

  summary(job: ReturnType<NonNullable<ReturnType<typeof createSupervisor>['run']>['info']>, byOutcome: Map<Outcome, number>): void {
    if (this.#lineShown) this.io.stdout.write('\r\x1b[2K');
    const c = job.counts;
    const wall = (job.endedAt ?? Date.now()) - (job.startedAt ?? Date.now());
    if (this.json) {
      this.io.stdout.write(JSON.stringify({ summary: { name: job.name, state: job.state, counts: c, outcomes: Object.fromEntries(byOutcome), wallSeconds: wall / 1000, joblog: job.joblog, haltReason: job.haltReason } }) + '\n');
      return;
    }
    const parts = [...byOutcome].filter(([o]) => o !== 'ok').map(([o, n]) => `${n} ${o}`);
    this.io.stdout.write(
      `${job.name}: ${job.state} — ${c.done} ok${parts.length ? ', ' + parts.join(', ') : ''}${c.queued ? `, ${c.queued} not run` : ''} of ${c.total} in ${fmtDuration(wall)}${job.haltReason ? ` (halt: ${job.haltReason})` : ''}\n`,
    );
    if (job.joblog) this.io.stdout.write(`joblog: ${job.joblog}\n`);
  }
}

function taskLine(t: TaskInfo): string {
  const status = t.state === 'done' ? 'ok' : t.state;
  const extra = t.error && t.state !== 'done' ? ` — ${t.error}` : '';
  const attempt = t.attempt > 1 ? ` (attempt ${t.attempt})` : '';
  return `[${t.seq}] ${status} ${fmtDuration(t.runtimeMs)} ${t.peakRss === null ? '—' : fmtBytes(t.peakRss)} ${t.command}${attempt}${extra}`;
}

function taskJson(t: TaskInfo) {
  return {
    seq: t.seq,
    input: t.input,
    command: t.command,
    outcome: t.outcome,
    state: t.state,
    attempt: t.attempt,
    exitCode: t.exitCode,
    signal: t.signal,
    error: t.error,
    runtimeSeconds: t.runtimeMs / 1000,
    peakRss: t.peakRss,
    cpuSeconds: t.cpuSeconds,
    slot: t.slot,
  };
}

/** An environment variable's bad value is a usage error (exit 2), named by the variable. */
function envSetting<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new UsageError(`corral run: ${(err as Error).message}`);
  }
}
