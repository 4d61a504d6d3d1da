import { spawn } from 'node:child_process';
import { OutputBuffer } from './outputBuffer.js';
import { withoutElectronEnv } from './taskEnv.js';
import { processStartTime } from '../stop/liveness.js';

export interface CommandLaunch {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Windows needs verbatim args for cmd.exe lines built by expandCommand */
  windowsVerbatimArguments?: boolean;
}

export interface AttemptEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process never ran (ENOENT, EACCES…) */
  spawnError: string | null;
}

export interface StartedCommand {
  /** Null when the process never ran */
  pid: number | null;
  /** POSIX: the process group (== pid, spawned detached). Windows: null. */
  pgid: number | null;
  /** Read before the pid could be reaped: guards every later signal against pid reuse */
  startTime: string | undefined;
}

export interface RunningCommand {
  /** Resolves once the process exists or failed to (the spawn helper answers asynchronously) */
  started: Promise<StartedCommand>;
  output: OutputBuffer;
  /** The main process has exited (not: every holder of its pipes let go — a daemon may keep them for days) */
  exited: Promise<AttemptEnd>;
  /** Both pipes reached their end: all output the tree wrote has been read */
  outputClosed: Promise<void>;
  /** Stops reading the pipes (a process Corral left running still holds them) */
  releaseOutput(): void;
}

/** Starts one command attempt: spawnCommandTask here, or the spawn helper (spawnHelper.ts). */
export type CommandSpawner = (launch: CommandLaunch, onActivity: (stdoutBytes: number) => void, output?: OutputBuffer) => RunningCommand;

/**
 * Spawns one command attempt in its own process group with stdin closed; stdout and
 * stderr go to a bounded buffer. `onActivity` fires on every output chunk (stuck detector), with
 * the chunk's size for stdout and 0 for stderr (the joblog's Receive counts stdout, like parallel).
 */
export function spawnCommandTask(launch: CommandLaunch, onActivity: (stdoutBytes: number) => void, output = new OutputBuffer()): RunningCommand {
  const posix = process.platform !== 'win32';
  let child;
  try {
    child = spawn(launch.file, launch.args, {
      cwd: launch.cwd,
      env: withoutElectronEnv(launch.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: posix, // own process group: the whole tree can be signalled with kill(-pgid)
      windowsHide: true,
      windowsVerbatimArguments: launch.windowsVerbatimArguments,
    });
  } catch (err) {
    return {
      started: Promise.resolve({ pid: null, pgid: null, startTime: undefined }),
      output,
      exited: Promise.resolve({ exitCode: null, signal: null, spawnError: spawnMessage(err, launch) }),
      outputClosed: Promise.resolve(),
      releaseOutput: () => undefined,
    };
  }
  child.stdout!.on('data', (chunk: Buffer) => {
    output.push(chunk, 'stdout');
    onActivity(chunk.length);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output.push(chunk, 'stderr');
    onActivity(0);
  });
  let spawnError: string | null = null;
  const exited = new Promise<AttemptEnd>((resolve) => {
    child.once('error', (err) => {
      spawnError = spawnMessage(err, launch);
      // 'exit' does not always follow a failed spawn.
      if (child.pid === undefined) resolve({ exitCode: null, signal: null, spawnError });
    });
    child.once('exit', (code, signal) => resolve({ exitCode: code, signal, spawnError }));
  });
  const outputClosed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    if (child.pid === undefined) child.once('error', () => resolve());
  });
  const releaseOutput = () => {
    child.stdout!.destroy();
    child.stderr!.destroy();
  };
  const pid = child.pid ?? null;
  // Read before the event loop can reap it.
  const started = Promise.resolve({ pid, pgid: posix ? pid : null, startTime: pid === null ? undefined : processStartTime(pid) });
  return { started, output, exited, outputClosed, releaseOutput };
}

export function spawnMessage(err: unknown, launch: CommandLaunch): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') {
    // With a shell the shell itself reports a missing program (exit 127); this is the no-shell case.
    return `program not found: ${launch.file}`;
  }
  if (e.code === 'EACCES') return `permission denied: ${launch.file}`;
  return `cannot start ${launch.file}: ${e.message}`;
}

/** A shell that cannot find the program exits 127 and says so on stderr; name the program. */
export function missingProgramFromShell(exitCode: number | null, tail: string): string | null {
  if (exitCode !== 127) return null;
  const m =
    /(?:^|\n)[^\n]*?:\s*(?:\d+:\s*)?([^\n:]+): (?:command )?not found/.exec(tail) ??
    /'([^']+)' is not recognized as an internal or external command/.exec(tail);
  return m ? m[1].trim() : null;
}
