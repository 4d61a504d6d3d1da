import { constants } from 'node:os';
import type { ErrorCode } from '../../contract/types.js';
import type { RunCommand } from '../monitor/types.js';
import { runCommand } from '../monitor/platform/exec.js';

/** An error the supervisor turns into a contract CorralError ({ code, message }). */
export class StopError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StopError';
    this.code = code;
  }
}

export interface SignalTarget {
  pid: number;
  /** The task's process group (POSIX); null on Windows or when the task has no group of its own */
  pgid: number | null;
  /** Descendants that left the group (setsid), from the sampler's last view of the tree */
  extraPids?: readonly number[];
}

export interface SignalDeps {
  kill: (pid: number, signal: NodeJS.Signals) => void;
  run: RunCommand;
}

const defaultDeps: SignalDeps = {
  kill: (pid, signal) => process.kill(pid, signal),
  run: runCommand,
};

/** "TERM" | "SIGTERM" → "SIGTERM"; anything the OS does not know is refused. */
export function toSignal(name: string): NodeJS.Signals {
  const upper = name.trim().toUpperCase();
  const full = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as NodeJS.Signals;
  if (!(full in constants.signals)) throw new StopError('INVALID_ARGUMENT', `unknown signal: ${name}`);
  return full;
}

function errnoCode(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Sends to one target; true when it existed. A vanished target (ESRCH) is not an error. */
function tryKill(kill: SignalDeps['kill'], pid: number, signal: NodeJS.Signals): boolean {
  try {
    kill(pid, signal);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return false;
    throw err;
  }
}

/**
 * Signals a task's whole tree. POSIX: the group (-pgid), or the pid when it has no group,
 * then each extra pid. Windows: taskkill /T, with /F for KILL (other signals do not exist
 * there: they all become a graceful close request).
 */
export async function signalTree(
  target: SignalTarget,
  signal: string,
  platform: NodeJS.Platform = process.platform,
  deps: Partial<SignalDeps> = {},
): Promise<void> {
  const d = { ...defaultDeps, ...deps };
  if (platform === 'win32') {
    const upper = signal.toUpperCase().replace(/^SIG/, '');
    if (upper === 'STOP' || upper === 'CONT' || upper === 'TSTP') {
      throw new StopError('UNSUPPORTED', 'pausing a task is not supported on Windows');
    }
    const force = upper === 'KILL';
    for (const pid of [target.pid, ...(target.extraPids ?? [])]) {
      const { code, stdout, stderr } = await d.run('taskkill', [...(force ? ['/F'] : []), '/T', '/PID', String(pid)]);
      // 128: no such process. A refused graceful close (console apps) is left to the next step.
      if (force && code !== 0 && code !== 128) {
        throw new StopError('INTERNAL', `taskkill /F /T /PID ${pid} failed (exit ${code}): ${(stderr || stdout).trim()}`);
      }
    }
    return;
  }
  const sig = toSignal(signal);
  const sentToGroup = target.pgid !== null && target.pgid > 0 && tryKill(d.kill, -target.pgid, sig);
  if (!sentToGroup) tryKill(d.kill, target.pid, sig);
  for (const pid of target.extraPids ?? []) {
    if (pid !== target.pid) tryKill(d.kill, pid, sig);
  }
}

/** SIGSTOP to the tree (POSIX only). */
export function pauseTree(target: SignalTarget, platform: NodeJS.Platform = process.platform, deps: Partial<SignalDeps> = {}): Promise<void> {
  return signalTree(target, 'STOP', platform, deps);
}

/** SIGCONT to the tree (POSIX only). */
export function resumeTree(target: SignalTarget, platform: NodeJS.Platform = process.platform, deps: Partial<SignalDeps> = {}): Promise<void> {
  return signalTree(target, 'CONT', platform, deps);
}
