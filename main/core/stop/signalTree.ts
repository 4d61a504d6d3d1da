import { constants } from 'node:os';
import { CorralFailure } from '../errors.js';
import type { RunCommand } from '../monitor/types.js';
import { execFileAnyExit } from '../monitor/platform/exec.js';
import { parseCimJson } from '../monitor/platform/win32.js';
import { inspectTree, treeDeps, type LiveProcess, type TreeDeps, type TreeTarget } from './treeView.js';

export type { TreeTarget } from './treeView.js';

export interface SignalDeps {
  kill: (pid: number, signal: NodeJS.Signals) => void;
  run: RunCommand;
  tree: TreeDeps;
}

const defaultDeps = (platform: NodeJS.Platform): SignalDeps => ({
  kill: (pid, signal) => process.kill(pid, signal),
  run: execFileAnyExit,
  tree: treeDeps(platform),
});

/** "TERM" | "SIGTERM" → "SIGTERM"; anything the OS does not know is refused. */
export function toSignal(name: string): NodeJS.Signals {
  const upper = name.trim().toUpperCase();
  const full = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as NodeJS.Signals;
  if (!(full in constants.signals)) throw new CorralFailure('INVALID_ARGUMENT', `unknown signal: ${name}`);
  return full;
}

function errnoCode(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Sends to one target; false when it had vanished (ESRCH), which is not an error: it is what we want. */
function tryKill(kill: SignalDeps['kill'], pid: number, signal: NodeJS.Signals): boolean {
  try {
    kill(pid, signal);
    return true;
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') {
      const what = pid < 0 ? `process group ${-pid}` : `pid ${pid}`;
      throw new CorralFailure('INTERNAL', `cannot send ${signal} to ${what}: ${errnoCode(err) ?? (err as Error).message}`);
    }
    return false;
  }
}

/**
 * POSIX: every signal is preceded by a start-time check. The group gets kill(-pgid) only while it is
 * still the task's group; recorded pids outside it only while their start time matches. Returns the
 * processes that were live when the signal went out.
 */
export function signalTreeSync(target: TreeTarget, signal: string, deps: Partial<SignalDeps> = {}): LiveProcess[] {
  const d = { ...defaultDeps(process.platform), ...deps };
  const sig = toSignal(signal);
  const view = inspectTree(target, d.tree);
  const members = view.live.filter((p) => p.inGroup);
  // A group that emptied since it was listed (its last members just left with setsid) gets nothing:
  // those members are then signalled one by one, as they were listed a moment ago.
  const groupReached = members.length > 0 && tryKill(d.kill, -target.pgid!, sig);
  for (const p of view.live) if (!p.inGroup || !groupReached) tryKill(d.kill, p.pid, sig);
  return view.live;
}

const CIM_ONE = (pids: readonly number[]): string =>
  `Get-CimInstance Win32_Process -Filter "${pids.map((p) => `ProcessId=${p}`).join(' OR ')}" | Select ProcessId,ParentProcessId,CreationDate,Name | ConvertTo-Json -Compress`;

/**
 * Windows has no signals: taskkill /T asks the tree to close, /F forces it. The recorded pids are
 * checked against their creation time (one CIM query) before taskkill touches them.
 */
async function signalWindows(target: TreeTarget, signal: string, run: RunCommand): Promise<void> {
  const upper = signal.toUpperCase().replace(/^SIG/, '');
  if (upper === 'STOP' || upper === 'CONT' || upper === 'TSTP') throw new CorralFailure('UNSUPPORTED', 'pausing a task is not supported on Windows');
  if (target.known.length === 0) return;
  const q = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', CIM_ONE(target.known.map((k) => k.pid))]);
  const rows = q.code === 0 ? parseCimJson(q.stdout) : [];
  const force = upper === 'KILL';
  for (const k of target.known) {
    const row = rows.find((r) => r.pid === k.pid);
    if (!row || (k.startTime !== undefined && row.startTime !== k.startTime)) continue; // gone, or a reused pid
    const { code, stdout, stderr } = await run('taskkill', [...(force ? ['/F'] : []), '/T', '/PID', String(k.pid)]);
    // 128: no such process. A refused graceful close (console apps) is left to the next step.
    if (force && code !== 0 && code !== 128) {
      throw new CorralFailure('INTERNAL', `taskkill /F /T /PID ${k.pid} failed (exit ${code}): ${(stderr || stdout).trim()}`);
    }
  }
}

/** Signals a task's whole tree on any platform (see signalTreeSync and signalWindows). */
export async function signalTree(
  target: TreeTarget,
  signal: string,
  platform: NodeJS.Platform = process.platform,
  deps: Partial<SignalDeps> = {},
): Promise<void> {
  const d = { ...defaultDeps(platform), ...deps };
  if (platform === 'win32') return signalWindows(target, signal, d.run);
  signalTreeSync(target, signal, d);
}

/** SIGSTOP to the tree (POSIX only); synchronous so a refusal reaches the caller as a CorralFailure. */
export function pauseTree(target: TreeTarget, platform: NodeJS.Platform = process.platform, deps: Partial<SignalDeps> = {}): void {
  if (platform === 'win32') throw new CorralFailure('UNSUPPORTED', 'pausing a task is not supported on Windows');
  signalTreeSync(target, 'STOP', { ...defaultDeps(platform), ...deps });
}

/** SIGCONT to the tree (POSIX only). */
export function resumeTree(target: TreeTarget, platform: NodeJS.Platform = process.platform, deps: Partial<SignalDeps> = {}): void {
  if (platform === 'win32') throw new CorralFailure('UNSUPPORTED', 'resuming a task is not supported on Windows');
  signalTreeSync(target, 'CONT', { ...defaultDeps(platform), ...deps });
}
