import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MARKER_ENV } from '../reap/protocol.js';
import { hungAfterMs, stoppedState, watchHelper } from './helperWatch.js';
import { OutputBuffer } from './outputBuffer.js';
import { envDeltas, FRAME, frameReader, type ExitInfo, type SpawnedInfo, type SpawnRequest } from './spawnProtocol.js';
import { spawnCommandTask, spawnMessage, type AttemptEnd, type CommandLaunch, type CommandSpawner, type RunningCommand, type StartedCommand } from './commandRunner.js';

export interface SpawnHelperOptions {
  /** out/workers/spawner.cjs */
  script: string;
  execPath?: string;
  /** The helper's own environment (tasks get theirs per request) */
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** No answer to pings (and no frame) for this long while tasks run: the helper is killed as hung */
  hungAfterMs?: number;
}

export interface SpawnHelper {
  spawn: CommandSpawner;
  /** Ends the helper's stdin and waits for it to exit (tasks still running keep running) */
  close(): Promise<void>;
  /** The running helper's pid (undefined between a death and the next spawn) */
  readonly pid: number | undefined;
}

interface Pending {
  launch: CommandLaunch;
  output: OutputBuffer;
  onActivity: (stdoutBytes: number) => void;
  started(s: StartedCommand): void;
  exited(e: AttemptEnd): void;
  closed(): void;
  hasStarted: boolean;
  hasExited: boolean;
}

const CLOSE_TIMEOUT_MS = 5000;

/**
 * Command tasks forked by a small helper process (workers/spawner), so a fork's cost does not grow
 * with the supervisor's heap. A helper that dies fails its running tasks with an error naming it
 * (their groups are then killed like any leftover) and the next spawn starts a new one; a helper that
 * cannot start at all leaves Corral on child_process.spawn from this process.
 */
