import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { corralResources } from '../platform/resources.js';
import { formatReaperCommand, MARKER_ENV, type ReaperCommand } from './protocol.js';

export interface ReaperEntry {
  pgid: number;
  pid: number;
  startTime?: string;
}

export interface Reaper {
  add(entry: ReaperEntry): void;
  remove(pgid: number): void;
  /** Tells the reaper a marked process is to be left running (`daemons: keep`). */
  spare(pid: number, startTime: string): void;
  /** Sends bye (the reaper exits without killing) and waits for it to exit. */
  close(): Promise<void>;
  readonly pid: number | undefined;
  readonly alive: boolean;
}

export interface ReaperOptions {
  script?: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  graceMs?: number;
  /** The value of CORRAL_SUPERVISOR in the tasks' environment; the reaper reaps what carries it (Linux) */
  marker?: string;
  /** Restarts after an unexpected reaper death, re-adding live groups (default 3). */
  maxRestarts?: number;
  log?: (message: string) => void;
}

const CLOSE_TIMEOUT_MS = 5000;

/**
 * Starts the orphan reaper: detached (its own group, so a terminal Ctrl-C misses it) and unref'd
 * (it never keeps the supervisor alive). Its death is logged once and never fatal: the ledger is the
 * second line of defence.
 */
export function startReaper(opts: ReaperOptions = {}): Reaper {
  const script = opts.script ?? corralResources().reaperScript;
  const execPath = opts.execPath ?? process.execPath;
  const log = opts.log ?? ((m: string) => console.warn(m));
  const groups = new Map<number, ReaperEntry>();
  const spared = new Map<number, string>();
  let restartsLeft = opts.maxRestarts ?? 3;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let closing = false;
  let warned = false;

  const warnOnce = (message: string): void => {
    if (!warned) log(message);
    warned = true;
  };

  const send = (cmd: ReaperCommand): void => {
    const stdin = child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return;
    stdin.write(formatReaperCommand(cmd));
  };

  const launch = (): void => {
    const args = [script, ...(opts.graceMs === undefined ? [] : [`--grace-ms=${opts.graceMs}`]), ...(opts.marker ? [`--marker=${opts.marker}`] : [])];
    // The reaper itself carries no marker: under a nested corral (a task that runs corral) the outer
    // reaper must not kill this one before it has reaped the inner tasks.
    const { [MARKER_ENV]: _outer, ...env } = opts.env ?? process.env;
    const proc = spawn(execPath, args, {
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'ignore', 'inherit'],
      detached: true,
      windowsHide: true,
    });
    child = proc;
    exited = new Promise((resolve) => {
      proc.once('error', (err) => {
        warnOnce(`corral: the orphan reaper could not start (${err.message}); leftovers will be found from the ledger at next start`);
        resolve();
      });
      proc.once('exit', (code, signal) => {
        resolve();
        if (closing || child !== proc) return;
        child = undefined;
        warnOnce(`corral: the orphan reaper exited (${signal ?? `code ${code}`}); leftovers will be found from the ledger at next start`);
        if (restartsLeft-- > 0) {
          launch();
          for (const g of groups.values()) send({ op: 'add', ...g });
          for (const [pid, startTime] of spared) send({ op: 'spare', pid, startTime });
        }
      });
    });
    // A dead reaper turns writes into EPIPE; the exit handler above deals with it.
    proc.stdin?.on('error', () => undefined);
    proc.unref();
    const pipe = proc.stdin as unknown as { unref?: () => void } | null;
    pipe?.unref?.();
  };

  if (existsSync(script)) launch();
  else warnOnce(`corral: the orphan reaper script is missing (${script}); leftovers will be found from the ledger at next start`);

  // An add goes out at once: until the reaper has it, a supervisor killed now would leave that
  // task behind (the environment marker covers this on Linux, nothing else does elsewhere). Removes
  // only free the reaper's memory, so they go out once per event-loop turn, in one write.
  let removes: number[] = [];
  let flushScheduled = false;
  const flush = (): void => {
    flushScheduled = false;
    const pgids = removes;
    removes = [];
    const stdin = child?.stdin;
    if (pgids.length === 0 || !stdin || stdin.destroyed || !stdin.writable) return;
    stdin.write(pgids.map((pgid) => formatReaperCommand({ op: 'remove', pgid })).join(''));
  };

  return {
    add(entry) {
      groups.set(entry.pgid, { ...entry });
      // A pending remove of a reused group id must not land after this add.
      if (removes.length > 0) removes = removes.filter((pgid) => pgid !== entry.pgid);
      send({ op: 'add', ...entry });
    },
    spare(pid, startTime) {
      spared.set(pid, startTime);
      send({ op: 'spare', pid, startTime });
    },
    remove(pgid) {
      if (!groups.delete(pgid)) return;
      removes.push(pgid);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    async close() {
      closing = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      proc.ref(); // keep the loop alive until the reaper has read bye and gone
      flush();
      send({ op: 'bye' });
      proc.stdin?.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    get pid() {
      return child?.pid;
    },
    get alive() {
      return child !== undefined && child.exitCode === null && child.signalCode === null && child.pid !== undefined;
    },
  };
}
