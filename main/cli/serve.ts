import { resolve } from 'node:path';
import type { JobFileIssue } from '../contract/types.js';
import { JobRegistry, createJobView } from '../core/jobs/index.js';
import { corralResources } from '../core/platform/resources.js';
import { startServer } from '../serve/index.js';
import { parseArgs, UsageError } from './args.js';
import { jobKeyFlag, tickFlag } from './flags.js';
import { STOP_EXIT, type StopCause } from './exitCode.js';
import type { RunIo } from './run.js';
import { detach } from '../core/errors.js';
import { internalErrorLine } from './processIo.js';
import { readFile } from 'node:fs/promises';
import { stateDir } from '../core/reap/index.js';
import { parseRetention } from '../core/runs/index.js';
import { createAttachable, startControlOrWarn } from '../core/control/index.js';

export const SERVE_HELP = `usage: corral serve [FILE|--demo] [options]

Serves the dashboard to a browser and runs the job given (at once, unless --paused).
Prints one line with the dashboard URL; its #token=… part is the key to the dashboard.

options:
  --host ADDR     address to bind (default 127.0.0.1; others are reachable from the network)
  --port N        port (default 7420; 0 picks a free one)
  --paused        load the job but wait for Start in the dashboard
  --jobs N|50%    pool size (overrides the job's concurrency; same values)
  --tick D        sampling interval, 250ms..10s (default 1s)
  --metrics       Prometheus metrics of every live job (label job) on /metrics, behind the token (Authorization: Bearer TOKEN)
  --token-file F  read the token from file F (at least 32 characters) instead of a fresh one,
                  e.g. the file Prometheus's bearer_token_file names
  --keep-runs R   run history to keep: 100 runs, 30d days, or both 100,30d (default 100,30d);
                  older runs are removed from the state directory at startup
  --demo          serve the embedded demo job
  --broker URL    run FILE's tasks on agents (corral agent) through this broker (Redis), and
                  show its hosts; see corral run --broker`;

export async function serveCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const a = parseArgs('serve', argv, { values: ['--host', '--port', '--jobs', '--tick', '--token-file', '--keep-runs', '--broker'], switches: ['--paused', '--demo', '--help', '--metrics'] });
  if (a.switches.has('--help')) {
    io.stdout.write(SERVE_HELP + '\n');
    return 0;
  }
  if (a.positionals.length > 1) throw new UsageError('corral serve: give at most one job file');
  if (a.switches.has('--demo') && a.positionals.length) throw new UsageError('corral serve: give a job file or --demo, not both');
  const portText = a.values.get('--port') ?? '7420';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`corral serve: --port expects 0..65535, got ${JSON.stringify(portText)}`);
  const jobsText = a.values.get('--jobs');
  const concurrency = jobsText === undefined ? undefined : jobKeyFlag('serve', '--jobs', 'concurrency', jobsText);
  const tickMs = tickFlag('serve', a.values.get('--tick'));

  const keepText = a.values.get('--keep-runs');
  const keepRuns = keepText === undefined ? undefined : parseRetention(keepText);
  if (typeof keepRuns === 'string') throw new UsageError(`corral serve: ${keepRuns}`);
  const token = await tokenFromFile(a.values.get('--token-file'));
  const broker = a.values.get('--broker');
  if (broker !== undefined) {
    const flag = ['--jobs', '--tick', '--keep-runs', '--paused', '--metrics', '--demo'].find((f) => a.values.has(f) || a.switches.has(f));
    if (flag) throw new UsageError(`corral serve: ${flag} cannot be used with --broker yet`);
    if (a.positionals.length !== 1) throw new UsageError('corral serve: --broker needs a job file (module and Python jobs, and the demo, run locally)');
    // Loaded only here: bullmq and ioredis (~240 files) stay out of every other run and serve.
    return (await import('./brokerServe.js')).brokerServeCommand({ url: broker, jobFile: a.positionals[0], host: a.values.get('--host'), port, token }, io);
  }

  const resources = corralResources();
  const state = stateDir();
  // Several jobs, each its own supervisor and pool; the command line's job is the first.
  const jobs = new JobRegistry({ resources, concurrency, stateDir: state, keepRuns, settings: tickMs ? { tickMs } : undefined });
  const sup = jobs.newest().supervisor;
  if (a.switches.has('--demo') || a.positionals.length) {
    const r = await sup.call('loadJob', a.switches.has('--demo') ? { demo: true } : { path: resolve(a.positionals[0]) });
    if (!r.ok) {
      await jobs.closeAll();
      if (r.error.code === 'JOB_INVALID') {
        for (const issue of r.error.details as JobFileIssue[]) io.stderr.write(`corral: ${issue.text}\n`);
        return 2;
      }
      throw new UsageError(`corral serve: ${r.error.message}`);
    }
  }
  const log = (l: string) => io.stderr.write(l + '\n');
  // Ours on the control socket; the dashboard's service can attach to another supervisor's.
  const control = await startControlOrWarn(createJobView(jobs), state, log, () => createJobView(jobs));
  const watched = createAttachable(createJobView(jobs), state);
  let server;
  try {
    server = await startServer({ service: watched, host: a.values.get('--host'), port, rendererDir: resources.rendererDir, log, token, metrics: a.switches.has('--metrics'), jobs });
  } catch (err) {
    await control?.close();
    await jobs.closeAll();
    // startServer's message names the address and the reason (EADDRINUSE, EADDRNOTAVAIL…)
    const message = (err as Error).message;
    throw new UsageError(/EADDRINUSE/.test(message) ? `${message} (try --port 0 for a free port)` : message);
  }
  let interrupts = 0;
  let stop: StopCause = 'SIGINT';
  // Listening before the URL is out: a signal sent once it is seen must not find the default.
  const stopped = new Promise<void>((done) => {
    const off = io.onInterrupt((cause) => {
      // Nothing but the first line goes to stdout: `corral serve | head -1` keeps serving.
      if (cause === 'stdout-closed') return;
      interrupts++;
      if (interrupts === 1) stop = cause;
      if (interrupts === 1 && jobs.hasRunningTasks()) {
        io.stderr.write('corral: stopping running tasks gracefully (Ctrl-C again to kill them)\n');
        detach(
          jobs.closeAll().then(() => {
            off();
            done();
          }),
          (err) => io.stderr.write(internalErrorLine(err)),
        );
      } else if (interrupts === 1) {
        off();
        done();
      } else {
        jobs.forceStopAll();
      }
    });
  });
  io.stdout.write(`corral: dashboard at ${server.url}\n`);
  if (sup.run && !a.switches.has('--paused')) await sup.call('startJob', {});
  await stopped;
  await jobs.closeAll({ graceMs: 0 });
  watched.close();
  await control?.close();
  await server.close();
  return STOP_EXIT[stop];
}

/** --token-file: the first line of the file, so a scraper and the dashboard share one stable token. */
async function tokenFromFile(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`corral serve: --token-file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const token = text.split('\n')[0].trim();
  // It travels in a WebSocket subprotocol too, where only token characters may appear.
  if (token.length < 32 || !/^[A-Za-z0-9._~-]+$/.test(token)) {
    throw new UsageError(`corral serve: --token-file ${path}: the token must be one line of at least 32 characters, each a letter, digit, '.', '_', '~' or '-'`);
  }
  return token;
}