export function startSpawnHelper(opts: SpawnHelperOptions): SpawnHelper {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const tasks = new Map<number, Pending>();
  let nextId = 1;
  let helper: ChildProcess | undefined;
  let answered = false;
  let direct = !existsSync(opts.script);
  let closing = false;
  /** Why the current helper is being killed by us (hung), for its tasks' error */
  let killedBecause: string | null = null;
  const hungMs = opts.hungAfterMs ?? hungAfterMs(process.env);
  const watch = watchHelper({
    hungAfterMs: hungMs,
    ping: (id) => send({ op: 'ping', id }),
    hung: (silentMs) => {
      const proc = helper;
      if (!proc?.pid) return;
      const state = stoppedState(proc.pid);
      killedBecause = `did not answer for ${Math.round(silentMs / 1000)} s${state ? ` (${state})` : ''} and was killed`;
      log(`corral: the spawn helper (pid ${proc.pid}) ${killedBecause}; its running tasks fail and a new helper starts`);
      proc.kill('SIGKILL');
    },
  });
  if (direct) log(`corral: the spawn helper script is missing (${opts.script}); tasks are forked by the supervisor`);

  const launch = (): ChildProcess => {
    const { [MARKER_ENV]: _outer, ...env } = opts.env ?? process.env; // never reaped as a task
    const proc = spawn(opts.execPath ?? process.execPath, [opts.script], {
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true, // a terminal's Ctrl-C goes to the supervisor, which decides
      windowsHide: true,
    });
    answered = false;
    killedBecause = null;
    proc.stdin!.on('error', () => undefined); // a dead helper: its exit handler fails the tasks
    proc.stdout!.on(
      'data',
      frameReader((kind, id, payload) => {
        answered = true;
        watch.heard();
        if (kind === FRAME.pong) watch.answered(id);
        else onFrame(kind, id, payload);
      }),
    );
    const died = (why: string) => {
      if (helper !== proc) return;
      helper = undefined;
      watch.stop();
      const reason = killedBecause ?? why;
      if (!closing && !answered && !killedBecause) {
        // It never worked (a missing or broken script): fork from here from now on.
        direct = true;
        log(`corral: the spawn helper (pid ${proc.pid ?? '?'}) ${why} before starting any task; tasks are forked by the supervisor`);
      }
      failAll(`the spawn helper (pid ${proc.pid ?? '?'}) ${reason}`);
    };
    proc.once('error', (err) => died(`could not start (${err.message})`));
    proc.once('exit', (code, signal) => died(`exited (${signal ?? `code ${code}`})`));
    refWhileBusy(proc);
    return proc;
  };

  const refWhileBusy = (proc: ChildProcess): void => {
    // The helper never keeps the supervisor alive by itself; a task it runs does.
    watch.busy(tasks.size > 0);
    const handles = [proc, proc.stdout as unknown as { ref?(): void; unref?(): void }];
    for (const h of handles) {
      if (tasks.size > 0) h.ref?.();
      else h.unref?.();
    }
  };

  const onFrame = (kind: number, id: number, payload: Buffer): void => {
    const t = tasks.get(id);
    if (!t) return;
    if (kind === FRAME.spawned) {
      const info = JSON.parse(payload.toString()) as SpawnedInfo;
      t.hasStarted = true;
      if (info.pid === undefined) {
        t.started({ pid: null, pgid: null, startTime: undefined });
        t.hasExited = true;
        t.exited({ exitCode: null, signal: null, spawnError: spawnMessage(Object.assign(new Error(info.error?.message ?? 'unknown error'), { code: info.error?.code }), t.launch) });
      } else t.started({ pid: info.pid, pgid: info.pid, startTime: info.startTime });
    } else if (kind === FRAME.stdout || kind === FRAME.stderr) {
      t.output.push(Buffer.from(payload), kind === FRAME.stdout ? 'stdout' : 'stderr'); // the frame is a view into the read chunk
      t.onActivity(kind === FRAME.stdout ? payload.length : 0);
    } else if (kind === FRAME.exit) {
      const e = JSON.parse(payload.toString()) as ExitInfo;
      t.hasExited = true;
      t.exited({ exitCode: e.code, signal: e.signal, spawnError: null });
    } else if (kind === FRAME.closed) {
      tasks.delete(id);
      t.closed();
      if (tasks.size === 0 && helper) refWhileBusy(helper);
    }
  };

  const failAll = (why: string): void => {
    const failed = [...tasks.values()];
    tasks.clear();
    for (const t of failed) {
      if (!t.hasStarted) t.started({ pid: null, pgid: null, startTime: undefined });
      if (!t.hasExited) t.exited({ exitCode: null, signal: null, spawnError: `${why} while the task ran; its output and exit status are lost` });
      t.closed();
    }
  };

  const send = (req: SpawnRequest): void => {
    helper?.stdin?.write(`${JSON.stringify(req)}\n`);
  };
  // Per helper: a new one has no bases yet.
  let envFor = envDeltas((id, env) => send({ op: 'env', id, env }));

  const spawnTask: CommandSpawner = (cmd, onActivity, output = new OutputBuffer()) => {
    if (direct || closing) return spawnCommandTask(cmd, onActivity, output);
    if (!helper) {
      helper = launch();
      envFor = envDeltas((id, env) => send({ op: 'env', id, env }));
    }
    const id = nextId++;
    let started!: (s: StartedCommand) => void;
    let exited!: (e: AttemptEnd) => void;
    let closed!: () => void;
    const running: RunningCommand = {
      output,
      started: new Promise((r) => (started = r)),
      exited: new Promise((r) => (exited = r)),
      outputClosed: new Promise((r) => (closed = r)),
      releaseOutput: () => {
        if (tasks.has(id)) send({ op: 'release', id });
      },
    };
    tasks.set(id, { launch: cmd, output, onActivity, started, exited, closed, hasStarted: false, hasExited: false });
    if (tasks.size === 1) refWhileBusy(helper);
    send({ op: 'spawn', id, file: cmd.file, args: cmd.args, cwd: cmd.cwd, ...envFor(cmd.env) });
    return running;
  };

  return {
    spawn: spawnTask,
    async close() {
      closing = true;
      watch.stop();
      const proc = helper;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.stdin?.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    },
    get pid() {
      return helper?.pid;
    },
  };
}

export type SpawnMode = 'helper' | 'direct';

/** CORRAL_SPAWN: `helper` (default) or `direct` (child_process.spawn from the supervisor). */
export function spawnMode(env: NodeJS.ProcessEnv): SpawnMode {
  const v = env.CORRAL_SPAWN?.trim();
  if (!v || v === 'helper') return 'helper';
  if (v === 'direct') return 'direct';
  throw new Error(`CORRAL_SPAWN must be "helper" or "direct", not ${JSON.stringify(env.CORRAL_SPAWN)}`);
}

/** Next to the module host in out/workers (unpacked from the asar in the app). */
export function spawnerScript(resources: { hostScript: string }): string {
  return join(dirname(resources.hostScript), 'spawner.cjs');
}

/** The helper, except on Windows (no process groups to hand over; taskkill does the trees) or in direct mode. */
export function commandSpawner(opts: SpawnHelperOptions & { mode: SpawnMode; platform?: NodeJS.Platform }): SpawnHelper | null {
  if (opts.mode === 'direct' || (opts.platform ?? process.platform) === 'win32') return null;
  return startSpawnHelper(opts);
}
