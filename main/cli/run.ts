import { dirname, join, resolve } from 'node:path';
import type { JobFileIssue, Outcome } from '../contract/types.js';
import { createSupervisor } from '../core/supervisor.js';
import { spawnMode } from '../core/run/spawnHelper.js';
import { hungAfterMs } from '../core/run/helperWatch.js';
import { detach } from '../core/errors.js';
import { corralResources } from '../core/platform/resources.js';
import { loadSpec, type LoadedSpec } from '../core/pool/jobLoader.js';
import { spooledSource } from '../core/inputs/spooledSource.js';
import { streamSource } from '../core/inputs/streamSource.js';
import type { InputSource } from '../core/inputs/source.js';
import { internalErrorLine } from './processIo.js';
import { UsageError } from './args.js';
import { tickFlag } from './flags.js';
import { runExitCode, type StopCause } from './exitCode.js';
import { startControlOrWarn } from '../core/control/index.js';
import { stateDir } from '../core/reap/index.js';
import { parseRunArgs, type RunArgs } from './runArgs.js';
import { commandLineJob, isJobFileArg, jobOverrides, shuffledOrder } from './commandJob.js';
import { Report } from './report.js';
import { Sink, TurnBatch } from './sink.js';
import { TaskOutput } from './taskOutput.js';
import { JsonOutput } from './jsonOutput.js';
import { Results } from './results.js';
import { dryRun, outputOptions, servePort } from './runOptions.js';
import { RUN_HELP } from './runHelp.js';

export { RUN_HELP };

/** What each stop cause says as it starts stopping; a closed stdout stops quietly. */
const STOPPING: Readonly<Record<StopCause, string | null>> = {
  SIGINT: 'corral: interrupted — stopping running tasks gracefully (Ctrl-C again to kill them)',
  SIGTERM: 'corral: terminated — stopping running tasks gracefully (SIGTERM again to kill them)',
  SIGHUP: 'corral: hangup — stopping running tasks gracefully',
  'stdout-closed': null,
};

export interface RunIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Inputs when the command line names no source (GNU parallel reads them from stdin) */
  stdin?: NodeJS.ReadableStream;
  /** Registers the handler of signals and of a closed stdout; returns an unregister function */
  onInterrupt(cb: (cause: StopCause) => void): () => void;
}

/** The job a `corral run` command line names: the demo, a job file with options over its keys, or a command. */
async function loadRunJob(a: RunArgs, io: RunIo): Promise<{ loaded: LoadedSpec; fromFile: string | null } | { issues: JobFileIssue[]; given: string | null }> {
  // Option values first: in "--jobs job.yaml" the value is what is wrong, not the missing file.
  const overrides = jobOverrides(a);
  const demo = a.switches.has('--demo');
  // `--demo python`: the Python demo (a job file named python needs ./python).
  const pythonDemo = a.values.get('--demo') === 'python';
  if (demo && a.words.length) throw new UsageError('corral run: give a job file, a command or --demo, not both');
  if (!demo && a.words.length === 0) {
    throw new UsageError(a.sources.length ? 'corral run: missing command before :::' : 'corral run: missing command or job file (or --demo); see corral run --help');
  }
  if (demo || isJobFileArg(a)) {
    const given = demo ? null : a.words[0];
    try {
      const loaded = await loadSpec({ path: demo ? demoJobPath(pythonDemo) : resolve(given!) });
      Object.assign(loaded.spec, overrides);
      return { loaded, fromFile: given };
    } catch (err) {
      const e = err as { code?: string; details?: unknown; message: string };
      if (e.code === 'JOB_INVALID') return { issues: e.details as JobFileIssue[], given };
      throw err;
    }
  }
  // --dry-run, --shuf and --resume need every input before the first task.
  const whole = a.switches.has('--dry-run') || a.switches.has('--shuf') || a.switches.has('--resume') || a.switches.has('--resume-failed');
  const stdin = async (separator: 10 | 0, streamed: boolean): Promise<InputSource> => {
    if (!io.stdin) throw new UsageError('corral run: no inputs: give ::: ARGS, :::: FILE or pipe them on stdin');
    if (!streamed || whole) return spooledSource(io.stdin, separator);
    const src = streamSource(io.stdin, separator);
    // A stdin that cannot be read (EISDIR…) is reported once the run ends; its lines so far still run.
    detach(src.ended.then(() => {
      if (src.error) io.stderr.write(`corral: cannot read stdin: ${src.error.message}\n`);
    }), (err) => io.stderr.write(internalErrorLine(err)));
    return src;
  };
  return { loaded: await commandLineJob(a, stdin), fromFile: null };
}

