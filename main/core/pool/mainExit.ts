import { readProcStat } from '../monitor/platform/procfs.js';
import type { LiveAttempt } from './task.js';

/**
 * The moment an attempt's main process (or module call) ended: the timeout is disarmed, and the
 * stop in force then is the one that ended it. A stop asked for later does not change the
 * outcome (the exit decides). Idempotent: the first call is the exit.
 */
export function noteMainExit(live: LiveAttempt): void {
  if (live.exitedAt !== null) return;
  live.exitedAt = Date.now();
  live.stopBeforeExit = live.stopReason;
  if (live.timeoutTimer) clearTimeout(live.timeoutTimer);
  live.timeoutTimer = null;
  live.timeoutLeftMs = null;
}

/** The main process or module call has ended (where `live.ended = true` used to be set). */
export function mainEnded(live: LiveAttempt): void {
  noteMainExit(live);
  live.ended = true;
}

/**
 * The main process has exited though Node has not seen it yet: a zombie not reaped, or already
 * reaped with the 'close' event still to come. A timer firing then must not claim the ending.
 */
export function mainExitedUnseen(live: Pick<LiveAttempt, 'pid' | 'kind' | 'ended'>): boolean {
  if (live.ended) return true;
  if (live.kind !== 'command' || live.pid === null) return false;
  if (process.platform === 'linux') {
    const stat = readProcStat(live.pid);
    return stat === null || stat.state === 'Z' || stat.state === 'X'; // reaped (gone) or a zombie
  }
  try {
    process.kill(live.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