export async function runCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const a = parseRunArgs(argv);
  if (a.switches.has('--help')) {
    io.stdout.write(RUN_HELP + '\n');
    return 0;
  }
  const tickMs = tickFlag('run', a.values.get('--tick'));
  if (a.switches.has('--resume') && a.switches.has('--resume-failed')) {
    throw new UsageError('corral run: --resume and --resume-failed cannot be used together');
  }
  const resume = a.switches.has('--resume') ? 'resume' : a.switches.has('--resume-failed') ? 'resume-failed' : null;
  if (resume && !a.values.has('--joblog')) throw new UsageError(`corral run: --${resume} needs --joblog FILE`);
  const json = a.switches.has('--json');
  const spawn = envSetting(() => spawnMode(process.env));
  envSetting(() => hungAfterMs(process.env)); // read again by the spawn helper: a bad value is a usage error here, not a crash there
  const outOpts = outputOptions(a);
  const port = servePort(a);

  const job = await loadRunJob(a, io);
  if ('issues' in job) {
    // Name the file as the user typed it, not the absolute path the loader resolved.
    const abs = job.given === null ? null : resolve(job.given);
    const shown = (text: string) => (abs && job.given && text.startsWith(`${abs}:`) ? job.given + text.slice(abs.length) : text);
    for (const issue of job.issues) io.stderr.write(`corral: ${shown(issue.text)}\n`);
    return 2;
  }
  const { loaded } = job;
  if (a.switches.has('--dry-run')) {
    await dryRun(a, loaded, new Sink(io.stdout));
    return 0;
  }
  // Loaded when used: the broker's Redis client costs every other run ~70 ms of start-up.
  if (a.values.has('--broker')) return (await import('./brokerRun.js')).brokerRunCommand(a, loaded, resume, io);

  // Task output is written once per event-loop turn, both streams in order (one write for a batch of ends).
  const turn = new TurnBatch();
  const sinks = { stdout: new Sink(io.stdout, turn), stderr: new Sink(io.stderr, turn) };
  const commandLine = job.fromFile === null && !a.switches.has('--demo');
  const progressOn = !json && io.stderr.isTTY === true && (commandLine ? true : io.stdout.isTTY === true);
  const report = new Report({ out: commandLine || json ? io.stderr : io.stdout, progress: progressOn ? io.stderr : null, everyTask: !commandLine, json, flushFirst: () => turn.flush() });
  for (const s of Object.values(sinks)) s.before = () => report.clearLine();
  const results = a.values.has('--results') ? new Results(a.values.get('--results')!) : null;
  let run: ReturnType<typeof createSupervisor>['run'] = null;
  const skipped = (seq: number) => seq <= loaded.inputs.length && run?.taskInfo(seq).state === 'skipped';
  const printed = json
    ? new JsonOutput(sinks.stdout, (seq) => sup.taskResult(seq), (t) => results?.pathOf(t) ?? null, outOpts.keepOrder ? { skipped } : null)
    : new TaskOutput(sinks, { ...outOpts, skipped });
  const sup = createSupervisor({
    spawn,
    joblog: a.values.has('--joblog') ? resolve(a.values.get('--joblog')!) : undefined,
    resume,
    settings: tickMs ? { tickMs } : undefined,
    // The report takes each task's line as it ends; a dashboard or an attached client reads the ticks' rows while it is there.
    tickRows: 'when-read',
    taskOutput: {
      output: (t, stream, chunk) => {
        results?.output(t, stream, chunk);
        printed.output(t, stream, chunk);
      },
      attemptEnded: (t, outcome: Outcome, willRetry) => {
        results?.attemptEnded(t, willRetry);
        printed.attemptEnded(t, outcome, willRetry);
      },
      taskEnded: (t) => report.ended(t.info),
    },
  });
  const order = a.switches.has('--shuf') ? shuffledOrder(loaded.inputs.length) : null;
  const loadedJob = await sup.loadPrepared(loaded, order);
  run = sup.run;
  const leftovers = await sup.call('listLeftovers', {});
  if (leftovers.ok && leftovers.value.length) {
    io.stderr.write(
      `corral: ${leftovers.value.length} process group(s) from an earlier run that did not end cleanly are still alive (pids ${leftovers.value.map((l) => l.pid).join(', ')}); run \`corral reap\` to kill them\n`,
    );
  }
  if (loadedJob.job.ordering === 'longest-first') {
    io.stderr.write('corral: dispatching longest first, by the runtimes in earlier joblogs of this job (tasks without history go first)\n');
  }
  const server = port === null ? null : await startDashboard(sup, port, io).catch(async (err: Error) => {
    await sup.close();
    throw new UsageError(/EADDRINUSE/.test(err.message) ? `${err.message} (try --port 0 for a free port)` : err.message);
  });
  const off = sup.on('tick', (t) => report.tick(t));
  let haltTrigger: Outcome | null = null;
  const offNotice = sup.on('notice', (n) => {
    // The halt notice comes as the triggering task ends, before the halt stops any other.
    if (n.kind === 'info' && n.message.startsWith('halting:') && n.taskSeq !== undefined) haltTrigger = sup.run!.taskInfo(n.taskSeq).outcome;
    if (n.kind === 'task-stuck' || n.kind === 'error' || (n.kind === 'info' && n.level !== 'info')) {
      if (json) {
        turn.flush();
        io.stderr.write(`corral: ${n.message}\n`);
      }
      else report.message(`corral: ${n.message}`);
    }
  });
  let stop: StopCause | null = null;
  const offInt = io.onInterrupt((cause) => {
    if (stop === null) {
      stop = cause;
      if (cause === 'stdout-closed') {
        sinks.stdout.close();
        if (commandLine) report.silence();
      }
      const text = STOPPING[cause];
      if (text) report.message(text);
      detach(sup.call('stopJob', { mode: 'graceful' }), (err) => io.stderr.write(internalErrorLine(err)));
    } else if (cause === 'SIGINT' || cause === 'SIGTERM') {
      // A hangup or a closed stdout arrives once per event; only a repeated Ctrl-C or TERM escalates.
      report.message('corral: killing running tasks');
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
  await server?.close();
  off();
  offNotice();
  offInt();
  printed.flush();
  await Promise.all([sinks.stdout.idle(), sinks.stderr.idle()]);
  const snap = sup.run!.info();
  if (json) sinks.stdout.write(JSON.stringify(summaryJson(snap, sup.run!.store.outcomeCounts())) + '\n');
  else report.summary(snap, sup.run!.store.outcomeCounts());
  await sinks.stdout.idle();
  // Killed by the user is not the task's failure, but not "all tasks ok" either.
  return runExitCode({ stop, state: snap.state, failed: snap.counts.failed + snap.counts.killed, halt: sup.run!.spec.halt, haltTrigger });
}

function summaryJson(job: ReturnType<NonNullable<ReturnType<typeof createSupervisor>['run']>['info']>, byOutcome: Map<Outcome, number>) {
  const wall = (job.endedAt ?? Date.now()) - (job.startedAt ?? Date.now());
  return { summary: { name: job.name, state: job.state, counts: job.counts, outcomes: Object.fromEntries(byOutcome), wallSeconds: wall / 1000, joblog: job.joblog, haltReason: job.haltReason } };
}

/** --serve: the dashboard of this run, its URL on stderr (stdout carries task output). */
async function startDashboard(sup: ReturnType<typeof createSupervisor>, port: number, io: RunIo) {
  const { startServer } = await import('../serve/index.js');
  const server = await startServer({ service: sup, port, rendererDir: corralResources().rendererDir, log: (l) => io.stderr.write(l + '\n') });
  io.stderr.write(`corral: dashboard at ${server.url}\n`);
  return server;
}

/** An environment variable's bad value is a usage error (exit 2), named by the variable. */
function envSetting<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new UsageError(`corral run: ${(err as Error).message}`);
  }
}

/** The embedded demo job, or the Python one beside it. */
function demoJobPath(python: boolean): string {
  const demo = corralResources().demoJob;
  return python ? join(dirname(demo), 'python_demo.yaml') : demo;
}
